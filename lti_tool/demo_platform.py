"""A built-in demo LMS, so a newcomer sees the product without installing one.

It runs the platform side of LTI 1.3 with the `lti1p3platform` package, mounted under
/demo in the tool's own app, and is registered like any platform. It only ever runs
when the tool's base URL is a loopback address: a production instance never has it.
"""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Blueprint, Flask, Response, current_app, g, redirect, render_template, request
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request, TRequest
from sqlalchemy.orm import Session

from lti_tool import keys
from lti_tool.config import Settings
from lti_tool.instance import write_private_file
from lti_tool.language import browser_language
from lti_tool.platforms import PlatformSpec, add_platform

CLIENT_ID = "demo-tool"
DEPLOYMENT_ID = "demo"
KEY_FILE = "demo_platform_key.pem"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
TRAINER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
USERS = {
    "learner": ("demo-learner", LEARNER_ROLE, "Camille Apprenante"),
    "trainer": ("demo-trainer", TRAINER_ROLE, "Dominique Formatrice"),
}

blueprint = Blueprint("demo", __name__, url_prefix="/demo")


def enabled(settings: Settings) -> bool:
    """On only when asked for and the tool is served on a loopback address."""
    host = urlsplit(settings.base_url).hostname or ""
    return settings.demo_platform and host in ("127.0.0.1", "localhost", "::1")


def issuer(settings: Settings) -> str:
    return f"{settings.base_url}/demo"


def _platform_key(settings: Settings) -> str:
    path = settings.instance / KEY_FILE
    if not path.exists():
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        with contextlib.suppress(FileExistsError):
            write_private_file(path, pem)
    return path.read_text(encoding="utf-8")


class DemoPlatformConf(LTI1P3PlatformConfAbstract):
    """The demo LMS's one registration of the tool."""

    def init_platform_config(self, **kwargs: Any) -> None:
        settings: Settings = kwargs["settings"]
        private_pem = _platform_key(settings)
        public_pem = (
            serialization.load_pem_private_key(private_pem.encode(), password=None)
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        tool_jwks = keys.jwks(settings.instance, timedelta(days=settings.key_grace_days))
        self._registration = (
            Registration()
            .set_iss(issuer(settings))
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_oidc_login_url(f"{settings.base_url}/lti/login")
            .set_launch_url(f"{settings.base_url}/lti/launch")
            .set_deeplink_launch_url(f"{settings.base_url}/lti/launch")
            .set_platform_public_key(public_pem)
            .set_platform_private_key(private_pem)
            .set_tool_key_set(tool_jwks)  # type: ignore[arg-type]
        )

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        assert self._registration is not None
        return self._registration


class _FlaskRequest(Request):
    """lti1p3platform ships Django and FastAPI adapters only."""

    def build_metadata(self, request: Any) -> TRequest:
        return {
            "method": request.method,
            "form_data": request.form.to_dict(),
            "get_data": request.args.to_dict(),
            "headers": request.headers,
            "content_type": request.content_type,
            "path": request.path,
            "json": None,
        }


class _DemoLaunch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> str:
        return render_template(
            "demo/auto_post.html",
            action=launch_data["launch_url"],
            fields={"id_token": launch_data["id_token"], "state": launch_data["state"]},
        )


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


@blueprint.get("/start")
def start() -> Response:
    """Begin a launch as the demo LMS would: send the browser to the tool's login URL."""
    settings = _settings()
    role = request.args.get("role", "learner")
    mode = request.args.get("mode", "launch")
    if role not in USERS or mode not in ("launch", "deep_link"):
        return Response("rôle ou mode inconnu / unknown role or mode", 400)
    hint = json.dumps(
        {
            "mode": mode,
            "activity": request.args.get("activity", ""),
            "lang": request.args.get("lang", "fr"),
        }
    )
    params = {
        "iss": issuer(settings),
        "target_link_uri": f"{settings.base_url}/lti/launch",
        "login_hint": role,
        "lti_message_hint": hint,
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT_ID,
    }
    return redirect(f"{settings.base_url}/lti/login?{urlencode(params)}", 302)


@blueprint.get("/auth")
def auth() -> Any:
    """The demo LMS's OIDC authorization endpoint: sign an id_token, post it to the tool."""
    settings = _settings()
    conf = DemoPlatformConf(settings=settings)
    launch = _DemoLaunch(_FlaskRequest(request), conf)
    launch.set_id_token_expiration(60)  # what Moodle does
    user_id, role, name = USERS.get(request.args.get("login_hint", ""), USERS["learner"])
    launch.set_user_data(user_id, [role], full_name=name)
    try:
        hint = json.loads(request.args.get("lti_message_hint", "{}"))
    except ValueError:
        hint = {}
    g.lang = "en" if hint.get("lang") == "en" else "fr"  # the auto-posted page's language
    launch.set_launch_context_claim(
        "demo-course", ["CourseSection"], "Cours de démonstration", "DEMO"
    )
    launch.set_extra_claims(
        {
            "https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {
                "document_target": "iframe",
                "locale": "en" if hint.get("lang") == "en" else "fr",
            }
        }
    )
    if hint.get("mode") == "deep_link":
        launch.set_dl(
            f"{settings.base_url}/demo/deep-link-return",
            title="Ambassadeurs NR",
            accept_types={"ltiResourceLink"},
        )
    else:
        activity = str(hint.get("activity", ""))
        launch.set_resource_link_claim(f"demo-link-{activity or 'programme'}", title="Démo")
        launch.set_custom_parameters_claim({"activity": activity} if activity else {})
    return launch.lti_launch()


@blueprint.post("/deep-link-return")
def deep_link_return() -> str:
    """Where the tool posts its deep-linking response: verify it and show what came back."""
    conf = DemoPlatformConf(settings=_settings())
    items = conf.validate_deeplinking_resp(request.form.to_dict())
    g.lang = browser_language(_settings().default_language)
    return render_template("demo/deep_link_result.html", items=items)


@blueprint.get("/jwks")
def jwks() -> Response:
    """The demo LMS's public key."""
    conf = DemoPlatformConf(settings=_settings())
    conf.get_registration()
    return Response(json.dumps(conf.get_jwks()), mimetype="application/json")


def register_demo(settings: Settings, session: Session) -> None:
    """Register the demo LMS in the platform registry (idempotent)."""
    add_platform(
        session,
        PlatformSpec(
            issuer=issuer(settings),
            client_id=CLIENT_ID,
            auth_login_url=f"{settings.base_url}/demo/auth",
            auth_token_url=f"{settings.base_url}/demo/token",
            key_set_url=f"{settings.base_url}/demo/jwks",
            name="Démo intégrée / built-in demo",
            deployment_ids=(DEPLOYMENT_ID,),
        ),
    )


def init_demo(app: Flask) -> None:
    settings: Settings = app.config["SETTINGS"]
    with Session(app.extensions["ambassadeurs.engine"]) as session, session.begin():
        register_demo(settings, session)
    app.register_blueprint(blueprint)
    app.config["DEMO_PLATFORM"] = True
