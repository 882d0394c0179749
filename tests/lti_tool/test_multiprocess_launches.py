"""Launches spread over several gunicorn worker processes: state and nonce are shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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
from tests.lti_tool.test_home import free_port

TARGET_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"


def test_launches_succeed_across_four_worker_processes(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"
    for platform in serve(SigningPlatform()):
        env = {
            **os.environ,
            "AMBASSADEURS_INSTANCE_PATH": str(tmp_path / "instance"),
            "AMBASSADEURS_CONTENT_PATH": str(FIXTURE_CURRICULUM),
            "AMBASSADEURS_BASE_URL": base,
            "AMBASSADEURS_PORT": str(port),
            "AMBASSADEURS_PLATFORMS": json.dumps([platform.registration()]),
        }
        command = [sys.executable, "-m", "ambassadeurs_cli", "serve", "--production"]
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                [*command, "--workers", "4"], cwd=tmp_path, env=env, stdout=log, stderr=log
            )
        try:
            wait_until_up(base, process, log_path)
            outcomes = [launch(base, platform) for _ in range(24)]
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert outcomes == [200] * 24
    events = [json.loads(line) for line in log_path.read_text().splitlines() if line[:1] == "{"]
    logins = {e["pid"] for e in events if e.get("event") == "request" and e["path"] == "/lti/login"}
    launches = {
        e["pid"]
        for e in events
        if e.get("event") == "request" and e["path"] == "/lti/launch" and e["status"] == 200
    }
    # Each request opened a new connection, so the kernel spread them over the processes:
    # logins and launches (which must find the login's state) were served by several.
    assert len(logins | launches) >= 2, events[-5:]


def wait_until_up(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 40
    while True:
        try:
            requests.get(base + "/healthz", timeout=2)
            return
        except requests.ConnectionError:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)


def launch(base: str, platform: SigningPlatform) -> int:
    """One full launch on fresh connections (no cookie kept): login, launch, first page."""
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
    page = requests.post(target, data={"state": state, "id_token": token}, timeout=10)
    return page.status_code
