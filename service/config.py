"""The one Settings class; every knob is an environment variable with the NEWSDESK_ prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./var")
    database_url: str | None = None
    redis_url: str | None = None
    models_dir: Path = Path("./models")
    prompts_dir: Path = Path("./prompts")

    host: str = "127.0.0.1"
    port: int = 8000
    # On SIGTERM, requests in flight get this long to finish before they are cancelled.
    shutdown_grace_s: int = 5
    log_level: str = "INFO"

    # Which language pairs to load, e.g. "en-es,es-en"; empty loads none (tests, --load-only).
    pairs: str = "en-es,es-en"
    # Engine preference per pair; the first one that can be loaded serves the pair.
    engine_preference: str = "ct2,hf,apertium"

    max_body_bytes: int = 200_000
    # Whole request bodies, JSON included, with or without Content-Length; None: twice the body
    # limit (JSON escaping can double a body's size) plus room for the other fields.
    max_request_body_bytes: int | None = None
    # What one request may ask of the pipeline, over which it gets a 413: characters of text
    # (/v1/translate and /translate: all texts together, markup included; a route that takes
    # text without the pipeline, /v1/summarize, checks it with pipeline.limits), and sentences
    # to translate (those, and an article's title, lede and body, batch runs too).
    # `newsdesk translate --lines` goes by chunks and is held to neither.
    max_text_chars: int = 100_000
    max_sentences_per_request: int = 2000
    # LibreTranslate's /translate_file: on or off, the largest file taken (the request may be
    # this plus room for the other fields; its text is also held to max_text_chars), and how
    # long the translated file can be downloaded from the data dir before it is removed.
    files_translation: bool = True
    max_file_bytes: int = Field(default=5_000_000, gt=0)
    # What the parts of an office file (a zip) may unpack to, checked before parsing: its
    # images plus room for the XML of a document within max_text_chars (parsing holds some
    # 60 times the XML in memory).
    max_unpacked_bytes: int = Field(default=15_000_000, gt=0)
    file_download_ttl_s: int = Field(default=1800, gt=0)
    # LibreTranslate's /suggest: a client's suggested translation becomes a draft revision in
    # the review queue (never applied before an editor approves it); off answers 403 as
    # LibreTranslate does. On by default: nothing reaches readers, the memory or the cache
    # unreviewed, and suggestions count against the sender's key like any client call.
    suggestions: bool = True
    # None: the per-language budget of prompts/summary.toml.
    summary_max_words: int | None = None

    apertium_data_dir: Path = Path("/usr/share/apertium")
    apertium_timeout_s: float = 60.0

    # Seq2seq engines (ct2 / hf).
    device: str = "cpu"
    inter_threads: int = 1
    intra_threads: int = 0
    beam_size: int = 4
    length_penalty: float = 1.0
    max_batch_tokens: int = 2048
    # Concurrent requests' sentences merge into one batch within this window; a lone caller
    # does not wait (bench/throughput.py: 16 clients fill batches of 16 at 50 ms, not at 5).
    max_batch_wait_ms: float = 50.0
    # Benchmark only: every output exactly this many tokens (0 = off), so that random weights cost
    # what real ones do; the repetition guard is off then, since forced lengths loop by design.
    decode_fixed_length: int = 0

    glossary_path: Path | None = None
    # Pairs aligned from the outlet's own bilingual archive (`newsdesk tm align`) are offered to
    # editors as suggestions and reused exactly once an editor confirms them; True reuses every
    # archive pair unconfirmed (an outlet that trusts its archive as published).
    archive_memory: bool = False
    # How Spanish translations write numbers: "es-ES" (Spain: "3,5 %", "1200", "12.000") or
    # "es-MX" (Mexico: "3.5%", "12,000"); also how Spanish sources are read. See
    # service/pipeline/numbers.py for the sources of each choice.
    house_style: Literal["es-ES", "es-MX"] = "es-ES"

    # Security: the client endpoints (POST /v1/articles, /v1/translate, /v1/summarize,
    # /translate, and GET /v1/articles/{id}) need a client key (X-API-Key) when true; review
    # endpoints always need an editor.
    require_client_key: bool = True
    # Signs review-page session cookies; made once and kept in the data dir when unset.
    secret_key: str | None = None
    session_max_age_s: int = 12 * 3600
    # Set true behind HTTPS so the session cookie is sent over HTTPS only. Without it the
    # cookie is still Secure on requests that arrive over HTTPS, including those a trusted
    # proxy (forwarded_allow_ips) says came in over HTTPS.
    secure_cookies: bool = False
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto `newsdesk serve` believes: a comma-
    # separated list of addresses or networks, or "*" (uvicorn's --forwarded-allow-ips).
    forwarded_allow_ips: str = "127.0.0.1"
    # Per API key (or, when keys are not required, per client address) unless the key sets its
    # own (`newsdesk keys create --rpm N --chars-per-day N`); 0 = unlimited. Characters are
    # those of the text a request sends. Shared through Redis when redis_url is set.
    rate_limit_rpm: int = 600
    rate_limit_chars_per_day: int = 5_000_000
    # Review log-in: after this many failures within the window, for one name or from one
    # address, further attempts get 429 until the oldest failure leaves the window.
    login_max_failures: int = 10
    login_failure_window_s: int = 900
    cache_backend: str = Field(default="auto", description="auto | sqlite | redis | none")
    # Redis cache: every key starts with the prefix (several deployments can share one Redis);
    # 0 keeps entries until Redis evicts them (maxmemory-policy), else they expire after this.
    redis_key_prefix: str = "newsdesk:"
    redis_cache_ttl_s: int = 0
    # SQLite cache upkeep (`newsdesk cache prune`, e.g. from cron): entries older than this many
    # days go, then the oldest beyond this many entries; 0 leaves that limit off. Redis entries
    # expire by redis_cache_ttl_s instead.
    cache_max_age_days: float = Field(default=0, ge=0)
    cache_max_entries: int = Field(default=0, ge=0)
    # The cache is best effort: a failed read is a miss, a failed write is skipped, and the
    # failing operation is then left alone this long before one request tries it again, so a
    # dead backend costs one timeout per interval rather than one per request.
    cache_retry_after_s: float = 5.0
    # Redis cache connect and reply timeouts: a cache that answers later than this is worth
    # less than translating again.
    redis_socket_timeout_s: float = 1.0
    # /readyz waits this long at most for its write probes (data dir, store, cache).
    readyz_probe_timeout_s: float = 2.0

    # Distributed batch (Celery on NEWSDESK_REDIS_URL). A task unacknowledged this long (its
    # worker died) goes back to the queue; keep it above the slowest article's time, since a
    # task still running then is delivered twice (harmless, tasks are idempotent, but wasted).
    batch_queue: str = "newsdesk-batch"
    batch_visibility_timeout_s: int = 600
    # How often a worker looks for tasks whose visibility timeout has passed.
    batch_restore_interval_s: float = 10.0
    batch_max_retries: int = 5
    batch_retry_backoff_s: float = 2.0
    batch_retry_backoff_max_s: float = 120.0

    # Test-only `echo` engine (engine_preference="echo"): returns each sentence unchanged after
    # this delay per call, and appends one line per call to the file, to count engine calls.
    echo_delay_ms: float = 0.0
    echo_calls_file: Path | None = None

    # Set by CI systems (CI=true, no prefix): progress bars stay off.
    ci: bool = Field(default=False, validation_alias="CI")

    @property
    def pair_list(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for item in self.pairs.split(","):
            item = item.strip()
            if not item:
                continue
            source, _, target = item.partition("-")
            pairs.append((source, target))
        return pairs

    @property
    def engine_order(self) -> list[str]:
        return [e.strip() for e in self.engine_preference.split(",") if e.strip()]

    @property
    def max_request_bytes(self) -> int:
        return self.max_request_body_bytes or 2 * self.max_body_bytes + 65536

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "newsdesk.sqlite3"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def glossary_file(self) -> Path:
        return self.glossary_path or self.data_dir / "glossary.toml"
