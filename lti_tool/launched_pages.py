"""What every page after a launch shares: the launch loaded from the session token (and
the CSRF token checked on a POST), the token in every link and form between those pages,
and the database session closed at the end of the request.

The token and the launch it names are learner_session.py's; this module is their use in
Flask. A page is "launched" when its blueprint is one of `LAUNCHED_BLUEPRINTS` (or it is
lti.deep_link).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from course_content.model import Curriculum
from lti_tool.errors import ToolError
from lti_tool.learner_session import (
    CSRF_PARAM,
    SESSION_PARAM,
    SessionInvalid,
    SessionTokens,
    is_trainer,
    load_launch,
)
from lti_tool.models import Launch

F = TypeVar("F")


def _engine() -> Engine:
    engine: Engine = current_app.extensions["ambassadeurs.engine"]
    return engine


def session_tokens() -> SessionTokens:
    """The application's signer of session and CSRF tokens."""
    tokens: SessionTokens = current_app.extensions["ambassadeurs.session_tokens"]
    return tokens


def requires_launch(view: F) -> F:
    """Load the launch named by the session token; check the CSRF token on POST."""

    @wraps(view)  # type: ignore[arg-type]
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        tokens = session_tokens()
        try:
            launch_id = tokens.launch_id(request.values.get(SESSION_PARAM))
            session = Session(_engine(), expire_on_commit=False)
            g.db = session
            launch = load_launch(session, launch_id)
        except SessionInvalid as error:
            raise ToolError("session_expired", str(error), 401) from None
        if request.method == "POST" and not tokens.check_csrf(
            launch_id, request.form.get(CSRF_PARAM)
        ):
            raise ToolError("form_expired", "missing or wrong CSRF token", 400)
        open_session(launch, tokens)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def open_session(launch: Launch, tokens: SessionTokens) -> None:
    """What a page after a launch knows: the launch, its language and role, fresh tokens."""
    g.launch = launch
    g.lang = launch.locale
    g.trainer = is_trainer(list(launch.roles))
    # Renewed on every page: the session lasts while the learner is active.
    g.ltik = tokens.issue(launch.id)
    g.csrf = tokens.csrf(launch.id)


def form_posted() -> bool:
    """The page's own form was posted (a launch posts too, but only to open the page)."""
    return request.method == "POST" and "landing_url" not in g


def _close_db(_error: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


LAUNCHED_BLUEPRINTS = frozenset({"learn", "project", "teach"})
"""The blueprints whose pages follow a launch (with lti.deep_link)."""


def _add_session_token(endpoint: str, values: dict[str, Any]) -> None:
    # Every link from a launched page to another launched page carries the session token.
    launched = endpoint.partition(".")[0] in LAUNCHED_BLUEPRINTS or endpoint == "lti.deep_link"
    if launched and "ltik" in g:
        values.setdefault(SESSION_PARAM, g.ltik)


def current_curriculum() -> Curriculum:
    """The curriculum the application serves (loaded once, at start)."""
    curriculum: Curriculum = current_app.extensions["ambassadeurs.curriculum"]
    return curriculum


def form_fields() -> Mapping[str, str]:
    """The hidden fields every POST form of a launched page carries."""
    return {SESSION_PARAM: g.ltik, CSRF_PARAM: g.csrf}


def _session_fields() -> dict[str, Any]:
    return {"hidden": form_fields()} if "csrf" in g else {}


def init_launched_pages(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.extensions["ambassadeurs.session_tokens"] = SessionTokens(
        app.config["SECRET_KEY"], settings.session_minutes * 60
    )
    app.context_processor(_session_fields)
    app.teardown_appcontext(_close_db)
    app.url_defaults(_add_session_token)
