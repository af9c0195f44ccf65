"""Tiny real seq2seq models for tests, and the opus-mt-sized one for the benchmark.

Everything is built here from text composed for the purpose (news-like English and Spanish
sentences from the templates below), with seeded random weights: sentencepiece models trained on
that text, Marian translators (en->es, es->en) and a T5 summarizer in Hugging Face format, a
manifest naming them, and a CTranslate2 conversion. No download, deterministic, a few seconds.
torch, transformers and sentencepiece are imported inside the functions that need them.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# (English, Spanish, Spanish subject is plural)
SUBJECTS: list[tuple[str, str, bool]] = [
    ("The city council", "El ayuntamiento", False),
    ("The government", "El gobierno", False),
    ("The central bank", "El banco central", False),
    ("Local teachers", "Los maestros locales", True),
    ("The health ministry", "El ministerio de salud", False),
    ("Firefighters", "Los bomberos", True),
    ("The mayor", "La alcaldesa", False),
    ("Farmers in the north", "Los agricultores del norte", True),
    ("The national team", "La selección nacional", False),
    ("Researchers at the university", "Los investigadores de la universidad", True),
    ("The transport authority", "La autoridad de transporte", False),
    ("Hospital workers", "Los trabajadores del hospital", True),
    ("The opposition", "La oposición", False),
    ("Residents of the old town", "Los vecinos del casco antiguo", True),
]
# (English, Spanish singular, Spanish plural)
PREDICATES: list[tuple[str, str, str]] = [
    (
        "approved a new budget for public schools",
        "aprobó un nuevo presupuesto para las escuelas públicas",
        "aprobaron un nuevo presupuesto para las escuelas públicas",
    ),
    (
        "announced a plan to build affordable housing",
        "anunció un plan para construir viviendas asequibles",
        "anunciaron un plan para construir viviendas asequibles",
    ),
    (
        "warned about rising food prices",
        "advirtió sobre la subida de los precios de los alimentos",
        "advirtieron sobre la subida de los precios de los alimentos",
    ),
    (
        "raised interest rates by a quarter point",
        "subió los tipos de interés un cuarto de punto",
        "subieron los tipos de interés un cuarto de punto",
    ),
    (
        "called for calm after the storm",
        "pidió calma tras la tormenta",
        "pidieron calma tras la tormenta",
    ),
    (
        "opened an investigation into the contract",
        "abrió una investigación sobre el contrato",
        "abrieron una investigación sobre el contrato",
    ),
    (
        "won the final in extra time",
        "ganó la final en la prórroga",
        "ganaron la final en la prórroga",
    ),
    ("rejected the proposal", "rechazó la propuesta", "rechazaron la propuesta"),
    (
        "published a report on air pollution",
        "publicó un informe sobre la contaminación del aire",
        "publicaron un informe sobre la contaminación del aire",
    ),
    (
        "promised more buses for the suburbs",
        "prometió más autobuses para las afueras",
        "prometieron más autobuses para las afueras",
    ),
    (
        "went on strike over pay",
        "se declaró en huelga por los salarios",
        "se declararon en huelga por los salarios",
    ),
    ("reported record harvests", "informó de cosechas récord", "informaron de cosechas récord"),
    (
        "asked for more money to repair the bridge",
        "pidió más dinero para reparar el puente",
        "pidieron más dinero para reparar el puente",
    ),
    (
        "criticized the new water law",
        "criticó la nueva ley del agua",
        "criticaron la nueva ley del agua",
    ),
]
TIMES: list[tuple[str, str]] = [
    ("on Monday", "el lunes"),
    ("on Tuesday", "el martes"),
    ("on Friday", "el viernes"),
    ("this week", "esta semana"),
    ("last night", "anoche"),
    ("after a long debate", "tras un largo debate"),
    ("in a statement", "en un comunicado"),
    ("despite the protests", "pese a las protestas"),
    ("for the second time this year", "por segunda vez este año"),
    ("", ""),
]
STANDALONE: list[tuple[str, str]] = [
    ("Unemployment fell to 5.2 percent in March.", "El paro bajó al 5,2 por ciento en marzo."),
    ('"We will not give up," she said.', "«No nos rendiremos», dijo."),
    (
        "Heavy rain is expected in the south until Sunday.",
        "Se esperan fuertes lluvias en el sur hasta el domingo.",
    ),
    ("The museum will reopen its doors in June.", "El museo volverá a abrir sus puertas en junio."),
    (
        "Three people were injured in the accident.",
        "Tres personas resultaron heridas en el accidente.",
    ),
    (
        "Tickets for the concert sold out in an hour.",
        "Las entradas para el concierto se agotaron en una hora.",
    ),
    (
        "The price of petrol rose for the fourth week in a row.",
        "El precio de la gasolina subió por cuarta semana consecutiva.",
    ),
    (
        "Police closed the main road for several hours.",
        "La policía cortó la carretera principal durante varias horas.",
    ),
    ("The school year will start a week later.", "El curso escolar empezará una semana más tarde."),
    (
        "Exports grew by 3 percent last year.",
        "Las exportaciones crecieron un 3 por ciento el año pasado.",
    ),
    (
        "The court will announce its decision next month.",
        "El tribunal anunciará su decisión el mes que viene.",
    ),
    ("Why did the project cost twice as much?", "¿Por qué costó el proyecto el doble?"),
    (
        "The festival drew more than 40,000 visitors.",
        "El festival atrajo a más de 40.000 visitantes.",
    ),
    ("Doctors say the patient is stable.", "Los médicos dicen que el paciente está estable."),
    (
        "The new line will connect the airport with the centre.",
        "La nueva línea conectará el aeropuerto con el centro.",
    ),
    ("Negotiations will continue on Thursday.", "Las negociaciones seguirán el jueves."),
]


def news_pairs(count: int = 300, seed: int = 0) -> list[tuple[str, str]]:
    """`count` parallel (English, Spanish) news-like sentences, the same for the same seed."""
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    for index in range(count):
        if index % 10 == 9:
            pairs.append(STANDALONE[(index // 10) % len(STANDALONE)])
            continue
        subject_en, subject_es, plural = rng.choice(SUBJECTS)
        predicate_en, predicate_sg, predicate_pl = rng.choice(PREDICATES)
        when_en, when_es = rng.choice(TIMES)
        en = " ".join(p for p in (subject_en, predicate_en, when_en) if p) + "."
        es = (
            " ".join(
                p for p in (subject_es, predicate_pl if plural else predicate_sg, when_es) if p
            )
            + "."
        )
        pairs.append((en, es))
    return pairs


def news_sentences(lang: str, count: int = 300, seed: int = 0) -> list[str]:
    return [pair[0 if lang == "en" else 1] for pair in news_pairs(count, seed)]


def long_news_sentences(count: int = 64, seed: int = 1) -> list[str]:
    """English sentences of two clauses (20-30 words), the length of a typical news sentence."""
    first = news_sentences("en", count, seed)
    second = news_sentences("en", count, seed + 1)
    return [f"{a[:-1]}, while {b[0].lower()}{b[1:]}" for a, b in zip(first, second, strict=True)]


def long_article(lang: str = "en", sentences: int = 60, seed: int = 2) -> str:
    """Paragraphs of news sentences: longer than a tiny model reads at once."""
    text = news_sentences(lang, sentences, seed)
    return "\n\n".join(" ".join(text[i : i + 6]) for i in range(0, len(text), 6))


# --- tokenizers --------------------------------------------------------------------------------


def train_sentencepiece(texts: Iterable[str], vocab_size: int, **options: object) -> bytes:
    """A unigram sentencepiece model (serialized) trained on `texts`, deterministically."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(texts)),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        hard_vocab_limit=False,
        minloglevel=2,
        **options,
    )
    return model.getvalue()


def marian_vocab(spm_model: bytes, vocab_size: int | None = None) -> dict[str, int]:
    """Marian's vocab.json: `</s>`=0, `<unk>`=1, the pieces, fillers up to `vocab_size`, `<pad>`
    last (as in opus-mt, where `<pad>` is id 65000 of 65001)."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_model)
    vocab = {"</s>": 0, "<unk>": 1}
    for index in range(processor.get_piece_size()):
        piece = processor.id_to_piece(index)
        if piece not in vocab and piece != "<s>":
            vocab[piece] = len(vocab)
    if vocab_size is not None:
        if vocab_size < len(vocab) + 1:
            raise ValueError(f"vocab_size {vocab_size} is smaller than the trained vocabulary")
        for filler in range(vocab_size - len(vocab) - 1):
            vocab[f"<unused{filler}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab


# --- models ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarianShape:
    d_model: int = 32
    layers: int = 2
    heads: int = 2
    ffn: int = 64
    max_positions: int = 64


TINY_MARIAN = MarianShape()
# Helsinki-NLP/opus-mt-en-es: vocab 65001, d_model 512, 6+6 layers, 8 heads, FFN 2048.
OPUS_MT_SHAPE = MarianShape(d_model=512, layers=6, heads=8, ffn=2048, max_positions=512)
OPUS_MT_VOCAB = 65001


def build_marian(
    out_dir: Path,
    spm_model: bytes,
    *,
    shape: MarianShape = TINY_MARIAN,
    vocab_size: int | None = None,
    seed: int = 0,
) -> Path:
    """A MarianMTModel with seeded random weights and its MarianTokenizer, saved to `out_dir`."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("source.spm", "target.spm"):
        (out_dir / name).write_bytes(spm_model)
    vocab = marian_vocab(spm_model, vocab_size)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        str(out_dir / "source.spm"),
        str(out_dir / "target.spm"),
        str(out_dir / "vocab.json"),
        model_max_length=shape.max_positions,
    )
    tokenizer.save_pretrained(str(out_dir))
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=shape.max_positions,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config.bad_words_ids = [[pad]]
    model.save_pretrained(str(out_dir))
    return out_dir


def build_t5_summarizer(out_dir: Path, texts: Iterable[str], *, seed: int = 0) -> Path:
    """A tiny T5ForConditionalGeneration with a sentencepiece tokenizer, saved to `out_dir`."""
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    # T5's ids: <pad>=0, </s>=1, <unk>=2.
    spm_model = train_sentencepiece(texts, 200, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    (out_dir / "spiece.model").write_bytes(spm_model)
    tokenizer = T5Tokenizer.from_pretrained(str(out_dir), extra_ids=0, model_max_length=128)
    tokenizer.save_pretrained(str(out_dir))
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        relative_attention_num_buckets=8,
        relative_attention_max_distance=32,
        n_positions=128,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
        tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    T5ForConditionalGeneration(config).save_pretrained(str(out_dir))
    return out_dir


# bart-large-cnn's own generation config (its generation_config.json on the hub, less ids).
BART_CNN_GENERATION = {
    "length_penalty": 2.0,
    "min_length": 56,
    "max_length": 142,
    "no_repeat_ngram_size": 3,
    "num_beams": 4,
    "early_stopping": True,
}


def build_bart_summarizer(out_dir: Path, texts: Iterable[str], *, seed: int = 0) -> Path:
    """A tiny BartForConditionalGeneration with a byte-level BPE tokenizer (vocab.json +
    merges.txt, as bart-large-cnn ships) and bart-large-cnn's generation config."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import (
        BartConfig,
        BartForConditionalGeneration,
        BartTokenizerFast,
        GenerationConfig,
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    # BART's ids: <s>=0, <pad>=1, </s>=2, <unk>=3, <mask>=4.
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        list(texts),
        vocab_size=400,
        min_frequency=1,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        show_progress=False,
    )
    bpe.save_model(str(out_dir))
    tokenizer = BartTokenizerFast(
        vocab=str(out_dir / "vocab.json"), merges=str(out_dir / "merges.txt"), model_max_length=128
    )
    tokenizer.save_pretrained(str(out_dir))
    ids = {"bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2}
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=128,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        # bart-large-cnn's config.json carries this fairseq key; the CTranslate2 converter reads it.
        normalize_before=False,
        **ids,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        forced_bos_token_id=0, forced_eos_token_id=2, **ids, **BART_CNN_GENERATION
    )
    model.save_pretrained(str(out_dir))
    return out_dir


# --- the tiny models dir -----------------------------------------------------------------------

EN_ES = "opus-mt-en-es"
ES_EN = "opus-mt-es-en"
SUMMARIZER = "tiny-t5-summarizer"
BART = "bart-large-cnn"


def _toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def write_manifest(
    models_dir: Path,
    entries: list[dict[str, object]],
    comment: str = "Random-weight models built by tests/helpers/seq2seq_fixtures.py.",
) -> Path:
    lines = [f"# {comment}"]
    for entry in entries:
        lines.append("\n[[models]]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in entry.items())
    path = models_dir / "manifest.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


TINY_MANIFEST: list[dict[str, object]] = [
    {
        "name": EN_ES,
        "hf_id": "Helsinki-NLP/opus-mt-en-es",
        "revision": "main",
        "task": "translate",
        "source": "en",
        "target": "es",
        "engine": "ct2",
    },
    {
        "name": ES_EN,
        "hf_id": "Helsinki-NLP/opus-mt-es-en",
        "revision": "main",
        "task": "translate",
        "source": "es",
        "target": "en",
        "engine": "ct2",
    },
    {
        "name": SUMMARIZER,
        "hf_id": "newsdesk-tests/tiny-t5-summarizer",
        "revision": "main",
        "task": "summarize",
        "lang": "en",
        "pivot": ["es"],
        "engine": "ct2",
        "prefix": "summarize: ",
        "min_length": 4,
        "max_length": 24,
    },
]


# What models/manifest.toml says of bart-large-cnn: no lengths, the model's own config decides.
BART_ENTRY: dict[str, object] = {
    "name": BART,
    "hf_id": "facebook/bart-large-cnn",
    "revision": "main",
    "task": "summarize",
    "lang": "en",
    "pivot": ["es"],
    "engine": "ct2",
    "prefix": "",
}


def build_tiny_models(models_dir: Path, *, convert_en_es: bool = True) -> Path:
    """The tiny models dir: Marian en->es and es->en, a T5 summarizer, a manifest naming them,
    and the CTranslate2 int8 conversion of en->es. Returns `models_dir`."""
    models_dir.mkdir(parents=True, exist_ok=True)
    pairs = news_pairs(400, seed=0)
    corpus = [text for pair in pairs for text in pair]
    spm_model = train_sentencepiece(corpus, 400)
    build_marian(models_dir / EN_ES, spm_model, seed=1)
    build_marian(models_dir / ES_EN, spm_model, seed=2)
    build_t5_summarizer(models_dir / SUMMARIZER, [en for en, _ in pairs], seed=3)
    write_manifest(models_dir, TINY_MANIFEST)
    if convert_en_es:
        from service.engines.ct2 import convert

        convert(models_dir / EN_ES, models_dir / f"{EN_ES}-ct2")
    return models_dir


def build_opus_mt_sized(out_dir: Path, *, seed: int = 0) -> Path:
    """A Marian model with opus-mt-en-es's architecture and vocabulary size and random weights;
    its sentencepiece model is trained on the fixture text and the vocabulary padded to 65001."""
    pairs = news_pairs(2000, seed=0)
    corpus = [text for pair in pairs for text in pair]
    spm_model = train_sentencepiece(corpus, 1000)
    return build_marian(
        out_dir, spm_model, shape=OPUS_MT_SHAPE, vocab_size=OPUS_MT_VOCAB, seed=seed
    )
