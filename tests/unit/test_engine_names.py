"""Engine names as an editor reads them, from the signatures the store keeps."""

from __future__ import annotations

import pytest

from service.web.engine_names import author_label, engine_label, parse_signature


@pytest.mark.parametrize(
    ("signature", "label"),
    [
        ("apertium:apertium-eng-spa@0.8.1-2+nd2", "Apertium (rule-based)"),
        ("ct2:opus-mt-en-es@main", "opus-mt (neural)"),
        ("hf:Helsinki-NLP/opus-mt-es-en@abc123", "opus-mt (neural)"),
        ("ct2:nllb-200-distilled-600M@main", "nllb (neural)"),
        ("ct2:my-model@1", "my-model (neural)"),
        ("fake:tiny-en-es@2", "tiny-en-es"),
        ("machine", "Machine"),
    ],
)
def test_machine_authors_get_friendly_names(signature: str, label: str) -> None:
    assert author_label("machine", signature) == label


def test_people_and_the_source() -> None:
    assert author_label("human", "ana") == "Editor (ana)"
    assert author_label("source", "source") == "Source"
    assert engine_label(None) == "Machine"


def test_a_signature_splits_at_the_first_colon_and_the_last_at() -> None:
    assert parse_signature("hf:org/model@v@2") == {
        "engine": "hf",
        "model": "org/model@v",
        "revision": "2",
    }
    assert parse_signature("no signature") is None
