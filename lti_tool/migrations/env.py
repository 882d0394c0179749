"""Alembic environment: runs migrations on the URL the tool's settings give."""

from __future__ import annotations

from alembic import context

import lti_tool.models  # noqa: F401  (registers the tables on Base.metadata)
from lti_tool.database import Base, make_engine

target_metadata = Base.metadata


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
