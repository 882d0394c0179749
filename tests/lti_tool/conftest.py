"""Fixtures for the LTI tests: a signing platform registered in a fresh tool instance."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.lti_tool.signing_platform import SigningPlatform, serve
from tests.lti_tool.tool_process import free_port
from tests.wsgi_thread import served_in_thread


@pytest.fixture
def lms() -> Iterator[SigningPlatform]:
    """A platform whose JWKS is served on 127.0.0.1."""
    yield from serve(SigningPlatform())


@pytest.fixture
def lti_app(settings: Any, lms: SigningPlatform) -> Flask:
    """The tool with `lms` registered (seeded from the configuration, as in production)."""
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    configured = dataclasses.replace(settings, platforms=[lms.registration()])
    prepare_instance(configured)
    return create_app(configured)


@pytest.fixture
def client(lti_app: Flask) -> FlaskClient:
    """A browser that keeps no cookie at all (third-party cookies blocked in an iframe)."""
    return lti_app.test_client(use_cookies=False)


@pytest.fixture
def demo_server(settings: Any) -> Iterator[tuple[str, Flask]]:
    """The tool with its built-in demo LMS (lti1p3platform), served over real HTTP."""

    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    port = free_port()
    configured = dataclasses.replace(settings, base_url=f"http://127.0.0.1:{port}")
    prepare_instance(configured)
    app = create_app(configured)
    with served_in_thread(app, port=port):
        yield configured.base_url, app


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # Chromium's own third-party cookie blocking (what Chrome ships to every user).
    "--test-third-party-cookie-phaseout",
]


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, blocking third-party cookies as Chrome does."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is required (Debian package chromium; `make test` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
