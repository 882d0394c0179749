"""The `learn` blueprint: programme, module, lesson, quiz and workshop pages after a launch."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, g, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from course_content.model import Module, Quiz, Workshop
from course_content.rendering import render_inline, render_markdown
from course_content.scoring import score_question, score_quiz, score_scene
from lti_tool.attempts import best_attempts, quiz_standing, record_attempt
from lti_tool.certificates import issue_if_due
from lti_tool.errors import ToolError
from lti_tool.grade_worker import notify_new_scores
from lti_tool.launched_pages import current_curriculum, form_posted, requires_launch
from lti_tool.models import Launch, WorkshopWork, utcnow
from lti_tool.quiz_forms import field_name, read_responses, shuffled
from lti_tool.validations import module_statuses, record_progress

blueprint = Blueprint("learn", __name__, url_prefix="/learn")


def _trusted(html: str) -> Markup:
    """HTML from course_content.rendering, which escapes every raw HTML in the source."""
    return Markup(html)  # noqa: S704


def _inline(text: Any) -> Markup:
    """A content text in the page's language, rendered inline and escaped."""
    return _trusted(render_inline(text.get(g.lang), current_curriculum(), g.lang))


def _page(template: str, **context: Any) -> str:
    return render_template(
        template,
        inline=_inline,
        field_name=field_name,
        shuffled=shuffled,
        trainer=g.trainer,
        **context,
    )


def _blank_questions(quiz: Quiz) -> Markup:
    """The quiz's questions, unanswered: the same HTML for every learner, so it is rendered
    once per process and language (it is most of the quiz page's rendering time)."""
    cache: dict[tuple[str, str], Markup] = current_app.extensions.setdefault(
        "ambassadeurs.blank_questions", {}
    )
    key = (quiz.id, g.lang)
    html = cache.get(key)
    if html is None:
        html = cache[key] = _trusted(
            render_template(
                "learn/_blank_questions.html",
                quiz=quiz,
                inline=_inline,
                field_name=field_name,
                shuffled=shuffled,
            )
        )
    return html


def _find_module(module_id: str) -> Module:
    try:
        return current_curriculum().module(module_id)
    except KeyError:
        raise ToolError("not_found", f"unknown module {module_id!r}", 404) from None


def _module_of(activity_id: str) -> Module:
    return _find_module(activity_id.split(".")[0])


def _work(launch: Launch, workshop_id: str) -> WorkshopWork | None:
    query = select(WorkshopWork).where(
        WorkshopWork.platform_id == launch.platform_id,
        WorkshopWork.user_id == launch.user_id,
        WorkshopWork.context_id == launch.context_id,
        WorkshopWork.workshop_id == workshop_id,
    )
    return g.db.scalars(query).first()


def _progress(launch: Launch) -> tuple[dict[str, Any], dict[str, WorkshopWork]]:
    attempts = best_attempts(g.db, launch)
    query = select(WorkshopWork).where(
        WorkshopWork.platform_id == launch.platform_id,
        WorkshopWork.user_id == launch.user_id,
        WorkshopWork.context_id == launch.context_id,
    )
    works = {w.workshop_id: w for w in g.db.scalars(query)}
    return attempts, works


def _statuses(launch: Launch) -> dict[str, Any]:
    """Each module's validation status for the launch's user, by module id."""
    statuses = module_statuses(
        g.db, current_curriculum(), launch.platform_id, launch.context_id, launch.user_id
    )
    return {s.module_id: s for s in statuses}


def _after_learner_work(launch: Launch) -> None:
    """Record newly validated modules (and their grades), issue the certificate if due."""
    record_progress(g.db, current_curriculum(), launch)
    settings = current_app.config["SETTINGS"]
    issue_if_due(
        g.db, current_curriculum(), settings, launch.platform_id, launch.context_id, launch.user_id
    )


@blueprint.get("/")
@requires_launch
def programme() -> str:
    """The programme: every module with the learner's progress and validation."""
    attempts, works = _progress(g.launch)
    return _page(
        "learn/programme.html",
        curriculum=current_curriculum(),
        attempts=attempts,
        works=works,
        statuses=_statuses(g.launch),
    )


@blueprint.get("/modules/<module_id>")
@requires_launch
def module(module_id: str) -> str:
    """A module's overview: objectives, lessons, quiz, workshops and progress."""
    attempts, works = _progress(g.launch)
    return _page(
        "learn/module.html",
        module=_find_module(module_id),
        attempts=attempts,
        works=works,
        statuses=_statuses(g.launch),
    )


@blueprint.get("/lessons/<lesson_id>")
@requires_launch
def lesson(lesson_id: str) -> str:
    """One lesson, with the sources and glossary terms it uses."""
    module = _module_of(lesson_id)
    found = next((item for item in module.lessons if item.id == lesson_id), None)
    if found is None:
        raise ToolError("not_found", f"unknown lesson {lesson_id!r}", 404)
    rendered = render_markdown(found.body.get(g.lang), current_curriculum(), g.lang)
    return _page(
        "learn/lesson.html",
        module=module,
        lesson=found,
        body=_trusted(rendered.html),
        sources=rendered.sources,
        terms=rendered.terms,
    )


def _quiz(quiz_id: str) -> tuple[Module, Quiz]:
    module = _module_of(quiz_id)
    if module.quiz.id != quiz_id:
        raise ToolError("not_found", f"unknown quiz {quiz_id!r}", 404)
    return module, module.quiz


@blueprint.route("/quizzes/<quiz_id>", methods=["GET", "POST"])
@requires_launch
def quiz(quiz_id: str) -> str:
    """The quiz form; on POST, scored on the server, stored (learners) and explained."""
    module, found = _quiz(quiz_id)
    used, best_scaled = quiz_standing(g.db, g.launch, quiz_id)
    if g.trainer:
        used = 0
    left = None if found.max_attempts is None else max(0, found.max_attempts - used)
    if not form_posted() or left == 0:
        return _page(
            "learn/quiz.html",
            module=module,
            quiz=found,
            result=None,
            best_scaled=best_scaled,
            attempts_left=left,
            refused=form_posted(),
            blank_questions=_blank_questions(found),
        )
    responses = read_responses(found.questions, request.form)
    if g.trainer:
        # Preview: marked, never recorded as a learner attempt.
        result = score_quiz(found, responses)
    else:
        _attempt, result = record_attempt(g.db, g.launch, found, responses)
        _after_learner_work(g.launch)
        g.db.commit()
        notify_new_scores()  # the grade leaves now, not at the worker's next poll
    return _page(
        "learn/quiz.html",
        module=module,
        quiz=found,
        result=result,
        responses=responses,
        scores={s.question_id: s for s in result.questions},
        best_scaled=None,
        attempts_left=None if left is None else left - (0 if g.trainer else 1),
    )


def _workshop(workshop_id: str) -> tuple[Module, Workshop]:
    module = _module_of(workshop_id)
    found = next((w for w in module.workshops if w.id == workshop_id), None)
    if found is None:
        raise ToolError("not_found", f"unknown workshop {workshop_id!r}", 404)
    return module, found


_URL_RE = re.compile(r"^https?://\S+$")


def field_checks(
    workshop: Workshop, values: dict[str, str]
) -> dict[str, list[tuple[str, dict[str, int]]]]:
    """Automatic checks on the submission fields: (message key, values) per field id."""
    problems: dict[str, list[tuple[str, dict[str, int]]]] = {}
    for spec in workshop.submission:
        value = values.get(spec.id, "").strip()
        found: list[tuple[str, dict[str, int]]] = []
        if spec.required and not value:
            found.append(("check_required", {}))
        words = len(value.split())
        if value and spec.max_words and words > spec.max_words:
            found.append(("check_words", {"count": words, "max": spec.max_words}))
        if value and spec.kind == "url" and not _URL_RE.match(value):
            found.append(("check_url", {}))
        if found:
            problems[spec.id] = found
    return problems


@blueprint.route("/workshops/<workshop_id>", methods=["GET", "POST"])
@requires_launch
def workshop(workshop_id: str) -> str:
    """A workshop: its situations to analyse (plain form) and the work to hand in."""
    module, found = _workshop(workshop_id)
    launch: Launch = g.launch
    work = _work(launch, workshop_id)
    values = dict(work.fields) if work else {}
    item_responses: dict[str, Any] = dict(work.item_responses) if work else {}
    item_scores = None
    scene_result = None
    flagged: list[str] = list(item_responses.get("scene", [])) if work else []
    saved = ""
    if form_posted():
        action = request.form.get("action", "")
        if action == "check":
            item_responses = read_responses(found.items, request.form)
            flagged = request.form.getlist("scene")
            if found.scene:
                item_responses["scene"] = flagged
        elif action in ("draft", "submit"):
            values = {
                s.id: request.form.get(field_name(found.id, s.id), "") for s in found.submission
            }
        if not g.trainer:
            if work is None:
                work = WorkshopWork(
                    platform_id=launch.platform_id,
                    user_id=launch.user_id,
                    context_id=launch.context_id,
                    workshop_id=workshop_id,
                    item_responses={},
                    fields={},
                )
                g.db.add(work)
            work.item_responses = item_responses
            work.fields = values
            work.updated_at = utcnow()
            if action == "submit" and not field_checks(found, values):
                work.submitted_at = utcnow()
                g.db.flush()
                _after_learner_work(launch)
            g.db.commit()
            notify_new_scores()
        saved = action
    if (form_posted() and request.form.get("action") == "check") or (work and work.item_responses):
        item_scores = {q.id: score_question(q, item_responses.get(q.id)) for q in found.items}
        if found.scene:
            scene_result = score_scene(found.scene, flagged)
    rendered = render_markdown(found.instructions.get(g.lang), current_curriculum(), g.lang)
    return _page(
        "learn/workshop.html",
        module=module,
        workshop=found,
        work=work,
        values=values,
        checks=field_checks(found, values) if values else {},
        item_responses=item_responses,
        item_scores=item_scores,
        flagged=flagged,
        scene_result=scene_result,
        saved=saved,
        instructions=_trusted(rendered.html),
        sources=rendered.sources,
        terms=rendered.terms,
    )


@blueprint.get("/workshops/<workshop_id>/print")
@requires_launch
def workshop_print(workshop_id: str) -> str:
    """The learner's work on one page, ready to print."""
    module, found = _workshop(workshop_id)
    work = _work(g.launch, workshop_id)
    return _page(
        "learn/workshop_print.html",
        module=module,
        workshop=found,
        values=dict(work.fields) if work else {},
    )
