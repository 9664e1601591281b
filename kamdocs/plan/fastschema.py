"""A fast yes/no pre-check compiled from the same JSON Schema.

jsonschema is the authority: it produces every finding. But it spends about a
millisecond per plan even when a plan is valid, which most plans are. This
module compiles the schema once into nested closures that answer only "is
this certainly valid?". When the answer is yes, the plan has no schema
findings and jsonschema is skipped; otherwise jsonschema runs as usual.

The pre-check is built to err one way only. It may say "not sure" (False) for
a valid plan, which costs only time; it must never say "valid" for an invalid
one. So it understands a fixed set of keywords, under-approximates what
``unevaluatedProperties`` sees, and returns ``None`` (no pre-check at all)
for any schema using a keyword it does not know. The property test in
tests/test_fastschema.py holds it to that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from jsonschema import FormatChecker

if TYPE_CHECKING:
    from referencing._core import Resolver

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly"}
)


class _Unsupported(Exception):
    pass


def compile_schema(schema: Any, resolver: Resolver, format_checker: FormatChecker) -> Check | None:
    """A pre-check for ``schema``, or None when it uses anything not understood here."""
    try:
        return _Compiler(format_checker).compile(schema, resolver, resource_root=True)
    except (_Unsupported, re.error, RecursionError):
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class _Compiler:
    def __init__(self, format_checker: FormatChecker) -> None:
        self.format_checker = format_checker
        self.refs: dict[int, Check] = {}

    def compile(self, schema: Any, resolver: Resolver, resource_root: bool = False) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, Mapping):
            raise _Unsupported(schema)
        unknown = {k for k in schema if k not in _SUPPORTED and k not in _ANNOTATIONS and not k.startswith("x-")}
        if unknown:
            raise _Unsupported(unknown)
        if "$id" in schema and not resource_root:
            raise _Unsupported("an embedded $id changes the base URI")
        compiled = [self._keyword(k, schema, resolver) for k in schema if k in _SUPPORTED]
        checks = tuple(c for c in compiled if c is not None)
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]

        def check(value: Any) -> bool:
            # A loop, not all(), avoids a generator per call on the hot path.
            for c in checks:  # noqa: SIM110
                if not c(value):
                    return False
            return True

        return check

    def _ref(self, ref: str, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        resolved = resolver.lookup(ref)
        key = id(resolved.contents)
        if key not in self.refs:
            slot: list[Check] = []
            self.refs[key] = lambda v: slot[0](v)
            slot.append(self.compile(resolved.contents, resolved.resolver, resource_root="#" not in ref))
        return self.refs[key]

    def _keyword(self, keyword: str, schema: Mapping[str, Any], resolver: Resolver) -> Check | None:
        value = schema[keyword]
        leaf = _LEAVES.get(keyword)
        if leaf is not None:
            return leaf(value)
        nested = _NESTED.get(keyword)
        if nested is None:
            raise _Unsupported(keyword)
        return nested(self, value, schema, resolver)

    def _format(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        checker = self.format_checker
        return lambda v: checker.conforms(v, value)

    def _items(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        item = self.compile(value, resolver)

        def items(v: Any) -> bool:
            if isinstance(v, list):
                for element in v:
                    if not item(element):
                        return False
            return True

        return items

    def _properties(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        props = {name: self.compile(sub, resolver) for name, sub in value.items()}

        def properties(v: Any) -> bool:
            if isinstance(v, dict):
                for key, item in v.items():
                    check = props.get(key)
                    if check is not None and not check(item):
                        return False
            return True

        return properties

    def _pattern_properties(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        patterns = [(re.compile(p), self.compile(sub, resolver)) for p, sub in value.items()]
        return lambda v: not isinstance(v, dict) or all(c(v[k]) for k in v for r, c in patterns if r.search(k))

    def _unevaluated(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        if value is not False:
            raise _Unsupported("unevaluatedProperties")
        names, patterns = self._evaluated(schema, resolver)
        return lambda v: not isinstance(v, dict) or all(k in names or any(p.search(k) for p in patterns) for k in v)

    def _all_of(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        parts = [self.compile(sub, resolver) for sub in value]
        return lambda v: all(p(v) for p in parts)

    def _if(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        """``if`` with its ``then`` and ``else``, which alone have no effect."""
        condition = self.compile(value, resolver)
        then = self.compile(schema.get("then", True), resolver)
        otherwise = self.compile(schema.get("else", True), resolver)
        return lambda v: then(v) if condition(v) else otherwise(v)

    def _additional(self, value: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        names = frozenset(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extra = self.compile(value, resolver)
        return lambda v: (
            not isinstance(v, dict)
            or all(extra(v[k]) for k in v if k not in names and not any(p.search(k) for p in patterns))
        )

    def _evaluated(self, schema: Mapping[str, Any], resolver: Resolver) -> tuple[frozenset[str], list[re.Pattern[str]]]:
        """Keys that unconditionally count as evaluated at this level.

        Conditional branches (if/then/else) are left out on purpose: counting
        fewer keys as evaluated can only make the pre-check say "not sure".
        """
        names: set[str] = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        if "additionalProperties" in schema:
            raise _Unsupported("additionalProperties beside unevaluatedProperties")
        subschemas = list(schema.get("allOf", []))
        if "$ref" in schema:
            resolved = resolver.lookup(schema["$ref"])
            more_names, more_patterns = self._evaluated(resolved.contents, resolved.resolver)
            names |= more_names
            patterns += more_patterns
        for sub in subschemas:
            if isinstance(sub, Mapping):
                more_names, more_patterns = self._evaluated(sub, resolver)
                names |= more_names
                patterns += more_patterns
        return frozenset(names), patterns


def _unique_items(value: Any) -> bool:
    """JSON equality: 1 and 1.0 are the same number, true and 1 are not."""
    if not isinstance(value, list):
        return True
    keys: set[tuple[str, object]] = set()
    for item in value:
        if isinstance(item, bool):
            keys.add(("boolean", item))
        elif _is_number(item):
            keys.add(("number", item))
        elif isinstance(item, str) or item is None:
            keys.add(("scalar", item))
        else:
            return False  # lists and mappings: not sure, let jsonschema decide
    return len(keys) == len(value)


def _of_type(value: Any) -> Check:
    names = value if isinstance(value, list) else [value]
    tests = [_TYPES[n] for n in names]
    return lambda v: any(t(v) for t in tests)


def _words(allowed: list[Any], keyword: str) -> Check:
    """``enum`` and ``const`` of text only: other values would need JSON equality (1 == 1.0, not true)."""
    if not all(isinstance(a, str) for a in allowed):
        raise _Unsupported(keyword)
    options = frozenset(allowed)
    return lambda v: isinstance(v, str) and v in options


def _pattern(value: str) -> Check:
    regex = re.compile(value)
    return lambda v: not isinstance(v, str) or regex.search(v) is not None


def _min_size(kind: type[str] | type[list[Any]]) -> Callable[[int], Check]:
    """``minLength`` (of text) or ``minItems`` (of a list): other kinds of value pass."""
    return lambda limit: lambda v: not isinstance(v, kind) or len(v) >= limit


def _max_size(kind: type[str] | type[list[Any]]) -> Callable[[int], Check]:
    return lambda limit: lambda v: not isinstance(v, kind) or len(v) <= limit


def _minimum(bound: Any) -> Check:
    return lambda v: not _is_number(v) or v >= bound


def _maximum(bound: Any) -> Check:
    return lambda v: not _is_number(v) or v <= bound


def _required(value: Any) -> Check:
    names = tuple(value)
    return lambda v: not isinstance(v, dict) or all(n in v for n in names)


_LEAVES: dict[str, Callable[[Any], Check | None]] = {
    "type": _of_type,
    "enum": lambda value: _words(value, "enum"),
    "const": lambda value: _words([value], "const"),
    "pattern": _pattern,
    "minLength": _min_size(str),
    "maxLength": _max_size(str),
    "minItems": _min_size(list),
    "maxItems": _max_size(list),
    "minimum": _minimum,
    "maximum": _maximum,
    "uniqueItems": lambda value: _unique_items if value else None,
    "required": _required,
}
"""Keywords whose check depends on their own value alone."""

_NESTED: dict[str, Callable[[_Compiler, Any, Mapping[str, Any], Resolver], Check | None]] = {
    "$ref": _Compiler._ref,
    "format": _Compiler._format,
    "items": _Compiler._items,
    "properties": _Compiler._properties,
    "patternProperties": _Compiler._pattern_properties,
    "additionalProperties": _Compiler._additional,
    "unevaluatedProperties": _Compiler._unevaluated,
    "allOf": _Compiler._all_of,
    "if": _Compiler._if,
    "then": lambda compiler, value, schema, resolver: None,  # compiled with "if"
    "else": lambda compiler, value, schema, resolver: None,
}
"""Keywords that compile subschemas, resolve references or read sibling keywords."""

_SUPPORTED = frozenset(_LEAVES) | frozenset(_NESTED)
"""Every keyword the pre-check understands; a schema with any other gets no pre-check."""
