"""Smaller copies of the package's scripts and stylesheet: comments and indentation out.

An LMS serves a package's files as they are (Moodle's send_file sets Content-Length and
`Cache-Control: no-transform`, so nothing compresses them on the way), so every byte of
the sources reaches the learner. Only what cannot change the meaning goes: comments,
indentation, blank lines. Line breaks stay (JavaScript's automatic semicolons need them),
strings and regular expressions are copied untouched.
"""

from __future__ import annotations

import re

# After one of these (or at a line start), a `/` opens a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")


# Spaces next to punctuation separate nothing (`+` and `-` keep theirs: `a - -b`).
_SPACE_AROUND = re.compile(r"[ \t]*([{}()\[\];,=:<>!&|?*%^~])[ \t]*")
# A line ending so cannot end a statement: joining the next line to it changes nothing.
_OPEN_ENDING = tuple("{(,;[=:?&|")


def compact_js(source: str) -> str:
    """`source` without comments, indentation, blank lines or spaces around punctuation."""
    parts: list[tuple[bool, str]] = []  # (is code, text)
    code: list[str] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
            code.append(" ")
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif char in "\"'`" or (char == "/" and _regex_allowed(parts, code)):
            end = _string_end(source, i) if char != "/" else _regex_end(source, i)
            parts.append((True, "".join(code)))
            parts.append((False, source[i:end]))
            code = []
            i = end
        else:
            code.append(char)
            i += 1
    parts.append((True, "".join(code)))
    text = "".join(_squeeze(chunk) if is_code else chunk for is_code, chunk in parts)
    return text.strip() + "\n"


def _squeeze(code: str) -> str:
    """One stretch of code between strings: line breaks kept where a statement may end."""
    out = ""
    newline = False
    for index, raw in enumerate(code.split("\n")):
        newline = newline or index > 0
        line = _SPACE_AROUND.sub(r"\1", raw.strip())
        if not line:
            continue
        if newline and not out.endswith(_OPEN_ENDING):
            out += "\n"
        out += line
        newline = False
    if newline:
        out += "\n"
    return re.sub(r"[ \t]+", " ", out)


def _string_end(source: str, start: int) -> int:
    quote = source[start]
    i = start + 1
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == quote:
            return i + 1
        i += 1
    raise ValueError(f"unterminated string at offset {start}")


def _regex_allowed(parts: list[tuple[bool, str]], code: list[str]) -> bool:
    text = "".join(code[-40:]).rstrip()
    if not text and parts:
        return False  # right after a string or a regular expression: a division
    if not text:
        return True
    if text[-1] in _REGEX_AFTER:
        return True
    return bool(re.search(r"\b(return|typeof|case|in|of|delete|void)$", text))


def _regex_end(source: str, start: int) -> int:
    i, in_class = start + 1, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "\n":
            raise ValueError(f"unterminated regular expression at offset {start}")
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            i += 1
            while i < len(source) and source[i].isalpha():
                i += 1
            return i
        i += 1
    raise ValueError(f"unterminated regular expression at offset {start}")


_CSS_STRING = re.compile(r"(\"[^\"]*\"|'[^']*')")


def compact_css(source: str) -> str:
    """`source` without comments or the spaces around punctuation (strings kept as they are).

    Packages are served uncompressed by Moodle, and every SCO page loads the stylesheet:
    its bytes count against each page's 50 KB budget.
    """
    without_comments = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    parts = _CSS_STRING.split(without_comments)
    for index in range(0, len(parts), 2):  # even parts are outside strings
        code = re.sub(r"\s+", " ", parts[index])
        code = re.sub(r"\s*([{};,])\s*", r"\1", code)
        # A colon followed by a space ends a property name (a pseudo-class never is).
        code = re.sub(r":\s+", ":", code)
        parts[index] = code.replace(";}", "}")
    return "".join(parts).strip() + "\n"
