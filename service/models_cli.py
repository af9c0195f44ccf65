"""`newsdesk models list | check | pull | convert`: the manifest's models on this machine.

`pull` is the only command that reaches the network (the Hugging Face Hub); it checks that the hub
answers before downloading anything and fails at once, with one line, where it does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from service.cli_common import fail
from service.config import Settings
from service.engines.manifest import (
    Manifest,
    ManifestError,
    ModelEntry,
    converted,
    dir_size,
    human_size,
    installed,
    load_manifest,
    manifest_path,
    select,
)

models_app = typer.Typer(
    help="List, check, download and convert the seq2seq models of models/manifest.toml.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

EXIT_FAILED = 1
EXIT_UNAVAILABLE = 2
HUB_TIMEOUT_S = 10.0
SOURCE_FILE = "newsdesk-source.json"
# Weights in one format only; the rest of a hub repo (TF, Flax, Rust weights) is not needed.
_ALWAYS = ["*.json", "*.spm", "*.model", "*.txt"]
_SAFETENSORS = ["*.safetensors"]
_PYTORCH = ["pytorch_model*.bin"]

ModelsDirOption = Annotated[
    Path | None,
    typer.Option("--models-dir", help="Models directory (default: NEWSDESK_MODELS_DIR)"),
]
NameArgument = Annotated[str | None, typer.Argument(help="A model name from the manifest")]


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 200  # piped or captured: keep table rows whole for grep and logs
    return console


def _context(models_dir: Path | None) -> tuple[Path, Manifest]:
    directory = models_dir or Settings().models_dir
    try:
        manifest = load_manifest(manifest_path(directory))
    except ManifestError as exc:
        raise fail(str(exc), EXIT_UNAVAILABLE) from exc
    if manifest.path is None:
        raise fail(f"no manifest: {manifest_path(directory)} does not exist", EXIT_UNAVAILABLE)
    return directory, manifest


def _entries(manifest: Manifest, name: str | None) -> list[ModelEntry]:
    try:
        return select(manifest, [name] if name else None)
    except ManifestError as exc:
        raise fail(str(exc), EXIT_UNAVAILABLE) from exc


def serving_engine(entry: ModelEntry, models_dir: Path) -> str:
    """What the loader would pick from the files alone (it also checks the libraries)."""
    from service.engines.ct2 import has_tokenizer

    if converted(entry, models_dir) and has_tokenizer(
        entry.ct2_dir(models_dir), entry.hf_dir(models_dir)
    ):
        return "ct2"
    return "hf" if installed(entry, models_dir) else "-"


@models_app.command("list")
def list_models(models_dir: ModelsDirOption = None) -> None:
    """The models the manifest names."""
    from rich.table import Table

    directory, manifest = _context(models_dir)
    table = Table(title=f"{manifest.path}")
    for column in ("name", "task", "languages", "hugging face id", "revision", "engine", "license"):
        table.add_column(column)
    for e in manifest.entries:
        table.add_row(e.name, e.task, e.languages, e.hf_id, e.revision, e.engine, e.license)
    _console().print(table)


@models_app.command()
def check(
    models_dir: ModelsDirOption = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when a model is missing")] = False,
) -> None:
    """Which models are installed, missing or converted, with their sizes."""
    from rich.table import Table

    directory, manifest = _context(models_dir)
    table = Table(title=f"models in {directory}")
    for column in ("name", "task", "languages", "hugging face", "ctranslate2", "serves"):
        table.add_column(column)
    missing = 0
    for e in manifest.entries:
        hf = installed(e, directory)
        ct2 = converted(e, directory)
        missing += not (hf or ct2)
        table.add_row(
            e.name,
            e.task,
            e.languages,
            f"installed {human_size(dir_size(e.hf_dir(directory)))}" if hf else "missing",
            f"converted {human_size(dir_size(e.ct2_dir(directory)))}" if ct2 else "not converted",
            serving_engine(e, directory),
        )
    _console().print(table)
    if strict and missing:
        raise typer.Exit(EXIT_FAILED)


def _hub_error(exc: Exception, entry: ModelEntry) -> str:
    from huggingface_hub import constants

    kind = type(exc).__name__
    if kind in ("RepositoryNotFoundError", "RevisionNotFoundError", "GatedRepoError"):
        return f"{entry.hf_id}@{entry.revision} is not available on the hub ({kind})"
    return (
        f"cannot reach the Hugging Face Hub at {constants.ENDPOINT} ({kind}); "
        f"`models pull` needs network access: on an offline machine copy "
        f"{entry.name}/ into the models directory instead"
    )


def _pull_one(entry: ModelEntry, directory: Path) -> Path:
    from huggingface_hub import HfApi, snapshot_download

    try:
        # One quick request first, so that an offline machine fails at once, before any
        # download machinery (and its retries) starts.
        info = HfApi().model_info(entry.hf_id, revision=entry.revision, timeout=HUB_TIMEOUT_S)
        files = [s.rfilename for s in info.siblings or []]
        weights = _SAFETENSORS if any(f.endswith(".safetensors") for f in files) else _PYTORCH
        target = entry.hf_dir(directory)
        snapshot_download(
            entry.hf_id,
            revision=entry.revision,
            local_dir=target,
            allow_patterns=_ALWAYS + weights,
            etag_timeout=HUB_TIMEOUT_S,
        )
    except Exception as exc:
        raise fail(_hub_error(exc, entry), EXIT_UNAVAILABLE) from exc
    source = {"hf_id": entry.hf_id, "revision": entry.revision, "commit": info.sha}
    (target / SOURCE_FILE).write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    return target


@models_app.command()
def pull(name: NameArgument = None, models_dir: ModelsDirOption = None) -> None:
    """Download models from the Hugging Face Hub at the manifest's revision (all by default)."""
    from huggingface_hub import constants

    directory, manifest = _context(models_dir)
    entries = _entries(manifest, name)
    if constants.HF_HUB_OFFLINE:
        raise fail("HF_HUB_OFFLINE is set: `models pull` needs network access", EXIT_UNAVAILABLE)
    console = _console()
    for entry in entries:
        if installed(entry, directory):
            console.print(f"{entry.name}: already installed in {entry.hf_dir(directory)}")
            continue
        target = _pull_one(entry, directory)
        console.print(
            f"{entry.name}: {entry.hf_id}@{entry.revision} -> {target} "
            f"({human_size(dir_size(target))})"
        )


@models_app.command()
def convert(
    name: NameArgument = None,
    models_dir: ModelsDirOption = None,
    quantization: Annotated[str, typer.Option(help="CTranslate2 quantization")] = "int8",
    force: Annotated[bool, typer.Option(help="Convert again when converted already")] = False,
) -> None:
    """Make the CTranslate2 copy `<name>-ct2/` of installed models (all installed by default)."""
    directory, manifest = _context(models_dir)
    entries = _entries(manifest, name)
    if name and not installed(entries[0], directory):
        raise fail(
            f"{name} is not installed in {directory}: run `newsdesk models pull {name}`",
            EXIT_FAILED,
        )
    try:
        from service.engines.ct2 import convert as convert_model
    except ImportError as exc:  # pragma: no cover - the seq2seq extra is not installed
        raise fail(f"conversion needs the seq2seq extra ({exc.name})", EXIT_UNAVAILABLE) from exc
    console = _console()
    todo = [e for e in entries if installed(e, directory)]
    if not todo:
        console.print(f"nothing to convert: no model is installed in {directory}")
    for entry in todo:
        if converted(entry, directory) and not force:
            console.print(f"{entry.name}: already converted in {entry.ct2_dir(directory)}")
            continue
        try:
            out = convert_model(
                entry.hf_dir(directory), entry.ct2_dir(directory), quantization, force=True
            )
        except Exception as exc:
            raise fail(
                f"{entry.name}: conversion failed ({type(exc).__name__}: {exc})", EXIT_FAILED
            ) from exc
        console.print(f"{entry.name}: {quantization} -> {out} ({human_size(dir_size(out))})")


if __name__ == "__main__":
    models_app()
