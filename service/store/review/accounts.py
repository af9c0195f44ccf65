"""Users, API keys and review-page sessions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from service.errors import NewsdeskError, NotFound
from service.security import (
    ROLE_RANK,
    burn_password_check,
    hash_api_key,
    hash_password,
    new_api_key,
    new_session_id,
    verify_password,
)
from service.store.models import (
    ApiKey,
    ReviewSession,
    User,
    utcnow,
)
from service.store.review.base import StoreBase
from service.store.review.errors import NegativeLimit, UnknownRole, UserExists
from service.store.review.records import KeyInfo, Principal, UserInfo
from service.store.review.rules import digest


class Accounts(StoreBase):
    """Users, API keys and review-page sessions."""

    def add_user(self, name: str, role: str, password: str) -> UserInfo:
        if role not in ROLE_RANK:
            raise UnknownRole(role)
        name = name.strip()
        if not name:
            raise NewsdeskError("user name is empty")
        if len(password) < 8:
            raise NewsdeskError("password is shorter than 8 characters")
        try:
            with self._write() as session:
                if session.scalars(select(User).where(User.name == name)).first() is not None:
                    raise UserExists(name)
                user = User(name=name, role=role, password_hash=hash_password(password))
                session.add(user)
                session.flush()
                return UserInfo(user.id, user.name, user.role, user.created)
        except IntegrityError as exc:
            raise UserExists(name) from exc

    def set_password(self, name: str, password: str) -> None:
        if len(password) < 8:
            raise NewsdeskError("password is shorter than 8 characters")
        with self._write() as session:
            user = session.scalars(select(User).where(User.name == name)).one_or_none()
            if user is None:
                raise NotFound(f"user not found: {name}")
            user.password_hash = hash_password(password)
            # Whoever knew the old password may hold a session: a new password ends them all.
            session.execute(delete(ReviewSession).where(ReviewSession.user_id == user.id))

    def users(self) -> list[UserInfo]:
        with self._read() as session:
            return [
                UserInfo(u.id, u.name, u.role, u.created)
                for u in session.scalars(select(User).order_by(User.id))
            ]

    def count_users(self, role: str | None = None) -> int:
        with self._read() as session:
            query = select(func.count(User.id))
            if role:
                query = query.where(User.role == role)
            return int(session.execute(query).scalar_one())

    def user(self, user_id: int) -> Principal | None:
        with self._read() as session:
            found = session.get(User, user_id)
            return None if found is None else Principal(found.name, found.role, user_id=found.id)

    def authenticate(self, name: str, password: str) -> Principal | None:
        with self._read() as session:
            found = session.scalars(select(User).where(User.name == name.strip())).one_or_none()
            if found is None:
                burn_password_check(password)
                return None
            if not verify_password(found.password_hash, password):
                return None
            return Principal(found.name, found.role, user_id=found.id)

    def create_key(
        self,
        role: str,
        name: str | None = None,
        user: str | None = None,
        rpm: int | None = None,
        chars_per_day: int | None = None,
    ) -> tuple[str, KeyInfo]:
        """A new API key: the key itself (shown once, never stored) and its record. `rpm` and
        `chars_per_day` are its own limits (None: the configured default, 0: unlimited)."""
        if role not in ROLE_RANK:
            raise UnknownRole(role)
        if rpm is not None and rpm < 0:
            raise NegativeLimit("rpm")
        if chars_per_day is not None and chars_per_day < 0:
            raise NegativeLimit("chars per day")
        key = new_api_key()
        with self._write() as session:
            user_id = None
            if user:
                found = session.scalars(select(User).where(User.name == user)).one_or_none()
                if found is None:
                    raise NotFound(f"user not found: {user}")
                user_id = found.id
            row = ApiKey(
                key_hash=hash_api_key(key),
                prefix=key[:10],
                role=role,
                name=name or user or f"{role} key",
                user_id=user_id,
                rpm=rpm,
                chars_per_day=chars_per_day,
            )
            session.add(row)
            session.flush()
            return key, KeyInfo(
                row.id, row.prefix, row.role, row.name, user, row.created, None, rpm, chars_per_day
            )

    def keys(self) -> list[KeyInfo]:
        with self._read() as session:
            rows = session.execute(
                select(ApiKey, User.name)
                .outerjoin(User, User.id == ApiKey.user_id)
                .order_by(ApiKey.id)
            ).all()
            return [
                KeyInfo(
                    k.id, k.prefix, k.role, k.name, u, k.created, k.revoked, k.rpm, k.chars_per_day
                )
                for k, u in rows
            ]

    def revoke_key(self, key_id: int) -> None:
        with self._write() as session:
            row = session.get(ApiKey, key_id)
            if row is None:
                raise NotFound(f"API key not found: {key_id}")
            row.revoked = row.revoked or utcnow()

    def principal_for_key(self, key: str) -> Principal | None:
        with self._read() as session:
            row = session.execute(
                select(ApiKey, User.name)
                .outerjoin(User, User.id == ApiKey.user_id)
                .where(ApiKey.key_hash == hash_api_key(key), ApiKey.revoked.is_(None))
            ).one_or_none()
            if row is None:
                return None
            key_row, user_name = row
            return Principal(
                user_name or key_row.name,
                key_row.role,
                user_id=key_row.user_id,
                key_id=key_row.id,
                rpm=key_row.rpm,
                chars_per_day=key_row.chars_per_day,
            )

    def start_session(self, user_id: int, max_age_s: int) -> str:
        """A new log-in session for the user; returns the id the cookie carries (only its hash
        is stored). Expired sessions are swept here, so the table stays small."""
        token = new_session_id()
        now = utcnow()
        with self._write() as session:
            session.execute(delete(ReviewSession).where(ReviewSession.expires <= now))
            session.add(
                ReviewSession(
                    id_hash=digest(token),
                    user_id=user_id,
                    created=now,
                    expires=now + timedelta(seconds=max_age_s),
                )
            )
        return token

    def session_user(self, token: str) -> Principal | None:
        """The user of a live session: None once it is ended, expired, or its user is gone."""
        with self._read() as session:
            found = session.execute(
                select(User)
                .join(ReviewSession, ReviewSession.user_id == User.id)
                .where(ReviewSession.id_hash == digest(token), ReviewSession.expires > utcnow())
            ).scalar_one_or_none()
            return None if found is None else Principal(found.name, found.role, user_id=found.id)

    def end_session(self, token: str) -> None:
        with self._write() as session:
            session.execute(delete(ReviewSession).where(ReviewSession.id_hash == digest(token)))
