"""The app the browser tests serve under a real uvicorn (`--factory`): settings from the
environment like `newsdesk serve`, engines replaced by a small deterministic English→Spanish
fake whose revision comes from NEWSDESK_TEST_ENGINE_REVISION (a "model upgrade" is a restart
with another revision)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from service.app import create_app
from service.config import Settings
from service.engines.base import EngineInfo
from service.engines.registry import Choice, EngineRegistry
from tests.helpers.fakes import FLAWED_DRAFTS, FakeSummarizer, FakeTranslator

PHRASES = {
    "Talks open in Paris": "Se abren conversaciones en París",
    "The talks begin in Paris on Monday.": "Las conversaciones empiezan en Paris el lunes.",
    "Ministers from five countries attend.": "Asisten ministros de cinco paises.",
    "The envoy will brief them on the meeting.": "El enviado les informará sobre la reunión.",
    "Ministers meet again": "Los ministros se reúnen de nuevo",
    "A new round is planned for June.": "Se prevé una nueva ronda en junio.",
    "Officials expect a statement later.": "Se espera un comunicado más tarde.",
    # review_helpers.QA_ARTICLE, with the flaws QA flags are for.
    **FLAWED_DRAFTS,
}


def _translator(revision: str) -> FakeTranslator:
    def translate(text: str) -> str:
        return PHRASES.get(text, f"[es] {text}")

    engine = FakeTranslator("en", "es", translate, name="tiny-en-es")
    engine.info = EngineInfo("fake", "tiny-en-es", revision)
    return engine


def create() -> FastAPI:
    revision = os.environ.get("NEWSDESK_TEST_ENGINE_REVISION", "1")
    registry = EngineRegistry()
    registry.translators[("en", "es")] = _translator(revision)
    registry.translators[("es", "en")] = FakeTranslator("es", "en", name="tiny-es-en")
    for lang in ("en", "es"):
        registry.summarizers[lang] = FakeSummarizer(lang)
        registry.choices.append(Choice(f"summary-{lang}", "fake-summary", "fake", False, "test"))
    registry.choices.append(Choice("en-es", "fake", "tiny-en-es", False, "browser test"))
    registry.choices.append(Choice("es-en", "fake", "tiny-es-en", False, "browser test"))
    return create_app(Settings(), registry)
