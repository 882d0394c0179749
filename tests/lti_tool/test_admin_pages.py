"""The administrator's pages: who gets in (anonymous, wrong password, expired session,
missing CSRF token, too many tries) and each action on platforms, deployments and keys."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from lti_tool import admin_accounts
from lti_tool.models import AdminSession, Platform
from lti_tool.platforms import PlatformSpec, add_platform, find_platform
from tests.lti_tool.one_language import assert_in_one_language, visible_text

PASSWORD = "correct horse battery staple"
MOODLE = {
    "name": "Moodle de test",
    "issuer": "https://moodle.example.org",
    "client_id": "wtMPGCtxtDE31Ss",
    "auth_login_url": "https://moodle.example.org/mod/lti/auth.php",
    "auth_token_url": "https://moodle.example.org/mod/lti/token.php",
    "key_set_url": "https://moodle.example.org/mod/lti/certs.php",
    "auth_audience": "",
    "deployment_ids": "1 2",
    "deployment_policy": "approve",
}


def engine(app: Flask) -> Any:
    return app.extensions["ambassadeurs.engine"]


@pytest.fixture
def admin_app(app: Flask) -> Flask:
    with Session(engine(app)) as session, session.begin():
        admin_accounts.create_account(session, "alice", PASSWORD)
    return app


def login_form(client: FlaskClient) -> str:
    page = client.get("/admin/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def sign_in(client: FlaskClient, password: str = PASSWORD, user: str = "alice") -> TestResponse:
    csrf = login_form(client)
    return client.post(
        "/admin/login", data={"username": user, "password": password, "csrf_token": csrf}
    )


def csrf_of(client: FlaskClient) -> str:
    page = client.get("/admin/platforms").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


@pytest.fixture
def signed_in(admin_app: Flask) -> FlaskClient:
    client = admin_app.test_client()
    assert sign_in(client).status_code == 303
    return client


def platform(app: Flask) -> Platform | None:
    with Session(engine(app), expire_on_commit=False) as session:
        found = find_platform(session, MOODLE["issuer"], MOODLE["client_id"])
        if found:
            _ = found.deployments
        return found


def add_moodle(app: Flask, status: str = "pending") -> int:
    with Session(engine(app)) as session, session.begin():
        added, _ = add_platform(
            session,
            PlatformSpec(
                issuer=MOODLE["issuer"],
                client_id=MOODLE["client_id"],
                auth_login_url=MOODLE["auth_login_url"],
                auth_token_url=MOODLE["auth_token_url"],
                key_set_url=MOODLE["key_set_url"],
                name=MOODLE["name"],
                deployment_ids=("1",),
                status=status,
                source="dynamic",
            ),
        )
        return added.id


def age(app: Flask, **ago: timedelta) -> None:
    """Move the sessions' times back (as if that long had passed)."""
    with Session(engine(app)) as session, session.begin():
        for record in session.scalars(select(AdminSession)):
            for name, delta in ago.items():
                setattr(record, name, getattr(record, name) - delta)


# --- Access control -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/platforms", "/admin/keys"])
def test_anonymous_visitor_is_sent_to_sign_in(admin_app: Flask, path: str) -> None:
    response = admin_app.test_client().get(path)
    assert response.status_code == 303
    assert response.location.startswith("/admin/login?next=")


def test_anonymous_action_is_refused_and_changes_nothing(admin_app: Flask) -> None:
    platform_id = add_moodle(admin_app)
    response = admin_app.test_client().post(
        f"/admin/platforms/{platform_id}/status", data={"status": "approved"}
    )
    assert response.status_code == 401
    assert platform(admin_app).status == "pending"  # type: ignore[union-attr]


def test_wrong_password_is_refused_without_a_session(admin_app: Flask) -> None:
    client = admin_app.test_client()
    response = sign_in(client, password="not the password")
    assert response.status_code == 401
    assert "mot de passe incorrect" in response.get_data(as_text=True)
    assert "ambassadeurs_admin=" not in response.headers.get("Set-Cookie", "")
    assert client.get("/admin/").status_code == 303
    assert sign_in(client, user="nobody").status_code == 401


def test_right_password_opens_a_first_party_session(admin_app: Flask) -> None:
    client = admin_app.test_client()
    response = sign_in(client)
    assert response.status_code == 303 and response.location == "/admin/"
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("ambassadeurs_admin=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/admin" in cookie
    page = client.get("/admin/")
    assert page.status_code == 200 and "État de l'outil" in visible_text(page.get_data(True))
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"


def test_sign_in_goes_back_to_the_page_asked_for_but_never_elsewhere(admin_app: Flask) -> None:
    client = admin_app.test_client()
    csrf = login_form(client)
    data = {"username": "alice", "password": PASSWORD, "csrf_token": csrf}
    response = client.post("/admin/login", data={**data, "next": "/admin/keys"})
    assert response.location == "/admin/keys"
    data["csrf_token"] = login_form(client)
    response = client.post("/admin/login", data={**data, "next": "//evil.example/admin/"})
    assert response.location == "/admin/"


def test_sign_in_form_without_its_csrf_token_is_refused(admin_app: Flask) -> None:
    client = admin_app.test_client()
    login_form(client)
    response = client.post("/admin/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 303


def test_sign_in_is_rate_limited_even_with_the_right_password(admin_app: Flask) -> None:
    client = admin_app.test_client()
    for _ in range(admin_accounts.MAX_FAILURES):
        assert sign_in(client, password="guess").status_code == 401
    response = sign_in(client)
    assert response.status_code == 429
    assert "attendez 15 minutes" in response.get_data(as_text=True)


def test_expired_session_is_refused(signed_in: FlaskClient, admin_app: Flask) -> None:
    platform_id = add_moodle(admin_app)
    csrf = csrf_of(signed_in)
    # 31 minutes without a request (the default idle limit is 30).
    age(admin_app, last_seen_at=timedelta(minutes=31))
    response = signed_in.post(
        f"/admin/platforms/{platform_id}/status", data={"status": "approved", "csrf_token": csrf}
    )
    assert response.status_code == 401
    assert "expiré" in response.get_data(as_text=True)
    assert platform(admin_app).status == "pending"  # type: ignore[union-attr]
    assert signed_in.get("/admin/").status_code == 303


def test_session_ends_after_its_maximum_age_however_active(
    signed_in: FlaskClient, admin_app: Flask
) -> None:
    age(admin_app, created_at=timedelta(hours=13))
    assert signed_in.get("/admin/").status_code == 303


def test_action_without_the_csrf_token_is_refused(signed_in: FlaskClient, admin_app: Flask) -> None:
    platform_id = add_moodle(admin_app)
    response = signed_in.post(f"/admin/platforms/{platform_id}/status", data={"status": "approved"})
    assert response.status_code == 400
    response = signed_in.post(
        f"/admin/platforms/{platform_id}/status",
        data={"status": "approved", "csrf_token": "forged"},
    )
    assert response.status_code == 400
    assert platform(admin_app).status == "pending"  # type: ignore[union-attr]


def test_sign_out_ends_the_session_on_the_server(signed_in: FlaskClient, admin_app: Flask) -> None:
    csrf = csrf_of(signed_in)
    token = signed_in.get_cookie("ambassadeurs_admin", path="/admin")
    assert token is not None
    assert signed_in.post("/admin/logout", data={"csrf_token": csrf}).status_code == 303
    replay = admin_app.test_client()
    replay.set_cookie("ambassadeurs_admin", token.value, path="/admin")
    assert replay.get("/admin/").status_code == 303


def test_session_token_is_not_stored_in_clear(signed_in: FlaskClient, admin_app: Flask) -> None:
    token = signed_in.get_cookie("ambassadeurs_admin", path="/admin")
    assert token is not None
    with Session(engine(admin_app)) as session:
        ids = list(session.scalars(select(AdminSession.id)))
    assert ids and token.value not in ids


# --- Actions -------------------------------------------------------------------------------------


def post(client: FlaskClient, path: str, **data: str) -> TestResponse:
    return client.post(path, data={**data, "csrf_token": csrf_of(client)})


def test_add_a_platform_by_hand(signed_in: FlaskClient, admin_app: Flask) -> None:
    response = post(signed_in, "/admin/platforms/new", **MOODLE)
    assert response.status_code == 303
    added = platform(admin_app)
    assert added is not None
    assert (added.status, added.source, added.deployment_policy) == ("approved", "admin", "approve")
    assert [d.deployment_id for d in added.deployments] == ["1", "2"]
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "Plateforme enregistrée" in page and "Moodle de test" in page


def test_platform_with_a_bad_url_is_refused_with_the_form_kept(signed_in: FlaskClient) -> None:
    response = post(signed_in, "/admin/platforms/new", **{**MOODLE, "key_set_url": "certs.php"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "URL du jeu de clés (JWKS) : URL http(s) attendue." in visible_text(page)
    assert 'value="wtMPGCtxtDE31Ss"' in page
    # The error is tied to the field it is about, and only to it.
    assert re.search(r'<input id="key_set_url"[^>]* aria-invalid="true" aria-describedby="', page)
    assert re.search(r'<input id="issuer"[^>]*>', page) and "aria-invalid" not in re.search(
        r'<input id="issuer"[^>]*>', page
    ).group(0)  # type: ignore[union-attr]


def test_approve_then_disable_a_registration(signed_in: FlaskClient, admin_app: Flask) -> None:
    platform_id = add_moodle(admin_app)
    page = signed_in.get("/admin/platforms").get_data(as_text=True)
    assert "Moodle de test — pending" in page
    post(signed_in, f"/admin/platforms/{platform_id}/status", status="approved")
    assert platform(admin_app).status == "approved"  # type: ignore[union-attr]
    post(signed_in, f"/admin/platforms/{platform_id}/status", status="disabled")
    assert platform(admin_app).status == "disabled"  # type: ignore[union-attr]


def test_remove_a_registration_after_confirming(signed_in: FlaskClient, admin_app: Flask) -> None:
    platform_id = add_moodle(admin_app)
    confirm = signed_in.get(f"/admin/platforms/{platform_id}/remove")
    assert confirm.status_code == 200 and "Supprimer définitivement" in confirm.get_data(True)
    assert platform(admin_app) is not None
    post(signed_in, f"/admin/platforms/{platform_id}/remove")
    assert platform(admin_app) is None


def test_deployment_actions(signed_in: FlaskClient, admin_app: Flask) -> None:
    platform_id = add_moodle(admin_app, status="approved")
    base = f"/admin/platforms/{platform_id}"
    post(signed_in, f"{base}/deployments", deployment_id="course-7")
    statuses = {d.deployment_id: d.status for d in platform(admin_app).deployments}  # type: ignore[union-attr]
    assert statuses == {"1": "approved", "course-7": "approved"}
    post(signed_in, f"{base}/deployments/status", deployment_id="course-7", status="disabled")
    post(signed_in, f"{base}/deployments/status", deployment_id="1", status="pending")
    statuses = {d.deployment_id: d.status for d in platform(admin_app).deployments}  # type: ignore[union-attr]
    assert statuses == {"1": "pending", "course-7": "disabled"}
    post(signed_in, f"{base}/deployments/status", deployment_id="1", status="approved")
    post(signed_in, f"{base}/deployments/remove", deployment_id="course-7")
    statuses = {d.deployment_id: d.status for d in platform(admin_app).deployments}  # type: ignore[union-attr]
    assert statuses == {"1": "approved"}
    post(signed_in, f"{base}/policy", policy="approve")
    assert platform(admin_app).deployment_policy == "approve"  # type: ignore[union-attr]
    assert post(signed_in, f"{base}/policy", policy="whatever").status_code == 400


def test_rotate_keys_keeps_the_previous_one_published(
    signed_in: FlaskClient, admin_app: Flask
) -> None:
    before = {k["kid"] for k in admin_app.test_client().get("/lti/jwks").get_json()["keys"]}
    response = post(signed_in, "/admin/keys/rotate")
    assert response.status_code == 303
    after = {k["kid"] for k in admin_app.test_client().get("/lti/jwks").get_json()["keys"]}
    assert before < after and len(after) == 2
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "Nouvelle clé de signature créée" in page
    (new_kid,) = after - before
    assert page.index(new_kid) < page.index(next(iter(before)))  # newest first, signing


def test_health_summary_counts_what_needs_attention(
    signed_in: FlaskClient, admin_app: Flask
) -> None:
    add_moodle(admin_app)
    page = signed_in.get("/admin/").get_data(as_text=True)
    assert "1 en attente" in page
    assert "http://127.0.0.1:5000/lti/register" in page
    assert "pas https" in page


def test_passwords_are_salted_scrypt_hashes() -> None:
    first = admin_accounts.hash_password(PASSWORD)
    assert first.startswith("scrypt$32768$8$1$") and PASSWORD not in first
    assert first != admin_accounts.hash_password(PASSWORD)
    assert admin_accounts.verify_password(PASSWORD, first)
    assert not admin_accounts.verify_password(PASSWORD + "!", first)
    assert not admin_accounts.verify_password(PASSWORD, "plain$text")


def test_short_password_is_refused(app: Flask) -> None:
    with (
        Session(engine(app)) as session,
        session.begin(),
        pytest.raises(admin_accounts.AccountError, match="12"),
    ):
        admin_accounts.create_account(session, "bob", "short")


def outbox_row(app: Flask, platform_id: int, user: str, status: str, error: str = "") -> int:
    from lti_tool.models import GradeOutbox, utcnow

    with Session(engine(app)) as session, session.begin():
        row = GradeOutbox(
            platform_id=platform_id,
            deployment_id="1",
            user_id=user,
            dedupe_key=f"key-{user}",
            label="Quiz du module 1",
            score_given=8.0,
            score_maximum=10.0,
            activity_progress="Completed",
            grading_progress="FullyGraded",
            timestamp=utcnow(),
            status=status,
            attempts=20 if status == "failed" else 1,
            last_error=error,
        )
        session.add(row)
        session.flush()
        return row.id


def test_grade_outbox_lists_pending_and_failed_and_retries(
    signed_in: FlaskClient, admin_app: Flask
) -> None:
    from lti_tool.models import GradeOutbox

    platform_id = add_moodle(admin_app, status="approved")
    failed = outbox_row(admin_app, platform_id, "learner-7", "failed", "HTTP 503 from the LMS")
    outbox_row(admin_app, platform_id, "learner-8", "pending")
    page = signed_in.get("/admin/grades").get_data(as_text=True)
    assert "HTTP 503 from the LMS" in page and "learner-7" in page and "learner-8" in page
    assert "failed : 1" in page and "pending : 1" in page
    response = post(signed_in, "/admin/grades/retry", id=str(failed))
    assert response.status_code == 303
    with Session(engine(admin_app)) as session:
        row = session.get(GradeOutbox, failed)
        assert row is not None and (row.status, row.attempts) == ("pending", 0)
    assert "Notes en échec remises en file" in signed_in.get(response.location).get_data(True)


def test_grade_retry_needs_the_csrf_token(signed_in: FlaskClient, admin_app: Flask) -> None:
    from lti_tool.models import GradeOutbox

    failed = outbox_row(admin_app, add_moodle(admin_app), "learner-7", "failed")
    assert signed_in.post("/admin/grades/retry", data={"id": str(failed)}).status_code == 400
    with Session(engine(admin_app)) as session:
        assert session.get(GradeOutbox, failed).status == "failed"  # type: ignore[union-attr]


# --- Language -------------------------------------------------------------------------------------


def test_admin_pages_follow_the_browser_language(signed_in: FlaskClient, admin_app: Flask) -> None:
    platform_id = add_moodle(admin_app)
    outbox_row(admin_app, platform_id, "learner-7", "failed", "HTTP 503 from the LMS")
    headings = {
        "/admin/": ("État de l'outil", "Tool health"),
        "/admin/platforms": ("Plateformes et déploiements", "Platforms and deployments"),
        "/admin/platforms/new": ("Ajouter une plateforme", "Add a platform"),
        f"/admin/platforms/{platform_id}/remove": (
            f"Supprimer #{platform_id} Moodle de test ?",
            f"Remove #{platform_id} Moodle de test?",
        ),
        "/admin/keys": ("Clés de signature", "Signing keys"),
        "/admin/grades": ("Notes à envoyer aux LMS", "Grades to send to the LMSs"),
    }
    for path, (french, english) in headings.items():
        for accept, lang, heading in (("en-GB,en;q=0.8", "en", english), ("fr-FR", "fr", french)):
            response = signed_in.get(path, headers={"Accept-Language": accept})
            page = response.get_data(as_text=True)
            assert response.status_code == 200, path
            assert visible_text(page).split("\n").count(heading) == 1, (path, lang)
            assert re.search(r"<h1>[^<]*</h1>", page), "the heading is plain text"
            assert_in_one_language(page, lang)


def test_admin_pages_are_french_without_a_browser_preference(signed_in: FlaskClient) -> None:
    for accept in ("", "de-DE, es;q=0.5"):
        page = signed_in.get("/admin/keys", headers={"Accept-Language": accept}).get_data(True)
        assert_in_one_language(page, "fr")
        assert "Créer une nouvelle clé (rotation)" in page


def test_sign_in_errors_are_in_the_browser_language(admin_app: Flask) -> None:
    client = admin_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9,fr;q=0.5"
    response = sign_in(client, password="not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert 'role="alert" id="erreur-connexion">Wrong user name or password.</p>' in page
    assert 'aria-describedby="erreur-connexion"' in page
    assert '<label for="username">User name</label>' in page
    assert_in_one_language(page, "en")


def test_a_refusal_and_a_notice_are_in_the_browser_language(
    signed_in: FlaskClient, admin_app: Flask
) -> None:
    english = {"Accept-Language": "en"}
    refused = signed_in.post("/admin/keys/rotate", data={}, headers=english)
    assert refused.status_code == 400
    assert "This form has expired or did not come from these pages" in refused.get_data(True)
    assert_in_one_language(refused.get_data(as_text=True), "en")
    done = post(signed_in, "/admin/platforms/new", **MOODLE)
    page = signed_in.get(done.location, headers=english).get_data(as_text=True)
    assert '<p class="succes" role="status">Platform registered.</p>' in page
    assert_in_one_language(page, "en")


def test_platform_form_error_is_in_the_browser_language(signed_in: FlaskClient) -> None:
    data = {**MOODLE, "issuer": "", "csrf_token": csrf_of(signed_in)}
    response = signed_in.post("/admin/platforms/new", data=data, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "issuer and client_id are required." in page
    for name in ("issuer", "client_id"):
        assert re.search(rf'<input id="{name}"[^>]* aria-invalid="true"', page)
    assert_in_one_language(page, "en")
