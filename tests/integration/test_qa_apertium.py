"""QA flags on real Apertium drafts: a word Apertium does not know comes out untranslated and
is flagged, while the dates and numbers the pipeline writes itself pass."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.apertium_marks import apertium_client, needs_apertium

ARTICLE = {
    "id": "qa-apertium",
    "title": "Council vote",
    "body": "<p>The clueless manager resigned on March 12, 2026.</p>"
    "<p>Prices rose 3.5% to 12,000 euros.</p>",
    "source_lang": "en",
    "summary": False,
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from apertium_client(tmp_path / "var")


@needs_apertium
@pytest.mark.apertium
def test_an_apertium_draft_is_flagged_where_a_word_is_left_in_english(
    client: TestClient,
) -> None:
    draft = client.post("/v1/articles", json=ARTICLE).json()["versions"]["es"]
    assert "clueless" in draft["body"]  # Apertium's dictionary lacks it
    assert "12 de marzo de 2026" in draft["body"] and "3,5 %" in draft["body"]
    flags = [(f["field"], f["paragraph"], f["kind"], f["source"]) for f in draft["qa"]]
    assert flags == [("body", 0, "untranslated", "clueless")]
