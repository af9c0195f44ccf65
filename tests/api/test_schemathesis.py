"""Every operation of the OpenAPI document, fed schemathesis' generated requests (fixed seed,
bounded examples), answers without a server error.

The app runs the embedded engines when Apertium is installed (what a fresh install serves),
else the fake engines. Requests carry an admin key, so the review operations are reached past
authentication, and a few stored articles give the id-based operations something to find.

The schema is loaded when the module is imported (schemathesis' `from_fixture` does not work
with this pytest); schemathesis starts the app's lifespan on its first request and keeps it
for the rest of the session, so nothing heavy happens at import.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from service.app import create_app
from service.config import Settings
from service.runtime import Runtime
from service.schemas import ArticleRequest
from service.store.review import ReviewStore
from tests.conftest import fake_registry
from tests.helpers.apertium_marks import HAVE_APERTIUM

EXAMPLES_PER_OPERATION = 80
DATA = Path(tempfile.mkdtemp(prefix="newsdesk-schemathesis-"))
CONFIG = Settings(
    data_dir=DATA / "var",
    models_dir=DATA / "models",
    require_client_key=True,
    secret_key="schemathesis",
    engine_preference="apertium",
    rate_limit_rpm=0,
    rate_limit_chars_per_day=0,
)
APP = create_app(CONFIG, None if HAVE_APERTIUM else fake_registry())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
_KEY: list[str] = []


def _admin_key() -> str:
    """An admin key and three stored articles, made once, before the first request."""
    if not _KEY:
        store = ReviewStore.open(CONFIG)
        store.add_user("fuzz", "admin", "fuzz password")
        _KEY.append(store.create_key("admin", user="fuzz")[0])
        store.close()
        runtime = Runtime.open(CONFIG, fake_registry())
        for number in range(3):
            runtime.pipeline.process(
                ArticleRequest(
                    id=f"fuzz-{number}",
                    title=f"Council meets for time {number}",
                    body="<p>The council met on Monday. It approved the budget.</p>",
                    source_lang="en",
                )
            )
        runtime.close()
    return _KEY[0]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"X-API-Key": _admin_key()}, checks=[schemathesis.checks.not_a_server_error]
    )
