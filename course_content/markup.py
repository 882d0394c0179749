"""The two inline references authors write in content text, and where they are.

`[@source-id]` cites the bibliography; `[[term-id]]` or `[[term-id|words]]` points at the
glossary. The loader checks them, the renderer turns them into links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CITATION_RE = re.compile(r"\[@([a-z0-9]+(?:-[a-z0-9]+)*)\]")
GLOSSARY_RE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)(?:\|([^\]\n]+))?\]\]")


def citations(text: str) -> Iterator[tuple[str, int]]:
    """Each cited source id with its 0-based line offset in `text`."""
    for match in CITATION_RE.finditer(text):
        yield match.group(1), text.count("\n", 0, match.start())


def glossary_refs(text: str) -> Iterator[tuple[str, int]]:
    """Each glossary term id with its 0-based line offset in `text`."""
    for match in GLOSSARY_RE.finditer(text):
        yield match.group(1), text.count("\n", 0, match.start())
