"""Every page type of the LTI tool, and how a browser reaches it through a real launch.

One list, `lti_page_types(curriculum)`: a new page type (the trainer dashboard, the admin
pages…) is one more entry. Launched pages start at the built-in demo LMS, which performs
a real LTI 1.3 launch (OIDC login, signed id_token, auto-posted form) with the page's
language as the launch locale; public pages are opened directly with the browser's
Accept-Language. The page measured is the one the steps end on, loaded cold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from course_content.model import Curriculum

Step = Callable[[Any], None]
LAUNCHED_PATHS = ("/learn/", "/lti/deep-link")
RADIOS = "fieldset.question input[type=radio]"
SEND = "main form button[type=submit]"
SCENE_SEND = "form:has([name=scene]) button[type=submit]"


@dataclass(frozen=True)
class PageType:
    """A kind of page: who sees it, where it starts, and what is done on the way."""

    name: str
    role: str  # "public", "learner" or "trainer"
    activity: str = ""  # for launches: the `activity` custom parameter
    path: str = "/"  # for public pages
    mode: str = "launch"  # or "deep_link"
    steps: tuple[Step, ...] = field(default_factory=tuple)
    javascript: bool = True
    languages: tuple[str, ...] = ("fr", "en")
    lands_on: str = ""  # a path the measured page's address must contain

    def start_url(self, base: str, lang: str) -> str:
        if self.role == "public":
            return base + self.path.format(lang=lang)
        params = {"role": self.role, "lang": lang, "mode": self.mode}
        if self.activity:
            params["activity"] = self.activity
        return f"{base}/demo/start?{urlencode(params)}"


def submit(button_selector: str) -> Step:
    """Press a form's button with the keyboard and wait for the page it leads to."""

    def step(page: Any) -> None:
        with page.expect_navigation():
            page.locator(button_selector).first.focus()
            page.keyboard.press("Enter")

    return step


def submit_then(button_selector: str, landing: str) -> Step:
    """Submit, then wait for the page that an auto-posted form leads to."""

    def step(page: Any) -> None:
        page.locator(button_selector).first.click()
        page.wait_for_url(f"**{landing}**")
        page.wait_for_load_state("load")

    return step


def tick(selector: str, count: int = 1) -> Step:
    def step(page: Any) -> None:
        boxes = page.locator(selector)
        for index in range(min(count, boxes.count())):
            boxes.nth(index).check()

    return step


def fill(selector: str, text: str) -> Step:
    def step(page: Any) -> None:
        page.locator(selector).first.fill(text)

    return step


def follow(selector: str) -> Step:
    def step(page: Any) -> None:
        with page.expect_navigation():
            page.locator(selector).first.click()

    return step


# The administrator the page-quality tool is started with, and the pages behind sign-in.
ADMIN_USER = "admin"
ADMIN_PASSWORD = "mot-de-passe-des-tests-de-pages"
ADMIN_PAGES = (
    ("health", "/admin/"),
    ("platforms", "/admin/platforms"),
    ("new platform", "/admin/platforms/new"),
    ("keys", "/admin/keys"),
    ("grades", "/admin/grades"),
)
SIGN_IN = (
    fill("#username", ADMIN_USER),
    fill("#password", ADMIN_PASSWORD),
    submit("main form button[type=submit]"),
)


def launch_as(role: str) -> Step:
    """Launch again from the demo LMS as `role`, in the page's language (a page of one
    role that needs another's launch first: a learner known to the course's jury)."""

    def step(page: Any) -> None:
        parts = urlsplit(page.url)
        lang = page.evaluate("document.documentElement.lang")
        query = urlencode({"role": role, "lang": lang, "mode": "launch"})
        page.goto(f"{parts.scheme}://{parts.netloc}/demo/start?{query}")
        page.wait_for_load_state("networkidle")
        _through_auto_post(page)

    return step


def lti_page_types(curriculum: Curriculum, module_id: str = "m01") -> list[PageType]:
    """The page types, on `module_id` (module 1 has the largest pages and every kind)."""
    module = curriculum.module(module_id)
    scene = next((w for w in module.workshops if w.scene), None)
    items = next((w for w in module.workshops if w.items and not w.scene), None)
    fiche = next((w for w in module.workshops if w.submission), None)
    types = [
        PageType("home", "public", path="/"),
        PageType("error (expired session)", "public", path="/learn/?ltik=expired"),
        PageType("programme", "learner"),
        PageType("module", "learner", module.id),
        PageType("lesson", "learner", module.lessons[0].id),
        PageType("quiz", "learner", module.quiz.id),
        PageType(
            "quiz result",
            "learner",
            module.quiz.id,
            steps=(tick(RADIOS, 3), submit(SEND)),
        ),
        PageType("deep-linking picker", "trainer", mode="deep_link"),
        PageType(
            "deep-linking return (no JS)",
            "trainer",
            mode="deep_link",
            steps=(tick("input[name=activity]", 2), submit("form button[type=submit]")),
            javascript=False,
        ),
        PageType("trainer programme", "trainer"),
        PageType(
            "trainer quiz result",
            "trainer",
            module.quiz.id,
            steps=(tick(RADIOS, 2), submit(SEND)),
        ),
        PageType(
            "demo LMS: activities received",
            "trainer",
            mode="deep_link",
            steps=(tick("input[name=activity]", 2), submit_then("form button", "/demo/")),
        ),
        PageType("trainer dashboard", "trainer", steps=(follow("a[href*='/teach/']"),)),
        PageType(
            "trainer dashboard: a quiz",
            "trainer",
            steps=(follow("a[href*='/teach/']"), follow("main a[href*='/teach/quizzes/']")),
        ),
        PageType("project (learner)", "learner", steps=(follow("a[href*='/project/']"),)),
        PageType(
            "project milestone (learner)",
            "learner",
            steps=(follow("a[href*='/project/']"), follow("main a[href*='/milestones/']")),
        ),
        PageType(
            "jury space",
            "trainer",
            steps=(follow("a[href*='/project/']"), follow("a[href*='/project/jury']")),
        ),
        PageType(
            "jury members",
            "trainer",
            steps=(
                follow("a[href*='/project/']"),
                follow("a[href*='/project/jury']"),
                follow("a[href*='/jury/members']"),
            ),
        ),
        PageType(
            "jury: a learner's project",
            "learner",
            steps=(
                follow("a[href*='/project/']"),  # the learner opens the project: known to the jury
                launch_as("trainer"),
                follow("a[href*='/project/']"),
                follow("a[href*='/project/jury']"),
                follow("main table a[href*='/jury/learners/']"),
            ),
            lands_on="/project/jury/learners/",
        ),
        PageType("certificate page (unknown code)", "public", path="/certificates/AAAA-BBBB-CCCC"),
        # The administrator's pages speak the browser's language.
        PageType("admin login", "public", path="/admin/login"),
        *(
            PageType(
                f"admin: {name}",
                "public",
                path=f"/admin/login?next={path}",
                steps=SIGN_IN,
                lands_on=path,
            )
            for name, path in ADMIN_PAGES
        ),
        PageType("install guides", "public", path="/install/"),
        PageType("install guide (Moodle)", "public", path="/install/moodle"),
        PageType("registration problem", "public", path="/lti/register"),
        PageType(
            "demo LMS: auto-post (no JS)",
            "public",
            path="/demo/start?role=learner&lang={lang}",
            javascript=False,
        ),
    ]
    if scene is not None:
        types += [
            PageType("workshop: scene", "learner", scene.id),
            PageType(
                "workshop: scene checked",
                "learner",
                scene.id,
                steps=(tick("input[name=scene]", 4), submit(SCENE_SEND)),
            ),
        ]
    if items is not None:
        types.append(PageType("workshop: situations", "learner", items.id))
    if fiche is not None:
        types += [
            PageType("workshop: fiche", "learner", fiche.id),
            PageType(
                "workshop: fiche saved",
                "learner",
                fiche.id,
                steps=(fill("form textarea", "Un premier jet."), submit("button[value=draft]")),
            ),
            PageType(
                "workshop: printable fiche",
                "learner",
                fiche.id,
                steps=(follow("a[href*='/print']"),),
            ),
        ]
    return types


LOCALES = {"fr": "fr-FR", "en": "en-GB"}


def _through_auto_post(page: Any) -> None:
    """Without JavaScript, the LMS's auto-posted forms need their button pressed."""
    for _ in range(3):
        button = page.locator("form.envoi-auto button")
        if any(part in page.url for part in LAUNCHED_PATHS) or button.count() == 0:
            return
        with page.expect_navigation():
            button.click()


def launch(page: Any, base: str, page_type: PageType, lang: str) -> None:
    """Open the page type's first page: through a launch from the demo LMS, or its path."""
    page.goto(page_type.start_url(base, lang))
    page.wait_for_load_state("networkidle")  # its late requests (the icon) are not the next page's
    if page_type.role != "public":
        _through_auto_post(page)


def visit(meter: Any, base: str, page_type: PageType, lang: str) -> Any:
    """Launch, go through the page type's steps, and measure the page they end on."""
    page = meter.page
    launch(page, base, page_type, lang)
    steps = list(page_type.steps)
    last = steps.pop() if steps else (lambda p: p.goto(p.url))
    for step in steps:
        step(page)
    return meter.load(f"{page_type.name} [{lang}]", last)
