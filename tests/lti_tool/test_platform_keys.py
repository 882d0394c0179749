"""Platform keys fetched by several processes at once are stored once, without an error."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from lti_tool.lti_adapter import TimeoutSession
from lti_tool.models import PlatformKeySet, utcnow
from lti_tool.platform_keys import PlatformKeys
from tests.lti_tool.signing_platform import SigningPlatform


def test_keys_stored_meanwhile_by_another_process_are_updated_not_duplicated(
    lti_app: Flask, lms: SigningPlatform
) -> None:
    engine = lti_app.extensions["ambassadeurs.engine"]
    session = Session(engine)
    platform_keys = PlatformKeys(session, TimeoutSession(5), utcnow)
    # Another process fetched the same platform's keys a moment ago and stored them after
    # this one looked: this process's first lookup did not see them.
    with engine.begin() as connection:
        connection.execute(
            insert(PlatformKeySet).values(
                url=lms.jwks_url, jwks={"keys": []}, fetched_at=datetime(2026, 1, 1)
            )
        )
    real_get = session.get
    stale = {"left": 1}

    def get(model: Any, key: Any, **options: Any) -> Any:
        if model is PlatformKeySet and stale["left"]:
            stale["left"] -= 1
            return None
        return real_get(model, key, **options)

    session.get = get  # type: ignore[method-assign]
    try:
        key_set = platform_keys.fetch_key_set(lms.jwks_url)
        session.commit()
    finally:
        session.close()
    assert key_set["keys"][0]["kid"] == lms.kid
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(PlatformKeySet)) == 1
        stored = connection.scalar(select(PlatformKeySet.jwks))
    assert stored["keys"][0]["kid"] == lms.kid
