"""Each launch leaves one structured log line: platform, outcome, and no personal data but `sub`."""

from __future__ import annotations

import logging

import jwt
import pytest
from flask.testing import FlaskClient

from tests.lti_tool.signing_platform import SigningPlatform, login_params, state_and_nonce


def _launch_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [
        r.fields  # type: ignore[attr-defined]
        for r in caplog.records
        if getattr(r, "fields", {}).get("event") == "launch"
    ]


def _post_launch(client: FlaskClient, lms: SigningPlatform, **claims: object) -> int:
    login = client.get("/lti/login", query_string=login_params())
    state, nonce = state_and_nonce(login.headers["Location"])
    token = jwt.encode(
        lms.claims(nonce, **claims), lms.key, algorithm="RS256", headers={"kid": lms.kid}
    )
    return client.post("/lti/launch", data={"state": state, "id_token": token}).status_code


def test_accepted_launch_is_logged_with_its_platform_and_sub(
    client: FlaskClient, lms: SigningPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ambassadeurs.events"):
        assert _post_launch(client, lms, name="Ada Lovelace", email="ada@example.org") == 200
    (event,) = _launch_events(caplog)
    assert event["outcome"] == "ok" and event["sub"] == "42"
    assert event["message_type"] == "LtiResourceLinkRequest" and event["platform_id"]
    logged = " ".join(str(r.__dict__) for r in caplog.records)
    assert "Ada" not in logged and "ada@example.org" not in logged


def test_refused_launch_is_logged_with_its_reason(
    client: FlaskClient, lms: SigningPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    version = "https://purl.imsglobal.org/spec/lti/claim/version"
    with caplog.at_level(logging.INFO, logger="ambassadeurs.events"):
        assert _post_launch(client, lms, **{version: "1.1"}) >= 400
    (event,) = _launch_events(caplog)
    assert event["outcome"] != "ok" and int(str(event["status"])) >= 400
