"""The pages an LMS administrator sees during Dynamic Registration (the tool's registration
address opened from the LMS, then confirmed), against an LMS served over HTTP: the same
rules as every other page, in French and in English."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.lti_tool.registration_platform import RegistrationPlatform, serve
from tests.page_quality.lti_pages import LOCALES, submit
from tests.page_quality.measure import Meter

registration_lms = contextlib.contextmanager(serve)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_registration_pages_are_accessible_and_light(
    browser: Any, shipped_tool: str, lang: str
) -> None:
    with registration_lms(RegistrationPlatform()) as lms:
        query = urlencode(
            {"openid_configuration": lms.configuration_url, "registration_token": lms.new_token()}
        )
        address = f"{shipped_tool}/lti/register?{query}"
        meter = Meter(browser, LOCALES[lang])
        try:
            confirm = meter.load("registration: confirm", lambda tab: tab.goto(address))
            done = meter.load("registration: done", submit("main form button[type=submit]"))
        finally:
            meter.close()
        assert lms.registrations, "the LMS received no registration"
    for report in (confirm, done):
        assert report.problems() == [], report.line()
        assert report.lang == lang
