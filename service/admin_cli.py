"""`newsdesk users`, `newsdesk keys`, `newsdesk db` and `newsdesk cache`: editors' accounts, API
keys, the review store's schema and the cache's upkeep. They open the store or the cache only
(no engines), so they start fast."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from service.cli_common import fail, review_store
from service.config import Settings

users_app = typer.Typer(
    help="Accounts for the review page (editors, admins).", no_args_is_help=True
)
keys_app = typer.Typer(help="API keys for clients, editors and admins.", no_args_is_help=True)
db_app = typer.Typer(help="The review store's database schema.", no_args_is_help=True)
cache_app = typer.Typer(help="The translation cache's upkeep.", no_args_is_help=True)

ROLE_HELP = "client, editor or admin"


def _password(given: str | None) -> str:
    """--password (or NEWSDESK_NEW_USER_PASSWORD), else one line of piped standard input,
    else a prompt at a terminal."""
    if given:
        return given
    if not sys.stdin.isatty():
        data = sys.stdin.readline().rstrip("\n")
        if data:
            return data
        raise fail("no password: pass --password, or one line on standard input")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Option("--name", "-n", help="Log-in name")],
    role: Annotated[str, typer.Option("--role", "-r", help=ROLE_HELP)] = "editor",
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            envvar="NEWSDESK_NEW_USER_PASSWORD",
            help="Password (else NEWSDESK_NEW_USER_PASSWORD, a line on stdin, or a prompt)",
        ),
    ] = None,
) -> None:
    """Add a user who can log in to /review (editor or admin)."""
    secret = _password(password)
    with review_store() as store:
        user = store.add_user(name, role, secret)
    typer.echo(f"added {user.role} {user.name}")


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Option("--name", "-n", help="Log-in name")],
    password: Annotated[
        str | None,
        typer.Option("--password", envvar="NEWSDESK_NEW_USER_PASSWORD", help="New password"),
    ] = None,
) -> None:
    """Set a user's password."""
    secret = _password(password)
    with review_store() as store:
        store.set_password(name, secret)
    typer.echo(f"password changed for {name}")


@users_app.command("list")
def users_list() -> None:
    """List users and their roles."""
    with review_store() as store:
        for user in store.users():
            typer.echo(f"{user.name}\t{user.role}\t{user.created:%Y-%m-%d}")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", "-r", help=ROLE_HELP)] = "client",
    name: Annotated[str | None, typer.Option("--name", "-n", help="What the key is for")] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Act as this user (saves carry their name)")
    ] = None,
    rpm: Annotated[
        int | None,
        typer.Option(
            "--rpm", help="Requests per minute (0: unlimited; unset: NEWSDESK_RATE_LIMIT_RPM)"
        ),
    ] = None,
    chars_per_day: Annotated[
        int | None,
        typer.Option(
            "--chars-per-day",
            help="Characters of text per day (0: unlimited; unset: "
            "NEWSDESK_RATE_LIMIT_CHARS_PER_DAY)",
        ),
    ] = None,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    with review_store() as store:
        key, info = store.create_key(role, name, user, rpm=rpm, chars_per_day=chars_per_day)
    typer.echo(key)
    typer.echo(f"{info.role} key #{info.id} ({info.name}); send it as X-API-Key", err=True)


def _limit(own: int | None, default: int, unit: str) -> str:
    value = default if own is None else own
    shown = f"{value} {unit}" if value else f"unlimited {unit}"
    return shown + (" (default)" if own is None else "")


@keys_app.command("list")
def keys_list() -> None:
    """List API keys (prefix, role, name, state, limits); the keys themselves are not stored."""
    settings = Settings()
    with review_store() as store:
        for key in store.keys():
            state = f"revoked {key.revoked:%Y-%m-%d}" if key.revoked else "active"
            rpm = _limit(key.rpm, settings.rate_limit_rpm, "rpm")
            chars = _limit(key.chars_per_day, settings.rate_limit_chars_per_day, "chars/day")
            typer.echo(f"#{key.id}\t{key.prefix}…\t{key.role}\t{key.name}\t{state}\t{rpm}\t{chars}")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's number (keys list)")],
) -> None:
    """Revoke an API key."""
    with review_store() as store:
        store.revoke_key(key_id)
    typer.echo(f"revoked key #{key_id}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the schema to the newest migration (the service also does this at start)."""
    from service.store import db

    settings = Settings()
    engine = db.make_engine(settings.resolved_database_url)
    try:
        db.upgrade(engine)
        typer.echo(f"schema at {db.current_revision(engine)}")
    finally:
        engine.dispose()


@db_app.command("current")
def db_current() -> None:
    """Print the schema's migration and the newest one."""
    from service.store import db

    settings = Settings()
    engine = db.make_engine(settings.resolved_database_url)
    try:
        typer.echo(f"current {db.current_revision(engine)}; head {db.head_revision()}")
    finally:
        engine.dispose()


@cache_app.command("prune")
def cache_prune(
    max_age_days: Annotated[
        float | None,
        typer.Option(min=0, help="Remove older entries (default NEWSDESK_CACHE_MAX_AGE_DAYS)"),
    ] = None,
    max_entries: Annotated[
        int | None,
        typer.Option(min=0, help="Then keep the newest N (default NEWSDESK_CACHE_MAX_ENTRIES)"),
    ] = None,
) -> None:
    """Prune the SQLite cache by age and size; 0 leaves a limit off. Only what was cached goes:
    approved translations live in the review store and are never pruned. Redis entries expire
    on their own (NEWSDESK_REDIS_CACHE_TTL_S)."""
    from service.store.sqlite_cache import SqliteCache

    settings = Settings()
    if settings.cache_backend == "none":
        typer.echo("no cache configured (NEWSDESK_CACHE_BACKEND=none): nothing to prune")
        return
    backend = settings.cache_backend
    if backend == "redis" or (backend == "auto" and settings.redis_url):
        typer.echo("the cache is in Redis: its entries expire after NEWSDESK_REDIS_CACHE_TTL_S")
        return
    age_days = settings.cache_max_age_days if max_age_days is None else max_age_days
    entries = settings.cache_max_entries if max_entries is None else max_entries
    cache = SqliteCache(settings.sqlite_path)
    try:
        removed = cache.prune(age_days * 86400, entries)
        typer.echo(f"removed {removed} cache entries; {cache.count()} left")
    finally:
        cache.close()
