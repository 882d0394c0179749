"""Approval of registrations and deployments, and the deployment-id policy, enforced at
login and launch."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from sqlalchemy.orm import Session

from lti_tool.database import alembic_config, make_engine
from lti_tool.models import Deployment, Platform
from lti_tool.platforms import (
    APPROVED,
    DISABLED,
    PENDING,
    find_platform,
    set_deployment_status,
    set_platform_status,
)
from tests.lti_tool.signing_platform import CLIENT_ID, ISSUER, SigningPlatform
from tests.lti_tool.test_lti_launch import CLAIM, assert_refused, launch, start_login


def tool(settings: Any, lms: SigningPlatform, **changes: Any) -> Flask:
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    configured = dataclasses.replace(settings, platforms=[lms.registration()], **changes)
    prepare_instance(configured)
    return create_app(configured)


def registered(app: Flask) -> Platform:
    with Session(app.extensions["ambassadeurs.engine"], expire_on_commit=False) as session:
        platform = find_platform(session, ISSUER, CLIENT_ID)
        assert platform is not None
        return platform


def deployments(app: Flask) -> dict[str, tuple[str, str]]:
    """deployment id -> (status, source)"""
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        rows = session.scalars(sa.select(Deployment)).all()
        return {d.deployment_id: (d.status, d.source) for d in rows}


def change(app: Flask, action: Any, *args: Any) -> None:
    with Session(app.extensions["ambassadeurs.engine"]) as session, session.begin():
        action(session, registered(app).id, *args)


def test_policy_auto_records_an_unseen_deployment_and_accepts_the_launch(
    settings: Any, lms: SigningPlatform
) -> None:
    app = tool(settings, lms, deployment_policy="auto")
    client = app.test_client(use_cookies=False)
    assert launch(client, lms, **{CLAIM + "deployment_id": "course-12"}).status_code == 200
    assert deployments(app)["course-12"] == (APPROVED, "launch")


def test_policy_approve_refuses_an_unseen_deployment_and_says_what_to_approve(
    settings: Any, lms: SigningPlatform
) -> None:
    app = tool(settings, lms, deployment_policy="approve")
    client = app.test_client(use_cookies=False)
    response = launch(client, lms, **{CLAIM + "deployment_id": "course-12"})
    assert_refused(response, 403, "« course-12 » de « LMS de test »")
    assert "/admin/platforms" in response.get_data(as_text=True)
    assert deployments(app)["course-12"] == (PENDING, "launch")
    # Refused again (not recorded twice) until the administrator approves it.
    assert_refused(launch(client, lms, **{CLAIM + "deployment_id": "course-12"}), 403)
    assert list(deployments(app)).count("course-12") == 1
    change(app, set_deployment_status, "course-12", APPROVED)
    assert launch(client, lms, **{CLAIM + "deployment_id": "course-12"}).status_code == 200


def test_policy_approve_still_accepts_the_known_deployments(
    settings: Any, lms: SigningPlatform
) -> None:
    app = tool(settings, lms, deployment_policy="approve")
    assert launch(app.test_client(use_cookies=False), lms).status_code == 200


def test_disabled_deployment_is_refused(settings: Any, lms: SigningPlatform) -> None:
    app = tool(settings, lms)
    change(app, set_deployment_status, "deployment-1", DISABLED)
    response = launch(app.test_client(use_cookies=False), lms)
    assert_refused(response, 403, "désactivé")


def test_pending_registration_is_refused_at_login_with_what_to_do(
    settings: Any, lms: SigningPlatform
) -> None:
    app = tool(settings, lms)
    change(app, set_platform_status, PENDING)
    client = app.test_client(use_cookies=False)
    from tests.lti_tool.signing_platform import login_params

    response = client.get("/lti/login", query_string=login_params())
    assert_refused(response, 403, "(LMS de test) attend")
    assert "/admin/platforms" in response.get_data(as_text=True)
    change(app, set_platform_status, APPROVED)
    assert launch(client, lms).status_code == 200


def test_registration_disabled_between_login_and_launch_is_refused(
    settings: Any, lms: SigningPlatform
) -> None:
    app = tool(settings, lms)
    client = app.test_client(use_cookies=False)
    state, nonce = start_login(client)
    change(app, set_platform_status, DISABLED)
    token = lms.sign(lms.claims(nonce))
    response = client.post("/lti/launch", data={"id_token": token, "state": state})
    assert_refused(response, 403, "est désactivée")


def test_disabled_registration_leaves_the_frame_ancestors(
    settings: Any, lms: SigningPlatform
) -> None:
    app = tool(settings, lms)
    client = app.test_client(use_cookies=False)
    assert ISSUER in client.get("/").headers["Content-Security-Policy"]
    change(app, set_platform_status, DISABLED)
    app.extensions["ambassadeurs.reset_frame_ancestors"]()
    assert ISSUER not in client.get("/").headers["Content-Security-Policy"]


@pytest.mark.parametrize("policy", ["sometimes", ""])
def test_unknown_policy_in_the_configuration_is_refused(settings: Any, policy: str) -> None:
    from lti_tool.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="deployment_policy"):
        load_settings({"deployment_policy": policy}, environ={})


def test_upgrade_keeps_existing_registrations_approved(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0001")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO lti_platform (id, name, issuer, client_id, auth_login_url, "
                    "auth_token_url, key_set_url, created_at) VALUES (1, 'Moodle', 'https://m', "
                    "'c', 'https://m/a', 'https://m/t', 'https://m/k', '2026-01-01')"
                )
            )
            connection.execute(
                sa.text("INSERT INTO lti_deployment (platform_id, deployment_id) VALUES (1, '1')")
            )
        command.upgrade(config, "head")
        with Session(engine) as session:
            platform = session.get(Platform, 1)
            assert platform is not None
            assert (platform.status, platform.deployment_policy) == (APPROVED, "auto")
            assert [(d.deployment_id, d.status) for d in platform.deployments] == [("1", APPROVED)]
    finally:
        engine.dispose()
