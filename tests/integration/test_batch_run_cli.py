"""`newsdesk batch run` end to end, in subprocesses: kill -9 at a third and run again; a WordPress
export read and translated."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from service.batch.readers import ERR_WXR_MISSING_ID
from tests.helpers.batch_helpers import (
    NEWSDESK,
    ROOT,
    cli_env,
    complete_lines,
    engine_calls,
    newsdesk,
    read_results,
)
from tests.helpers.fixtures_wxr import (
    WXR_ATTACHMENT_ID,
    WXR_BROKEN_POSITION,
    WXR_PAGE_ID,
    make_jsonl,
    make_wxr,
    wxr_post_body,
    wxr_post_excerpt,
    wxr_post_id,
    wxr_post_lang,
    wxr_post_title,
)

APERTIUM_MODE = Path("/usr/share/apertium/modes/eng-spa.mode")


def _wait_for_lines(path: Path, n: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while complete_lines(path) < n:
        if proc.poll() is not None:
            raise AssertionError(f"batch run exited early with {proc.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {n} results after {timeout} s")
        time.sleep(0.005)


def test_kill_9_at_a_third_then_the_same_command_completes_without_recomputing(
    tmp_path: Path,
) -> None:
    source, out, calls = tmp_path / "archive.jsonl", tmp_path / "out.jsonl", tmp_path / "calls"
    make_jsonl(source, 100)
    # No cache at all: an article computed again would have to call the engine again, so the
    # engine's calls file counts exactly what each run computed. 40 ms per call (one call per
    # article) leaves time to kill the run between two articles' writes.
    env = cli_env(
        tmp_path / "var",
        engine_preference="echo",
        echo_delay_ms=40,
        echo_calls_file=calls,
        cache_backend="none",
    )
    args = ["batch", "run", str(source), "--out", str(out)]
    with (tmp_path / "first.log").open("wb") as log:
        proc = subprocess.Popen([*NEWSDESK, *args], env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            _wait_for_lines(out, 33, proc, timeout=90)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    before = read_results(out) if out.read_bytes().endswith(b"\n") else None
    done_first = complete_lines(out)
    assert 33 <= done_first <= 50, done_first
    first_calls = len(engine_calls(calls))
    assert done_first <= first_calls <= done_first + 1  # at most the one in flight at the kill
    # What a kill in the middle of a write leaves (whether or not this kill did).
    with out.open("ab") as f:
        f.write(b'{"id": "a0000')

    second = newsdesk(*args, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "skipped (already done)" in second.stderr

    rows = read_results(out)
    assert [r["id"] for r in rows] == [f"a{i:06d}" for i in range(100)]  # once each, in order
    if before is not None:
        assert rows[: len(before)] == before  # finished lines untouched
    for row in rows:
        assert set(row["versions"]) == {"en", "es"}
        for version in row["versions"].values():
            assert version["title"] and version["body"] and version["summary"]
    # Engine call counter: the second run computed exactly the articles not in OUT yet.
    calls_second = engine_calls(calls)[first_calls:]
    assert len(calls_second) == 100 - done_first
    titles = {r["versions"][r["source_lang"]]["title"]: r["id"] for r in rows}
    recomputed = sorted(titles[c["sentences"][0]] for c in calls_second)
    assert recomputed == [f"a{i:06d}" for i in range(done_first, 100)]


def _check_wxr_results(rows: list[dict], engine: str) -> None:
    assert [r["id"] for r in rows] == [wxr_post_id(i) for i in range(1, 51)]
    for i, row in enumerate(rows, start=1):
        lang = wxr_post_lang(i)
        other = "es" if lang == "en" else "en"
        assert row["source_lang"] == lang  # from the Polylang taxonomy
        original, translated = row["versions"][lang], row["versions"][other]
        assert original["title"] == wxr_post_title(i)
        assert original["body"] == wxr_post_body(i)  # HTML as exported, untouched
        assert original["lede"] == wxr_post_excerpt(i)
        assert original["summary"] and translated["summary"]
        assert translated["provenance"]["translation"]["engine"] == engine
        body = translated["body"]
        for mark in ("<strong>", "<em>", "<li>", "<figcaption>", f"uploads/{i}.jpg", "<a href="):
            assert mark in body, (i, mark)
        if engine == "apertium":
            assert translated["title"] != original["title"] and body != original["body"]


@pytest.mark.parametrize(
    "engine",
    [
        "echo",
        pytest.param(
            "apertium",
            marks=[
                pytest.mark.apertium,
                pytest.mark.skipif(
                    not APERTIUM_MODE.exists(), reason="apertium-eng-spa is not installed"
                ),
            ],
        ),
    ],
)
def test_wordpress_export_with_50_posts(tmp_path: Path, engine: str) -> None:
    source, out = tmp_path / "export.xml", tmp_path / "out.jsonl"
    errors = tmp_path / "problems.jsonl"
    make_wxr(source, posts=50)
    env = cli_env(tmp_path / "var", engine_preference=engine)
    args = ["batch", "run", str(source), "--out", str(out), "--errors", str(errors)]
    result = newsdesk(*args, env=env, timeout=300)
    assert result.returncode == 1, result.stderr  # 1: one item could not be read
    rows = read_results(out)
    _check_wxr_results(rows, engine)
    assert {WXR_PAGE_ID, WXR_ATTACHMENT_ID}.isdisjoint(r["id"] for r in rows)
    assert read_results(errors) == [
        {"id": None, "position": WXR_BROKEN_POSITION, "stage": "read", "error": ERR_WXR_MISSING_ID}
    ]
    # Run again: nothing to do, the same unreadable item reported again.
    again = newsdesk(*args, env=env, timeout=120)
    assert again.returncode == 1 and read_results(out) == rows
    assert len(read_results(errors)) == 1


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stops_cleanly_and_the_rerun_completes(
    tmp_path: Path, signum: signal.Signals
) -> None:
    source, out = tmp_path / "archive.jsonl", tmp_path / "out.jsonl"
    make_jsonl(source, 40)
    env = cli_env(tmp_path / "var", engine_preference="echo", echo_delay_ms=40)
    args = ["batch", "run", str(source), "--out", str(out)]
    proc = subprocess.Popen(
        [*NEWSDESK, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _wait_for_lines(out, 8, proc, timeout=60)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert b"batch run interrupted" in stderr
    assert out.read_bytes().endswith(b"\n")  # stopped between two articles' lines
    first = complete_lines(out)
    assert 8 <= first < 40
    again = newsdesk(*args, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert [r["id"] for r in read_results(out)] == [f"a{i:06d}" for i in range(40)]
