"""Generated archive inputs for tests and benchmarks: a WordPress WXR export and JSONL articles.

Both are deterministic. `make_wxr` follows what WordPress 6 writes (`export_wp()`): channel
header, authors, terms, CDATA everywhere, and `]]>` inside content split across two CDATA
sections the way `wxr_cdata()` does it.
"""

from __future__ import annotations

import json
import random
from operator import itemgetter
from pathlib import Path

WXR_FIRST_POST_ID = 101
WXR_PAGE_ID = "9001"
WXR_ATTACHMENT_ID = "9002"
# 1-based index of each special item among all <item>s (positions in ReadError / ArchiveArticle).
WXR_BROKEN_ITEM_AFTER_POST = 25  # the malformed item comes right after this post


def wxr_post_id(i: int) -> str:
    """Post id of the i-th post (1-based)."""
    return str(WXR_FIRST_POST_ID + i - 1)


def wxr_post_lang(i: int) -> str:
    """Polylang language of the i-th post: every third post is Spanish."""
    return "es" if i % 3 == 0 else "en"


def wxr_post_position(i: int) -> int:
    """Index among all <item>s of the i-th post (the page and attachment come first)."""
    return 2 + i + (1 if i > WXR_BROKEN_ITEM_AFTER_POST else 0)


WXR_BROKEN_POSITION = 2 + WXR_BROKEN_ITEM_AFTER_POST + 1

_TOPICS_EN = ["harbour", "council", "budget", "festival", "school", "river", "market", "library"]
_TOPICS_ES = ["puerto", "consejo", "presupuesto", "festival", "escuela", "río", "mercado"]


def wxr_post_body(i: int) -> str:
    """HTML body of the i-th post, exactly as it appears in content:encoded."""
    if wxr_post_lang(i) == "es":
        topic = _TOPICS_ES[i % len(_TOPICS_ES)]
        return (
            "<!-- wp:paragraph -->\n"
            f"<p>El <strong>{topic}</strong> de la ciudad abrió el lunes, según "
            f'<a href="https://ayuntamiento.example/{i}">el ayuntamiento</a>.</p>\n'
            "<!-- /wp:paragraph -->\n\n"
            f"<p>Los vecinos dijeron que <em>«era hora»</em> y pidieron más horarios ({i} %).</p>\n"
            "<ul>\n<li>Entrada gratuita</li>\n<li>Abierto hasta las 20:00</li>\n</ul>\n"
            '<figure class="wp-block-image"><img src="https://news.example/wp-content/'
            f'uploads/{i}.jpg" alt="" /><figcaption>Vista del {topic} al atardecer.'
            "</figcaption></figure>\n"
            "<p>La próxima reunión será el jueves.</p>"
        )
    topic = _TOPICS_EN[i % len(_TOPICS_EN)]
    body = (
        "<!-- wp:paragraph -->\n"
        f"<p>The city <strong>{topic}</strong> reopened on Monday, "
        f'<a href="https://council.example/{i}">the council said</a>.</p>\n'
        "<!-- /wp:paragraph -->\n\n"
        f"<p>Residents called it <em>&ldquo;long overdue&rdquo;</em> &amp; asked for "
        f"longer hours ({i}%).</p>\n"
        "<ul>\n<li>Free entry</li>\n<li>Open until 8 p.m.</li>\n</ul>\n"
        '<figure class="wp-block-image"><img src="https://news.example/wp-content/'
        f'uploads/{i}.jpg" alt="" /><figcaption>The {topic} at dusk.</figcaption></figure>\n'
        "<p>The next meeting is on Thursday.</p>"
    )
    if i == 7:
        # Content that itself contains the CDATA terminator (a code sample in a post).
        body += "\n<pre><code>if (a[b[0]]>1) { x = y[z[1]]; }</code></pre>"
    return body


def wxr_post_title(i: int) -> str:
    if wxr_post_lang(i) == "es":
        return f"El {_TOPICS_ES[i % len(_TOPICS_ES)]} reabre & crece ({i})"
    return f"The {_TOPICS_EN[i % len(_TOPICS_EN)]} reopens & grows ({i})"


def wxr_post_excerpt(i: int) -> str:
    return f"Resumen {i}." if wxr_post_lang(i) == "es" else f"Summary {i}."


def wxr_post_date(i: int) -> str:
    """wp:post_date of the i-th post (WordPress's own format)."""
    return f"2019-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:15:00"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _postmeta(key: str, value: str) -> str:
    return (
        "\t\t<wp:postmeta>\n"
        f"\t\t\t<wp:meta_key>{_cdata(key)}</wp:meta_key>\n"
        f"\t\t\t<wp:meta_value>{_cdata(value)}</wp:meta_value>\n"
        "\t\t</wp:postmeta>\n"
    )


def _item(
    *,
    post_id: str | None,
    title: str,
    body: str,
    excerpt: str = "",
    post_type: str = "post",
    status: str = "publish",
    post_date: str = "2019-01-01 09:00:00",
    lang: str | None = None,
    extra: str = "",
) -> str:
    slug = "-".join(title.lower().split()[:4]).replace("&", "and") or "untitled"
    link = f"https://news.example/{lang or 'en'}/{slug}/"
    parts = [
        "\t<item>\n",
        f"\t\t<title>{_esc(title)}</title>\n" if title else "\t\t<title></title>\n",
        f"\t\t<link>{link}</link>\n",
        "\t\t<pubDate>Tue, 01 Jan 2019 09:00:00 +0000</pubDate>\n",
        f"\t\t<dc:creator>{_cdata('editor')}</dc:creator>\n",
        f'\t\t<guid isPermaLink="false">https://news.example/?p={post_id or 0}</guid>\n',
        "\t\t<description></description>\n",
        f"\t\t<content:encoded>{_cdata(body)}</content:encoded>\n",
        f"\t\t<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>\n",
    ]
    if post_id is not None:
        parts.append(f"\t\t<wp:post_id>{post_id}</wp:post_id>\n")
    parts += [
        f"\t\t<wp:post_date>{_cdata(post_date)}</wp:post_date>\n",
        f"\t\t<wp:post_date_gmt>{_cdata(post_date)}</wp:post_date_gmt>\n",
        f"\t\t<wp:post_modified>{_cdata(post_date)}</wp:post_modified>\n",
        f"\t\t<wp:comment_status>{_cdata('closed')}</wp:comment_status>\n",
        f"\t\t<wp:ping_status>{_cdata('closed')}</wp:ping_status>\n",
        f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>\n",
        f"\t\t<wp:status>{_cdata(status)}</wp:status>\n",
        "\t\t<wp:post_parent>0</wp:post_parent>\n",
        "\t\t<wp:menu_order>0</wp:menu_order>\n",
        f"\t\t<wp:post_type>{_cdata(post_type)}</wp:post_type>\n",
        f"\t\t<wp:post_password>{_cdata('')}</wp:post_password>\n",
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n",
        extra,
    ]
    if lang is not None:
        name = "Español" if lang == "es" else "English"
        parts.append(
            f'\t\t<category domain="language" nicename="{lang}">{_cdata(name)}</category>\n'
        )
        parts.append(
            f'\t\t<category domain="post_translations" nicename="pll_{post_id}">'
            f"{_cdata(f'pll_{post_id}')}</category>\n"
        )
    parts.append(f'\t\t<category domain="category" nicename="local">{_cdata("Local")}</category>\n')
    parts.append(_postmeta("_edit_last", "1"))
    parts.append("\t</item>\n")
    return "".join(parts)


_HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.4.2" created="2024-01-15 10:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>News Example</title>
	<link>https://news.example</link>
	<description>Local news in English and Spanish</description>
	<pubDate>Mon, 15 Jan 2024 10:00:00 +0000</pubDate>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://news.example</wp:base_site_url>
	<wp:base_blog_url>https://news.example</wp:base_blog_url>

	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[editor]]></wp:author_login><wp:author_email><![CDATA[editor@news.example]]></wp:author_email><wp:author_display_name><![CDATA[Editor]]></wp:author_display_name><wp:author_first_name><![CDATA[Ed]]></wp:author_first_name><wp:author_last_name><![CDATA[Itor]]></wp:author_last_name></wp:author>
	<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[reportera]]></wp:author_login><wp:author_email><![CDATA[reportera@news.example]]></wp:author_email><wp:author_display_name><![CDATA[Reportera]]></wp:author_display_name><wp:author_first_name><![CDATA[Ana]]></wp:author_first_name><wp:author_last_name><![CDATA[Ruiz]]></wp:author_last_name></wp:author>

	<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[local]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Local]]></wp:cat_name></wp:category>
	<wp:term><wp:term_id>10</wp:term_id><wp:term_taxonomy><![CDATA[language]]></wp:term_taxonomy><wp:term_slug><![CDATA[en]]></wp:term_slug><wp:term_parent><![CDATA[]]></wp:term_parent><wp:term_name><![CDATA[English]]></wp:term_name><wp:term_description><![CDATA[a:3:{s:6:"locale";s:5:"en_US";s:3:"rtl";i:0;s:9:"flag_code";s:2:"us";}]]></wp:term_description></wp:term>
	<wp:term><wp:term_id>11</wp:term_id><wp:term_taxonomy><![CDATA[language]]></wp:term_taxonomy><wp:term_slug><![CDATA[es]]></wp:term_slug><wp:term_parent><![CDATA[]]></wp:term_parent><wp:term_name><![CDATA[Español]]></wp:term_name><wp:term_description><![CDATA[a:3:{s:6:"locale";s:5:"es_ES";s:3:"rtl";i:0;s:9:"flag_code";s:2:"es";}]]></wp:term_description></wp:term>

	<generator>https://wordpress.org/?v=6.4.2</generator>

"""

_FOOTER = "</channel>\n</rss>\n"


def make_wxr(path: Path, posts: int = 50) -> None:
    """Write a WXR export: a page, an attachment, `posts` posts, and one malformed item.

    Item order: page (position 1), attachment (2), posts 1..N (see `wxr_post_position`), with
    the malformed item (no wp:post_id, no title, empty content) after post
    `WXR_BROKEN_ITEM_AFTER_POST` when there are that many posts, else at the end.
    """
    with Path(path).open("w", encoding="utf-8", newline="\n") as f:
        f.write(_HEADER)
        f.write(
            _item(
                post_id=WXR_PAGE_ID,
                title="About us",
                body="<p>We are a bilingual newsroom.</p>",
                post_type="page",
                lang="en",
            )
        )
        f.write(
            _item(
                post_id=WXR_ATTACHMENT_ID,
                title="Harbour at dusk",
                body="",
                excerpt="The harbour at dusk.",
                post_type="attachment",
                status="inherit",
                extra=(
                    "\t\t<wp:attachment_url>https://news.example/wp-content/uploads/1.jpg"
                    "</wp:attachment_url>\n" + _postmeta("_wp_attached_file", "1.jpg")
                ),
            )
        )
        broken = _item(post_id=None, title="", body="", status="draft")
        for i in range(1, posts + 1):
            f.write(
                _item(
                    post_id=wxr_post_id(i),
                    title=wxr_post_title(i),
                    body=wxr_post_body(i),
                    excerpt=wxr_post_excerpt(i),
                    post_date=wxr_post_date(i),
                    status="draft" if i % 10 == 0 else "publish",
                    lang=wxr_post_lang(i),
                )
            )
            if i == WXR_BROKEN_ITEM_AFTER_POST:
                f.write(broken)
        if posts < WXR_BROKEN_ITEM_AFTER_POST:
            f.write(broken)
        f.write(_FOOTER)


# ------------------------------------------------------------------------------------- JSONL

_WORDS_EN = (
    "the city council said on Monday that a new plan for the harbour would cost more "
    "than expected and residents asked for public meetings before any vote while the mayor "
    "promised clear answers about schools roads water prices jobs and the local market which "
    "has grown every year since the bridge opened near the old station"
).split()
_WORDS_ES = (
    "el ayuntamiento de la ciudad dijo el lunes que un nuevo plan para el puerto costará "
    "más de lo previsto y los vecinos pidieron reuniones públicas antes de cualquier votación "
    "mientras la alcaldesa prometió respuestas claras sobre escuelas calles agua precios "
    "empleo y el mercado local que ha crecido cada año desde que se abrió el puente"
).split()


def _vocab(words: list[str]) -> tuple[str, ...]:
    # 256 entries so that one random byte picks one word (the repeats skew nothing that matters).
    return tuple((words * (256 // len(words) + 1))[:256])


_VOCAB = {"en": _vocab(_WORDS_EN), "es": _vocab(_WORDS_ES)}


def _sentence(rng: random.Random, vocab: tuple[str, ...]) -> str:
    # randbytes + itemgetter instead of rng.choices: 50,000 articles in about a second.
    picks = rng.randbytes(15)
    words = itemgetter(*picks[1 : 7 + picks[0] % 9])(vocab)
    return " ".join(words).capitalize() + "."


def make_jsonl(path: Path, n: int, *, seed: int = 0) -> None:
    """Write `n` synthetic articles, one JSON object a line; article i is Spanish when i is odd.

    Ids are `a000000`, `a000001`, ... Bodies are 3-6 `<p>` paragraphs of random sentences, so
    sentences rarely repeat (benchmarks would otherwise measure the cache).
    """
    rng = random.Random(seed)
    with Path(path).open("w", encoding="utf-8", newline="\n") as f:
        for i in range(n):
            lang = "es" if i % 2 else "en"
            vocab = _VOCAB[lang]
            shape = rng.randbytes(7)
            paragraphs = []
            for p in range(3 + shape[0] % 4):
                text = " ".join(_sentence(rng, vocab) for _ in range(1 + shape[1 + p] % 3))
                if p == 1:
                    text = f"<em>{text}</em>"
                paragraphs.append(f"<p>{text}</p>")
            article = {
                "id": f"a{i:06d}",
                "title": _sentence(rng, vocab)[:-1],
                "body": "\n".join(paragraphs),
                "format": "html",
                "source_lang": "auto",
                "date": f"{2010 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "url": f"https://news.example/{lang}/a{i:06d}",
            }
            f.write(json.dumps(article, ensure_ascii=False))
            f.write("\n")
