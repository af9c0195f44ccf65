"""`newsdesk tm` and `newsdesk glossary` run as a subprocess, the way other tools run them:
TMX round trip (import → the sentence translates from memory → export contains it), list,
delete, and a term list merged into the glossary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.store.tm_io import read_memory, tmx_origins
from tests.helpers.apertium_marks import needs_apertium
from tests.helpers.archive_pairs import BRIDGE_EN, BRIDGE_ES, write_linked_wxr, write_pairs_jsonl
from tests.helpers.memory_files import FERRY_EN, FERRY_ES, FOREIGN_TMX, TERMS_CSV

pytestmark = [needs_apertium, pytest.mark.apertium]
NEWSDESK = [sys.executable, "-m", "service.cli"]


def _run(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path / "var"),
        "NEWSDESK_ENGINE_PREFERENCE": "apertium",
    }
    env.pop("NEWSDESK_DATABASE_URL", None)
    env.pop("NEWSDESK_GLOSSARY_PATH", None)
    return subprocess.run(
        NEWSDESK + args, input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_tmx_round_trip_through_the_cli(tmp_path: Path) -> None:
    memory = tmp_path / "memory.tmx"
    memory.write_bytes(FOREIGN_TMX)
    imported = _run(["tm", "import", str(memory)], tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "imported 2 pairs: 2 added, 0 replaced, 0 unchanged\n"
    translated = _run(["translate", "-s", "en", "-t", "es"], tmp_path, FERRY_EN)
    assert translated.stdout.strip() == FERRY_ES
    out = tmp_path / "out.tmx"
    exported = _run(["tm", "export", "--out", str(out)], tmp_path)
    assert exported.returncode == 0, exported.stderr
    data = out.read_bytes()
    assert (FERRY_EN, FERRY_ES) in [
        (p.source, p.target) for p in read_memory("o.tmx", data, "en", "es")
    ]
    assert tmx_origins(data) == ["import", "import"]


def test_list_then_delete(tmp_path: Path) -> None:
    memory = tmp_path / "memory.tmx"
    memory.write_bytes(FOREIGN_TMX)
    _run(["tm", "import", str(memory)], tmp_path)
    listed = _run(["tm", "list"], tmp_path).stdout.splitlines()
    first_id, pair, origin, source, target = listed[0].split("\t")
    assert (pair, origin, source, target) == ("en-es", "import", FERRY_EN, FERRY_ES)
    assert _run(["tm", "delete", first_id], tmp_path).stdout == "deleted 1 entries\n"
    assert len(_run(["tm", "list"], tmp_path).stdout.splitlines()) == len(listed) - 1


def test_a_file_that_is_not_a_memory_is_a_clear_error(tmp_path: Path) -> None:
    terms = tmp_path / "terms.tbx"
    terms.write_text("<martif/>")
    result = _run(["tm", "import", str(terms)], tmp_path)
    assert result.returncode == 2
    assert "not a TMX or CSV translation memory: terms.tbx" in result.stderr


def test_glossary_import_merges_and_export_writes_tbx(tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_bytes(TERMS_CSV)
    imported = _run(["glossary", "import", str(terms)], tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("read 2 terms, 2 new or changed in ")
    translated = _run(["translate", "-s", "en", "-t", "es"], tmp_path, "Ask the harbour master.")
    assert "capitan de puerto" in translated.stdout
    out = tmp_path / "glossary.tbx"
    assert _run(["glossary", "export", "--out", str(out)], tmp_path).returncode == 0
    assert "<term>marea alta</term>" in out.read_text()


def test_align_stores_archive_pairs_that_are_reused_once_confirmed(tmp_path: Path) -> None:
    pairs = write_pairs_jsonl(tmp_path / "pairs.jsonl", ["{broken"])
    report = tmp_path / "report.jsonl"
    aligned = _run(["tm", "align", str(pairs), "--report", str(report)], tmp_path)
    assert aligned.returncode == 0, aligned.stderr
    assert aligned.stdout.startswith("aligned 2 article pairs, skipped 1: ")
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [line.get("id") for line in lines] == ["story-1", "story-2", None]
    assert lines[2] == {"where": "line 3", "skipped": "not a JSON line in UTF-8"}
    # Every sentence of these stories has its counterpart: most pairs are kept.
    assert all(line["kept"] >= line["es_sentences"] - 1 for line in lines[:2])
    listed = [
        row.split("\t")
        for row in _run(["tm", "list", "--unconfirmed"], tmp_path).stdout.splitlines()
    ]
    entries = {(pair, source): (entry_id, target) for entry_id, pair, _, source, target in listed}
    assert {origin for _, _, origin, _, _ in listed} == {"archive"}
    entry_id, target = entries[("en-es", BRIDGE_EN)]
    assert target == BRIDGE_ES
    assert entries[("es-en", BRIDGE_ES)][1] == BRIDGE_EN
    # Unconfirmed, the archive pair is not reused: Apertium translates the sentence.
    before = _run(["translate", "-s", "en", "-t", "es"], tmp_path, BRIDGE_EN).stdout.strip()
    assert before != BRIDGE_ES
    assert _run(["tm", "confirm", entry_id], tmp_path).stdout == "confirmed 1 archive entries\n"
    after = _run(["translate", "-s", "en", "-t", "es"], tmp_path, BRIDGE_EN).stdout.strip()
    assert after == BRIDGE_ES
    out = tmp_path / "out.tmx"
    _run(["tm", "export", "--out", str(out)], tmp_path)
    assert set(tmx_origins(out.read_bytes())) == {"archive"}
    assert out.read_bytes().count(b"x-confirmed-by") == 1


def test_align_reads_a_wordpress_export_linked_by_polylang(tmp_path: Path) -> None:
    export = write_linked_wxr(tmp_path / "export.xml", "polylang")
    result = _run(["tm", "align", str(export), "--dry-run"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("aligned 2 article pairs, skipped 1: ")
    assert "dry run: nothing stored" in result.stdout
    assert _run(["tm", "list"], tmp_path).stdout == ""


def test_align_refuses_a_file_it_cannot_read(tmp_path: Path) -> None:
    result = _run(["tm", "align", str(tmp_path / "pairs.csv")], tmp_path)
    assert result.returncode == 2
    assert "expected a .jsonl file of article pairs" in result.stderr


def test_align_skips_hostile_items_and_goes_on(tmp_path: Path) -> None:
    deep = "<div>" * 5000 + "Hi." + "</div>" * 5000
    hostile = [
        json.dumps({"id": "deep", "en": {"body": deep}, "es": {"body": deep}}),
        "[" * 100_000,
    ]
    pairs = write_pairs_jsonl(tmp_path / "pairs.jsonl", hostile)
    report = tmp_path / "report.jsonl"
    result = _run(["tm", "align", str(pairs), "--report", str(report)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("aligned 2 article pairs, skipped 2: ")
    skipped = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()][2:]
    assert skipped == [
        {"where": "id deep", "skipped": "markup is nested deeper than 100 levels"},
        {"where": "line 4", "skipped": "JSON nested too deeply"},
    ]
