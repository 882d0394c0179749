"""The shipped programme meets the curriculum's own requirements (counts, links, rules)."""

from __future__ import annotations

import re

import pytest

from course_content.loader import check_curriculum, load_curriculum
from course_content.model import Curriculum, Lesson

MARKUP = re.compile(r"\[@[^\]]+\]|\[\[[^\]|]+\|?|\]\]|:::\s*\w*|[#*|>`_-]")


@pytest.fixture(scope="module")
def shipped() -> Curriculum:
    return load_curriculum()


def words(lesson: Lesson) -> int:
    """Words a learner reads: the Markdown body without its markup."""
    return len(MARKUP.sub(" ", lesson.body.fr).split())


def test_shipped_content_passes_the_check() -> None:
    assert [str(p) for p in check_curriculum()] == []


def test_seven_modules_of_two_days_one_a_month(shipped: Curriculum) -> None:
    assert [m.number for m in shipped.modules] == [1, 2, 3, 4, 5, 6, 7]
    assert [m.month for m in shipped.modules] == [1, 2, 3, 4, 5, 6, 7]
    assert all(m.days == 2 for m in shipped.modules)


def test_every_module_has_bilingual_header_and_3_to_5_objectives(shipped: Curriculum) -> None:
    for module in shipped.modules:
        assert module.title.en and module.summary.en, module.id
        assert 3 <= len(module.objectives) <= 5, module.id
        assert all(o.en for o in module.objectives), module.id


def test_every_module_has_at_least_4_lessons_of_600_to_1500_words(shipped: Curriculum) -> None:
    for module in shipped.modules:
        assert len(module.lessons) >= 4, module.id
        for lesson in module.lessons:
            assert 600 <= words(lesson) <= 1500, (lesson.id, words(lesson))


def test_every_lesson_cites_and_has_an_example_and_key_points(shipped: Curriculum) -> None:
    for module in shipped.modules:
        for lesson in module.lessons:
            assert "[@" in lesson.body.fr, lesson.id
            assert "::: exemple" in lesson.body.fr, lesson.id
            assert "::: retenir" in lesson.body.fr, lesson.id


def test_every_quiz_has_15_questions_of_4_types_and_a_pass_mark(shipped: Curriculum) -> None:
    for module in shipped.modules:
        quiz = module.quiz
        assert len(quiz.questions) >= 15, module.id
        assert len({q.type for q in quiz.questions}) >= 4, module.id
        assert 0.5 <= quiz.pass_mark <= 1, module.id


def test_every_module_has_a_workshop_feeding_the_project(shipped: Curriculum) -> None:
    assert shipped.project is not None
    milestones = {m.id: m.module for m in shipped.project.milestones}
    for module in shipped.modules:
        linked = [w for w in module.workshops if w.project_milestone]
        assert linked, module.id
        assert all(milestones[w.project_milestone] == module.id for w in linked), module.id
        assert module.validation.workshops_submitted, module.id


def test_module_1_has_the_two_workshops_of_the_brief(shipped: Curriculum) -> None:
    ids = [w.id for w in shipped.module("m01").workshops]
    assert ids == ["m01.ws.mauvaises-pratiques", "m01.ws.fiches-sensibilisation"]
    scene = shipped.module("m01").workshops[0].scene
    assert scene is not None
    assert len(scene.bad_practice_ids) >= 15
    fiche = shipped.module("m01").workshops[1]
    assert len(fiche.submission) >= 10
    assert sum(line.points for line in fiche.rubric) == 20


def test_project_has_7_deliverables_a_weighted_rubric_and_a_pass_rule(shipped: Curriculum) -> None:
    project = shipped.project
    assert project is not None
    assert [m.module for m in project.milestones] == [f"m0{n}" for n in range(1, 8)]
    assert sum(c.weight for c in project.rubric) == 100
    assert all(len(c.levels) >= 3 for c in project.rubric)
    assert 0 < project.jury.pass_mark < 1
    certificate = shipped.programme.certificate
    assert certificate.requires_all_modules and certificate.requires_project


def test_glossary_has_40_bilingual_terms(shipped: Curriculum) -> None:
    assert len(shipped.glossary) >= 40
    assert all(t.term.en and t.definition.fr for t in shipped.glossary.values())
