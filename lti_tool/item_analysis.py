"""Quiz item analysis: which questions are too easy, too hard or misleading.

Classical test theory, on each learner's *first* attempt (retakes are taken knowing the
feedback, so they say more about memory than about the question):

- success rate: the mean share of the question's points learners earned;
- discrimination: the correlation between the question's score and the score on the rest
  of the quiz (corrected item–total correlation). Strong learners should do better on
  every question: near 0 the question does not separate them from weak ones; below 0,
  strong learners fail it more often than weak ones — the question probably misleads
  (ambiguous wording, wrong key).

Thresholds (common rules of thumb): success ≥ 90 % too easy, ≤ 30 % too hard,
discrimination < 0 misleading, < 0.2 weak; under `MIN_LEARNERS` nothing is concluded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course_content.model import Quiz
from course_content.scoring import score_question

MIN_LEARNERS = 5
TOO_EASY = 0.9
TOO_HARD = 0.3
WEAK_DISCRIMINATION = 0.2

FLAG_FEW = "few_data"
FLAG_EASY = "too_easy"
FLAG_HARD = "too_hard"
FLAG_MISLEADING = "misleading"
FLAG_WEAK = "weak"
FLAG_OK = "ok"


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    learners: int
    success_rate: float | None
    discrimination: float | None
    flags: tuple[str, ...]


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None when either side does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return cov / math.sqrt(var_x * var_y)


def analyse_quiz(quiz: Quiz, first_attempts: Sequence[Mapping[str, Any]]) -> list[ItemStats]:
    """Statistics per question, from each learner's first attempt's responses."""
    per_question: dict[str, list[float]] = {q.id: [] for q in quiz.questions}
    points = {q.id: q.points for q in quiz.questions}
    totals: list[float] = []
    for responses in first_attempts:
        total = 0.0
        for question in quiz.questions:
            earned = score_question(question, responses.get(question.id)).score
            per_question[question.id].append(earned / question.points)
            total += earned
        totals.append(total)
    stats = []
    for question in quiz.questions:
        shares = per_question[question.id]
        n = len(shares)
        success = sum(shares) / n if n else None
        rest = [
            total - share * points[question.id] for total, share in zip(totals, shares, strict=True)
        ]
        discrimination = correlation(shares, rest) if n >= MIN_LEARNERS else None
        stats.append(
            ItemStats(question.id, n, success, discrimination, _flags(n, success, discrimination))
        )
    return stats


def _flags(n: int, success: float | None, discrimination: float | None) -> tuple[str, ...]:
    if n < MIN_LEARNERS or success is None:
        return (FLAG_FEW,)
    flags = []
    if success >= TOO_EASY:
        flags.append(FLAG_EASY)
    elif success <= TOO_HARD:
        flags.append(FLAG_HARD)
    if discrimination is not None:
        if discrimination < 0:
            flags.append(FLAG_MISLEADING)
        elif discrimination < WEAK_DISCRIMINATION:
            flags.append(FLAG_WEAK)
    return tuple(flags) or (FLAG_OK,)


def distribution(scaled_scores: Sequence[float], bins: int = 10) -> list[int]:
    """How many scores fall in each of `bins` equal ranges of [0, 1] (1.0 in the last)."""
    counts = [0] * bins
    for value in scaled_scores:
        index = min(int(max(value, 0.0) * bins + 1e-9), bins - 1)
        counts[index] += 1
    return counts
