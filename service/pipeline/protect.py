"""Protected spans: URLs, e-mail addresses, numbers, glossary terms, markup objects and runs
of non-space characters too long to be words.

Each span is swapped for a placeholder token that engines copy through as an unknown word
(`ZZ0ZZ`, `ZZ1ZZ`, ...), and swapped back after translation, in the target form the glossary
gives. A placeholder the engine dropped is appended rather than lost: a number or a link must
never vanish from a news article.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from service.document.markup import OBJECT_BASE

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
    """The editable glossary; re-read when the file changes, so edits apply without a restart."""

    def __init__(self, path: Path) -> None:
        self.path = path if path.exists() else DEFAULT_GLOSSARY
        self._stamp: tuple[int, int] | None = None
        self._glossary = Glossary({}, ())

    def current(self) -> Glossary:
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._glossary = Glossary.load(self.path)
            self._stamp = stamp
        return self._glossary


@dataclass(frozen=True)
class Protected:
    text: str
    values: tuple[str, ...]


class Protector:
    """Protects and restores the spans of one language pair's glossary."""

    def __init__(self, terms: dict[str, str]) -> None:
        self.terms = terms
        alternatives = [_OBJECT, _URL, _EMAIL]
        if terms:
            ordered = sorted(terms, key=len, reverse=True)
            alternatives.append(
                r"(?<!\w)(?:" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)"
            )
        alternatives += [_NUMBER, _LONG_TOKEN]
        self._pattern = re.compile("|".join(f"(?:{a})" for a in alternatives))

    def protect(self, text: str) -> Protected:
        values: list[str] = []

        def swap(match: re.Match[str]) -> str:
            found = match.group(0)
            if len(values) == MAX_PLACEHOLDERS:
                return found
            values.append(self.terms.get(found, found))
            return f"ZZ{len(values) - 1}ZZ"

        return Protected(self._pattern.sub(swap, text), tuple(values))


def restore(translation: str, values: tuple[str, ...]) -> str:
    """Puts protected spans back; any the engine lost are appended before the final stop."""
    if not values:
        return translation
    used: set[int] = set()

    def swap(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(values) or index in used:
            return ""
        used.add(index)
        return values[index]

    restored = _PLACEHOLDER.sub(swap, translation)
    missing = [values[i] for i in range(len(values)) if i not in used]
    if missing:
        body = restored.rstrip()
        stop = ""
        if body and body[-1] in ".!?":
            body, stop = body[:-1], body[-1]
        restored = f"{body} {' '.join(missing)}{stop}".strip()
    return restored
