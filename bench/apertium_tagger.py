"""The fresh-tagger stage on NTREX: does a shared pipeline answer as a fresh one, and at what cost?

    .venv/bin/python bench/apertium_tagger.py ../shared/eval [--rounds 3] [--every 6]

For each direction, every NTREX line goes in file order through one shared pipeline as the
engine runs it (the tagger under service/engines/apertium_tagger.py) and through one that keeps
its tagger (the pair's plain mode). One line in `--every` is also translated alone on a fresh
pipeline; prints how many of those the two shared pipelines answer differently. Then both
translate the whole file `--rounds` times, interleaved so machine load touches both alike, and
prints sentences/s (best round), the pipeline's CPU seconds per 1000 sentences (all its
processes, best round) and the ratios of the engine's to the plain pipeline's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.engines.apertium import ApertiumTranslator, mode_command  # noqa: E402

DATA = Path("/usr/share/apertium")
TICKS = os.sysconf("SC_CLK_TCK")


def engine(source: str, target: str, fresh_tagger: bool) -> ApertiumTranslator:
    made = ApertiumTranslator(source, target, DATA)
    if not fresh_tagger:
        made.command = mode_command(DATA, made.pair)
        made.close()  # the next request starts a pipeline with the plain command
    return made


def pipeline_cpu(made: ApertiumTranslator) -> float:
    """CPU seconds of every process in the pipeline's process group, reaped children included."""
    assert made._pipeline is not None
    group = made._pipeline.proc.pid
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group:
            total += sum(int(value) for value in fields[11:15])
    return total / TICKS


def run(source: str, target: str, lines: list[str], rounds: int, every: int) -> None:
    sample = list(range(0, len(lines), every))
    alone: dict[int, str] = {}
    for i in sample:
        fresh = engine(source, target, fresh_tagger=False)
        alone[i] = fresh.translate_batch([lines[i]])[0]
        fresh.close()
    timings: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for round_ in range(rounds):
        for fresh_tagger in (False, True):
            made = engine(source, target, fresh_tagger)
            made.translate_batch(lines[:3])
            cpu = pipeline_cpu(made)
            started = time.perf_counter()
            got = made.translate_batch(lines)
            wall = time.perf_counter() - started
            timings[fresh_tagger].append((wall, pipeline_cpu(made) - cpu))
            made.close()
            if round_ == 0:
                differ = sum(got[i] != alone[i] for i in sample)
                name = "fresh-tagger stage" if fresh_tagger else "plain pipeline    "
                print(f"  {name} differs from a fresh pipeline: {differ} of {len(sample)}")
    rate = {k: len(lines) / min(wall for wall, _ in v) for k, v in timings.items()}
    cpu = {k: 1000 * min(c for _, c in v) / len(lines) for k, v in timings.items()}
    print(f"  sentences/s       plain {rate[False]:7.0f}  stage {rate[True]:7.0f}", end="")
    print(f"  ratio {rate[True] / rate[False]:.2f}")
    print(f"  CPU s/1000 sent.  plain {cpu[False]:7.2f}  stage {cpu[True]:7.2f}", end="")
    print(f"  ratio {cpu[True] / cpu[False]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--every", type=int, default=6)
    args = parser.parse_args()
    ntrex = args.eval_dir / "ntrex"
    for source, target, name in (("en", "es", "src.en"), ("es", "en", "ref.es")):
        lines = (ntrex / name).read_text(encoding="utf-8").splitlines()
        print(f"{source}→{target}, {len(lines)} lines, one in {args.every} also alone:")
        run(source, target, lines, args.rounds, args.every)


if __name__ == "__main__":
    main()
