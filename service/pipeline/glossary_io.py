"""The glossary in and out: term lists as TBX (terminology tools) or CSV with a `source,target`
header (spreadsheets, Weblate), read and written with translate-toolkit. The glossary itself
stays the TOML file `protect.GlossaryFile` reads; an import merges terms into it and replaces
the file in one rename, so a running service never reads half a file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from lxml import etree
from translate.storage import csvl10n, tbx

from service.errors import NewsdeskError
from service.pipeline.protect import DEFAULT_GLOSSARY, Glossary

GLOSSARY_SUFFIXES = (".tbx", ".csv")


class UnreadableTermFile(NewsdeskError):
    def __init__(self, name: str) -> None:
        super().__init__(f"not a TBX or CSV term list: {name}")


def _lang(code: str | None) -> str:
    return (code or "").replace("_", "-").split("-")[0].lower()


def read_terms(name: str, data: bytes, source_lang: str, target_lang: str) -> dict[str, str]:
    """Source term → target term for the pair, from a TBX or CSV file."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".tbx":
            return _read_tbx(data, source_lang, target_lang)
        if suffix == ".csv":
            return _read_csv(data)
    except (etree.XMLSyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise UnreadableTermFile(name) from exc
    raise UnreadableTermFile(name)


def _read_tbx(data: bytes, source_lang: str, target_lang: str) -> dict[str, str]:
    store = tbx.tbxfile.parsestring(data)
    terms: dict[str, str] = {}
    for unit in store.units:
        found: dict[str, str] = {}
        for lang_set in unit.xmlelement.iter("{*}langSet", "langSet"):
            lang = _lang(lang_set.get("{http://www.w3.org/XML/1998/namespace}lang"))
            term = next(iter(lang_set.iter("{*}term", "term")), None)
            if lang and term is not None and lang not in found:
                found[lang] = "".join(term.itertext()).strip()
        if found.get(source_lang) and found.get(target_lang):
            terms[found[source_lang]] = found[target_lang]
    return terms


def _read_csv(data: bytes) -> dict[str, str]:
    header = data.decode("utf-8-sig").lstrip().split("\n", 1)[0].lower()
    if "source" not in header or "target" not in header:
        raise ValueError("a CSV term list needs a source,target header")
    store = csvl10n.csvfile.parsestring(data)
    return {
        str(unit.source).strip(): str(unit.target).strip()
        for unit in store.units
        if str(unit.source).strip() and str(unit.target or "").strip()
    }


def write_terms(name: str, terms: dict[str, str], source_lang: str, target_lang: str) -> bytes:
    """`terms` as TBX or CSV (by the name's suffix)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".tbx":
        tbx_store = tbx.tbxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
        for source, target in terms.items():
            tbx_store.addsourceunit(source).target = target
        return bytes(tbx_store)
    if suffix == ".csv":
        csv_store = csvl10n.csvfile(fieldnames=["source", "target"])
        for source, target in terms.items():
            csv_store.addsourceunit(source).target = target
        return bytes(csv_store)
    raise UnreadableTermFile(name)


def current_glossary(path: Path) -> Glossary:
    """The outlet's glossary, or the shipped default where it has none yet."""
    return Glossary.load(path if path.exists() else DEFAULT_GLOSSARY)


def merge_terms(path: Path, source_lang: str, target_lang: str, terms: dict[str, str]) -> int:
    """Adds or replaces `terms` for the pair in the glossary at `path` (started from the
    default glossary if the outlet has none), atomically; returns how many changed."""
    glossary = current_glossary(path)
    pair = f"{source_lang}-{target_lang}"
    table = dict(glossary.pairs.get(pair, {}))
    changed = sum(1 for source, target in terms.items() if table.get(source) != target)
    table.update(terms)
    pairs = {**glossary.pairs, pair: table}
    _replace(path, _toml(pairs, glossary.keep))
    return changed


def _toml(pairs: dict[str, dict[str, str]], keep: tuple[str, ...]) -> str:
    """The glossary's TOML. JSON strings are valid TOML basic strings, hence json.dumps."""
    lines = ["# newsdesk glossary: [keep] terms stay as written; [src-tgt] source = target", ""]
    lines += ["[keep]", f"terms = [{', '.join(json.dumps(t, ensure_ascii=False) for t in keep)}]"]
    for pair, table in pairs.items():
        lines += ["", f"[{json.dumps(pair)}]"]
        lines += [
            f"{json.dumps(s, ensure_ascii=False)} = {json.dumps(t, ensure_ascii=False)}"
            for s, t in table.items()
        ]
    return "\n".join(lines) + "\n"


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".glossary-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
