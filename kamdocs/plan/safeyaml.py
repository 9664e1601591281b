"""A hardened YAML reader for front matter: libyaml speed, YAML 1.2 scalars.

Why not ``yaml.safe_load``:

* It follows YAML 1.1, so ``NO`` becomes ``False`` (the Norway problem) and
  ``2026-02-30`` becomes a crash inside ``datetime``. Here only ``true`` and
  ``false`` are booleans, and dates stay strings for the schema to judge.
* It accepts anchors and aliases, which enable "billion laughs" documents.
  Here the first anchor or alias is refused before anything is built.
* It silently keeps the last of two duplicate keys. Here that is an error
  naming both lines.
* Its C composer recurses without a limit and crashes the interpreter on
  deeply nested input, and libyaml's own nesting limit (from PyYAML 6.0.4 on)
  answers a long bracket run with a syntax error. Here depth is bounded before
  composing, by a scan of the text that does not depend on the libyaml release.

The composer is libyaml's (``CParser``) with a resolver that only marks plain
scalars; the conversion to Python values is ours, so every value keeps the
node that says where it came from.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml._yaml import CParser  # libyaml's parser; yaml.cyaml imports it from here without exporting it
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from kamdocs.plan.linemap import LineMap

MAX_DEPTH = 64
"""No plan nests deeper than about 8 levels; 64 leaves room for extensions."""

_SAFE_TO_COMPOSE = 2000
"""Depth libyaml's recursive composer survives comfortably on any thread."""

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
PLAIN = "tag:kamdocs:plain"

_CONSTANTS: dict[str, Any] = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "null": None,
    "Null": None,
    "NULL": None,
    "~": None,
    "": None,
}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = {
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}


_TOO_LONG = object()
"""What :func:`plain_scalar` gives for a whole number too long to convert."""


class YamlProblem(Exception):
    """A problem at a 0-based position inside the YAML text."""

    def __init__(self, rule: str, line: int, column: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint


class _Loader(CParser, BaseResolver):
    """libyaml's parser and composer with a resolver that decides nothing.

    Plain scalars are tagged ``PLAIN`` and resolved by :func:`plain_scalar`
    under YAML 1.2 core rules; quoted ones are strings.
    """

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return PLAIN if implicit[0] else STR
        return SEQ if kind is SequenceNode else MAP


def plain_scalar(text: str) -> Any:
    """Resolve a plain scalar by the YAML 1.2 core schema."""
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.fullmatch(text):
            try:
                return int(text)
            except ValueError:  # longer than Python converts (sys.get_int_max_str_digits)
                return _TOO_LONG
        if text.startswith("0o") and text[2:].isdigit():
            return int(text[2:], 8)
        if text.startswith("0x"):
            try:
                return int(text[2:], 16)
            except ValueError:
                return text
        if _FLOAT.fullmatch(text):
            return float(text)
        if text in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[text]
    return text


@dataclass(frozen=True)
class YamlDocument:
    """Plain Python data plus the node tree, so any path can be located later."""

    data: Any
    root: Node | None

    def locate(self, path: Sequence[str | int]) -> tuple[int, int]:
        """0-based (line, column) of the deepest node on ``path`` that exists.

        A mapping entry is located at its key, which is where an editor's
        cursor should go to fix it.
        """
        node = self.root
        if node is None:
            return (0, 0)
        mark = node.start_mark
        for part in path:
            found: Node | None = None
            if isinstance(node, MappingNode):
                for key, value in node.value:
                    if isinstance(key, ScalarNode) and key.value == part:
                        mark, found = key.start_mark, value
                        break
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
                found = node.value[part]
                mark = found.start_mark
            if found is None:
                break
            node = found
        return (mark.line, mark.column)

    def key_lines(self, wanted: frozenset[str], offset: int = 0, max_entries: int = 2000) -> LineMap:
        """Line (0-based, plus ``offset``) of every list item, and of every mapping key named in ``wanted``,
        by JSON path (``$.commitments[0].owner``; the wanted keys are plain names, so no quoting is needed).

        One walk over the node tree, building each path from its parent's, so that the plan model can
        keep the lines the quality score points at without keeping the tree. Capped, because a plan is
        small and a hostile one must not make the model large.
        """
        out: dict[str, int] = {}
        stack: list[tuple[str, Node]] = [("$", self.root)] if self.root is not None else []
        while stack and len(out) < max_entries:
            path, node = stack.pop()
            if isinstance(node, MappingNode):
                for key, value in node.value:
                    if isinstance(key, ScalarNode) and key.value in wanted:
                        here = f"{path}.{key.value}"
                        out[here] = key.start_mark.line + offset
                        if not isinstance(value, ScalarNode):
                            stack.append((here, value))
            elif isinstance(node, SequenceNode):
                for index, item in enumerate(node.value):
                    here = f"{path}[{index}]"
                    out[here] = item.start_mark.line + offset
                    if not isinstance(item, ScalarNode):
                        stack.append((here, item))
        return LineMap(out)

    def value_position(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """0-based (line, column) of the value at ``path`` itself, if it exists."""
        node = self.node_at(path)
        return None if node is None else (node.start_mark.line, node.start_mark.column)

    def source_text(self, path: Sequence[str | int]) -> str | None:
        """The scalar at ``path`` as written, without its quotes: ``0004711`` where the data holds 4711,
        ``850.000`` where it holds 850.0. A hint proposes what the user wrote, so it needs this text."""
        node = self.node_at(path)
        return node.value if isinstance(node, ScalarNode) else None

    def node_at(self, path: Sequence[str | int]) -> Node | None:
        """The node of the value at ``path``, if it exists."""
        node = self.root
        for part in path:
            if isinstance(node, MappingNode):
                node = next(
                    (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part),
                    None,
                )
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                node = None
            if node is None:
                return None
        return node


def parse(text: str, line_offset: int = 0) -> YamlDocument:
    """Compose and convert ``text``; raise :class:`YamlProblem` on anything refused.

    ``line_offset`` is only used to name file lines inside messages (such as
    the two lines of a duplicate key); positions on the exception stay 0-based
    within ``text``.
    """
    cut = _flow_overflow(text)
    if cut is not None:
        _screen_prefix(text[: cut + 1])
    if "&" in text or "*" in text or _depth_bound(text) > _SAFE_TO_COMPOSE:
        _screen_events(text)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # yaml.compose's body: its typing names only PyYAML's own loaders
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except yaml.YAMLError as exc:  # errors without a mark, e.g. a bad character
        raise YamlProblem("yaml-syntax", 0, 0, f"expected valid YAML, found {exc}") from None
    finally:
        loader.dispose()
    if root is None:
        return YamlDocument(None, None)
    return YamlDocument(_convert(root, 0, line_offset), root)


def _depth_bound(text: str) -> int:
    """An upper bound on nesting depth that costs next to nothing.

    Every block level needs one more column of indentation or an indicator on
    the same line, so the longest line bounds block depth; flow collections
    add at most one level per bracket.
    """
    longest = max(map(len, text.split("\n")), default=0)
    return longest + text.count("[") + text.count("{") + 1


_FLOW_MARK = re.compile(r"""[][{}"'#]""")
_DOUBLE_QUOTED_END = re.compile(r'(?:[^"\\]|\\.)*"', re.S)
_SINGLE_QUOTED_END = re.compile(r"(?:[^']|'')*'")
_KEY_OR_COMMENT = re.compile(r":(?=[ \t]|$)|[ \t]#")
_INDICATOR = re.compile(r"[-?](?:[ \t]+|$)")
_PROPERTY = re.compile(r"[!&][^ \t]*[ \t]+")
_SPACES = re.compile(r"[ \t]*")


def _after_spaces(line: str, column: int = 0) -> int:
    """The column past the spaces and tabs at ``column`` of ``line``."""
    match = _SPACES.match(line, column)
    assert match is not None  # the pattern matches anywhere, if only the empty string
    return match.end()


def _flow_overflow(text: str) -> int | None:
    """Index of the first ``[`` or ``{`` nested more than ``MAX_DEPTH`` flow levels deep.

    libyaml's scanner runs ahead over a run of flow openers (each could start a
    key), and from PyYAML 6.0.4 on it stops at its own limit of 1000 levels with
    a syntax error before one event reaches :func:`_screen_events`. This scan
    finds such a run first, in plain Python, skipping quoted scalars, comments,
    block scalars and brackets inside plain text, so the rule and position never
    depend on the libyaml release. Where it is unsure it over-counts, which costs
    only a needless :func:`_screen_prefix`, the step that finds the exact position.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    scan = _LineScan(text)
    number = 0
    while number < len(scan.lines):
        number = scan.line(number)
    return scan.cut


class _LineScan:
    """:func:`_flow_overflow`'s walk over the lines of a text, one node at a time.

    A line's node may be a flow collection or a quoted scalar that runs on over
    later lines, so the walk jumps to where it ends. It stops at the end of the
    text, or early, with ``cut`` set, at a run of flow openers too deep.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.cut: int | None = None
        """The answer: where the too-deep run is; None while none is found (or the walk cannot go on)."""

    def _stop(self, cut: int | None) -> int:
        """End the walk with ``cut`` as its answer: the line number past the last."""
        self.cut = cut
        return len(self.lines)

    def line(self, number: int) -> int:
        """Scan line ``number`` (and the lines a node on it runs over); the next line to scan."""
        line = self.lines[number]
        column = _after_spaces(line)
        parent = column
        while indicator := _INDICATOR.match(line, column):
            parent, column = column, indicator.end()
        while True:  # one node on this line: a value, or a key and then its value
            node = column = prop.end() if (prop := _PROPERTY.match(line, column)) else column
            first = line[column : column + 1]
            if first in ("[", "{", '"', "'"):
                deep, end = self._node_end(first, self.starts[number] + column)
                if deep or end < 0:
                    return self._stop(end if deep else None)
                number = bisect.bisect_right(self.starts, end) - 1
                line, column = self.lines[number], end - self.starts[number]
                column = _after_spaces(line, column)
                if line[column : column + 1] in ("[", "{", '"', "'", "#"):
                    continue  # libyaml's scanner starts a token (or a comment) here too
            elif first == "#":  # a comment line, or one right after a closed node (libyaml allows that)
                return number + 1
            elif first in ("|", ">"):
                return self._after_block_scalar(number + 1, parent)
            key = _KEY_OR_COMMENT.search(line, column)
            if key is None or line[key.start()] != ":":
                return number + 1
            parent, column = node, _after_spaces(line, key.end())
            if column >= len(line):
                return number + 1

    def _node_end(self, first: str, offset: int) -> tuple[bool, int]:
        """Whether the flow collection at ``offset`` nests too deep (then: where), or where the
        collection or quoted scalar there ends; -1 when it never does."""
        if first in ("[", "{"):
            return _flow_scan(self.text, offset)
        pattern = _DOUBLE_QUOTED_END if first == '"' else _SINGLE_QUOTED_END
        match = pattern.match(self.text, offset + 1)
        return False, -1 if match is None else match.end()

    def _after_block_scalar(self, number: int, parent: int) -> int:
        """The first line past a block scalar's text: blank lines and lines indented past ``parent``."""
        lines = self.lines
        while number < len(lines) and (not lines[number].strip() or _after_spaces(lines[number]) > parent):
            number += 1
        return number


def _flow_scan(text: str, start: int) -> tuple[bool, int]:
    """Follow the flow collection opened at ``start``.

    Returns ``(True, index)`` of the first opener deeper than ``MAX_DEPTH``,
    ``(False, index)`` just past the collection's closing bracket, or
    ``(False, -1)`` when it or a quote in it is never closed (libyaml says so).
    """
    depth = 1
    at = start + 1
    while mark := _FLOW_MARK.search(text, at):
        at = mark.end()
        char = mark.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return (True, mark.start())
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return (False, at)
        elif char == "#":
            if text[mark.start() - 1 : mark.start()] in (" ", "\t", "\n"):
                newline = text.find("\n", at)
                at = len(text) if newline < 0 else newline
        elif _before(text, mark.start()) in ("[", "{", ",", ":"):
            match = (_DOUBLE_QUOTED_END if char == '"' else _SINGLE_QUOTED_END).match(text, at)
            if match is None:
                return (False, -1)
            at = match.end()
    return (False, -1)


def _before(text: str, index: int) -> str:
    """The last character before ``index`` that is not white space ("" at the start)."""
    index -= 1
    while index >= 0 and text[index] in " \t\r\n":
        index -= 1
    return text[index] if index >= 0 else ""


def _screen_prefix(prefix: str) -> None:
    """Refuse the nesting that :func:`_flow_overflow` found; ``prefix`` ends at its deep opener.

    libyaml's events for the prefix give the exact position where the limit is
    crossed, block levels included. The cut itself leaves a flow collection open,
    which libyaml reports at the end of the prefix: that error stands for the deep
    opener. A prefix that parses cleanly means the scan over-counted (brackets in
    a multi-line plain scalar), and the full parse judges.
    """
    end = (prefix.count("\n") + 1, 0)
    try:
        _screen_events(prefix)
    except YamlProblem as problem:
        if problem.rule != "yaml-syntax" or (problem.line, problem.column) < end:
            raise
        line_start = prefix.rfind("\n") + 1
        raise _too_deep(end[0] - 1, len(prefix) - 1 - line_start) from None


def _screen_events(text: str) -> None:
    """Refuse anchors, aliases and excessive depth from the event stream alone.

    Events are produced without building anything, so an alias bomb or a
    million nested brackets is rejected after reading only what it needs.
    """
    depth = 0
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            assert event is not None  # check_event said one is there
            if isinstance(event, yaml.AliasEvent):
                line, column = _start(event)
                raise YamlProblem(
                    "yaml-anchor",
                    line,
                    column,
                    f"expected plain values, found the alias '*{event.anchor}'",
                    "anchors and aliases are not allowed in plans; write the value out in full",
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                line, column = _start(event)
                raise YamlProblem(
                    "yaml-anchor",
                    line,
                    column,
                    f"expected plain values, found the anchor '&{anchor}'",
                    "anchors and aliases are not allowed in plans; write the value out in full",
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(*_start(event))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml-syntax", 0, 0, f"expected valid YAML, found {exc}") from None
    finally:
        loader.dispose()


def _too_deep(line: int, column: int) -> YamlProblem:
    return YamlProblem(
        "yaml-too-deep",
        line,
        column,
        f"expected at most {MAX_DEPTH} levels of nesting, found more",
        "a plan never needs this; check for a runaway list or bracket",
    )


def _start(event: yaml.Event) -> tuple[int, int]:
    """The 0-based line and column where ``event`` starts: libyaml's parser marks every event."""
    mark = event.start_mark
    assert mark is not None  # only events made by hand lack a mark
    return mark.line, mark.column


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    tab = _tab_indent_before(text, line)
    if tab is not None:
        return YamlProblem(
            "yaml-tab",
            tab[0],
            tab[1],
            "expected spaces for indentation, found a tab",
            "YAML allows only spaces for indentation; replace the tab with spaces",
        )
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    message = f"expected valid YAML, found a syntax error: {problem}" + (f" ({context})" if context else "")
    if "exceeded maximum nesting depth" in problem:  # libyaml's own limit; the scans above come first
        return _too_deep(line, column)
    hint = ""
    if "mapping values are not allowed" in problem:
        message = "expected one value after the key, found a second ': ' that would start a mapping"
        hint = "quote the value: key: 'text: with a colon'"
    elif "found character '`'" in problem or "found character '@'" in problem:
        hint = "a value cannot start with ` or @; quote it"
    elif "expected <block end>" in problem or "could not find expected ':'" in problem:
        hint = "check the indentation of this line and the one before it, or quote the value"
    elif "found undefined tag handle" in problem or "found unknown escape" in problem:
        hint = "quote the value with single quotes"
    return YamlProblem("yaml-syntax", line, column, message, hint)


def _tab_indent_before(text: str, line: int) -> tuple[int, int] | None:
    """The first tab used as indentation at or before ``line``, if any."""
    if "\t" not in text:
        return None
    for number, content in enumerate(text.split("\n")[: line + 1]):
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            return (number, indent.index("\t"))
    return None


def _convert(node: Node, depth: int, line_offset: int) -> Any:
    if depth >= MAX_DEPTH:
        raise _too_deep(node.start_mark.line, node.start_mark.column)
    tag = node.tag
    if isinstance(node, ScalarNode):
        if tag == PLAIN:
            return _finite(plain_scalar(node.value), node)
        if tag == STR:
            return node.value
    elif isinstance(node, SequenceNode):
        if tag == SEQ:
            return [_convert(item, depth + 1, line_offset) for item in node.value]
    elif isinstance(node, MappingNode) and tag == MAP:
        return _convert_mapping(node, depth, line_offset)
    raise YamlProblem(
        "yaml-tag",
        node.start_mark.line,
        node.start_mark.column,
        f"expected a plain value, found the explicit tag '{tag}'",
        "remove the tag; for text, quote the value instead",
    )


_FLOAT_MAX = float.fromhex("0x1.fffffffffffffp+1023")


def _finite(value: Any, node: Node) -> Any:
    """Refuse numbers no JSON, CSV, chart or sum can carry.

    ``.nan`` and ``.inf`` are valid YAML but not numbers anyone meant: they
    become ``NaN`` in JSON exports, which strict parsers reject. Literals such
    as ``1e309`` overflow to infinity, and finite numbers near the ends of the
    float range overflow the moment a roll-up adds them up or divides one by
    another, so all are refused where written.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if value is _TOO_LONG:
            raise _not_finite(node, "a whole number too long to read")
        return value
    if isinstance(value, float) and not math.isfinite(value):
        found = "not a number" if math.isnan(value) else "infinity"
        if node.value not in _SPECIAL_FLOAT:
            found = f"a number beyond the range of numbers, which reads as {found}"
        raise _not_finite(node, found)
    if isinstance(value, int) and abs(value) > _FLOAT_MAX:
        raise _not_finite(node, "a whole number beyond the range of numbers")
    if abs(value) > MAX_MAGNITUDE or (value and abs(value) < MIN_MAGNITUDE):
        raise YamlProblem(
            "out-of-range",
            node.start_mark.line,
            node.start_mark.column,
            f"expected a number from {MIN_MAGNITUDE:g} to {MAX_MAGNITUDE:g} in size (or 0), found {_shown(node)}",
            "no plan figure is this large or this small; if it is text such as an id, quote it: "
            + "'"
            + node.value.replace("'", "''")
            + "'",
        )
    return value


MAX_MAGNITUDE = 1e15
"""Largest size of any number in a plan: sums over every plan still fit a float with room to spare."""
MIN_MAGNITUDE = 1e-12
"""Smallest non-zero size: a ratio of two plan figures (attainment, progress) stays finite."""


def _shown(node: Node) -> str:
    return repr(node.value if len(node.value) <= 40 else node.value[:37] + "...")


def _not_finite(node: Node, found: str) -> YamlProblem:
    return YamlProblem(
        "yaml-not-finite",
        node.start_mark.line,
        node.start_mark.column,
        f"expected a finite number, found {_shown(node)}: {found}",
        "write an ordinary number; for text, quote the value",
    )


def _convert_mapping(node: MappingNode, depth: int, line_offset: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    seen: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = _key(key_node)
        if key in seen:
            first = seen[key].start_mark.line + 1 + line_offset
            second = key_node.start_mark.line + 1 + line_offset
            raise YamlProblem(
                "yaml-duplicate-key",
                key_node.start_mark.line,
                key_node.start_mark.column,
                f"expected each key once, found '{key}' twice: on line {first} and line {second}",
                "remove one of them; YAML would silently keep only the last",
            )
        seen[key] = key_node
        out[key] = _convert(value_node, depth + 1, line_offset)
    return out


def _key(node: Node) -> str:
    mark = node.start_mark
    if isinstance(node, ScalarNode) and node.tag in (PLAIN, STR):
        value = plain_scalar(node.value) if node.tag == PLAIN else node.value
        if isinstance(value, str):
            return value
        found = f"{type(value).__name__} {node.value!r}" if node.value else "an empty key"
        raise YamlProblem(
            "yaml-key-type",
            mark.line,
            mark.column,
            f"expected a text key, found {found}",
            f"quote it: '{node.value}':" if node.value else "give the key a name",
        )
    kind = (
        "a list"
        if isinstance(node, SequenceNode)
        else "a mapping"
        if isinstance(node, MappingNode)
        else f"a value tagged '{node.tag}'"
    )
    raise YamlProblem("yaml-key-type", mark.line, mark.column, f"expected a text key, found {kind}")
