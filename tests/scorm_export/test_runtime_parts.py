"""The runtime script of each page kind: only its parts, its words, one source."""

from __future__ import annotations

import pytest

from scorm_export.compact import minify_js
from scorm_export.runtime_parts import RUNTIME_SOURCE, keep_parts, runtime_script, script_name

SOURCE = """a();
// @part quiz
b();
  // @part scene
  c();
  // @end
// @end
// @part lesson
d();
// @end
"""


def test_only_the_asked_parts_are_kept_nested_ones_when_their_parent_is_too() -> None:
    assert keep_parts(SOURCE, frozenset({"lesson"})) == "a();\nd();\n"
    assert keep_parts(SOURCE, frozenset({"scene"})) == "a();\n"
    assert keep_parts(SOURCE, frozenset({"quiz", "scene"})) == "a();\nb();\n  c();\n"


@pytest.mark.parametrize(
    "source", ["// @part quiz\nx();\n", "x();\n// @end\n", "// @part nothing\n// @end\n"]
)
def test_a_badly_marked_source_is_refused(source: str) -> None:
    with pytest.raises(ValueError):
        keep_parts(source, frozenset({"quiz"}))


def test_a_lesson_script_has_no_question_code_nor_scoring_nor_their_words() -> None:
    # Function names are read before minification shortens them.
    source = RUNTIME_SOURCE.read_text(encoding="utf-8")
    assert "function setupFiche" not in keep_parts(source, frozenset({"lesson"}))
    assert "function trackLesson" not in keep_parts(source, frozenset({"questions", "quiz"}))
    lesson = runtime_script(frozenset({"lesson"}), "fr")
    quiz = runtime_script(frozenset({"questions", "quiz"}), "en")
    assert "LMSInitialize" in lesson and "LMSInitialize" in quiz
    assert "AmbassadeursScoring" not in lesson and ".scoreQuiz(" in quiz
    assert "answer_first" not in lesson and '"answer_first":"Answer before checking.' in quiz
    assert "lesson_done" in lesson
    assert len(lesson) < len(quiz) / 2


def test_scripts_are_minified_with_their_local_names_shortened() -> None:
    quiz = runtime_script(frozenset({"questions", "quiz"}), "fr")
    assert "function showFeedback" not in quiz and "/*" not in quiz
    assert quiz.count("\n") <= 1


def test_a_runtime_that_is_not_es5_is_refused() -> None:
    with pytest.raises(ValueError, match="ECMAScript 5"):
        minify_js("const f = (a) => a;")


def test_script_names_list_the_parts_in_a_fixed_order() -> None:
    assert script_name(frozenset({"quiz", "questions"})) == "scorm-questions-quiz.js"
    assert script_name(frozenset()) == "scorm.js"


def test_every_word_the_fiche_part_may_show_is_in_its_script() -> None:
    script = runtime_script(frozenset({"fiche"}), "fr")
    for key in ("fiche_saved", "fiche_kept", "fiche_missing", "fiche_too_long", "workshop_done"):
        assert f'"{key}":' in script


def test_compacted_stylesheet_keeps_strings_selectors_and_values() -> None:
    from scorm_export.compact import compact_css

    source = (
        "/* note */\n.a :focus, b > c {\n  margin: .5rem 1rem;\n"
        "  font-family: ui-monospace, monospace;\n}\n"
        '@media print {\n  a::after { content: " (" attr(href) ")"; }\n}\n'
    )
    assert compact_css(source) == (
        ".a :focus,b > c{margin:.5rem 1rem;font-family:ui-monospace,monospace}"
        '@media print{a::after{content:" (" attr(href) ")"}}\n'
    )
