"""The tool's public URLs, as an LMS administrator registers them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolUrls:
    home: str
    login: str
    launch: str
    jwks: str
    register: str
    """LTI Dynamic Registration: the one URL to paste into Moodle, Canvas or Brightspace."""
    canvas_json: str
    """The configuration in Canvas's developer-key JSON format."""


def tool_urls(base_url: str) -> ToolUrls:
    return ToolUrls(
        home=f"{base_url}/",
        login=f"{base_url}/lti/login",
        launch=f"{base_url}/lti/launch",
        jwks=f"{base_url}/lti/jwks",
        register=f"{base_url}/lti/register",
        canvas_json=f"{base_url}/install/canvas.json",
    )
