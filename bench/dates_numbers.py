"""Dates, numbers and numeric compounds in both directions: right/total for `newsdesk
translate --lines` (the real CachedTranslator path on Apertium, cold cache) and for raw
`apertium -u`, per direction and split, on tests/data/dates_numbers.jsonl (news-like sentences
written for this test; the first 30 of each direction are the development split, the other
30 were kept unseen until the rules were done).

Usage: .venv/bin/python bench/dates_numbers.py [--split dev|unseen|all] [--show]
    [--ntrex ../shared/eval]
(--show prints every wrong translation; --ntrex also counts the "N-word" compounds, "22-plan",
left in the en→es output of NTREX by each). NEWSDESK_HOUSE_STYLE applies as in the service; the
test set is written for the default, es-ES.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.newsdesk_cli import translate_lines  # noqa: E402
from tests.helpers.dates_numbers import Case, load_cases  # noqa: E402

APERTIUM_PAIRS = {("en", "es"): "eng-spa", ("es", "en"): "spa-eng"}
# A number glued to a word by a hyphen in Spanish output: an English compound left untranslated.
N_WORD = re.compile(r"\d+-[a-záéíóúñ]")


def newsdesk(source: str, target: str, lines: list[str], data_dir: str) -> list[str]:
    return translate_lines(source, target, "\n".join(lines) + "\n", data_dir).splitlines()


def raw(source: str, target: str, lines: list[str]) -> list[str]:
    """One `apertium -u` process per line: fed together, lines without a final stop merge."""
    outputs = []
    for line in lines:
        out = subprocess.run(
            ["apertium", "-u", APERTIUM_PAIRS[(source, target)]],
            input=line + "\n",
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        outputs.append(" ".join(out.split()))
    return outputs


def ntrex_compounds(eval_dir: Path) -> None:
    lines = (eval_dir / "ntrex" / "src.en").read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as data_dir:
        ours = newsdesk("en", "es", lines, data_dir)
    # As bench/translate_cli.py runs it: the whole file, one line a sentence.
    out = subprocess.run(
        ["apertium", "-u", "eng-spa"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    theirs = out.splitlines()
    counts = [sum(len(N_WORD.findall(t)) for t in texts) for texts in (ours, theirs)]
    print(f'\nNTREX en→es, "N-word" compounds left: newsdesk {counts[0]}, raw {counts[1]}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "unseen", "all"], default="dev")
    parser.add_argument("--show", action="store_true", help="print each wrong translation")
    parser.add_argument("--ntrex", type=Path, help="eval dir: count N-word compounds on NTREX")
    args = parser.parse_args()
    report(args.split, args.show)
    if args.ntrex:
        ntrex_compounds(args.ntrex)


def report(split: str = "all", show: bool = False) -> None:
    """Prints right/total per direction and split (`bench/translate_cli.py` prints it too)."""
    cases = [c for c in load_cases() if split == "all" or c.split == split]
    groups: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        groups.setdefault((case.direction, case.split), []).append(case)
    print(f"{'direction':<10} {'split':<7} {'newsdesk':>9} {'raw apertium -u':>16}")
    with tempfile.TemporaryDirectory() as data_dir:
        for (direction, split), group in groups.items():
            source, target = group[0].pair
            lines = [c.source for c in group]
            ours = newsdesk(source, target, lines, data_dir)
            theirs = raw(source, target, lines)
            right = sum(c.is_right(t) for c, t in zip(group, ours, strict=True))
            right_raw = sum(c.is_right(t) for c, t in zip(group, theirs, strict=True))
            n = len(group)
            print(f"{direction:<10} {split:<7} {right:>6}/{n:<2} {right_raw:>13}/{n:<2}")
            if show:
                for case, text in zip(group, ours, strict=True):
                    if not case.is_right(text):
                        print(f"    {case.id}: {text}    (must {list(case.must)})")


if __name__ == "__main__":
    main()
