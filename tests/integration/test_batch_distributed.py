"""Two `newsdesk worker` processes on the real Redis and PostgreSQL; one is killed with -9 in the
middle of an article. The export must hold all 200 articles exactly once and equal what a
single `batch run` of the same input writes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.batch_helpers import (
    NEWSDESK,
    ROOT,
    cli_env,
    engine_calls,
    newsdesk,
    read_results,
)
from tests.helpers.fixtures_wxr import make_jsonl
from tests.helpers.services import postgres_url, redis_url

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

ARTICLES = 200


@pytest.fixture
def database_url() -> Iterator[str]:
    """A database of this test's own on the PostgreSQL server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = postgres_url()
    name = f"newsdesk_batch_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def redis_names() -> Iterator[dict[str, str]]:
    """A queue and a cache key prefix of this test's own, removed afterwards."""
    import redis

    url = redis_url()
    tag = uuid.uuid4().hex[:10]
    names = {"queue": f"newsdesk-test-{tag}", "prefix": f"newsdesk:test-{tag}:"}
    yield names
    client = redis.Redis.from_url(url)
    queue = names["queue"]
    keys = list(client.scan_iter(match=names["prefix"] + "*", count=1000))
    keys += list(client.scan_iter(match=f"*{queue}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def _wait(what: str, predicate: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def _normalized(row: dict[str, Any]) -> dict[str, Any]:
    """A result without what depends on the order in which articles were computed: the `cached`
    flag, the split of sentence origins (engine vs cache: a worker may reuse what another worker,
    or the killed one, already put in the shared cache; the total stays compared), and the review
    store's revision ids (database row ids, numbered in processing order)."""
    row = {k: v for k, v in row.items() if k != "cached"}
    versions = {}
    for lang, version in row["versions"].items():
        provenance = dict(version["provenance"])
        provenance["sentences"] = sum(provenance.get("sentences", {}).values())
        version = {**version, "provenance": provenance}
        if "review" in version:
            review = version["review"]
            version["review"] = {
                k: v for k, v in review.items() if k not in ("revision", "head_revision")
            }
        versions[lang] = version
    return {**row, "versions": versions}


def test_two_workers_one_killed_midway_export_equals_single_run(
    tmp_path: Path, database_url: str, redis_names: dict[str, str]
) -> None:
    import psutil
    from sqlalchemy import create_engine, text

    source, calls = tmp_path / "archive.jsonl", tmp_path / "calls"
    make_jsonl(source, ARTICLES)
    job = "archive-" + uuid.uuid4().hex[:6]
    shared = {
        "engine_preference": "echo",
        "echo_calls_file": calls,
        "redis_url": redis_url(),
        "database_url": database_url,
        "batch_queue": redis_names["queue"],
        "redis_key_prefix": redis_names["prefix"],
        # A killed worker's task comes back after 5 s (production: 10 minutes).
        "batch_visibility_timeout_s": 5,
        "batch_restore_interval_s": 0.5,
    }
    submitter = cli_env(tmp_path / "submitter", **shared)
    submitted = newsdesk("batch", "submit", str(source), "--job", job, env=submitter, check=True)
    assert f"{ARTICLES} queued now" in submitted.stderr

    # 25 ms in the engine per article: a worker seen entering a call is killed inside it.
    worker_env = {**shared, "echo_delay_ms": 25}
    workers: list[subprocess.Popen[bytes]] = []
    logs = []
    for name in ("a", "b"):
        log = (tmp_path / f"worker-{name}.log").open("wb")
        logs.append(log)
        env = cli_env(tmp_path / f"machine-{name}", **worker_env)
        workers.append(
            subprocess.Popen(
                [*NEWSDESK, "worker", "--concurrency", "1", "--loglevel", "WARNING"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill -9 takes the pool too
            )
        )
    engine = create_engine(database_url)

    def done() -> int:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM batch_results WHERE job_id = :j AND status = 'done'"
                    ),
                    {"j": job},
                ).scalar_one()
            )

    victim = workers[0]
    try:
        _wait("half of the articles", lambda: done() >= ARTICLES // 2, timeout=120)
        pool = {p.pid for p in psutil.Process(victim.pid).children(recursive=True)}
        assert pool, "worker a has no pool process"
        seen = len(engine_calls(calls))
        _wait(
            "worker a to enter an engine call",
            lambda: any(c["pid"] in pool for c in engine_calls(calls)[seen:]),
            timeout=30,
        )
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        killed_at = done()
        assert killed_at < ARTICLES * 4 // 5, killed_at
        _wait("the job to finish", lambda: done() == ARTICLES, timeout=120)
        assert workers[1].poll() is None, "the surviving worker died"
    finally:
        for proc in workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in workers:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log in logs:
            log.close()

    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT status, attempts FROM batch_results WHERE job_id = :j"), {"j": job}
        ).all()
    engine.dispose()
    assert len(rows) == ARTICLES and {r.status for r in rows} == {"done"}
    # The article in flight at the kill was delivered again and finished by the other worker.
    assert sorted(r.attempts for r in rows)[-2:] == [1, 2]
    assert len(engine_calls(calls)) == ARTICLES + 1  # nothing else was computed twice

    status = newsdesk("batch", "status", job, env=submitter, check=True)
    assert "finished" in status.stdout and f"{ARTICLES}" in status.stdout
    exported = tmp_path / "export.jsonl"
    newsdesk("batch", "export", "--out", str(exported), job, env=submitter, check=True)
    results = read_results(exported)
    assert [r["id"] for r in results] == [f"a{i:06d}" for i in range(ARTICLES)]

    # Submitting again queues nothing and changes nothing.
    again = newsdesk("batch", "submit", str(source), "--job", job, env=submitter, check=True)
    assert "0 queued now" in again.stderr and f"{ARTICLES} done or running already" in again.stderr

    single = tmp_path / "single.jsonl"
    alone = cli_env(tmp_path / "single-machine", engine_preference="echo")
    newsdesk("batch", "run", str(source), "--out", str(single), env=alone, check=True)
    expected = read_results(single)
    differences = [
        (row["id"], path)
        for row, want in zip(results, expected, strict=True)
        for path in _differences(_normalized(row), _normalized(want))
    ]
    kinds = sorted({path.split(":")[0] for _, path in differences})
    assert differences == [], kinds


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += _differences(a.get(key), b.get(key), f"{path}.{key}")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]
