"""`newsdesk translate --lines` against raw `apertium -u` on NTREX: quality and speed.

Usage: python bench/translate_cli.py ../shared/eval [--repeats 3]

Prints chrF (sacrebleu defaults, single reference) of both for en→es and es→en, then
sentences/s of each, measured in this one run with a fresh (cold) cache for every newsdesk
run, interleaved with the raw runs so machine load affects both alike, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sacrebleu

ROOT = Path(__file__).resolve().parent.parent


def newsdesk(source: str, target: str, text: str, data_dir: str) -> tuple[str, float]:
    env = dict(os.environ, NEWSDESK_DATA_DIR=data_dir, NEWSDESK_ENGINE_PREFERENCE="apertium")
    started = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "translate",
            "--source",
            source,
            "--target",
            target,
            "--lines",
        ],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return out, time.perf_counter() - started


def empty_cache(data_dir: Path) -> None:
    """Cold cache, warm database: every sentence goes to the engine again."""
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as conn:
        conn.execute("DELETE FROM kv_cache")


def raw(pair: str, text: str) -> tuple[str, float]:
    started = time.perf_counter()
    out = subprocess.run(
        ["apertium", "-u", pair], input=text, capture_output=True, text=True, check=True
    ).stdout
    return out, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ntrex = args.eval_dir / "ntrex"
    english = (ntrex / "src.en").read_text(encoding="utf-8")
    spanish = (ntrex / "ref.es").read_text(encoding="utf-8")
    lines = english.count("\n")
    print(f"NTREX dev: {lines} lines\n")
    print(f"{'direction':<10} {'raw apertium -u':>16} {'newsdesk':>10} {'delta':>7}")
    for source, target, text, reference, pair in [
        ("en", "es", english, spanish, "eng-spa"),
        ("es", "en", spanish, english, "spa-eng"),
    ]:
        with tempfile.TemporaryDirectory() as tmp:
            ours, _ = newsdesk(source, target, text, tmp)
        theirs, _ = raw(pair, text)
        refs = [reference.splitlines()]
        assert len(ours.splitlines()) == lines, "newsdesk must give one line per input line"
        ours_chrf = sacrebleu.corpus_chrf(ours.splitlines(), refs).score
        raw_chrf = sacrebleu.corpus_chrf(theirs.splitlines(), refs).score
        delta = ours_chrf - raw_chrf
        print(f"{source}→{target:<7} {raw_chrf:>16.2f} {ours_chrf:>10.2f} {delta:>+7.2f}")

    ours_times: list[float] = []
    raw_times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        newsdesk("en", "es", "Set-up.\n", tmp)  # creates the database once, as a first run does
        for _ in range(args.repeats):
            empty_cache(Path(tmp))
            ours_times.append(newsdesk("en", "es", english, tmp)[1])
            raw_times.append(raw("eng-spa", english)[1])
    ours_rate = lines / min(ours_times)
    raw_rate = lines / min(raw_times)
    print(f"\nthroughput en→es, best of {args.repeats}, empty cache, process start included:")
    print(f"  raw apertium -u eng-spa      {raw_rate:8.1f} sentences/s")
    print(f"  newsdesk translate --lines   {ours_rate:8.1f} sentences/s")
    with tempfile.TemporaryDirectory() as tmp:
        newsdesk("en", "es", english, tmp)
        warm = newsdesk("en", "es", english, tmp)[1]
    print(f"  newsdesk, warm cache         {lines / warm:8.1f} sentences/s")
    print(f"ratio newsdesk/raw {ours_rate / raw_rate:.2f}")


if __name__ == "__main__":
    main()
