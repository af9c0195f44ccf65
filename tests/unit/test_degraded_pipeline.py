"""The article pipeline survives a store that cannot write or be read: the client still gets
its translation, the failure is counted, and nothing wrong is cached."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError

from service.config import Settings
from service.pipeline.article import ArticlePipeline
from service.pipeline.protect import GlossaryFile
from service.runtime import Runtime
from service.schemas import ArticleRequest
from service.store.articles import TransientArticles
from service.store.cache import open_cache
from tests.conftest import fake_registry
from tests.helpers.fakes import FakeTranslator

DISK_FULL = OperationalError(
    "INSERT INTO revisions", {}, sqlite3.OperationalError("database or disk is full")
)


def _errors(op: str) -> float:
    return REGISTRY.get_sample_value("newsdesk_store_errors_total", {"op": op}) or 0.0


def _request(n: int = 0, size: int = 1) -> ArticleRequest:
    paragraphs = "".join(
        f"<p>Paragraph {i} of article {n} says something new about the talks.</p>"
        for i in range(size)
    )
    return ArticleRequest(title=f"Talks open in Paris ({n})", body=paragraphs, source_lang="en")


def test_a_full_store_still_answers_and_stores_again_once_there_is_room(
    runtime: Runtime,
) -> None:
    first = runtime.pipeline.process(_request(0))
    assert first.versions["es"].review is not None
    engine = runtime.review.engine

    def full(connection: Any, record: Any) -> None:
        # A page limit at the file's current size: the next write that grows it is refused.
        connection.execute("PRAGMA max_page_count = 1")

    event.listen(engine, "connect", full)
    engine.dispose()
    before = _errors("save")
    answer = runtime.pipeline.process(_request(1, size=200))
    assert answer.versions["es"].title == "Talks open in Paris (1)"
    assert answer.versions["es"].review is None and answer.cached is False
    assert _errors("save") == before + 1
    assert runtime.review.get(answer.id) is None
    event.remove(engine, "connect", full)
    engine.dispose()
    again = runtime.pipeline.process(_request(1, size=200))
    assert again.cached is True and again.versions["es"].review is not None
    assert runtime.review.get(answer.id) is not None


class _Articles(TransientArticles):
    def __init__(self, error: Exception) -> None:
        self.error = error

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise self.error


def test_a_store_bug_is_not_taken_for_an_outage(settings: Settings) -> None:
    broken = IntegrityError("INSERT INTO articles", {}, sqlite3.IntegrityError("UNIQUE failed"))
    for error in (broken, ValueError("a bug")):
        pipeline = ArticlePipeline(
            settings,
            fake_registry(),
            open_cache(settings.model_copy(update={"cache_backend": "none"})),
            _Articles(error),
            GlossaryFile(settings.glossary_file),
        )
        with pytest.raises(type(error)):
            pipeline.process(_request())


class _Memory:
    """A translation memory whose store is unreadable while `down`."""

    def __init__(self) -> None:
        self.down = False
        self.stamp_down = False
        self.entries = {"Talks open in Paris (0)": "Se abren las conversaciones (0)"}

    def lookup(self, source: str, target: str, sentences: Sequence[str]) -> dict[str, str]:
        if self.down:
            raise OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))
        return {s: self.entries[s] for s in sentences if s in self.entries}

    def memory_stamp(self, source: str, target: str) -> str:
        if self.stamp_down:
            raise OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))
        return "1.1"


def _memory_pipeline(
    settings: Settings, memory: _Memory, engine: FakeTranslator
) -> ArticlePipeline:
    return ArticlePipeline(
        settings,
        fake_registry(forward=engine),
        open_cache(settings),
        TransientArticles(),
        GlossaryFile(settings.glossary_file),
        memory=memory,
    )


def test_an_unreadable_memory_gives_no_hits_and_its_result_is_not_cached(
    settings: Settings,
) -> None:
    settings.data_dir.mkdir(parents=True)
    memory, engine = _Memory(), FakeTranslator()
    pipeline = _memory_pipeline(settings, memory, engine)
    memory.down = True
    before = _errors("memory")
    degraded = pipeline.process(_request(0))
    assert degraded.versions["es"].title == "Talks open in Paris (0)"  # the engine's, not tm's
    assert _errors("memory") == before + 1
    memory.down = False
    healthy = pipeline.process(_request(0))
    assert healthy.cached is False, "an article translated without its memory was cached"
    assert healthy.versions["es"].title == "Se abren las conversaciones (0)"
    assert pipeline.process(_request(0)).cached is True


def test_a_memory_without_a_version_bypasses_the_article_cache(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    memory, engine = _Memory(), FakeTranslator()
    pipeline = _memory_pipeline(settings, memory, engine)
    pipeline.process(_request(0))
    translated = list(engine.sentences)
    memory.stamp_down = True
    before = _errors("memory")
    answer = pipeline.process(_request(0))
    # Counted (once for the cached entry it cannot check, once for the answer it cannot cache).
    assert answer.cached is False and _errors("memory") > before
    # The sentence cache still serves: the engine was asked nothing new.
    assert engine.sentences == translated
