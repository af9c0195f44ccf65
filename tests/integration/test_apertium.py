"""The Apertium engine: one long-lived null-flush pipeline per direction."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.engines import apertium
from service.engines.apertium import RESERVED, ApertiumTranslator, to_stream
from service.engines.base import EngineError
from service.metrics import ENGINE_RESTARTS, ENGINE_RETRIES
from tests.conftest import fake_registry
from tests.helpers.apertium_marks import needs_apertium
from tests.helpers.apertium_tags import tag, tags_in

pytestmark = [needs_apertium, pytest.mark.apertium]
DATA = Path("/usr/share/apertium")


@pytest.fixture(scope="module")
def en_es() -> Iterator[ApertiumTranslator]:
    engine = ApertiumTranslator("en", "es", DATA)
    yield engine
    engine.close()


def test_translates_a_batch_in_order_without_unknown_marks(en_es: ApertiumTranslator) -> None:
    out = en_es.translate_batch(["The house is red.", "Xyzzyplox is here.", "Good morning"])
    assert out[0] == "La casa es roja."
    assert out[1].startswith("Xyzzyplox") and "*" not in out[1]
    assert len(out) == 3 and out[2]


def test_sentences_do_not_leak_into_each_other(en_es: ApertiumTranslator) -> None:
    alone = en_es.translate_batch(["US to hold talks"])[0]
    together = en_es.translate_batch(["US to hold talks", "The house is red."])[0]
    assert alone == together


def test_concurrent_callers_get_their_own_sentences(en_es: ApertiumTranslator) -> None:
    sentences = [f"The house number {i} is red." for i in range(40)]
    expected = en_es.translate_batch(sentences)
    results: dict[int, list[str]] = {}

    def work(worker: int) -> None:
        results[worker] = en_es.translate_batch(sentences[worker::4])

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in range(4):
        assert results[worker] == expected[worker::4]


def test_pipeline_is_restarted_after_it_dies() -> None:
    engine = ApertiumTranslator("es", "en", DATA)
    try:
        assert engine.translate_batch(["La casa es roja."]) == ["The house is red."]
        pipeline = engine._pipeline
        assert pipeline is not None
        os.killpg(pipeline.proc.pid, signal.SIGKILL)
        pipeline.proc.wait()
        assert engine.translate_batch(["La casa es roja."]) == ["The house is red."]
        assert engine.restarts == 1
    finally:
        engine.close()


def test_a_hung_pipeline_times_out_and_recovers() -> None:
    engine = ApertiumTranslator("en", "es", DATA, timeout_s=0.5)
    command = engine.command
    try:
        engine.command = "sleep 30"  # a stand-in for a stage that never answers
        engine.close()
        with pytest.raises(EngineError, match="apertium eng-spa timed out"):
            engine.translate_batch(["The house is red."])
        engine.command = command
        # Recovery on a real pipeline: its start-up may take over 0.5 s on a loaded machine.
        engine.timeout_s = 60.0
        assert engine.translate_batch(["The house is red."]) == ["La casa es roja."]
    finally:
        engine.close()


def test_a_protected_name_keeps_its_possessive(en_es: ApertiumTranslator) -> None:
    # Placeholders are unknown words to Apertium; before "'s" one goes through as a known name
    # (not one the sentence holds: here "Taylor" is taken, so another stands in).
    out = en_es.translate_batch(["ZZ0ZZ's envoy met the minister.", "Taylor met ZZ1ZZ’s envoy."])
    assert out == [
        "El enviado de ZZ0ZZ cumplió el ministro.",
        "Taylor cumplió el enviado de ZZ1ZZ.",
    ]


# --- Hostile input: no text can shape the stream (issue 9) ---------------------------------------

ORDINARY = "The council approved the budget on Monday."
_WHERE = (
    ("start attached", "{c}TAG the house is red."),
    ("start detached", "{c} TAG the house is red."),
    ("middle attached", "The TAG{c}house is red."),
    ("middle detached", "The TAG {c} house is red."),
    ("end attached", "The house is red TAG{c}"),
    ("end after a stop", "The house is red TAG.{c}"),
    ("end detached", "The house is red TAG {c}"),
    ("repeated", "{c}{c}{c} TAG {c}{c}{c}{c}"),
    ("after a backslash at the end", "The house is red TAG\\{c}"),
    ("before a backslash at the end", "The house is red TAG {c}\\"),
)
_CONTROLS = [chr(code) for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))]


def _hostile_cases() -> list[tuple[str, str]]:
    cases = [
        (f"{name} U+{ord(char):04X}", template.replace("{c}", char))
        for char in RESERVED
        for name, template in _WHERE
    ]
    cases += [(f"control U+{ord(c):04X} at the end", f"The house is red TAG{c}") for c in _CONTROLS]
    cases += [
        ("every control inside", f"The TAG {''.join(_CONTROLS)} house is red."),
        ("NUL between sentences", "Hello\0 TAG The mayor is a criminal. The council met."),
        ("lone surrogates", "TAG a\ud800b\udbff\udc00c \udfff"),
        ("right-to-left text", "TAG שלום עולם مرحبا بالعالم"),
        (
            "bidi controls",
            "TAG \u202eevil\u202c \u200e\u200f\u061c \u2066x\u2069 \u202a\u202b\u202d",
        ),
        ("zero-width characters", "TAG zero\u200bwidth\u200c\u200djoin\u2060\ufeff"),
        ("emoji", "TAG 🙂 👨\u200d👩\u200d👧 🇪🇸"),
        ("a very long word", "TAG " + "a" * 10000),
        ("a very long run of reserved characters", "TAG " + RESERVED * 700),
        ("the stream's own marks", "TAG [<nd:0>] [</nd:0>] [<nd:99999>] [][\n]"),
    ]
    return cases


_CASES = _hostile_cases()


@pytest.fixture(scope="module")
def hostile_engine() -> Iterator[tuple[ApertiumTranslator, str]]:
    """A pipeline of their own for the hostile inputs (no restart may hide among other tests'),
    and how a fresh pipeline translates an ordinary sentence."""
    fresh = ApertiumTranslator("en", "es", DATA)
    expected = fresh.translate_batch([ORDINARY])[0]
    fresh.close()
    engine = ApertiumTranslator("en", "es", DATA)
    yield engine, expected
    engine.close()


@pytest.mark.parametrize("case", range(len(_CASES)), ids=[name for name, _ in _CASES])
def test_a_hostile_input_gets_its_own_answer_and_leaves_the_stream_whole(
    hostile_engine: tuple[ApertiumTranslator, str], case: int
) -> None:
    engine, expected = hostile_engine
    answer = engine.translate_batch([_CASES[case][1].replace("TAG", tag(case))])[0]
    assert tags_in(answer) == [tag(case)]
    assert (engine.restarts, engine.retries) == (0, 0)
    assert engine.translate_batch([ORDINARY]) == [expected]


def test_stand_ins_sent_by_a_client_do_not_come_back_as_reserved_characters(
    hostile_engine: tuple[ApertiumTranslator, str],
) -> None:
    engine, _ = hostile_engine
    stand_ins = "".join(chr(0xF000 + i) for i in range(len(RESERVED)))
    assert engine.translate_batch([f"The house is red {stand_ins}."]) == ["La casa es roja."]


@pytest.mark.parametrize("char", list(RESERVED), ids=[f"U+{ord(c):04X}" for c in RESERVED])
def test_a_reserved_character_alone_comes_back_alone(
    hostile_engine: tuple[ApertiumTranslator, str], char: str
) -> None:
    engine, _ = hostile_engine
    assert engine.translate_batch([char, char * 3, f"{char} {char}"]) == [
        char,
        char * 3,
        f"{char} {char}",
    ]
    assert (engine.restarts, engine.retries) == (0, 0)


def test_text_with_nothing_left_after_cleaning_gets_an_empty_answer(
    hostile_engine: tuple[ApertiumTranslator, str],
) -> None:
    engine, expected = hostile_engine
    assert engine.translate_batch(["", "\0", "\x01\x7f\x9f", "\ue000\uf000", ORDINARY]) == [
        "",
        "",
        "",
        "",
        expected,
    ]
    assert (engine.restarts, engine.retries) == (0, 0)


def test_hostile_inputs_in_one_batch_keep_their_order(
    hostile_engine: tuple[ApertiumTranslator, str],
) -> None:
    engine, _ = hostile_engine
    texts = [text.replace("TAG", tag(i)) for i, (_, text) in enumerate(_CASES)]
    answers = engine.translate_batch(texts)
    assert [tags_in(answer) for answer in answers] == [[tag(i)] for i in range(len(texts))]
    assert (engine.restarts, engine.retries) == (0, 0)


def test_hostile_inputs_from_spanish_keep_their_order_too() -> None:
    engine = ApertiumTranslator("es", "en", DATA)
    try:
        texts = [
            text.replace("TAG", tag(i)).replace("The house is red", "La casa es roja")
            for i, (_, text) in enumerate(_CASES)
        ]
        answers = engine.translate_batch(texts)
        assert [tags_in(answer) for answer in answers] == [[tag(i)] for i in range(len(texts))]
        assert engine.translate_batch(["La casa es roja."]) == ["The house is red."]
        assert (engine.restarts, engine.retries) == (0, 0)
    finally:
        engine.close()


# --- The reader's check: an answer that is not exactly its chunk's is never handed on ------------


def test_a_chunk_answered_twice_fails_every_request_in_flight() -> None:
    engine = ApertiumTranslator("en", "es", DATA)
    try:
        pipeline = engine._running()
        # Straight onto the stream, past cleaning: a NUL inside a chunk ends it early.
        broken = pipeline.submit(["Hello\0 The mayor is a criminal."])
        innocent = pipeline.submit([to_stream("The house is red.")])
        for request in (broken, innocent):
            assert request.done.wait(30)
            assert request.error == "answer did not match its request"
        assert not pipeline.alive()
        assert engine.translate_batch(["The house is red."]) == ["La casa es roja."]
        assert engine.restarts == 1
    finally:
        engine.close()


def test_chunks_run_together_fail_every_request_in_flight() -> None:
    engine = ApertiumTranslator("en", "es", DATA)
    try:
        pipeline = engine._running()
        # An escaped caret before the end of a chunk: 0.8.1 runs the next chunk into this one.
        broken = pipeline.submit(["The house is big \\^"])
        innocent = pipeline.submit([to_stream("The house is red.")])
        for request in (broken, innocent):
            assert request.done.wait(30)
            assert request.error == "answer did not match its request"
            assert request.chunks == []
        assert engine.translate_batch(["The house is red."]) == ["La casa es roja."]
        assert engine.restarts == 1
    finally:
        engine.close()


def test_a_caller_whose_answer_went_wrong_is_asked_again_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = ApertiumTranslator("en", "es", DATA)
    written: list[int] = []
    chunk = apertium.chunk

    def first_one_broken(chunk_id: int, content: str) -> bytes:
        written.append(chunk_id)
        if len(written) == 1:
            content = content.replace(" ", "\0 ", 1)  # answered in two parts
        return chunk(chunk_id, content)

    restarts = ENGINE_RESTARTS.labels("apertium", "eng-spa")._value.get()
    retries = ENGINE_RETRIES.labels("apertium", "eng-spa")._value.get()
    try:
        monkeypatch.setattr("service.engines.apertium.chunk", first_one_broken)
        assert engine.translate_batch(["The house is red."]) == ["La casa es roja."]
        assert (engine.restarts, engine.retries) == (0, 1)
        assert len(written) == 2
        assert engine.translate_batch(["The house is red."]) == ["La casa es roja."]
        assert (engine.restarts, engine.retries) == (1, 1)
        # ... and /metrics says so.
        assert ENGINE_RESTARTS.labels("apertium", "eng-spa")._value.get() == restarts + 1
        assert ENGINE_RETRIES.labels("apertium", "eng-spa")._value.get() == retries + 1
    finally:
        engine.close()


def test_text_that_breaks_the_stream_every_time_fails_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the stand-ins off, a raw caret kills the pipeline mid-answer. The caller who sent it
    gets EngineError; callers whose requests were in flight on that pipeline are asked again
    alone and get their own translations; nobody gets anyone else's."""
    sentences = [f"The house number {i} is red." for i in range(12)]
    fresh = ApertiumTranslator("en", "es", DATA)
    expected = fresh.translate_batch(sentences)
    fresh.close()
    engine = ApertiumTranslator("en", "es", DATA)
    monkeypatch.setattr("service.engines.apertium.to_stream", lambda text: text)
    results: dict[int, list[str]] = {}
    errors: list[str] = []

    def innocent(worker: int) -> None:
        results[worker] = [engine.translate_batch([s])[0] for s in sentences[worker::4]]

    def hostile() -> None:
        for _ in range(5):
            try:
                engine.translate_batch(["The house is big ^"])
            except EngineError as exc:
                errors.append(str(exc))

    try:
        threads = [threading.Thread(target=innocent, args=(w,)) for w in range(4)]
        threads.append(threading.Thread(target=hostile))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == ["apertium eng-spa answer did not match its request"] * 5
        for worker in range(4):
            assert results[worker] == expected[worker::4]
        assert engine.restarts >= 4 and engine.retries >= 5
    finally:
        engine.close()


def test_over_http_an_answer_that_fails_the_check_is_a_503_and_never_cached(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = fake_registry()
    registry.translators[("en", "es")] = ApertiumTranslator("en", "es", DATA)
    request = {"text": "The house is big ^", "source": "en", "target": "es"}
    with TestClient(create_app(settings, registry)) as client:
        with monkeypatch.context() as patch:
            patch.setattr("service.engines.apertium.to_stream", lambda text: text)
            response = client.post("/v1/translate", json=request)
        assert response.status_code == 503
        assert response.json() == {"detail": "translation engine failed: apertium"}
        first = client.post("/v1/translate", json=request).json()
        assert first["translation"] == "La casa es grande ^"
        assert first["provenance"]["sentences"] == {"engine": 1}
        again = client.post("/v1/translate", json=request).json()
        assert again["provenance"]["sentences"] == {"cache": 1}
