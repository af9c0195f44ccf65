"""The CLI contracts, run as a subprocess the way other tools run it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from service.config import Settings
from tests.helpers.apertium_marks import needs_apertium

pytestmark = [needs_apertium, pytest.mark.apertium]
NEWSDESK = [sys.executable, "-m", "service.cli"]


def _run(
    args: list[str], stdin: str, tmp_path: Path, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path / "var"),
        "NEWSDESK_ENGINE_PREFERENCE": "apertium",
        **extra_env,
    }
    return subprocess.run(
        NEWSDESK + args, input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_translate_lines_gives_one_line_per_input_line(tmp_path: Path) -> None:
    stdin = "The house is red.\n\nFirst sentence. Second sentence.\n   \nGood morning\n"
    result = _run(["translate", "--source", "en", "--target", "es", "--lines"], stdin, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == 5
    assert lines[0] == "La casa es roja."
    assert lines[1] == "" and lines[3] == ""
    assert lines[2].count(".") == 2 and lines[4]


def test_translate_html_and_the_reverse_direction(tmp_path: Path) -> None:
    html = '<p>The house is <a href="/x">red</a>.</p>'
    result = _run(["translate", "-s", "en", "-t", "es", "--format", "html"], html, tmp_path)
    assert result.stdout == '<p>La casa es <a href="/x">roja</a>.</p>'
    back = _run(["translate", "-s", "es", "-t", "en"], "La casa es roja.", tmp_path)
    assert back.stdout == "The house is red."


def test_unsupported_pair_is_a_clear_error(tmp_path: Path) -> None:
    result = _run(["translate", "-s", "en", "-t", "fr"], "Hello", tmp_path)
    assert result.returncode == 2
    assert "unsupported language pair: en→fr" in result.stderr


def test_summarize_keeps_the_budget(tmp_path: Path) -> None:
    text = "\n\n".join(
        f"The council met on day {i} to discuss the new parks budget for the city."
        for i in range(8)
    )
    result = _run(["summarize", "--lang", "en", "--max-words", "30"], text, tmp_path)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip()
    assert summary and len(summary.split()) <= 30 and summary in text.replace("\n\n", " ")


@pytest.mark.seq2seq
def test_spanish_summaries_go_through_the_installed_english_summarizer(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    from tests.helpers.seq2seq_fixtures import EN_ES, ES_EN, SUMMARIZER, long_article

    article = long_article("es")
    result = _run(
        ["summarize", "--lang", "es", "--max-words", "20"],
        article,
        tmp_path,
        NEWSDESK_MODELS_DIR=str(tiny_models_dir),
        NEWSDESK_ENGINE_PREFERENCE="ct2,hf,apertium",
    )
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip()
    # The extractive summarizer would have printed sentences of the article itself.
    assert summary and summary not in " ".join(article.split())
    assert f"summary by seq2seq: {SUMMARIZER}+{ES_EN}+{EN_ES}" in result.stderr


@pytest.mark.seq2seq
def test_spanish_summaries_name_the_bart_pivot_and_leave_their_translations_cached(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    from tests.helpers.seq2seq_fixtures import (
        BART,
        BART_ENTRY,
        EN_ES,
        ES_EN,
        TINY_MANIFEST,
        build_bart_summarizer,
        long_article,
        news_sentences,
        write_manifest,
    )

    # What models/manifest.toml names: bart-large-cnn for English, Spanish through it.
    models = Path(shutil.copytree(tiny_models_dir, tmp_path / "models"))
    build_bart_summarizer(models / BART, news_sentences("en", 300, seed=4), seed=5)
    write_manifest(models, [*TINY_MANIFEST[:2], BART_ENTRY])
    env = {"NEWSDESK_MODELS_DIR": str(models), "NEWSDESK_ENGINE_PREFERENCE": "ct2,hf,apertium"}
    article = long_article("es", sentences=12)
    first = _run(["summarize", "--lang", "es", "--max-words", "20"], article, tmp_path, **env)
    assert first.returncode == 0, first.stderr
    assert f"summary by seq2seq: {BART}+{ES_EN}+{EN_ES}" in first.stderr
    # The translations went through the pipeline's cache (the data dir's SQLite file).
    cache = Settings(data_dir=tmp_path / "var").sqlite_path
    with sqlite3.connect(cache) as conn:
        cached = conn.execute("SELECT count(*) FROM kv_cache").fetchone()[0]
    assert cached > 0
    again = _run(["summarize", "--lang", "es", "--max-words", "20"], article, tmp_path, **env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout and first.stdout.strip()
    with sqlite3.connect(cache) as conn:
        # Nothing new: the second run found every translation in the cache.
        assert conn.execute("SELECT count(*) FROM kv_cache").fetchone()[0] == cached
