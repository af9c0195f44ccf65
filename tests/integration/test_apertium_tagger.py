"""The tagger stage's reading of the HMM model: which missing classes change the tagger."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.engines.apertium_tagger import change_test, read_model
from tests.helpers.apertium_marks import needs_apertium

pytestmark = [needs_apertium, pytest.mark.apertium]
MODELS = Path("/usr/share/apertium/apertium-eng-spa")
EN_OPEN_CLASS = (
    "ADV,ADJ,CNJADV,NOMSG,NOMPL,INTERJ,ANTROPONIM,TOPONIM,NPALTRES,VLEXPP,PAST,INF,PRES,GER,VLEX"
)


def warning(tags: str) -> bytes:
    return b"Error: A new ambiguity class was found. \nNew ambiguity class: {%s}\n" % tags.encode()


@pytest.mark.parametrize("pair", ["eng-spa", "spa-eng"])
def test_the_open_class_is_one_of_the_model_classes_and_the_largest(pair: str) -> None:
    open_class, classes, names = read_model(str(MODELS / f"{pair}.prob"))
    assert open_class in classes
    assert max(len(c) for c in classes if c != open_class) < len(open_class)
    assert names[3] == "TAG_CM"


def test_a_class_held_by_a_smaller_model_class_changes_the_tagger() -> None:
    changes = change_test(str(MODELS / "eng-spa.prob"))
    assert changes(warning("PAST,INF,PRES"))  # "SPAN"
    assert changes(b"Word 'x'.\n" + warning("TAG_CM") + warning("PAST,INF,PRES"))


def test_a_class_no_smaller_model_class_holds_changes_nothing() -> None:
    changes = change_test(str(MODELS / "eng-spa.prob"))
    assert not changes(warning("TAG_CM," + EN_OPEN_CLASS))
    assert not changes(b"Warning: There is not coarse tag for the fine tag 'x<y>' of 'x<y>'\n")


def test_what_the_stage_cannot_read_counts_as_a_change(tmp_path: Path) -> None:
    changes = change_test(str(MODELS / "eng-spa.prob"))
    assert changes(warning("PAST,NO_SUCH_TAG"))
    broken = tmp_path / "broken.prob"
    broken.write_bytes(b"\x0f\x12")
    assert change_test(str(broken))(warning("TAG_CM," + EN_OPEN_CLASS))
    assert not change_test(str(broken))(b"")
