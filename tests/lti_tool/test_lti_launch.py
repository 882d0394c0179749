"""Login and launch: the checks pylti1p3 lacks, fixed in the adapter, and the known bad
payloads of the 1EdTech certification guide, each refused with a 4xx and the clear page."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from lti_tool import platform_keys
from lti_tool.lti_adapter import TimeoutSession
from lti_tool.models import OidcState, QuizAttempt
from tests.lti_tool.signing_platform import (
    CLIENT_ID,
    INSTRUCTOR,
    SigningPlatform,
    login_params,
    new_private_key,
    page_address,
    state_and_nonce,
)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"


def start_login(client: FlaskClient, **params: str) -> tuple[str, str]:
    response = client.get("/lti/login", query_string=login_params(**params))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.startswith("https://lms.test/auth?")
    return state_and_nonce(response.location)


def launch(
    client: FlaskClient, lms: SigningPlatform, sign: dict[str, Any] | None = None, **claims: Any
) -> TestResponse:
    """A whole login + launch; `claims` change the id_token, `sign` how it is signed."""
    state, nonce = start_login(client)
    token = lms.sign(lms.claims(nonce, **claims), **(sign or {}))
    return client.post("/lti/launch", data={"id_token": token, "state": state})


def assert_refused(response: TestResponse, status: int = 400, words: str = "") -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[:500]
    assert "Référence à communiquer" in page and "Traceback" not in page
    assert words in page


def test_launch_response_is_the_first_page(client: FlaskClient, lms: SigningPlatform) -> None:
    response = launch(client, lms)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    assert 'name="q-m01.q01"' in page and 'action="/learn/quizzes/m01.quiz?ltik=' in page
    # Personal, and never kept by a cache: it answers a POST that cannot be sent twice.
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response.headers or "session" not in response.headers["Set-Cookie"]
    # Its script's address is the same page by GET, which a refresh asks for.
    address = page_address(page)
    assert address.startswith("/learn/quizzes/m01.quiz?ltik=")
    again = client.get(address)
    assert again.status_code == 200 and 'name="q-m01.q01"' in again.get_data(as_text=True)
    assert "page-address" not in again.get_data(as_text=True)  # already at its address


def test_launch_page_links_and_forms_carry_the_session(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    page = launch(client, lms).get_data(as_text=True)
    token = parse_qs(urlsplit(page_address(page)).query)["ltik"][0]
    assert f'href="/learn/modules/m01?ltik={token}"' in page
    assert f'name="ltik" value="{token}"' in page and 'name="csrf" value="' in page


def test_launch_posting_answers_records_no_attempt(
    lti_app: Any, client: FlaskClient, lms: SigningPlatform
) -> None:
    # The launch is a POST too: its form fields must never be read as the quiz's answers.
    state, nonce = start_login(client)
    token = lms.sign(lms.claims(nonce))
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": state, "q-m01.q01": "a"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Votre score" not in page
    assert 'name="q-m01.q01" id="q-m01.q01-a" value="a" checked' not in page
    with lti_app.extensions["ambassadeurs.engine"].connect() as connection:
        assert connection.scalar(select(func.count()).select_from(QuizAttempt)) == 0


def test_replayed_nonce_is_rejected(client: FlaskClient, lms: SigningPlatform) -> None:
    state, nonce = start_login(client)
    token = lms.sign(lms.claims(nonce))
    first = client.post("/lti/launch", data={"id_token": token, "state": state})
    assert first.status_code == 200
    assert_refused(
        client.post("/lti/launch", data={"id_token": token, "state": state}),
        words="actualiser la page",
    )


def test_a_login_writes_nothing_and_its_launch_consumes_the_state(
    lti_app: Any, client: FlaskClient, lms: SigningPlatform
) -> None:
    engine = lti_app.extensions["ambassadeurs.engine"]
    state, nonce = start_login(client)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(OidcState)) == 0
    token = lms.sign(lms.claims(nonce))
    assert client.post("/lti/launch", data={"id_token": token, "state": state}).status_code == 200
    with engine.connect() as connection:
        consumed = connection.execute(select(OidcState)).one()
    assert consumed.state == state and consumed.used_at is not None


def test_state_issued_by_another_tool_instance_is_rejected(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    from lti_tool.oidc_state import PREFIX, LoginStates

    _state, nonce = start_login(client)
    forged = PREFIX + LoginStates("another secret key", 600).value(
        nonce, 1, "http://127.0.0.1:5000/lti/launch", None, False, int(time.time())
    )
    token = lms.sign(lms.claims(nonce))
    assert_refused(
        client.post("/lti/launch", data={"id_token": token, "state": forged}), words="expiré"
    )


def test_nonce_other_than_the_one_issued_with_the_state_is_rejected(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    state, _nonce = start_login(client)
    token = lms.sign(lms.claims("a-nonce-we-never-issued"))
    assert_refused(client.post("/lti/launch", data={"id_token": token, "state": state}))


def test_state_not_issued_by_the_tool_is_rejected(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    _state, nonce = start_login(client)
    token = lms.sign(lms.claims(nonce))
    assert_refused(
        client.post("/lti/launch", data={"id_token": token, "state": "forged"}), words="expiré"
    )


def test_aud_array_is_accepted_when_azp_names_our_client(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    assert launch(client, lms, aud=["another-client", CLIENT_ID], azp=CLIENT_ID).status_code == 200


def test_aud_array_is_rejected_when_azp_names_another_client(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    assert_refused(launch(client, lms, aud=[CLIENT_ID, "another-client"], azp="another-client"))


def test_aud_array_of_several_clients_without_azp_is_rejected(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    assert_refused(launch(client, lms, aud=[CLIENT_ID, "another-client"]))


def test_aud_without_our_client_is_rejected(client: FlaskClient, lms: SigningPlatform) -> None:
    assert_refused(launch(client, lms, aud="another-client"))


def test_clock_skew_within_60_seconds_is_accepted(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    now = int(time.time())
    assert launch(client, lms, iat=now + 40, exp=now + 100).status_code == 200
    assert launch(client, lms, iat=now - 100, exp=now - 40).status_code == 200


def test_token_issued_long_ago_is_rejected_even_if_not_expired(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    now = int(time.time())
    assert_refused(launch(client, lms, iat=now - 2 * 86400, exp=now + 60), words="expiré")


def test_token_from_the_future_beyond_the_leeway_is_rejected(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    now = int(time.time())
    assert_refused(launch(client, lms, iat=now + 300, exp=now + 360))


def test_platform_keys_are_cached_between_launches(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    assert launch(client, lms).status_code == 200
    assert launch(client, lms).status_code == 200
    assert lms.jwks_fetches == 1


def test_platform_keys_are_fetched_again_when_the_kid_is_unknown(
    client: FlaskClient, lms: SigningPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform_keys, "KEY_SET_MIN_REFETCH_SECONDS", 0)
    assert launch(client, lms).status_code == 200
    lms.rotate()
    assert launch(client, lms).status_code == 200
    assert lms.jwks_fetches == 2


def test_unknown_kid_triggers_at_most_one_refetch(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    assert launch(client, lms).status_code == 200
    assert_refused(launch(client, lms, sign={"kid": "nobody"}))
    assert_refused(launch(client, lms, sign={"kid": "nobody-else"}))
    assert lms.jwks_fetches == 1  # fetched at the first launch; refetch rate-limited


@pytest.mark.parametrize("algorithm", ["HS256", "RS512", "none"])
def test_only_rs256_is_accepted(client: FlaskClient, lms: SigningPlatform, algorithm: str) -> None:
    assert_refused(launch(client, lms, sign={"algorithm": algorithm}))


def test_target_link_uri_elsewhere_is_rejected_at_launch(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    assert_refused(launch(client, lms, **{CLAIM + "target_link_uri": "https://evil.test/x"}))


def test_target_link_uri_elsewhere_is_rejected_at_login(client: FlaskClient) -> None:
    response = client.get(
        "/lti/login", query_string=login_params(target_link_uri="https://evil.test/")
    )
    assert_refused(response)


def test_unknown_platform_gets_a_page_for_the_administrator(client: FlaskClient) -> None:
    response = client.get("/lti/login", query_string=login_params(iss="https://unknown.test"))
    assert_refused(response, words="pas enregistré")


def test_unseen_deployment_of_a_known_client_is_accepted_under_the_default_policy(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    # Policy "auto" (the default); "approve" is tested in test_deployment_policy.py.
    assert launch(client, lms, **{CLAIM + "deployment_id": "99"}).status_code == 200


KNOWN_BAD = {
    "no_kid": ({"sign": {"kid": None}}),
    "wrong_kid": ({"sign": {"kid": "wrong"}}),
    "wrong_signature": ({"sign": {"key": new_private_key()}}),
    "wrong_lti_version": ({CLAIM + "version": "1.2.0"}),
    "no_lti_version": ({CLAIM + "version": None}),
    "expired": ({"iat": int(time.time()) - 400, "exp": int(time.time()) - 300}),
    "no_sub_for_resource_link": ({"sub": None}),
    "no_deployment_id": ({CLAIM + "deployment_id": None}),
    "no_resource_link_id": ({CLAIM + "resource_link": {"title": "x"}}),
    "no_roles": ({CLAIM + "roles": None}),
    "wrong_message_type": ({CLAIM + "message_type": "LtiSubmissionReviewRequest"}),
    "no_message_type": ({CLAIM + "message_type": None}),
    "no_nonce": ({"nonce": None}),
    "no_iat": ({"iat": None}),
}


@pytest.mark.parametrize("case", sorted(KNOWN_BAD))
def test_known_bad_payload_is_refused(client: FlaskClient, lms: SigningPlatform, case: str) -> None:
    change = dict(KNOWN_BAD[case])
    sign = change.pop("sign", None)
    response = launch(client, lms, sign=sign, **change)
    assert 400 <= response.status_code < 500
    assert_refused(response, response.status_code)


def test_invalid_json_token_is_refused(client: FlaskClient) -> None:
    state, _ = start_login(client)
    assert_refused(
        client.post("/lti/launch", data={"id_token": "e30.bm90IGpzb24.c2ln", "state": state})
    )


def test_empty_roles_are_accepted(client: FlaskClient, lms: SigningPlatform) -> None:
    assert launch(client, lms, **{CLAIM + "roles": []}).status_code == 200


def test_error_page_speaks_english_when_the_launch_locale_is_english(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    presentation = {"locale": "en-GB", "document_target": "iframe"}
    response = launch(
        client, lms, aud="another-client", **{CLAIM + "launch_presentation": presentation}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<html lang="en">' in page and "Reference to pass on" in page


def test_refusal_reference_is_in_the_log(
    client: FlaskClient, lms: SigningPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    page = launch(client, lms, aud="another-client").get_data(as_text=True)
    reference = page.split('class="reference">')[1].split("<")[0]
    assert any(reference in record.getMessage() for record in caplog.records)


def test_instructor_launch_without_activity_shows_the_programme(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    response = launch(client, lms, **{CLAIM + "roles": [INSTRUCTOR], CLAIM + "custom": {}})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page_address(page).startswith("/learn/?ltik=")
    assert "Aperçu formateur" in page


def test_every_outbound_call_has_a_timeout() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/jwks"
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            TimeoutSession(0.5).get(url)
        except requests.RequestException as error:
            outcome.append(error)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(5)
    silent.close()
    assert outcome and isinstance(outcome[0], requests.Timeout)


def test_unreachable_platform_keys_give_a_clean_page_in_time(
    client: FlaskClient, lms: SigningPlatform, lti_app: Any
) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    lti_app.extensions["ambassadeurs.http"] = TimeoutSession(0.5)
    lms.jwks_url = f"http://127.0.0.1:{silent.getsockname()[1]}/jwks"
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from lti_tool.models import Platform

    with Session(lti_app.extensions["ambassadeurs.engine"]) as session, session.begin():
        session.execute(update(Platform).values(key_set_url=lms.jwks_url))
    started = time.monotonic()
    response = launch(client, lms)
    silent.close()
    assert time.monotonic() - started < 5
    assert_refused(response, 502, "clés publiques")


def test_behind_a_tls_proxy_the_browser_cookie_is_fit_for_a_cross_site_iframe(
    settings: Any, lms: SigningPlatform
) -> None:
    import dataclasses

    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    proxied = dataclasses.replace(settings, proxy_fix=1, platforms=[lms.registration()])
    prepare_instance(proxied)
    client = create_app(proxied).test_client()
    response = client.get(
        "/lti/login", query_string=login_params(), headers={"X-Forwarded-Proto": "https"}
    )
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 302
    assert "Secure" in cookie and "SameSite=None" in cookie and "Partitioned" in cookie


def test_browser_that_kept_the_cookie_must_be_the_one_that_logged_in(
    lti_app: Any, lms: SigningPlatform
) -> None:
    browser = lti_app.test_client()  # keeps cookies
    assert launch(browser, lms).status_code == 200  # its own cookie: accepted
    state, nonce = start_login(browser)
    browser.set_cookie("ambassadeurs_browser", "another-browser", domain="localhost")
    token = lms.sign(lms.claims(nonce))
    assert_refused(browser.post("/lti/launch", data={"id_token": token, "state": state}))
