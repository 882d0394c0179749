"""Consumed OIDC states and expired launches are purged; what learners did stays."""

from __future__ import annotations

import re
from datetime import timedelta

import jwt
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from lti_tool.housekeeping import Purged, purge_expired
from lti_tool.lti_adapter import STATE_LIFETIME_SECONDS
from lti_tool.models import Launch, OidcState, QuizAttempt, utcnow
from tests.lti_tool.signing_platform import (
    SigningPlatform,
    login_params,
    page_address,
    state_and_nonce,
)


def _count(app: Flask, model: type) -> int:
    with app.extensions["ambassadeurs.engine"].connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def _launch(client: FlaskClient, lms: SigningPlatform) -> str:
    """Log in and launch; returns the first page."""
    login = client.get("/lti/login", query_string=login_params())
    state, nonce = state_and_nonce(login.headers["Location"])
    token = jwt.encode(lms.claims(nonce), lms.key, algorithm="RS256", headers={"kid": lms.kid})
    page = client.post("/lti/launch", data={"state": state, "id_token": token})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_expired_states_and_launches_go_and_attempts_stay(
    lti_app: Flask, client: FlaskClient, lms: SigningPlatform
) -> None:
    quiz_page = _launch(client, lms)
    quiz_url = page_address(quiz_page)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', quiz_page))
    client.post(quiz_url.split("?")[0], data={**hidden, "q-m01.q01": "a"})
    # A login never completed leaves nothing behind: its state is signed, not stored.
    client.get("/lti/login", query_string=login_params())
    assert (_count(lti_app, OidcState), _count(lti_app, Launch)) == (1, 1)
    assert _count(lti_app, QuizAttempt) == 1

    engine = lti_app.extensions["ambassadeurs.engine"]
    assert purge_expired(engine, utcnow()) == Purged(0, 0)  # nothing has expired yet
    # Just past the state's lifetime, a web server whose clock is behind may still accept
    # it: its consumed record stays, to refuse the replay.
    just_expired = utcnow() + timedelta(seconds=STATE_LIFETIME_SECONDS + 30)
    assert purge_expired(engine, just_expired) == Purged(0, 0)
    assert _count(lti_app, OidcState) == 1

    purged = purge_expired(engine, utcnow() + timedelta(hours=13))
    assert (purged.oidc_states, purged.launches) == (1, 1)
    assert (_count(lti_app, OidcState), _count(lti_app, Launch)) == (0, 0)
    with engine.connect() as connection:
        attempt = connection.execute(select(QuizAttempt)).one()
    assert attempt.launch_id is None and attempt.quiz_id == "m01.quiz"


def test_a_running_grade_worker_purges_expired_records(
    lti_app: Flask, client: FlaskClient, lms: SigningPlatform
) -> None:
    import threading
    import time

    from lti_tool.grade_worker import GradeDelivery

    _launch(client, lms)
    engine = lti_app.extensions["ambassadeurs.engine"]
    with engine.begin() as connection:
        connection.execute(update(OidcState).values(created_at=utcnow() - timedelta(hours=1)))
    assert _count(lti_app, OidcState) == 1
    delivery = GradeDelivery.from_settings(engine, lti_app.config["SETTINGS"])
    stop, wake = threading.Event(), threading.Event()
    worker = threading.Thread(target=delivery.run, args=(stop, wake, 0.05), daemon=True)
    worker.start()
    deadline = time.monotonic() + 10
    while _count(lti_app, OidcState) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    wake.set()
    worker.join(5)
    delivery.client.close()
    assert _count(lti_app, OidcState) == 0
