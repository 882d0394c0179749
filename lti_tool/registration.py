"""The `registration` blueprint: the pages of LTI Dynamic Registration.

`GET /lti/register` (opened by the LMS, usually in an iframe of its admin pages) reads
and checks the platform's configuration and shows what will be registered; the
administrator confirms with `POST /lti/register`, which registers the tool with the
platform and records the registration here. No cookie: the form carries the platform's
configuration URL and registration token, signed and valid one hour (the token's own
lifetime in Moodle).
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, current_app, render_template, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from lti_tool.config import Settings
from lti_tool.dynamic_registration import (
    PlatformConfiguration,
    RegistrationError,
    ToolDescription,
    fetch_configuration,
    granted_scopes,
    platform_name,
    register,
    registration_request,
    requested_scopes,
)
from lti_tool.lti_adapter import TimeoutSession
from lti_tool.platforms import APPROVED, PENDING, PlatformError, PlatformSpec, update_registration
from lti_tool.request_log import log_event
from lti_tool.urls import tool_urls

log = logging.getLogger(__name__)

blueprint = Blueprint("registration", __name__, url_prefix="/lti")

FORM_LIFETIME_SECONDS = 3600
"""The confirmation form stays valid as long as Moodle's registration token."""

TOOL = ToolDescription(
    name_fr="Ambassadeurs NR",
    name_en="Responsible Digital Ambassadors",
    description_fr=(
        "Formation Ambassadeurs Numérique Responsable : 7 modules, quiz et ateliers, "
        "notes envoyées au carnet de notes."
    ),
    description_en=(
        "Responsible Digital Ambassadors training: 7 modules, quizzes and workshops, "
        "grades sent to the gradebook."
    ),
)

# What went wrong, and what to do, French then English.
PROBLEMS: dict[str, tuple[str, str]] = {
    "missing_parameters": (
        "Cette adresse s'ouvre depuis le LMS : collez-la dans son formulaire d'inscription "
        "dynamique (LTI Advantage), qui l'ouvre avec openid_configuration et "
        "registration_token.",
        "This address is opened by the LMS: paste it into its dynamic registration form "
        "(LTI Advantage), which opens it with openid_configuration and registration_token.",
    ),
    "config_unreachable": (
        "L'outil n'a pas pu lire la configuration du LMS. Vérifiez que le serveur de l'outil "
        "peut joindre le LMS (pare-feu, proxy, certificat), puis réessayez.",
        "The tool could not read the LMS's configuration. Check that the tool's server can "
        "reach the LMS (firewall, proxy, certificate), then try again.",
    ),
    "config_invalid": (
        "La configuration renvoyée par le LMS est incomplète ou illisible pour LTI 1.3.",
        "The configuration the LMS returned is incomplete or unreadable for LTI 1.3.",
    ),
    "issuer_mismatch": (
        "L'adresse de la configuration ne commence pas par l'identifiant (issuer) annoncé "
        "par le LMS : l'inscription est refusée, car rien ne garantit que ce LMS est bien "
        "celui qu'il prétend être. Vérifiez l'adresse publique (wwwroot) du LMS.",
        "The configuration's address does not start with the issuer the LMS announces: the "
        "registration is refused, since nothing shows this LMS is the one it claims to be. "
        "Check the LMS's public address (wwwroot).",
    ),
    "insecure_url": (
        "Le LMS doit être servi en https (http n'est accepté que sur cette machine, pour un "
        "essai local).",
        "The LMS must be served over https (http is accepted only on this machine, for a "
        "local trial).",
    ),
    "registration_unreachable": (
        "L'outil n'a pas pu envoyer son inscription au LMS. Réessayez dans un instant.",
        "The tool could not send its registration to the LMS. Try again in a moment.",
    ),
    "registration_refused": (
        "Le LMS a refusé l'inscription. Sa réponse est ci-dessous ; si elle parle de "
        "domaine (domain_targetlinkuri_mismatch), vérifiez le réglage base_url de l'outil.",
        "The LMS refused the registration. Its answer is below; if it mentions the domain "
        "(domain_targetlinkuri_mismatch), check the tool's base_url setting.",
    ),
    "registration_invalid": (
        "Le LMS a répondu sans identifiant client (client_id) : l'inscription est inutilisable.",
        "The LMS answered without a client id: the registration cannot be used.",
    ),
    "token_used": (
        "Ce jeton d'inscription a déjà servi : chaque jeton ne sert qu'une fois. Recommencez "
        "depuis le LMS (collez de nouveau l'adresse d'inscription) pour en obtenir un neuf. "
        "Si l'outil apparaît déjà dans la liste des outils du LMS, l'inscription a réussi.",
        "This registration token has already been used: each token works once. Start again "
        "from the LMS (paste the registration address again) to get a new one. If the tool "
        "already shows in the LMS's tool list, the registration succeeded.",
    ),
    "token_refused": (
        "Le LMS a refusé le jeton d'inscription : il a expiré (une heure dans Moodle) ou n'est "
        "pas valable. Recommencez depuis le LMS pour en obtenir un neuf.",
        "The LMS refused the registration token: it has expired (one hour in Moodle) or is "
        "not valid. Start again from the LMS to get a new one.",
    ),
    "form_expired": (
        "Ce formulaire a expiré ou a été modifié. Recommencez depuis le LMS.",
        "This form has expired or was altered. Start again from the LMS.",
    ),
    "registration_conflict": (
        "Cette inscription ne peut pas être enregistrée dans l'outil.",
        "This registration cannot be recorded in the tool.",
    ),
}
# After these, retrying the same page (same token) may work; after the others, the
# administrator must start again from the LMS.
RETRYABLE = frozenset({"config_unreachable", "registration_unreachable"})


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


def _engine() -> Engine:
    engine: Engine = current_app.extensions["ambassadeurs.engine"]
    return engine


def _http() -> Any:
    return current_app.extensions.get("ambassadeurs.http") or TimeoutSession(
        _settings().http_timeout_seconds
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="dynamic-registration")


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def _page(template: str, status: int, frame_urls: list[str], **context: Any) -> Response:
    """A page the LMS may show in its own iframe (Moodle and Canvas do), and nobody else."""
    response = Response(render_template(template, **context), status)
    origins = sorted({o for o in map(_origin, frame_urls) if o})
    response.headers["Content-Security-Policy"] = current_app.config["CSP"](
        frame_ancestors_override=" ".join(["'self'", *origins])
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the URL holds the token
    return response


def _problem(error: RegistrationError, config_url: str, token: str) -> Response:
    reference = secrets.token_hex(4).upper()
    log.warning("ref=%s registration code=%s: %s", reference, error.code, error.detail)
    log_event("registration_failed", reference=reference, code=error.code)
    retry = ""
    if error.code in RETRYABLE and config_url:
        query = {"openid_configuration": config_url}
        if token:
            query["registration_token"] = token
        retry = f"?{urlencode(query)}"
    status = 502 if error.code.endswith("unreachable") else 400
    return _page(
        "registration/problem.html",
        status,
        [config_url],
        problem=PROBLEMS.get(error.code, PROBLEMS["config_invalid"]),
        code=error.code,
        platform_message=error.platform_message,
        reference=reference,
        retry=retry,
    )


@blueprint.get("/register")
def start() -> Response:
    """Read the platform's configuration and show what will be registered."""
    config_url = request.args.get("openid_configuration", "").strip()
    token = request.args.get("registration_token", "").strip()
    if not config_url:
        return _problem(RegistrationError("missing_parameters", "no openid_configuration"), "", "")
    try:
        configuration = fetch_configuration(_http(), config_url, token)
    except RegistrationError as error:
        return _problem(error, config_url, token)
    form = _serializer().dumps({"c": config_url, "t": token})
    urls = tool_urls(_settings().base_url)
    return _page(
        "registration/confirm.html",
        200,
        [config_url, configuration.issuer],
        configuration=configuration,
        urls=urls,
        tool=TOOL,
        scopes=requested_scopes(configuration),
        request_body=registration_request(configuration, urls, TOOL),
        auto_approve=_settings().auto_approve_registrations,
        form=form,
    )


@blueprint.post("/register")
def confirm() -> Response:
    """Register with the platform, record the registration, say what to do next."""
    try:
        signed = _serializer().loads(request.form.get("registration", ""), FORM_LIFETIME_SECONDS)
        config_url, token = str(signed["c"]), str(signed["t"])
    except (BadSignature, SignatureExpired, KeyError, TypeError):
        return _problem(RegistrationError("form_expired", "bad or expired form"), "", "")
    settings = _settings()
    urls = tool_urls(settings.base_url)
    try:
        configuration = fetch_configuration(_http(), config_url, token)
        body = registration_request(configuration, urls, TOOL)
        result = register(_http(), configuration, token, body)
    except RegistrationError as error:
        return _problem(error, config_url, token)
    try:
        platform_id, status = _record(configuration, result, body, settings)
    except PlatformError as error:
        return _problem(RegistrationError("registration_conflict", str(error)), config_url, "")
    log_event(
        "platform_registered",
        platform_id=platform_id,
        issuer=configuration.issuer,
        client_id=result.client_id,
        deployment_id=result.deployment_id or "",
        status=status,
    )
    return _page(
        "registration/done.html",
        200,
        [config_url, configuration.issuer],
        configuration=configuration,
        result=result,
        approved=status == APPROVED,
    )


def _record(
    configuration: PlatformConfiguration,
    result: Any,
    body: dict[str, Any],
    settings: Settings,
) -> tuple[int, str]:
    """Store the registration (or refresh the one the LMS registered again)."""
    requested = body["scope"].split()
    spec = PlatformSpec(
        issuer=configuration.issuer,
        client_id=result.client_id,
        auth_login_url=configuration.authorization_endpoint,
        auth_token_url=configuration.token_endpoint,
        key_set_url=configuration.jwks_uri,
        name=platform_name(configuration),
        deployment_ids=(result.deployment_id,) if result.deployment_id else (),
        auth_audience=configuration.authorization_server,
        status=APPROVED if settings.auto_approve_registrations else PENDING,
        source="dynamic",
        deployment_policy=settings.deployment_policy,
        registration={
            "openid_configuration": configuration.url,
            "product_family_code": configuration.product_family_code,
            "version": configuration.version,
            "scopes": granted_scopes(result, requested),
            "registered_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    with Session(_engine()) as session, session.begin():
        platform, _added = update_registration(session, spec)
        recorded = platform.id, platform.status
    # The LMS may now embed the tool: its origin joins frame-ancestors at once.
    current_app.extensions["ambassadeurs.reset_frame_ancestors"]()
    return recorded
