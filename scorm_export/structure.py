"""What a package holds: its SCOs, in order, taken from the curriculum.

One SCO per lesson, per quiz and per workshop. Each SCO is one self-contained HTML page
with its own SCORM session, so an LMS that does not sequence (Moodle plays SCORM 2004
without sequencing) still plays every SCO from its table of contents, and each SCO has
its own `suspend_data` budget (4,096 characters in SCORM 1.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from course_content.model import Curriculum, Lesson, Module, Quiz, Workshop

Standard = Literal["1.2", "2004"]
STANDARDS: tuple[Standard, ...] = ("1.2", "2004")
ScoKind = Literal["lesson", "quiz", "workshop"]


@dataclass(frozen=True)
class Sco:
    """One SCO: a content item (lesson, quiz, workshop) played as one HTML page."""

    content_id: str
    kind: ScoKind
    title: str
    module: Module
    item: Lesson | Quiz | Workshop

    @property
    def href(self) -> str:
        """File name of its page, at the package root (`m01.ws.x` → `m01-ws-x.html`)."""
        return self.content_id.replace(".", "-") + ".html"

    @property
    def pass_mark(self) -> float | None:
        """The quiz's pass mark (fraction of the points); None for unscored SCOs."""
        return self.item.pass_mark if isinstance(self.item, Quiz) else None


@dataclass(frozen=True)
class ModulePart:
    """A module's SCOs, in the order a learner takes them."""

    module: Module
    scos: tuple[Sco, ...]


@dataclass(frozen=True)
class PackagePlan:
    """Everything that goes into one package (one module, or the whole curriculum)."""

    identifier: str
    title: str
    description: str
    version: str
    language: str
    modules: tuple[ModulePart, ...]
    whole_curriculum: bool

    @property
    def scos(self) -> tuple[Sco, ...]:
        return tuple(sco for part in self.modules for sco in part.scos)


def module_part(module: Module, lang: str = "fr") -> ModulePart:
    """The SCOs of `module`: its lessons, then its quiz, then its workshops."""
    scos = [
        Sco(lesson.id, "lesson", lesson.title.get(lang), module, lesson)
        for lesson in module.lessons
    ]
    scos.append(Sco(module.quiz.id, "quiz", module.quiz.title.get(lang), module, module.quiz))
    scos += [Sco(ws.id, "workshop", ws.title.get(lang), module, ws) for ws in module.workshops]
    return ModulePart(module, tuple(scos))


def module_plan(curriculum: Curriculum, module_id: str, lang: str = "fr") -> PackagePlan:
    """The package of one module."""
    module = curriculum.module(module_id)
    programme = curriculum.programme
    return PackagePlan(
        identifier=f"{programme.id}.{module.id}",
        title=f"Module {module.number} : {module.title.get(lang)}",
        description=module.summary.get(lang),
        version=programme.version,
        language=lang,
        modules=(module_part(module, lang),),
        whole_curriculum=False,
    )


def curriculum_plan(curriculum: Curriculum, lang: str = "fr") -> PackagePlan:
    """The package of the whole curriculum, modules in order."""
    programme = curriculum.programme
    return PackagePlan(
        identifier=programme.id,
        title=programme.title.get(lang),
        description=programme.summary.get(lang),
        version=programme.version,
        language=lang,
        modules=tuple(module_part(m, lang) for m in curriculum.modules),
        whole_curriculum=True,
    )
