"""The resumable single-machine batch: `newsdesk batch run INPUT --out OUT.jsonl`.

OUT.jsonl is the only record of progress. Each line is one finished article, exactly the JSON
of a `POST /v1/articles` response, written in one `write()` and flushed before the next article
starts, so a process killed at any moment (Ctrl-C, kill -9) leaves every finished article in the
file and at most one torn line at its end. A new run reads the ids already there, cuts a torn
last line off, skips those articles and appends the rest: the file ends with every article
exactly once. `fsync` runs at most every `fsync_interval_s` (and at the end): a kill -9 loses
nothing the kernel already has, and after a power cut the few lines lost are simply done again.

Memory stays flat: the input is streamed and outputs are not kept; only the set of finished ids
is held (some tens of bytes per article).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from service.batch.articles import (
    ERR_DUPLICATE,
    Filtered,
    Selected,
    error_message,
    select,
    to_request,
)
from service.batch.readers import ReadError
from service.pipeline.article import ArticlePipeline
from service.schemas import ArticleResponse


class OutputCorrupt(Exception):
    """OUT.jsonl has a line that is not a result in its middle: not ours to repair."""

    def __init__(self, path: Path, lineno: int) -> None:
        super().__init__(
            f"{path}: line {lineno} is not a batch result; refusing to append to this file"
        )
        self.message = str(self)


def recover_output(path: Path) -> tuple[set[str], int]:
    """The article ids already in `path`, after cutting a torn last line off.

    Returns (ids, bytes cut). A last line with no newline, or one that is not a JSON object
    with a string id, is what a kill during a write leaves: it is truncated away. A bad line
    before the last one is not: OutputCorrupt.
    """
    ids: set[str] = set()
    if not path.exists():
        return ids, 0
    good_end = 0
    bad_line: int | None = None
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if bad_line is not None:
                raise OutputCorrupt(path, bad_line)
            complete = raw.endswith(b"\n")
            article_id = _result_id(raw) if complete else None
            if article_id is not None:
                ids.add(article_id)
            elif not complete or raw.strip():
                bad_line = lineno
                continue
            good_end += len(raw)  # a result, or a harmless blank line
        size = f.tell()
    cut = size - good_end
    if cut:
        with path.open("r+b") as f:
            f.truncate(good_end)
            f.flush()
            os.fsync(f.fileno())
    return ids, cut


def _result_id(raw: bytes) -> str | None:
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    value = obj.get("id")
    return value if isinstance(value, str) else None


@dataclass
class RunStats:
    """Counts of one run; `read` is every input item seen (articles and unreadable items)."""

    total: int | None = None  # items expected, for the progress bar (None: unknown)
    read: int = 0
    done: int = 0
    skipped: int = 0  # already in OUT.jsonl from an earlier run
    failed: int = 0
    read_errors: int = 0
    filtered: int = 0  # left out by --since
    duplicates: int = 0
    truncated_bytes: int = 0  # torn last line cut off OUT.jsonl at start
    sentences: int = 0  # sentences in the articles done (both directions' sources)
    reused_sentences: int = 0  # of those, served from cache or translation memory
    started: float = field(default_factory=time.monotonic)
    elapsed: float = 0.0
    interrupted: bool = False

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def articles_per_s(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def sentences_per_s(self) -> float:
        return self.sentences / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def hit_ratio(self) -> float | None:
        return self.reused_sentences / self.sentences if self.sentences else None

    def eta_s(self) -> float | None:
        """Seconds left at this run's pace (skipped items take no time, so they are excluded)."""
        if self.total is None or self.processed == 0 or self.elapsed <= 0:
            return None
        remaining = max(self.total - self.read, 0)
        return remaining * self.elapsed / max(self.processed, 1)


def _count_sentences(response: ArticleResponse) -> tuple[int, int]:
    """(sentences, reused) of the translated version; a cached article reuses them all."""
    for version in response.versions.values():
        if version.provenance.original:
            continue
        origins = version.provenance.sentences
        total = sum(origins.values())
        if response.cached:
            return total, total
        return total, origins.get("cache", 0) + origins.get("tm", 0)
    return 0, 0


class _Lines:
    """An append-only JSONL file: one write per line, flushed at once, fsynced now and then."""

    def __init__(self, path: Path, mode: str, fsync_interval_s: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._f: IO[bytes] = path.open(mode + "b", buffering=0)
        self._interval = fsync_interval_s
        self._last_sync = time.monotonic()
        self._dirty = False

    def write(self, line: str) -> None:
        data = line.encode("utf-8") + b"\n"
        view = memoryview(data)
        while view:  # unbuffered: one write() normally, more only if the kernel takes less
            written = self._f.write(view)
            view = view[written or 0 :]
        self._dirty = True
        if time.monotonic() - self._last_sync >= self._interval:
            self.sync()

    def sync(self) -> None:
        if self._dirty:
            os.fsync(self._f.fileno())
            self._dirty = False
        self._last_sync = time.monotonic()

    def close(self) -> None:
        self.sync()
        self._f.close()


def run_batch(
    pipeline: ArticlePipeline,
    input_path: Path,
    out_path: Path,
    errors_path: Path,
    *,
    limit: int | None = None,
    since: date | None = None,
    total: int | None = None,
    on_progress: Callable[[RunStats], None] | None = None,
    fsync_interval_s: float = 1.0,
) -> RunStats:
    """Process every selected article of `input_path` not yet in `out_path`; see the module doc.

    The errors file is rewritten by every run (failed articles are tried again by the next run,
    so it lists the failures of the latest one). Ctrl-C (KeyboardInterrupt) stops the run
    cleanly with `interrupted` set; everything finished so far is in `out_path`.
    """
    stats = RunStats(total=total)
    finished, stats.truncated_bytes = recover_output(out_path)
    seen: set[str] = set()
    out = _Lines(out_path, "a", fsync_interval_s)
    errors = _Lines(errors_path, "w", fsync_interval_s)

    def error(position: int, article_id: str | None, stage: str, message: str) -> None:
        record: dict[str, Any] = {"id": article_id, "position": position, "stage": stage}
        record["error"] = message
        errors.write(json.dumps(record, ensure_ascii=False))

    try:
        for item in select(input_path, limit=limit, since=since):
            stats.read += 1
            if isinstance(item, ReadError):
                stats.read_errors += 1
                error(item.position, None, "read", item.message)
            elif isinstance(item, Filtered):
                stats.filtered += 1
            elif isinstance(item, Selected):
                article = item.article
                if article.id in seen:
                    stats.duplicates += 1
                    error(article.position, article.id, "read", ERR_DUPLICATE)
                elif article.id in finished:
                    seen.add(article.id)
                    stats.skipped += 1
                else:
                    seen.add(article.id)
                    try:
                        response = pipeline.process(to_request(article))
                    except Exception as exc:  # one bad article must not stop the archive
                        stats.failed += 1
                        error(article.position, article.id, "process", error_message(exc))
                    else:
                        out.write(response.model_dump_json())
                        stats.done += 1
                        sentences, reused = _count_sentences(response)
                        stats.sentences += sentences
                        stats.reused_sentences += reused
            stats.elapsed = time.monotonic() - stats.started
            if on_progress is not None:
                on_progress(stats)
    except KeyboardInterrupt:
        stats.interrupted = True
    finally:
        out.close()
        errors.close()
        stats.elapsed = time.monotonic() - stats.started
    return stats
