"""The embedded extractive summarizer: budget, whole sentences, order, chrome, both languages."""

from __future__ import annotations

import re

import pysbd
import pytest

from service.engines.base import EngineInfo, Summarizer
from service.engines.extractive import DEFAULT_MAX_WORDS, ExtractiveSummarizer, count_words

EN_PAGE = """Eng
Esp
Support us on Patreon

Harbor city opens its first floating solar farm

The floating farm on the old harbor basin will supply power to twelve thousand homes.
byJane Doe
By Jane Doe and Max Roe, Reuters.
12/03/2025
4 minute read
Workers assemble panels on the harbor basin. Photo: City Press Office

The city of Port Alden switched on its first floating solar farm on Monday, a project that \
officials say will supply power to twelve thousand homes.

The solar farm covers most of the old harbor basin, where cargo ships once moored. Engineers \
anchored more than forty thousand panels to the bottom of the basin.

Mayor Ellen Ward said the floating solar farm would cut the city's electricity bills and its \
emissions. "This basin was empty for thirty years," she said.

Critics argued that the panels could harm fish in the basin, but a study by the local \
university found no such effect during the first year of tests.

Read also

Become a patron and help us produce more reporting like this. Readers like you keep our \
newsroom open. A small gift each month goes a long way. Become a Patron!

To suggest a correction or clarification, write to us here

You can also highlight the text and press Ctrl + Enter

Related Posts
"""

ES_PAGE = """Eng
Esp
Suscríbete a nuestro boletín

El ayuntamiento abre la primera granja solar flotante del puerto

Por Ana Pérez
Por Ana Pérez y Luis Gil, Efe.
17 de abril de 2025
Foto: Gabinete de prensa

El ayuntamiento de Puerto Alto inauguró el lunes su primera granja solar flotante, que \
abastecerá de electricidad a doce mil hogares según el gobierno municipal.

La granja solar ocupa casi toda la antigua dársena del puerto, donde antes atracaban los \
buques de carga. Los ingenieros anclaron más de cuarenta mil paneles al fondo de la dársena.

La alcaldesa Elena Ruiz afirmó que la granja solar reducirá la factura eléctrica de la ciudad \
y sus emisiones. Los críticos temían daños a los peces, pero un estudio de la universidad no \
encontró ningún efecto.

Lee también

Hazte socio y ayúdanos a seguir informando. Dona ahora: cada aportación cuenta. Gracias a \
lectores como tú, nuestro periodismo sigue abierto.

Leer más
"""

CHROME_WORDS = re.compile(
    r"patreon|patron|by jane|jane doe|read also|related|ctrl|correction|photo|minute read|"
    r"max roe|12/03|luis gil|suscr|hazte|dona|lee también|leer más|ana pérez|foto|"
    r"abril de 2025|\beng\b|\besp\b",
    re.IGNORECASE,
)


def sentences_of(text: str, lang: str) -> set[str]:
    seg = pysbd.Segmenter(language=lang, clean=False)
    out: set[str] = set()
    for line in text.splitlines():
        out.update(s.strip() for s in seg.segment(line) if s.strip())
    return out


def split_summary(summary: str, source: str, lang: str) -> list[str]:
    """The summary's sentences, matched back to whole sentences of the source, in order."""
    pool = sorted(sentences_of(source, lang), key=len, reverse=True)
    parts: list[str] = []
    rest = summary
    while rest:
        match = next((s for s in pool if rest.startswith(s)), None)
        assert match is not None, f"not a whole source sentence: {rest[:80]!r}"
        parts.append(match)
        rest = rest[len(match) :].lstrip()
    return parts


@pytest.fixture(scope="module")
def en() -> ExtractiveSummarizer:
    return ExtractiveSummarizer("en")


@pytest.fixture(scope="module")
def es() -> ExtractiveSummarizer:
    return ExtractiveSummarizer("es")


def test_follows_the_protocol(en: ExtractiveSummarizer, es: ExtractiveSummarizer) -> None:
    assert isinstance(en, Summarizer)
    assert en.info == EngineInfo("extractive", "newsdesk-extractive-en", "1")
    assert es.info.model == "newsdesk-extractive-es"
    assert (en.lang, es.lang) == ("en", "es")
    en.close()  # harmless, and the engine still works afterwards
    assert en.summarize("One short sentence here.", 60) == "One short sentence here."


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        ExtractiveSummarizer("fr")


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n"])
def test_empty_input_gives_empty_summary(en: ExtractiveSummarizer, text: str) -> None:
    assert en.summarize(text, 60) == ""


@pytest.mark.parametrize("budget", [15, 25, 40, 60, 80])
def test_budget_respected_with_whole_sentences_in_article_order(
    en: ExtractiveSummarizer, budget: int
) -> None:
    summary = en.summarize(EN_PAGE, budget)
    parts = split_summary(summary, EN_PAGE, "en")
    assert parts
    if len(parts) > 1:
        assert count_words(summary) <= budget
    positions = [EN_PAGE.index(p) for p in parts]
    assert positions == sorted(positions)


def test_best_sentence_kept_even_over_budget(en: ExtractiveSummarizer) -> None:
    summary = en.summarize(EN_PAGE, 3)
    parts = split_summary(summary, EN_PAGE, "en")
    assert len(parts) == 1
    assert count_words(summary) > 3


def test_english_chrome_ignored(en: ExtractiveSummarizer) -> None:
    for budget in (20, 60, 200):
        summary = en.summarize(EN_PAGE, budget)
        assert "floating" in summary
        assert not CHROME_WORDS.search(summary), summary
    # Given room for everything, it takes article sentences only.
    everything = en.summarize(EN_PAGE, 1000)
    assert "Critics argued" in everything
    assert "gift" not in everything and "Readers like you" not in everything


def test_spanish_works_and_ignores_chrome(es: ExtractiveSummarizer) -> None:
    for budget in (20, 60, 200):
        summary = es.summarize(ES_PAGE, budget)
        assert "granja solar" in summary
        assert not CHROME_WORDS.search(summary), summary
        split_summary(summary, ES_PAGE, "es")
    everything = es.summarize(ES_PAGE, 1000)
    assert "aportación" not in everything and "lectores como tú" not in everything


def test_lead_sentence_preferred(en: ExtractiveSummarizer, es: ExtractiveSummarizer) -> None:
    assert en.summarize(EN_PAGE, 40).startswith("The floating farm on the old harbor basin")
    assert es.summarize(ES_PAGE, 40).startswith("El ayuntamiento de Puerto Alto inauguró")


def test_single_newline_paragraphs(en: ExtractiveSummarizer) -> None:
    compact = re.sub(r"\n\s*\n", "\n", EN_PAGE)
    assert en.summarize(compact, 60) == en.summarize(EN_PAGE, 60)


def test_hard_wrapped_lines_are_joined(en: ExtractiveSummarizer) -> None:
    text = (
        "The city council approved the new budget for public transport after a\n"
        "debate that lasted most of the night and ended with a narrow vote.\n"
    )
    assert en.summarize(text, 60) == " ".join(text.split())


def test_all_chrome_falls_back_to_first_sentences(en: ExtractiveSummarizer) -> None:
    text = "Support us on Patreon.\n\nBecome a patron today!\n\nRead also\n"
    assert en.summarize(text, 5) == "Support us on Patreon."
    assert en.summarize(text, 60) == "Support us on Patreon. Become a patron today! Read also"


def test_near_duplicates_not_repeated(en: ExtractiveSummarizer) -> None:
    text = (
        "The river flooded the old town on Sunday night after three days of rain.\n\n"
        "The river flooded the old town on Sunday night after three days of heavy rain.\n\n"
        "Rescue teams moved two hundred residents to the sports hall."
    )
    summary = en.summarize(text, 200)
    assert summary.count("The river flooded") == 1
    assert "Rescue teams" in summary


def test_deterministic(en: ExtractiveSummarizer, es: ExtractiveSummarizer) -> None:
    first = [en.summarize(EN_PAGE, 50), es.summarize(ES_PAGE, 50)]
    again = [ExtractiveSummarizer("en").summarize(EN_PAGE, 50), es.summarize(ES_PAGE, 50)]
    assert first == again


def test_default_budget_when_none_given(es: ExtractiveSummarizer) -> None:
    assert set(DEFAULT_MAX_WORDS) == {"en", "es"}
    assert es.summarize(ES_PAGE, None) == es.summarize(ES_PAGE, DEFAULT_MAX_WORDS["es"])


def test_long_article_is_fast(en: ExtractiveSummarizer) -> None:
    import time

    paragraph = (
        "The committee met on Thursday to discuss the new harbor rules. Members said the "
        "rules would change how ships moor in the basin. Dr. Smith, who chairs the panel, "
        "said more talks were needed before a vote in the spring."
    )
    text = "\n\n".join(f"{paragraph} Item {i} was noted." for i in range(300))
    start = time.perf_counter()
    summary = en.summarize(text, 60)
    assert time.perf_counter() - start < 2.0
    assert 0 < count_words(summary) <= 60
