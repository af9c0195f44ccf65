"""What holding a body to its source's markup costs (service.document.sanitize.safe_body).

Usage: python bench/sanitize.py [--repeats 20]

For the test article repeated to about 1 kB, 20 kB and 200 kB (the default body limit), times
in this one run (best of --repeats): parsing and rendering the body (the markup work the
pipeline does for every translation, no engine), then safe_body on a clean translation served
again (a GET: the pair's verdict is cached), new against a known source (a fresh machine draft
or edit), and first seen with its source (nothing cached), and on a translation with a script,
an onerror and a javascript: link added (the cleaning path, never cached). Prints milliseconds
and the ratio of each to parse and render. Then the edit a tester approved, as the store
published it before sanitizing and as it publishes it now.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from service.document import sanitize
from service.document.markup import parse

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "tests" / "data" / "article.html").read_text(encoding="utf-8")
HOSTILE = (
    '<p>Hola<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">'
    "mira</a></p>"
)


def translated(body: str) -> str:
    document = parse(body, "html")
    for flow in document.flows:
        flow.translation = flow.text.upper()
    return document.render()


def best(repeats: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def cold(source: str, candidate: str) -> None:
    """First sight: neither the source's allow-list nor the verdict on the pair is cached."""
    sanitize._policy.cache_clear()
    sanitize._verified = sanitize._Verified(4096)
    sanitize.safe_body(source, "html", candidate)


def checked(source: str, candidate: str) -> None:
    """A translation seen for the first time against a known source (a new machine draft)."""
    sanitize._verified = sanitize._Verified(4096)
    sanitize.safe_body(source, "html", candidate)


def render(source: str) -> None:
    parse(source, "html").render()


def row(source: str, repeats: int) -> str:
    clean = translated(source)
    hostile = clean + HOSTILE
    assert sanitize.safe_body(source, "html", clean) == clean
    base = best(repeats, partial(render, source))
    again = best(repeats, partial(sanitize.safe_body, source, "html", clean))
    new = best(repeats, partial(checked, source, clean))
    first = best(repeats, partial(cold, source, clean))
    cleaned = best(repeats, partial(sanitize.safe_body, source, "html", hostile))
    cells = [f"{round(len(source) / 1000):>6}kB {base:>9.2f} ms"]
    cells += [f"{ms:>8.2f} ms {ms / base:>5.2f}x" for ms in (again, new, first, cleaned)]
    return " ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    titles = ["served again", "new, known source", "first seen", "hostile edit"]
    print(f"{'body':>8} {'parse+render':>12} " + " ".join(f"{t:>17}" for t in titles))
    for copies in (1, 20, 200):
        print(row(ARTICLE * copies, args.repeats))
    source = "<p>The envoy will brief them on the <a href='https://example.org/m'>meeting</a>.</p>"
    edit = (
        "<p>EL ENVIADO LES INFORMARÁ DE LA <script>alert(1)</script><img src=x onerror=alert(1)>"
        '<a href="javascript:alert(1)">REUNIÓN</a>.</p>'
    )
    print("\napproved edit, published before:", edit)
    print("approved edit, published now:   ", sanitize.safe_body(source, "html", edit))


if __name__ == "__main__":
    main()
