"""`ambassadeurs admin create|set-password` on a real instance folder, and the account
signing in to the admin pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ambassadeurs_cli import main

PASSWORD = "a long enough passphrase"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AMBASSADEURS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv(
        "AMBASSADEURS_CONTENT_PATH", str(Path(__file__).parents[1] / "fixtures/curriculum")
    )
    return CliRunner()


def sign_in_status(password: str) -> int:
    from lti_tool.app import create_app

    client = create_app().test_client()
    page = client.get("/admin/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    response = client.post(
        "/admin/login",
        data={"username": "alice", "password": password, "csrf_token": csrf.group(1)},
    )
    return response.status_code


def test_admin_create_asks_the_password_twice_without_echo(runner: CliRunner) -> None:
    result = runner.invoke(main, ["admin", "create", "alice"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert sign_in_status(PASSWORD) == 303
    assert sign_in_status("another passphrase") == 401


def test_admin_create_refuses_a_short_password_and_a_taken_name(runner: CliRunner) -> None:
    short = runner.invoke(main, ["admin", "create", "alice"], input="short\nshort\n")
    assert short.exit_code == 1 and "trop court" in short.output
    runner.invoke(main, ["admin", "create", "alice"], input=f"{PASSWORD}\n{PASSWORD}\n")
    again = runner.invoke(main, ["admin", "create", "alice"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code == 1 and "existe déjà" in again.output


def test_admin_set_password_replaces_the_old_one(runner: CliRunner) -> None:
    runner.invoke(main, ["admin", "create", "alice"], input=f"{PASSWORD}\n{PASSWORD}\n")
    new = "an even longer passphrase"
    result = runner.invoke(main, ["admin", "set-password", "alice"], input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert sign_in_status(new) == 303
    assert sign_in_status(PASSWORD) == 401
