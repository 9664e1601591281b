"""Schema validation: one compiled Draft 2020-12 validator, errors made readable.

jsonschema's own messages ("'x' is not of type 'number'") name neither the
place nor the fix. Here every error becomes a :class:`Finding` with a stable
rule id, the file position of the key or value, what was expected, what was
found, and a hint such as "did you mean 'quarterly'?".
"""

from __future__ import annotations

import calendar
import json
import math
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from kamdocs.config import Config, ConfigError
from kamdocs.findings import Finding
from kamdocs.plan import schemabundle
from kamdocs.plan.fastschema import compile_schema
from kamdocs.plan.loader import SourceFile
from kamdocs.plan.safeyaml import plain_scalar
from kamdocs.plan.spellings import (
    grouped_digits,
    is_placeholder,
    meant_boolean,
    meant_date,
    meant_number,
    meant_word,
)
from kamdocs.system import package_data

BUNDLED_ID = "urn:kamdocs:plan:v1"
REPO_ID = "urn:kamdocs:repository-schema"


def bundled_schema() -> dict[str, Any]:
    """The plan schema shipped inside the package (``schema/plan.schema.json``)."""
    text = package_data.read_text(package_data.SCHEMA)
    return json.loads(text)


class PlanValidator:
    """The schema in force, compiled once and checked against its metaschema."""

    def __init__(self, config: Config) -> None:
        self.bundled = bundled_schema()
        self.schema = self.bundled
        if config.schema_path is not None:
            self.schema = _read_repo_schema(config.schema_path, config.schema or "")
        try:
            jsonschema.Draft202012Validator.check_schema(self.schema)
        except jsonschema.SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
            raise ConfigError(f"schema {config.schema}: invalid JSON Schema at {where}: {exc.message}") from None
        root_id = self.schema.get("$id") or REPO_ID
        registry: Registry = Registry().with_resources(
            [(BUNDLED_ID, Resource.from_contents(self.bundled)), (root_id, Resource.from_contents(self.schema))]
        )
        self.validator = jsonschema.Draft202012Validator(
            self.schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        try:
            resolver = registry.resolver(base_uri=root_id)
            self.top_level_keys = frozenset(_property_names(self.schema, resolver))
            self.precheck = compile_schema(self.schema, resolver, jsonschema.Draft202012Validator.FORMAT_CHECKER)
            self.validator.is_valid({})  # follows the top-level $refs once, so a bad one is a config error
        except Unresolvable as exc:
            raise ConfigError(f"schema {config.schema}: cannot resolve $ref {exc}") from None

    def self_contained(self) -> dict[str, Any]:
        """The schema in force as one document, for validators without kamdocs' registry (``kamdocs schema``)."""
        return schemabundle.self_contained(self.schema, self.bundled, BUNDLED_ID, self.schema.get("$id") or REPO_ID)

    def check(self, source: SourceFile) -> list[Finding]:
        """Schema findings for one file; one per rule and place, as a date can fail two keywords."""
        if self.precheck is not None and self.precheck(source.data):
            return []
        unique: dict[tuple[str, str, str], Finding] = {}
        for error in self.validator.iter_errors(source.data):
            for finding in self._translate(error, source):
                unique.setdefault((finding.rule, finding.path, finding.message), finding)
        return list(unique.values())

    def _translate(self, error: ValidationError, source: SourceFile) -> Iterator[Finding]:
        """The findings for one jsonschema error, in the words of its keyword's translator (``_TRANSLATORS``)."""
        failure = _Failure(error, source, self.top_level_keys)
        return _TRANSLATORS.get(failure.keyword, _other_keyword)(failure)


@dataclass(frozen=True)
class _Failure:
    """One jsonschema error, with what every keyword's translator reads from it."""

    error: ValidationError
    source: SourceFile
    top_level_keys: frozenset[str]
    """Keys the schema knows at the top level, across $ref and the combinators."""

    @property
    def path(self) -> list[str | int]:
        return list(self.error.absolute_path)

    @property
    def keyword(self) -> str:
        return str(self.error.validator)

    @property
    def instance(self) -> Any:
        return self.error.instance

    @property
    def value(self) -> Any:
        """The keyword's value in the schema: the 3 of ``minItems: 3``."""
        return self.error.validator_value

    @property
    def schema(self) -> Mapping[str, Any]:
        return self.error.schema if isinstance(self.error.schema, Mapping) else {}

    @property
    def where(self) -> str:
        return _describe(self.path)

    def at_value(self, rule: str, message: str, hint: str = "") -> Finding:
        """A finding placed on the failing value rather than on its key."""
        return self.source.finding(rule, self.path, message, hint, at_value=True)


def _required(failure: _Failure) -> Iterator[Finding]:
    instance, path = failure.instance, failure.path
    for key in failure.value:
        if isinstance(instance, dict) and key not in instance and repr(key) in failure.error.message:
            yield failure.source.finding(
                "missing-key",
                path,
                f"expected the key '{key}' {_inside(path)}, found it missing",
                _key_help(failure.error.schema, key),
            )


def _unknown_keys(failure: _Failure) -> Iterator[Finding]:
    path = failure.path
    known = (
        failure.top_level_keys
        if failure.keyword == "unevaluatedProperties" and not path
        else frozenset(failure.schema.get("properties", {}))
    )
    for key in failure.instance:
        if key in known or key.startswith("x-"):
            continue
        close = get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"known keys here: {', '.join(sorted(known))}; keys of your own must start with 'x-'"
        )
        yield failure.source.finding(
            "unknown-key", [*path, key], f"expected a known key {_inside(path)}, found '{key}'", hint
        )


def _wrong_type(failure: _Failure) -> Iterator[Finding]:
    expected, instance, source, path = failure.value, failure.instance, failure.source, failure.path
    yield failure.at_value(
        "wrong-type",
        f"expected {_type_name(expected)} for {failure.where}, found {_found(instance)}",
        _type_hint(
            expected,
            instance,
            _beside_unit(source.data, path),
            source.document.source_text(path),
            failure.schema.get("format") == "date",
        ),
    )


def _not_allowed(failure: _Failure) -> Iterator[Finding]:
    instance = failure.instance
    allowed = failure.value if failure.keyword == "enum" else [failure.value]
    words = [str(a) for a in allowed]
    meant = meant_word(instance, words) if isinstance(instance, str) else None
    close = [meant] if meant else get_close_matches(str(instance), words, n=1, cutoff=0.5)
    yield failure.at_value(
        "bad-value",
        f"expected one of {', '.join(repr(a) for a in allowed)} for {failure.where}, found {_found(instance)}",
        f"did you mean '{close[0]}'?" if close else "",
    )


def _bad_date(failure: _Failure) -> Iterator[Finding]:
    yield failure.at_value(
        "bad-date",
        f"expected a real calendar date YYYY-MM-DD for {failure.where}, found {failure.instance!r}",
        _date_hint(failure.instance),
    )


def _pattern(failure: _Failure) -> Iterator[Finding]:
    """A pattern on a date field is a date error: its hint re-expresses the date the user wrote."""
    schema, instance = failure.schema, failure.instance
    if schema.get("format") == "date":
        yield from _bad_date(failure)
        return
    expected = schema.get("x-expected", f"text matching {failure.value}")
    yield failure.at_value(
        "bad-format", f"expected {expected} for {failure.where}, found {instance!r}", _pattern_hint(schema, instance)
    )


def _format(failure: _Failure) -> Iterator[Finding]:
    if failure.value == "date":
        yield from _bad_date(failure)
        return
    yield failure.at_value(
        "bad-format",
        f"expected text in the {failure.value} format for {failure.where}, found {_found(failure.instance)}",
    )


def _too_few_items(failure: _Failure) -> Iterator[Finding]:
    yield failure.at_value(
        "too-few",
        f"expected at least {failure.value} item(s) in {failure.where}, found {len(failure.instance)}",
        _min_items_hint(failure.path),
    )


def _length(failure: _Failure) -> Iterator[Finding]:
    """An empty text is a missing value to fill in, not one a character short."""
    keyword, instance = failure.keyword, failure.instance
    if keyword == "minLength" and instance == "":
        yield failure.at_value("bad-value", f"expected text for {failure.where}, found an empty value", "fill it in")
        return
    bound = "at least" if keyword == "minLength" else "at most"
    yield failure.at_value(
        "bad-length",
        f"expected {bound} {failure.value} character(s) for {failure.where}, found {len(instance)}",
        "shorten it" if keyword == "maxLength" else "write it out in full",
    )


def _out_of_range(failure: _Failure) -> Iterator[Finding]:
    path = failure.path
    yield failure.at_value(
        "out-of-range",
        f"expected {_BOUNDS[failure.keyword]} {failure.value!r} for {failure.where}, found {_found(failure.instance)}",
        "a percentage is a number from 0 to 100" if path and path[-1] == "percent_complete" else "",
    )


def _count(failure: _Failure) -> Iterator[Finding]:
    keyword = failure.keyword
    bound = "at least" if keyword == "minProperties" else "at most"
    items = "key(s)" if keyword.endswith("Properties") else "item(s)"
    yield failure.at_value(
        "too-few" if keyword == "minProperties" else "too-many",
        f"expected {bound} {failure.value} {items} in {failure.where}, found {len(failure.instance)}",
    )


def _not_unique(failure: _Failure) -> Iterator[Finding]:
    repeated = _first_repeat(failure.instance)
    yield failure.at_value(
        "not-unique",
        f"expected each value once in {failure.where}, found {repeated!r} more than once",
        "remove the repeated value",
    )


def _dependent_required(failure: _Failure) -> Iterator[Finding]:
    instance, path = failure.instance, failure.path
    if not isinstance(instance, dict):
        yield from _other_keyword(failure)
        return
    for trigger, needed in failure.value.items():
        for key in needed if trigger in instance else ():
            if key not in instance:
                yield failure.source.finding(
                    "missing-key",
                    path,
                    f"expected the key '{key}' {_inside(path)} because '{trigger}' is set, found it missing",
                )


def _other_keyword(failure: _Failure) -> Iterator[Finding]:
    """Any keyword without words of its own: named, with jsonschema's message."""
    yield failure.at_value(
        "schema",
        f"expected {failure.where} to meet the schema's '{failure.keyword}' rule, found that {failure.error.message}",
    )


_BOUNDS = {
    "minimum": "a number of at least",
    "maximum": "a number of at most",
    "exclusiveMinimum": "a number greater than",
    "exclusiveMaximum": "a number less than",
    "multipleOf": "a multiple of",
}

_TRANSLATORS: dict[str, Callable[[_Failure], Iterator[Finding]]] = {
    "required": _required,
    "additionalProperties": _unknown_keys,
    "unevaluatedProperties": _unknown_keys,
    "type": _wrong_type,
    "enum": _not_allowed,
    "const": _not_allowed,
    "format": _format,
    "pattern": _pattern,
    "minItems": _too_few_items,
    "minLength": _length,
    "maxLength": _length,
    **dict.fromkeys(_BOUNDS, _out_of_range),
    "maxItems": _count,
    "maxProperties": _count,
    "minProperties": _count,
    "uniqueItems": _not_unique,
    "dependentRequired": _dependent_required,
}
"""What each JSON Schema keyword's failure says; a keyword missing here gets ``_other_keyword``."""


def _first_repeat(values: Any) -> Any:
    seen: list[Any] = []
    for value in values if isinstance(values, list) else ():
        if value in seen:
            return value
        seen.append(value)
    return None


MAX_SCHEMA_DEPTH = 64
"""Nesting a repository schema may have. The bundled one has 10; at a few hundred,
the JSON decoder and the metaschema check run out of recursion and crash."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is beyond the range of numbers")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether JSON data nests more than ``limit`` levels; iterative, so depth itself cannot crash it."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _read_repo_schema(path: Path, name: str) -> dict[str, Any]:
    too_deep = ConfigError(f"schema {name}: expected JSON nested at most {MAX_SCHEMA_DEPTH} levels, found more")
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the read forever
            raise ConfigError(f"schema {name}: expected a regular file, found a special file")
        schema = json.loads(
            path.read_text(encoding="utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float
        )
    except OSError as exc:
        raise ConfigError(f"schema {name}: cannot read: {exc.strerror or exc}") from None
    except RecursionError:
        raise too_deep from None
    except ValueError as exc:
        raise ConfigError(f"schema {name}: invalid JSON: {exc}") from None
    if _deeper_than(schema, MAX_SCHEMA_DEPTH):
        raise too_deep
    if not isinstance(schema, dict):
        raise ConfigError(f"schema {name}: expected a JSON object, found {type(schema).__name__}")
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    return schema


def _property_names(schema: Any, resolver: Any) -> Iterator[str]:
    """Top-level keys a schema knows, following $ref and the combinators.

    Needed because ``unevaluatedProperties`` also rejects a *known* key whose
    value is invalid; such a key gets its own finding and is not "unknown".
    """
    if not isinstance(schema, Mapping):
        return
    yield from schema.get("properties", {})
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        yield from _property_names(resolved.contents, resolved.resolver)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, []):
            yield from _property_names(sub, resolver)
    for keyword in ("if", "then", "else"):
        yield from _property_names(schema.get(keyword), resolver)


def _describe(path: list[str | int]) -> str:
    if not path:
        return "at the top level"
    parts = [f"[{p}]" if isinstance(p, int) else ("." if i else "") + p for i, p in enumerate(path)]
    return "'" + "".join(parts) + "'"


def _inside(path: list[str | int]) -> str:
    return "at the top level" if not path else f"in {_describe(path)}"


def _type_name(expected: Any) -> str:
    names = {
        "string": "text",
        "number": "a number",
        "integer": "a whole number",
        "array": "a list",
        "object": "a mapping of keys",
        "boolean": "true or false",
        "null": "nothing",
    }
    if isinstance(expected, list):
        return " or ".join(names.get(e, str(e)) for e in expected)
    return names.get(expected, str(expected))


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return "a mapping"


_NUMBERISH = re.compile(r"[-+]?[\d'’_,. ]+(k|m|M|K)?")


def _is_number(text: str) -> bool:
    """Whether ``text`` written without quotes would be read as a finite number."""
    value = plain_scalar(text) if text else None
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _type_hint(
    expected: Any, value: Any, has_unit: bool = False, written: str | None = None, is_date: bool = False
) -> str:
    """A fix for a wrong type that proposes the value the user wrote, re-expressed.

    ``has_unit`` says the value sits beside a ``unit`` key; ``written`` is the scalar as written in
    the file (``0004711`` where YAML read 4711); ``is_date`` that the field is a date.
    """
    if expected == "string":
        return _text_hint(value, written, is_date)
    if expected == "boolean":
        return _boolean_hint(value, written)
    if expected in ("number", "integer") and isinstance(value, str):
        return _number_hint(value.strip(), has_unit)
    if expected == "array" and isinstance(value, str):
        return f"write a list: [{value}]"
    return ""


def _text_hint(value: Any, written: str | None, is_date: bool) -> str:
    """Quote what was written (``0004711``, not the 4711 YAML read), or re-express a date."""
    if value is None:
        return "fill in a value, or remove the key"
    if isinstance(value, (list, dict)):
        return ""
    text = written if written is not None else str(value)
    meant = meant_date(text) if is_date else None
    if meant is not None:
        return meant.hint()
    return "quote it: " + quoted(text)


def _boolean_hint(value: Any, written: str | None) -> str:
    word = written if written is not None else str(value)
    meant = meant_boolean(word) if isinstance(value, (str, int)) else None
    if meant is None:
        return "write true or false"
    return f"write {str(meant).lower()}"


def _number_hint(text: str, has_unit: bool) -> str:
    """A fix for a number written as text, most specific first: a placeholder, grouped digits, a number
    in quotes, a percentage, a spelling people use (``1,2 Mio.``), then what cannot be read."""
    if is_placeholder(text):
        return "fill in the number; a placeholder is never summed"
    grouped = grouped_digits(text)
    if grouped is not None:
        return grouped.hint()
    if _is_number(text):
        return f"remove the quotes: write {text} so it is read as a number"
    if text.endswith("%") and (percent := meant_number(text[:-1])) is not None and not percent.unit:
        return f"remove the % sign: write {percent.text}"
    meant = meant_number(text)
    if meant is not None:
        return meant.hint()
    if _NUMBERISH.fullmatch(text):
        return "write digits only, without separators or units, like 1200000"
    if has_unit:
        return "put the unit in the 'unit' key and only the number here"
    return "write only the number here, without units or words"


def quoted(text: str) -> str:
    """``text`` as a single-quoted YAML scalar: what a user writes to keep ``0004711`` as text."""
    return "'" + text.replace("'", "''") + "'"


def _beside_unit(data: Any, path: list[str | int]) -> bool:
    """Whether the value at ``path`` sits in a mapping that has (or is meant to have) a ``unit`` key."""
    parent = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(parent, dict) and "unit" in parent and path[-1] != "unit"


def _date_hint(value: Any) -> str:
    """The date the user wrote, as YYYY-MM-DD (``31.12.2027`` → 2027-12-31), or why a YYYY-MM-DD
    text is no date, the calendar's own edges (year 0, December 9999) included."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match and is_placeholder(str(value)):
        return "fill in the date as YYYY-MM-DD"
    if not match:
        meant = meant_date(str(value))
        return meant.hint() if meant is not None else "write the date as YYYY-MM-DD"
    year, month, _ = (int(g) for g in match.groups())
    if year == 0:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}; write the date as YYYY-MM-DD"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year:04d} has {days} days"


def _pattern_hint(schema: Mapping[str, Any], value: Any) -> str:
    examples = schema.get("examples")
    if examples:
        meant = meant_word(value, examples) if isinstance(value, str) else None
        close = [meant] if meant else get_close_matches(str(value), examples, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
    if "format" in schema:
        return _date_hint(value)
    if "slug" in str(schema.get("x-expected", "")):
        slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
        return f"did you mean '{slug}'?" if slug else "use lowercase letters, digits and hyphens"
    return ""


def _min_items_hint(path: list[str | int]) -> str:
    key = path[-1] if path else ""
    return {
        "success_factors": "a one-page plan needs at least one critical success factor",
        "commitments": "a one-page plan needs at least one commitment with an owner and a due date",
        "kpis": "a full plan needs a KPI scorecard with at least one KPI",
    }.get(str(key), "")


def _key_help(schema: Any, key: str) -> str:
    prop = schema.get("properties", {}).get(key, {}) if isinstance(schema, Mapping) else {}
    return str(prop.get("description", "")) if isinstance(prop, Mapping) else ""
