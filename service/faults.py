"""How the service reports a fault it survives (a cache or store that cannot write): one short
line naming the error, logged at most once a minute per kind of fault.

A leaf, like `cleaning`: the cache, the pipeline and the readiness probes all use it."""

from __future__ import annotations

import logging
import threading
import time

from service.cleaning import clean_line

MAX_DESCRIPTION = 300


def describe(exc: BaseException) -> str:
    """`Type: first line of the message`: SQLAlchemy appends the statement and a link on later
    lines, which say nothing to an operator reading /readyz and may hold request data."""
    lines = str(exc).strip().splitlines()
    message = clean_line(lines[0]) if lines else ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


class ThrottledLog:
    """Logs each kind of fault once per `interval_s`, saying how many went unlogged since: a
    dead backend under load writes a line a minute instead of one per request."""

    def __init__(self, logger: logging.Logger, interval_s: float = 60.0) -> None:
        self._logger = logger
        self._interval_s = interval_s
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._unlogged: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args: object) -> bool:
        """Logs unless `kind` was logged less than `interval_s` ago; says whether it logged."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self._interval_s:
                self._unlogged[kind] = self._unlogged.get(kind, 0) + 1
                return False
            self._last[kind] = now
            unlogged = self._unlogged.pop(kind, 0)
        if unlogged:
            self._logger.warning(message + " (and %d more since the last report)", *args, unlogged)
        else:
            self._logger.warning(message, *args)
        return True
