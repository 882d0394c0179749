"""Removing what has expired: OIDC states past their lifetime, and launches past theirs.

Attempts, submissions and grades stay: they only lose the link to the launch they came
from (the foreign key is SET NULL), so nothing a learner did is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from lti_tool.lti_adapter import CLOCK_LEEWAY_SECONDS, STATE_LIFETIME_SECONDS
from lti_tool.models import Launch, OidcState, utcnow


@dataclass(frozen=True)
class Purged:
    oidc_states: int
    launches: int


def purge_expired(engine: Engine, now: datetime | None = None) -> Purged:
    """Delete OIDC states older than their lifetime and launches past their expiry."""
    now = now or utcnow()
    # A consumed state is what refuses its replay: it is kept until the state has expired,
    # plus a margin for a web server whose clock is behind this one's.
    state_limit = now - timedelta(seconds=STATE_LIFETIME_SECONDS + CLOCK_LEEWAY_SECONDS)
    with engine.begin() as connection:
        states = connection.execute(delete(OidcState).where(OidcState.created_at < state_limit))
        launches = connection.execute(delete(Launch).where(Launch.expires_at < now))
    return Purged(states.rowcount or 0, launches.rowcount or 0)
