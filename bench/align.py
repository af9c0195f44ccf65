"""Sentence alignment of article pairs built from NTREX (service/pipeline/align.py).

Usage: python bench/align.py EVAL_DIR [--split all|tune|held-out] [--seeds 12,13,14]

Per NTREX document (ntrex/docs.tsv; its first line is the headline): the English article is
src.en, the Spanish one ref.es with 10% of its sentences removed at random (per seed; never
the headline), both with their body sentences joined into paragraphs of three. The Spanish
sentences are translated to English by `newsdesk translate --lines` (Apertium, cold cache),
the aligner keeps its confident 1:1 pairs, and this prints per seed
- precision: kept pairs that are right (goal >= 95%),
- recall: true line pairs left after the removal that a right kept pair covers (goal >= 80%).

NTREX pairs lines, and the splitter does not always cut where a line ends (a line that ends
with a comma runs on into the next; a line holding two sentences is two), so a kept pair is
judged by the lines its two sides come from: it is right when both sides cover the same lines,
and, where a line is cut into several sentences, the same part of it on both sides. `ceiling`
is the recall of a perfect 1:1 aligner over these sentences.

Documents split in two halves: `tune` (even positions in docs.tsv), on which the aligner's
weights were chosen, and `held-out` (odd positions), reported untouched.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.newsdesk_cli import translate_lines  # noqa: E402
from service.document.segment import normalize  # noqa: E402
from service.pipeline.align import AlignedPair, align_article, article_sentences  # noqa: E402

PARAGRAPH = 3
Unit = tuple[frozenset[int], int, int]  # lines covered, part index, parts in the line


@dataclass
class Case:
    english: dict[str, str]
    spanish: dict[str, str]
    english_units: dict[str, Unit | None]
    spanish_units: dict[str, Unit | None]
    true_lines: set[int]


@dataclass
class Score:
    kept: int = 0
    right: int = 0
    true: int = 0
    covered: int = 0
    reachable: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.kept if self.kept else 0.0

    @property
    def recall(self) -> float:
        return self.covered / self.true if self.true else 0.0

    @property
    def ceiling(self) -> float:
        return self.reachable / self.true if self.true else 0.0


def documents(eval_dir: Path) -> list[tuple[list[str], list[str]]]:
    ntrex = eval_dir / "ntrex"
    docs = (ntrex / "docs.tsv").read_text(encoding="utf-8").splitlines()
    english = (ntrex / "src.en").read_text(encoding="utf-8").splitlines()
    spanish = (ntrex / "ref.es").read_text(encoding="utf-8").splitlines()
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    for doc, en, es in zip(docs, english, spanish, strict=True):
        key = doc.split("\t")[0]
        grouped.setdefault(key, ([], []))
        grouped[key][0].append(en.strip())
        grouped[key][1].append(es.strip())
    return list(grouped.values())


def _article(sentences: list[str]) -> dict[str, str]:
    body = sentences[1:]
    paragraphs = [" ".join(body[i : i + PARAGRAPH]) for i in range(0, len(body), PARAGRAPH)]
    return {"title": sentences[0], "body": "\n\n".join(paragraphs)}


def _units(article: dict[str, str], lines: list[str], ids: list[int], lang: str) -> dict:
    """Each sentence of the article -> the NTREX lines (ids) it comes from and its part."""
    texts = [normalize(line) for line in lines]
    joined, spans, at = "", [], 0
    for text in texts:
        spans.append((at, at + len(text)))
        joined += text + " "
        at += len(text) + 1
    located: list[tuple[str, frozenset[int] | None, bool]] = []
    cursor = 0
    for sentence in article_sentences(article, lang):
        start = joined.find(sentence, cursor)
        if start < 0:
            located.append((sentence, None, False))
            continue
        end = cursor = start + len(sentence)
        covered = [k for k, (a, b) in enumerate(spans) if a < end and start < b]
        whole = start == spans[covered[0]][0] and end == spans[covered[-1]][1]
        located.append((sentence, frozenset(ids[k] for k in covered), whole))
    units: dict[str, Unit | None] = {}
    for sentence, covered, whole in located:
        if covered is None:
            units[sentence] = None
            continue
        if whole:
            units[sentence] = (covered, 0, 1)
            continue
        same = [s for s, c, w in located if c == covered and not w]
        units[sentence] = (covered, same.index(sentence), len(same)) if len(covered) == 1 else None
    return units


def cases(docs: list[tuple[list[str], list[str]]], seed: int) -> list[Case]:
    rng = random.Random(seed)
    built = []
    for english, spanish in docs:
        removed = set(rng.sample(range(1, len(spanish)), round(len(spanish) * 0.10)))
        kept_ids = [i for i in range(len(spanish)) if i not in removed]
        kept_es = [spanish[i] for i in kept_ids]
        en_article, es_article = _article(english), _article(kept_es)
        built.append(
            Case(
                en_article,
                es_article,
                _units(en_article, english, list(range(len(english))), "en"),
                _units(es_article, kept_es, kept_ids, "es"),
                set(kept_ids),
            )
        )
    return built


def score(case: Case, pairs: list[AlignedPair]) -> Score:
    result = Score(kept=len(pairs), true=len(case.true_lines))
    covered: set[int] = set()
    for pair in pairs:
        unit = case.english_units.get(pair.english)
        if unit is not None and unit == case.spanish_units.get(pair.spanish):
            result.right += 1
            covered |= unit[0]
    result.covered = len(covered & case.true_lines)
    reachable = {u for u in case.english_units.values() if u is not None}
    reachable &= {u for u in case.spanish_units.values() if u is not None}
    result.reachable = len(set().union(*(u[0] for u in reachable)) & case.true_lines)
    return result


def translator(workdir: Path) -> Callable[[list[str]], list[str]]:
    def translate(sentences: list[str]) -> list[str]:
        text = "\n".join(" ".join(s.split()) for s in sentences) + "\n"
        return translate_lines("es", "en", text, workdir).split("\n")[: len(sentences)]

    return translate


def evaluate(built: list[Case], machine: dict[str, str]) -> Score:
    total = Score()
    for case in built:
        pairs, _, _ = align_article(case.english, case.spanish, lambda ss: [machine[s] for s in ss])
        one = score(case, pairs)
        for name in ("kept", "right", "true", "covered", "reachable"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--split", choices=("all", "tune", "held-out"), default="all")
    parser.add_argument("--seeds", default="12,13,14,15,16")
    args = parser.parse_args()
    docs = documents(args.eval_dir)
    if args.split != "all":
        docs = docs[0 if args.split == "tune" else 1 :: 2]
    seeds = [int(s) for s in args.seeds.split(",")]
    by_seed = {seed: cases(docs, seed) for seed in seeds}
    spanish = sorted(
        {s for built in by_seed.values() for c in built for s in article_sentences(c.spanish, "es")}
    )
    with tempfile.TemporaryDirectory() as workdir:
        machine = dict(zip(spanish, translator(Path(workdir))(spanish), strict=True))
    print(f"split: {args.split}  documents: {len(docs)}")
    print("| seed | true lines | kept | right | precision | recall | ceiling |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    worst_p, worst_r = 1.0, 1.0
    seconds = 0.0
    for seed, built in by_seed.items():
        started = time.perf_counter()
        s = evaluate(built, machine)
        seconds += time.perf_counter() - started
        worst_p, worst_r = min(worst_p, s.precision), min(worst_r, s.recall)
        print(
            f"| {seed} | {s.true} | {s.kept} | {s.right} | {s.precision:.1%} | {s.recall:.1%}"
            f" | {s.ceiling:.1%} |"
        )
    print(f"worst precision {worst_p:.1%} (goal >= 95%), worst recall {worst_r:.1%} (goal >= 80%)")
    articles = sum(len(built) for built in by_seed.values())
    print(
        f"aligning (machine translation aside): {seconds / articles * 1000:.0f} ms an article "
        f"pair, {sum(len(c.true_lines) for b in by_seed.values() for c in b) / seconds:.0f} "
        "Spanish lines a second"
    )


if __name__ == "__main__":
    main()
