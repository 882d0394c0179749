"""Database engine and schema migrations (SQLAlchemy 2 + Alembic)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session

MIGRATIONS = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Base class of every table of the tool."""


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL and foreign keys, which it does not enable itself."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


_NO_WAIT_FOR_DISK = text("SET LOCAL synchronous_commit TO OFF")


def commit_without_waiting_for_disk(session: Session) -> None:
    """For a transaction whose loss in a crash costs only a retry (a launch: the learner
    opens the activity again): PostgreSQL confirms its commit before writing it to disk.
    A crash may lose the last fraction of a second of such transactions, never corrupt
    anything, and never touches the others. SQLite cannot change this within a
    transaction: there it waits for the disk as every transaction does."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(_NO_WAIT_FOR_DISK)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str) -> None:
    """Bring the schema to the latest migration (idempotent)."""
    command.upgrade(alembic_config(url), "head")
