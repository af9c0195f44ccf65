"""Faults injected into a real `newsdesk serve` while clients keep sending requests.

Usage (as root: it mounts a tmpfs and starts a redis-server of its own):

    python bench/faults.py [--clients 3] [--hold 5] [--tmpfs-size 8m]
                           [--postgres [URL]] [--stop-postgres]
                           [--faults apertium,disk,redis,postgres]

The server runs with its data dir on a small tmpfs, the Redis cache on a private redis-server
(free port, no persistence), and its store in SQLite in the data dir, or in PostgreSQL with
`--postgres` (default: the test database, NEWSDESK_TEST_POSTGRES_URL, in a schema of its own
that is dropped afterwards). Client threads post new and repeated articles and translations
while each fault is injected in turn:

  apertium  every Apertium process of the server killed (the engine restarts them)
  disk      the data dir filled until ENOSPC, held, then the filler deleted
  redis     the redis-server killed, held, then started again on its port
  postgres  (with --postgres) the server's connections to PostgreSQL cut at a TCP proxy in
            between, held, then let through again; with --stop-postgres the cluster itself is
            stopped and started (`pg_ctlcluster`), which only an explicit flag may do, since
            the server is shared

For each fault it prints what the clients got (counts per status, answers that were not JSON,
connections dropped), what /readyz said during and after, and the recovery: seconds from the
fault's end to the first fully healthy answer (/readyz ok, a new article stored with its review
state, its repeat served from the cache). The last line gives the share of requests answered
and with JSON during and after each fault.

/readyz is polled throughout, and a successful cache probe lets requests use the cache again at
once, so the recovery measured here is shorter than that of a server nobody probes, whose cache
is tried again after NEWSDESK_CACHE_RETRY_AFTER_S.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `service` and `tests` importable
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psutil  # noqa: E402

from tests.helpers.outages import (  # noqa: E402
    CuttableProxy,
    PrivateRedis,
    Unavailable,
    fill,
    free_port,
    tmpfs,
)
from tests.helpers.services import POSTGRES_URL, schema_on  # noqa: E402

SUBJECTS = [
    "The council",
    "The minister",
    "Local farmers",
    "The union",
    "A new study",
    "The mayor",
    "Fishing crews",
    "The court",
    "Teachers",
    "The central bank",
]
VERBS = [
    "approved",
    "rejected",
    "questioned",
    "announced",
    "delayed",
    "praised",
    "reviewed",
    "criticised",
    "funded",
    "postponed",
]
OBJECTS = [
    "the budget",
    "a water plan",
    "the harbour project",
    "new rules for schools",
    "the rail strike",
    "a housing law",
    "the winter festival",
    "the clinic's hours",
    "road repairs",
    "the trade deal",
]
WHEN = ["on Monday", "after a long debate", "this week", "without a vote", "late last night",
        "in a short statement", "despite protests", "for the second time"]  # fmt: skip


def _sentence(rng: random.Random) -> str:
    return (
        " ".join([rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(WHEN)])
        + "."
    )


def _article(rng: random.Random, paragraphs: int = 3) -> dict[str, Any]:
    body = "".join(
        "<p>" + " ".join(_sentence(rng) for _ in range(3)) + "</p>" for _ in range(paragraphs)
    )
    return {"title": _sentence(rng).rstrip("."), "body": body, "source_lang": "en"}


@dataclass
class Fault:
    name: str
    inject: Callable[[], None]
    clear: Callable[[], None]
    instant: bool = False  # over once injected (a kill): recovery counts from the injection


class Recorder:
    """What the clients and the /readyz poller saw, per phase."""

    def __init__(self) -> None:
        self.phase = "warm-up"
        self.lock = threading.Lock()
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self.readyz: dict[str, Counter[str]] = defaultdict(Counter)

    def outcome(self, what: str) -> None:
        with self.lock:
            self.outcomes[self.phase][what] += 1

    def ready(self, what: str) -> None:
        with self.lock:
            self.readyz[self.phase][what] += 1


def _outcome(response: httpx.Response) -> str:
    try:
        response.json()
    except ValueError:
        return f"{response.status_code} non-JSON"
    return str(response.status_code)


def _client(base: str, recorder: Recorder, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    repeated_articles = [_article(random.Random(i)) for i in range(5)]
    repeated_texts = [_sentence(random.Random(100 + i)) for i in range(5)]
    with httpx.Client(base_url=base, timeout=60) as client:
        for turn in itertools.count():
            if stop.is_set():
                return
            kind = turn % 4
            try:
                if kind == 0:
                    response = client.post("/v1/articles", json=_article(rng))
                elif kind == 1:
                    response = client.post("/v1/articles", json=rng.choice(repeated_articles))
                else:
                    text = _sentence(rng) if kind == 2 else rng.choice(repeated_texts)
                    response = client.post(
                        "/v1/translate", json={"text": text, "source": "en", "target": "es"}
                    )
                recorder.outcome(_outcome(response))
            except httpx.TimeoutException:
                recorder.outcome("timed out")
            except httpx.TransportError:
                recorder.outcome("dropped")
                time.sleep(0.05)


def _readyz(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} non-JSON"
    reasons = "; ".join(body.get("reasons", []))
    return f"{response.status_code} {body.get('status')}" + (f" [{reasons}]" if reasons else "")


def _poll_readyz(base: str, recorder: Recorder, stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        while not stop.is_set():
            try:
                recorder.ready(_readyz(client.get("/readyz")))
            except httpx.HTTPError as exc:
                recorder.ready(f"no answer ({type(exc).__name__})")
            time.sleep(0.25)


def _healthy(client: httpx.Client, rng: random.Random) -> bool:
    """/readyz ok, a new article stored (review state present) and its repeat cached."""
    try:
        ready = client.get("/readyz")
        if ready.status_code != 200 or ready.json().get("status") != "ok":
            return False
        article = _article(rng, paragraphs=1)
        first = client.post("/v1/articles", json=article)
        if first.status_code != 200 or first.json()["versions"]["es"].get("review") is None:
            return False
        second = client.post("/v1/articles", json=article)
        return second.status_code == 200 and second.json()["cached"] is True
    except (httpx.HTTPError, ValueError, KeyError):
        return False


def _recovery(base: str, since: float, limit_s: float) -> float | None:
    rng = random.Random(since)
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() - since < limit_s:
            if _healthy(client, rng):
                return time.monotonic() - since
            time.sleep(0.1)
    return None


def _postgres_cluster(port: int) -> tuple[str, str]:
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True)
    for line in listing.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == str(port):
            return fields[0], fields[1]
    raise Unavailable(f"no PostgreSQL cluster on port {port} in pg_lsclusters")


def _kill_apertium(server: psutil.Process) -> None:
    killed = 0
    for child in server.children(recursive=True):
        try:
            child.send_signal(signal.SIGKILL)
            killed += 1
        except psutil.NoSuchProcess:
            pass
    print(f"  killed {killed} Apertium processes", flush=True)


def _start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited at start; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start in 120 s; see {log}")


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{what}: {n}" for what, n in sorted(counter.items())) or "none"


def _shares(counter: Counter[str]) -> str:
    """`ok/json/total`: answered 200, answered with JSON (any status), all requests."""
    total = sum(counter.values())
    ok = counter.get("200", 0)
    json_answers = sum(n for what, n in counter.items() if what.isdigit())
    if not total:
        return "no requests"
    return (
        f"200 {ok}/{total} ({ok / total:.0%}), "
        f"JSON {json_answers}/{total} ({json_answers / total:.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--hold", type=float, default=5.0, help="seconds each fault lasts")
    parser.add_argument("--tmpfs-size", default="8m", help="size of the data dir's tmpfs")
    parser.add_argument(
        "--postgres", nargs="?", const=POSTGRES_URL, default=None, metavar="URL",
        help=f"store in PostgreSQL (default URL: {POSTGRES_URL}) instead of SQLite",
    )  # fmt: skip
    parser.add_argument(
        "--stop-postgres", action="store_true",
        help="also stop and start the PostgreSQL cluster (shared: off unless asked)",
    )  # fmt: skip
    parser.add_argument("--faults", default="apertium,disk,redis,postgres")
    parser.add_argument("--recovery-limit", type=float, default=60.0)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the data dir is a tmpfs this script mounts")
    wanted = [f.strip() for f in args.faults.split(",") if f.strip()]
    if "postgres" in wanted and not args.postgres:
        wanted.remove("postgres")
        print("postgres fault skipped: the store is SQLite (see --postgres)", flush=True)

    work = Path(tempfile.mkdtemp(prefix="newsdesk-faults-"))
    log = work / "server.log"
    with ExitStack() as stack:
        data_dir = stack.enter_context(tmpfs(work / "var", args.tmpfs_size))
        redis_server = PrivateRedis(work / "redis")
        redis_server.start()
        stack.callback(redis_server.stop)
        port = free_port()
        env = dict(
            os.environ,
            NEWSDESK_DATA_DIR=str(data_dir),
            NEWSDESK_REDIS_URL=redis_server.url,
            NEWSDESK_CACHE_BACKEND="redis",
            NEWSDESK_REQUIRE_CLIENT_KEY="false",
            NEWSDESK_RATE_LIMIT_RPM="0",
            NEWSDESK_RATE_LIMIT_CHARS_PER_DAY="0",
            NEWSDESK_PAIRS="en-es,es-en",
            NEWSDESK_ENGINE_PREFERENCE="apertium",
            NEWSDESK_LOG_LEVEL="WARNING",
        )
        proxy: CuttableProxy | None = None
        if args.postgres:
            from sqlalchemy.engine import make_url

            scoped = make_url(stack.enter_context(schema_on(args.postgres, "faults_")))
            proxy = CuttableProxy((scoped.host or "127.0.0.1", scoped.port or 5432))
            proxy.restore()
            stack.callback(proxy.cut)
            through = scoped.set(host="127.0.0.1", port=proxy.port)
            env["NEWSDESK_DATABASE_URL"] = through.render_as_string(hide_password=False)
        else:
            env.pop("NEWSDESK_DATABASE_URL", None)
        server = _start_server(env, port, log)
        stack.callback(lambda: (server.terminate(), server.wait(timeout=30)))
        base = f"http://127.0.0.1:{port}"
        store = "PostgreSQL" if args.postgres else "SQLite in the data dir"
        print(
            f"server on {base}: data dir {data_dir} (tmpfs {args.tmpfs_size}), Redis cache on "
            f"port {redis_server.port}, store {store}; log {log}",
            flush=True,
        )

        filler: list[Path] = []
        faults = {
            "apertium": Fault(
                "apertium", lambda: _kill_apertium(psutil.Process(server.pid)), lambda: None, True
            ),
            "disk": Fault(
                "disk",
                lambda: filler.append(fill(data_dir)),
                lambda: filler.pop().unlink(),
            ),
            "redis": Fault("redis", redis_server.stop, redis_server.start),
        }
        if "postgres" in wanted and args.stop_postgres:
            from sqlalchemy.engine import make_url

            version, name = _postgres_cluster(make_url(args.postgres).port or 5432)
            faults["postgres"] = Fault(
                "postgres",
                lambda: subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"],
                                       check=True),
                lambda: subprocess.run(["pg_ctlcluster", version, name, "start"], check=True),
            )  # fmt: skip
        elif "postgres" in wanted and proxy is not None:
            faults["postgres"] = Fault("postgres", proxy.cut, proxy.restore)

        recorder = Recorder()
        stop = threading.Event()
        threads = [
            threading.Thread(target=_client, args=(base, recorder, stop, seed), daemon=True)
            for seed in range(args.clients)
        ] + [threading.Thread(target=_poll_readyz, args=(base, recorder, stop), daemon=True)]
        for thread in threads:
            thread.start()
        stack.callback(stop.set)
        time.sleep(3)
        recorder.phase = "baseline"
        time.sleep(args.hold)
        recoveries: dict[str, float | None] = {}
        for name in wanted:
            fault = faults[name]
            print(f"fault {name} ...", flush=True)
            recorder.phase = f"{name} during"
            fault.inject()
            started = time.monotonic()
            if fault.instant:
                ended = started
                recorder.phase = f"{name} after"
                recoveries[name] = _recovery(base, ended, args.recovery_limit)
                time.sleep(max(0.0, args.hold - (time.monotonic() - started)))
            else:
                time.sleep(args.hold)
                fault.clear()
                ended = time.monotonic()
                recorder.phase = f"{name} after"
                recoveries[name] = _recovery(base, ended, args.recovery_limit)
            time.sleep(2)
        recorder.phase = "done"
        stop.set()
        for thread in threads:
            thread.join(timeout=70)

    print()
    for phase in ["baseline"] + [f"{n} {w}" for n in wanted for w in ("during", "after")]:
        print(f"{phase}:")
        print(f"  clients: {_counts(recorder.outcomes[phase])}")
        for what, n in recorder.readyz[phase].most_common():
            print(f"  readyz x{n}: {what}")
        name, _, when = phase.partition(" ")
        if when == "after":
            seconds = recoveries.get(name)
            healthy = "not within the limit" if seconds is None else f"{seconds:.2f} s"
            print(f"  recovery (fault end -> first fully healthy answer): {healthy}")
    print("answers during and after each fault:")
    for name in wanted:
        seen = recorder.outcomes[f"{name} during"] + recorder.outcomes[f"{name} after"]
        print(f"  {name}: {_shares(seen)}")


if __name__ == "__main__":
    main()
