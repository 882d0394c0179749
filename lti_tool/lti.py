"""The `lti` blueprint: OIDC login, launch (which answers with the first page), JWKS, deep
linking."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from course_content.model import Curriculum
from lti_tool import keys, platform_storage
from lti_tool.errors import ToolError
from lti_tool.launched_pages import (
    current_curriculum,
    form_posted,
    open_session,
    requires_launch,
    session_tokens,
)
from lti_tool.learner_session import SESSION_PARAM, store_launch
from lti_tool.lti_adapter import (
    CLAIM_CUSTOM,
    DEEP_LINKING_REQUEST,
    STATE_LIFETIME_SECONDS,
    ContentItem,
    DeploymentNotApproved,
    LtiError,
    TimeoutSession,
    ToolAdapter,
)
from lti_tool.messages import language_of, translate
from lti_tool.models import Launch, OidcState, Platform, utcnow
from lti_tool.oidc_state import LoginStates
from lti_tool.platform_cache import platform_cache
from lti_tool.platforms import record_pending_deployment
from lti_tool.request_log import log_event

blueprint = Blueprint("lti", __name__, url_prefix="/lti")

BROWSER_COOKIE = "ambassadeurs_browser"


def _engine() -> Engine:
    engine: Engine = current_app.extensions["ambassadeurs.engine"]
    return engine


def _launch_engine() -> Engine:
    """The engine whose commits do not wait for the disk (database.make_engine)."""
    engine: Engine = current_app.extensions["ambassadeurs.launch_engine"]
    return engine


def _settings() -> Any:
    return current_app.config["SETTINGS"]


def _http() -> TimeoutSession:
    """The process's HTTP session for platform key sets (built at first use, in the worker:
    not before gunicorn forks; building one costs more than a launch's own checks)."""
    http: TimeoutSession | None = current_app.extensions.get("ambassadeurs.http")
    if http is None:
        http = current_app.extensions.setdefault(
            "ambassadeurs.http", TimeoutSession(_settings().http_timeout_seconds)
        )
    return http


def _adapter(session: Session) -> ToolAdapter:
    settings = _settings()
    return ToolAdapter(
        session,
        partial(keys.ensure_signing_key, settings.instance),
        settings.base_url,
        _http(),
        current_app.extensions["ambassadeurs.login_states"],
        platform_cache(_engine()),
        cache=current_app.extensions.get("ambassadeurs.cache"),
    )


def _browser_cookie(response: Response, browser_id: str) -> None:
    # A convenience where the browser keeps it (binds the login to the browser); the
    # launch never needs it. Cross-site iframes need SameSite=None; Secure; Partitioned.
    if request.is_secure:
        response.set_cookie(
            BROWSER_COOKIE,
            browser_id,
            max_age=600,
            secure=True,
            httponly=True,
            samesite="None",
            partitioned=True,
        )
    else:
        response.set_cookie(BROWSER_COOKIE, browser_id, max_age=600, httponly=True, samesite="Lax")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Response:
    """OIDC third-party login initiation: a signed state with its nonce, to the platform."""
    params = request.args if request.method == "GET" else request.form
    browser_id = request.cookies.get(BROWSER_COOKIE) or secrets.token_urlsafe(16)
    storage_target = platform_storage.requested_target(params)
    with Session(_engine()) as session:
        url = _adapter(session).login_redirect(
            params.to_dict(),
            f"{_settings().base_url}/lti/launch",
            browser_id,
            request.is_secure,
            storage_target,
        )
        # Most logins neither read nor write: the registration is cached, the state signed.
        if session.in_transaction():
            session.commit()
    if storage_target is None:
        response = redirect(url, 302)
    else:
        response = _storage_login_page(url, params.get("iss", ""), storage_target)
    _browser_cookie(response, browser_id)
    return response


def _storage_login_page(auth_url: str, issuer: str, target: str) -> Response:
    """The page whose script stores state and nonce in the platform, then goes on."""
    storage = platform_storage.LoginStorage.for_redirect(auth_url, issuer, target)
    default = _settings().default_language
    g.lang = language_of(request.accept_languages.best_match(["fr", "en"]), default)
    response = Response(
        render_template("lti/storage_login.html", attributes=storage.data_attributes())
    )
    # The script tells the tool (fetch to /lti/login/stored) once the platform holds them.
    response.headers["Content-Security-Policy"] = (
        current_app.config["CSP"]() + "; connect-src 'self'"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/login/stored")
def storage_stored() -> Response:
    """The login page's script stored state and nonce in the platform: bind the login."""
    with Session(_engine()) as session, session.begin():
        bound = platform_storage.mark_stored(session, request.form.get("state", ""), utcnow())
    log_event("platform_storage_bound", outcome="bound" if bound else "refused")
    return Response(status=204 if bound else 404)


@blueprint.post("/launch")
def launch() -> Response:
    """Validate the id_token, keep the launch on the server, open the right page."""
    settings = _settings()
    # One session for the launch and the page it opens (closed at teardown): the launch row
    # stays loaded after the commit, so the page does not read it back.
    session = Session(_launch_engine(), expire_on_commit=False)
    g.db = session
    try:
        with session.begin():
            validated = _adapter(session).validate_launch(
                request.form.to_dict(), request.cookies.get(BROWSER_COOKIE), request.is_secure
            )
            row = store_launch(session, validated, settings.default_language)
            # The LTI `sub` is the only personal datum the logs carry (no name, no e-mail).
            logged = {
                "platform_id": row.platform_id,
                "deployment_id": row.deployment_id,
                "message_type": row.message_type,
                "sub": row.user_id,
            }
            bound = validated.bound_login
            if bound is not None:
                # The session goes only to the browser whose platform storage holds the
                # login's values: a page reads them back first.
                check_page = _storage_check_page(session, row, bound)
            else:
                check_page = None
                endpoint, values = landing(row)
    except DeploymentNotApproved as refusal:
        # Policy "approve": the refused launch is rolled back, but the administrator must
        # see the new deployment id to approve it.
        if not refusal.known:
            record_pending_deployment(_engine(), refusal.platform_id, refusal.deployment_id)
        log_event("launch", outcome="deployment_not_approved", platform_id=refusal.platform_id)
        raise
    except (ToolError, LtiError) as error:
        log_event("launch", outcome=error.code, status=error.status)
        raise
    log_event("launch", outcome="storage_check" if check_page is not None else "ok", **logged)
    if check_page is not None:
        return check_page
    return _landing_page(row, endpoint, values)


def landing(row: Launch) -> tuple[str, dict[str, str]]:
    """The page a launch opens (endpoint, arguments): deep linking, or the activity its
    custom parameter names."""
    if row.message_type == DEEP_LINKING_REQUEST:
        return "lti.deep_link", {}
    custom = row.claims.get(CLAIM_CUSTOM) or {}
    activity = str(custom.get("activity", "")) if isinstance(custom, dict) else ""
    return activity_endpoint(current_curriculum(), activity)


def landing_url(row: Launch, token: str) -> str:
    """The address of the page a launch opens, with the session token."""
    endpoint, values = landing(row)
    return url_for(endpoint, **values, **{SESSION_PARAM: token})


def _landing_page(row: Launch, endpoint: str, values: dict[str, str]) -> Response:
    """The page a launch opens, as the launch's own response (no redirect: one request
    less for the learner and the server). Its script puts the page's address in the
    address bar, so a refresh asks for the page again instead of posting the spent launch."""
    open_session(row, session_tokens())
    g.landing_url = url_for(endpoint, **values)  # with the session token (url_defaults)
    # The page's view without requires_launch: the launch was checked just above.
    view = current_app.view_functions[endpoint].__wrapped__
    response = current_app.make_response(view(**values))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _storage_check_page(session: Session, row: Launch, login: OidcState) -> Response:
    """The page that reads a bound login's values back from the platform storage."""
    platform = session.get(Platform, row.platform_id)
    assert platform is not None  # the launch was just validated against it
    origin = platform_storage.message_origin(platform.issuer, platform.auth_login_url)
    pending = platform_storage.PendingChecks(current_app.config["SECRET_KEY"]).issue(
        row.id, login.state
    )
    g.lang = row.locale
    response = Response(
        render_template(
            "lti/storage_check.html",
            attributes=platform_storage.check_attributes(login, origin),
            pending=pending,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/launch/storage-check")
def storage_check() -> Response:
    """The launch page read the login's values from the platform storage: compare them."""
    checks = platform_storage.PendingChecks(current_app.config["SECRET_KEY"])
    launch_id, state = checks.read(request.form.get("pending", ""))
    with Session(_engine()) as session, session.begin():
        row = session.get(Launch, launch_id)
        if row is None:
            raise LtiError("launch_expired", "the launch waiting for its storage check is gone")
        g.lang = row.locale
        matches = platform_storage.check_retrieved(
            session, state, request.form.get("state", ""), request.form.get("nonce", ""), utcnow()
        )
        if matches:
            target = landing_url(row, session_tokens().issue(row.id))
        else:
            # Refused for good: the check is spent and the waiting launch goes.
            session.delete(row)
    problem = platform_storage.reported_problem(request.form.get("problem", ""))
    log_event("platform_storage_check", outcome="match" if matches else "mismatch")
    if not matches:
        raise LtiError(
            "storage_mismatch",
            f"platform storage did not return the login's state and nonce (page: {problem})",
            403,
        )
    return redirect(target, 303)


def activity_endpoint(curriculum: Curriculum, activity: str) -> tuple[str, dict[str, str]]:
    """The page (endpoint, arguments) for a content id (`m01`, `m01.l01`, `m01.quiz`,
    `m01.ws.x`; empty: the programme)."""
    activity = activity.strip()
    if not activity:
        return "learn.programme", {}
    if curriculum.project is not None and activity == curriculum.project.id:
        return "project.overview", {}
    module_id = activity.split(".")[0]
    try:
        module = curriculum.module(module_id)
    except KeyError:
        raise ToolError("not_found", f"unknown activity {activity!r}", 404) from None
    if activity == module.id:
        return "learn.module", {"module_id": module.id}
    if activity == module.quiz.id:
        return "learn.quiz", {"quiz_id": activity}
    if any(lesson.id == activity for lesson in module.lessons):
        return "learn.lesson", {"lesson_id": activity}
    if any(workshop.id == activity for workshop in module.workshops):
        return "learn.workshop", {"workshop_id": activity}
    raise ToolError("not_found", f"unknown activity {activity!r}", 404)


@blueprint.get("/jwks")
def jwks() -> Response:
    """The tool's public keys, for the platform to verify what we sign."""
    settings = _settings()
    grace = timedelta(days=settings.key_grace_days)
    response = jsonify(keys.jwks(settings.instance, grace))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- Deep linking -------------------------------------------------------------------------


def deep_link_choices(curriculum: Curriculum, lang: str) -> list[tuple[str, str, str, int | None]]:
    """(activity id, title, description, score maximum or None) for every linkable activity."""
    choices: list[tuple[str, str, str, int | None]] = [
        ("", translate("whole_programme", lang), curriculum.programme.summary.get(lang), None)
    ]
    for module in curriculum.modules:
        # A module's link gets a gradebook column: its validation is sent there (100/100).
        choices.append((module.id, module.title.get(lang), module.summary.get(lang), 100))
        for lesson in module.lessons:
            choices.append((lesson.id, lesson.title.get(lang), "", None))
        choices.append((module.quiz.id, module.quiz.title.get(lang), "", module.quiz.max_points))
        for workshop in module.workshops:
            rubric_points = sum(line.points for line in workshop.rubric) or None
            choices.append(
                (workshop.id, workshop.title.get(lang), workshop.summary.get(lang), rubric_points)
            )
    if curriculum.project is not None:
        # The jury's decision is sent to the project link's column (out of 100).
        choices.append((curriculum.project.id, curriculum.project.title.get(lang), "", 100))
    return choices


@blueprint.route("/deep-link", methods=["GET", "POST"])
@requires_launch
def deep_link() -> Any:
    """Let the trainer pick activities, then post the signed selection back to the LMS."""
    launch: Launch = g.launch
    if launch.message_type != DEEP_LINKING_REQUEST or not g.trainer:
        raise ToolError("forbidden", "deep linking needs a trainer's deep-linking launch", 403)
    choices = deep_link_choices(current_curriculum(), g.lang)
    if not form_posted():
        return render_template("lti/deep_link.html", choices=choices, error=False)
    picked = request.form.getlist("activity")
    by_id = {c[0]: c for c in choices}
    items = [_content_item(by_id[a]) for a in picked if a in by_id]
    if not items:
        return render_template("lti/deep_link.html", choices=choices, error=True), 400
    platform = g.db.get(Platform, launch.platform_id)
    return_url, jwt_value = _adapter(g.db).deep_linking_response(launch.claims, platform, items)
    response = Response(
        render_template("lti/deep_link_return.html", return_url=return_url, jwt=jwt_value)
    )
    # The form goes to the platform, so this page's policy must allow that one target.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(return_url))
    response.headers["Content-Security-Policy"] = current_app.config["CSP"](
        form_action=f"'self' {origin}"
    )
    return response


def _content_item(choice: tuple[str, str, str, int | None]) -> ContentItem:
    activity, title, text, score_maximum = choice
    base = _settings().base_url
    return ContentItem(
        url=f"{base}/lti/launch",
        title=title,
        text=text,
        custom={"activity": activity} if activity else {},
        score_maximum=score_maximum,
        label=title,
        resource_id=activity or "programme",
        tag=_kind(activity),
    )


def _kind(activity: str) -> str:
    """The line item tag: what kind of activity this is."""
    if not activity:
        return "programme"
    if activity == "projet":
        return "project"
    if activity.endswith(".quiz"):
        return "quiz"
    if ".ws." in activity:
        return "workshop"
    return "lesson" if ".l" in activity else "module"


def init_lti(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.extensions["ambassadeurs.login_states"] = LoginStates(
        app.config["SECRET_KEY"], STATE_LIFETIME_SECONDS
    )
