"""Lesson files: Markdown with a YAML front matter between two `---` lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course_content.yaml_lines import YamlSyntaxError, parse_yaml


@dataclass(frozen=True)
class MarkdownFile:
    front_matter: Any
    body: str
    body_line: int
    """1-based line of the file where the body starts."""


def split_front_matter(text: str) -> MarkdownFile:
    """Separate the front matter from the body; raise `YamlSyntaxError` when it is broken."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise YamlSyntaxError(1, "en-tête YAML manquant : le fichier doit commencer par « --- »")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            front = "".join(lines[1:index])
            data = parse_yaml(front, first_line=2)
            return MarkdownFile(data, "".join(lines[index + 1 :]), index + 2)
    raise YamlSyntaxError(1, "en-tête YAML non fermé : il manque la seconde ligne « --- »")
