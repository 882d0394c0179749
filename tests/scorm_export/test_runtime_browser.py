"""The SCO runtime in headless Chromium, with scorm-again as the LMS (as Moodle seeds it).

For each standard, the module-1 quiz of the test curriculum is answered all right, all
wrong, and partly with a reload in between; the data the LMS received is checked.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from course_content.model import Curriculum
from scorm_export.package_builder import build_packages
from scorm_export.structure import Standard

REPO = Path(__file__).resolve().parents[2]
SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist"
HARNESS = Path(__file__).parent / "harness"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SESSION_TIME = {"1.2": r"^\d{4}:\d{2}:\d{2}\.\d{2}$", "2004": r"^PT\d+H\d+M\d+(\.\d+)?S$"}
RIGHT: dict[str, Any] = {
    "m01.q01": "a",
    "m01.q02": ["a", "b"],
    "m01.q03": "true",
    "m01.q04": "17,2",
    "m01.q05": {"p1": "p1", "p2": "p2", "p3": "p3"},
    "m01.q06": ["extraction", "fabrication", "usage", "fin"],
}
WRONG: dict[str, Any] = {
    "m01.q01": "b",
    "m01.q02": ["c", "d"],
    "m01.q03": "false",
    "m01.q04": "3",
    "m01.q05": {"p1": "p2", "p2": "p3", "p3": "p1"},
    "m01.q06": ["fin", "usage", "fabrication", "extraction"],
}


class Lms:
    """A loopback server: the package, scorm-again, the player page, and a commit endpoint."""

    def __init__(self, package_dir: Path) -> None:
        self.session: dict[str, Any] = {}
        self.commits: list[dict[str, Any]] = []
        routes = {"/pkg/": package_dir, "/lib/": SCORM_AGAIN, "/harness/": HARNESS}
        lms = self

        class Handler(SimpleHTTPRequestHandler):
            def translate_path(self, path: str) -> str:
                path = path.split("?", 1)[0]
                for prefix, folder in routes.items():
                    if path.startswith(prefix):
                        return str(folder / path[len(prefix) :])
                return str(package_dir / "absent")

            def send_json(self, value: Any) -> None:
                data = json.dumps(value).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/session.json":
                    self.send_json(lms.session)
                else:
                    super().do_GET()

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                lms.commits.append(json.loads(self.rfile.read(length)))
                self.send_json({"result": True, "errorCode": 0})

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or not SCORM_AGAIN.is_dir():
        pytest.fail("chromium (Debian) et npm ci sont requis : lancez make test / run make test")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=["1.2", "2004"])
def lms(
    request: pytest.FixtureRequest,
    curriculum: Curriculum,
    schemas: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Standard, Lms]]:
    standard: Standard = request.param
    out = tmp_path_factory.mktemp(f"scorm{standard}")
    [package] = build_packages(curriculum, out, (standard,), "m01", schemas)
    with zipfile.ZipFile(package.path) as archive:
        archive.extractall(out / "pkg")
    server = Lms(out / "pkg")
    yield standard, server
    server.close()
    shutil.rmtree(out, ignore_errors=True)


def seed(standard: Standard, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The CMI data an LMS gives a launch: mastery score, and what Moodle restores on resume."""
    if standard == "1.2":
        cmi: dict[str, Any] = {
            "core": {"student_id": "u1", "student_name": "Essai, Lou"},
            "student_data": {"mastery_score": "70"},
        }
        if previous:
            core = previous["cmi"]["core"]
            cmi["core"].update(
                entry="resume",
                lesson_location=core["lesson_location"],
                lesson_status=core["lesson_status"],
            )
            cmi["suspend_data"] = previous["cmi"]["suspend_data"]
            cmi["interactions"] = previous["cmi"]["interactions"]
    else:
        cmi = {"learner_id": "u1", "learner_name": "Essai, Lou", "scaled_passing_score": "0.7"}
        if previous:
            before = previous["cmi"]
            cmi.update(
                entry="resume",
                location=before["location"],
                completion_status=before["completion_status"],
                suspend_data=before["suspend_data"],
                interactions=before["interactions"],
            )
    return {"cmi": cmi}


def launch(
    browser: Any, standard: Standard, lms: Lms, cmi: dict[str, Any], href: str = "m01-quiz.html"
) -> tuple[Any, Any]:
    lms.session = {"standard": standard, "href": href, "cmi": cmi}
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{lms.url}/harness/player.html")
    frame = page.frame_locator("#sco")
    frame.locator("#etat-lms.connecte").wait_for()
    page.errors = errors
    return page, frame


def answer(frame: Any, question_id: str, response: Any) -> None:
    form = frame.locator(f"#q-{question_id.replace('.', '-')}")
    if isinstance(response, list) and question_id == "m01.q06":
        for position, item in enumerate(response):
            items = form.locator("li[data-item]")
            current = [items.nth(i).get_attribute("data-item") for i in range(items.count())]
            up = form.locator(f'li[data-item="{item}"] button[data-move="-1"]')
            for _ in range(current.index(item) - position):
                up.press("Enter")  # keyboard only, no drag and drop
    elif isinstance(response, list):
        for value in response:
            form.locator(f'input[value="{value}"]').check()
    elif isinstance(response, dict):
        for left, right in response.items():
            form.locator(f'select[data-left="{left}"]').select_option(right)
    elif question_id == "m01.q04":
        form.locator("input[type=text]").fill(response)
    else:
        form.locator(f'input[value="{response}"]').check()
    form.locator("button[type=submit]").click()
    form.locator(".verdict").filter(has_text="point").wait_for()


def finish(page: Any, frame: Any) -> str:
    frame.locator("[data-action=terminer]").click()
    result = frame.locator("#resultat")
    result.filter(has_text="enregistré").wait_for()
    calls = page.evaluate("window.lmsCalls")
    assert any(c["fn"] in ("LMSFinish", "Terminate") and c["result"] == "true" for c in calls)
    return str(result.text_content())


def last_cmi(lms: Lms) -> dict[str, Any]:
    cmi: dict[str, Any] = lms.commits[-1]["cmi"]
    return cmi


def check_calls(page: Any) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = page.evaluate("window.lmsCalls")
    failed = [
        c for c in calls if c["fn"].endswith(("SetValue", "Commit")) and c["result"] != "true"
    ]
    assert failed == [], failed
    assert page.errors == []
    return calls


def set_values(calls: list[dict[str, Any]], element: str) -> list[str]:
    return [c["args"][1] for c in calls if c["fn"].endswith("SetValue") and c["args"][0] == element]


def score_and_status(standard: Standard, cmi: dict[str, Any]) -> tuple[Any, ...]:
    if standard == "1.2":
        core = cmi["core"]
        return (
            core["score"]["raw"],
            core["score"]["min"],
            core["score"]["max"],
            core["lesson_status"],
        )
    return (
        cmi["score"]["raw"],
        cmi["score"]["min"],
        cmi["score"]["max"],
        cmi["score"]["scaled"],
        cmi["completion_status"],
        cmi["success_status"],
    )


def interactions(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    return [cmi["interactions"][k] for k in sorted(cmi["interactions"], key=int)]


def test_all_right_passes_with_full_score(browser: Any, lms: tuple[Standard, Lms]) -> None:
    standard, server = lms
    page, frame = launch(browser, standard, server, seed(standard))
    for question_id, response in RIGHT.items():
        answer(frame, question_id, response)
    # The sources the feedback cites came with it, once, and its citations lead to them.
    assert frame.locator("#sources-titre-retours").count() == 1
    targets = frame.locator(".retours a.citation").evaluate_all(
        "links => links.map(a => !!document.getElementById(a.hash.slice(1)))"
    )
    assert targets and all(targets)
    message = finish(page, frame)
    calls = check_calls(page)
    cmi = last_cmi(server)
    expected = (
        ("100", "0", "100", "passed")
        if standard == "1.2"
        else ("100", "0", "100", "1", "completed", "passed")
    )
    assert score_and_status(standard, cmi) == expected
    recorded = interactions(cmi)
    assert [i["id"] for i in recorded] == list(RIGHT)
    assert {i["result"] for i in recorded} == {"correct"}
    response_key = "student_response" if standard == "1.2" else "learner_response"
    assert [i[response_key] for i in recorded][:4] == (
        ["a", "a,b", "t", "17.2"] if standard == "1.2" else ["a", "a[,]b", "true", "17.2"]
    )
    times = set_values(calls, "cmi.core.session_time" if standard == "1.2" else "cmi.session_time")
    assert times and all(re.match(SESSION_TIME[standard], t) for t in times), times
    assert json.loads(cmi["suspend_data"])["d"] == 1
    assert "100 %" in message and "Quiz réussi" in message
    page.close()


def test_all_wrong_fails_with_zero(browser: Any, lms: tuple[Standard, Lms]) -> None:
    standard, server = lms
    page, frame = launch(browser, standard, server, seed(standard))
    for question_id, response in WRONG.items():
        answer(frame, question_id, response)
    finish(page, frame)
    check_calls(page)
    cmi = last_cmi(server)
    expected = (
        ("0", "0", "100", "failed")
        if standard == "1.2"
        else ("0", "0", "100", "0", "completed", "failed")
    )
    assert score_and_status(standard, cmi) == expected
    wrong = "wrong" if standard == "1.2" else "incorrect"
    assert {i["result"] for i in interactions(cmi)} == {wrong}
    page.close()


def test_partial_answers_resume_after_a_reload(browser: Any, lms: tuple[Standard, Lms]) -> None:
    standard, server = lms
    page, frame = launch(browser, standard, server, seed(standard))
    answer(frame, "m01.q01", RIGHT["m01.q01"])
    answer(frame, "m01.q02", ["a"])  # half of the key: 1 of 2 points
    answer(frame, "m01.q03", WRONG["m01.q03"])
    check_calls(page)
    page.close()  # the learner leaves without finishing
    left = last_cmi(server)
    saved = json.loads(left["suspend_data"])
    assert saved["r"] == {"m01.q01": "a", "m01.q02": ["a"], "m01.q03": False}
    if standard == "1.2":
        assert (left["core"]["lesson_status"], left["core"]["exit"]) == ("incomplete", "suspend")
        assert left["core"]["lesson_location"] == "m01.q03"
    else:
        assert (left["completion_status"], left["exit"]) == ("incomplete", "suspend")
        assert left["location"] == "m01.q03"
    assert len(left["interactions"]) == 3
    assert len(json.dumps(saved)) <= (4096 if standard == "1.2" else 64000)

    page, frame = launch(browser, standard, server, seed(standard, {"cmi": left}))
    q02 = frame.locator("#q-m01-q02")
    assert q02.locator('input[value="a"]').is_checked() and q02.locator("input").first.is_disabled()
    assert "1 sur 2 points" in str(q02.locator(".verdict").text_content())
    for question_id in ["m01.q04", "m01.q05", "m01.q06"]:
        answer(frame, question_id, RIGHT[question_id])
    finish(page, frame)
    calls = check_calls(page)
    # Interactions restored by the LMS are kept: new ones are written after them.
    ids = [
        c["args"][1] for c in calls if c["fn"].endswith("SetValue") and c["args"][0].endswith(".id")
    ]
    written = [
        c["args"][0] for c in calls if c["fn"].endswith("SetValue") and c["args"][0].endswith(".id")
    ]
    assert ids == ["m01.q04", "m01.q05", "m01.q06"]
    assert written == [f"cmi.interactions.{n}.id" for n in (3, 4, 5)]
    cmi = last_cmi(server)
    assert len(cmi["interactions"]) == 6
    # 1 + 1 + 0 + 1 + 1 + 1 = 5 of 7 points: 71.43 %, above the 70 % pass mark.
    expected = (
        ("71.43", "0", "100", "passed")
        if standard == "1.2"
        else ("71.43", "0", "100", "0.7143", "completed", "passed")
    )
    assert score_and_status(standard, cmi) == expected
    page.close()


def test_without_an_lms_the_page_works_and_says_nothing_is_recorded(
    browser: Any, lms: tuple[Standard, Lms]
) -> None:
    _, server = lms
    page = browser.new_page()
    page.goto(f"{server.url}/pkg/m01-quiz.html")
    assert "rien n'est enregistré" in str(page.locator("#etat-lms").text_content())
    answer(page, "m01.q01", "a")
    assert "Bonne réponse" in str(page.locator("#q-m01-q01 .verdict").text_content())
    page.close()


SCENE = """
scene:
  title: Une journée au bureau
  description: Repérez les mauvaises pratiques [@src-a].
  categories:
    - {id: equipements, label: Équipements}
    - {id: usages, label: Usages}
  practices:
    - {id: ecrans-veille, situation: Écrans allumés la nuit, good_practice: Extinction le soir,
       why: Consommation inutile., category: usages, lever_weight: 1, source: src-a}
    - {id: renouvellement, situation: Renouvellement tous les trois ans, good_practice: Cinq ans,
       why: La fabrication domine., category: equipements, lever_weight: 3, source: src-a}
    - {id: recto-verso, situation: Impression recto verso, bad: false,
       why: Pratique saine., category: usages, source: src-b}
"""


@pytest.fixture(scope="module")
def workshop_lms(
    lms: tuple[Standard, Lms], tmp_path_factory: pytest.TempPathFactory, schemas: Path
) -> Iterator[tuple[Standard, Lms]]:
    """The module-1 package of the test curriculum with a scene added to its workshop."""
    from course_content.loader import load_curriculum
    from tests.conftest import FIXTURE_CURRICULUM

    standard, _ = lms
    root = tmp_path_factory.mktemp("avec-scene") / "curriculum"
    shutil.copytree(FIXTURE_CURRICULUM, root)
    workshop = root / "01-intro" / "workshops" / "atelier.yaml"
    workshop.write_text(workshop.read_text(encoding="utf-8") + SCENE, encoding="utf-8")
    out = root.parent / "out"
    [package] = build_packages(load_curriculum(root), out, (standard,), "m01", schemas)
    with zipfile.ZipFile(package.path) as archive:
        archive.extractall(out / "pkg")
    server = Lms(out / "pkg")
    yield standard, server
    server.close()


def test_workshop_scene_and_fiche_are_saved_and_restored(
    browser: Any, workshop_lms: tuple[Standard, Lms]
) -> None:
    standard, server = workshop_lms
    page, frame = launch(browser, standard, server, seed(standard), "m01-ws-atelier.html")
    scene = frame.locator("#scene")
    scene.locator('input[value="ecrans-veille"]').press("Space")  # keyboard operable
    scene.locator('input[value="recto-verso"]').check()
    scene.locator("#classe-ecrans-veille").select_option("usages")
    scene.locator("#levier-ecrans-veille").select_option("1")
    scene.locator("button[type=submit]").click()
    # 1 of 2 bad practices flagged, 1 of 1 sound practice wrongly flagged: 1/2 - 1 → 0.
    assert "0 sur 1 point" in str(scene.locator(".verdict").text_content())
    frame.locator("#fiche-cible").fill("Agents d'accueil")
    frame.locator("#fiche-message").fill("Gardons nos ordinateurs cinq ans.")
    frame.locator("#fiche button[type=submit]").click()
    assert "enregistrée dans votre plateforme" in str(frame.locator("#fiche-etat").text_content())
    check_calls(page)
    page.close()
    left = last_cmi(server)
    saved = json.loads(left["suspend_data"])
    assert saved["f"] == {
        "cible": "Agents d'accueil",
        "message": "Gardons nos ordinateurs cinq ans.",
    }
    assert saved["r"]["m01.ws.atelier.scene"] == ["ecrans-veille", "recto-verso"]
    assert saved["c"] == {"ecrans-veille": {"categorie": "usages", "levier": "1"}}

    page, frame = launch(
        browser, standard, server, seed(standard, {"cmi": left}), "m01-ws-atelier.html"
    )
    assert frame.locator("#fiche-message").input_value() == "Gardons nos ordinateurs cinq ans."
    assert frame.locator('#scene input[value="recto-verso"]').is_checked()
    assert frame.locator("#levier-ecrans-veille").input_value() == "1"
    frame.locator("[data-action=terminer]").click()
    frame.locator("#resultat").filter(has_text="enregistré").wait_for()
    calls = check_calls(page)
    cmi = last_cmi(server)
    status = cmi["core"]["lesson_status"] if standard == "1.2" else cmi["completion_status"]
    assert status == "completed"
    fiche_ids = [
        c["args"][1] for c in calls if c["fn"].endswith("SetValue") and c["args"][0].endswith(".id")
    ]
    assert fiche_ids == ["m01.ws.atelier.fiche.cible", "m01.ws.atelier.fiche.message"]
    # The fiche stays for the next visit: the workshop ends suspended, not with a new attempt.
    assert (cmi["core"]["exit"] if standard == "1.2" else cmi["exit"]) == "suspend"
    page.close()


def test_lesson_is_completed_from_its_finish_button(
    browser: Any, lms: tuple[Standard, Lms]
) -> None:
    standard, server = lms
    page, frame = launch(browser, standard, server, seed(standard), "m01-l01.html")
    frame.locator("[data-action=terminer]").press("Enter")
    frame.locator("#resultat").filter(has_text="Leçon terminée").wait_for()
    check_calls(page)
    cmi = last_cmi(server)
    if standard == "1.2":
        assert cmi["core"]["lesson_status"] == "completed" and cmi["core"]["score"]["raw"] == ""
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "unknown")
    page.close()
