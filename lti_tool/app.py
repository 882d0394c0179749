"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response

from course_content.loader import load_curriculum
from lti_tool import assets, home
from lti_tool.config import Settings, load_settings
from lti_tool.database import make_engine
from lti_tool.instance import ensure_instance, secret_key

# No inline script or style anywhere: the policy can stay this strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)


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
    content_root = Path(settings.content_path) if settings.content_path else None
    app.extensions["ambassadeurs.curriculum"] = load_curriculum(content_root)
    app.extensions["ambassadeurs.engine"] = make_engine(settings.sqlalchemy_url)

    assets.init_assets(app)
    app.register_blueprint(home.blueprint)
    app.after_request(_security_headers)
    return app


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response
