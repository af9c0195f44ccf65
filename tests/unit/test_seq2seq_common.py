"""The seq2seq engines' shared logic (splitting, batching, repetition guard) and the dynamic
batcher, over fake backends: no torch needed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from service.config import Settings
from service.engines.base import EngineError, EngineInfo, NBestTranslator, Translator
from service.engines.batching import DynamicBatcher
from service.engines.manifest import load_manifest
from service.engines.seq2seq_common import (
    DecodeOptions,
    Seq2SeqSummarizer,
    Seq2SeqTranslator,
    cut_loops,
    decoding_length,
    generation_defaults,
    is_degenerate,
    join_pieces,
    longest_repeat,
    model_limit,
    plan_batches,
    split_sentences,
    split_to_fit,
    trim_to_words,
    truncate_tokens,
)
from tests.helpers.fakes import FakeTranslator, NBestFakeTranslator

REPO_ROOT = Path(__file__).resolve().parents[2]

# --- repetition detector -----------------------------------------------------------------------


def test_detects_a_two_word_loop() -> None:
    assert is_degenerate("every time", "cada vez cada vez cada vez")
    assert longest_repeat("cada vez cada vez cada vez".split()) == (0, 2, 3)


def test_detects_one_to_four_word_loops_inside_a_sentence() -> None:
    source = "The mayor said the bridge will be repaired this year"
    for unit in ("muy", "el puente", "de la ciudad", "se va a reparar"):
        looping = f"La alcaldesa dijo que {' '.join([unit] * 3)} este año"
        assert is_degenerate(source, looping), unit


def test_two_repeats_are_not_a_loop() -> None:
    assert not is_degenerate("every time, every time", "cada vez, cada vez")


def test_a_repetition_the_source_has_is_not_a_loop() -> None:
    assert not is_degenerate("ha ha ha, he laughed", "ja ja ja, se rió")


def test_loop_compares_words_without_case_or_punctuation() -> None:
    assert is_degenerate("again", "Otra vez, otra vez. Otra vez!")


def test_punctuation_runs_are_not_loops() -> None:
    assert not is_degenerate("A break: * * * and more", "Una pausa: * * * y más")


def test_an_output_three_times_longer_than_its_source_is_degenerate() -> None:
    source = "The council met on Monday"  # 5 words
    assert not is_degenerate(source, " ".join(f"w{i}" for i in range(15)))
    assert is_degenerate(source, " ".join(f"w{i}" for i in range(16)))


def test_short_sources_count_as_three_words_for_the_length_limit() -> None:
    assert not is_degenerate("Gracias", "Thank you very much indeed")


def test_a_split_sentence_is_held_to_its_own_length_limit() -> None:
    # Each piece within its own limit (10 words -> 30, 1 word -> the 3-word floor, 9), the
    # two together past the sentence's (11 words -> 33): what the tiny model once produced.
    source = "Workers announced a plan to build homes in port this week."
    pieces = [" ".join(f"a{i}" for i in range(30)), " ".join(f"b{i}" for i in range(6))]
    assert not any(is_degenerate(s, o) for s, o in zip(source.rsplit(" ", 1), pieces, strict=True))
    joined = join_pieces(source, pieces)
    assert not is_degenerate(source, joined)
    assert joined.split() == " ".join(pieces).split()[:33]


def test_unsplit_outputs_pass_through_join_pieces() -> None:
    assert join_pieces("every time", ["cada vez"]) == "cada vez"
    assert join_pieces("a b", ["x", "y"]) == "x y"


def test_cut_loops_keeps_one_occurrence() -> None:
    assert cut_loops("every time", "cada vez cada vez cada vez") == "cada vez"
    assert cut_loops("x", "a b b b b c") == "a b c"


def test_cut_loops_caps_the_length() -> None:
    assert len(cut_loops("one two three four", " ".join(f"w{i}" for i in range(50))).split()) == 12


# --- splitting ---------------------------------------------------------------------------------


def words(text: str) -> int:
    return len(text.split())


def test_split_sentences_keeps_punctuation_and_quotes() -> None:
    # The project's one splitter: a quote that a lower-case word continues is not a sentence.
    assert split_sentences('He left. "Why?" she asked.  Then rain…  End', "en") == [
        "He left.",
        '"Why?" she asked.',
        "Then rain…",
        "End",
    ]


def test_split_sentences_holds_titles_and_abbreviations() -> None:
    # The regex splitter cut at every stop: "Mr." | "Smith", "EE." | "UU." | "dijo".
    assert split_sentences(
        "Mr. Smith met Dr. Lind in Washington, D.C., on Monday. Both spoke.", "en"
    ) == [
        "Mr. Smith met Dr. Lind in Washington, D.C., on Monday.",
        "Both spoke.",
    ]
    assert split_sentences("El presidente de EE. UU. dijo que sí. La Sra. Pérez no.", "es") == [
        "El presidente de EE. UU. dijo que sí.",
        "La Sra. Pérez no.",
    ]


def test_trim_to_words_keeps_a_sentence_with_an_abbreviation_whole() -> None:
    text = "El Sr. García llegó a las 10 a. m. del lunes. Nadie lo esperaba allí."
    assert trim_to_words(text, 12, "es") == "El Sr. García llegó a las 10 a. m. del lunes."


def test_a_piece_too_long_is_cut_at_sentences_before_abbreviations() -> None:
    text = "El Sr. García llegó tarde. La Dra. Ruiz no."
    assert split_to_fit(text, words, 5, "es") == ["El Sr. García llegó tarde.", "La Dra. Ruiz no."]


def test_text_within_the_limit_is_one_piece() -> None:
    assert split_to_fit("  a  b c ", words, 3, "en") == ["a b c"]
    assert split_to_fit("   ", words, 3, "en") == []


def test_split_prefers_sentences_and_packs_them() -> None:
    text = "One two. Three four. Five six seven. Eight."
    assert split_to_fit(text, words, 4, "en") == ["One two. Three four.", "Five six seven. Eight."]


def test_split_falls_back_to_clauses_then_words() -> None:
    text = "one two three, four five six; seven eight nine ten eleven"
    pieces = split_to_fit(text, words, 3, "en")
    assert pieces == ["one two three,", "four five six;", "seven eight nine", "ten eleven"]


def test_split_cuts_a_giant_word_into_characters() -> None:
    pieces = split_to_fit("x" * 10, len, 4, "en")
    assert pieces == ["xxxx", "xxxx", "xx"]


def test_a_giant_word_is_cut_reading_about_as_much_as_fits() -> None:
    # The longest fitting prefix is searched near the limit, not over the whole rest of the
    # word: the text counted per piece stays a few times the piece, whatever the word's length.
    counted: list[int] = []

    def counting(text: str) -> int:
        counted.append(len(text))
        return len(text) // 3  # three characters a token

    word = "x" * 30_000
    pieces = split_to_fit(word, counting, 100, "en")
    assert pieces == ["x" * 302] * 99 + ["x" * 102]
    assert sum(counted) < 30_000 * 20


def test_runs_of_stops_split_once_at_their_end() -> None:
    assert split_sentences("Wait" + "." * 10_000 + " Then" + "!" * 5000 + "?", "en") == [
        "Wait" + "." * 10_000,
        "Then" + "!" * 5000 + "?",
    ]
    text = "a" + ",;:" * 3000 + " b"
    assert split_to_fit(text, words, 1, "en") == ["a" + ",;:" * 3000, "b"]


def test_split_never_loses_text() -> None:
    text = " ".join(
        f"word{i}{',' if i % 7 == 0 else ''}{'.' if i % 13 == 0 else ''}" for i in range(500)
    )
    for limit in (2, 5, 17, 64):
        pieces = split_to_fit(text, words, limit, "en")
        assert all(words(p) <= limit for p in pieces)
        assert " ".join(pieces) == text


# --- batching and budgets ----------------------------------------------------------------------


def test_plan_batches_sorts_by_length_and_bounds_padded_tokens() -> None:
    lengths = [10, 3, 8, 3, 50, 9]
    plan = plan_batches(lengths, 24)
    assert sorted(i for batch in plan for i in batch) == list(range(6))
    for batch in plan:
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 24
    assert plan[0] == [1, 3, 2]  # 3, 3, 8: 3 x 8 = 24
    assert plan[-1] == [4]  # longer than the budget: alone


def test_budgets() -> None:
    assert decoding_length(20, 512) == 50
    assert decoding_length(400, 512) == 512
    assert model_limit(None, int(1e30), 512, 1024) == 512
    assert model_limit(None) == 512
    assert truncate_tokens([1, 2, 3, 4, 0], 3) == [1, 2, 0]
    assert truncate_tokens([1, 0], 3) == [1, 0]


def test_trim_to_words_keeps_whole_sentences() -> None:
    text = "First one here. Second sentence is longer. Third."
    assert trim_to_words(text, 6, "en") == "First one here."
    assert trim_to_words(text, 100, "en") == text
    assert trim_to_words("a b c d e f", 3, "en") == "a b c"


# --- the shared translator over a fake backend -------------------------------------------------


class WordBackend:
    """One token per word plus EOS; 'translates' by upper-casing, or loops when told to."""

    def __init__(
        self, max_input_tokens: int = 8, loop: str | None = None, loop_constrained: bool = False
    ) -> None:
        self.max_input_tokens = max_input_tokens
        self.max_output_tokens = 64
        self.loop = loop
        self.loop_constrained = loop_constrained
        self.calls: list[tuple[list[str], DecodeOptions]] = []
        self.nbest_calls: list[tuple[list[str], DecodeOptions, int]] = []

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        return [[*t.split(), "</s>"] for t in texts]

    def generate_nbest(
        self, batch: Sequence[Sequence[str]], options: DecodeOptions, count: int
    ) -> list[list[str]]:
        """The best, a variant, a loop, the best again, an empty one, two more variants."""
        texts = [" ".join(tokens[:-1]) for tokens in batch]
        self.nbest_calls.append((texts, options, count))
        return [
            [
                up,
                f"{up} bis",
                "cada vez " * 8,
                up,
                "",
                f"{up} ter",
                f"{up} bis",
            ][:count]
            for up in (text.upper() for text in texts)
        ]

    def generate(self, batch: Sequence[Sequence[str]], options: DecodeOptions) -> list[str]:
        texts = [" ".join(tokens[:-1]) for tokens in batch]
        self.calls.append((texts, options))
        constrained = options.no_repeat_ngram_size > 0
        out = []
        for text in texts:
            if self.loop and self.loop in text and (not constrained or self.loop_constrained):
                out.append("cada vez " * 5)
            else:
                out.append(text.upper())
        return out

    def close(self) -> None:
        pass


def translator(backend: WordBackend, **settings: object) -> Seq2SeqTranslator[str]:
    return Seq2SeqTranslator(
        backend, EngineInfo("fake", "m", "1"), "en", "es", Settings(**settings)
    )  # type: ignore[arg-type]


def test_translator_keeps_order_and_one_output_per_input() -> None:
    t = translator(WordBackend(), max_batch_tokens=8)
    texts = ["a b c", "", "d", "e f g h i", "  "]
    assert t.translate_batch(texts) == ["A B C", "", "D", "E F G H I", ""]
    assert t.stats.batches >= 2  # 8 padded tokens do not hold them all
    assert isinstance(t, Translator)


def test_translator_splits_long_input_and_joins_translations() -> None:
    backend = WordBackend(max_input_tokens=4)
    t = translator(backend)
    text = "one two three. four five six, seven eight nine ten eleven twelve"
    assert t.translate_batch([text]) == [text.upper()]
    decoded = [x for texts, _ in backend.calls for x in texts]
    assert len(decoded) == len(t.segments(text)) > 1
    assert all(len(piece.split()) + 1 <= 4 for piece in decoded)
    assert t.stats.split_inputs == 1


def test_decoding_options_come_from_settings() -> None:
    backend = WordBackend()
    translator(backend, beam_size=2, length_penalty=0.6).translate_batch(["a b"])
    options = backend.calls[0][1]
    assert (options.beam_size, options.length_penalty) == (2, 0.6)
    assert options.max_length == decoding_length(3, 64)
    assert options.no_repeat_ngram_size == 0


def test_guard_decodes_a_loop_again_with_constraints() -> None:
    backend = WordBackend(loop="every")
    t = translator(backend)
    assert t.translate_batch(["every time", "fine"]) == ["EVERY TIME", "FINE"]
    assert t.stats.redecoded == 1 and t.stats.loops_cut == 0
    again_texts, again_options = backend.calls[-1]
    assert again_texts == ["every time"]
    assert (again_options.no_repeat_ngram_size, again_options.repetition_penalty) == (3, 1.3)


def test_guard_cuts_a_loop_that_survives_the_second_decode() -> None:
    t = translator(WordBackend(loop="every", loop_constrained=True))
    assert t.translate_batch(["every time"]) == ["cada vez"]
    assert t.stats.loops_cut == 1


def test_fixed_length_forces_lengths_and_skips_the_guard() -> None:
    backend = WordBackend(loop="every")
    t = translator(backend, decode_fixed_length=40)
    assert t.translate_batch(["every time"]) == [("cada vez " * 5).strip()]
    options = backend.calls[0][1]
    assert (options.min_length, options.max_length) == (40, 40)
    assert len(backend.calls) == 1


def test_backend_failure_is_an_engine_error() -> None:
    class Broken(WordBackend):
        def generate(self, batch: Sequence[Sequence[str]], options: DecodeOptions) -> list[str]:
            raise RuntimeError("boom")

    with pytest.raises(EngineError, match="fake engine failed to translate"):
        translator(Broken()).translate_batch(["a"])


def test_summarizer_prefix_budget_and_word_limit() -> None:
    backend = WordBackend(max_input_tokens=6)
    s = Seq2SeqSummarizer(
        backend,
        EngineInfo("fake", "s", "1"),
        "en",
        Settings(),
        prefix="summarize: ",
        min_length=30,
        max_length=142,
    )
    summary = s.summarize("alpha beta gamma delta epsilon zeta eta", max_words=3)
    texts, options = backend.calls[0]
    assert texts == ["summarize: alpha beta gamma delta"]  # cut to 6 tokens with EOS
    assert options.max_length == 2 * 3 + 10 and options.min_length == 8
    assert options.no_repeat_ngram_size == 3
    assert summary == "SUMMARIZE: ALPHA BETA"


def test_alternatives_are_the_next_distinct_hypotheses_of_a_beam_wide_enough() -> None:
    backend = WordBackend()
    t = translator(backend, beam_size=2)
    assert isinstance(t, NBestTranslator)
    found = t.translate_alternatives(["a b", " ", "c"], 6)
    # A looping hypothesis is cut as the guard cuts, not decoded again; repeats of the best or
    # of each other, and empty ones, are left out.
    loop = cut_loops("a b", "cada vez " * 8)
    assert found == [["A B bis", loop, "A B ter"], [], ["C bis", loop, "C ter"]]
    assert not any(is_degenerate("a b", text) for text in found[0])
    ((texts, options, count),) = backend.nbest_calls
    assert texts == ["c", "a b"]  # shortest first, as every batch is planned
    assert (count, options.beam_size) == (7, 7)  # the best and six more: a beam that wide
    assert backend.calls == []  # no separate decode of the best
    assert t.translate_alternatives(["a b"], 1) == [["A B bis"]]
    assert backend.nbest_calls[-1][1].beam_size == 2  # the configured beam is wide enough


def test_alternatives_skip_a_text_the_model_reads_in_pieces_and_a_zero_count() -> None:
    backend = WordBackend(max_input_tokens=4)
    t = translator(backend)
    assert t.translate_alternatives(["one two three four five six", "a"], 1) == [[], ["A bis"]]
    assert [texts for texts, _, _ in backend.nbest_calls] == [["a"]]
    assert t.translate_alternatives(["a"], 0) == [[]]
    assert len(backend.nbest_calls) == 1


def test_an_nbest_failure_is_an_engine_error() -> None:
    class Broken(WordBackend):
        def generate_nbest(
            self, batch: Sequence[Sequence[str]], options: DecodeOptions, count: int
        ) -> list[list[str]]:
            raise RuntimeError("boom")

    with pytest.raises(EngineError, match="fake engine failed to translate"):
        translator(Broken()).translate_alternatives(["a"], 2)


# --- dynamic batcher ---------------------------------------------------------------------------


class SlowTranslator(FakeTranslator):
    """Upper-cases; each batch takes a while, as a model would; fails on 'boom'."""

    def __init__(self, delay: float = 0.05) -> None:
        super().__init__("en", "es", str.upper)
        self.delay = delay
        self.batches: list[list[str]] = []

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        if any("boom" in t for t in texts):
            raise EngineError("boom")
        self.batches.append(list(texts))
        time.sleep(self.delay)
        return super().translate_batch(texts)


def run_threads(batcher: DynamicBatcher, inputs: list[list[str]]) -> list[object]:
    results: list[object] = [None] * len(inputs)
    barrier = threading.Barrier(len(inputs))

    def call(index: int) -> None:
        barrier.wait()
        try:
            results[index] = batcher.translate_batch(inputs[index])
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


def test_batcher_merges_concurrent_calls_and_routes_results() -> None:
    inner = SlowTranslator()
    batcher = DynamicBatcher(inner, max_batch_tokens=10_000, max_wait_ms=50)
    inputs = [[f"caller {i} sentence {j}" for j in range(i % 3 + 1)] for i in range(8)]
    results = run_threads(batcher, inputs)
    assert results == [[t.upper() for t in texts] for texts in inputs]
    assert batcher.batches_run < 8
    assert batcher.requests_merged >= 2
    assert sum(batcher.batch_sizes) == 8
    assert batcher.info == inner.info and (batcher.source, batcher.target) == ("en", "es")
    assert isinstance(batcher, Translator)
    batcher.close()


def test_batcher_keeps_batches_full_under_steady_load() -> None:
    # Eight clients, each sending its next request a little after its last answer (as HTTP
    # clients do): batches stay full rather than alternating between big and tiny.
    batcher = DynamicBatcher(SlowTranslator(delay=0.05), max_batch_tokens=10_000, max_wait_ms=300)
    barrier = threading.Barrier(8)

    def client(index: int) -> None:
        barrier.wait()
        for round_ in range(6):
            assert batcher.translate_batch([f"{index}-{round_}"]) == [f"{index}-{round_}"]
            time.sleep(0.002 * index)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(batcher.batch_sizes) == 48
    # The very first request goes alone (nothing says more are coming); all but the edges full.
    assert batcher.batches_run <= 8, batcher.batch_sizes
    assert set(batcher.batch_sizes[1:-1]) == {8}, batcher.batch_sizes
    batcher.close()


def test_batcher_does_not_make_a_lone_caller_wait() -> None:
    batcher = DynamicBatcher(SlowTranslator(delay=0), max_wait_ms=500)
    started = time.monotonic()
    for i in range(5):
        batcher.translate_batch([str(i)])
    assert time.monotonic() - started < 1.0
    batcher.close()


def test_batcher_bounds_batches_by_tokens() -> None:
    inner = SlowTranslator()
    batcher = DynamicBatcher(inner, max_batch_tokens=12, max_wait_ms=50)
    inputs = [["x" * 20] for _ in range(6)]  # ~6 estimated tokens each: two per batch
    run_threads(batcher, inputs)
    assert max(batcher.batch_sizes) <= 2
    batcher.close()


def test_batcher_failure_reaches_only_its_caller() -> None:
    batcher = DynamicBatcher(SlowTranslator(), max_batch_tokens=10_000, max_wait_ms=50)
    results = run_threads(batcher, [["ok one"], ["boom"], ["ok two"]])
    assert results[0] == ["OK ONE"] and results[2] == ["OK TWO"]
    assert isinstance(results[1], EngineError)
    batcher.close()


def test_batcher_empty_call_and_close() -> None:
    inner = SlowTranslator(delay=0)
    batcher = DynamicBatcher(inner, max_wait_ms=1)
    assert batcher.translate_batch([]) == []
    assert batcher.translate_batch(["a"]) == ["A"]
    batcher.close()
    with pytest.raises(EngineError, match="translator is closed"):
        batcher.translate_batch(["a"])


def test_batcher_passes_alternatives_through_on_its_inference_thread() -> None:
    inner = NBestFakeTranslator("en", "es", str.upper)
    threads: list[str] = []
    asked = inner.translate_alternatives

    def recording(texts: Sequence[str], count: int) -> list[list[str]]:
        threads.append(threading.current_thread().name)
        return asked(texts, count)

    inner.translate_alternatives = recording  # type: ignore[method-assign]
    batcher = DynamicBatcher(inner, max_wait_ms=1)
    assert isinstance(batcher, NBestTranslator)
    assert batcher.translate_alternatives(["a", "b"], 2) == [["A (1)", "A (2)"], ["B (1)", "B (2)"]]
    assert threads == ["newsdesk-infer-en-es"]
    # Translations still go through while n-best requests come and go.
    assert batcher.translate_batch(["c"]) == ["C"]
    assert batcher.translate_alternatives([], 2) == []
    batcher.close()
    with pytest.raises(EngineError, match="translator is closed"):
        batcher.translate_alternatives(["a"], 1)


def test_batcher_over_an_engine_without_nbest_has_no_alternatives() -> None:
    inner = SlowTranslator(delay=0)
    assert not isinstance(inner, NBestTranslator)
    batcher = DynamicBatcher(inner, max_wait_ms=1)
    assert batcher.translate_alternatives(["a", "b"], 3) == [[], []]
    assert inner.batches == []
    batcher.close()


def test_an_nbest_request_is_never_merged_into_a_batch() -> None:
    inner = NBestFakeTranslator("en", "es", str.upper)
    batcher = DynamicBatcher(inner, max_batch_tokens=10_000, max_wait_ms=50)
    barrier = threading.Barrier(4)
    found: list[object] = [None] * 4

    def call(index: int) -> None:
        barrier.wait()
        if index % 2:
            found[index] = batcher.translate_alternatives([f"n{index}"], 1)
        else:
            found[index] = batcher.translate_batch([f"t{index}"])

    workers = [threading.Thread(target=call, args=(i,)) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert found == [["T0"], [["N1 (1)"]], ["T2"], [["N3 (1)"]]]
    assert sorted(texts for texts, _ in inner.asked) == [["n1"], ["n3"]]
    assert sum(batcher.batch_sizes) == 2  # the two translations, in one batch or two
    batcher.close()


# --- the summarizer's decoding -------------------------------------------------------------------

BART_CNN_GENERATION = {
    "length_penalty": 2.0,
    "min_length": 56,
    "max_length": 142,
    "no_repeat_ngram_size": 3,
    "num_beams": 4,
    "early_stopping": True,
}


def test_a_summarizer_decodes_with_the_models_own_generation_config(tmp_path: Path) -> None:
    (tmp_path / "generation_config.json").write_text(json.dumps(BART_CNN_GENERATION))
    backend = WordBackend(max_input_tokens=1024)
    backend.max_output_tokens = 1024
    summarizer = Seq2SeqSummarizer(
        backend,  # type: ignore[arg-type]
        EngineInfo("fake", "bart", "1"),
        "en",
        Settings(length_penalty=1.0),
        defaults=generation_defaults(tmp_path),
    )
    summarizer.summarize("The council met. " * 100, 70)
    options = backend.calls[0][1]
    assert (options.length_penalty, options.min_length, options.max_length) == (2.0, 56, 142)
    assert options.no_repeat_ngram_size == 3


def test_the_shipped_manifest_leaves_bart_lengths_to_the_model() -> None:
    manifest = load_manifest(REPO_ROOT / "models" / "manifest.toml")
    bart = manifest.summarizer_for("en")
    assert bart is not None and bart.name == "bart-large-cnn"
    # 0: the model's generation config decides (56..142 tokens for bart-large-cnn).
    assert (bart.min_length, bart.max_length) == (0, 0)


def test_a_long_sentence_is_split_so_that_each_piece_gets_its_whole_output_budget() -> None:
    # The model reads and writes 64 tokens: a 61-token sentence read whole could only get 64
    # tokens of translation, not the 2 x 61 + 10 a translation may need.
    backend = WordBackend(max_input_tokens=64)
    sentence = " ".join(f"w{i}" for i in range(60))
    assert translator(backend).translate_batch([sentence]) == [sentence.upper()]
    for texts, options in backend.calls:
        for index, text in enumerate(texts):
            assert options.item_limit(index) == decoding_length(len(text.split()) + 1, 10**6)
