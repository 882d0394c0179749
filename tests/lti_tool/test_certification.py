"""Certificates from the stored work: the rule (exactly once), revocation, the public
verification page, the PDF and the Open Badges 3.0 credential."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import jwt
import pypdf
import pytest
from flask import Flask
from jwcrypto.jwk import JWK
from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Curriculum
from lti_tool import certificate_pdf, keys
from lti_tool.app import create_app
from lti_tool.certificates import issue_if_due, normalise_code, revoke
from lti_tool.instance import prepare_instance
from lti_tool.models import (
    Certificate,
    LearnerRecord,
    Platform,
    ProjectDecision,
    QuizAttempt,
    WorkshopWork,
    utcnow,
)
from lti_tool.open_badge import CredentialInvalid, verify_credential
from tests.lti_tool.signing_platform import ISSUER, SigningPlatform

USER = "42"
CONTEXT = "2"


@pytest.fixture
def app(settings: Any, lms: SigningPlatform) -> Flask:
    """The tool on the shipped programme (seven modules and the project)."""
    configured = dataclasses.replace(
        settings, content_path="", platforms=[lms.registration()], organisation_name="Région Sud"
    )
    prepare_instance(configured)
    return create_app(configured)


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    with Session(app.extensions["ambassadeurs.engine"], expire_on_commit=False) as session:
        yield session


def _platform_id(db: Session) -> int:
    return int(db.scalars(select(Platform.id).where(Platform.issuer == ISSUER)).one())


def validate_modules(db: Session, curriculum: Curriculum, count: int) -> None:
    """The learner's work in the first `count` modules: quiz passed, workshops handed in."""
    pid = _platform_id(db)
    for module in curriculum.modules[:count]:
        db.add(
            QuizAttempt(
                platform_id=pid,
                user_id=USER,
                context_id=CONTEXT,
                quiz_id=module.quiz.id,
                responses={},
                score=module.quiz.max_points,
                max_score=module.quiz.max_points,
                scaled=1.0,
                passed=True,
            )
        )
        for workshop_id in module.validation.workshops_submitted:
            db.add(
                WorkshopWork(
                    platform_id=pid,
                    user_id=USER,
                    context_id=CONTEXT,
                    workshop_id=workshop_id,
                    item_responses={},
                    fields={},
                    submitted_at=utcnow(),
                )
            )
    db.flush()


def pass_project(db: Session, passed: bool = True) -> None:
    db.add(
        ProjectDecision(
            platform_id=_platform_id(db),
            context_id=CONTEXT,
            learner_id=USER,
            result=0.8 if passed else 0.4,
            passed=passed,
            juror_count=2,
            spread=0.1,
            disagreement=False,
        )
    )
    db.add(
        LearnerRecord(
            platform_id=_platform_id(db),
            context_id=CONTEXT,
            user_id=USER,
            name="Léa Ørsted",
            organisation="",
        )
    )
    db.flush()


def issue(app: Flask, db: Session) -> Certificate | None:
    found = issue_if_due(
        db,
        app.extensions["ambassadeurs.curriculum"],
        app.config["SETTINGS"],
        _platform_id(db),
        CONTEXT,
        USER,
    )
    db.commit()
    return found


def certificates(db: Session) -> list[Certificate]:
    return list(db.scalars(select(Certificate)))


@pytest.fixture
def issued(app: Flask, db: Session) -> Certificate:
    curriculum = app.extensions["ambassadeurs.curriculum"]
    validate_modules(db, curriculum, 7)
    pass_project(db)
    certificate = issue(app, db)
    assert certificate is not None
    return certificate


# --- The rule ---------------------------------------------------------------------------------


def test_six_validated_modules_and_a_passed_project_give_no_certificate(
    app: Flask, db: Session
) -> None:
    validate_modules(db, app.extensions["ambassadeurs.curriculum"], 6)
    pass_project(db)
    assert issue(app, db) is None
    assert certificates(db) == []


def test_the_seventh_module_and_a_passed_project_issue_exactly_one(app: Flask, db: Session) -> None:
    validate_modules(db, app.extensions["ambassadeurs.curriculum"], 7)
    pass_project(db)
    first = issue(app, db)
    assert first is not None
    assert issue(app, db) is None
    assert [c.code for c in certificates(db)] == [first.code]
    assert first.learner_name == "Léa Ørsted" and first.organisation == "Région Sud"


def test_seven_modules_without_a_passed_project_give_no_certificate(
    app: Flask, db: Session
) -> None:
    validate_modules(db, app.extensions["ambassadeurs.curriculum"], 7)
    pass_project(db, passed=False)
    assert issue(app, db) is None


def test_a_revoked_certificate_is_not_issued_again(
    app: Flask, db: Session, issued: Certificate
) -> None:
    revoke(issued, "Erreur de saisie du jury", "t1")
    db.commit()
    assert issue(app, db) is None
    assert len(certificates(db)) == 1 and certificates(db)[0].revoked_at is not None


def test_revocation_needs_a_reason(db: Session, issued: Certificate) -> None:
    from lti_tool.certificates import RevocationRefused

    with pytest.raises(RevocationRefused):
        revoke(issued, "   ", "t1")


def test_codes_are_read_as_people_type_them(issued: Certificate) -> None:
    typed = issued.code.lower().replace("-", " ").replace("0", "o")
    assert normalise_code(typed) == issued.code
    assert normalise_code("ANR-1234") == ""


# --- Verification page ----------------------------------------------------------------------


def test_verification_page_confirms_a_valid_certificate(app: Flask, issued: Certificate) -> None:
    response = app.test_client().get(f"/certificates/{issued.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Certificat valide" in page and "Léa Ørsted" in page and "Région Sud" in page
    assert response.headers["X-Robots-Tag"] == "noindex"
    english = app.test_client().get(f"/certificates/{issued.code}?lang=en")
    assert "Valid certificate" in english.get_data(as_text=True)


def test_verification_page_says_when_and_why_a_certificate_was_revoked(
    app: Flask, db: Session, issued: Certificate
) -> None:
    revoke(issued, "Projet copié", "t1")
    db.commit()
    page = app.test_client().get(f"/certificates/{issued.code}").get_data(as_text=True)
    assert "Certificat révoqué le" in page and "Projet copié" in page
    assert "Certificat valide" not in page


def test_verification_page_says_a_code_is_unknown(app: Flask, issued: Certificate) -> None:
    for code in ("ANR-0000-0000-0000-0000", "not-a-code", issued.code[:-1]):
        response = app.test_client().get(f"/certificates/{code}")
        page = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "Code inconnu" in page and "Léa" not in page


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_is_tagged_text_with_the_verification_code(app: Flask, issued: Certificate) -> None:
    from lti_tool.certificates import certificate_text

    with app.test_request_context():
        data = certificate_pdf.certificate_pdf(certificate_text(issued, "fr"))
    assert len(data) < 60_000
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    for expected in (
        issued.code,
        "Léa Ørsted",
        "Formation Ambassadeurs Numérique Responsable",
        "Région Sud",
        "Certificat d'ambassadeur numérique responsable",
        f"/certificates/{issued.code}",
    ):
        assert expected in text
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and root["/MarkInfo"]["/Marked"]
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    tags = [kid.get_object()["/S"] for kid in document["/K"]]
    assert tags[0] == "/H1" and tags.count("/P") >= 6
    assert reader.metadata is not None and "Léa Ørsted" in str(reader.metadata.title)


def test_pdf_without_a_unicode_font_still_prints_the_name_and_code(
    app: Flask, issued: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lti_tool.certificates import certificate_text

    monkeypatch.setattr(certificate_pdf, "FONT_CANDIDATES", ())
    with app.test_request_context():
        data = certificate_pdf.certificate_pdf(certificate_text(issued, "en"))
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert issued.code in text and "Léa" in text and "Responsible digital ambassador" in text


# --- Open Badges 3.0 ---------------------------------------------------------------------------


def test_badge_is_a_signed_open_badges_3_credential(app: Flask, issued: Certificate) -> None:
    token = issued.credential_jwt
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": header["kid"]}
    # The kid dereferences to the public key, which is also in the tool's JWKS.
    path = header["kid"].removeprefix(app.config["SETTINGS"].base_url)
    jwk = app.test_client().get(path).get_json()
    assert "d" not in jwk
    published = app.test_client().get("/lti/jwks").get_json()["keys"]
    assert jwk["kid"] in {k["kid"] for k in published}
    claims = jwt.decode(token, JWK(**jwk).export_to_pem(), algorithms=["RS256"])
    # Open Badges 3.0 required fields (AchievementCredential, Profile, AchievementSubject,
    # Achievement, Criteria) and the JWT claims of §8.2.
    assert claims["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(claims["type"])
    assert claims["id"].endswith(f"/certificates/{issued.code}") and claims["jti"] == claims["id"]
    assert claims["name"] and claims["validFrom"].endswith("Z")
    assert claims["issuer"]["id"] == claims["iss"] and "Profile" in claims["issuer"]["type"]
    assert claims["issuer"]["name"] == "Région Sud"
    subject = claims["credentialSubject"]
    assert subject["id"] == claims["sub"] and "AchievementSubject" in subject["type"]
    achievement = subject["achievement"]
    assert "Achievement" in achievement["type"]
    assert achievement["id"] and achievement["name"] and achievement["description"]
    assert achievement["criteria"]["narrative"]
    assert verify_credential(token, jwk)["id"] == claims["id"]


def test_a_tampered_badge_does_not_verify(issued: Certificate) -> None:
    header, payload, signature = issued.credential_jwt.split(".")
    original = jwt.utils.base64url_decode(payload)
    assert b"Sud" in original
    forged = jwt.utils.base64url_encode(original.replace(b"Sud", b"Est")).decode()
    with pytest.raises(CredentialInvalid):
        verify_credential(f"{header}.{forged}.{signature}", issued.signing_key)


def test_badge_key_stays_published_after_the_tool_key_is_rotated_away(
    app: Flask, issued: Certificate
) -> None:
    instance = app.config["SETTINGS"].instance
    keys.rotate(instance, timedelta(0))
    keys.rotate(instance, timedelta(0))
    assert issued.signing_kid not in {k.kid for k in keys.load_keys(instance)}
    response = app.test_client().get(f"/certificates/keys/{issued.signing_kid}")
    assert response.status_code == 200
    assert verify_credential(issued.credential_jwt, response.get_json())
    assert app.test_client().get("/certificates/keys/unknown").status_code == 404
