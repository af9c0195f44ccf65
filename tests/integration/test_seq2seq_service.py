"""The whole service on tiny seq2seq models: loading from the manifest, provenance naming the
model, dynamic batching across concurrent HTTP clients, long articles, LibreTranslate's
alternatives from the models' n-best, and the fallback."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.engines.batching import DynamicBatcher
from service.engines.seq2seq_common import is_degenerate
from tests.helpers.apertium_marks import needs_apertium

pytestmark = pytest.mark.seq2seq
pytest.importorskip("ctranslate2", reason="the seq2seq extra is not installed")

from tests.helpers.seq2seq_fixtures import EN_ES, ES_EN, SUMMARIZER, news_sentences  # noqa: E402


def _settings(models_dir: Path, data_dir: Path, **extra: object) -> Settings:
    return Settings(
        models_dir=models_dir,
        data_dir=data_dir,
        engine_preference="ct2,hf,apertium",
        require_client_key=False,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def client(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    # Greedy: a sentence's greedy translation does not depend on its batch-mates (beam search
    # can differ in the last digits with padding), so concurrent answers can be compared.
    settings = _settings(
        tiny_models_dir, tmp_path_factory.mktemp("var"), cache_backend="none", beam_size=1
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_readiness_names_the_models_and_engines(client: TestClient) -> None:
    ready = client.get("/readyz").json()
    assert ready["pairs"]["en-es"]["engine"] == "ct2"
    assert ready["pairs"]["en-es"]["model"] == EN_ES
    assert ready["pairs"]["es-en"]["engine"] == "hf"  # not converted in the fixture
    assert ready["pairs"]["en-es"]["fallback"] is False
    assert ready["summaries"]["en"]["model"].startswith(SUMMARIZER)


def test_a_3000_word_article_translates_every_sentence(client: TestClient) -> None:
    # Without numbers: a random model drops placeholders, and the restored number appended
    # at the end would make the length check below about the fixture, not the service.
    sentences = [s for s in news_sentences("en", 400, seed=21) if not re.search(r"\d", s)]
    chosen: list[str] = []
    while sum(len(s.split()) for s in chosen) < 3000:
        chosen.append(sentences[len(chosen) % len(sentences)])
    body = "".join(f"<p>{s}</p>" for s in chosen)
    response = client.post(
        "/v1/articles",
        json={"title": "A long report", "body": body, "source_lang": "en", "summary": False},
    )
    assert response.status_code == 200
    es = response.json()["versions"]["es"]
    paragraphs = re.findall(r"<p>(.*?)</p>", es["body"], flags=re.S)
    assert len(paragraphs) == len(chosen)
    assert all(p.strip() for p in paragraphs)
    # One sentence a paragraph (and the title): each got its own translation.
    assert es["provenance"]["sentences"]["engine"] == len(chosen) + 1
    assert es["provenance"]["translation"]["engine"] == "ct2"
    assert es["provenance"]["translation"]["model"] == EN_ES
    looping = [s for s, p in zip(chosen, paragraphs, strict=True) if is_degenerate(s, p)]
    assert looping == []


def test_concurrent_clients_share_batches(client: TestClient) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    batcher = runtime.registry.translators[("en", "es")]
    assert isinstance(batcher, DynamicBatcher)
    before = batcher.counters()
    sentences = news_sentences("en", 16, seed=33)
    results: dict[int, str] = {}
    barrier = threading.Barrier(len(sentences))

    def post(index: int) -> None:
        barrier.wait()
        response = client.post(
            "/v1/translate", json={"text": sentences[index], "source": "en", "target": "es"}
        )
        results[index] = response.json()["translation"]

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(sentences))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    after = batcher.counters()
    batches = int(after["batches_run"]) - int(before["batches_run"])  # type: ignore[call-overload]
    assert len(results) == len(sentences) and all(results.values())
    assert batches < len(sentences), "requests were not merged into shared batches"
    # Each client got its own sentence back: the same answer as when asked alone.
    for index in (0, 7, 15):
        alone = client.post(
            "/v1/translate", json={"text": sentences[index], "source": "en", "target": "es"}
        ).json()["translation"]
        assert alone == results[index]


@pytest.mark.parametrize(("source", "target"), [("en", "es"), ("es", "en")])
def test_libretranslate_alternatives_come_from_the_models_nbest(
    client: TestClient, source: str, target: str
) -> None:
    # ct2 serves en->es and hf es->en. Without numbers: a random model drops placeholders, and
    # a hypothesis that drops one is left out.
    texts = [s for s in news_sentences(source, 40, seed=5) if not re.search(r"\d", s)][:10]
    answers = [
        client.post(
            "/translate", json={"q": t, "source": source, "target": target, "alternatives": 3}
        ).json()
        for t in texts
    ]
    assert any(answer["alternatives"] for answer in answers)
    for answer in answers:
        others = answer["alternatives"]
        assert len(others) <= 3 and len(set(others)) == len(others) and all(others)
        assert answer["translatedText"] not in others
    many = client.post(
        "/translate", json={"q": texts[:4], "source": source, "target": target, "alternatives": 2}
    ).json()
    assert len(many["alternatives"]) == 4
    for translated, others in zip(many["translatedText"], many["alternatives"], strict=True):
        assert len(others) <= 2 and len(set(others)) == len(others)
        assert translated not in others


def test_summary_route_names_the_summarizer(client: TestClient) -> None:
    text = " ".join(news_sentences("en", 12, seed=5))
    response = client.post("/v1/summarize", json={"text": text, "lang": "en", "max_words": 30})
    assert response.status_code == 200
    assert response.json()["provenance"]["model"] == SUMMARIZER
    assert 0 < len(response.json()["summary"].split()) <= 30


@needs_apertium
def test_a_removed_model_falls_back_to_apertium(tiny_models_dir: Path, tmp_path: Path) -> None:
    models = Path(shutil.copytree(tiny_models_dir, tmp_path / "models"))
    shutil.rmtree(models / EN_ES)
    shutil.rmtree(models / f"{EN_ES}-ct2")
    with TestClient(create_app(_settings(models, tmp_path / "var"))) as client:
        ready = client.get("/readyz").json()
        article = client.post(
            "/v1/articles", json={"title": "The house is red.", "body": "", "source_lang": "en"}
        ).json()
    assert ready["pairs"]["en-es"]["engine"] == "apertium"
    assert ready["pairs"]["en-es"]["fallback"] is True
    assert EN_ES in ready["pairs"]["en-es"]["reason"]
    assert ready["pairs"]["es-en"]["model"] == ES_EN
    provenance = article["versions"]["es"]["provenance"]
    assert provenance["translation"]["engine"] == "apertium" and provenance["fallback"] is True
