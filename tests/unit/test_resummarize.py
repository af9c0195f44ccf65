"""`summary_for_edit`: what the pipeline hands the review store when an editor saves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.config import Settings
from service.pipeline.resummarize import summary_for_edit
from service.runtime import Runtime
from service.schemas import ArticleRequest
from tests.conftest import pivot_registry
from tests.helpers.fakes import FakeTranslator

BODY = "<p>The council met on Monday.</p><p>It voted for the budget.</p>"
EDITED = "<p>El pleno se reunió de urgencia.</p><p>IT VOTED FOR THE BUDGET.</p>"


@pytest.fixture
def pivot_runtime(settings: Settings) -> Iterator[tuple[Runtime, FakeTranslator]]:
    """English articles whose Spanish version is summarized through English."""
    registry, es_en, _ = pivot_registry()
    runtime = Runtime.open(settings, registry)
    runtime.pipeline.process(
        ArticleRequest(id="council", title="Council", body=BODY, source_lang="en")
    )
    yield runtime, es_en
    runtime.close()


def _head(runtime: Runtime) -> int:
    return runtime.review.view("council", "es").head.id


def test_an_edited_body_is_summarized_through_english_and_the_cache(
    pivot_runtime: tuple[Runtime, FakeTranslator],
) -> None:
    runtime, es_en = pivot_runtime
    made = summary_for_edit(
        runtime.pipeline, runtime.review, "council", "es", _head(runtime), body=EDITED
    )
    assert made is not None and made.body == EDITED
    # The English summarizer read the English translation of the edited body; its summary was
    # translated back into Spanish.
    assert made.text == "ES[EN[El pleno se reunió de urgencia.]]"
    assert made.engine == runtime.registry.summarizer("es").info.as_dict()
    asked = len(es_en.sentences)
    again = summary_for_edit(
        runtime.pipeline, runtime.review, "council", "es", _head(runtime), body=EDITED
    )
    assert again == made and len(es_en.sentences) == asked  # all from the cache


def test_nothing_is_made_when_the_body_is_unchanged_or_the_editor_wrote_the_summary(
    pivot_runtime: tuple[Runtime, FakeTranslator],
) -> None:
    runtime, es_en = pivot_runtime
    head = runtime.review.view("council", "es").head
    pipeline, store = runtime.pipeline, runtime.review
    assert summary_for_edit(pipeline, store, "council", "es", head.id, lede="Entradilla.") is None
    assert summary_for_edit(pipeline, store, "council", "es", head.id, body=head.body) is None
    mine = summary_for_edit(
        pipeline, store, "council", "es", head.id, body=EDITED, summary="Mi resumen."
    )
    assert mine is None
    saved = store.edit("council", "es", head.id, "ana", summary="Mi resumen.")
    later = summary_for_edit(pipeline, store, "council", "es", saved.revision.id, body=EDITED)
    assert later is None and es_en.sentences == []
    # A revision that is not this version's: the save itself answers it.
    assert summary_for_edit(pipeline, store, "council", "es", 999, body=EDITED) is None
