"""How pages and assets travel: gzip, ETag and 304, long-cached hashed assets, the icon,
and the language of public pages from the browser."""

from __future__ import annotations

import gzip
import re
from typing import Any

from flask.testing import FlaskClient

from tests.lti_tool.signing_platform import SigningPlatform
from tests.lti_tool.test_learn_pages import open_activity


def test_pages_and_stylesheet_are_gzipped_for_browsers_that_accept_it(
    client: FlaskClient,
) -> None:
    page = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    html = gzip.decompress(page.data).decode()
    assert "<html" in html
    css_url = re.search(r'href="(/assets/style\.[0-9a-f]+\.css)"', html).group(1)  # type: ignore[union-attr]
    css = client.get(css_url, headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]
    assert len(css.data) < len(gzip.decompress(css.data)) / 2
    plain = client.get(css_url)
    assert "Content-Encoding" not in plain.headers
    assert plain.data == gzip.decompress(css.data)


def test_lesson_page_revisited_is_a_304_without_body(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    _page, token = open_activity(client, lms, "m01.l01")
    url = f"/learn/lessons/m01.l01?ltik={token}"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
    assert again.status_code == 304 and again.data == b""


def test_home_page_answers_304_to_a_browser_that_has_it(client: FlaskClient) -> None:
    first = client.get("/")
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_favicon_is_served_where_browsers_look_for_it(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.data.startswith(b"<svg")


def test_public_pages_follow_the_browser_language(client: FlaskClient) -> None:
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(True)
    french = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(True)
    other = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(True)
    assert '<html lang="en">' in english and "Install the tool in your LMS" in english
    assert '<html lang="fr">' in french and "<h1>Installer l&#39;outil dans votre LMS" in french
    assert '<html lang="fr">' in other  # French by default


def test_launched_page_keeps_the_launch_language_whatever_the_browser(
    client: FlaskClient, lms: SigningPlatform, lti_app: Any
) -> None:
    _page, token = open_activity(client, lms, "m01")
    response = client.get(f"/learn/?ltik={token}", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in response.get_data(True)


def test_pages_in_the_browser_language_tell_caches_they_vary_with_it(
    client: FlaskClient, lms: SigningPlatform
) -> None:
    for path in ("/", "/certificates/AAAA-BBBB-CCCC", "/install/", "/admin/login"):
        response = client.get(path, headers={"Accept-Language": "en"})
        assert "Accept-Language" in response.headers.get("Vary", ""), path
    # A launched page takes its language from the launch, whatever the browser asks.
    _page, token = open_activity(client, lms, "m01.l01")
    lesson = client.get(f"/learn/lessons/m01.l01?ltik={token}")
    assert "Accept-Language" not in lesson.headers.get("Vary", "")
