"""The signed OIDC state: read back by any worker, refused when forged or too old."""

from __future__ import annotations

import pytest

from lti_tool.oidc_state import PREFIX, LoginStates, StateRefused

ISSUED_AT = 1_790_000_000
TARGET = "https://tool.example/lti/launch"


def _state(states: LoginStates, browser_id: str | None = "browser-1") -> str:
    value = states.value("nonce-1", 7, TARGET, browser_id, False, ISSUED_AT)
    return PREFIX + value  # as pylti1p3 sends it to the platform


def test_state_read_back_gives_what_the_login_issued() -> None:
    states = LoginStates("secret", 600)
    login = states.read(_state(states), ISSUED_AT + 5)
    assert (login.nonce, login.platform_id, login.issued_at) == ("nonce-1", 7, ISSUED_AT)
    assert login.targets(TARGET) and not login.targets(TARGET + "?other")
    assert not login.with_storage


def test_state_signed_by_another_tool_is_refused() -> None:
    state = _state(LoginStates("another secret", 600))
    with pytest.raises(StateRefused) as refused:
        LoginStates("secret", 600).read(state, ISSUED_AT)
    assert not refused.value.expired


def test_state_altered_by_one_character_is_refused() -> None:
    states = LoginStates("secret", 600)
    state = _state(states)
    middle = len(state) // 2
    altered = state[:middle] + ("A" if state[middle] != "A" else "B") + state[middle + 1 :]
    with pytest.raises(StateRefused):
        states.read(altered, ISSUED_AT)


def test_state_older_than_its_lifetime_is_refused_as_expired() -> None:
    states = LoginStates("secret", 600)
    assert states.read(_state(states), ISSUED_AT + 600).nonce == "nonce-1"
    with pytest.raises(StateRefused) as refused:
        states.read(_state(states), ISSUED_AT + 601)
    assert refused.value.expired


def test_state_does_not_carry_the_browser_cookie_nor_the_target_in_clear() -> None:
    import base64

    state = _state(LoginStates("secret", 600))
    payload = state.removeprefix(PREFIX).split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert "browser-1" not in decoded and "tool.example" not in decoded


def test_another_browser_is_told_apart_only_when_both_are_known() -> None:
    states = LoginStates("secret", 600)
    login = states.read(_state(states), ISSUED_AT)
    assert login.from_other_browser("browser-2")
    assert not login.from_other_browser("browser-1")
    assert not login.from_other_browser(None)  # the launch's browser kept no cookie
    anonymous = states.read(_state(states, browser_id=None), ISSUED_AT)
    assert not anonymous.from_other_browser("browser-2")


def test_state_fits_its_column_whatever_the_login() -> None:
    from lti_tool.models import OidcState

    states = LoginStates("secret", 600)
    longest = PREFIX + states.value("n" * 32, 2**31, TARGET * 20, "b" * 100, True, 2**33)
    assert len(longest) <= OidcState.__table__.c.state.type.length
