"""Differential test of the shared Apertium pipeline: many concurrent clients sending random
hostile Unicode get exactly what a fresh, single-use pipeline gives for their own texts.

apertium 3.8.3's HMM tagger changes for good the first time it meets a word whose ambiguity
class its model lacks ("SPAN" in "C-SPAN"): it shrinks its open class (the tags it offers unknown
words), and a later text with an unknown word can be tagged differently than on a fresh
pipeline. The engine replaces the tagger after any such text (service.engines.apertium_tagger),
so exact equality holds for every text, whatever the clients sent before, in whatever order their
texts meet. Every text here carries an unknown tag word, which the tagger's state would reach,
and an answer that went to the wrong caller, or two answers run together, would show too.
"""

from __future__ import annotations

import random
import threading

import pytest

from service.engines.apertium import RESERVED, ApertiumTranslator, mode_command
from tests.helpers.apertium_marks import needs_apertium
from tests.helpers.apertium_tags import DATA, screen, tag, tags_in

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


def generate(seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    texts: list[list[str]] = []
    number = 0
    for _ in range(CLIENTS):
        own: list[str] = []
        while len(own) < TEXTS_PER_CLIENT:
            own.append(random_text(rng, number))
            number += 1
        texts.append(own)
    return texts


def test_a_text_that_changes_the_tagger_changes_no_later_translation() -> None:
    later = "Kowalczyk said the talks would continue."
    assert screen([TAGGER_CHANGING[0]])[0].changes_tagger
    expected = fresh_answers([[later]])[0]
    # The premise, on a pipeline that keeps its tagger: "said" after the unknown name turns
    # into a participle once "C-SPAN" went through.
    kept = ApertiumTranslator("en", "es", DATA)
    try:
        kept.command = mode_command(DATA, "eng-spa")
        kept.close()
        assert kept.translate_batch([TAGGER_CHANGING[0], later])[1:] != expected
    finally:
        kept.close()
    engine = ApertiumTranslator("en", "es", DATA)
    try:
        assert engine.translate_batch([TAGGER_CHANGING[0], later])[1:] == expected
        assert engine.translate_batch([later]) == expected
        assert engine.translate_batch([*TAGGER_CHANGING, later, later])[2:] == expected * 2
        assert (engine.restarts, engine.retries) == (0, 0)
    finally:
        engine.close()


def _each_client_gets_its_fresh_answers(
    texts: list[list[str]], expected: list[list[str]], seed: int
) -> None:
    """Clients on one shared pipeline each get, for every text, exactly the fresh answer."""
    engine = ApertiumTranslator("en", "es", DATA)
    try:
        answers = run_clients(engine, texts, seed=seed)
        for own, got, want in zip(texts, answers, expected, strict=True):
            for text, answer, fresh in zip(own, got, want, strict=True):
                assert answer is not None
                assert tags_in(answer) == tags_in(text), text
                assert answer == fresh, text
        assert (engine.restarts, engine.retries) == (0, 0)
    finally:
        engine.close()


def test_concurrent_clients_get_what_a_fresh_pipeline_gives() -> None:
    texts = generate(20240917)
    expected = fresh_answers(texts)
    _each_client_gets_its_fresh_answers(texts, expected, seed=7)


def test_concurrent_clients_get_what_a_fresh_pipeline_gives_while_the_tagger_changes() -> None:
    rng = random.Random(99)
    texts = generate(4242)
    for number, own in enumerate(texts):
        own[rng.randrange(len(own))] = TAGGER_CHANGING[number % len(TAGGER_CHANGING)]
        plain = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(4, 10))) + "."
        own.insert(rng.randrange(len(own)), plain)
    assert all(seen.changes_tagger for seen in screen(list(TAGGER_CHANGING)))
    expected = fresh_answers(texts)
    _each_client_gets_its_fresh_answers(texts, expected, seed=11)
