"""Alembic environment: the database comes from the caller (service.store.db.upgrade) or, when
run by the alembic command, from Settings.resolved_database_url."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from service.store.models import Base

target_metadata = Base.metadata


def _engine() -> Engine:
    engine = context.config.attributes.get("engine")
    if engine is not None:
        return engine
    from service.config import Settings
    from service.store.db import make_engine

    return make_engine(Settings().resolved_database_url)


def run_migrations_offline() -> None:
    from service.config import Settings

    context.configure(
        url=Settings().resolved_database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite alters tables by copying them; batch mode does that for us.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
