"""`ambassadeurs serve --production`: gunicorn with several worker processes answers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import FIXTURE_CURRICULUM
from tests.lti_tool.test_home import free_port


def test_production_server_spreads_requests_over_its_workers(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "AMBASSADEURS_INSTANCE_PATH": str(tmp_path / "instance"),
        "AMBASSADEURS_CONTENT_PATH": str(FIXTURE_CURRICULUM),
        "AMBASSADEURS_PORT": str(port),
    }
    command = [sys.executable, "-m", "ambassadeurs_cli", "serve", "--production", "--workers", "2"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        session = requests.Session()
        statuses = {
            session.get(f"http://127.0.0.1:{port}/", timeout=5).status_code for _ in range(20)
        }
        assert statuses == {200}
        assert requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
        workers = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(workers) == 2
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


def test_db_upgrade_is_idempotent(tmp_path: Path) -> None:
    env = {**os.environ, "AMBASSADEURS_INSTANCE_PATH": str(tmp_path / "instance")}
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "ambassadeurs_cli", "db", "upgrade"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "Instance prête" in result.stdout + result.stderr
