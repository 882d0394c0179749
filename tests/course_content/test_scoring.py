"""Scoring rules per question type, and the invariants every rule must keep."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from course_content.model import (
    Curriculum,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    SingleChoice,
    TrueFalse,
)
from course_content.scoring import score_question, score_quiz


def question(curriculum: Curriculum, question_id: str) -> Any:
    return next(q for q in curriculum.module("m01").quiz.questions if q.id == question_id)


def test_single_choice_is_all_or_nothing(curriculum: Curriculum) -> None:
    q = question(curriculum, "m01.q01")
    assert isinstance(q, SingleChoice)
    assert score_question(q, "a").score == 1
    assert score_question(q, "b").score == 0
    assert score_question(q, ["a"]).score == 0  # wrong shape


def test_multiple_choice_partial_credit(curriculum: Curriculum) -> None:
    q = question(curriculum, "m01.q02")  # 2 points, key {a, b}, wrong {c, d}
    assert isinstance(q, MultipleChoice)
    assert score_question(q, ["a", "b"]).score == 2
    assert score_question(q, ["b", "a"]).score == 2
    assert score_question(q, ["a"]).score == 1
    assert score_question(q, ["a", "c"]).score == 0  # 1/2 earned, 1/2 lost
    assert score_question(q, ["a", "b", "c"]).score == 1
    assert score_question(q, ["a", "b", "c", "d"]).score == 0
    assert score_question(q, ["a", "b", "zz"]).score == 1  # an unknown id is a wrong choice
    assert score_question(q, []).score == 0


def test_true_false_needs_a_boolean(curriculum: Curriculum) -> None:
    q = question(curriculum, "m01.q03")
    assert isinstance(q, TrueFalse)
    assert score_question(q, True).score == 1
    assert score_question(q, False).score == 0
    assert score_question(q, "true").score == 0
    assert score_question(q, 1).score == 0


def test_numeric_within_tolerance(curriculum: Curriculum) -> None:
    q = question(curriculum, "m01.q04")  # 17.2 ± 0.5
    assert isinstance(q, Numeric)
    assert score_question(q, 17.2).score == 1
    assert score_question(q, 16.7).score == 1
    assert score_question(q, 17.7).score == 1
    assert score_question(q, 17.71).score == 0
    assert score_question(q, "17,4").score == 1
    assert score_question(q, "dix-sept").score == 0
    assert score_question(q, True).score == 0


def test_matching_counts_each_pair(curriculum: Curriculum) -> None:
    q = question(curriculum, "m01.q05")
    assert isinstance(q, Matching)
    assert score_question(q, {"p1": "p1", "p2": "p2", "p3": "p3"}).score == 1
    assert score_question(q, {"p1": "p1", "p2": "p3", "p3": "p2"}).score == 0.3333
    assert score_question(q, {"p1": "p2"}).score == 0
    assert score_question(q, ["p1"]).score == 0


def test_ordering_counts_pairs_in_relative_order(curriculum: Curriculum) -> None:
    q = question(curriculum, "m01.q06")
    assert isinstance(q, Ordering)
    right = ["extraction", "fabrication", "usage", "fin"]
    assert score_question(q, right).score == 1
    assert score_question(q, list(reversed(right))).score == 0
    # one item moved from last to first: 3 of the 6 pairs are out of order
    assert score_question(q, ["fin", "extraction", "fabrication", "usage"]).score == 0.5
    assert score_question(q, ["extraction", "fabrication", "usage"]).score == 0  # incomplete
    assert score_question(q, [*right, "usage"]).score == 0  # repeated item


def test_quiz_sums_and_applies_pass_mark(curriculum: Curriculum) -> None:
    quiz = curriculum.module("m01").quiz
    perfect = {
        "m01.q01": "a",
        "m01.q02": ["a", "b"],
        "m01.q03": True,
        "m01.q04": 17.2,
        "m01.q05": {"p1": "p1", "p2": "p2", "p3": "p3"},
        "m01.q06": ["extraction", "fabrication", "usage", "fin"],
    }
    result = score_quiz(quiz, perfect)
    assert (result.score, result.max_score, result.passed, result.scaled) == (7, 7, True, 1.0)
    without_two = {k: v for k, v in perfect.items() if k not in ("m01.q01", "m01.q03")}
    result = score_quiz(quiz, without_two)
    assert (result.score, result.passed, result.scaled) == (5, True, 0.7143)  # 5/7 >= 0.7
    without_three = {k: v for k, v in without_two.items() if k != "m01.q06"}
    result = score_quiz(quiz, without_three)
    assert (result.score, result.passed) == (4, False)  # 4/7 < 0.7


# --- invariants ---------------------------------------------------------------------

option_ids = st.lists(st.sampled_from(["a", "b", "c", "d", "zz"]), max_size=6)


@given(option_ids)
def test_multiple_choice_score_is_bounded_and_order_free(
    curriculum: Curriculum, chosen: list[str]
) -> None:
    q = question(curriculum, "m01.q02")
    result = score_question(q, chosen)
    assert 0 <= result.score <= q.points
    assert score_question(q, list(reversed(chosen))).score == result.score
    assert result.correct == (set(chosen) == {"a", "b"})


@given(st.dictionaries(st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(["p1", "p2", "p3"])))
def test_matching_score_is_bounded_and_order_free(
    curriculum: Curriculum, response: dict[str, str]
) -> None:
    q = question(curriculum, "m01.q05")
    result = score_question(q, response)
    assert 0 <= result.score <= q.points
    assert score_question(q, dict(reversed(list(response.items())))).score == result.score
    exact = response == {"p1": "p1", "p2": "p2", "p3": "p3"}
    assert result.correct == exact


@given(st.permutations(["extraction", "fabrication", "usage", "fin"]))
def test_ordering_full_marks_only_for_the_exact_order(
    curriculum: Curriculum, order: list[str]
) -> None:
    q = question(curriculum, "m01.q06")
    result = score_question(q, order)
    assert 0 <= result.score <= q.points
    assert result.correct == (order == ["extraction", "fabrication", "usage", "fin"])


@given(st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8) | st.none())
def test_numeric_score_is_bounded(curriculum: Curriculum, response: Any) -> None:
    q = question(curriculum, "m01.q04")
    assert score_question(q, response).score in (0, 1)


@given(st.one_of(st.none(), st.integers(), st.text(max_size=4), st.lists(st.text(max_size=3))))
def test_any_response_to_any_question_scores_within_bounds(
    curriculum: Curriculum, response: Any
) -> None:
    for q in curriculum.module("m01").quiz.questions:
        first = score_question(q, response)
        assert 0 <= first.score <= q.points
        assert score_question(q, response) == first  # deterministic


def test_scene_is_scored_like_a_multiple_choice(curriculum: Curriculum) -> None:
    from course_content.model import Scene
    from course_content.scoring import score_scene

    scene = Scene.model_validate(
        {
            "title": "Scène",
            "description": "Repérez.",
            "categories": [{"id": "c", "label": "C"}],
            "practices": [
                {
                    "id": "a",
                    "situation": "A",
                    "good_practice": "B",
                    "why": "W",
                    "category": "c",
                    "lever_weight": 1,
                    "source": "src-a",
                },
                {
                    "id": "b",
                    "situation": "A",
                    "good_practice": "B",
                    "why": "W",
                    "category": "c",
                    "lever_weight": 3,
                    "source": "src-a",
                },
                {
                    "id": "ok",
                    "situation": "S",
                    "bad": False,
                    "why": "W",
                    "category": "c",
                    "source": "src-a",
                },
            ],
        }
    )
    assert score_scene(scene, ["a", "b"]).score == 1
    assert score_scene(scene, ["a"]).score == 0.5
    assert score_scene(scene, ["a", "b", "ok"]).score == 0
