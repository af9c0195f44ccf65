"""Translated files waiting to be downloaded (LibreTranslate's /download_file): kept in the data
dir under an unguessable name for a limited time, then removed. The name is the only thing a
download needs, as in LibreTranslate, so it is 128 random bits."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NAME = re.compile(r"^[0-9a-f]{32}\.[A-Za-z0-9._-]{1,200}$")


class Downloads:
    def __init__(self, directory: Path, ttl_s: float) -> None:
        self.directory = directory
        self.ttl_s = ttl_s

    def put(self, filename: str, data: bytes) -> str:
        """Stores `data`; the name to download it by (random prefix, then the file's name made
        safe for a path). Expired files are removed first, so the folder does not grow."""
        self.purge()
        self.directory.mkdir(parents=True, exist_ok=True)
        safe = _UNSAFE.sub("_", Path(filename).name).strip("._")[-200:] or "file"
        name = f"{secrets.token_hex(16)}.{safe}"
        path = self.directory / name
        path.touch(mode=0o600)
        path.write_bytes(data)
        return name

    def path(self, name: str, now: float | None = None) -> Path | None:
        """The stored file by that name, None when there is none or it has expired."""
        if not _NAME.match(name):
            return None
        path = self.directory / name
        try:
            written = path.stat().st_mtime
        except FileNotFoundError:
            return None
        if (time.time() if now is None else now) - written > self.ttl_s:
            path.unlink(missing_ok=True)
            return None
        return path

    def purge(self, now: float | None = None) -> int:
        """Removes the expired files; how many."""
        now = time.time() if now is None else now
        removed = 0
        if not self.directory.is_dir():
            return 0
        for path in self.directory.iterdir():
            try:
                if now - path.stat().st_mtime > self.ttl_s:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
