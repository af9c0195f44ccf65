"""Work that stops when nobody waits for it any more.

A request's translation runs in a worker thread, out of reach of the event loop's task
cancellation: when its client disconnects, or the server is shutting down, the thread would
go on translating for no one and keep a core busy. The HTTP layer gives each request a
`threading.Event` (through a context variable, which anyio copies into the worker thread) and
sets it on disconnect or shutdown; the long loops below the API (the engine batches of the
caching wrapper) call `check()` between steps and stop with `Cancelled`.

Code that runs outside a request (CLI, batch) has no event, and `check()` never stops it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from service.errors import NewsdeskError

_current: ContextVar[threading.Event | None] = ContextVar("newsdesk_cancel", default=None)


class Cancelled(NewsdeskError):
    """Nobody waits for the answer: the client went away or the server is stopping."""

    # nginx's "client closed request": never seen by that client, but logged and counted.
    status_code = 499

    def __init__(self) -> None:
        super().__init__("request cancelled: the client disconnected or the server is stopping")


@contextmanager
def cancel_scope(event: threading.Event) -> Iterator[threading.Event]:
    """Work started inside (and threads started from it by anyio) stops once `event` is set."""
    token = _current.set(event)
    try:
        yield event
    finally:
        _current.reset(token)


def check() -> None:
    """Raises `Cancelled` when the current request's event is set."""
    event = _current.get()
    if event is not None and event.is_set():
        raise Cancelled()
