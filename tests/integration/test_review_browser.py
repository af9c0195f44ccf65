"""The review page in a real browser: Playwright for Python driving Debian's /usr/bin/chromium
against a real uvicorn started here (tests/integration/review_server.py: real app, real store,
fake engine). Screenshots of the queue and the article view go to artifacts/ (not committed).

The flow: an editor logs in, opens a draft from the queue, edits a sentence, saves (Ctrl+S),
approves; a machine re-run after a "model upgrade" leaves the approved text and flags the newer
draft; a second article with the edited source sentence shows the editor's translation, tm."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.review_helpers import QA_ARTICLE

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "a long editor password"
EDITED = "Asisten ministros de cinco países europeos."
ADDED = "Officials expect a statement later."

ARTICLE = {
    "id": "paris-talks",
    "title": "Talks open in Paris",
    "body": "<p>The talks begin in Paris on Monday. Ministers from five countries attend.</p>"
    "<p>The envoy will brief them on the <a href='https://example.org/m'>meeting</a>.</p>",
    "format": "html",
    "source_lang": "en",
}
SECOND = {
    "id": "paris-talks-2",
    "title": "Ministers meet again",
    "body": "<p>Ministers from five countries attend.</p><p>A new round is planned for June.</p>",
    "format": "html",
    "source_lang": "en",
}


def _required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("NEWSDESK_REQUIRE_SERVICES") == "1"
    )


def _unavailable(reason: str) -> None:
    if _required():
        pytest.fail(reason + " [CI=true / NEWSDESK_REQUIRE_SERVICES=1: required]")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    data_dir: Path
    port: int
    env: dict[str, str]
    process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "service.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, engine_revision: str) -> None:
        env = {**self.env, "NEWSDESK_TEST_ENGINE_REVISION": engine_revision}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "tests.integration.review_server:create",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        pytest.fail("uvicorn did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    data_dir = tmp_path / "var"
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_REQUIRE_CLIENT_KEY="true",
        NEWSDESK_CACHE_BACKEND="sqlite",
        PYTHONPATH=str(ROOT),
    )
    found = Server(data_dir, _free_port(), env)
    yield found
    found.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (make test installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright; no browser download)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG violations on the page as it is now (rule id: first offending node)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.response["testEngine"]["name"] == "axe-core"  # it ran, on this page
    assert results.response["url"] == page.url
    return [
        f"{v['id']}: {v['nodes'][0]['target'] if v['nodes'] else ''}"
        for v in results.response["violations"]
    ]


def _shots(page: Any, name: str) -> None:
    """Screenshots at desktop (1440 px) and tablet (800 px) width, back to the width it had."""
    size = page.viewport_size
    for width in (1440, 800):
        page.set_viewport_size({"width": width, "height": 900})
        assert _no_horizontal_scroll(page), (name, width)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def _no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _unlabelled_fields(page: Any) -> list[str]:
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll(
                 'input:not([type=hidden]), textarea, select'))
               .filter(el => !el.labels || el.labels.length === 0)
               .map(el => el.name || el.id)"""
        )
    )


def _log_in(page: Any) -> None:
    """Logs ana in through the log-in form the page is on, as an editor would."""
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_editor_review_flow_in_a_real_browser(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    server.cli("users", "add", "--name", "ana", "--role", "editor", "--password", PASSWORD)
    client_key = server.cli("keys", "create", "--role", "client", "--name", "cms").strip()
    server.start(engine_revision="1")
    headers = {"X-API-Key": client_key}
    first = httpx.post(server.url + "/v1/articles", json=ARTICLE, headers=headers, timeout=30)
    assert first.status_code == 200, first.text
    assert "Asisten ministros de cinco paises." in first.json()["versions"]["es"]["body"]

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # Chromium reports what the Content-Security-Policy blocks on the console.
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else None)
    # Log in (the queue sends us to the log-in form first).
    page.goto(server.url + "/review")
    expect(page).to_have_url(server.url + "/review/login?next=%2Freview")
    _log_in(page)
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.locator('[data-count="machine_draft"]')).to_have_text("1")
    assert _unlabelled_fields(page) == [] and _no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)
    _shots(page, "review-queue")
    assert _axe_violations(page) == []
    # Triage: the source title beside the draft's, the engine by its friendly name.
    row = page.locator("table.queue tbody tr").first
    expect(row.locator(".source-title")).to_have_text("Talks open in Paris")
    expect(row.locator(".col-rev summary")).to_have_text("r1 · tiny-en-es")

    # Open the draft from the queue with the keyboard shortcuts (j selects, o opens).
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("#article-title")).to_have_text("Se abren conversaciones en París")
    expect(page.locator("#state")).to_have_text("Machine draft")
    source = page.locator("#row-p0 .src")
    expect(source).to_contain_text("The talks begin in Paris on Monday.")
    expect(page.locator("#row-p0 .prov")).to_have_attribute("data-origin", "engine")
    assert _unlabelled_fields(page) == [] and _no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "review-article.png"), full_page=True)
    _shots(page, "review-article")
    assert _axe_violations(page) == []
    # The badge's detail opens from the keyboard (no mouse-only tooltip).
    detail = page.locator("#row-p0 .prov .prov-detail")
    expect(detail).to_be_hidden()
    page.locator("#row-p0 .prov summary").focus()
    page.keyboard.press("Enter")
    expect(detail).to_contain_text("fake:tiny-en-es@1")

    # Edit one sentence of the first paragraph and save with Ctrl+S.
    paragraph = page.locator("#rich-p-0")  # the editor over the textarea (no tags in ¶1)
    text = paragraph.inner_text()
    assert "Asisten ministros de cinco paises." in text
    paragraph.fill(text.replace("Asisten ministros de cinco paises.", EDITED))
    expect(page.locator("#dirty-note")).to_have_text("Unsaved changes")
    paragraph.press("Control+s")
    expect(page.locator(".flash").first).to_contain_text("saved revision")
    expect(page.locator("#state")).to_have_text("In review")
    expect(page.locator("#row-p0 .prov")).to_have_attribute("data-origin", "human")
    # The paragraph with a link, not touched, is still the engine's: its markup went back as is.
    expect(page.locator("#row-p1 .prov")).to_have_attribute("data-origin", "engine")
    expect(page.locator("#diff ins").first).to_contain_text("países europeos")
    expect(page.locator("#diff-title")).to_have_text("Changes r1 → r2")
    page.locator("#diff").scroll_into_view_if_needed()
    _shots(page, "review-diff")
    assert _axe_violations(page) == []

    # Approve with a comment.
    page.get_by_label("Comment on approval (optional)").fill("Checked against the source.")
    page.locator("#approve-button").click()
    expect(page.locator(".flash").first).to_contain_text("added to the translation memory")
    expect(page.locator("#state")).to_have_text("Approved")
    stored = httpx.get(server.url + "/v1/articles/paris-talks", headers=headers)
    approved_body = stored.json()["versions"]["es"]
    assert EDITED in approved_body["body"]

    # A model upgrade, and the CMS re-sends the article with one sentence added: the machine
    # translates it again (approved sentences now come from the memory).
    server.stop()
    server.start(engine_revision="2")
    updated = {**ARTICLE, "body": ARTICLE["body"].replace("</a>.</p>", "</a>. " + ADDED + "</p>")}
    rerun = httpx.post(server.url + "/v1/articles", json=updated, headers=headers, timeout=30)
    es = rerun.json()["versions"]["es"]
    assert es["body"] == approved_body["body"]  # the approved text, as it was
    assert es["review"]["newer_machine_draft"] is True and es["review"]["state"] == "approved"
    page.reload()
    expect(page.locator("#state")).to_have_text("Approved")
    expect(page.locator("#newer-draft-flag")).to_be_visible()
    expect(page.locator("#p-0")).to_have_value(
        f"Las conversaciones empiezan en Paris el lunes. {EDITED}"
    )
    page.get_by_role("link", name="Compare the newer draft with the current text").click()
    expect(page.locator("#diff ins").first).to_contain_text("Se espera un comunicado")
    expect(page.locator("#newer-draft-notice")).to_contain_text("fake:tiny-en-es@2")
    page.screenshot(path=str(ARTIFACTS / "review-article-newer-draft.png"), full_page=True)

    # A second article with the edited source sentence gets the editor's translation, tm.
    second = httpx.post(server.url + "/v1/articles", json=SECOND, headers=headers, timeout=30)
    assert second.json()["versions"]["es"]["body"].startswith(f"<p>{EDITED}</p>")
    assert second.json()["versions"]["es"]["provenance"]["sentences"]["tm"] >= 1
    page.get_by_role("link", name="Queue").first.click()
    page.get_by_role("link", name="Los ministros se reúnen de nuevo").click()
    expect(page.locator("#p-0")).to_have_value(EDITED)
    badge = page.locator("#row-p0 .prov")
    expect(badge).to_have_attribute("data-origin", "tm")
    expect(badge.locator("summary")).to_have_text("tm")
    expect(page.locator("#row-p1 .prov")).to_have_attribute("data-origin", "engine")
    page.screenshot(path=str(ARTIFACTS / "review-article-tm.png"), full_page=True)

    # Tablet width: source and draft stay side by side, nothing scrolls sideways.
    page.set_viewport_size({"width": 800, "height": 1100})
    page.reload()
    assert _no_horizontal_scroll(page)
    left = page.locator("#row-p0 .src").bounding_box()
    right = page.locator("#row-p0 .dst").bounding_box()
    assert left and right and left["x"] < right["x"] and abs(left["y"] - right["y"]) < 5
    page.screenshot(path=str(ARTIFACTS / "review-article-tablet.png"), full_page=True)

    # "Approve and open next": the first article is decided, so the next draft in the queue's
    # order (newest first, wrapping round) is a third article received after this one.
    third = {**SECOND, "id": "paris-talks-3", "title": "Talks open in Paris"}
    assert httpx.post(server.url + "/v1/articles", json=third, headers=headers).status_code == 200
    page.reload()
    page.get_by_role("button", name="Approve and open next").click()
    expect(page).to_have_url(server.url + "/review/articles/paris-talks-3/es")
    expect(page.locator(".flash").first).to_contain_text("approved revision r1")
    page.get_by_role("link", name="Queue").first.click()
    states = page.locator("table.queue [data-state-label]")
    expect(states).to_have_text(["Machine draft", "Approved", "Approved (newer machine draft)"])
    assert blocked == []  # the whole flow ran under the policy
    context.close()


def test_qa_flags_are_shown_counted_and_jumpable(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    server.cli("users", "add", "--name", "ana", "--role", "editor", "--password", PASSWORD)
    client_key = server.cli("keys", "create", "--role", "client", "--name", "cms").strip()
    server.start(engine_revision="1")
    posted = httpx.post(
        server.url + "/v1/articles", json=QA_ARTICLE, headers={"X-API-Key": client_key}, timeout=30
    )
    assert posted.status_code == 200, posted.text
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.goto(server.url + "/review")
    _log_in(page)
    expect(page.locator('tr[data-article="lab-fair"] .qa-count')).to_have_text("⚑ 3 flags")

    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("#qa-total")).to_contain_text("3 QA flags")
    flags = page.locator(".qa-flag")
    expect(flags).to_have_count(3)
    # Each flag is text beside its paragraph, not a colour alone.
    expect(page.locator("#row-p0 .qa-flag")).to_contain_text("Untranslated word")
    expect(page.locator("#row-p0 .qa-flag")).to_contain_text("hosted")
    expect(page.locator("#row-p1 .qa-flag")).to_contain_text("Number differs")
    expect(page.locator("#row-p2 .qa-flag")).to_contain_text("Link differs")
    for index in range(3):
        expect(flags.nth(index)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "review-article-qa.png"), full_page=True)

    # f moves focus to the next flag (wrapping), Shift+F to the previous one.
    page.keyboard.press("f")
    expect(page.locator("#row-p0 .qa-flag")).to_be_focused()
    page.keyboard.press("f")
    expect(page.locator("#row-p1 .qa-flag")).to_be_focused()
    page.keyboard.press("f")
    expect(page.locator("#row-p2 .qa-flag")).to_be_focused()
    page.keyboard.press("f")
    expect(page.locator("#row-p0 .qa-flag")).to_be_focused()
    page.keyboard.press("Shift+F")
    expect(page.locator("#row-p2 .qa-flag")).to_be_focused()
    # Leaving a field (Esc), the next flag is the first one after that field: ¶2's own.
    page.locator("#rich-p-1").focus()
    page.keyboard.press("Escape")
    page.keyboard.press("f")
    expect(page.locator("#row-p1 .qa-flag")).to_be_focused()
    expect(page.locator("#shortcuts")).to_contain_text("Next / previous QA flag")


RICH = {
    "id": "rich-talks",
    "title": "Talks open in Paris",
    "body": "<p>The envoy will brief them on the <a href='https://example.org/m' "
    "title='The meeting page'>meeting</a>.</p>"
    "<p>Ministers meet today. <img src='/m.jpg' alt='Ministers in Paris'></p>",
    "format": "html",
    "source_lang": "en",
}


def test_the_draft_editor_keeps_tags_and_edits_alt_text(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    server.cli("users", "add", "--name", "ana", "--role", "editor", "--password", PASSWORD)
    client_key = server.cli("keys", "create", "--role", "client", "--name", "cms").strip()
    server.start(engine_revision="1")
    headers = {"X-API-Key": client_key}
    posted = httpx.post(server.url + "/v1/articles", json=RICH, headers=headers, timeout=30)
    assert posted.status_code == 200, posted.text
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(server.url + "/review/articles/rich-talks/es")
    _log_in(page)
    editor = page.locator("#rich-p-0")
    expect(editor).to_be_visible()
    expect(editor.locator(".chip")).to_have_text(["⟨link⟩", "⟨/link⟩"])
    expect(page.locator("#p-0")).to_be_hidden()  # the raw HTML stays out of sight
    # Backspace up to the closing tag: the text goes, the tag stays.
    editor.click()
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    expect(editor.locator(".chip")).to_have_count(2)
    expect(page.locator("#dirty-note")).to_have_text(
        "Tags stay as they are: edit the text around them."
    )
    page.keyboard.type(". Hoy.")
    title = page.get_by_label("Title of link 1 in paragraph 1")
    expect(title).to_have_value("[es] The meeting page")
    title.fill("La página de la reunión")
    alt = page.get_by_label("Alt text of image 1 in paragraph 2")
    expect(alt).to_have_value("[es] Ministers in Paris")
    alt.fill("Ministros en París")
    alt.press("Control+s")
    expect(page.locator(".flash").first).to_contain_text("saved revision r2")
    stored = httpx.get(server.url + "/v1/articles/rich-talks", headers=headers).json()
    body = stored["versions"]["es"]["body"]
    assert (
        '<a href="https://example.org/m" title="La página de la reunión">reunión</a>. Hoy.</p>'
        in body
    )
    assert 'alt="Ministros en París"' in body and "⟨" not in body
    # The saved text comes back with its tags as chips again.
    expect(page.locator("#rich-p-0 .chip")).to_have_count(2)
    expect(page.locator("#rich-p-0")).to_contain_text("⟨link⟩reunión⟨/link⟩. Hoy.")


# Stands in for Swagger UI's bundle, which the browser would fetch from jsDelivr: it records
# the settings the page's init script passes.
SWAGGER_STUB = """
window.SwaggerUIBundle = function (config) {
  document.querySelector(config.dom_id).textContent = "Swagger UI for " + config.url;
  return {};
};
window.SwaggerUIBundle.presets = { apis: {} };
window.SwaggerUIBundle.SwaggerUIStandalonePreset = {};
"""
INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.body.appendChild(script);
  return window.injected === true;
}"""


def test_the_policy_runs_docs_and_blocks_injected_script(server: Server, browser: Any) -> None:
    from playwright.sync_api import expect

    from service.web import docs

    server.start(engine_revision="1")
    page = browser.new_context().new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else None)
    fetched: list[str] = []

    def cdn(route: Any) -> None:
        fetched.append(route.request.url)
        if route.request.url == docs.SCRIPT:
            route.fulfill(content_type="text/javascript", body=SWAGGER_STUB)
        else:
            route.fulfill(content_type="text/css", body="#swagger-ui { margin: 1em; }")

    page.route("https://cdn.jsdelivr.net/**", cdn)
    page.goto(server.url + "/docs")
    # The init script, a static file, ran and handed Swagger UI the schema's address.
    expect(page.locator("#swagger-ui")).to_have_text("Swagger UI for /openapi.json")
    assert sorted(fetched) == sorted([docs.SCRIPT, docs.STYLE]) and blocked == []
    # An inline script, as an injection would add one, is refused on /docs and on the pages.
    for path in ("/docs", "/review/login"):
        page.goto(server.url + path)
        assert page.evaluate(INJECT) is False, path
    assert len(blocked) == 2 and all("inline script" in m for m in blocked)


def test_screenshots_are_not_committed() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "artifacts/review-queue.png"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0 or shutil.which("git") is None


def test_a_conflicting_save_offers_mine_or_theirs_in_a_real_browser(
    server: Server, browser: Any
) -> None:
    """Ana and Ben edit the same draft; Ben saves first. Ana's save changed ¶1 (Ben did too)
    and ¶2 (he did not): the page comes back with her ¶2 kept and a mine/theirs choice for ¶1,
    made with the keyboard."""
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    server.cli("users", "add", "--name", "ana", "--role", "editor", "--password", PASSWORD)
    server.cli("users", "add", "--name", "ben", "--role", "editor", "--password", PASSWORD)
    client_key = server.cli("keys", "create", "--role", "client", "--name", "cms").strip()
    ben_key = server.cli("keys", "create", "--role", "editor", "--user", "ben").strip()
    server.start(engine_revision="1")
    posted = httpx.post(
        server.url + "/v1/articles", json=ARTICLE, headers={"X-API-Key": client_key}, timeout=30
    )
    assert posted.status_code == 200, posted.text

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/review/articles/paris-talks/es")
    _log_in(page)
    # The drafts are edited in the rich editors (#rich-p-N, tags as chips); #p-N are the form's
    # fields behind them, which the server renders and reads.
    first = page.locator("#rich-p-0")
    expect(first).to_contain_text("Las conversaciones empiezan en Paris el lunes.")

    # Ben saves ¶1 through the API while Ana has the page open.
    version = server.url + "/v1/articles/paris-talks/versions/es"
    ben = {"X-API-Key": ben_key}
    listing = httpx.get(version + "/revisions", headers=ben).json()
    body = listing["revisions"][-1]["body"]
    saved = httpx.patch(
        version,
        json={
            "expected_revision": listing["head_revision"],
            "body": body.replace("en Paris el lunes", "en París el lunes (Ben)"),
        },
        headers=ben,
    )
    assert saved.status_code == 200, saved.text

    # Ana edits ¶1 and ¶2 and saves: ¶1 conflicts, ¶2 is hers alone.
    first.fill(first.inner_text().replace("Paris el lunes", "París este lunes"))
    second = page.locator("#rich-p-1")
    # Select the paragraph's first two words (its text before the link chip) and type over them.
    second.evaluate(
        """el => {
            el.focus();
            const range = document.createRange();
            range.setStart(el.firstChild, 0);
            range.setEnd(el.firstChild, "El enviado".length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    page.keyboard.type("El emisario")
    expect(second).to_contain_text("El emisario les informará")
    second.press("Control+s")
    expect(page.locator(".flash").first).to_contain_text("changed what you changed (paragraph 0)")
    conflict = page.locator("#conflict-p0")
    expect(conflict).to_contain_text("en París el lunes (Ben)")
    expect(page.locator("#p-0")).to_contain_text("París este lunes")
    expect(page.locator("#p-1")).to_contain_text("El emisario")
    assert _unlabelled_fields(page) == [] and _no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "review-merge-conflict.png"), full_page=True)

    # The form cannot be sent without a choice; she keeps Ben's ¶1, by keyboard.
    assert page.evaluate("document.getElementById('edit-form').checkValidity()") is False
    page.get_by_label("Keep theirs").first.focus()
    page.keyboard.press("Space")
    page.locator("#save-button").click()
    expect(page.locator(".flash").first).to_contain_text("saved revision")
    expect(page.locator("#conflicts")).to_have_count(0)
    expect(page.locator("#p-0")).to_contain_text("en París el lunes (Ben)")
    expect(page.locator("#p-1")).to_contain_text("El emisario")
    head = httpx.get(version + "/revisions", headers=ben).json()["revisions"][-1]
    assert "(Ben)" in head["body"] and "El emisario" in head["body"]
    assert "este lunes" not in head["body"]
    context.close()
