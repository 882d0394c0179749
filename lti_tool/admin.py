"""The `admin` blueprint: the tool administrator's pages (platforms and deployments, keys,
grade outbox, health), behind a sign-in.

These pages are first-party (never in an LMS iframe), so a cookie is fine here: it holds a
random token whose hash names a server-side session (idle timeout, maximum age, logout
ends it), HttpOnly, SameSite=Lax, Secure over https (plain http works on 127.0.0.1 for the
embedded default). Every form carries the session's CSRF token; the sign-in form a
double-submit token. Sign-in failures are rate-limited per user name and per address.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from lti_tool import admin_accounts, grade_outbox, keys
from lti_tool.config import Settings
from lti_tool.grade_worker import notify_new_scores
from lti_tool.language import browser_language
from lti_tool.messages import translate
from lti_tool.models import Deployment, Platform
from lti_tool.operator_messages import ADMIN_MESSAGES
from lti_tool.platforms import (
    POLICIES,
    STATUSES,
    PlatformError,
    PlatformSpec,
    add_platform,
    list_platforms,
    remove_deployment,
    remove_platform,
    set_deployment_policy,
    set_deployment_status,
    set_platform_status,
)
from lti_tool.request_log import log_event
from lti_tool.urls import tool_urls

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

SESSION_COOKIE = "ambassadeurs_admin"
LOGIN_COOKIE = "ambassadeurs_admin_login"
CSRF_FIELD = "csrf_token"

# Confirmations shown after an action, as catalogue keys (a fixed list: nothing from the URL
# is echoed).
NOTICES = {
    done: f"admin_done_{done}"
    for done in (
        "added",
        "approved",
        "disabled",
        "pending",
        "removed",
        "policy",
        "deployment_added",
        "rotated",
        "retried",
    )
}


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


def _engine() -> Engine:
    engine: Engine = current_app.extensions["ambassadeurs.engine"]
    return engine


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _refuse(status: int, title: str, message: str) -> Response:
    """A refusal page; `title` and `message` are catalogue keys."""
    return Response(render_template("admin/refused.html", title=title, message=message), status)


@blueprint.before_request
def _language() -> None:
    # First-party pages without a launch: the browser's language (French by default).
    g.lang = browser_language(_settings().default_language)


@blueprint.after_request
def _first_party_only(response: Response) -> Response:
    # Never framed (clickjacking), never cached (the pages show registrations and keys).
    response.headers["Content-Security-Policy"] = current_app.config["CSP"](
        frame_ancestors_override="'none'"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path="/admin",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only for a live session; POST forms must carry its CSRF token."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        idle = timedelta(minutes=_settings().admin_session_minutes)
        with Session(_engine()) as session, session.begin():
            admin = admin_accounts.resume_session(
                session, request.cookies.get(SESSION_COOKIE), idle, _now()
            )
        if admin is None:
            if request.method == "GET":
                return redirect(url_for("admin.login", next=request.path), 303)
            return _refuse(401, "admin_session_ended", "admin_session_ended_text")
        if request.method == "POST" and not hmac.compare_digest(
            request.form.get(CSRF_FIELD, ""), admin.csrf_token
        ):
            return _refuse(400, "admin_form_refused", "admin_form_refused_text")
        g.admin = admin
        g.admin_csrf = admin.csrf_token
        return view(*args, **kwargs)

    return wrapper


# --- Sign in and out ------------------------------------------------------------------------


@blueprint.get("/login")
def login() -> Response:
    return _login_page(200, error=None)


def _login_page(status: int, error: str | None) -> Response:
    """The sign-in form; `error` is a catalogue key."""
    nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    nxt = request.values.get("next", "")
    response = Response(
        render_template("admin/login.html", login_csrf=nonce, error=error, next=nxt), status
    )
    _set_cookie(response, LOGIN_COOKIE, nonce)
    return response


def _safe_next(target: str) -> str:
    # Only back to an admin page of this site (no open redirect).
    if target.startswith("/admin/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.index")


@blueprint.post("/login")
def login_submit() -> Response:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not hmac.compare_digest(request.form.get(CSRF_FIELD, ""), cookie):
        return _login_page(400, "admin_login_expired")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    limits = [f"user:{username.lower()}", f"addr:{request.remote_addr}"]
    with Session(_engine()) as session, session.begin():
        if admin_accounts.too_many_failures(session, limits, _now()):
            log_event("admin_login_throttled", username=username[:100])
            return _login_page(429, "admin_login_throttled")
        account = admin_accounts.authenticate(session, username, password)
        if account is None:
            admin_accounts.record_failure(session, limits, _now())
            log_event("admin_login_failed", username=username[:100])
            failed = True
        else:
            token = admin_accounts.open_session(session, account, _now())
            failed = False
    if failed:
        return _login_page(401, "admin_login_failed")
    log_event("admin_login", username=username[:100])
    response = redirect(_safe_next(request.form.get("next", "")), 303)
    _set_cookie(response, SESSION_COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path="/admin")
    return response


@blueprint.post("/logout")
@signed_in
def logout() -> Response:
    with Session(_engine()) as session, session.begin():
        admin_accounts.close_session(session, request.cookies.get(SESSION_COOKIE))
    response = redirect(url_for("admin.login"), 303)
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response


# --- Health summary -----------------------------------------------------------------------------


@blueprint.get("/")
@signed_in
def index() -> str:
    settings = _settings()
    database_ok = True
    counts: dict[str, int] = {}
    pending_deployments = 0
    try:
        with Session(_engine()) as session:
            session.execute(text("SELECT 1"))
            for status, count in session.execute(
                select(Platform.status, func.count()).group_by(Platform.status)
            ):
                counts[str(status)] = int(count)
            pending_deployments = int(
                session.scalar(
                    select(func.count())
                    .select_from(Deployment)
                    .where(Deployment.status == "pending")
                )
                or 0
            )
    except SQLAlchemyError:
        current_app.logger.warning("admin health: database unreachable", exc_info=True)
        database_ok = False
    tool_keys = keys.load_keys(settings.instance)
    published = keys.jwks(settings.instance, timedelta(days=settings.key_grace_days))["keys"]
    signing = tool_keys[-1] if tool_keys else None
    return render_template(
        "admin/index.html",
        database_ok=database_ok,
        counts=counts,
        pending_deployments=pending_deployments,
        signing=signing,
        signing_age_days=(datetime.now(UTC) - signing.created).days if signing else None,
        published=len(published),
        settings=settings,
        https=settings.base_url.startswith("https://"),
        urls=tool_urls(settings.base_url),
        outbox=_outbox_counts(),
    )


def _outbox_counts() -> dict[str, int] | None:
    """The grade outbox's counts per state (None when the database does not answer)."""
    try:
        with Session(_engine()) as session:
            return grade_outbox.outbox_counts(session)
    except SQLAlchemyError:
        return None


# --- Platforms and deployments ------------------------------------------------------------------


def _notice() -> str | None:
    return NOTICES.get(request.args.get("done", ""))


@blueprint.get("/platforms")
@signed_in
def platforms() -> str:
    with Session(_engine()) as session:
        rows = list_platforms(session)
        return render_template(
            "admin/platforms.html",
            platforms=rows,
            statuses=STATUSES,
            policies=POLICIES,
            notice=_notice(),
        )


FORM_FIELDS = (
    "name",
    "issuer",
    "client_id",
    "auth_login_url",
    "auth_token_url",
    "key_set_url",
    "auth_audience",
    "deployment_ids",
    "deployment_policy",
)


@blueprint.route("/platforms/new", methods=["GET", "POST"])
@signed_in
def platform_new() -> Any:
    values = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    if request.method == "GET":
        values["deployment_policy"] = _settings().deployment_policy
        return render_template("admin/platform_new.html", values=values, error=None, invalid=())
    spec = PlatformSpec(
        issuer=values["issuer"],
        client_id=values["client_id"],
        auth_login_url=values["auth_login_url"],
        auth_token_url=values["auth_token_url"],
        key_set_url=values["key_set_url"],
        name=values["name"],
        deployment_ids=tuple(d for d in values["deployment_ids"].replace(",", " ").split() if d),
        auth_audience=values["auth_audience"] or None,
        source="admin",
        deployment_policy=values["deployment_policy"] or _settings().deployment_policy,
    )
    try:
        with Session(_engine()) as session, session.begin():
            platform, _ = add_platform(session, spec)
            platform_id = platform.id
    except PlatformError as error:
        page = render_template(
            "admin/platform_new.html",
            values=values,
            error=_platform_error(error),
            invalid=_invalid_fields(error),
        )
        return page, 400
    current_app.extensions["ambassadeurs.reset_frame_ancestors"]()
    log_event("admin_platform_added", platform_id=platform_id, admin=g.admin.username)
    return redirect(url_for("admin.platforms", done="added"), 303)


def _platform_error(error: PlatformError) -> str:
    """Why the platform cannot be added, in the page's language."""
    key = f"platform_error_{error.code}"
    if key not in ADMIN_MESSAGES:
        return str(error)
    label = translate(f"admin_field_{error.field}", g.lang) if error.field else ""
    return translate(key, g.lang).format(field=label, value=error.value)


def _invalid_fields(error: PlatformError) -> tuple[str, ...]:
    """The form fields the error is about (all of them when it does not say)."""
    if error.code == "required":
        return ("issuer", "client_id")
    if error.field in FORM_FIELDS:
        return (error.field,)
    return FORM_FIELDS


def _done(action: str, notice: str, **fields: Any) -> Response:
    log_event(f"admin_{action}", admin=g.admin.username, **fields)
    current_app.extensions["ambassadeurs.reset_frame_ancestors"]()
    return redirect(url_for("admin.platforms", done=notice), 303)


@blueprint.post("/platforms/<int:platform_id>/status")
@signed_in
def platform_status(platform_id: int) -> Response:
    status = request.form.get("status", "")
    if status not in STATUSES:
        abort(400)
    with Session(_engine()) as session, session.begin():
        if set_platform_status(session, platform_id, status) is None:
            abort(404)
    return _done("platform_status", status, platform_id=platform_id, status=status)


@blueprint.post("/platforms/<int:platform_id>/policy")
@signed_in
def platform_policy(platform_id: int) -> Response:
    policy = request.form.get("policy", "")
    if policy not in POLICIES:
        abort(400)
    with Session(_engine()) as session, session.begin():
        if set_deployment_policy(session, platform_id, policy) is None:
            abort(404)
    return _done("platform_policy", "policy", platform_id=platform_id, policy=policy)


@blueprint.route("/platforms/<int:platform_id>/remove", methods=["GET", "POST"])
@signed_in
def platform_remove(platform_id: int) -> Any:
    with Session(_engine()) as session, session.begin():
        platform = session.get(Platform, platform_id)
        if platform is None:
            abort(404)
        if request.method == "GET":
            return render_template("admin/platform_remove.html", platform=platform)
        remove_platform(session, platform_id)
    return _done("platform_removed", "removed", platform_id=platform_id)


@blueprint.post("/platforms/<int:platform_id>/deployments")
@signed_in
def deployment_add(platform_id: int) -> Response:
    deployment_id = request.form.get("deployment_id", "").strip()
    if not deployment_id or len(deployment_id) > 255:
        abort(400)
    with Session(_engine()) as session, session.begin():
        platform = session.get(Platform, platform_id)
        if platform is None:
            abort(404)
        spec = PlatformSpec(
            issuer=platform.issuer,
            client_id=platform.client_id,
            auth_login_url=platform.auth_login_url,
            auth_token_url=platform.auth_token_url,
            key_set_url=platform.key_set_url,
            deployment_ids=(deployment_id,),
            source="admin",
            status=platform.status,
            deployment_policy=platform.deployment_policy,
        )
        add_platform(session, spec)
    return _done(
        "deployment_added", "deployment_added", platform_id=platform_id, deployment=deployment_id
    )


@blueprint.post("/platforms/<int:platform_id>/deployments/status")
@signed_in
def deployment_status(platform_id: int) -> Response:
    deployment_id = request.form.get("deployment_id", "")
    status = request.form.get("status", "")
    if status not in STATUSES:
        abort(400)
    with Session(_engine()) as session, session.begin():
        if set_deployment_status(session, platform_id, deployment_id, status) is None:
            abort(404)
    return _done(
        "deployment_status",
        status,
        platform_id=platform_id,
        deployment=deployment_id,
        status=status,
    )


@blueprint.post("/platforms/<int:platform_id>/deployments/remove")
@signed_in
def deployment_remove(platform_id: int) -> Response:
    deployment_id = request.form.get("deployment_id", "")
    with Session(_engine()) as session, session.begin():
        if not remove_deployment(session, platform_id, deployment_id):
            abort(404)
    return _done("deployment_removed", "removed", platform_id=platform_id, deployment=deployment_id)


# --- Keys --------------------------------------------------------------------------------------


@blueprint.get("/keys")
@signed_in
def keys_page() -> str:
    settings = _settings()
    grace = timedelta(days=settings.key_grace_days)
    all_keys = keys.load_keys(settings.instance)
    shown = {k.kid for k in keys.published_keys(all_keys, grace, datetime.now(UTC))}
    return render_template(
        "admin/keys.html",
        keys=list(reversed(all_keys)),
        published=shown,
        grace_days=settings.key_grace_days,
        jwks_url=tool_urls(settings.base_url).jwks,
        notice=NOTICES.get(request.args.get("done", "")),
    )


@blueprint.post("/keys/rotate")
@signed_in
def keys_rotate() -> Response:
    settings = _settings()
    new_key = keys.rotate(settings.instance, timedelta(days=settings.key_grace_days))
    log_event("admin_keys_rotated", admin=g.admin.username, kid=new_key.kid)
    return redirect(url_for("admin.keys_page", done="rotated"), 303)


# --- Grade outbox -------------------------------------------------------------------------------


@blueprint.get("/grades")
@signed_in
def grades() -> str:
    """Grades waiting to be sent and grades that failed, newest first."""
    with Session(_engine()) as session:
        failed = grade_outbox.list_outbox(session, grade_outbox.FAILED, limit=200)
        pending = grade_outbox.list_outbox(session, grade_outbox.PENDING, limit=200)
        counts = grade_outbox.outbox_counts(session)
        names = {row.id: row.name for row in session.execute(select(Platform.id, Platform.name))}
    return render_template(
        "admin/grades.html",
        failed=failed,
        pending=pending,
        counts=counts,
        names=names,
        notice=NOTICES.get(request.args.get("done", "")),
    )


@blueprint.post("/grades/retry")
@signed_in
def grades_retry() -> Response:
    """Queue failed grades again: one (`id`) or all of them."""
    row = request.form.get("id", "")
    ids = [int(row)] if row.isdigit() else None
    with Session(_engine()) as session, session.begin():
        queued = grade_outbox.retry_failed(session, ids)
    notify_new_scores()  # the embedded worker, if any, sends them now
    log_event("admin_grades_retried", admin=g.admin.username, queued=queued)
    return redirect(url_for("admin.grades", done="retried"), 303)
