"""A course's roster from the platform (NRPS 2.0), kept in the database for the dashboard.

The roster lists every member of the course, including learners who never opened the
tool. It is fetched (all pages) when the dashboard finds it older than
`roster_cache_minutes`, or when the trainer asks; if the platform cannot give it, the
last roster stays in use and the dashboard says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lti_tool.lti_services import SCOPE_NRPS, ServiceClient, ServiceError, ServicePlatform
from lti_tool.models import Launch, Platform, RosterMember, RosterSync, utcnow

CLAIM_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
CLAIM_CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
MEDIA_MEMBERSHIPS = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
LEARNER = "Learner"
INSTRUCTOR = "Instructor"


def memberships_url(launch: Launch) -> str | None:
    """The course's membership service URL, from the NRPS claim (or Moodle's custom copy)."""
    claims = launch.claims or {}
    service = claims.get(CLAIM_NRPS)
    if isinstance(service, dict) and service.get("context_memberships_url"):
        return str(service["context_memberships_url"])
    custom = claims.get(CLAIM_CUSTOM)
    if isinstance(custom, dict) and str(custom.get("context_memberships_url", "")).startswith(
        ("http://", "https://")
    ):
        return str(custom["context_memberships_url"])
    return None


def has_role(roles: list[str], name: str) -> bool:
    """A context role given short (`Learner`, as NRPS does) or as a full LIS URI."""
    return any(role == name or role.endswith(f"membership#{name}") for role in roles)


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str
    given_name: str
    family_name: str
    email: str
    roles: list[str]
    status: str


def _member(data: Any) -> Member | None:
    if not isinstance(data, dict) or not data.get("user_id"):
        return None
    given_roles = data.get("roles")
    roles: list[Any] = given_roles if isinstance(given_roles, list) else []
    return Member(
        user_id=str(data["user_id"])[:255],
        name=str(data.get("name") or "")[:255],
        given_name=str(data.get("given_name") or "")[:255],
        family_name=str(data.get("family_name") or "")[:255],
        email=str(data.get("email") or "")[:255],
        roles=[str(r) for r in roles],
        status=str(data.get("status") or "Active")[:20],
    )


def fetch_members(client: ServiceClient, platform: ServicePlatform, url: str) -> list[Member]:
    """Every member, following the `next` links (straight or curly quotes) page after page."""
    members: dict[str, Member] = {}
    for page in client.get_pages(platform, (SCOPE_NRPS,), url, MEDIA_MEMBERSHIPS):
        items = page.get("members", []) if isinstance(page, dict) else []
        for item in items if isinstance(items, list) else []:
            member = _member(item)
            if member is not None:
                members[member.user_id] = member
    return list(members.values())


@dataclass(frozen=True)
class Roster:
    members: list[RosterMember]
    fetched_at: datetime | None
    error: str
    available: bool
    """False when the launch offers no membership service at all."""


def _sync_row(session: Session, launch: Launch, url: str) -> RosterSync:
    sync = session.scalars(
        select(RosterSync).where(
            RosterSync.platform_id == launch.platform_id,
            RosterSync.context_id == launch.context_id,
        )
    ).first()
    if sync is None:
        sync = RosterSync(
            platform_id=launch.platform_id,
            context_id=launch.context_id,
            memberships_url=url,
            member_count=0,
            last_error="",
        )
        session.add(sync)
    sync.memberships_url = url
    return sync


def refresh_roster(session: Session, client: ServiceClient, launch: Launch) -> str:
    """Fetch the roster again and store it (commits); the error message, or ""."""
    url = memberships_url(launch)
    if url is None:
        return ""
    platform_row = session.get(Platform, launch.platform_id)
    assert platform_row is not None
    platform = ServicePlatform.of(platform_row)
    try:
        members = fetch_members(client, platform, url)
    except ServiceError as error:
        sync = _sync_row(session, launch, url)
        sync.last_error = error.message[:2000]
        session.commit()
        return sync.last_error
    session.execute(
        delete(RosterMember).where(
            RosterMember.platform_id == launch.platform_id,
            RosterMember.context_id == launch.context_id,
        )
    )
    session.add_all(
        RosterMember(
            platform_id=launch.platform_id,
            context_id=launch.context_id,
            user_id=m.user_id,
            name=m.name,
            given_name=m.given_name,
            family_name=m.family_name,
            email=m.email,
            roles=m.roles,
            status=m.status,
        )
        for m in members
    )
    sync = _sync_row(session, launch, url)
    sync.fetched_at = utcnow()
    sync.member_count = len(members)
    sync.last_error = ""
    session.commit()
    return ""


def course_roster(
    session: Session,
    client: ServiceClient,
    launch: Launch,
    max_age: timedelta,
    force: bool = False,
) -> Roster:
    """The course's members: the stored roster, fetched again when stale or asked for."""
    url = memberships_url(launch)
    if url is None:
        return Roster([], None, "", available=False)
    sync = session.scalars(
        select(RosterSync).where(
            RosterSync.platform_id == launch.platform_id,
            RosterSync.context_id == launch.context_id,
        )
    ).first()
    stale = sync is None or sync.fetched_at is None or sync.fetched_at < utcnow() - max_age
    error = refresh_roster(session, client, launch) if force or stale else ""
    members = list(
        session.scalars(
            select(RosterMember).where(
                RosterMember.platform_id == launch.platform_id,
                RosterMember.context_id == launch.context_id,
            )
        )
    )
    sync = session.scalars(
        select(RosterSync).where(
            RosterSync.platform_id == launch.platform_id,
            RosterSync.context_id == launch.context_id,
        )
    ).first()
    # The last fetch's failure stays visible until a fetch succeeds.
    error = error or (sync.last_error if sync else "")
    return Roster(members, sync.fetched_at if sync else None, error, available=True)
