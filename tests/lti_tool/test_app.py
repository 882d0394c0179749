"""The application factory's choices that every request depends on."""

from __future__ import annotations

from typing import Any

import pytest


def test_flask_cookie_session_is_never_opened_and_refuses_writes(app: Any) -> None:
    from flask import session

    with app.test_request_context("/", headers={"Cookie": "session=anything"}):
        app.preprocess_request()
        assert dict(session) == {}
        with pytest.raises(RuntimeError):
            session["written"] = True  # nothing of the tool may rely on it
