"""The systemd unit files in deploy/ are valid for systemd (systemd-analyze verify)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = sorted((Path(__file__).parents[2] / "deploy" / "systemd").glob("*.service"))


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_unit_file_is_valid(unit: Path, tmp_path: Path) -> None:
    assert shutil.which("systemd-analyze"), "systemd-analyze is needed (Debian package systemd)"
    # The units name /opt/ambassadeurs; verify a copy pointing at this checkout's commands.
    venv_bin = Path(sys.executable).parent
    text = unit.read_text(encoding="utf-8").replace("/opt/ambassadeurs/.venv/bin", str(venv_bin))
    name = unit.name.replace("@.service", "@1.service")
    copy = tmp_path / unit.name
    copy.write_text(text, encoding="utf-8")
    if name != unit.name:
        (tmp_path / name).symlink_to(copy)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(tmp_path / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "Unknown" in line or "Failed" in line or "Invalid" in line or "not executable" in line
    ]
    assert result.returncode == 0 and problems == [], result.stdout + result.stderr
