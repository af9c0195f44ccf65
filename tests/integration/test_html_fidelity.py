"""HTML fidelity with the real embedded engine (Apertium), through the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from tests.helpers.apertium_marks import apertium_client, needs_apertium

pytestmark = [needs_apertium, pytest.mark.apertium]
ARTICLE = (Path(__file__).parent.parent / "data" / "article.html").read_text(encoding="utf-8")


def _tree(html: str) -> list[tuple[str, dict[str, str]]]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(el.tag, dict(el.attrib)) for el in root.iter() if isinstance(el.tag, str)][1:]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from apertium_client(tmp_path_factory.mktemp("var"))


def test_markup_attributes_and_protected_spans_survive(client: TestClient) -> None:
    response = client.post(
        "/v1/articles", json={"title": "Parks", "body": ARTICLE, "source_lang": "en"}
    )
    assert response.status_code == 200
    es = response.json()["versions"]["es"]["body"]
    before, after = _tree(ARTICLE), _tree(es)
    assert [tag for tag, _ in after] == [tag for tag, _ in before]
    for (tag, attrs), (_, new_attrs) in zip(before, after, strict=True):
        for name, value in attrs.items():
            if name in ("alt", "title"):
                assert new_attrs[name] and new_attrs[name] != value
            else:
                assert new_attrs[name] == value, (tag, name)
    for kept in [
        "4.500.000",  # the same number, as a Spanish newsroom writes it (house style es-ES)
        "2026",
        "12",
        "https://example.org/parks",
        "press@example.org",
        '<span translate="no">Old Harbour Quarter</span>',
        '<p class="notranslate">Do not translate this sentence.</p>',
        "<pre>budget = 4500000</pre>",
        "<code>report-2025.pdf</code>",
    ]:
        assert kept in es
    assert "Kyiv" in es and "Kiev" not in es  # house glossary
    assert "parque" in es.lower()  # it was translated at all


def test_raw_apertium_html_mode_breaks_translate_no(tmp_path: Path) -> None:
    """Why the pipeline does markup itself: apertium -f html translates translate="no" text."""
    import subprocess

    html = '<p>The second park is in <span translate="no">Old Harbour Quarter</span>.</p>'
    raw = subprocess.run(
        ["apertium", "-u", "-f", "html", "eng-spa"], input=html, capture_output=True, text=True
    ).stdout
    assert "Old Harbour Quarter" not in raw


def test_a_glossary_name_keeps_its_possessive(client: TestClient) -> None:
    response = client.post(
        "/v1/translate",
        json={"text": "Zelenskyy’s envoy met the mayor of Kyiv.", "source": "en", "target": "es"},
    )
    assert response.status_code == 200
    assert response.json()["translation"] == "El enviado de Zelenskyy cumplió el alcalde de Kyiv."
