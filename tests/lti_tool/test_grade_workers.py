"""Grade workers: the attempt and its grade written together, workers that never send a row
twice (SQLite and PostgreSQL), a worker SIGKILLed mid-batch, the embedded thread."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from lti_tool.database import make_engine, upgrade_database
from lti_tool.grade_outbox import FINISHED, SENT, SUPERSEDED, claim_batch
from lti_tool.grade_worker import (
    GradeDelivery,
    new_client,
    notify_new_scores,
    start_embedded_worker,
)
from lti_tool.instance import ensure_instance
from lti_tool.keys import ensure_signing_key
from lti_tool.models import GradeOutbox, QuizAttempt
from lti_tool.platforms import seed_platforms
from tests.lti_tool.ags_platform import AgsPlatform, running, serve_platform
from tests.lti_tool.grading import FAST, GradeBench, bench, grade_bench, tool_jwks
from tests.lti_tool.signing_platform import CLIENT_ID, INSTRUCTOR, SigningPlatform
from tests.lti_tool.test_lti_launch import CLAIM, launch
from tests.lti_tool.tool_process import run_cli

__all__ = ["bench"]
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
ROOT = Path(__file__).parents[2]


def test_submitted_quiz_writes_attempt_and_grade_together_and_the_lms_gets_it(
    settings: Any, lms: SigningPlatform
) -> None:
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    with running(AgsPlatform(tool_jwks(settings), client_id=CLIENT_ID)) as ags:
        coupled = ags.add_line_item("Quiz 1", 50, resource_id="m01.quiz", tag="quiz")
        registration = {**lms.registration(), "auth_token_url": ags.token_url}
        configured = dataclasses.replace(settings, platforms=[registration])
        prepare_instance(configured)
        app = create_app(configured)
        client: FlaskClient = app.test_client(use_cookies=False)
        engine = app.extensions["ambassadeurs.engine"]

        def submit(roles: list[str]) -> None:
            response = launch(
                client, lms, **{CLAIM + "roles": roles, AGS_CLAIM: ags.ags_claim(coupled)}
            )
            page = response.get_data(as_text=True)
            fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page))
            data = {k: unescape(v) for k, v in fields.items()}
            answer = client.post("/learn/quizzes/m01.quiz", data={**data, "q-m01.q01": "a"})
            assert answer.status_code == 200

        submit([INSTRUCTOR])  # a trainer's preview: nothing recorded, nothing sent
        with Session(engine) as session:
            assert session.scalars(select(GradeOutbox)).all() == []
        submit(["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"])
        with Session(engine) as session:
            attempt = session.scalars(select(QuizAttempt)).one()
            row = session.scalars(select(GradeOutbox)).one()
            assert row.source == f"quiz_attempt:{attempt.id}"
            assert (row.line_item_url, row.user_id, row.score_given) == (coupled, "42", 1)
            assert row.timestamp == attempt.created_at
        delivery = GradeDelivery.from_settings(engine, configured)
        delivery.policy = FAST
        assert delivery.drain() == 1
        grade = ags.grade_of("42")
        assert grade is not None and round(grade.score_given or 0, 2) == 7.14  # 1/7 of 50
        assert grade.comment == "Quiz pas encore réussi : 1 / 7 (14 %, seuil 70 %)."
        assert grade.activity_progress == "Completed"


def test_an_attempt_and_its_grade_are_rolled_back_together(settings: Any) -> None:
    from course_content.loader import load_curriculum
    from lti_tool.attempts import record_attempt
    from lti_tool.models import Launch, utcnow

    for graded in grade_bench(settings):
        quiz = load_curriculum(Path(settings.content_path)).modules[0].quiz
        with Session(graded.engine) as session:
            launch_row = Launch(
                id="l1",
                platform_id=graded.platform_id,
                deployment_id="1",
                message_type="LtiResourceLinkRequest",
                user_id="42",
                context_id="2",
                resource_link_id="7",
                roles=[],
                locale="fr",
                claims={AGS_CLAIM: graded.platform.ags_claim()},
                expires_at=utcnow() + timedelta(hours=1),
            )
            session.add(launch_row)
            session.commit()
            record_attempt(session, launch_row, quiz, {"m01.q01": "a"})
            session.flush()
            assert len(session.scalars(select(GradeOutbox)).all()) == 1
            session.rollback()  # the request failed after scoring
            assert session.scalars(select(QuizAttempt)).all() == []
            assert session.scalars(select(GradeOutbox)).all() == []


def test_two_workers_never_send_the_same_row(database_url: str, settings: Any) -> None:
    upgrade_database(database_url)
    ensure_instance(settings)
    ensure_signing_key(settings.instance)
    engine = make_engine(database_url)
    with running(AgsPlatform(tool_jwks(settings), score_delay=0.003)) as ags:
        seed_platforms(engine, [ags.registration()])
        graded = GradeBench(
            dataclasses.replace(settings, database_url=database_url), engine, ags, 1
        )
        item = ags.add_line_item("Quiz 1", 10)
        for n in range(120):
            graded.enqueue(f"learner-{n}", n % 11, item)
        handled: dict[str, int] = {}
        workers = [
            GradeDelivery(
                make_engine(database_url),
                new_client(graded.settings),
                FAST,
                lease_seconds=30,
                batch_size=4,
                name=f"worker-{i}",
            )
            for i in range(3)
        ]
        start = threading.Barrier(len(workers))

        def work(delivery: GradeDelivery) -> None:
            start.wait()
            handled[delivery.name] = delivery.drain()
            delivery.engine.dispose()

        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        users = [post["userId"] for post in ags.score_posts]
        assert len(users) == 120 and len(set(users)) == 120
        assert sum(handled.values()) == 120 and sum(1 for n in handled.values() if n) >= 2
        assert {row.status for row in graded.rows()} == {SENT}
    engine.dispose()


def test_claims_take_at_most_a_batch_each_and_never_the_same_row(
    database_url: str, settings: Any
) -> None:
    upgrade_database(database_url)
    engine = make_engine(database_url)
    with running(AgsPlatform(tool_jwks(settings))) as ags:
        seed_platforms(engine, [ags.registration()])
        graded = GradeBench(settings, engine, ags, 1)
        item = ags.add_line_item("Q", 10)
        for n in range(40):
            graded.enqueue(f"u{n}", 1, item)
        batches: dict[int, list[list[int]]] = {}
        start = threading.Barrier(3)

        def claimant(index: int) -> None:
            own = make_engine(database_url)
            start.wait()
            with Session(own) as session:
                batches[index] = [
                    claim_batch(session, f"c{index}", 4, timedelta(seconds=30)) for _ in range(3)
                ]
            own.dispose()

        threads = [threading.Thread(target=claimant, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        claimed = [row_id for runs in batches.values() for batch in runs for row_id in batch]
        assert all(len(batch) == 4 for runs in batches.values() for batch in runs)
        assert len(claimed) == len(set(claimed)) == 36
    engine.dispose()


def test_a_row_locked_by_another_claimant_is_skipped_not_waited_for(
    database_url: str, settings: Any
) -> None:
    if not database_url.startswith("postgresql"):
        # SQLite has no row locks: its claimants take turns on the write lock (above).
        return
    upgrade_database(database_url)
    engine = make_engine(database_url)
    for ags in serve_platform(AgsPlatform(tool_jwks(settings))):
        seed_platforms(engine, [ags.registration()])
        graded = GradeBench(settings, engine, ags, 1)
        ids = [graded.enqueue(f"u{n}", 1, ags.add_line_item("Q", 10)) for n in range(3)]
        with engine.connect() as holder:
            holder.execute(
                text("SELECT id FROM grade_outbox WHERE id = :id FOR UPDATE"), {"id": ids[0]}
            )
            with Session(engine) as session:
                began = time.monotonic()
                claimed = claim_batch(session, "other", 10, timedelta(seconds=30))
            assert claimed == ids[1:] and time.monotonic() - began < 2
            holder.rollback()
    engine.dispose()


def _worker_env(graded: GradeBench) -> dict[str, str]:
    settings = graded.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMBASSADEURS_")}
    env.update(
        AMBASSADEURS_INSTANCE_PATH=str(settings.instance),
        AMBASSADEURS_CONTENT_PATH=settings.content_path,
        AMBASSADEURS_DATABASE_URL=settings.sqlalchemy_url,
        AMBASSADEURS_DEMO_PLATFORM="false",
        AMBASSADEURS_HTTP_TIMEOUT_SECONDS="1",
        AMBASSADEURS_GRADE_LEASE_SECONDS="5",
        AMBASSADEURS_GRADE_POLL_SECONDS="1",
        AMBASSADEURS_GRADE_BATCH_SIZE="10",
        AMBASSADEURS_GRADE_RETRY_BASE_SECONDS="1",
    )
    return env


def test_worker_killed_mid_batch_then_restarted_loses_no_grade(
    settings: Any, tmp_path: Path
) -> None:
    for graded in grade_bench(settings, score_delay=0.03):
        item = graded.platform.add_line_item("Quiz 1", 10)
        for n in range(80):
            graded.enqueue(f"learner-{n}", 1, item)
        command = [sys.executable, "-m", "ambassadeurs_cli", "worker"]
        log_path = tmp_path / "worker.log"
        with log_path.open("w") as log:
            worker = subprocess.Popen(
                command, cwd=tmp_path, env=_worker_env(graded), stdout=log, stderr=log
            )
        try:
            deadline = time.monotonic() + 30
            while len(graded.platform.score_posts) < 15 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert worker.poll() is None, log_path.read_text()
            worker.send_signal(signal.SIGKILL)  # in the middle of its second batch
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        posted = len(graded.platform.score_posts)
        assert 15 <= posted < 80
        statuses = [row.status for row in graded.rows()]
        assert "sending" in statuses  # the dead worker's claimed rows
        # Learners keep working while no worker runs: newer scores for half of them.
        for n in range(40):
            graded.enqueue(f"learner-{n}", 9, item)
        time.sleep(5.2)  # the dead worker's lease runs out
        restarted = subprocess.run(
            [*command, "--once"],
            cwd=tmp_path,
            env=_worker_env(graded),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert restarted.returncode == 0, restarted.stderr
        grades = graded.platform.line_items[1].grades
        assert len(grades) == 80
        assert {user: g.score_given for user, g in grades.items()} == {
            f"learner-{n}": (9 if n < 40 else 1) for n in range(80)
        }
        rows = graded.rows()
        assert all(row.status in FINISHED for row in rows), [r.status for r in rows]
        newest = {row.user_id: row for row in rows}  # ids ascend: the last row per learner
        assert all(row.status in (SENT, SUPERSEDED) for row in newest.values())


def test_embedded_worker_delivers_as_soon_as_woken(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    settings = dataclasses.replace(bench.settings, grade_poll_seconds=30)
    worker = start_embedded_worker(bench.engine, settings)
    try:
        time.sleep(0.2)  # the thread found nothing and waits (30 s unless woken)
        bench.enqueue("42", 7, item)
        woken = time.monotonic()
        notify_new_scores()
        while bench.platform.grade_of("42") is None and time.monotonic() - woken < 5:
            time.sleep(0.02)
        assert bench.platform.grade_of("42") is not None
        assert time.monotonic() - woken < 3
    finally:
        worker.shutdown()
    assert not worker.thread.is_alive()


def test_worker_command_once_reports_and_grades_commands_list_and_retry(
    bench: GradeBench, tmp_path: Path
) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    row_id = bench.enqueue("42", 7, item)
    with Session(bench.engine) as session, session.begin():
        session.get(GradeOutbox, row_id).status = "failed"  # type: ignore[union-attr]
        session.get(GradeOutbox, row_id).last_error = "LMS injoignable"  # type: ignore[union-attr]
    env = _worker_env(bench)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=tmp_path, env=env)

    listed = run("grades", "list", "--status", "failed")
    assert listed.returncode == 0 and "failed=1" in listed.stdout
    assert f"#{row_id}\tfailed" in listed.stdout and "LMS injoignable" in listed.stdout
    assert run("grades", "retry").returncode != 0  # ids or --all required
    retried = run("grades", "retry", str(row_id))
    assert "1 note(s) remise(s)" in retried.stdout
    once = run("worker", "--once")
    assert once.returncode == 0 and "1 note(s) traitée(s)" in once.stderr
    assert bench.platform.grade_of("42") is not None
