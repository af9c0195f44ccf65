"""What the ct2 and hf engines share: one translation and one summary algorithm over a backend.

A backend (`hf.HfBackend`, `ct2.Ct2Backend`) only encodes text into tokens and decodes a batch of
token sequences with given options. Everything else is decided once, here:

- inputs are sorted by length into batches whose padded size stays under `max_batch_tokens`;
- an input longer than the model reads is split at sentence, then clause, then word boundaries
  and the pieces' translations are joined again: text is never dropped;
- decoding defaults for news (beam and length penalty from settings, an output budget of twice
  the input plus ten tokens);
- a repetition guard: an output that loops ("cada vez cada vez cada vez") or runs far longer than
  its input is decoded again with no_repeat_ngram_size / repetition_penalty, and if it still
  loops the loop is cut;
- n-best (`Seq2SeqTranslator.translate_alternatives`, for LibreTranslate's `alternatives`): the
  next hypotheses of one beam search, a looping one cut rather than decoded again.

Nothing here imports torch, transformers or ctranslate2.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from service import segmentation
from service.config import Settings
from service.engines.base import EngineError, EngineInfo

log = logging.getLogger(__name__)

TokenT = TypeVar("TokenT")

# A loop is an n-gram of 1..LOOP_MAX_NGRAM words repeated LOOP_MIN_REPEATS times back to back
# (more often than anywhere in the source), or an output more than LENGTH_RATIO times as long as
# its input in words (inputs shorter than MIN_SOURCE_WORDS count as that many).
LOOP_MAX_NGRAM = 4
LOOP_MIN_REPEATS = 3
LENGTH_RATIO = 3
MIN_SOURCE_WORDS = 3
# The stronger constraints of the second decode.
GUARD_NO_REPEAT_NGRAM = 3
GUARD_REPETITION_PENALTY = 1.3
# Limits above this are tokenizer sentinels ("no limit"), not real model limits.
_SANE_LIMIT = 100_000
DEFAULT_MODEL_LIMIT = 512

_CLOSERS = "\"'”’»)\\]"
# Below sentences (service.segmentation), a piece too long for the model is cut at clauses,
# then words. Each boundary starts only at the first mark of a run (",,,,," is tried once, not
# from each of its commas), so splitting is linear in the text however long a run of marks is.
_CLAUSE_END = re.compile(rf"(?<![,;:])[,;:]+[{_CLOSERS}]*(\s+)")
_WORD_GAP = re.compile(r"(\s+)")
_BOUNDARIES = (_CLAUSE_END, _WORD_GAP)
_PUNCT = "\"'“”‘’«»()[]{}¿?¡!.,;:…-–—*·"


# --- splitting ---------------------------------------------------------------------------------


def _split_at(text: str, boundary: re.Pattern[str]) -> list[str]:
    """Splits at the whitespace of each boundary match; punctuation stays with the left part."""
    parts: list[str] = []
    start = 0
    for match in boundary.finditer(text):
        if match.start(1) > start:
            parts.append(text[start : match.start(1)])
        start = match.end(1)
    if text[start:]:
        parts.append(text[start:])
    return parts


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of a plain text in `lang`, its whitespace collapsed: the project's one splitter,
    so that a summary is cut and translated at the sentences the pipeline would see."""
    flat = " ".join(text.split())
    return [flat[start:end] for start, end in segmentation.split_sentences(flat, lang)]


def _parts(text: str, level: int, lang: str) -> list[str]:
    if level == 0:
        return split_sentences(text, lang)
    return _split_at(text, _BOUNDARIES[level - 1])


def _fitting_prefix(text: str, count: Callable[[str], int], limit: int) -> int:
    """The length of the longest prefix of `text` within `limit` (at least one character).

    The prefix length doubles until it no longer fits, then a binary search runs below that:
    each step counts about as much text as fits, never the whole rest of a giant word, so
    cutting a word into pieces costs time linear in its length (times a logarithm)."""
    fits = 1
    while fits < len(text):
        probe = min(2 * fits, len(text))
        if count(text[:probe]) > limit:
            break
        fits = probe
    else:
        return fits
    lo, hi = fits, probe - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(text[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _split_chars(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    # Last resort for one "word" longer than the model reads (a pasted hash, a giant URL).
    pieces: list[str] = []
    while text:
        cut = _fitting_prefix(text, count, limit)
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces


def _fit(text: str, count: Callable[[str], int], limit: int, level: int, lang: str) -> list[str]:
    if level > len(_BOUNDARIES):
        return _split_chars(text, count, limit)
    parts = _parts(text, level, lang)
    if len(parts) <= 1:
        return _fit(text, count, limit, level + 1, lang)
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if count(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if count(part) <= limit:
            current = part
        else:
            pieces.extend(_fit(part, count, limit, level + 1, lang))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def split_to_fit(text: str, count: Callable[[str], int], limit: int, lang: str) -> list[str]:
    """Pieces of `text`, each at most `limit` tokens by `count`, that join back into `text`.

    Splits at sentences first (the project's one splitter, in `lang`), then clauses (`,;:`),
    then words, then characters, packing neighbouring parts back together while they fit, so
    that the model sees contexts as long as it can read. `" ".join(pieces)` is `text` with its
    whitespace collapsed.
    """
    text = " ".join(text.split())
    if not text or count(text) <= limit:
        return [text] if text else []
    return _fit(text, count, limit, 0, lang)


# --- batching ----------------------------------------------------------------------------------


def plan_batches(lengths: Sequence[int], max_batch_tokens: int) -> list[list[int]]:
    """Indices grouped by ascending length; each batch's padded size (count x longest) fits.

    A single input longer than `max_batch_tokens` gets a batch of its own.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        length = max(lengths[index], 1)
        if current and max(longest, length) * (len(current) + 1) > max_batch_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, length)
    if current:
        batches.append(current)
    return batches


def decoding_length(input_tokens: int, cap: int) -> int:
    """Output budget: translations of news run up to about twice their source, plus slack."""
    return max(1, min(2 * input_tokens + 10, cap))


def piece_limit(max_input_tokens: int, max_output_tokens: int) -> int:
    """The longest input (tokens) whose whole output budget the model can write: a longer
    sentence is split, or its translation would be cut at the model's output limit."""
    return max(1, min(max_input_tokens, (max_output_tokens - 10) // 2))


def model_limit(*candidates: object, default: int = DEFAULT_MODEL_LIMIT) -> int:
    """The smallest real limit among tokenizer/config values (ignores None and sentinels)."""
    usable = [c for c in candidates if isinstance(c, int) and 0 < c < _SANE_LIMIT]
    return min(usable) if usable else default


def truncate_tokens(tokens: Sequence[TokenT], limit: int) -> list[TokenT]:
    """The first `limit` tokens, keeping the final special token (EOS) of the sequence."""
    if len(tokens) <= limit:
        return list(tokens)
    return [*tokens[: max(limit - 1, 1)], tokens[-1]]


# --- repetition guard --------------------------------------------------------------------------


def _norm(word: str) -> str:
    return word.strip(_PUNCT).casefold()


def longest_repeat(words: Sequence[str], max_n: int = LOOP_MAX_NGRAM) -> tuple[int, int, int]:
    """(start, n, repeats) of the longest back-to-back run of one 1..max_n-gram of words.

    Words compare case- and punctuation-insensitively; n-grams of punctuation only ("* * *")
    do not count. `repeats` is 1 when nothing repeats.
    """
    norm = [_norm(w) for w in words]
    best = (0, 1, 1)
    size = len(norm)
    for n in range(1, max_n + 1):
        for start in range(0, size - 2 * n + 1):
            unit = norm[start : start + n]
            if not any(unit):
                continue
            if start >= n and norm[start - n : start] == unit:
                continue  # inside a run already measured from its start
            repeats = 1
            while norm[start + repeats * n : start + (repeats + 1) * n] == unit:
                repeats += 1
            if repeats > best[2]:
                best = (start, n, repeats)
    return best


def _length_limit(source_words: int) -> int:
    return LENGTH_RATIO * max(source_words, MIN_SOURCE_WORDS)


def is_degenerate(source: str, output: str) -> bool:
    """The output loops (a 1-4 word n-gram 3+ times in a row, more than the source repeats
    anything) or is more than three times as long as the source in words."""
    out_words = output.split()
    src_words = source.split()
    if len(out_words) > _length_limit(len(src_words)):
        return True
    repeats = longest_repeat(out_words)[2]
    return repeats >= LOOP_MIN_REPEATS and repeats > longest_repeat(src_words)[2]


def cut_loops(source: str, output: str) -> str:
    """Keeps one occurrence of each loop and at most the length limit; the last resort."""
    src_words = source.split()
    allowed = max(longest_repeat(src_words)[2], LOOP_MIN_REPEATS - 1)
    words = output.split()
    while True:
        start, n, repeats = longest_repeat(words)
        if repeats <= allowed:
            break
        del words[start + n : start + repeats * n]
    return " ".join(words[: _length_limit(len(src_words))])


def join_pieces(source: str, outputs: Sequence[str]) -> str:
    """The outputs of a sentence's pieces as one translation, held to the sentence's own limits.

    Each piece is guarded alone, and a short piece gets the floor of MIN_SOURCE_WORDS: a
    sentence cut into a long piece and "week." could come back longer than its own limit even
    though no piece broke its own."""
    joined = " ".join(outputs)
    if len(outputs) > 1 and is_degenerate(source, joined):
        return cut_loops(source, joined)
    return joined


def trim_to_words(text: str, max_words: int, lang: str) -> str:
    """Whole sentences up to `max_words` words; the first sentence cut at a word if it is longer."""
    text = " ".join(text.split())
    if max_words <= 0 or len(text.split()) <= max_words:
        return text
    kept: list[str] = []
    used = 0
    for sentence in split_sentences(text, lang):
        n = len(sentence.split())
        if used + n > max_words:
            break
        kept.append(sentence)
        used += n
    return " ".join(kept) if kept else " ".join(text.split()[:max_words])


# --- the shared engines ------------------------------------------------------------------------


@dataclass(frozen=True)
class DecodeOptions:
    beam_size: int = 4
    length_penalty: float = 1.0
    max_length: int = DEFAULT_MODEL_LIMIT
    min_length: int = 0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    # Each input's own output budget (tokens), when the batch's `max_length` is only their
    # maximum: outputs are cut to it, so that a sentence decodes the same whatever its batch.
    item_max_lengths: tuple[int, ...] = ()

    def item_limit(self, index: int) -> int:
        return self.item_max_lengths[index] if self.item_max_lengths else self.max_length


class Backend(Protocol[TokenT]):
    """A loaded seq2seq model: tokens in, text out. Limits count tokens including EOS."""

    max_input_tokens: int
    max_output_tokens: int

    def encode(self, texts: Sequence[str]) -> list[list[TokenT]]: ...

    def generate(self, batch: Sequence[Sequence[TokenT]], options: DecodeOptions) -> list[str]: ...

    def generate_nbest(
        self, batch: Sequence[Sequence[TokenT]], options: DecodeOptions, count: int
    ) -> list[list[str]]:
        """The `count` best hypotheses of each input, best first (`options.beam_size` is at
        least `count`), each cut to its input's own budget as `generate` cuts its one."""
        ...

    def close(self) -> None: ...


def other_hypotheses(source: str, hypotheses: Sequence[str], count: int) -> list[str]:
    """Up to `count` of the hypotheses after the first (the best), in order, none empty or
    repeating an earlier one. One the repetition guard flags has its loops cut, the guard's
    last resort, rather than being decoded again: an alternative is not worth a second decode."""
    texts = [cut_loops(source, t) if is_degenerate(source, t) else t for t in hypotheses]
    texts = [text.strip() for text in texts]
    seen = set(texts[:1])
    others: list[str] = []
    for text in texts[1:]:
        if len(others) == count:
            break
        if not text or text in seen:
            continue
        seen.add(text)
        others.append(text)
    return others


@dataclass
class EngineStats:
    """Counters tests and /metrics read; updated under a lock (engines may run concurrently)."""

    inputs: int = 0
    split_inputs: int = 0
    segments: int = 0
    batches: int = 0
    redecoded: int = 0
    loops_cut: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, int]:
        with self._lock:
            return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class _Segment(Generic[TokenT]):
    owner: int
    text: str
    tokens: list[TokenT]


class Seq2SeqTranslator(Generic[TokenT]):
    """A Translator over any backend: batching, long-input splitting, the repetition guard."""

    def __init__(
        self,
        backend: Backend[TokenT],
        info: EngineInfo,
        source: str,
        target: str,
        settings: Settings,
    ) -> None:
        self.backend = backend
        self.info = info
        self.source = source
        self.target = target
        self.max_batch_tokens = settings.max_batch_tokens
        self.fixed_length = settings.decode_fixed_length
        self.options = DecodeOptions(
            beam_size=settings.beam_size, length_penalty=settings.length_penalty
        )
        self.stats = EngineStats()

    def _piece_tokens(self) -> int:
        return piece_limit(self.backend.max_input_tokens, self.backend.max_output_tokens)

    def _count(self, text: str) -> int:
        return len(self.backend.encode([text])[0])

    def segments(self, text: str) -> list[str]:
        """The pieces `text` is decoded as: itself, or its split if longer than the model reads."""
        return split_to_fit(text, self._count, self._piece_tokens(), self.source)

    def _decoding_options(self, input_lengths: Sequence[int], constrained: bool) -> DecodeOptions:
        if self.fixed_length > 0:
            return replace(self.options, min_length=self.fixed_length, max_length=self.fixed_length)
        budgets = tuple(decoding_length(n, self.backend.max_output_tokens) for n in input_lengths)
        options = replace(self.options, max_length=max(budgets), item_max_lengths=budgets)
        if constrained:
            options = replace(
                options,
                no_repeat_ngram_size=GUARD_NO_REPEAT_NGRAM,
                repetition_penalty=GUARD_REPETITION_PENALTY,
            )
        return options

    def _run(self, segments: Sequence[_Segment[TokenT]], constrained: bool) -> list[str]:
        outputs = [""] * len(segments)
        plan = plan_batches([len(s.tokens) for s in segments], self.max_batch_tokens)
        for batch in plan:
            options = self._decoding_options([len(segments[i].tokens) for i in batch], constrained)
            results = self.backend.generate([segments[i].tokens for i in batch], options)
            if len(results) != len(batch):
                raise EngineError(f"{self.info.engine} engine returned a wrong number of outputs")
            for index, result in zip(batch, results, strict=True):
                outputs[index] = result.strip()
        self.stats.add(segments=len(segments), batches=len(plan))
        return outputs

    def _guarded(self, segments: Sequence[_Segment[TokenT]]) -> list[str]:
        outputs = self._run(segments, constrained=False)
        if self.fixed_length > 0:
            return outputs
        flagged = [i for i, s in enumerate(segments) if is_degenerate(s.text, outputs[i])]
        if not flagged:
            return outputs
        again = self._run([segments[i] for i in flagged], constrained=True)
        cut = 0
        for index, output in zip(flagged, again, strict=True):
            if is_degenerate(segments[index].text, output):
                output = cut_loops(segments[index].text, output)
                cut += 1
            outputs[index] = output
        self.stats.add(redecoded=len(flagged), loops_cut=cut)
        log.debug(
            "%s: %d outputs decoded again, %d loops cut", self.info.signature, len(flagged), cut
        )
        return outputs

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        cleaned = [" ".join(t.split()) for t in texts]
        wanted = [i for i, t in enumerate(cleaned) if t]
        if not wanted:
            return ["" for _ in cleaned]
        try:
            segments: list[_Segment[TokenT]] = []
            encoded = self.backend.encode([cleaned[i] for i in wanted])
            split = 0
            for owner, tokens in zip(wanted, encoded, strict=True):
                if len(tokens) <= self._piece_tokens():
                    segments.append(_Segment(owner, cleaned[owner], tokens))
                    continue
                split += 1
                pieces = self.segments(cleaned[owner])
                for piece, piece_tokens in zip(pieces, self.backend.encode(pieces), strict=True):
                    segments.append(_Segment(owner, piece, piece_tokens))
            self.stats.add(inputs=len(wanted), split_inputs=split)
            outputs = self._guarded(segments)
        except EngineError:
            raise
        except Exception as exc:
            raise EngineError(f"{self.info.engine} engine failed to translate") from exc
        parts: list[list[str]] = [[] for _ in cleaned]
        for segment, output in zip(segments, outputs, strict=True):
            if output:
                parts[segment.owner].append(output)
        return [join_pieces(source, p) for source, p in zip(cleaned, parts, strict=True)]

    def translate_alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """For each text, up to `count` translations other than the best, best first: the next
        hypotheses of one beam search at least `count + 1` wide (`other_hypotheses`). Where
        the configured beam is that wide its best is `translate_batch`'s translation.

        A text longer than the model reads in one piece gets none: its pieces' hypotheses
        would have to be combined into whole alternatives, for sentences LibreTranslate
        clients hardly send."""
        cleaned = [" ".join(t.split()) for t in texts]
        found: list[list[str]] = [[] for _ in cleaned]
        wanted = [i for i, t in enumerate(cleaned) if t]
        if count <= 0 or not wanted:
            return found
        try:
            encoded = self.backend.encode([cleaned[i] for i in wanted])
            fitting = [
                (owner, tokens)
                for owner, tokens in zip(wanted, encoded, strict=True)
                if len(tokens) <= self._piece_tokens()
            ]
            for batch in plan_batches([len(t) for _, t in fitting], self.max_batch_tokens):
                options = self._decoding_options([len(fitting[i][1]) for i in batch], False)
                options = replace(options, beam_size=max(options.beam_size, count + 1))
                results = self.backend.generate_nbest(
                    [fitting[i][1] for i in batch], options, count + 1
                )
                if len(results) != len(batch):
                    raise EngineError(
                        f"{self.info.engine} engine returned a wrong number of outputs"
                    )
                for index, hypotheses in zip(batch, results, strict=True):
                    owner = fitting[index][0]
                    found[owner] = other_hypotheses(cleaned[owner], hypotheses, count)
        except EngineError:
            raise
        except Exception as exc:
            raise EngineError(f"{self.info.engine} engine failed to translate") from exc
        return found

    def close(self) -> None:
        self.backend.close()


@dataclass(frozen=True)
class GenerationDefaults:
    """The decoding a summarizer was tuned and shipped with (its generation config); None:
    the model does not say."""

    length_penalty: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    no_repeat_ngram_size: int | None = None


def _number(data: dict[str, object], key: str) -> float | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def generation_defaults(hf_dir: Path | None) -> GenerationDefaults:
    """The model's own decoding settings from its Hugging Face directory, without importing
    transformers: generation_config.json, else config.json (older checkpoints keep them there)."""
    if hf_dir is None:
        return GenerationDefaults()
    for name in ("generation_config.json", "config.json"):
        try:
            data = json.loads((Path(hf_dir) / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or not any(
            key in data for key in ("length_penalty", "min_length", "max_length")
        ):
            continue
        numbers = {f.name: _number(data, f.name) for f in fields(GenerationDefaults)}
        return GenerationDefaults(
            length_penalty=numbers["length_penalty"],
            min_length=_int_or_none(numbers["min_length"]),
            max_length=_int_or_none(numbers["max_length"]),
            no_repeat_ngram_size=_int_or_none(numbers["no_repeat_ngram_size"]),
        )
    return GenerationDefaults()


def _int_or_none(value: float | None) -> int | None:
    return None if value is None else int(value)


class Seq2SeqSummarizer(Generic[TokenT]):
    """A Summarizer over any backend: task prefix, input budget, length budget, loop cut."""

    def __init__(
        self,
        backend: Backend[TokenT],
        info: EngineInfo,
        lang: str,
        settings: Settings,
        *,
        prefix: str = "",
        min_length: int = 0,
        max_length: int = 0,
        max_input_tokens: int = 0,
        defaults: GenerationDefaults | None = None,
    ) -> None:
        self.backend = backend
        self.info = info
        self.lang = lang
        self.prefix = prefix
        defaults = defaults or GenerationDefaults()
        # A length the manifest or the prompt sets wins; else the model's own (bart-large-cnn
        # was tuned to 56..142 tokens with length_penalty 2.0: shorter reads as a headline).
        self.min_length = min_length or defaults.min_length or 0
        self.max_length = max_length or defaults.max_length or 0
        self.max_input_tokens = model_limit(max_input_tokens, backend.max_input_tokens)
        self.options = DecodeOptions(
            beam_size=settings.beam_size,
            length_penalty=(
                settings.length_penalty
                if defaults.length_penalty is None
                else defaults.length_penalty
            ),
            # Abstractive summarizers are trained and shipped with this (bart-large-cnn's own
            # generation config): without it they repeat whole phrases.
            no_repeat_ngram_size=(
                GUARD_NO_REPEAT_NGRAM
                if defaults.no_repeat_ngram_size is None
                else defaults.no_repeat_ngram_size
            ),
        )

    def _length_budget(self, max_words: int) -> tuple[int, int]:
        # About two tokens per word leaves room for subwords; the manifest's max_length caps it.
        by_words = 2 * max(max_words, 1) + 10
        max_length = min(self.max_length or by_words, by_words, self.backend.max_output_tokens)
        return min(self.min_length, max_length // 2), max_length

    def summarize(self, text: str, max_words: int) -> str:
        body = " ".join(text.split())
        if not body:
            return ""
        min_length, max_length = self._length_budget(max_words)
        options = replace(self.options, min_length=min_length, max_length=max_length)
        try:
            # Past the input budget the article is cut: news puts what matters first.
            tokens = truncate_tokens(
                self.backend.encode([self.prefix + body])[0], self.max_input_tokens
            )
            summary = self.backend.generate([tokens], options)[0].strip()
        except Exception as exc:
            raise EngineError(f"{self.info.engine} engine failed to summarize") from exc
        if is_degenerate(body, summary):
            summary = cut_loops(body, summary)
        return trim_to_words(summary, max_words, self.lang)

    def close(self) -> None:
        self.backend.close()
