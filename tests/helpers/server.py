"""A real `newsdesk serve` in a subprocess, for the tests and bench scripts that talk to it over
HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def newsdesk(env: dict[str, str], *args: str) -> str:
    """Runs a `newsdesk` command to completion; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_serve(
    env: dict[str, str], *args: str, limit_s: float = 60, port: int = 0
) -> tuple[subprocess.Popen[str], str]:
    """`newsdesk serve` on `port` (0: a free one), once its /healthz answers: the process and its URL.
    RuntimeError with the server's error output when it does not come up. Its log goes to a
    temporary file, not a pipe: a pipe nobody reads would stall a server that logs a lot."""
    port = port or free_port()
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    log.seek(0)
    raise RuntimeError(f"newsdesk serve did not start: {log.read()}")


def stop(process: subprocess.Popen[str], limit_s: float = 30) -> None:
    """SIGTERM, then SIGKILL if it is still there after `limit_s`."""
    process.terminate()
    try:
        process.wait(timeout=limit_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
