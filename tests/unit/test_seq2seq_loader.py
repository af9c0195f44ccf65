"""The seq2seq loader's pieces that need no model: the pivot summarizer's contract."""

from __future__ import annotations

from service.engines.seq2seq_loader import PivotSummarizer
from tests.helpers.fakes import FakeSummarizer, FakeTranslator


def test_a_pivot_summary_keeps_its_word_budget_after_translating_back() -> None:
    # Spanish runs longer than English: the back-translation must not overrun the budget.
    wordy = FakeTranslator("en", "es", lambda text: f"{text} y además {text}")
    pivot = PivotSummarizer("es", FakeSummarizer("en"), FakeTranslator("es", "en"), wordy)
    article = "Uno dos tres cuatro cinco. Seis siete ocho nueve diez. Once doce trece catorce."
    summary = pivot.summarize(article, 12)
    assert summary and len(summary.split()) <= 12
