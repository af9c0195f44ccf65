"""Sentence alignment of article pairs built from NTREX (service/pipeline/align.py).

Usage: python bench/align.py EVAL_DIR [--seed 12]

Per NTREX document (ntrex/docs.tsv; its first line is the headline): the English article is
src.en, the Spanish one ref.es with 10% of its sentences removed at random (fixed seed; never
the headline), both with their body sentences joined into paragraphs of three. The Spanish
sentences are translated to English by `newsdesk translate --lines` (Apertium, cold cache),
the aligner keeps its confident 1:1 pairs, and this prints
- precision: kept pairs whose two sides are a true NTREX line pair (goal >= 95%),
- recall: true pairs left after the removal that were kept (goal >= 80%).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.pipeline.align import align_article  # noqa: E402

PARAGRAPH = 3


def _documents(eval_dir: Path) -> list[tuple[list[str], list[str]]]:
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


def _translator(workdir: Path):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(workdir),
        "NEWSDESK_ENGINE_PREFERENCE": "apertium",
    }

    def translate(sentences: list[str]) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-m", "service.cli", "translate", "-s", "es", "-t", "en", "--lines"],
            input="\n".join(" ".join(s.split()) for s in sentences) + "\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        return result.stdout.split("\n")[: len(sentences)]

    return translate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    documents = _documents(args.eval_dir)
    inputs = []
    truth: set[tuple[str, str]] = set()
    for english, spanish in documents:
        body = list(range(1, len(spanish)))
        removed = set(rng.sample(body, round(len(spanish) * 0.10)))
        kept_es = [s for i, s in enumerate(spanish) if i not in removed]
        truth.update(
            (" ".join(en.split()), " ".join(es.split()))
            for i, (en, es) in enumerate(zip(english, spanish, strict=True))
            if i not in removed
        )
        inputs.append((_article(english), _article(kept_es)))
    # One translation call for every Spanish sentence (the CLI starts once).
    from service.pipeline.align import article_sentences

    all_es = [s for _, es in inputs for s in article_sentences(es, "es")]
    with tempfile.TemporaryDirectory() as workdir:
        machine = dict(zip(all_es, _translator(Path(workdir))(all_es), strict=True))
    kept = right = 0
    for en_article, es_article in inputs:
        pairs, _, _ = align_article(en_article, es_article, lambda ss: [machine[s] for s in ss])
        kept += len(pairs)
        right += sum((p.english, p.spanish) in truth for p in pairs)
    precision = right / kept if kept else 0.0
    recall = right / len(truth) if truth else 0.0
    print(f"documents: {len(documents)}  true pairs: {len(truth)}  kept: {kept}  right: {right}")
    print(f"precision: {precision:.1%} (goal >= 95%)  recall: {recall:.1%} (goal >= 80%)")


if __name__ == "__main__":
    main()
