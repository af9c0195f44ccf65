"""English word lists the date and number rules share, to tell a noun phrase from what ends it
without a tagger."""

from __future__ import annotations

# Determiners, pronouns, prepositions, conjunctions, auxiliaries and adverbs that end a noun
# phrase: "since 1962 when", "a 30-day truce that".
FUNCTION_WORDS = frozenset(
    """a an the this that these those his her its their our my your some any no every each
    all both either neither other another such what which who whom whose where when while why
    how than then there here i you he she it we they me him us them of to in on at by for from
    with without into onto over under about after before since until against between among
    through during across along around behind beyond near off out up down as if because so
    but or and nor yet not also only just even still already ago is are was were be been being
    am has have had having do does did will would shall should can could may might must per
    percent old long high wide deep tall away ahead alone late early""".split()
)
# The commonest verbs of news text in the forms that follow a subject, where a word after a
# numeric compound could be taken for the second noun of its head ("the 30-day truce held").
NEWS_VERBS = frozenset(
    """says said say ends ended end expires expired begins began begin starts started start
    includes included calls called aims aimed requires required allows allowed comes came
    goes went takes took gives gave runs ran holds held seeks sought means meant remains
    remained continues continued follows followed covers covered lasts lasted proposes
    proposed sets set offers offered lets put makes made provides provided marks marked sees
    saw won lost left fell rose broke met sent hit cut brought got kept led paid sold told
    thought built spent stood became become becomes faces faced gets showed shows cost costs
    drew draws grew grows caught fought struck swept spread split shut needs wins reaches
    died dies killed kills would-be""".split()
)


def _reads_as_head(word: str | None) -> bool:
    return (
        word is not None
        and word not in FUNCTION_WORDS
        and word not in NEWS_VERBS
        and not word.endswith("ly")
    )


def _past_tense(word: str) -> bool:
    """ "died", "killed", "struck down": a past tense, not a noun ("speed", "shed", "bed")."""
    return word.endswith("ed") and not word.endswith("eed") and len(word) > 3 and word != "shed"


def head_after(first: str, second: str | None) -> tuple[str, str] | None:
    """The head noun among the one or two lower-case words after a numeric modifier, and the
    text after it: the first word when it may be a noun, with the second when that does not
    read as a verb ("the 30-day ceasefire held" keeps "held" out). None: no head for certain."""
    if not _reads_as_head(first):
        return None
    if _reads_as_head(second) and second and not _past_tense(second):
        return f"{first} {second}", ""
    return first, f" {second}" if second else ""
