"""Apertium rule-based MT as one long-lived null-flush pipeline per direction (as apertium-apy).

Every stage of the pair's mode file runs with `-z`: a NUL byte ends one sentence, each stage
flushes on it and starts the next sentence, so a sentence does not depend on its neighbours in
a request, and a headline with no final full stop cannot be glued to the next line by a
transfer rule. The HMM tagger, though, keeps one piece of state across flushes (apertium
3.8.3, apertium-eng-spa 0.8.1): when it meets a word whose ambiguity class its model lacks
(e.g. "SPAN" in "C-SPAN"), `find_similar_ambiguity_class` writes a smaller class into the
tagger's open class (the tags it offers unknown words) through a reference, for the life of the
process, and nothing makes it larger again: no input can reset it. A shared pipeline then tagged
later sentences with unknown words differently than a fresh one ("Nielsen said" as a
participle): 108 of the 956 NTREX sentences, fed in order. So the tagger stage runs under
`service/engines/apertium_tagger.py`, which watches the tagger's `-d` diagnostics and replaces
it (with a spare started ahead) after any sentence whose missing class would change the open
class: 8% of NTREX English sentences hold a missing class, 1.6% one that changes it (Spanish:
0.7%, none). Every sentence meets the tagger a fresh pipeline has, so its translation is what a
fresh pipeline gives for it alone, whatever was sent before it (see
tests/integration/test_apertium_crosstalk.py).

The stream is the one thing every caller shares, so no caller's text may shape it. Text is
cleaned (`service.cleaning.clean_line`: no NUL, no controls, one line) and each character the
stream format reserves goes through as a stand-in from the private use area, which cleaning
has already taken out of the text: a backslash escape is not enough (on 0.8.1 an escaped caret
before the end of a chunk merges the next chunk into it; a trailing escaped backslash kills the
pipeline). And every chunk travels between two superblanks carrying its own number, which every
stage copies through unchanged: the reader hands on an answer only when it is exactly one
chunk's, the expected one, whole. Anything else means the stream lost its alignment: the
pipeline is killed and each request that was in flight is asked once more, alone, on a
single-use pipeline, so a text that breaks the stream every time fails by itself.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.cleaning import clean_line
from service.engines.base import EngineError, EngineInfo
from service.metrics import ENGINE_RESTARTS, ENGINE_RETRIES

log = logging.getLogger(__name__)

APERTIUM_CODES = {"en": "eng", "es": "spa"}

# The characters the stream format reserves (apertium-destxt escapes all but '*' and '#'; those
# two mark unknown words and multiword joins in the stages' output) each have a stand-in in the
# private use area, above the markup markers (U+E000-U+EBFF, service.document.markup). Every
# stage treats a stand-in like punctuation it does not know: a blank between words, kept in
# place. Measured on NTREX and hand-made news text: "$4.5 million", "24/7", "@user", "#tag",
# "and/or" come out as they did escaped; "$2 billion investment" now gets the right article
# ("una inversión": '$' as a blank, not a money word). An e-mail address is no longer one word
# to the analyser, but the pipeline protects addresses before any engine sees them.
RESERVED = "^$@*#/<>[]{}\\~"
_STAND_IN_BASE = 0xF000
_TO_STAND_INS = str.maketrans({c: chr(_STAND_IN_BASE + i) for i, c in enumerate(RESERVED)})
_FROM_STAND_INS = str.maketrans({chr(_STAND_IN_BASE + i): c for i, c in enumerate(RESERVED)})


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
    text = clean_line(text).translate(_APOSTROPHES)
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


def to_stream(text: str) -> str:
    """Clean text as stream content: no reserved character left to be read as format.

    `text` must be cleaned already (`clean_line`): a stand-in it still held would come back as
    a reserved character, and a line break or NUL would end the chunk."""
    return text.translate(_TO_STAND_INS)


def from_stream(stream: str) -> str:
    """Turns pipeline output back into text: unwraps superblanks, puts back reserved characters."""
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
            out.append(from_stream(stream[i + 1 : j]))
            i = j + 1
        else:
            out.append(char)
            i += 1
    return "".join(out).translate(_FROM_STAND_INS)


def chunk(chunk_id: int, content: str) -> bytes:
    """One sentence as the stream carries it: between its numbered superblanks, NUL-ended.
    `[][\n]` is the blank apertium-destxt ends a text with; the stages expect it."""
    return f"[<nd:{chunk_id}>]{content}[][\n][</nd:{chunk_id}>]\0".encode()


_ANY_MARK = re.compile(rb"\[</?nd:")


def answer_body(answer: bytes, chunk_id: int) -> bytes | None:
    """The translation inside `answer` if it is exactly chunk `chunk_id`'s, whole; else None
    (another chunk's, a part of one, or several run together)."""
    start = b"[<nd:%d>]" % chunk_id
    end = b"[</nd:%d>]" % chunk_id
    if len(answer) < len(start) + len(end):
        return None
    if not (answer.startswith(start) and answer.endswith(end)):
        return None
    body = answer[len(start) : len(answer) - len(end)]
    return None if _ANY_MARK.search(body) else body


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


# The HMM tagger stage runs under service/engines/apertium_tagger.py, which replaces the tagger
# after every sentence that changed it (module docstring). It imports nothing but the standard
# library, so it runs isolated (`-I`: no environment, no script folder on its path).
_TAGGER_STAGE = Path(__file__).with_name("apertium_tagger.py")


def with_fresh_tagger(command: str) -> str:
    """The pipeline with its HMM tagger stage run as a fresh tagger for every sentence."""
    stage_runner = f"{shlex.quote(sys.executable)} -I {shlex.quote(str(_TAGGER_STAGE))}"
    stages = command.split(" | ")
    for i, stage in enumerate(stages):
        if stage.startswith("apertium-tagger ") and " -g " in stage:
            stages[i] = f"{stage_runner} {stage.replace(' -g ', ' -g -d ', 1)}"
    return " | ".join(stages)


# What newsdesk does around Apertium (input preparation, output tidying) changes its output as
# much as a new package can: its revision is part of the engine's revision, hence of the cache
# key, so an improvement here is not hidden behind translations cached before it. 2: possessives.
# 3: cleaned input, reserved characters as stand-ins instead of escapes. 4: a fresh tagger for
# every sentence (translations cached before it may hold another sentence's tagger state).
ADAPTER_REVISION = "nd4"


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


# Why a pipeline failed. The first two say nothing about the requests in flight (the stream is
# broken, not the text), so those are asked again; the others are final.
LOST_SYNC = "answer did not match its request"
EXITED = "pipeline exited"
TIMED_OUT = "timed out"
CLOSED = "pipeline closed"
_RETRIED = frozenset({LOST_SYNC, EXITED})


@dataclass
class _Request:
    """One caller's sentences in flight, answered in the order they were written; sentence i
    travels as chunk number `ids[i]`."""

    ids: list[int]
    chunks: list[bytes] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


class _Pipeline:
    """One running Apertium process. Callers write their sentences in turn and need not wait
    for each other's answers: one reader thread checks every NUL-ended answer against the chunk
    the oldest unfinished request expects next, so the pipeline's stages never run dry between
    callers and no answer reaches a caller it was not written for."""

    def __init__(self, command: str, pair: str, ids: itertools.count[int]) -> None:
        self.pair = pair
        self._ids = ids
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

    def submit(self, contents: Sequence[str]) -> _Request:
        """Writes one chunk per content; a pipeline that already failed returns the request
        failed with its reason."""
        assert self.proc.stdin is not None
        with self._write_lock:
            request = _Request([next(self._ids) for _ in contents])
            with self._state_lock:
                if self.failure is not None:
                    request.error = self.failure
                    request.done.set()
                    return request
                self._pending.append(request)
            payload = b"".join(map(chunk, request.ids, contents))
            try:
                self.proc.stdin.write(payload)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                self.fail(EXITED)
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
        self.fail(EXITED)

    def _deliver(self, answer: bytes) -> None:
        with self._state_lock:
            if self.failure is not None:
                return  # the rest of a stream already given up
            body = None
            if self._pending:
                request = self._pending[0]
                body = answer_body(answer, request.ids[len(request.chunks)])
            if body is not None:
                request.chunks.append(body)
                if len(request.chunks) == len(request.ids):
                    self._pending.popleft()
                    request.done.set()
                return
        log.warning("apertium %s answer does not match its request; restarting", self.pair)
        self.fail(LOST_SYNC)

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
        self.fail(CLOSED)
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
        self.command = with_fresh_tagger(mode_command(data_dir, self.pair))
        self.timeout_s = timeout_s
        revision = f"{package_version()}+{ADAPTER_REVISION}"
        self.info = EngineInfo("apertium", f"apertium-{self.pair}", revision)
        # Chunk numbers never repeat in this process, so no stale answer can pass as a new one.
        self._ids = itertools.count()
        self._lock = threading.Lock()  # guards `_pipeline` (start, restart, close)
        self._pipeline: _Pipeline | None = _Pipeline(self.command, self.pair, self._ids)
        self.restarts = 0  # of the shared pipeline
        self.retries = 0  # requests asked again on a single-use pipeline

    def _running(self) -> _Pipeline:
        with self._lock:
            pipeline = self._pipeline
            if pipeline is None or not pipeline.alive():
                if pipeline is not None:
                    log.warning("apertium %s pipeline died; restarting", self.pair)
                    self.restarts += 1
                    ENGINE_RESTARTS.labels("apertium", self.pair).inc()
                    pipeline.close()
                pipeline = self._pipeline = _Pipeline(self.command, self.pair, self._ids)
            return pipeline

    def _ask(self, pipeline: _Pipeline, contents: Sequence[str]) -> _Request:
        request = pipeline.submit(contents)
        if not request.done.wait(self.timeout_s * max(1.0, len(contents) / 50)):
            # A stage that hangs holds every caller behind it: start over with a fresh pipeline.
            pipeline.fail(TIMED_OUT)
        return request

    def _ask_alone(self, contents: Sequence[str]) -> _Request:
        """Asks on a pipeline of its own, used once: if these very texts break the stream, they
        fail by themselves and take no other caller's request down with them."""
        with self._lock:
            self.retries += 1
        ENGINE_RETRIES.labels("apertium", self.pair).inc()
        pipeline = _Pipeline(self.command, self.pair, self._ids)
        try:
            return self._ask(pipeline, contents)
        finally:
            pipeline.close()

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        prepared = [_prepare(text, self.source) for text in texts]
        contents = [to_stream(text) for text, _ in prepared]
        request = self._ask(self._running(), contents)
        if request.error in _RETRIED:
            log.warning("apertium %s %s; asking again alone", self.pair, request.error)
            request = self._ask_alone(contents)
        if request.error is not None:
            raise EngineError(f"apertium {self.pair} {request.error}")
        return [
            _restore_proxies(_tidy(from_stream(body.decode("utf-8", "replace"))), proxies)
            for body, (_, proxies) in zip(request.chunks, prepared, strict=True)
        ]

    def close(self) -> None:
        with self._lock:
            pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.close()
