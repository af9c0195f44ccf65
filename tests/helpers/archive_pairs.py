"""Invented bilingual article pairs (the outlet's archive, as `newsdesk tm align` reads it):
JSONL lines and WordPress exports whose posts Polylang or WPML link as translations."""

from __future__ import annotations

import json
from pathlib import Path

# Two stories, each in English and Spanish, sentence for sentence; written for these tests.
STORIES: list[tuple[dict[str, str], dict[str, str]]] = [
    (
        {
            "title": "The old bridge over the river will close in March",
            "lede": "The city council approved the repairs on Tuesday.",
            "body": "<p>The bridge was built more than a century ago. Engineers found cracks "
            "in two of its columns last year.</p><p>The work will cost four million euros. "
            "Buses will use the northern road while the bridge is closed. The mayor said "
            "that the bridge will open again in the autumn.</p>",
        },
        {
            "title": "El viejo puente sobre el río cerrará en marzo",
            "lede": "El ayuntamiento aprobó las reparaciones el martes.",
            "body": "<p>El puente fue construido hace más de un siglo. Los ingenieros "
            "encontraron grietas en dos de sus columnas el año pasado.</p><p>Las obras "
            "costarán cuatro millones de euros. Los autobuses usarán la carretera del norte "
            "mientras el puente esté cerrado. El alcalde dijo que el puente abrirá de nuevo "
            "en otoño.</p>",
        },
    ),
    (
        {
            "title": "The public library opens a new reading room",
            "body": "The new room has space for eighty readers. It will be open every day "
            "of the week. Children can borrow books without a card until the summer.",
        },
        {
            "title": "La biblioteca pública abre una nueva sala de lectura",
            "body": "La nueva sala tiene espacio para ochenta lectores. Estará abierta todos "
            "los días de la semana. Los niños pueden tomar libros prestados sin tarjeta "
            "hasta el verano.",
        },
    ),
]
# A sentence of the first story and its published translation.
BRIDGE_EN = "Engineers found cracks in two of its columns last year."
BRIDGE_ES = "Los ingenieros encontraron grietas en dos de sus columnas el año pasado."


def write_pairs_jsonl(path: Path, extra_lines: list[str] | None = None) -> Path:
    lines = [
        json.dumps({"id": f"story-{n}", "en": en, "es": es}, ensure_ascii=False)
        for n, (en, es) in enumerate(STORIES, start=1)
    ]
    path.write_text("\n".join(lines + (extra_lines or [])) + "\n", encoding="utf-8")
    return path


def _item(post_id: int, title: str, body: str, lang: str, link: str) -> str:
    return f"""<item>
<title>{title}</title>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_type><![CDATA[post]]></wp:post_type>
<wp:status><![CDATA[publish]]></wp:status>
{link.format(lang=lang)}
</item>"""


def write_linked_wxr(path: Path, plugin: str) -> Path:
    """A WXR export of STORIES as linked posts (`plugin`: polylang or wpml), plus one English
    post that nothing links to."""
    if plugin == "polylang":
        links = [
            '<category domain="language" nicename="{lang}"><![CDATA[{lang}]]></category>'
            f'<category domain="post_translations" nicename="pll_{n}"><![CDATA[pll_{n}]]>'
            "</category>"
            for n in range(len(STORIES))
        ]
    else:
        links = [
            "<wp:postmeta><wp:meta_key>_wpml_import_language_code</wp:meta_key>"
            "<wp:meta_value><![CDATA[{lang}]]></wp:meta_value></wp:postmeta>"
            "<wp:postmeta><wp:meta_key>_wpml_import_source_language_code</wp:meta_key>"
            "<wp:meta_value><![CDATA[en]]></wp:meta_value></wp:postmeta>"
            "<wp:postmeta><wp:meta_key>_wpml_import_translation_group</wp:meta_key>"
            f"<wp:meta_value><![CDATA[{70 + n}]]></wp:meta_value></wp:postmeta>"
            for n in range(len(STORIES))
        ]
    items = []
    for n, (en, es) in enumerate(STORIES):
        items.append(_item(10 + n, en["title"], en["body"], "en", links[n]))
        items.append(_item(20 + n, es["title"], es["body"], "es", links[n]))
    items.append(_item(99, "Alone", "<p>Nobody translated this post.</p>", "en", ""))
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n'
        + "\n".join(items)
        + "\n</channel></rss>\n",
        encoding="utf-8",
    )
    return path
