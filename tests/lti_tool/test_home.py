"""The home page over a real HTTP server, the instance folder and the security headers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import requests

from tests.conftest import FIXTURE_CURRICULUM
from tests.lti_tool.tool_process import run_cli, running_tool


def test_home_page_tells_the_admin_what_to_paste(live_server: str) -> None:
    response = requests.get(live_server + "/", timeout=5)
    assert response.status_code == 200
    page = response.text
    assert '<html lang="fr">' in page
    for path in ("/lti/login", "/lti/launch", "/lti/jwks"):
        assert f"http://127.0.0.1:5000{path}" in page
    assert "Programme d&#39;essai" in page or "Programme d'essai" in page


def test_pages_carry_a_strict_content_security_policy(live_server: str) -> None:
    response = requests.get(live_server + "/", timeout=5)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_stylesheet_is_served_with_a_hashed_name_and_long_cache(live_server: str) -> None:
    page = requests.get(live_server + "/", timeout=5).text
    href = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/assets/style.") and href.endswith(".css") and len(href) > 20
    response = requests.get(live_server + href, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert "immutable" in response.headers["Cache-Control"]
    assert requests.get(live_server + "/assets/style.css", timeout=5).status_code == 404


def test_secret_key_is_generated_once_and_private(settings: object, app: object) -> None:
    key_file = Path(settings.instance_path) / "secret_key"  # type: ignore[attr-defined]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    from lti_tool.app import create_app

    again = create_app(settings)  # type: ignore[arg-type]
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]  # type: ignore[attr-defined]


def test_serve_command_answers_over_http(tmp_path: Path) -> None:
    content = {"AMBASSADEURS_CONTENT_PATH": str(FIXTURE_CURRICULUM)}
    with running_tool(tmp_path, env=content) as tool:
        assert requests.get(tool.base + "/", timeout=5).status_code == 200
        assert (tmp_path / "instance" / "ambassadeurs.db").is_file()


def test_serve_refuses_invalid_content_with_its_problems(tmp_path: Path) -> None:
    broken = tmp_path / "curriculum"
    import shutil

    shutil.copytree(FIXTURE_CURRICULUM, broken)
    quiz = broken / "02-suite" / "quiz.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace("true_false", "essay"), encoding="utf-8"
    )
    env = {
        **os.environ,
        "AMBASSADEURS_INSTANCE_PATH": str(tmp_path / "instance"),
        "AMBASSADEURS_CONTENT_PATH": str(broken),
    }
    result = run_cli("serve", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "02-suite/quiz.yaml:7: type de question inconnu" in result.stderr
    assert "Traceback" not in result.stderr
