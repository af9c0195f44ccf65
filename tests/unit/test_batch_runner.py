"""The resumable batch runner, in process, with the counting fake engines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from service.batch.articles import ERR_DUPLICATE, content_hash, to_request
from service.batch.readers import read_archive
from service.batch.runner import OutputCorrupt, recover_output, run_batch
from service.config import Settings
from service.runtime import Runtime
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator
from tests.helpers.fixtures_wxr import make_jsonl


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_jsonl(path: Path, rows: list[dict | str]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(row if isinstance(row, str) else json.dumps(row))
            f.write("\n")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    make_jsonl(path, 12)
    return path


def test_every_article_once_with_the_api_response(runtime: Runtime, archive: Path, tmp_path: Path):
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    stats = run_batch(runtime.pipeline, archive, out, errors)
    assert (stats.done, stats.skipped, stats.failed, stats.read) == (12, 0, 0, 12)
    rows = _lines(out)
    assert [r["id"] for r in rows] == [f"a{i:06d}" for i in range(12)]
    # Each line is exactly what POST /v1/articles answers for the same request (now cached).
    first = next(a for a in read_archive(archive) if not hasattr(a, "message"))
    again = runtime.pipeline.process(to_request(first))  # type: ignore[arg-type]
    assert again.cached is True
    assert again.model_copy(update={"cached": False}).model_dump(mode="json") == rows[0]
    for row in rows:
        assert set(row["versions"]) == {"en", "es"}
        assert all(v["summary"] for v in row["versions"].values())
    assert errors.read_text() == ""
    assert stats.sentences > 0 and stats.hit_ratio == 0.0


def test_second_run_skips_finished_articles_without_calling_the_engine(
    runtime: Runtime, archive: Path, tmp_path: Path
) -> None:
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    run_batch(runtime.pipeline, archive, out, errors)
    before = out.read_bytes()
    engines = [runtime.registry.translators[p] for p in (("en", "es"), ("es", "en"))]
    calls = [e.calls for e in engines]  # type: ignore[attr-defined]
    stats = run_batch(runtime.pipeline, archive, out, errors)
    assert (stats.done, stats.skipped) == (0, 12)
    assert [e.calls for e in engines] == calls  # type: ignore[attr-defined]
    assert out.read_bytes() == before


def test_interrupted_run_resumes_and_ends_with_each_article_once(
    settings: Settings, archive: Path, tmp_path: Path
) -> None:
    class Interrupting(FakeTranslator):
        def translate_batch(self, texts):  # type: ignore[no-untyped-def]
            if self.calls == 3:
                raise KeyboardInterrupt
            return super().translate_batch(texts)

    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    forward, backward = Interrupting("en", "es"), Interrupting("es", "en")
    rt = Runtime.open(settings, fake_registry(forward, backward))
    stats = run_batch(rt.pipeline, archive, out, errors)
    rt.close()
    assert stats.interrupted and stats.done == 6  # three articles each way, then Ctrl-C
    # A torn line, as a kill during the write leaves it.
    with out.open("ab") as f:
        f.write(b'{"id": "a000006", "source_lang": "en", "vers')
    forward, backward = FakeTranslator("en", "es"), FakeTranslator("es", "en")
    rt = Runtime.open(Settings(data_dir=tmp_path / "fresh"), fake_registry(forward, backward))
    stats = run_batch(rt.pipeline, archive, out, errors)
    rt.close()
    assert (stats.done, stats.skipped, stats.truncated_bytes) == (6, 6, 44)
    assert [r["id"] for r in _lines(out)] == [f"a{i:06d}" for i in range(12)]
    assert forward.calls + backward.calls == 6  # only the unfinished ones were computed


def test_failures_and_unreadable_items_go_to_the_errors_file(
    settings: Settings, tmp_path: Path
) -> None:
    def explode(text: str) -> str:
        if "boom" in text:
            raise RuntimeError("engine exploded")
        return text

    path = tmp_path / "in.jsonl"
    _write_jsonl(
        path,
        [
            {
                "id": "ok1",
                "title": "First story",
                "body": "<p>All is well.</p>",
                "source_lang": "en",
            },
            {
                "id": "bad",
                "title": "Second boom",
                "body": "<p>It goes boom.</p>",
                "source_lang": "en",
            },
            "{not json",
            {"id": "x" * 201, "title": "Long id", "body": "<p>Too long.</p>", "source_lang": "en"},
            {"id": "ok1", "title": "Again", "body": "<p>Same id.</p>", "source_lang": "en"},
            {"id": "ok2", "title": "Third story", "body": "<p>Fine too.</p>", "source_lang": "en"},
        ],
    )
    rt = Runtime.open(settings, fake_registry(FakeTranslator(fn=explode)))
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    stats = run_batch(rt.pipeline, path, out, errors)
    rt.close()
    assert [r["id"] for r in _lines(out)] == ["ok1", "ok2"]
    assert (stats.done, stats.failed, stats.read_errors, stats.duplicates) == (2, 2, 1, 1)
    problems = _lines(errors)
    assert [(p["position"], p["id"], p["stage"]) for p in problems] == [
        (2, "bad", "process"),
        (3, None, "read"),
        (4, "x" * 201, "process"),
        (5, "ok1", "read"),
    ]
    assert problems[0]["error"] == "RuntimeError: engine exploded"
    assert problems[1]["error"] == "invalid JSON"
    assert problems[2]["error"].startswith("invalid article: id: String should have at most 200")
    assert problems[3]["error"] == ERR_DUPLICATE


def test_limit_and_since_select_the_same_articles_every_time(
    runtime: Runtime, archive: Path, tmp_path: Path
) -> None:
    # make_jsonl dates article i in year 2010 + i % 15: a000005.. are 2015 or later.
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    stats = run_batch(runtime.pipeline, archive, out, errors, since=date(2015, 1, 1), limit=4)
    assert [r["id"] for r in _lines(out)] == ["a000005", "a000006", "a000007", "a000008"]
    assert (stats.filtered, stats.done) == (5, 4)
    stats = run_batch(runtime.pipeline, archive, out, errors, since=date(2015, 1, 1), limit=4)
    assert (stats.done, stats.skipped) == (0, 4)


def test_recover_output_cuts_only_a_torn_last_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert recover_output(out) == (set(), 0)
    out.write_bytes(b'{"id": "a"}\n\n{"id": "b"}\n{"id": "c", "x"')
    assert recover_output(out) == ({"a", "b"}, len(b'{"id": "c", "x"'))
    assert out.read_bytes() == b'{"id": "a"}\n\n{"id": "b"}\n'
    out.write_bytes(b'{"id": "a"}\n{"id": "b"}')  # complete JSON but no newline: torn too
    assert recover_output(out) == ({"a"}, len(b'{"id": "b"}'))
    out.write_bytes(b'{"id": "a"}\n[1, 2]\n')  # not a result, as last line: cut
    assert recover_output(out) == ({"a"}, 7)
    out.write_bytes(b'{"id": "a"}\ngarbage\n{"id": "b"}\n')
    with pytest.raises(OutputCorrupt, match="line 2 is not a batch result"):
        recover_output(out)
    assert out.read_bytes() == b'{"id": "a"}\ngarbage\n{"id": "b"}\n'  # left as it was


def test_content_hash_follows_the_content(archive: Path) -> None:
    first = next(iter(read_archive(archive)))
    request = to_request(first)  # type: ignore[arg-type]
    assert content_hash(request) == content_hash(to_request(first))  # type: ignore[arg-type]
    assert content_hash(request) != content_hash(request.model_copy(update={"title": "Other"}))
