"""YAML with limits: one loader for theme files and YAML batch inputs.

PyYAML's safe loader builds no Python objects from tags, but it will still follow
an alias bomb (a few lines that stand for billions of values once something walks
them), recurse until Python's stack runs out on deep nesting, and raise bare
ValueErrors for 30 February or a 5,000-digit number. Every one of those is a
yaml.MarkedYAMLError here, with the line, so callers report it like any other
YAML mistake.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from imhcard.core.limits import YAML_MAX_DEPTH

# Digits in a YAML number: years, sizes and counts have a handful.
_INT_MAX_DIGITS = 30


class _Refused(yaml.MarkedYAMLError):
    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _Constructor(yaml.SafeLoader):
    """SafeLoader's constructors, with a line number for an impossible date or number."""

    def construct_yaml_int(self, node: ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > _INT_MAX_DIGITS:
            raise ConstructorError(None, None, f"a number with {digits} digits; the limit "
                                   f"is {_INT_MAX_DIGITS}", node.start_mark)
        return int(super().construct_yaml_int(node))

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(None, None, f"{node.value} is not a real date ({exc})",
                                   node.start_mark) from None


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


# What YAML's own words mean for someone editing a theme or a list of supporters, and
# what to do about it.
_HINTS = (
    ("mapping values are not allowed", "a colon followed by a space inside text that is not "
     "in quotes; put the whole text in quotes, like: title: \"Speak up: for babies\""),
    ("could not find expected ':'", "a line that is not 'key: value'; if the text above runs "
     "over several lines, put it in quotes"),
    ("did not find expected key", "the indentation does not line up with the lines around "
     "it; indent it like its neighbours, with spaces"),
    ("found character '\\t'", "a tab; indent with spaces instead"),
    ("found character '@'", "text starting with @ must be in quotes, like: handle: \"@aoife\""),
    ("found character '`'", "text starting with ` must be in quotes"),
    ("found character '%'", "text starting with % must be in quotes"),
    ("found undefined alias", "text starting with * must be in quotes"),
    ("while scanning a quoted scalar", "a quote that is opened and never closed; add the "
     "closing quote"),
    ("found unexpected end of stream", "a quote or bracket that is opened and never closed"),
    ("expected <block end>, but found '-'", "a list item ('- ...') indented unlike the ones "
     "before it"),
    ("found duplicate anchor", "text starting with & must be in quotes"),
)


def explain(exc: yaml.YAMLError) -> str:
    """YAML's problem in words, with what to do: 'mapping values are not allowed here'
    becomes 'a colon ... put the whole text in quotes'. The line is the caller's."""
    problem = str(getattr(exc, "problem", None) or exc).strip()
    context = str(getattr(exc, "context", None) or "")
    for words, hint in _HINTS:
        if words in problem or words in context:
            return f"{hint} (YAML says: {problem})"
    return problem


# libyaml's parser, where PyYAML was built with it, is several times faster.
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def load_yaml(text: str, max_nodes: int) -> Any:
    """The document's value, like yaml.safe_load; raises yaml.YAMLError (with a line in
    `problem_mark` where there is one) for a document past the limits."""
    try:
        root = _compose(text, max_nodes)
    except _Refused:
        raise
    except yaml.YAMLError:
        if _PARSER is not yaml.SafeLoader:
            # libyaml's messages say less ("found character that cannot start any
            # token"); PyYAML's own parser names the character. Only on this error path.
            _check_depth(text, yaml.SafeLoader)
        raise
    if root is None:
        return None
    # 3. Python values, with SafeLoader's constructors (no tags that build objects).
    constructor = _Constructor("")
    try:
        return constructor.construct_document(root)
    finally:
        constructor.dispose()


def _check_depth(text: str, loader: Any) -> None:
    """Parse events only (the parser does not recurse; the composer does), stopping at
    the first list or mapping nested past the limit."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > YAML_MAX_DEPTH:
                raise _Refused(f"lists and mappings nested more than {YAML_MAX_DEPTH} deep; "
                               "the limit keeps a broken file from exhausting the stack",
                               event.start_mark)
        elif isinstance(event, _CLOSE):
            depth -= 1


def _compose(text: str, max_nodes: int) -> Node | None:
    # 1. Depth.
    _check_depth(text, _PARSER)
    # 2. Values with aliases expanded, counted without expanding them.
    root: Node | None = yaml.compose(text, Loader=_PARSER)
    if root is None:
        return None
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise _Refused("an alias refers to the list or mapping it is in; write the values "
                           "out instead", node.start_mark)
        open_nodes.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(v) for v in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        open_nodes.discard(key)
        if total > max_nodes:
            raise _Refused(f"more than {max_nodes:,} values (an alias counts each time it is "
                           "used); is it an alias bomb?", node.start_mark)
        sizes[key] = total
        return total

    size(root)
    return root
