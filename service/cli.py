"""The `newsdesk` command: serve, translate, summarize, and the sub-commands of the batch,
models, users and bench tools. Logging is set up first; the service's registry is reused."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from service.admin_cli import cache_app, db_app, keys_app, users_app
from service.cli_common import fail
from service.config import Settings

if TYPE_CHECKING:
    from service.engines.registry import EngineRegistry

app = typer.Typer(
    help="newsdesk: English/Spanish machine drafts and summaries for a bilingual newsroom.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(cache_app, name="cache")


def setup_logging(level: str) -> None:
    from rich.logging import RichHandler

    logging.basicConfig(
        level=level.upper(),
        format="%(message)s",
        handlers=[RichHandler(console=_stderr(), show_path=False, rich_tracebacks=False)],
    )


def _stderr():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)


@app.callback()
def main(
    log_level: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING, ERROR")] = "WARNING",
) -> None:
    setup_logging(log_level)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind")] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Proxies whose X-Forwarded-For/-Proto are believed (comma-separated, or '*'); "
            "default NEWSDESK_FORWARDED_ALLOW_IPS (127.0.0.1)"
        ),
    ] = None,
) -> None:
    """Run the HTTP service (engines load once, at start)."""
    from service.server import run_server

    settings = Settings()
    if forwarded_allow_ips is not None:
        settings = settings.model_copy(update={"forwarded_allow_ips": forwarded_allow_ips})
    logging.getLogger().setLevel(settings.log_level.upper())
    run_server(settings, host or settings.host, port or settings.port)


@app.command()
def translate(
    source: Annotated[str, typer.Option("--source", "-s", help="en, es or auto")] = "auto",
    target: Annotated[str, typer.Option("--target", "-t", help="en or es")] = ...,  # type: ignore[assignment]
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or html")] = "text",
    lines: Annotated[
        bool, typer.Option("--lines", help="One segment per input line, one output line each")
    ] = False,
) -> None:
    """Translate standard input to standard output (UTF-8)."""
    from service.engines.registry import EngineRegistry
    from service.errors import NewsdeskError

    if fmt not in ("text", "html"):
        raise fail(f"unknown format: {fmt}")
    pairs = f"{source}-{target}" if source != "auto" else f"en-{target},es-{target}"
    settings = Settings(pairs=",".join(p for p in pairs.split(",") if p[:2] != p[-2:]))
    try:
        # First the engines: Apertium loads its data while the rest is imported.
        registry = EngineRegistry.load(settings, summaries=False)
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    from service.pipeline.text import translate_document, translate_lines

    pipeline, close = _translation_pipeline(settings, registry)
    try:
        if lines:
            # A chunk at a time (see translate_lines): each chunk's lines are out before the
            # next chunk is read.
            inputs = (
                raw.decode("utf-8", errors="replace").rstrip("\n") for raw in sys.stdin.buffer
            )
            for text in translate_lines(pipeline, inputs, source, target, fmt):
                sys.stdout.write(" ".join(text.split()) + "\n")
        else:
            data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
            sys.stdout.write(translate_document(pipeline, [data], source, target, fmt).texts[0])
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    finally:
        close()
    sys.stdout.flush()


def _has_translation_memory(settings: Settings) -> bool:
    """Whether approved translations may exist; the default SQLite store is asked directly."""
    if settings.database_url:
        return True
    import sqlite3

    if not settings.sqlite_path.exists():
        return False
    try:
        with sqlite3.connect(settings.sqlite_path) as conn:
            return conn.execute("SELECT 1 FROM tm_entries LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False


def _translation_pipeline(settings: Settings, registry: EngineRegistry) -> tuple[Any, Any]:
    """The pipeline for `translate`: the review store (SQLAlchemy) is opened only when it holds
    approved translations to reuse, which keeps the command's start short."""
    if _has_translation_memory(settings):
        from service.runtime import Runtime

        runtime = Runtime.open(settings, registry, summaries=False)
        return runtime.pipeline, runtime.close
    from service.pipeline.article import ArticlePipeline
    from service.pipeline.protect import GlossaryFile
    from service.store.articles import TransientArticles
    from service.store.cache import open_cache

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    cache = open_cache(settings)
    glossary = GlossaryFile(settings.glossary_file)
    pipeline = ArticlePipeline(settings, registry, cache, TransientArticles(), glossary)

    def close() -> None:
        registry.close()
        cache.close()

    return pipeline, close


@app.command()
def summarize(
    lang: Annotated[str, typer.Option("--lang", "-l", help="en or es")] = ...,  # type: ignore[assignment]
    max_words: Annotated[int | None, typer.Option(help="Word budget")] = None,
) -> None:
    """Summarize standard input (plain text) to standard output."""
    from service.engines.registry import EngineRegistry
    from service.errors import NewsdeskError

    settings = Settings(pairs=f"{lang}-{'es' if lang == 'en' else 'en'}")
    if lang not in ("en", "es"):
        raise fail(f"unsupported language: {lang}")
    other = "es" if lang == "en" else "en"
    # English is summarized directly; Spanish may go through English and back, which needs
    # both translators (without them the extractive summarizer would serve, silently).
    pairs = [] if lang == "en" else [(lang, other), (other, lang)]
    try:
        registry = EngineRegistry.for_summaries(settings, lang, pairs)
        registry.summarizer(lang)  # none loaded: fails here, before stdin is read
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    choice = registry.summary_choice(lang)
    if choice is not None:
        # The provenance of what is printed, on stderr so that stdout stays the summary alone.
        sys.stderr.write(f"summary by {choice.engine}: {choice.model}\n")
    from service.pipeline.text import summarize_text

    # The pipeline's translators, so that a summary through English reuses approved
    # translations and the cache, and leaves its translations there for the next run.
    pipeline, close = _translation_pipeline(settings, registry)
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        summary = summarize_text(pipeline, text, lang, max_words, capped=False).summary
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    finally:
        close()
    sys.stdout.write(summary + "\n")


def _mount_batch() -> None:
    # The sub-app module imports only typer at load time (Celery and engines load per command).
    from service.batch.cli import batch_app, worker

    app.add_typer(batch_app, name="batch")
    app.command("worker")(worker)


_mount_batch()


def _mount_models() -> None:
    from service.models_cli import models_app

    app.add_typer(models_app, name="models")


_mount_models()


def _mount_memory() -> None:
    from service.tm_cli import glossary_app, tm_app

    app.add_typer(tm_app, name="tm")
    app.add_typer(glossary_app, name="glossary")


_mount_memory()

bench_app = typer.Typer(
    help="Benchmarks of a source checkout (bench/); each prints ratios measured in one run.",
    no_args_is_help=True,
)
app.add_typer(bench_app, name="bench")
BENCHES = {
    "throughput": "throughput.py",
    "translate": "translate_cli.py",
    "summaries": "summaries.py",
    "batch": "batch.py",
}


def _bench(name: str, args: list[str]) -> None:
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    script = root / "bench" / BENCHES[name]
    if not script.exists():
        raise fail(f"benchmarks run from a source checkout: {script} not found")
    raise typer.Exit(subprocess.call([sys.executable, str(script), *args], cwd=root))


_BENCH_ARGS = Annotated[
    list[str] | None, typer.Argument(help="Arguments for the script (see its --help)")
]


@bench_app.command(
    "throughput", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def bench_throughput(args: _BENCH_ARGS = None) -> None:
    """Seq2seq tokens/s: transformers vs CTranslate2 vs the service (opus-mt architecture)."""
    _bench("throughput", args or [])


@bench_app.command(
    "translate", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def bench_translate(args: _BENCH_ARGS = None) -> None:
    """chrF and sentences/s of `newsdesk translate --lines` against raw Apertium (NTREX)."""
    _bench("translate", args or [])


@bench_app.command(
    "summaries", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def bench_summaries(args: _BENCH_ARGS = None) -> None:
    """ROUGE of the summarizer against lead-3."""
    _bench("summaries", args or [])


@bench_app.command(
    "batch", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def bench_batch(args: _BENCH_ARGS = None) -> None:
    """Archive batch: articles/min and CPU per article with 1 and 2 workers, queue overhead, RSS."""
    _bench("batch", args or [])


if __name__ == "__main__":
    app()
