"""Apertium rule-based MT as one long-lived null-flush pipeline per direction (as apertium-apy).

Every stage of the pair's mode file runs with `-z`: a NUL byte ends one sentence, each stage
flushes on it and starts the next sentence, so a sentence does not depend on its neighbours in
a request, and a headline with no final full stop cannot be glued to the next line by a
transfer rule. One caveat, measured on apertium-eng-spa 0.8.1: the HMM tagger keeps some state
across flushes. After it has met certain words (e.g. "C-SPAN", whose ambiguity class it did not
know), some later sentences are tagged differently than by a fresh pipeline, for as long as the
process lives ("worried" read as a participle instead of a past tense). Raw `apertium` does the
same within one file. The sentence cache keeps the first translation it got; `newsdesk translate`
feeds a file in order, so its output is the same from run to run.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
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


# A protected name (a placeholder, an unknown word to Apertium) before an English possessive
# loses it: "ZZ0ZZ's envoy" comes out "ZZ0ZZ  el enviado". A proper noun that Apertium knows and
# leaves as it is takes the genitive rule ("el enviado de Taylor"), so such a placeholder goes
# through as one of these names (one the sentence does not contain) and is put back after.
_POSSESSED_PLACEHOLDER = re.compile(r"\b(ZZ\d{1,3}ZZ)(?='s\b)")
_PROXY_NAMES = ("Taylor", "Wilson", "Johnson", "Clark", "Walker")


def _prepare(text: str, source: str) -> tuple[str, dict[str, str]]:
    """The text as Apertium reads it best, and the proxy names to swap back afterwards."""
    text = text.translate(_APOSTROPHES)
    proxies: dict[str, str] = {}
    if source != "en" or "ZZ" not in text:
        return text, proxies
    free = iter([name for name in _PROXY_NAMES if name not in text])

    def swap(match: re.Match[str]) -> str:
        name = next(free, None)
        if name is None:
            return match.group(1)
        proxies[name] = match.group(1)
        return name

    return _POSSESSED_PLACEHOLDER.sub(swap, text), proxies


def _restore_proxies(text: str, proxies: dict[str, str]) -> str:
    for name, placeholder in proxies.items():
        text = re.sub(rf"\b{name}\b", placeholder, text)
    return text


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


# What newsdesk does around Apertium (input preparation, output tidying) changes its output as
# much as a new package can: its revision is part of the engine's revision, hence of the cache
# key, so an improvement here is not hidden behind translations cached before it. 2: possessives.
ADAPTER_REVISION = "nd2"


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


@dataclass
class _Request:
    """One caller's sentences in flight: answered in the order they were written."""

    count: int
    chunks: list[bytes] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


class _Pipeline:
    """One running Apertium process. Callers write their sentences in turn and need not wait
    for each other's answers: one reader thread hands every NUL-ended answer to the oldest
    request still missing some, so the pipeline's stages never run dry between callers."""

    def __init__(self, command: str, pair: str) -> None:
        self.pair = pair
        self.proc = subprocess.Popen(
            ["bash", "-c", command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, LC_ALL="C.UTF-8"),
            start_new_session=True,
        )
        self._write_lock = threading.Lock()  # keeps writes in the order of `pending`
        self._state_lock = threading.Lock()  # guards `pending` and `failure`
        self._pending: deque[_Request] = deque()
        self.failure: str | None = None
        self._reader = threading.Thread(target=self._read, name=f"apertium-{pair}", daemon=True)
        self._reader.start()

    def alive(self) -> bool:
        return self.failure is None and self.proc.poll() is None

    def submit(self, payload: bytes, count: int) -> _Request:
        request = _Request(count)
        assert self.proc.stdin is not None
        with self._write_lock:
            with self._state_lock:
                if self.failure is not None:
                    raise EngineError(f"apertium {self.pair} {self.failure}")
                self._pending.append(request)
            try:
                self.proc.stdin.write(payload)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                self.fail("pipeline exited")
        return request

    def _read(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        buffer = bytearray()
        while data := os.read(fd, 65536):
            buffer.extend(data)
            start = 0
            while (cut := buffer.find(b"\0", start)) >= 0:
                self._deliver(bytes(buffer[start:cut]))
                start = cut + 1
            del buffer[:start]
        self.fail("pipeline exited")

    def _deliver(self, chunk: bytes) -> None:
        with self._state_lock:
            if not self._pending:
                return  # an answer nobody waits for (its caller timed out): dropped
            request = self._pending[0]
            request.chunks.append(chunk)
            if len(request.chunks) == request.count:
                self._pending.popleft()
                request.done.set()

    def fail(self, reason: str) -> None:
        """Fails every request in flight; the process is killed."""
        with self._state_lock:
            if self.failure is None:
                self.failure = reason
            failed = list(self._pending)
            self._pending.clear()
        for request in failed:
            request.error = reason
            request.done.set()
        try:
            os.killpg(self.proc.pid, 9)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        self.fail("pipeline closed")
        self.proc.wait()
        # The reader sees the end of the stream once the stages are gone; its descriptor is
        # closed only after it stopped reading, so the number cannot be reused under it.
        self._reader.join(timeout=5.0)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


class ApertiumTranslator:
    """One apertium pipeline for one direction, shared by all callers (see `_Pipeline`)."""

    def __init__(self, source: str, target: str, data_dir: Path, timeout_s: float = 60.0) -> None:
        if source not in APERTIUM_CODES or target not in APERTIUM_CODES:
            raise ApertiumUnavailable(f"apertium has no pair {source}-{target}")
        self.source = source
        self.target = target
        self.pair = f"{APERTIUM_CODES[source]}-{APERTIUM_CODES[target]}"
        self.command = mode_command(data_dir, self.pair)
        self.timeout_s = timeout_s
        revision = f"{package_version()}+{ADAPTER_REVISION}"
        self.info = EngineInfo("apertium", f"apertium-{self.pair}", revision)
        self._lock = threading.Lock()  # guards `_pipeline` (start, restart, close)
        self._pipeline: _Pipeline | None = _Pipeline(self.command, self.pair)
        self.restarts = 0

    def _running(self) -> _Pipeline:
        with self._lock:
            pipeline = self._pipeline
            if pipeline is None or not pipeline.alive():
                if pipeline is not None:
                    log.warning("apertium %s pipeline died; restarting", self.pair)
                    self.restarts += 1
                    pipeline.close()
                pipeline = self._pipeline = _Pipeline(self.command, self.pair)
            return pipeline

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        prepared = [_prepare(text, self.source) for text in texts]
        payload = b"".join(escape(t).encode("utf-8") + b"[][\n]\0" for t, _ in prepared)
        pipeline = self._running()
        request = pipeline.submit(payload, len(texts))
        if not request.done.wait(self.timeout_s * max(1.0, len(texts) / 50)):
            # A stage that hangs holds every caller behind it: start over with a fresh pipeline.
            pipeline.fail("timed out")
        if request.error is not None:
            raise EngineError(f"apertium {self.pair} {request.error}")
        return [
            _restore_proxies(_tidy(unescape(chunk.decode("utf-8", "replace"))), proxies)
            for chunk, (_, proxies) in zip(request.chunks, prepared, strict=True)
        ]

    def close(self) -> None:
        with self._lock:
            pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.close()
