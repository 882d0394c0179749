"""The tool's tables: platform registrations, OIDC states, launches, learner work.

Times are naive UTC (`utcnow()`), the only form both SQLite and PostgreSQL give back
unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_tool.database import Base


def utcnow() -> datetime:
    """Now, as naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Platform(Base):
    """One registration of the tool in an LMS: an issuer and one of its client ids."""

    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id", name="uq_lti_platform_issuer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(1000))
    auth_token_url: Mapped[str] = mapped_column(String(1000))
    key_set_url: Mapped[str] = mapped_column(String(1000))
    auth_audience: Mapped[str | None] = mapped_column(String(1000), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Launches are accepted only from an approved registration (see platforms.py).
    status: Mapped[str] = mapped_column(String(20), default="approved", server_default="approved")
    # Where it came from: config, cli, admin, dynamic (LTI Dynamic Registration), demo.
    source: Mapped[str] = mapped_column(String(20), default="cli", server_default="cli")
    # What a launch with an unseen deployment id does: "auto" records it, "approve" refuses.
    deployment_policy: Mapped[str] = mapped_column(
        String(20), default="auto", server_default="auto"
    )
    # What Dynamic Registration learnt: configuration URL, LMS product and version, scopes.
    registration: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    deployments: Mapped[list[Deployment]] = relationship(
        back_populates="platform", cascade="all, delete-orphan", order_by="Deployment.id"
    )


class Deployment(Base):
    """A deployment id the platform sends for this registration."""

    __tablename__ = "lti_deployment"
    __table_args__ = (
        UniqueConstraint("platform_id", "deployment_id", name="uq_lti_deployment_platform"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="approved", server_default="approved")
    # config, cli, admin, dynamic, or launch (recorded when first seen in a launch).
    source: Mapped[str] = mapped_column(String(20), default="cli", server_default="cli")
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)
    platform: Mapped[Platform] = relationship(back_populates="deployments")


class PlatformKeySet(Base):
    """The last JWKS fetched from a platform's key set URL (shared by every process)."""

    __tablename__ = "lti_platform_key_set"

    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    jwks: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OidcState(Base):
    """An OIDC state consumed by a launch (kept for its lifetime, so a second use fails), or
    a login in progress that asked for LTI platform storage (platform_storage.py)."""

    __tablename__ = "lti_oidc_state"

    state: Mapped[str] = mapped_column(String(255), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(100), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    target_link_uri: Mapped[str] = mapped_column(String(2000))
    browser_id: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    storage_target: Mapped[str | None] = mapped_column(String(100), default=None)
    """The frame the login initiation named for LTI platform storage (`lti_storage_target`)."""
    stored_in_platform_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    """Set when the login page stored state and nonce in the platform: the launch must then
    find them there (platform_storage.py)."""
    storage_checked_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class Launch(Base):
    """A validated launch: what the pages after it need, kept on the server."""

    __tablename__ = "lti_launch"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))
    message_type: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(255), default="")
    context_id: Mapped[str] = mapped_column(String(255), default="")
    resource_link_id: Mapped[str] = mapped_column(String(255), default="")
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    locale: Mapped[str] = mapped_column(String(20), default="fr")
    claims: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class QuizAttempt(Base):
    """One submitted quiz, scored on the server."""

    __tablename__ = "quiz_attempt"
    # The trainer dashboard reads a whole course's attempts at once.
    __table_args__ = (Index("ix_quiz_attempt_context", "platform_id", "context_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Launches expire and are purged; the attempt stays, so the link is cut, not cascaded.
    launch_id: Mapped[str | None] = mapped_column(
        ForeignKey("lti_launch.id", ondelete="SET NULL"), default=None
    )
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255), index=True)
    context_id: Mapped[str] = mapped_column(String(255), default="")
    quiz_id: Mapped[str] = mapped_column(String(100))
    responses: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[int] = mapped_column(Integer)
    scaled: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WorkshopWork(Base):
    """A learner's work on one workshop: answers, draft fields, submission time."""

    __tablename__ = "workshop_work"
    __table_args__ = (
        UniqueConstraint(
            "platform_id", "user_id", "context_id", "workshop_id", name="uq_workshop_work_owner"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255), default="")
    workshop_id: Mapped[str] = mapped_column(String(100))
    item_responses: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    item_score: Mapped[float | None] = mapped_column(Float, default=None)
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AdminAccount(Base):
    """An administrator of the tool (created by `ambassadeurs admin create`)."""

    __tablename__ = "admin_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class AdminSession(Base):
    """A signed-in administrator; the cookie holds a token whose SHA-256 is the id."""

    __tablename__ = "admin_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("admin_account.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AdminLoginFailure(Base):
    """A failed sign-in, counted per user name and per address to slow guessing down."""

    __tablename__ = "admin_login_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class GradeOutbox(Base):
    """A score waiting to reach a platform's line item (AGS), written with what earned it.

    Only the newest row per `dedupe_key` (platform, line item, learner) is ever delivered;
    a worker claims rows for `lease_until` and records each delivery's outcome.
    """

    __tablename__ = "grade_outbox"
    __table_args__ = (
        Index("ix_grade_outbox_due", "status", "next_attempt_at"),
        Index("ix_grade_outbox_key", "dedupe_key", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255), default="")
    resource_link_id: Mapped[str] = mapped_column(String(255), default="")
    user_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(100), default="")
    dedupe_key: Mapped[str] = mapped_column(String(64))
    # The line item: the launch's coupled one, else found or created in the container.
    line_item_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    line_items_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    resource_id: Mapped[str] = mapped_column(String(100), default="")
    tag: Mapped[str] = mapped_column(String(100), default="")
    label: Mapped[str] = mapped_column(String(255), default="")
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The score, as AGS carries it.
    score_given: Mapped[float | None] = mapped_column(Float, default=None)
    score_maximum: Mapped[float] = mapped_column(Float)
    activity_progress: Mapped[str] = mapped_column(String(30))
    grading_progress: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(String(1000), default="")
    timestamp: Mapped[datetime] = mapped_column(DateTime)
    # Delivery.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    last_error: Mapped[str] = mapped_column(String(2000), default="")
    sent_timestamp: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class GradeLineItem(Base):
    """A line item found or created for a resource link (a placeholder while it is made)."""

    __tablename__ = "grade_line_item"
    __table_args__ = (
        UniqueConstraint(
            "platform_id",
            "line_items_url",
            "resource_link_id",
            "resource_id",
            name="uq_grade_line_item_target",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    line_items_url: Mapped[str] = mapped_column(String(1000))
    resource_link_id: Mapped[str] = mapped_column(String(255))
    resource_id: Mapped[str] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RosterSync(Base):
    """The last fetch of a course's roster (NRPS)."""

    __tablename__ = "roster_sync"
    __table_args__ = (UniqueConstraint("platform_id", "context_id", name="uq_roster_sync_context"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    memberships_url: Mapped[str] = mapped_column(String(2000))
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(2000), default="")


class RosterMember(Base):
    """A member of a course as the platform lists it (learners who never launched too)."""

    __tablename__ = "roster_member"
    __table_args__ = (
        UniqueConstraint("platform_id", "context_id", "user_id", name="uq_roster_member_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    given_name: Mapped[str] = mapped_column(String(255), default="")
    family_name: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="Active")


# --- Progression and certification (issue 8) -------------------------------------------------


class LearnerRecord(Base):
    """A learner of a course as the tool last saw them: name for the certificate and the jury,
    and where the project's grade goes (the learner's own launch's line item target)."""

    __tablename__ = "learner_record"
    __table_args__ = (
        UniqueConstraint("platform_id", "context_id", "user_id", name="uq_learner_record_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    organisation: Mapped[str] = mapped_column(String(255), default="")
    """The LMS site's name (the launch's tool_platform claim), when it sends one."""
    project_target: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ModuleValidation(Base):
    """A module validated by a learner: recorded once, when the content's rule first held."""

    __tablename__ = "module_validation"
    __table_args__ = (
        UniqueConstraint(
            "platform_id", "context_id", "user_id", "module_id", name="uq_module_validation"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    module_id: Mapped[str] = mapped_column(String(20))
    quiz_scaled: Mapped[float] = mapped_column(Float)
    validated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProjectDeliverable(Base):
    """A learner's deliverable for one project milestone, and the trainer's written feedback."""

    __tablename__ = "project_deliverable"
    __table_args__ = (
        UniqueConstraint(
            "platform_id", "context_id", "user_id", "milestone_id", name="uq_project_deliverable"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    milestone_id: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_by: Mapped[str] = mapped_column(String(255), default="")
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    files: Mapped[list[DeliverableFile]] = relationship(
        back_populates="deliverable", cascade="all, delete-orphan", order_by="DeliverableFile.id"
    )


class DeliverableFile(Base):
    """A file handed in with a deliverable, stored in the instance folder under a random name."""

    __tablename__ = "deliverable_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        ForeignKey("project_deliverable.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    """The name the learner's file had, cleaned: shown and offered on download only."""
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deliverable: Mapped[ProjectDeliverable] = relationship(back_populates="files")


class JuryMember(Base):
    """A person the trainer named to the course's jury (instructors are jurors anyway)."""

    __tablename__ = "jury_member"
    __table_args__ = (
        UniqueConstraint("platform_id", "context_id", "user_id", name="uq_jury_member_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    added_by: Mapped[str] = mapped_column(String(255), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class JuryEvaluation(Base):
    """One juror's scoring of one learner's project: a level and a comment per criterion."""

    __tablename__ = "jury_evaluation"
    __table_args__ = (
        UniqueConstraint(
            "platform_id", "context_id", "learner_id", "juror_id", name="uq_jury_evaluation"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    learner_id: Mapped[str] = mapped_column(String(255))
    juror_id: Mapped[str] = mapped_column(String(255))
    juror_name: Mapped[str] = mapped_column(String(255), default="")
    levels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    comments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    general_comment: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProjectDecision(Base):
    """The jury's decision on a learner's project, with the rule's figures at that time."""

    __tablename__ = "project_decision"
    __table_args__ = (
        UniqueConstraint("platform_id", "context_id", "learner_id", name="uq_project_decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    learner_id: Mapped[str] = mapped_column(String(255))
    result: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    juror_count: Mapped[int] = mapped_column(Integer)
    spread: Mapped[float] = mapped_column(Float)
    disagreement: Mapped[bool] = mapped_column(Boolean)
    feedback: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(255), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Certificate(Base):
    """An ambassador certificate: what it certifies, frozen when issued, and its credential."""

    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("platform_id", "context_id", "user_id", name="uq_certificate_learner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    learner_name: Mapped[str] = mapped_column(String(255))
    programme_id: Mapped[str] = mapped_column(String(100))
    programme_version: Mapped[str] = mapped_column(String(50))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    """The certificate's title in each language ({"fr": …, "en": …})."""
    programme_title: Mapped[dict[str, str]] = mapped_column(JSON)
    organisation: Mapped[str] = mapped_column(String(255))
    project_result: Mapped[float | None] = mapped_column(Float, default=None)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    credential_jwt: Mapped[str] = mapped_column(Text, default="")
    """The Open Badges 3.0 credential, signed once at issue (compact JWS)."""
    signing_kid: Mapped[str] = mapped_column(String(100), default="", index=True)
    signing_key: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The public JWK that signed it: still published after the key is rotated away."""
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by: Mapped[str] = mapped_column(String(255), default="")
