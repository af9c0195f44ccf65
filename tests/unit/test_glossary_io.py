"""Term lists in and out of the TOML glossary (service/pipeline/glossary_io.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.pipeline.glossary_io import (
    UnreadableTermFile,
    current_glossary,
    merge_terms,
    read_terms,
    write_terms,
)
from service.pipeline.protect import DEFAULT_GLOSSARY, Glossary, GlossaryFile
from tests.helpers.memory_files import TERMS_CSV

TERMS = {"harbour master": "capitan de puerto", "tide, high": "marea alta"}


def test_csv_terms_are_read() -> None:
    assert read_terms("terms.csv", TERMS_CSV, "en", "es") == TERMS


@pytest.mark.parametrize("name", ["terms.tbx", "terms.csv"])
def test_written_terms_read_back(name: str) -> None:
    assert read_terms(name, write_terms(name, TERMS, "en", "es"), "en", "es") == TERMS


def test_tbx_terms_of_another_pair_are_not_taken() -> None:
    data = write_terms("t.tbx", TERMS, "en", "es")
    assert read_terms("t.tbx", data, "es", "en") == {v: k for k, v in TERMS.items()}
    assert read_terms("t.tbx", data, "en", "fr") == {}


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(UnreadableTermFile) as raised:
        read_terms("terms.xlsx", b"", "en", "es")
    assert raised.value.message == "not a TBX or CSV term list: terms.xlsx"


def test_merge_starts_from_the_default_and_keeps_its_other_tables(tmp_path: Path) -> None:
    path = tmp_path / "glossary.toml"
    default = Glossary.load(DEFAULT_GLOSSARY)
    assert merge_terms(path, "en", "es", TERMS) == 2
    merged = current_glossary(path)
    assert merged.keep == default.keep
    assert merged.pairs["es-en"] == default.pairs["es-en"]
    assert merged.pairs["en-es"] == {**default.pairs["en-es"], **TERMS}
    assert merge_terms(path, "en", "es", {"harbour master": "capitán de puerto"}) == 1
    assert current_glossary(path).pairs["en-es"]["harbour master"] == "capitán de puerto"
    assert [p.name for p in tmp_path.iterdir()] == ["glossary.toml"]  # no temporary left


def test_a_running_glossary_picks_up_the_file_once_it_is_created(tmp_path: Path) -> None:
    path = tmp_path / "glossary.toml"
    glossary = GlossaryFile(path)
    assert "harbour master" not in glossary.current().terms("en", "es")
    merge_terms(path, "en", "es", TERMS)
    assert glossary.current().terms("en", "es")["harbour master"] == "capitan de puerto"
