"""`newsdesk tm` and `newsdesk glossary` run as a subprocess, the way other tools run them:
TMX round trip (import → the sentence translates from memory → export contains it), list,
delete, and a term list merged into the glossary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.store.tm_io import read_memory, tmx_origins
from tests.helpers.apertium_marks import needs_apertium
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
