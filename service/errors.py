"""Failures with a fixed message each; the API maps them to status codes."""

from __future__ import annotations

from typing import Any


class NewsdeskError(Exception):
    status_code = 400
    # Response headers the failure calls for, e.g. Retry-After on a 429.
    headers: dict[str, str] | None = None
    # Machine-readable facts answered beside "detail" (what a client needs to act on).
    extra: dict[str, Any] | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedPair(NewsdeskError):
    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"unsupported language pair: {source}→{target}")


class UnsupportedLanguage(NewsdeskError):
    def __init__(self, lang: str) -> None:
        super().__init__(f"unsupported language: {lang}")


class NotFound(NewsdeskError):
    status_code = 404


class EngineFailed(NewsdeskError):
    status_code = 503

    def __init__(self, engine: str) -> None:
        super().__init__(f"translation engine failed: {engine}")


class TextTooLong(NewsdeskError):
    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"text is longer than {limit} characters")


class TooManySentences(NewsdeskError):
    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"request has more than {limit} sentences")
