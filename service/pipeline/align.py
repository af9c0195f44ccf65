"""Sentence alignment of the outlet's own article pairs (English and Spanish versions of one
story), so that years of published translations become translation memory (`newsdesk tm align`).

Gale–Church dynamic programming over beads 1:1, 1:0, 0:1, 2:1 and 1:2, each bead's cost the
Gale–Church length cost plus a translation cost: the Spanish side is machine-translated into
English (Apertium, through the pipeline) and compared with the English side by character n-gram
F-score (chrF-like). Length alone misaligns sentences of similar length; the translation score
is what anchors them. Only 1:1 beads whose translation score clears MIN_SIMILARITY are kept: a
wrong pair in the memory misleads every editor it is offered to (and, where an outlet opts in
to its archive, is reused unreviewed), a missed one only costs an engine call.

The weights were chosen on half of the NTREX documents (bench/align.py --split tune) and are
reported on the other half; a skipped sentence costs more than a doubtful pair, and a merged
bead more than Gale–Church's prior, since a merge that swallows the neighbour of a dropped
sentence costs a right pair."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from service.document.paragraphs import body_flow_texts, sentence_texts

# Gale–Church: variance of the target/source length ratio per character, and bead priors.
VARIANCE = 6.8
BEADS: dict[tuple[int, int], float] = {
    (1, 1): -math.log(0.89),
    (1, 0): 0.0,
    (0, 1): 0.0,
    # Below Gale–Church's 0.089 / 2: a merged bead is never kept, and one that swallows a
    # sentence whose counterpart was dropped costs a right pair.
    (2, 1): -math.log(0.02),
    (1, 2): -math.log(0.02),
}
# How much a bead's translation score counts against its length cost (tuned on bench/align.py).
SIMILARITY_WEIGHT = 8.0
NGRAM = 4
MIN_SIMILARITY = 0.3
# What a sentence with no counterpart costs (beads 1:0 and 0:1), in place of the length and
# translation costs, which are meaningless against nothing (a long sentence would cost so much
# that a 2:1 bead swallowing it, and ruining its neighbour's pair, would always win). Below a
# right 1:1 pair's cost and above a wrong one's.
SKIP_COST = 4.0
LENGTH_WEIGHT = 0.5
# How far (in sentences) an alignment may stray from the diagonal: wider than any run of
# sentences one side of a news article lacks, narrow enough that a huge article aligns in
# linear time. Articles of up to BAND sentences get the full table.
BAND = 40

Translate = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class AlignedPair:
    english: str
    spanish: str
    similarity: float


@lru_cache(maxsize=2048)
def _grams(text: str) -> tuple[tuple[Counter[str], int], ...]:
    """The character n-grams (1..NGRAM) of `text`, spaces ignored, case folded, with their
    totals. Cached (a few articles' worth): each sentence meets several candidates."""
    folded = "".join(text.lower().split())
    grams = []
    for n in range(1, NGRAM + 1):
        counts = Counter(folded[i : i + n] for i in range(len(folded) - n + 1))
        grams.append((counts, sum(counts.values())))
    return tuple(grams)


def similarity(left: str, right: str, beta: float = 2.0) -> float:
    """Character n-gram (1..NGRAM) F-score of two texts, spaces ignored, case folded: 0..1."""
    scores = []
    for (grams_a, total_a), (grams_b, total_b) in zip(_grams(left), _grams(right), strict=True):
        if not total_a or not total_b:
            continue
        small, large = (grams_a, grams_b) if len(grams_a) <= len(grams_b) else (grams_b, grams_a)
        common = sum(min(count, large[gram]) for gram, count in small.items() if gram in large)
        if common:
            precision, recall = common / total_b, common / total_a
            b2 = beta * beta
            scores.append((1 + b2) * precision * recall / (b2 * precision + recall))
        else:
            scores.append(0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _length_cost(english: int, spanish: int, ratio: float) -> float:
    """-log of the probability of this length difference (Gale–Church 1993)."""
    if english == 0 and spanish == 0:
        return 0.0
    mean = (english + spanish / ratio) / 2
    delta = (spanish - english * ratio) / math.sqrt(max(mean, 1.0) * VARIANCE)
    tail = math.erfc(abs(delta) / math.sqrt(2))  # 2 * (1 - Phi(|delta|))
    return -math.log(max(tail, 1e-12))


def _band_start(i: int, n: int, m: int, band: int) -> int:
    """The first column of row `i` within `band` of the diagonal from (0, 0) to (n, m)."""
    return max(0, -(-(i * m - band) // n)) if n else 0


def align(
    english: Sequence[str], spanish: Sequence[str], spanish_in_english: Sequence[str]
) -> list[AlignedPair]:
    """The confident 1:1 pairs of one article, in order. `spanish_in_english[j]` is the
    machine translation of `spanish[j]`."""
    n, m = len(english), len(spanish)
    if not n or not m:
        return []
    ratio = max(sum(map(len, spanish)), 1) / max(sum(map(len, english)), 1)
    inf = float("inf")
    # Only cells near the diagonal, so that a very long article costs time in proportion to its
    # length, not to its square: within BAND sentences of it (in the longer side's units).
    band = BAND * max(n, m)
    cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        for j in range(_band_start(i, n, m, band), m + 1):
            if abs(j * n - i * m) > band:
                break
            here = cost.get((i, j), inf)
            if here == inf:
                continue
            for (di, dj), prior in BEADS.items():
                if i + di > n or j + dj > m:
                    continue
                en_text = " ".join(english[i : i + di])
                es_text = " ".join(spanish[j : j + dj])
                if not (di and dj):
                    step = SKIP_COST
                else:
                    step = prior + LENGTH_WEIGHT * _length_cost(len(en_text), len(es_text), ratio)
                    mt = " ".join(spanish_in_english[j : j + dj])
                    # F1 for merged beads: a sentence too many on one side must cost recall
                    # and precision alike.
                    beta = 2.0 if (di, dj) == (1, 1) else 1.0
                    step += SIMILARITY_WEIGHT * (1 - similarity(en_text, mt, beta))
                target = (i + di, j + dj)
                if here + step < cost.get(target, inf):
                    cost[target] = here + step
                    back[target] = (di, dj)
    pairs: list[AlignedPair] = []
    i, j = n, m
    while i or j:
        di, dj = back[i, j]
        if (di, dj) == (1, 1):
            score = similarity(english[i - 1], spanish_in_english[j - 1])
            if score >= MIN_SIMILARITY:
                pairs.append(AlignedPair(english[i - 1], spanish[j - 1], score))
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs


FIELDS = ("title", "lede", "body")


def article_sentences(article: dict[str, str], lang: str) -> list[str]:
    """The sentences of one language version ({title, lede, body}), in reading order, split
    the way the memory keys sentences (so an aligned pair is found again by lookup)."""
    sentences: list[str] = []
    for name in FIELDS:
        text = article.get(name) or ""
        if not isinstance(text, str) or not text.strip():
            continue
        if name == "body":
            flows = body_flow_texts(text, "html" if "<" in text else "text")
        else:
            flows = [text]
        for flow in flows:
            sentences.extend(s for s in sentence_texts(flow, lang) if s)
    return sentences


def align_article(
    english: dict[str, str], spanish: dict[str, str], translate: Translate
) -> tuple[list[AlignedPair], int, int]:
    """The confident 1:1 pairs of one article pair, and its English and Spanish sentence
    counts. `translate` turns Spanish sentences into English ones, one for one."""
    en_sentences = article_sentences(english, "en")
    es_sentences = article_sentences(spanish, "es")
    if not en_sentences or not es_sentences:
        return [], len(en_sentences), len(es_sentences)
    machine = translate(es_sentences)
    return align(en_sentences, es_sentences, machine), len(en_sentences), len(es_sentences)
