"""Quiz attempts: scored on the server with the shared scoring function, then stored.

`record_attempt` is the one place an attempt is written; the grades issue adds the grade
outbox row in the same transaction here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Quiz
from course_content.scoring import QuizScore, score_quiz
from lti_tool.models import Launch, QuizAttempt


def record_attempt(
    session: Session, launch: Launch, quiz: Quiz, responses: Mapping[str, Any]
) -> tuple[QuizAttempt, QuizScore]:
    """Score `responses` and store the attempt (the caller commits)."""
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
    )
    session.add(attempt)
    session.flush()
    return attempt, score


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
