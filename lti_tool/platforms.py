"""The platform registry: LMS registrations and their deployments, kept in the database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from lti_tool.models import Deployment, Platform

APPROVED = "approved"
PENDING = "pending"
DISABLED = "disabled"
STATUSES = (APPROVED, PENDING, DISABLED)

POLICY_AUTO = "auto"
"""An unseen deployment id of a known client is recorded and its launch accepted."""
POLICY_APPROVE = "approve"
"""An unseen deployment id is recorded as pending and its launch refused until approved."""
POLICIES = (POLICY_AUTO, POLICY_APPROVE)


class PlatformError(Exception):
    """A platform description cannot be used; the message says why (French / English).

    `code` names the message in the interface catalogue (`platform_error_<code>`), so that a
    page can say it in one language; `field` and `value` are what it is about.
    """

    def __init__(self, message: str, code: str = "", field: str = "", value: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.value = value


@dataclass(frozen=True)
class PlatformSpec:
    """What an LMS administrator copies from the LMS to register it here."""

    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    name: str = ""
    deployment_ids: tuple[str, ...] = field(default_factory=tuple)
    auth_audience: str | None = None
    status: str = APPROVED
    source: str = "cli"
    deployment_policy: str = POLICY_AUTO
    registration: Mapping[str, Any] | None = None

    def check(self) -> None:
        """Raise PlatformError when a field is missing or not an http(s) URL."""
        if not self.issuer.strip() or not self.client_id.strip():
            raise PlatformError("issuer et client_id sont obligatoires / are required", "required")
        for name in ("auth_login_url", "auth_token_url", "key_set_url"):
            url = urlsplit(getattr(self, name))
            if url.scheme not in ("http", "https") or not url.netloc:
                raise PlatformError(
                    f"{name} : URL http(s) attendue / expected an http(s) URL", "url", name
                )
        if self.status not in STATUSES:
            raise PlatformError(
                f"statut inconnu / unknown status: {self.status}", "status", "status", self.status
            )
        if self.deployment_policy not in POLICIES:
            raise PlatformError(
                f"politique inconnue / unknown policy: {self.deployment_policy}",
                "policy",
                "deployment_policy",
                self.deployment_policy,
            )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PlatformSpec:
        """Read one entry of config.json's `platforms` list."""
        known = {
            "name",
            "issuer",
            "client_id",
            "auth_login_url",
            "auth_token_url",
            "key_set_url",
            "deployment_ids",
            "auth_audience",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise PlatformError(f"champ(s) inconnu(s) / unknown field(s): {', '.join(unknown)}")
        try:
            spec = cls(
                issuer=str(data["issuer"]),
                client_id=str(data["client_id"]),
                auth_login_url=str(data["auth_login_url"]),
                auth_token_url=str(data["auth_token_url"]),
                key_set_url=str(data["key_set_url"]),
                name=str(data.get("name") or data["issuer"]),
                deployment_ids=tuple(str(d) for d in data.get("deployment_ids", [])),
                auth_audience=data.get("auth_audience"),
            )
        except KeyError as error:
            raise PlatformError(f"champ manquant / missing field: {error.args[0]}") from None
        spec.check()
        return spec


def add_platform(session: Session, spec: PlatformSpec) -> tuple[Platform, list[str]]:
    """Register `spec` (or find it by issuer and client id) and add its new deployment ids."""
    spec.check()
    platform = find_platform(session, spec.issuer, spec.client_id)
    if platform is None:
        platform = Platform(
            name=spec.name or spec.issuer,
            issuer=spec.issuer,
            client_id=spec.client_id,
            auth_login_url=spec.auth_login_url,
            auth_token_url=spec.auth_token_url,
            key_set_url=spec.key_set_url,
            auth_audience=spec.auth_audience,
            status=spec.status,
            source=spec.source,
            deployment_policy=spec.deployment_policy,
            registration=dict(spec.registration) if spec.registration else None,
        )
        session.add(platform)
    known = {d.deployment_id for d in platform.deployments}
    added = [d for d in dict.fromkeys(spec.deployment_ids) if d not in known]
    for deployment_id in added:
        platform.deployments.append(Deployment(deployment_id=deployment_id, source=spec.source))
    session.flush()
    return platform, added


def update_registration(session: Session, spec: PlatformSpec) -> tuple[Platform, list[str]]:
    """Add `spec`, or refresh the URLs of the registration it names (a registration made
    again by the LMS keeps its client id and its approval)."""
    platform = find_platform(session, spec.issuer, spec.client_id)
    if platform is not None:
        platform.auth_login_url = spec.auth_login_url
        platform.auth_token_url = spec.auth_token_url
        platform.key_set_url = spec.key_set_url
        platform.auth_audience = spec.auth_audience
        if spec.registration:
            platform.registration = dict(spec.registration)
    return add_platform(session, spec)


def find_platform(
    session: Session, issuer: str, client_id: str | None, with_deployments: bool = True
) -> Platform | None:
    """The registration for `issuer` and `client_id` (None: the issuer's only one), with
    its deployments in the same query unless `with_deployments` is False (a login)."""
    query = select(Platform).where(Platform.issuer == issuer)
    if client_id is not None:
        query = query.where(Platform.client_id == client_id)
    if with_deployments:
        query = query.options(joinedload(Platform.deployments))
    found = session.scalars(query.limit(2)).unique().all()
    return found[0] if len(found) == 1 else None


def list_platforms(session: Session) -> list[Platform]:
    query = select(Platform).options(selectinload(Platform.deployments)).order_by(Platform.id)
    return list(session.scalars(query))


def remove_platform(session: Session, platform_id: int) -> bool:
    """Delete a registration with its deployments; False when it does not exist."""
    platform = session.get(Platform, platform_id)
    if platform is None:
        return False
    session.delete(platform)
    session.flush()
    return True


def find_deployment(platform: Platform, deployment_id: str) -> Deployment | None:
    return next((d for d in platform.deployments if d.deployment_id == deployment_id), None)


def admit_deployment(session: Session, platform: Platform, deployment_id: str) -> str:
    """What a launch with `deployment_id` may do: "approved" (known, or just recorded under
    the `auto` policy), "pending" (waits for an administrator) or "disabled"."""
    deployment = find_deployment(platform, deployment_id)
    if deployment is not None:
        return deployment.status
    if platform.deployment_policy == POLICY_AUTO:
        platform.deployments.append(
            Deployment(deployment_id=deployment_id, status=APPROVED, source="launch")
        )
        session.flush()
        return APPROVED
    return PENDING


def record_pending_deployment(engine: Engine, platform_id: int, deployment_id: str) -> None:
    """Keep an unseen deployment id as pending, for an administrator to approve (in its own
    transaction: the refused launch's is rolled back)."""
    try:
        with Session(engine) as session, session.begin():
            platform = session.get(Platform, platform_id)
            if platform is not None and find_deployment(platform, deployment_id) is None:
                platform.deployments.append(
                    Deployment(deployment_id=deployment_id, status=PENDING, source="launch")
                )
    except IntegrityError:
        pass  # a concurrent launch recorded it first: it is there, which is what we want


def set_platform_status(session: Session, platform_id: int, status: str) -> Platform | None:
    """Approve, disable or put back to pending a registration; None when unknown."""
    if status not in STATUSES:
        raise PlatformError(f"statut inconnu / unknown status: {status}")
    platform = session.get(Platform, platform_id)
    if platform is not None:
        platform.status = status
        session.flush()
    return platform


def set_deployment_status(
    session: Session, platform_id: int, deployment_id: str, status: str
) -> Deployment | None:
    """Approve or disable one deployment of a registration; None when unknown."""
    if status not in STATUSES:
        raise PlatformError(f"statut inconnu / unknown status: {status}")
    platform = session.get(Platform, platform_id)
    deployment = find_deployment(platform, deployment_id) if platform else None
    if deployment is not None:
        deployment.status = status
        session.flush()
    return deployment


def remove_deployment(session: Session, platform_id: int, deployment_id: str) -> bool:
    """Forget one deployment id (its next launch follows the registration's policy)."""
    platform = session.get(Platform, platform_id)
    deployment = find_deployment(platform, deployment_id) if platform else None
    if deployment is None:
        return False
    session.delete(deployment)
    session.flush()
    return True


def set_deployment_policy(session: Session, platform_id: int, policy: str) -> Platform | None:
    if policy not in POLICIES:
        raise PlatformError(f"politique inconnue / unknown policy: {policy}")
    platform = session.get(Platform, platform_id)
    if platform is not None:
        platform.deployment_policy = policy
        session.flush()
    return platform


def seed_platforms(
    engine: Engine, entries: Iterable[Mapping[str, Any]], deployment_policy: str = POLICY_AUTO
) -> None:
    """Add the platforms listed in the configuration (never removes or changes one)."""
    specs = []
    for index, entry in enumerate(entries):
        try:
            spec = PlatformSpec.from_mapping(entry)
            specs.append(replace(spec, source="config", deployment_policy=deployment_policy))
        except PlatformError as error:
            raise PlatformError(f"platforms[{index}] : {error}") from None
    with Session(engine) as session, session.begin():
        for spec in specs:
            add_platform(session, spec)


def platform_origins(engine: Engine) -> list[str]:
    """Origins of every approved platform (for CSP frame-ancestors)."""
    with Session(engine) as session:
        urls = session.execute(
            select(Platform.issuer, Platform.auth_login_url).where(Platform.status == APPROVED)
        ).all()
    origins = set()
    for row in urls:
        for url in row:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc:
                origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
