"""The `ct2` engine: CTranslate2, int8 on CPU and float16 on GPU; and the conversion that feeds it.

`convert()` turns a local Hugging Face directory into `<name>-ct2/`, writes `newsdesk.json` (the
model's input limit and which tokenizer to use) and, for Marian, copies the two sentencepiece
models, so that a converted translator runs with sentencepiece alone: neither torch nor
transformers is imported on that path, which keeps the service small and quick to start.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from service.config import Settings
from service.engines.base import EngineInfo
from service.engines.seq2seq_common import (
    DecodeOptions,
    GenerationDefaults,
    Seq2SeqSummarizer,
    Seq2SeqTranslator,
    model_limit,
)

META_FILE = "newsdesk.json"
MARIAN_SPM = ("source.spm", "target.spm")
_WORD_MARK = "\u2581"  # sentencepiece's "▁", the start of a word


class Ct2Unavailable(RuntimeError):
    """The converted directory cannot be served (no tokenizer, not converted)."""


class _Tokens(Protocol):
    def encode(self, texts: Sequence[str]) -> list[list[str]]: ...

    def decode(self, tokens: Sequence[str]) -> str: ...


class _SpmTokens:
    """Marian's tokenization with sentencepiece alone: pieces + `</s>`, as MarianTokenizer does."""

    def __init__(self, directory: Path) -> None:
        import sentencepiece

        self._source = sentencepiece.SentencePieceProcessor(
            model_file=str(directory / MARIAN_SPM[0])
        )
        self._target = sentencepiece.SentencePieceProcessor(
            model_file=str(directory / MARIAN_SPM[1])
        )
        self._specials = {"</s>", "<unk>", "<pad>", "<s>"}

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        return [[*pieces, "</s>"] for pieces in self._source.encode(list(texts), out_type=str)]

    def decode(self, tokens: Sequence[str]) -> str:
        text = str(self._target.decode_pieces([t for t in tokens if t not in self._specials]))
        # The output vocabulary is shared with the source side, and target.spm copies a piece
        # it lacks through verbatim, word mark included: the mark is a space, whoever wrote it.
        return " ".join(text.replace(_WORD_MARK, " ").split())


class _HfTokens:
    """The model's own Hugging Face tokenizer, for what sentencepiece alone cannot do (BART...)."""

    def __init__(self, hf_dir: Path) -> None:
        import warnings

        from transformers import AutoTokenizer

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            self._tokenizer = AutoTokenizer.from_pretrained(str(hf_dir), local_files_only=True)

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        ids = self._tokenizer(list(texts), verbose=False)["input_ids"]
        return [list(self._tokenizer.convert_ids_to_tokens(seq)) for seq in ids]

    def decode(self, tokens: Sequence[str]) -> str:
        ids = self._tokenizer.convert_tokens_to_ids(list(tokens))
        return str(self._tokenizer.decode(ids, skip_special_tokens=True))


def read_meta(ct2_dir: Path) -> dict[str, Any]:
    path = Path(ct2_dir) / META_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def hf_input_limit(hf_dir: Path) -> int:
    """The model's input limit from its config files, without importing transformers."""
    config = _read_json(Path(hf_dir) / "config.json")
    tokenizer = _read_json(Path(hf_dir) / "tokenizer_config.json")
    return model_limit(
        tokenizer.get("model_max_length"),
        config.get("max_position_embeddings"),
        config.get("n_positions"),
    )


def has_tokenizer(ct2_dir: Path, hf_dir: Path | None) -> bool:
    """Whether `Ct2Backend` can tokenize for this conversion."""
    own = all((Path(ct2_dir) / f).is_file() for f in MARIAN_SPM)
    return own or (hf_dir is not None and (Path(hf_dir) / "config.json").is_file())


def _tokens(ct2_dir: Path, hf_dir: Path | None) -> _Tokens:
    if all((ct2_dir / f).is_file() for f in MARIAN_SPM):
        return _SpmTokens(ct2_dir)
    if hf_dir is not None and (hf_dir / "config.json").is_file():
        return _HfTokens(hf_dir)
    raise Ct2Unavailable(f"no tokenizer for {ct2_dir}: its Hugging Face directory is missing")


def compute_type(device: str) -> str:
    return "int8" if device == "cpu" else "float16"


class Ct2Backend:
    """Token strings in, text out, through `ctranslate2.Translator.translate_batch`."""

    def __init__(self, ct2_dir: Path, settings: Settings, hf_dir: Path | None = None) -> None:
        import ctranslate2

        ct2_dir = Path(ct2_dir)
        self.tokens = _tokens(ct2_dir, hf_dir)
        self.translator = ctranslate2.Translator(
            str(ct2_dir),
            device=settings.device,
            compute_type=compute_type(settings.device),
            inter_threads=settings.inter_threads,
            intra_threads=settings.intra_threads,
        )
        limit = int(read_meta(ct2_dir).get("max_input_tokens") or 0)
        if not limit and hf_dir is not None:
            limit = hf_input_limit(hf_dir)
        self.max_input_tokens = model_limit(limit)
        self.max_output_tokens = self.max_input_tokens

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        return self.tokens.encode(texts)

    def generate(self, batch: Sequence[Sequence[str]], options: DecodeOptions) -> list[str]:
        return [hypotheses[0] for hypotheses in self.generate_nbest(batch, options, 1)]

    def generate_nbest(
        self, batch: Sequence[Sequence[str]], options: DecodeOptions, count: int
    ) -> list[list[str]]:
        # num_hypotheses, not return_alternatives: the latter branches at one position after a
        # target prefix (interactive completion), where whole n-best translations are wanted.
        results = self.translator.translate_batch(
            [list(tokens) for tokens in batch],
            beam_size=options.beam_size,
            num_hypotheses=count,
            length_penalty=options.length_penalty,
            max_decoding_length=options.max_length,
            min_decoding_length=options.min_length,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            repetition_penalty=options.repetition_penalty,
        )
        found: list[list[str]] = []
        for index, result in enumerate(results):
            limit = options.item_limit(index)
            found.append([self.tokens.decode(tokens[:limit]) for tokens in result.hypotheses])
        return found

    def close(self) -> None:
        self.translator.unload_model()


class Ct2Translator(Seq2SeqTranslator[str]):
    def __init__(
        self,
        source: str,
        target: str,
        ct2_dir: Path,
        settings: Settings,
        *,
        hf_dir: Path | None = None,
        name: str | None = None,
        revision: str = "main",
    ) -> None:
        name = name or Path(ct2_dir).name.removesuffix("-ct2")
        info = EngineInfo("ct2", name, revision)
        backend = Ct2Backend(Path(ct2_dir), settings, hf_dir)
        super().__init__(backend, info, source, target, settings)


class Ct2Summarizer(Seq2SeqSummarizer[str]):
    def __init__(
        self,
        lang: str,
        ct2_dir: Path,
        settings: Settings,
        *,
        hf_dir: Path | None = None,
        prefix: str = "",
        min_length: int = 0,
        max_length: int = 0,
        max_input_tokens: int = 0,
        defaults: GenerationDefaults | None = None,
        name: str | None = None,
        revision: str = "main",
    ) -> None:
        name = name or Path(ct2_dir).name.removesuffix("-ct2")
        info = EngineInfo("ct2", name, revision)
        super().__init__(
            Ct2Backend(Path(ct2_dir), settings, hf_dir),
            info,
            lang,
            settings,
            prefix=prefix,
            min_length=min_length,
            max_length=max_length,
            max_input_tokens=max_input_tokens,
            defaults=defaults,
        )


def convert(
    model_dir: Path, out_dir: Path, quantization: str = "int8", *, force: bool = False
) -> Path:
    """Converts a local Hugging Face seq2seq directory to CTranslate2; returns `out_dir`.

    Written to a sibling temporary directory and renamed at the end, so that an interrupted
    conversion never looks converted.
    """
    from ctranslate2.converters import TransformersConverter

    class LocalConverter(TransformersConverter):
        # The stock converter would fall back to the hub for a missing file.
        def load_model(self, model_class: Any, path: str, **kwargs: Any) -> Any:
            return model_class.from_pretrained(path, local_files_only=True, **kwargs)

        def load_tokenizer(self, tokenizer_class: Any, path: str, **kwargs: Any) -> Any:
            return tokenizer_class.from_pretrained(path, local_files_only=True, **kwargs)

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if (out_dir / "model.bin").is_file() and not force:
        return out_dir
    spm_files = [f for f in MARIAN_SPM if (model_dir / f).is_file()]
    marian = len(spm_files) == len(MARIAN_SPM)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    converter = LocalConverter(str(model_dir), copy_files=spm_files if marian else None)
    converter.convert(str(tmp), quantization=quantization, force=True)
    meta = {
        "source_model": model_dir.name,
        "quantization": quantization,
        "max_input_tokens": hf_input_limit(model_dir),
        "tokenizer": "marian-spm" if marian else "hf",
    }
    (tmp / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return out_dir
