"""Request and response models shared by the HTTP API, the CLI and the batch runner."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Lang = Literal["en", "es"]

# Row ids are 32-bit on every backend we run; a larger number can only be a client's mistake
# (SQLite used to overflow on integers above 2^63 with a 500).
MAX_ROW_ID = 2**31 - 1
RevisionNumber = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]

ARTICLE_EXAMPLE: dict[str, Any] = {
    "id": "council-parks-budget",
    "title": "Council approves new budget for city parks",
    "body": "<p>The city council approved a budget of 4.5 million dollars on Tuesday for "
    '<a href="https://example.org/parks">twelve new parks</a>.</p>',
    "format": "html",
    "source_lang": "auto",
    "summary": True,
}


class ArticleRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ARTICLE_EXAMPLE]})

    id: str | None = Field(default=None, max_length=200, description="Your id; derived if absent")
    title: str = ""
    lede: str | None = Field(default=None, description="Standfirst / lede, translated too")
    body: str = ""
    format: Literal["html", "text"] = "html"
    source_lang: str = Field(default="auto", description="auto, en or es")
    summary: bool = True
    max_words: int | None = Field(default=None, ge=10, le=400)

    @model_validator(mode="after")
    def _not_empty(self) -> ArticleRequest:
        if not self.title.strip() and not self.body.strip():
            raise ValueError("article has neither title nor body")
        return self


class EngineRef(BaseModel):
    engine: str
    model: str
    revision: str


class Provenance(BaseModel):
    original: bool = Field(description="True for the version in the article's own language")
    translation: EngineRef | None = None
    summary: EngineRef | None = None
    fallback: bool = Field(
        default=False, description="Served by an embedded engine because no model is installed"
    )
    sentences: dict[str, int] = Field(
        default_factory=dict,
        description="Sentences by origin: engine (new), cache, tm (approved human translation)",
    )
    missing: int = Field(
        default=0,
        description="Numbers, dates, links or glossary terms of the source that the engine "
        "dropped from the translation: an editor should check (they are not appended)",
    )


class SummaryReview(BaseModel):
    """The summary of a version whose body an editor changed: a machine draft made again from
    the edited body, or the previous summary kept and flagged stale."""

    state: Literal["regenerated", "stale"] = Field(
        description="regenerated: made by `engine` from the edited body, a draft for editors to "
        "review; stale: kept as it was (an editor's own edit, or no summarizer could run) "
        "though the body changed"
    )
    engine: EngineRef | None = Field(default=None, description="What made a regenerated summary")
    reason: str


class ReviewInfo(BaseModel):
    """Where a version stands in editors' review (absent where nothing is stored)."""

    state: str = Field(description="source, machine_draft, in_review, approved or rejected")
    revision: int | None = Field(default=None, description="The revision this text comes from")
    head_revision: int | None = Field(
        default=None, description="The revision editors work on (what a save names)"
    )
    approved_by: str | None = None
    approved_at: datetime | None = None
    newer_machine_draft: bool = Field(
        default=False, description="A machine run produced a draft newer than the editors' text"
    )
    summary_review: SummaryReview | None = Field(
        default=None,
        description="Set when an editor changed the body: whether the summary was made again "
        "from it (a draft to review) or is stale",
    )


class QaFlag(BaseModel):
    """Something in a translation an editor should check (service.pipeline.qa)."""

    field: Literal["title", "lede", "body", "summary"]
    paragraph: int | None = Field(
        default=None, description="The body paragraph (from 0); null for the other fields"
    )
    kind: str = Field(
        description="number, date, currency, link, markup, untranslated, month_name, "
        "glossary, repeat, length or dropped"
    )
    source: str = Field(description="The offending span of the source text (may be empty)")
    message: str


class Version(BaseModel):
    title: str
    lede: str | None = None
    body: str
    summary: str | None = None
    provenance: Provenance
    review: ReviewInfo | None = None
    qa: list[QaFlag] = Field(
        default_factory=list,
        description="QA flags of a translation, computed when it was made or saved; empty for "
        "the article's own language",
    )


class ArticleResponse(BaseModel):
    id: str
    source_lang: Lang
    versions: dict[str, Version]
    cached: bool = False


class TranslateRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"text": "Kyiv welcomed the talks.", "source": "en", "target": "es"}]
        }
    )

    text: str | list[str]
    source: str = Field(default="auto", description="auto, en or es")
    target: str = Field(description="en or es")
    format: Literal["text", "html"] = "text"


class TranslateResponse(BaseModel):
    translation: str | list[str]
    source: str
    provenance: Provenance


class SummarizeRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": "First paragraph.\n\nSecond.", "lang": "en"}]}
    )

    text: str = Field(min_length=1)
    lang: str = Field(description="en or es")
    max_words: int | None = Field(default=None, ge=10, le=400)


class SummarizeResponse(BaseModel):
    summary: str
    provenance: EngineRef
