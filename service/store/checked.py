"""Which sentences of an approved translation a person checked, and so may teach the memory.

Approval alone is not a check: an editor who fixes one paragraph and approves has not read the
machine's other sentences closely, and the memory would hand them to later articles with the
`tm` badge, as if a person had vouched for them. So the memory learns a sentence only when an
editor changed it (it is not among the machine draft's sentences) or confirmed its paragraph
(per paragraph on the review page, `"confirm"` in the approve API; `"all"` confirms the title
and the lede too).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from service.document.paragraphs import align_sentences, body_flow_texts, sentence_texts
from service.errors import NewsdeskError

ALL: Literal["all"] = "all"
Confirmed = Literal["all"] | Collection[int] | None


class ConfirmOutOfRange(NewsdeskError):
    def __init__(self, index: int, paragraphs: int) -> None:
        super().__init__(
            f"confirm: paragraph {index} is out of range (the body has {paragraphs} paragraphs, "
            "numbered from 0)"
        )


@dataclass(frozen=True)
class Texts:
    """The parts of one revision the memory learns from."""

    title: str
    lede: str | None
    body: str


def _machine_sentences(machine: Texts, fmt: str, lang: str) -> set[str]:
    flows = [machine.title, machine.lede or "", *body_flow_texts(machine.body, fmt)]
    return {sentence for flow in flows for sentence in sentence_texts(flow, lang)}


def checked_pairs(
    source: Texts,
    approved: Texts,
    machine: Texts | None,
    fmt: str,
    source_lang: str,
    target_lang: str,
    confirmed: Confirmed = None,
) -> list[tuple[str, str]]:
    """(source sentence, approved sentence) pairs a person checked, in article order.

    `machine`: the machine draft the approved revision descends from (None: there was none, so
    every sentence is a person's). ConfirmOutOfRange for a paragraph the body does not have."""
    source_flows = body_flow_texts(source.body, fmt)
    target_flows = body_flow_texts(approved.body, fmt)
    everything = isinstance(confirmed, str) and confirmed == ALL
    chosen: set[int] = set()
    if confirmed is not None and not isinstance(confirmed, str):
        for index in confirmed:
            if not 0 <= index < len(target_flows):
                raise ConfirmOutOfRange(index, len(target_flows))
            chosen.add(index)
    with_lede = bool(source.lede and approved.lede)
    heads = align_sentences(
        [source.title, *([source.lede or ""] if with_lede else [])],
        [approved.title, *([approved.lede or ""] if with_lede else [])],
        source_lang,
        target_lang,
    )
    units: list[tuple[bool, list[tuple[str, str]]]] = [(everything, heads)]
    if len(source_flows) == len(target_flows):
        for index, (flow, target) in enumerate(zip(source_flows, target_flows, strict=True)):
            pairs = align_sentences([flow], [target], source_lang, target_lang)
            units.append((everything or index in chosen, pairs))
    machine_made = set() if machine is None else _machine_sentences(machine, fmt, target_lang)
    learned: dict[str, str] = {}
    for confirmed_unit, pairs in units:
        for source_text, target_text in pairs:
            if confirmed_unit or target_text not in machine_made:
                learned.setdefault(source_text, target_text)
    return list(learned.items())
