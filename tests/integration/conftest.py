"""Integration fixtures: the tiny seq2seq models dir, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny Marian en->es / es->en and T5 summarizer in Hugging Face format, a manifest naming
    them, and en->es converted to CTranslate2 (tests/helpers/seq2seq_fixtures.py). Treat as read-only:
    copy it (`shutil.copytree`) to remove or add directories."""
    pytest.importorskip("torch", reason="the seq2seq extra (torch) is not installed")
    pytest.importorskip("transformers", reason="the seq2seq extra (transformers) is not installed")
    pytest.importorskip("ctranslate2", reason="the seq2seq extra (ctranslate2) is not installed")
    from tests.helpers.seq2seq_fixtures import build_tiny_models

    return build_tiny_models(tmp_path_factory.mktemp("models"))
