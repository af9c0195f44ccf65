"""The registry's choice of engine per pair, from the settings' preference."""

from __future__ import annotations

from pathlib import Path

from service.config import Settings
from service.engines.registry import EngineRegistry, _engine_groups


def test_a_run_of_seq2seq_kinds_is_one_group_in_preference_order() -> None:
    assert _engine_groups(["ct2", "hf", "apertium"]) == [("ct2", "hf"), ("apertium",)]
    assert _engine_groups(["hf", "apertium", "ct2"]) == [("hf",), ("apertium",), ("ct2",)]


def test_a_missing_model_is_reported_once_and_the_next_engine_serves(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "var",
        models_dir=tmp_path / "models",
        pairs="en-es",
        engine_preference="ct2,hf,echo",
    )
    registry = EngineRegistry.load(settings, summaries=False)
    try:
        (choice,) = registry.choices
        assert (choice.engine, choice.fallback) == ("echo", False)
        assert choice.reason.count("opus-mt-en-es is not installed") == 1
        assert choice.reason.endswith("echo: test-only engine, returns its input")
    finally:
        registry.close()
