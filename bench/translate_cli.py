"""`newsdesk translate --lines` against raw `apertium -u` on NTREX: quality and speed.

Usage: python bench/translate_cli.py ../shared/eval [--repeats 3]

Prints chrF (sacrebleu defaults, single reference) of both for en→es and es→en, on the whole
set and on its two halves (even-numbered documents of ntrex/docs.tsv, which the post-editing
rules were chosen on, and the odd ones, held out: `bench/postedit.py`), then
sentences/s of each, measured in this one run with a fresh (cold) cache for every newsdesk
run, interleaved with the raw runs so machine load affects both alike, and their ratio: end to
end (process start included), and after start-up (each command's time on empty input, its
start-up, taken off: the rate at which it works through a file once running).
A third line, the ceiling, times a Python process that only imports the CLI and settings
libraries and pipes every line through newsdesk's Apertium pipeline at once: the part of the
gap to raw Apertium that no pipeline work can close (start-up of Python and its libraries).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sacrebleu
from dates_numbers import report as dates_numbers_report
from newsdesk_cli import translate_lines
from postedit import chrf, halves


def newsdesk(source: str, target: str, text: str, data_dir: str) -> tuple[str, float]:
    started = time.perf_counter()
    out = translate_lines(source, target, text, data_dir)
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


# What any Python front end pays before translating, measured on its own: the interpreter, the
# CLI and settings libraries, and newsdesk's Apertium pipeline fed every line at once (no
# splitting, protection, cache or markup). newsdesk cannot be faster than this.
FLOOR = """
import sys, typer
from service.config import Settings
from service.engines.apertium import ApertiumTranslator
settings = Settings()
engine = ApertiumTranslator("en", "es", settings.apertium_data_dir)
lines = sys.stdin.read().splitlines()
if lines:
    sys.stdout.write("\\n".join(engine.translate_batch(lines)) + "\\n")
engine.close()
"""


def floor(text: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", FLOOR], input=text, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started


ROWS = ("raw apertium -u eng-spa", "newsdesk translate --lines", "ceiling: Python + pipeline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    ntrex = args.eval_dir / "ntrex"
    english = (ntrex / "src.en").read_text(encoding="utf-8")
    spanish = (ntrex / "ref.es").read_text(encoding="utf-8")
    lines = english.count("\n")
    tune, held = halves((ntrex / "docs.tsv").read_text(encoding="utf-8").splitlines())
    print(f"NTREX dev: {lines} lines ({len(tune)} tune, {len(held)} held out)\n")
    print(
        f"{'direction':<10} {'raw apertium -u':>16} {'newsdesk':>10} {'delta':>7}"
        f"  {'tune half':>9} {'held-out half':>13}"
    )
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
        ours_lines, raw_lines, ref_lines = ours.splitlines(), theirs.splitlines(), refs[0]
        tune_delta = chrf(ours_lines, ref_lines, tune) - chrf(raw_lines, ref_lines, tune)
        held_delta = chrf(ours_lines, ref_lines, held) - chrf(raw_lines, ref_lines, held)
        print(
            f"{source}→{target:<7} {raw_chrf:>16.2f} {ours_chrf:>10.2f} {delta:>+7.2f}"
            f"  {tune_delta:>+9.2f} {held_delta:>+13.2f}"
        )
    print("\ndates, numbers and numeric compounds (tests/data/dates_numbers.jsonl), right/total:")
    dates_numbers_report("all")

    # Each command on the file and on empty input (its start-up), interleaved, best of N.
    times: dict[str, list[float]] = {name: [] for name in ROWS}
    starts: dict[str, list[float]] = {name: [] for name in ROWS}
    with tempfile.TemporaryDirectory() as tmp:
        newsdesk("en", "es", "Set-up.\n", tmp)  # creates the database once, as a first run does
        run = {
            "raw apertium -u eng-spa": lambda text: raw("eng-spa", text)[1],
            "newsdesk translate --lines": lambda text: newsdesk("en", "es", text, tmp)[1],
            "ceiling: Python + pipeline": floor,
        }
        for _ in range(args.repeats):
            for name in ROWS:
                empty_cache(Path(tmp))
                times[name].append(run[name](english))
                starts[name].append(run[name](""))
    rates = {name: lines / min(times[name]) for name in ROWS}
    start_up = {name: min(starts[name]) for name in ROWS}
    after = {name: lines / (min(times[name]) - start_up[name]) for name in ROWS}
    print(f"\nthroughput en→es, best of {args.repeats}, empty cache, sentences/s:")
    print(f"  {'':<28} {'end to end':>11} {'start-up':>9} {'after start-up':>15}")
    for name in ROWS:
        print(f"  {name:<28} {rates[name]:>11.1f} {start_up[name]:>8.2f}s {after[name]:>15.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        newsdesk("en", "es", english, tmp)
        warm = newsdesk("en", "es", english, tmp)[1]
    print(f"  {'newsdesk, warm cache':<28} {lines / warm:>11.1f}")
    ours, theirs, ceiling = ROWS[1], ROWS[0], ROWS[2]
    print(f"ceiling for any Python CLI here, end to end: {rates[ceiling] / rates[theirs]:.2f}")
    print(f"ratio newsdesk/raw after start-up {after[ours] / after[theirs]:.2f}")
    print(f"ratio newsdesk/raw {rates[ours] / rates[theirs]:.2f}")


if __name__ == "__main__":
    main()
