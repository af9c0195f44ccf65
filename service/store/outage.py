"""Which errors say that the store (the database of drafts, review and translation memory) is
unavailable now, as opposed to a bug: the pipeline survives the first kind only.

Unavailable: the driver's operational errors (disk full, read-only, locked, connection lost or
refused, server shutting down), its internal errors (a read-only transaction on PostgreSQL) and
a pool with no connection to give. A bug: bad SQL, a broken constraint, a bad value.
"""

from __future__ import annotations

import sqlite3
import sys

_SQLITE_BUGS = (
    sqlite3.ProgrammingError,
    sqlite3.IntegrityError,
    sqlite3.DataError,
    sqlite3.NotSupportedError,
)


def is_store_outage(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return not isinstance(exc, _SQLITE_BUGS)
    if "sqlalchemy" not in sys.modules:
        # Not loaded, so nothing raised it; importing it here would cost `newsdesk translate`,
        # which runs without the store, 150 ms on its first failure of any kind.
        return False
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.TimeoutError):
        return True
    if isinstance(exc, sa.DBAPIError):
        return not isinstance(
            exc, (sa.ProgrammingError, sa.IntegrityError, sa.DataError, sa.NotSupportedError)
        )
    return False
