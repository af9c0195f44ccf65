"""Real outages for the integration tests and bench/faults.py: a private Redis that can be
stopped and started again, a TCP proxy that cuts one client off a shared server (PostgreSQL),
a small tmpfs that can be filled or made read-only.

Each helper raises `Unavailable` where this machine cannot stage the outage (no redis-server,
not root, no mount): a test skips with that reason, the bench says so.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.server import free_port


class Unavailable(RuntimeError):
    """This machine cannot stage the outage; the message says why."""


class PrivateRedis:
    """A redis-server of this process's own on a free port, without persistence, so that
    stopping it hurts nobody else; `start` after `stop` brings it back on the same port."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise Unavailable("redis-server is not installed")
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 20.0) -> None:
        import redis

        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + timeout_s
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise Unavailable(f"redis-server did not start on {self.port}") from None
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        """Killed, as a crash would: clients see their connections reset."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class CuttableProxy:
    """Forwards a local port to `upstream`; `cut` closes the listener and every connection, as
    a server that went away would, for this proxy's clients only (the server may be shared);
    `restore` listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            doomed, self._sockets = self._sockets, set()
            listener, self._listener = self._listener, None
        for sock in [listener, *doomed]:
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Unavailable(f"`{' '.join(command)}` failed: {result.stderr.strip()}")


@contextmanager
def tmpfs(path: Path, size: str = "2m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` (created), unmounted afterwards."""
    if os.geteuid() != 0:
        raise Unavailable("mounting a tmpfs needs root")
    path.mkdir(parents=True, exist_ok=True)
    _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    try:
        yield path
    finally:
        # Lazy: a file something still holds open must not leave the mount behind.
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def remount(path: Path, read_only: bool) -> None:
    _run("mount", "-o", f"remount,{'ro' if read_only else 'rw'}", str(path))


def fill(directory: Path, name: str = "filler") -> Path:
    """Writes one file until the file system refuses (ENOSPC); delete it to end the outage."""
    target = directory / name
    chunk = b"\0" * (1 << 16)
    with target.open("wb", buffering=0) as handle:
        while True:
            try:
                handle.write(chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    # A page-sized write may still fit where 64 KiB did not.
    with target.open("ab", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 512)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    return target
