"""Progression rules from the content: module validation, the jury's result, the certificate."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_content.loader import load_curriculum
from course_content.model import Certificate, Curriculum, Project
from course_content.progression import (
    IncompleteEvaluation,
    certificate_check,
    juror_score,
    jury_result,
    module_status,
    programme_status,
)


def make_project(
    aggregation: str = "mean", gap: float = 0.2, pass_mark: float = 0.6, min_jurors: int = 2
) -> Project:
    levels = [
        {"id": "insuffisant", "label": "I", "score": 0, "descriptor": "d"},
        {"id": "partiel", "label": "P", "score": 0.33, "descriptor": "d"},
        {"id": "satisfaisant", "label": "S", "score": 0.67, "descriptor": "d"},
        {"id": "maitrise", "label": "M", "score": 1, "descriptor": "d"},
    ]
    raw: dict[str, Any] = {
        "id": "projet",
        "title": "Projet",
        "brief": "Brief",
        "milestones": [{"id": "projet.j01", "module": "m01", "title": "J", "deliverable": "D"}],
        "jury": {
            "aggregation": aggregation,
            "disagreement_gap": gap,
            "pass_mark": pass_mark,
            "min_jurors": min_jurors,
        },
        "rubric": [
            {"id": "projet.c.a", "title": "A", "description": "a", "weight": 15, "levels": levels},
            {"id": "projet.c.b", "title": "B", "description": "b", "weight": 20, "levels": levels},
            {"id": "projet.c.c", "title": "C", "description": "c", "weight": 65, "levels": levels},
        ],
    }
    return Project.model_validate(raw)


PROJECT = make_project()
LEVEL_IDS = ["insuffisant", "partiel", "satisfaisant", "maitrise"]
unit = st.floats(min_value=0, max_value=1, allow_nan=False)


# --- Module validation ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Curriculum:
    return load_curriculum()


def test_module_is_validated_with_the_quiz_at_its_pass_mark_and_the_workshop_submitted(
    shipped: Curriculum,
) -> None:
    module = shipped.module("m01")
    mark = module.validation.quiz_pass_mark
    required = module.validation.workshops_submitted
    assert required, "the shipped module 1 requires a workshop"
    assert module_status(module, mark, required).validated
    assert not module_status(module, mark - 0.01, required).validated
    assert not module_status(module, None, required).validated
    missing = module_status(module, 1.0, [])
    assert not missing.validated
    assert missing.quiz_ok
    assert missing.workshops_missing == tuple(required)


def test_module_rule_comes_from_the_content_not_the_quiz(curriculum: Curriculum) -> None:
    # The test curriculum's module 2 validates at 0.5 and needs no workshop.
    module = curriculum.module("m02")
    assert module.validation.quiz_pass_mark == 0.5
    assert module_status(module, 0.5, []).validated
    assert not module_status(module, 0.49, []).validated


@given(score=unit, more=unit, submitted=st.sets(st.sampled_from(["m01.ws.atelier", "other"])))
def test_module_validation_never_lost_by_a_better_score_or_more_work(
    curriculum: Curriculum, score: float, more: float, submitted: set[str]
) -> None:
    module = curriculum.module("m01")
    before = module_status(module, score, submitted)
    after = module_status(module, max(score, more), submitted | {"extra"})
    assert not before.validated or after.validated


def test_programme_status_lists_every_module_in_order(curriculum: Curriculum) -> None:
    statuses = programme_status(curriculum, {"m01.quiz": 0.9}, {"m01.ws.atelier"})
    assert [s.module_id for s in statuses] == ["m01", "m02"]
    assert [s.validated for s in statuses] == [True, False]


# --- Jury ---------------------------------------------------------------------------------


def test_juror_score_is_the_weighted_mean_of_levels() -> None:
    levels = {"projet.c.a": "maitrise", "projet.c.b": "insuffisant", "projet.c.c": "satisfaisant"}
    assert juror_score(PROJECT, levels) == pytest.approx((15 * 1 + 20 * 0 + 65 * 0.67) / 100)


def test_juror_score_refuses_a_missing_or_unknown_level() -> None:
    with pytest.raises(IncompleteEvaluation):
        juror_score(PROJECT, {"projet.c.a": "maitrise", "projet.c.b": "maitrise"})
    with pytest.raises(IncompleteEvaluation):
        juror_score(
            PROJECT, {"projet.c.a": "maitrise", "projet.c.b": "maitrise", "projet.c.c": "parfait"}
        )


@given(
    st.lists(
        st.fixed_dictionaries(
            {c: st.sampled_from(LEVEL_IDS) for c in ["projet.c.a", "projet.c.b", "projet.c.c"]}
        ),
        min_size=1,
    )
)
def test_juror_scores_stay_between_0_and_1(evaluations: list[dict[str, str]]) -> None:
    for levels in evaluations:
        assert 0 <= juror_score(PROJECT, levels) <= 1


def test_jurors_disagreeing_by_more_than_the_gap_are_flagged() -> None:
    close = jury_result(PROJECT, [0.6, 0.75])
    assert not close.disagreement
    apart = jury_result(PROJECT, [0.5, 0.75])
    assert apart.disagreement
    assert apart.spread == pytest.approx(0.25)
    # Exactly the gap is not "more than" the gap.
    assert not jury_result(PROJECT, [0.4, 0.6]).disagreement


def test_result_is_passed_at_the_pass_mark_and_needs_enough_jurors() -> None:
    one = jury_result(PROJECT, [0.6])
    assert one.passed and not one.enough_jurors
    two = jury_result(PROJECT, [0.55, 0.65])
    assert two.result == pytest.approx(0.6)
    assert two.passed and two.enough_jurors
    assert not jury_result(PROJECT, [0.5, 0.69]).passed
    empty = jury_result(PROJECT, [])
    assert empty.result is None and not empty.passed and not empty.enough_jurors


def test_median_aggregation_follows_the_content() -> None:
    median = make_project(aggregation="median")
    assert jury_result(median, [0.2, 0.7, 0.8]).result == pytest.approx(0.7)
    assert jury_result(PROJECT, [0.2, 0.7, 0.8]).result == pytest.approx(1.7 / 3)


@given(
    scores=st.lists(unit, min_size=1, max_size=8),
    aggregation=st.sampled_from(["mean", "median"]),
    gap=st.floats(min_value=0.01, max_value=1),
)
def test_jury_result_invariants(scores: list[float], aggregation: str, gap: float) -> None:
    project = make_project(aggregation=aggregation, gap=gap)
    result = jury_result(project, scores)
    assert result.result is not None
    assert min(scores) <= result.result <= max(scores)
    # Jurors' order does not matter.
    assert jury_result(project, list(reversed(scores))).result == pytest.approx(result.result)
    expected = statistics.fmean(scores) if aggregation == "mean" else statistics.median(scores)
    assert result.result == pytest.approx(expected)
    assert result.disagreement == (max(scores) - min(scores) > gap + 1e-9)
    assert result.passed == (result.result >= 0.6 - 1e-9)
    if len(scores) == 1:
        assert not result.disagreement


# --- Certificate --------------------------------------------------------------------------


def _statuses(shipped: Curriculum, validated: int) -> list[Any]:
    statuses = []
    for index, module in enumerate(shipped.modules):
        ok = index < validated
        statuses.append(
            module_status(module, 1.0 if ok else 0.0, module.validation.workshops_submitted)
        )
    return statuses


def test_six_validated_modules_and_a_passed_project_are_not_enough(shipped: Curriculum) -> None:
    rule = shipped.programme.certificate
    check = certificate_check(rule, _statuses(shipped, 6), project_passed=True)
    assert not check.due
    assert check.modules_missing == ("m07",)


def test_seven_modules_and_a_passed_project_make_the_certificate_due(
    shipped: Curriculum,
) -> None:
    rule = shipped.programme.certificate
    assert certificate_check(rule, _statuses(shipped, 7), project_passed=True).due
    no_project = certificate_check(rule, _statuses(shipped, 7), project_passed=False)
    assert not no_project.due and no_project.project_missing


def test_certificate_rule_options_come_from_the_content(shipped: Curriculum) -> None:
    lenient = Certificate(title="C", requires_all_modules=False, requires_project=False)
    assert certificate_check(lenient, _statuses(shipped, 0), project_passed=False).due


@given(validated=st.integers(min_value=0, max_value=7), passed=st.booleans())
def test_certificate_due_exactly_when_all_modules_and_project(
    shipped: Curriculum, validated: int, passed: bool
) -> None:
    check = certificate_check(shipped.programme.certificate, _statuses(shipped, validated), passed)
    assert check.due == (validated == 7 and passed)
