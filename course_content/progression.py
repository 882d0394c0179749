"""Progression rules, applied from the content's data: module validation, the jury's result,
the certificate rule. Pure functions: no database, no tool.

- A module is validated when the learner's best quiz score reaches the module's
  `validation.quiz_pass_mark` and every workshop of `validation.workshops_submitted` has
  been submitted.
- A juror's score is the weighted mean of the levels chosen for each rubric criterion
  (sum of level score × criterion weight, divided by the sum of weights): 0 to 1.
- The project's result aggregates the jurors' scores by the jury's `aggregation` (mean or
  median); it is flagged for discussion when two jurors' scores are further apart than
  `disagreement_gap`, and passed when it reaches `pass_mark`. The jury can decide once
  `min_jurors` jurors have scored.
- The certificate is due when every module is validated (if `requires_all_modules`) and
  the project is passed (if `requires_project`).

Thresholds are compared with the same 1e-9 margin as quiz scores (float rounding).
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from course_content.model import Certificate, Curriculum, Module, Project
from course_content.scoring import EPSILON


@dataclass(frozen=True)
class ModuleStatus:
    """Where a learner stands on one module's validation rule."""

    module_id: str
    quiz_scaled: float | None
    """The best quiz score (0–1), None when the quiz was never taken."""
    quiz_pass_mark: float
    workshops_required: tuple[str, ...]
    workshops_missing: tuple[str, ...]

    @property
    def quiz_ok(self) -> bool:
        return self.quiz_scaled is not None and self.quiz_scaled >= self.quiz_pass_mark - EPSILON

    @property
    def validated(self) -> bool:
        return self.quiz_ok and not self.workshops_missing


def module_status(
    module: Module, best_quiz_scaled: float | None, submitted_workshops: Collection[str]
) -> ModuleStatus:
    """Apply `module.validation` to the learner's best quiz score and submitted workshops."""
    required = tuple(module.validation.workshops_submitted)
    return ModuleStatus(
        module_id=module.id,
        quiz_scaled=best_quiz_scaled,
        quiz_pass_mark=module.validation.quiz_pass_mark,
        workshops_required=required,
        workshops_missing=tuple(w for w in required if w not in submitted_workshops),
    )


def programme_status(
    curriculum: Curriculum,
    best_quiz_scaled: Mapping[str, float],
    submitted_workshops: Collection[str],
) -> list[ModuleStatus]:
    """Every module's status, in programme order (`best_quiz_scaled` by quiz id)."""
    return [
        module_status(module, best_quiz_scaled.get(module.quiz.id), submitted_workshops)
        for module in curriculum.modules
    ]


class IncompleteEvaluation(ValueError):
    """A juror's levels do not name one known level for every criterion."""


def juror_score(project: Project, levels: Mapping[str, str]) -> float:
    """A juror's score (0–1) from the level id chosen for each criterion id."""
    total = 0.0
    weights = 0.0
    for criterion in project.rubric:
        chosen = levels.get(criterion.id)
        level = next((lv for lv in criterion.levels if lv.id == chosen), None)
        if level is None:
            raise IncompleteEvaluation(
                f"niveau manquant ou inconnu pour « {criterion.id} » "
                f"/ missing or unknown level for {criterion.id}"
            )
        total += level.score * criterion.weight
        weights += criterion.weight
    return total / weights


@dataclass(frozen=True)
class JuryResult:
    """The project's result from the jurors' scores, by the jury's rule."""

    juror_scores: tuple[float, ...]
    result: float | None
    """None until a juror has scored."""
    passed: bool
    spread: float
    """The largest gap between two jurors' scores."""
    disagreement: bool
    """The spread is above the disagreement gap: the jury discusses before deciding."""
    enough_jurors: bool
    """At least `min_jurors` jurors have scored: the jury can decide."""


def jury_result(project: Project, juror_scores: Sequence[float]) -> JuryResult:
    """Aggregate the jurors' scores (each 0–1) by `project.jury`."""
    jury = project.jury
    scores = tuple(juror_scores)
    if not scores:
        return JuryResult((), None, False, 0.0, False, jury.min_jurors <= 0)
    if jury.aggregation == "median":
        result = float(statistics.median(scores))
    else:
        result = float(statistics.fmean(scores))
    # fmean of equal values can land a hair outside them: keep the result within the scores.
    result = min(max(result, min(scores)), max(scores))
    spread = max(scores) - min(scores)
    return JuryResult(
        juror_scores=scores,
        result=result,
        passed=result >= jury.pass_mark - EPSILON,
        spread=spread,
        disagreement=spread > jury.disagreement_gap + EPSILON,
        enough_jurors=len(scores) >= jury.min_jurors,
    )


@dataclass(frozen=True)
class CertificateCheck:
    """Whether the certificate is due, and what is still missing if not."""

    modules_missing: tuple[str, ...]
    project_missing: bool

    @property
    def due(self) -> bool:
        return not self.modules_missing and not self.project_missing


def certificate_check(
    rule: Certificate, statuses: Sequence[ModuleStatus], project_passed: bool
) -> CertificateCheck:
    """Apply the programme's certificate rule to the modules' statuses and the project."""
    missing = (
        tuple(s.module_id for s in statuses if not s.validated) if rule.requires_all_modules else ()
    )
    return CertificateCheck(
        modules_missing=missing,
        project_missing=rule.requires_project and not project_passed,
    )
