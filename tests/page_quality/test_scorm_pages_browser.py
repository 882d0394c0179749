"""SCOs of generated SCORM packages (every SCO of the test curriculum; of each shipped
module, its heaviest lesson, its quiz and every workshop), in French and in English,
served uncompressed as Moodle serves them: 0 axe-core violation (WCAG 2.1 AA), no layout
shift, no sideways scrolling at 320 px or with the text at 200 %; and the budget:
EcoIndex A, ≤ 50 KB and ≤ 6 requests."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from course_content.loader import load_curriculum
from tests.conftest import FIXTURE_CURRICULUM
from tests.page_quality.lti_pages import LOCALES
from tests.page_quality.measure import Meter, PageReport
from tests.page_quality.scorm_pages import ScoPage, build_sco_pages, heaviest_of_each_kind
from tests.scorm_export.test_runtime_browser import Lms

SOURCES = {
    "test": (load_curriculum(FIXTURE_CURRICULUM), "all"),
    "shipped": (load_curriculum(), "all"),
}
# Known to be over the budget (measured 51–64 KB): quizzes of 18 to 21 questions, a scene
# of 20 situations, two long workshops in French, with their runtime script, served
# uncompressed. Splitting them is issue 7's remaining work; strict, so the day one fits,
# this list must shrink. {page: languages}
_BOTH = frozenset({"fr", "en"})
OVER_BUDGET = {
    **{f"m0{n}-quiz.html": _BOTH for n in range(1, 8)},
    "m01-ws-mauvaises-pratiques.html": _BOTH,
    "m01-ws-fiches-sensibilisation.html": frozenset({"fr"}),
    "m04-ws-politique-achats.html": frozenset({"fr"}),
}


def _measured_pages(root: Path) -> list[ScoPage]:
    """Every test SCO; of the shipped modules (about a hundred SCOs), every workshop (their
    scripts differ) and the heaviest lesson and quiz per module and language: the other
    lessons weigh less with the same script."""
    pages = build_sco_pages(SOURCES, root)
    shipped = [p for p in pages if p.package.startswith("shipped")]
    workshops = [p for p in shipped if p.kind == "workshop"]
    others = [p for p in shipped if p.kind != "workshop"]
    return [p for p in pages if p not in shipped] + workshops + heaviest_of_each_kind(others, root)


def _pages() -> list[ScoPage]:
    with tempfile.TemporaryDirectory() as folder:
        return _measured_pages(Path(folder))


PAGES = _pages()  # built once more here (a few seconds) only to name the tests


@pytest.fixture(scope="module")
def reports(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, PageReport]]:
    """Each SCO page measured once, on first use, by the tests that need it."""
    root = tmp_path_factory.mktemp("scorm-pages")
    pages = {page.name: page for page in _measured_pages(root)}
    lms = Lms(root / "pkg")
    measured: dict[str, PageReport] = {}

    class Reports(dict[str, PageReport]):
        def __missing__(self, name: str) -> PageReport:
            page = pages[name]
            meter = Meter(browser, LOCALES[page.lang])
            try:
                report = meter.load(name, lambda tab: tab.goto(page.url(lms.url)))
            finally:
                meter.close()
            self[name] = report
            return report

    try:
        yield Reports(measured)
    finally:
        lms.close()


def test_every_sco_kind_is_measured_in_both_languages() -> None:
    seen = {(page.kind, page.lang) for page in PAGES}
    assert seen == {(k, lang) for k in ("lesson", "quiz", "workshop") for lang in ("fr", "en")}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_sco_page_is_accessible_in_its_language(
    reports: dict[str, PageReport], page: ScoPage
) -> None:
    report = reports[page.name]
    assert report.accessibility_problems() == [], report.line()
    assert report.lang == page.lang


def _budget_case(page: ScoPage) -> Any:
    known = page.package.startswith("shipped") and page.lang in OVER_BUDGET.get(page.href, ())
    marks = [pytest.mark.xfail(strict=True, reason="over 50 KB: page not split yet")]
    return pytest.param(page, id=page.name, marks=marks if known else [])


@pytest.mark.parametrize("page", [_budget_case(p) for p in PAGES])
def test_sco_page_is_within_the_eco_budget(reports: dict[str, PageReport], page: ScoPage) -> None:
    report = reports[page.name]
    assert report.budget_problems() == [], report.line()
