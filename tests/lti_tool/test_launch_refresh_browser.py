"""A real Chromium refreshes the page a launch opened: with scripts, the address bar holds
the page's own address and the refresh asks for it again (GET); without scripts, the
refresh posts the spent launch again and gets the page that says to reopen the activity."""

from __future__ import annotations

from typing import Any

from flask import Flask


class RequestWitness:
    """WSGI middleware noting the method and path of every request that reaches the tool."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []

    def __call__(self, environ: Any, start_response: Any) -> Any:
        self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
        return self.app(environ, start_response)


def _watch(app: Flask) -> RequestWitness:
    witness = RequestWitness(app.wsgi_app)
    app.wsgi_app = witness  # type: ignore[method-assign]
    return witness


def test_refresh_after_a_launch_reloads_the_page_by_its_address(
    demo_server: tuple[str, Flask], chromium: Any
) -> None:
    base, app = demo_server
    witness = _watch(app)
    page = chromium.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/demo/start?role=learner&activity=m01.quiz&lang=fr")
    page.get_by_role("heading", level=1).filter(has_text="Quiz").wait_for()
    page.wait_for_url("**/learn/quizzes/m01.quiz?ltik=*")
    assert witness.requests.count(("POST", "/lti/launch")) == 1
    before = len(witness.requests)
    page.reload()
    page.get_by_role("heading", level=1).filter(has_text="Quiz").wait_for()
    after = witness.requests[before:]
    assert ("GET", "/learn/quizzes/m01.quiz") in after and ("POST", "/lti/launch") not in after
    # The page still works: an answer is recorded from the reloaded form.
    page.locator("#question-m01\\.q01 input[type=radio]").first.check()
    page.get_by_role("button", name="Valider mes réponses").click()
    page.get_by_role("status").filter(has_text="Votre score").wait_for()


def test_refresh_without_scripts_explains_to_reopen_the_activity(
    demo_server: tuple[str, Flask], chromium: Any
) -> None:
    base, app = demo_server
    witness = _watch(app)
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/demo/start?role=learner&activity=m01.quiz&lang=en")
    # Without scripts, the LMS's auto-posted forms need their button pressed.
    while page.locator("form.envoi-auto button").count():
        with page.expect_navigation():
            page.locator("form.envoi-auto button").click()
    page.get_by_role("heading", level=1).filter(has_text="Quiz").wait_for()
    assert page.url == f"{base}/lti/launch"
    response = page.reload()
    assert response is not None and response.status == 400
    assert witness.requests.count(("POST", "/lti/launch")) == 2
    alert = page.get_by_role("alert")
    assert "refreshing the page it has just opened sends it again" in alert.inner_text()
    assert "Open the activity again from the course" in alert.inner_text()
    context.close()
