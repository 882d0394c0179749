"""The `project` blueprint: the practical project after a launch.

Learners hand in each milestone's deliverable (text, links, files), read the trainer's
feedback and the jury's, and download their certificate (PDF, Open Badges 3.0). The jury's
pages (`jury_pages.py`) are nested in this blueprint, under /project/jury. Every page is for
the launch's own course only.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g, request, send_file
from markupsafe import Markup

from course_content.model import Milestone
from course_content.rendering import render_markdown
from lti_tool import jury_pages, uploads
from lti_tool.certificates import (
    badge_response,
    certificate_of,
    issue_if_due,
    pdf_response,
    rule_check,
)
from lti_tool.errors import ToolError
from lti_tool.jury import (
    decision_of,
    enqueue_project_pending,
    evaluations,
    is_juror,
    remember_project_target,
)
from lti_tool.launched_pages import current_curriculum, requires_launch
from lti_tool.models import DeliverableFile, Launch, ProjectDeliverable, utcnow
from lti_tool.project_context import (
    course_launch,
    course_project,
    deliverables_of,
    project_milestone,
    render_page,
    tool_settings,
    wake_grade_worker,
)
from lti_tool.validations import module_statuses, note_learner

blueprint = Blueprint("project", __name__, url_prefix="/project")
# Nested, the jury's pages keep their /project/jury URLs, and their endpoints
# (project.jury_pages.*) get the session token in links like every page of a launch.
blueprint.register_blueprint(jury_pages.blueprint)

MAX_TEXT = 20_000
MAX_LINKS = 10
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")


@blueprint.get("/")
@requires_launch
def overview() -> str:
    """The project: brief, milestones with their state and feedback, the jury's decision,
    the certificate."""
    launch = course_launch()
    project = course_project()
    certificate = None
    check = None
    decision = None
    jury_feedback: list[Any] = []
    if not g.trainer:
        record = note_learner(g.db, launch)
        issue_if_due(
            g.db,
            current_curriculum(),
            tool_settings(),
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
    return render_page(
        "project/overview.html",
        brief=Markup(brief.html),  # noqa: S704 — rendering escapes raw HTML
        deliverables=deliverables_of(g.db, launch.platform_id, launch.context_id, launch.user_id),
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
    launch = course_launch()
    found = project_milestone(milestone_id)
    deliverable = deliverables_of(g.db, launch.platform_id, launch.context_id, launch.user_id).get(
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
    page = render_page(
        "project/milestone.html",
        milestone=found,
        module=current_curriculum().module(found.module),
        deliverable=deliverable,
        text=text,
        links=links,
        problems=problems,
        saved=saved,
        types=uploads.allowed_types(tool_settings().upload_types),
        max_kb=tool_settings().upload_max_kb,
        max_files=tool_settings().upload_max_files,
        final=found.id == course_project().milestones[-1].id,
    )
    return (page, status) if status != 200 else page


def _save_deliverable(
    launch: Launch, milestone: Milestone, deliverable: ProjectDeliverable | None
) -> tuple[ProjectDeliverable | None, list[tuple[str, dict[str, Any]]], str]:
    settings = tool_settings()
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
        remember_project_target(g.db, course_project(), launch, record)
        g.db.flush()
        if action == "submit" and milestone.id == course_project().milestones[-1].id:
            enqueue_project_pending(g.db, record, now, launch.locale)
        g.db.commit()
    except Exception:
        g.db.rollback()
        for name in stored:
            uploads.remove(settings.instance, name)
        raise
    for gone in removed:
        uploads.remove(settings.instance, gone.stored_name)
    wake_grade_worker()
    return deliverable, [], action


@blueprint.get("/files/<int:file_id>")
@requires_launch
def file(file_id: int) -> Response:
    """A deliverable's file, for its author and the course's jury only."""
    launch = course_launch()
    found = g.db.get(DeliverableFile, file_id)
    if found is None:
        raise ToolError("not_found", f"unknown file {file_id}", 404)
    owner = found.deliverable
    same_course = (owner.platform_id, owner.context_id) == (launch.platform_id, launch.context_id)
    allowed = same_course and (owner.user_id == launch.user_id or is_juror(g.db, launch))
    if not allowed:
        raise ToolError("forbidden", f"file {file_id} is not this user's to read", 403)
    path = uploads.stored_path(tool_settings().instance, found.stored_name)
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
    launch = course_launch()
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
