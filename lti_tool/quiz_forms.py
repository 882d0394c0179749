"""Quiz answers as plain HTML form fields (no JS needed), and back to scoring responses."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from werkzeug.datastructures import MultiDict

from course_content.model import (
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    QuestionBase,
    SingleChoice,
    TrueFalse,
)


def field_name(question_id: str, part: str = "") -> str:
    return f"q-{question_id}" + (f"-{part}" if part else "")


def shuffled(ids: Sequence[str], salt: str) -> list[str]:
    """A fixed, content-independent order, so the form never shows the answer's order."""
    return sorted(ids, key=lambda i: hashlib.sha256(f"{salt}:{i}".encode()).hexdigest())


def read_response(question: QuestionBase, form: MultiDict[str, str]) -> Any:
    """The response to `question` in the shape `course_content.scoring` expects (or None)."""
    name = field_name(question.id)
    if isinstance(question, SingleChoice):
        return form.get(name)
    if isinstance(question, MultipleChoice):
        return form.getlist(name)
    if isinstance(question, TrueFalse):
        value = form.get(name)
        return {"true": True, "false": False}.get(value or "")
    if isinstance(question, Numeric):
        return form.get(name)
    if isinstance(question, Matching):
        return {p.id: form.get(field_name(question.id, p.id), "") for p in question.pairs}
    if isinstance(question, Ordering):
        positions = []
        for item in question.items:
            raw = form.get(field_name(question.id, item.id), "")
            if not raw.isdigit():
                return None
            positions.append((int(raw), item.id))
        return [item_id for _, item_id in sorted(positions)]
    return None


def read_responses(questions: Sequence[QuestionBase], form: MultiDict[str, str]) -> dict[str, Any]:
    """Every question's response; unanswered questions are left out."""
    responses = {}
    for question in questions:
        response = read_response(question, form)
        if response not in (None, "", []):
            responses[question.id] = response
    return responses
