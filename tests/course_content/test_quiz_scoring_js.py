"""Parity: quiz-scoring.js (run with Node) scores exactly like course_content.scoring."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

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
from course_content.scoring import score_question, score_quiz, score_scene
from course_content.scoring_key import question_key, quiz_key, scene_key

STATIC = Path(__file__).parents[2] / "course_content" / "static"
HELPER = Path(__file__).parent / "quiz_scoring_node.js"


class NodeScorer:
    """One long-lived Node process answering scoring requests line by line."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("Node.js est requis pour ce test / Node.js is required")
        self.process = subprocess.Popen(
            [node, str(HELPER), str(STATIC)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request, allow_nan=False) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the Node scorer stopped"
        result: dict[str, Any] = json.loads(line)
        return result

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def node() -> Iterator[NodeScorer]:
    scorer = NodeScorer()
    yield scorer
    scorer.close()


# --- generated questions ------------------------------------------------------------------

ID_POOL = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "constructor", "x-1"]
TEXT = {"fr": "Texte"}


def _option(option_id: str) -> dict[str, Any]:
    return {"id": option_id, "text": TEXT, "feedback": TEXT}


ids = st.lists(st.sampled_from(ID_POOL), min_size=2, max_size=9, unique=True)
points = st.integers(min_value=1, max_value=10)
common = {"source": "src", "prompt": TEXT}


@st.composite
def questions(draw: st.DrawFn, number: int = 1) -> QuestionBase:
    kind = draw(st.sampled_from(["single", "multiple", "tf", "numeric", "matching", "ordering"]))
    base = {"id": f"m01.q{number:02d}", "points": draw(points), **common}
    if kind == "single":
        option_ids = draw(ids)
        return SingleChoice(
            type="single_choice",
            options=[_option(i) for i in option_ids],
            answer=draw(st.sampled_from(option_ids)),
            **base,
        )
    if kind == "multiple":
        option_ids = draw(ids.filter(lambda x: len(x) >= 3))
        answer = draw(
            st.lists(st.sampled_from(option_ids), min_size=1, max_size=len(option_ids) - 1).map(
                lambda xs: list(dict.fromkeys(xs))
            )
        )
        return MultipleChoice(
            type="multiple_choice", options=[_option(i) for i in option_ids], answer=answer, **base
        )
    if kind == "tf":
        return TrueFalse(
            type="true_false",
            answer=draw(st.booleans()),
            feedback_true=TEXT,
            feedback_false=TEXT,
            **base,
        )
    if kind == "numeric":
        return Numeric(
            type="numeric",
            answer=draw(st.floats(-1000, 1000, allow_nan=False).map(lambda x: round(x, 2))),
            tolerance=draw(st.sampled_from([0.0, 0.5, 0.1, 1.0, 2.5])),
            feedback_correct=TEXT,
            feedback_incorrect=TEXT,
            **base,
        )
    item_ids = draw(ids)
    if kind == "matching":
        pairs = [{"id": i, "left": TEXT, "right": TEXT, "feedback": TEXT} for i in item_ids]
        return Matching(type="matching", pairs=pairs, **base)
    return Ordering(type="ordering", items=[_option(i) for i in item_ids], **base)


junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)
number_text = st.text(alphabet="0123456789,.-+eE_ \u202f\u00a0\tinfa\u0661\u0966", max_size=8)


def responses_for(question: QuestionBase) -> st.SearchStrategy[Any]:
    """Plausible answers to `question` (built from its ids), and answers of any shape."""
    key = question_key(question)
    pool = st.sampled_from([*ID_POOL, "zz"])
    if isinstance(question, SingleChoice | MultipleChoice):
        plausible: st.SearchStrategy[Any] = pool | st.lists(pool, max_size=8)
    elif isinstance(question, TrueFalse):
        plausible = st.booleans()
    elif isinstance(question, Numeric):
        answer, tolerance = key["answer"], key["tolerance"]
        near = st.floats(answer - 2 * tolerance - 1, answer + 2 * tolerance + 1)
        plausible = (
            near
            | st.sampled_from([answer + tolerance, answer - tolerance, answer])
            | near.map(lambda x: str(round(x, 3)).replace(".", ","))
            | number_text
        )
    elif isinstance(question, Matching):
        plausible = st.dictionaries(pool, pool, max_size=10)
    else:
        plausible = st.permutations(key["items"]) | st.lists(pool, max_size=10)
    return plausible | junk


@st.composite
def question_and_response(draw: st.DrawFn) -> tuple[QuestionBase, Any]:
    question = draw(questions())
    return question, draw(responses_for(question))


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, allow_nan=False))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question_and_response())
def test_js_scores_every_question_like_python(
    node: NodeScorer, case: tuple[QuestionBase, Any]
) -> None:
    question, response = case
    response = _json(response)
    expected = score_question(question, response).score
    got = node.ask({"question": question_key(question), "response": response})["score"]
    assert got == expected, (question_key(question), response)


@st.composite
def quiz_and_responses(draw: st.DrawFn) -> tuple[Quiz, dict[str, Any]]:
    count = draw(st.integers(1, 8))
    qs = [draw(questions(number=n)) for n in range(1, count + 1)]
    pass_mark = draw(st.sampled_from([0.5, 0.6, 0.7, 0.75, 0.8, 1.0, 0.333]))
    quiz = Quiz(id="m01.quiz", title=TEXT, pass_mark=pass_mark, questions=qs)  # type: ignore[arg-type]
    answered = draw(st.lists(st.sampled_from(qs), unique_by=lambda q: q.id))
    return quiz, {q.id: draw(responses_for(q)) for q in answered}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quiz_and_responses())
def test_js_scores_whole_quizzes_like_python(
    node: NodeScorer, case: tuple[Quiz, dict[str, Any]]
) -> None:
    quiz, responses = case
    responses = _json(responses)
    expected = score_quiz(quiz, responses)
    got = node.ask({"quiz": quiz_key(quiz), "responses": responses})
    assert got == {
        "score": expected.score,
        "max": expected.max_score,
        "scaled": expected.scaled,
        "passed": expected.passed,
    }


def test_typed_numbers_are_read_like_python_float(node: NodeScorer) -> None:
    question = Numeric(
        type="numeric",
        id="m01.q02",
        answer=10,
        feedback_correct=TEXT,
        feedback_incorrect=TEXT,
        **common,  # type: ignore[arg-type]
    )
    typed = [
        "10",
        "10,0",
        " 10 ",
        "1_0",
        "1__0",
        "_10",
        "1e1",
        "+10.",
        ".1e2",
        "",
        "inf",
        "NaN",
        "١٠",
        "𝟏𝟎",
        "1\u00a00",
        "\u202f10\u2003",
        "0x0a",
        "10 000",
        "dix",
    ]
    for text in typed:
        expected = score_question(question, text).score
        got = node.ask({"question": question_key(question), "response": text})["score"]
        assert got == expected, text
    assert [score_question(question, t).score for t in ["1_0", "١٠", "1__0"]] == [1, 1, 0]


@st.composite
def scenes_and_flags(draw: st.DrawFn) -> tuple[Scene, Any]:
    practice_ids = draw(ids.filter(lambda x: len(x) >= 3))
    bad = draw(st.lists(st.booleans(), min_size=len(practice_ids), max_size=len(practice_ids)))
    assume(0 < sum(bad) < len(bad))
    practices = [
        {
            "id": pid,
            "situation": TEXT,
            "bad": is_bad,
            "good_practice": TEXT if is_bad else None,
            "why": TEXT,
            "category": "usages",
            "lever_weight": 2 if is_bad else None,
            "source": "src",
        }
        for pid, is_bad in zip(practice_ids, bad, strict=True)
    ]
    scene = Scene.model_validate(
        {
            "title": TEXT,
            "description": TEXT,
            "categories": [{"id": "usages", "label": TEXT}],
            "practices": practices,
        }
    )
    flags = draw(st.lists(st.sampled_from([*practice_ids, "zz"]), max_size=10) | junk)
    return scene, flags


@settings(max_examples=200, deadline=None)
@given(scenes_and_flags(), points)
def test_js_scores_scenes_like_python(
    node: NodeScorer, case: tuple[Scene, Any], scene_points: int
) -> None:
    scene, flags = case
    flags = _json(flags)
    expected = score_scene(scene, flags, scene_points).score
    key = scene_key(scene, "m01.ws.scene", scene_points)
    assert node.ask({"question": key, "response": flags})["score"] == expected
