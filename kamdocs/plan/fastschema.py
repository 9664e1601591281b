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
_SUPPORTED = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "required",
        "enum",
        "const",
        "pattern",
        "format",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "items",
        "uniqueItems",
        "minimum",
        "maximum",
        "allOf",
        "if",
        "then",
        "else",
    }
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

    def _ref(self, ref: str, resolver: Resolver) -> Check:
        resolved = resolver.lookup(ref)
        key = id(resolved.contents)
        if key not in self.refs:
            slot: list[Check] = []
            self.refs[key] = lambda v: slot[0](v)
            slot.append(self.compile(resolved.contents, resolved.resolver, resource_root="#" not in ref))
        return self.refs[key]

    def _keyword(self, keyword: str, schema: Mapping[str, Any], resolver: Resolver) -> Check | None:
        value = schema[keyword]
        if keyword == "$ref":
            return self._ref(value, resolver)
        if keyword == "type":
            names = value if isinstance(value, list) else [value]
            tests = [_TYPES[n] for n in names]
            return lambda v: any(t(v) for t in tests)
        if keyword in ("enum", "const"):
            allowed = value if keyword == "enum" else [value]
            if not all(isinstance(a, str) for a in allowed):
                raise _Unsupported(keyword)
            options = frozenset(allowed)
            return lambda v: isinstance(v, str) and v in options
        if keyword == "pattern":
            regex = re.compile(value)
            return lambda v: not isinstance(v, str) or regex.search(v) is not None
        if keyword == "format":
            checker = self.format_checker
            return lambda v: checker.conforms(v, value)
        if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
            kind = str if keyword.endswith("Length") else list
            limit = value
            if keyword.startswith("min"):
                return lambda v: not isinstance(v, kind) or len(v) >= limit
            return lambda v: not isinstance(v, kind) or len(v) <= limit
        if keyword in ("minimum", "maximum"):
            bound = value
            if keyword == "minimum":
                return lambda v: not _is_number(v) or v >= bound
            return lambda v: not _is_number(v) or v <= bound
        if keyword == "uniqueItems":
            return _unique_items if value else None
        if keyword == "items":
            item = self.compile(value, resolver)

            def items(v: Any) -> bool:
                if isinstance(v, list):
                    for element in v:
                        if not item(element):
                            return False
                return True

            return items
        if keyword == "required":
            names = tuple(value)
            return lambda v: not isinstance(v, dict) or all(n in v for n in names)
        if keyword == "properties":
            props = {name: self.compile(sub, resolver) for name, sub in value.items()}

            def properties(v: Any) -> bool:
                if isinstance(v, dict):
                    for key, item in v.items():
                        check = props.get(key)
                        if check is not None and not check(item):
                            return False
                return True

            return properties
        if keyword == "patternProperties":
            patterns = [(re.compile(p), self.compile(sub, resolver)) for p, sub in value.items()]
            return lambda v: not isinstance(v, dict) or all(c(v[k]) for k in v for r, c in patterns if r.search(k))
        if keyword == "additionalProperties":
            return self._additional(schema, value, resolver)
        if keyword == "unevaluatedProperties":
            if value is not False:
                raise _Unsupported(keyword)
            names, patterns = self._evaluated(schema, resolver)
            return lambda v: not isinstance(v, dict) or all(k in names or any(p.search(k) for p in patterns) for k in v)
        if keyword == "allOf":
            parts = [self.compile(sub, resolver) for sub in value]
            return lambda v: all(p(v) for p in parts)
        if keyword == "if":
            condition = self.compile(value, resolver)
            then = self.compile(schema.get("then", True), resolver)
            otherwise = self.compile(schema.get("else", True), resolver)
            return lambda v: then(v) if condition(v) else otherwise(v)
        if keyword in ("then", "else"):
            return None  # compiled with "if"; alone they have no effect
        raise _Unsupported(keyword)

    def _additional(self, schema: Mapping[str, Any], value: Any, resolver: Resolver) -> Check:
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
    keys = set()
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
