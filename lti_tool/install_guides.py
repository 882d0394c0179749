"""The `install` blueprint: per-LMS pages with the exact values to paste, generated from
this instance's URLs, and the configuration in Canvas's developer-key JSON format."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request

from lti_tool.dynamic_registration import TOOL_SCOPES
from lti_tool.language import asked_language
from lti_tool.registration import TOOL
from lti_tool.urls import ToolUrls, tool_urls

blueprint = Blueprint("install", __name__, url_prefix="/install")

GUIDES = {
    "moodle": "Moodle",
    "canvas": "Canvas",
    "brightspace": "Brightspace (D2L)",
    "blackboard": "Blackboard Learn (Anthology)",
    "openedx": "Open edX",
}


def _urls() -> ToolUrls:
    return tool_urls(current_app.config["SETTINGS"].base_url)


@blueprint.before_request
def _language() -> None:
    # A public page: the browser's language, or the one picked with the page's switch.
    g.lang = asked_language(current_app.config["SETTINGS"].default_language)


def _kept_language() -> dict[str, str]:
    """The `lang` parameter for links between guides, when it was picked with the switch."""
    return {"lang": g.lang} if request.args.get("lang") == g.lang else {}


@blueprint.get("/")
def index() -> str:
    return render_template("install/index.html", guides=GUIDES, urls=_urls(), keep=_kept_language())


@blueprint.get("/<lms>")
def guide(lms: str) -> str:
    if lms not in GUIDES:
        abort(404)
    urls = _urls()
    return render_template(
        f"install/{lms}.html",
        guides=GUIDES,
        lms=lms,
        title=GUIDES[lms],
        urls=urls,
        domain=urlsplit(urls.launch).netloc,
        scopes=TOOL_SCOPES,
        https=urls.launch.startswith("https://"),
        keep=_kept_language(),
    )


def canvas_configuration(urls: ToolUrls) -> dict[str, Any]:
    """The tool as Canvas's developer key JSON ("LTI Key › Method: Paste JSON / Enter URL")."""
    domain = urlsplit(urls.launch).netloc
    placements = [
        {
            "placement": placement,
            "message_type": "LtiDeepLinkingRequest",
            "target_link_uri": urls.launch,
            "text": TOOL.name_fr,
        }
        for placement in ("link_selection", "assignment_selection")
    ]
    return {
        "title": TOOL.name_fr,
        "description": f"{TOOL.description_fr} / {TOOL.description_en}",
        "oidc_initiation_url": urls.login,
        "target_link_uri": urls.launch,
        "redirect_uris": [urls.launch],
        "public_jwk_url": urls.jwks,
        "scopes": list(TOOL_SCOPES),
        "extensions": [
            {
                "platform": "canvas.instructure.com",
                "domain": domain,
                "tool_id": "ambassadeurs-nr",
                "privacy_level": "name_only",
                "settings": {"text": TOOL.name_fr, "placements": placements},
            }
        ],
        "custom_fields": {},
    }


@blueprint.get("/canvas.json")
def canvas_json() -> Response:
    response = jsonify(canvas_configuration(_urls()))
    response.headers["Cache-Control"] = "no-cache"
    return response
