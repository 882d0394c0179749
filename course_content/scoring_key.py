"""The answer key of a question as plain JSON data, the input of `static/quiz-scoring.js`.

Browser players (the SCORM pages) score on the learner's side, so they carry this key;
`quiz-scoring.js` applies the rules of `scoring.py` to it.
"""

from __future__ import annotations

from typing import Any

from course_content.model import (
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    QuestionBase,
    Quiz,
    Scene,
    SingleChoice,
    TrueFalse,
)


def question_key(question: QuestionBase) -> dict[str, Any]:
    """What `scoreQuestion` in quiz-scoring.js needs to score `question`."""
    key: dict[str, Any] = {"id": question.id, "points": question.points}
    if isinstance(question, SingleChoice):
        key.update(type="single_choice", answer=question.answer)
    elif isinstance(question, MultipleChoice):
        key.update(
            type="multiple_choice",
            options=[o.id for o in question.options],
            answer=list(question.answer),
        )
    elif isinstance(question, TrueFalse):
        key.update(type="true_false", answer=question.answer)
    elif isinstance(question, Numeric):
        key.update(type="numeric", answer=question.answer, tolerance=question.tolerance)
    elif isinstance(question, Matching):
        key.update(type="matching", pairs=[p.id for p in question.pairs])
    elif isinstance(question, Ordering):
        key.update(type="ordering", items=[i.id for i in question.items])
    else:
        raise TypeError(f"unknown question type: {type(question).__name__}")
    return key


def quiz_key(quiz: Quiz) -> dict[str, Any]:
    """What `scoreQuiz` in quiz-scoring.js needs to score a whole attempt at `quiz`."""
    return {
        "id": quiz.id,
        "pass_mark": quiz.pass_mark,
        "questions": [question_key(q) for q in quiz.questions],
    }


def scene_key(scene: Scene, scene_id: str, points: int = 1) -> dict[str, Any]:
    """A « spot the bad practices » scene as the multiple-choice key `score_scene` applies."""
    return {
        "id": scene_id,
        "points": points,
        "type": "multiple_choice",
        "options": [p.id for p in scene.practices],
        "answer": scene.bad_practice_ids,
    }
