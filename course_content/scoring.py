"""Quiz scoring: one pure, deterministic definition of the rules, shared by every player.

The SCORM quiz script implements these same rules in JavaScript; a test runs both on the
same answers and requires the same scores.

A response's shape depends on the question type:

- single_choice: the chosen option id (`str`).
- multiple_choice: the chosen option ids (a list; order does not matter).
- true_false: `True` or `False`.
- numeric: a number (`int` or `float`; a string such as "2,5" is read with a comma or a point).
- matching: a mapping {left pair id: chosen right pair id} (order does not matter).
- ordering: the item ids in the order the learner put them (a list).

Rules per type, for a question worth `p` points (a response of the wrong shape, or no
response, scores 0; a question's score is rounded to 4 decimals):

- single_choice, true_false: `p` for the key, else 0.
- numeric: `p` when |response - answer| <= tolerance (plus 1e-9 for float rounding), else 0.
- multiple_choice: with K the key, S the selection and W the wrong options,
  `p * max(0, |S ∩ K| / |K| - |S \\ K| / |W|)`. Each right choice earns its share, each wrong
  one takes its share back (an id that is not an option counts as a wrong choice); ticking
  everything scores 0; full marks only for exactly the key.
- matching: `p * (pairs matched to their own right side) / (number of pairs)`.
- ordering: `p * (pairs of items in the right relative order) / (n * (n - 1) / 2)`, so one item
  out of place costs little and the reversed order scores 0. A response that is not a
  permutation of the items (an item missing, repeated or unknown) scores 0.

A « spot the bad practices » scene is scored like a multiple_choice question whose key is
the scene's bad practices and whose wrong options are its sound practices.

A quiz's score is the sum of its questions' scores; it is passed when
score / max_score >= pass_mark (compared with a 1e-9 margin for float rounding).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
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

EPSILON = 1e-9


@dataclass(frozen=True)
class QuestionScore:
    question_id: str
    score: float
    max_score: int

    @property
    def correct(self) -> bool:
        return self.score >= self.max_score - EPSILON


@dataclass(frozen=True)
class QuizScore:
    score: float
    max_score: int
    passed: bool
    questions: tuple[QuestionScore, ...]

    @property
    def scaled(self) -> float:
        """Score as a fraction of the maximum, in [0, 1]."""
        return round(self.score / self.max_score, 4) if self.max_score else 0.0


def _as_number(response: Any) -> float | None:
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float):
        return float(response)
    if isinstance(response, str):
        try:
            return float(response.strip().replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except ValueError:
            return None
    return None


def _string_list(response: Any) -> list[str] | None:
    if isinstance(response, list | tuple) and all(isinstance(x, str) for x in response):
        return list(response)
    return None


def _selection_fraction(response: Any, key: set[str], option_count: int) -> Fraction:
    """The multiple-choice rule: right choices earn their share, wrong ones take theirs back."""
    chosen = _string_list(response)
    if chosen is None:
        return Fraction(0)
    selection = set(chosen)
    earned = Fraction(len(selection & key), len(key))
    lost = Fraction(len(selection - key), option_count - len(key))
    return max(Fraction(0), earned - lost)


def _fraction(question: QuestionBase, response: Any) -> Fraction:
    """The share of the question's points earned by `response`, in [0, 1]."""
    if isinstance(question, SingleChoice):
        return Fraction(int(isinstance(response, str) and response == question.answer))
    if isinstance(question, TrueFalse):
        return Fraction(int(isinstance(response, bool) and response is question.answer))
    if isinstance(question, Numeric):
        value = _as_number(response)
        hit = value is not None and abs(value - question.answer) <= question.tolerance + EPSILON
        return Fraction(int(hit))
    if isinstance(question, MultipleChoice):
        return _selection_fraction(response, set(question.answer), len(question.options))
    if isinstance(question, Matching):
        if not isinstance(response, Mapping):
            return Fraction(0)
        matched = sum(1 for pair in question.pairs if response.get(pair.id) == pair.id)
        return Fraction(matched, len(question.pairs))
    if isinstance(question, Ordering):
        order = _string_list(response)
        expected = [item.id for item in question.items]
        if order is None or sorted(order) != sorted(expected):
            return Fraction(0)
        position = {item_id: index for index, item_id in enumerate(order)}
        n = len(expected)
        in_order = sum(
            1
            for i in range(n)
            for j in range(i + 1, n)
            if position[expected[i]] < position[expected[j]]
        )
        return Fraction(in_order, n * (n - 1) // 2)
    raise TypeError(f"unknown question type: {type(question).__name__}")


def score_question(question: QuestionBase, response: Any) -> QuestionScore:
    """Score one response to one question (see the module docstring for the rules)."""
    earned = _fraction(question, response) * question.points
    return QuestionScore(question.id, round(float(earned), 4), question.points)


def score_scene(scene: Scene, flagged: Any, points: int = 1) -> QuestionScore:
    """Score the situations a learner flagged as bad practices in a scene."""
    key = set(scene.bad_practice_ids)
    earned = _selection_fraction(flagged, key, len(scene.practices)) * points
    return QuestionScore("scene", round(float(earned), 4), points)


def score_quiz(quiz: Quiz, responses: Mapping[str, Any]) -> QuizScore:
    """Score a whole attempt; `responses` maps question ids to responses (missing = 0)."""
    scores = tuple(score_question(q, responses.get(q.id)) for q in quiz.questions)
    total = round(sum(s.score for s in scores), 4)
    max_score = quiz.max_points
    passed = max_score > 0 and total / max_score >= quiz.pass_mark - EPSILON
    return QuizScore(total, max_score, passed, scores)
