"""The key-value interface every cache backend implements (SQLite, Redis, none), and what the
backends share. A leaf: the backends and the best-effort wrapper (`cache`) import it, so no
backend imports the module that chooses among them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol


class KeyValueCache(Protocol):
    def get_many(self, keys: Sequence[str]) -> dict[str, str]: ...

    def put_many(self, items: Mapping[str, str]) -> None: ...

    def close(self) -> None: ...


class NullCache:
    """Remembers nothing (NEWSDESK_CACHE_BACKEND=none)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        return {}

    def put_many(self, items: Mapping[str, str]) -> None:
        return None

    def close(self) -> None:
        return None


def chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    """Keys in slices a backend takes in one statement or round trip (SQLite's variable limit,
    one Redis MGET)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
