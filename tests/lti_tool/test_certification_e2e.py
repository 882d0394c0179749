"""The whole path through LTI launches: a learner validates the 7 modules of the shipped
programme and hands in the project; two jurors (a trainer and a person the trainer names)
score it, disagree, discuss and decide; the certificate is issued once, downloaded as PDF
and as a signed Open Badge, verified in public, revoked; and every grade reaches the LMS
(a Moodle-like AGS platform over HTTP) through the grade outbox."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import jwt
import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from jwcrypto.jwk import JWK
from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.loader import load_curriculum
from lti_tool.app import create_app
from lti_tool.grade_worker import GradeDelivery
from lti_tool.instance import prepare_instance
from lti_tool.models import Certificate, GradeOutbox
from tests.lti_tool.ags_platform import AgsPlatform, serve_platform
from tests.lti_tool.certification_helpers import (
    correct_answers,
    filled_workshop,
    hidden,
    token_of,
)
from tests.lti_tool.grading import tool_jwks
from tests.lti_tool.signing_platform import (
    CLIENT_ID,
    INSTRUCTOR,
    LEARNER,
    SigningPlatform,
    page_address,
)
from tests.lti_tool.test_lti_launch import CLAIM, start_login

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
CURRICULUM = load_curriculum()
PROJECT_LINK = "project-link"


@pytest.fixture
def ags(settings: Any) -> Iterator[AgsPlatform]:
    yield from serve_platform(AgsPlatform(tool_jwks(settings), client_id=CLIENT_ID))


@pytest.fixture
def app(settings: Any, lms: SigningPlatform, ags: AgsPlatform) -> Flask:
    """The tool on the shipped programme, registered with an LMS that signs launches and
    serves AGS like Moodle."""
    registration = {**lms.registration(), "auth_token_url": ags.token_url}
    configured = dataclasses.replace(
        settings, content_path="", platforms=[registration], organisation_name="Région Test"
    )
    prepare_instance(configured)
    return create_app(configured)


class Person:
    """Someone of the course, launching from the LMS without cookies."""

    def __init__(
        self, app: Flask, lms: SigningPlatform, ags: AgsPlatform, sub: str, name: str, role: str
    ) -> None:
        self.client: FlaskClient = app.test_client(use_cookies=False)
        self.lms, self.ags, self.sub, self.name, self.role = lms, ags, sub, name, role

    def launch(self, activity: str, link: str = "7", line_item: str | None = None) -> str:
        state, nonce = start_login(self.client)
        claims = self.lms.claims(
            nonce,
            sub=self.sub,
            name=self.name,
            **{
                CLAIM + "roles": [self.role],
                CLAIM + "custom": {"activity": activity},
                CLAIM + "resource_link": {"id": link},
                AGS_CLAIM: self.ags.ags_claim(line_item),
            },
        )
        response = self.client.post(
            "/lti/launch", data={"id_token": self.lms.sign(claims), "state": state}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200, page[:500]
        self.location = page_address(page)
        return unescape(page)

    def get(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == status, response.get_data(as_text=True)[:800]
        return unescape(response.get_data(as_text=True))

    def post(self, url: str, page: str, data: dict[str, Any], status: int = 200, **kw: Any) -> str:
        response = self.client.post(url, data={**hidden(page), **data}, **kw)
        assert response.status_code == status, response.get_data(as_text=True)[:800]
        return unescape(response.get_data(as_text=True))


def deliver_grades(app: Flask) -> int:
    delivery = GradeDelivery.from_settings(
        app.extensions["ambassadeurs.engine"], app.config["SETTINGS"]
    )
    try:
        return delivery.drain()
    finally:
        delivery.client.close()


def link(page: str, pattern: str) -> str:
    match = re.search(rf'href="({pattern}[^"]*)"', page)
    assert match, f"no link to {pattern}"
    return match.group(1).replace("&amp;", "&")


def test_seven_modules_project_jury_certificate_and_grades_on_the_lms(
    app: Flask, lms: SigningPlatform, ags: AgsPlatform
) -> None:
    learner = Person(app, lms, ags, "42", "Camille Dupont-Łukasiewicz", LEARNER)
    trainer = Person(app, lms, ags, "t1", "Dominique Formatrice", INSTRUCTOR)
    expert = Person(app, lms, ags, "99", "Sacha Expert", LEARNER)

    # 1. The learner validates the seven modules: quiz passed, required workshop handed in.
    for index, module in enumerate(CURRICULUM.modules):
        page = learner.launch(module.quiz.id)
        learner.post(f"/learn/quizzes/{module.quiz.id}", page, correct_answers(module.quiz))
        for workshop_id in module.validation.workshops_submitted:
            workshop = next(w for w in module.workshops if w.id == workshop_id)
            page = learner.get(f"/learn/workshops/{workshop_id}?ltik={token_of(page)}")
            learner.post(
                f"/learn/workshops/{workshop_id}",
                page,
                {**filled_workshop(workshop), "action": "submit"},
            )
        overview = learner.get(f"/learn/modules/{module.id}?ltik={token_of(page)}")
        assert "Validé" in overview, f"module {module.id} not validated"
        if index == 5:
            # Six modules validated: no certificate.
            with Session(app.extensions["ambassadeurs.engine"]) as session:
                assert session.scalars(select(Certificate)).first() is None

    # 2. The project, from the activity the trainer deep-linked (its own gradebook column).
    project_item = ags.add_line_item(
        "Projet", 100, resource_id="projet", tag="project", resource_link_id=PROJECT_LINK
    )
    page = learner.launch("projet", PROJECT_LINK, project_item)
    assert "en attente du jury" in page and "Certificat" in page
    final = CURRICULUM.project.milestones[-1].id  # type: ignore[union-attr]
    page = learner.get(link(page, f"/project/milestones/{final}"))
    learner.post(
        f"/project/milestones/{final}",
        page,
        {
            "text": "Feuille de route : diagnostic, actions, gouvernance.",
            "links": "https://example.org/feuille-de-route",
            "action": "submit",
            "files": (io.BytesIO(b"%PDF-1.7\n% feuille de route\n"), "Feuille de route.pdf"),
        },
        content_type="multipart/form-data",
    )
    deliver_grades(app)
    pending = ags.grade_of("42", int(re.search(r"lineitems/(\d+)/", project_item).group(1)))  # type: ignore[union-attr]
    assert pending is not None
    assert pending.grading_progress == "PendingManual" and pending.score_given is None

    # 3. The outside expert is known in the course, and the trainer names them to the jury.
    expert.launch("projet", PROJECT_LINK, project_item)
    page = trainer.launch("projet", PROJECT_LINK, project_item)
    members = trainer.get(link(page, "/project/jury"))
    members = trainer.get(link(members, "/project/jury/members"))
    trainer.post("/project/jury/members", members, {"action": "add", "user_id": "99"})

    # 4. Each juror scores alone; they disagree by more than the content's gap.
    rubric = CURRICULUM.project.rubric  # type: ignore[union-attr]
    jury = trainer.get(link(page, "/project/jury"))
    evaluate_url = link(jury, "/project/jury/learners/")
    trainer_form = {f"level-{c.id}": "maitrise" for c in rubric}
    evaluation = trainer.get(evaluate_url)
    evaluation = trainer.post(
        evaluate_url.split("?")[0], evaluation, {**trainer_form, "action": "evaluate"}
    )
    assert "1 évaluation(s) sur les 2 nécessaires" in evaluation
    page = expert.launch("projet", PROJECT_LINK, project_item)
    expert_jury = expert.get(link(page, "/project/jury"))
    expert_page = expert.get(link(expert_jury, "/project/jury/learners/"))
    assert "Dominique" not in expert_page, "a juror sees another's score before scoring"
    expert_form = {f"level-{c.id}": "partiel" for c in rubric}
    expert_page = expert.post(
        evaluate_url.split("?")[0],
        expert_page,
        {**expert_form, "comment-projet.c.chiffres": "Sources à dater.", "action": "evaluate"},
    )
    assert "Les jurés s'écartent de 67.0 points" in expert_page
    assert "Arrêter la décision" not in expert_page, "only trainers decide"

    # 5. The trainer must confirm the discussion, then decides: passed (mean 0.665).
    evaluation = trainer.get(evaluate_url)
    refused = trainer.post(
        evaluate_url.split("?")[0], evaluation, {"action": "decide", "feedback": "Bravo."}, 400
    )
    assert "confirmez que le jury en a discuté" in refused
    decided = trainer.post(
        evaluate_url.split("?")[0],
        evaluation,
        {"action": "decide", "feedback": "Bravo.", "discussed": "yes"},
    )
    assert "Décision enregistrée" in decided

    # 6. Exactly one certificate, issued by the decision; a second look issues nothing more.
    page = learner.launch("projet", PROJECT_LINK, project_item)
    page = learner.launch("projet", PROJECT_LINK, project_item)
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        certificates = list(session.scalars(select(Certificate)))
    assert len(certificates) == 1
    code = certificates[0].code
    assert code in page and "Sources à dater." in page and "Juré 2" in page
    pdf = learner.client.get(link(page, "/project/certificate.pdf"))
    text = pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert code in text and "Camille Dupont-Łukasiewicz" in text and "Région Test" in text
    badge = learner.client.get(link(page, "/project/certificate.jwt")).get_data(as_text=True)
    kid_url = jwt.get_unverified_header(badge)["kid"]
    jwk = learner.client.get(kid_url.replace("http://127.0.0.1:5000", "")).get_json()
    claims = jwt.decode(badge, JWK(**jwk).export_to_pem(), algorithms=["RS256"])
    assert claims["credentialSubject"]["identifier"][0]["identityHash"] == learner.name
    assert claims["jti"].endswith(f"/certificates/{code}")

    # 7. The grades on the LMS: each module's validation, each quiz, the jury's decision.
    deliver_grades(app)
    module_items = {i.resource_id: i for i in ags.line_items.values() if i.tag == "module"}
    assert sorted(module_items) == [m.id for m in CURRICULUM.modules]
    for item in module_items.values():
        grade = item.grades["42"]
        assert grade.grading_progress == "FullyGraded" and grade.score_given == 100
    quiz_items = [i for i in ags.line_items.values() if i.tag == "quiz"]
    assert len(quiz_items) == 7 and all(i.grades["42"].score_given for i in quiz_items)
    final_grade = ags.line_items[1].grades["42"]
    assert final_grade.grading_progress == "FullyGraded"
    assert final_grade.score_given == pytest.approx(66.5, abs=0.01)
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        statuses = set(session.scalars(select(GradeOutbox.status)))
    assert statuses <= {"sent", "superseded"}, statuses

    # 8. Public verification, then revocation by the trainer.
    public = app.test_client()
    assert "Certificat valide" in public.get(f"/certificates/{code}").get_data(as_text=True)
    evaluation = trainer.get(evaluate_url)
    trainer.post(
        evaluate_url.split("?")[0],
        evaluation,
        {"action": "revoke", "reason": "Projet copié sur un autre dossier."},
    )
    revoked = public.get(f"/certificates/{code}").get_data(as_text=True)
    assert "Certificat révoqué" in revoked and "Projet copié sur un autre dossier." in revoked
