"""Post-editing of Apertium's output: small rules that fix the errors it makes most often.

Apertium's rule-based output has recurring faults that no pipeline step before it can avoid
(straight quotes in Spanish, "encima martes" for "on Tuesday", "estuvo publicado" for "was
published", "the Sunday" for "el domingo", "EE. UU." left in English). Each fix is one small
function in the module of its direction (`to_spanish`, `to_english`), kept only where counts on
the dev set show it helps (bench/postedit.py prints the table; the README keeps it).

The rules run on the engine's output as the sentence cache holds it: after the cache, before
protected spans are restored. After the cache, so that the cache keeps the engine's own output
and a change of rules applies at once to every sentence, with no stale entry to expire (the
article cache, which stores finished text, has `REVISION` in its key instead). Before restore,
so that glossary terms, numbers and do-not-translate spans, which are placeholders then
(`ZZ0ZZ`), are never edited. Rules must also keep inline markup markers (U+E000-U+EBFF) and
Apertium's stand-ins (U+F000-) where they are, and must run in time linear in the text: every
pattern is a plain alternation or a bounded lookaround, with no nested repetition.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from service.pipeline.postedit import to_english, to_spanish


@dataclass(frozen=True)
class Rule:
    """One named post-editing step; `fix` takes one sentence and returns it edited."""

    name: str
    fix: Callable[[str], str]


def _rules(module_rules: Sequence[Callable[[str], str]]) -> tuple[Rule, ...]:
    return tuple(Rule(fn.__name__, fn) for fn in module_rules)


# Only Apertium's output is edited: a seq2seq model makes other errors, and these rules would
# only add their own.
RULES: dict[tuple[str, str], tuple[Rule, ...]] = {
    ("en", "es"): _rules(to_spanish.RULES),
    ("es", "en"): _rules(to_english.RULES),
}
ENGINES = frozenset({"apertium"})

# Bump whenever a rule changes what it writes: cached articles made under older rules miss.
REVISION = "pe1"


def rules_for(engine: str, source: str, target: str) -> tuple[Rule, ...]:
    """The ordered rules for output of `engine` in this pair (none for other engines)."""
    if engine not in ENGINES:
        return ()
    return RULES.get((source, target), ())


def revision(engine: str, source: str, target: str) -> str | None:
    """What the article cache key must hold so that a change of rules is never served stale."""
    return REVISION if rules_for(engine, source, target) else None


def apply(rules: Sequence[Rule], text: str) -> str:
    for rule in rules:
        text = rule.fix(text)
    return text
