"""Refusals and failures as a short page in the learner's language, with a reference id.

The reference is also in the log line that holds the technical detail, so the LMS
administrator and the tool's administrator can find each other's half. Never a stack
trace in a response.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, g, render_template, request
from werkzeug.exceptions import HTTPException

from lti_tool.language import browser_language
from lti_tool.lti_adapter import LtiError, unverified_locale
from lti_tool.messages import language_of

log = logging.getLogger("lti_tool.errors")
# Pages reached through a launch from an LMS: their errors point back to the LMS.
LAUNCHED_PREFIXES = ("/lti/", "/learn/", "/project/", "/teach/")


class ToolError(Exception):
    """A refusal outside the protocol (expired session, bad form, unknown activity)."""

    def __init__(self, code: str, detail: str, status: int) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status


def _language() -> str:
    if "lang" in g:
        return str(g.lang)
    default = "fr"
    id_token = request.form.get("id_token", "") if request.method == "POST" else ""
    locale = unverified_locale(id_token) if id_token else ""
    return language_of(locale, default) if locale else browser_language(default)


def error_page(
    code: str, status: int, detail: str, values: dict[str, str] | None = None
) -> tuple[str, int]:
    """Log `detail` under a new reference and render the page for `code` (its message
    names `values`)."""
    reference = secrets.token_hex(4).upper()
    log.warning(
        "ref=%s status=%s code=%s path=%s: %s", reference, status, code, request.path, detail
    )
    g.lang = _language()
    page = render_template(
        "error.html",
        code=code,
        reference=reference,
        values=values or {},
        launched=request.path.startswith(LAUNCHED_PREFIXES),
    )
    return page, status


def init_errors(app: Flask) -> None:
    """Route every refusal and failure to the error page."""

    @app.errorhandler(LtiError)
    def _lti_error(error: LtiError) -> tuple[str, int]:
        return error_page(error.code, error.status, error.detail, error.values)

    @app.errorhandler(ToolError)
    def _tool_error(error: ToolError) -> tuple[str, int]:
        return error_page(error.code, error.status, error.detail)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        code = {404: "not_found", 403: "forbidden", 401: "session_expired"}.get(
            status, "launch_invalid" if status < 500 else "server_error"
        )
        return error_page(code, status, f"{error.name}: {error.description}")

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        reference_page = error_page("server_error", 500, repr(error))
        log.exception("unexpected error (see the reference logged just above)")
        return reference_page
