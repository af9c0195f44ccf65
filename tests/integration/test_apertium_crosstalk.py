"""Differential test of the shared Apertium pipeline: many concurrent clients sending random
hostile Unicode get exactly what a fresh, single-use pipeline gives for their own texts.

Exact equality holds only while the HMM tagger's state is the one it starts with. apertium 3.8.3
rewrites the tagger's open class (the tags it offers unknown words) the first time it meets a
word whose ambiguity class its model lacks ("SPAN" in "C-SPAN"); after that, a text with an
unknown word can be tagged differently than on a fresh pipeline (service.engines.apertium).
Every text here carries an unknown tag word, so:

- the first test leaves out the texts that would rewrite the open class (`screen` runs them
  through the tagger with its diagnostics on; whether a word's class is known does not depend
  on what the tagger saw before). No client can then change the tagger, the order in which the
  clients' texts meet does not matter, and every answer must equal the fresh pipeline's;
- the second test sends such texts too. Each tagged answer must hold its own tag word and no
  other; each ordinary text with neither unknown words nor a missing class (the tagger's state
  cannot touch it) must still equal the fresh pipeline's answer.

Either way an answer that went to the wrong caller, or two answers run together, would show.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest

from service.engines.apertium import RESERVED, ApertiumTranslator
from tests.integration.apertium_marks import needs_apertium
from tests.integration.apertium_tags import DATA, screen, tag, tags_in

pytestmark = [needs_apertium, pytest.mark.apertium]

CLIENTS = 8
TEXTS_PER_CLIENT = 12
VOCABULARY = (
    "the council approved budget on Monday police said mayor minister election reported "
    "million dollars city government workers strike president house red new report week "
    "company shares fell market residents school children water year people after before "
    "court ruled against plan leaders agreed talks would continue in a of to and for"
).split()
# Ordinary sentences with words whose ambiguity class the tagger's model lacks.
TAGGER_CHANGING = (
    "C-SPAN covered the hearing on Monday.",
    '"This is what you worry about at all times," Wade said.',
)
RIGHT_TO_LEFT = [chr(c) for c in (*range(0x05D0, 0x05EB), *range(0x0627, 0x064B))]
BIDI = list("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = list("\u200b\u200c\u200d\u2060\ufeff")
CONTROLS = [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))]


def _piece(rng: random.Random) -> str:
    kind = rng.choices(
        ["word", "reserved", "control", "surrogate", "rtl", "bidi", "zero-width", "emoji"]
        + ["private", "any", "long"],
        weights=[40, 12, 8, 3, 5, 4, 4, 4, 3, 6, 1],
    )[0]
    if kind == "word":
        return rng.choice(VOCABULARY)
    if kind == "reserved":
        return "".join(rng.choice(RESERVED) for _ in range(rng.randint(1, 3)))
    if kind == "control":
        return rng.choice(CONTROLS)
    if kind == "surrogate":
        return chr(rng.randint(0xD800, 0xDFFF))
    if kind == "rtl":
        return "".join(rng.choice(RIGHT_TO_LEFT) for _ in range(rng.randint(2, 6)))
    if kind == "bidi":
        return rng.choice(BIDI)
    if kind == "zero-width":
        return rng.choice(ZERO_WIDTH)
    if kind == "emoji":
        return rng.choice(["🙂", "👨\u200d👩\u200d👧", "🇪🇸", chr(rng.randint(0x1F300, 0x1F6FF))])
    if kind == "private":
        return chr(rng.choice([rng.randint(0xE000, 0xF8FF), rng.randint(0xF000, 0xF00F)]))
    if kind == "any":
        code = rng.randint(0x20, 0x2FFFF)
        return chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "".join(rng.choice("abcdefghij") for _ in range(rng.randint(200, 2000)))


def random_text(rng: random.Random, number: int) -> str:
    """Hostile Unicode among ordinary news words; tag word `number` stands apart, by spaces."""
    pieces = [_piece(rng) for _ in range(rng.randint(3, 14))]
    pieces.insert(rng.randint(0, len(pieces)), f" {tag(number)} ")
    return "".join(piece + rng.choice([" ", " ", " ", ""]) for piece in pieces)


def run_clients(
    engine: ApertiumTranslator, texts: list[list[str]], seed: int
) -> list[list[str | None]]:
    """Every client in a thread of its own, all started together; each sends its texts one
    request at a time, some as batches of two or three."""
    answers: list[list[str | None]] = [[None] * len(own) for own in texts]
    start = threading.Barrier(len(texts))
    failures: list[BaseException] = []

    def client(number: int) -> None:
        rng = random.Random(seed + number)
        own = texts[number]
        start.wait()
        i = 0
        try:
            while i < len(own):
                size = rng.choice([1, 1, 2, 3])
                for j, answer in enumerate(engine.translate_batch(own[i : i + size])):
                    answers[number][i + j] = answer
                i += size
        except BaseException as exc:  # reported by the test, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return answers


def fresh_answers(texts: list[list[str]]) -> list[list[str]]:
    """Each client's texts through a pipeline of its own, used for that client only."""
    answers: list[list[str]] = [[] for _ in texts]

    def one(number: int) -> None:
        engine = ApertiumTranslator("en", "es", DATA)
        try:
            answers[number] = engine.translate_batch(texts[number])
        finally:
            engine.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def generate(seed: int, keep: Callable[[str], bool]) -> list[list[str]]:
    rng = random.Random(seed)
    texts: list[list[str]] = []
    number = 0
    for _ in range(CLIENTS):
        own: list[str] = []
        while len(own) < TEXTS_PER_CLIENT:
            text = random_text(rng, number)
            number += 1
            if keep(text):
                own.append(text)
        texts.append(own)
    return texts


def test_concurrent_clients_get_what_a_fresh_pipeline_gives() -> None:
    candidates = generate(20240917, lambda text: True)
    flat = [text for own in candidates for text in own]
    changing = {text for text, seen in zip(flat, screen(flat), strict=True) if seen.changes_tagger}
    texts = [[text for text in own if text not in changing] for own in candidates]
    assert sum(len(own) for own in texts) >= CLIENTS * TEXTS_PER_CLIENT * 3 // 4
    expected = fresh_answers(texts)
    engine = ApertiumTranslator("en", "es", DATA)
    try:
        answers = run_clients(engine, texts, seed=7)
        for own, got, want in zip(texts, answers, expected, strict=True):
            for text, answer, fresh in zip(own, got, want, strict=True):
                assert answer is not None
                assert tags_in(answer) == tags_in(text), text
                assert answer == fresh, text
        assert (engine.restarts, engine.retries) == (0, 0)
    finally:
        engine.close()


def test_concurrent_clients_own_their_answers_while_the_tagger_changes() -> None:
    rng = random.Random(99)
    texts = generate(4242, lambda text: True)
    for number, own in enumerate(texts):
        own[rng.randrange(len(own))] = TAGGER_CHANGING[number % len(TAGGER_CHANGING)]
        plain = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(4, 10))) + "."
        own.insert(rng.randrange(len(own)), plain)
    flat = [text for own in texts for text in own]
    screened = dict(zip(flat, screen(flat), strict=True))
    assert all(screened[text].changes_tagger for text in TAGGER_CHANGING)
    expected = fresh_answers(texts)
    engine = ApertiumTranslator("en", "es", DATA)
    try:
        answers = run_clients(engine, texts, seed=11)
        compared = 0
        for own, got, want in zip(texts, answers, expected, strict=True):
            for text, answer, fresh in zip(own, got, want, strict=True):
                assert answer is not None
                assert tags_in(answer) == tags_in(text), text
                seen = screened[text]
                if not seen.changes_tagger and not seen.unknown_words:
                    assert answer == fresh, text
                    compared += 1
        assert compared >= CLIENTS
        assert (engine.restarts, engine.retries) == (0, 0)
    finally:
        engine.close()
