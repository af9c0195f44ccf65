"""Helpers for the Apertium cross-talk tests: tag words that show whose answer an answer is, and
a screen for the texts that change the HMM tagger's state (see service.engines.apertium)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.engines.apertium import _prepare, chunk, mode_command, to_stream

DATA = Path("/usr/share/apertium")
_DIGITS = "klmnopqrst"
TAG_WORDS = re.compile(r"qzx[k-t]{6}")


def tag(number: int) -> str:
    """A word no dictionary holds, so Apertium copies it through as it is."""
    return "qzx" + "".join(_DIGITS[int(digit)] for digit in f"{number:06d}")


def tags_in(answer: str) -> list[str]:
    return TAG_WORDS.findall(answer.lower())


@dataclass(frozen=True)
class Screen:
    """How a text meets the HMM tagger (the same on every pipeline, whatever it saw before)."""

    changes_tagger: bool  # a word whose ambiguity class the model lacks: rewrites the open class
    unknown_words: bool  # tagged with the open class, so the rewrite can change its tagging


def screen(texts: Sequence[str], source: str = "en", target: str = "es") -> list[Screen]:
    """Runs the texts, as the engine writes them, through the pair's stages up to the tagger,
    with the tagger's diagnostics (-d) in its output: "A new ambiguity class was found" is
    written while the tagger reads the word, so it lands in that text's answer."""
    codes = {"en": "eng", "es": "spa"}
    stages = mode_command(DATA, f"{codes[source]}-{codes[target]}").split(" | ")
    at = next(i for i, stage in enumerate(stages) if stage.startswith("apertium-tagger "))
    tagger = stages[at].replace("apertium-tagger ", "apertium-tagger -d ", 1) + " 2>&1"
    payload = b"".join(
        chunk(i, to_stream(_prepare(text, source)[0])) for i, text in enumerate(texts)
    )
    result = subprocess.run(
        ["bash", "-c", " | ".join([*stages[:at], tagger])],
        input=payload,
        capture_output=True,
        check=True,
        env=dict(os.environ, LC_ALL="C.UTF-8"),
        timeout=60,
    )
    answers = result.stdout.split(b"\0")[: len(texts)]
    assert len(answers) == len(texts)
    return [Screen(b"new ambiguity class" in a, b"^*" in a) for a in answers]
