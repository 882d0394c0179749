"""Module validation for a learner, from their stored work and the content's rules.

`record_progress` is called, in the same transaction, after any learner work that can
change a validation (a quiz attempt, a workshop submission): it records each module the
first time its rule holds and queues that module's grade for the LMS (its own line item,
100/100, FullyGraded) in the grade outbox, so the LMS can use it for completion and badges.
A validation is never taken back: best scores only rise and submissions stay.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Curriculum, Module
from course_content.progression import ModuleStatus, programme_status
from lti_tool.ags import COMPLETED, FULLY_GRADED, ScoreBody
from lti_tool.grade_outbox import enqueue_score, line_item_target
from lti_tool.messages import translate
from lti_tool.models import (
    Launch,
    LearnerRecord,
    ModuleValidation,
    QuizAttempt,
    RosterMember,
    WorkshopWork,
    utcnow,
)

CLAIM_TOOL_PLATFORM = "https://purl.imsglobal.org/spec/lti/claim/tool_platform"
MODULE_GRADE_MAXIMUM = 100.0


def name_in_claims(claims: dict[str, Any]) -> str:
    """The person's name as the launch gives it ('' when the LMS shares no name)."""
    name = str(claims.get("name") or "").strip()
    if not name:
        parts = [str(claims.get(k) or "").strip() for k in ("given_name", "family_name")]
        name = " ".join(p for p in parts if p)
    return name[:255]


def note_learner(session: Session, launch: Launch) -> LearnerRecord:
    """The learner's record in this course, refreshed from the launch (name, LMS site)."""
    record = learner_record(session, launch.platform_id, launch.context_id, launch.user_id)
    if record is None:
        record = LearnerRecord(
            platform_id=launch.platform_id,
            context_id=launch.context_id,
            user_id=launch.user_id,
            name="",
            organisation="",
        )
        session.add(record)
    claims = launch.claims or {}
    name = name_in_claims(claims)
    if name:
        record.name = name
    site = claims.get(CLAIM_TOOL_PLATFORM)
    if isinstance(site, dict) and site.get("name"):
        record.organisation = str(site["name"])[:255]
    record.updated_at = utcnow()
    session.flush()
    return record


def learner_record(
    session: Session, platform_id: int, context_id: str, user_id: str
) -> LearnerRecord | None:
    query = select(LearnerRecord).where(
        LearnerRecord.platform_id == platform_id,
        LearnerRecord.context_id == context_id,
        LearnerRecord.user_id == user_id,
    )
    return session.scalars(query).first()


def display_name(session: Session, platform_id: int, context_id: str, user_id: str) -> str:
    """The best name the tool knows for a user of a course: their launches, else the roster."""
    record = learner_record(session, platform_id, context_id, user_id)
    if record is not None and record.name:
        return record.name
    member = session.scalars(
        select(RosterMember).where(
            RosterMember.platform_id == platform_id,
            RosterMember.context_id == context_id,
            RosterMember.user_id == user_id,
        )
    ).first()
    if member is not None:
        full = member.name or f"{member.given_name} {member.family_name}".strip()
        if full:
            return full
    return ""


def module_statuses(
    session: Session, curriculum: Curriculum, platform_id: int, context_id: str, user_id: str
) -> list[ModuleStatus]:
    """Each module's validation status for a learner, from their best quiz scores and
    submitted workshops."""
    best: dict[str, float] = {}
    for quiz_id, scaled in session.execute(
        select(QuizAttempt.quiz_id, QuizAttempt.scaled).where(
            QuizAttempt.platform_id == platform_id,
            QuizAttempt.context_id == context_id,
            QuizAttempt.user_id == user_id,
        )
    ):
        best[quiz_id] = max(best.get(quiz_id, 0.0), float(scaled))
    submitted = set(
        session.scalars(
            select(WorkshopWork.workshop_id).where(
                WorkshopWork.platform_id == platform_id,
                WorkshopWork.context_id == context_id,
                WorkshopWork.user_id == user_id,
                WorkshopWork.submitted_at.is_not(None),
            )
        )
    )
    return programme_status(curriculum, best, submitted)


def recorded_validations(
    session: Session, platform_id: int, context_id: str, user_id: str
) -> dict[str, ModuleValidation]:
    query = select(ModuleValidation).where(
        ModuleValidation.platform_id == platform_id,
        ModuleValidation.context_id == context_id,
        ModuleValidation.user_id == user_id,
    )
    return {v.module_id: v for v in session.scalars(query)}


def record_progress(
    session: Session, curriculum: Curriculum, launch: Launch
) -> list[ModuleValidation]:
    """Record the modules newly validated by the launch's learner and queue their grades
    (the caller commits). The new validations, in programme order."""
    note_learner(session, launch)
    statuses = module_statuses(
        session, curriculum, launch.platform_id, launch.context_id, launch.user_id
    )
    known = recorded_validations(session, launch.platform_id, launch.context_id, launch.user_id)
    new: list[ModuleValidation] = []
    for status in statuses:
        if not status.validated or status.module_id in known:
            continue
        validation = ModuleValidation(
            platform_id=launch.platform_id,
            context_id=launch.context_id,
            user_id=launch.user_id,
            module_id=status.module_id,
            quiz_scaled=status.quiz_scaled or 0.0,
            validated_at=utcnow(),
        )
        session.add(validation)
        session.flush()
        enqueue_module_grade(session, launch, curriculum.module(status.module_id), validation)
        new.append(validation)
    return new


def module_grade_label(module: Module, lang: str) -> str:
    return translate("module_validation_label", lang).format(
        number=module.number, title=module.title.get(lang)
    )


def enqueue_module_grade(
    session: Session, launch: Launch, module: Module, validation: ModuleValidation
) -> None:
    """Queue 100/100 on the module's own line item (nothing when the launch has no AGS)."""
    lang = launch.locale
    target = line_item_target(launch, module.id, "module", module_grade_label(module, lang))
    if target is None:
        return
    enqueue_score(
        session,
        target,
        ScoreBody(
            user_id=launch.user_id,
            score_given=MODULE_GRADE_MAXIMUM,
            score_maximum=MODULE_GRADE_MAXIMUM,
            activity_progress=COMPLETED,
            grading_progress=FULLY_GRADED,
            comment=translate("module_validated_comment", lang).format(
                rule=module.validation.description.get(lang)
            ),
            timestamp=validation.validated_at,
        ),
        source=f"module_validation:{validation.id}",
    )
