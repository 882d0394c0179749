"""The OIDC `state` of a login: signed by the tool, so the login writes nothing.

The state the tool sends to the platform carries what the launch must check against:
the platform the login came from, the nonce issued with it, a digest of the
`target_link_uri` asked for, a digest of the browser's cookie when it had one, the time
of issue, and whether the login asked for LTI platform storage. It is signed with the
tool's secret key, so any web worker can read it back without a shared store, and the
launch refuses one the tool did not issue or issued more than `lifetime` seconds ago.

Signing makes a state authentic, not single use: the launch consumes it by recording
it in the database (lti_adapter.py), where a second use finds it already there.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "ambassadeurs.oidc-state"
PREFIX = "state-"
"""pylti1p3 puts it before the value it asks the tool for; read back, it is removed."""


class StateRefused(Exception):
    """The state is not one the tool issued (`expired` False), or it is too old (True)."""

    def __init__(self, detail: str, expired: bool) -> None:
        super().__init__(detail)
        self.expired = expired


def digest(value: str) -> str:
    """A short, one-way digest: the state may be seen by the platform and in its logs."""
    return base64.urlsafe_b64encode(hashlib.sha256(value.encode()).digest()[:16]).decode()


@dataclass(frozen=True)
class IssuedLogin:
    """What a login issued, as its state says it."""

    state: str
    nonce: str
    platform_id: int
    target_digest: str
    browser_digest: str
    """Empty when the browser sent no cookie at login."""
    issued_at: int
    with_storage: bool
    """The login asked for LTI platform storage (platform_storage.py keeps a record of it)."""

    def targets(self, target_link_uri: str) -> bool:
        return secrets.compare_digest(digest(target_link_uri), self.target_digest)

    def from_other_browser(self, browser_id: str | None) -> bool:
        """True only when both the login and the launch knew the browser, and they differ."""
        if not self.browser_digest or not browser_id:
            return False
        return not secrets.compare_digest(digest(browser_id), self.browser_digest)


class LoginStates:
    """Issues and reads back the signed states of OIDC logins."""

    def __init__(self, secret_key: str, lifetime_seconds: int) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=_SALT)
        self._lifetime = lifetime_seconds

    def value(
        self,
        nonce: str,
        platform_id: int,
        target_link_uri: str,
        browser_id: str | None,
        with_storage: bool,
        now: int,
    ) -> str:
        """The signed value (without pylti1p3's prefix) of a login issued at `now`."""
        payload = [
            platform_id,
            nonce,
            digest(target_link_uri),
            digest(browser_id) if browser_id else "",
            now,
            1 if with_storage else 0,
        ]
        return str(self._serializer.dumps(payload))

    def read(self, state: str, now: float) -> IssuedLogin:
        """The login `state` names; StateRefused when forged, damaged or too old."""
        try:
            payload = self._serializer.loads(state.removeprefix(PREFIX))
        except BadSignature:
            raise StateRefused("state not issued by this tool", expired=False) from None
        if not (isinstance(payload, list) and len(payload) == 6):
            raise StateRefused("state of an unknown shape", expired=False)
        platform_id, nonce, target_digest, browser_digest, issued_at, with_storage = payload
        age = now - issued_at
        if age > self._lifetime:
            raise StateRefused(f"state issued {age:.0f} s ago", expired=True)
        return IssuedLogin(
            state=state,
            nonce=str(nonce),
            platform_id=int(platform_id),
            target_digest=str(target_digest),
            browser_digest=str(browser_digest),
            issued_at=int(issued_at),
            with_storage=bool(with_storage),
        )
