"""Fixtures for the LTI tests: a signing platform registered in a fresh tool instance."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.lti_tool.signing_platform import SigningPlatform, serve


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
