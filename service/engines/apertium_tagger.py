"""The HMM tagger stage of a shared Apertium pipeline, giving every sentence a fresh tagger.

apertium 3.8.3's `apertium-tagger -g` keeps one piece of state across null flushes: its open
class (the tags it offers an unknown word). On a word whose ambiguity class the model lacks,
`find_similar_ambiguity_class` writes into the open class, through a reference, the smallest
class of the model that holds the word's class and is smaller than the open class; nothing ever
makes it larger again, so no input can undo it. This stage runs the tagger given on its command
line with `-d`, which names such a class on stderr while the tagger reads the word, and passes
the tagger's answers on. When a record's class would change the open class (the stage reads the
model to know: most such classes have no smaller class holding them and change nothing), the
tagger is replaced by a spare one started ahead, so the next record meets the tagger a fresh
pipeline has. Standard library only: it runs as `python -I` inside the pipeline.

Usage: python -I apertium_tagger.py apertium-tagger -z -g -d MODEL
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from collections.abc import Callable

_NEW_CLASS = re.compile(rb"New ambiguity class: \{([^}\n]*)\}")
# A tagger that has not answered in this long has lost the stream: the stage exits, and the
# pipeline fails as a whole (the service then asks again, alone).
STALL_S = 10.0
# Records that are waiting go to the tagger together, so it never waits on this stage between
# them; a group with a record that changed the tagger is asked again record by record (which
# one did is not known), so groups stay small.
GROUP = 16


class _Reader:
    """apertium's multibyte integers and strings (lttoolbox Compression), as .prob holds them."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def number(self) -> int:
        first = self.data[self.at]
        size = 1 if first < 0x40 else 2 if first < 0x80 else 3 if first < 0xC0 else 4
        value = first & (0x3F if size > 1 else 0xFF)
        for byte in self.data[self.at + 1 : self.at + size]:
            value = (value << 8) | byte
        self.at += size
        return value

    def text(self) -> str:
        return "".join(chr(self.number()) for _ in range(self.number()))


def read_model(path: str) -> tuple[frozenset[int], list[frozenset[int]], list[str]]:
    """The open class, the ambiguity classes and the tag names of an HMM .prob file, in the
    order TaggerDataHMM::read (apertium 3.8.3) reads them."""
    with open(path, "rb") as file:
        reader = _Reader(file.read())
    open_class: set[int] = set()
    value = 0
    for _ in range(reader.number()):
        value += reader.number()
        open_class.add(value)
    for _ in range(reader.number()):  # forbid rules
        reader.number(), reader.number()
    names = [reader.text() for _ in range(reader.number())]
    for _ in range(reader.number()):  # tag index
        reader.text(), reader.number()
    for _ in range(reader.number()):  # enforce rules
        reader.number()
        for _ in range(reader.number()):
            reader.number()
    for _ in range(reader.number()):  # prefer rules
        reader.text()
    for _ in range(reader.number()):  # constants
        reader.text(), reader.number()
    classes = [
        frozenset(reader.number() for _ in range(reader.number())) for _ in range(reader.number())
    ]
    return frozenset(open_class), classes, names


def change_test(model_path: str) -> Callable[[bytes], bool]:
    """Whether the tagger's diagnostics for a record tell of a class that changes the open
    class. A model this stage cannot read, or a name it does not know, counts as a change."""
    try:
        open_class, classes, names = read_model(model_path)
        if open_class not in classes:
            raise ValueError("open class not among the classes")
    except (OSError, IndexError, ValueError):
        return lambda diagnostics: b"new ambiguity class" in diagnostics
    smaller = [c for c in classes if len(c) < len(open_class)]
    ids = {name: i for i, name in enumerate(names)}

    def changes(diagnostics: bytes) -> bool:
        for match in _NEW_CLASS.finditer(diagnostics):
            tags = match.group(1).decode("utf-8", "replace").split(",")
            if any(tag not in ids for tag in tags):
                return True
            word = frozenset(ids[tag] for tag in tags)
            if any(word <= c for c in smaller):
                return True
        return False

    return changes


class Tagger:
    """One apertium-tagger process, asked a group of records at a time: this stage must know
    which answers a tagger gave after its diagnostics, so it never has more in flight."""

    def __init__(self, command: list[str]) -> None:
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr
        self.stdin = self.proc.stdin.fileno()
        self.stdout = self.proc.stdout.fileno()
        self.stderr = self.proc.stderr.fileno()
        os.set_blocking(self.stdin, False)
        os.set_blocking(self.stderr, False)

    def tag(self, records: bytes, count: int) -> tuple[list[bytes], bytes]:
        """The answers to `count` NUL-ended records, and the tagger's diagnostics for them.
        Writing, reading and draining stderr go together, so no pipe can fill and block."""
        pending = memoryview(records)
        answers = bytearray()
        diagnostics = bytearray()
        while answers.count(b"\0") < count:
            writers = [self.stdin] if pending else []
            readable, writable, _ = select.select([self.stdout, self.stderr], writers, [], STALL_S)
            if not readable and not writable:
                raise RuntimeError("tagger stalled")
            if writable:
                pending = pending[os.write(self.stdin, pending[:65536]) :]
            if self.stderr in readable:
                diagnostics.extend(_drain(self.stderr))
            if self.stdout in readable:
                data = os.read(self.stdout, 65536)
                if not data:
                    raise RuntimeError("tagger exited")
                answers.extend(data)
        # A diagnostic is written before the answer it belongs to, so it is in the pipe by now.
        diagnostics.extend(_drain(self.stderr))
        return [bytes(answer) for answer in answers.split(b"\0")[:count]], bytes(diagnostics)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def _drain(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    pending = memoryview(data)
    while pending:
        pending = pending[os.write(fd, pending) :]


def main(command: list[str]) -> int:
    changes = change_test(command[-1])
    tagger, spare = Tagger(command), Tagger(command)

    def replace() -> None:
        nonlocal tagger, spare
        tagger.stop()
        tagger, spare = spare, Tagger(command)

    buffer = bytearray()
    try:
        while data := os.read(0, 65536):
            buffer.extend(data)
            records = bytes(buffer).split(b"\0")
            del buffer[: len(buffer) - len(records[-1])]
            for at in range(0, len(records) - 1, GROUP):
                group = records[at : min(at + GROUP, len(records) - 1)]
                answers, diagnostics = tagger.tag(b"\0".join(group) + b"\0", len(group))
                if changes(diagnostics):
                    replace()
                    if len(group) > 1:
                        answers = []
                        for record in group:
                            (answer,), diagnostics = tagger.tag(record + b"\0", 1)
                            answers.append(answer)
                            if changes(diagnostics):
                                replace()
                _write_all(1, b"\0".join(answers) + b"\0")
    finally:
        tagger.stop()
        spare.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
