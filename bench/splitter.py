"""Sentence splitting at titles and abbreviations: accuracy on the labelled paragraphs, speed.

    .venv/bin/python bench/splitter.py [--data tests/data/sentences.jsonl] [--repeat 3]

Per language, on tests/data/sentences.jsonl (short news paragraphs with the sentences a reader
sees), the share of paragraphs split exactly right by:
- `split_sentences`: the project's one splitter (service.segmentation: pysbd, abbreviations held);
- `pysbd`: pysbd alone, on the whole paragraph (what the pipeline did before);
- `regex`: a cut after every . ! ? … and spaces (what the seq2seq engines did before);
- `sentencex`: Wikimedia's rule-based splitter, the other candidate on the package index that
  needs no downloaded model (nltk's punkt and spaCy need data this machine cannot fetch at run
  time); measured when installed (`pip install sentencex`), not a dependency of newsdesk.
Then the time per paragraph of each, measured in this run, and one linearity check that the
held abbreviations add no superlinear work: a paragraph of abbreviation-dense sentences ("El Sr.
García llegó a EE. UU. a las 10 a. m. ...") at n and 2n sentences, and the ratio of the two
times (about 2: linear, about 4: quadratic).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pysbd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.segmentation import split_sentences  # noqa: E402

Splitter = Callable[[str, str], list[str]]
_REGEX_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’»)\]]*(\s+)")
DENSE = {
    "en": "Mr. Smith of Acme Inc. met Sen. Warren in the U.S. at 10 a.m. on Jan. 5. ",
    "es": "El Sr. García llegó a EE. UU. a las 10 a. m. con aprox. 300 personas. ",
}


def ours(text: str, lang: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, lang)]


@cache
def _segmenter(lang: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=lang, clean=False)


def pysbd_alone(text: str, lang: str) -> list[str]:
    return [s.strip() for s in _segmenter(lang).segment(text) if s.strip()]


def regex(text: str, lang: str) -> list[str]:
    parts, start = [], 0
    for match in _REGEX_END.finditer(text):
        parts.append(text[start : match.start(1)])
        start = match.end(1)
    return parts + [text[start:]]


def sentencex_split(text: str, lang: str) -> list[str]:
    import sentencex

    return [s.strip() for s in sentencex.segment(lang, text) if s.strip()]


SPLITTERS: dict[str, Splitter] = {"split_sentences": ours, "pysbd": pysbd_alone, "regex": regex}
try:
    import sentencex  # noqa: F401
except ImportError:
    print("sentencex not installed: not measured (pip install sentencex)")
else:
    SPLITTERS["sentencex"] = sentencex_split


def best_time(split: Splitter, texts: list[str], lang: str, repeat: int) -> float:
    """The best of `repeat` runs of `split` over all of `texts`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            split(text, lang)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "sentences.jsonl")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    for lang in ("en", "es"):
        labelled = [(r["text"], r["sentences"]) for r in rows if r["lang"] == lang]
        texts = [text for text, _ in labelled]
        print(f"{lang}: {len(labelled)} paragraphs")
        for name, split in SPLITTERS.items():
            right = sum(split(text, lang) == sentences for text, sentences in labelled)
            seconds = best_time(split, texts, lang, args.repeat)
            print(
                f"  {name:16} {right / len(labelled):6.1%} right"
                f"  {1e6 * seconds / len(labelled):8.0f} µs a paragraph"
            )
        n = 400
        small = best_time(ours, [DENSE[lang] * n], lang, args.repeat)
        large = best_time(ours, [DENSE[lang] * 2 * n], lang, args.repeat)
        print(
            f"  abbreviation-dense paragraph, {n} and {2 * n} sentences:"
            f" {small:.3f}s, {large:.3f}s, ratio {large / small:.2f}"
        )


if __name__ == "__main__":
    main()
