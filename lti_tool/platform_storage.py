"""LTI platform storage: an OIDC login bound to the browser by the LMS's own storage.

Where third-party cookies are blocked, nothing of the tool's binds the launch to the
browser that started the login. A platform that offers LTI platform storage (1EdTech
« LTI Client Side postMessages », « OIDC Login with LTI Client Side postMessages » and
« postMessage Storage », v0.1: Canvas, Blackboard Learn; not Moodle 5.0) says so with
`lti_storage_target` in the login initiation. The tool then answers the login with a
page whose script (static/platform-storage.js) asks `lti.capabilities`, stores the state
and the nonce with `lti.put_data`, tells the tool it did (`mark_stored`: this login is now
bound to the storage) and goes on to the platform. The launch of a bound login opens
only after a second page read them back with `lti.get_data` in the same browser and the
tool found them equal to the login's (`check_retrieved`).

When the platform does not offer it, or the script cannot reach it (no JavaScript, the
tool opened without a parent window), the login stays unbound and follows the
ordinary path: a state signed by the tool that carries the nonce, short-lived, consumed
once by the launch (oidc_state.py).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from lti_tool.lti_adapter import STATE_LIFETIME_SECONDS, LtiError
from lti_tool.models import OidcState

STORAGE_TARGET_PARAM = "lti_storage_target"
PARENT_TARGET = "_parent"
"""`lti_storage_target` naming the window that embeds the tool itself, not a frame in it."""
_TARGET_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
"""A frame name as platforms send it (`_parent`, `post_message_forwarding`,
`lti_storage_frame`); anything else is ignored, and the login stays unbound."""

WILDCARD_ORIGIN_ISSUERS = frozenset(
    {
        "https://canvas.instructure.com",
        "https://canvas.beta.instructure.com",
        "https://canvas.test.instructure.com",
    }
)
"""Canvas answers on each school's own domain, not on its OIDC authorization URL's origin,
and documents that `*` must be used as the target origin for now
(canvas-lms doc/api/lti_window_post_message.md)."""

CHECK_SECONDS = 120
"""Between the launch and the page's report of what the platform storage holds."""
_CHECK_SALT = "ambassadeurs.platform-storage-check"
_MAX_REPORTED_PROBLEM = 100


def requested_target(params: Mapping[str, str]) -> str | None:
    """The frame the login initiation names for the platform storage, if it is usable."""
    target = params.get(STORAGE_TARGET_PARAM, "").strip()
    return target if _TARGET_NAME.fullmatch(target) else None


def message_origin(issuer: str, auth_url: str) -> str:
    """The target origin of `lti.put_data`/`lti.get_data`: the origin of the platform's
    OIDC authorization URL (the spec), or `*` for the platforms that need it (Canvas)."""
    if issuer.rstrip("/") in WILDCARD_ORIGIN_ISSUERS:
        return "*"
    parts = urlsplit(auth_url)
    return f"{parts.scheme}://{parts.netloc}"


def state_key(state: str) -> str:
    """The platform storage key of a login's state (keys are the tool's own: the platform
    keeps each tool's values apart)."""
    return f"lti_state_{state}"


def nonce_key(nonce: str) -> str:
    return f"lti_nonce_{nonce}"


@dataclass(frozen=True)
class LoginStorage:
    """What the login page's script needs to store a login's values in the platform."""

    auth_url: str
    state: str
    nonce: str
    target: str
    origin: str

    @classmethod
    def for_redirect(cls, auth_url: str, issuer: str, target: str) -> LoginStorage:
        """Read the state and nonce from the authentication request URL the adapter built."""
        query = parse_qs(urlsplit(auth_url).query)
        return cls(
            auth_url=auth_url,
            state=query["state"][0],
            nonce=query["nonce"][0],
            target=target,
            origin=message_origin(issuer, auth_url),
        )

    def data_attributes(self) -> dict[str, str]:
        return {
            "mode": "login",
            "auth-url": self.auth_url,
            "state": self.state,
            "nonce": self.nonce,
            "state-key": state_key(self.state),
            "nonce-key": nonce_key(self.nonce),
            "target": self.target,
            "origin": self.origin,
        }


def mark_stored(session: Session, state: str, now: datetime) -> bool:
    """Bind a login to the platform storage once its page stored both values there.

    Only a login that asked for the platform storage, recent and not launched yet, can be
    bound, and only once. Binding makes its launch stricter, never looser, so knowing the
    state (the page and the platform's authorization request carry it) is enough."""
    if not state:
        return False
    bound = session.execute(
        update(OidcState)
        .where(
            OidcState.state == state,
            OidcState.storage_target.is_not(None),
            OidcState.stored_in_platform_at.is_(None),
            OidcState.used_at.is_(None),
            OidcState.created_at > now - timedelta(seconds=STATE_LIFETIME_SECONDS),
        )
        .values(stored_in_platform_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(bound.rowcount == 1)  # type: ignore[attr-defined]


def bound_login(session: Session, state: str) -> OidcState | None:
    """The login record of a launch when that login is bound to the platform storage."""
    record = session.get(OidcState, state) if state else None
    if record is None or record.stored_in_platform_at is None:
        return None
    return record


def check_attributes(record: OidcState, origin: str) -> dict[str, str]:
    """What the launch page's script needs to read the login's values back."""
    return {
        "mode": "launch",
        "state-key": state_key(record.state),
        "nonce-key": nonce_key(record.nonce),
        "target": record.storage_target or PARENT_TARGET,
        "origin": origin,
    }


@dataclass(frozen=True)
class PendingChecks:
    """Signs the reference a launch page sends back with what it read: the launch waiting
    for the check and its login's state, valid for `CHECK_SECONDS`."""

    secret_key: str

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=_CHECK_SALT)

    def issue(self, launch_id: str, state: str) -> str:
        return self._serializer().dumps([launch_id, state])

    def read(self, token: str) -> tuple[str, str]:
        """(launch id, state); LtiError when the reference is forged, damaged or too old."""
        try:
            value = self._serializer().loads(token, max_age=CHECK_SECONDS)
        except SignatureExpired:
            raise LtiError("launch_expired", "platform storage check came too late") from None
        except BadSignature:
            raise LtiError("launch_invalid", "platform storage check reference forged") from None
        if not (
            isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
        ):
            raise LtiError("launch_invalid", "platform storage check reference malformed")
        return value[0], value[1]


def check_retrieved(
    session: Session, state: str, retrieved_state: str, retrieved_nonce: str, now: datetime
) -> bool:
    """Whether the platform storage of the browser holding a bound login's launch returned
    the state and the nonce issued at login. One check per launch, whatever its outcome:
    the caller commits it before refusing."""
    record = bound_login(session, state)
    if record is None or record.used_at is None:
        raise LtiError("launch_invalid", "no launch of a login bound to the platform storage")
    checked = session.execute(
        update(OidcState)
        .where(OidcState.state == state, OidcState.storage_checked_at.is_(None))
        .values(storage_checked_at=now)
        .execution_options(synchronize_session=False)
    )
    if checked.rowcount != 1:  # type: ignore[attr-defined]
        raise LtiError("launch_replayed", "platform storage check already made")
    state_matches = secrets.compare_digest(retrieved_state.encode(), record.state.encode())
    nonce_matches = secrets.compare_digest(retrieved_nonce.encode(), record.nonce.encode())
    return state_matches and nonce_matches


def reported_problem(problem: str) -> str:
    """What the launch page's script said went wrong, fit for a log line."""
    return "".join(c for c in problem if c.isprintable())[:_MAX_REPORTED_PROBLEM] or "nothing"
