"""The jury of a course's practical project: who sits on it, their evaluations, its decision,
and the project's grade for the LMS.

Jurors are the course's instructors (their launch roles say so) and the people a trainer
names. Each juror scores the content's rubric alone; the result follows the content's jury
rule (course_content.progression). Only a trainer records the decision.

The project's grade, on Moodle where any non-final score clears a stored grade:
- when the learner hands in the final deliverable and the LMS holds no grade for the
  project yet, `PendingManual` (no score) tells the gradebook it awaits the jury;
- the decision goes as `FullyGraded` with the result out of 100; it is re-sent if the
  jury decides again, and nothing non-final is ever queued after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Project
from course_content.progression import JuryResult, juror_score, jury_result
from lti_tool.ags import COMPLETED, FULLY_GRADED, PENDING_MANUAL, SUBMITTED, ScoreBody
from lti_tool.grade_outbox import LineItemTarget, dedupe_key, enqueue_score, line_item_target
from lti_tool.learner_session import is_trainer
from lti_tool.messages import translate
from lti_tool.models import (
    GradeOutbox,
    JuryEvaluation,
    JuryMember,
    Launch,
    LearnerRecord,
    ProjectDecision,
    utcnow,
)

PROJECT_RESOURCE_ID = "projet"
PROJECT_TAG = "project"
PROJECT_GRADE_MAXIMUM = 100.0


def named_jurors(session: Session, platform_id: int, context_id: str) -> list[JuryMember]:
    query = (
        select(JuryMember)
        .where(JuryMember.platform_id == platform_id, JuryMember.context_id == context_id)
        .order_by(JuryMember.name, JuryMember.user_id)
    )
    return list(session.scalars(query))


def is_juror(session: Session, launch: Launch) -> bool:
    """Instructors of the course, and the people a trainer named, sit on its jury."""
    if not launch.context_id:
        return False
    if is_trainer(list(launch.roles)):
        return True
    query = select(JuryMember.id).where(
        JuryMember.platform_id == launch.platform_id,
        JuryMember.context_id == launch.context_id,
        JuryMember.user_id == launch.user_id,
    )
    return session.scalars(query).first() is not None


def evaluations(
    session: Session, platform_id: int, context_id: str, learner_id: str
) -> list[JuryEvaluation]:
    query = (
        select(JuryEvaluation)
        .where(
            JuryEvaluation.platform_id == platform_id,
            JuryEvaluation.context_id == context_id,
            JuryEvaluation.learner_id == learner_id,
        )
        .order_by(JuryEvaluation.id)
    )
    return list(session.scalars(query))


def current_result(project: Project, found: list[JuryEvaluation]) -> JuryResult:
    return jury_result(project, [e.score for e in found])


def save_evaluation(
    session: Session,
    project: Project,
    launch: Launch,
    juror_name: str,
    learner_id: str,
    levels: Mapping[str, str],
    comments: Mapping[str, str],
    general_comment: str,
) -> JuryEvaluation:
    """Store (or replace) the launch's juror's evaluation; IncompleteEvaluation when a
    criterion has no known level (the caller commits)."""
    score = juror_score(project, levels)
    known = {c.id for c in project.rubric}
    query = select(JuryEvaluation).where(
        JuryEvaluation.platform_id == launch.platform_id,
        JuryEvaluation.context_id == launch.context_id,
        JuryEvaluation.learner_id == learner_id,
        JuryEvaluation.juror_id == launch.user_id,
    )
    evaluation = session.scalars(query).first()
    if evaluation is None:
        evaluation = JuryEvaluation(
            platform_id=launch.platform_id,
            context_id=launch.context_id,
            learner_id=learner_id,
            juror_id=launch.user_id,
        )
        session.add(evaluation)
    evaluation.juror_name = juror_name[:255]
    evaluation.levels = {k: v for k, v in levels.items() if k in known}
    evaluation.comments = {k: v.strip() for k, v in comments.items() if k in known and v.strip()}
    evaluation.general_comment = general_comment.strip()
    evaluation.score = score
    evaluation.updated_at = utcnow()
    session.flush()
    return evaluation


def decision_of(
    session: Session, platform_id: int, context_id: str, learner_id: str
) -> ProjectDecision | None:
    query = select(ProjectDecision).where(
        ProjectDecision.platform_id == platform_id,
        ProjectDecision.context_id == context_id,
        ProjectDecision.learner_id == learner_id,
    )
    return session.scalars(query).first()


class DecisionRefused(Exception):
    """The jury cannot decide yet; `key` names the message for the trainer."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def decide(
    session: Session,
    project: Project,
    launch: Launch,
    learner: LearnerRecord,
    feedback: str,
    disagreement_discussed: bool,
) -> ProjectDecision:
    """Record the jury's decision from the evaluations as they stand, and queue the
    project's final grade (the caller commits)."""
    if not is_trainer(list(launch.roles)):
        raise DecisionRefused("jury_decide_trainers_only")
    found = evaluations(session, learner.platform_id, learner.context_id, learner.user_id)
    result = current_result(project, found)
    if not result.enough_jurors or result.result is None:
        raise DecisionRefused("jury_not_enough")
    if result.disagreement and not disagreement_discussed:
        raise DecisionRefused("jury_discuss_first")
    decision = decision_of(session, learner.platform_id, learner.context_id, learner.user_id)
    if decision is None:
        decision = ProjectDecision(
            platform_id=learner.platform_id,
            context_id=learner.context_id,
            learner_id=learner.user_id,
        )
        session.add(decision)
    decision.result = result.result
    decision.passed = result.passed
    decision.juror_count = len(found)
    decision.spread = result.spread
    decision.disagreement = result.disagreement
    decision.feedback = feedback.strip()
    decision.decided_by = launch.user_id
    decision.decided_at = utcnow()
    session.flush()
    enqueue_project_grade(session, project, learner, decision, launch.locale)
    return decision


# --- The project's grade ----------------------------------------------------------------------


def remember_project_target(
    session: Session, project: Project, launch: Launch, record: LearnerRecord
) -> None:
    """Keep where the learner's project grade goes, from the learner's own launch: the jury
    decides from a trainer's launch, whose resource link may differ."""
    target = line_item_target(
        launch, PROJECT_RESOURCE_ID, PROJECT_TAG, project.title.get(launch.locale)
    )
    if target is not None:
        record.project_target = {**asdict(target), "scopes": list(target.scopes)}


def _target(record: LearnerRecord) -> LineItemTarget | None:
    data: dict[str, Any] | None = record.project_target
    if not data:
        return None
    return LineItemTarget(**{**data, "scopes": tuple(data.get("scopes") or ())})


def _final_grade_queued(session: Session, target: LineItemTarget, user_id: str) -> bool:
    query = select(GradeOutbox.id).where(
        GradeOutbox.dedupe_key == dedupe_key(target, user_id),
        GradeOutbox.grading_progress == FULLY_GRADED,
    )
    return session.scalars(query.limit(1)).first() is not None


def _pending_queued(session: Session, target: LineItemTarget, user_id: str) -> bool:
    query = select(GradeOutbox.id).where(
        GradeOutbox.dedupe_key == dedupe_key(target, user_id),
        GradeOutbox.grading_progress == PENDING_MANUAL,
    )
    return session.scalars(query.limit(1)).first() is not None


def enqueue_project_pending(
    session: Session, record: LearnerRecord, submitted_at: datetime, lang: str
) -> bool:
    """Tell the LMS the project awaits the jury, only while it holds no grade for it."""
    target = _target(record)
    if target is None:
        return False
    decided = decision_of(session, record.platform_id, record.context_id, record.user_id)
    if decided is not None or _final_grade_queued(session, target, record.user_id):
        return False
    if _pending_queued(session, target, record.user_id):
        return False
    enqueue_score(
        session,
        target,
        ScoreBody(
            user_id=record.user_id,
            score_given=None,
            score_maximum=PROJECT_GRADE_MAXIMUM,
            activity_progress=SUBMITTED,
            grading_progress=PENDING_MANUAL,
            comment=translate("project_grade_pending", lang),
            timestamp=submitted_at,
        ),
        source=f"project_submitted:{record.id}",
    )
    return True


def enqueue_project_grade(
    session: Session,
    project: Project,
    record: LearnerRecord,
    decision: ProjectDecision,
    lang: str,
) -> bool:
    """Queue the jury's decision as the project's final grade (out of 100)."""
    target = _target(record)
    if target is None:
        return False
    key = "project_grade_passed" if decision.passed else "project_grade_not_passed"
    enqueue_score(
        session,
        target,
        ScoreBody(
            user_id=record.user_id,
            score_given=round(decision.result * PROJECT_GRADE_MAXIMUM, 2),
            score_maximum=PROJECT_GRADE_MAXIMUM,
            activity_progress=COMPLETED,
            grading_progress=FULLY_GRADED,
            comment=translate(key, lang).format(
                percent=round(decision.result * 100), mark=round(project.jury.pass_mark * 100)
            ),
            timestamp=decision.decided_at,
        ),
        source=f"project_decision:{decision.id}",
    )
    return True
