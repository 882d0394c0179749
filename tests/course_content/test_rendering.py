"""Markdown rendering: safe HTML, citations and glossary terms as links."""

from __future__ import annotations

from course_content.model import Curriculum, Text
from course_content.rendering import render_inline, render_markdown


def test_script_in_markdown_never_reaches_the_page_as_script(curriculum: Curriculum) -> None:
    text = '<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n'
    html = render_markdown(text, curriculum).html
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_not_rendered_as_links(curriculum: Curriculum) -> None:
    html = render_markdown("[clic](javascript:alert(1))", curriculum).html
    assert 'href="javascript' not in html


def test_citation_becomes_a_link_to_the_bibliography_entry(curriculum: Curriculum) -> None:
    rendered = render_markdown("Un chiffre [@src-a].", curriculum)
    assert '<a class="citation" href="#source-src-a">[Agence A, 2022]</a>' in rendered.html
    assert [s.id for s in rendered.sources] == ["src-a"]


def test_glossary_term_gets_its_definition(curriculum: Curriculum) -> None:
    rendered = render_markdown("Une [[acv]] et une [[acv|analyse]].", curriculum)
    assert 'href="#terme-acv"' in rendered.html
    assert (
        'title="Méthode qui évalue les impacts d&#x27;un produit sur toute sa vie."'
        in rendered.html
    )
    assert ">Analyse du cycle de vie</a>" in rendered.html
    assert ">analyse</a>" in rendered.html
    assert [t.id for t in rendered.terms] == ["acv"]


def test_glossary_label_is_escaped(curriculum: Curriculum) -> None:
    html = render_markdown('[[acv|<b onclick="x">]]', curriculum).html
    assert "<b" not in html


def test_english_rendering_uses_english_terms_and_box_titles(curriculum: Curriculum) -> None:
    html = render_markdown("[[acv]]\n\n::: retenir\nPoint.\n:::\n", curriculum, lang="en").html
    assert ">Life-cycle assessment</a>" in html
    assert '<aside class="encadre encadre-retenir" aria-label="Key points">' in html


def test_key_points_box_is_an_aside_with_a_title(curriculum: Curriculum) -> None:
    html = render_markdown("::: retenir\n- un\n- deux\n:::\n", curriculum).html
    assert html.startswith('<aside class="encadre encadre-retenir" aria-label="À retenir">')
    assert "<li>un</li>" in html


def test_tables_are_rendered(curriculum: Curriculum) -> None:
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n", curriculum).html
    assert "<table>" in html


def test_inline_rendering_has_no_paragraph(curriculum: Curriculum) -> None:
    assert render_inline("Voir [@src-b] *vite*", curriculum).startswith("Voir <a")


def test_lesson_body_renders(curriculum: Curriculum) -> None:
    lesson = curriculum.module("m01").lessons[0]
    rendered = render_markdown(lesson.body.fr, curriculum)
    assert "<h2>Un chiffre</h2>" in rendered.html


def test_rendering_is_cached_per_curriculum_and_copies_are_independent(
    curriculum: Curriculum,
) -> None:
    first = render_markdown("Un chiffre [@src-a].", curriculum)
    first.sources.clear()
    again = render_markdown("Un chiffre [@src-a].", curriculum)
    assert [s.id for s in again.sources] == ["src-a"]
    assert again.html == first.html
    assert render_inline("*a*", curriculum) is render_inline("*a*", curriculum)
    assert render_inline("*a*", curriculum, "en") == "<em>a</em>"


def test_a_text_says_when_a_page_shows_it_in_french() -> None:
    french_only = Text(fr="Bonjour")
    both = Text(fr="Bonjour", en="Hello")
    assert french_only.lang_attribute("en") == ' lang="fr"'
    assert french_only.lang_attribute("fr") == ""
    assert both.lang_attribute("en") == "" and both.get("en") == "Hello"
    assert both.lang_attribute("fr") == "" and both.get("fr") == "Bonjour"
