"""YAML loading that remembers where every mapping, key and list item came from.

The loader reports problems as `file:line`, so the parsed data must carry its lines:
mappings become `LineDict`, sequences `LineList`, both plain containers with line numbers
attached. `line_of(data, path)` finds the closest line for a validation error's path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import yaml


class LineDict(dict[Any, Any]):
    """A mapping with the line where it starts and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence with the line where it starts and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in data:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"clé « {key} » en double / duplicate key",
                key_node.start_mark,
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)
# Dates stay strings: content ids and years are written by people, not parsed as timestamps.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    """Invalid YAML, with the 1-based line where the parser stopped."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text; `first_line` shifts line numbers (front matter inside Markdown)."""
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1) if mark else 1
        problem = error.problem or str(error)
        raise YamlSyntaxError(line + first_line - 1, f"YAML invalide : {problem}") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(first_line, f"YAML invalide : {error}") from None
    finally:
        loader.dispose()
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift_lines(value, offset)


def line_of(data: Any, path: Sequence[int | str]) -> int:
    """The line of the deepest element of `path` found in `data` (pydantic error locations).

    Path parts that are not in the data (a union's tag, a validator's name) are skipped.
    """
    line = getattr(data, "line", 1) or 1
    current = data
    for part in path:
        if isinstance(current, LineDict) and part in current:
            line = current.key_lines.get(part, line)
            current = current[part]
        elif isinstance(current, LineList) and isinstance(part, int) and 0 <= part < len(current):
            line = current.item_lines[part]
            current = current[part]
        else:
            continue
        line = getattr(current, "line", line) if isinstance(current, LineDict) else line
    return line


def walk_strings(data: Any, line: int = 1) -> Iterator[tuple[str, int]]:
    """Every string in `data` with the line it was written on."""
    if isinstance(data, str):
        yield data, line
    elif isinstance(data, LineDict):
        for key, value in data.items():
            yield from walk_strings(value, data.key_lines.get(key, data.line))
    elif isinstance(data, LineList):
        for item, item_line in zip(data, data.item_lines, strict=True):
            yield from walk_strings(item, item_line)
