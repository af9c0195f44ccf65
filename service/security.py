"""Passwords (argon2), API keys (random, stored as sha256) and the role order."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.files import private_file

ROLE_RANK = {"client": 1, "editor": 2, "admin": 3}
KEY_PREFIX = "nd_"

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    # Made on first use, not at import: hashing costs a noticeable fraction of a second.
    return _hasher.hash(secrets.token_hex(16))


def burn_password_check(password: str) -> None:
    """Keeps a log-in for an unknown name as slow as one for a known name."""
    verify_password(_dummy_hash(), password)


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def has_role(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, 0) >= ROLE_RANK[needed]


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def session_secret(configured: str | None, data_dir: Path) -> str:
    """The configured secret, or one made once and kept in the data dir (mode 0600)."""
    if configured:
        return configured
    path = data_dir / "secret_key"
    if path.exists():
        private_file(path)
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # Written aside, then linked into place: of two workers starting together, one wins and
    # the other reads the winner's complete file.
    scratch = data_dir / f".secret_key.{secrets.token_hex(6)}"
    scratch.write_text(secret, encoding="utf-8")
    scratch.chmod(0o600)
    try:
        os.link(scratch, path)
    except FileExistsError:
        secret = path.read_text(encoding="utf-8").strip()
    finally:
        scratch.unlink()
    return secret
