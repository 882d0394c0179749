"""Lesson Markdown to safe HTML, shared by the LTI tool and the SCORM export.

Raw HTML in the source is shown as text, never passed through; link targets are
filtered by markdown-it (no `javascript:`). `[@id]` becomes a link to the source in the
page's bibliography section, `[[term]]` a link to the term in the page's glossary section,
with the definition as a tooltip; the page lists the sources and terms it used, so it
stands alone (a SCORM SCO has no other page to link to).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin

from course_content.markup import CITATION_RE, GLOSSARY_RE
from course_content.model import Curriculum, GlossaryTerm, Source

BOX_TITLES = {
    "retenir": {"fr": "À retenir", "en": "Key points"},
    "exemple": {"fr": "Exemple", "en": "Example"},
}


@dataclass
class Rendered:
    """HTML of one text, with the sources and glossary terms it referred to, in order."""

    html: str
    sources: list[Source] = field(default_factory=list)
    terms: list[GlossaryTerm] = field(default_factory=list)


def source_label(source: Source) -> str:
    """Short author-year label used for in-text citations."""
    return f"{source.author}, {source.year}"


def _citation_rule(state: StateInline, silent: bool) -> bool:
    match = CITATION_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"id": match.group(1)}
    state.pos = match.end()
    return True


def _glossary_rule(state: StateInline, silent: bool) -> bool:
    match = GLOSSARY_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("glossary_ref", "", 0)
        token.meta = {"id": match.group(1), "label": match.group(2)}
    state.pos = match.end()
    return True


class _Context:
    """Per-render state passed to markdown-it through `env`."""

    def __init__(self, curriculum: Curriculum, lang: str) -> None:
        self.curriculum = curriculum
        self.lang = lang
        self.sources: dict[str, Source] = {}
        self.terms: dict[str, GlossaryTerm] = {}


def _render_citation(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    context: _Context = env["context"]
    source_id = tokens[idx].meta["id"]
    source = context.curriculum.sources.get(source_id)
    if source is None:  # the loader rejects these; render visibly rather than crash
        return f"[{escape(source_id)}]"
    context.sources.setdefault(source_id, source)
    return (
        f'<a class="citation" href="#source-{escape(source_id)}">'
        f"[{escape(source_label(source))}]</a>"
    )


def _render_glossary_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    context: _Context = env["context"]
    term_id = tokens[idx].meta["id"]
    term = context.curriculum.glossary.get(term_id)
    label = tokens[idx].meta["label"]
    if term is None:
        return escape(label or term_id)
    context.terms.setdefault(term_id, term)
    shown = label or term.term.get(context.lang)
    definition = term.definition.get(context.lang)
    return (
        f'<a class="terme" href="#terme-{escape(term_id)}" title="{escape(definition)}">'
        f"{escape(shown)}</a>"
    )


def _box_renderer(name: str) -> Any:
    def render(
        self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        if tokens[idx].nesting == 1:
            lang = env["context"].lang
            title = BOX_TITLES[name]["en" if lang.startswith("en") else "fr"]
            return (
                f'<aside class="encadre encadre-{name}" aria-label="{title}">\n'
                f'<p class="encadre-titre">{title}</p>\n'
            )
        return "</aside>\n"

    return render


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.inline.ruler.before("link", "glossary_ref", _glossary_rule)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("glossary_ref", _render_glossary_ref)
    for name in BOX_TITLES:
        md.use(container_plugin, name, render=_box_renderer(name))
    return md


_PARSER = _make_parser()


CACHE_LIMIT = 20_000
"""Rendered texts kept per curriculum; the shipped one has a few thousand."""


def _cached(curriculum: Curriculum, key: tuple[str, str, str], render: Any) -> Any:
    # Content never changes once loaded, and pages render the same texts again and again
    # (a quiz page has hundreds of options and feedbacks): render each text once.
    cache = curriculum._render_cache
    if key not in cache:
        if len(cache) >= CACHE_LIMIT:
            return render()
        cache[key] = render()
    return cache[key]


def render_markdown(text: str, curriculum: Curriculum, lang: str = "fr") -> Rendered:
    """Render one Markdown text to safe HTML, collecting the sources and terms it used."""

    def render() -> Rendered:
        context = _Context(curriculum, lang)
        html = _PARSER.render(text, {"context": context})
        return Rendered(html, list(context.sources.values()), list(context.terms.values()))

    rendered: Rendered = _cached(curriculum, ("block", lang, text), render)
    # A copy, so that a caller changing its lists cannot change what others get.
    return Rendered(rendered.html, list(rendered.sources), list(rendered.terms))


def render_inline(text: str, curriculum: Curriculum, lang: str = "fr") -> str:
    """Render a short text (feedback, a label) without wrapping it in a paragraph."""

    def render() -> str:
        return str(_PARSER.renderInline(text, {"context": _Context(curriculum, lang)}))

    return str(_cached(curriculum, ("inline", lang, text), render))
