"""The `jury_pages` blueprint: the jury's pages of the practical project, after a launch.

Jurors (the course's instructors and the people a trainer names) read the learners'
deliverables and score the rubric; trainers name jurors, give milestone feedback, record the
jury's decision, revoke certificates and download a learner's certificate. The jury's rules
are in `jury.py`; the learner's own project pages in `project.py`, which nests this blueprint
under /project/jury. Every page is for the launch's own course only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request
from sqlalchemy import select

from course_content.model import Project
from course_content.progression import IncompleteEvaluation
from lti_tool.certificates import (
    RevocationRefused,
    certificate_of,
    issue_if_due,
    pdf_response,
    revoke,
)
from lti_tool.errors import ToolError
from lti_tool.jury import (
    DecisionRefused,
    current_result,
    decide,
    decision_of,
    evaluations,
    is_juror,
    named_jurors,
    save_evaluation,
)
from lti_tool.launched_pages import current_curriculum, requires_launch
from lti_tool.learner_session import is_trainer
from lti_tool.models import JuryMember, Launch, LearnerRecord, RosterMember, utcnow
from lti_tool.project_context import (
    course_launch,
    course_project,
    deliverables_of,
    project_milestone,
    render_page,
    tool_settings,
    wake_grade_worker,
)
from lti_tool.validations import module_statuses, name_in_claims

blueprint = Blueprint("jury_pages", __name__, url_prefix="/jury")

MAX_FEEDBACK = 5_000


def _juror_launch() -> Launch:
    launch = course_launch()
    if not is_juror(g.db, launch):
        raise ToolError("forbidden", "the jury pages are for the course's jurors", 403)
    return launch


def _trainer_launch() -> Launch:
    launch = course_launch()
    if not is_trainer(list(launch.roles)):
        raise ToolError("forbidden", "this action is for the course's trainers", 403)
    return launch


def _learners(launch: Launch) -> list[LearnerRecord]:
    query = (
        select(LearnerRecord)
        .where(
            LearnerRecord.platform_id == launch.platform_id,
            LearnerRecord.context_id == launch.context_id,
        )
        .order_by(LearnerRecord.name, LearnerRecord.user_id)
    )
    return list(g.db.scalars(query))


@blueprint.get("")
@requires_launch
def jury() -> str:
    """The course's learners, their deliverables and where the jury stands on each."""
    launch = _juror_launch()
    project = course_project()
    rows = []
    for record in _learners(launch):
        found = evaluations(g.db, launch.platform_id, launch.context_id, record.user_id)
        rows.append(
            {
                "record": record,
                "handed_in": sum(
                    1
                    for d in deliverables_of(
                        g.db, launch.platform_id, launch.context_id, record.user_id
                    ).values()
                    if d.submitted_at
                ),
                "result": current_result(project, found),
                "mine": any(e.juror_id == launch.user_id for e in found),
                "decision": decision_of(
                    g.db, launch.platform_id, launch.context_id, record.user_id
                ),
                "certificate": certificate_of(
                    g.db, launch.platform_id, launch.context_id, record.user_id
                ),
            }
        )
    return render_page("project/jury.html", rows=rows)


def _learner(launch: Launch, record_id: int) -> LearnerRecord:
    record: LearnerRecord | None = g.db.get(LearnerRecord, record_id)
    if record is None or (record.platform_id, record.context_id) != (
        launch.platform_id,
        launch.context_id,
    ):
        raise ToolError("not_found", f"no learner {record_id} in this course", 404)
    return record


@blueprint.route("/learners/<int:record_id>", methods=["GET", "POST"])
@requires_launch
def evaluate(record_id: int) -> str | tuple[str, int]:
    """One learner's project for the jury: deliverables, my evaluation, the result and the
    decision; milestone feedback and revocation for trainers."""
    launch = _juror_launch()
    project = course_project()
    record = _learner(launch, record_id)
    problems: list[tuple[str, dict[str, Any]]] = []
    done = ""
    if request.method == "POST":
        action = request.form.get("action", "")
        problems, done = _jury_action(action, launch, project, record)
    found = evaluations(g.db, launch.platform_id, launch.context_id, record.user_id)
    mine = next((e for e in found if e.juror_id == launch.user_id), None)
    decision = decision_of(g.db, launch.platform_id, launch.context_id, record.user_id)
    # Each juror scores alone: the others' scores show once their own is in (or decided).
    show_others = mine is not None or decision is not None
    page = render_page(
        "project/evaluate.html",
        record=record,
        deliverables=deliverables_of(g.db, launch.platform_id, launch.context_id, record.user_id),
        evaluations=found,
        mine=mine,
        show_others=show_others,
        result=current_result(project, found),
        decision=decision,
        certificate=certificate_of(g.db, launch.platform_id, launch.context_id, record.user_id),
        statuses=module_statuses(
            g.db, current_curriculum(), launch.platform_id, launch.context_id, record.user_id
        ),
        problems=problems,
        done=done,
        form=request.form if problems else None,
    )
    return (page, 400) if problems else page


def _jury_action(
    action: str, launch: Launch, project: Project, record: LearnerRecord
) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    if action == "evaluate":
        levels = {c.id: request.form.get(f"level-{c.id}", "") for c in project.rubric}
        comments = {
            c.id: request.form.get(f"comment-{c.id}", "")[:MAX_FEEDBACK] for c in project.rubric
        }
        try:
            save_evaluation(
                g.db,
                project,
                launch,
                name_in_claims(launch.claims or {}) or launch.user_id,
                record.user_id,
                levels,
                comments,
                request.form.get("general_comment", "")[:MAX_FEEDBACK],
            )
        except IncompleteEvaluation:
            return [("jury_levels_missing", {})], ""
        g.db.commit()
        return [], "evaluation_saved"
    _trainer_launch()
    if action == "decide":
        try:
            decide(
                g.db,
                project,
                launch,
                record,
                request.form.get("feedback", "")[:MAX_FEEDBACK],
                request.form.get("discussed") == "yes",
            )
        except DecisionRefused as refused:
            return [(refused.key, {})], ""
        issue_if_due(
            g.db,
            current_curriculum(),
            tool_settings(),
            record.platform_id,
            record.context_id,
            record.user_id,
        )
        g.db.commit()
        wake_grade_worker()
        return [], "decision_saved"
    if action == "feedback":
        milestone_id = request.form.get("milestone", "")
        project_milestone(milestone_id)
        deliverable = deliverables_of(
            g.db, record.platform_id, record.context_id, record.user_id
        ).get(milestone_id)
        if deliverable is None:
            return [("feedback_nothing", {})], ""
        deliverable.feedback = request.form.get("feedback", "").strip()[:MAX_FEEDBACK]
        deliverable.feedback_by = name_in_claims(launch.claims or {}) or launch.user_id
        deliverable.feedback_at = utcnow()
        g.db.commit()
        return [], "feedback_saved"
    if action == "revoke":
        certificate = certificate_of(g.db, record.platform_id, record.context_id, record.user_id)
        if certificate is None:
            return [("revoke_nothing", {})], ""
        try:
            revoke(certificate, request.form.get("reason", ""), launch.user_id)
        except RevocationRefused as refused:
            return [(refused.key, {})], ""
        g.db.commit()
        return [], "revoked"
    raise ToolError("form_expired", f"unknown jury action {action!r}", 400)


@blueprint.get("/learners/<int:record_id>/certificate.pdf")
@requires_launch
def learner_certificate_pdf(record_id: int) -> Response:
    """A trainer downloads a learner's certificate."""
    launch = _trainer_launch()
    record = _learner(launch, record_id)
    certificate = certificate_of(g.db, record.platform_id, record.context_id, record.user_id)
    if certificate is None:
        raise ToolError("not_found", "no certificate for this learner", 404)
    return pdf_response(certificate, g.lang)


def _candidates(launch: Launch) -> list[tuple[str, str]]:
    """People of the course a trainer can name to the jury: (user id, name)."""
    people: dict[str, str] = {}
    for member in g.db.scalars(
        select(RosterMember).where(
            RosterMember.platform_id == launch.platform_id,
            RosterMember.context_id == launch.context_id,
        )
    ):
        people[member.user_id] = (
            member.name or f"{member.given_name} {member.family_name}".strip() or member.user_id
        )
    for record in _learners(launch):
        people.setdefault(record.user_id, record.name or record.user_id)
    named = {m.user_id for m in named_jurors(g.db, launch.platform_id, launch.context_id)}
    return sorted(
        ((uid, name) for uid, name in people.items() if uid not in named and uid != launch.user_id),
        key=lambda item: item[1].casefold(),
    )


@blueprint.route("/members", methods=["GET", "POST"])
@requires_launch
def members() -> str | tuple[str, int]:
    """A trainer names the jury's members (besides the course's instructors)."""
    launch = _trainer_launch()
    problems: list[tuple[str, dict[str, Any]]] = []
    done = ""
    if request.method == "POST":
        action = request.form.get("action", "")
        if action == "add":
            people = dict(_candidates(launch))
            user_id = request.form.get("user_id", "")
            if user_id not in people:
                problems.append(("jury_member_unknown", {}))
            else:
                g.db.add(
                    JuryMember(
                        platform_id=launch.platform_id,
                        context_id=launch.context_id,
                        user_id=user_id,
                        name=people[user_id][:255],
                        added_by=launch.user_id,
                        added_at=utcnow(),
                    )
                )
                g.db.commit()
                done = "jury_member_added"
        elif action == "remove":
            member = g.db.get(JuryMember, int(request.form.get("member", "0") or 0))
            if member is not None and (member.platform_id, member.context_id) == (
                launch.platform_id,
                launch.context_id,
            ):
                g.db.delete(member)
                g.db.commit()
                done = "jury_member_removed"
        else:
            raise ToolError("form_expired", f"unknown action {action!r}", 400)
    page = render_page(
        "project/members.html",
        members=named_jurors(g.db, launch.platform_id, launch.context_id),
        candidates=_candidates(launch),
        problems=problems,
        done=done,
    )
    return (page, 400) if problems else page
