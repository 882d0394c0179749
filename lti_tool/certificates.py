"""Ambassador certificates: issued once when the content's rule holds, revoked by a trainer,
verified by anyone at `/certificates/<code>`.

`issue_if_due` is called after anything that can complete the rule (a module validated,
the jury's decision, a learner's page): it issues at most one certificate per learner and
course (a unique constraint makes a race harmless), and never again after a revocation.
What the certificate states is frozen at issue, with its signed Open Badges 3.0
credential and the public key that signed it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, render_template
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course_content.model import Curriculum
from course_content.progression import CertificateCheck, certificate_check
from lti_tool import keys
from lti_tool.certificate_pdf import CertificateText, certificate_pdf
from lti_tool.config import Settings
from lti_tool.jury import decision_of
from lti_tool.language import asked_language
from lti_tool.messages import translate
from lti_tool.models import Certificate, Platform, utcnow
from lti_tool.open_badge import BadgeFacts, build_credential, credential_url, sign_credential
from lti_tool.request_log import log_event
from lti_tool.validations import display_name, learner_record, module_statuses

blueprint = Blueprint("certificates", __name__, url_prefix="/certificates")

# Crockford's base32: no I, L, O, U to misread; 16 characters = 80 random bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PREFIX = "ANR"


def new_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join([CODE_PREFIX, *(chars[i : i + 4] for i in range(0, 16, 4))])


def normalise_code(raw: str) -> str:
    """A code as typed (spaces, lower case, O for 0…) in its canonical form."""
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if cleaned.startswith(CODE_PREFIX.translate(str.maketrans("OIL", "011"))):
        cleaned = cleaned[len(CODE_PREFIX) :]
    if len(cleaned) != 16 or any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    return "-".join([CODE_PREFIX, *(cleaned[i : i + 4] for i in range(0, 16, 4))])


def certificate_of(
    session: Session, platform_id: int, context_id: str, user_id: str
) -> Certificate | None:
    query = select(Certificate).where(
        Certificate.platform_id == platform_id,
        Certificate.context_id == context_id,
        Certificate.user_id == user_id,
    )
    return session.scalars(query).first()


def rule_check(
    session: Session, curriculum: Curriculum, platform_id: int, context_id: str, user_id: str
) -> CertificateCheck:
    """The certificate rule applied to the learner's modules and project decision."""
    statuses = module_statuses(session, curriculum, platform_id, context_id, user_id)
    decision = decision_of(session, platform_id, context_id, user_id)
    passed = decision is not None and decision.passed and curriculum.project is not None
    return certificate_check(curriculum.programme.certificate, statuses, passed)


def _criteria(curriculum: Curriculum) -> str:
    rule = curriculum.programme.certificate
    parts = []
    if rule.requires_all_modules:
        parts += [f"{m.title.fr} : {m.validation.description.fr}" for m in curriculum.modules]
    if rule.requires_project and curriculum.project is not None:
        parts.append(
            translate("badge_criteria_project", "fr").format(
                title=curriculum.project.title.fr,
                mark=round(curriculum.project.jury.pass_mark * 100),
            )
        )
    return "\n".join(parts) or curriculum.programme.summary.fr


def _organisation(session: Session, settings: Settings, platform_id: int, site: str) -> str:
    if settings.organisation_name:
        return settings.organisation_name
    if site:
        return site
    platform = session.get(Platform, platform_id)
    return platform.name if platform is not None else ""


def issue_if_due(
    session: Session,
    curriculum: Curriculum,
    settings: Settings,
    platform_id: int,
    context_id: str,
    user_id: str,
) -> Certificate | None:
    """Issue the learner's certificate if the rule holds and none was issued yet (the caller
    commits). None when not due, already issued (even revoked), or no name is known yet."""
    if certificate_of(session, platform_id, context_id, user_id) is not None:
        return None
    if not rule_check(session, curriculum, platform_id, context_id, user_id).due:
        return None
    name = display_name(session, platform_id, context_id, user_id)
    if not name:
        # A certificate must name its holder: issued at the learner's next launch that
        # shares the name (Moodle: the tool's privacy setting "Share launcher's name").
        log_event("certificate_waiting_for_name", platform_id=platform_id, user_id=user_id)
        return None
    record = learner_record(session, platform_id, context_id, user_id)
    organisation = _organisation(
        session, settings, platform_id, record.organisation if record else ""
    )
    decision = decision_of(session, platform_id, context_id, user_id)
    programme = curriculum.programme
    now = utcnow().replace(microsecond=0)
    code = new_code()
    key = keys.ensure_signing_key(settings.instance)
    facts = BadgeFacts(
        base_url=settings.base_url,
        code=code,
        learner_name=name,
        title=programme.certificate.title.fr,
        description=programme.summary.fr,
        criteria=_criteria(curriculum),
        programme_id=programme.id,
        organisation=organisation,
        issued_at=now,
    )
    certificate = Certificate(
        code=code,
        platform_id=platform_id,
        context_id=context_id,
        user_id=user_id,
        learner_name=name,
        programme_id=programme.id,
        programme_version=programme.version,
        title={"fr": programme.certificate.title.fr, "en": programme.certificate.title.get("en")},
        programme_title={"fr": programme.title.fr, "en": programme.title.get("en")},
        organisation=organisation,
        project_result=decision.result if decision else None,
        issued_at=now,
        credential_jwt=sign_credential(build_credential(facts), key, settings.base_url),
        signing_kid=key.kid,
        signing_key=key.public_jwk(),
        revoked_reason="",
        revoked_by="",
    )
    try:
        with session.begin_nested():
            session.add(certificate)
    except IntegrityError:
        # Another request issued it a moment ago: exactly one certificate.
        return None
    log_event("certificate_issued", code=code, platform_id=platform_id, user_id=user_id)
    return certificate


class RevocationRefused(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def revoke(certificate: Certificate, reason: str, by: str) -> None:
    """Revoke with a reason the verification page shows (the caller commits)."""
    reason = reason.strip()
    if not reason:
        raise RevocationRefused("revoke_reason_required")
    if certificate.revoked_at is not None:
        raise RevocationRefused("revoke_already")
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason[:2000]
    certificate.revoked_by = by
    log_event("certificate_revoked", code=certificate.code, by=by)


@dataclass(frozen=True)
class Labels:
    lang: str

    def __call__(self, key: str) -> str:
        return translate(key, self.lang)


def certificate_text(certificate: Certificate, lang: str) -> CertificateText:
    label = Labels(lang)
    return CertificateText(
        lang=lang,
        title=_in(certificate.title, lang),
        learner_name=certificate.learner_name,
        programme_title=_in(certificate.programme_title, lang),
        organisation=certificate.organisation,
        issued_at=certificate.issued_at,
        code=certificate.code,
        verify_url=credential_url(current_app.config["SETTINGS"].base_url, certificate.code),
        statement=label("certificate_statement"),
        issued_label=label("certificate_issued_on"),
        code_label=label("certificate_code"),
    )


def _in(texts: dict[str, Any], lang: str) -> str:
    return str(texts.get(lang) or texts.get("fr") or "")


def pdf_response(certificate: Certificate, lang: str) -> Response:
    data = certificate_pdf(certificate_text(certificate, lang))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificat-{certificate.code}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def badge_response(certificate: Certificate) -> Response:
    response = Response(certificate.credential_jwt, mimetype="application/vc+jwt")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="open-badge-{certificate.code}.jwt"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- Public pages -------------------------------------------------------------------------


def _engine() -> Engine:
    engine: Engine = current_app.extensions["ambassadeurs.engine"]
    return engine


def _public_language() -> str:
    return asked_language(current_app.config["SETTINGS"].default_language)


@blueprint.get("/<code>")
def verify(code: str) -> tuple[str, int, dict[str, str]]:
    """Anyone checks a certificate: valid, revoked (with the reason) or unknown."""
    g.lang = _public_language()
    canonical = normalise_code(code)
    certificate = None
    if canonical:
        with Session(_engine()) as session:
            certificate = session.scalars(
                select(Certificate).where(Certificate.code == canonical)
            ).first()
            if certificate is not None:
                session.expunge(certificate)
    status = "unknown" if certificate is None else "revoked" if certificate.revoked_at else "valid"
    page = render_template(
        "certificates/verify.html",
        certificate=certificate,
        status=status,
        code=canonical or code[:40],
        title=_in(certificate.title, g.lang) if certificate else "",
        programme_title=_in(certificate.programme_title, g.lang) if certificate else "",
    )
    headers = {"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"}
    return page, 404 if certificate is None else 200, headers


@blueprint.get("/issuer")
def issuer() -> Response:
    """The issuer's Open Badges 3.0 profile."""
    settings = current_app.config["SETTINGS"]
    return jsonify(
        {
            "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"{settings.base_url}/certificates/issuer",
            "type": "Profile",
            "name": settings.organisation_name or "Ambassadeurs NR",
            "url": settings.base_url,
        }
    )


@blueprint.get("/keys/<kid>")
def public_key(kid: str) -> Response:
    """A public key that signs credentials, as a JWK: the current keys, and any key that
    signed a certificate (so credentials stay verifiable after a key rotation)."""
    settings = current_app.config["SETTINGS"]
    for jwk in keys.jwks(settings.instance, _grace(settings))["keys"]:
        if jwk.get("kid") == kid:
            return _jwk_response(jwk)
    with Session(_engine()) as session:
        found = session.scalars(
            select(Certificate.signing_key).where(Certificate.signing_kid == kid).limit(1)
        ).first()
    if not found:
        response = jsonify({"error": "unknown key"})
        response.status_code = 404
        return response
    return _jwk_response(dict(found))


def _grace(settings: Settings) -> timedelta:
    return timedelta(days=settings.key_grace_days)


def _jwk_response(jwk: dict[str, Any]) -> Response:
    response = jsonify(jwk)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
