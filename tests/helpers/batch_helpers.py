"""Running `newsdesk` in subprocesses for the batch tests: a clean environment, line counting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NEWSDESK = [sys.executable, "-m", "service.cli"]


def cli_env(data_dir: Path, **settings: object) -> dict[str, str]:
    """os.environ without NEWSDESK_* or CI (a developer's settings must not leak in), plus the
    given settings as NEWSDESK_<NAME> variables; the embedded summarizer, no Redis by default."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_") and k != "CI"}
    env["NEWSDESK_DATA_DIR"] = str(data_dir)
    env["NEWSDESK_MODELS_DIR"] = str(data_dir / "no-models")
    env["PYTHONPATH"] = str(ROOT)
    for name, value in settings.items():
        env[f"NEWSDESK_{name.upper()}"] = str(value)
    return env


def newsdesk(
    *args: str, env: dict[str, str], timeout: float = 120, check: bool = False
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*NEWSDESK, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(f"newsdesk {' '.join(args)} -> {result.returncode}\n{result.stderr}")
    return result


def complete_lines(path: Path) -> int:
    """Lines ending in a newline (what a reader of a file being appended to can count)."""
    if not path.exists():
        return 0
    return path.read_bytes().count(b"\n")


def read_results(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def engine_calls(path: Path) -> list[dict[str, Any]]:
    """The echo engine's calls file: one object per translate_batch call."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
