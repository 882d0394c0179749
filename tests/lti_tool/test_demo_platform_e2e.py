"""End to end over real HTTP: lti1p3platform 0.1.8 (the built-in demo LMS) as the platform,
the tool served by a real WSGI server on 127.0.0.1, a browser that keeps no cookie."""

from __future__ import annotations

import re
from html import unescape
from http.cookiejar import DefaultCookiePolicy

import requests
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.models import Launch, QuizAttempt
from tests.lti_tool.signing_platform import page_address


class CookielessBrowser:
    """Follows redirects and auto-post forms like a browser with cookies blocked."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.http.cookies.set_policy(_RefuseAll())

    def get(self, url: str, **params: str) -> requests.Response:
        return self.http.get(url, params=params, timeout=10)

    def submit(self, page: requests.Response, **extra: str | list[str]) -> requests.Response:
        action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
        fields: dict[str, str | list[str]] = {
            name: unescape(value)
            for name, value in re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text
            )
        }
        fields.update(extra)
        url = action if action.startswith("http") else requests.compat.urljoin(page.url, action)
        return self.http.post(url, data=fields, timeout=10)


class _RefuseAll(DefaultCookiePolicy):
    def set_ok(self, cookie: object, request: object) -> bool:
        return False


def demo_launch(browser: CookielessBrowser, base: str, **params: str) -> requests.Response:
    """Demo LMS → tool login → demo LMS auth → auto-post id_token → tool page."""
    auth_page = browser.get(f"{base}/demo/start", **params)
    assert auth_page.status_code == 200, auth_page.text[:500]
    return browser.submit(auth_page)


def test_learner_launch_takes_a_quiz_and_the_attempt_is_stored(
    demo_server: tuple[str, Flask],
) -> None:
    base, app = demo_server
    browser = CookielessBrowser()
    quiz_page = demo_launch(browser, base, role="learner", activity="m01.quiz")
    assert quiz_page.status_code == 200
    assert page_address(quiz_page.text).startswith("/learn/quizzes/m01.quiz?ltik=")
    result = browser.submit(quiz_page, **{"q-m01.q01": "a"})
    assert result.status_code == 200
    assert "Tentative enregistrée" in result.text
    assert not browser.http.cookies  # nothing was kept, nothing was needed
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        attempt = session.scalars(select(QuizAttempt)).one()
        assert (attempt.user_id, attempt.quiz_id, attempt.context_id) == (
            "demo-learner",
            "m01.quiz",
            "demo-course",
        )
        assert attempt.max_score > 0


def test_instructor_launch_previews_without_recording(demo_server: tuple[str, Flask]) -> None:
    base, app = demo_server
    browser = CookielessBrowser()
    quiz_page = demo_launch(browser, base, role="trainer", activity="m01.quiz")
    assert "Aperçu formateur" in quiz_page.text
    result = browser.submit(quiz_page, **{"q-m01.q01": "a"})
    assert "Votre score" in result.text and "Tentative enregistrée" not in result.text
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        assert session.scalars(select(QuizAttempt)).all() == []
        roles = session.scalars(select(Launch.roles)).one()
        assert roles == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


def test_launch_locale_english_gives_english_pages(demo_server: tuple[str, Flask]) -> None:
    base, _ = demo_server
    page = demo_launch(CookielessBrowser(), base, role="learner", lang="en")
    assert '<html lang="en">' in page.text and "Your progress" in page.text


def test_deep_linking_round_trip_is_verified_by_the_platform(
    demo_server: tuple[str, Flask],
) -> None:
    base, _ = demo_server
    browser = CookielessBrowser()
    picker = demo_launch(browser, base, role="trainer", mode="deep_link")
    assert page_address(picker.text).startswith("/lti/deep-link?ltik=")
    hand_over = browser.submit(picker, activity=["m01.quiz", "m02.quiz", "m01.l01"])
    assert hand_over.status_code == 200
    assert f"form-action 'self' {base};" in hand_over.headers["Content-Security-Policy"]
    received = browser.submit(hand_over)  # the demo LMS verifies the JWT with our JWKS
    assert received.status_code == 200, received.text[:500]
    assert "activity=m01.quiz" in received.text and "activity=m01.l01" in received.text
    assert (
        "resourceId <code>m01.quiz</code>" in received.text
        and "tag <code>quiz</code>" in received.text
    )


def test_learner_cannot_open_deep_linking(demo_server: tuple[str, Flask]) -> None:
    base, _ = demo_server
    browser = CookielessBrowser()
    programme = demo_launch(browser, base, role="learner")
    token = re.search(r"ltik=([^\"&]+)", programme.text).group(1)  # type: ignore[union-attr]
    response = browser.get(f"{base}/lti/deep-link", ltik=unescape(token))
    assert response.status_code == 403 and "Référence" in response.text


def test_home_page_offers_the_demo_launches_on_a_local_instance(
    demo_server: tuple[str, Flask],
) -> None:
    base, _ = demo_server
    page = requests.get(f"{base}/", timeout=10).text
    assert "Essayer sans LMS" in page
    assert "/demo/start?role=trainer&amp;mode=deep_link" in page


def test_demo_platform_is_off_on_a_public_instance(settings: object) -> None:
    import dataclasses

    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    public = dataclasses.replace(settings, base_url="https://outil.example.org")  # type: ignore[type-var]
    prepare_instance(public)  # type: ignore[arg-type]
    client = create_app(public).test_client()  # type: ignore[arg-type]
    assert "Essayer sans LMS" not in client.get("/").get_data(as_text=True)
    assert client.get("/demo/start").status_code == 404
