"""Archive readers: JSONL and WordPress WXR, streamed, malformed items reported and skipped."""

from __future__ import annotations

import gzip
import json
import re
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.batch.readers import (
    ArchiveArticle,
    ReadError,
    count_items,
    read_archive,
)
from tests.helpers.fixtures_wxr import (
    WXR_ATTACHMENT_ID,
    WXR_BROKEN_POSITION,
    WXR_PAGE_ID,
    make_jsonl,
    make_wxr,
    wxr_post_body,
    wxr_post_date,
    wxr_post_excerpt,
    wxr_post_id,
    wxr_post_lang,
    wxr_post_position,
    wxr_post_title,
)


def _split(
    results: list[ArchiveArticle | ReadError],
) -> tuple[list[ArchiveArticle], list[ReadError]]:
    articles = [r for r in results if isinstance(r, ArchiveArticle)]
    errors = [r for r in results if isinstance(r, ReadError)]
    assert len(articles) + len(errors) == len(results)
    return articles, errors


# ----------------------------------------------------------------------------------------- WXR


@pytest.fixture(scope="module")
def wxr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wxr") / "export.xml"
    make_wxr(path, posts=50)
    return path


def test_wxr_reads_50_posts_and_reports_the_malformed_item(wxr: Path) -> None:
    articles, errors = _split(list(read_archive(wxr)))
    assert len(articles) == 50
    assert errors == [ReadError(WXR_BROKEN_POSITION, "missing wp:post_id")]
    assert [a.id for a in articles] == [wxr_post_id(i) for i in range(1, 51)]
    assert [a.position for a in articles] == [wxr_post_position(i) for i in range(1, 51)]


def test_wxr_fields(wxr: Path) -> None:
    articles, _ = _split(list(read_archive(wxr)))
    for i, article in enumerate(articles, start=1):
        assert article.title == wxr_post_title(i)  # `&amp;` in the XML comes back as `&`
        assert article.body == wxr_post_body(i)  # CDATA content, byte for byte
        assert article.format == "html"
        assert article.source_lang == wxr_post_lang(i)
        assert article.excerpt == wxr_post_excerpt(i)
        assert article.date == wxr_post_date(i).replace(" ", "T")
        assert article.url is not None and article.url.startswith(
            f"https://news.example/{wxr_post_lang(i)}/"
        )
    assert {a.source_lang for a in articles} == {"en", "es"}


def test_wxr_html_body_is_intact(wxr: Path) -> None:
    by_id = {a.id: a for a in read_archive(wxr) if isinstance(a, ArchiveArticle)}
    body = by_id[wxr_post_id(7)].body
    for fragment in (
        "<!-- wp:paragraph -->",
        '<a href="https://council.example/7">the council said</a>',
        "<em>&ldquo;long overdue&rdquo;</em> &amp; asked",
        "<ul>\n<li>Free entry</li>",
        "<figcaption>The library at dusk.</figcaption></figure>",
        # `]]>` in the content, which the exporter splits across two CDATA sections
        "<code>if (a[b[0]]>1) { x = y[z[1]]; }</code>",
    ):
        assert fragment in body
    assert "<em>«era hora»</em>" in by_id[wxr_post_id(3)].body


def test_wxr_pages_and_attachments_only_when_asked(wxr: Path) -> None:
    def ids(**kw: bool) -> set[str]:
        return {r.id for r in read_archive(wxr, **kw) if isinstance(r, ArchiveArticle)}

    posts = {wxr_post_id(i) for i in range(1, 51)}
    assert ids() == posts
    assert ids(include_pages=True) == posts | {WXR_PAGE_ID}
    assert ids(include_attachments=True) == posts | {WXR_ATTACHMENT_ID}
    both = list(read_archive(wxr, include_pages=True, include_attachments=True))
    articles, errors = _split(both)
    assert len(articles) == 52 and len(errors) == 1
    page, attachment = articles[0], articles[1]
    assert (page.id, page.position, page.title, page.source_lang) == (
        WXR_PAGE_ID,
        1,
        "About us",
        "en",
    )
    assert (attachment.id, attachment.position, attachment.excerpt) == (
        WXR_ATTACHMENT_ID,
        2,
        "The harbour at dusk.",
    )
    assert attachment.source_lang == "auto"


def test_wxr_count_items(wxr: Path) -> None:
    assert count_items(wxr) == 53  # 50 posts, a page, an attachment, the malformed item


def _wxr(items: str, *, wp: str = "1.2") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        f' xmlns:excerpt="http://wordpress.org/export/{wp}/excerpt/"'
        f' xmlns:wp="http://wordpress.org/export/{wp}/">\n<channel>\n<title>t</title>\n'
        f"{items}</channel>\n</rss>\n"
    )


def _item(post_id: str | None, title: str = "T", body: str = "<p>b</p>", extra: str = "") -> str:
    pid = f"<wp:post_id>{post_id}</wp:post_id>" if post_id is not None else ""
    return (
        f"<item><title>{title}</title>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>{pid}{extra}</item>\n"
    )


def _xml_error(line: int, where: str = ": item skipped") -> re.Pattern[str]:
    # The column is libxml2's (where it noticed the error), so it is checked elsewhere.
    return re.compile(rf"malformed XML at line {line}, column \d+{re.escape(where)}")


def _matches(
    results: list[tuple[int, str]], expected: list[tuple[int, str | re.Pattern[str]]]
) -> None:
    assert len(results) == len(expected), results
    for (pos, got), (want_pos, want) in zip(results, expected, strict=True):
        assert pos == want_pos, results
        if isinstance(want, str):
            assert got == want, results
        else:
            assert want.fullmatch(got), results


def _read(tmp_path: Path, text: str, name: str = "in.xml") -> list[tuple[int, str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [
        (r.position, r.id) if isinstance(r, ArchiveArticle) else (r.position, r.message)
        for r in read_archive(path)
    ]


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_wxr_older_export_versions(tmp_path: Path, version: str) -> None:
    text = _wxr(_item("5", extra="<wp:post_type>post</wp:post_type>"), wp=version)
    assert _read(tmp_path, text) == [(1, "5")]


def test_wxr_semantic_errors_are_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    items = (
        _item("1")
        + _item(None)
        + _item("3", title="", body="  ")
        + _item("4", title="", body="<p>only a body</p>")
        + _item("5", extra="<wp:status>trash</wp:status>")
        + _item("6", extra="<wp:post_type>nav_menu_item</wp:post_type>")
        + _item("7")
    )
    assert _read(tmp_path, _wxr(items)) == [
        (1, "1"),
        (2, "missing wp:post_id"),
        (3, "missing both title and content:encoded"),
        (4, "4"),
        (7, "7"),
    ]


def test_wxr_language_from_polylang_wpml_or_none(tmp_path: Path) -> None:
    def meta(key: str, value: str) -> str:
        return (
            f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
            f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        )

    items = (
        _item("1", extra='<category domain="language" nicename="es"><![CDATA[Español]]></category>')
        + _item(
            "2", extra='<category domain="language" nicename="en"><![CDATA[English]]></category>'
        )
        + _item("3", extra=meta("_wpml_language", "es_ES"))
        + _item("4", extra=meta("wpml_language", "en-US"))
        + _item("5", extra='<category domain="translation_priority" nicename="es">x</category>')
        + _item("6", extra='<category domain="language" nicename="fr">Français</category>')
        + _item("7", extra=meta("_edit_last", "es"))
        + _item("8")
    )
    path = tmp_path / "lang.xml"
    path.write_text(_wxr(items), encoding="utf-8")
    langs = [r.source_lang for r in read_archive(path) if isinstance(r, ArchiveArticle)]
    assert langs == ["es", "en", "es", "en", "auto", "auto", "auto", "auto"]


def test_wxr_dates_fall_back_to_pubdate(tmp_path: Path) -> None:
    items = (
        _item("1", extra="<wp:post_date><![CDATA[2020-02-03 04:05:06]]></wp:post_date>")
        + _item(
            "2",
            extra="<pubDate>Tue, 04 Feb 2020 10:00:00 +0000</pubDate>"
            "<wp:post_date><![CDATA[0000-00-00 00:00:00]]></wp:post_date>",
        )
        + _item("3", extra="<pubDate>Mon, 30 Nov -0001 00:00:00 +0000</pubDate>")
        + _item("4")
    )
    path = tmp_path / "dates.xml"
    path.write_text(_wxr(items), encoding="utf-8")
    dates = [r.date for r in read_archive(path) if isinstance(r, ArchiveArticle)]
    assert dates == ["2020-02-03T04:05:06", "2020-02-04T10:00:00+00:00", None, None]


def test_wxr_broken_xml_item_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    # Line 5 is item 1; item 2 (line 6) has a bare `&`, item 4 (line 8) an unclosed tag.
    items = (
        _item("1") + _item("2", title="Q&A") + _item("3") + _item("4", title="a <b> c") + _item("5")
    )
    _matches(
        _read(tmp_path, _wxr(items)),
        [(1, "1"), (2, _xml_error(6)), (3, "3"), (4, _xml_error(8)), (5, "5")],
    )


def test_wxr_broken_xml_on_one_line(tmp_path: Path) -> None:
    # A minified export with multibyte text before the error: columns count characters.
    items = _item("1", title="ñandú") + _item("2", title="ñ & x") + _item("3")
    text = _wxr(items).replace("\n", "")
    results = _read(tmp_path, text)
    assert [r for r in results if isinstance(r[1], str) and r[1].isdigit()] == [(1, "1"), (3, "3")]
    (error,) = [r for r in results if not r[1].isdigit()]
    assert error[0] == 2 and error[1].startswith("malformed XML at line 1, column ")
    column = int(error[1].split("column ")[1].split(":")[0])
    assert "&" in text[column - 4 : column]  # libxml2 notices the `&` a character or two on


def test_wxr_truncated_file(tmp_path: Path) -> None:
    text = _wxr(_item("1") + _item("2"))
    results = _read(tmp_path, text[: text.index("<wp:post_id>2")])
    _matches(results, [(1, "1"), (2, _xml_error(6))])


def test_wxr_broken_xml_outside_items(tmp_path: Path) -> None:
    broken_header = _wxr(_item("1") + _item("2")).replace("<title>t</title>", "<title>t</titel>")
    _matches(
        _read(tmp_path, broken_header),
        [(0, _xml_error(4, ", outside any item")), (1, "1"), (2, "2")],
    )
    junk_after = _wxr(_item("1") + _item("2")) + "<extra/>"
    _matches(
        _read(tmp_path, junk_after),
        [(1, "1"), (2, "2"), (2, _xml_error(9, ", outside any item"))],
    )


def test_wxr_recoverable_xml_error_keeps_the_item(tmp_path: Path) -> None:
    # An undefined namespace prefix is only a namespace error: libxml2 parses on.
    items = _item("1") + _item("2", extra="<dc:creator>x</dc:creator>") + _item("3")
    assert _read(tmp_path, _wxr(items)) == [(1, "1"), (2, "2"), (3, "3")]


def test_wxr_no_entity_expansion(tmp_path: Path) -> None:
    text = _wxr(_item("1", title="&lol;")).replace(
        "<rss", '<!DOCTYPE rss [<!ENTITY lol "lololololol">]>\n<rss', 1
    )
    path = tmp_path / "dtd.xml"
    path.write_text(text, encoding="utf-8")
    (article,) = list(read_archive(path))
    assert isinstance(article, ArchiveArticle) and "lololol" not in article.title


# --------------------------------------------------------------------------------------- JSONL


def _line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_jsonl_articles_and_errors_with_line_numbers(tmp_path: Path) -> None:
    lines = [
        _line(id="a1", title="Hello", body="<p>World</p>"),  # 1
        "",  # 2
        _line(
            id="a2",
            title="Hola",
            body="Mundo",
            format="text",
            source_lang="es",
            date="2020-01-02",
            url="https://x.example/a2",
            excerpt=" Short. ",
        ),  # 3
        '{"id": "a3", "title": "broken',  # 4
        _line(title="no id", body="x"),  # 5
        "   ",  # 6
        _line(id=7, title="int id"),  # 7
        _line(id="a8"),  # 8
        _line(id="a9", title="x", format="markdown"),  # 9
        _line(id="a10", title="x", source_lang="fr"),  # 10
        _line(id="a11", title=["x"]),  # 11
        "[1, 2]",  # 12
        _line(id=True, title="x"),  # 13
        _line(id="a14", title="x", date=20200101),  # 14
        _line(id="", title="x"),  # 15
        _line(id="a16", title="", body="only body", date=None, url=None),  # 16
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = _split(list(read_archive(path)))

    assert articles[0] == ArchiveArticle(
        id="a1",
        title="Hello",
        body="<p>World</p>",
        format="html",
        source_lang="auto",
        date=None,
        url=None,
        excerpt=None,
        position=1,
    )
    assert articles[1] == ArchiveArticle(
        id="a2",
        title="Hola",
        body="Mundo",
        format="text",
        source_lang="es",
        date="2020-01-02",
        url="https://x.example/a2",
        excerpt="Short.",
        position=3,
    )
    assert [(a.id, a.position) for a in articles] == [("a1", 1), ("a2", 3), ("7", 7), ("a16", 16)]
    assert errors == [
        ReadError(4, "invalid JSON"),
        ReadError(5, "missing id"),
        ReadError(8, "missing both title and body"),
        ReadError(9, 'format must be "html" or "text"'),
        ReadError(10, 'source_lang must be "auto", "en" or "es"'),
        ReadError(11, "title must be a string"),
        ReadError(12, "line is not a JSON object"),
        ReadError(13, "id must be a string or an integer"),
        ReadError(14, "date must be a string"),
        ReadError(15, "missing id"),
    ]
    assert count_items(path) == 14  # non-blank lines


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "title": "\xff"}\n' + _line(id="b", title="ok").encode() + b"\n")
    assert [(r.position, getattr(r, "message", None)) for r in read_archive(path)] == [
        (1, "line is not valid UTF-8"),
        (2, None),
    ]


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(_line(id="a", title="x") + "\n\n" + "nope\n")
    assert list(read_archive(path)) == [
        ArchiveArticle("a", "x", "", "html", "auto", None, None, None, 1),
        ReadError(3, "invalid JSON"),
    ]
    assert count_items(path) is None


def test_generated_jsonl_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    make_jsonl(path, 20_000)
    size = path.stat().st_size
    assert count_items(path) == 20_000

    results = read_archive(path)
    assert isinstance(results, Iterator) and not isinstance(results, list | tuple)
    tracemalloc.start()
    try:
        count = 0
        for result in results:
            assert isinstance(result, ArchiveArticle)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    # Holding the file, its lines or the articles would take at least the file's size.
    assert peak < size / 50, (peak, size)

    langs: Counter[str] = Counter()
    ids = set()
    for result in read_archive(path):
        assert isinstance(result, ArchiveArticle) and result.url is not None
        ids.add(result.id)
        langs[result.url.split("/")[3]] += 1
    assert len(ids) == 20_000 and langs == {"en": 10_000, "es": 10_000}


def test_make_jsonl_is_deterministic(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    make_jsonl(a, 50)
    make_jsonl(b, 50)
    make_jsonl(c, 50, seed=1)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    first = json.loads(a.read_text(encoding="utf-8").splitlines()[1])
    assert first["id"] == "a000001" and 3 <= first["body"].count("<p>") <= 6


# ------------------------------------------------------------------------------------ dispatch


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "archive.csv"
    path.write_text("id,title\n", encoding="utf-8")
    expected = (
        "cannot read 'archive.csv': expected a .jsonl or .jsonl.gz file of articles "
        "or a WordPress WXR export (.xml)"
    )
    with pytest.raises(ValueError) as exc:
        read_archive(path)  # raised at the call, before iteration
    assert str(exc.value) == expected
    with pytest.raises(ValueError) as exc:
        count_items(path)
    assert str(exc.value) == expected


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "EXPORT.XML"
    path.write_text(_wxr(_item("1")), encoding="utf-8")
    assert [r.position for r in read_archive(path)] == [1]
