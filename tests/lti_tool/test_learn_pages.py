"""The learner's pages after a launch: token in links and forms, CSRF, lessons, workshops."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.models import WorkshopWork
from tests.lti_tool.signing_platform import SigningPlatform, page_address
from tests.lti_tool.test_lti_launch import CLAIM, assert_refused, launch


def open_activity(client: FlaskClient, lms: SigningPlatform, activity: str) -> tuple[str, str]:
    """Launch on `activity`; return the page and its session token."""
    response = launch(client, lms, **{CLAIM + "custom": {"activity": activity}})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:400]
    token = parse_qs(urlsplit(page_address(page)).query)["ltik"][0]
    return page, token


def hidden(page: str) -> dict[str, str]:
    return {
        n: unescape(v) for n, v in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def test_every_link_of_a_page_carries_the_session_token(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    page, _ = open_activity(client, lms, "m01")
    links = re.findall(r'href="(/learn/[^"]*)"', page)
    assert links and all("ltik=" in link for link in links)


def test_lesson_lists_the_sources_and_terms_it_cites(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    page, _ = open_activity(client, lms, "m01.l01")
    for anchor in re.findall(r'href="#((?:source|terme)-[^"]+)"', page):
        assert f'id="{anchor}"' in page


def test_forged_session_token_gets_the_session_page(client: FlaskClient) -> None:
    assert_refused(client.get("/learn/?ltik=forged"), 401, "session a expiré")


def test_post_without_csrf_token_is_refused(client: FlaskClient, lms: SigningPlatform) -> None:
    _page, token = open_activity(client, lms, "m01.quiz")
    response = client.post("/learn/quizzes/m01.quiz", data={"ltik": token, "q-m01.q01": "a"})
    assert_refused(response, 400, "formulaire a expiré")


def test_expired_session_token_is_refused(
    client: FlaskClient, lms: SigningPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, token = open_activity(client, lms, "m01")
    import itsdangerous.timed

    later = itsdangerous.timed.TimestampSigner.get_timestamp(None) + 3 * 3600  # type: ignore[arg-type]
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: later)
    assert_refused(client.get(f"/learn/?ltik={token}"), 401)


def test_unknown_activity_gives_the_not_found_page(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    response = launch(client, lms, **{CLAIM + "custom": {"activity": "m09.quiz"}})
    assert_refused(response, 404, "activity")


def test_workshop_answers_are_checked_and_drafts_saved_then_submitted(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask
) -> None:
    page, _ = open_activity(client, lms, "m01.ws.atelier")
    fields = hidden(page)
    checked = client.post(
        "/learn/workshops/m01.ws.atelier",
        data={**fields, "action": "check", "q-m01.ws.atelier.01": "true"},
    ).get_data(as_text=True)
    assert "Oui." in checked  # the feedback of the chosen answer
    draft = client.post(
        "/learn/workshops/m01.ws.atelier",
        data={
            **hidden(checked),
            "action": "draft",
            "q-m01.ws.atelier-cible": "Acheteurs",
            "q-m01.ws.atelier-message": "mot " * 50,
        },
    ).get_data(as_text=True)
    assert "Brouillon enregistré" in draft and "Trop long : 50 mots pour 40 au plus" in draft
    submitted = client.post(
        "/learn/workshops/m01.ws.atelier",
        data={
            **hidden(draft),
            "action": "submit",
            "q-m01.ws.atelier-cible": "Acheteurs",
            "q-m01.ws.atelier-message": "Gardez vos ordinateurs cinq ans.",
        },
    ).get_data(as_text=True)
    assert "Déposé" in submitted
    printable = client.get(
        f"/learn/workshops/m01.ws.atelier/print?ltik={hidden(submitted)['ltik']}"
    )
    assert "Gardez vos ordinateurs cinq ans." in printable.get_data(as_text=True)
    with Session(lti_app.extensions["ambassadeurs.engine"]) as session:
        work = session.scalars(select(WorkshopWork)).one()
        assert work.submitted_at is not None and work.fields["cible"] == "Acheteurs"


def test_quiz_form_is_escaped_and_needs_no_script(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    launched, token = open_activity(client, lms, "m01.quiz")
    # The launch's answer has one script, which only puts the page's address in the bar.
    assert [s for s in re.findall(r"<script[^>]*>", launched) if "page-address" not in s] == []
    page = client.get("/learn/quizzes/m01.quiz", query_string={"ltik": token})
    text = page.get_data(as_text=True)
    assert "<script" not in text and "<fieldset" in text and "<legend>" in text


def test_shipped_workshops_render(settings: Any, lms: SigningPlatform) -> None:
    import dataclasses

    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    shipped = dataclasses.replace(settings, content_path="", platforms=[lms.registration()])
    prepare_instance(shipped)
    app = create_app(shipped)
    client = app.test_client(use_cookies=False)
    for module in app.extensions["ambassadeurs.curriculum"].modules:
        for workshop in module.workshops:
            page, _ = open_activity(client, lms, workshop.id)
            assert "<h1>" in page and 'class="reference"' not in page, workshop.id


def test_a_missing_page_outside_a_launch_does_not_speak_of_a_launch(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    page = client.get("/install/sakai", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This page could not be shown" in page and "This page does not exist." in page
    assert "launch" not in page.lower() and "custom parameter" not in page
    launched = launch(client, lms, **{CLAIM + "custom": {"activity": "m09.quiz"}})
    assert "Le lancement n&#39;a pas abouti" in launched.get_data(as_text=True)


def test_french_content_on_an_english_page_is_marked_as_french(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    """The test content has no English: on a page in English, its texts say they are French
    (WCAG 3.1.2), so screen readers read them with a French voice."""
    english = {"document_target": "iframe", "locale": "en"}
    claims = {CLAIM + "custom": {"activity": "m01.quiz"}, CLAIM + "launch_presentation": english}
    quiz = launch(client, lms, **claims)
    page = quiz.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert re.search(r'<legend lang="fr">1\. Quelle part', page)
    assert re.search(r'<label for="[^"]+" lang="fr">2,5 %</label>', page)
    lesson, _ = open_activity(client, lms, "m01.l01")
    assert '<div lang="fr">' not in lesson  # a French page needs no mark
