"""Every page type of the LTI tool, reached through a real launch, in French and in English:
0 axe-core violation (WCAG 2.1 AA), EcoIndex A, ≤ 50 KB and ≤ 6 requests, no layout shift,
no sideways scrolling at 320 px or with the browser's text at 200 %, nothing refused by the
page's own Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

from course_content.loader import load_curriculum
from tests.page_quality.lti_pages import LOCALES, PageType, lti_page_types, visit
from tests.page_quality.measure import Meter

CASES = [(p, lang) for p in lti_page_types(load_curriculum()) for lang in p.languages]


@pytest.mark.parametrize(
    ("page_type", "lang"), CASES, ids=[f"{p.name}-{lang}" for p, lang in CASES]
)
def test_page_is_accessible_light_and_in_the_asked_language(
    browser: Any, shipped_tool: str, page_type: PageType, lang: str
) -> None:
    meter = Meter(browser, LOCALES[lang], javascript=page_type.javascript)
    try:
        report = visit(meter, shipped_tool, page_type, lang)
    finally:
        meter.close()
    assert page_type.lands_on in report.url
    assert report.problems() == [], report.line()
    assert report.lang == lang, f"{report.url} is in {report.lang!r}"
