"""ROUGE of the extractive summarizer against lead-3, on the eval folder's summary sets.

    python bench/summaries.py ../shared/eval [--max-words N] [--sweep] [--draws N]

Protocol (eval/README.md): rouge-score F1, best over an article's references, averaged over
articles; lead-3 is the first three pysbd sentences (`Segmenter(clean=False)`). The README's
lead-3 reference numbers are measured without stemming; this script reports English with the
Porter stemmer (the usual CNN/DM setting) and also without, so both can be compared; Spanish is
always without (Porter is English-only). rouge-score's tokenizer keeps only [a-z0-9], so Spanish
accented words split at the accent on both sides alike.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import pysbd
from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.engines.extractive import DEFAULT_MAX_WORDS, ExtractiveSummarizer  # noqa: E402

METRICS = ("rouge1", "rouge2", "rougeL")


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def per_article(preds: list[str], refs: list[list[str]], stem: bool) -> list[dict[str, float]]:
    """ROUGE F1 of each prediction, the best over its references."""
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=stem)
    out = []
    for pred, references in zip(preds, refs, strict=True):
        best = dict.fromkeys(METRICS, 0.0)
        for ref in references:
            scores = scorer.score(ref, pred)
            for m in METRICS:
                best[m] = max(best[m], scores[m].fmeasure)
        out.append(best)
    return out


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {m: 100 * sum(r[m] for r in rows) / max(len(rows), 1) for m in METRICS}


def rouge(preds: list[str], refs: list[list[str]], stem: bool) -> dict[str, float]:
    return mean(per_article(preds, refs, stem))


def held_on_resamples(
    diffs: dict[str, list[tuple[float, float]]], draws: int, seed: int = 0
) -> float:
    """Share of bootstrap resamples of the articles (per set, same size, with replacement) in
    which the summarizer is at least lead-3 on ROUGE-1 and ROUGE-L in every set at once: how
    likely the verdict is to hold on other articles like these."""
    rng = random.Random(seed)
    held = 0
    for _ in range(draws):
        ok = True
        for rows in diffs.values():
            sample = [rows[rng.randrange(len(rows))] for _ in rows]
            if sum(r1 for r1, _ in sample) < 0 or sum(rl for _, rl in sample) < 0:
                ok = False
        held += ok
    return held / draws


def lead3(segmenter: pysbd.Segmenter, text: str) -> str:
    return " ".join(s.strip() for s in segmenter.segment(text)[:3])


def fmt(scores: dict[str, float]) -> str:
    return " / ".join(f"{scores[m]:4.1f}" for m in METRICS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--max-words", type=int, default=None, help="override the default budget")
    parser.add_argument("--sweep", action="store_true", help="also print a budget sweep")
    parser.add_argument("--draws", type=int, default=2000, help="bootstrap resamples")
    args = parser.parse_args()

    en = load(args.eval_dir / "summ-en" / "articles.jsonl")
    es = load(args.eval_dir / "summ-es" / "articles.jsonl")
    sets = [
        ("en cnndm", "en", [r for r in en if r.get("dataset") == "cnndm"], True),
        ("en cnndm nostem", "en", [r for r in en if r.get("dataset") == "cnndm"], False),
        ("en xsum", "en", [r for r in en if r.get("dataset") == "xsum"], True),
        ("es", "es", es, False),
    ]
    engines = {lang: ExtractiveSummarizer(lang) for lang in ("en", "es")}
    segmenters = {lang: pysbd.Segmenter(language=lang, clean=False) for lang in ("en", "es")}

    budgets = {lang: args.max_words or DEFAULT_MAX_WORDS[lang] for lang in ("en", "es")}
    print(f"budget (words): en {budgets['en']}, es {budgets['es']}")
    header = (
        f"{'set':<16} {'n':>4}  {'lead-3 R1/R2/RL':<20} {'extractive R1/R2/RL':<20} words L3/EX"
    )
    print(header)
    print("-" * len(header))
    verdict: dict[str, bool] = {}
    diffs: dict[str, list[tuple[float, float]]] = {}
    timing = 0.0
    for name, lang, rows, stem in sets:
        refs = [r["references"] for r in rows]
        base = [lead3(segmenters[lang], r["article"]) for r in rows]
        start = time.perf_counter()
        ours = [engines[lang].summarize(r["article"], budgets[lang]) for r in rows]
        if name != "en cnndm nostem":
            timing += time.perf_counter() - start
        base_rows, our_rows = per_article(base, refs, stem), per_article(ours, refs, stem)
        b, o = mean(base_rows), mean(our_rows)
        wb = sum(len(s.split()) for s in base) / len(rows)
        wo = sum(len(s.split()) for s in ours) / len(rows)
        print(f"{name:<16} {len(rows):>4}  {fmt(b):<20} {fmt(o):<20} {wb:5.0f} / {wo:3.0f}")
        if name in ("en cnndm nostem", "es"):  # the README's protocol: no stemmer
            verdict[name] = o["rouge1"] >= b["rouge1"] and o["rougeL"] >= b["rougeL"]
            diffs[name] = [
                (x["rouge1"] - y["rouge1"], x["rougeL"] - y["rougeL"])
                for x, y in zip(our_rows, base_rows, strict=True)
            ]
        if args.sweep:
            for n in (40, 50, 60, 70, 80, 90, 100, 120):
                sweep = rouge([engines[lang].summarize(r["article"], n) for r in rows], refs, stem)
                print(f"  budget {n:>3}{'':<31} {fmt(sweep)}")
    print(f"extractive time: {timing:.2f} s for {len(en) + len(es)} articles")
    ok = all(verdict.values())
    print(
        "extractive >= lead-3 on ROUGE-1 and ROUGE-L: "
        + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in verdict.items())
        + f" -> {'YES' if ok else 'NO'} in both languages"
    )
    share = held_on_resamples(diffs, args.draws)
    print(f"held in {100 * share:.0f}% of {args.draws} resamples of the articles (both languages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
