"""The archive aligner (service/pipeline/align.py) on invented sentences, with a dictionary
standing in for the machine translation of the Spanish side."""

from __future__ import annotations

from service.pipeline.align import align, align_article, similarity

ENGLISH = [
    "The bakery on Elm Street reopened after the flood.",
    "Its owner thanked the neighbours who carried sandbags.",
    "Bread prices will stay the same this winter.",
    "The council promised new drains by the spring.",
]
SPANISH = [
    "La panadería de la calle Elm reabrió tras la inundación.",
    "Su dueña agradeció a los vecinos que cargaron sacos de arena.",
    "Los precios del pan seguirán iguales este invierno.",
    "El ayuntamiento prometió nuevos desagües para la primavera.",
]
# What an engine might make of SPANISH: close to ENGLISH, not equal.
MACHINE = dict(
    zip(
        SPANISH,
        [
            "The bakery of Elm street reopened after the flooding.",
            "Its owner thanked the neighbours that carried bags of sand.",
            "The prices of bread will stay equal this winter.",
            "The town hall promised new drains for the spring.",
        ],
        strict=True,
    )
)


def _machine(sentences: list[str]) -> list[str]:
    return [MACHINE[s] for s in sentences]


def test_similarity_tells_a_translation_from_another_sentence() -> None:
    right = similarity(ENGLISH[0], MACHINE[SPANISH[0]])
    wrong = similarity(ENGLISH[0], MACHINE[SPANISH[3]])
    assert right > 0.6 > wrong
    assert similarity("", "x") == 0.0


def test_every_sentence_pairs_with_its_translation() -> None:
    pairs = align(ENGLISH, SPANISH, _machine(SPANISH))
    assert [(p.english, p.spanish) for p in pairs] == list(zip(ENGLISH, SPANISH, strict=True))


def test_a_dropped_spanish_sentence_costs_only_its_own_pair() -> None:
    spanish = [SPANISH[0], SPANISH[2], SPANISH[3]]
    pairs = align(ENGLISH, spanish, _machine(spanish))
    assert [(p.english, p.spanish) for p in pairs] == [
        (ENGLISH[0], SPANISH[0]),
        (ENGLISH[2], SPANISH[2]),
        (ENGLISH[3], SPANISH[3]),
    ]


def test_articles_are_split_into_fields_and_paragraphs() -> None:
    english = {"title": ENGLISH[0], "body": f"<p>{ENGLISH[1]} {ENGLISH[2]}</p><p>{ENGLISH[3]}</p>"}
    spanish = {"title": SPANISH[0], "body": f"{SPANISH[1]} {SPANISH[2]}\n\n{SPANISH[3]}"}
    pairs, en_count, es_count = align_article(english, spanish, _machine)
    assert (en_count, es_count) == (4, 4)
    assert [p.spanish for p in pairs] == SPANISH


def test_an_empty_side_gives_no_pairs() -> None:
    assert align(ENGLISH, [], []) == []
    assert align_article({"title": ""}, {"title": SPANISH[0]}, _machine) == ([], 0, 1)


def test_a_long_article_aligns_within_the_band_with_a_stretch_dropped() -> None:
    # Far longer than the band: the table is only computed near the diagonal, and a run of
    # Spanish sentences missing in the middle still leaves every other pair in place.
    english = [
        f"Item {i}: the {['bakery', 'council', 'river'][i % 3]} report {i * 7}." for i in range(300)
    ]
    spanish = [s.replace("Item", "Punto") for s in english]
    kept = spanish[:140] + spanish[150:]
    machine = [s.replace("Punto", "Item") for s in kept]
    pairs = align(english, kept, machine)
    expected = [(e, s) for e, s in zip(english, spanish, strict=True) if s in kept]
    assert [(p.english, p.spanish) for p in pairs] == expected
