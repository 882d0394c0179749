"""A real Chromium, third-party cookies blocked, runs the tool in an iframe of a page on
another site (as Moodle embeds it): launch, then a quiz over several pages, with no cookie
ever sent to the tool."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Request, Response

from lti_tool.models import QuizAttempt
from lti_tool.platforms import PlatformSpec, add_platform
from tests.lti_tool.conftest import free_port
from tests.wsgi_thread import served_in_thread


class CookieWitness:
    """WSGI middleware noting every Cookie header that reaches the tool."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cookies: list[str] = []
        self.paths: list[str] = []

    def __call__(self, environ: Any, start_response: Any) -> Any:
        self.paths.append(environ.get("PATH_INFO", ""))
        if environ.get("HTTP_COOKIE"):
            self.cookies.append(environ["HTTP_COOKIE"])
        return self.app(environ, start_response)


@pytest.fixture
def lms_page(demo_server: tuple[str, Flask]) -> Iterator[str]:
    """A page on another site (localhost vs 127.0.0.1) that embeds the tool's launch."""
    base, app = demo_server
    port = free_port()
    origin = f"http://localhost:{port}"
    with Session(app.extensions["ambassadeurs.engine"]) as session, session.begin():
        # Registered like a real LMS: its origin may then frame the tool.
        add_platform(
            session,
            PlatformSpec(
                issuer=origin,
                client_id="iframe-test",
                auth_login_url=f"{origin}/auth",
                auth_token_url=f"{origin}/token",
                key_set_url=f"{origin}/jwks",
            ),
        )
    app.extensions["ambassadeurs.reset_frame_ancestors"]()
    launch = f"{base}/demo/start?role=learner&amp;activity=m01.quiz"
    html = (
        '<!doctype html><html lang="fr"><head><title>Cours</title></head><body>'
        f'<h1>Cours Moodle</h1><iframe title="Outil" src="{launch}" width="900" height="700">'
        "</iframe></body></html>"
    )

    def page(environ: Any, start_response: Any) -> Any:
        Request(environ)
        return Response(html, mimetype="text/html")(environ, start_response)

    with served_in_thread(page, "localhost", port):
        yield f"{origin}/"


def test_quiz_in_a_cross_site_iframe_with_third_party_cookies_blocked(
    demo_server: tuple[str, Flask], lms_page: str, chromium: Any
) -> None:
    _base, app = demo_server
    witness = CookieWitness(app.wsgi_app)
    app.wsgi_app = witness  # type: ignore[method-assign]
    page = chromium.new_page()
    page.set_default_timeout(15_000)
    page.goto(lms_page)
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", level=1).filter(has_text="Quiz").wait_for()
    frame.locator("#question-m01\\.q01 input[type=radio]").first.check()
    frame.get_by_role("button", name="Valider mes réponses").click()
    frame.get_by_role("status").filter(has_text="Votre score").wait_for()
    frame.get_by_role("link", name="Retour au module").click()
    frame.get_by_text("Meilleur score").first.wait_for()
    frame.get_by_role("link", name="Retour au programme").click()
    frame.get_by_text("Votre progression").wait_for()
    assert witness.cookies == []
    assert any(p.startswith("/learn/modules/") for p in witness.paths)
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        assert len(session.scalars(select(QuizAttempt)).all()) == 1
