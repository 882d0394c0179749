"""Grade workers: deliver the outbox's scores to the platforms, retrying until they land.

`GradeDelivery.deliver_pending_scores()` claims a batch and delivers it row by row:
each row's outcome is committed before the next one is sent, so a worker killed in the
middle of a batch leaves at most the row in flight to send again (the platform answers
409 to a duplicate or takes the same score twice); rows it claimed but did not reach
return to the others when its lease runs out.

Failures on the way (network, timeouts, 5xx, 429) are retried with exponential backoff
and jitter, honouring `Retry-After`; after `max_attempts` the row is `failed`, with its
last error, until someone retries it.

The embedded default is one thread inside `ambassadeurs serve`
(`start_embedded_worker`); at scale, `ambassadeurs worker` processes, as many as wanted.
"""

from __future__ import annotations

import logging
import random
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool import grade_outbox as outbox
from lti_tool.ags import (
    FULLY_GRADED,
    LineItemSpec,
    ScoreBody,
    ScoreOutcome,
    create_line_item,
    find_line_item,
    post_score,
)
from lti_tool.config import Settings
from lti_tool.housekeeping import purge_expired
from lti_tool.lti_services import ServiceClient, ServiceError, ServicePlatform, ToolSigner
from lti_tool.models import GradeLineItem, GradeOutbox, Platform, utcnow
from lti_tool.request_log import log_event
from lti_tool.urls import tool_urls

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 3600
"""How often a running worker purges expired logins and launches."""

LINE_ITEM_WAIT_SECONDS = 2
"""A row waits this long when another worker is creating the line item it needs."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, and when to give up."""

    base_seconds: float = 30
    max_seconds: float = 3600
    max_attempts: int = 20

    def delay(self, attempts: int, rng: random.Random) -> float:
        """Delay before the next try after `attempts` failures: half fixed, half random."""
        ceiling = min(self.max_seconds, self.base_seconds * 2.0 ** max(attempts - 1, 0))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    @classmethod
    def of(cls, settings: Settings) -> RetryPolicy:
        return cls(
            settings.grade_retry_base_seconds,
            settings.grade_retry_max_seconds,
            settings.grade_max_attempts,
        )


class _LineItemBusy(Exception):
    """Another worker is creating this line item right now."""


def new_client(settings: Settings) -> ServiceClient:
    """The service client of a process, for `settings`' instance and timeouts."""
    return ServiceClient(
        ToolSigner(settings.instance),
        settings.http_timeout_seconds,
        tool_urls(settings.base_url).jwks,
    )


class GradeDelivery:
    """Delivers outbox rows; one per worker thread or process."""

    def __init__(
        self,
        engine: Engine,
        client: ServiceClient,
        policy: RetryPolicy,
        lease_seconds: float,
        batch_size: int = 20,
        name: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.client = client
        self.policy = policy
        self.lease = timedelta(seconds=lease_seconds)
        self.batch_size = batch_size
        self.name = name or f"{socket.gethostname()}:{secrets.token_hex(4)}"
        self.rng = rng or random.SystemRandom()
        self._platforms: dict[int, ServicePlatform] = {}

    @classmethod
    def from_settings(
        cls, engine: Engine, settings: Settings, client: ServiceClient | None = None
    ) -> GradeDelivery:
        return cls(
            engine,
            client or new_client(settings),
            RetryPolicy.of(settings),
            settings.grade_lease_seconds,
            settings.grade_batch_size,
        )

    # --- One batch ------------------------------------------------------------------------

    def deliver_pending_scores(
        self, limit: int | None = None, stop: threading.Event | None = None
    ) -> int:
        """Claim one batch of due rows and deliver it; how many rows were claimed."""
        with Session(self.engine, expire_on_commit=False) as session:
            ids = outbox.claim_batch(session, self.name, limit or self.batch_size, self.lease)
            for index, row_id in enumerate(ids):
                if stop is not None and stop.is_set():
                    outbox.release(session, self.name, ids[index:])
                    break
                if index:
                    outbox.renew_lease(session, self.name, self.lease)
                self._deliver(session, row_id)
        return len(ids)

    def drain(self, stop: threading.Event | None = None) -> int:
        """Deliver batches until no row is due; how many rows were handled."""
        total = 0
        while not (stop and stop.is_set()):
            count = self.deliver_pending_scores(stop=stop)
            if not count:
                break
            total += count
        return total

    def run(self, stop: threading.Event, wake: threading.Event, poll_seconds: float) -> None:
        """Deliver until `stop` is set; sleep `poll_seconds` (or until woken) when idle.

        Between batches, and at most once per `HOUSEKEEPING_SECONDS`, expired logins and
        launches are purged: the worker is the one process that always runs.
        """
        next_housekeeping = 0.0
        while not stop.is_set():
            try:
                busy = self.deliver_pending_scores(stop=stop)
                if time.monotonic() >= next_housekeeping:
                    purged = purge_expired(self.engine)
                    next_housekeeping = time.monotonic() + HOUSEKEEPING_SECONDS
                    if purged.oidc_states or purged.launches:
                        log_event(
                            "housekeeping",
                            oidc_states=purged.oidc_states,
                            launches=purged.launches,
                        )
            except Exception:
                # A database hiccup must not end the worker: log it, wait, go on.
                log.exception("grade worker %s: batch failed; trying again shortly", self.name)
                busy = 0
            if not busy:
                wake.wait(poll_seconds)
                wake.clear()

    # --- One row --------------------------------------------------------------------------

    def _platform(self, session: Session, platform_id: int) -> ServicePlatform | None:
        found = self._platforms.get(platform_id)
        if found is None:
            row = session.get(Platform, platform_id)
            if row is None:
                return None
            found = self._platforms[platform_id] = ServicePlatform.of(row)
        return found

    def _deliver(self, session: Session, row_id: int) -> None:
        row = session.get(GradeOutbox, row_id, populate_existing=True)
        if row is None or row.status != outbox.SENDING or row.claimed_by != self.name:
            session.rollback()
            return
        started = time.perf_counter()
        if outbox.newer_row_exists(session, row):
            self._finish(
                session,
                row,
                "replaced",
                status=outbox.SUPERSEDED,
                last_error="remplacée par une note plus récente / replaced by a newer score",
            )
            return
        if row.grading_progress != FULLY_GRADED and outbox.final_grade_sent(session, row):
            # On Moodle any non-final score clears the grade already stored.
            self._finish(
                session,
                row,
                "after_final",
                status=outbox.NOT_APPLICABLE,
                last_error=(
                    "non envoyée : le LMS a déjà une note définitive, qu'elle effacerait "
                    "/ not sent: the LMS already holds a final grade, which it would clear"
                ),
            )
            return
        timestamp = self._timestamp(session, row)
        platform = self._platform(session, row.platform_id)
        score = outbox.score_of(row)
        session.commit()  # no transaction stays open while the LMS is called
        if platform is None:
            return
        scopes = tuple(row.scopes)
        try:
            line_item_url = self._line_item(session, platform, row)
            outcome = post_score(
                self.client,
                platform,
                scopes,
                line_item_url,
                _with_timestamp(score, timestamp),
            )
        except _LineItemBusy:
            outbox.finish(
                session,
                row.id,
                self.name,
                status=outbox.PENDING,
                next_attempt_at=utcnow() + timedelta(seconds=LINE_ITEM_WAIT_SECONDS),
            )
            return
        except (ServiceError, ValueError, KeyError, TypeError, OSError) as raised:
            # Anything else a platform's answer may trip counts as a failed try: a row
            # must never loop forever outside the backoff and the attempts limit.
            if isinstance(raised, ServiceError):
                error = raised
            else:
                log.exception("grade delivery %s: unexpected failure", row.id)
                error = ServiceError(
                    f"erreur inattendue / unexpected error: {raised!r}", retriable=True
                )
            if error.status == 404 and not row.line_item_url:
                # The column was deleted in the LMS: find or create it again next time.
                self._forget_line_item(session, row)
                error.retriable = True
            self._failed(session, row, error, started)
            return
        if outcome is ScoreOutcome.SENT:
            self._finish(
                session, row, "sent", started, status=outbox.SENT, sent_timestamp=timestamp
            )
        elif outcome is ScoreOutcome.NEWER_ON_PLATFORM:
            self._finish(
                session,
                row,
                "newer_on_platform",
                started,
                status=outbox.SUPERSEDED,
                last_error=(
                    "409 : le LMS a déjà une note plus récente / the LMS already holds a "
                    "newer score"
                ),
            )
        else:
            self._finish(
                session,
                row,
                "not_gradable",
                started,
                status=outbox.NOT_APPLICABLE,
                last_error=(
                    "400 « Incorrect score received » : le LMS ne note pas cet utilisateur "
                    "(formateur, administrateur en aperçu) / the LMS does not grade this user "
                    "(a teacher or an administrator previewing)"
                ),
            )

    def _timestamp(self, session: Session, row: GradeOutbox) -> datetime:
        """The row's time, or one second after the last score sent for the same learner and
        line item: Moodle refuses a timestamp that is not strictly newer (to the second)."""
        last = outbox.last_sent_timestamp(session, row)
        if last is None or row.timestamp.replace(microsecond=0) > last.replace(microsecond=0):
            return row.timestamp
        return last.replace(microsecond=0) + timedelta(seconds=1)

    def _finish(
        self,
        session: Session,
        row: GradeOutbox,
        outcome: str,
        started: float | None = None,
        **values: object,
    ) -> None:
        kept = outbox.finish(session, row.id, self.name, attempts=row.attempts + 1, **values)
        log_event(
            "grade_delivery",
            outbox_id=row.id,
            platform_id=row.platform_id,
            user_id=row.user_id,
            resource_id=row.resource_id,
            outcome=outcome,
            status=values.get("status"),
            lease_kept=kept,
            duration_ms=round((time.perf_counter() - started) * 1000, 1) if started else 0,
        )

    def _failed(
        self, session: Session, row: GradeOutbox, error: ServiceError, started: float
    ) -> None:
        attempts = row.attempts + 1
        if error.retriable and attempts < self.policy.max_attempts:
            delay = self.policy.delay(attempts, self.rng)
            if error.retry_after is not None:
                delay = max(delay, error.retry_after) if error.status != 429 else error.retry_after
            values: dict[str, object] = {
                "status": outbox.PENDING,
                "next_attempt_at": utcnow() + timedelta(seconds=delay),
            }
        else:
            values = {"status": outbox.FAILED}
        kept = outbox.finish(
            session,
            row.id,
            self.name,
            attempts=attempts,
            last_error=error.message[:2000],
            **values,
        )
        log_event(
            "grade_delivery",
            outbox_id=row.id,
            platform_id=row.platform_id,
            user_id=row.user_id,
            resource_id=row.resource_id,
            outcome="error",
            status=values["status"],
            http_status=error.status,
            attempts=attempts,
            error=error.message[:300],
            lease_kept=kept,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    # --- Line items -----------------------------------------------------------------------

    def _line_item(self, session: Session, platform: ServicePlatform, row: GradeOutbox) -> str:
        """The row's line item URL: coupled, cached, found, or created (by one worker)."""
        if row.line_item_url:
            return row.line_item_url
        if not row.line_items_url:
            raise ServiceError("aucune colonne de notes / no line item to send to", retriable=False)
        spec = LineItemSpec(
            line_items_url=row.line_items_url,
            resource_link_id=row.resource_link_id,
            resource_id=row.resource_id,
            tag=row.tag,
            label=row.label,
            score_maximum=row.score_maximum,
        )
        where = (
            GradeLineItem.platform_id == row.platform_id,
            GradeLineItem.line_items_url == row.line_items_url,
            GradeLineItem.resource_link_id == row.resource_link_id,
            GradeLineItem.resource_id == row.resource_id,
        )
        now = utcnow()
        cached = session.scalars(select(GradeLineItem).where(*where)).first()
        if cached is not None and cached.url:
            url = cached.url
            session.commit()
            return url
        if cached is None:
            # The placeholder row makes this worker the only one creating the line item.
            session.add(
                GradeLineItem(
                    platform_id=row.platform_id,
                    line_items_url=row.line_items_url,
                    resource_link_id=row.resource_link_id,
                    resource_id=row.resource_id,
                    created_at=now,
                )
            )
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                raise _LineItemBusy() from None
        else:
            if cached.created_at > now - self.lease:
                session.rollback()
                raise _LineItemBusy()
            # Its maker died: take the placeholder over, if nobody else did meanwhile.
            taken = session.execute(
                update(GradeLineItem)
                .where(GradeLineItem.id == cached.id, GradeLineItem.created_at == cached.created_at)
                .values(created_at=now)
                .execution_options(synchronize_session=False)
            )
            session.commit()
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                raise _LineItemBusy()
        try:
            scopes = tuple(row.scopes)
            url = find_line_item(self.client, platform, scopes, spec) or create_line_item(
                self.client, platform, scopes, spec
            )
        except ServiceError:
            self._forget_line_item(session, row)
            raise
        session.execute(
            update(GradeLineItem)
            .where(*where)
            .values(url=url)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return url

    def _forget_line_item(self, session: Session, row: GradeOutbox) -> None:
        """Drop the cached line item (gone from the LMS, or never made): found again next time."""
        session.execute(
            delete(GradeLineItem).where(
                GradeLineItem.platform_id == row.platform_id,
                GradeLineItem.line_items_url == row.line_items_url,
                GradeLineItem.resource_link_id == row.resource_link_id,
                GradeLineItem.resource_id == row.resource_id,
            )
        )
        session.commit()


def _with_timestamp(score: ScoreBody, timestamp: datetime) -> ScoreBody:
    return replace(score, timestamp=timestamp)


# --- The embedded worker -------------------------------------------------------------------

_wake = threading.Event()


def notify_new_scores() -> None:
    """Wake this process's embedded worker (a score was just committed)."""
    _wake.set()


@dataclass
class EmbeddedWorker:
    thread: threading.Thread
    stop: threading.Event
    delivery: GradeDelivery

    def shutdown(self, timeout: float = 10) -> None:
        self.stop.set()
        _wake.set()
        self.thread.join(timeout)


def start_embedded_worker(
    engine: Engine, settings: Settings, client: ServiceClient | None = None
) -> EmbeddedWorker:
    """A daemon thread delivering grades inside this process (`ambassadeurs serve`)."""
    delivery = GradeDelivery.from_settings(engine, settings, client)
    stop = threading.Event()
    thread = threading.Thread(
        target=delivery.run,
        args=(stop, _wake, settings.grade_poll_seconds),
        name="grade-worker",
        daemon=True,
    )
    thread.start()
    return EmbeddedWorker(thread, stop, delivery)


def run_worker_process(
    settings: Settings,
    once: bool = False,
    install_signals: Callable[[Callable[[], None]], None] | None = None,
) -> int:
    """`ambassadeurs worker`: deliver until stopped (or, with `once`, until nothing is due).

    `install_signals` receives the function that stops the worker gracefully: the row in
    flight is finished and the rest of the batch given back at once.
    """
    from lti_tool.database import make_engine

    engine = make_engine(settings.sqlalchemy_url)
    delivery = GradeDelivery.from_settings(engine, settings)
    stop = threading.Event()
    wake = threading.Event()

    def stop_now() -> None:
        stop.set()
        wake.set()

    if install_signals:
        install_signals(stop_now)
    log_event("grade_worker_start", worker=delivery.name, once=once)
    try:
        if once:
            return delivery.drain(stop)
        delivery.run(stop, wake, settings.grade_poll_seconds)
        return 0
    finally:
        delivery.client.close()
        engine.dispose()
        log_event("grade_worker_stop", worker=delivery.name)
