"""Grade delivery against a Moodle-like LMS over real HTTP: tokens, retries, Moodle's answers."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from lti_tool.ags import PENDING_MANUAL, scores_url, with_query
from lti_tool.grade_outbox import (
    FAILED,
    NOT_APPLICABLE,
    PENDING,
    SENT,
    SUPERSEDED,
    list_outbox,
    outbox_counts,
    retry_failed,
)
from lti_tool.grade_worker import RetryPolicy
from lti_tool.lti_services import next_page_url, retry_after_seconds
from lti_tool.models import Platform, utcnow
from tests.lti_tool.ags_platform import MOODLE_JWKS_ERROR, Fault
from tests.lti_tool.grading import GradeBench, bench

__all__ = ["bench"]  # the fixture, used by name


def test_scores_path_goes_before_the_line_item_query_string() -> None:
    url = "https://moodle.example.org/mod/lti/services.php/2/lineitems/5/lineitem?type_id=1"
    assert scores_url(url) == (
        "https://moodle.example.org/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=1"
    )
    assert with_query(url, resource_id="m01.quiz") == (
        "https://moodle.example.org/mod/lti/services.php/2/lineitems/5/lineitem"
        "?type_id=1&resource_id=m01.quiz"
    )


def test_next_link_is_read_with_straight_or_curly_quotes() -> None:
    assert next_page_url('<https://a.test/p?from=2>; rel="next"') == "https://a.test/p?from=2"
    assert next_page_url("<https://a.test/p?from=2>; rel=“next”") == "https://a.test/p?from=2"
    assert (
        next_page_url('<https://a.test/first>; rel="first", <https://a.test/n>; rel=next')
        == "https://a.test/n"
    )
    assert next_page_url('<https://a.test/p>; rel="prev"') is None
    # The same curly quotes as they arrive: UTF-8 bytes read as Latin-1.
    mojibake = "<https://a.test/p?from=2>; rel=“next”".encode().decode("latin-1")
    assert next_page_url(mojibake) == "https://a.test/p?from=2"
    assert next_page_url('<https://a.test/p>; rel="nextish"') is None


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    assert retry_after_seconds("7") == 7
    now = datetime(2026, 11, 30, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Mon, 30 Nov 2026 10:00:30 GMT", now) == 30
    assert retry_after_seconds("soon") is None


def test_one_token_serves_every_score_of_its_lifetime_on_reused_connections(
    bench: GradeBench,
) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    for n in range(30):
        bench.enqueue(f"learner-{n}", n % 11, item)
    delivery = bench.delivery()
    assert delivery.drain() == 30
    assert bench.platform.token_requests == 1
    assert len(bench.platform.score_posts) == 30
    assert len(bench.platform.connections) <= 2  # the token call and the scores, kept alive
    assert {r.status for r in bench.rows()} == {SENT}
    assert bench.platform.grade_of("learner-7").score_given == 7  # type: ignore[union-attr]


def test_a_new_token_is_asked_for_shortly_before_the_old_one_expires(settings: object) -> None:
    from tests.lti_tool.grading import grade_bench

    for short in grade_bench(settings, expires_in=2):  # type: ignore[arg-type]
        item = short.platform.add_line_item("Quiz 1", 10)
        delivery = short.delivery()
        for n in range(3):
            short.enqueue(f"a-{n}", 5, item)
        delivery.drain()
        assert short.platform.token_requests == 1
        time.sleep(1.9)  # past expires_in minus the margin (a tenth of 2 s)
        for n in range(3):
            short.enqueue(f"b-{n}", 5, item)
        delivery.drain()
        assert short.platform.token_requests == 2
        # The tool's signing key was parsed once for both token requests.
        assert delivery.client.signer.parse_count == 1


def test_server_error_is_retried_with_backoff_then_delivered(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    row_id = bench.enqueue("42", 8, item)
    bench.platform.fail_next(Fault("/scores", 500, "Database error"), times=2)
    policy = RetryPolicy(base_seconds=10, max_seconds=60, max_attempts=5)
    delivery = bench.delivery(policy)
    before = utcnow()
    delivery.drain()
    row = bench.row(row_id)
    assert (row.status, row.attempts) == (PENDING, 1)
    assert "500" in row.last_error
    # First retry after 5 to 10 s (half fixed, half random): not at once, not never.
    assert before + timedelta(seconds=5) <= row.next_attempt_at <= utcnow() + timedelta(seconds=10)
    assert delivery.drain() == 0  # not due yet
    bench.make_due()
    delivery.drain()
    assert bench.row(row_id).attempts == 2
    bench.make_due()
    delivery.drain()
    row = bench.row(row_id)
    assert (row.status, row.attempts) == (SENT, 3)
    assert bench.platform.grade_of("42").score_given == 8  # type: ignore[union-attr]


def test_a_platform_that_does_not_answer_in_time_is_tried_again(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    row_id = bench.enqueue("42", 6, item)
    bench.platform.fail_next(Fault("/scores", 200, delay=1.0))
    delivery = bench.delivery(timeout=0.3)
    delivery.drain()
    row = bench.row(row_id)
    assert row.status == PENDING and "0.3 s" in row.last_error
    bench.make_due()
    delivery.drain()
    assert bench.row(row_id).status == SENT


def test_unreachable_platform_ends_failed_with_its_error_then_retry_sends_it(
    bench: GradeBench,
) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    row_id = bench.enqueue("42", 9, item)
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with Session(bench.engine) as session, session.begin():
        session.execute(
            update(Platform).values(auth_token_url=f"http://127.0.0.1:{closed}/token.php")
        )
    delivery = bench.delivery(RetryPolicy(0.01, 0.02, max_attempts=3))
    for _ in range(3):
        delivery.drain()
        bench.make_due()
    row = bench.row(row_id)
    assert (row.status, row.attempts) == (FAILED, 3)
    assert "injoignable / LMS unreachable" in row.last_error
    with Session(bench.engine) as session:
        assert outbox_counts(session)[FAILED] == 1
        assert [e.id for e in list_outbox(session, status=FAILED)] == [row_id]
    # The LMS is back: the administrator sends failed grades again.
    with Session(bench.engine) as session, session.begin():
        session.execute(update(Platform).values(auth_token_url=bench.platform.token_url))
        assert retry_failed(session) == 1
    bench.delivery().drain()
    assert bench.row(row_id).status == SENT
    assert bench.platform.grade_of("42").score_given == 9  # type: ignore[union-attr]


def test_too_many_requests_waits_as_long_as_retry_after_says(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    row_id = bench.enqueue("42", 7, item)
    bench.platform.fail_next(Fault("/scores", 429, "slow down", headers={"Retry-After": "40"}))
    before = utcnow()
    bench.delivery().drain()
    row = bench.row(row_id)
    assert row.status == PENDING and "429" in row.last_error
    assert before + timedelta(seconds=40) <= row.next_attempt_at
    assert row.next_attempt_at <= utcnow() + timedelta(seconds=41)


def test_conflict_means_the_platform_holds_a_newer_score_and_is_no_error(
    bench: GradeBench,
) -> None:
    from tests.lti_tool.ags_platform import Score

    item = bench.platform.add_line_item("Quiz 1", 10)
    # The gradebook already holds a newer grade (a teacher's override, say).
    later = time.time() + 3600
    bench.platform.line_items[1].grades["42"] = Score("42", 10, 10, "FullyGraded", "", later, "")
    row_id = bench.enqueue("42", 3, item)
    delivery = bench.delivery()
    delivery.drain()
    row = bench.row(row_id)
    assert (row.status, bench.platform.score_statuses) == (SUPERSEDED, [409])
    assert "409" in row.last_error
    bench.make_due()
    assert delivery.drain() == 0  # finished: never sent again
    assert bench.platform.grade_of("42").score_given == 10  # type: ignore[union-attr]


def test_two_scores_in_the_same_second_both_land_and_the_newest_wins(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    moment = utcnow().replace(microsecond=100_000)
    bench.enqueue("42", 4, item, when=moment)
    delivery = bench.delivery()
    delivery.drain()
    second = bench.enqueue("42", 6, item, when=moment.replace(microsecond=900_000))
    delivery.drain()
    # Moodle compares whole seconds: the tool moved the newer score one second on.
    assert bench.platform.score_statuses == [200, 200]
    assert bench.row(second).status == SENT
    assert bench.platform.grade_of("42").score_given == 6  # type: ignore[union-attr]


def test_teacher_who_is_not_gradable_is_recorded_not_applicable_and_not_retried(
    bench: GradeBench,
) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    bench.platform.not_gradable.add("teacher-1")
    row_id = bench.enqueue("teacher-1", 5, item)
    delivery = bench.delivery()
    delivery.drain()
    bench.make_due()
    delivery.drain()
    row = bench.row(row_id)
    assert row.status == NOT_APPLICABLE and "Incorrect score received" in row.last_error
    assert len(bench.platform.score_posts) == 1


def test_moodle_unable_to_read_our_keys_is_diagnosed_with_our_jwks_url(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    row_id = bench.enqueue("42", 5, item)
    bench.platform.fail_next(Fault("token.php", 404, MOODLE_JWKS_ERROR, "text/html"))
    bench.delivery().drain()
    row = bench.row(row_id)
    jwks_url = f"{bench.settings.base_url}/lti/jwks"
    assert row.status == PENDING
    assert f"n'a pas pu lire les clés publiques de l'outil à {jwks_url}" in row.last_error
    assert f"could not read our public keys at {jwks_url}" in row.last_error
    assert "Expecting value" not in row.last_error  # not a JSON parse error


def test_only_the_newest_score_per_learner_and_line_item_is_sent(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    ids = [bench.enqueue("42", score, item) for score in (3, 5, 8)]
    other = bench.enqueue("43", 1, item)
    bench.delivery().drain()
    assert [bench.row(i).status for i in ids] == [SUPERSEDED, SUPERSEDED, SENT]
    assert bench.row(other).status == SENT
    assert [p["scoreGiven"] for p in bench.platform.score_posts if p["userId"] == "42"] == [8]


def test_a_non_final_score_is_never_sent_after_a_final_grade(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Projet", 10)
    bench.enqueue("42", 9, item)
    delivery = bench.delivery()
    delivery.drain()
    pending = bench.enqueue("42", 0, item, grading=PENDING_MANUAL)
    delivery.drain()
    assert bench.row(pending).status == NOT_APPLICABLE
    assert len(bench.platform.score_posts) == 1
    grade = bench.platform.grade_of("42")
    assert grade is not None and grade.score_given == 9  # not cleared


def test_expired_token_refused_by_the_platform_is_replaced_once(bench: GradeBench) -> None:
    item = bench.platform.add_line_item("Quiz 1", 10)
    bench.enqueue("42", 5, item)
    delivery = bench.delivery()
    delivery.drain()
    bench.platform.tokens.clear()  # the LMS forgot every token (restart, revocation)
    row_id = bench.enqueue("43", 6, item)
    delivery.drain()
    assert bench.row(row_id).status == SENT
    assert bench.platform.token_requests == 2


def test_line_item_is_found_or_created_once_tied_to_the_resource_link(bench: GradeBench) -> None:
    bench.platform.page_size = 2  # the search has to follow Moodle's curly-quoted links
    for n in range(5):
        bench.platform.add_line_item(f"Autre {n}", 10, resource_id=f"x{n}", resource_link_id="7")
    for n in range(4):
        bench.enqueue(f"learner-{n}", n, resource_id="m01.quiz")
    bench.delivery().drain()
    created = [i for i in bench.platform.line_items.values() if i.resource_id == "m01.quiz"]
    assert len(created) == 1 and bench.platform.line_item_posts == 1
    assert (created[0].resource_link_id, created[0].tag, created[0].score_maximum) == (
        "7",
        "quiz",
        10,
    )
    assert set(created[0].grades) == {f"learner-{n}" for n in range(4)}
    # A second quiz whose line item the LMS already has: found (on the last page), not made.
    existing = bench.platform.add_line_item("Quiz 2", 20, resource_id="m02.quiz", tag="quiz")
    bench.platform.line_items[len(bench.platform.line_items)].resource_link_id = "7"
    bench.enqueue("learner-0", 10, resource_id="m02.quiz")
    bench.delivery().drain()
    assert bench.platform.line_item_posts == 1
    found = bench.platform.line_items[int(existing.split("/lineitems/")[1].split("/")[0])]
    assert found.grades["learner-0"].score_given == 20  # rescaled to the item's maximum


def test_line_item_gone_from_the_lms_is_found_again(bench: GradeBench) -> None:
    bench.enqueue("42", 5)
    delivery = bench.delivery()
    delivery.drain()
    bench.platform.line_items.clear()  # the teacher deleted the column
    row_id = bench.enqueue("43", 6)
    delivery.drain()
    assert bench.row(row_id).status == PENDING  # 404: the cached line item is forgotten
    bench.make_due()
    delivery.drain()
    assert bench.row(row_id).status == SENT
    assert bench.platform.line_item_posts == 2
