"""`newsdesk translate --lines` on Apertium as the benchmarks run it: one subprocess over a data
directory of the caller's choosing (a fresh one is a cold cache; the same one, a warm cache)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def translate_lines(source: str, target: str, text: str, data_dir: str | Path) -> str:
    """What `newsdesk translate --lines` writes for `text` (one segment a line), or raises
    CalledProcessError."""
    env = dict(os.environ, NEWSDESK_DATA_DIR=str(data_dir), NEWSDESK_ENGINE_PREFERENCE="apertium")
    command = [sys.executable, "-m", "service.cli", "translate", "--source", source]
    command += ["--target", target, "--lines"]
    return subprocess.run(
        command, input=text, capture_output=True, text=True, check=True, env=env, cwd=ROOT
    ).stdout
