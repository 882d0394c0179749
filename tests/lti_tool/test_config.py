"""Configuration: defaults < config.json < environment, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lti_tool.config import ConfigError, load_settings


def test_defaults_apply_without_any_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.base_url == "http://127.0.0.1:5000"
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'instance' / 'ambassadeurs.db'}"


def test_config_file_overrides_defaults_and_environment_overrides_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("config.json").write_text(
        json.dumps({"base_url": "https://outil.example.org", "port": 8000}), encoding="utf-8"
    )
    settings = load_settings(environ={})
    assert (settings.base_url, settings.port) == ("https://outil.example.org", 8000)
    settings = load_settings(environ={"AMBASSADEURS_PORT": "9000"})
    assert (settings.base_url, settings.port) == ("https://outil.example.org", 9000)


def test_invalid_json_names_the_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("config.json").write_text('{\n  "port": 80,\n}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.json:3: JSON invalide"):
        load_settings(environ={})


def test_unknown_field_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("config.json").write_text('{"bse_url": "x"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="bse_url"):
        load_settings(environ={})


@pytest.mark.parametrize(
    "value", ["ftp://x.org", "https://x.org/", "https://x.org/sous-chemin", "pas une url"]
)
def test_base_url_must_be_an_http_origin(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="base_url"):
        load_settings(environ={"AMBASSADEURS_BASE_URL": value})


def test_non_integer_port_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="port"):
        load_settings(environ={"AMBASSADEURS_PORT": "cinq"})


def test_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="introuvable"):
        load_settings(environ={"AMBASSADEURS_CONFIG": str(tmp_path / "absent.json")})


def test_example_config_documents_and_loads_every_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = Path(__file__).parents[2] / "config.example.json"
    data = json.loads(example.read_text(encoding="utf-8"))
    from lti_tool.config import Settings

    names = set(Settings.__dataclass_fields__)
    assert names == set(data["$fields"]) == {k for k in data if not k.startswith("$")}
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={"AMBASSADEURS_CONFIG": str(example)})
    assert settings.demo_platform is True and settings.key_grace_days == 7


def test_boolean_settings_read_words_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={"AMBASSADEURS_DEMO_PLATFORM": "false"}).demo_platform is False
    with pytest.raises(ConfigError, match="demo_platform"):
        load_settings(environ={"AMBASSADEURS_DEMO_PLATFORM": "peut-être"})
