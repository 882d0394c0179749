"""The SCORM runtime a page loads: only the parts of scorm-runtime.js the page uses.

An LMS serves the package's files uncompressed, so each SCO page pays for every byte of
its script. The runtime has one source, static/scorm-runtime.js; its optional stretches
sit between `// @part NAME` and `// @end` lines. A page's script is that source with the
parts it needs (a lesson: its reading position; a quiz: questions and the final score; a
workshop: questions, scene classification, fiche, as it has them), the runtime words those
parts use, and quiz-scoring.js in front when there are questions to score (one request).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from scorm_export.compact import minify_js
from scorm_export.messages import runtime_messages

COURSE_STATIC = Path(__file__).resolve().parents[1] / "course_content" / "static"
RUNTIME_SOURCE = Path(__file__).parent / "static" / "scorm-runtime.js"
SCORING_SOURCE = COURSE_STATIC / "quiz-scoring.js"
# In this order in a script's name.
PARTS = ("questions", "scene", "quiz", "fiche", "lesson")
# Where the runtime's source takes the words of the package's language.
MESSAGES_SLOT = "/*@messages*/null"
_PART_LINE = re.compile(r"^\s*// @part (\w+)\s*$")
_END_LINE = re.compile(r"^\s*// @end\s*$")
# How the runtime names its words: T.key, or "key" (fmt("key", …), fmt(c ? "a" : "b", …)).
_WORD_USE = re.compile(r"\bT\.(\w+)|\"(\w+)\"")


def script_name(parts: frozenset[str]) -> str:
    """`scorm-questions-quiz.js`…: the file of the runtime with `parts`."""
    _check(parts)
    return "-".join(["scorm", *(p for p in PARTS if p in parts)]) + ".js"


def keep_parts(source: str, parts: frozenset[str]) -> str:
    """`source` without the `// @part` stretches (which may nest) whose name is not in
    `parts`."""
    _check(parts)
    kept: list[str] = []
    open_parts: list[str] = []  # the parts the current line is in, outermost first
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        opening = _PART_LINE.match(line)
        if opening:
            _check(frozenset([opening[1]]))
            open_parts.append(opening[1])
        elif _END_LINE.match(line):
            if not open_parts:
                raise ValueError(f"line {number}: // @end without // @part")
            open_parts.pop()
        elif all(part in parts for part in open_parts):
            kept.append(line)
    if open_parts:
        raise ValueError(f"part {open_parts[-1]} is never closed")
    return "".join(kept)


@functools.cache
def runtime_script(parts: frozenset[str], lang: str) -> str:
    """The minified script of a page needing `parts`, with its words in `lang`."""
    source = keep_parts(RUNTIME_SOURCE.read_text(encoding="utf-8"), parts)
    if MESSAGES_SLOT not in source:
        raise ValueError(f"{RUNTIME_SOURCE}: {MESSAGES_SLOT} is missing")
    named = {a or b for a, b in _WORD_USE.findall(source)}
    words = {k: v for k, v in runtime_messages(lang).items() if k in named}
    dotted = {a for a, _ in _WORD_USE.findall(source) if a}
    if missing := dotted - set(words):
        raise ValueError(f"runtime words missing from messages.py: {sorted(missing)}")
    source = source.replace(MESSAGES_SLOT, json.dumps(words, ensure_ascii=False, sort_keys=True))
    if "questions" in parts:
        source = SCORING_SOURCE.read_text(encoding="utf-8") + source
    return minify_js(source)


def _check(parts: frozenset[str]) -> None:
    if unknown := parts - set(PARTS):
        raise ValueError(f"unknown runtime parts: {sorted(unknown)}")
