"""SCOs of generated SCORM packages (every SCO of the test curriculum; of each shipped
module, its heaviest lesson, its quiz and every workshop), in French and in English,
served uncompressed as Moodle serves them: 0 axe-core violation (WCAG 2.1 AA), no layout
shift, no sideways scrolling at 320 px or with the text at 200 %; and the budget:
EcoIndex A, ≤ 50 KB and ≤ 6 requests."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
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
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, ScoPage], Lms]]:
    """The measured SCO pages, by name, and the LMS serving their packages."""
    root = tmp_path_factory.mktemp("scorm-pages")
    pages = {page.name: page for page in _measured_pages(root)}
    lms = Lms(root / "pkg")
    try:
        yield pages, lms
    finally:
        lms.close()


def _measure(browser: Any, page: ScoPage, navigate: Callable[[Any], None]) -> PageReport:
    meter = Meter(browser, LOCALES[page.lang])
    try:
        return meter.load(page.name, navigate)
    finally:
        meter.close()


@pytest.fixture(scope="module")
def reports(browser: Any, served: tuple[dict[str, ScoPage], Lms]) -> dict[str, PageReport]:
    """Each SCO page measured once, on first use, by the tests that need it."""
    pages, lms = served

    class Reports(dict[str, PageReport]):
        def __missing__(self, name: str) -> PageReport:
            page = pages[name]
            report = _measure(browser, page, lambda tab: tab.goto(page.url(lms.url)))
            self[name] = report
            return report

    return Reports()


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


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_sco_page_is_within_the_eco_budget(reports: dict[str, PageReport], page: ScoPage) -> None:
    report = reports[page.name]
    assert report.budget_problems() == [], report.line()


def _answer_every_question(tab: Any) -> int:
    """Answers each question as a learner does (clicks and keys: a shift that follows the
    learner's input is not a layout shift) and returns how many there are."""
    forms = tab.locator("form.question")
    for index in range(forms.count()):
        form = forms.nth(index)
        choice = form.locator("input[type=radio], input[type=checkbox]")
        if choice.count():
            choice.first.check()
        number = form.locator("input[inputmode=decimal]")
        if number.count():
            number.fill("1")
        selects = form.locator("select")
        for position in range(selects.count()):
            selects.nth(position).select_option(index=1)
        form.locator("button[type=submit]").click()
        form.locator(".retours").wait_for()
    return int(forms.count())


@pytest.mark.parametrize("href", ["m01-quiz.html", "m01-ws-mauvaises-pratiques.html"])
def test_sco_page_with_every_feedback_shown_stays_accessible(
    browser: Any, served: tuple[dict[str, ScoPage], Lms], href: str
) -> None:
    """Answers bring their feedback and the sources it cites into the page (fetched on the
    first answer): the page must stay accessible with all of it."""
    pages, lms = served
    page = next(p for p in pages.values() if p.package.startswith("shipped") and p.href == href)

    def answer_everything(tab: Any) -> None:
        tab.goto(page.url(lms.url))
        tab.locator("#etat-lms:not(:empty)").wait_for()
        assert _answer_every_question(tab)
        tab.locator("#sources-titre-retours").wait_for()

    report = _measure(browser, page, answer_everything)
    assert report.accessibility_problems() == [], report.line()
