"""What every `newsdesk` command module shares: how a command fails (one `error:` line on
stderr and an exit status), the review store opened for one command, and the progress option
of long commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from service.config import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from service.store.review import ReviewStore

# Commands that run long (`batch run`, `tm align`) show a bar on a terminal, never in CI.
ProgressOption = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress", help="Progress bar (default: on a terminal, not in CI)"
    ),
]


def show_progress(progress: bool | None, console: Console, settings: Settings) -> bool:
    """Whether a long command shows its bar: as --progress/--no-progress says, else on a
    terminal and never in CI."""
    return progress if progress is not None else console.is_terminal and not settings.ci


def fail(message: str, code: int = 2) -> typer.Exit:
    """The exit to raise: the message goes out as is (no markup, no wrapping)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def review_store() -> Iterator[ReviewStore]:
    """The review store for one command, migrated; its errors become a failed command."""
    from service.errors import NewsdeskError
    from service.store.review import ReviewStore

    try:
        store = ReviewStore.open(Settings())
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    try:
        yield store
    except NewsdeskError as exc:
        raise fail(exc.message) from exc
    finally:
        store.close()
