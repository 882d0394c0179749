"""Conditional pages: an ETag on every HTML page, so a revisit costs a 304, not the page.

Session and CSRF tokens are stable for a few minutes (learner_session.TOKEN_WINDOW_SECONDS),
so the same page asked twice is the same bytes. Launched pages are personal: `private`.
"""

from __future__ import annotations

from flask import Flask, Response, request

from lti_tool.learner_session import SESSION_PARAM


def conditional_page(response: Response) -> Response:
    """Weak ETag on a GET HTML page, and 304 when the browser already has it."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or response.direct_passthrough
    ):
        return response
    if "Cache-Control" not in response.headers:
        personal = SESSION_PARAM in request.args or request.cookies
        response.headers["Cache-Control"] = "private, no-cache" if personal else "no-cache"
    response.add_etag(weak=True)
    return response.make_conditional(request)


def init_http_cache(app: Flask) -> None:
    app.after_request(conditional_page)
