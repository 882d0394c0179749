"""Smaller copies of the package's scripts and stylesheet.

An LMS serves a package's files as they are (Moodle's send_file sets Content-Length and
`Cache-Control: no-transform`, so nothing compresses them on the way), so every byte of
the sources reaches the learner. Scripts go through calmjs.parse, a real ECMAScript 5
parser: comments and spaces out, and the local names shortened (names the page or the
LMS can see, globals and properties, are kept). The stylesheet only loses its comments
and spaces.
"""

from __future__ import annotations

import re

from calmjs.parse import es5
from calmjs.parse.exceptions import ECMASyntaxError
from calmjs.parse.unparsers.es5 import minify_print


def minify_js(source: str) -> str:
    """`source` minified, with its local names shortened; ValueError if it is not ES5."""
    try:
        program = es5(source)
    except ECMASyntaxError as error:
        raise ValueError(f"the runtime is not valid ECMAScript 5: {error}") from error
    return minify_print(program, obfuscate=True, obfuscate_globals=False) + "\n"


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
