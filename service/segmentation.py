"""Sentence splitting with pysbd, with the fixes a news text needs: the one splitter of the
project (the pipeline, the extractive and seq2seq summarizers), a leaf module so engines can use
it without importing the pipeline.

pysbd splits Spanish news at its commonest abbreviations ("El Sr. | García", "de EE.UU. | dijo",
"aprox. | 3.000", "a las 10 a. m. | del lunes") and English at a few ("Co. | Inc."). Before it
sees a text, the stops of a short per-language list of abbreviations are replaced, where they
cannot end a sentence, by a character that is no stop (same length: the spans stay those of
the text); spans are also cut after "…" before a capital, and Spanish ones after a closing
quote that ends a question or an exclamation. tests/data/sentences.jsonl holds the paragraphs
this is measured on (bench/splitter.py).

pysbd's cost grows faster than the text one call gets: its character-span pass searches the
whole text again for every sentence, its abbreviation pass rescans it for every word that starts
like an abbreviation, and its list pass rewrites it for every list marker ("a)", "2."), so that
10,000 short sentences in one call took half a minute. A long text therefore goes to pysbd in
pieces of about PIECE_CHARS characters or PIECE_STOPS stops, each cut where pysbd cuts anyway: a
plain word (not one of pysbd's abbreviations) and its stop, spaces, a capitalised word, outside
every quote, parenthesis or bracket that pysbd holds together. Texts shorter than a piece (nearly
every paragraph) go to pysbd whole, as before (bench/segment_identity.py compares the two ways
on real news). A text with no such place within MAX_CHARS characters or MAX_STOPS stops (not
prose: a wall of initials or list markers, one giant word) is cut at the last place that looks
like a sentence end, else at a space, and the sentence such a cut runs through is kept whole. A
piece as dense in stops as no prose is, is split at those places without pysbd. So the work
stays linear in the length of the text, whatever the text.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterator
from functools import cache

import pysbd
from pysbd.languages import Language

# A sentence end followed by the start of another one, or by a quote or bracket glued to more
# text (pysbd ends a sentence at 'lunches.(% of' and 'plate."School', common in crawled news).
# Lines without such a spot are one sentence, and pysbd (the slow part of the CLI path) is not
# asked about them.
_MARKS = "\"'”’»)\\]“‘«(\\[¿¡"
_POSSIBLE_BOUNDARY = re.compile(
    rf"[.!?…。](?:[\"'”’»)\]]*\s+[\"'“‘«(\[¿¡]*[A-ZÁÉÍÓÚÑÜ0-9]|[{_MARKS}]+[^\s{_MARKS}.!?…])"
)
# The same spot, up to the end of its spaces: where a forced cut goes.
_LIKELY_END = re.compile(r"[.!?…。][\"'”’»)\]]*\s+(?=[A-ZÁÉÍÓÚÑÜ0-9])")
_HAS_WORD = re.compile(r"\w")

PIECE_CHARS = 1000
PIECE_STOPS = 32
MAX_CHARS = 3000
MAX_STOPS = 64
# A piece with at least DENSE_STOPS stops and more than one per DENSE_CHARS_PER_STOP characters
# is no prose ("a) b) c) ...", "1. 2. 3. ..."): pysbd's list pass takes 100 µs a character there.
DENSE_STOPS = 8
DENSE_CHARS_PER_STOP = 4

# What pysbd may end a sentence or a list item at (glued to a quote or bracket too): the unit
# of its costly passes.
_STOP = re.compile(rf"[.!?…。)](?=\s|$|[{_MARKS}])")
# Where pysbd always ends a sentence: a word of three or more letters (group 1) after a space,
# a stop, spaces, then a capitalised word. The cut goes before the capital (the match's end).
_SAFE_END = re.compile(r"(?<=\s)([^\W\d_]{3,})[.!?] +(?=[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü])")
# pysbd never splits inside quotes, parentheses, brackets or between em dashes (its
# BetweenPunctuation rules): from an opening mark to the first closing one after it, with
# something in between, left to right. Its own patterns rescan the rest of the text from every
# unclosed "[", "«", "“" or "‘", so the spans are found here by plain searches, the same way.
_PAIRS = (('"', '"'), ("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"))
# Single quotes open only after a space, and close at the first closing mark that no letter
# follows ("it's" goes on), or else at the last closing mark of the text.
_SINGLE_QUOTES = (("'", "'"), ("‘", "’"))
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


# Abbreviations pysbd gets wrong in news, per language. A title (or "p. ej.") always precedes
# what it belongs to; the others may end a sentence, and are held only before a lower-case
# word, a number, a comma or another abbreviation.
_TITLES = {
    "en": "Mr Mrs Ms Dr Gov Sen Rep Lt Col Gen Sgt Capt Cmdr Adm Maj Prof Rev Hon Pres Supt",
    "es": "Sr Sra Srta Sres Dr Dra Lic Ing Prof Profa Gral Excmo Excma Dña Mons",
}
_HELD = {
    "en": frozenset([f"{title}." for title in _TITLES["en"].split()] + ["e.g.", "i.e."]),
    "es": frozenset([f"{title}." for title in _TITLES["es"].split()] + ["p. ej.", "p.ej."]),
}
_OTHERS = {
    "en": (
        "U.S. U.K. U.N. E.U. D.C. U.S.A. a.m. p.m. Inc. Co. Corp. Ltd. Jan. Feb. Aug. Sept. "
        "Sep. Oct. Nov. Dec. St. No. vs. approx. est. Jr. Sr."
    ).split(),
    "es": (
        "EE.UU. S.A. S.L. a.m. p.m. aprox. art. arts. núm. núms. pág. págs. etc. vol. cap. "
        "tel. av. avda. Jr. Cía. Inc. Co. Corp. Ltd. ene. feb. sept. oct. nov. dic."
    ).split()
    + ["EE. UU.", "a. m.", "p. m.", "S. A.", "S. L."],
}


def _abbreviation_pattern(lang: str) -> re.Pattern[str]:
    words = sorted(_HELD[lang] | set(_OTHERS[lang]), key=len, reverse=True)
    # A whole word: no letter, digit or dot right before it. Spaced initials ("I. A.",
    # "J. R. R."), which pysbd cuts after each letter, count as one abbreviation.
    known = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w.])(?:{known}|(?:[A-ZÁÉÍÓÚÑ]\. )+[A-ZÁÉÍÓÚÑ]\.)")


_ABBREVIATIONS = {lang: _abbreviation_pattern(lang) for lang in _TITLES}
# What follows an abbreviation: spaces, opening marks, then the character that decides.
_AFTER = re.compile(r"\s+[\"“‘«(]*(\w)|\s*([,;:)])")
# The stand-in for a held stop: a private-use character, which cleaned text never contains and
# pysbd treats as neither a stop nor a space. Spans are read from the original text.
_MASK = "\ue000"
_NEXT_CAPITAL = r"(\s+)(?=[«“\"'‘(¿¡]*[A-ZÁÉÍÓÚÑÜ])"
_MISSED_END = {
    "en": re.compile(rf"…[\"'”’»)\]]*{_NEXT_CAPITAL}"),
    "es": re.compile(rf"(?:…[\"'”’»)\]]*|[?!][»”\"]){_NEXT_CAPITAL}"),
}

# A pysbd Segmenter keeps the text it works on in its own attributes: two threads sharing one
# get each other's sentences. Each thread keeps its own (the service translates in a pool).
_local = threading.local()


def _segmenter(lang: str) -> pysbd.Segmenter:
    segmenters: dict[str, pysbd.Segmenter] = _local.__dict__.setdefault("segmenters", {})
    if lang not in segmenters:
        segmenters[lang] = pysbd.Segmenter(language=lang, clean=False, char_span=True)
    return segmenters[lang]


@cache
def _abbreviations(lang: str) -> frozenset[str]:
    module = Language.get_language_code(lang)
    return frozenset(a.lower() for a in module.Abbreviation.ABBREVIATIONS)


def _paired(text: str, opener: str, closer: str) -> Iterator[tuple[int, int]]:
    position = text.find(opener)
    while position >= 0:
        close = text.find(closer, position + 1)
        if close < 0:
            return
        if opener == "(":
            position = text.rfind("(", position, close)  # none inside: the innermost pair
        if close == position + 1:
            position = text.find(opener, position + 1)
            continue
        yield position, close + 1
        position = text.find(opener, close + 1)


def _dashed(text: str) -> Iterator[tuple[int, int]]:
    """Em dashes written as two hyphens: "--", text with no hyphen, "--"."""
    position = text.find("--")
    while position >= 0:
        dash = text.find("-", position + 2)
        if dash < 0:
            return
        if text.startswith("--", dash):
            yield position, dash + 2
            position = text.find("--", dash + 2)
        else:
            position = text.find("--", position + 1)


def _single_quoted(text: str, opener: str, closer: str) -> Iterator[tuple[int, int]]:
    last = text.rfind(closer)
    position = text.find(opener)
    while 0 <= position < last:
        if position == 0 or not text[position - 1].isspace():
            position = text.find(opener, position + 1)
            continue
        close = text.find(closer, position + 1)
        while 0 <= close < last and text[close + 1] in _ASCII_LETTERS:
            close = text.find(closer, close + 1)
        end = (close if close >= 0 else last) + 1
        yield position, end
        position = text.find(opener, end)


class _Quoted:
    """The spans of a text that pysbd holds together, merged; asks whether a cut is inside."""

    def __init__(self, text: str) -> None:
        found = [span for o, c in _PAIRS for span in _paired(text, o, c)]
        found += [span for o, c in _SINGLE_QUOTES for span in _single_quoted(text, o, c)]
        found += _dashed(text)
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(found):
            if self.ends and start < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def holds(self, position: int) -> bool:
        index = bisect.bisect_left(self.starts, position) - 1
        return index >= 0 and self.ends[index] > position


class _Stops:
    """Positions of the stops of a text, counted between two positions."""

    def __init__(self, text: str) -> None:
        self.positions = [m.start() for m in _STOP.finditer(text)]

    def between(self, start: int, end: int) -> int:
        return bisect.bisect_left(self.positions, end) - bisect.bisect_left(self.positions, start)

    def limit(self, start: int, count: int) -> int | None:
        """The position just after the `count`-th stop from `start`, if there are that many."""
        index = bisect.bisect_left(self.positions, start) + count - 1
        return self.positions[index] + 1 if index < len(self.positions) else None


def _pieces(text: str, lang: str, stops: _Stops) -> list[tuple[int, int, bool]]:
    """(start, end, glue) pieces of `text`; `glue`: the piece ends inside a sentence."""
    abbreviations = _abbreviations(lang)
    quoted: _Quoted | None = None
    pieces: list[tuple[int, int, bool]] = []
    start = 0
    ends = _SAFE_END.finditer(text)
    end = next(ends, None)
    while True:
        limit = min(len(text), start + MAX_CHARS, stops.limit(start, MAX_STOPS) or len(text))
        if limit == len(text):
            break  # the rest fits in one piece (a text that fits whole is not even scanned)
        if quoted is None:
            quoted = _Quoted(text)
        cut: int | None = None
        while end is not None and end.end() <= limit and cut is None:
            big_enough = (
                end.end() - start >= PIECE_CHARS or stops.between(start, end.end()) >= PIECE_STOPS
            )
            if (
                big_enough
                and not quoted.holds(end.end())
                and end.group(1).lower() not in abbreviations
            ):
                cut = end.end()
            end = next(ends, None)
        glue = False
        if cut is None:
            cut, glue = _forced_cut(text, start + 1, limit, quoted)
        pieces.append((start, cut, glue))
        start = cut
        while end is not None and end.start() < start:
            end = next(ends, None)
    pieces.append((start, len(text), False))
    return pieces


def _forced_cut(text: str, start: int, limit: int, quoted: _Quoted) -> tuple[int, bool]:
    """A cut in text[start:limit], which has no safe sentence end: after the last spot that
    looks like one, else after the last space (gluing the sentence it cuts), else anywhere."""
    likely: int | None = None
    for match in _LIKELY_END.finditer(text, start, limit):
        if not quoted.holds(match.end()):
            likely = match.end()
    if likely is not None:
        return likely, False
    space = text.rfind(" ", start, limit)
    return (space + 1 if space >= 0 else limit), True


def _likely_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of a piece that is no prose, split wherever a sentence seems to end."""
    spans: list[tuple[int, int]] = []
    for match in _LIKELY_END.finditer(text, start, end):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, end))
    return spans


def _raw_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """pysbd's spans, a piece at a time; a piece cut inside a sentence runs on into the next."""
    if _POSSIBLE_BOUNDARY.search(text) is None:
        return [(0, len(text))]
    stops = _Stops(text)
    raw: list[tuple[int, int]] = []
    glue = False
    for start, end, cut_inside in _pieces(text, lang, stops):
        count = stops.between(start, end)
        if count >= DENSE_STOPS and end - start < count * DENSE_CHARS_PER_STOP:
            found = _likely_spans(text, start, end)
        else:
            segmented = _segmenter(lang).segment(text[start:end])
            found = [(start + s.start, start + s.end) for s in segmented]
        if glue and raw and found:
            raw[-1] = (raw[-1][0], found[0][1])
            found = found[1:]
        raw.extend(found)
        glue = cut_inside
    return raw


def _masked(text: str, lang: str) -> str:
    """`text` with the stops of its known abbreviations replaced by _MASK where they cannot end
    a sentence: a dot before a space inside one ("EE. UU.", "a. m."); a title's dot before a name
    ("Sr. García"); any other one's last dot before a lower-case word, a number, a comma or
    another abbreviation ("EE.UU. dijo", "aprox. 3.000", "Co. Inc."), and then its inner dots
    too. An abbreviation before a capital ("the U.N. Security Council") is left to pysbd, which
    knows it. Same length as `text`, so the spans found in it are the spans of `text`.
    """
    found = list(_ABBREVIATIONS[lang].finditer(text))
    if not found:
        return text
    starts = {match.start() for match in found}
    chars = list(text)
    for match in found:
        stop = match.end() - 1
        after = _AFTER.match(text, match.end())
        held = after is not None and (
            after.group(2) is not None
            or (match.group() in _HELD[lang] and after.group(1).isalpha())
            or after.group(1).islower()
            or after.group(1).isdigit()
            or after.start(1) in starts
        )
        for index in range(match.start(), stop):
            if chars[index] == "." and (held or text[index + 1].isspace()):
                chars[index] = _MASK
        if held:
            chars[stop] = _MASK
    return "".join(chars)


def _cut_further(text: str, spans: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """Spans cut where pysbd misses an end before a capital: after "…" (it ends a sentence at
    "...", not at the one-character ellipsis) and, in Spanish, after a question or exclamation
    closed by a quote ("«¿Quién paga?» Nadie respondió."), which pysbd keeps with what follows.
    """
    pattern = _MISSED_END[lang]
    quoted: _Quoted | None = None
    out: list[tuple[int, int]] = []
    for start, end in spans:
        for match in pattern.finditer(text, start, end):
            quoted = quoted or _Quoted(text)
            if quoted.holds(match.end(1)):
                continue  # "We tried… We failed," he said: one sentence, as pysbd sees quotes
            out.append((start, match.start(1)))
            start = match.end(1)
        out.append((start, end))
    return out


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, leading/trailing spaces excluded."""
    spans: list[tuple[int, int]] = []
    if not text.strip():
        return spans
    text = _masked(text, lang)
    raw = _cut_further(text, _raw_spans(text, lang), lang)
    for start, end in raw:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        # pysbd splits a closing quote off as a sentence of its own: glue such pieces back.
        if spans and _HAS_WORD.search(text, start, end) is None:
            spans[-1] = (spans[-1][0], end)
            continue
        spans.append((start, end))
    return spans
