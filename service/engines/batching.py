"""Dynamic batching: sentences of concurrent requests decoded together on one inference thread.

A seq2seq model decodes a batch of 16 sentences in little more time than one, so the service's
throughput under concurrent load comes from merging requests. `DynamicBatcher` is itself a
Translator: callers on any thread (or the event loop, through `submit` and
`asyncio.wrap_future`) hand in their sentences; the inference thread waits up to `max_wait_ms`
for others, up to `max_batch_tokens`, decodes them as one batch and gives every caller its own
outputs in order.

When to stop waiting matters more than it seems. Under steady load the callers of one batch come
back together once it is done, a few milliseconds apart; a batcher that sends whatever has queued
the moment the model is free ends up alternating a full batch with a tiny one (2, 14, 2, 14 ...),
each costing a whole decode. So the window opens when the model became free (or when the oldest
request arrived, if later), and closes early once as many requests wait as there were callers at
the end of the last batch (its own plus those that queued meanwhile): a steady load gets full
batches without waiting out the window, a lone caller does not wait at all, and when callers
leave, one batch waits the full `max_wait_ms` before the count adapts.

n-best requests (`translate_alternatives`, rare: LibreTranslate's `alternatives`) go through the
same queue and thread, so that the model is only ever run from one thread, but each is decoded
on its own: a wider beam would slow the sentences it was merged with.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from service.engines.base import EngineError, NBestTranslator, Translator

log = logging.getLogger(__name__)

CLOSED_MESSAGE = "translator is closed"


def estimate_tokens(text: str) -> int:
    """Cheap stand-in for a tokenizer: subword models average about 4 characters per token."""
    return max(1, len(text) // 4) + 1


@dataclass
class _Request:
    texts: list[str]
    tokens: int
    future: Future[list[str]] = field(default_factory=Future)
    arrived: float = field(default_factory=time.monotonic)


@dataclass
class _NBestRequest:
    texts: list[str]
    tokens: int
    count: int
    future: Future[list[list[str]]] = field(default_factory=Future)
    arrived: float = field(default_factory=time.monotonic)


class DynamicBatcher:
    """Wraps a Translator; safe to call from many threads at once."""

    def __init__(
        self, translator: Translator, max_batch_tokens: int = 2048, max_wait_ms: float = 5.0
    ) -> None:
        self.translator = translator
        self.info = translator.info
        self.source = translator.source
        self.target = translator.target
        self.max_batch_tokens = max(1, max_batch_tokens)
        self.max_wait_s = max(0.0, max_wait_ms) / 1000.0
        self._queue: deque[_Request | _NBestRequest] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._idle_since = 0.0
        self._expected = 1  # requests worth waiting for: the callers active at the last batch
        # Counters: batches run, requests per batch, and requests that shared a batch.
        self.batches_run = 0
        self.batch_sizes: list[int] = []
        self.requests_merged = 0
        self._thread = threading.Thread(
            target=self._loop, name=f"newsdesk-infer-{self.source}-{self.target}", daemon=True
        )
        self._thread.start()

    def submit(self, texts: Sequence[str]) -> Future[list[str]]:
        """Queues `texts`; the future resolves to their translations, in order."""
        request = _Request(list(texts), sum(estimate_tokens(t) for t in texts))
        if not request.texts:
            request.future.set_result([])
            return request.future
        self._enqueue(request)
        return request.future

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        return self.submit(texts).result()

    def translate_alternatives(self, texts: Sequence[str], count: int) -> list[list[str]]:
        """The wrapped translator's alternatives, decoded on the inference thread; `[]` for
        each text where it has no n-best."""
        if count <= 0 or not texts or not isinstance(self.translator, NBestTranslator):
            return [[] for _ in texts]
        request = _NBestRequest(list(texts), sum(estimate_tokens(t) for t in texts), count)
        self._enqueue(request)
        return request.future.result()

    def _enqueue(self, request: _Request | _NBestRequest) -> None:
        with self._cond:
            if self._closed:
                raise EngineError(CLOSED_MESSAGE)
            self._queue.append(request)
            self._cond.notify()

    def counters(self) -> dict[str, object]:
        with self._cond:
            return {
                "batches_run": self.batches_run,
                "requests_merged": self.requests_merged,
                "batch_sizes": list(self.batch_sizes),
            }

    def _take(self) -> list[_Request] | _NBestRequest | None:
        """Blocks until a batch (or an n-best request, alone) is due; None once closed and
        drained."""
        with self._cond:
            while not self._queue:
                if self._closed:
                    return None
                self._cond.wait()
            first = self._queue[0]
            if isinstance(first, _NBestRequest):
                self._queue.popleft()
                return first
            deadline = max(self._queue[0].arrived, self._idle_since) + self.max_wait_s
            while (
                not self._closed
                and len(self._queue) < self._expected
                and sum(r.tokens for r in self._queue) < self.max_batch_tokens
            ):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            self._queue.popleft()
            batch = [first]
            tokens = first.tokens
            while self._queue:
                following = self._queue[0]
                if isinstance(following, _NBestRequest):
                    break
                if tokens + following.tokens > self.max_batch_tokens:
                    break
                tokens += following.tokens
                batch.append(following)
                self._queue.popleft()
            self.batches_run += 1
            self.batch_sizes.append(len(batch))
            if len(batch) > 1:
                self.requests_merged += len(batch)
            return batch

    def _run(self, batch: list[_Request]) -> None:
        texts = [t for request in batch for t in request.texts]
        try:
            outputs = self.translator.translate_batch(texts)
            if len(outputs) != len(texts):
                raise EngineError("translator returned a wrong number of outputs")
        except BaseException as exc:
            if len(batch) == 1:
                batch[0].future.set_exception(exc)
                return
            # One caller's bad input must not fail the others: retry each on its own.
            log.warning(
                "merged batch failed (%s); retrying its %d requests one by one",
                type(exc).__name__,
                len(batch),
            )
            for request in batch:
                self._run([request])
            return
        start = 0
        for request in batch:
            end = start + len(request.texts)
            request.future.set_result(outputs[start:end])
            start = end

    def _run_nbest(self, request: _NBestRequest) -> None:
        try:
            assert isinstance(self.translator, NBestTranslator)
            found = self.translator.translate_alternatives(request.texts, request.count)
            if len(found) != len(request.texts):
                raise EngineError("translator returned a wrong number of outputs")
        except BaseException as exc:
            request.future.set_exception(exc)
            return
        request.future.set_result(found)

    def _loop(self) -> None:
        while True:
            taken = self._take()
            if taken is None:
                return
            if isinstance(taken, _NBestRequest):
                self._run_nbest(taken)
                with self._cond:
                    self._idle_since = time.monotonic()
                continue
            self._run(taken)
            with self._cond:
                self._idle_since = time.monotonic()
                self._expected = max(1, len(taken) + len(self._queue))

    def close(self) -> None:
        """Finishes what is queued, stops the inference thread and closes the translator."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not threading.current_thread():
            self._thread.join()
        self.translator.close()
