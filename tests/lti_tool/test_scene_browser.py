"""The bad-practices scene in Chromium: situations flagged by clicking their card, counted."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from tests.lti_tool.conftest import free_port
from tests.wsgi_thread import served_in_thread


@pytest.fixture
def shipped_demo(settings: Any) -> Iterator[str]:
    """The tool on the shipped curriculum (it has the module-1 scene), with its demo LMS."""
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    port = free_port()
    configured = dataclasses.replace(settings, base_url=f"http://127.0.0.1:{port}", content_path="")
    prepare_instance(configured)
    with served_in_thread(create_app(configured), port=port):
        yield configured.base_url


def test_clicking_a_situation_card_flags_it_and_the_counter_follows(
    shipped_demo: str, chromium: Any
) -> None:
    page = chromium.new_page()
    page.goto(f"{shipped_demo}/demo/start?role=learner&activity=m01.ws.mauvaises-pratiques")
    page.wait_for_selector("fieldset.scene.scene-cliquable")
    counter = page.locator("fieldset.scene .compteur")
    assert counter.inner_text() == "0 situation repérée"
    cards = page.locator("fieldset.scene .choix")
    assert cards.count() >= 20
    first = cards.nth(0)
    box = first.bounding_box()
    assert box is not None
    # Click the card's top right corner, in its padding: neither the checkbox nor
    # its label.
    corner = {"x": box["width"] - 3, "y": 3}
    first.click(position=corner)
    assert first.locator("input").is_checked()
    assert "reperee" in (first.get_attribute("class") or "")
    page.keyboard.press("Tab")  # the keyboard still reaches the checkboxes
    cards.nth(1).locator("input").check()
    assert counter.inner_text() == "2 situations repérées"
    first.click(position=corner)
    assert not first.locator("input").is_checked()
    assert counter.inner_text() == "1 situation repérée"
    page.locator("fieldset.scene ~ p button[type=submit]").click()
    page.wait_for_selector("p.verdict")
