"""LTI Dynamic Registration against an LMS served over real HTTP by the test suite, then a
launch from that LMS with the client id it issued."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from lti_tool.models import Platform
from tests.lti_tool.one_language import (
    assert_in_one_language,
    other_language_phrases,
    visible_text,
)
from tests.lti_tool.registration_platform import TOOL_CONFIGURATION, RegistrationPlatform, serve
from tests.lti_tool.signing_platform import TOOL_BASE, page_address

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"


@pytest.fixture
def lms() -> Iterator[RegistrationPlatform]:
    yield from serve(RegistrationPlatform())


def make_tool(settings: Any, **changes: Any) -> Flask:
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    configured = dataclasses.replace(settings, **changes)
    prepare_instance(configured)
    return create_app(configured)


@pytest.fixture
def tool(settings: Any) -> Flask:
    return make_tool(settings)


def open_registration(client: FlaskClient, lms: RegistrationPlatform, token: str) -> TestResponse:
    return client.get(
        "/lti/register",
        query_string={"openid_configuration": lms.configuration_url, "registration_token": token},
    )


def confirm_form(page: TestResponse) -> str:
    found = re.search(r'name="registration" value="([^"]+)"', page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)[:1000]
    return found.group(1)


def register(client: FlaskClient, lms: RegistrationPlatform) -> TestResponse:
    page = open_registration(client, lms, lms.new_token())
    assert page.status_code == 200, page.get_data(as_text=True)[:800]
    return client.post("/lti/register", data={"registration": confirm_form(page)})


def registrations(app: Flask) -> list[Platform]:
    """The registrations Dynamic Registration made (the demo LMS is registered too)."""
    with Session(app.extensions["ambassadeurs.engine"], expire_on_commit=False) as session:
        rows = list(session.scalars(select(Platform).where(Platform.source == "dynamic")))
        for row in rows:
            _ = row.deployments
        return rows


def launch_from(client: FlaskClient, lms: RegistrationPlatform, platform: Platform) -> TestResponse:
    """The LMS's OIDC login then its signed launch, with the client id it issued."""
    deployment = platform.deployments[0].deployment_id
    login = client.get(
        "/lti/login",
        query_string={
            "iss": lms.issuer,
            "login_hint": "42",
            "target_link_uri": f"{TOOL_BASE}/lti/launch",
            "lti_message_hint": "1",
            "client_id": platform.client_id,
            "lti_deployment_id": deployment,
        },
    )
    assert login.status_code == 302, login.get_data(as_text=True)[:500]
    assert login.location.startswith(f"{lms.base}/auth?")
    query = parse_qs(urlsplit(login.location).query)
    claims = lms.signer.claims(
        query["nonce"][0],
        iss=lms.issuer,
        aud=platform.client_id,
        **{CLAIM + "deployment_id": deployment},
    )
    return client.post(
        "/lti/launch", data={"id_token": lms.signer.sign(claims), "state": query["state"][0]}
    )


def test_full_dynamic_registration_then_a_launch_with_the_issued_client_id(
    tool: Flask, lms: RegistrationPlatform
) -> None:
    client = tool.test_client(use_cookies=False)
    token = lms.new_token()
    page = open_registration(client, lms, token)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    # The page between the steps shows what will be registered before anything is sent.
    assert "Moodle 5.0.1" in text and lms.issuer in text and f"{TOOL_BASE}/lti/login" in text
    assert "contextmembership.readonly" in text and "lti-ags/scope/score" in text
    assert lms.registrations == []
    assert f"frame-ancestors 'self' {lms.base}" in page.headers["Content-Security-Policy"]
    assert lms.configuration_auth[-1] == f"Bearer {token}"

    done = client.post("/lti/register", data={"registration": confirm_form(page)})
    text = done.get_data(as_text=True)
    assert done.status_code == 200, text[:800]
    assert "Outil inscrit" in text and "Activer" in text
    assert "Afficher dans le sélecteur d" in text  # Moodle creates it hidden from the chooser
    assert re.search(r'<script src="/assets/registration-close\.[0-9a-f]+\.js" defer>', text)
    assert 'id="fermer-inscription" hidden' in text  # without JS: the text says what to do
    assert "fermer cette fenêtre" in text

    sent = lms.registrations[0]
    assert sent["response_types"] == ["id_token"]
    assert sent["token_endpoint_auth_method"] == "private_key_jwt"
    assert sent["initiate_login_uri"] == f"{TOOL_BASE}/lti/login"
    assert sent["redirect_uris"] == [f"{TOOL_BASE}/lti/launch"]
    assert sent["jwks_uri"] == f"{TOOL_BASE}/lti/jwks"
    assert sent["client_name#en"] == "Responsible Digital Ambassadors"
    assert set(sent["scope"].split()) >= {
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    }
    configuration = sent[TOOL_CONFIGURATION]
    assert configuration["domain"] == "127.0.0.1:5000"
    assert configuration["description#en"] and configuration["description"]
    assert configuration["messages"] == [
        {
            "type": "LtiDeepLinkingRequest",
            "target_link_uri": f"{TOOL_BASE}/lti/launch",
            "label": "Ambassadeurs NR",
            "label#fr": "Ambassadeurs NR",
            "label#en": "Responsible Digital Ambassadors",
            "placements": ["ContentArea"],
        }
    ]

    [platform] = registrations(tool)
    assert (platform.issuer, platform.status, platform.source) == (
        lms.issuer,
        "approved",
        "dynamic",
    )
    assert platform.auth_login_url == f"{lms.base}/auth"
    assert platform.key_set_url == f"{lms.base}/jwks"
    assert [d.deployment_id for d in platform.deployments] == ["1"]
    assert platform.registration and platform.registration["product_family_code"] == "moodle"
    assert platform.client_id in text

    launched = launch_from(client, lms, platform)
    page = launched.get_data(as_text=True)
    assert launched.status_code == 200, page[:800]
    assert page_address(page).startswith("/learn/quizzes/m01.quiz?ltik=")


def test_configuration_whose_url_does_not_start_with_its_issuer_is_rejected(
    tool: Flask, lms: RegistrationPlatform
) -> None:
    # "http://127.0.0.1:1234" is a string prefix of "http://127.0.0.1:12345/…" but not the
    # same site: only a prefix ending at a path boundary counts.
    lms.issuer_override = lms.base[:-1]
    page = open_registration(tool.test_client(use_cookies=False), lms, lms.new_token())
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "ne commence pas par" in text and "issuer_mismatch" in text
    assert lms.registrations == [] and registrations(tool) == []


def test_reused_registration_token_gives_a_clear_page(
    tool: Flask, lms: RegistrationPlatform
) -> None:
    client = tool.test_client(use_cookies=False)
    page = open_registration(client, lms, lms.new_token())
    form = confirm_form(page)
    assert client.post("/lti/register", data={"registration": form}).status_code == 200
    again = client.post("/lti/register", data={"registration": form})
    text = again.get_data(as_text=True)
    assert again.status_code == 400
    assert "Ce jeton d&#39;inscription a déjà servi" in text
    assert "Recommencez depuis le LMS" in text and "Start again from the LMS" not in text
    assert "token_already_used" in text  # the LMS's own words
    assert "Réessayer" not in text  # the same token cannot work: no retry link
    assert len(registrations(tool)) == 1


def test_lms_refusal_is_shown_with_its_words(tool: Flask, lms: RegistrationPlatform) -> None:
    client = tool.test_client(use_cookies=False)
    page = open_registration(client, lms, "a-token-the-lms-never-issued")
    response = client.post("/lti/register", data={"registration": confirm_form(page)})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "missing_registration_token" in text and "a expiré" in text


def test_unreachable_configuration_offers_a_second_try(tool: Flask) -> None:
    from tests.lti_tool.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    response = tool.test_client(use_cookies=False).get(
        "/lti/register", query_string={"openid_configuration": url, "registration_token": "t"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 502
    assert "Réessayer" in text and "openid_configuration=http" in text


def test_altered_confirmation_form_is_refused(tool: Flask, lms: RegistrationPlatform) -> None:
    client = tool.test_client(use_cookies=False)
    form = confirm_form(open_registration(client, lms, lms.new_token()))
    response = client.post("/lti/register", data={"registration": form[:-3] + "AAA"})
    assert response.status_code == 400
    assert "a expiré ou a été modifié" in response.get_data(as_text=True)
    assert lms.registrations == []


def test_registration_url_opened_by_hand_explains_where_to_paste_it(tool: Flask) -> None:
    response = tool.test_client(use_cookies=False).get("/lti/register")
    assert response.status_code == 400
    assert "collez-la dans son formulaire" in response.get_data(as_text=True)


def test_plain_http_lms_elsewhere_than_this_machine_is_refused(tool: Flask) -> None:
    response = tool.test_client(use_cookies=False).get(
        "/lti/register",
        query_string={"openid_configuration": "http://lms.example.org/openid-configuration"},
    )
    assert response.status_code == 400
    assert "https" in response.get_data(as_text=True)


def test_in_production_a_registration_waits_for_approval_before_launching(
    settings: Any, lms: RegistrationPlatform
) -> None:
    tool = make_tool(settings, registration_approval="admin")
    client = tool.test_client(use_cookies=False)
    page = open_registration(client, lms, lms.new_token())
    assert "devra l'approuver" in visible_text(page.get_data(as_text=True))
    done = client.post("/lti/register", data={"registration": confirm_form(page)})
    assert "doit approuver l'inscription" in visible_text(done.get_data(as_text=True))
    [platform] = registrations(tool)
    assert platform.status == "pending"
    login = client.get(
        "/lti/login",
        query_string={
            "iss": lms.issuer,
            "login_hint": "42",
            "target_link_uri": f"{TOOL_BASE}/lti/launch",
            "client_id": platform.client_id,
        },
    )
    assert login.status_code == 403
    assert "attend l&#39;accord" in login.get_data(as_text=True)


def test_registering_again_with_the_same_client_keeps_one_registration(
    tool: Flask, lms: RegistrationPlatform
) -> None:
    client = tool.test_client(use_cookies=False)
    assert register(client, lms).status_code == 200
    [first] = registrations(tool)
    lms.reissue_client_id = first.client_id
    assert register(client, lms).status_code == 200
    [platform] = registrations(tool)
    assert [d.deployment_id for d in platform.deployments] == ["1", "2"]


def test_close_script_sends_the_spec_message_to_the_lms(tool: Flask) -> None:
    client = tool.test_client()
    script_url = tool.jinja_env.globals["asset_url"]("registration-close.js")
    script = client.get(script_url).get_data(as_text=True)
    assert "org.imsglobal.lti.close" in script and "window.opener || window.parent" in script


def test_registration_pages_follow_the_browser_language(
    settings: Any, lms: RegistrationPlatform
) -> None:
    tool = make_tool(settings, registration_approval="admin")
    client = tool.test_client(use_cookies=False)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9,fr;q=0.4"
    page = open_registration(client, lms, lms.new_token())
    text = page.get_data(as_text=True)
    assert "<h1>Register the tool in Moodle</h1>" in text
    assert "an administrator of the tool must approve it before the first launch" in text
    # The tool is registered under both its names: the other one is marked as French.
    assert (
        'Responsible Digital Ambassadors (in French: <span lang="fr">Ambassadeurs NR</span>)'
        in text
    )
    assert other_language_phrases(text, "en") == [] and '<html lang="en">' in text
    done = client.post("/lti/register", data={"registration": confirm_form(page)})
    text = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "The tool is registered in Moodle." in text
    assert "In Moodle, <em>Manage tools</em>: the tool is “Pending”" in text
    assert "launches are refused until then" in text
    assert_in_one_language(text, "en")
