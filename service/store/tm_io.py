"""Translation memory files in and out: TMX (what CAT tools and Weblate exchange) and CSV with
a `source,target` header, read and written with translate-toolkit rather than by hand, so that
entities, namespaces and the TMX header are right. Every exported unit carries its origin as a
TMX property (`x-origin`), so an outlet can tell approved, imported and archive pairs apart,
and a confirmed archive pair its confirming editor (`x-confirmed-by`). Reading a TMX keeps an
`archive` origin (so the outlet's own export of unconfirmed archive pairs does not come back as
pairs reused without review); any other unit comes in as `import`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from translate.storage import csvl10n, tmx

from service.errors import NewsdeskError
from service.store.memory_records import MemoryPair, MemoryRecord

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORIGIN_PROP = "x-origin"
CONFIRMED_PROP = "x-confirmed-by"
MEMORY_SUFFIXES = (".tmx", ".csv")


class UnreadableMemoryFile(NewsdeskError):
    status_code = 400

    def __init__(self, name: str) -> None:
        super().__init__(f"not a TMX or CSV translation memory: {name}")


def _lang(code: str | None) -> str:
    """`es-ES`, `ES`, `es_419` → `es`: newsdesk's memory is per language, not per region."""
    return (code or "").replace("_", "-").split("-")[0].lower()


def read_memory(name: str, data: bytes, source_lang: str, target_lang: str) -> list[MemoryPair]:
    """The `source_lang`→`target_lang` pairs of a TMX or CSV file. A TMX unit counts when it
    has a variant in each language (either may be the TMX source language); a CSV file's
    `source` and `target` columns are taken to be in `source_lang` and `target_lang`."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".tmx":
            return _read_tmx(data, source_lang, target_lang)
        if suffix == ".csv":
            return _read_csv(data, source_lang, target_lang)
    except (etree.XMLSyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise UnreadableMemoryFile(name) from exc
    raise UnreadableMemoryFile(name)


def _read_tmx(data: bytes, source_lang: str, target_lang: str) -> list[MemoryPair]:
    store = tmx.tmxfile.parsestring(data)
    pairs: list[MemoryPair] = []
    for unit in store.units:
        texts: dict[str, str] = {}
        for tuv in unit.xmlelement.iter("{*}tuv", "tuv"):
            seg = tuv.find("{*}seg")
            if seg is None:
                seg = tuv.find("seg")
            lang = _lang(tuv.get(XML_LANG) or tuv.get("lang"))
            if seg is not None and lang and lang not in texts:
                texts[lang] = "".join(seg.itertext())
        source, target = texts.get(source_lang, ""), texts.get(target_lang, "")
        origins = [
            (prop.text or "").strip()
            for prop in unit.xmlelement.iter("{*}prop", "prop")
            if prop.get("type") == ORIGIN_PROP
        ]
        origin = "archive" if "archive" in origins else "import"
        if source.strip() and target.strip():
            pairs.append(MemoryPair(source_lang, target_lang, source, target, origin))
    return pairs


def _read_csv(data: bytes, source_lang: str, target_lang: str) -> list[MemoryPair]:
    header = data.decode("utf-8-sig").lstrip().split("\n", 1)[0].lower()
    if "source" not in header or "target" not in header:
        # Without the header translate-toolkit reads the first column as the target.
        raise ValueError("a CSV memory needs a source,target header")
    store = csvl10n.csvfile.parsestring(data)
    return [
        MemoryPair(source_lang, target_lang, str(unit.source), str(unit.target))
        for unit in store.units
        if str(unit.source).strip() and str(unit.target or "").strip()
    ]


def write_tmx(records: Sequence[MemoryRecord]) -> bytes:
    """A TMX 1.4 document of `records`, each unit with its origin and editor as properties."""
    first = records[0] if records else None
    store = tmx.tmxfile(
        sourcelanguage=first.source_lang if first else "en",
        targetlanguage=first.target_lang if first else "es",
    )
    for record in records:
        store.addtranslation(record.source, record.source_lang, record.target, record.target_lang)
        unit = store.units[-1].xmlelement
        unit.set("srclang", record.source_lang)
        unit.set("creationdate", record.created.strftime("%Y%m%dT%H%M%SZ"))
        # TMX puts <prop> before the <tuv>s.
        props = [(ORIGIN_PROP, record.origin), ("x-editor", record.editor)]
        if record.confirmed_by:
            props.append((CONFIRMED_PROP, record.confirmed_by))
        for position, (kind, value) in enumerate(props):
            prop = etree.Element("prop", type=kind)
            prop.text = value
            unit.insert(position, prop)
    return bytes(store)


def tmx_origins(data: bytes) -> list[str]:
    """The origin property of each unit of a TMX document (for tests and audits)."""
    root = etree.fromstring(data)
    return [prop.text or "" for prop in root.iter("prop") if prop.get("type") == ORIGIN_PROP]
