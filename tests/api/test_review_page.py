"""The review page over TestClient: log-in, sessions, CSRF, the queue, the article view and
its forms. (The real-browser flow is tests/integration/test_review_browser.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.review_helpers import (
    ARTICLE,
    EDITOR_PASSWORD,
    Keys,
    auth,
    open_client,
    page_csrf,
    page_login,
    posted,
    secured_settings,
    store_of,
)

PAGE = "/review/articles/paris-talks/es"
CSRF_FAILED = "CSRF token missing or invalid"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from open_client(secured_settings(tmp_path))


@pytest.fixture
def keys(client: TestClient) -> Keys:
    return posted(client)


def test_pages_need_a_log_in(client: TestClient, keys: Keys) -> None:
    response = client.get("/review", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/review/login?next=%2Freview"
    response = client.get(PAGE, follow_redirects=False)
    assert (
        response.headers["location"] == "/review/login?next=%2Freview%2Farticles%2Fparis-talks%2Fes"
    )


def test_session_cookie_is_httponly_and_samesite(client: TestClient, keys: Keys) -> None:
    client.get("/review/login")
    token = page_csrf(client.get("/review/login").text)
    response = client.post(
        "/review/login",
        data={"csrf_token": token, "name": "ana", "password": EDITOR_PASSWORD},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("newsdesk_review=")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "path=/review" in cookie.lower()


def test_wrong_password_and_client_role_cannot_log_in(client: TestClient, keys: Keys) -> None:
    store_of(client).add_user("cms", "client", EDITOR_PASSWORD)
    token = page_csrf(client.get("/review/login").text)
    wrong = client.post(
        "/review/login", data={"csrf_token": token, "name": "ana", "password": "nope nope"}
    )
    assert wrong.status_code == 401 and "unknown name or wrong password" in wrong.text
    token = page_csrf(wrong.text)
    client_role = client.post(
        "/review/login", data={"csrf_token": token, "name": "cms", "password": EDITOR_PASSWORD}
    )
    assert client_role.status_code == 401
    assert "this account cannot review: it needs the editor role" in client_role.text


def test_form_posts_without_a_csrf_token_get_403(client: TestClient, keys: Keys) -> None:
    login = client.post(
        "/review/login", data={"name": "ana", "password": EDITOR_PASSWORD}, follow_redirects=False
    )
    assert login.status_code == 403 and CSRF_FAILED in login.text
    token = page_login(client)
    head = store_of(client).view("paris-talks", "es").head.id
    for action, data in [
        ("save", {"expected_revision": str(head), "title": "Hola", "paragraphs": "0"}),
        ("approve", {"expected_revision": str(head)}),
        ("reject", {"expected_revision": str(head), "comment": "no"}),
    ]:
        no_token = client.post(f"{PAGE}/{action}", data=data, follow_redirects=False)
        assert (no_token.status_code, CSRF_FAILED in no_token.text) == (403, True), action
        forged = client.post(
            f"{PAGE}/{action}", data={**data, "csrf_token": "forged"}, follow_redirects=False
        )
        assert forged.status_code == 403, action
    logout = client.post("/review/logout", data={}, follow_redirects=False)
    assert logout.status_code == 403
    assert store_of(client).view("paris-talks", "es").version.state == "machine_draft"
    assert token  # the real token still works:
    ok = client.post("/review/logout", data={"csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303


def test_queue_shows_counts_and_filters(client: TestClient, keys: Keys) -> None:
    page_login(client)
    page = client.get("/review").text
    assert 'data-count="machine_draft">1<' in page and 'data-count="approved">0<' in page
    assert "TALKS OPEN IN PARIS" in page and PAGE in page
    assert "TALKS OPEN IN PARIS" not in client.get("/review?state=approved").text
    assert "TALKS OPEN IN PARIS" not in client.get("/review?lang=en").text
    assert "TALKS OPEN IN PARIS" not in client.get("/review?since=2999-01-01").text
    for label in ('for="f-state"', 'for="f-lang"', 'for="f-since"', 'for="f-until"'):
        assert label in page


def test_the_queue_shows_what_triage_needs(client: TestClient, keys: Keys) -> None:
    page_login(client)
    page = client.get("/review").text
    assert 'for="f-lang">Target language<' in page
    assert '<div class="source-title" lang="en">Talks open in Paris</div>' in page
    assert '<td class="num" data-words>24</td>' in page  # 4 + 7 + 5 + 8: title and body
    # The engine by name, its build in a details element a keyboard can open.
    assert "<summary>r1 · fake</summary><code>fake:fake@1</code>" in page


def test_the_source_column_shows_the_formatting(client: TestClient, keys: Keys) -> None:
    article = {
        **ARTICLE,
        "id": "formatted",
        "body": "<h2>Talks open</h2><p>Read the <a href='https://example.org/r'>report</a>"
        " <img src='https://example.org/p.jpg' alt='Ministers'>.</p>"
        "<ul><li>Ministers attend.</li></ul><blockquote><p>We agree.</p></blockquote>",
    }
    client.post("/v1/articles", json=article, headers=auth(keys.client))
    page_login(client)
    page = client.get("/review/articles/formatted/es").text
    assert '¶1 · heading</span><p class="blk blk-heading">Talks open</p>' in page
    assert '<a href="https://example.org/r" rel="noopener noreferrer nofollow">report</a>' in page
    assert '<span class="img-chip">Image: Ministers</span>' in page
    assert '¶3 · list item</span><p class="blk blk-list-item">Ministers attend.</p>' in page
    assert '¶4 · quote</span><p class="blk blk-quote">We agree.</p>' in page


def test_the_diff_shows_a_changed_link(client: TestClient, keys: Keys) -> None:
    token = page_login(client)
    head = store_of(client).view("paris-talks", "es").head
    client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(head.id),
            "paragraphs": "2",
            "p-1": 'THE ENVOY WILL BRIEF THEM ON THE <a href="https://example.org/phish">MEETING</a>.',
        },
    )
    page = client.get(PAGE).text
    assert "No differences between these revisions." not in page
    assert (
        "<del>&lt;a href=&#34;https://example.org/m&#34;&gt;</del>"
        "<ins>&lt;a href=&#34;https://example.org/phish&#34;&gt;</ins>"
    ) in page


def test_approve_and_open_next_walks_the_queue(client: TestClient, keys: Keys) -> None:
    second = {**ARTICLE, "id": "paris-talks-2", "title": "Ministers meet again"}
    client.post("/v1/articles", json=second, headers=auth(keys.client))
    token = page_login(client)
    # Newest first: the second article heads the queue; the first comes next.
    queue = client.get("/review").text
    assert queue.index("/review/articles/paris-talks-2/es") < queue.index(PAGE + '"')
    first = "/review/articles/paris-talks-2/es"
    head = store_of(client).view("paris-talks-2", "es").head.id
    assert 'id="approve-next-button" name="then" value="next">' in client.get(first).text
    response = client.post(
        f"{first}/approve",
        data={"csrf_token": token, "expected_revision": str(head), "then": "next"},
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (303, PAGE)
    head = store_of(client).view("paris-talks", "es").head.id
    last = client.post(
        f"{PAGE}/approve",
        data={"csrf_token": token, "expected_revision": str(head), "then": "next"},
        follow_redirects=False,
    )
    assert last.headers["location"] == "/review"  # nothing left to decide
    assert "no other draft is waiting for review" in client.get("/review").text


def test_article_view_edit_save_approve(client: TestClient, keys: Keys) -> None:
    token = page_login(client)
    page = client.get(PAGE).text
    # Source and draft side by side, paragraph by paragraph, with provenance.
    assert page.count('class="pair" id="row-p') == 2
    assert "The talks begin in Paris on Monday." in page
    assert 'data-origin="engine"' in page
    assert "&lt;a href=&#34;https://example.org/m&#34;&gt;MEETING&lt;/a&gt;" in page
    head = store_of(client).view("paris-talks", "es").head
    saved = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(head.id),
            "title": "Conversaciones en París",
            "paragraphs": "2",
            "p-0": "LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES. "
            "Asisten ministros de cinco países.",
            "p-1": 'THE ENVOY WILL BRIEF THEM ON THE <a href="https://example.org/m">reunión</a>.',
            "summary": head.summary or "",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    view = store_of(client).view("paris-talks", "es")
    assert view.head.author == "ana" and view.head.title == "Conversaciones en París"
    assert view.head.body == (
        "<p>LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES. Asisten ministros de cinco países.</p>"
        '<p>THE ENVOY WILL BRIEF THEM ON THE <a href="https://example.org/m">reunión</a>.</p>'
    )
    page = client.get(PAGE).text
    assert f"saved revision r{view.head.number}" in page and view.head.number == 2
    assert 'data-origin="human"' in page and "<ins>" in page  # diff against the machine draft
    approved = client.post(
        f"{PAGE}/approve",
        data={"csrf_token": token, "expected_revision": str(view.head.id), "comment": "fine"},
    )
    assert "approved revision r2; 4 sentence(s) added" in approved.text
    assert store_of(client).view("paris-talks", "es").version.state == "approved"


def test_a_form_save_of_the_body_makes_the_summary_again_and_says_so(
    client: TestClient, keys: Keys
) -> None:
    token = page_login(client)
    head = store_of(client).view("paris-talks", "es").head
    page = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(head.id),
            "paragraphs": "2",
            "p-0": "Un enviado sorpresa abre las conversaciones de París.",
            "summary": head.summary or "",  # the form sends the summary back unchanged
        },
    ).text
    saved = store_of(client).view("paris-talks", "es").head
    assert saved.summary == "Un enviado sorpresa abre las conversaciones de París."
    assert "summary regenerated: made again from the edited body" in page
    assert "Summary made again by fake-summary: first-sentence-es from the edited body" in page
    assert f">{saved.summary}</textarea>" in page


def test_a_stale_form_save_is_kept_and_explained(client: TestClient, keys: Keys) -> None:
    token = page_login(client)
    head = store_of(client).view("paris-talks", "es").head
    store_of(client).edit("paris-talks", "es", head.id, "ben", title="Título de Ben")
    response = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(head.id),
            "title": "Título de Ana",
            "paragraphs": "0",
        },
    )
    assert f"revision {head.id} is out of date: ben saved revision" in response.text
    titles = {r.title for r in store_of(client).revisions("paris-talks", "es")}
    assert {"Título de Ana", "Título de Ben"} <= titles


def test_reject_needs_a_comment_on_the_page(client: TestClient, keys: Keys) -> None:
    token = page_login(client)
    head = store_of(client).view("paris-talks", "es").head.id
    response = client.post(
        f"{PAGE}/reject", data={"csrf_token": token, "expected_revision": str(head), "comment": ""}
    )
    assert "a rejection needs a comment" in response.text
    response = client.post(
        f"{PAGE}/reject",
        data={"csrf_token": token, "expected_revision": str(head), "comment": "bad names"},
    )
    assert "rejected revision r1" in response.text


def test_static_assets_are_local(client: TestClient, keys: Keys) -> None:
    page_login(client)
    page = client.get(PAGE).text
    assert "http://" not in re.sub(r'href="https?://example\.org[^"]*"|example\.org/m', "", page)
    assert client.get("/review/static/review.js").status_code == 200
    assert client.get("/review/static/review.css").status_code == 200


def test_a_form_save_cannot_publish_scripts_handlers_or_javascript_links(
    client: TestClient, keys: Keys
) -> None:
    token = page_login(client)
    head = store_of(client).view("paris-talks", "es").head
    response = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(head.id),
            "title": "Conversaciones en París<img src=x onerror=alert(1)>",
            "paragraphs": "2",
            "p-0": "LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES.<script>alert(1)</script>",
            "p-1": 'EL ENVIADO LES INFORMARÁ DE LA <a href="javascript:alert(1)" '
            'onclick="alert(2)">reunión</a><img src=x onerror=alert(3)>.',
            "summary": head.summary or "",
        },
    )
    view = store_of(client).view("paris-talks", "es")
    assert f"saved revision r{view.head.number}; markup its source does not have was removed" in (
        response.text
    )
    cleaned = (
        "<p>LAS CONVERSACIONES EMPIEZAN EN PARÍS EL LUNES.</p>"
        "<p>EL ENVIADO LES INFORMARÁ DE LA <a>reunión</a>.</p>"
    )
    assert (view.head.title, view.head.body) == ("Conversaciones en París", cleaned)
    client.post(
        f"{PAGE}/approve", data={"csrf_token": token, "expected_revision": str(view.head.id)}
    )
    published = client.get("/v1/articles/paris-talks", headers=auth(keys.client)).json()
    assert published["versions"]["es"]["body"] == cleaned
    assert published["versions"]["es"]["review"]["state"] == "approved"


def _cookie(client: TestClient) -> str:
    value = client.cookies.get("newsdesk_review")
    assert value, "no session cookie"
    return value


def test_log_out_ends_the_session_for_every_copy_of_the_cookie(
    client: TestClient, keys: Keys
) -> None:
    token = page_login(client)
    captured = _cookie(client)
    thief = TestClient(client.app, cookies={"newsdesk_review": captured})
    assert thief.get("/review", follow_redirects=False).status_code == 200
    out = client.post("/review/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    # The signature still holds, but the session it names is gone.
    replay = thief.get("/review", follow_redirects=False)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/review/login")
    assert thief.get(PAGE, follow_redirects=False).status_code == 303


def test_a_new_password_ends_the_users_sessions(client: TestClient, keys: Keys) -> None:
    page_login(client)
    assert client.get("/review", follow_redirects=False).status_code == 200
    store_of(client).set_password("ana", "a brand new password")
    assert client.get("/review", follow_redirects=False).status_code == 303


THROTTLED = "too many failed log-ins: try again in 15 minute(s)"


def _attempt(client: TestClient, name: str, password: str) -> tuple[int, str]:
    token = page_csrf(client.get("/review/login").text)
    response = client.post(
        "/review/login",
        data={"csrf_token": token, "name": name, "password": password},
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("retry-after", "")


def test_fifteen_wrong_log_ins_are_refused_from_the_eleventh(
    client: TestClient, keys: Keys
) -> None:
    answers = [_attempt(client, "ana", f"wrong guess {n}") for n in range(15)]
    assert [status for status, _ in answers] == [401] * 10 + [429] * 5
    assert all(wait == "" for _, wait in answers[:10])
    assert all(840 < int(wait) <= 900 for _, wait in answers[10:])
    token = page_csrf(client.get("/review/login").text)
    page = client.post("/review/login", data={"csrf_token": token, "name": "ana", "password": "x"})
    assert page.status_code == 429 and THROTTLED in page.text
    # The right password waits too: the throttle answers before the password is checked.
    assert _attempt(client, "ana", EDITOR_PASSWORD)[0] == 429


def test_the_throttle_counts_per_name_and_per_address(client: TestClient, keys: Keys) -> None:
    for n in range(10):
        assert _attempt(client, f"nobody-{n}", "wrong guess")[0] == 401
    # Ten names from one address: the address is throttled, for every name...
    assert _attempt(client, "ana", EDITOR_PASSWORD)[0] == 429
    # ...but not elsewhere.
    elsewhere = TestClient(client.app, client=("192.0.2.8", 40000))
    assert _attempt(elsewhere, "ana", EDITOR_PASSWORD)[0] == 303
    # Ten guesses at one name from ten addresses: that name is throttled everywhere.
    for n in range(10):
        spread = TestClient(client.app, client=(f"198.51.100.{n}", 40000))
        assert _attempt(spread, "ben", "wrong guess")[0] == 401
    assert (
        _attempt(TestClient(client.app, client=("203.0.113.9", 1)), "ben", EDITOR_PASSWORD)[0]
        == 429
    )


def test_a_log_in_forgets_the_names_failures_but_not_the_addresss(
    client: TestClient, keys: Keys
) -> None:
    for _ in range(9):
        assert _attempt(client, "ana", "wrong guess")[0] == 401
    assert _attempt(client, "ana", EDITOR_PASSWORD)[0] == 303
    elsewhere = TestClient(client.app, client=("192.0.2.9", 40000))
    for _ in range(9):
        assert _attempt(elsewhere, "ana", "wrong guess")[0] == 401
    assert _attempt(elsewhere, "ana", EDITOR_PASSWORD)[0] == 303  # the name starts again
    assert _attempt(client, "ben", "wrong guess")[0] == 401  # the 10th from this address
    assert _attempt(client, "ben", EDITOR_PASSWORD)[0] == 429


def test_the_cookie_is_secure_over_https_or_when_configured(tmp_path: Path) -> None:
    settings = secured_settings(tmp_path)
    for client in open_client(settings):
        assert "secure" not in client.get("/review/login").headers["set-cookie"].lower()
        https = TestClient(client.app, base_url="https://testserver")
        assert "; secure" in https.get("/review/login").headers["set-cookie"].lower()
    for client in open_client(settings.model_copy(update={"secure_cookies": True})):
        assert "; secure" in client.get("/review/login").headers["set-cookie"].lower()


def test_a_form_save_is_checked_and_the_page_shows_its_flags(
    client: TestClient, keys: Keys
) -> None:
    token = page_login(client)
    head = store_of(client).view("paris-talks", "es").head
    assert head.qa == []
    page = client.post(
        f"{PAGE}/save",
        data={
            "csrf_token": token,
            "expected_revision": str(head.id),
            "paragraphs": "2",
            "p-1": "El enviado les informará sobre la reunión.",  # the link left out
            "summary": head.summary or "",
        },
    ).text
    saved = store_of(client).view("paris-talks", "es").head
    assert [(f["field"], f["paragraph"], f["kind"]) for f in saved.qa] == [("body", 1, "link")]
    assert "⚑ Link differs:</strong> the link &#39;https://example.org/m&#39; is missing" in page
    assert "1 QA flag (" in page
    queue = client.get("/review").text
    assert 'data-qa-count="1">⚑ 1 flag<' in queue
