"""The engine's settings, and the one transaction that does not wait for the disk."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from lti_tool.database import commit_without_waiting_for_disk, make_engine

FULL = 2
"""SQLite's `PRAGMA synchronous` value for FULL."""


def _durability(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SHOW synchronous_commit")).scalar())
    return "on" if session.execute(text("PRAGMA synchronous")).scalar() == FULL else "off"


def test_only_the_transaction_that_asks_commits_without_waiting_for_the_disk(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    postgresql = engine.dialect.name == "postgresql"
    with Session(engine) as session, session.begin():
        commit_without_waiting_for_disk(session)
        # SQLite keeps waiting for the disk: it cannot change that within a transaction.
        assert _durability(session) == ("off" if postgresql else "on")
    with Session(engine) as session, session.begin():
        assert _durability(session) == "on"
    engine.dispose()
