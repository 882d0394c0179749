"""Project pages after a launch: deliverables and their files (checked, stored outside the web
root, served only to their author and the jury)."""

from __future__ import annotations

import dataclasses
import io
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.models import DeliverableFile, GradeOutbox
from tests.lti_tool.certification_helpers import hidden
from tests.lti_tool.signing_platform import INSTRUCTOR, LEARNER, SigningPlatform, page_address
from tests.lti_tool.test_lti_launch import CLAIM, start_login

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINE_ITEMS = "https://lms.test/mod/lti/services.php/2/lineitems"


@pytest.fixture
def settings(settings: Any) -> Any:
    """A small upload limit: a file over it stays in memory in the test client."""
    return dataclasses.replace(settings, upload_max_kb=64)


def open_page(
    client: FlaskClient, lms: SigningPlatform, sub: str = "42", role: str = LEARNER, **extra: Any
) -> tuple[str, str]:
    """Launch on the project as `sub`; the page and its URL."""
    state, nonce = start_login(client)
    claims = lms.claims(
        nonce,
        sub=sub,
        name=f"Personne {sub}",
        **{CLAIM + "roles": [role], CLAIM + "custom": {"activity": "projet"}, **extra},
    )
    response = client.post("/lti/launch", data={"id_token": lms.sign(claims), "state": state})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:400]
    return unescape(page), page_address(page)


def token(page: str) -> str:
    return hidden(page).get("ltik") or unescape(re.search(r"ltik=([^\"&]+)", page).group(1))  # type: ignore[union-attr]


def milestone_page(client: FlaskClient, page: str, milestone: str = "projet.j02") -> str:
    return unescape(
        client.get(f"/project/milestones/{milestone}?ltik={token(page)}").get_data(as_text=True)
    )


def hand_in(
    client: FlaskClient, page: str, files: list[tuple[bytes, str]], milestone: str = "projet.j02"
) -> Any:
    data: dict[str, Any] = {**hidden(page), "text": "Mon plan.", "action": "submit"}
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(
        f"/project/milestones/{milestone}", data=data, content_type="multipart/form-data"
    )


def stored_files(app: Flask) -> list[DeliverableFile]:
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        return list(session.scalars(select(DeliverableFile)))


def test_deliverable_file_is_stored_under_a_random_name_outside_the_web_root(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask
) -> None:
    page, _ = open_page(client, lms)
    page = milestone_page(client, page)
    response = hand_in(client, page, [(b"%PDF-1.7 plan", "../../etc/Plan d'action.pdf")])
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    [stored] = stored_files(lti_app)
    assert stored.original_name == "Plan d'action.pdf"
    assert re.fullmatch(r"[0-9a-f]{40}", stored.stored_name)
    path = Path(lti_app.config["SETTINGS"].instance) / "project_files" / stored.stored_name
    assert path.read_bytes() == b"%PDF-1.7 plan"
    assert path.stat().st_mode & 0o777 == 0o600


def test_files_of_the_wrong_type_content_or_size_are_refused_and_nothing_is_saved(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask
) -> None:
    page, _ = open_page(client, lms)
    page = milestone_page(client, page)
    big = b"%PDF-" + b"0" * (lti_app.config["SETTINGS"].upload_max_kb * 1024)
    for files, words in (
        ([(b"MZ\x90\x00", "outil.exe")], "type de fichier non accepté"),
        ([(b"<html><script>", "rapport.pdf")], "ne contient pas un fichier pdf valide"),
        ([(big, "gros.pdf")], "dépasse"),
        ([(b"\xff\xfe\x00t", "notes.txt")], "ne contient pas un fichier txt valide"),
    ):
        response = hand_in(client, page, files)
        assert response.status_code == 400
        assert words in unescape(response.get_data(as_text=True))
    assert stored_files(lti_app) == []


def test_a_file_is_served_to_its_author_and_the_jury_only(
    lti_app: Flask, lms: SigningPlatform
) -> None:
    author = lti_app.test_client(use_cookies=False)
    page, _ = open_page(author, lms)
    hand_in(author, milestone_page(author, page), [(b"plan,2026\n", "plan.csv")])
    [stored] = stored_files(lti_app)
    url = f"/project/files/{stored.id}"

    own = author.get(f"{url}?ltik={token(page)}")
    assert own.status_code == 200 and own.data == b"plan,2026\n"
    assert own.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in own.headers["Content-Security-Policy"]
    own.close()
    other = lti_app.test_client(use_cookies=False)
    other_page, _ = open_page(other, lms, sub="43")
    assert other.get(f"{url}?ltik={token(other_page)}").status_code == 403
    trainer = lti_app.test_client(use_cookies=False)
    trainer_page, _ = open_page(trainer, lms, sub="t1", role=INSTRUCTOR)
    jury_copy = trainer.get(f"{url}?ltik={token(trainer_page)}")
    assert jury_copy.status_code == 200
    jury_copy.close()
    assert lti_app.test_client().get(url).status_code == 401


def test_the_final_deliverable_tells_the_lms_it_awaits_the_jury_once_and_never_after_a_grade(
    client: FlaskClient, lms: SigningPlatform, lti_app: Flask
) -> None:
    ags = {AGS_CLAIM: {"scope": [SCORE], "lineitems": LINE_ITEMS}}
    page, _ = open_page(client, lms, **ags)
    final = milestone_page(client, page, "projet.j02")
    hand_in(client, final, [], "projet.j02")
    hand_in(client, final, [], "projet.j02")
    engine = lti_app.extensions["ambassadeurs.engine"]
    with Session(engine) as session:
        rows = list(session.scalars(select(GradeOutbox)))
    assert [(r.grading_progress, r.score_given, r.resource_id) for r in rows] == [
        ("PendingManual", None, "projet")
    ]
    # Once a final grade is queued, handing in again sends nothing non-final.
    with Session(engine) as session, session.begin():
        session.get(GradeOutbox, rows[0].id).grading_progress = "FullyGraded"  # type: ignore[union-attr]
    hand_in(client, final, [], "projet.j02")
    with Session(engine) as session:
        assert len(list(session.scalars(select(GradeOutbox)))) == 1
