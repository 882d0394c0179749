"""Approved platform registrations kept in memory for a few seconds.

Every login and every launch looks up the platform that sent it: at a class's start of
session, the same few registrations are read hundreds of times a minute. Each process
keeps what it read for `PLATFORM_CACHE_SECONDS`, so most logins and launches make no query
for it. Only approved registrations are kept, and a launch whose deployment is unknown or
not approved reads the database again: what the cache can delay is only a withdrawal (a
registration or a deployment disabled or removed), for at most that time, in the
processes other than the one that made the change. The process that makes it, through any
session, forgets what it kept at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import URL, Connection, Engine, event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from lti_tool.models import Deployment, Platform
from lti_tool.platforms import APPROVED, find_platform

PLATFORM_CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class PlatformEntry:
    """What a login and a launch read of a registration, detached from any session."""

    id: int
    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    auth_audience: str | None
    status: str
    deployment_policy: str
    deployments: dict[str, str]
    """Deployment id → status."""

    @classmethod
    def of(cls, platform: Platform) -> PlatformEntry:
        return cls(
            id=platform.id,
            name=platform.name,
            issuer=platform.issuer,
            client_id=platform.client_id,
            auth_login_url=platform.auth_login_url,
            auth_token_url=platform.auth_token_url,
            key_set_url=platform.key_set_url,
            auth_audience=platform.auth_audience,
            status=platform.status,
            deployment_policy=platform.deployment_policy,
            deployments={d.deployment_id: d.status for d in platform.deployments},
        )


class PlatformCache:
    """One database's approved registrations, by (issuer, client id)."""

    def __init__(self, seconds: float = PLATFORM_CACHE_SECONDS) -> None:
        self._seconds = seconds
        self._entries: dict[tuple[str, str | None], tuple[float, PlatformEntry]] = {}
        self._lock = threading.Lock()

    def find(self, session: Session, issuer: str, client_id: str | None) -> PlatformEntry | None:
        """The registration for `issuer` and `client_id` (None: the issuer's only one)."""
        key = (issuer, client_id)
        kept = self._entries.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        platform = find_platform(session, issuer, client_id)
        if platform is None:
            return None
        entry = PlatformEntry.of(platform)
        if entry.status == APPROVED:
            with self._lock:
                self._entries[key] = (time.monotonic() + self._seconds, entry)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_caches: dict[URL, PlatformCache] = {}
"""By database URL: the engines of one database (lti_tool.database) share one cache."""


def platform_cache(engine: Engine) -> PlatformCache:
    """The cache of the registrations of `engine`'s database in this process."""
    cache = _caches.get(engine.url)
    if cache is None:
        cache = _caches.setdefault(engine.url, PlatformCache())
    return cache


def _forget(session: Session) -> None:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    cache = _caches.get(engine.url)
    if cache is not None:
        cache.clear()


_REGISTRY = (Platform, Deployment)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(instance, _REGISTRY) for instance in changed):
        # Forgotten now, and again at commit: a request between the two may have read the
        # old rows back into the cache.
        session.info["ambassadeurs.platforms_changed"] = True
        _forget(session)


@event.listens_for(Session, "do_orm_execute")
def _after_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in _REGISTRY:
        state.session.info["ambassadeurs.platforms_changed"] = True
        _forget(state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("ambassadeurs.platforms_changed", False):
        _forget(session)
