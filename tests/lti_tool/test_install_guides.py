"""Per-LMS installation pages and the Canvas JSON, generated from this instance's URLs."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from flask import Flask

from lti_tool.install_guides import GUIDES
from tests.lti_tool.one_language import assert_in_one_language, visible_text

BASE = "https://outil.example.org"


@pytest.fixture
def public_tool(settings: Any) -> Flask:
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    configured = dataclasses.replace(settings, base_url=BASE)
    prepare_instance(configured)
    return create_app(configured)


@pytest.mark.parametrize("lms", sorted(GUIDES))
def test_each_guide_gives_this_instances_values(public_tool: Flask, lms: str) -> None:
    response = public_tool.test_client().get(f"/install/{lms}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for url in (f"{BASE}/lti/login", f"{BASE}/lti/launch", f"{BASE}/lti/jwks"):
        assert url in page
    assert "127.0.0.1" not in page and "pas https" not in page
    assert "ambassadeurs platforms add" in page  # the LMS's values, back into the tool


@pytest.mark.parametrize("lms", ["moodle", "canvas", "brightspace"])
def test_dynamic_registration_guides_give_the_one_url_to_paste(
    public_tool: Flask, lms: str
) -> None:
    page = public_tool.test_client().get(f"/install/{lms}").get_data(as_text=True)
    assert f"{BASE}/lti/register" in page


def test_canvas_json_is_a_developer_key_configuration(public_tool: Flask) -> None:
    response = public_tool.test_client().get("/install/canvas.json")
    config = response.get_json()
    assert response.status_code == 200
    assert config["oidc_initiation_url"] == f"{BASE}/lti/login"
    assert config["target_link_uri"] == f"{BASE}/lti/launch"
    assert config["public_jwk_url"] == f"{BASE}/lti/jwks"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in config["scopes"]
    [extension] = config["extensions"]
    assert extension["platform"] == "canvas.instructure.com"
    assert extension["domain"] == "outil.example.org"
    placements = {p["placement"]: p["message_type"] for p in extension["settings"]["placements"]}
    assert placements == {
        "link_selection": "LtiDeepLinkingRequest",
        "assignment_selection": "LtiDeepLinkingRequest",
    }


def test_http_instance_warns_that_an_lms_needs_https(app: Flask) -> None:
    page = app.test_client().get("/install/moodle").get_data(as_text=True)
    assert "http://127.0.0.1:5000/lti/register" in page and "exige https" in page


def test_unknown_lms_is_not_found(app: Flask) -> None:
    assert app.test_client().get("/install/sakai").status_code == 404


def test_home_and_index_link_every_guide(app: Flask) -> None:
    home = app.test_client().get("/").get_data(as_text=True)
    assert 'href="/install/"' in home and "http://127.0.0.1:5000/lti/register" in home
    index = app.test_client().get("/install/").get_data(as_text=True)
    for lms in GUIDES:
        assert f'href="/install/{lms}"' in index
    assert 'href="/install/canvas.json"' in index


# --- Language -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lms", sorted(GUIDES))
def test_install_guide_is_in_english_for_an_english_browser(public_tool: Flask, lms: str) -> None:
    response = public_tool.test_client().get(
        f"/install/{lms}", headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    page = response.get_data(as_text=True)
    assert f"Installing the tool in {GUIDES[lms]}" in visible_text(page)
    assert "Registering the LMS in the tool" in page
    for url in (f"{BASE}/lti/login", f"{BASE}/lti/launch", f"{BASE}/lti/jwks"):
        assert url in page  # the same values in either language
    assert_in_one_language(page, "en")
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("lms", sorted(GUIDES))
def test_install_guide_is_in_french_by_default(public_tool: Flask, lms: str) -> None:
    for accept in ({}, {"Accept-Language": "fr-CA"}, {"Accept-Language": "it"}):
        page = public_tool.test_client().get(f"/install/{lms}", headers=accept).get_data(True)
        assert f"Installer l'outil dans {GUIDES[lms]}" in visible_text(page)
        assert_in_one_language(page, "fr")


def test_install_pages_switch_language_and_keep_it_from_guide_to_guide(app: Flask) -> None:
    client = app.test_client()
    french = client.get("/install/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in french
    assert 'href="/install/moodle"' in french  # no choice made: links follow the browser
    english = client.get("/install/?lang=en", headers={"Accept-Language": "fr"})
    page = english.get_data(as_text=True)
    assert_in_one_language(page, "en")
    assert 'href="/install/moodle?lang=en"' in page
    assert '<a href="?lang=fr" lang="fr" hreflang="fr">Français</a>' in page
    guide = client.get("/install/moodle?lang=en", headers={"Accept-Language": "fr"})
    assert_in_one_language(guide.get_data(as_text=True), "en")
    assert 'href="/install/canvas?lang=en"' in guide.get_data(as_text=True)


def test_http_warning_is_in_the_page_language(app: Flask) -> None:
    page = app.test_client().get("/install/moodle", headers={"Accept-Language": "en"})
    text = visible_text(page.get_data(as_text=True))
    assert "This instance is served over http (http://127.0.0.1:5000/)" in text
    assert "an LMS in production requires https" in text


@pytest.mark.parametrize("lms", ["moodle", "brightspace"])
def test_platform_command_has_one_option_per_line(public_tool: Flask, lms: str) -> None:
    page = public_tool.test_client().get(f"/install/{lms}").get_data(as_text=True)
    command = page[page.index("<pre>ambassadeurs platforms add") : page.index("</pre>")]
    lines = command.split("\n")
    assert all(line.endswith(" \\") for line in lines[:-1]), lines
    assert lines[-1] == "  --deployment-id &lt;Deployment ID&gt;"
    assert ("--auth-audience" in command) == (lms == "brightspace")
