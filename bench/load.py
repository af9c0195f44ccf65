"""Load on a real server: a mix of requests from concurrent keep-alive clients, then the cached
article alone from one sequential client.

    .venv/bin/python bench/load.py [--clients 16] [--seconds 60] [--repeats 500] [--runs 3]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --key KEY

Without --url it starts `newsdesk serve` on a free port of 127.0.0.1 with the embedded engines
(Apertium, extractive summaries), SQLite store and cache in a temporary NEWSDESK_DATA_DIR, no
client keys and no rate limits, and measures the server's memory with psutil.

Warm-up (not counted): one request of every kind, then the pools of repeated texts and cached
articles are sent once, so that phase 1 finds them cached.

Phase 1: `--clients` threads, each with its own keep-alive httpx.Client, for `--seconds`, each
request drawn from this mix:
  translate new      POST /v1/translate, a short text never sent before
  translate repeat   POST /v1/translate, a short text from a pool already sent
  article new        POST /v1/articles, a generated article never sent before
  article cached     POST /v1/articles, an article from a pool already sent
Per kind: requests, errors (non-2xx by status, exceptions by type, and answers that differ from
the first answer to the same request), p50/p95/p99 latency and requests/s; the server's RSS
(after start-up, peak sampled every 0.25 s during the phase, at the end), its own and its child
processes' (the Apertium pipelines) separately.

Phase 2: one keep-alive client sends the same cached article `--repeats` times in a row, `--runs`
times, and as many `GET /healthz` (the HTTP floor: what any request costs); p50/p95/p99 of each,
and the server process's CPU per request (steadier than latency when others share the cores).

Issue 9's goal: no errors; cached article p50 <= 5 ms and p99 <= 20 ms sequentially. On a
shared machine run phase 2 a few times (`--runs`) before reading much into one figure.

Texts come from templates with generated names and numbers: numbers alone would not make a
sentence new (the sentence cache masks them), generated surnames and places do.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
NEWSDESK = [sys.executable, "-m", "service.cli"]
KINDS = ("translate new", "translate repeat", "article new", "article cached")
# Shares of the phase 1 mix, in KINDS order: mostly cheap requests, as a newsroom's clients
# re-fetch far more often than they send new articles.
WEIGHTS = (0.2, 0.3, 0.15, 0.35)
REPEATED_TEXTS = 24
CACHED_ARTICLES = 8
GOAL_P50_MS = 5.0
GOAL_P99_MS = 20.0

# -- generated texts ---------------------------------------------------------------------------

FIRST_EN = ["Maria", "James", "Aisha", "Daniel", "Priya", "Tom", "Grace", "Omar", "Helen", "Luis"]
FIRST_ES = ["Lucía", "Javier", "Carmen", "Diego", "Elena", "Pablo", "Rosa", "Andrés", "Inés"]
SYLLABLES = ["bar", "ten", "lo", "vi", "ran", "do", "mer", "quel", "sa", "tor", "ni", "gal", "re"]
PLACE_END_EN = ["ford", "ton", "dale", "field", "bridge", "wick", "haven"]
PLACE_END_ES = ["ares", "illa", "edo", "ona", "ejo", "uela"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
DAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes"]
MONTHS_EN = ["March", "April", "June", "September", "November"]
MONTHS_ES = ["marzo", "abril", "junio", "septiembre", "noviembre"]
ORGS_EN = [
    "the city council",
    "the regional health board",
    "the transport authority",
    "the teachers' union",
    "the port company",
]
ORGS_ES = [
    "el ayuntamiento",
    "la consejería de salud",
    "la autoridad del transporte",
    "el sindicato de docentes",
    "la empresa del puerto",
]
THINGS_EN = ["parks", "bus lanes", "schools", "clinics", "bridges", "libraries"]
THINGS_ES = ["parques", "carriles bus", "escuelas", "centros de salud", "puentes", "bibliotecas"]
QUOTES_EN = [
    "We have waited long enough for this",
    "The numbers simply do not add up",
    "This is a good day for the whole region",
    "Nobody asked the people who live here",
    "We will keep a close eye on every cent",
]
QUOTES_ES = [
    "Llevamos demasiado tiempo esperando esto",
    "Las cuentas sencillamente no cuadran",
    "Es un buen día para toda la región",
    "Nadie preguntó a los vecinos",
    "Vigilaremos cada céntimo",
]


class Writer:
    """News-like sentences, paragraphs and articles in English or Spanish."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng = rng
        self.lang = lang

    def _word(self, parts: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(parts)).capitalize()

    def name(self) -> str:
        first = FIRST_ES if self.lang == "es" else FIRST_EN
        return f"{self.rng.choice(first)} {self._word(3)}"

    def place(self) -> str:
        ends = PLACE_END_ES if self.lang == "es" else PLACE_END_EN
        return self._word(2) + self.rng.choice(ends)

    def link(self, text: str, html: bool) -> str:
        if not html:
            return text
        slug = f"{self.rng.randrange(10**6)}-{self._word(2).lower()}"
        return f'<a href="https://news.example/{slug}">{text}</a>'

    def sentences(self, html: bool = False) -> list[str]:
        r, n = self.rng, self.rng.randrange
        place, name, other = self.place(), self.name(), self.name()
        if self.lang == "es":
            org, thing = r.choice(ORGS_ES), r.choice(THINGS_ES)
            return [
                f"{org.capitalize()} aprobó el {r.choice(DAYS_ES)} un presupuesto de "
                f"{n(2, 90)},{n(10)} millones de euros para {n(2, 40)} nuevos {thing} en {place}, "
                f"según {self.link('un comunicado', html)}.",
                f"«{r.choice(QUOTES_ES)}», dijo {name}, que dirige {org} desde {n(1995, 2024)}.",
                f"El plan abarca {n(3, 30)} barrios y unos {n(2, 90)}.{n(100, 999)} vecinos, "
                f"un {n(2, 40)} % más que el año pasado.",
                f"{other}, de {self.link('la oposición', html)}, advirtió que el dinero se "
                f"acabará en {r.choice(MONTHS_ES)}.",
                f"La votación terminó {n(5, 15)} a {n(1, 5)} y las obras en la calle "
                f"{self._word(2)} empezarán en {r.choice(MONTHS_ES)}.",
            ]
        org, thing = r.choice(ORGS_EN), r.choice(THINGS_EN)
        return [
            f"{org.capitalize()} approved a budget of {n(2, 90)}.{n(10)} million dollars on "
            f"{r.choice(DAYS_EN)} for {n(2, 40)} new {thing} in {place}, according to "
            f"{self.link('a statement', html)}.",
            f"“{r.choice(QUOTES_EN)},” said {name}, who has led {org} since {n(1995, 2024)}.",
            f"The plan covers {n(3, 30)} neighbourhoods and about {n(2, 90)},{n(100, 999)} "
            f"residents, {n(2, 40)} percent more than last year.",
            f"Critics, including {self.link(other, html)} of the opposition, said the money "
            f"would run out by {r.choice(MONTHS_EN)}.",
            f"The vote was {n(5, 15)} to {n(1, 5)}, and work on {self._word(2)} Street will "
            f"start in {r.choice(MONTHS_EN)}.",
        ]

    def short_text(self) -> str:
        found = self.sentences()
        start = self.rng.randrange(len(found) - 1)
        return " ".join(found[start : start + self.rng.choice((1, 2))])

    def article(self, article_id: str) -> dict[str, Any]:
        paragraphs: list[str] = []
        for index in range(self.rng.randrange(3, 7)):
            found = self.sentences(html=True)
            self.rng.shuffle(found)
            cut = self.rng.randrange(2, 4)
            paragraphs.append(f"<p>{' '.join(found[:cut])}</p>")
            paragraphs.append(f"<p>{' '.join(found[cut:])}</p>")
            if index == 0:
                heading = "Lo que viene" if self.lang == "es" else "What comes next"
                paragraphs.append(f"<h2>{heading}</h2>")
        place, count = self.place(), self.rng.randrange(2, 40)
        if self.lang == "es":
            title = f"{place} tendrá {count} nuevos {self.rng.choice(THINGS_ES)}"
        else:
            title = f"{place} to get {count} new {self.rng.choice(THINGS_EN)}"
        return {"id": article_id, "title": title, "body": "\n".join(paragraphs), "format": "html"}


class Texts:
    """Every text a run sends: fresh ones on demand, and the pools that are sent repeatedly."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self._count = 0
        rng = random.Random(seed)
        self.repeated = [self._translate_payload(rng) for _ in range(REPEATED_TEXTS)]
        self.cached = [self._article_payload(rng, f"cached-{i}") for i in range(CACHED_ARTICLES)]

    def _writer(self, rng: random.Random) -> Writer:
        # One article or text in four is Spanish.
        return Writer(rng, "es" if rng.random() < 0.25 else "en")

    def _translate_payload(self, rng: random.Random) -> dict[str, Any]:
        writer = self._writer(rng)
        target = "en" if writer.lang == "es" else "es"
        return {"text": writer.short_text(), "source": writer.lang, "target": target}

    def _article_payload(self, rng: random.Random, name: str) -> dict[str, Any]:
        return self._writer(rng).article(f"load-{self.seed}-{name}")

    def fresh_rng(self) -> random.Random:
        with self._lock:
            self._count += 1
            return random.Random(f"{self.seed}-{self._count}")

    def new_text(self) -> dict[str, Any]:
        return self._translate_payload(self.fresh_rng())

    def new_article(self) -> dict[str, Any]:
        rng = self.fresh_rng()
        return self._article_payload(rng, f"new-{rng.randrange(10**12)}")


# -- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_") and k != "CI"}
    env.update(
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_MODELS_DIR=str(data_dir / "models"),  # empty: the embedded engines serve
        NEWSDESK_ENGINE_PREFERENCE="apertium",
        NEWSDESK_CACHE_BACKEND="sqlite",
        NEWSDESK_REQUIRE_CLIENT_KEY="false",
        NEWSDESK_RATE_LIMIT_RPM="0",
        NEWSDESK_RATE_LIMIT_CHARS_PER_DAY="0",
        PYTHONPATH=str(ROOT),
    )
    return env


@contextmanager
def local_server() -> Iterator[tuple[str, int | None]]:
    """`newsdesk serve` in a temporary data dir; yields its URL and pid."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-load-") as tmp:
        data_dir = Path(tmp) / "var"
        port = free_port()
        log_path = Path(tmp) / "serve.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [*NEWSDESK, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=server_env(data_dir),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_ready(url, proc, log_path)
                yield url, proc.pid
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@contextmanager
def remote_server(url: str) -> Iterator[tuple[str, int | None]]:
    """A server someone else runs: no pid, so no memory figures."""
    yield url.rstrip("/"), None


def wait_ready(url: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise SystemExit(f"the server did not become ready at {url}:\n{tail}")


@dataclass
class Rss:
    """Resident memory of a process (`own`) and of all its descendants together (`children`)."""

    own: int = 0
    children: int = 0

    def line(self) -> str:
        own, children = self.own / 2**20, self.children / 2**20
        return f"server {own:7.1f} MiB  children (Apertium) {children:7.1f} MiB"


def rss_of(pid: int) -> Rss:
    try:
        process = psutil.Process(pid)
        own = process.memory_info().rss
        children = 0
        for child in process.children(recursive=True):
            try:
                children += child.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return Rss(own, children)
    except psutil.NoSuchProcess:
        return Rss()


class RssSampler:
    """Samples a process tree's RSS in a thread; keeps the peak of each part."""

    def __init__(self, pid: int, every_s: float = 0.25) -> None:
        self.pid = pid
        self.every_s = every_s
        self.peak = Rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = rss_of(self.pid)
            self.peak = Rss(max(self.peak.own, now.own), max(self.peak.children, now.children))
            self._stop.wait(self.every_s)


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    cpu_s: float = 0.0  # the server's, over a sequential run (none in phase 1)

    def merge(self, other: Tally) -> None:
        self.latencies.extend(other.latencies)
        self.errors.update(other.errors)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def figures(latencies: list[float]) -> str:
    if not latencies:
        return "no requests"
    p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (50, 95, 99))
    return f"p50 {p50:8.2f} ms  p95 {p95:8.2f} ms  p99 {p99:8.2f} ms"


class Expected:
    """The first answer to each repeated request; a later answer that differs is an error."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {}

    @staticmethod
    def essence(path: str, answer: dict[str, Any]) -> Any:
        return answer.get("translation") if path == "/v1/translate" else answer.get("versions")

    def remember(self, path: str, payload: dict[str, Any], answer: dict[str, Any]) -> None:
        self.answers[json.dumps(payload, sort_keys=True)] = self.essence(path, answer)

    def differs(self, path: str, payload: dict[str, Any], answer: dict[str, Any]) -> bool:
        want = self.answers.get(json.dumps(payload, sort_keys=True))
        return want is not None and self.essence(path, answer) != want


def send(
    client: httpx.Client, path: str, payload: dict[str, Any], tally: Tally, expected: Expected
) -> None:
    started = time.perf_counter()
    try:
        response = client.post(path, json=payload)
    except httpx.HTTPError as exc:
        tally.latencies.append(time.perf_counter() - started)
        tally.errors[type(exc).__name__] += 1
        return
    tally.latencies.append(time.perf_counter() - started)
    if not response.is_success:
        tally.errors[f"HTTP {response.status_code}"] += 1
    elif expected.differs(path, payload, response.json()):
        tally.errors["answer differs from the first"] += 1


def client_for(url: str, key: str | None) -> httpx.Client:
    headers = {"X-API-Key": key} if key else {}
    return httpx.Client(base_url=url, headers=headers, timeout=120)


def warm_up(url: str, key: str | None, texts: Texts, expected: Expected) -> None:
    """Sends every repeated request once (and one new one of each kind), uncounted."""
    with client_for(url, key) as client:
        posts = [("/v1/translate", texts.new_text()), ("/v1/articles", texts.new_article())]
        posts += [("/v1/translate", p) for p in texts.repeated]
        posts += [("/v1/articles", p) for p in texts.cached]
        for path, payload in posts:
            response = client.post(path, json=payload)
            if not response.is_success:
                raise SystemExit(f"warm-up {path} failed: {response.status_code} {response.text}")
            expected.remember(path, payload, response.json())


def mixed_load(
    url: str, key: str | None, texts: Texts, expected: Expected, clients: int, seconds: float
) -> tuple[dict[str, Tally], float]:
    tallies: list[dict[str, Tally]] = [defaultdict(Tally) for _ in range(clients)]
    choose: dict[str, Callable[[random.Random], tuple[str, dict[str, Any]]]] = {
        "translate new": lambda rng: ("/v1/translate", texts.new_text()),
        "translate repeat": lambda rng: ("/v1/translate", rng.choice(texts.repeated)),
        "article new": lambda rng: ("/v1/articles", texts.new_article()),
        "article cached": lambda rng: ("/v1/articles", rng.choice(texts.cached)),
    }
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def worker(index: int) -> None:
        rng = random.Random(f"{texts.seed}-client-{index}")
        with client_for(url, key) as client:
            start.wait()
            while time.perf_counter() < deadline[0]:
                kind = rng.choices(KINDS, WEIGHTS)[0]
                path, payload = choose[kind](rng)
                send(client, path, payload, tallies[index][kind], expected)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    merged: dict[str, Tally] = defaultdict(Tally)
    for per_client in tallies:
        for kind, tally in per_client.items():
            merged[kind].merge(tally)
    return merged, elapsed


def cpu_seconds(pid: int | None) -> float:
    """User+system CPU of the server process itself (its event loop and request threads)."""
    if pid is None:
        return 0.0
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def sequential(
    client: httpx.Client, method: str, path: str, payload: Any, n: int, pid: int | None
) -> Tally:
    tally = Tally()
    for _ in range(20):  # connection and caches warm, uncounted
        client.request(method, path, json=payload)
    cpu = cpu_seconds(pid)
    for _ in range(n):
        started = time.perf_counter()
        try:
            response = client.request(method, path, json=payload)
        except httpx.HTTPError as exc:
            tally.errors[type(exc).__name__] += 1
            continue
        tally.latencies.append(time.perf_counter() - started)
        if not response.is_success:
            tally.errors[f"HTTP {response.status_code}"] += 1
    tally.cpu_s = cpu_seconds(pid) - cpu
    return tally


def cpu(tally: Tally) -> str:
    """The server's CPU per request: steadier than latency where other work shares the cores."""
    if not tally.cpu_s or not tally.latencies:
        return ""
    return f"  server CPU {tally.cpu_s / len(tally.latencies) * 1000:6.2f} ms/req"


def errors_text(errors: Counter[str]) -> str:
    return ", ".join(f"{label}: {count}" for label, count in errors.most_common()) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mixed load from concurrent keep-alive clients, then the cached article "
        "sequentially; starts its own `newsdesk serve` unless --url is given.",
    )
    parser.add_argument("--url", help="A running server (default: start one)")
    parser.add_argument("--key", help="Client API key for --url (X-API-Key)")
    parser.add_argument("--clients", type=int, default=16, help="Phase 1 threads (default 16)")
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="Phase 1 duration; 0 skips it (default 60)"
    )
    parser.add_argument(
        "--repeats", type=int, default=500, help="Phase 2 requests per run (default 500)"
    )
    parser.add_argument("--runs", type=int, default=3, help="Phase 2 runs (default 3)")
    parser.add_argument(
        "--seed", type=int, help="Seed of the generated texts (default: new each run)"
    )
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**9)

    server = remote_server(args.url) if args.url else local_server()
    with server as (url, pid):
        run(url, args.key, pid, Texts(seed), args)


def run(url: str, key: str | None, pid: int | None, texts: Texts, args: argparse.Namespace) -> None:
    print(f"server {url}  seed {texts.seed}  cores {os.cpu_count()}  load {os.getloadavg()[0]:.2f}")
    ready = rss_of(pid) if pid else None
    expected = Expected()
    warm_up(url, key, texts, expected)
    all_errors: Counter[str] = Counter()
    if args.seconds > 0:
        print(f"\nphase 1: {args.clients} clients x {args.seconds:g} s, keep-alive, mixed")
        sampler = RssSampler(pid) if pid else None
        with sampler or nullcontext():
            tallies, elapsed = mixed_load(url, key, texts, expected, args.clients, args.seconds)
        for kind in KINDS:
            tally = tallies[kind]
            all_errors.update(tally.errors)
            count = len(tally.latencies)
            print(
                f"  {kind:<17} {count:6d} req  {count / elapsed:7.1f} req/s  "
                f"{figures(tally.latencies)}  errors: {errors_text(tally.errors)}"
            )
        total = sum(len(t.latencies) for t in tallies.values())
        print(f"  {'all':<17} {total:6d} req  {total / elapsed:7.1f} req/s")
        if pid and ready and sampler:
            print(f"  RSS after start-up  {ready.line()}")
            print(f"  RSS peak (phase 1)  {sampler.peak.line()}")
            print(f"  RSS end of phase 1  {rss_of(pid).line()}")
        else:
            print("  RSS: not measured (a server given by --url)")

    print(f"\nphase 2: one client, keep-alive, sequential, {args.repeats} requests x {args.runs}")
    cached = texts.cached[0]
    met = 0
    with client_for(url, key) as client:
        for index in range(args.runs):
            article = sequential(client, "POST", "/v1/articles", cached, args.repeats, pid)
            floor = sequential(client, "GET", "/healthz", None, args.repeats, pid)
            all_errors.update(article.errors)
            print(f"  run {index + 1} article cached  {figures(article.latencies)}{cpu(article)}")
            print(f"        GET /healthz      {figures(floor.latencies)}{cpu(floor)}")
            if article.latencies and not article.errors:
                p50 = percentile(article.latencies, 50) * 1000
                p99 = percentile(article.latencies, 99) * 1000
                met += p50 <= GOAL_P50_MS and p99 <= GOAL_P99_MS
    if pid:
        print(f"  RSS at the end      {rss_of(pid).line()}")
    print(
        f"\ngoal: errors {sum(all_errors.values())} (0 wanted: {errors_text(all_errors)}); "
        f"cached article p50 <= {GOAL_P50_MS:g} ms and p99 <= {GOAL_P99_MS:g} ms "
        f"in {met} of {args.runs} sequential runs"
    )


if __name__ == "__main__":
    main()
