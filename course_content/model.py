"""The typed curriculum model: what a programme, module, lesson, quiz and workshop are.

Every user-visible string is a `Text`: French required, English optional. Models forbid
unknown fields so that a typo in the YAML is reported instead of silently ignored.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

ID_PART = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_RE = re.compile(rf"^{ID_PART}$")


class Strict(BaseModel):
    """Base for every content model: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-visible text: French required, English optional."""

    fr: str
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_french(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"fr": value}
        return value

    @field_validator("fr")
    @classmethod
    def _french_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("le texte français est vide / French text is empty")
        return value

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to French."""
        if lang.startswith("en") and self.en:
            return self.en
        return self.fr

    def lang_of(self, lang: str) -> str:
        """The language `get(lang)` gives: `en` where the text has it, else `fr`."""
        return "en" if lang.startswith("en") and self.en else "fr"

    def lang_attribute(self, lang: str) -> str:
        """` lang="fr"` where a page in `lang` shows this text in French (WCAG 3.1.2:
        screen readers switch voice), else nothing."""
        shown = self.lang_of(lang)
        return "" if lang.startswith(shown) else f' lang="{shown}"'


def _id_pattern(pattern: str, example: str) -> Any:
    return Field(pattern=pattern, description=f"e.g. {example}")


Slug = Annotated[str, _id_pattern(rf"^{ID_PART}$", "ademe-arcep-2022")]
ModuleId = Annotated[str, _id_pattern(r"^m0[1-9]$", "m01")]


# --- Bibliography and glossary ---------------------------------------------------------


class Source(Strict):
    id: Slug
    author: str
    """The organisation or people responsible for the document."""
    title: str
    year: int = Field(ge=1900, le=2100)
    publisher: str | None = None
    url: str = Field(pattern=r"^https?://")
    """Where the document can be found (its own page, or the publisher's)."""
    primary: bool
    """True when the figures used were read in the document itself, False when only a
    secondary source reporting it was read (the note should then name that source)."""
    note: str | None = None


class GlossaryTerm(Strict):
    id: Slug
    term: Text
    definition: Text
    source: Slug | None = None


# --- Questions --------------------------------------------------------------------------


class Option(Strict):
    id: Slug
    text: Text
    feedback: Text


class QuestionBase(Strict):
    id: str = Field(pattern=rf"^(m0[1-9]\.q\d{{2,3}}|m0[1-9]\.ws\.{ID_PART}\.\d{{2,3}})$")
    points: int = Field(default=1, ge=1, le=10)
    source: Slug
    prompt: Text
    explanation: Text | None = None
    lesson: str | None = Field(default=None, pattern=r"^m0[1-9]\.l\d{2}$")
    """The lesson where a reader finds what justifies the answer (required in quizzes)."""


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ValueError(f"{what} « {item_id} » en double / duplicate {what} id")
        seen.add(item_id)


class SingleChoice(QuestionBase):
    type: Literal["single_choice"]
    options: list[Option] = Field(min_length=2)
    answer: Slug

    @model_validator(mode="after")
    def _answer_names_an_option(self) -> SingleChoice:
        ids = [o.id for o in self.options]
        _unique(ids, "option")
        if self.answer not in ids:
            raise ValueError(
                f"la réponse « {self.answer} » ne correspond à aucune option "
                f"/ answer names a missing option (options: {', '.join(ids)})"
            )
        return self


class MultipleChoice(QuestionBase):
    type: Literal["multiple_choice"]
    options: list[Option] = Field(min_length=3)
    answer: list[Slug] = Field(min_length=1)

    @model_validator(mode="after")
    def _answer_names_options(self) -> MultipleChoice:
        ids = [o.id for o in self.options]
        _unique(ids, "option")
        _unique(self.answer, "réponse")
        missing = [a for a in self.answer if a not in ids]
        if missing:
            raise ValueError(
                f"la réponse nomme des options absentes : {', '.join(missing)} "
                f"/ answer names a missing option (options: {', '.join(ids)})"
            )
        if len(self.answer) == len(ids):
            raise ValueError(
                "toutes les options sont correctes : il faut au moins un distracteur "
                "/ every option is correct: add at least one wrong option"
            )
        return self


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool
    feedback_true: Text
    feedback_false: Text


class Numeric(QuestionBase):
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(default=0.0, ge=0)
    unit: str | None = None
    feedback_correct: Text
    feedback_incorrect: Text


class Pair(Strict):
    id: Slug
    left: Text
    right: Text
    feedback: Text


class Matching(QuestionBase):
    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_pairs(self) -> Matching:
        _unique([p.id for p in self.pairs], "paire")
        return self


class OrderingItem(Strict):
    id: Slug
    text: Text
    feedback: Text


class Ordering(QuestionBase):
    type: Literal["ordering"]
    items: list[OrderingItem] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_items(self) -> Ordering:
        _unique([i.id for i in self.items], "élément")
        return self


QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    "single_choice": SingleChoice,
    "multiple_choice": MultipleChoice,
    "true_false": TrueFalse,
    "numeric": Numeric,
    "matching": Matching,
    "ordering": Ordering,
}

Question = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Numeric | Matching | Ordering,
    Field(discriminator="type"),
]


class Quiz(Strict):
    id: str = Field(pattern=r"^m0[1-9]\.quiz$")
    title: Text
    pass_mark: float = Field(gt=0, le=1)
    max_attempts: int | None = Field(default=None, ge=1, le=20)
    """How many times a learner may submit the quiz (None: no limit); the best attempt counts."""
    questions: list[Question] = Field(min_length=1)

    @property
    def max_points(self) -> int:
        return sum(q.points for q in self.questions)


# --- Lessons, workshops -------------------------------------------------------------------


class Lesson(Strict):
    id: str = Field(pattern=r"^m0[1-9]\.l\d{2}$")
    title: Text
    duration_minutes: int = Field(default=45, ge=5, le=480)
    body: Text
    """Markdown source, French and optionally English."""
    file: str
    body_line: int = 1
    """Line of the file where the Markdown body starts (for error messages)."""


class Choice(Strict):
    id: Slug
    label: Text


class SubmissionField(Strict):
    id: Slug
    label: Text
    kind: Literal["text", "textarea", "url", "choice"]
    required: bool = True
    help: Text | None = None
    max_words: int | None = Field(default=None, ge=1)
    choices: list[Choice] | None = None

    @model_validator(mode="after")
    def _choices_for_choice_kind(self) -> SubmissionField:
        if self.kind == "choice" and not self.choices:
            raise ValueError("un champ « choice » demande des choix / a choice field needs choices")
        return self


class RubricLine(Strict):
    id: Slug
    label: Text
    points: int = Field(ge=1)
    description: Text | None = None


class ScenePractice(Strict):
    """One situation of a « spot the bad practices » scene."""

    id: Slug
    situation: Text
    """What the learner sees in the scene."""
    bad: bool = True
    """False for a sound practice placed in the scene, which the learner should not flag."""
    good_practice: Text | None = None
    why: Text
    category: Slug
    lever_weight: int | None = Field(default=None, ge=1, le=3)
    """How strong the lever is: 1 faible, 2 moyen, 3 fort (bad practices only)."""
    source: Slug

    @model_validator(mode="after")
    def _bad_practice_has_its_remedy(self) -> ScenePractice:
        if self.bad and (self.good_practice is None or self.lever_weight is None):
            raise ValueError(
                "une mauvaise pratique demande good_practice et lever_weight "
                "/ a bad practice needs good_practice and lever_weight"
            )
        return self


class Scene(Strict):
    """An interactive scene where the learner flags the bad practices."""

    title: Text
    description: Text
    categories: list[Choice] = Field(min_length=1)
    practices: list[ScenePractice] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> Scene:
        _unique([p.id for p in self.practices], "situation")
        _unique([c.id for c in self.categories], "catégorie")
        known = {c.id for c in self.categories}
        for practice in self.practices:
            if practice.category not in known:
                raise ValueError(
                    f"catégorie « {practice.category} » inconnue pour « {practice.id} » "
                    f"(catégories : {', '.join(sorted(known))}) / unknown category"
                )
        bad = sum(p.bad for p in self.practices)
        if bad == 0 or bad == len(self.practices):
            raise ValueError(
                "la scène doit mêler mauvaises pratiques et pratiques saines "
                "/ a scene needs both bad and sound practices"
            )
        return self

    @property
    def bad_practice_ids(self) -> list[str]:
        return [p.id for p in self.practices if p.bad]


class Workshop(Strict):
    id: str = Field(pattern=rf"^m0[1-9]\.ws\.{ID_PART}$")
    title: Text
    summary: Text
    duration_minutes: int = Field(default=90, ge=5, le=960)
    project_milestone: str | None = Field(default=None, pattern=r"^projet\.j\d{2}$")
    instructions: Text
    expected_output: Text
    assessment: Text
    items: list[Question] = Field(default_factory=list)
    scene: Scene | None = None
    submission: list[SubmissionField] = Field(default_factory=list)
    rubric: list[RubricLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Workshop:
        _unique([f.id for f in self.submission], "champ")
        _unique([r.id for r in self.rubric], "critère")
        return self


class Validation(Strict):
    """The module's validation rule, applied by the tool from this data."""

    quiz_pass_mark: float = Field(gt=0, le=1)
    workshops_submitted: list[str] = Field(default_factory=list)
    description: Text


class Module(Strict):
    id: ModuleId
    number: int = Field(ge=1, le=9)
    folder: str
    title: Text
    summary: Text
    month: int = Field(ge=1, le=12)
    days: int = Field(ge=1, le=10)
    objectives: list[Text] = Field(min_length=1)
    lessons: list[Lesson]
    quiz: Quiz
    workshops: list[Workshop]
    validation: Validation


# --- Practical project and programme ------------------------------------------------------


class Milestone(Strict):
    id: str = Field(pattern=r"^projet\.j\d{2}$")
    module: ModuleId
    title: Text
    deliverable: Text


class Level(Strict):
    id: Slug
    label: Text
    score: float = Field(ge=0, le=1)
    descriptor: Text


class Criterion(Strict):
    id: str = Field(pattern=rf"^projet\.c\.{ID_PART}$")
    title: Text
    description: Text
    weight: float = Field(gt=0)
    levels: list[Level] = Field(min_length=2)

    @model_validator(mode="after")
    def _levels_ordered(self) -> Criterion:
        _unique([lv.id for lv in self.levels], "niveau")
        scores = [lv.score for lv in self.levels]
        if scores != sorted(scores):
            raise ValueError(
                "les niveaux doivent aller du plus faible au plus fort "
                "/ levels must be ordered from lowest to highest score"
            )
        return self


class Jury(Strict):
    """How the jurors' scores make the project's result (applied by course_content.progression)."""

    aggregation: Literal["mean", "median"] = "mean"
    disagreement_gap: float = Field(default=0.2, gt=0, le=1)
    """Two jurors' scores further apart than this flag the result for discussion."""
    pass_mark: float = Field(gt=0, le=1)
    min_jurors: int = Field(default=1, ge=1, le=20)
    """Evaluations needed before the jury can decide."""


class Project(Strict):
    id: Literal["projet"]
    title: Text
    brief: Text
    milestones: list[Milestone] = Field(min_length=1)
    jury: Jury
    rubric: list[Criterion] = Field(min_length=1)


class Certificate(Strict):
    title: Text
    requires_all_modules: bool = True
    requires_project: bool = True


class Programme(Strict):
    """curriculum.yaml as written: the programme's header and its module folders."""

    id: Slug
    title: Text
    summary: Text
    version: str
    modules: list[str] = Field(min_length=1)
    certificate: Certificate


class Curriculum(Strict):
    """The whole programme, loaded and cross-checked."""

    programme: Programme
    modules: list[Module]
    project: Project | None
    sources: dict[str, Source]
    glossary: dict[str, GlossaryTerm]
    _render_cache: dict[Any, Any] = PrivateAttr(default_factory=dict)
    """Rendered texts, kept because the curriculum never changes once loaded."""

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)


class ModuleFile(Strict):
    """module.yaml as written: the module's header, naming its lesson and workshop files."""

    id: ModuleId
    number: int = Field(ge=1, le=9)
    title: Text
    summary: Text
    month: int = Field(ge=1, le=12)
    days: int = Field(ge=1, le=10)
    objectives: list[Text] = Field(min_length=1)
    lessons: list[Slug] = Field(min_length=1)
    workshops: list[Slug] = Field(default_factory=list)
    validation: Validation


class LessonFrontMatter(Strict):
    id: str = Field(pattern=r"^m0[1-9]\.l\d{2}$")
    title: Text
    duration_minutes: int = Field(default=45, ge=5, le=480)
