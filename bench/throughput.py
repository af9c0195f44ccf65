"""Seq2seq throughput on an opus-mt-en-es-sized model: transformers, raw CTranslate2, newsdesk.

Usage: python bench/throughput.py [--sentences 64] [--hf-sentences 16] [--tokens 40]
                                  [--work DIR] [--service]

Builds a MarianMTModel with opus-mt-en-es's architecture (vocab 65001, d_model 512, 6+6 layers,
8 heads, FFN 2048) and seeded random weights, with a sentencepiece tokenizer trained on fixture
text (tests/helpers/seq2seq_fixtures.py), converts it to CTranslate2 int8, and forces every
output to exactly `--tokens` tokens so that random weights cost what real ones do. Then, on the same
news-like sentences, in this one run, greedy and beam 4:

  (a) transformers `generate`, one sentence per call (a plain FastAPI + pipeline service);
  (b) raw CTranslate2 int8 `translate_batch`, 16 sentences per call;
  (c) newsdesk end to end over HTTP (uvicorn, ct2 engine, dynamic batching), 16 concurrent
      clients each posting one sentence per request (`--service`, or `run(service=...)`).

Prints tokens/s of each (output tokens: the forced length per sentence) and, as its last line,
for greedy: `service/ct2 X.XX service/hf Y.YY` (c divided by b and by a).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `service` and `tests` importable
    sys.path.insert(0, str(ROOT))

from tests.helpers.seq2seq_fixtures import (  # noqa: E402
    EN_ES,
    ES_EN,
    build_opus_mt_sized,
    long_news_sentences,
    write_manifest,
)

N_TOKENS = 40
BATCH = 16
CLIENTS = 16
BEAMS = (1, 4)

# Starts the service for a beam size and yields its base URL (and stops it afterwards).
ServiceStarter = Callable[[int], AbstractContextManager[str]]


@dataclass
class Result:
    label: str
    beam: int
    sentences: int
    tokens: int
    seconds: float

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        search = "greedy" if self.beam == 1 else f"beam {self.beam}"
        return (
            f"{self.label:<52} {search:<7} {self.tokens_per_s:9.2f} tok/s "
            f"({self.sentences} sentences x {self.tokens // max(self.sentences, 1)} tokens "
            f"in {self.seconds:.2f} s)"
        )


def bench_sentences(count: int) -> list[str]:
    """`count` distinct news-like English sentences of 20-30 words."""
    seen: dict[str, None] = {}
    seed = 1
    while len(seen) < count:
        for sentence in long_news_sentences(count, seed=seed):
            seen.setdefault(sentence, None)
        seed += 2
    return list(seen)[:count]


def _link_tree(source: Path, target: Path) -> None:
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def _entry(name: str, source: str, target: str) -> dict[str, object]:
    return {
        "name": name,
        "hf_id": f"Helsinki-NLP/{name}",
        "revision": "bench-random-weights",
        "task": "translate",
        "source": source,
        "target": target,
        "engine": "ct2",
    }


def prepare(work_dir: Path) -> tuple[Path, Path]:
    """The HF model dir and its CTranslate2 int8 conversion under `work_dir` (reused if there),
    plus a manifest, so that `work_dir` is a models dir the service can load. The conversion
    also stands in for es->en (hard links), so the service holds both directions in memory, as
    in production, for the peak RSS."""
    from service.engines.ct2 import convert
    from service.engines.manifest import MANIFEST_NAME

    hf_dir = work_dir / EN_ES
    ct2_dir = work_dir / f"{EN_ES}-ct2"
    if not (hf_dir / "model.safetensors").is_file():
        build_opus_mt_sized(hf_dir, seed=0)
    if not (ct2_dir / "model.bin").is_file():
        convert(hf_dir, ct2_dir, "int8")
    backward = work_dir / f"{ES_EN}-ct2"
    if not (backward / "model.bin").is_file():
        shutil.rmtree(backward, ignore_errors=True)
        _link_tree(ct2_dir, backward)
    if not (work_dir / MANIFEST_NAME).is_file():
        write_manifest(work_dir, [_entry(EN_ES, "en", "es"), _entry(ES_EN, "es", "en")])
    return hf_dir, ct2_dir


def measure_hf(
    model_dir: Path, sentences: Sequence[str], tokens: int, beam: int, threads: int | None = None
) -> Result:
    """(a) transformers generate, one sentence per call, exactly `tokens` output tokens each;
    `threads` torch threads (default: the faster of torch's default and 1, probed here)."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(str(model_dir), local_files_only=True).eval()

    def one(sentence: str) -> int:
        inputs = tokenizer([sentence], return_tensors="pt")
        with torch.inference_mode():
            output = model.generate(
                **inputs,
                num_beams=beam,
                do_sample=False,
                min_new_tokens=tokens,
                max_new_tokens=tokens,
            )
        tokenizer.batch_decode(output, skip_special_tokens=True)
        return int(output.shape[1]) - 1  # minus the decoder start token

    default_threads = torch.get_num_threads()
    one(sentences[0])  # warm-up
    # torch's OpenMP threads collapse when another process holds a core (seen here: 2 threads
    # 5 tok/s, 1 thread 43 tok/s on a busy 2-core machine): the baseline runs with whichever
    # thread count is faster now, so that a busy machine cannot flatter the ratios.
    chosen = threads or default_threads
    if threads is None and default_threads > 1:
        timings: dict[int, float] = {}
        for candidate in (default_threads, 1):
            torch.set_num_threads(candidate)
            probe = time.perf_counter()
            one(sentences[0])
            timings[candidate] = time.perf_counter() - probe
        chosen = min(timings, key=lambda n: timings[n])
    torch.set_num_threads(chosen)
    try:
        started = time.perf_counter()
        produced = [one(s) for s in sentences]
        seconds = time.perf_counter() - started
    finally:
        torch.set_num_threads(default_threads)
    if set(produced) != {tokens}:
        raise RuntimeError(f"transformers produced {sorted(set(produced))} tokens, not {tokens}")
    label = f"(a) transformers generate, 1 sentence/call, {chosen} thr"
    return Result(label, beam, len(sentences), tokens * len(sentences), seconds)


def measure_ct2(
    ct2_dir: Path, sentences: Sequence[str], tokens: int, beam: int, batch: int = BATCH
) -> Result:
    """(b) raw CTranslate2 translate_batch, `batch` sentences per call, pre-tokenized."""
    import ctranslate2
    import sentencepiece

    from service.config import Settings

    settings = Settings()
    processor = sentencepiece.SentencePieceProcessor(model_file=str(ct2_dir / "source.spm"))
    pieces = [[*p, "</s>"] for p in processor.encode(list(sentences), out_type=str)]
    translator = ctranslate2.Translator(
        str(ct2_dir),
        device="cpu",
        compute_type="int8",
        inter_threads=settings.inter_threads,
        intra_threads=settings.intra_threads,
    )

    def run(chunk: list[list[str]]) -> list[int]:
        results = translator.translate_batch(
            chunk, beam_size=beam, min_decoding_length=tokens, max_decoding_length=tokens
        )
        return [len(r.hypotheses[0]) for r in results]

    run(pieces[:batch])  # warm-up
    started = time.perf_counter()
    produced = [n for i in range(0, len(pieces), batch) for n in run(pieces[i : i + batch])]
    seconds = time.perf_counter() - started
    if set(produced) != {tokens}:
        raise RuntimeError(f"ctranslate2 produced {sorted(set(produced))} tokens, not {tokens}")
    label = f"(b) ctranslate2 int8 translate_batch, batch {batch}"
    return Result(label, beam, len(sentences), tokens * len(sentences), seconds)


def measure_service(
    base_url: str, sentences: Sequence[str], clients: int = CLIENTS, tokens: int = N_TOKENS
) -> float:
    """(c) newsdesk over HTTP: `clients` threads POST one sentence per request to
    /v1/translate; returns output tokens/s (the forced `tokens` per sentence).

    The service must run with a fixed decoding length of `tokens`
    (NEWSDESK_DECODE_FIXED_LENGTH) and no warm cache, or the figure means nothing.
    """
    import httpx

    queue = list(sentences)
    lock = threading.Lock()
    errors: list[str] = []
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        with httpx.Client(base_url=base_url, timeout=300) as http:
            barrier.wait()
            while True:
                with lock:
                    if not queue or errors:
                        return
                    sentence = queue.pop(0)
                body = {"text": [sentence], "source": "en", "target": "es", "format": "text"}
                response = http.post("/v1/translate", json=body)
                if response.status_code != 200:
                    with lock:
                        errors.append(f"HTTP {response.status_code}: {response.text[:200]}")
                    return

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"service failed: {errors[0]}")
    return tokens * len(sentences) / seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PeakRss:
    bytes: int = 0


@contextlib.contextmanager
def start_service(
    models_dir: Path, beam: int, tokens: int = N_TOKENS, peak: PeakRss | None = None
) -> Iterator[str]:
    """`newsdesk serve` on a free port with the ct2 engine on `models_dir` (en-es and es-en),
    forced output length, no cache; yields its base URL. Samples its RSS into `peak`."""
    import httpx
    import psutil

    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    env = dict(
        os.environ,
        NEWSDESK_MODELS_DIR=str(models_dir),
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_PAIRS="en-es,es-en",
        NEWSDESK_ENGINE_PREFERENCE="ct2",
        NEWSDESK_BEAM_SIZE=str(beam),
        NEWSDESK_DECODE_FIXED_LENGTH=str(tokens),
        NEWSDESK_CACHE_BACKEND="none",
        NEWSDESK_REQUIRE_CLIENT_KEY="false",
        # 16 clients from one address for minutes: measured, not rate-limited.
        NEWSDESK_RATE_LIMIT_RPM="0",
        NEWSDESK_RATE_LIMIT_CHARS_PER_DAY="0",
    )
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    stop = threading.Event()

    def sample() -> None:
        handle = psutil.Process(process.pid)
        while not stop.is_set():
            with contextlib.suppress(psutil.Error):
                rss = handle.memory_info().rss
                if peak is not None:
                    peak.bytes = max(peak.bytes, rss)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"service exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("service did not start in 120 s")
            time.sleep(0.2)
        yield base_url
    finally:
        stop.set()
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        sampler.join(2)


def run(
    work_dir: Path | None = None,
    sentences: int = 64,
    hf_sentences: int = 16,
    tokens: int = N_TOKENS,
    beams: Sequence[int] = BEAMS,
    service: ServiceStarter | bool | None = None,
    out: Callable[[str], None] = print,
) -> dict[str, float]:
    """Runs the benchmark and prints it; returns tokens/s by "a-greedy", "b-beam4", ... and the
    greedy ratios "service/ct2", "service/hf" when the service was measured.

    `service`: True starts `newsdesk serve` on the work dir (`start_service`); a callable
    `beam -> context manager yielding a base URL` runs another; None/False skips (c).
    `hf_sentences`: (a) runs on the first ones only (one call per sentence is slow; a rate).
    """
    with contextlib.ExitStack() as stack:
        if work_dir is None:
            work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        work_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        hf_dir, ct2_dir = prepare(work_dir)
        texts = bench_sentences(sentences)
        ready = time.perf_counter() - started
        out(
            "model: opus-mt-en-es architecture (vocab 65001, d_model 512, 6+6 layers, 8 heads, "
            f"FFN 2048), seeded random weights, CTranslate2 int8; {len(texts)} sentences, "
            f"every output forced to {tokens} tokens; ready in {ready:.1f} s"
        )
        figures: dict[str, float] = {}
        peak = PeakRss()
        for beam in beams:
            key = "greedy" if beam == 1 else f"beam{beam}"
            a = measure_hf(hf_dir, texts[:hf_sentences], tokens, beam)
            out(a.line())
            b = measure_ct2(ct2_dir, texts, tokens, beam)
            out(b.line())
            figures[f"a-{key}"] = a.tokens_per_s
            figures[f"b-{key}"] = b.tokens_per_s
            starter: ServiceStarter | None
            if service is True:

                def starter(beam: int) -> AbstractContextManager[str]:
                    return start_service(work_dir, beam, tokens, peak)

            else:
                starter = service or None
            if starter is None:
                out(f"{'(c) newsdesk over HTTP, 16 clients':<52} not measured (no service)")
                continue
            with starter(beam) as base_url:
                measure_service(base_url, texts[:CLIENTS], CLIENTS, tokens)  # warm-up
                rate = measure_service(base_url, texts, CLIENTS, tokens)
            total = tokens * len(texts)
            c = Result(
                f"(c) newsdesk over HTTP, {CLIENTS} clients", beam, len(texts), total, total / rate
            )
            out(c.line())
            figures[f"c-{key}"] = rate
            out(
                f"{'':<52} {'':<7} service/ct2 {rate / b.tokens_per_s:.2f} "
                f"service/hf {rate / a.tokens_per_s:.2f}"
            )
        if peak.bytes:
            out(f"peak RSS of the service (en-es and es-en loaded): {peak.bytes / 2**20:.0f} MiB")
        if "c-greedy" in figures:
            figures["service/ct2"] = figures["c-greedy"] / figures["b-greedy"]
            figures["service/hf"] = figures["c-greedy"] / figures["a-greedy"]
            out(f"service/ct2 {figures['service/ct2']:.2f} service/hf {figures['service/hf']:.2f}")
        elif "b-greedy" in figures:
            ratio = figures["b-greedy"] / figures["a-greedy"]
            out(f"service not measured; greedy raw ct2/hf {ratio:.2f}")
        return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=64)
    parser.add_argument("--hf-sentences", type=int, default=16)
    parser.add_argument("--tokens", type=int, default=N_TOKENS)
    parser.add_argument("--beams", default="1,4", help="comma-separated beam sizes")
    parser.add_argument("--work", type=Path, help="keep and reuse the built models here")
    parser.add_argument("--no-service", action="store_true", help="skip (c), newsdesk over HTTP")
    args = parser.parse_args(argv)
    run(
        args.work,
        args.sentences,
        args.hf_sentences,
        args.tokens,
        [int(b) for b in args.beams.split(",")],
        service=not args.no_service,
    )


if __name__ == "__main__":
    main()
