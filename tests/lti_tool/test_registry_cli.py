"""`ambassadeurs platforms …` and `ambassadeurs keys rotate` on a real instance folder."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ambassadeurs_cli import main
from lti_tool import keys

MOODLE = [
    "--name",
    "Moodle test",
    "--issuer",
    "https://moodle.example.org",
    "--client-id",
    "wtMPGCtxtDE31Ss",
    "--auth-login-url",
    "https://moodle.example.org/mod/lti/auth.php",
    "--auth-token-url",
    "https://moodle.example.org/mod/lti/token.php",
    "--key-set-url",
    "https://moodle.example.org/mod/lti/certs.php",
]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AMBASSADEURS_INSTANCE_PATH", str(tmp_path / "instance"))
    return CliRunner()


def test_platforms_add_list_show_remove(runner: CliRunner) -> None:
    added = runner.invoke(main, ["platforms", "add", *MOODLE, "--deployment-id", "1"])
    assert added.exit_code == 0, added.output
    assert "wtMPGCtxtDE31Ss" in added.output
    second = runner.invoke(
        main, ["platforms", "add", *MOODLE[:4], "--client-id", "other", *MOODLE[6:]]
    )
    assert second.exit_code == 0, second.output
    listed = runner.invoke(main, ["platforms", "list"])
    assert listed.output.count("https://moodle.example.org") == 2
    assert "deployments=1" in listed.output
    shown = runner.invoke(main, ["platforms", "show", "1"])
    assert "certs.php" in shown.output
    removed = runner.invoke(main, ["platforms", "remove", "1", "--yes"])
    assert removed.exit_code == 0
    assert "wtMPGCtxtDE31Ss" not in runner.invoke(main, ["platforms", "list"]).output


def test_adding_again_adds_only_the_new_deployments(runner: CliRunner) -> None:
    runner.invoke(main, ["platforms", "add", *MOODLE, "--deployment-id", "1"])
    again = runner.invoke(
        main, ["platforms", "add", *MOODLE, "--deployment-id", "1", "--deployment-id", "2"]
    )
    assert again.exit_code == 0
    assert "added: 2" in again.output
    assert "deployments=1,2" in runner.invoke(main, ["platforms", "list"]).output


def test_platform_with_a_bad_url_is_refused(runner: CliRunner) -> None:
    bad = [*MOODLE[:-1], "ftp://moodle.example.org/certs"]
    result = runner.invoke(main, ["platforms", "add", *bad])
    assert result.exit_code != 0
    assert "key_set_url" in result.output


def test_show_unknown_platform_fails_cleanly(runner: CliRunner) -> None:
    result = runner.invoke(main, ["platforms", "show", "42"])
    assert result.exit_code == 1
    assert "inconnue" in result.output and "Traceback" not in result.output


def test_platforms_are_seeded_from_config_json(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = {
        "name": "Seeded",
        "issuer": "https://lms.example.org",
        "client_id": "abc",
        "auth_login_url": "https://lms.example.org/auth",
        "auth_token_url": "https://lms.example.org/token",
        "key_set_url": "https://lms.example.org/jwks",
        "deployment_ids": ["7"],
    }
    (tmp_path / "config.json").write_text(json.dumps({"platforms": [entry]}), encoding="utf-8")
    result = runner.invoke(main, ["platforms", "list"])
    assert "Seeded" in result.output and "deployments=7" in result.output


def test_first_start_generates_a_private_key_readable_by_us_only(
    runner: CliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(main, ["init"]).exit_code == 0
    (key,) = keys.load_keys(tmp_path / "instance")
    assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.path.parent.stat().st_mode) == 0o700
    jwk = key.public_jwk()
    assert jwk["kid"] == key.kid and jwk["alg"] == "RS256" and "d" not in jwk
    assert len(keys.load_keys(tmp_path / "instance")) == 1  # a second load creates nothing


def test_rotation_keeps_the_previous_key_published_during_the_grace_period(
    tmp_path: Path,
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    old = keys.generate_key(tmp_path, start)
    grace = timedelta(days=7)
    new = keys.rotate(tmp_path, grace, start + timedelta(days=1))
    kids = [k["kid"] for k in keys.jwks(tmp_path, grace, start + timedelta(days=2))["keys"]]
    assert kids == [old.kid, new.kid]
    assert keys.ensure_signing_key(tmp_path).kid == new.kid
    later = [k["kid"] for k in keys.jwks(tmp_path, grace, start + timedelta(days=9))["keys"]]
    assert later == [new.kid]
    keys.rotate(tmp_path, grace, start + timedelta(days=10))
    assert old.kid not in [k.kid for k in keys.load_keys(tmp_path)]  # private half deleted


def test_keys_rotate_command_adds_a_signing_key(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["init"])
    (first,) = keys.load_keys(tmp_path / "instance")
    result = runner.invoke(main, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    current = keys.ensure_signing_key(tmp_path / "instance")
    assert current.kid != first.kid and current.kid in result.output
