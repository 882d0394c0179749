"""Launches spread over several gunicorn worker processes: any worker reads a login's state,
and a state is consumed once whichever worker receives it."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import requests

from tests.conftest import FIXTURE_CURRICULUM
from tests.lti_tool.signing_platform import (
    SigningPlatform,
    login_params,
    serve,
    state_and_nonce,
)
from tests.lti_tool.tool_process import running_tool

TARGET_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"


def test_launches_succeed_across_four_worker_processes(tmp_path: Path) -> None:
    for platform in serve(SigningPlatform()):
        env = {
            "AMBASSADEURS_CONTENT_PATH": str(FIXTURE_CURRICULUM),
            "AMBASSADEURS_PLATFORMS": json.dumps([platform.registration()]),
        }
        with running_tool(tmp_path, ["--production", "--workers", "4"], env) as tool:
            launched = [launch(tool.base, platform) for _ in range(24)]
            # The same launch posted again, to whichever workers: each one is refused.
            form = launched[0][1]
            replays = [
                requests.post(f"{tool.base}/lti/launch", data=form, timeout=10).status_code
                for _ in range(8)
            ]
    assert [status for status, _form in launched] == [200] * 24
    assert replays == [400] * 8
    lines = tool.log.read_text().splitlines()
    events = [json.loads(line) for line in lines if line[:1] == "{"]
    logins = {e["pid"] for e in events if e.get("event") == "request" and e["path"] == "/lti/login"}
    launches = {
        e["pid"]
        for e in events
        if e.get("event") == "request" and e["path"] == "/lti/launch" and e["status"] == 200
    }
    # Each request opened a new connection, so the kernel spread them over the processes:
    # logins and launches (which must find the login's state) were served by several.
    assert len(logins | launches) >= 2, events[-5:]


def launch(base: str, platform: SigningPlatform) -> tuple[int, dict[str, str]]:
    """One full launch on fresh connections (no cookie kept): login, launch, first page;
    the launch's status and the form it posted."""
    target = f"{base}/lti/launch"
    login = requests.get(
        base + "/lti/login",
        params=login_params(target_link_uri=target),
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302, login.text
    state, nonce = state_and_nonce(login.headers["Location"])
    claims = platform.claims(nonce, **{TARGET_CLAIM: target})
    token = jwt.encode(claims, platform.key, algorithm="RS256", headers={"kid": platform.kid})
    form = {"state": state, "id_token": token}
    page = requests.post(target, data=form, timeout=10)
    return page.status_code, form
