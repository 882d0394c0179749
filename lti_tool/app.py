"""The Flask application factory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, g
from flask.sessions import SessionInterface, SessionMixin
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from course_content.loader import load_curriculum
from lti_tool import (
    admin,
    assets,
    certificates,
    demo_platform,
    health,
    home,
    install_guides,
    keys,
    learn,
    project,
    registration,
    teach,
)
from lti_tool.compression import init_compression
from lti_tool.config import Settings, load_settings
from lti_tool.database import make_engine
from lti_tool.errors import init_errors
from lti_tool.http_cache import init_http_cache
from lti_tool.instance import ensure_instance, secret_key
from lti_tool.language import vary_on_browser_language
from lti_tool.launched_pages import init_launched_pages
from lti_tool.lti import init_lti
from lti_tool.messages import translate
from lti_tool.platforms import platform_origins
from lti_tool.request_log import init_request_log
from lti_tool.shared_cache import make_cache

FRAME_ANCESTORS_TTL_SECONDS = 30


def content_security_policy(frame_ancestors: str, form_action: str = "'self'") -> str:
    """The policy: no inline script or style anywhere, so it can stay this strict."""
    return (
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
        f"form-action {form_action}; base-uri 'none'; frame-ancestors {frame_ancestors}"
    )


class NoCookieSession(SessionInterface):
    """Flask's session is never used: a launch's session travels in links and forms
    (learner_session.py), an administrator's in its own cookie (admin.py). Flask opens no
    cookie session (it would cost every request a serializer), and writing to one fails."""

    def open_session(self, app: Flask, request: Request) -> None:
        return None  # Flask then uses its null session, which refuses any write

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None


def create_app(settings: Settings | None = None) -> Flask:
    """Build the application from `settings` (by default: defaults < config.json < env)."""
    settings = settings or load_settings()
    instance = ensure_instance(settings)
    app = Flask(__name__, instance_path=str(instance), static_folder=None)
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=secret_key(settings),
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
    )
    app.session_interface = NoCookieSession()
    if settings.proxy_fix:
        n = settings.proxy_fix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    content_root = Path(settings.content_path) if settings.content_path else None
    app.extensions["ambassadeurs.curriculum"] = load_curriculum(content_root)
    engine = make_engine(settings.sqlalchemy_url)
    app.extensions["ambassadeurs.engine"] = engine
    # A launch may be lost in a crash (the learner opens the activity again): its commit
    # does not wait for the disk.
    launch_engine = make_engine(settings.sqlalchemy_url, wait_for_disk=False)
    app.extensions["ambassadeurs.launch_engine"] = launch_engine
    cache, redis = make_cache(settings.redis_url, settings.http_timeout_seconds)
    app.extensions["ambassadeurs.cache"] = cache
    if redis is not None:
        app.extensions["ambassadeurs.redis"] = redis
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    keys.ensure_signing_key(instance)

    ancestors: dict[str, Any] = {"value": "'self'", "at": 0.0}

    def frame_ancestors() -> str:
        # The LMS pages that may embed the tool: the registered platforms' origins.
        if time.monotonic() - ancestors["at"] > FRAME_ANCESTORS_TTL_SECONDS:
            ancestors["value"] = " ".join(["'self'", *platform_origins(engine)])
            ancestors["at"] = time.monotonic()
        return str(ancestors["value"])

    def csp(form_action: str = "'self'", frame_ancestors_override: str | None = None) -> str:
        return content_security_policy(frame_ancestors_override or frame_ancestors(), form_action)

    app.config["CSP"] = csp
    app.extensions["ambassadeurs.reset_frame_ancestors"] = lambda: ancestors.update(at=0.0)

    # First registered, last run: ETags on the page as rendered, then gzip.
    init_compression(app)
    init_http_cache(app)
    assets.init_assets(app)
    init_request_log(app)
    init_errors(app)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(home.blueprint)
    init_launched_pages(app)
    init_lti(app)
    app.register_blueprint(learn.blueprint)
    app.register_blueprint(project.blueprint)
    app.register_blueprint(certificates.blueprint)
    app.register_blueprint(teach.blueprint)
    app.register_blueprint(registration.blueprint)
    app.register_blueprint(install_guides.blueprint)
    app.register_blueprint(admin.blueprint)
    if demo_platform.enabled(settings):
        demo_platform.init_demo(app)

    @app.context_processor
    def _translations() -> dict[str, Any]:
        lang = str(g.get("lang", settings.default_language))
        return {
            "_": lambda key, **values: translate(key, lang).format(**values),
            # Messages holding the catalogue's own markup; the values put in are escaped.
            "_html": lambda key, **values: Markup(translate(key, lang)).format(**values),  # noqa: S704
            "lang": lang,
            # ` lang="fr"` on the element of a content text shown in French on an English
            # page (the content has no English for it).
            "lang_attr": lambda text: Markup(text.lang_attribute(lang)),  # noqa: S704
        }

    app.after_request(vary_on_browser_language)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", csp())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response

    return app
