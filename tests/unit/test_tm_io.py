"""TMX and CSV memory files read and written through translate-toolkit (service/store/tm_io.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.store.memory_records import MemoryPair, MemoryRecord
from service.store.tm_io import UnreadableMemoryFile, read_memory, tmx_origins, write_tmx
from tests.helpers.memory_files import FERRY_EN, FERRY_ES, FOREIGN_TMX

WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_tmx_with_regional_codes_gives_the_pairs_of_both_languages() -> None:
    pairs = read_memory("memory.tmx", FOREIGN_TMX, "en", "es")
    assert pairs == [
        MemoryPair("en", "es", FERRY_EN, FERRY_ES),
        MemoryPair(
            "en",
            "es",
            "Volunteers painted the & old school.",
            "Voluntarios pintaron la & vieja escuela.",
        ),
    ]


def test_tmx_read_in_the_other_direction_swaps_the_sides() -> None:
    pairs = read_memory("memory.TMX", FOREIGN_TMX, "es", "en")
    assert pairs[0] == MemoryPair("es", "en", FERRY_ES, FERRY_EN)


def test_written_tmx_reads_back_with_each_origin_as_a_property() -> None:
    records = [
        MemoryRecord(
            1, "en", "es", "A <b> tag & more.", "Una <b> etiqueta y más.", "import", "ana", WHEN
        ),
        MemoryRecord(2, "es", "en", "Buenos días.", "Good morning.", "editor", "ben", WHEN),
    ]
    data = write_tmx(records)
    assert tmx_origins(data) == ["import", "editor"]
    # TMX has no direction: each unit gives a pair either way.
    assert read_memory("out.tmx", data, "en", "es") == [
        MemoryPair("en", "es", "A <b> tag & more.", "Una <b> etiqueta y más."),
        MemoryPair("en", "es", "Good morning.", "Buenos días."),
    ]
    assert read_memory("out.tmx", data, "es", "en")[1] == MemoryPair(
        "es", "en", "Buenos días.", "Good morning."
    )


def test_archive_entries_keep_their_origin_and_confirmation_through_tmx() -> None:
    records = [
        MemoryRecord(1, "en", "es", "Rain today.", "Lluvia hoy.", "archive", "archive", WHEN),
        MemoryRecord(
            2, "en", "es", "Sun later.", "Sol después.", "archive", "archive", WHEN, "ana"
        ),
    ]
    data = write_tmx(records)
    assert tmx_origins(data) == ["archive", "archive"]
    assert data.count(b'<prop type="x-confirmed-by">ana</prop>') == 1
    # Read back, an archive unit stays archive (a suggestion until confirmed here), never
    # an import that would be reused unreviewed.
    assert [p.origin for p in read_memory("out.tmx", data, "en", "es")] == ["archive"] * 2


def test_csv_needs_its_header() -> None:
    data = b'source,target\n"Rain, then sun.","Lluvia, luego sol."\n'
    assert read_memory("m.csv", data, "en", "es") == [
        MemoryPair("en", "es", "Rain, then sun.", "Lluvia, luego sol.")
    ]
    with pytest.raises(UnreadableMemoryFile) as raised:
        read_memory("m.csv", b"Rain.,Lluvia.\n", "en", "es")
    assert raised.value.message == "not a TMX or CSV translation memory: m.csv"


@pytest.mark.parametrize(("name", "data"), [("m.tmx", b"<tmx><body>"), ("m.xliff", b"<x/>")])
def test_other_files_are_a_clear_error(name: str, data: bytes) -> None:
    with pytest.raises(UnreadableMemoryFile) as raised:
        read_memory(name, data, "en", "es")
    assert raised.value.message == f"not a TMX or CSV translation memory: {name}"
    assert raised.value.status_code == 400
