"""LTI platform storage in a real Chromium, third-party cookies blocked: the tool in an iframe
of a platform on another site that offers `lti.put_data`/`lti.get_data` (as Canvas and
Blackboard do) keeps its login's state and nonce there, and its launch opens only when the
same browser's platform storage gives them back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.models import Launch, OidcState
from lti_tool.platforms import PlatformSpec, add_platform
from tests.lti_tool.conftest import free_port
from tests.lti_tool.storage_platform import (
    CLIENT_ID,
    DEPLOYMENT_ID,
    StoragePlatform,
    serve_storage_platform,
)
from tests.lti_tool.test_iframe_browser import CookieWitness


@pytest.fixture
def storage_lms(demo_server: tuple[str, Flask]) -> Iterator[StoragePlatform]:
    """The platform on localhost, registered in the tool on 127.0.0.1 (another site)."""
    base, app = demo_server
    platform = StoragePlatform(tool_base=base)
    for served in serve_storage_platform(platform, free_port()):
        with Session(app.extensions["ambassadeurs.engine"]) as session, session.begin():
            add_platform(
                session,
                PlatformSpec(
                    issuer=served.issuer,
                    client_id=CLIENT_ID,
                    auth_login_url=f"{served.origin}/auth",
                    auth_token_url=f"{served.origin}/token",
                    key_set_url=f"{served.origin}/jwks",
                    deployment_ids=(DEPLOYMENT_ID,),
                ),
            )
        app.extensions["ambassadeurs.reset_frame_ancestors"]()
        yield served


def watch(app: Flask) -> CookieWitness:
    witness = CookieWitness(app.wsgi_app)
    app.wsgi_app = witness  # type: ignore[method-assign]
    return witness


def open_course(chromium: Any, platform: StoragePlatform, storage: str) -> Any:
    page = chromium.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{platform.origin}/course?storage={storage}")
    return page


def stored_messages(page: Any) -> list[str]:
    """What the platform's storage frame was asked, in order."""
    frame = page.frame(name="lti_storage_frame")
    return list(frame.evaluate("window.ltiMessages"))


def launches(app: Flask) -> int:
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        return len(session.scalars(select(Launch)).all())


@pytest.mark.parametrize("storage", ["frame", "target"])
def test_launch_opens_with_the_values_kept_in_the_platform_storage(
    demo_server: tuple[str, Flask], storage_lms: StoragePlatform, chromium: Any, storage: str
) -> None:
    _base, app = demo_server
    witness = watch(app)
    page = open_course(chromium, storage_lms, storage)
    frame = page.frame_locator("#outil")
    frame.get_by_role("heading", level=1).filter(has_text="Quiz").wait_for()
    [authorization] = storage_lms.authorizations
    state, nonce = authorization["state"], authorization["nonce"]
    # Stored at login, read back at launch, in the platform's storage frame.
    assert stored_messages(page) == [
        f"lti.put_data lti_state_{state}",
        f"lti.put_data lti_nonce_{nonce}",
        f"lti.get_data lti_state_{state}",
        f"lti.get_data lti_nonce_{nonce}",
    ]
    assert "/lti/login/stored" in witness.paths and "/lti/launch/storage-check" in witness.paths
    assert witness.cookies == []
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        record = session.get(OidcState, state)
        assert record is not None
        assert record.stored_in_platform_at is not None and record.storage_checked_at is not None


def test_launch_carried_into_another_browser_is_refused(
    demo_server: tuple[str, Flask], storage_lms: StoragePlatform, chromium: Any
) -> None:
    base, app = demo_server
    # Someone else's login, bound to the platform storage of *their* browser…
    login_page = requests.get(storage_lms.login_url("target"), timeout=10).text
    state = re.search(r'data-state="([^"]+)"', login_page)
    nonce = re.search(r'data-nonce="([^"]+)"', login_page)
    assert state and nonce
    bound = requests.post(f"{base}/lti/login/stored", data={"state": state[1]}, timeout=10)
    assert bound.status_code == 204
    # …whose launch the platform posts into this browser.
    storage_lms.forged_login = (state[1], nonce[1])
    witness = watch(app)
    page = open_course(chromium, storage_lms, "target")
    frame = page.frame_locator("#outil")
    frame.get_by_role("heading", name="Le lancement n'a pas abouti").wait_for()
    frame.get_by_text("ne détient pas la preuve de connexion").wait_for()
    assert f"lti.get_data lti_state_{state[1]}" in stored_messages(page)
    assert not any(p.startswith("/learn/") for p in witness.paths)
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        # The launch that waited for the check is gone with the refusal.
        assert session.scalars(select(Launch)).all() == []


def test_without_lti_storage_target_the_server_side_path_still_opens_the_launch(
    demo_server: tuple[str, Flask], storage_lms: StoragePlatform, chromium: Any
) -> None:
    _base, app = demo_server
    witness = watch(app)
    page = open_course(chromium, storage_lms, "none")
    frame = page.frame_locator("#outil")
    frame.get_by_role("heading", level=1).filter(has_text="Quiz").wait_for()
    assert stored_messages(page) == []
    assert "/lti/login/stored" not in witness.paths
    assert "/lti/launch/storage-check" not in witness.paths
    assert witness.cookies == []
    assert launches(app) == 1
