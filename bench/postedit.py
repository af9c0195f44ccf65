"""What each post-editing rule does to raw Apertium output on NTREX, per half of the documents.

Usage: python bench/postedit.py ../shared/eval [--hostile]

Runs raw `apertium -u` over NTREX in both directions (en→es: src.en against ref.es; es→en:
ref.es against src.en), then applies each rule of service/pipeline/postedit alone, and then
all of them in order. Printed per rule: the sentences it changes on the tune half (the
even-numbered documents of ntrex/docs.tsv, counted from 0 in order of appearance) and on the
held-out half (the odd ones), and the chrF delta (sacrebleu defaults, single reference) on each
half and on the whole set. Rules are chosen on the tune half only; the held-out columns say
whether they generalize.

`--pipeline` also runs `newsdesk translate --lines` (Apertium, cold cache) over the same lines and
prints its chrF next to raw Apertium's on each half: the layer inside the whole pipeline.

`--hostile` also times all rules of each direction on hostile text of n and 2n characters
(one long word, long runs of quotes and apostrophes, words the rules look for): a ratio near 2
means linear time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sacrebleu

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.newsdesk_cli import translate_lines  # noqa: E402
from service.pipeline.postedit import RULES, Rule, apply  # noqa: E402

DIRECTIONS = (
    ("en", "es", "src.en", "ref.es", "eng-spa"),
    ("es", "en", "ref.es", "src.en", "spa-eng"),
)


def halves(docs: list[str]) -> tuple[list[int], list[int]]:
    """Line indices of the even-numbered documents (tune) and the odd ones (held out)."""
    order: dict[str, int] = {}
    for doc in docs:
        order.setdefault(doc, len(order))
    tune = [i for i, doc in enumerate(docs) if order[doc] % 2 == 0]
    held = [i for i, doc in enumerate(docs) if order[doc] % 2 == 1]
    return tune, held


def chrf(hyps: list[str], refs: list[str], idx: list[int]) -> float:
    return sacrebleu.corpus_chrf([hyps[i] for i in idx], [[refs[i] for i in idx]]).score


def raw_apertium(pair: str, lines: list[str]) -> list[str]:
    out = subprocess.run(
        ["apertium", "-u", pair], input="\n".join(lines) + "\n", capture_output=True, text=True
    )
    out.check_returncode()
    hyps = out.stdout.split("\n")[: len(lines)]
    assert len(hyps) == len(lines), "apertium must give one line per input line"
    return hyps


def table(rules: tuple[Rule, ...], raw: list[str], refs: list[str], parts: dict[str, list[int]]):
    base = {name: chrf(raw, refs, idx) for name, idx in parts.items()}
    rows = [(rule.name, [rule.fix(h) for h in raw]) for rule in rules]
    rows.append(("all rules, in order", [apply(rules, h) for h in raw]))
    print(f"{'rule':<26} {'tune n':>7} {'held n':>7} {'tune Δ':>8} {'held Δ':>8} {'all Δ':>8}")
    for name, hyps in rows:
        changed = {k: sum(hyps[i] != raw[i] for i in idx) for k, idx in parts.items()}
        delta = {k: chrf(hyps, refs, idx) - base[k] for k, idx in parts.items()}
        print(
            f"{name:<26} {changed['tune']:>7} {changed['held']:>7} "
            f"{delta['tune']:>+8.3f} {delta['held']:>+8.3f} {delta['all']:>+8.3f}"
        )
    print(
        f"{'(raw apertium chrF)':<26} {'':>7} {'':>7} "
        f"{base['tune']:>8.2f} {base['held']:>8.2f} {base['all']:>8.2f}"
    )


def newsdesk(source: str, target: str, lines: list[str]) -> list[str]:
    """`newsdesk translate --lines` on Apertium with an empty data directory (a cold cache)."""
    with tempfile.TemporaryDirectory() as data_dir:
        out = translate_lines(source, target, "\n".join(lines) + "\n", data_dir)
    hyps = out.split("\n")[: len(lines)]
    assert len(hyps) == len(lines), "newsdesk must give one line per input line"
    return hyps


def pipeline_row(
    raw: list[str], ours: list[str], refs: list[str], parts: dict[str, list[int]]
) -> None:
    cells = []
    for name in ("tune", "held", "all"):
        theirs, mine = chrf(raw, refs, parts[name]), chrf(ours, refs, parts[name])
        cells.append(f"{name} {mine:.2f} vs {theirs:.2f} ({mine - theirs:+.2f})")
    print("newsdesk translate --lines against raw apertium -u: " + ", ".join(cells))


HOSTILE = {
    "one long word": "a" * 50_000,
    "quotes": '"' * 50_000,
    "quote, word": '"a ' * 20_000,
    "stops and quotes": '."' * 30_000,
    "single quotes": " 'a" * 20_000,
    "unclosed quote": " 'a" + "b" * 60_000,
    "apostrophes": "a'b " * 15_000,
    "commas, pero": "a, que pero, quién " * 4_000,
    "weekdays": "encima martes " * 5_000,
    "words": "Señor Dicho dicho " * 5_000,
    "the weekday": "the the Monday " * 5_000,
}


def hostile() -> None:
    print("\nhostile text, all rules, best of 3: seconds at n, at 2n, ratio (2 = linear)")
    for (source, target), rules in RULES.items():
        for kind, text in HOSTILE.items():
            times = []
            for size in (text, text + text):
                best = min(_timed(rules, size) for _ in range(3))
                times.append(best)
            ratio = times[1] / max(times[0], 1e-9)
            print(f"  {source}→{target} {kind:<18} {times[0]:.4f} {times[1]:.4f} {ratio:.1f}")


def _timed(rules: tuple[Rule, ...], text: str) -> float:
    started = time.perf_counter()
    apply(rules, text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--pipeline", action="store_true")
    parser.add_argument("--hostile", action="store_true")
    args = parser.parse_args()
    ntrex = args.eval_dir / "ntrex"
    docs = (ntrex / "docs.tsv").read_text(encoding="utf-8").splitlines()
    tune, held = halves(docs)
    parts = {"tune": tune, "held": held, "all": list(range(len(docs)))}
    print(f"NTREX dev: {len(docs)} lines; tune {len(tune)}, held out {len(held)}")
    for source, target, src_file, ref_file, pair in DIRECTIONS:
        sources = (ntrex / src_file).read_text(encoding="utf-8").splitlines()
        refs = (ntrex / ref_file).read_text(encoding="utf-8").splitlines()
        raw = raw_apertium(pair, sources)
        print(f"\n{source}→{target} (apertium -u {pair}), chrF delta against raw output")
        table(RULES[(source, target)], raw, refs, parts)
        if args.pipeline:
            pipeline_row(raw, newsdesk(source, target, sources), refs, parts)
    if args.hostile:
        hostile()


if __name__ == "__main__":
    main()
