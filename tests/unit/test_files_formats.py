"""Each file format's reader and writer with a fake translation (upper case): what is text
changes, what is structure does not; unreadable files say so. (Real translations with Apertium,
through the server: tests/integration/test_libretranslate_client.py.)"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from service.pipeline.files.base import UnreadableFile
from service.pipeline.files.docx import translate_docx
from service.pipeline.files.markdown import translate_markdown
from service.pipeline.files.opendocument import translate_odp, translate_odt
from service.pipeline.files.plain import translate_html, translate_txt
from service.pipeline.files.pptx import translate_pptx
from service.pipeline.files.srt import translate_srt
from tests.helpers.office_documents import (
    FIRST_HEADER,
    FOOTER,
    FOOTNOTE,
    HEADER,
    LINK,
    build_docx,
    build_docx_with_stories,
    build_odp,
    build_odt,
    build_odt_with_stories,
    build_pptx,
    docx_story_members,
    docx_story_runs,
    docx_styled_runs,
    docx_text,
    odp_footers,
    odt_styled_spans,
    odt_text,
    pptx_styled_runs,
    pptx_text,
    skeleton,
)


def _upper(texts: list[str], fmt: str) -> list[str]:
    if fmt == "text":
        return [text.upper() for text in texts]
    return [re.sub(r"(^|>)([^<]*)", lambda m: m.group(1) + m.group(2).upper(), t) for t in texts]


def test_docx_text_changes_and_its_xml_does_not() -> None:
    source = build_docx()
    translated = translate_docx(source, _upper)
    assert skeleton(translated, "word/document.xml") == skeleton(source, "word/document.xml")
    assert docx_text(translated) == [text.upper() for text in docx_text(source)]
    assert docx_styled_runs(translated) == [
        ("bold", "THE NEW PARK"),
        ("italic", "NEXT WEEK"),
        ("link " + LINK, "FULL REPORT"),
    ]


def test_docx_headers_footers_and_footnotes_are_translated_with_their_runs() -> None:
    source = build_docx_with_stories()
    translated = translate_docx(source, _upper)
    members = docx_story_members(source)
    assert members == [
        "word/footer1.xml",
        "word/footnotes.xml",
        "word/header1.xml",
        "word/header2.xml",
    ]
    assert docx_story_members(translated) == members
    for member in [*members, "word/document.xml"]:
        assert skeleton(translated, member) == skeleton(source, member), member
    runs = {member: docx_story_runs(translated, member) for member in members}
    assert runs == {
        "word/footer1.xml": [("plain", "PRINTED "), ("bold", "IN THE CITY")],
        "word/footnotes.xml": [
            ("plain", " THE REPORT WAS "),
            ("italic", "PUBLISHED"),
            ("plain", " ON MONDAY."),
        ],
        "word/header1.xml": [("plain", HEADER.upper())],
        "word/header2.xml": [("plain", FIRST_HEADER.upper())],
    }
    assert "".join(text for _, text in runs["word/footer1.xml"]) == FOOTER.upper()


def test_a_docx_whose_notes_are_not_xml_is_unreadable() -> None:
    source = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(build_docx_with_stories())) as original,
        zipfile.ZipFile(source, "w") as broken,
    ):
        for item in original.infolist():
            data = original.read(item)
            broken.writestr(
                item, b"<w:footnotes" if item.filename.endswith("footnotes.xml") else data
            )
    with pytest.raises(UnreadableFile):
        translate_docx(source.getvalue(), _upper)


def test_odt_text_changes_and_its_xml_does_not() -> None:
    source = build_odt()
    translated = translate_odt(source, _upper)
    assert skeleton(translated, "content.xml") == skeleton(source, "content.xml")
    assert odt_text(translated) == [text.upper() for text in odt_text(source)]
    assert odt_styled_spans(translated) == [
        ("Bold", "THE NEW PARK"),
        ("Italic", "NEXT WEEK"),
        ("link " + LINK, "FULL REPORT"),
    ]


def test_odt_headers_footers_and_notes_are_translated_with_their_spans() -> None:
    source = build_odt_with_stories()
    translated = translate_odt(source, _upper)
    for member in ("content.xml", "styles.xml"):
        assert skeleton(translated, member) == skeleton(source, member), member
    assert odt_text(translated, "styles.xml") == [
        HEADER.upper(),
        FIRST_HEADER.upper(),
        FOOTER.upper(),
    ]
    assert odt_styled_spans(translated, "styles.xml") == [("HeaderBold", "NEWS")]
    note = FOOTNOTE.strip().upper()
    paragraphs = odt_text(translated)
    assert paragraphs[1].endswith("READ THE FULL REPORT.1" + note)  # the citation stays "1"
    assert paragraphs[2] == note


def test_odp_slides_tables_groups_and_notes_change_text_and_keep_their_xml() -> None:
    source = build_odp()
    translated = translate_odp(source, _upper)
    for member in ("content.xml", "styles.xml"):
        assert skeleton(translated, member) == skeleton(source, member), member
    assert odt_text(translated) == [text.upper() for text in odt_text(source)]
    assert odt_text(source)[-1] == "Speak slowly."  # the notes
    assert odt_styled_spans(translated) == [("Bold", "THE NEW PARK"), ("Italic", "NEXT WEEK")]
    assert odp_footers(translated) == [FOOTER.upper()]


def test_pptx_slides_tables_groups_and_notes_change_text_and_keep_their_xml() -> None:
    source = build_pptx()
    translated = translate_pptx(source, _upper)
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        members = [name for name in archive.namelist() if name.endswith((".xml", ".rels"))]
    for member in members:  # slides, notes, layouts, masters: none changes but for its texts
        assert skeleton(translated, member) == skeleton(source, member), member
    assert pptx_text(translated) == [text.upper() for text in pptx_text(source)]
    assert pptx_text(source)[-1] == "Speak slowly."  # the notes
    assert pptx_styled_runs(translated) == [("bold", "THE NEW PARK"), ("italic", "NEXT WEEK")]


def test_srt_keeps_numbers_and_timings_and_joins_a_cues_lines() -> None:
    source = "\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\nTwo\r\nlines\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n\r\n"
    assert translate_srt(source.encode(), _upper).decode() == (
        "1\n00:00:01,000 --> 00:00:02,000\nTWO LINES\n\n2\n00:00:03,000 --> 00:00:04,000\n"
    )
    with pytest.raises(UnreadableFile):
        translate_srt(b"1\nno timing here\n", _upper)


def test_markdown_keeps_markers_emphasis_links_and_code() -> None:
    source = (
        "## A title\n\n> quoted *words*\n1. first `code` item\n- see [the page](https://x.org/a_b)\n"
        "\n```\nleft alone\n```\nlast **bold** line  \n"
    )
    assert translate_markdown(source.encode(), _upper).decode() == (
        "## A TITLE\n\n> QUOTED *WORDS*\n1. FIRST `CODE` ITEM\n- SEE [THE PAGE](https://x.org/a_b)\n"
        "\n```\nleft alone\n```\nLAST **BOLD** LINE  \n"
    )


def test_text_and_html_files_go_whole() -> None:
    assert translate_txt("\ufeffOne.\n\nTwo.".encode(), _upper) == b"ONE.\n\nTWO."
    assert translate_html(b"<p>Hi <b>you</b></p>", _upper) == b"<p>HI <b>YOU</b></p>"
    with pytest.raises(UnreadableFile):
        translate_txt(b"\xff\xfe\xfa", _upper)


@pytest.mark.parametrize("reader", [translate_docx, translate_odt, translate_odp, translate_pptx])
def test_office_files_that_are_not_office_files_are_unreadable(reader: object) -> None:
    with pytest.raises(UnreadableFile):
        reader(b"PK not really a zip", _upper)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("reader", "other"),
    [
        (translate_odp, build_odt),
        (translate_odt, build_odp),
        (translate_pptx, build_docx),
        (translate_docx, build_pptx),
        (translate_pptx, build_odp),
    ],
)
def test_an_office_file_of_another_kind_is_unreadable(reader: object, other: object) -> None:
    with pytest.raises(UnreadableFile):
        reader(other(), _upper)  # type: ignore[operator]
