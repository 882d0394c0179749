"""Checks that a page speaks one language: its `<html lang>` and none of the other
language's words from the administrator pages' catalogue."""

from __future__ import annotations

import html
import re

from lti_tool.operator_messages import ADMIN_MESSAGES, INSTALL_MESSAGES, REGISTRATION_MESSAGES

OPERATOR_MESSAGES = ADMIN_MESSAGES | INSTALL_MESSAGES | REGISTRATION_MESSAGES


def visible_text(page: str) -> str:
    """The page's text, tags removed and entities decoded (what a reader sees)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _phrases(message: str) -> list[str]:
    """The message's literal runs long enough to tell one language from the other."""
    text = visible_text(message)
    return [run.strip() for run in re.split(r"\{\w+\}", text) if len(run.strip()) >= 8]


def other_language_phrases(page: str, lang: str) -> list[str]:
    """Phrases of the catalogue, in the language that is not `lang`, found in the page."""
    text = visible_text(page)
    mine = 1 if lang == "en" else 0
    # An LMS's own English terms ("Keyset URL") are quoted in French messages too.
    my_words = "\n".join(visible_text(pair[mine]) for pair in OPERATOR_MESSAGES.values())
    found = []
    for pair in OPERATOR_MESSAGES.values():
        for phrase in _phrases(pair[1 - mine]):
            if phrase in text and phrase not in my_words:
                found.append(phrase)
    return found


def assert_in_one_language(page: str, lang: str) -> None:
    assert f'<html lang="{lang}">' in page, page[:200]
    assert '<span lang="' not in page, "a bilingual fragment is left"
    found = other_language_phrases(page, lang)
    assert found == [], f"words of the other language in a page in {lang}: {found}"
