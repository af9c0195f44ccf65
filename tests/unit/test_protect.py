"""Protected spans and the glossary."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.pipeline.protect import Glossary, GlossaryFile, Protector, restore
from service.pipeline.segment import split_sentences


def test_urls_emails_numbers_and_terms_become_placeholders() -> None:
    protector = Protector({"Kiev": "Kyiv", "Euromaidan Press": "Euromaidan Press"})
    found = protector.protect(
        "Euromaidan Press wrote from Kiev on 17 April: see https://example.org/a?b=1, "
        "mail news@example.org, 3,500 people."
    )
    assert found.text == (
        "ZZ0ZZ wrote from ZZ1ZZ on ZZ2ZZ April: see ZZ3ZZ, mail ZZ4ZZ, ZZ5ZZ people."
    )
    assert found.values == (
        "Euromaidan Press",
        "Kyiv",
        "17",
        "https://example.org/a?b=1",
        "news@example.org",
        "3,500",
    )


def test_glossary_terms_match_whole_words_only() -> None:
    protector = Protector({"Kiev": "Kyiv"})
    assert protector.protect("Kievan Rus").text == "Kievan Rus"


def test_restore_puts_values_back_and_appends_lost_ones() -> None:
    assert restore("Vio zz1zz en ZZ0ZZ.", ("Kyiv", "35")) == "Vio 35 en Kyiv."
    assert restore("Vio algo.", ("Kyiv", "35")) == "Vio algo Kyiv 35."
    assert restore("Texto ZZ7ZZ.", ("a",)) == "Texto  a."


def test_glossary_file_reloads_after_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "glossary.toml"
    path.write_text('[keep]\nterms = ["Kyiv"]\n\n[en-es]\n"Kiev" = "Kyiv"\n', encoding="utf-8")
    glossary = GlossaryFile(path)
    assert glossary.current().terms("en", "es") == {"Kyiv": "Kyiv", "Kiev": "Kyiv"}
    path.write_text('[en-es]\n"White House" = "Casa Blanca"\n', encoding="utf-8")
    assert glossary.current().terms("en", "es") == {"White House": "Casa Blanca"}
    assert Glossary.load(path).terms("es", "en") == {}


def test_sentences_split_with_quotes_glued_back() -> None:
    text = 'He said "we are ready." Then he left. "Good," she said.'
    spans = split_sentences(text, "en")
    assert [text[a:b] for a, b in spans] == [
        'He said "we are ready."',
        "Then he left.",
        '"Good," she said.',
    ]
    assert split_sentences("   ", "en") == []


def test_sentence_splitting_is_safe_across_threads() -> None:
    # The service splits in a thread pool; pysbd keeps the text being split in the segmenter.
    texts = [
        f"Mr. Rivera met Dr. Okafor in St. Louis on day {i}. They spoke for {i} hours. "
        f"The U.S. envoy, Ms. Lind, was not there."
        for i in range(40)
    ]
    expected = [split_sentences(text, "en") for text in texts]
    assert all(len(spans) == 3 for spans in expected)
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            assert list(pool.map(lambda text: split_sentences(text, "en"), texts)) == expected
