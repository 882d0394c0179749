"""`ambassadeurs serve --production`: gunicorn with several worker processes answers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import requests

from tests.conftest import FIXTURE_CURRICULUM
from tests.lti_tool.tool_process import run_cli, running_tool


def test_production_server_spreads_requests_over_its_workers(tmp_path: Path) -> None:
    content = {"AMBASSADEURS_CONTENT_PATH": str(FIXTURE_CURRICULUM)}
    with running_tool(tmp_path, ["--production", "--workers", "2"], content) as tool:
        session = requests.Session()
        statuses = {session.get(tool.base + "/", timeout=5).status_code for _ in range(20)}
        assert statuses == {200}
        assert requests.get(tool.base + "/readyz", timeout=5).status_code == 200
        workers = subprocess.run(
            ["pgrep", "-P", str(tool.process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(workers) == 2


def test_db_upgrade_is_idempotent(tmp_path: Path) -> None:
    env = {**os.environ, "AMBASSADEURS_INSTANCE_PATH": str(tmp_path / "instance")}
    for _ in range(2):
        result = run_cli("db", "upgrade", cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        assert "Instance prête" in result.stdout + result.stderr
