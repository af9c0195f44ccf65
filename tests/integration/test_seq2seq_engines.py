"""The hf and ct2 engines, the dynamic batcher, the loader and `newsdesk models` on tiny real
models (tests/helpers/seq2seq_fixtures.py). Random weights: contracts and determinism, not quality."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

try:
    import ctranslate2  # noqa: F401
    import torch  # noqa: F401
    import transformers  # noqa: F401
except Exception as exc:  # pragma: no cover - depends on the installed extras
    pytest.skip(f"seq2seq extra not installed ({exc})", allow_module_level=True)

from typer.testing import CliRunner

from service.config import Settings
from service.engines.base import EngineInfo, NBestTranslator, Summarizer, Translator
from service.engines.batching import DynamicBatcher
from service.engines.ct2 import Ct2Translator, convert
from service.engines.hf import HfTranslator
from service.engines.seq2seq_common import (
    DecodeOptions,
    Seq2SeqSummarizer,
    Seq2SeqTranslator,
    is_degenerate,
    piece_limit,
)
from service.engines.seq2seq_loader import PivotSummarizer, load_summarizer, load_translator
from service.models_cli import models_app
from tests.helpers.seq2seq_fixtures import (
    BART,
    BART_ENTRY,
    EN_ES,
    ES_EN,
    SUMMARIZER,
    TINY_MANIFEST,
    build_bart_summarizer,
    long_article,
    news_pairs,
    news_sentences,
    write_manifest,
)

pytestmark = pytest.mark.seq2seq

REPO_ROOT = Path(__file__).resolve().parents[2]


def settings_for(models_dir: Path, **overrides: object) -> Settings:
    return Settings(models_dir=models_dir, data_dir=models_dir / "var", **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def engines(tiny_models_dir: Path) -> Iterator[dict[str, Seq2SeqTranslator[object]]]:
    settings = settings_for(tiny_models_dir)
    built: dict[str, Seq2SeqTranslator[object]] = {
        "hf": HfTranslator("en", "es", tiny_models_dir / EN_ES, settings, name=EN_ES),  # type: ignore[dict-item]
        "ct2": Ct2Translator(
            "en",
            "es",
            tiny_models_dir / f"{EN_ES}-ct2",
            settings,  # type: ignore[dict-item]
            hf_dir=tiny_models_dir / EN_ES,
        ),
    }
    yield built
    for engine in built.values():
        engine.close()


@pytest.fixture
def models_copy(tiny_models_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(tiny_models_dir, tmp_path / "models"))


def distinct_lengths(engine: Seq2SeqTranslator[object], count: int) -> list[str]:
    """Sentences whose token counts differ, so every call batches them the same way."""
    chosen: dict[int, str] = {}
    for sentence in news_sentences("en", 200, seed=7):
        chosen.setdefault(len(engine.backend.encode([sentence])[0]), sentence)
    return [chosen[n] for n in sorted(chosen)[:count]]


# --- engines -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["hf", "ct2"])
def test_translates_batches_deterministically_in_order(
    engines: dict[str, Seq2SeqTranslator[object]], kind: str
) -> None:
    engine = engines[kind]
    assert isinstance(engine, Translator)
    assert engine.info == EngineInfo(kind, EN_ES, "main")
    sentences = distinct_lengths(engine, 6)
    first = engine.translate_batch(sentences)
    assert len(first) == len(sentences) and all(isinstance(t, str) and t for t in first)
    assert engine.translate_batch(sentences) == first
    assert engine.translate_batch(sentences[::-1]) == first[::-1]
    assert engine.translate_batch(["", "  "]) == ["", ""]


@pytest.mark.parametrize("kind", ["hf", "ct2"])
def test_greedy_translation_does_not_depend_on_the_batch(tiny_models_dir: Path, kind: str) -> None:
    # Each output is cut to its own budget, so a sentence decodes the same alone or beside longer
    # ones (exactly so for greedy search; beam search may end differently).
    settings = settings_for(tiny_models_dir, beam_size=1)
    engine: Translator = (
        HfTranslator("en", "es", tiny_models_dir / EN_ES, settings)
        if kind == "hf"
        else Ct2Translator("en", "es", tiny_models_dir / f"{EN_ES}-ct2", settings)
    )
    sentences = news_sentences("en", 8, seed=21)
    together = engine.translate_batch(sentences)
    assert [engine.translate_batch([s])[0] for s in sentences] == together
    engine.close()


@pytest.mark.parametrize("kind", ["hf", "ct2"])
def test_alternatives_are_distinct_hypotheses_after_the_best(
    engines: dict[str, Seq2SeqTranslator[object]], kind: str
) -> None:
    engine = engines[kind]
    assert isinstance(engine, NBestTranslator)
    # Sentences the model reads in one piece: a longer one gets none (the unit tests).
    fitting = [
        s
        for s in news_sentences("en", 40, seed=5)
        if len(engine.backend.encode([s])[0]) <= piece_limit(64, 64)
    ][:8]
    found = engine.translate_alternatives(fitting, 3)
    assert len(found) == len(fitting)
    # Random weights: beams that differ for some sentences, and collapse to one for others.
    assert any(found)
    for others in found:
        assert len(others) <= 3 and len(set(others)) == len(others) and all(others)
    assert engine.translate_alternatives(fitting, 3) == found
    assert engine.translate_alternatives(fitting, 0) == [[] for _ in fitting]


def test_ct2_sentencepiece_tokens_match_the_hf_tokenizer(tiny_models_dir: Path) -> None:
    from service.engines.ct2 import _HfTokens, _SpmTokens

    ct2_dir = tiny_models_dir / f"{EN_ES}-ct2"
    spm = _SpmTokens(ct2_dir)
    hf = _HfTokens(tiny_models_dir / EN_ES)
    vocabulary = set(json.loads((ct2_dir / "shared_vocabulary.json").read_text()))
    sentences = news_sentences("en", 20, seed=3) + ["Ünïcödé «quotes» and 3,5 numbers"]
    # Pieces outside the vocabulary: the HF tokenizer writes <unk>, CTranslate2 reads them so.
    as_model_reads = [
        [t if t in vocabulary else "<unk>" for t in seq] for seq in spm.encode(sentences)
    ]
    assert as_model_reads == hf.encode(sentences)
    pieces = spm.encode(news_sentences("es", 5))
    assert [spm.decode(p) for p in pieces] == [hf.decode(p) for p in pieces]


def test_ct2_decodes_pieces_the_target_model_lacks_without_the_word_mark(
    tiny_models_dir: Path,
) -> None:
    from service.engines.ct2 import _SpmTokens

    spm = _SpmTokens(tiny_models_dir / f"{EN_ES}-ct2")
    # Marian's output vocabulary is shared with the source side: the model may emit a piece
    # that only source.spm has, and target.spm would copy it through with its "▁".
    unknown = "▁zzqx"
    assert spm._target.piece_to_id(unknown) == spm._target.unk_id()
    assert spm.decode(["▁La", unknown, "▁casa", "</s>"]) == "La zzqx casa"


@pytest.mark.parametrize("kind", ["hf", "ct2"])
@pytest.mark.parametrize("punctuated", [True, False])
def test_long_input_is_split_into_pieces_not_truncated(
    engines: dict[str, Seq2SeqTranslator[object]],
    kind: str,
    punctuated: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = engines[kind]
    text = " ".join(long_article().split())
    if not punctuated:
        text = " ".join(w.strip(".,;:") for w in text.split())
    limit = engine.backend.max_input_tokens
    assert len(engine.backend.encode([text])[0]) > 3 * limit
    pieces = engine.segments(text)
    assert len(pieces) > 3
    assert " ".join(pieces) == text
    assert all(len(engine.backend.encode([p])[0]) <= limit for p in pieces)

    first_pass: list[int] = []
    generate = engine.backend.generate

    def counting(batch: Sequence[Sequence[object]], options: DecodeOptions) -> list[str]:
        if options.no_repeat_ngram_size == 0:
            first_pass.append(len(batch))
        return generate(batch, options)

    monkeypatch.setattr(engine.backend, "generate", counting)
    before = engine.stats.split_inputs
    outputs = engine.translate_batch([text, "The mayor resigned."])
    assert len(outputs) == 2 and all(outputs)
    assert sum(first_pass) == len(pieces) + 1
    assert engine.stats.split_inputs == before + 1


@pytest.mark.parametrize("kind", ["hf", "ct2"])
def test_repetition_guard_decodes_a_looping_output_again(
    engines: dict[str, Seq2SeqTranslator[object]], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engines[kind]
    generate = engine.backend.generate
    calls: list[tuple[int, DecodeOptions]] = []

    def looping(batch: Sequence[Sequence[object]], options: DecodeOptions) -> list[str]:
        calls.append((len(batch), options))
        outputs = generate(batch, options)
        if options.no_repeat_ngram_size == 0:
            outputs[0] = "cada vez cada vez cada vez cada vez"
        return outputs

    monkeypatch.setattr(engine.backend, "generate", looping)
    before = engine.stats.redecoded
    source = "Every time the council meets, prices rise."
    [output] = engine.translate_batch([source])
    assert engine.stats.redecoded == before + 1
    assert [(n, o.no_repeat_ngram_size, o.repetition_penalty) for n, o in calls] == [
        (1, 0, 1.0),
        (1, 3, 1.3),
    ]
    assert output != "cada vez cada vez cada vez cada vez"
    assert not is_degenerate(source, output)


def test_a_3000_word_article_gets_one_translation_per_sentence(
    engines: dict[str, Seq2SeqTranslator[object]],
) -> None:
    engine = engines["ct2"]
    sentences = [en for en, _ in news_pairs(300, seed=11)]
    while sum(len(s.split()) for s in sentences) < 3000:
        sentences += sentences[:50]
    outputs = engine.translate_batch(sentences)
    assert len(outputs) == len(sentences)
    assert all(outputs)
    assert not [s for s, o in zip(sentences, outputs, strict=True) if is_degenerate(s, o)]


# --- dynamic batching --------------------------------------------------------------------------


class Tagged:
    """Prefixes each output with its input, so a test can see whose sentence came back where."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner
        self.info, self.source, self.target = inner.info, inner.source, inner.target

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        return [
            f"{t} => {o}" for t, o in zip(texts, self.inner.translate_batch(texts), strict=True)
        ]

    def close(self) -> None:
        pass


def concurrent_calls(translator: Translator, inputs: list[list[str]]) -> list[list[str]]:
    results: list[list[str]] = [[] for _ in inputs]
    barrier = threading.Barrier(len(inputs))

    def call(index: int) -> None:
        barrier.wait()
        results[index] = translator.translate_batch(inputs[index])

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.parametrize("kind", ["hf", "ct2"])
def test_batcher_merges_eight_concurrent_callers(
    engines: dict[str, Seq2SeqTranslator[object]], kind: str
) -> None:
    batcher = DynamicBatcher(Tagged(engines[kind]), max_batch_tokens=4096, max_wait_ms=200)
    inputs = [news_sentences("en", 1 + i % 3, seed=100 + i) for i in range(8)]
    results = concurrent_calls(batcher, inputs)
    for texts, outputs in zip(inputs, results, strict=True):
        assert [o.split(" => ")[0] for o in outputs] == texts
    assert batcher.batches_run < 8
    assert batcher.requests_merged >= 2
    assert sum(batcher.batch_sizes) == 8
    batcher.close()


def test_loaded_translator_batches_concurrent_requests(models_copy: Path) -> None:
    settings = settings_for(models_copy, max_batch_wait_ms=200, beam_size=1)
    choice = load_translator("en", "es", settings)
    batcher = choice.engine
    assert isinstance(batcher, DynamicBatcher)
    inputs = [news_sentences("en", 2, seed=200 + i) for i in range(8)]
    results = concurrent_calls(batcher, inputs)
    assert [len(r) for r in results] == [2] * 8
    assert batcher.batches_run < 8
    # Each caller gets what the engine gives for its sentences alone (greedy: batch-independent).
    alone = batcher.translator.translate_batch(inputs[3])
    assert results[3] == alone
    batcher.close()


# --- loader ------------------------------------------------------------------------------------


def test_loader_prefers_ct2_then_hf(models_copy: Path) -> None:
    settings = settings_for(models_copy)
    forward = load_translator("en", "es", settings)
    backward = load_translator("es", "en", settings)
    assert forward.engine is not None and backward.engine is not None
    assert forward.engine.info == EngineInfo("ct2", EN_ES, "main")
    assert forward.reason.startswith(f"ct2: {EN_ES}@main from ")
    assert backward.engine.info == EngineInfo("hf", ES_EN, "main")
    assert "no conversion" in backward.reason
    only_hf = load_translator("en", "es", settings, engines=("hf",))
    assert only_hf.engine is not None and only_hf.engine.info.engine == "hf"
    preferred = load_translator("en", "es", settings_for(models_copy, engine_preference="hf,ct2"))
    assert preferred.engine is not None and preferred.engine.info.engine == "hf"
    for choice in (forward, backward, only_hf, preferred):
        assert choice.engine is not None
        choice.engine.close()


def test_loader_falls_back_when_directories_are_removed(models_copy: Path) -> None:
    settings = settings_for(models_copy)
    shutil.rmtree(models_copy / f"{EN_ES}-ct2")
    choice = load_translator("en", "es", settings, batching=False)
    assert choice.engine is not None and choice.engine.info.engine == "hf"
    choice.engine.close()

    convert(models_copy / EN_ES, models_copy / f"{EN_ES}-ct2")
    shutil.rmtree(models_copy / EN_ES)  # the conversion carries its own sentencepiece models
    choice = load_translator("en", "es", settings, batching=False)
    assert choice.engine is not None and choice.engine.info.engine == "ct2"
    assert choice.engine.translate_batch(["The mayor resigned."])[0]
    choice.engine.close()

    shutil.rmtree(models_copy / ES_EN)
    gone = load_translator("es", "en", settings)
    assert gone.engine is None
    assert gone.reason == (
        f"{ES_EN} is not installed in {models_copy} (run `newsdesk models pull {ES_EN}`)"
    )
    unknown = load_translator("en", "fr", settings)
    assert unknown.engine is None
    assert unknown.reason == "no seq2seq model for en-fr in the manifest"

    (models_copy / "manifest.toml").write_text("[[models]]\nname = 'x'\n")
    broken = load_translator("en", "es", settings)
    assert broken.engine is None
    assert broken.reason.startswith("model manifest unusable: ")


# --- summaries ---------------------------------------------------------------------------------


def test_summarizer_hf_then_ct2(models_copy: Path) -> None:
    settings = settings_for(models_copy)
    article = long_article()
    hf = load_summarizer("en", settings)
    assert isinstance(hf.engine, Summarizer) and hf.engine.info == EngineInfo(
        "hf", SUMMARIZER, "main"
    )
    summary = hf.engine.summarize(article, 12)
    assert summary and len(summary.split()) <= 12
    assert hf.engine.summarize(article, 12) == summary
    hf.engine.close()

    convert(models_copy / SUMMARIZER, models_copy / f"{SUMMARIZER}-ct2")
    ct2 = load_summarizer("en", settings)
    assert ct2.engine is not None and ct2.engine.info.engine == "ct2"
    summary = ct2.engine.summarize(article, 12)
    assert summary and len(summary.split()) <= 12
    ct2.engine.close()


def test_a_bart_with_byte_level_bpe_summarizes_with_its_own_generation_config(
    models_copy: Path,
) -> None:
    build_bart_summarizer(models_copy / BART, news_sentences("en", 300, seed=4), seed=5)
    write_manifest(models_copy, [*TINY_MANIFEST[:2], BART_ENTRY])
    settings = settings_for(models_copy, length_penalty=1.0)
    article = long_article()
    convert(models_copy / BART, models_copy / f"{BART}-ct2")
    for kind in ("ct2", "hf"):
        choice = load_summarizer("en", settings, engines=(kind,))
        engine = choice.engine
        assert isinstance(engine, Seq2SeqSummarizer), choice.reason
        assert engine.info == EngineInfo(kind, BART, "main")
        assert (engine.options.length_penalty, engine.min_length) == (2.0, 56)
        summary = engine.summarize(article, 70)
        # Byte-level BPE marks ("Ġ" for a space) must be decoded, not shown.
        assert summary and len(summary.split()) <= 70 and "Ġ" not in summary
        engine.close()


def test_spanish_summaries_go_through_english(models_copy: Path) -> None:
    settings = settings_for(models_copy)
    alone = load_summarizer("es", settings)
    assert alone.engine is None and "needs the es-en and en-es translators" in alone.reason
    translators = {
        ("en", "es"): load_translator("en", "es", settings).engine,
        ("es", "en"): load_translator("es", "en", settings).engine,
    }
    assert all(translators.values())
    choice = load_summarizer("es", settings, translators=translators)  # type: ignore[arg-type]
    assert isinstance(choice.engine, PivotSummarizer)
    assert choice.engine.info.model == f"{SUMMARIZER}+{ES_EN}+{EN_ES}"
    assert isinstance(choice.engine.summarize(long_article("es"), 15), str)
    choice.engine.close()
    for translator in translators.values():
        assert translator is not None
        translator.close()


# --- newsdesk models ---------------------------------------------------------------------------


def test_models_check_and_convert(models_copy: Path) -> None:
    runner = CliRunner()
    shutil.rmtree(models_copy / SUMMARIZER)
    result = runner.invoke(models_app, ["check", "--models-dir", str(models_copy)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("│")}
    assert "installed" in rows[EN_ES] and "converted" in rows[EN_ES] and "ct2" in rows[EN_ES]
    assert "not converted" in rows[ES_EN] and rows[ES_EN].rstrip("│ ").endswith("hf")
    assert "missing" in rows[SUMMARIZER]
    strict = runner.invoke(models_app, ["check", "--strict", "--models-dir", str(models_copy)])
    assert strict.exit_code == 1

    result = runner.invoke(models_app, ["convert", ES_EN, "--models-dir", str(models_copy)])
    assert result.exit_code == 0, result.output
    assert (models_copy / f"{ES_EN}-ct2" / "model.bin").is_file()
    assert f"{ES_EN}: int8 -> " in result.output
    result = runner.invoke(models_app, ["check", "--models-dir", str(models_copy)])
    assert "not converted" not in [line for line in result.output.splitlines() if ES_EN in line][0]

    missing = runner.invoke(models_app, ["convert", SUMMARIZER, "--models-dir", str(models_copy)])
    assert missing.exit_code == 1
    unknown = runner.invoke(models_app, ["convert", "nope", "--models-dir", str(models_copy)])
    assert unknown.exit_code == 2


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"HF_ENDPOINT": "http://127.0.0.1:9"},
            "error: cannot reach the Hugging Face Hub at http://127.0.0.1:9",
        ),
        ({"HF_HUB_OFFLINE": "1"}, "error: HF_HUB_OFFLINE is set"),
    ],
)
def test_models_pull_fails_at_once_offline(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "service.models_cli", "pull", EN_ES, "--models-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert time.monotonic() - started < 30
    assert not (tmp_path / EN_ES).exists()
