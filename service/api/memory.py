"""The translation memory and the glossary for editors' tools: list, import and export them as
the files CAT tools exchange (TMX, CSV, TBX), confirm archive entries (pairs aligned from the
outlet's own bilingual archive, reused only once confirmed) and delete entries. Every route needs an
editor key (X-API-Key): the memory is reused without review, so writing it is an editor's act.

Like every /v1 route they speak JSON: an import carries the file's text in `content` (TMX, TBX
and CSV are text), named by `format`, so it passes the same body cap and cleaning as the rest."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from service.api.auth import EditorDep, StoreDep
from service.api.deps import SettingsDep
from service.errors import NewsdeskError, NotFound
from service.pipeline.glossary_io import current_glossary, merge_terms, read_terms, write_terms
from service.schemas import MAX_ROW_ID
from service.store.memory_records import MemoryRecord
from service.store.tm_io import read_memory, write_tmx

Lang = Literal["en", "es"]
Origin = Literal["editor", "import", "archive"]
TMX_TYPE = "application/x-tmx+xml"
TERM_TYPES = {"tbx": "application/x-tbx+xml", "csv": "text/csv; charset=utf-8"}

router = APIRouter(prefix="/v1", tags=["memory"])


class SamePair(NewsdeskError):
    def __init__(self) -> None:
        super().__init__("source and target must differ")


class EntryNotFound(NotFound):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"no memory entry {entry_id}")


class MemoryEntry(BaseModel):
    id: int
    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str
    editor: str
    created: datetime
    confirmed_by: str | None = Field(
        None, description="Archive entries: the editor who confirmed the pair (None: not yet)"
    )


class MemoryListResponse(BaseModel):
    entries: list[MemoryEntry]


class MemoryImportRequest(BaseModel):
    format: Literal["tmx", "csv"] = "tmx"
    source: Lang = "en"
    target: Lang = "es"
    content: str = Field(description="The TMX document, or CSV with a source,target header")


class GlossaryImportRequest(BaseModel):
    format: Literal["tbx", "csv"] = "tbx"
    source: Lang = "en"
    target: Lang = "es"
    content: str = Field(description="The TBX document, or CSV with a source,target header")


class MemoryImportResponse(BaseModel):
    read: int
    added: int
    replaced: int
    unchanged: int
    kept: int = Field(0, description="Entries an archive pair left as an editor or a file had")


class GlossaryResponse(BaseModel):
    source: str
    target: str
    terms: dict[str, str]
    keep: list[str]


class GlossaryImportResponse(BaseModel):
    read: int
    changed: int


def _entry(record: MemoryRecord) -> MemoryEntry:
    return MemoryEntry.model_validate(record, from_attributes=True)


def _pair(source: str, target: str) -> None:
    if source == target:
        raise SamePair()


@router.get("/tm", response_model=MemoryListResponse)
def list_memory(
    store: StoreDep,
    editor: EditorDep,
    source: Lang | None = None,
    origin: Origin | None = None,
    unconfirmed: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> MemoryListResponse:
    """Memory entries, oldest first (`unconfirmed`: only archive entries not yet confirmed)."""
    records = store.memory_records(
        source=source, origin=origin, limit=limit, unconfirmed=unconfirmed
    )
    return MemoryListResponse(entries=[_entry(r) for r in records])


@router.post("/tm", response_model=MemoryImportResponse)
async def import_memory(
    request: MemoryImportRequest, store: StoreDep, editor: EditorDep
) -> MemoryImportResponse:
    """Adds the pairs of a TMX or CSV file to the memory; reused with provenance tm."""
    _pair(request.source, request.target)
    data = request.content.encode("utf-8")
    pairs = read_memory(f"upload.{request.format}", data, request.source, request.target)
    # The store's writes block; the event loop keeps serving other requests meanwhile.
    counts = await run_in_threadpool(store.import_memory, pairs, editor.name)
    return MemoryImportResponse(read=len(pairs), **asdict(counts))


@router.get("/tm/export", response_class=Response)
def export_memory(
    store: StoreDep,
    editor: EditorDep,
    source: Lang | None = None,
    origin: Origin | None = None,
) -> Response:
    """Every entry (or one source language's, one origin's) as TMX, each with its origin."""
    records = store.memory_records(source=source, origin=origin)
    return Response(write_tmx(records), media_type=TMX_TYPE)


@router.post("/tm/{entry_id}/confirm", response_model=MemoryEntry)
def confirm_memory_entry(
    entry_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], store: StoreDep, editor: EditorDep
) -> MemoryEntry:
    """Confirms an archive entry: from now on the pipeline reuses it like an approved one.
    Confirming an entry that is not from the archive, or already confirmed, changes nothing."""
    store.confirm_memory([entry_id], editor.name)
    found = store.memory_entry(entry_id)
    if found is None:
        raise EntryNotFound(entry_id)
    return _entry(found)


@router.delete("/tm/{entry_id}", status_code=204, response_class=Response)
def delete_memory_entry(
    entry_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], store: StoreDep, editor: EditorDep
) -> Response:
    """Removes one entry from the memory."""
    if store.delete_memory([entry_id]) == 0:
        raise EntryNotFound(entry_id)
    return Response(status_code=204)


@router.get("/glossary", response_model=GlossaryResponse)
def get_glossary(
    settings: SettingsDep, editor: EditorDep, source: Lang = "en", target: Lang = "es"
) -> GlossaryResponse:
    """The glossary's terms for one pair and the terms kept as written."""
    _pair(source, target)
    glossary = current_glossary(settings.glossary_file)
    terms = glossary.pairs.get(f"{source}-{target}", {})
    return GlossaryResponse(source=source, target=target, terms=terms, keep=list(glossary.keep))


@router.get("/glossary/export", response_class=Response)
def export_glossary(
    settings: SettingsDep,
    editor: EditorDep,
    format: Literal["tbx", "csv"] = "tbx",
    source: Lang = "en",
    target: Lang = "es",
) -> Response:
    """One pair's terms as TBX or CSV."""
    _pair(source, target)
    terms = current_glossary(settings.glossary_file).pairs.get(f"{source}-{target}", {})
    return Response(
        write_terms(f"glossary.{format}", terms, source, target), media_type=TERM_TYPES[format]
    )


@router.post("/glossary", response_model=GlossaryImportResponse)
async def import_glossary(
    request: GlossaryImportRequest, settings: SettingsDep, editor: EditorDep
) -> GlossaryImportResponse:
    """Merges a TBX or CSV term list into the glossary file, atomically; translations use the
    new terms from the next request on."""
    _pair(request.source, request.target)
    data = request.content.encode("utf-8")
    terms = read_terms(f"upload.{request.format}", data, request.source, request.target)
    path = settings.glossary_file
    changed = await run_in_threadpool(merge_terms, path, request.source, request.target, terms)
    return GlossaryImportResponse(read=len(terms), changed=changed)
