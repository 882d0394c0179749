"""How each question is described to the LMS as a `cmi.interactions.n` (per standard).

The page carries, for each question, the SCORM interaction type, the correct-response
pattern and the token of each answer id; the runtime formats the learner's response with
the same tokens and separators. SCORM 1.2 wants one character per choice (`a`…`z`,
`0`…`9`); SCORM 2004 takes the content ids themselves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from course_content.model import (
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    QuestionBase,
    SingleChoice,
    TrueFalse,
)
from scorm_export.structure import Standard

TOKENS_12 = "abcdefghijklmnopqrstuvwxyz0123456789"
DESCRIPTION_LIMIT = 250
SEPARATORS: dict[Standard, dict[str, str]] = {
    "1.2": {"list": ",", "pair": ".", "range": ""},
    "2004": {"list": "[,]", "pair": "[.]", "range": "[:]"},
}


def _tokens(ids: list[str], standard: Standard) -> dict[str, str]:
    if standard == "2004":
        return {i: i for i in ids}
    if len(ids) > len(TOKENS_12):
        raise ValueError(f"plus de {len(TOKENS_12)} choix / more than {len(TOKENS_12)} choices")
    return {i: TOKENS_12[n] for n, i in enumerate(ids)}


def _number(value: float) -> str:
    """A plain decimal (no exponent, no float noise such as 16.699999999999999)."""
    return format(Decimal(repr(round(value, 7))).normalize(), "f")


def interaction(question: QuestionBase, standard: Standard, prompt: str) -> dict[str, Any]:
    """{type, pattern, tokens, description} for the question's interaction record."""
    sep = SEPARATORS[standard]
    description = " ".join(prompt.split())[:DESCRIPTION_LIMIT]
    data: dict[str, Any] = {"description": description}
    if isinstance(question, TrueFalse):
        truth = ("t", "f") if standard == "1.2" else ("true", "false")
        data.update(
            type="true-false",
            tokens={"true": truth[0], "false": truth[1]},
            pattern=truth[0] if question.answer else truth[1],
        )
    elif isinstance(question, SingleChoice | MultipleChoice):
        tokens = _tokens([o.id for o in question.options], standard)
        answer = [question.answer] if isinstance(question, SingleChoice) else question.answer
        data.update(
            type="choice",
            tokens=tokens,
            pattern=sep["list"].join(tokens[a] for a in answer),
        )
    elif isinstance(question, Numeric):
        if standard == "1.2":
            pattern = _number(question.answer)
        else:
            low = _number(question.answer - question.tolerance)
            high = _number(question.answer + question.tolerance)
            pattern = f"{low}{sep['range']}{high}"
        data.update(type="numeric", tokens={}, pattern=pattern)
    elif isinstance(question, Matching):
        tokens = _tokens([p.id for p in question.pairs], standard)
        pattern = sep["list"].join(
            f"{tokens[p.id]}{sep['pair']}{tokens[p.id]}" for p in question.pairs
        )
        data.update(type="matching", tokens=tokens, pattern=pattern)
    elif isinstance(question, Ordering):
        tokens = _tokens([i.id for i in question.items], standard)
        data.update(
            type="sequencing",
            tokens=tokens,
            pattern=sep["list"].join(tokens[i.id] for i in question.items),
        )
    else:
        raise TypeError(f"unknown question type: {type(question).__name__}")
    return data


def scene_interaction(
    practice_ids: list[str], bad_ids: list[str], standard: Standard, description: str
) -> dict[str, Any]:
    """A « spot the bad practices » scene, recorded as a multiple-choice interaction."""
    tokens = _tokens(practice_ids, standard)
    return {
        "description": description[:DESCRIPTION_LIMIT],
        "type": "choice",
        "tokens": tokens,
        "pattern": SEPARATORS[standard]["list"].join(tokens[b] for b in bad_ids),
    }
