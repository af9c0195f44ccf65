"""`echo`: a test-only translator that returns every sentence unchanged.

Not a translation engine: tests and benchmarks select it (NEWSDESK_ENGINE_PREFERENCE=echo) to
run the real pipeline, CLI and workers in subprocesses with a deterministic, instant engine,
an optional delay per call (so that a run lasts long enough to be killed midway), and a
calls file that counts what the engine was asked across processes. Never a fallback: the
registry uses it only when it is named.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from service.engines.base import EngineInfo


class EchoTranslator:
    def __init__(
        self, source: str, target: str, delay_ms: float = 0.0, calls_file: Path | None = None
    ) -> None:
        self.source = source
        self.target = target
        self.info = EngineInfo("echo", "echo-test-engine", "1")
        self.delay_s = delay_ms / 1000
        self.calls_file = calls_file
        self.calls = 0

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        self.calls += 1
        if self.calls_file is not None:
            # One O_APPEND write per call: lines from several processes never interleave.
            line = (
                json.dumps(
                    {
                        "pid": os.getpid(),
                        "pair": f"{self.source}-{self.target}",
                        "sentences": list(texts),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            fd = os.open(self.calls_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        # After the record: a test that sees the line knows this process is inside a call.
        if self.delay_s:
            time.sleep(self.delay_s)
        return list(texts)

    def close(self) -> None:
        return None
