"""Protected spans: URLs, e-mail addresses, numbers, glossary terms, markup objects and runs
of non-space characters too long to be words.

Each span is swapped for a placeholder token that engines copy through as an unknown word
(`ZZ0ZZ`, `ZZ1ZZ`, ...), and swapped back after translation, in the target form the glossary
(or, for dates and numbers, `service.pipeline.localize`) gives. A span the engine dropped is
reported in `Restored.missing`, not guessed back into the sentence: where it belonged is for an
editor to see, and an appended number read as part of the last clause.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from service.document.markup import OBJECT_BASE
from service.pipeline.localize import NumberRules

# Every pattern runs in time linear in the text, whatever the text (a client may send one
# 100,000-character "word"): each can start only where a run of its characters starts (the
# lookbehinds), so no run is rescanned from each of its positions, and the possessive `++`
# gives a failed run up at once instead of backtracking through it.
_URL = r"(?:https?://|www\.)[^\s<>\"'“”‘’«»]+[^\s<>\"'“”‘’«».,;:!?)\]]"
_EMAIL = r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+"
_NUMBER = r"(?<![\w.,])\d+(?:[.,:]\d+)*(?![\w])"
_OBJECT = f"[{chr(OBJECT_BASE)}-{chr(OBJECT_BASE + 0x3FF)}]"
# No word is this long: such a run (a hash, a pasted blob, hostile input) goes through verbatim.
# Engines are no better at it than at a URL: Apertium takes time quadratic in a token's length
# (40,000 digits: 14 s) and shortens a run of dots to a few.
LONG_TOKEN = 100
_LONG_TOKEN = rf"(?<!\S)\S{{{LONG_TOKEN},}}"
_PLACEHOLDER = re.compile(r"ZZ\s?(\d{1,3})\s?ZZ", re.IGNORECASE)
# Placeholders have at most three digits: past this many spans in one sentence (only hostile
# text has them) the rest stay as they are, rather than come back as "ZZ1000ZZ" plus a copy.
MAX_PLACEHOLDERS = 1000

DEFAULT_GLOSSARY = Path(__file__).with_name("default_glossary.toml")


@dataclass(frozen=True)
class Glossary:
    """Per pair: source term → the exact target text; `keep` terms stay as written everywhere."""

    pairs: dict[str, dict[str, str]]
    keep: tuple[str, ...] = ()
    version: str = "0"

    def terms(self, source: str, target: str) -> dict[str, str]:
        terms = {term: term for term in self.keep}
        terms.update(self.pairs.get(f"{source}-{target}", {}))
        return terms

    @classmethod
    def load(cls, path: Path) -> Glossary:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        keep = tuple(str(t) for t in data.pop("keep", {}).get("terms", []))
        pairs = {
            str(pair): {str(k): str(v) for k, v in table.items()}
            for pair, table in data.items()
            if isinstance(table, dict)
        }
        stat = path.stat()
        return cls(pairs, keep, f"{stat.st_mtime_ns:x}-{stat.st_size:x}")


class GlossaryFile:
    """The editable glossary; re-read when the file changes, so edits apply without a restart.
    Until the outlet's file exists the shipped default serves; once `glossary import` (or an
    editor) creates it, it serves from the next read on."""

    def __init__(self, path: Path) -> None:
        self.wanted = path
        self.path = path if path.exists() else DEFAULT_GLOSSARY
        self._stamp: tuple[Path, int, int] | None = None
        self._glossary = Glossary({}, ())

    def current(self) -> Glossary:
        self.path = self.wanted if self.wanted.exists() else DEFAULT_GLOSSARY
        stat = self.path.stat()
        stamp = (self.path, stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._glossary = Glossary.load(self.path)
            self._stamp = stamp
        return self._glossary


@dataclass(frozen=True)
class Protected:
    """The text the engine gets, the placeholders' values, which of them are dates (written
    with a capital where they start the translation), and the numbers left as digits."""

    text: str
    values: tuple[str, ...]
    dates: frozenset[int] = frozenset()
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Restored:
    """A translation with its spans back, and the spans the engine dropped."""

    text: str
    missing: tuple[str, ...] = ()


class Protector:
    """Protects and restores the spans of one language pair's glossary; with `rules`, dates
    and numbers too, as the pair's engine and the target's house style want them."""

    def __init__(self, terms: dict[str, str], rules: NumberRules | None = None) -> None:
        self.terms = terms
        self.rules = rules
        alternatives = [_OBJECT, _URL, _EMAIL]
        if terms:
            ordered = sorted(terms, key=len, reverse=True)
            alternatives.append(
                r"(?<!\w)(?:" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)"
            )
        if rules is not None:
            alternatives.append(f"(?P<date>{rules.date_pattern()})")
        if rules is None or not rules.digits_through:
            alternatives.append(f"(?P<number>{_NUMBER})")
        alternatives.append(_LONG_TOKEN)
        self._pattern = re.compile("|".join(f"(?:{a})" for a in alternatives))

    def protect(self, text: str) -> Protected:
        values: list[str] = []
        dates: set[int] = set()
        rules = self.rules
        if rules is not None:
            text = rules.before(text)

        def swap(match: re.Match[str]) -> str:
            found = match.group(0)
            if len(values) == MAX_PLACEHOLDERS:
                return found
            before = ""
            if rules is not None and match.lastgroup == "date":
                date = rules.date(found, text[: match.start()], text[match.end() :])
                if date is None:
                    return found
                before = date.before
                dates.add(len(values))
                values.append(date.value)
            elif rules is not None and match.lastgroup == "number":
                values.append(rules.number(found))
            else:
                values.append(self.terms.get(found, found))
            return f"{before}ZZ{len(values) - 1}ZZ"

        protected = self._pattern.sub(swap, text)
        given = rules.engine_numbers(protected) if rules is not None else ()
        return Protected(protected, tuple(values), frozenset(dates), given)

    def restore(self, translation: str, protected: Protected) -> Restored:
        """The engine's translation of `protected.text` with every span back in the target's
        form, and the spans (numbers included) it dropped."""
        rules = self.rules
        lost: tuple[str, ...] = ()
        if rules is not None and protected.numbers:
            restyled = rules.restyle(translation, protected.numbers)
            translation, lost = restyled.text, restyled.missing
        restored = restore(translation, protected.values, protected.dates)
        text = rules.after(restored.text) if rules is not None else restored.text
        return Restored(text, lost + restored.missing)


# Where a translation starts: a date restored here takes a capital ("El 12 de marzo ...").
_START = re.compile(r"^[\s\"'“‘«¿¡(\[]*$")


def restore(
    translation: str, values: tuple[str, ...], capitalize: frozenset[int] = frozenset()
) -> Restored:
    """Puts protected spans back (those in `capitalize` with a capital at the start of the
    translation); the ones the engine lost are reported, not appended."""
    if not values:
        return Restored(translation)
    used: set[int] = set()

    def swap(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(values) or index in used:
            return ""
        used.add(index)
        value = values[index]
        if index in capitalize and _START.match(translation[: match.start()]):
            value = value[:1].upper() + value[1:]
        return value

    restored = _PLACEHOLDER.sub(swap, translation)
    missing = tuple(values[i] for i in range(len(values)) if i not in used)
    return Restored(restored, missing)
