"""The grade outbox: scores written with the work that earned them, delivered later.

A row is added in the same transaction as the attempt (or any other graded work), so a
score exists exactly when its attempt does. Workers (`grade_worker`) claim rows, deliver
them and record the outcome. Row states:

- `pending`: waiting for its turn (`next_attempt_at`);
- `sending`: claimed by a worker until `lease_until` (a worker that died loses it then);
- `sent`: the platform took it;
- `superseded`: a newer score for the same learner and line item replaced it, or the
  platform already held a newer one (409): not an error;
- `not_applicable`: the platform does not grade this user (Moodle's 400 for a teacher),
  or sending it would clear a final grade;
- `failed`: it kept failing (or cannot succeed as it is); `last_error` says why and
  `retry_failed()` (CLI `ambassadeurs grades retry`, admin page) sends it again.

Only the newest row per learner and line item is delivered (`dedupe_key`).

The functions for other parts of the tool (admin pages, later issues): `enqueue_score`,
`line_item_target`, `list_outbox`, `outbox_counts`, `retry_failed`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from lti_tool.ags import CLAIM_AGS, FULLY_GRADED, ScoreBody
from lti_tool.lti_services import AGS_SCOPES, SCOPE_SCORE
from lti_tool.models import GradeOutbox, Launch, utcnow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
SUPERSEDED = "superseded"
NOT_APPLICABLE = "not_applicable"
FAILED = "failed"
STATUSES = (PENDING, SENDING, SENT, SUPERSEDED, NOT_APPLICABLE, FAILED)
FINISHED = (SENT, SUPERSEDED, NOT_APPLICABLE)


@dataclass(frozen=True)
class LineItemTarget:
    """Where a learner's score for one activity goes, as the launch tells it."""

    platform_id: int
    deployment_id: str
    context_id: str
    resource_link_id: str
    scopes: tuple[str, ...]
    resource_id: str
    tag: str
    label: str
    line_item_url: str | None = None
    line_items_url: str | None = None

    @property
    def identity(self) -> str:
        """The line item, as far as the tool can name it before asking the platform."""
        if self.line_item_url:
            return f"item {self.line_item_url}"
        return f"items {self.line_items_url} link {self.resource_link_id} res {self.resource_id}"


def line_item_target(
    launch: Launch, resource_id: str, tag: str, label: str
) -> LineItemTarget | None:
    """The target for `resource_id` from the launch's AGS claim, or None when there is no
    grade service (or no right to send scores).

    The launch's coupled line item is used when the launch was for this very activity
    (its `activity` custom parameter); otherwise the line item is found or created in the
    course's container, tied to the launch's resource link.
    """
    claim = (launch.claims or {}).get(CLAIM_AGS)
    if not isinstance(claim, dict):
        return None
    scopes = tuple(sorted(str(s) for s in claim.get("scope") or [] if str(s) in AGS_SCOPES))
    if SCOPE_SCORE not in scopes:
        return None
    custom = (launch.claims or {}).get("https://purl.imsglobal.org/spec/lti/claim/custom") or {}
    launched_activity = str(custom.get("activity", "")) if isinstance(custom, dict) else ""
    coupled = str(claim.get("lineitem") or "") or None
    container = str(claim.get("lineitems") or "") or None
    if coupled and launched_activity == resource_id:
        container = None
    else:
        coupled = None
    if not coupled and not container:
        return None
    return LineItemTarget(
        platform_id=launch.platform_id,
        deployment_id=launch.deployment_id,
        context_id=launch.context_id,
        resource_link_id=launch.resource_link_id,
        scopes=scopes,
        resource_id=resource_id,
        tag=tag,
        label=label,
        line_item_url=coupled,
        line_items_url=container,
    )


def dedupe_key(target: LineItemTarget, user_id: str) -> str:
    raw = f"{target.platform_id}\n{target.identity}\n{user_id}"
    return hashlib.sha256(raw.encode()).hexdigest()


def enqueue_score(
    session: Session, target: LineItemTarget, score: ScoreBody, source: str = ""
) -> GradeOutbox:
    """Add a score to the outbox (the caller commits, with the work it grades).

    Older rows still waiting for the same learner and line item are superseded: only
    the newest score is ever sent.
    """
    key = dedupe_key(target, score.user_id)
    now = utcnow()
    session.execute(
        update(GradeOutbox)
        .where(GradeOutbox.dedupe_key == key, GradeOutbox.status.in_((PENDING, FAILED)))
        .values(
            status=SUPERSEDED,
            last_error="remplacée par une note plus récente / replaced by a newer score",
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    row = GradeOutbox(
        platform_id=target.platform_id,
        deployment_id=target.deployment_id,
        context_id=target.context_id,
        resource_link_id=target.resource_link_id,
        user_id=score.user_id,
        source=source[:100],
        dedupe_key=key,
        line_item_url=target.line_item_url,
        line_items_url=target.line_items_url,
        resource_id=target.resource_id,
        tag=target.tag,
        label=target.label[:255],
        scopes=list(target.scopes),
        score_given=score.score_given,
        score_maximum=score.score_maximum,
        activity_progress=score.activity_progress,
        grading_progress=score.grading_progress,
        comment=score.comment[:1000],
        timestamp=score.timestamp,
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        last_error="",
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def score_of(row: GradeOutbox) -> ScoreBody:
    return ScoreBody(
        user_id=row.user_id,
        score_given=row.score_given,
        score_maximum=row.score_maximum,
        activity_progress=row.activity_progress,
        grading_progress=row.grading_progress,
        comment=row.comment,
        timestamp=row.timestamp,
    )


# --- Claiming --------------------------------------------------------------------------------


def _due(now: datetime, table: Any = GradeOutbox) -> Any:
    """Rows of `table` (the model or an alias of it) a worker may take: pending and due, or
    sending with a lease that ran out."""
    other = aliased(GradeOutbox)
    in_flight = exists().where(
        other.dedupe_key == table.dedupe_key,
        other.id != table.id,
        other.status == SENDING,
        other.lease_until >= now,
    )
    return and_(
        or_(
            and_(table.status == PENDING, table.next_attempt_at <= now),
            and_(table.status == SENDING, table.lease_until < now),
        ),
        # Never two deliveries for one learner and line item at once: order matters.
        ~in_flight,
    )


def claim_batch(
    session: Session, worker: str, limit: int, lease: timedelta, now: datetime | None = None
) -> list[int]:
    """Claim up to `limit` due rows for `worker` and commit; their ids, oldest first.

    On PostgreSQL, `SELECT … FOR UPDATE SKIP LOCKED` picks and locks rows no other claimant
    holds, then they are marked in the same transaction (two statements: as a subquery
    of the UPDATE, PostgreSQL may run the LIMIT again for every row). On SQLite, one UPDATE
    statement takes the database's write lock before it reads, so claimants take turns.
    Either way two workers never hold the same row.
    """
    now = now or utcnow()
    # An alias, so the subquery stands alone (on the bare model SQLAlchemy would correlate
    # it with the UPDATE's own table).
    candidate = aliased(GradeOutbox)
    candidates = (
        select(candidate.id)
        .where(_due(now, candidate))
        .order_by(candidate.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claim = update(GradeOutbox).values(
        status=SENDING, claimed_by=worker, lease_until=now + lease, updated_at=now
    )
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(candidates))
        if ids:
            session.execute(
                claim.where(GradeOutbox.id.in_(ids)).execution_options(synchronize_session=False)
            )
    else:
        claimed = session.execute(
            claim.where(GradeOutbox.id.in_(candidates.scalar_subquery()), _due(now))
            .returning(GradeOutbox.id)
            .execution_options(synchronize_session=False)
        )
        ids = list(claimed.scalars())
    session.commit()
    return sorted(ids)


def renew_lease(session: Session, worker: str, lease: timedelta) -> None:
    """Extend the lease of every row `worker` still holds (before each delivery)."""
    now = utcnow()
    session.execute(
        update(GradeOutbox)
        .where(GradeOutbox.claimed_by == worker, GradeOutbox.status == SENDING)
        .values(lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def release(session: Session, worker: str, ids: Sequence[int]) -> int:
    """Give back rows `worker` claimed but will not deliver (it is stopping)."""
    if not ids:
        return 0
    result = session.execute(
        update(GradeOutbox)
        .where(
            GradeOutbox.id.in_(list(ids)),
            GradeOutbox.claimed_by == worker,
            GradeOutbox.status == SENDING,
        )
        .values(status=PENDING, claimed_by=None, lease_until=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def finish(session: Session, row_id: int, worker: str, **values: Any) -> bool:
    """Record a delivery's outcome, if `worker` still holds the row (commits)."""
    values.setdefault("updated_at", utcnow())
    result = session.execute(
        update(GradeOutbox)
        .where(
            GradeOutbox.id == row_id,
            GradeOutbox.claimed_by == worker,
            GradeOutbox.status == SENDING,
        )
        .values(claimed_by=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def newer_row_exists(session: Session, row: GradeOutbox) -> bool:
    query = select(GradeOutbox.id).where(
        GradeOutbox.dedupe_key == row.dedupe_key, GradeOutbox.id > row.id
    )
    return session.scalars(query.limit(1)).first() is not None


def final_grade_sent(session: Session, row: GradeOutbox) -> bool:
    """Whether a FullyGraded score already reached this learner's line item."""
    query = select(GradeOutbox.id).where(
        GradeOutbox.dedupe_key == row.dedupe_key,
        GradeOutbox.id != row.id,
        GradeOutbox.status == SENT,
        GradeOutbox.grading_progress == FULLY_GRADED,
    )
    return session.scalars(query.limit(1)).first() is not None


def last_sent_timestamp(session: Session, row: GradeOutbox) -> datetime | None:
    query = select(func.max(GradeOutbox.sent_timestamp)).where(
        GradeOutbox.dedupe_key == row.dedupe_key, GradeOutbox.status == SENT
    )
    value: datetime | None = session.scalar(query)
    return value


# --- For administrators ----------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row as an administrator sees it."""

    id: int
    platform_id: int
    context_id: str
    user_id: str
    resource_id: str
    label: str
    score_given: float | None
    score_maximum: float
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    updated_at: datetime


def list_outbox(
    session: Session,
    status: str | None = None,
    platform_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[OutboxEntry]:
    """Outbox rows, newest first, optionally of one status or platform."""
    query = select(GradeOutbox).order_by(GradeOutbox.id.desc()).limit(limit).offset(offset)
    if status:
        query = query.where(GradeOutbox.status == status)
    if platform_id is not None:
        query = query.where(GradeOutbox.platform_id == platform_id)
    return [
        OutboxEntry(
            id=row.id,
            platform_id=row.platform_id,
            context_id=row.context_id,
            user_id=row.user_id,
            resource_id=row.resource_id,
            label=row.label,
            score_given=row.score_given,
            score_maximum=row.score_maximum,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in session.scalars(query)
    ]


def outbox_counts(session: Session) -> dict[str, int]:
    """How many rows are in each state (every state present, 0 when none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in session.execute(
        select(GradeOutbox.status, func.count()).group_by(GradeOutbox.status)
    ):
        counts[str(status)] = int(count)
    return counts


def retry_failed(session: Session, ids: Sequence[int] | None = None) -> int:
    """Send failed rows again (all, or those of `ids`) unless a newer score replaced them;
    how many were queued (the caller commits)."""
    newer = aliased(GradeOutbox)
    query = (
        update(GradeOutbox)
        .where(
            GradeOutbox.status == FAILED,
            ~exists().where(newer.dedupe_key == GradeOutbox.dedupe_key, newer.id > GradeOutbox.id),
        )
        .values(status=PENDING, attempts=0, next_attempt_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if ids is not None:
        query = query.where(GradeOutbox.id.in_(list(ids)))
    result = session.execute(query)
    return int(result.rowcount)  # type: ignore[attr-defined]
