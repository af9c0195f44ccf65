"""SubRip subtitles (.srt): each cue's text is translated, its number and timings kept. A cue's
lines are one sentence more often than not, so they go to the engine together and come back as
one line."""

from __future__ import annotations

import re

from service.pipeline.files.base import TranslateTexts, UnreadableFile, decode_text

_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}")


def translate_srt(data: bytes, translate: TranslateTexts) -> bytes:
    text = decode_text(data)
    cues = [block.split("\n") for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())]
    heads: list[list[str]] = []  # each cue's lines up to its timing line
    texts: list[str] = []
    for lines in cues:
        timing = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing is None:
            raise UnreadableFile("a cue has no timing line")
        heads.append(lines[: timing + 1])
        texts.append(" ".join(line.strip() for line in lines[timing + 1 :] if line.strip()))
    wanted = [i for i, cue_text in enumerate(texts) if cue_text]
    translated = translate([texts[i] for i in wanted], "text") if wanted else []
    by_cue = dict(zip(wanted, translated, strict=True))
    blocks = [
        "\n".join([*head, by_cue[index]] if index in by_cue else head)
        for index, head in enumerate(heads)
    ]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
