"""The jury's pages after a launch (/project/jury): who may use them, and a juror's
evaluation as the rubric needs it."""

from __future__ import annotations

import re
from html import unescape

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.models import JuryEvaluation
from tests.lti_tool.certification_helpers import hidden
from tests.lti_tool.signing_platform import INSTRUCTOR, SigningPlatform
from tests.lti_tool.test_project_pages import hand_in, milestone_page, open_page, token


def test_jury_pages_are_for_jurors_and_decisions_for_trainers(
    lti_app: Flask, lms: SigningPlatform
) -> None:
    learner = lti_app.test_client(use_cookies=False)
    page, _ = open_page(learner, lms)
    learner_form = milestone_page(learner, page)
    hand_in(learner, learner_form, [])
    assert learner.get(f"/project/jury?ltik={token(page)}").status_code == 403
    assert learner.get(f"/project/jury/members?ltik={token(page)}").status_code == 403

    trainer = lti_app.test_client(use_cookies=False)
    trainer_page, _ = open_page(trainer, lms, sub="t1", role=INSTRUCTOR)
    jury = unescape(trainer.get(f"/project/jury?ltik={token(trainer_page)}").get_data(True))
    evaluate = re.search(r'href="(/project/jury/learners/\d+)\?', jury).group(1)  # type: ignore[union-attr]
    form = unescape(trainer.get(f"{evaluate}?ltik={token(trainer_page)}").get_data(True))
    incomplete = trainer.post(
        evaluate,
        data={**hidden(form), "action": "evaluate", "level-projet.c.diagnostic": "maitrise"},
    )
    assert incomplete.status_code == 400
    assert "Choisissez un niveau pour chaque critère" in incomplete.get_data(as_text=True)
    saved = trainer.post(
        evaluate,
        data={
            **hidden(form),
            "action": "evaluate",
            "level-projet.c.diagnostic": "maitrise",
            "level-projet.c.plan": "insuffisant",
        },
    )
    assert saved.status_code == 200
    with Session(lti_app.extensions["ambassadeurs.engine"]) as session:
        [evaluation] = session.scalars(select(JuryEvaluation))
    assert evaluation.score == 0.6 and evaluation.learner_id == "42"
    # The learner cannot reach another learner's evaluation page, nor decide.
    refused = learner.post(evaluate, data={**hidden(learner_form), "action": "decide"})
    assert refused.status_code == 403
