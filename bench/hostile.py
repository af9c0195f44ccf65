"""Hostile inputs through the real translation pipeline: is the work linear in the input?

    .venv/bin/python bench/hostile.py [--scale 1.0] [--repeat 3] [--apertium] [--only KIND ...]

For each kind of hostile input (one long "word" of each character class the protection and
splitting patterns look at, many short sentences, many paragraphs, deep nesting, many inline
elements) the text is built at size n and 2n and sent through
`service.pipeline.text.translate_document` with the instant `echo` engine (so what is measured
is the pipeline's own work: parsing, sentence splitting, protection, inline planning,
rendering), with no cache. Printed: the best of `--repeat` times at n and at 2n, and their
ratio: about 2 means linear, about 4 quadratic. The request caps (max_text_chars,
max_sentences_per_request) are lifted here, so that the work behind them is what is measured;
a kind the pipeline refuses (deep nesting) shows the time it takes to refuse, and the message.

The inline kinds run once more with an engine whose translation of an element's words is found
nowhere in its sentence's, so that markup placement takes its slowest path. `--apertium` runs
every kind once more through the real Apertium en-es pipeline (when the pair is installed):
then the engine's own time is in the figures too.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.config import Settings  # noqa: E402
from service.engines.base import Translator  # noqa: E402
from service.engines.echo import EchoTranslator  # noqa: E402
from service.engines.registry import EngineRegistry  # noqa: E402
from service.errors import NewsdeskError  # noqa: E402
from service.pipeline.text import translate_document  # noqa: E402
from service.runtime import Runtime  # noqa: E402

_MIXED_ALPHABET = "aZ1.@-+_:/w,;'"


def _mixed(n: int) -> str:
    rng = random.Random(n)
    return "".join(rng.choice(_MIXED_ALPHABET) for _ in range(n))


def _repeat(unit: str, n: int) -> str:
    """`unit` repeated to n characters."""
    return (unit * (n // len(unit) + 1))[:n]


# kind -> (format, builder of the input of size n, base n)
KINDS: dict[str, tuple[str, Callable[[int], str], int]] = {
    "word: letters": ("text", lambda n: "a" * n, 20_000),
    "word: digits": ("text", lambda n: "1" * n, 20_000),
    "word: digits then a letter": ("text", lambda n: "1" * n + "a", 20_000),
    "word: dots": ("text", lambda n: "." * n, 20_000),
    "word: 1.1.1.": ("text", lambda n: _repeat("1.", n), 20_000),
    "word: a@a@a": ("text", lambda n: _repeat("a@", n), 20_000),
    "word: a.a.a@": ("text", lambda n: _repeat("a.a.a@", n), 20_000),
    "word: a.b@ then letters": ("text", lambda n: "a.b@" + "c" * n, 20_000),
    "word: http:// + junk": ("text", lambda n: "http://" + _repeat(".,;", n), 20_000),
    "word: www. repeated": ("text", lambda n: _repeat("www.", n), 20_000),
    "word: glossary term repeated": ("text", lambda n: _repeat("Kyiv", n), 20_000),
    "word: mixed": ("text", _mixed, 20_000),
    "word: stops then space": ("text", lambda n: "." * n + " x", 20_000),
    "sentences: 'Yes. '": ("text", lambda n: "Yes. " * n, 1_000),
    "sentences: news-like": (
        "text",
        lambda n: " ".join(f"The council met on day {i}. It voted." for i in range(n // 2)),
        1_000,
    ),
    "paragraphs: text lines": ("text", lambda n: "A short line. Another one.\n" * n, 2_000),
    "paragraphs: html <p>": ("html", lambda n: "<p>A short line. Another one.</p>" * n, 2_000),
    "paragraphs: html <p> with tails": ("html", lambda n: "<p>A line.</p>tail " * n, 2_000),
    "nesting: <div>": ("html", lambda n: "<div>" * n + "deep text" + "</div>" * n, 1_000),
    "nesting: <b>": ("html", lambda n: "<p>" + "<b>" * n + "deep text" + "</b>" * n, 1_000),
    "inline: one sentence": (
        "html",
        lambda n: "<p>" + " ".join(f"<b>w{i}</b>" for i in range(n)) + ".</p>",
        400,
    ),
    "inline: many sentences, one paragraph": (
        "html",
        lambda n: "<p>" + " ".join(f"The <a href='#{i}'>word</a> is here." for i in range(n)),
        400,
    ),
    "inline: one long sentence": (
        "html",
        lambda n: "<p>" + " ".join(f"<b>w{i}</b> " + "and the council met " * 5 for i in range(n)),
        250,
    ),
    "inline: many paragraphs": (
        "html",
        lambda n: "".join(f"<p>The <b>word</b> and <i>{i}</i>.</p>" for i in range(n)),
        2_000,
    ),
}


def _runtime(data_dir: Path, engine: Callable[[str, str], Translator]) -> Runtime:
    # Caps lifted: the point is the work behind them (setting names of the bounded pipeline;
    # a Settings without them ignores the extra keys).
    settings = Settings(
        data_dir=data_dir,
        cache_backend="none",
        pairs="",
        max_text_chars=10**12,
        max_sentences_per_request=10**12,
    )
    registry = EngineRegistry()
    registry.translators[("en", "es")] = engine("en", "es")
    return Runtime.open(settings, registry, summaries=False)


def _time(runtime: Runtime, fmt: str, text: str, repeat: int) -> tuple[float, str]:
    best = float("inf")
    outcome = ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            result = translate_document(runtime.pipeline, [text], "en", "es", fmt)
            outcome = f"ok, {len(result.texts[0])} chars out"
        except NewsdeskError as exc:
            outcome = f"{exc.status_code} {exc.message}"
        best = min(best, time.perf_counter() - start)
    return best, outcome


def run(runtime: Runtime, kinds: list[str], scale: float, repeat: int) -> None:
    print(f"{'kind':<40} {'n':>8} {'t(n) s':>9} {'t(2n) s':>9} {'ratio':>6}  outcome at 2n")
    for kind in kinds:
        fmt, build, base = KINDS[kind]
        n = max(1, int(base * scale))
        small, _ = _time(runtime, fmt, build(n), repeat)
        large, outcome = _time(runtime, fmt, build(2 * n), repeat)
        ratio = large / small if small > 0 else float("nan")
        print(f"{kind:<40} {n:>8} {small:>9.4f} {large:>9.4f} {ratio:>6.2f}  {outcome[:60]}")
        sys.stdout.flush()


class _Elusive(EchoTranslator):
    """Sentences in capitals, single words turned around: the translation of an inline
    element's words is found nowhere in its sentence's, neither as it is nor by stem."""

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        return [text.upper() if " " in text.strip() else text[::-1] for text in texts]


def _apertium(source: str, target: str) -> Translator:
    from service.engines.apertium import ApertiumTranslator

    return ApertiumTranslator(source, target, Settings().apertium_data_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every base n")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--apertium", action="store_true", help="also through real Apertium")
    parser.add_argument("--only", nargs="*", help="kinds whose name starts with one of these")
    args = parser.parse_args()
    kinds = [k for k in KINDS if not args.only or any(k.startswith(p) for p in args.only)]
    with tempfile.TemporaryDirectory() as tmp:
        print("echo engine (the pipeline's own work)")
        runtime = _runtime(Path(tmp) / "echo", EchoTranslator)
        try:
            run(runtime, kinds, args.scale, args.repeat)
        finally:
            runtime.close()
        inline = [k for k in kinds if k.startswith("inline")]
        if inline:
            print("\nelusive engine (inline markup placed the slow way)")
            runtime = _runtime(Path(tmp) / "elusive", _Elusive)
            try:
                run(runtime, inline, args.scale, args.repeat)
            finally:
                runtime.close()
        if not args.apertium:
            return
        from service.engines.apertium import ApertiumUnavailable

        try:
            runtime = _runtime(Path(tmp) / "apertium", _apertium)
        except ApertiumUnavailable as exc:
            print(f"\napertium: not installed ({exc})")
            return
        print("\napertium en-es (engine time included)")
        try:
            run(runtime, kinds, args.scale, 1)
        finally:
            runtime.close()


if __name__ == "__main__":
    main()
