"""The language of a page without a launch: the browser's, among those the tool speaks."""

from __future__ import annotations

from flask import Response, g, has_request_context, request

from lti_tool.messages import language_of

LANGUAGES = ("fr", "en")


def browser_language(default: str = "fr") -> str:
    """`fr` or `en` from the request's Accept-Language (`default` when it names neither)."""
    if not has_request_context():
        return default
    g.language_from_browser = True  # the response depends on the header: see Vary below
    return language_of(request.accept_languages.best_match(LANGUAGES), default)


def vary_on_browser_language(response: Response) -> Response:
    """A page whose language came from Accept-Language says so to caches (`Vary`)."""
    if g.get("language_from_browser"):
        response.vary.add("Accept-Language")
    return response


def asked_language(default: str = "fr") -> str:
    """`?lang=fr` or `?lang=en` where a page offers the switch, else the browser's language."""
    asked = request.args.get("lang", "") if has_request_context() else ""
    return asked if asked in LANGUAGES else browser_language(default)
