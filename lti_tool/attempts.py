"""Quiz attempts: scored on the server with the shared scoring function, then stored.

`record_attempt` is the one place an attempt is written, and its grade outbox row is
added in the same transaction: the score reaches the LMS exactly when the attempt exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from course_content.model import Quiz
from course_content.scoring import QuizScore, score_quiz
from lti_tool.ags import COMPLETED, FULLY_GRADED, ScoreBody
from lti_tool.grade_outbox import enqueue_score, line_item_target
from lti_tool.messages import translate
from lti_tool.models import GradeOutbox, Launch, QuizAttempt, utcnow


def record_attempt(
    session: Session, launch: Launch, quiz: Quiz, responses: Mapping[str, Any]
) -> tuple[QuizAttempt, QuizScore]:
    """Score `responses`, store the attempt and its grade for the LMS (the caller commits)."""
    score = score_quiz(quiz, responses)
    attempt = QuizAttempt(
        launch_id=launch.id,
        platform_id=launch.platform_id,
        user_id=launch.user_id,
        context_id=launch.context_id,
        quiz_id=quiz.id,
        responses=dict(responses),
        score=score.score,
        max_score=score.max_score,
        scaled=score.scaled,
        passed=score.passed,
        created_at=utcnow(),
    )
    session.add(attempt)
    session.flush()
    enqueue_quiz_grade(session, launch, quiz, attempt)
    return attempt, score


def enqueue_quiz_grade(
    session: Session, launch: Launch, quiz: Quiz, attempt: QuizAttempt
) -> GradeOutbox | None:
    """Queue the learner's best score on `quiz` for the LMS gradebook (None: no AGS).

    The best attempt counts, as on the learner's pages: a weaker retake never lowers the
    grade. The score goes to the quiz's own line item.
    """
    lang = launch.locale
    target = line_item_target(launch, quiz.id, "quiz", quiz.title.get(lang))
    if target is None:
        return None
    best = best_attempts(session, launch).get(quiz.id, attempt)
    key = "grade_comment_passed" if best.passed else "grade_comment_not_passed"
    comment = translate(key, lang).format(
        score=_number(best.score),
        max=best.max_score,
        percent=round(best.scaled * 100),
        mark=round(quiz.pass_mark * 100),
    )
    return enqueue_score(
        session,
        target,
        ScoreBody(
            user_id=launch.user_id,
            score_given=best.score,
            score_maximum=float(quiz.max_points),
            activity_progress=COMPLETED,
            grading_progress=FULLY_GRADED,
            comment=comment,
            timestamp=attempt.created_at,
        ),
        source=f"quiz_attempt:{attempt.id}",
    )


def _number(value: float) -> str:
    return f"{value:g}"


_LEARNER_QUIZ_SCORES = select(QuizAttempt.scaled).where(
    QuizAttempt.platform_id == bindparam("platform_id"),
    QuizAttempt.user_id == bindparam("user_id"),
    QuizAttempt.context_id == bindparam("context_id"),
    QuizAttempt.quiz_id == bindparam("quiz_id"),
)
"""Built once, and read without the ORM: it runs on every quiz page, a launch's most
frequent first page."""


def quiz_standing(session: Session, launch: Launch, quiz_id: str) -> tuple[int, float | None]:
    """(attempts used, best scaled score) of the learner at one quiz in this course."""
    learner = {
        "platform_id": launch.platform_id,
        "user_id": launch.user_id,
        "context_id": launch.context_id,
        "quiz_id": quiz_id,
    }
    scores = session.connection().execute(_LEARNER_QUIZ_SCORES, learner).scalars().all()
    return len(scores), max(scores, default=None)


def best_attempts(session: Session, launch: Launch) -> dict[str, QuizAttempt]:
    """The learner's best attempt per quiz in this course."""
    query = select(QuizAttempt).where(
        QuizAttempt.platform_id == launch.platform_id,
        QuizAttempt.user_id == launch.user_id,
        QuizAttempt.context_id == launch.context_id,
    )
    best: dict[str, QuizAttempt] = {}
    for attempt in session.scalars(query):
        current = best.get(attempt.quiz_id)
        if current is None or attempt.scaled > current.scaled:
            best[attempt.quiz_id] = attempt
    return best
