"""Sentence spans of `split_sentences` (pysbd in pieces) against pysbd on the whole text.

    .venv/bin/python bench/segment_identity.py [--eval /work/shared/eval] [--group 8]

`service.document.segment` hands long texts to pysbd in pieces cut where pysbd cuts anyway;
this checks that claim on real news, in texts far longer than the paragraphs the pipeline
splits: every NTREX document (English source and Spanish reference) as one paragraph, then
`--group` documents at a time as one paragraph, and every summarisation article (English and
Spanish) flattened to one paragraph the way `plan_flow` flattens a flow. Printed per set:
texts, texts longer than one piece, sentences, texts whose spans differ (with the first
difference), and the time of both ways. Where they differ, pysbd itself holds thousands of
characters as one "sentence" (a stray quote pairing across paragraphs, sentences run together
without a space), longer than a piece may grow, so a cut has to fall inside it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service import segmentation as segment  # noqa: E402


def whole(text: str, lang: str) -> list[tuple[int, int]]:
    """`split_sentences` as it was: one pysbd call on the whole text."""
    saved = segment.MAX_CHARS, segment.MAX_STOPS, segment.DENSE_CHARS_PER_STOP
    segment.MAX_CHARS = segment.MAX_STOPS = len(text) + 1
    segment.DENSE_CHARS_PER_STOP = 0
    try:
        return segment.split_sentences(text, lang)
    finally:
        segment.MAX_CHARS, segment.MAX_STOPS, segment.DENSE_CHARS_PER_STOP = saved


def _flat(text: str) -> str:
    return " ".join(text.split())


def ntrex(folder: Path, name: str, group: int) -> Iterator[str]:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc, line in zip((folder / "docs.tsv").read_text().splitlines(), lines, strict=True):
        docs.setdefault(doc.split("\t")[0], []).append(line)
    texts = [_flat(" ".join(doc)) for doc in docs.values()]
    if group <= 1:
        yield from texts
        return
    for i in range(0, len(texts), group):
        yield " ".join(texts[i : i + group])


def articles(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        yield _flat(json.loads(line)["article"])


def check(label: str, texts: list[str], lang: str) -> int:
    long_texts = sentences = differing = 0
    first = ""
    t_whole = t_pieces = 0.0
    for text in texts:
        long_texts += len(text) > segment.MAX_CHARS
        start = time.perf_counter()
        expected = whole(text, lang)
        t_whole += time.perf_counter() - start
        start = time.perf_counter()
        got = segment.split_sentences(text, lang)
        t_pieces += time.perf_counter() - start
        sentences += len(expected)
        if got != expected:
            differing += 1
            if not first:
                extra = sorted(set(got) ^ set(expected))[:2]
                first = " | ".join(repr(text[a:b][:80]) for a, b in extra)
    print(
        f"{label:<34} {len(texts):>5} {long_texts:>5} {sentences:>7} {differing:>5}"
        f" {t_whole:>8.2f} {t_pieces:>8.2f}"
    )
    if first:
        print(f"    first difference: {first}")
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=Path("/work/shared/eval"))
    parser.add_argument("--group", type=int, default=8, help="NTREX documents per long text")
    args = parser.parse_args()
    print(
        f"pieces of {segment.PIECE_CHARS} characters or {segment.PIECE_STOPS} stops, at most"
        f" {segment.MAX_CHARS} characters and {segment.MAX_STOPS} stops"
    )
    print(f"{'set':<34} texts  long   sents  diff  whole s  piece s")
    folder = args.eval / "ntrex"
    differing = 0
    differing += check("ntrex en, one text per document", list(ntrex(folder, "src.en", 1)), "en")
    differing += check("ntrex es, one text per document", list(ntrex(folder, "ref.es", 1)), "es")
    label = f"ntrex en, {args.group} documents per text"
    differing += check(label, list(ntrex(folder, "src.en", args.group)), "en")
    label = f"ntrex es, {args.group} documents per text"
    differing += check(label, list(ntrex(folder, "ref.es", args.group)), "es")
    summ_en = args.eval / "summ-en" / "articles.jsonl"
    summ_es = args.eval / "summ-es" / "articles.jsonl"
    differing += check("summ-en articles, flattened", list(articles(summ_en)), "en")
    differing += check("summ-es articles, flattened", list(articles(summ_es)), "es")
    seed = [_flat((args.eval / "seed-article.txt").read_text(encoding="utf-8"))]
    differing += check("seed article, flattened", seed, "en")
    print(f"\ntexts with different spans: {differing}")


if __name__ == "__main__":
    main()
