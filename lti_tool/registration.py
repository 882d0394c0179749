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

from flask import Blueprint, Response, current_app, g, render_template, request
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
from lti_tool.language import browser_language
from lti_tool.lti_adapter import TimeoutSession
from lti_tool.operator_messages import REGISTRATION_MESSAGES
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

# After these, retrying the same page (same token) may work; after the others, the
# administrator must start again from the LMS.
RETRYABLE = frozenset({"config_unreachable", "registration_unreachable"})


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


@blueprint.before_request
def _language() -> None:
    # Opened by the LMS for its administrator, without a launch: the browser says which.
    g.lang = browser_language(_settings().default_language)


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


def _problem_message(code: str) -> str:
    """The catalogue key saying what went wrong and what to do."""
    key = f"registration_problem_{code}"
    return key if key in REGISTRATION_MESSAGES else "registration_problem_config_invalid"


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
        problem=_problem_message(error.code),
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
