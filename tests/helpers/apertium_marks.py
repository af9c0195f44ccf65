"""Skip marker for tests that need the apertium-eng-spa package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HAVE_APERTIUM = Path("/usr/share/apertium/modes/eng-spa.mode").exists()

needs_apertium = pytest.mark.skipif(
    not HAVE_APERTIUM and os.environ.get("CI") != "true",
    reason="apertium-eng-spa is not installed (make setup installs it)",
)
