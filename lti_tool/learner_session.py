"""After a launch: the launch kept on the server, and the signed token that points at it.

The token travels in links (`?ltik=`) and forms (hidden input), never only in a cookie,
so the pages after a launch work in a cross-site iframe with third-party cookies
blocked. It is short-lived and renewed on every page; the launch it names expires
after `LAUNCH_LIFETIME` whatever happens.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import insert
from sqlalchemy.orm import Session

from lti_tool.lti_adapter import ValidatedLaunch
from lti_tool.messages import language_of
from lti_tool.models import Launch, utcnow

LAUNCH_LIFETIME = timedelta(hours=12)
SESSION_PARAM = "ltik"
CSRF_PARAM = "csrf"
TOKEN_WINDOW_SECONDS = 300

# Role URIs of LIS v2 (imsglobal.org/spec/lti/v1p3/#role-vocabularies); platforms also
# send the short names (`Instructor`), which the LTI spec allows for context roles.
TRAINER_ROLES = frozenset(
    {
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
        "Instructor",
        "ContentDeveloper",
        "Administrator",
    }
)


class SessionInvalid(Exception):
    """The token is missing, forged, expired, or names a launch that is gone."""


def is_trainer(roles: list[str]) -> bool:
    """Instructors, content developers and administrators see the trainer view."""
    return any(role in TRAINER_ROLES for role in roles)


_INSERT_LAUNCH = insert(Launch)
"""Built once: a launch is the hot path, and building a statement costs more than running it."""


def store_launch(session: Session, launch: ValidatedLaunch, default_language: str) -> Launch:
    """Keep a validated launch on the server and return its row (read only: the row is not
    attached to the session, which has nothing to write back)."""
    now = utcnow()
    values = {
        "id": secrets.token_urlsafe(24),
        "platform_id": launch.platform_id,
        "deployment_id": launch.deployment_id,
        "message_type": launch.message_type,
        "user_id": launch.user_id,
        "context_id": launch.context_id,
        "resource_link_id": launch.resource_link_id,
        "roles": launch.roles,
        "locale": language_of(launch.locale, default_language),
        "claims": launch.claims,
        "created_at": now,
        "expires_at": now + LAUNCH_LIFETIME,
    }
    session.connection().execute(_INSERT_LAUNCH, values)
    return Launch(**values)


class _WindowSigner(TimestampSigner):
    """Stamps tokens with the start of their five-minute window: a page rendered twice in
    that time is the same bytes, so its ETag spares the learner a second download."""

    def get_timestamp(self) -> int:
        now = super().get_timestamp()
        return now - now % TOKEN_WINDOW_SECONDS


@dataclass(frozen=True)
class SessionTokens:
    """Signs and reads the session token and the per-launch CSRF token."""

    secret_key: str
    max_age_seconds: int

    def _serializer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=salt, signer=_WindowSigner)

    @functools.cached_property
    def _sessions(self) -> URLSafeTimedSerializer:
        return self._serializer("ambassadeurs.session")

    @functools.cached_property
    def _csrf(self) -> URLSafeTimedSerializer:
        return self._serializer("ambassadeurs.csrf")

    def issue(self, launch_id: str) -> str:
        return self._sessions.dumps(launch_id)

    def launch_id(self, token: str | None) -> str:
        """The launch id the token names; SessionInvalid if it is not a valid, fresh token."""
        if not token:
            raise SessionInvalid("no session token")
        try:
            value = self._sessions.loads(token, max_age=self.max_age_seconds)
        except SignatureExpired:
            raise SessionInvalid("session token expired") from None
        except BadSignature:
            raise SessionInvalid("session token forged or damaged") from None
        return str(value)

    def csrf(self, launch_id: str) -> str:
        return self._csrf.dumps(launch_id)

    def check_csrf(self, launch_id: str, token: str | None) -> bool:
        if not token:
            return False
        try:
            value = self._csrf.loads(token, max_age=self.max_age_seconds)
        except BadSignature:
            return False
        return bool(value == launch_id)


def load_launch(session: Session, launch_id: str) -> Launch:
    """The launch row, if it still exists and has not expired."""
    launch = session.get(Launch, launch_id)
    if launch is None or launch.expires_at < utcnow():
        raise SessionInvalid("launch expired or unknown")
    return launch
