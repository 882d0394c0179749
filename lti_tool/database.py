"""Database engine and schema migrations (SQLAlchemy 2 + Alembic)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Base class of every table of the tool."""


def make_engine(url: str, wait_for_disk: bool = True) -> Engine:
    """An engine for `url`; SQLite gets WAL and foreign keys, which it does not enable itself.

    `wait_for_disk` False: an engine for transactions whose loss in a crash costs only a
    retry (a launch: the learner opens the activity again). Their commit is confirmed
    before it reaches the disk; a crash of the machine (PostgreSQL: of the database server)
    may lose the last fraction of a second of them, never corrupts anything, and never
    touches what the other engine commits, which waits for the disk."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            if not wait_for_disk:
                # In WAL mode: written to the log at once, synced with the next commit that
                # waits for the disk (or at the next checkpoint).
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if not wait_for_disk:
        options = {"options": "-c synchronous_commit=off"}
        return create_engine(url, pool_pre_ping=True, connect_args=options)
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str) -> None:
    """Bring the schema to the latest migration (idempotent)."""
    command.upgrade(alembic_config(url), "head")
