"""`newsdesk tm` and `newsdesk glossary`: the translation memory and the glossary in and out
as the files other newsroom tools exchange (TMX, CSV, TBX). They open the review store or the
glossary file only (no engines), so they start fast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.admin_cli import _fail, _store
from service.config import Settings

tm_app = typer.Typer(help="The translation memory in and out (TMX, CSV).", no_args_is_help=True)
glossary_app = typer.Typer(help="The glossary in and out (TBX, CSV).", no_args_is_help=True)

SourceOption = Annotated[str, typer.Option("--source", "-s", help="Source language: en or es")]
TargetOption = Annotated[str, typer.Option("--target", "-t", help="Target language: en or es")]
LANGS = ("en", "es")


def _pair(source: str, target: str) -> tuple[str, str]:
    if source not in LANGS or target not in LANGS or source == target:
        raise _fail(f"unsupported language pair: {source}→{target}")
    return source, target


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror}") from exc


@tm_app.command("import")
def tm_import(
    file: Annotated[Path, typer.Argument(help="A .tmx file, or a .csv with source,target")],
    source: SourceOption = "en",
    target: TargetOption = "es",
    both: Annotated[
        bool, typer.Option("--both", help="Also import the target→source direction")
    ] = False,
    editor: Annotated[str, typer.Option(help="Recorded as who added the entries")] = "import",
) -> None:
    """Add a file's sentence pairs to the memory (reused with provenance `tm`)."""
    from service.errors import NewsdeskError
    from service.store.tm_io import read_memory

    source, target = _pair(source, target)
    data = _read(file)
    try:
        pairs = read_memory(file.name, data, source, target)
        if both:
            pairs += read_memory(file.name, data, target, source)
    except NewsdeskError as exc:
        raise _fail(exc.message) from exc
    with _store() as store:
        counts = store.import_memory(pairs, editor)
    typer.echo(
        f"imported {len(pairs)} pairs: {counts.added} added, {counts.replaced} replaced, "
        f"{counts.unchanged} unchanged"
    )


@tm_app.command("export")
def tm_export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The .tmx file to write")],
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source")] = None,
    origin: Annotated[
        str | None, typer.Option(help="Only entries of this origin: editor, import, archive")
    ] = None,
) -> None:
    """Write every entry (or one source language's, one origin's) as TMX, with its origin."""
    from service.store.tm_io import write_tmx

    if out.suffix.lower() != ".tmx":
        raise _fail("the memory is exported as TMX: --out must end in .tmx")
    with _store() as store:
        records = store.memory_records(source=source, origin=origin)
    out.write_bytes(write_tmx(records))
    typer.echo(f"exported {len(records)} entries to {out}")


@tm_app.command("list")
def tm_list(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source")] = None,
    origin: Annotated[str | None, typer.Option(help="Only this origin")] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries")] = 100,
) -> None:
    """List entries: id, pair, origin, source and target, tab-separated."""
    with _store() as store:
        records = store.memory_records(source=source, origin=origin, limit=limit)
    for r in records:
        typer.echo(f"{r.id}\t{r.source_lang}-{r.target_lang}\t{r.origin}\t{r.source}\t{r.target}")


@tm_app.command("delete")
def tm_delete(ids: Annotated[list[int], typer.Argument(help="Entry ids (see tm list)")]) -> None:
    """Remove entries from the memory."""
    with _store() as store:
        removed = store.delete_memory(ids)
    typer.echo(f"deleted {removed} entries")


@glossary_app.command("import")
def glossary_import(
    file: Annotated[Path, typer.Argument(help="A .tbx file, or a .csv with source,target")],
    source: SourceOption = "en",
    target: TargetOption = "es",
) -> None:
    """Merge a term list into the glossary file (replaced in one rename)."""
    from service.errors import NewsdeskError
    from service.pipeline.glossary_io import merge_terms, read_terms

    source, target = _pair(source, target)
    settings = Settings()
    try:
        terms = read_terms(file.name, _read(file), source, target)
    except NewsdeskError as exc:
        raise _fail(exc.message) from exc
    changed = merge_terms(settings.glossary_file, source, target, terms)
    typer.echo(f"read {len(terms)} terms, {changed} new or changed in {settings.glossary_file}")


@glossary_app.command("export")
def glossary_export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The .tbx or .csv file to write")],
    source: SourceOption = "en",
    target: TargetOption = "es",
) -> None:
    """Write the glossary's terms of one pair as TBX or CSV."""
    from service.errors import NewsdeskError
    from service.pipeline.glossary_io import current_glossary, write_terms

    source, target = _pair(source, target)
    terms = current_glossary(Settings().glossary_file).pairs.get(f"{source}-{target}", {})
    try:
        out.write_bytes(write_terms(out.name, terms, source, target))
    except NewsdeskError as exc:
        raise _fail(exc.message) from exc
    typer.echo(f"exported {len(terms)} terms to {out}")
