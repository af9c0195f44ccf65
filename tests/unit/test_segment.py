"""Sentence splitting: long texts go to pysbd in pieces, with the spans pysbd gives them whole."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pysbd.between_punctuation import BetweenPunctuation

from service import segmentation as segment
from service.document.markup import parse, plain
from service.segmentation import split_sentences

NAMES = ["Rivera", "Okafor", "Lind", "Smith", "Novak", "Tanaka", "Haddad", "Costa"]
TEMPLATES = {
    "en": (
        ["budget", "bridge", "council", "report", "market", "harbour", "school", "treaty"],
        [
            "{N} said the {n} would open on Monday.",
            "Mr. {N} met Dr. {N} in St. Louis, Mo., on Jan. 5.",
            '"We are ready for the {n}," said {N}.',
            "The U.S. envoy said prices rose 3.5 percent (the highest since 2019).",
            "Is this the end of the {n}? No!",
            "He cited the {n} -- a rare move -- before leaving.",
            "‘It was a long day,’ {N} told reporters.",
            "The report (see p. 4) was published by the Dept. of Energy.",
            "{N} Jr. and Gen. {N} arrived at 5 p.m. local time.",
            "The firm, {N} Corp., said its profits fell by 12% in the year.",
            'Asked about the {n}, {N} said: "I don\'t know. Ask the mayor."',
            "Officials in Washington [where the {n} was signed] declined to comment.",
            "The vote was 7-2. The {n} passes to the Senate, where it faces a fight.",
            "« Never again », wrote {N} in a letter.",
            "Why now? Because the {n} is failing, {N} said.",
            "The {n} cost $4.5 million, or about €4 million.",
        ],
    ),
    "es": (
        ["presupuesto", "puente", "consejo", "informe", "mercado", "puerto"],
        [
            "{N} dijo que el {n} abrirá el lunes.",
            "El Sr. {N} se reunió con la Dra. {N} en EE.UU. el 5 de enero.",
            "«Estamos listos para el {n}», dijo {N}.",
            "¿Es el fin del {n}? ¡No!",
            "El informe (véase la pág. 4) fue publicado por el Ministerio.",
            "Los precios subieron un 3,5 % (la mayor subida desde 2019).",
            '"No lo sé. Pregunten al alcalde", respondió {N}.',
            "La votación fue 7-2. El {n} pasa al Senado, donde tendrá oposición.",
        ],
    ),
}


def news_paragraph(seed: int, lang: str, sentences: int) -> str:
    """A long paragraph of news-like sentences: abbreviations, quotes, brackets, numbers."""
    rng = random.Random(seed)
    nouns, templates = TEMPLATES[lang]
    out = []
    for _ in range(sentences):
        template = rng.choice(templates).replace("{N}", rng.choice(NAMES), 1)
        out.append(template.replace("{N}", rng.choice(NAMES)).replace("{n}", rng.choice(nouns)))
    return " ".join(out)


@contextmanager
def whole_texts() -> Iterator[None]:
    """split_sentences as it was: every text to pysbd in one call."""
    saved = segment.MAX_CHARS, segment.MAX_STOPS, segment.DENSE_CHARS_PER_STOP
    segment.MAX_CHARS = segment.MAX_STOPS = 10**9
    segment.DENSE_CHARS_PER_STOP = 0
    try:
        yield
    finally:
        segment.MAX_CHARS, segment.MAX_STOPS, segment.DENSE_CHARS_PER_STOP = saved


def pieces(text: str, lang: str) -> list[tuple[int, int, bool]]:
    return segment._pieces(text, lang, segment._Stops(text))


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("seed", range(6))
def test_long_news_paragraphs_split_in_pieces_as_pysbd_splits_them_whole(
    lang: str, seed: int
) -> None:
    text = news_paragraph(seed, lang, 150)
    cut = pieces(text, lang)
    assert len(cut) >= 6 and not any(glue for _, _, glue in cut)  # only safe cuts
    with whole_texts():
        expected = split_sentences(text, lang)
    assert split_sentences(text, lang) == expected


def test_the_fixture_article_as_one_long_paragraph_splits_as_before() -> None:
    html = (Path(__file__).parents[1] / "data" / "article.html").read_text(encoding="utf-8")
    flows = [" ".join(plain(flow.text).split()) for flow in parse(html, "html").flows]
    text = " ".join(flows * 8)
    assert len(pieces(text, "en")) > 1
    with whole_texts():
        expected = split_sentences(text, "en")
    assert split_sentences(text, "en") == expected


def test_a_paragraph_shorter_than_a_piece_goes_to_pysbd_whole() -> None:
    text = news_paragraph(0, "en", 20)
    assert len(text) < segment.MAX_CHARS
    assert pieces(text, "en") == [(0, len(text), False)]


def test_no_cut_falls_inside_a_quotation_that_fits_in_a_piece() -> None:
    quote = '"' + " ".join(f"This is sentence number {i} of the speech." for i in range(40)) + '"'
    text = f"The minister spoke. {quote} The session ended. " * 4
    cut = pieces(text, "en")
    assert len(cut) > 1
    for start, _, _ in cut[1:]:
        assert text.startswith(("The session ended.", "The minister spoke."), start)
    with whole_texts():
        expected = split_sentences(text, "en")
    assert split_sentences(text, "en") == expected


def test_a_forced_cut_adds_no_sentence_end() -> None:
    word = "a" * 10_000
    assert split_sentences(word + ". Bb", "en") == [(0, 10_001), (10_002, 10_004)]
    words = "word " * 3000
    text = words + "End. Next one."
    assert any(glue for _, _, glue in pieces(text, "en"))
    assert split_sentences(text, "en") == [(0, len(words) + 4), (len(words) + 5, len(text))]


@pytest.mark.parametrize("unit", ["a) b) c) ", "1. 2. 3. ", "(a) (b) ", "Yes. No. ", "p. q. "])
def test_a_wall_of_list_markers_loses_no_text(unit: str) -> None:
    text = unit * 4000 + "The end. Next."
    spans = split_sentences(text, "en")
    assert spans == sorted(spans) and all(a < b for a, b in spans)
    covered = "".join(text[a:b] for a, b in spans)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)


def test_short_texts_dense_in_stops_are_still_prose_to_pysbd() -> None:
    text = "Mr. and Mrs. J. R. Smith of St. Louis, Mo. arrived. They left."
    assert [text[a:b] for a, b in split_sentences(text, "en")] == [
        "Mr. and Mrs. J. R. Smith of St. Louis, Mo. arrived.",
        "They left.",
    ]


# pysbd's own patterns for what it holds together (BetweenPunctuation), against the searches
# that replace them; the texts have no backslash, which those patterns treat as an escape.
PYSBD_PATTERNS = {
    ('"', '"'): BetweenPunctuation.BETWEEN_DOUBLE_QUOTES_REGEX_2,
    ("(", ")"): BetweenPunctuation.BETWEEN_PARENS_REGEX_2,
    ("[", "]"): BetweenPunctuation.BETWEEN_SQUARE_BRACKETS_REGEX_2,
    ("«", "»"): BetweenPunctuation.BETWEEN_QUOTE_ARROW_REGEX_2,
    ("“", "”"): BetweenPunctuation.BETWEEN_QUOTE_SLANTED_REGEX_2,
}


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab A.!'\"()[]«»“”‘’-\t", max_size=40))
def test_held_spans_are_found_as_pysbd_finds_them(text: str) -> None:
    for (opener, closer), pattern in PYSBD_PATTERNS.items():
        assert list(segment._paired(text, opener, closer)) == [
            m.span() for m in re.finditer(pattern, text)
        ]
    assert list(segment._dashed(text)) == [
        m.span() for m in re.finditer(BetweenPunctuation.BETWEEN_EM_DASHES_REGEX_2, text)
    ]
    single = BetweenPunctuation.BETWEEN_SINGLE_QUOTES_REGEX
    assert list(segment._single_quoted(text, "'", "'")) == [
        m.span() for m in re.finditer(single, text)
    ]
    slanted = BetweenPunctuation.BETWEEN_SINGLE_QUOTE_SLANTED_REGEX
    assert list(segment._single_quoted(text, "‘", "’")) == [
        m.span() for m in re.finditer(slanted, text)
    ]


# Short news paragraphs written for this test, with the sentences a reader sees: titles,
# abbreviations that can and cannot end a sentence, quotes and «», ellipses, ¿?/¡!, numbers.
SENTENCES = Path(__file__).parents[1] / "data" / "sentences.jsonl"


def labelled(lang: str) -> list[tuple[str, list[str]]]:
    rows = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines()]
    return [(row["text"], row["sentences"]) for row in rows if row["lang"] == lang]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_news_paragraphs_split_right_at_titles_and_abbreviations(lang: str) -> None:
    paragraphs = labelled(lang)
    wrong = []
    for text, sentences in paragraphs:
        got = [text[a:b] for a, b in split_sentences(text, lang)]
        if got != sentences:
            wrong.append(got)
    assert len(paragraphs) >= 80
    assert len(wrong) <= 0.05 * len(paragraphs), "\n".join(" | ".join(s) for s in wrong)


@pytest.mark.parametrize(
    ("text", "lang", "sentences"),
    [
        # An abbreviation that can end a sentence still does, before a capital.
        ("The vote moved to 3 p.m. The mayor came late.", "en", 2),
        ("La reunión pasó a las 3 p. m. El alcalde llegó tarde.", "es", 2),
        ("Lo anunció EE. UU. El Gobierno calla.", "es", 2),
        ("La cifra asciende a aprox. 40. El Gobierno decretó luto.", "es", 2),
        # pysbd knows these before a capital: left to it.
        ("The U.N. Security Council met. Nothing was agreed.", "en", 2),
        # A title never does, whatever follows.
        ("La Dra. Gil y el Sr. Ruiz llegaron. Hubo aplausos.", "es", 2),
        ("Mr. and Mrs. Tanaka left. Nobody saw them.", "en", 2),
        # Spaced initials are one abbreviation, not a sentence per letter.
        ("El presupuesto de I. A. sería un buen comienzo. Nadie lo duda.", "es", 2),
        ("The book by J. R. R. Tolkien sold well. It was reprinted.", "en", 2),
    ],
)
def test_abbreviations_end_a_sentence_only_where_they_can(
    text: str, lang: str, sentences: int
) -> None:
    assert len(split_sentences(text, lang)) == sentences


def test_held_stops_come_back_as_the_text_had_them() -> None:
    text = "El presidente de EE.UU. dijo que sí. La Sra. Pérez no."
    assert [text[a:b] for a, b in split_sentences(text, "es")] == [
        "El presidente de EE.UU. dijo que sí.",
        "La Sra. Pérez no.",
    ]


def test_a_line_of_sentences_glued_by_a_bracket_goes_to_pysbd() -> None:
    # Crawled news loses the space between paragraphs: pysbd still ends a sentence at ".(".
    text = "School meals help children try new food.(% of parents)Most agreed with that."
    assert [text[a:b] for a, b in split_sentences(text, "en")] == [
        "School meals help children try new food.",
        "(% of parents)Most agreed with that.",
    ]
