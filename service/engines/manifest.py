"""The model manifest (`models/manifest.toml`) and where its models live on disk.

Installed layout under the models dir: `<name>/` holds the Hugging Face directory (config.json,
tokenizer files, weights) and `<name>-ct2/` its CTranslate2 conversion. Nothing here imports
torch, transformers or ctranslate2, so `newsdesk models check` and the loader's decisions are
cheap.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from service.config import Settings

MANIFEST_NAME = "manifest.toml"
# The manifest shipped with the source tree; used when the models dir has none of its own.
DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / "models" / MANIFEST_NAME

TASKS = ("translate", "summarize")
ENGINES = ("ct2", "hf")
CT2_SUFFIX = "-ct2"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")
TOKENIZER_FILES = (
    "tokenizer.json",
    "source.spm",
    "spiece.model",
    "sentencepiece.bpe.model",
    "vocab.json",
)

Task = Literal["translate", "summarize"]
Engine = Literal["ct2", "hf"]


class ManifestError(ValueError):
    """The manifest is missing a field or has a value of the wrong kind."""


@dataclass(frozen=True)
class ModelEntry:
    name: str
    hf_id: str
    revision: str
    task: Task
    engine: Engine
    source: str | None = None
    target: str | None = None
    lang: str | None = None
    # Languages a summarizer serves by translating into `lang` and the summary back.
    pivot: tuple[str, ...] = ()
    license: str = ""
    prefix: str = ""
    min_length: int = 0
    max_length: int = 0
    max_input_tokens: int = 0

    @property
    def languages(self) -> str:
        if self.task == "translate":
            return f"{self.source}-{self.target}"
        return ",".join([str(self.lang), *self.pivot])

    def hf_dir(self, models_dir: Path) -> Path:
        return Path(models_dir) / self.name

    def ct2_dir(self, models_dir: Path) -> Path:
        return Path(models_dir) / f"{self.name}{CT2_SUFFIX}"


@dataclass(frozen=True)
class Manifest:
    entries: tuple[ModelEntry, ...]
    path: Path | None = None

    def get(self, name: str) -> ModelEntry | None:
        return next((e for e in self.entries if e.name == name), None)

    def translator_for(self, source: str, target: str) -> ModelEntry | None:
        return next(
            (
                e
                for e in self.entries
                if e.task == "translate" and e.source == source and e.target == target
            ),
            None,
        )

    def summarizer_for(self, lang: str) -> ModelEntry | None:
        """The summarizer written for `lang` itself, else one that serves it through a pivot."""
        summarizers = [e for e in self.entries if e.task == "summarize"]
        direct = next((e for e in summarizers if e.lang == lang), None)
        return direct or next((e for e in summarizers if lang in e.pivot), None)


def _str(raw: dict[str, object], key: str, where: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise ManifestError(f"{where}: '{key}' must be a non-empty string")
    return value


def _int(raw: dict[str, object], key: str, where: str) -> int:
    value = raw.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ManifestError(f"{where}: '{key}' must be a non-negative integer")
    return value


def parse_entry(raw: dict[str, object], where: str) -> ModelEntry:
    name = _str(raw, "name", where)
    where = f"{where} ({name})"
    task = _str(raw, "task", where)
    engine = _str(raw, "engine", where, "ct2")
    if task not in TASKS:
        raise ManifestError(f"{where}: task must be one of {', '.join(TASKS)}")
    if engine not in ENGINES:
        raise ManifestError(f"{where}: engine must be one of {', '.join(ENGINES)}")
    pivot = raw.get("pivot", [])
    if not isinstance(pivot, list) or not all(isinstance(p, str) for p in pivot):
        raise ManifestError(f"{where}: 'pivot' must be a list of language codes")
    task_kind: Task = "translate" if task == "translate" else "summarize"
    return ModelEntry(
        name=name,
        hf_id=_str(raw, "hf_id", where),
        revision=_str(raw, "revision", where),
        task=task_kind,
        engine="ct2" if engine == "ct2" else "hf",
        source=_str(raw, "source", where) if task_kind == "translate" else None,
        target=_str(raw, "target", where) if task_kind == "translate" else None,
        lang=_str(raw, "lang", where) if task_kind == "summarize" else None,
        pivot=tuple(pivot),
        license=_str(raw, "license", where, ""),
        prefix=_str(raw, "prefix", where, ""),
        min_length=_int(raw, "min_length", where),
        max_length=_int(raw, "max_length", where),
        max_input_tokens=_int(raw, "max_input_tokens", where),
    )


def load_manifest(path: Path) -> Manifest:
    """Reads and validates one manifest file; a missing file is an empty manifest."""
    path = Path(path)
    if not path.is_file():
        return Manifest(entries=(), path=None)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from exc
    models = data.get("models", [])
    if not isinstance(models, list):
        raise ManifestError(f"{path}: [[models]] must be an array of tables")
    entries = tuple(parse_entry(raw, f"{path} models[{i}]") for i, raw in enumerate(models))
    names = [e.name for e in entries]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ManifestError(f"{path}: duplicate model names: {', '.join(duplicates)}")
    return Manifest(entries=entries, path=path)


def manifest_path(models_dir: Path) -> Path:
    """The models dir's own manifest when it has one, else the one in the source tree."""
    own = Path(models_dir) / MANIFEST_NAME
    return own if own.is_file() else DEFAULT_MANIFEST


def load_manifest_for(settings: Settings) -> Manifest:
    return load_manifest(manifest_path(settings.models_dir))


def installed(entry: ModelEntry, models_dir: Path) -> bool:
    """The Hugging Face directory has a config, weights and a tokenizer."""
    path = entry.hf_dir(models_dir)
    return (
        (path / "config.json").is_file()
        and any((path / f).is_file() for f in WEIGHT_FILES)
        and any((path / f).is_file() for f in TOKENIZER_FILES)
    )


def converted(entry: ModelEntry, models_dir: Path) -> bool:
    path = entry.ct2_dir(models_dir)
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def dir_size(path: Path) -> int:
    """Bytes under `path` (0 when it does not exist); symlinks are not followed."""
    path = Path(path)
    if not path.is_dir():
        return 0
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def sizes(entry: ModelEntry, models_dir: Path) -> tuple[int | None, int | None]:
    """(Hugging Face dir bytes, CTranslate2 dir bytes); None for what is not there."""
    hf = dir_size(entry.hf_dir(models_dir)) if installed(entry, models_dir) else None
    ct2 = dir_size(entry.ct2_dir(models_dir)) if converted(entry, models_dir) else None
    return hf, ct2


def human_size(size: int | None) -> str:
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def select(manifest: Manifest, names: Iterable[str] | None) -> list[ModelEntry]:
    """The named entries in manifest order (all when `names` is empty); unknown names raise."""
    wanted = [n for n in (names or []) if n]
    unknown = [n for n in wanted if manifest.get(n) is None]
    if unknown:
        raise ManifestError(f"unknown model: {', '.join(unknown)}")
    return [e for e in manifest.entries if not wanted or e.name in wanted]
