"""Fixtures for the LTI tests: a signing platform registered in a fresh tool instance."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.lti_tool.signing_platform import SigningPlatform, serve
from tests.lti_tool.tool_process import free_port


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
    import threading

    from werkzeug.serving import make_server

    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    port = free_port()
    configured = dataclasses.replace(settings, base_url=f"http://127.0.0.1:{port}")
    prepare_instance(configured)
    app = create_app(configured)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield configured.base_url, app
    finally:
        server.shutdown()
        thread.join(timeout=5)
