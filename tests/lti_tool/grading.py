"""Helpers of the grade tests: a tool instance registered with the test LMS, scores to queue."""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lti_tool import keys
from lti_tool.ags import COMPLETED, FULLY_GRADED, ScoreBody
from lti_tool.config import Settings
from lti_tool.database import make_engine
from lti_tool.grade_outbox import LineItemTarget, enqueue_score
from lti_tool.grade_worker import GradeDelivery, RetryPolicy, new_client
from lti_tool.instance import prepare_instance
from lti_tool.lti_services import AGS_SCOPES
from lti_tool.models import GradeOutbox, Platform, utcnow
from tests.lti_tool.ags_platform import ISSUER, AgsPlatform, serve_platform

FAST = RetryPolicy(base_seconds=0.05, max_seconds=0.2, max_attempts=4)


def tool_jwks(settings: Settings) -> Any:
    return lambda: keys.jwks(settings.instance, timedelta(days=settings.key_grace_days))


@dataclass
class GradeBench:
    """A prepared tool instance, its database, and the LMS it is registered with."""

    settings: Settings
    engine: Engine
    platform: AgsPlatform
    platform_id: int

    def delivery(
        self, policy: RetryPolicy = FAST, timeout: float | None = None, **kwargs: Any
    ) -> GradeDelivery:
        client = new_client(self.settings)
        if timeout is not None:
            client.timeout = timeout
        return GradeDelivery(
            self.engine,
            client,
            policy,
            lease_seconds=30,
            rng=random.Random(6),
            **kwargs,
        )

    def target(self, line_item_url: str | None = None, resource_id: str = "m01.quiz") -> Any:
        return LineItemTarget(
            platform_id=self.platform_id,
            deployment_id="1",
            context_id="2",
            resource_link_id="7",
            scopes=tuple(sorted(AGS_SCOPES)),
            resource_id=resource_id,
            tag="quiz",
            label="Quiz du module 1",
            line_item_url=line_item_url,
            line_items_url=None if line_item_url else self.platform.line_items_url,
        )

    def enqueue(
        self,
        user_id: str,
        score: float,
        line_item_url: str | None = None,
        when: datetime | None = None,
        grading: str = FULLY_GRADED,
        resource_id: str = "m01.quiz",
    ) -> int:
        with Session(self.engine) as session, session.begin():
            row = enqueue_score(
                session,
                self.target(line_item_url, resource_id),
                ScoreBody(user_id, score, 10, COMPLETED, grading, "", when or utcnow()),
            )
            return row.id

    def rows(self) -> list[GradeOutbox]:
        with Session(self.engine) as session:
            return list(session.scalars(select(GradeOutbox).order_by(GradeOutbox.id)))

    def row(self, row_id: int) -> GradeOutbox:
        with Session(self.engine) as session:
            found = session.get(GradeOutbox, row_id)
            assert found is not None
            return found

    def make_due(self) -> None:
        """Skip the backoff wait (the delay itself is checked where it matters)."""
        from sqlalchemy import update

        with Session(self.engine) as session, session.begin():
            session.execute(update(GradeOutbox).values(next_attempt_at=utcnow()))


def grade_bench(settings: Settings, **platform: Any) -> Iterator[GradeBench]:
    lms = AgsPlatform(tool_jwks(settings), **platform)
    for served in serve_platform(lms):
        configured = dataclasses.replace(settings, platforms=[served.registration()])
        prepare_instance(configured)
        engine = make_engine(configured.sqlalchemy_url)
        with Session(engine) as session:
            platform_id = session.scalars(
                select(Platform.id).where(Platform.issuer == ISSUER)
            ).one()
        try:
            yield GradeBench(configured, engine, served, platform_id)
        finally:
            engine.dispose()


@pytest.fixture
def bench(settings: Settings) -> Iterator[GradeBench]:
    """The tool registered with a Moodle-like AGS platform on 127.0.0.1."""
    yield from grade_bench(settings)


def run_threads(count: int, target: Any) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
