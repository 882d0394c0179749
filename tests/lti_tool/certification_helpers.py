"""Helpers of the certification tests: correct quiz answers and filled workshop forms as a
learner's browser would post them, and the parts of a page a test reads."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from course_content.model import (
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Quiz,
    SingleChoice,
    TrueFalse,
    Workshop,
)
from lti_tool.quiz_forms import field_name


def correct_answers(quiz: Quiz) -> dict[str, Any]:
    """The quiz form with every answer right."""
    form: dict[str, Any] = {}
    for q in quiz.questions:
        name = field_name(q.id)
        if isinstance(q, SingleChoice):
            form[name] = q.answer
        elif isinstance(q, MultipleChoice):
            form[name] = list(q.answer)
        elif isinstance(q, TrueFalse):
            form[name] = "true" if q.answer else "false"
        elif isinstance(q, Numeric):
            form[name] = f"{q.answer:g}"
        elif isinstance(q, Matching):
            form.update({field_name(q.id, p.id): p.id for p in q.pairs})
        elif isinstance(q, Ordering):
            form.update({field_name(q.id, item.id): str(i + 1) for i, item in enumerate(q.items)})
    return form


def filled_workshop(workshop: Workshop) -> dict[str, str]:
    """The workshop's hand-in form with every field filled acceptably."""
    form = {}
    for spec in workshop.submission:
        if spec.kind == "url":
            value = "https://example.org/livrable"
        elif spec.kind == "choice":
            value = spec.choices[0].id if spec.choices else ""
        else:
            value = "Réponse de l'apprenant"
        form[field_name(workshop.id, spec.id)] = value
    return form


def hidden(page: str) -> dict[str, str]:
    """The hidden fields of the page's forms (session token, CSRF token)."""
    found = re.findall(r'type="hidden" name="(ltik|csrf)" value="([^"]*)"', page)
    return {name: unescape(value) for name, value in found}


def token_of(page: str, location: str = "") -> str:
    match = re.search(r"ltik=([^\"&]+)", location) or re.search(r"ltik=([^\"&]+)", page)
    assert match, "no session token in the page"
    return unescape(match.group(1))
