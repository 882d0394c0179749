"""The language of a page without a launch: the browser's, among those the tool speaks."""

from __future__ import annotations

from flask import has_request_context, request

from lti_tool.messages import language_of

LANGUAGES = ("fr", "en")


def browser_language(default: str = "fr") -> str:
    """`fr` or `en` from the request's Accept-Language (`default` when it names neither)."""
    if not has_request_context():
        return default
    return language_of(request.accept_languages.best_match(LANGUAGES), default)


def asked_language(default: str = "fr") -> str:
    """`?lang=fr` or `?lang=en` where a page offers the switch, else the browser's language."""
    asked = request.args.get("lang", "") if has_request_context() else ""
    return asked if asked in LANGUAGES else browser_language(default)
