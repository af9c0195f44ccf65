"""Article pairs for `newsdesk tm align` (service/batch/pairs.py): JSONL lines and WordPress
exports linked by Polylang or WPML, with every unusable item reported, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.batch.pairs import ArticlePair, SkippedPair, count_pairs, read_pairs
from tests.helpers.archive_pairs import STORIES, write_linked_wxr, write_pairs_jsonl


def test_jsonl_lines_become_pairs_and_bad_lines_are_reported(tmp_path: Path) -> None:
    path = write_pairs_jsonl(
        tmp_path / "pairs.jsonl",
        [
            "{not json",
            '{"id": true, "en": {"title": "a"}, "es": {"title": "b"}}',
            '{"id": 7, "en": {"title": "a"}}',
            '{"id": 8, "en": {"title": 3}, "es": {"title": "b"}}',
            '{"id": 9, "en": {"title": "Control\\u0007 char"}, "es": {"body": "b"}}',
        ],
    )
    items = list(read_pairs(path))
    assert count_pairs(path) == len(items) == 7
    first = items[0]
    assert isinstance(first, ArticlePair)
    assert (first.id, first.english, first.spanish) == ("story-1", *STORIES[0])
    skipped = [i for i in items if isinstance(i, SkippedPair)]
    assert [s.where for s in skipped] == ["line 3", "line 4", "line 5", "line 6"]
    assert "JSON" in skipped[0].reason and "id" in skipped[1].reason
    assert all('"en" and "es"' in s.reason for s in skipped[2:])
    last = items[-1]
    assert isinstance(last, ArticlePair) and last.english["title"] == "Control char"


@pytest.mark.parametrize("plugin", ["polylang", "wpml"])
def test_wxr_posts_linked_as_translations_pair_up(tmp_path: Path, plugin: str) -> None:
    items = list(read_pairs(write_linked_wxr(tmp_path / "export.xml", plugin)))
    pairs = [i for i in items if isinstance(i, ArticlePair)]
    assert [p.id for p in pairs] == ["10+20", "11+21"]
    assert pairs[0].english["title"] == STORIES[0][0]["title"]
    assert pairs[0].spanish["body"] == STORIES[0][1]["body"]
    assert [(s.where, s.reason) for s in items if isinstance(s, SkippedPair)] == [
        ("post 99", "not linked to a translation (WPML, Polylang)")
    ]
    assert count_pairs(tmp_path / "export.xml") is None


def test_wxr_text_is_cleaned_of_reserved_characters(tmp_path: Path) -> None:
    path = write_linked_wxr(tmp_path / "export.xml", "wpml")
    text = path.read_text(encoding="utf-8")
    title = STORIES[0][0]["title"]
    # XML allows private-use characters; the splitter masks abbreviations with U+E000.
    path.write_text(text.replace(title, "\ue000" + title + "\ue001"), encoding="utf-8")
    first = next(i for i in read_pairs(path) if isinstance(i, ArticlePair))
    assert first.english["title"] == title


def test_a_group_without_exactly_one_post_per_language_is_skipped(tmp_path: Path) -> None:
    path = write_linked_wxr(tmp_path / "export.xml", "polylang")
    text = path.read_text(encoding="utf-8")
    # The second story's Spanish post joins the first story's group: two Spanish posts there,
    # and the second group is left with English only.
    path.write_text(text.replace("pll_1", "pll_0"), encoding="utf-8")
    items = list(read_pairs(path))
    assert not [i for i in items if isinstance(i, ArticlePair)]
    reasons = {s.where: s.reason for s in items if isinstance(s, SkippedPair)}
    assert reasons["group pll:pll_0"] == "more than one post in one language"


def test_other_files_are_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected a .jsonl file of article pairs"):
        read_pairs(tmp_path / "pairs.csv")
