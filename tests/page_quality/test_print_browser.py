"""The print stylesheet, in Chromium's print media: a lesson, the printable fiche and the
certificate page print as their content only (no site header, footer, skip link, buttons
or navigation), with the address of each outside link written out, and fit an A4 page."""

from __future__ import annotations

from typing import Any

import pytest

from course_content.loader import load_curriculum
from tests.page_quality.lti_pages import LOCALES, PageType, lti_page_types, visit
from tests.page_quality.measure import Meter

_BY_NAME = {p.name: p for p in lti_page_types(load_curriculum())}
PRINTED = [
    _BY_NAME["lesson"],
    _BY_NAME["workshop: printable fiche"],
    PageType("certificate page", "public", path="/certificates/AAAA-BBBB-CCCC"),
]
# An A4 sheet is 210 mm wide; with the stylesheet's 1.5 cm margins, 180 mm ≈ 680 CSS px.
A4_CONTENT_PX = 680

_SHOWN_CHROME = """() => [...document.querySelectorAll(
    'header.site, footer.site, nav, .lien-evitement, button, .bouton')]
  .filter(e => getComputedStyle(e).display !== 'none')
  .map(e => e.tagName + '.' + e.className)"""
_LINK_ADDRESSES = """() => [...document.querySelectorAll('main a[href^="http"]')]
  .map(a => getComputedStyle(a, '::after').content)"""
_WIDEST = "() => document.documentElement.scrollWidth"


@pytest.mark.parametrize("page_type", PRINTED, ids=[p.name for p in PRINTED])
def test_page_prints_its_content_only(browser: Any, shipped_tool: str, page_type: PageType) -> None:
    meter = Meter(browser, LOCALES["fr"])
    try:
        visit(meter, shipped_tool, page_type, "fr")
        page = meter.page
        page.set_viewport_size({"width": A4_CONTENT_PX, "height": 960})
        page.emulate_media(media="print")
        assert page.evaluate(_SHOWN_CHROME) == []
        addresses = page.evaluate(_LINK_ADDRESSES)
        assert all(a.startswith('" (http') for a in addresses), addresses
        assert addresses or page_type.name != "lesson"  # a lesson cites its sources
        assert page.evaluate(_WIDEST) <= A4_CONTENT_PX
        assert page.locator("main h1").is_visible()
        page.emulate_media(media="screen")
        assert page.locator("header.site").is_visible()  # the screen keeps its chrome
    finally:
        meter.close()
