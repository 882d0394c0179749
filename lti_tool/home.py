"""The tool's public home page: what an LMS administrator pastes into Moodle."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template

from lti_tool.language import browser_language
from lti_tool.urls import tool_urls

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
def index() -> str:
    curriculum = current_app.extensions["ambassadeurs.curriculum"]
    g.lang = browser_language(current_app.config["SETTINGS"].default_language)
    return render_template(
        "home.html",
        programme_title=curriculum.programme.title.get(g.lang),
        modules=curriculum.modules,
        urls=tool_urls(current_app.config["SETTINGS"].base_url),
        demo=current_app.config.get("DEMO_PLATFORM", False),
    )
