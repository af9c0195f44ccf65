"""QA flags on real news: how many sentences each check flags in professional translations
(NTREX-128 `ref.es` / `ref-mx.es` against `src.en`: nearly every flag there is a false alarm)
and in the service's own Apertium drafts (`newsdesk translate --lines`, cold cache), en→es and
es→en, per kind.

Usage: .venv/bin/python bench/qa_flags.py [--eval ../shared/eval] [--show KIND]
(--show prints the flags of one kind on the references, to judge them by eye). The house style
follows NEWSDESK_HOUSE_STYLE as in the service; `ref-mx.es` is checked under es-MX.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dates_numbers import newsdesk  # noqa: E402
from service.pipeline.protect import DEFAULT_GLOSSARY, Glossary  # noqa: E402
from service.pipeline.qa.flags import KINDS, Finding, QaContext  # noqa: E402
from service.pipeline.qa.markup import check_links  # noqa: E402
from service.pipeline.qa.version import check_text  # noqa: E402


def flags(sources: list[str], targets: list[str], context: QaContext) -> list[list[Finding]]:
    return [
        check_text(s, t, context) + check_links(s, t) for s, t in zip(sources, targets, strict=True)
    ]


def report(name: str, found: list[list[Finding]]) -> None:
    lines = len(found)
    flagged = sum(1 for f in found if f)
    kinds = Counter(k for f in found for k in {x.kind for x in f})
    share = ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k])
    print(f"{name:32} {flagged:4}/{lines} sentences flagged ({flagged / lines:6.1%}): {share}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--show", default=None)
    args = parser.parse_args()
    ntrex = args.eval / "ntrex"
    english = (ntrex / "src.en").read_text(encoding="utf-8").splitlines()
    glossary = Glossary.load(DEFAULT_GLOSSARY)
    en_es = QaContext("en", "es", "es-ES", glossary.terms("en", "es"))
    es_en = QaContext("es", "en", "es-ES", glossary.terms("es", "en"))
    mx = QaContext("en", "es", "es-MX", glossary.terms("en", "es"))
    references = {
        "ref.es": (ntrex / "ref.es").read_text(encoding="utf-8").splitlines(),
        "ref2.es": (ntrex / "ref2.es").read_text(encoding="utf-8").splitlines(),
    }
    mexican = (ntrex / "ref-mx.es").read_text(encoding="utf-8").splitlines()
    for name, spanish in references.items():
        found = flags(english, spanish, en_es)
        report(f"human en→es {name}", found)
        if args.show:
            for source, target, f in zip(english, spanish, found, strict=True):
                for x in f:
                    if x.kind == args.show:
                        print(f"  {x.message}\n    {source}\n    {target}")
    report("human en→es ref-mx.es (es-MX)", flags(english, mexican, mx))
    report("human es→en ref.es → src.en", flags(references["ref.es"], english, es_en))
    with tempfile.TemporaryDirectory() as data_dir:
        drafts = newsdesk("en", "es", english, data_dir)
        report("newsdesk Apertium en→es", flags(english, drafts, en_es))
        back = newsdesk("es", "en", references["ref.es"], data_dir)
        report("newsdesk Apertium es→en", flags(references["ref.es"], back, es_en))


if __name__ == "__main__":
    main()
