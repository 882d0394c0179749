"""A course's learners × modules: what the trainer dashboard shows and exports.

Rows come from the roster (learners who never opened the tool too) and from the work
stored here (learners the roster does not list, or when the LMS offers no roster).

A module's validation is the content's own rule (`course_content.progression`): the best
quiz score reaches the module's pass mark and the workshops it names are submitted. The
grid's progress counts the quiz passed and each workshop done (submitted, or for a
workshop with nothing to hand in, its situations answered).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Curriculum, Module, Workshop
from course_content.progression import module_status
from lti_tool.learner_session import is_trainer
from lti_tool.models import Launch, QuizAttempt, RosterMember, WorkshopWork
from lti_tool.roster import INSTRUCTOR, LEARNER, has_role


@dataclass
class ModuleProgress:
    module_id: str
    quiz_best: float | None = None
    """Best scaled score (0–1), None before any attempt."""
    quiz_passed: bool = False
    quiz_attempts: int = 0
    workshops_done: int = 0
    workshops_total: int = 0
    validated: bool = False

    @property
    def steps_done(self) -> int:
        return int(self.quiz_passed) + self.workshops_done

    @property
    def progress(self) -> float:
        """Share of the module's graded steps done: the quiz passed, each workshop done."""
        return self.steps_done / (1 + self.workshops_total)

    @property
    def started(self) -> bool:
        return self.quiz_attempts > 0 or self.workshops_done > 0


@dataclass
class LearnerRow:
    user_id: str
    name: str
    email: str = ""
    in_roster: bool = False
    launched: bool = False
    modules: dict[str, ModuleProgress] = field(default_factory=dict)

    @property
    def validated_count(self) -> int:
        return sum(1 for m in self.modules.values() if m.validated)

    @property
    def progress(self) -> float:
        """Mean of the modules' progress."""
        if not self.modules:
            return 0.0
        return sum(m.progress for m in self.modules.values()) / len(self.modules)


def workshop_done(workshop: Workshop, work: WorkshopWork | None) -> bool:
    if work is None:
        return False
    if workshop.submission:
        return work.submitted_at is not None
    return bool(work.item_responses)


def _progress(
    module: Module, attempts: list[QuizAttempt], works: dict[str, WorkshopWork]
) -> ModuleProgress:
    own = [a for a in attempts if a.quiz_id == module.quiz.id]
    progress = ModuleProgress(module.id, workshops_total=len(module.workshops))
    if own:
        progress.quiz_attempts = len(own)
        progress.quiz_best = max(a.scaled for a in own)
        progress.quiz_passed = any(a.passed for a in own)
    progress.workshops_done = sum(1 for w in module.workshops if workshop_done(w, works.get(w.id)))
    submitted = {w.workshop_id for w in works.values() if w.submitted_at is not None}
    progress.validated = module_status(module, progress.quiz_best, submitted).validated
    return progress


def display_name(member: RosterMember | None, user_id: str) -> str:
    if member is not None:
        full = member.name or f"{member.given_name} {member.family_name}".strip()
        if full:
            return full
    return f"#{user_id}"


def course_attempts(session: Session, platform_id: int, context_id: str) -> list[QuizAttempt]:
    """Every learner attempt of the course, oldest first."""
    return list(
        session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.platform_id == platform_id, QuizAttempt.context_id == context_id)
            .order_by(QuizAttempt.id)
        )
    )


def cohort_grid(
    session: Session,
    curriculum: Curriculum,
    platform_id: int,
    context_id: str,
    roster: Iterable[RosterMember],
) -> list[LearnerRow]:
    """One row per learner of the course, with every module's progress."""
    attempts = course_attempts(session, platform_id, context_id)
    works = list(
        session.scalars(
            select(WorkshopWork).where(
                WorkshopWork.platform_id == platform_id, WorkshopWork.context_id == context_id
            )
        )
    )
    launches = session.execute(
        select(Launch.user_id, Launch.roles).where(
            Launch.platform_id == platform_id, Launch.context_id == context_id
        )
    ).all()
    members = {
        m.user_id: m
        for m in roster
        if has_role(list(m.roles), LEARNER) and not has_role(list(m.roles), INSTRUCTOR)
    }
    launched = {user for user, roles in launches if user and not is_trainer(list(roles))}
    worked = {a.user_id for a in attempts} | {w.user_id for w in works}
    attempts_by_user: dict[str, list[QuizAttempt]] = {}
    for attempt in attempts:
        attempts_by_user.setdefault(attempt.user_id, []).append(attempt)
    works_by_user: dict[str, dict[str, WorkshopWork]] = {}
    for work in works:
        works_by_user.setdefault(work.user_id, {})[work.workshop_id] = work
    rows = []
    for user_id in sorted(set(members) | launched | worked):
        member = members.get(user_id)
        row = LearnerRow(
            user_id=user_id,
            name=display_name(member, user_id),
            email=member.email if member else "",
            in_roster=member is not None,
            launched=user_id in launched or user_id in worked,
        )
        for module in curriculum.modules:
            row.modules[module.id] = _progress(
                module, attempts_by_user.get(user_id, []), works_by_user.get(user_id, {})
            )
        rows.append(row)
    return rows
