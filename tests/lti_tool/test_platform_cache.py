"""Registrations kept in memory: no query on the hot path, changes seen when they matter."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from lti_tool.models import Platform
from lti_tool.platform_cache import PlatformCache, platform_cache
from lti_tool.platforms import APPROVED, DISABLED, PENDING, set_platform_status
from tests.lti_tool.signing_platform import CLIENT_ID, ISSUER, SigningPlatform, login_params
from tests.lti_tool.test_lti_launch import assert_refused, launch


@contextmanager
def counted_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _engine(app: Flask) -> Engine:
    engine: Engine = app.extensions["ambassadeurs.engine"]
    return engine


def test_a_registration_read_once_is_found_again_without_a_query(lti_app: Flask) -> None:
    engine = _engine(lti_app)
    cache = PlatformCache()
    with Session(engine) as session:
        first = cache.find(session, ISSUER, CLIENT_ID)
        with counted_queries(engine) as statements:
            again = cache.find(session, ISSUER, CLIENT_ID)
    assert first is not None and again == first and statements == []
    assert first.status == APPROVED and "deployment-1" in first.deployments


def test_a_registration_not_approved_is_read_from_the_database_each_time(lti_app: Flask) -> None:
    engine = _engine(lti_app)
    cache = platform_cache(engine)
    with Session(engine) as session, session.begin():
        found = cache.find(session, ISSUER, CLIENT_ID)
        assert found is not None
        set_platform_status(session, found.id, PENDING)
    with Session(engine) as session:
        assert (entry := cache.find(session, ISSUER, CLIENT_ID)) and entry.status == PENDING
        with counted_queries(engine) as statements:
            cache.find(session, ISSUER, CLIENT_ID)
    assert statements  # a pending registration may be approved at any moment: never kept


def test_a_change_made_in_this_process_is_seen_at_once(lti_app: Flask) -> None:
    engine = _engine(lti_app)
    cache = platform_cache(engine)
    with Session(engine) as session:
        kept = cache.find(session, ISSUER, CLIENT_ID)
    assert kept is not None and kept.status == APPROVED
    with Session(engine) as session, session.begin():
        set_platform_status(session, kept.id, DISABLED)
    with Session(engine) as session:
        assert (entry := cache.find(session, ISSUER, CLIENT_ID)) and entry.status == DISABLED
    # A bulk update through a session is seen too.
    with Session(engine) as session, session.begin():
        session.execute(
            update(Platform).where(Platform.id == kept.id).values(status=APPROVED, name="Renamed")
        )
    with Session(engine) as session:
        assert (entry := cache.find(session, ISSUER, CLIENT_ID)) and entry.name == "Renamed"


def test_a_change_made_by_another_process_is_seen_once_the_entry_expires(lti_app: Flask) -> None:
    engine = _engine(lti_app)
    cache = PlatformCache(seconds=0.2)
    with Session(engine) as session:
        assert cache.find(session, ISSUER, CLIENT_ID) is not None
    # Another process (here a plain connection, which no session of this process sees).
    with engine.begin() as connection:
        connection.execute(
            update(Platform).where(Platform.issuer == ISSUER).values(name="Changed elsewhere")
        )
    with Session(engine) as session:
        entry = cache.find(session, ISSUER, CLIENT_ID)
        assert entry is not None and entry.name != "Changed elsewhere"
        time.sleep(0.25)
        entry = cache.find(session, ISSUER, CLIENT_ID)
        assert entry is not None and entry.name == "Changed elsewhere"


def test_a_platform_disabled_by_the_administrator_is_refused_at_its_next_login(
    lti_app: Flask, client: FlaskClient, lms: SigningPlatform
) -> None:
    assert launch(client, lms).status_code == 200  # the registration is now kept in memory
    engine = _engine(lti_app)
    with Session(engine) as session, session.begin():
        platform = session.scalars(select(Platform).where(Platform.issuer == ISSUER)).one()
        set_platform_status(session, platform.id, DISABLED)
    assert_refused(client.get("/lti/login", query_string=login_params()), status=403)


def test_a_login_and_launch_of_a_known_platform_read_no_registration(
    lti_app: Flask, client: FlaskClient, lms: SigningPlatform
) -> None:
    assert launch(client, lms).status_code == 200
    with counted_queries(_engine(lti_app)) as statements:
        assert launch(client, lms).status_code == 200
    assert not [s for s in statements if "lti_platform" in s or "lti_deployment" in s]
