"""The `project` blueprint: the practical project after a launch.

Learners hand in each milestone's deliverable (text, links, files), read the trainer's
feedback and the jury's, and download their certificate (PDF, Open Badges 3.0). Jurors (the
course's instructors and the people a trainer names) read the deliverables and score the
rubric; trainers name jurors, give milestone feedback, record the jury's decision and
revoke certificates. Every page is for the launch's own course only.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, g, render_template, request, send_file
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Milestone, Project
from course_content.progression import IncompleteEvaluation
from course_content.rendering import render_inline, render_markdown
from lti_tool import uploads
from lti_tool.certificates import (
    RevocationRefused,
    badge_response,
    certificate_of,
    issue_if_due,
    pdf_response,
    revoke,
    rule_check,
)
from lti_tool.errors import ToolError
from lti_tool.grade_worker import notify_new_scores
from lti_tool.jury import (
    DecisionRefused,
    current_result,
    decide,
    decision_of,
    enqueue_project_pending,
    evaluations,
    is_juror,
    named_jurors,
    remember_project_target,
    save_evaluation,
)
from lti_tool.learner_session import is_trainer
from lti_tool.lti import current_curriculum, requires_launch
from lti_tool.models import (
    DeliverableFile,
    JuryMember,
    Launch,
    LearnerRecord,
    ProjectDeliverable,
    RosterMember,
    utcnow,
)
from lti_tool.validations import module_statuses, name_in_claims, note_learner

blueprint = Blueprint("project", __name__, url_prefix="/project")

MAX_TEXT = 20_000
MAX_LINKS = 10
MAX_FEEDBACK = 5_000
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")


def _project() -> Project:
    project = current_curriculum().project
    if project is None:
        raise ToolError("not_found", "this curriculum has no project", 404)
    return project


def _settings() -> Any:
    return current_app.config["SETTINGS"]


def _inline(text: Any) -> Markup:
    return Markup(render_inline(text.get(g.lang), current_curriculum(), g.lang))  # noqa: S704


def _page(template: str, **context: Any) -> str:
    return render_template(
        template, inline=_inline, project=_project(), trainer=g.trainer, **context
    )


def _course_launch() -> Launch:
    launch: Launch = g.launch
    if not launch.context_id:
        raise ToolError("forbidden", "the project needs a launch from a course", 403)
    return launch


def _deliverables(
    session: Session, platform_id: int, context_id: str, user_id: str
) -> dict[str, ProjectDeliverable]:
    query = select(ProjectDeliverable).where(
        ProjectDeliverable.platform_id == platform_id,
        ProjectDeliverable.context_id == context_id,
        ProjectDeliverable.user_id == user_id,
    )
    return {d.milestone_id: d for d in session.scalars(query)}


def _milestone(milestone_id: str) -> Milestone:
    found = next((m for m in _project().milestones if m.id == milestone_id), None)
    if found is None:
        raise ToolError("not_found", f"unknown milestone {milestone_id!r}", 404)
    return found


# --- Learners --------------------------------------------------------------------------------


@blueprint.get("/")
@requires_launch
def overview() -> str:
    """The project: brief, milestones with their state and feedback, the jury's decision,
    the certificate."""
    launch = _course_launch()
    project = _project()
    certificate = None
    check = None
    decision = None
    jury_feedback: list[Any] = []
    if not g.trainer:
        record = note_learner(g.db, launch)
        issue_if_due(
            g.db,
            current_curriculum(),
            _settings(),
            launch.platform_id,
            launch.context_id,
            launch.user_id,
        )
        g.db.commit()
        certificate = certificate_of(g.db, launch.platform_id, launch.context_id, launch.user_id)
        check = rule_check(
            g.db, current_curriculum(), launch.platform_id, launch.context_id, launch.user_id
        )
        decision = decision_of(g.db, launch.platform_id, launch.context_id, launch.user_id)
        if decision is not None:
            jury_feedback = evaluations(g.db, launch.platform_id, launch.context_id, launch.user_id)
        name_missing = not record.name
    else:
        name_missing = False
    brief = render_markdown(project.brief.get(g.lang), current_curriculum(), g.lang)
    return _page(
        "project/overview.html",
        brief=Markup(brief.html),  # noqa: S704 — rendering escapes raw HTML
        deliverables=_deliverables(g.db, launch.platform_id, launch.context_id, launch.user_id),
        statuses=module_statuses(
            g.db, current_curriculum(), launch.platform_id, launch.context_id, launch.user_id
        ),
        check=check,
        certificate=certificate,
        decision=decision,
        jury_feedback=jury_feedback,
        juror=is_juror(g.db, launch),
        name_missing=name_missing,
    )


def _read_links(raw: str) -> tuple[list[str], list[str]]:
    links: list[str] = []
    bad: list[str] = []
    for line in raw.splitlines():
        value = line.strip()
        if not value:
            continue
        (links if _URL_RE.match(value) and len(value) <= 2000 else bad).append(value)
    return links, bad


@blueprint.route("/milestones/<milestone_id>", methods=["GET", "POST"])
@requires_launch
def milestone(milestone_id: str) -> str | tuple[str, int]:
    """A milestone's deliverable: written part, links, files; saved or handed in."""
    launch = _course_launch()
    found = _milestone(milestone_id)
    deliverable = _deliverables(g.db, launch.platform_id, launch.context_id, launch.user_id).get(
        milestone_id
    )
    problems: list[tuple[str, dict[str, Any]]] = []
    saved = ""
    status = 200
    if request.method == "POST":
        if g.trainer:
            raise ToolError("forbidden", "trainers do not hand in deliverables", 403)
        deliverable, problems, saved = _save_deliverable(launch, found, deliverable)
        status = 400 if problems else 200
    text = request.form.get("text", "") if problems else (deliverable.text if deliverable else "")
    links = (
        request.form.get("links", "")
        if problems
        else "\n".join(deliverable.links if deliverable else [])
    )
    page = _page(
        "project/milestone.html",
        milestone=found,
        module=current_curriculum().module(found.module),
        deliverable=deliverable,
        text=text,
        links=links,
        problems=problems,
        saved=saved,
        types=uploads.allowed_types(_settings().upload_types),
        max_kb=_settings().upload_max_kb,
        max_files=_settings().upload_max_files,
        final=found.id == _project().milestones[-1].id,
    )
    return (page, status) if status != 200 else page


def _save_deliverable(
    launch: Launch, milestone: Milestone, deliverable: ProjectDeliverable | None
) -> tuple[ProjectDeliverable | None, list[tuple[str, dict[str, Any]]], str]:
    settings = _settings()
    action = request.form.get("action", "save")
    problems: list[tuple[str, dict[str, Any]]] = []
    text = request.form.get("text", "").replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        problems.append(("deliverable_text_long", {"max": MAX_TEXT}))
    links, bad = _read_links(request.form.get("links", ""))
    if bad:
        problems.append(("deliverable_links_bad", {"links": ", ".join(bad[:3])}))
    if len(links) > MAX_LINKS:
        problems.append(("deliverable_links_many", {"max": MAX_LINKS}))
    existing = list(deliverable.files) if deliverable else []
    remove_ids = {int(v) for v in request.form.getlist("remove") if v.isdigit()}
    kept = [f for f in existing if f.id not in remove_ids]
    incoming = [f for f in request.files.getlist("files") if f and f.filename]
    checked: list[uploads.CheckedFile] = []
    for upload in incoming:
        try:
            checked.append(
                uploads.check_file(
                    upload.filename or "",
                    upload.read(settings.upload_max_kb * 1024 + 1),
                    uploads.allowed_types(settings.upload_types),
                    settings.upload_max_kb * 1024,
                )
            )
        except uploads.UploadRefused as refused:
            problems.append(
                (
                    refused.key,
                    {"name": uploads.clean_name(upload.filename or "")} | dict(refused.values),
                )
            )
    if len(kept) + len(checked) > settings.upload_max_files:
        problems.append(("upload_count", {"max": settings.upload_max_files}))
    if action == "submit" and not (text.strip() or links or kept or checked):
        problems.append(("deliverable_empty", {}))
    if problems:
        # Nothing is changed: the learner's form comes back with their text and links.
        return deliverable, problems, ""
    now = utcnow()
    if deliverable is None:
        deliverable = ProjectDeliverable(
            platform_id=launch.platform_id,
            context_id=launch.context_id,
            user_id=launch.user_id,
            milestone_id=milestone.id,
            links=[],
        )
        g.db.add(deliverable)
    deliverable.text = text
    deliverable.links = links
    deliverable.updated_at = now
    removed = [f for f in existing if f.id in remove_ids]
    for gone in removed:
        deliverable.files.remove(gone)
    stored: list[str] = []
    try:
        for item in checked:
            name = uploads.store(settings.instance, item)
            stored.append(name)
            deliverable.files.append(
                DeliverableFile(
                    stored_name=name,
                    original_name=item.original_name,
                    content_type=item.content_type,
                    size=len(item.data),
                    sha256=item.sha256,
                    created_at=now,
                )
            )
        if action == "submit":
            deliverable.submitted_at = now
        record = note_learner(g.db, launch)
        remember_project_target(g.db, _project(), launch, record)
        g.db.flush()
        if action == "submit" and milestone.id == _project().milestones[-1].id:
            enqueue_project_pending(g.db, record, now, launch.locale)
        g.db.commit()
    except Exception:
        g.db.rollback()
        for name in stored:
            uploads.remove(settings.instance, name)
        raise
    for gone in removed:
        uploads.remove(settings.instance, gone.stored_name)
    _wake_grade_worker()
    return deliverable, [], action


def _wake_grade_worker() -> None:
    notify_new_scores()  # the grade leaves now, not at the worker's next poll


@blueprint.get("/files/<int:file_id>")
@requires_launch
def file(file_id: int) -> Response:
    """A deliverable's file, for its author and the course's jury only."""
    launch = _course_launch()
    found = g.db.get(DeliverableFile, file_id)
    if found is None:
        raise ToolError("not_found", f"unknown file {file_id}", 404)
    owner = found.deliverable
    same_course = (owner.platform_id, owner.context_id) == (launch.platform_id, launch.context_id)
    allowed = same_course and (owner.user_id == launch.user_id or is_juror(g.db, launch))
    if not allowed:
        raise ToolError("forbidden", f"file {file_id} is not this user's to read", 403)
    path = uploads.stored_path(_settings().instance, found.stored_name)
    if not path.is_file():
        raise ToolError("not_found", f"file {file_id} is missing from the instance folder", 404)
    response = send_file(
        path,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.original_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    # Opened by mistake in the browser, the file can run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _own_certificate() -> Any:
    launch = _course_launch()
    certificate = certificate_of(g.db, launch.platform_id, launch.context_id, launch.user_id)
    if certificate is None:
        raise ToolError("not_found", "no certificate for this learner", 404)
    return certificate


@blueprint.get("/certificate.pdf")
@requires_launch
def certificate_pdf() -> Response:
    return pdf_response(_own_certificate(), g.lang)


@blueprint.get("/certificate.jwt")
@requires_launch
def certificate_badge() -> Response:
    return badge_response(_own_certificate())


# --- Jury ----------------------------------------------------------------------------------


def _juror_launch() -> Launch:
    launch = _course_launch()
    if not is_juror(g.db, launch):
        raise ToolError("forbidden", "the jury pages are for the course's jurors", 403)
    return launch


def _trainer_launch() -> Launch:
    launch = _course_launch()
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


@blueprint.get("/jury")
@requires_launch
def jury() -> str:
    """The course's learners, their deliverables and where the jury stands on each."""
    launch = _juror_launch()
    project = _project()
    rows = []
    for record in _learners(launch):
        found = evaluations(g.db, launch.platform_id, launch.context_id, record.user_id)
        rows.append(
            {
                "record": record,
                "handed_in": sum(
                    1
                    for d in _deliverables(
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
    return _page("project/jury.html", rows=rows)


def _learner(launch: Launch, record_id: int) -> LearnerRecord:
    record: LearnerRecord | None = g.db.get(LearnerRecord, record_id)
    if record is None or (record.platform_id, record.context_id) != (
        launch.platform_id,
        launch.context_id,
    ):
        raise ToolError("not_found", f"no learner {record_id} in this course", 404)
    return record


@blueprint.route("/jury/learners/<int:record_id>", methods=["GET", "POST"])
@requires_launch
def evaluate(record_id: int) -> str | tuple[str, int]:
    """One learner's project for the jury: deliverables, my evaluation, the result and the
    decision; milestone feedback and revocation for trainers."""
    launch = _juror_launch()
    project = _project()
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
    page = _page(
        "project/evaluate.html",
        record=record,
        deliverables=_deliverables(g.db, launch.platform_id, launch.context_id, record.user_id),
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
            _settings(),
            record.platform_id,
            record.context_id,
            record.user_id,
        )
        g.db.commit()
        _wake_grade_worker()
        return [], "decision_saved"
    if action == "feedback":
        milestone_id = request.form.get("milestone", "")
        _milestone(milestone_id)
        deliverable = _deliverables(
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


@blueprint.get("/jury/learners/<int:record_id>/certificate.pdf")
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


@blueprint.route("/jury/members", methods=["GET", "POST"])
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
    page = _page(
        "project/members.html",
        members=named_jurors(g.db, launch.platform_id, launch.context_id),
        candidates=_candidates(launch),
        problems=problems,
        done=done,
    )
    return (page, 400) if problems else page
