"""SCO pages: accessible structure, no inline script or style, self-contained references."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from course_content.model import Curriculum, Ordering
from scorm_export.sco_pages import feedback_href, render_page, render_sco, shuffled
from scorm_export.structure import Sco, curriculum_plan, module_plan


class Page(HTMLParser):
    """Collects what the checks need from one page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.script_bodies: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_bodies.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def pages(curriculum: Curriculum, standard: str = "1.2") -> dict[str, tuple[Sco, str]]:
    plan = curriculum_plan(curriculum)
    return {
        sco.href: (sco, render_page(sco, plan, curriculum, standard))  # type: ignore[arg-type]
        for sco in plan.scos
    }


def test_every_page_has_lang_skip_link_landmarks_and_a_title(curriculum: Curriculum) -> None:
    for name, (sco, html) in pages(curriculum).items():
        page = Page(html)
        assert page.all("html")[0]["lang"] == "fr", name
        assert page.all("a")[0]["href"] == "#contenu", name
        assert {"header", "main", "footer"} <= {t for t, _ in page.tags}, name
        assert "contenu" in page.ids
        assert f"<title>{sco.title}" in html
        assert "user-scalable" not in html


def test_no_inline_script_no_inline_style_no_external_host(curriculum: Curriculum) -> None:
    for name, (_, html) in pages(curriculum).items():
        page = Page(html)
        assert page.script_bodies == [], name
        assert all(s["src"] and "//" not in s["src"] for s in page.all("script")), name
        assert not any("style" in a for _, a in page.tags), name
        assert "<style" not in html and " on" not in re.sub(r">[^<]*<", "><", html), name
        for link in page.all("link"):
            assert "//" not in str(link["href"]), name


def test_every_input_has_a_label_and_option_groups_a_legend(curriculum: Curriculum) -> None:
    for name, (_, html) in pages(curriculum).items():
        page = Page(html)
        label_targets = {a["for"] for a in page.all("label") if a.get("for")}
        for tag in ("input", "select", "textarea"):
            for attributes in page.all(tag):
                if attributes.get("type") in ("radio", "checkbox"):
                    continue  # wrapped in their <label>, checked below
                assert attributes.get("id") in label_targets, (name, attributes)
        wrapped = re.findall(r"<label><input type=\"(?:radio|checkbox)\"", html)
        boxes = [a for a in page.all("input") if a.get("type") in ("radio", "checkbox")]
        assert len(wrapped) == len(boxes), name
        assert html.count("<fieldset") == html.count("<legend"), name


def test_citation_and_glossary_links_point_into_the_page_or_its_feedback(
    curriculum: Curriculum,
) -> None:
    """The feedback file lists only what the page does not (the runtime appends its list to
    the page with the first feedback), so together they hold every target, each once."""
    plan = curriculum_plan(curriculum)
    seen_links = 0
    for sco in plan.scos:
        files = render_sco(sco, plan, curriculum, "1.2")
        page = Page(files[sco.href])
        feedback = Page(files.get(str(feedback_href(sco)), ""))
        assert not page.ids & feedback.ids
        targets = page.ids | feedback.ids
        for link in page.all("a") + feedback.all("a"):
            href = str(link.get("href"))
            if href.startswith("#"):
                assert href[1:] in targets, (sco.href, href)
                seen_links += 1
    assert seen_links > 5


def test_quiz_page_carries_each_question_key_and_interaction(curriculum: Curriculum) -> None:
    plan = module_plan(curriculum, "m01")
    quiz = next(s for s in plan.scos if s.kind == "quiz")
    page = Page(render_page(quiz, plan, curriculum, "2004"))
    forms = [f for f in page.all("form") if f.get("data-key")]
    keys = [json.loads(str(f["data-key"])) for f in forms]
    assert [k["id"] for k in keys] == [f"m01.q0{n}" for n in range(1, 7)]
    assert keys[1] == {
        "id": "m01.q02",
        "points": 2,
        "type": "multiple_choice",
        "options": ["a", "b", "c", "d"],
        "answer": ["a", "b"],
    }
    interactions = [json.loads(str(f["data-interaction"])) for f in forms]
    assert [i["type"] for i in interactions] == [
        "choice",
        "choice",
        "true-false",
        "numeric",
        "matching",
        "sequencing",
    ]
    assert interactions[3]["pattern"] == "16.7[:]17.7"
    assert interactions[4]["pattern"] == "p1[.]p1[,]p2[.]p2[,]p3[.]p3"
    assert json.loads(str(page.all("body")[0]["data-quiz"])) == {"id": "m01.quiz", "pass_mark": 0.7}


def test_scorm12_interactions_use_single_characters(curriculum: Curriculum) -> None:
    plan = module_plan(curriculum, "m01")
    quiz = next(s for s in plan.scos if s.kind == "quiz")
    page = Page(render_page(quiz, plan, curriculum, "1.2"))
    interactions = [
        json.loads(str(f["data-interaction"])) for f in page.all("form") if f.get("data-key")
    ]
    assert [i["pattern"] for i in interactions] == [
        "a",
        "a,b",
        "t",
        "17.2",
        "a.a,b.b,c.c",
        "a,b,c,d",
    ]


def test_ordering_and_matching_are_shown_shuffled_never_solved(curriculum: Curriculum) -> None:
    ordering = curriculum.module("m01").quiz.questions[5]
    assert isinstance(ordering, Ordering)
    items = list(ordering.items)
    assert shuffled(items, ordering.id) != items
    assert shuffled(items, ordering.id) == shuffled(items, ordering.id)
    assert shuffled(items[:2], "x") == [items[1], items[0]]


def test_ordering_is_operable_with_buttons_not_drag_and_drop(curriculum: Curriculum) -> None:
    plan = module_plan(curriculum, "m01")
    quiz = next(s for s in plan.scos if s.kind == "quiz")
    html = render_page(quiz, plan, curriculum, "1.2")
    assert "draggable" not in html
    assert html.count('data-move="-1"') == 4 and html.count('data-move="1"') == 4


def test_workshop_page_has_the_fiche_form_rubric_and_formative_items(
    curriculum: Curriculum,
) -> None:
    plan = module_plan(curriculum, "m01")
    workshop = next(s for s in plan.scos if s.kind == "workshop")
    html = render_page(workshop, plan, curriculum, "1.2")
    page = Page(html)
    assert page.all("form")[-1]["id"] == "fiche"
    assert {a.get("name") for a in page.all("textarea")} == {"message"}
    assert 'data-max-words="40"' in html
    assert "Grille d&#39;évaluation" in html or "Grille d'évaluation" in html
    assert 'data-action="imprimer"' in html
    assert "m01.ws.atelier.01" in html


def test_french_content_in_an_english_package_is_marked_as_french(
    curriculum: Curriculum,
) -> None:
    """WCAG 3.1.2: the test content has no English, so its texts carry lang="fr" on an
    English page (on the element that holds them: no extra element in the quiz)."""
    plan = module_plan(curriculum, "m01", "en")
    pages = {sco.kind: render_page(sco, plan, curriculum, "2004") for sco in plan.scos}
    assert '<html lang="en">' in pages["quiz"]
    assert re.search(
        r'<label lang="fr"><input type="radio" name="choix" value="a"> 2,5 %', pages["quiz"]
    )
    assert '<div lang="fr">' in pages["workshop"]  # its instructions, rendered as blocks
    assert 'lang="fr"' not in pages["lesson"]  # the lesson has its English body
    french = module_plan(curriculum, "m01", "fr")
    assert all(
        'lang="fr"' not in render_page(s, french, curriculum, "2004").split("<body", 1)[1]
        for s in french.scos
    )
