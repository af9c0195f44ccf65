"""QA: glossary terms the translation does not follow."""

from __future__ import annotations

from service.pipeline.qa.flags import QaContext
from service.pipeline.qa.glossary import check_glossary

CONTEXT = QaContext("en", "es", terms={"Kyiv": "Kyiv", "city council": "ayuntamiento"})


def test_terms_written_as_the_glossary_wants_pass() -> None:
    source = "The city council of Kyiv met."
    assert check_glossary(source, "El ayuntamiento de Kyiv se reunió.", CONTEXT) == []


def test_a_term_not_followed_is_flagged() -> None:
    found = check_glossary(
        "The city council of Kyiv met.", "El consejo de Kiev se reunió.", CONTEXT
    )
    assert [(f.kind, f.source) for f in found] == [
        ("glossary", "Kyiv"),
        ("glossary", "city council"),
    ]
