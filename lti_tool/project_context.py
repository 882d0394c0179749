"""What the project's pages after a launch share, the learner's (`project.py`) and the jury's
(`jury_pages.py`): the content's project, the course launch, the deliverables, and how a
page is rendered."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Milestone, Project
from course_content.rendering import render_inline
from lti_tool.config import Settings
from lti_tool.errors import ToolError
from lti_tool.grade_worker import notify_new_scores
from lti_tool.launched_pages import current_curriculum
from lti_tool.models import Launch, ProjectDeliverable


def course_project() -> Project:
    """The curriculum's project (404 when the content has none)."""
    project = current_curriculum().project
    if project is None:
        raise ToolError("not_found", "this curriculum has no project", 404)
    return project


def tool_settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


def _inline(text: Any) -> Markup:
    return Markup(render_inline(text.get(g.lang), current_curriculum(), g.lang))  # noqa: S704


def render_page(template: str, **context: Any) -> str:
    """A project page, with the project, the launch's role and inline content rendering."""
    return render_template(
        template, inline=_inline, project=course_project(), trainer=g.trainer, **context
    )


def course_launch() -> Launch:
    """The page's launch, which must come from a course: the project lives in one."""
    launch: Launch = g.launch
    if not launch.context_id:
        raise ToolError("forbidden", "the project needs a launch from a course", 403)
    return launch


def deliverables_of(
    session: Session, platform_id: int, context_id: str, user_id: str
) -> dict[str, ProjectDeliverable]:
    """A learner's deliverables in a course, by milestone id."""
    query = select(ProjectDeliverable).where(
        ProjectDeliverable.platform_id == platform_id,
        ProjectDeliverable.context_id == context_id,
        ProjectDeliverable.user_id == user_id,
    )
    return {d.milestone_id: d for d in session.scalars(query)}


def project_milestone(milestone_id: str) -> Milestone:
    """The project's milestone `milestone_id` (404 when unknown)."""
    found = next((m for m in course_project().milestones if m.id == milestone_id), None)
    if found is None:
        raise ToolError("not_found", f"unknown milestone {milestone_id!r}", 404)
    return found


def wake_grade_worker() -> None:
    notify_new_scores()  # the grade leaves now, not at the worker's next poll
