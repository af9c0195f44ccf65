"""Engine names an editor reads ("Apertium (rule-based)", "opus-mt (neural)", "Editor") in
place of the signature the store keeps (`apertium:apertium-eng-spa@0.8.1-2+nd2`); the page
still shows the signature in a details element, for whoever needs to know the exact build."""

from __future__ import annotations

from typing import Any

from service.engines.base import SEQ2SEQ_ENGINES

ENGINE_NAMES = {"apertium": "Apertium (rule-based)", "tm": "Translation memory"}
MODEL_FAMILIES = ("opus-mt", "nllb", "m2m100", "mbart", "bart", "mt5", "t5", "marian")


def parse_signature(signature: str) -> dict[str, str] | None:
    """`engine:model@revision` (as a machine revision's author) -> its parts; None otherwise."""
    engine, colon, rest = signature.partition(":")
    model, at, revision = rest.rpartition("@")
    if not colon or not at or not engine or not model:
        return None
    return {"engine": engine, "model": model, "revision": revision}


def engine_label(engine: dict[str, Any] | None) -> str:
    """A friendly name for an engine reference ({"engine", "model", "revision"})."""
    if not engine or not engine.get("engine"):
        return "Machine"
    kind = str(engine["engine"])
    if kind in ENGINE_NAMES:
        return ENGINE_NAMES[kind]
    model = str(engine.get("model") or kind)
    if kind in SEQ2SEQ_ENGINES:
        short = model.rsplit("/", 1)[-1].lower()
        family = next((name for name in MODEL_FAMILIES if short.startswith(name)), short)
        return f"{family} (neural)"
    return model


def author_label(kind: str, author: str) -> str:
    """Who wrote a revision, for the queue and the history: an editor by name, a client's
    suggestion (LibreTranslate's /suggest) by its key's name, an engine by its friendly name."""
    if kind == "human":
        return f"Editor ({author})"
    if kind == "suggestion":
        return f"Client suggestion ({author})"
    if kind == "source":
        return "Source"
    return engine_label(parse_signature(author))
