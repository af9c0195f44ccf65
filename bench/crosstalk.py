"""Cross-talk under load: does every client of a real `newsdesk serve` get its own translation?

    .venv/bin/python bench/crosstalk.py [--clients 8] [--seconds 25]

Starts `newsdesk serve` on a free port (Apertium, a temporary data dir, no client keys, no rate
limits), then runs the client threads for the given time. Each posts `/v1/translate` (one text,
or a list of two or three) and, one request in eight, `/v1/articles`; a quarter of the texts
carry characters the Apertium stream reserves, or control characters (a NUL between sentences,
a caret at the very end, an escaped backslash, ...). Every text carries a tag word of its own
that no dictionary knows, so Apertium copies it through.

First each template is sent alone, one request at a time, with a reference tag. Under load an
answer counts as cross-talk when it lacks its own tag, holds another request's tag, or (for
`/v1/translate`) differs from the answer its template got alone, with the tags swapped. The
tagger stage (service/engines/apertium_tagger.py) keeps one text from changing how later ones
are tagged, so that answer cannot legitimately change between the two phases.

Prints the counts: requests, errors by status, the three kinds of cross-talk, and requests/s.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers.apertium_tags import screen, tag, tags_in  # noqa: E402
from tests.helpers.server import start_serve, stop  # noqa: E402

ORDINARY = [
    "The city council approved the budget for the new parks on Tuesday TAG.",
    "Police said TAG the two men were arrested on Sunday.",
    "The minister will meet union leaders TAG next week to discuss the strike.",
    "Residents of the old town TAG complained about the noise from the works.",
    "TAG The company reported higher profits than analysts had expected.",
    "The school will reopen after the holidays, the mayor TAG said.",
    "Voters in the north TAG will elect a new regional government in May.",
    "The court ruled that the plan TAG was against the law.",
    "Heavy rain flooded several streets TAG in the city centre.",
    "The president TAG thanked the rescue workers for their efforts.",
    "Talks between the two parties TAG will continue on Friday.",
    "The hospital said TAG the patient was in a stable condition.",
]
HOSTILE = [
    "Hello\u0000 TAG The mayor is a criminal. The council approved the budget for Monday.",
    "The council TAG approved the budget ^",
    "The council TAG approved the budget \\^",
    "TAG ends with \\\\",
    "Shares fell 5% to $4.50 after the #earnings call, @ceo TAG said.",
    "Prices rose [again] TAG {sharply} <today> ~ 24/7 and/or * more.",
    "\u0001\u001b[31m TAG red \u001b[0m text \u0085\u009f end",
    "The report\u0000\u0000 TAG was published\u0007 on Monday.",
]
TAG_SLOT = "TAG"
REFERENCE = 0


@dataclass
class Tally:
    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    answers: int = 0
    wrong: int = 0
    missing_own_tag: int = 0
    foreign_tag: int = 0
    differs_from_alone: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def start_server(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        PYTHONPATH=str(ROOT),
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_MODELS_DIR=str(data_dir / "no-models"),
        NEWSDESK_ENGINE_PREFERENCE="apertium",
        NEWSDESK_REQUIRE_CLIENT_KEY="false",
        NEWSDESK_RATE_LIMIT_RPM="0",
        NEWSDESK_RATE_LIMIT_CHARS_PER_DAY="0",
        NEWSDESK_LOG_LEVEL="WARNING",
    )
    return start_serve(env, limit_s=90)


def with_tag(template: str, number: int) -> str:
    return template.replace(TAG_SLOT, tag(number))


def translate(client: httpx.Client, url: str, texts: list[str]) -> httpx.Response:
    return client.post(url + "/v1/translate", json={"text": texts, "source": "en", "target": "es"})


def alone_answers(url: str, templates: list[str]) -> list[str | None]:
    """Each template's answer sent alone; None where even that failed (then only the tags of
    its answers under load are checked)."""
    with httpx.Client(timeout=120) as client:
        answers: list[str | None] = []
        for template in templates:
            response = translate(client, url, [with_tag(template, REFERENCE)])
            ok = response.status_code == 200
            answers.append(response.json()["translation"][0] if ok else None)
        return answers


class Numbers:
    """Tag numbers for the whole run: unique across clients."""

    def __init__(self) -> None:
        self._next = REFERENCE + 1
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            self._next += 1
            if self._next > 999_999:
                raise SystemExit("more than 999999 texts: shorten the run")
            return self._next

    @property
    def taken(self) -> int:
        return self._next - REFERENCE - 1


def check(tally: Tally, answer: str, own: list[str], expected: str | None) -> None:
    """One answer (a text's translation, or an article's title and body) against the tags of
    the texts it was made from, and against the answer its template got alone where known."""
    found = set(tags_in(answer))
    missing = not set(own) <= found
    foreign = bool(found - set(own))
    differs = expected is not None and answer != expected
    with tally.lock:
        tally.answers += 1
        tally.missing_own_tag += missing
        tally.foreign_tag += foreign
        tally.differs_from_alone += differs
        tally.wrong += missing or foreign or differs


def client_loop(
    number: int,
    url: str,
    templates: list[str],
    alone: list[str | None],
    until: float,
    numbers: Numbers,
    tally: Tally,
) -> None:
    rng = random.Random(number)
    reference = tag(REFERENCE)
    with httpx.Client(timeout=120) as client:
        while time.monotonic() < until:
            picks = [rng.randrange(len(templates)) for _ in range(rng.choice([1, 1, 2, 3]))]
            sent = [numbers.take() for _ in picks]
            texts = [with_tag(templates[p], n) for p, n in zip(picks, sent, strict=True)]
            article = rng.random() < 1 / 8
            endpoint = "articles" if article else "translate"
            if article:
                body = "\n\n".join(texts[1:]) or texts[0]
                payload: dict[str, Any] = {
                    "title": texts[0],
                    "body": body,
                    "format": "text",
                    "source_lang": "en",
                    "summary": False,
                }
                response = client.post(url + "/v1/articles", json=payload)
            else:
                response = translate(client, url, texts)
            with tally.lock:
                tally.requests[endpoint] += 1
            if response.status_code != 200:
                with tally.lock:
                    tally.errors[f"{endpoint} {response.status_code}"] += 1
                continue
            data = response.json()
            if article:
                es = data["versions"]["es"]
                check(tally, es["title"] + "\n" + es["body"], [tag(n) for n in sent], None)
            else:
                for p, n, answer in zip(picks, sent, data["translation"], strict=True):
                    expected = alone[p]
                    alone_here = expected and expected.replace(reference, tag(n))
                    check(tally, answer, [tag(n)], alone_here)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=25.0)
    args = parser.parse_args()

    candidates = ORDINARY + HOSTILE
    screened = screen([with_tag(t, REFERENCE) for t in candidates])
    templates = [t for t, s in zip(candidates, screened, strict=True) if not s.changes_tagger]
    # Drawn uniformly from `weighted`, a quarter of the texts are hostile ones.
    hostile = [t for t in templates if t in HOSTILE]
    ordinary = [t for t in templates if t in ORDINARY]
    weighted = ordinary * 3 * len(hostile) + hostile * len(ordinary)
    if len(templates) < len(candidates):
        print(f"left out {len(candidates) - len(templates)} templates that change the tagger")

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(Path(tmp))
        try:
            alone = alone_answers(url, templates)
            failed = sum(answer is None for answer in alone)
            if failed:
                print(f"{failed} templates failed even alone")
            by_template = dict(zip(templates, alone, strict=True))
            weighted_alone = [by_template[t] for t in weighted]
            tally = Tally()
            numbers = Numbers()
            started = time.monotonic()
            until = started + args.seconds
            threads = [
                threading.Thread(
                    target=client_loop,
                    args=(n, url, weighted, weighted_alone, until, numbers, tally),
                )
                for n in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            stop(proc)

    total = sum(tally.requests.values())
    print(f"{args.clients} clients, {elapsed:.1f} s, texts sent: {numbers.taken}")
    print(f"requests: {total} ({dict(tally.requests)}), {total / elapsed:.1f}/s")
    print(f"errors: {sum(tally.errors.values())} {dict(tally.errors)}")
    print(
        f"cross-talk: {tally.wrong} of {tally.answers} answers "
        f"(missing own tag {tally.missing_own_tag}, another request's tag {tally.foreign_tag}, "
        f"differs from alone {tally.differs_from_alone})"
    )
    if tally.errors or tally.wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
