"""Archive batch throughput, CPU, queue overhead and memory, measured in one run.

    .venv/bin/python bench/batch.py [--articles 300] [--rss-articles 50000] [--skip-rss]

Needs the Redis at NEWSDESK_TEST_REDIS_URL (default redis://127.0.0.1:6379/15); results go to a
temporary database on the PostgreSQL at NEWSDESK_TEST_POSTGRES_URL when it is reachable, else
to SQLite. Everything runs through the real CLI (`newsdesk worker`, `newsdesk batch ...`).

1. Embedded engines (Apertium + extractive summaries): the same generated articles through
   `batch run`'s code in this process (with the default SQLite store and cache, then with the
   workers' PostgreSQL and Redis), then 1 and 2 `newsdesk worker` processes (concurrency 1
   each), each with a cold cache. Articles/min is wall time from submit to the last result; CPU is
   user+sys seconds of every process of the workers, Apertium pipelines included (sampled with
   psutil while they are alive: Apertium stages are killed, not reaped, at shutdown), and
   separately of the Redis and PostgreSQL servers.
2. Queue overhead: the test-only `echo` engine (returns its input), so what is left is the
   pipeline's own work; one worker vs the same articles in process, and sequential round trips
   (submit one task, wait for its row) against the same article processed in process.
3. Memory: RSS of `newsdesk batch run` over a 50,000-article JSONL with the `echo` engine
   (summaries, detection, parsing, cache and store all real): resident and peak-so-far from
   /proc at 1k, 5k, 10k, 20k, ... 50k results, and the process's final peak from wait4().
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.batch.results import BatchResults, Pending  # noqa: E402
from service.config import Settings  # noqa: E402
from tests.helpers.fixtures_wxr import make_jsonl  # noqa: E402

NEWSDESK = [sys.executable, "-m", "service.cli"]
REDIS_URL = os.environ.get("NEWSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get(
    "NEWSDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def env_for(data_dir: Path, **settings: object) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_") and k != "CI"}
    env["NEWSDESK_DATA_DIR"] = str(data_dir)
    env["NEWSDESK_MODELS_DIR"] = str(data_dir / "no-models")
    env["PYTHONPATH"] = str(ROOT)
    env.update({f"NEWSDESK_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def settings_for(env: dict[str, str]) -> Settings:
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return Settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)


# ----------------------------------------------------------------------------------- CPU


def tree_cpu(pids: list[int]) -> tuple[float, float]:
    """(all, engine) user+sys seconds of these processes and all their live descendants (plus
    children they already reaped); `engine` is the part of processes that are not Python (the
    Apertium pipeline stages and their shell)."""
    total = engine = 0.0
    seen: set[int] = set()
    for pid in pids:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for proc in procs:
            if proc.pid in seen:
                continue
            seen.add(proc.pid)
            try:
                t = proc.cpu_times()
                name = proc.name()
            except psutil.NoSuchProcess:
                continue
            cpu = t.user + t.system + t.children_user + t.children_system
            total += cpu
            if not name.startswith("python"):
                engine += cpu
    return total, engine


def service_pids() -> list[int]:
    names = ("redis-server", "postgres")
    return [p.pid for p in psutil.process_iter(["name"]) if (p.info["name"] or "") in names]


def services_cpu() -> float:
    total = 0.0
    for pid in service_pids():
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


# ------------------------------------------------------------------------------- services


@contextmanager
def database() -> Iterator[tuple[str, str]]:
    """(url, description): a temporary PostgreSQL database, or SQLite when none is reachable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"newsdesk_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        tmp = Path(tempfile.mkdtemp(prefix="newsdesk-bench-db-"))
        yield f"sqlite:///{tmp / 'bench.sqlite3'}", f"SQLite (PostgreSQL unreachable: {exc})"
        shutil.rmtree(tmp, ignore_errors=True)
        return
    try:
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        yield url, "PostgreSQL"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def cleanup_redis(queues: list[str], prefixes: list[str]) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys: list[bytes] = []
    for prefix in prefixes:
        keys += list(client.scan_iter(match=prefix + "*", count=1000))
    for queue in queues:
        keys += list(client.scan_iter(match=f"*{queue}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


class Workers:
    def __init__(self, n: int, env: dict[str, str], logs: Path) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        for i in range(n):
            log = (logs / f"worker-{i}-{uuid.uuid4().hex[:4]}.log").open("wb")
            worker_env = dict(env, NEWSDESK_DATA_DIR=f"{env['NEWSDESK_DATA_DIR']}-w{i}")
            self.procs.append(
                subprocess.Popen(
                    [*NEWSDESK, "worker", "--concurrency", "1", "--loglevel", "WARNING"],
                    env=worker_env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            log.close()

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*NEWSDESK, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"newsdesk {' '.join(args)} failed:\n{result.stderr}")
    return result


def wait_done(results: BatchResults, job: str, n: int, timeout: float, poll: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        counts = results.counts(job)
        if counts is not None and counts.counts["done"] >= n:
            return
        if counts is not None and counts.counts["failed"]:
            raise SystemExit(f"job {job}: {counts.counts['failed']} articles failed")
        if time.monotonic() > deadline:
            raise SystemExit(f"job {job} did not finish in {timeout} s: {counts}")
        time.sleep(poll)


# ---------------------------------------------------------------------------- measurements


def in_process_run(source: Path, env: dict[str, str], work: Path) -> dict[str, float]:
    """`batch run`'s code in this process; CPU of this process and its Apertium children."""
    from service.batch.runner import run_batch
    from service.runtime import Runtime

    runtime = Runtime.open(settings_for(env))
    me = [os.getpid()]
    (cpu0, engine0), services0, t0 = tree_cpu(me), services_cpu(), time.perf_counter()
    name = f"local-{uuid.uuid4().hex[:6]}"
    stats = run_batch(runtime.pipeline, source, work / f"{name}.jsonl", work / f"{name}.err")
    wall = time.perf_counter() - t0
    cpu1, engine1 = tree_cpu(me)
    services = services_cpu() - services0
    runtime.close()
    assert stats.done and not stats.failed, stats
    return {
        "n": stats.done,
        "wall": wall,
        "cpu": cpu1 - cpu0,
        "engine_cpu": engine1 - engine0,
        "services": services,
    }


def distributed_run(
    n_workers: int, source: Path, n: int, env: dict[str, str], db_url: str, work: Path
) -> dict[str, float]:
    """Submit `source` to `n_workers` fresh workers after a warm-up job; wall and CPU."""
    tag = uuid.uuid4().hex[:8]
    env = dict(
        env,
        NEWSDESK_BATCH_QUEUE=f"bench-{tag}",
        NEWSDESK_REDIS_KEY_PREFIX=f"newsdesk:bench-{tag}:",
        NEWSDESK_DATABASE_URL=db_url,
        NEWSDESK_REDIS_URL=REDIS_URL,
    )
    warm = work / f"warm-{tag}.jsonl"
    make_jsonl(warm, 4 * n_workers, seed=1000 + n_workers)
    results = BatchResults.open(db_url)
    workers = Workers(n_workers, dict(env, NEWSDESK_DATA_DIR=str(work / f"w{tag}")), work)
    try:
        run_cli("batch", "submit", str(warm), "--job", f"warm-{tag}", env=env)
        wait_done(results, f"warm-{tag}", 4 * n_workers, timeout=180, poll=0.05)
        (cpu0, engine0), services0 = tree_cpu(workers.pids), services_cpu()
        t0 = time.perf_counter()
        children0 = os.times().children_user + os.times().children_system
        run_cli("batch", "submit", str(source), "--job", f"main-{tag}", env=env)
        wait_done(results, f"main-{tag}", n, timeout=3600, poll=0.02)
        wall = time.perf_counter() - t0
        cpu1, engine1 = tree_cpu(workers.pids)
        submit_cpu = os.times().children_user + os.times().children_system - children0
        services = services_cpu() - services0
    finally:
        workers.stop()
        results.close()
        cleanup_redis([f"bench-{tag}"], [f"newsdesk:bench-{tag}:"])
    return {
        "n": n,
        "wall": wall,
        "cpu": cpu1 - cpu0 + submit_cpu,
        "engine_cpu": engine1 - engine0,
        "submit_cpu": submit_cpu,
        "services": services,
    }


def queue_overhead(source: Path, n: int, base_env: dict[str, str], db_url: str, work: Path) -> dict:
    """Echo engine: one worker vs in-process, throughput and sequential round trips."""
    from service.batch.articles import content_hash, to_request
    from service.batch.celery_app import TASK_NAME, create_celery, task_id
    from service.batch.readers import ArchiveArticle, read_archive
    from service.runtime import Runtime

    tag = uuid.uuid4().hex[:8]
    env = dict(
        base_env,
        NEWSDESK_ENGINE_PREFERENCE="echo",
        NEWSDESK_BATCH_QUEUE=f"bench-{tag}",
        NEWSDESK_REDIS_KEY_PREFIX=f"newsdesk:bench-{tag}:",
        NEWSDESK_DATABASE_URL=db_url,
        NEWSDESK_REDIS_URL=REDIS_URL,
    )
    articles = [a for a in read_archive(source) if isinstance(a, ArchiveArticle)][:n]
    half = len(articles) // 2
    # In process, same settings (Redis cache, same database), fresh keys: per-article time.
    local_env = dict(env, NEWSDESK_REDIS_KEY_PREFIX=f"newsdesk:bench-{tag}-local:")
    runtime = Runtime.open(settings_for(dict(local_env, NEWSDESK_DATA_DIR=str(work / "ql"))))
    times = []
    for article in articles:
        t0 = time.perf_counter()
        runtime.pipeline.process(to_request(article))
        times.append(time.perf_counter() - t0)
    runtime.close()
    local_mean = statistics.mean(times[:half])
    local_median_seq = statistics.median(times[half:])

    settings = settings_for(dict(env, NEWSDESK_DATA_DIR=str(work / "qs")))
    app = create_celery(settings)
    task = app.tasks[TASK_NAME]
    results = BatchResults.open(db_url)
    workers = Workers(1, dict(env, NEWSDESK_DATA_DIR=str(work / f"q{tag}")), work)
    job = f"queue-{tag}"
    try:
        results.start_job("warm-" + tag, "warm")
        warm_req = to_request(articles[0]).model_copy(update={"id": "warm", "title": "Warm up"})
        warm_hash = content_hash(warm_req)
        results.queue("warm-" + tag, [Pending("warm", 0, warm_hash)])
        task.apply_async(["warm-" + tag, "warm", warm_hash, warm_req.model_dump_json()])
        wait_done(results, "warm-" + tag, 1, timeout=120, poll=0.01)

        results.start_job(job, "bench")
        requests = [to_request(a) for a in articles]
        hashes = [content_hash(r) for r in requests]
        # Throughput: the first half queued at once.
        t0 = time.perf_counter()
        results.queue(
            job, [Pending(r.id or "", i, hashes[i]) for i, r in enumerate(requests[:half])]
        )
        for i, request in enumerate(requests[:half]):
            task.apply_async(
                [job, request.id, hashes[i], request.model_dump_json()],
                task_id=task_id(request.id or "", hashes[i]),
            )
        wait_done(results, job, half, timeout=600, poll=0.005)
        queued_mean = (time.perf_counter() - t0) / half
        # Round trips: the second half one at a time.
        trips = []
        for i in range(half, len(requests)):
            request = requests[i]
            t0 = time.perf_counter()
            results.queue(job, [Pending(request.id or "", i, hashes[i])])
            task.apply_async(
                [job, request.id, hashes[i], request.model_dump_json()],
                task_id=task_id(request.id or "", hashes[i]),
            )
            wait_done(results, job, i + 1, timeout=60, poll=0.001)
            trips.append(time.perf_counter() - t0)
    finally:
        workers.stop()
        results.close()
        cleanup_redis([f"bench-{tag}"], [f"newsdesk:bench-{tag}"])
    return {
        "local_ms": local_mean * 1000,
        "queued_ms": queued_mean * 1000,
        "local_seq_ms": local_median_seq * 1000,
        "trip_ms": statistics.median(trips) * 1000,
        "n_throughput": half,
        "n_trips": len(trips),
    }


def rss_run(n: int, work: Path, base_env: dict[str, str]) -> dict[str, Any]:
    big = work / "big.jsonl"
    make_jsonl(big, n, seed=7)
    out = work / "big-out.jsonl"
    env = dict(base_env, NEWSDESK_ENGINE_PREFERENCE="echo", NEWSDESK_DATA_DIR=str(work / "rss"))
    marks = [m for m in (1000, 5000, 10_000, 20_000, 30_000, 40_000, 50_000) if m <= n] or [n]
    samples: dict[int, tuple[int, int]] = {}  # results -> (VmRSS, VmHWM)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*NEWSDESK, "batch", "run", str(big), "--out", str(out), "--no-progress"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    lines = 0
    offset = 0
    while marks and proc.poll() is None:
        if out.exists():
            with out.open("rb") as f:
                f.seek(offset)
                chunk = f.read()
            lines += chunk.count(b"\n")
            offset += len(chunk)
        while marks and lines >= marks[0]:
            samples[marks.pop(0)] = (_vm(proc.pid, "VmRSS"), _vm(proc.pid, "VmHWM"))
        time.sleep(0.05)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    peak = usage.ru_maxrss * 1024
    done = out.read_bytes().count(b"\n")
    return {"samples": samples, "peak": peak, "done": done, "wall": wall, "status": status}


def _vm(pid: int, field: str) -> int:
    """A /proc/PID/status memory field (VmRSS: resident now, VmHWM: peak so far), bytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


LINGUA_PROBE = """
import psutil
from service.pipeline.detect import detect_language
me = psutil.Process()
long = "The city council said on Monday that a new plan for the harbour would cost more " * 2
detect_language(long)
before = me.memory_info().rss
detect_language("Monday plan")
print(me.memory_info().rss - before)
"""


def lingua_step() -> int:
    """RSS added when language detection first meets a text under 120 characters (lingua then
    loads its 1- to 5-gram models; longer texts need only the trigram ones)."""
    result = subprocess.run(
        [sys.executable, "-c", LINGUA_PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip())


# ----------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="for throughput and CPU")
    parser.add_argument("--queue-articles", type=int, default=200, help="for queue overhead")
    parser.add_argument("--rss-articles", type=int, default=50_000)
    parser.add_argument("--skip-rss", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-batch-"))
    source = work / "articles.jsonl"
    make_jsonl(source, args.articles, seed=42)
    base = env_for(work / "data", engine_preference="apertium", cache_backend="auto")
    report: dict[str, Any] = {"cores": os.cpu_count(), "articles": args.articles}
    print(f"newsdesk batch bench: {args.articles} generated articles, {os.cpu_count()} cores")
    print("load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with database() as (db_url, db_name):
        print(f"results database: {db_name}; Redis: {REDIS_URL}")
        rows = []
        # One process, as `batch run` on one machine: the default SQLite store and cache, then
        # the workers' PostgreSQL and Redis (a cache prefix of its own, so cold too).
        sqlite_env = dict(base, NEWSDESK_DATA_DIR=str(work / "local-sqlite"))
        rows.append(("batch run, SQLite", in_process_run(source, sqlite_env, work)))
        prefix = f"newsdesk:bench-local-{uuid.uuid4().hex[:8]}:"
        shared_env = dict(
            base,
            NEWSDESK_DATA_DIR=str(work / "local-pg"),
            NEWSDESK_DATABASE_URL=db_url,
            NEWSDESK_REDIS_URL=REDIS_URL,
            NEWSDESK_REDIS_KEY_PREFIX=prefix,
        )
        rows.append(("batch run, PG+Redis", in_process_run(source, shared_env, work)))
        cleanup_redis([], [prefix])
        # 1, 2, 2, 1 workers: a burst of load from elsewhere weighs on both alike.
        runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
        for n_workers in (1, 2, 2, 1):
            result = distributed_run(n_workers, source, args.articles, base, db_url, work)
            runs[n_workers].append(result)
        for n_workers, results in runs.items():
            total: dict[str, Any] = {k: sum(r[k] for r in results) for k in results[0]}
            total["runs_per_min"] = [r["n"] / r["wall"] * 60 for r in results]
            rows.append((f"{n_workers} worker{'s' if n_workers > 1 else ''}", total))
        print("\n1. Embedded engines (Apertium eng-spa/spa-eng + extractive summaries), cold cache")
        print(
            f"{'':22}{'articles/min':>13}{'CPU s/article':>14}{'Apertium':>10}"
            f"{'Redis+PG s/art':>16}{'cores busy':>12}"
        )
        for name, r in rows:
            per_min = r["n"] / r["wall"] * 60
            cpu = r["cpu"] / r["n"]
            share = r["engine_cpu"] / r["cpu"]
            busy = (r["cpu"] + r["services"]) / r["wall"]
            print(
                f"{name:22}{per_min:13.0f}{cpu:14.4f}{share:10.0%}"
                f"{r['services'] / r['n']:16.4f}{busy:12.2f}"
            )
            r.update(articles_per_min=per_min, cpu_s_per_article=cpu, cores_busy=busy)
            report[name] = r
        one, two = rows[2][1], rows[3][1]
        cores = os.cpu_count() or 1
        speedup = (two["n"] / two["wall"]) / (one["n"] / one["wall"])
        each = "; ".join(
            f"{name}: " + ", ".join(f"{x:.0f}" for x in r["runs_per_min"])
            for name, r in rows
            if "runs_per_min" in r
        )
        print(f"2 workers vs 1: {speedup:.2f}x the throughput (articles/min of each run: {each})")
        busy2 = two["cores_busy"] / cores
        print(
            f"What limits scaling: one worker already keeps {one['cores_busy']:.2f} of {cores} "
            "cores busy, because its Apertium pipeline is a chain of processes (analyser, tagger, "
            "transfer stages, generator) that run beside its own Python work (parsing, "
            "sentence splitting, summaries, store writes); a second worker only fills what is "
            f"left: {two['cores_busy']:.2f} cores busy, {busy2:.0%} of this machine. "
            + (
                f"The {cores} cores are the ceiling: more throughput needs more machines, not "
                "more workers on this one."
                if busy2 >= 0.8
                else "What is left idle is each worker's serial waiting: for its Apertium "
                "pipeline's answer, for PostgreSQL commits, and between tasks (with late acks and "
                "a prefetch of 1, a worker asks the broker for the next article only after "
                "acknowledging the last one); past that, the cores are the ceiling."
            )
        )
        print(
            "CPU s/article: user+sys of the worker processes and their Apertium pipelines (and "
            "of `batch submit`); Apertium: its share of that; Redis+PG: the servers' CPU (all of "
            "their clients: anything else using them adds to it); cores busy: all of that over "
            "wall time."
        )

        q = queue_overhead(source, args.queue_articles, base, db_url, work)
        report["queue"] = q
        print("\n2. Queue overhead (echo test engine: returns its input), 1 worker")
        print(
            f"throughput, {q['n_throughput']} articles queued at once: "
            f"{q['queued_ms']:.1f} ms/article via Celery vs {q['local_ms']:.1f} ms in process -> "
            f"{q['queued_ms'] - q['local_ms']:.1f} ms overhead per article"
        )
        print(
            f"round trip, {q['n_trips']} articles one at a time (median): {q['trip_ms']:.1f} ms vs "
            f"{q['local_seq_ms']:.1f} ms in process -> {q['trip_ms'] - q['local_seq_ms']:.1f} ms "
            "(broker, results-table claim and store, result polling)"
        )

    if not args.skip_rss:
        r = rss_run(args.rss_articles, work, base)
        report["rss"] = r
        mib = 1024 * 1024
        print(
            f"\n3. Memory: `batch run` over {args.rss_articles:,} articles (echo test engine, "
            "summaries/detection/store real); RSS now / peak so far, MiB:"
        )
        print(
            "  ".join(
                f"{k:,}: {now / mib:.0f}/{peak / mib:.0f}"
                for k, (now, peak) in r["samples"].items()
            )
        )
        print(f"final peak (wait4 ru_maxrss): {r['peak'] / mib:.0f} MiB")
        print(
            f"{r['done']:,} results in {r['wall']:.0f} s ({r['done'] / r['wall']:.0f} articles/s)"
        )
        step = lingua_step()
        report["lingua_step"] = step
        print(
            f"A step, if any, is the language detector, once: lingua needs only its trigram "
            "models for texts of 120+ characters, and loads its other n-gram models "
            f"(+{step / mib:.0f} MiB, measured now) the first time a shorter text comes; "
            "the runner holds only the set of finished ids."
        )
    print("load average at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    (work / "report.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"\nraw numbers: {work / 'report.json'}")


if __name__ == "__main__":
    main()
