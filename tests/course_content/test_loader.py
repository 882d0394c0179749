"""The loader: the shipped-format curriculum loads; each kind of bad content is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ambassadeurs_cli import main
from course_content.loader import check_curriculum, load_curriculum
from course_content.model import Curriculum, Matching, Numeric
from course_content.problems import ContentError


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_problem(root: Path) -> tuple[str, int, str]:
    problems = check_curriculum(root)
    assert len(problems) == 1, problems
    problem = problems[0]
    return str(problem.file), problem.line, problem.message


def test_valid_curriculum_loads_every_part(curriculum: Curriculum) -> None:
    assert [m.id for m in curriculum.modules] == ["m01", "m02"]
    module = curriculum.modules[0]
    assert module.lessons[0].id == "m01.l01"
    assert module.lessons[0].body.en is not None
    assert {q.type for q in module.quiz.questions} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "numeric",
        "matching",
        "ordering",
    }
    assert module.workshops[0].items[0].id == "m01.ws.atelier.01"
    assert curriculum.project is not None
    assert curriculum.project.rubric[0].weight == 60
    assert set(curriculum.sources) == {"src-a", "src-b"}
    assert curriculum.module("m02").validation.quiz_pass_mark == 0.5


def test_invalid_yaml_is_reported_with_its_line(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/quiz.yaml", "pass_mark: 0.7", "pass_mark: [0.7")
    file, line, message = only_problem(content_copy)
    assert file == "curriculum/01-intro/quiz.yaml"
    assert line in (3, 4, 5)
    assert "YAML invalide" in message


def test_missing_required_field_is_reported_at_its_mapping(content_copy: Path) -> None:
    replace_in(
        content_copy / "01-intro/quiz.yaml", "    source: src-b\n    prompt: La", "    prompt: La"
    )
    file, line, message = only_problem(content_copy)
    assert file == "curriculum/01-intro/quiz.yaml"
    assert line == 26  # the question's first line
    assert "champ obligatoire manquant « source »" in message


def test_unknown_question_type_is_reported(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/quiz.yaml", "type: numeric", "type: essay")
    file, line, message = only_problem(content_copy)
    assert file == "curriculum/01-intro/quiz.yaml"
    assert line == 36
    assert "type de question inconnu « essay »" in message


def test_duplicate_id_names_both_places(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/quiz.yaml", "id: m01.q02", "id: m01.q01")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/01-intro/quiz.yaml", 14)
    assert "id « m01.q01 » en double" in message
    assert "quiz.yaml:5" in message  # where m01.q01 is first defined


def test_duplicate_source_across_files_is_reported(content_copy: Path) -> None:
    (content_copy / "02-suite/sources.yaml").write_text(
        "- id: src-a\n  author: X\n  title: Y\n  year: 2020\n"
        "  url: https://x.org\n  primary: true\n",
        encoding="utf-8",
    )
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/02-suite/sources.yaml", 1)
    assert "en double" in message


def test_answer_key_naming_a_missing_option_is_reported(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/quiz.yaml", "answer: [a, b]", "answer: [a, z]")
    file, line, message = only_problem(content_copy)
    assert file == "curriculum/01-intro/quiz.yaml"
    assert line == 14
    assert "options absentes : z" in message


def test_citation_of_unknown_source_is_reported_at_its_line(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/lessons/01-base.md", "[@src-a]", "[@src-zz]")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/01-intro/lessons/01-base.md", 8)
    assert "source « src-zz » absente" in message


def test_question_source_must_exist(content_copy: Path) -> None:
    replace_in(content_copy / "02-suite/quiz.yaml", "source: src-b", "source: nulle-part")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/02-suite/quiz.yaml", 8)
    assert "source « nulle-part » absente" in message


def test_glossary_reference_to_nothing_is_reported(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/lessons/01-base.md", "[[acv|", "[[acb|")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/01-intro/lessons/01-base.md", 8)
    assert "terme « acb » absent du glossaire" in message


def test_module_number_out_of_sequence_is_reported(content_copy: Path) -> None:
    replace_in(content_copy / "02-suite/module.yaml", "id: m02\nnumber: 2", "id: m03\nnumber: 3")
    problems = check_curriculum(content_copy)
    messages = [(str(p.file), p.line, p.message) for p in problems]
    assert any(
        f == "curriculum/02-suite/module.yaml" and line == 2 and "hors séquence" in m
        for f, line, m in messages
    ), messages


def test_unknown_field_is_reported(content_copy: Path) -> None:
    replace_in(content_copy / "02-suite/module.yaml", "days: 2", "days: 2\ndurée: 3")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/02-suite/module.yaml", 7)
    assert "champ inconnu « durée »" in message


def test_missing_lesson_file_is_reported_where_it_is_listed(content_copy: Path) -> None:
    (content_copy / "02-suite/lessons/01-suite.md").unlink()
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/02-suite/module.yaml", 8)
    assert "leçon introuvable" in message


def test_every_problem_is_reported_in_one_run(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/quiz.yaml", "type: numeric", "type: essay")
    replace_in(content_copy / "01-intro/lessons/01-base.md", "[@src-a]", "[@src-zz]")
    replace_in(content_copy / "02-suite/quiz.yaml", "id: m02.q01", "id: m01.q01")
    replace_in(content_copy / "sources.yaml", "year: 2024", "year: deux-mille")
    problems = check_curriculum(content_copy)
    files = {str(p.file) for p in problems}
    assert files == {
        "curriculum/01-intro/quiz.yaml",
        "curriculum/01-intro/lessons/01-base.md",
        "curriculum/02-suite/quiz.yaml",
        "curriculum/sources.yaml",
    }
    with pytest.raises(ContentError) as raised:
        load_curriculum(content_copy)
    assert len(raised.value.problems) == len(problems) >= 4


def test_check_command_prints_file_line_message_and_exits_1(content_copy: Path) -> None:
    replace_in(content_copy / "01-intro/quiz.yaml", "type: numeric", "type: essay")
    result = CliRunner().invoke(main, ["content", "check", str(content_copy)])
    assert result.exit_code == 1
    assert "curriculum/01-intro/quiz.yaml:36: type de question inconnu" in result.output


def test_check_command_accepts_valid_content(content_copy: Path) -> None:
    result = CliRunner().invoke(main, ["content", "check", str(content_copy)])
    assert result.exit_code == 0, result.output
    assert "Contenu valide" in result.output


def test_plain_string_is_french_text(curriculum: Curriculum) -> None:
    m02 = curriculum.module("m02")
    assert m02.title.fr == "Suite" and m02.title.en is None
    assert m02.title.get("en") == "Suite"  # falls back to French


def test_question_models_carry_their_specific_fields(curriculum: Curriculum) -> None:
    questions = {q.id: q for q in curriculum.module("m01").quiz.questions}
    numeric = questions["m01.q04"]
    assert isinstance(numeric, Numeric) and numeric.tolerance == 0.5
    matching = questions["m01.q05"]
    assert isinstance(matching, Matching) and len(matching.pairs) == 3


def test_source_never_cited_is_reported(content_copy: Path) -> None:
    with (content_copy / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("- id: src-c\n  author: C\n  title: C\n  year: 2020\n")
        handle.write("  url: https://example.org/c\n  primary: true\n")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/sources.yaml", 14)
    assert "jamais citée" in message


def test_module_id_not_matching_its_number_is_reported(content_copy: Path) -> None:
    replace_in(content_copy / "02-suite/module.yaml", "id: m02", "id: m03")
    problems = check_curriculum(content_copy)
    assert any("doit avoir l'id m02" in p.message and p.line == 1 for p in problems), problems


SCENE = """scene:
  title: Une journée
  description: Repérez les mauvaises pratiques.
  categories:
    - {id: equipements, label: Équipements}
  practices:
    - id: veille
      situation: PC allumés la nuit
      good_practice: Extinction le soir
      why: Consommation inutile [@src-a].
      category: equipements
      lever_weight: 2
      source: src-a
    - id: duplex
      situation: Recto verso par défaut
      bad: false
      why: Bonne pratique.
      category: equipements
      source: src-b
"""


def test_scene_loads_and_checks_its_categories(content_copy: Path) -> None:
    workshop = content_copy / "01-intro/workshops/atelier.yaml"
    replace_in(workshop, "submission:\n", SCENE + "submission:\n")
    scene = load_curriculum(content_copy).module("m01").workshops[0].scene
    assert scene is not None and scene.bad_practice_ids == ["veille"]
    replace_in(workshop, "category: equipements\n      lever", "category: reseaux\n      lever")
    file, _, message = only_problem(content_copy)
    assert file == "curriculum/01-intro/workshops/atelier.yaml"
    assert "catégorie « reseaux » inconnue" in message


def test_scene_bad_practice_needs_its_remedy(content_copy: Path) -> None:
    workshop = content_copy / "01-intro/workshops/atelier.yaml"
    replace_in(
        workshop, "submission:\n", SCENE.replace("      lever_weight: 2\n", "") + "submission:\n"
    )
    _, _, message = only_problem(content_copy)
    assert "lever_weight" in message


def test_quiz_question_must_name_the_lesson_that_justifies_it(content_copy: Path) -> None:
    replace_in(content_copy / "02-suite/quiz.yaml", "    lesson: m02.l01\n", "")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/02-suite/quiz.yaml", 5)
    assert "champ « lesson » manquant" in message


def test_question_naming_a_lesson_of_another_module_is_reported(content_copy: Path) -> None:
    replace_in(content_copy / "02-suite/quiz.yaml", "lesson: m02.l01", "lesson: m01.l01")
    file, line, message = only_problem(content_copy)
    assert (file, line) == ("curriculum/02-suite/quiz.yaml", 6)
    assert "leçon « m01.l01 » absente de ce module" in message
