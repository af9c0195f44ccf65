"""The review page: editors log in, pick a draft from the queue, compare it with the source
paragraph by paragraph, edit, diff, approve or reject. Server-rendered; the little JavaScript
in static/review.js only adds keyboard shortcuts and conveniences.

Sessions are signed cookies (HttpOnly, SameSite=Lax, Secure over HTTPS: sessions.py) that carry
a random session id, checked against the store on every request and deleted at log-out; every
form post carries the session's CSRF token. Failed log-ins are throttled per name and per
address (api/quotas.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from service.api.deps import get_runtime
from service.api.quotas import client_address, get_abuse_limits
from service.document.paragraphs import (
    paragraph_markup,
    paragraph_views,
    replace_paragraphs,
)
from service.errors import NewsdeskError
from service.pipeline.resummarize import save_edit
from service.schemas import MAX_ROW_ID
from service.security import has_role, new_csrf_token, same_token
from service.store.checked import Confirmed
from service.store.merge import Sides, mine_in_conflicts
from service.store.merge import merge as merge_texts
from service.store.review import (
    MARKUP_REMOVED,
    MemorySuggestion,
    MergeConflict,
    Principal,
    Queue,
    ReviewStore,
    ReviewView,
    RevisionInfo,
    summary_review,
)
from service.store.triage import STATE_NAMES
from service.web.display import display_html
from service.web.engine_names import author_label, engine_label
from service.web.flags import flags_by_place
from service.web.rich_draft import editable_html

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))

router = APIRouter(prefix="/review", tags=["review page"], include_in_schema=False)

LANG_NAMES = {"en": "English", "es": "Spanish"}
# A draft "Approve and open next" skips: nothing left for an editor to decide.
DECIDED = ("approved",)
CSRF_FAILED = "CSRF token missing or invalid"


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def _store(request: Request) -> ReviewStore:
    return get_runtime(request).review


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = new_csrf_token()
        request.session["csrf"] = token
    return str(token)


def flash(request: Request, message: str, kind: str = "info") -> None:
    request.session.setdefault("flash", []).append([kind, message])
    request.session["flash"] = request.session["flash"]  # mark the session modified


def _take_flashes(request: Request) -> list[tuple[str, str]]:
    found = request.session.pop("flash", None) or []
    return [(str(k), str(m)) for k, m in found]


async def _editor(request: Request) -> Principal:
    sid = request.session.get("sid")
    user = await run_in_threadpool(_store(request).session_user, str(sid)) if sid else None
    if user is None or not has_role(user.role, "editor"):
        raise LoginRequired(str(request.url.path))
    return user


async def _checked_form(request: Request) -> FormData:
    form = await request.form()
    token = form.get("csrf_token")
    if not same_token(request.session.get("csrf"), token if isinstance(token, str) else None):
        raise CsrfFailed()
    return form


class CsrfFailed(Exception):
    pass


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/review") and not value.startswith("//"):
        return value
    return "/review"


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    context.update(
        csrf_token=csrf_token(request),
        flashes=_take_flashes(request),
        lang_names=LANG_NAMES,
        state_names=STATE_NAMES,
        author_label=author_label,
    )
    return templates.TemplateResponse(request, name, context, status_code=status)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def article_url(article_id: str, lang: str) -> str:
    return f"/review/articles/{quote(article_id, safe='')}/{lang}"


# -- provenance labels ------------------------------------------------------------------------


@dataclass
class Origin:
    label: str
    kind: str  # tm | engine | cache | mixed | human | suggestion | unknown
    detail: str


def _engine_name(engine: Any) -> str:
    return engine_label(engine if isinstance(engine, dict) else None)


def _signature(engine: Any) -> str:
    if isinstance(engine, dict) and engine.get("engine"):
        return f"{engine['engine']}:{engine.get('model', '')}@{engine.get('revision', '')}"
    return "no engine recorded"


def origin_of(entry: dict[str, Any] | None) -> Origin:
    """The badge of one paragraph (or the title): who wrote it."""
    if not entry:
        return Origin("unknown", "unknown", "no provenance recorded")
    if entry.get("editor"):
        return Origin(f"Editor ({entry['editor']})", "human", f"edited by {entry['editor']}")
    if entry.get("suggestion"):
        client = entry["suggestion"]
        return Origin(
            f"Client suggestion ({client})",
            "suggestion",
            f"suggested by the client {client} through /suggest; no editor has checked it",
        )
    counts: dict[str, int] = {k: int(v) for k, v in (entry.get("sentences") or {}).items() if v}
    engine = _engine_name(entry.get("engine"))
    signature = _signature(entry.get("engine"))
    machine = counts.get("engine", 0) + counts.get("cache", 0)
    tm = counts.get("tm", 0)
    if tm and not machine:
        return Origin("tm", "tm", f"{tm} sentence(s) from approved translations")
    if machine and not tm:
        cached = counts.get("cache", 0) == machine
        kind = "cache" if cached else "engine"
        detail = f"{machine} sentence(s) by {signature}" + (", from cache" if cached else "")
        return Origin(engine + (" (cache)" if cached else ""), kind, detail)
    if machine and tm:
        return Origin(
            f"tm {tm} · {engine} {machine}",
            "mixed",
            f"{tm} from approved translations, {machine} by {signature}",
        )
    return Origin(engine, "engine", f"by {signature}")


# -- views ------------------------------------------------------------------------------------


@dataclass
class Pair:
    index: int
    source: str | None
    draft_markup: str | None
    origin: Origin
    # The source paragraph formatted (links, emphasis, images as chips) and what it is on the
    # page (heading, list item, quote, caption...): editors read markup, not tags.
    source_html: str | None = None
    block: str = "paragraph"
    # The draft with its tags as non-editable chips, for the page's editor (HTML bodies).
    draft_editable: str | None = None


def _pairs(view: ReviewView) -> list[Pair]:
    fmt = view.version.format
    sources, source_markup, blocks = paragraph_views(view.source.body, fmt)
    drafts = paragraph_markup(view.head.body, fmt)
    entries = view.head.paragraphs
    pairs: list[Pair] = []
    for index in range(max(len(sources), len(drafts))):
        entry = entries[index] if index < len(entries) else None
        pairs.append(
            Pair(
                index=index,
                source=sources[index] if index < len(sources) else None,
                draft_markup=drafts[index] if index < len(drafts) else None,
                origin=origin_of(entry),
                source_html=(
                    display_html(source_markup[index], fmt) if index < len(source_markup) else None
                ),
                block=blocks[index] if index < len(blocks) else "paragraph",
                draft_editable=(
                    editable_html(drafts[index]) if fmt == "html" and index < len(drafts) else None
                ),
            )
        )
    return pairs


@dataclass
class ConflictForm:
    """A save that conflicted, offered again on the current head: the merge of both in the
    form, with the editor's own text in each conflicting part and theirs beside it to pick."""

    kept: RevisionInfo  # the editor's save, kept as a stale revision
    theirs: RevisionInfo  # the head it conflicted with
    paragraphs: list[tuple[int, str]]  # (index, their markup) of each conflicting paragraph
    fields: list[tuple[str, str]]  # (title | lede | summary, their text)
    frame: bool  # markup outside the paragraphs conflicted: the editor's body is not offered


def _sides(revision: RevisionInfo) -> Sides:
    return Sides(revision.title, revision.lede, revision.body, revision.summary)


def _conflict_form(
    store: ReviewStore, view: ReviewView, kept_id: int
) -> tuple[ReviewView, ConflictForm] | None:
    """The view with the merge in its head's texts, and what conflicted; None unless `kept_id`
    is a stale save of this version."""
    v = view.version
    kept = next((r for r in view.revisions if r.id == kept_id and r.stale), None)
    if kept is None or kept.parent_id is None:
        return None
    base = store.revision(v.article_id, v.lang, kept.parent_id)
    theirs = view.head
    result = merge_texts(_sides(base), _sides(theirs), _sides(kept), v.format)
    shown = mine_in_conflicts(result, _sides(kept), v.format)
    head = replace(
        theirs, title=shown.title, lede=shown.lede, body=shown.body, summary=shown.summary
    )
    their_paragraphs = paragraph_markup(theirs.body, v.format)
    form = ConflictForm(
        kept=kept,
        theirs=theirs,
        paragraphs=[
            (i, their_paragraphs[i])
            for i in result.conflicts.paragraphs
            if i < len(their_paragraphs)
        ],
        fields=[
            (name, getattr(theirs, name) or "")
            for name in result.conflicts.fields
            if name != "body"
        ],
        frame="body" in result.conflicts.fields,
    )
    return replace(view, head=head), form


def _parse_day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    """The log-in form."""
    return _render(request, "login.html", {"next": _safe_next(next), "name": ""})


def login_throttled(minutes: int) -> str:
    return f"too many failed log-ins: try again in {minutes} minute(s)"


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Checks name and password; an editor (or admin) gets a session."""
    form = await _checked_form(request)
    name = str(form.get("name") or "")
    password = str(form.get("password") or "")
    next_url = _safe_next(str(form.get("next") or ""))
    throttle = get_abuse_limits(request).login
    address = client_address(request)
    wait_s = await throttle.wait_s(name, address)
    if wait_s:
        # Refused before the password is looked at, so a guess costs nothing but time.
        request.session.pop("flash", None)
        flash(request, login_throttled(-(-wait_s // 60)), "error")
        page = _render(request, "login.html", {"next": next_url, "name": name}, status=429)
        page.headers["Retry-After"] = str(wait_s)
        return page
    user = await run_in_threadpool(_store(request).authenticate, name, password)
    if user is None or not has_role(user.role, "editor"):
        if user is None:
            await throttle.failed(name, address)
        message = (
            "this account cannot review: it needs the editor role"
            if user is not None
            else "unknown name or wrong password"
        )
        request.session.pop("flash", None)
        flash(request, message, "error")
        return _render(request, "login.html", {"next": next_url, "name": name}, status=401)
    await throttle.succeeded(name, address)
    settings = get_runtime(request).settings
    assert user.user_id is not None
    sid = await run_in_threadpool(
        _store(request).start_session, user.user_id, settings.session_max_age_s
    )
    request.session.clear()
    request.session["sid"] = sid
    request.session["csrf"] = new_csrf_token()  # a fresh token for the new session
    log.info("review log-in: %s", user.name)
    return _redirect(next_url)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Ends the session, here and in the store: a copy of the cookie no longer opens /review."""
    await _checked_form(request)
    sid = request.session.get("sid")
    if sid:
        await run_in_threadpool(_store(request).end_session, str(sid))
    request.session.clear()
    return _redirect("/review/login")


@router.get("", response_class=HTMLResponse)
async def queue_page(
    request: Request,
    state: str | None = None,
    lang: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    """The queue: drafts with filters (state, language, date) and counts per state."""
    editor = await _editor(request)
    state = state if state in STATE_NAMES else None
    lang = lang if lang in LANG_NAMES else None
    since_day, until_day = _parse_day(since), _parse_day(until)
    queue = await run_in_threadpool(
        _store(request).queue,
        state,
        lang,
        since_day,
        until_day + timedelta(days=1) if until_day else None,
        200,
        0,
    )
    base = {k: v for k, v in {"lang": lang, "since": since, "until": until}.items() if v}
    tabs = [
        (None, "All", sum(queue.counts.values()), "/review?" + urlencode(base)),
        *[
            (key, name, queue.counts.get(key, 0), "/review?" + urlencode({**base, "state": key}))
            for key, name in STATE_NAMES.items()
        ],
    ]
    return _render(
        request,
        "queue.html",
        {
            "editor": editor,
            "queue": queue,
            "tabs": tabs,
            "state": state,
            "lang": lang,
            "since": since or "",
            "until": until or "",
            "article_url": article_url,
        },
    )


@router.get("/articles/{article_id}/{lang}", response_class=HTMLResponse)
async def article_page(
    request: Request,
    article_id: str,
    lang: str,
    diff_from: int | None = Query(default=None, ge=1, le=MAX_ROW_ID),
    diff_to: int | None = Query(default=None, ge=1, le=MAX_ROW_ID),
    merge: int | None = Query(default=None, ge=1, le=MAX_ROW_ID),
) -> Response:
    """One draft: source and draft side by side, editing, diff, approve / reject. `merge`: a
    save that conflicted (kept as that stale revision), offered again on the current head."""
    editor = await _editor(request)
    store = _store(request)
    try:
        view = await run_in_threadpool(store.view, article_id, lang)
    except NewsdeskError as exc:
        flash(request, exc.message, "error")
        return _redirect("/review")
    base = view.base_machine or view.machine or view.head
    old = diff_from or base.id
    new = diff_to or view.head.id
    try:
        diff = await run_in_threadpool(store.diff, article_id, lang, old, new)
    except NewsdeskError as exc:
        flash(request, exc.message, "error")
        return _redirect(article_url(article_id, lang))
    conflict: ConflictForm | None = None
    if merge is not None:
        found = await run_in_threadpool(_conflict_form, store, view, merge)
        if found is not None:
            view, conflict = found
    head = view.head
    parts = head.provenance.get("parts") or {}
    suggestions: dict[int, list[MemorySuggestion]] = {}
    for near in await run_in_threadpool(store.memory_suggestions, article_id, lang):
        if near.paragraph is not None:
            suggestions.setdefault(near.paragraph, []).append(near)
    return _render(
        request,
        "article.html",
        {
            "editor": editor,
            "view": view,
            "pairs": _pairs(view),
            "title_origin": origin_of(parts.get("title")),
            "summary_note": _summary_note(head.provenance),
            "qa": flags_by_place(head.qa),
            "qa_total": len(head.qa),
            "diff": diff,
            "diff_old": old,
            "diff_new": new,
            "diff_body": list(enumerate(diff.body)),
            "numbers": {r.id: r.number for r in view.revisions},
            "url": article_url(article_id, lang),
            "source_lang": view.version.source_lang,
            "conflict": conflict,
            "suggestions": suggestions,
        },
    )


def _summary_note(provenance: dict[str, Any]) -> str | None:
    """What the page says under the summary after the body was edited."""
    review = summary_review(provenance)
    if review is None:
        return None
    if review.state == "regenerated" and review.engine is not None:
        engine = f"{review.engine.engine}: {review.engine.model}"
        return f"Summary made again by {engine} from the edited body; review it before approving."
    return f"Summary may be stale: {review.reason}."


def _revision_number(form: FormData) -> int:
    """The form's expected_revision; ValueError (the form is incomplete) unless a row id."""
    value = int(str(form.get("expected_revision")))
    if not 1 <= value <= MAX_ROW_ID:
        raise ValueError(f"not a revision number: {value}")
    return value


def _paragraph_fields(form: FormData) -> list[str | None]:
    count = int(str(form.get("paragraphs") or 0))
    if not 0 <= count <= len(form):
        # Each paragraph is a field of the form: a larger count can only be a forged form.
        raise ValueError(f"not a paragraph count: {count}")
    values: list[str | None] = []
    for index in range(count):
        value = form.get(f"p-{index}")
        # After a conflict the editor may keep theirs: the paragraph as the head has it.
        theirs = form.get(f"choice-p-{index}") == "theirs"
        values.append(value if isinstance(value, str) and not theirs else None)
    return values


@router.post("/articles/{article_id}/{lang}/save")
async def save_draft(request: Request, article_id: str, lang: str) -> Response:
    """Saves the edited title, paragraphs and summary as a new revision."""
    editor = await _editor(request)
    form = await _checked_form(request)
    store = _store(request)
    url = article_url(article_id, lang)
    try:
        expected = _revision_number(form)
        base = await run_in_threadpool(store.revision, article_id, lang, expected)
        fmt = (await run_in_threadpool(store.view, article_id, lang)).version.format
        paragraphs = _paragraph_fields(form)
        body = replace_paragraphs(base.body, fmt, paragraphs) if paragraphs else base.body
        changes: dict[str, str | None] = {
            name: None if form.get(f"choice-{name}") == "theirs" else _field(form, name)
            for name in ("title", "lede", "summary")
        }
        changes = {k: v for k, v in changes.items() if v is not None and v != getattr(base, k)}
        if body == base.body and not changes:
            flash(request, "no changes to save")
            return _redirect(url)
        edited_body = body if body != base.body else None
        # A changed body gets its summary made again (pipeline/resummarize.py), as in the API.
        outcome = await run_in_threadpool(
            lambda: save_edit(
                get_runtime(request).pipeline,
                store,
                article_id,
                lang,
                expected,
                editor.name,
                body=edited_body,
                title=changes.get("title"),
                lede=changes.get("lede"),
                summary=changes.get("summary"),
            )
        )
    except (ValueError, TypeError):
        flash(request, "the form was incomplete; nothing saved", "error")
        return _redirect(url)
    except MergeConflict as exc:
        # Offered again on the current head: the merge, with mine/theirs per conflict.
        flash(request, exc.message, "error")
        return _redirect(f"{url}?merge={exc.kept}#conflicts")
    except NewsdeskError as exc:
        flash(request, exc.message, "error")
        return _redirect(url)
    removed = outcome.markup_removed
    review = summary_review(outcome.revision.provenance) if edited_body is not None else None
    notes = [MARKUP_REMOVED] if removed else []
    if review is not None:
        notes.append(f"summary {review.state}: {review.reason}")
    if outcome.merged_with is not None:
        notes.insert(0, "merged with the revision saved meanwhile")
    flash(request, "; ".join([f"saved revision r{outcome.revision.number}", *notes]))
    return _redirect(url)


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else None


def _confirmed(form: FormData) -> Confirmed:
    """The paragraphs the editor ticked as checked (the memory learns them), or "all"."""
    if form.get("confirm_all") == "all":
        return "all"
    indices = [int(str(value)) for value in form.getlist("confirm")]
    return indices or None


@router.post("/articles/{article_id}/{lang}/approve")
async def approve_draft(request: Request, article_id: str, lang: str) -> Response:
    """Approves the saved head revision; the memory learns the sentences an editor changed
    and those of the paragraphs ticked as checked."""
    editor = await _editor(request)
    form = await _checked_form(request)
    url = article_url(article_id, lang)
    try:
        expected = _revision_number(form)
        version, learned = await run_in_threadpool(
            _store(request).approve,
            article_id,
            lang,
            editor.name,
            _field(form, "comment") or None,
            expected,
            _confirmed(form),
        )
    except ValueError:
        flash(request, "the form was incomplete; nothing approved", "error")
        return _redirect(url)
    except NewsdeskError as exc:
        flash(request, exc.message, "error")
        return _redirect(url)
    approved = await run_in_threadpool(
        _store(request).revision, article_id, lang, int(version.approved_revision_id or 0)
    )
    flash(
        request,
        f"approved revision r{approved.number}; "
        f"{learned} sentence(s) added to the translation memory",
    )
    if form.get("then") == "next":
        queue = await run_in_threadpool(_store(request).queue, None, None, None, None, 500, 0)
        following = next_draft(queue, article_id, lang)
        if following is None:
            flash(request, "no other draft is waiting for review")
            return _redirect("/review")
        return _redirect(article_url(*following))
    return _redirect(url)


def next_draft(queue: Queue, article_id: str, lang: str) -> tuple[str, str] | None:
    """The draft after this one in the queue's order that still needs a decision (wrapping
    round to the top), so "Approve and open next" walks the queue as `j` does."""
    items = [(i.version.article_id, i.version.lang, i.version.state) for i in queue.items]
    here = next((n for n, (a, g, _) in enumerate(items) if (a, g) == (article_id, lang)), -1)
    for a, g, state in items[here + 1 :] + items[: max(here, 0)]:
        if state not in DECIDED and (a, g) != (article_id, lang):
            return a, g
    return None


@router.post("/articles/{article_id}/{lang}/reject")
async def reject_draft(request: Request, article_id: str, lang: str) -> Response:
    """Rejects the head revision with a comment."""
    editor = await _editor(request)
    form = await _checked_form(request)
    url = article_url(article_id, lang)
    comment = _field(form, "comment")
    if not comment:
        flash(request, "a rejection needs a comment", "error")
        return _redirect(url)
    try:
        expected = _revision_number(form)
        version = await run_in_threadpool(
            _store(request).reject, article_id, lang, editor.name, comment, expected
        )
    except ValueError:
        flash(request, "the form was incomplete; nothing rejected", "error")
        return _redirect(url)
    except NewsdeskError as exc:
        flash(request, exc.message, "error")
        return _redirect(url)
    rejected = await run_in_threadpool(
        _store(request).revision, article_id, lang, int(version.head_revision_id or 0)
    )
    flash(request, f"rejected revision r{rejected.number}")
    return _redirect(url)


def login_redirect(exc: LoginRequired) -> Response:
    return _redirect("/review/login?" + urlencode({"next": _safe_next(exc.next_url)}))


def csrf_failed(request: Request) -> Response:
    return HTMLResponse(
        f"<!doctype html><title>Forbidden</title><h1>403</h1><p>{CSRF_FAILED}</p>"
        '<p><a href="/review">Back to the review page</a></p>',
        status_code=403,
    )
