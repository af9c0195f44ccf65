"""`newsdesk tm` and `newsdesk glossary`: the translation memory and the glossary in and out
as the files other newsroom tools exchange (TMX, CSV, TBX), and the outlet's bilingual archive
aligned into memory. All but `tm align` open the review store or the glossary file only (no
engines), so they start fast; `tm align` loads the es→en engine to score its alignments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.cli_common import ProgressOption, fail, review_store, show_progress
from service.config import Settings

tm_app = typer.Typer(
    help="The translation memory in and out (TMX, CSV), and the bilingual archive as memory.",
    no_args_is_help=True,
)
glossary_app = typer.Typer(help="The glossary in and out (TBX, CSV).", no_args_is_help=True)

SourceOption = Annotated[str, typer.Option("--source", "-s", help="Source language: en or es")]
TargetOption = Annotated[str, typer.Option("--target", "-t", help="Target language: en or es")]
LANGS = ("en", "es")


def _pair(source: str, target: str) -> tuple[str, str]:
    if source not in LANGS or target not in LANGS or source == target:
        raise fail(f"unsupported language pair: {source}→{target}")
    return source, target


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from exc


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
        raise fail(exc.message) from exc
    with review_store() as store:
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
        raise fail("the memory is exported as TMX: --out must end in .tmx")
    with review_store() as store:
        records = store.memory_records(source=source, origin=origin)
    out.write_bytes(write_tmx(records))
    typer.echo(f"exported {len(records)} entries to {out}")


@tm_app.command("list")
def tm_list(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source")] = None,
    origin: Annotated[str | None, typer.Option(help="Only this origin")] = None,
    unconfirmed: Annotated[
        bool, typer.Option("--unconfirmed", help="Only archive entries no editor confirmed")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many entries")] = 100,
) -> None:
    """List entries: id, pair, origin, source and target, tab-separated."""
    with review_store() as store:
        records = store.memory_records(
            source=source, origin=origin, unconfirmed=unconfirmed, limit=limit
        )
    for r in records:
        typer.echo(f"{r.id}\t{r.source_lang}-{r.target_lang}\t{r.origin}\t{r.source}\t{r.target}")


@tm_app.command("delete")
def tm_delete(ids: Annotated[list[int], typer.Argument(help="Entry ids (see tm list)")]) -> None:
    """Remove entries from the memory."""
    with review_store() as store:
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
        raise fail(exc.message) from exc
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
        raise fail(exc.message) from exc
    typer.echo(f"exported {len(terms)} terms to {out}")


@tm_app.command("align")
def tm_align(
    pairs_file: Annotated[
        Path,
        typer.Argument(
            help="Article pairs: .jsonl ({id, en: {title, lede, body}, es: {...}}) or a "
            "WordPress WXR export (.xml) linked by WPML or Polylang"
        ),
    ],
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write one JSON line per pair: sentences, kept, skipped"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Align and report, store nothing")
    ] = False,
    progress: ProgressOption = None,
) -> None:
    """Align the sentences of the outlet's published article pairs and add the confident 1:1
    pairs to the memory as `archive` entries, in both directions.

    Archive entries are offered to editors as suggestions and reused exactly only once an
    editor confirms them (`newsdesk tm confirm`, or approving a draft that uses them), or for
    every entry when the outlet sets NEWSDESK_ARCHIVE_MEMORY=true.
    """
    import json

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from service.batch.pairs import ArticlePair, SkippedPair, count_pairs, read_pairs
    from service.errors import NewsdeskError
    from service.pipeline.align import align_article
    from service.pipeline.text import translate_lines
    from service.runtime import Runtime
    from service.store.memory_records import ImportCounts, MemoryPair

    try:
        items = read_pairs(pairs_file)
        total = count_pairs(pairs_file)
    except ValueError as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"cannot read {pairs_file}: {exc.strerror}") from exc
    settings = Settings(pairs="es-en")
    console = Console(stderr=True)
    try:
        runtime = Runtime.open(settings, summaries=False)
    except NewsdeskError as exc:
        raise fail(exc.message) from exc

    def translate(sentences: list[str]) -> list[str]:
        return list(translate_lines(runtime.pipeline, sentences, "es", "en", "text"))

    show = show_progress(progress, console, settings)
    bar = Progress(
        TextColumn("[bold]align[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[kept]} pairs kept"),
        console=console,
        disable=not show,
    )
    task = bar.add_task("align", total=total, kept=0)
    aligned = skipped = en_count = es_count = kept = 0
    counts = ImportCounts()
    waiting: list[MemoryPair] = []
    lines = report.open("w", encoding="utf-8") if report else None
    record: dict[str, object]

    def store_waiting() -> None:
        nonlocal counts
        if waiting and not dry_run:
            counts += runtime.review.import_memory(waiting, "archive")
        waiting.clear()

    try:
        with bar:
            for item in items:
                if isinstance(item, ArticlePair):
                    try:
                        found, n_en, n_es = align_article(item.english, item.spanish, translate)
                    except NewsdeskError as exc:
                        if exc.status_code >= 500:
                            raise  # the engine or the store: every later pair would fail too
                        # This pair's own text (markup too deep, too many elements): skipped.
                        item = SkippedPair(f"id {item.id}", exc.message)
                if isinstance(item, SkippedPair):
                    skipped += 1
                    record = {"where": item.where, "skipped": item.reason}
                else:
                    aligned += 1
                    en_count, es_count, kept = en_count + n_en, es_count + n_es, kept + len(found)
                    for pair in found:
                        waiting.append(
                            MemoryPair("en", "es", pair.english, pair.spanish, "archive")
                        )
                        waiting.append(
                            MemoryPair("es", "en", pair.spanish, pair.english, "archive")
                        )
                    record = {
                        "id": item.id,
                        "en_sentences": n_en,
                        "es_sentences": n_es,
                        "kept": len(found),
                    }
                    if len(waiting) >= 1000:
                        store_waiting()
                if lines is not None:
                    lines.write(json.dumps(record, ensure_ascii=False) + "\n")
                bar.update(task, advance=1, kept=kept)
            store_waiting()
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    finally:
        if lines is not None:
            lines.close()
        runtime.close()
    shorter = min(en_count, es_count)
    share = f" ({kept / shorter:.0%} of the shorter side)" if shorter else ""
    typer.echo(
        f"aligned {aligned} article pairs, skipped {skipped}: {en_count} English and "
        f"{es_count} Spanish sentences, {kept} confident 1:1 pairs kept{share}"
    )
    if dry_run:
        typer.echo("dry run: nothing stored")
    else:
        typer.echo(
            f"memory (both directions): {counts.added} added, {counts.replaced} replaced, "
            f"{counts.unchanged} unchanged, {counts.kept} left as an editor or a file had them"
        )
        typer.echo(
            "archive entries are suggestions until confirmed: newsdesk tm confirm ID..., "
            "or NEWSDESK_ARCHIVE_MEMORY=true to reuse them all"
        )


@tm_app.command("confirm")
def tm_confirm(
    ids: Annotated[list[int], typer.Argument(help="Archive entry ids (see tm list)")],
    editor: Annotated[str, typer.Option(help="Recorded as who confirmed the entries")] = "cli",
) -> None:
    """Confirm archive entries, so that they are reused exactly like approved ones."""
    with review_store() as store:
        confirmed = store.confirm_memory(ids, editor)
    typer.echo(f"confirmed {confirmed} archive entries")
