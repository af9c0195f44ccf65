"""Shared fixtures: settings in a temporary data dir, and registries of fake engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import Settings
from service.engines.registry import Choice, EngineRegistry
from service.engines.seq2seq_loader import PivotSummarizer
from service.runtime import Runtime
from tests.helpers.fakes import FakeSummarizer, FakeTranslator


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Client keys are the auth tests' business (tests/api/test_auth.py sets them back on), and
    # rate limits the quota tests' (tests/api/test_quotas.py).
    return Settings(
        data_dir=tmp_path / "var",
        models_dir=tmp_path / "models",
        pairs="en-es,es-en",
        require_client_key=False,
        rate_limit_rpm=0,
        rate_limit_chars_per_day=0,
    )


def fake_registry(
    forward: FakeTranslator | None = None, backward: FakeTranslator | None = None
) -> EngineRegistry:
    registry = EngineRegistry()
    registry.translators[("en", "es")] = forward or FakeTranslator("en", "es")
    registry.translators[("es", "en")] = backward or FakeTranslator("es", "en")
    for lang in ("en", "es"):
        registry.summarizers[lang] = FakeSummarizer(lang)
        registry.choices.append(Choice(f"summary-{lang}", "fake-summary", "fake", False, "test"))
    registry.choices.append(Choice("en-es", "fake", "fake", False, "test"))
    registry.choices.append(Choice("es-en", "fake", "fake", False, "test"))
    return registry


def pivot_registry() -> tuple[EngineRegistry, FakeTranslator, FakeTranslator]:
    """Fake engines where Spanish is summarized through English, as with BART: (registry,
    es->en engine, en->es engine). The translators mark their output: "EN[...]", "ES[...]"."""
    es_en = FakeTranslator("es", "en", lambda text: f"EN[{text}]")
    en_es = FakeTranslator("en", "es", lambda text: f"ES[{text}]")
    registry = fake_registry(forward=en_es, backward=es_en)
    registry.summarizers["es"] = PivotSummarizer("es", FakeSummarizer("en"), es_en, en_es)
    return registry, es_en, en_es


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime.open(settings, fake_registry())
    yield rt
    rt.close()
