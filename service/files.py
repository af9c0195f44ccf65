"""Files that hold secrets or newsroom data (the SQLite database and its WAL, the session
secret) are readable by their owner only: a leaf module, so the cache and the CLI's fast path
can use it without importing the database or password machinery."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE = 0o600


def private_file(path: Path, create: bool = False) -> None:
    """Creates `path` mode 0600 when `create` and it is missing; takes group and world access
    away from an existing file that has them (one made before this rule, or copied in)."""
    if create:
        path.touch(mode=PRIVATE, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        try:
            path.chmod(mode & 0o700)
        except PermissionError:
            # Owned by another account: the service still works, the operator should know.
            log.warning("%s is mode %o and not ours to change: make it 0600", path, mode)


def private_sqlite(path: Path) -> None:
    """A SQLite database and the -wal and -shm files beside it. Only the database needs making:
    SQLite creates the other two with the database file's mode."""
    private_file(path, create=True)
    for suffix in ("-wal", "-shm"):
        private_file(path.with_name(path.name + suffix))
