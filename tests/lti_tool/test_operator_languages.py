"""The administrator pages' words: every message in French and English, alike in what they
carry (placeholders, markup), and every key the templates use is in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from lti_tool import dynamic_registration, registration
from lti_tool.messages import CATALOGUE, MESSAGES
from lti_tool.operator_messages import ADMIN_MESSAGES, INSTALL_MESSAGES, REGISTRATION_MESSAGES
from tests.lti_tool.one_language import OPERATOR_MESSAGES, assert_in_one_language, visible_text

TEMPLATES = Path(registration.__file__).parent / "templates"
OPERATOR_TEMPLATES = sorted(
    path
    for folder in ("admin", "install", "registration")
    for path in (TEMPLATES / folder).glob("*.html")
)
TAG = re.compile(r"</?([a-z]+)")


def test_catalogues_share_no_key() -> None:
    parts = [MESSAGES, ADMIN_MESSAGES, INSTALL_MESSAGES, REGISTRATION_MESSAGES]
    assert sum(len(part) for part in parts) == len(CATALOGUE)


def _differences(key: str, french: str, english: str) -> list[str]:
    """How the two versions of a message differ in what they carry."""
    found = []
    if not (french.strip() and english.strip()):
        found.append("empty")
    if sorted(re.findall(r"\{(\w+)\}", french)) != sorted(re.findall(r"\{(\w+)\}", english)):
        found.append("placeholders")
    if TAG.findall(french) != TAG.findall(english):
        found.append("markup")
    if TAG.search(french + english) and not key.endswith("_html"):
        found.append("markup where the templates escape it")
    return found


def test_every_message_says_the_same_in_both_languages() -> None:
    unlike = {key: _differences(key, *pair) for key, pair in OPERATOR_MESSAGES.items()}
    assert {key: found for key, found in unlike.items() if found} == {}


@pytest.mark.parametrize("template", OPERATOR_TEMPLATES, ids=lambda path: path.name)
def test_every_key_a_template_asks_for_is_in_the_catalogue(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    assert '<span lang="en">' not in source, "no English beside the French any more"
    for function, key in re.findall(r"\b(_|_html)\('([a-z0-9_]+)'\s*[,)]", source):
        assert key in CATALOGUE, f"{template.name}: {key}"
        assert (function == "_html") == key.endswith("_html"), f"{template.name}: {key}"


def test_every_registration_problem_has_its_message() -> None:
    source = Path(dynamic_registration.__file__).read_text(encoding="utf-8")
    source += Path(registration.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'RegistrationError\(\s*"([a-z_]+)"', source))
    codes |= set(re.findall(r'\bcode = "([a-z_]+)"', source))  # the LMS's refusals
    assert {"missing_parameters", "issuer_mismatch", "token_used"} <= codes
    for code in codes:
        assert f"registration_problem_{code}" in REGISTRATION_MESSAGES, code


def test_registration_problem_page_follows_the_browser_language(app: Flask) -> None:
    client = app.test_client()
    english = client.get("/lti/register", headers={"Accept-Language": "en-US,en;q=0.8"})
    page = english.get_data(as_text=True)
    assert english.status_code == 400
    assert "<h1>The registration did not succeed</h1>" in page
    assert "This address is opened by the LMS: paste it" in page
    assert "Code: <code>missing_parameters</code>. Reference to pass on:" in page
    assert_in_one_language(page, "en")
    french = client.get("/lti/register", headers={"Accept-Language": "fr"})
    text = visible_text(french.get_data(as_text=True))
    assert "L'inscription n'a pas abouti" in text and "Code : missing_parameters." in text
    assert_in_one_language(french.get_data(as_text=True), "fr")
