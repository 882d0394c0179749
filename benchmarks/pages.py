"""Bytes, requests, DOM size and EcoIndex of every page type, so regressions show.

LTI pages: the tool on the shipped curriculum with its demo LMS, each page type reached
through a real launch (tests/page_quality/lti_pages.py), served gzipped as in production.
SCORM: every SCO of the shipped modules in SCORM 1.2, served uncompressed as Moodle
serves them. Measured in Debian's Chromium with the reference scraper's pauses (1 s after
`load`, 1 s after scrolling) unless --pause says otherwise.

Not run in CI: `.venv/bin/python benchmarks/pages.py [--pause MS] [--modules m01,m02]
[--lang fr,en] [--skip-scorm] [--skip-lti]`.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the measuring code lives with the tests

from course_content.loader import load_curriculum  # noqa: E402
from tests.page_quality.lti_pages import LOCALES, lti_page_types, visit  # noqa: E402
from tests.page_quality.measure import MAX_BYTES, MAX_REQUESTS, Meter, chromium  # noqa: E402
from tests.page_quality.scorm_pages import build_sco_pages  # noqa: E402
from tests.scorm_export.test_runtime_browser import Lms  # noqa: E402
from tests.wsgi_thread import served_in_thread  # noqa: E402


def _print(report: object, over: list[str]) -> None:
    print(f"  {report.line()}  {'; '.join(over) if over else 'ok'}")  # type: ignore[attr-defined]


def lti(browser: object, languages: list[str], pause: int, folder: Path) -> int:
    from lti_tool.app import create_app
    from lti_tool.config import load_settings
    from lti_tool.instance import prepare_instance
    from tests.lti_tool.conftest import free_port

    port = free_port()
    settings = load_settings({"instance_path": str(folder / "instance")}, environ={})
    settings = dataclasses.replace(settings, base_url=f"http://127.0.0.1:{port}")
    prepare_instance(settings)
    with served_in_thread(create_app(settings), port=port):
        failures = 0
        print(f"LTI tool (gzip), budget {MAX_BYTES} B, {MAX_REQUESTS} requests, EcoIndex A")
        for page_type in lti_page_types(load_curriculum()):
            for lang in (each for each in languages if each in page_type.languages):
                meter = Meter(browser, LOCALES[lang], pause, javascript=page_type.javascript)
                try:
                    report = visit(meter, settings.base_url, page_type, lang)
                finally:
                    meter.close()
                over = report.problems()
                failures += bool(over)
                _print(report, over)
    return failures


def scorm(
    browser: object, modules: list[str], languages: list[str], pause: int, folder: Path
) -> int:
    curriculum = load_curriculum()
    sources = {m: (curriculum, m) for m in modules}
    pages = build_sco_pages(sources, folder, tuple(languages))
    lms = Lms(folder / "pkg")
    failures = 0
    print(f"SCORM 1.2 (uncompressed, as Moodle serves them), {len(pages)} SCO pages")
    try:
        for page in pages:
            meter = Meter(browser, LOCALES[page.lang], pause)
            try:
                report = meter.load(page.name, lambda tab, p=page: tab.goto(p.url(lms.url)))
            finally:
                meter.close()
            over = report.problems()
            failures += bool(over)
            _print(report, over)
    finally:
        lms.close()
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pause", type=int, default=1000, help="ms after load and scroll")
    parser.add_argument("--modules", default="m01,m02,m03,m04,m05,m06,m07")
    parser.add_argument("--lang", default="fr,en")
    parser.add_argument("--skip-lti", action="store_true")
    parser.add_argument("--skip-scorm", action="store_true")
    args = parser.parse_args()
    languages = args.lang.split(",")
    failures = 0
    with chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        if not args.skip_lti:
            failures += lti(browser, languages, args.pause, Path(tmp) / "lti")
        if not args.skip_scorm:
            failures += scorm(
                browser, args.modules.split(","), languages, args.pause, Path(tmp) / "scorm"
            )
    print(f"{failures} page(s) over budget or with accessibility problems")


if __name__ == "__main__":
    main()
