"""The engines: every commit waits for the disk, except on the engine made for launches."""

from __future__ import annotations

from sqlalchemy import Engine, text

from lti_tool.database import make_engine

SQLITE_FULL, SQLITE_NORMAL = 2, 1
"""SQLite's `PRAGMA synchronous` values."""


def _waits_for_disk(engine: Engine) -> bool:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return connection.execute(text("SHOW synchronous_commit")).scalar() == "on"
        level = connection.execute(text("PRAGMA synchronous")).scalar()
        assert level in (SQLITE_FULL, SQLITE_NORMAL)
        return bool(level == SQLITE_FULL)


def test_only_the_launch_engine_commits_without_waiting_for_the_disk(database_url: str) -> None:
    durable = make_engine(database_url)
    launches = make_engine(database_url, wait_for_disk=False)
    try:
        assert _waits_for_disk(durable)
        assert not _waits_for_disk(launches)
        assert _waits_for_disk(durable)  # each engine's connections keep their own setting
    finally:
        durable.dispose()
        launches.dispose()


def test_what_the_launch_engine_commits_is_read_by_the_other(database_url: str) -> None:
    durable = make_engine(database_url)
    launches = make_engine(database_url, wait_for_disk=False)
    try:
        with launches.begin() as connection:
            connection.execute(text("CREATE TABLE probe (value INTEGER)"))
            connection.execute(text("INSERT INTO probe VALUES (7)"))
        with durable.connect() as connection:
            assert connection.execute(text("SELECT value FROM probe")).scalar() == 7
    finally:
        durable.dispose()
        launches.dispose()
