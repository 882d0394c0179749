"""The server side of LTI platform storage: a login that asks for it gets the storing page,
the page binds it, and the launch of a bound login opens only once the values read back
from the platform storage match the login's; anything else keeps the server-side path."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from lti_tool import platform_storage
from lti_tool.models import Launch, OidcState
from lti_tool.platform_storage import PendingChecks, message_origin, requested_target
from tests.lti_tool.signing_platform import (
    SigningPlatform,
    login_params,
    page_address,
    state_and_nonce,
)


def storage_login(client: FlaskClient, target: str = "_parent") -> tuple[str, str, str]:
    """A login offering platform storage: (state, nonce, page)."""
    response = client.get("/lti/login", query_string=login_params(lti_storage_target=target))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    state = re.search(r'data-state="([^"]+)"', page)
    nonce = re.search(r'data-nonce="([^"]+)"', page)
    assert state and nonce
    return state[1], nonce[1], page


def bound_launch(client: FlaskClient, lms: SigningPlatform) -> tuple[str, str, str]:
    """Login, binding by the page's script, launch: (state, nonce, the check page)."""
    state, nonce, _page = storage_login(client)
    assert client.post("/lti/login/stored", data={"state": state}).status_code == 204
    token = lms.sign(lms.claims(nonce))
    response = client.post("/lti/launch", data={"id_token": token, "state": state})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    return state, nonce, page


def pending_of(page: str) -> str:
    found = re.search(r'name="pending" value="([^"]+)"', page)
    assert found
    return found[1]


def check(client: FlaskClient, page: str, **values: str) -> TestResponse:
    return client.post(
        "/lti/launch/storage-check", data={"pending": pending_of(page), "problem": "", **values}
    )


def record(app: Flask, state: str) -> OidcState:
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        found = session.get(OidcState, state)
        assert found is not None
        return found


def launch_count(app: Flask) -> int:
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        return len(session.scalars(select(Launch)).all())


def test_login_offering_storage_answers_with_a_page_that_stores_state_and_nonce(
    client: FlaskClient, lti_app: Flask
) -> None:
    response = client.get("/lti/login", query_string=login_params(lti_storage_target="_parent"))
    state, nonce, page = storage_login(client)
    assert f'data-state-key="lti_state_{state}"' in page
    assert f'data-nonce-key="lti_nonce_{nonce}"' in page
    assert 'data-target="_parent"' in page and 'data-origin="https://lms.test"' in page
    assert 'data-auth-url="https://lms.test/auth?' in page
    # Without JavaScript, a link goes on to the platform (the server-side path).
    assert re.search(r'<a href="https://lms\.test/auth\?[^"]*state=' + state, page)
    scripts = re.findall(r"<script[^>]*>", page)
    script = r'src="/assets/platform-storage\.\w+\.js"'
    assert scripts and all(re.search(script, s) for s in scripts)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert record(lti_app, state).storage_target == "_parent"


def test_login_posted_by_the_platform_with_a_storage_target_gets_the_page_too(
    client: FlaskClient,
) -> None:
    # Canvas posts its login initiation.
    response = client.post("/lti/login", data=login_params(lti_storage_target="post_message"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-mode="login"' in page and 'data-target="post_message"' in page


@pytest.mark.parametrize("target", ["", "<script>", "x" * 101, "a b"])
def test_login_without_a_usable_storage_target_redirects_as_before(
    client: FlaskClient, target: str
) -> None:
    response = client.get("/lti/login", query_string=login_params(lti_storage_target=target))
    assert response.status_code == 302
    assert response.location.startswith("https://lms.test/auth?")


def test_storage_target_names_a_frame_or_nothing() -> None:
    assert requested_target({"lti_storage_target": "post_message_forwarding"}) == (
        "post_message_forwarding"
    )
    assert requested_target({"lti_storage_target": "_parent"}) == "_parent"
    assert requested_target({}) is None
    assert requested_target({"lti_storage_target": '"><img>'}) is None


def test_storage_messages_go_to_the_authorization_origin_and_to_any_origin_for_canvas() -> None:
    assert message_origin("https://lms.test", "https://lms.test:8443/auth?x=1") == (
        "https://lms.test:8443"
    )
    bb = "https://developer.blackboard.com"
    assert message_origin(bb, "https://developer.blackboard.com/api/v1/gateway/oidcauth") == bb
    canvas_auth = "https://sso.canvaslms.com/api/lti/authorize_redirect"
    assert message_origin("https://canvas.instructure.com", canvas_auth) == "*"
    assert message_origin("https://canvas.test.instructure.com/", canvas_auth) == "*"


def test_bound_launch_opens_once_the_platform_storage_returns_the_login_values(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask
) -> None:
    state, nonce, page = bound_launch(client, lms)
    # The check page reads the values back; it gives no session before the check.
    assert 'data-mode="launch"' in page and "ltik=" not in page
    assert f'data-state-key="lti_state_{state}"' in page
    assert f'data-nonce-key="lti_nonce_{nonce}"' in page
    response = check(client, page, state=state, nonce=nonce)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert "/learn/quizzes/m01.quiz?ltik=" in response.location
    assert client.get(response.location).status_code == 200
    assert record(lti_app, state).storage_checked_at is not None


@pytest.mark.parametrize(
    "returned",
    [
        {"state": "", "nonce": "", "problem": "timeout:lti.get_data"},
        {"state": "STATE", "nonce": "another-nonce"},
        {"state": "another-state", "nonce": "NONCE"},
    ],
)
def test_launch_is_refused_when_the_platform_storage_does_not_return_the_login_values(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask, returned: dict[str, str]
) -> None:
    state, nonce, page = bound_launch(client, lms)
    values = {k: v.replace("STATE", state).replace("NONCE", nonce) for k, v in returned.items()}
    response = check(client, page, **values)
    text = response.get_data(as_text=True)
    assert response.status_code == 403, text[:500]
    assert "ne détient pas la preuve de connexion" in text and "Référence à communiquer" in text
    assert "ltik=" not in text
    # The launch that waited is deleted, and the check is spent: no second try.
    assert launch_count(lti_app) == 0
    again = check(client, page, state=state, nonce=nonce)
    assert again.status_code == 400


def test_storage_check_is_single_use(client: FlaskClient, lms: SigningPlatform) -> None:
    state, nonce, page = bound_launch(client, lms)
    assert check(client, page, state=state, nonce=nonce).status_code == 303
    again = check(client, page, state=state, nonce=nonce)
    assert again.status_code == 400
    assert "déjà été utilisée" in again.get_data(as_text=True)


def test_forged_or_late_check_reference_is_refused(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, nonce, page = bound_launch(client, lms)
    forged = client.post(
        "/lti/launch/storage-check",
        data={"pending": pending_of(page) + "x", "state": state, "nonce": nonce},
    )
    assert forged.status_code == 400
    # A reference signed with another key is forged too.
    with lti_app.app_context():
        launch_id, _ = PendingChecks(lti_app.config["SECRET_KEY"]).read(pending_of(page))
    other = PendingChecks("another-secret").issue(launch_id, state)
    response = client.post(
        "/lti/launch/storage-check", data={"pending": other, "state": state, "nonce": nonce}
    )
    assert response.status_code == 400
    monkeypatch.setattr(platform_storage, "CHECK_SECONDS", -1)
    late = check(client, page, state=state, nonce=nonce)
    assert late.status_code == 400
    assert "a expiré" in late.get_data(as_text=True)


def test_check_reference_of_an_unbound_login_is_refused(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask
) -> None:
    response = client.get("/lti/login", query_string=login_params())
    state, nonce = state_and_nonce(response.location)
    launched = client.post(
        "/lti/launch", data={"id_token": lms.sign(lms.claims(nonce)), "state": state}
    )
    assert launched.status_code == 200
    with Session(lti_app.extensions["ambassadeurs.engine"]) as session:
        launch_id = session.scalars(select(Launch.id)).one()
    pending = PendingChecks(lti_app.config["SECRET_KEY"]).issue(launch_id, state)
    refused = client.post(
        "/lti/launch/storage-check", data={"pending": pending, "state": state, "nonce": nonce}
    )
    assert refused.status_code == 400


def test_only_a_recent_unlaunched_login_that_asked_for_storage_is_bound(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    assert client.post("/lti/login/stored", data={"state": "never-issued"}).status_code == 404
    assert client.post("/lti/login/stored", data={}).status_code == 404
    plain = client.get("/lti/login", query_string=login_params())
    plain_state, _ = state_and_nonce(plain.location)
    assert client.post("/lti/login/stored", data={"state": plain_state}).status_code == 404
    state, _nonce, _page = storage_login(client)
    assert client.post("/lti/login/stored", data={"state": state}).status_code == 204
    assert client.post("/lti/login/stored", data={"state": state}).status_code == 404
    # Once launched, a login can no longer be bound.
    other_state, other_nonce, _ = storage_login(client)
    token = lms.sign(lms.claims(other_nonce))
    assert client.post("/lti/launch", data={"id_token": token, "state": other_state}).status_code
    assert client.post("/lti/login/stored", data={"state": other_state}).status_code == 404


def test_login_whose_page_could_not_reach_the_storage_launches_on_the_server_path(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask
) -> None:
    # The page's script found no platform window (or no JavaScript): nothing bound it.
    state, nonce, _page = storage_login(client)
    token = lms.sign(lms.claims(nonce))
    response = client.post("/lti/launch", data={"id_token": token, "state": state})
    assert response.status_code == 200
    assert page_address(response.get_data(as_text=True)).startswith("/learn/quizzes/m01.quiz?")
    assert record(lti_app, state).stored_in_platform_at is None


def test_check_compares_both_values_and_counts_once(lti_app: Flask, client: FlaskClient) -> None:
    state, nonce, _page = storage_login(client)
    engine: Any = lti_app.extensions["ambassadeurs.engine"]
    with Session(engine) as session, session.begin():
        from lti_tool.models import utcnow

        assert platform_storage.mark_stored(session, state, utcnow())
        found = session.get(OidcState, state)
        assert found is not None
        # Not launched yet: nothing to check.
        with pytest.raises(platform_storage.LtiError):
            platform_storage.check_retrieved(session, state, state, nonce, utcnow())
        found.used_at = utcnow()
        session.flush()
        assert platform_storage.check_retrieved(session, state, state, nonce, utcnow())
        with pytest.raises(platform_storage.LtiError) as replay:
            platform_storage.check_retrieved(session, state, state, nonce, utcnow())
        assert replay.value.code == "launch_replayed"
