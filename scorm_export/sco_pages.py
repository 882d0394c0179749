"""The HTML page of each SCO, rendered from the same Markdown as the LTI tool.

Pages are static and self-contained: the shared stylesheet, the shared scoring script,
the SCORM runtime, no inline script or style. Everything is readable without JavaScript;
the runtime only adds recording, answering and navigation within the page.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from course_content.markup import citations, glossary_refs
from course_content.model import (
    Curriculum,
    GlossaryTerm,
    Lesson,
    Matching,
    Ordering,
    QuestionBase,
    Quiz,
    Source,
    Text,
    Workshop,
)
from course_content.rendering import render_inline, render_markdown, source_label
from course_content.scoring_key import question_key, quiz_key, scene_key
from scorm_export.interactions import interaction, scene_interaction
from scorm_export.messages import page_messages
from scorm_export.runtime_parts import script_name
from scorm_export.structure import PackagePlan, Sco, Standard

TEMPLATES = Path(__file__).parent / "templates"
SUSPEND_DATA_LIMIT: dict[Standard, int] = {"1.2": 4096, "2004": 64000}

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _json_attr(value: Any) -> Markup:
    """JSON for an attribute between single quotes: its double quotes stay as they are
    (`&#34;` five times per key was a fifth of a quiz page)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    escaped = text.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
    return Markup(escaped)  # noqa: S704 - escaped for a single-quoted attribute just above


def shuffled(items: list[Any], seed: str) -> list[Any]:
    """`items` in an order that depends only on `seed` (pages stay reproducible), and that
    is never the original order when there are two items or more (else the answer shows)."""
    order = list(items)
    if len(order) < 2:
        return order
    rng = random.Random(hashlib.sha256(seed.encode()).digest())  # noqa: S311 - not security
    rng.shuffle(order)
    if order == items:
        order = order[1:] + order[:1]
    return order


@dataclass
class PageText:
    """Renders the texts of one page and remembers the sources and terms they referred to,
    so the page lists them (its citation links point into the page itself)."""

    curriculum: Curriculum
    lang: str
    sources: dict[str, Source] = field(default_factory=dict)
    terms: dict[str, GlossaryTerm] = field(default_factory=dict)

    def _note(self, text: str) -> None:
        for source_id, _ in citations(text):
            if source_id in self.curriculum.sources:
                self.sources.setdefault(source_id, self.curriculum.sources[source_id])
        for term_id, _ in glossary_refs(text):
            if term_id in self.curriculum.glossary:
                self.terms.setdefault(term_id, self.curriculum.glossary[term_id])

    def block(self, text: Text | None) -> Markup:
        if text is None:
            return Markup("")
        rendered = render_markdown(text.get(self.lang), self.curriculum, self.lang)
        for source in rendered.sources:
            self.sources.setdefault(source.id, source)
        for term in rendered.terms:
            self.terms.setdefault(term.id, term)
        html = Markup(rendered.html)  # noqa: S704 - render_markdown escapes raw HTML
        if attribute := self.lang_attr(text):
            return Markup("<div{}>{}</div>").format(attribute, html)
        return html

    def lang_attr(self, text: Text | None) -> Markup:
        """` lang="fr"` for the element of a text shown in French on an English page."""
        return Markup(text.lang_attribute(self.lang) if text else "")  # noqa: S704

    def inline(self, text: Text | None) -> Markup:
        if text is None:
            return Markup("")
        value = text.get(self.lang)
        self._note(value)
        return Markup(render_inline(value, self.curriculum, self.lang))  # noqa: S704

    def plain(self, text: Text) -> str:
        return text.get(self.lang)

    def cite(self, source_id: str) -> Markup:
        """A link to a source of the bibliography, added to the page's list."""
        source = self.curriculum.sources.get(source_id)
        if source is None:
            return Markup("")
        self.sources.setdefault(source_id, source)
        return Markup('<a class="citation" href="#source-{}">[{}]</a>').format(
            source_id, source_label(source)
        )

    def beyond(self, page: PageText) -> PageText:
        """What this text cites that `page` does not list already."""
        return PageText(
            self.curriculum,
            self.lang,
            {k: v for k, v in self.sources.items() if k not in page.sources},
            {k: v for k, v in self.terms.items() if k not in page.terms},
        )


@dataclass(frozen=True)
class QuestionView:
    """One question as its template needs it."""

    question: QuestionBase
    number: int
    total: int
    key: Markup
    interaction: Markup
    extra: dict[str, Any]

    @property
    def dom_id(self) -> str:
        return "q-" + self.question.id.replace(".", "-")


def _question_views(
    questions: list[QuestionBase], standard: Standard, text: PageText
) -> list[QuestionView]:
    views = []
    for number, question in enumerate(questions, start=1):
        extra: dict[str, Any] = {}
        if isinstance(question, Matching):
            extra["rights"] = shuffled(list(question.pairs), question.id)
        if isinstance(question, Ordering):
            extra["order"] = shuffled(list(question.items), question.id)
        views.append(
            QuestionView(
                question=question,
                number=number,
                total=len(questions),
                key=_json_attr(question_key(question)),
                interaction=_json_attr(_lean(interaction(question, standard, ""))),
                extra=extra,
            )
        )
    return views


def _lean(info: dict[str, Any]) -> dict[str, Any]:
    """What the page must carry of an interaction: the runtime takes the description from
    the question's legend, and an answer id is its own token unless said otherwise."""
    lean = {k: v for k, v in info.items() if k != "description"}
    tokens = {k: v for k, v in info.get("tokens", {}).items() if k != v}
    if tokens:
        lean["tokens"] = tokens
    else:
        lean.pop("tokens", None)
    return lean


def feedback_href(sco: Sco) -> str | None:
    """The file of the SCO's feedback, fetched at the first answer (None: no questions)."""
    item = sco.item
    if isinstance(item, Quiz) or (isinstance(item, Workshop) and (item.items or item.scene)):
        return sco.href.removesuffix(".html") + "-retours.html"
    return None


def runtime_parts(sco: Sco) -> frozenset[str]:
    """The parts of the SCORM runtime the page of `sco` uses (runtime_parts.py)."""
    item = sco.item
    if isinstance(item, Lesson):
        return frozenset({"lesson"})
    if isinstance(item, Quiz):
        return frozenset({"questions", "quiz"})
    assert isinstance(item, Workshop)
    parts = set()
    if item.items or item.scene is not None:
        parts.add("questions")
    if item.scene is not None:
        parts.add("scene")
    if item.submission:
        parts.add("fiche")
    return frozenset(parts)


def render_page(sco: Sco, plan: PackagePlan, curriculum: Curriculum, standard: Standard) -> str:
    """The HTML page of `sco` in a package of `plan` for `standard`."""
    return render_sco(sco, plan, curriculum, standard)[sco.href]


def render_sco(
    sco: Sco, plan: PackagePlan, curriculum: Curriculum, standard: Standard
) -> dict[str, str]:
    """{file name: HTML} of `sco`: its page, and its feedback file when it has questions."""
    lang = plan.language
    text = PageText(curriculum, lang)
    module = sco.module
    context: dict[str, Any] = {
        "sco": sco,
        "plan": plan,
        "module": module,
        "standard": standard,
        "lang": lang,
        "t": text,
        "suspend_limit": SUSPEND_DATA_LIMIT[standard],
        "m": page_messages(lang),
        "feedback_href": feedback_href(sco),
        "runtime": script_name(runtime_parts(sco)),
        "scene": None,
        "position": [s.content_id for s in plan.scos if s.module.id == module.id].index(
            sco.content_id
        )
        + 1,
        "count": sum(1 for s in plan.scos if s.module.id == module.id),
    }
    item = sco.item
    if isinstance(item, Lesson):
        context["body"] = text.block(item.body)
        template = "lesson.html"
    elif isinstance(item, Quiz):
        context["quiz"] = item
        context["quiz_key"] = _json_attr(
            {k: v for k, v in quiz_key(item).items() if k != "questions"}
        )
        context["questions"] = _question_views(list(item.questions), standard, text)
        template = "quiz.html"
    else:
        assert isinstance(item, Workshop)
        context["workshop"] = item
        context["questions"] = _question_views(list(item.items), standard, text)
        context["scene"] = item.scene
        if item.scene is not None:
            scene_id = f"{item.id}.scene"
            context["scene_key"] = _json_attr(scene_key(item.scene, scene_id))
            context["scene_interaction"] = _json_attr(
                _lean(
                    scene_interaction(
                        [p.id for p in item.scene.practices],
                        item.scene.bad_practice_ids,
                        standard,
                        "",
                    )
                )
            )
        template = "workshop.html"
    files = {sco.href: _ENV.get_template(template).render(context)}
    if context["feedback_href"]:
        # The feedback lists the sources and terms only it cites; the runtime adds them to
        # the page with the first feedback it shows.
        feedback = {**context, "t": PageText(curriculum, lang), "page_text": text}
        files[context["feedback_href"]] = _ENV.get_template("_feedback.html").render(feedback)
    return dict(sorted(files.items()))
