"""Fixtures of the page-quality suite: one Chromium, the tool on the shipped curriculum."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.lti_tool.conftest import free_port
from tests.page_quality.lti_pages import ADMIN_PASSWORD, ADMIN_USER
from tests.page_quality.measure import chromium
from tests.wsgi_thread import served_in_thread


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Per module: Playwright's sync API cannot run twice at once, and other browser
    tests start their own."""
    try:
        with chromium() as launched:
            yield launched
    except RuntimeError as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="module")
def shipped_tool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The tool with its demo LMS on the shipped curriculum (module 1 has the largest
    pages and every kind of page) and an administrator, over real HTTP; yields its base
    URL."""
    from lti_tool.admin_accounts import create_account
    from lti_tool.app import create_app
    from lti_tool.config import load_settings
    from lti_tool.instance import prepare_instance

    folder = tmp_path_factory.mktemp("tool")
    port = free_port()
    settings = load_settings({"instance_path": str(folder / "instance")}, environ={})
    settings = dataclasses.replace(settings, base_url=f"http://127.0.0.1:{port}")
    prepare_instance(settings)
    app = create_app(settings)
    with Session(app.extensions["ambassadeurs.engine"]) as session, session.begin():
        create_account(session, ADMIN_USER, ADMIN_PASSWORD)
    with served_in_thread(app, port=port):
        yield settings.base_url
