"""`translate_lines`: the chunked path of `newsdesk translate --lines`."""

from __future__ import annotations

from collections.abc import Iterator

from service.pipeline.text import translate_lines
from service.runtime import Runtime
from tests.fakes import FakeTranslator

NAMES = "Alder Birch Cedar Dogwood Elm Fir Gum Hazel Ivy Juniper".split()


def _lines(count: int) -> Iterator[str]:
    for i in range(count):
        yield "" if i % 7 == 3 else f"The {NAMES[i % 10]} {NAMES[i // 10]} council met. It voted."


def test_chunks_give_the_same_lines_as_one_pass_in_order(runtime: Runtime) -> None:
    engine: FakeTranslator = runtime.registry.translators[("en", "es")]  # type: ignore[assignment]
    chunked = list(translate_lines(runtime.pipeline, _lines(26), "en", "es", "text", chunk_lines=4))
    assert engine.calls == 7  # one engine call per chunk of 4 lines
    assert len(engine.sentences) == 22 + 1  # 22 non-empty lines, "It voted." once
    whole = list(translate_lines(runtime.pipeline, _lines(26), "en", "es", "text"))
    assert engine.calls == 7  # the second pass is all cache
    assert chunked == whole == list(_lines(26))  # the fake engine translates to the same text


def test_the_input_is_read_a_chunk_at_a_time(runtime: Runtime) -> None:
    read: list[int] = []

    def source() -> Iterator[str]:
        for i in range(10):
            read.append(i)
            yield f"Line {NAMES[i]}."

    output = translate_lines(runtime.pipeline, source(), "en", "es", "text", chunk_lines=3)
    assert next(output) == "Line Alder." and len(read) == 3  # out before line 4 is read
    assert len(list(output)) == 9 and len(read) == 10


def test_auto_is_decided_on_the_first_chunk(runtime: Runtime) -> None:
    spanish: FakeTranslator = runtime.registry.translators[("es", "en")]  # type: ignore[assignment]
    lines = [
        "El gobierno anunció hoy un nuevo plan de vivienda para la ciudad.",
        "Los vecinos del barrio esperan la decisión del ayuntamiento.",
        "The council will vote on the housing plan next week.",
    ]
    out = list(translate_lines(runtime.pipeline, iter(lines), "auto", "en", "text", chunk_lines=2))
    # The English line in the second chunk goes through es→en like the rest (a per-chunk
    # decision would have made it en→en and failed).
    assert out == lines and spanish.sentences[-1] == lines[2]
