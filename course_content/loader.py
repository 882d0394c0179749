"""Load the curriculum from its folder, and report every problem with its file and line.

The loader reads everything it can, collects every problem it meets (invalid YAML, a
missing field, an unknown question type, a duplicate id, a reference to nothing, a module
out of sequence) and only then fails, so an author fixes all of them in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from course_content.lesson_files import split_front_matter
from course_content.markup import citations, glossary_refs
from course_content.model import (
    QUESTION_TYPES,
    Curriculum,
    GlossaryTerm,
    Lesson,
    LessonFrontMatter,
    Module,
    ModuleFile,
    Programme,
    Project,
    Quiz,
    Source,
    Text,
    Workshop,
)
from course_content.problems import ContentError, Problem
from course_content.yaml_lines import (
    LineDict,
    LineList,
    YamlSyntaxError,
    line_of,
    parse_yaml,
    walk_strings,
)

DEFAULT_ROOT = Path(__file__).parent / "curriculum"

M = TypeVar("M", bound=BaseModel)


def load_curriculum(root: Path | None = None) -> Curriculum:
    """The curriculum at `root` (the shipped one by default); raise `ContentError` if invalid."""
    curriculum, problems = _Loader(root or DEFAULT_ROOT).load()
    if problems or curriculum is None:
        raise ContentError(problems)
    return curriculum


def check_curriculum(root: Path | None = None) -> list[Problem]:
    """Every problem in the curriculum at `root`, sorted by file and line (empty when valid)."""
    _, problems = _Loader(root or DEFAULT_ROOT).load()
    return sorted(problems)


def _describe(error: Any) -> str:
    loc = [str(part) for part in error["loc"]]
    name = loc[-1] if loc else ""
    kind = error["type"]
    if kind == "missing":
        return f"champ obligatoire manquant « {name} » / missing required field '{name}'"
    if kind == "extra_forbidden":
        return f"champ inconnu « {name} » / unknown field '{name}'"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "?")
        known = ", ".join(QUESTION_TYPES)
        return f"type de question inconnu « {tag} » (types : {known}) / unknown question type"
    if kind == "union_tag_not_found":
        return "champ « type » manquant / missing question type"
    if kind == "string_pattern_mismatch":
        return f"« {name} » mal formé : {error['input']!r} / malformed '{name}'"
    message = str(error["msg"]).removeprefix("Value error, ")
    where = ".".join(loc)
    return f"{where} : {message}" if where else message


@dataclass
class _Seen:
    """Where each id was first defined, to report duplicates."""

    places: dict[str, tuple[Path, int]] = field(default_factory=dict)

    def add(self, loader: _Loader, item_id: str, file: Path, line: int) -> None:
        if item_id in self.places:
            first_file, first_line = self.places[item_id]
            loader.problem(
                file,
                line,
                f"id « {item_id} » en double (déjà défini en {loader.rel(first_file)}:{first_line})"
                f" / duplicate id",
            )
        else:
            self.places[item_id] = (file, line)


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.ids = _Seen()
        self.source_ids = _Seen()
        self.term_ids = _Seen()
        # (file, line, id) of every reference, checked once everything is loaded.
        self.cited: list[tuple[Path, int, str]] = []
        self.terms_used: list[tuple[Path, int, str]] = []
        # Every id written, valid entry or not: an invalid entry is reported once, not again
        # at every reference to it.
        self.declared: set[str] = set()

    # --- problem reporting ---

    def rel(self, path: Path) -> Path:
        try:
            return path.relative_to(self.root.parent)
        except ValueError:
            return path

    def problem(self, file: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel(file), line, message))

    def read_yaml(self, path: Path, *, required: bool = True) -> Any:
        if not path.is_file():
            if required:
                self.problem(path, 1, "fichier manquant / missing file")
            return None
        try:
            data = parse_yaml(path.read_text(encoding="utf-8"))
        except YamlSyntaxError as error:
            self.problem(path, error.line, error.message)
            return None
        except UnicodeDecodeError:
            self.problem(path, 1, "le fichier n'est pas en UTF-8 / file is not UTF-8")
            return None
        self.collect_references(data, path)
        return data

    def validate(self, model: type[M], data: Any, path: Path) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                loc = list(item["loc"])
                if item["type"] == "union_tag_invalid":
                    loc.append("type")  # point at the wrong type, not the question's first line
                self.problem(path, line_of(data, loc), _describe(item))
            return None

    def collect_references(self, data: Any, path: Path, first_line: int = 1) -> None:
        strings = [(data, first_line)] if isinstance(data, str) else walk_strings(data)
        for text, line in strings:
            self.cited += [(path, line + off, ref) for ref, off in citations(text)]
            self.terms_used += [(path, line + off, ref) for ref, off in glossary_refs(text)]

    # --- the whole curriculum ---

    def load(self) -> tuple[Curriculum | None, list[Problem]]:
        programme_path = self.root / "curriculum.yaml"
        raw = self.read_yaml(programme_path)
        programme = self.validate(Programme, raw, programme_path) if raw is not None else None
        folders = programme.modules if programme else self._folders_on_disk()

        sources = self.load_entries(Source, "sources.yaml", folders, self.source_ids)
        glossary = self.load_entries(GlossaryTerm, "glossary.yaml", folders, self.term_ids)

        modules: list[Module] = []
        for position, folder in enumerate(folders, start=1):
            module = self.load_module(folder, position)
            if module is not None:
                modules.append(module)

        project = self.load_project(programme, folders, modules)
        self.check_references(sources, glossary)
        if self.problems or programme is None:
            return None, self.problems
        curriculum = Curriculum(
            programme=programme,
            modules=modules,
            project=project,
            sources=sources,
            glossary=glossary,
        )
        return curriculum, []

    def _folders_on_disk(self) -> list[str]:
        return sorted(p.name for p in self.root.glob("[0-9][0-9]-*") if p.is_dir())

    def load_entries(
        self, model: type[M], name: str, folders: list[str], seen: _Seen
    ) -> dict[str, M]:
        """Sources or glossary terms from the root file and each module's own file."""
        entries: dict[str, M] = {}
        paths = [self.root / name] + [self.root / folder / name for folder in folders]
        for index, path in enumerate(paths):
            data = self.read_yaml(path, required=index == 0)
            if data is None:
                continue
            if not isinstance(data, LineList):
                self.problem(path, 1, "une liste est attendue / expected a list of entries")
                continue
            for item, line in zip(data, data.item_lines, strict=True):
                if isinstance(item, LineDict) and isinstance(item.get("id"), str):
                    self.declared.add(f"{name}:{item['id']}")
                entry = self.validate(model, item, path)
                if entry is None:
                    continue
                entry_id: str = getattr(entry, "id")  # noqa: B009 - M is any model with an id
                seen.add(self, entry_id, path, line)
                entries.setdefault(entry_id, entry)
        return entries

    # --- one module ---

    def load_module(self, folder: str, position: int) -> Module | None:
        base = self.root / folder
        if not base.is_dir():
            self.problem(
                self.root / "curriculum.yaml",
                1,
                f"dossier de module introuvable « {folder} » / module folder not found",
            )
            return None
        path = base / "module.yaml"
        raw = self.read_yaml(path)
        header = self.validate(ModuleFile, raw, path) if raw is not None else None
        if header is None:
            return None
        if header.number != position:
            self.problem(
                path,
                line_of(raw, ["number"]),
                f"module n° {header.number} hors séquence : n° {position} attendu à cette place "
                f"de curriculum.yaml / module number out of sequence",
            )
        if header.id != f"m{header.number:02d}":
            self.problem(
                path,
                line_of(raw, ["id"]),
                f"le module n° {header.number} doit avoir l'id m{header.number:02d} / wrong id",
            )
        self.ids.add(self, header.id, path, line_of(raw, ["id"]))

        lessons = [
            lesson
            for index, slug in enumerate(header.lessons)
            if (lesson := self.load_lesson(base, slug, header.id, line_of(raw, ["lessons", index])))
        ]
        self.check_unlisted_lessons(base, header.lessons, path)
        # A lesson that failed to load is reported once, not again at each question naming it.
        complete = len(lessons) == len(header.lessons)
        lesson_ids = {lesson.id for lesson in lessons} if complete else None
        quiz = self.load_quiz(base / "quiz.yaml", header.id, lesson_ids)
        workshops = [
            workshop
            for index, slug in enumerate(header.workshops)
            if (
                workshop := self.load_workshop(
                    base, slug, header.id, line_of(raw, ["workshops", index])
                )
            )
        ]
        declared = {f"{header.id}.ws.{slug}" for slug in header.workshops}
        for index, needed in enumerate(header.validation.workshops_submitted):
            if needed not in declared:
                self.problem(
                    path,
                    line_of(raw, ["validation", "workshops_submitted", index]),
                    f"atelier « {needed} » absent de la liste « workshops » du module"
                    " / unknown workshop",
                )
        if quiz is None or len(lessons) != len(header.lessons):
            return None
        if len(workshops) != len(header.workshops):
            return None
        return Module(
            folder=folder,
            lessons=lessons,
            quiz=quiz,
            workshops=workshops,
            **header.model_dump(exclude={"lessons", "workshops"}),
        )

    def check_unlisted_lessons(self, base: Path, listed: list[str], module_path: Path) -> None:
        for path in sorted((base / "lessons").glob("*.md")):
            slug = path.name.removesuffix(".en.md").removesuffix(".md")
            if slug not in listed:
                self.problem(
                    path,
                    1,
                    "leçon absente de la liste « lessons » de module.yaml / unlisted lesson",
                )

    def check_prefix(self, item_id: str, prefix: str, path: Path, line: int) -> None:
        if not item_id.startswith(prefix):
            self.problem(
                path, line, f"l'id « {item_id} » doit commencer par « {prefix} » / wrong id prefix"
            )

    def load_lesson(self, base: Path, slug: str, module_id: str, listed_at: int) -> Lesson | None:
        path = base / "lessons" / f"{slug}.md"
        if not path.is_file():
            self.problem(
                base / "module.yaml",
                listed_at,
                f"leçon introuvable : lessons/{slug}.md / lesson file not found",
            )
            return None
        parsed = self.read_markdown(path)
        if parsed is None:
            return None
        front, body, body_line = parsed
        english = base / "lessons" / f"{slug}.en.md"
        body_en = None
        if english.is_file():
            parsed_en = self.read_markdown(english)
            if parsed_en is not None:
                front_en, body_en, _ = parsed_en
                if front_en.id != front.id:
                    self.problem(
                        english,
                        2,
                        f"l'id « {front_en.id} » diffère de la version française « {front.id} »"
                        " / English lesson id differs",
                    )
        self.check_prefix(front.id, module_id + ".", path, 2)
        self.ids.add(self, front.id, path, 2)
        return Lesson(
            id=front.id,
            title=front.title,
            duration_minutes=front.duration_minutes,
            body=Text(fr=body, en=body_en),
            file=str(self.rel(path)),
            body_line=body_line,
        )

    def read_markdown(self, path: Path) -> tuple[LessonFrontMatter, str, int] | None:
        try:
            parsed = split_front_matter(path.read_text(encoding="utf-8"))
        except YamlSyntaxError as error:
            self.problem(path, error.line, error.message)
            return None
        except UnicodeDecodeError:
            self.problem(path, 1, "le fichier n'est pas en UTF-8 / file is not UTF-8")
            return None
        self.collect_references(parsed.front_matter, path)
        self.collect_references(parsed.body, path, parsed.body_line)
        front = self.validate(LessonFrontMatter, parsed.front_matter, path)
        if front is None:
            return None
        if not parsed.body.strip():
            self.problem(path, parsed.body_line, "leçon vide / empty lesson")
        return front, parsed.body, parsed.body_line

    def load_quiz(self, path: Path, module_id: str, lesson_ids: set[str] | None) -> Quiz | None:
        raw = self.read_yaml(path)
        if raw is None:
            return None
        quiz = self.validate(Quiz, raw, path)
        for index, question in enumerate(quiz.questions if quiz else []):
            line = line_of(raw, ["questions", index])
            if question.lesson is None:
                self.problem(
                    path,
                    line,
                    f"« {question.id} » : champ « lesson » manquant (la leçon qui justifie la "
                    "réponse) / missing the lesson that justifies the answer",
                )
            elif lesson_ids is not None and question.lesson not in lesson_ids:
                self.problem(
                    path,
                    line_of(raw, ["questions", index, "lesson"]),
                    f"leçon « {question.lesson} » absente de ce module / unknown lesson",
                )
        self.register_questions(raw, path, module_id + ".q", "questions")
        if quiz is not None:
            self.check_prefix(quiz.id, module_id + ".", path, line_of(raw, ["id"]))
            self.ids.add(self, quiz.id, path, line_of(raw, ["id"]))
        return quiz

    def register_questions(self, raw: Any, path: Path, prefix: str, key: str) -> None:
        """Register question ids straight from the YAML, so duplicates show even if invalid."""
        questions = raw.get(key) if isinstance(raw, LineDict) else None
        if not isinstance(questions, LineList):
            return
        for index, question in enumerate(questions):
            if isinstance(question, LineDict) and isinstance(question.get("id"), str):
                line = line_of(raw, [key, index, "id"])
                self.check_prefix(question["id"], prefix, path, line)
                self.ids.add(self, question["id"], path, line)
                if isinstance(question.get("source"), str):
                    self.cited.append(
                        (path, line_of(raw, [key, index, "source"]), question["source"])
                    )

    def register_scene_sources(self, raw: Any, path: Path) -> None:
        """Check the sources of a scene's practices like those of questions."""
        scene = raw.get("scene") if isinstance(raw, LineDict) else None
        practices = scene.get("practices") if isinstance(scene, LineDict) else None
        if not isinstance(practices, LineList):
            return
        for index, practice in enumerate(practices):
            if isinstance(practice, LineDict) and isinstance(practice.get("source"), str):
                line = line_of(raw, ["scene", "practices", index, "source"])
                self.cited.append((path, line, practice["source"]))

    def load_workshop(
        self, base: Path, slug: str, module_id: str, listed_at: int
    ) -> Workshop | None:
        path = base / "workshops" / f"{slug}.yaml"
        if not path.is_file():
            self.problem(
                base / "module.yaml",
                listed_at,
                f"atelier introuvable : workshops/{slug}.yaml / workshop file not found",
            )
            return None
        raw = self.read_yaml(path)
        if raw is None:
            return None
        expected_id = f"{module_id}.ws.{slug}"
        self.register_questions(raw, path, expected_id + ".", "items")
        self.register_scene_sources(raw, path)
        workshop = self.validate(Workshop, raw, path)
        if workshop is None:
            return None
        line = line_of(raw, ["id"])
        if workshop.id != expected_id:
            self.problem(
                path, line, f"l'id doit être « {expected_id} » (nom du fichier) / wrong workshop id"
            )
        self.ids.add(self, workshop.id, path, line)
        return workshop

    # --- project and references ---

    def load_project(
        self, programme: Programme | None, folders: list[str], modules: list[Module]
    ) -> Project | None:
        path = self.root / "projet" / "projet.yaml"
        needed = programme is not None and programme.certificate.requires_project
        raw = self.read_yaml(path, required=needed)
        if raw is None:
            return None
        project = self.validate(Project, raw, path)
        if project is None:
            return None
        # Modules are numbered from their place in curriculum.yaml, loaded or not.
        module_ids = {f"m{n:02d}" for n in range(1, len(folders) + 1)}
        for index, milestone in enumerate(project.milestones):
            line = line_of(raw, ["milestones", index])
            self.ids.add(self, milestone.id, path, line)
            if milestone.module not in module_ids:
                self.problem(path, line, f"module « {milestone.module} » inconnu / unknown module")
        for index, criterion in enumerate(project.rubric):
            self.ids.add(self, criterion.id, path, line_of(raw, ["rubric", index]))
        milestone_ids = {m.id for m in project.milestones}
        for module in modules:
            for workshop in module.workshops:
                if workshop.project_milestone and workshop.project_milestone not in milestone_ids:
                    self.problem(
                        self.root
                        / module.folder
                        / "workshops"
                        / f"{workshop.id.split('.')[-1]}.yaml",
                        1,
                        f"jalon de projet « {workshop.project_milestone} » inconnu "
                        "/ unknown project milestone",
                    )
        return project

    def check_references(
        self, sources: dict[str, Source], glossary: dict[str, GlossaryTerm]
    ) -> None:
        for path, line, ref in self.cited:
            if ref not in sources and f"sources.yaml:{ref}" not in self.declared:
                self.problem(
                    path, line, f"source « {ref} » absente de la bibliographie / unknown source"
                )
        for path, line, ref in self.terms_used:
            if ref not in glossary and f"glossary.yaml:{ref}" not in self.declared:
                self.problem(
                    path, line, f"terme « {ref} » absent du glossaire / unknown glossary term"
                )
        cited = {ref for _, _, ref in self.cited} | {t.source for t in glossary.values()}
        for source_id, (path, line) in self.source_ids.places.items():
            if source_id not in cited:
                self.problem(path, line, f"source « {source_id} » jamais citée / never cited")
        for term in glossary.values():
            if term.source and f"sources.yaml:{term.source}" not in self.declared:
                where = self.term_ids.places[term.id]
                self.problem(
                    where[0], where[1], f"source « {term.source} » absente de la bibliographie"
                )
