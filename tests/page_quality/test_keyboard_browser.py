"""A learner with a keyboard only, with and without JavaScript: the skip link comes first
and leads to the content, every stop shows its focus, and a quiz is answered and sent
with Tab, Space and Enter."""

from __future__ import annotations

from typing import Any

import pytest

from course_content.loader import load_curriculum
from tests.page_quality.lti_pages import LOCALES, launch, lti_page_types
from tests.page_quality.measure import Meter

QUIZ = next(p for p in lti_page_types(load_curriculum()) if p.name == "quiz")
MAX_TABS = 600

_FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {tag: e.tagName, type: e.type || '', cls: e.className, id: e.id,
          outline: style.outlineStyle, checked: !!e.checked,
          send: e.matches('main form button[type=submit]')};
}"""


def _tab_to(page: Any, wanted: Any) -> dict[str, Any]:
    """Presses Tab until the focused element is `wanted`; each stop must show its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused: dict[str, Any] = page.evaluate(_FOCUSED)
        assert focused["outline"] != "none", focused
        if wanted(focused):
            return focused
    raise AssertionError("never reached with Tab")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])
def test_a_quiz_is_answered_and_sent_with_the_keyboard_only(
    browser: Any, shipped_tool: str, javascript: bool
) -> None:
    meter = Meter(browser, LOCALES["fr"], javascript=javascript)
    try:
        page = meter.page
        launch(page, shipped_tool, QUIZ, "fr")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Tab")
        skip = page.evaluate(_FOCUSED)
        assert "lien-evitement" in skip["cls"] and skip["outline"] != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "contenu"
        radio = _tab_to(page, lambda f: f["type"] == "radio")
        page.keyboard.press("Space")
        assert page.evaluate(_FOCUSED)["checked"], radio
        _tab_to(page, lambda f: f["send"])
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/learn/" in page.url
        assert page.locator("main").get_by_text("%").count() > 0  # the score is shown
    finally:
        meter.close()
