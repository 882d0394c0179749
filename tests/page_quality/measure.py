"""Measures one page load in Debian's Chromium: EcoIndex inputs, axe-core, reflow, text size.

The EcoIndex inputs follow the reference scraper's protocol (shared/page-quality-method.md):
a 1920×1080 window, the `load` state then a pause, ArrowDown and a scroll to the bottom,
then the DOM elements (`*` minus what is inside `<svg>`), the requests, and the bytes
transferred (headers and encoded bodies, ÷ 1000 for kB). The browser cache is disabled,
so every load is a first visit. The score and grade come from `ecoindex-compute`.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.scorm_export.test_runtime_browser import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WINDOW = {"width": 1920, "height": 1080}

# The product's budget for every page a learner sees (design.md, issue 7).
MAX_BYTES = 50_000
MAX_REQUESTS = 6
MIN_SCORE = 81  # grade A is a score strictly above 80

_DOM_SIZE = """() => document.querySelectorAll('*').length
  - document.querySelectorAll('svg *').length"""
_LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 50);
})"""
_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
_AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
  resultTypes: ['violations']}).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary)})))"""
_BODY_FONT = "() => parseFloat(getComputedStyle(document.querySelector('main')).fontSize)"


@dataclass
class PageReport:
    """What one load of one page showed."""

    name: str
    url: str
    lang: str = ""
    dom: int = 0
    requests: int = 0
    bytes: int = 0
    score: int = 0
    grade: str = "?"
    violations: list[dict[str, Any]] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    layout_shift: float = 0.0
    overflow_320: int = 0
    overflow_text_200: int = 0
    text_scale: float = 0.0
    resources: list[tuple[int, str]] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every budget or accessibility rule this page breaks (empty: the page passes)."""
        return self.budget_problems() + self.accessibility_problems()

    def budget_problems(self) -> list[str]:
        """Bytes, requests and EcoIndex over the product's budget."""
        found = []
        if self.bytes > MAX_BYTES:
            found.append(f"{self.bytes} B transferred > {MAX_BYTES}")
        if self.requests > MAX_REQUESTS:
            found.append(f"{self.requests} requests > {MAX_REQUESTS}")
        if self.score < MIN_SCORE:
            found.append(f"EcoIndex {self.score} ({self.grade}) is not an A")
        return found

    def accessibility_problems(self) -> list[str]:
        """axe-core violations, CSP refusals, layout shift, reflow and text size."""
        found = []
        for violation in self.violations:
            found.append(f"axe {violation['id']} ({violation['impact']}): {violation['nodes']}")
        found += [f"CSP: {message}" for message in self.csp_errors]
        if self.layout_shift > 0:
            found.append(f"layout shift {self.layout_shift:.3f}")
        if self.overflow_320 > 0:
            found.append(f"scrolls sideways by {self.overflow_320} px at 320 px wide")
        if self.overflow_text_200 > 0:
            found.append(f"scrolls sideways by {self.overflow_text_200} px with text at 200 %")
        if self.text_scale < 1.9:
            found.append(f"text grows ×{self.text_scale:.2f} only when the browser asks 200 %")
        return found

    def line(self) -> str:
        return (
            f"{self.name:<34} {self.bytes:>7} B {self.requests:>2} req {self.dom:>4} DOM"
            f"  EcoIndex {self.score:>3} {self.grade}"
        )


def ecoindex(dom: int, size_kb: float, requests: int) -> tuple[int, str]:
    """Score and grade from ecoindex-compute (the official quantiles and formula)."""
    from ecoindex.compute import compute_ecoindex

    def compute() -> Any:
        with warnings.catch_warnings():
            # compute_ecoindex calls its own deprecated get_ecoindex: not ours to fix.
            warnings.simplefilter("ignore", DeprecationWarning)
            return asyncio.run(compute_ecoindex(nodes=dom, size=size_kb, requests=requests))

    # Playwright's sync API keeps an event loop running in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(compute).result()
    return int(result.score), str(result.grade.value)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (never Playwright's own browsers)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() or not AXE.exists():
        raise RuntimeError(
            "chromium (Debian) et axe-core (npm ci) sont requis : lancez make test "
            "/ chromium and axe-core are required: run make test"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Meter:
    """One tab whose loads are measured: cache off, requests and CSP reports collected."""

    def __init__(
        self, browser: Any, locale: str, pause_ms: int = 0, javascript: bool = True
    ) -> None:
        self.javascript = javascript
        self.context = browser.new_context(
            viewport=WINDOW, locale=locale, java_script_enabled=javascript
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.pause_ms = pause_ms
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.cdp.send("Page.enable")
        self.frame_id = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        self.sizes: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.console: list[str] = []
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.page.on("console", self._console)

    def _sent(self, event: dict[str, Any]) -> None:
        if event["request"]["url"].startswith("data:"):
            return
        if event.get("type") == "Document" and event.get("frameId") == self.frame_id:
            # A new page in the tab: what came before belongs to the previous page.
            self.urls.clear()
            self.sizes.clear()
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def _failed(self, event: dict[str, Any]) -> None:
        self.sizes.setdefault(event["requestId"], 0)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def reset(self) -> None:
        if not self.javascript:
            self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        self.sizes.clear()
        self.urls.clear()
        self.console.clear()

    def close(self) -> None:
        self.context.close()

    def load(self, name: str, navigate: Callable[[Any], None]) -> PageReport:
        """Run `navigate(page)` (a goto, a click that submits…) and measure the page it shows."""
        self.reset()
        navigate(self.page)
        return self.measure(name)

    def measure(self, name: str) -> PageReport:
        page = self.page
        page.wait_for_load_state("load")
        # Late requests (an icon, a script's fetch) must be counted: wait for a quiet network.
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(self.pause_ms)
        page.keyboard.press("ArrowDown")
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(self.pause_ms)
        report = PageReport(name, page.url, str(page.evaluate("document.documentElement.lang")))
        report.dom = int(page.evaluate(_DOM_SIZE))
        finished = {rid: size for rid, size in self.sizes.items() if rid in self.urls}
        report.requests = len(finished)
        report.bytes = sum(finished.values())
        report.resources = [(size, self.urls[rid]) for rid, size in finished.items()]
        report.score, report.grade = ecoindex(report.dom, report.bytes / 1000, report.requests)
        report.csp_errors = list(self.console)
        if not self.javascript:
            # Scripts stay off for the page (its own did not run), on for the checks below.
            self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
        report.layout_shift = float(page.evaluate(_LAYOUT_SHIFT))
        page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: CSP stays on
        report.violations = list(page.evaluate(_AXE_RUN, AXE_TAGS))
        report.overflow_320, report.overflow_text_200, report.text_scale = self._reflow()
        return report

    def _reflow(self) -> tuple[int, int, float]:
        """Sideways scrolling at 320 px (WCAG 1.4.10) and with the browser's text at 200 %."""
        page = self.page
        page.set_viewport_size({"width": 320, "height": 640})
        narrow = int(page.evaluate(_OVERFLOW))
        base = float(page.evaluate(_BODY_FONT))
        # The browser's own text size setting (as a user sets it), not a zoom.
        self.cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        page.set_viewport_size({"width": 1280, "height": 800})
        large = int(page.evaluate(_OVERFLOW))
        scale = float(page.evaluate(_BODY_FONT)) / base if base else 0.0
        self.cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        page.set_viewport_size(WINDOW)
        return narrow, large, scale
