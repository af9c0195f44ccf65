"""ROUGE of the extractive summarizer against lead-3, tuned on one half of the dev articles and
reported on the other half.

    python bench/summaries.py ../shared/eval [--draws N] [--splits K] [--seed S]

Why this protocol: the summarizer's margin over lead-3 on the whole dev set (measured by the
same articles its rules and weights were chosen on) did not hold on unseen CNN/DailyMail
articles. So here every choice is made on one half and judged on the other:

1. Each set (summ-en's cnndm part, summ-es) is split into two halves with a fixed seed
   (`--seed`, default 0): a tune half and a held-out half (articles sorted by id, shuffled with
   `random.Random(seed)`, the first half of the shuffle is the tune half).
2. The tuning procedure, the only place where choices are made: every configuration of GRID
   (the summarizer's Weights: position weight, and whether quotations alone are skipped) is
   scored on the tune half of both languages, and the one with the largest worst margin over
   lead-3 (the smallest of mean ROUGE-1 and ROUGE-L differences, English and Spanish) is
   picked; ties go to the earlier one in GRID. The summarizer's DEFAULT_WEIGHTS must be that
   pick: the bench says so, or says that they differ. The cleaning rules (datelines, page
   headers, captions, fragments under 5 words, questions and exclamations) are not in GRID:
   they are general newsroom patterns, always on; on the tune half (seed 0) they were checked
   only not to cost ROUGE (fragments and teasers: 0 to 0.1 points). Skipping quotations alone
   cost 0.5 ROUGE-1 in English there, so it is in GRID, and the procedure leaves it off.
3. The shipped defaults are reported on the held-out half: ROUGE-1/2/L of lead-3 and of the
   summarizer, and the share of bootstrap resamples of the held-out articles (same size, with
   replacement, `--draws`) in which the summarizer's ROUGE-1 and ROUGE-L are both >= lead-3's,
   per language and in both languages at once. Done when that share is >= 90%.
4. Repeated splits: for `--splits` random splits (seeds 1..K), the tuning procedure runs on the
   tune half and its pick is scored on the other half; printed is the share of splits in which
   the pick is >= lead-3 on ROUGE-1 and ROUGE-L, per language and in both at once. This is the
   view of how the procedure (not one lucky split) carries over to unseen articles. It is a
   little optimistic: GRID and the cleaning rules were designed looking at the seed-0 tune half,
   which overlaps the held-out halves of these splits.
5. XSum (one lower-cased sentence per reference, unlike the summaries a newsroom writes) is
   printed for information with the shipped defaults, on all its articles; it is no part of the
   verdict.

Scoring (the eval README's protocol): rouge-score F1 without stemming, best over an article's
references, averaged over articles; lead-3 is the first three pysbd sentences
(`Segmenter(clean=False)`). Budgets are the product's (DEFAULT_MAX_WORDS: en 70, es 80): they
are what prompts/summary.toml ships, so they are not tuned here. rouge-score's tokenizer keeps
only [a-z0-9], so Spanish accented words split at the accent on both sides alike. The summ-es
articles are space-tokenised ("Argentina , que"), which the summarizer reads as it comes.

The time printed is the summarizer's own, per article, with the shipped defaults; at the end
the summarizer runs on hostile inputs of size n and 2n (one giant sentence, a wall of short
ones, a wall of capitals and dashes where a dateline is looked for, an unclosed quote, many
one-sentence lines): a ratio near 2 is linear (bench/hostile.py covers the translation
pipeline only).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pysbd
from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.engines.extractive import (  # noqa: E402
    DEFAULT_MAX_WORDS,
    DEFAULT_WEIGHTS,
    ExtractiveSummarizer,
    Weights,
)

METRICS = ("rouge1", "rouge2", "rougeL")
LANGS = ("en", "es")

# The tuning grid: how much the lead counts, and whether a sentence that is a quotation alone
# is kept out. Small on purpose: a few dozen articles per half cannot pick among many
# configurations without picking noise. Everything else in Weights keeps its default.
GRID: list[tuple[str, Weights]] = [
    (
        f"position {position:g}, quotes {'skipped' if skip else 'kept'}",
        Weights(position=position, skip_quotes=skip),
    )
    for position in (2.0, 4.0, 8.0, 1.0)
    for skip in (False, True)
]


@dataclass
class Table:
    """Per-article ROUGE (rouge1, rouge2, rougeL) of lead-3 and of each GRID configuration."""

    lead: list[tuple[float, float, float]]
    grid: list[list[tuple[float, float, float]]]  # [config][article]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split(n: int, seed: int) -> tuple[list[int], list[int]]:
    """Indices of the tune half and the held-out half of n articles (sorted by id before)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    half = n // 2
    return sorted(order[:half]), sorted(order[half:])


class Scorer:
    def __init__(self) -> None:
        self._rouge = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=False)

    def best(self, pred: str, refs: Sequence[str]) -> tuple[float, float, float]:
        """ROUGE F1 of a prediction, the best over its references, in percent."""
        best = [0.0, 0.0, 0.0]
        for ref in refs:
            scores = self._rouge.score(ref, pred)
            for i, m in enumerate(METRICS):
                best[i] = max(best[i], 100 * scores[m].fmeasure)
        return best[0], best[1], best[2]


def lead3(segmenter: pysbd.Segmenter, text: str) -> str:
    return " ".join(s.strip() for s in segmenter.segment(text)[:3])


def build_table(rows: list[dict], lang: str, configs: Sequence[Weights], scorer: Scorer) -> Table:
    segmenter = pysbd.Segmenter(language=lang, clean=False)
    lead = [scorer.best(lead3(segmenter, r["article"]), r["references"]) for r in rows]
    grid = []
    for weights in configs:
        engine = ExtractiveSummarizer(lang, weights)
        budget = DEFAULT_MAX_WORDS[lang]
        grid.append(
            [scorer.best(engine.summarize(r["article"], budget), r["references"]) for r in rows]
        )
    return Table(lead, grid)


def margins(table: Table, config: int, idx: Sequence[int]) -> tuple[float, float]:
    """Mean ROUGE-1 and ROUGE-L differences (configuration - lead-3) over the articles idx."""
    ours, lead = table.grid[config], table.lead
    d1 = sum(ours[i][0] - lead[i][0] for i in idx) / len(idx)
    dl = sum(ours[i][2] - lead[i][2] for i in idx) / len(idx)
    return d1, dl


def tune(tables: dict[str, Table], halves: dict[str, list[int]]) -> int:
    """The tuning procedure: the GRID index with the largest worst margin on these halves."""
    best, best_worst = 0, float("-inf")
    for c in range(len(GRID)):
        worst = min(min(margins(tables[lang], c, halves[lang])) for lang in tables)
        if worst > best_worst + 1e-9:
            best, best_worst = c, worst
    return best


def bootstrap(
    diffs: dict[str, list[tuple[float, float]]], draws: int, seed: int = 0
) -> dict[str, float]:
    """Share of resamples (per set, same size, with replacement) in which ROUGE-1 and ROUGE-L
    are both >= lead-3, per language and in every language at once."""
    rng = random.Random(seed)
    held = dict.fromkeys([*diffs, "both"], 0)
    for _ in range(draws):
        every = True
        for lang, rows in diffs.items():
            sample = [rows[rng.randrange(len(rows))] for _ in rows]
            ok = sum(r1 for r1, _ in sample) >= 0 and sum(rl for _, rl in sample) >= 0
            held[lang] += ok
            every = every and ok
        held["both"] += every
    return {k: v / draws for k, v in held.items()}


def mean(rows: Sequence[tuple[float, float, float]], idx: Sequence[int]) -> list[float]:
    return [sum(rows[i][m] for i in idx) / len(idx) for m in range(3)]


def fmt(scores: Sequence[float]) -> str:
    return " / ".join(f"{s:4.1f}" for s in scores)


def linearity(engine: ExtractiveSummarizer) -> list[tuple[str, float, float]]:
    """Seconds to summarize hostile inputs of size n and 2n (best of 3)."""
    kinds: dict[str, Callable[[int], str]] = {
        "one giant sentence": lambda n: "word " * (n // 5),
        "short sentences": lambda n: "It rained. " * (n // 11),
        "capitals and dashes": lambda n: "AB-" * (n // 3) + " (X) - Y",
        "open quotes": lambda n: "'" + "a " * (n // 2),
        "many lines": lambda n: "A short line here.\n" * (n // 19),
    }
    out = []
    for name, build in kinds.items():
        times = []
        for n in (200_000, 400_000):
            text = build(n)
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                engine.summarize(text, 70)
                best = min(best, time.perf_counter() - start)
            times.append(best)
        out.append((name, times[0], times[1]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--draws", type=int, default=2000, help="bootstrap resamples")
    parser.add_argument("--splits", type=int, default=50, help="repeated random splits")
    parser.add_argument("--seed", type=int, default=0, help="seed of the reported split")
    args = parser.parse_args()

    en = load(args.eval_dir / "summ-en" / "articles.jsonl")
    sets = {
        "en": sorted((r for r in en if r.get("dataset") == "cnndm"), key=lambda r: r["id"]),
        "es": sorted(load(args.eval_dir / "summ-es" / "articles.jsonl"), key=lambda r: r["id"]),
    }
    scorer = Scorer()
    configs = [w for _, w in GRID]
    shipped = next((c for c, w in enumerate(configs) if w == DEFAULT_WEIGHTS), None)
    if shipped is None:
        configs.append(DEFAULT_WEIGHTS)
        shipped = len(configs) - 1
    tables = {lang: build_table(rows, lang, configs, scorer) for lang, rows in sets.items()}
    names = [name for name, _ in GRID] + ["shipped defaults (not in GRID)"]

    halves = {lang: split(len(rows), args.seed) for lang, rows in sets.items()}
    print(
        f"budget (words): en {DEFAULT_MAX_WORDS['en']}, es {DEFAULT_MAX_WORDS['es']}; split seed "
        f"{args.seed}: en cnndm {len(halves['en'][0])} tune / {len(halves['en'][1])} held-out, "
        f"es {len(halves['es'][0])} / {len(halves['es'][1])}"
    )
    print("\ntune half: mean margin over lead-3 (R1 / RL), per configuration")
    for c, name in enumerate(names[: len(GRID)]):
        cells = "   ".join(
            f"{lang} {fmt(margins(tables[lang], c, halves[lang][0]))}" for lang in LANGS
        )
        print(f"  {name:<28} {cells}")
    picked = tune(tables, {lang: h[0] for lang, h in halves.items()})
    same = "= the shipped DEFAULT_WEIGHTS" if picked == shipped else "!= the shipped defaults"
    print(f"picked on the tune half: {names[picked]} ({same})")

    header = f"{'held-out half':<14} {'n':>3}  {'lead-3 R1/R2/RL':<20} {'extractive R1/R2/RL':<20}"
    print(f"\n{header}\n{'-' * len(header)}")
    diffs: dict[str, list[tuple[float, float]]] = {}
    for lang in LANGS:
        table, held = tables[lang], halves[lang][1]
        print(
            f"{'en cnndm' if lang == 'en' else 'es':<14} {len(held):>3}  "
            f"{fmt(mean(table.lead, held)):<20} {fmt(mean(table.grid[shipped], held)):<20}"
        )
        diffs[lang] = [
            (
                table.grid[shipped][i][0] - table.lead[i][0],
                table.grid[shipped][i][2] - table.lead[i][2],
            )
            for i in held
        ]
    shares = bootstrap(diffs, args.draws)
    print(
        f"R1 and RL >= lead-3 in {args.draws} resamples of the held-out articles: "
        f"en {100 * shares['en']:.0f}%, es {100 * shares['es']:.0f}%, "
        f"both at once {100 * shares['both']:.0f}% "
        f"-> {'DONE' if min(shares.values()) >= 0.9 else 'NOT DONE'} (goal >= 90%)"
    )

    won = dict.fromkeys([*LANGS, "both"], 0)
    picks: dict[str, int] = {}
    for seed in range(1, args.splits + 1):
        cuts = {lang: split(len(rows), seed) for lang, rows in sets.items()}
        c = tune(tables, {lang: cut[0] for lang, cut in cuts.items()})
        picks[names[c]] = picks.get(names[c], 0) + 1
        every = True
        for lang in LANGS:
            ok = min(margins(tables[lang], c, cuts[lang][1])) >= 0
            won[lang] += ok
            every = every and ok
        won["both"] += every
    k = args.splits
    print(
        f"\nrepeated splits ({k}, seeds 1..{k}): tuned on one half, >= lead-3 (R1 and RL) on "
        f"the other in en {100 * won['en'] / k:.0f}%, es {100 * won['es'] / k:.0f}%, "
        f"both {100 * won['both'] / k:.0f}% of splits"
    )
    print(
        "  picks: " + ", ".join(f"{n} x{v}" for n, v in sorted(picks.items(), key=lambda x: -x[1]))
    )

    xsum = sorted((r for r in en if r.get("dataset") == "xsum"), key=lambda r: r["id"])
    if xsum:
        table = build_table(xsum, "en", [DEFAULT_WEIGHTS], scorer)
        every = list(range(len(xsum)))
        print(
            f"\nfor information, en xsum (all {len(xsum)}, one-sentence references): lead-3 "
            f"{fmt(mean(table.lead, every))}, extractive {fmt(mean(table.grid[0], every))}"
        )

    engines = {lang: ExtractiveSummarizer(lang) for lang in LANGS}
    articles = [(lang, r["article"]) for lang, rows in sets.items() for r in rows]
    articles += [("en", r["article"]) for r in xsum]
    start = time.perf_counter()
    for lang, text in articles:
        engines[lang].summarize(text, DEFAULT_MAX_WORDS[lang])
    elapsed = time.perf_counter() - start
    print(
        f"\nextractive time: {1000 * elapsed / len(articles):.1f} ms per article "
        f"({len(articles)} articles, {elapsed:.2f} s)"
    )
    print("hostile inputs (seconds at 200k and 400k characters, ratio ~2 = linear):")
    for name, t1, t2 in linearity(engines["en"]):
        print(f"  {name:<22} {t1:6.3f} {t2:6.3f}  x{t2 / max(t1, 1e-9):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
