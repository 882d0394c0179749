"""Removing what has expired: OIDC logins in progress and launches past their lifetime.

Attempts, submissions and grades stay: they only lose the link to the launch they came
from (the foreign key is SET NULL), so nothing a learner did is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from lti_tool.lti_adapter import STATE_LIFETIME_SECONDS
from lti_tool.models import Launch, OidcState, utcnow


@dataclass(frozen=True)
class Purged:
    oidc_states: int
    launches: int


def purge_expired(engine: Engine, now: datetime | None = None) -> Purged:
    """Delete OIDC states older than their lifetime and launches past their expiry."""
    now = now or utcnow()
    # A used state is kept as long as an unused one would be: a replay within that time is
    # told apart from a forgery in the log; after it, both are simply unknown.
    state_limit = now - timedelta(seconds=STATE_LIFETIME_SECONDS)
    with engine.begin() as connection:
        states = connection.execute(delete(OidcState).where(OidcState.created_at < state_limit))
        launches = connection.execute(delete(Launch).where(Launch.expires_at < now))
    return Purged(states.rowcount or 0, launches.rowcount or 0)
