"""Prometheus metrics, registered once at import of this small module (no heavy work)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter("newsdesk_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "newsdesk_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
SENTENCES = Counter(
    "newsdesk_sentences_translated_total",
    "Sentences produced, by engine (tm: an approved human translation)",
    ["engine", "pair"],
)
CACHE = Counter("newsdesk_cache_total", "Sentence and article cache look-ups", ["level", "result"])
CACHE_ERRORS = Counter(
    "newsdesk_cache_errors_total",
    "Cache operations that failed; a failed get is answered as a miss, a failed put skipped",
    ["op"],
)
CACHE_SKIPPED = Counter(
    "newsdesk_cache_skipped_total",
    "Cache operations not tried because the same operation failed moments ago",
    ["op"],
)
STORE_ERRORS = Counter(
    "newsdesk_store_errors_total",
    "Store operations that failed without failing the request (save: draft not stored; "
    "memory: translation memory not consulted)",
    ["op"],
)
ENGINE_RESTARTS = Counter(
    "newsdesk_engine_restarts_total",
    "Engine processes started again: a pipeline that died, hung or answered out of step",
    ["engine", "pair"],
)
ENGINE_RETRIES = Counter(
    "newsdesk_engine_retries_total",
    "Requests asked again on a pipeline of their own after their answers failed the check",
    ["engine", "pair"],
)
