"""Apertium rule-based MT as one long-lived null-flush pipeline per direction (as apertium-apy).

Every stage of the pair's mode file runs with `-z`: a NUL byte ends one sentence, each stage
flushes on it and starts the next sentence with no state carried over. So a sentence translates
the same whatever its neighbours are (which the sentence cache relies on), and a headline with no
final full stop cannot be glued to the next line by a transfer rule.
"""

from __future__ import annotations

import logging
import os
import re
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from service.engines.base import EngineError, EngineInfo

log = logging.getLogger(__name__)

APERTIUM_CODES = {"en": "eng", "es": "spa"}
# Characters the stream format reserves; apertium-destxt escapes exactly these with a backslash.
_ESCAPED = set("[]\\^$/@<>{}")


_SPACES = re.compile(r"[ \t]{2,}")
# Apertium's analysers know the ASCII apostrophe only: "Kyiv’s" would lose its genitive.
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})


# Apertium sometimes leaves a blank before closing punctuation or after an opening mark.
_SPACE_BEFORE = re.compile(r"(?<=\w) +(?=[,.;:!?)\]”»](?:\s|$))")
_SPACE_AFTER = re.compile(r"(?<=[(\[“«¿¡]) +(?=\w)")


def _prepare(text: str) -> str:
    return text.translate(_APOSTROPHES)


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    return _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", text)).strip()


class ApertiumUnavailable(RuntimeError):
    """The apertium tools or the language pair's data are not installed."""


def escape(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in _ESCAPED:
            out.append("\\" + char)
        elif char == "~":
            # destxt wraps "~" in a superblank: it is the stream's word-joining mark.
            out.append("[~]")
        else:
            out.append(char)
    return "".join(out)


def unescape(stream: str) -> str:
    """Turns pipeline output back into text: drops escapes, unwraps superblanks."""
    out: list[str] = []
    i, n = 0, len(stream)
    while i < n:
        char = stream[i]
        if char == "\\" and i + 1 < n:
            out.append(stream[i + 1])
            i += 2
        elif char == "[":
            if stream.startswith("[[", i):
                # Word-bound blank ("[[t:...]]" / "[[/]]"): formatting metadata, not text.
                end = stream.find("]]", i + 2)
                i = n if end < 0 else end + 2
                continue
            j = i + 1
            while j < n and stream[j] != "]":
                j += 2 if stream[j] == "\\" else 1
            out.append(unescape(stream[i + 1 : j]))
            i = j + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def mode_command(data_dir: Path, pair: str) -> str:
    """The pair's pipeline with -z on every stage and unknown-word marks off (`apertium -u`)."""
    mode_file = data_dir / "modes" / f"{pair}.mode"
    if not mode_file.exists() or shutil.which("apertium-wblank-mode") is None:
        raise ApertiumUnavailable(f"apertium mode {pair} not installed")
    result = subprocess.run(
        ["apertium-wblank-mode", "-z", str(mode_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    # $1 is the generator's flag (-n: no '*' marks), $2 the tagger's extra option (none).
    return result.stdout.strip().replace("$1", "-n").replace("$2", "")


def package_version() -> str:
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "apertium-eng-spa"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return "unknown"
    return result.stdout.strip() or "unknown"


class ApertiumTranslator:
    """One apertium pipeline for one direction, shared by all callers under a lock."""

    def __init__(self, source: str, target: str, data_dir: Path, timeout_s: float = 60.0) -> None:
        if source not in APERTIUM_CODES or target not in APERTIUM_CODES:
            raise ApertiumUnavailable(f"apertium has no pair {source}-{target}")
        self.source = source
        self.target = target
        self.pair = f"{APERTIUM_CODES[source]}-{APERTIUM_CODES[target]}"
        self.command = mode_command(data_dir, self.pair)
        self.timeout_s = timeout_s
        self.info = EngineInfo("apertium", f"apertium-{self.pair}", package_version())
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        env = dict(os.environ, LC_ALL="C.UTF-8")
        self._proc = subprocess.Popen(
            ["bash", "-c", self.command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )

    def _kill(self) -> None:
        proc = self._proc
        self._proc = None
        if proc is None:
            return
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        proc.wait()

    def _ensure_alive(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            if self._proc is not None:
                log.warning("apertium %s pipeline died; restarting", self.pair)
                self.restarts += 1
            self._kill()
            self._start()
        assert self._proc is not None
        return self._proc

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        payload = b"".join(escape(_prepare(t)).encode("utf-8") + b"[][\n]\0" for t in texts)
        with self._lock:
            proc = self._ensure_alive()
            try:
                raw = self._exchange(proc, payload, len(texts))
            except EngineError:
                self._kill()
                raise
        return [_tidy(unescape(chunk.decode("utf-8", "replace"))) for chunk in raw]

    def _exchange(self, proc: subprocess.Popen[bytes], payload: bytes, count: int) -> list[bytes]:
        """Writes all sentences from a thread (pipes are finite) while reading the answers."""
        assert proc.stdin is not None and proc.stdout is not None
        stdin, stdout = proc.stdin, proc.stdout
        write_error: list[BaseException] = []

        def write() -> None:
            try:
                stdin.write(payload)
                stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                write_error.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        deadline = time.monotonic() + self.timeout_s * max(1.0, count / 50)
        fd = stdout.fileno()
        buffer = bytearray()
        chunks: list[bytes] = []
        while len(chunks) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EngineError(f"apertium {self.pair} timed out")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                raise EngineError(f"apertium {self.pair} pipeline exited")
            buffer.extend(data)
            while (cut := buffer.find(b"\0")) >= 0:
                chunks.append(bytes(buffer[:cut]))
                del buffer[: cut + 1]
        writer.join(timeout=1.0)
        if write_error:
            raise EngineError(f"apertium {self.pair} pipeline exited")
        return chunks

    def close(self) -> None:
        with self._lock:
            self._kill()
