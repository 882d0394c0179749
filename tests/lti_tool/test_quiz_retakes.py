"""Retake rules come from the content: `max_attempts` submissions, the best one counts."""

from __future__ import annotations

import re

import jwt
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lti_tool.models import QuizAttempt
from tests.lti_tool.signing_platform import (
    INSTRUCTOR,
    SigningPlatform,
    login_params,
    page_address,
    state_and_nonce,
)

ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def open_quiz(client: FlaskClient, lms: SigningPlatform, **claims: object) -> tuple[str, str]:
    login = client.get("/lti/login", query_string=login_params())
    state, nonce = state_and_nonce(login.headers["Location"])
    token = jwt.encode(
        lms.claims(nonce, **claims), lms.key, algorithm="RS256", headers={"kid": lms.kid}
    )
    page = client.post("/lti/launch", data={"state": state, "id_token": token})
    text = page.get_data(as_text=True)
    return page_address(text).split("?")[0], text


def submit(client: FlaskClient, url: str, page: str, answer: str) -> str:
    form = {**dict(HIDDEN.findall(page)), "q-m01.q01": answer}
    return client.post(url, data=form).get_data(as_text=True)


def stored_attempts(app: Flask) -> int:
    with app.extensions["ambassadeurs.engine"].connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(QuizAttempt)) or 0)


def test_learner_gets_the_content_s_number_of_attempts_then_is_told_so(
    lti_app: Flask, client: FlaskClient, lms: SigningPlatform
) -> None:
    url, page = open_quiz(client, lms)
    assert "tentatives restantes : 2 sur 2" in page
    after_first = submit(client, url, page, "b")
    assert "tentatives restantes : 1 sur 2" in after_first
    assert "Refaire le quiz" in after_first
    after_second = submit(client, url, page, "a")
    assert "tentatives restantes : 0 sur 2" in after_second
    assert "Refaire le quiz" not in after_second
    refused = submit(client, url, page, "a")
    assert "utilisé toutes vos tentatives" in refused
    assert "Valider mes réponses" not in refused
    assert stored_attempts(lti_app) == 2
    again = client.get(url, query_string=dict(HIDDEN.findall(page))).get_data(as_text=True)
    assert "Valider mes réponses" not in again


def test_trainer_preview_has_no_attempt_limit(
    lti_app: Flask, client: FlaskClient, lms: SigningPlatform
) -> None:
    url, page = open_quiz(client, lms, **{ROLES: [INSTRUCTOR]})
    for _ in range(3):
        assert "Votre score" in submit(client, url, page, "a")
    assert stored_attempts(lti_app) == 0
