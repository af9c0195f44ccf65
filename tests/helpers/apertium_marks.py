"""Skip marker for tests that need the apertium-eng-spa package, and the service on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings

HAVE_APERTIUM = Path("/usr/share/apertium/modes/eng-spa.mode").exists()

needs_apertium = pytest.mark.skipif(
    not HAVE_APERTIUM and os.environ.get("CI") != "true",
    reason="apertium-eng-spa is not installed (make setup installs it)",
)


def apertium_client(data_dir: Path) -> Iterator[TestClient]:
    """The whole service, Apertium its engine and no client key, with its data in `data_dir`."""
    settings = Settings(data_dir=data_dir, engine_preference="apertium", require_client_key=False)
    with TestClient(create_app(settings)) as client:
        yield client
