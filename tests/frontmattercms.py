"""What Front Matter CMS checks a plan against: its own schema, made from a content type.

A port of ``ContentTypeSchemaGenerator`` (src/helpers/ContentTypeSchemaGenerator.ts of
github.com/estruyf/vscode-front-matter, release 10.10.0), written from that source and
not from kamdocs: for each field type, the JSON Schema the extension validates with
(Ajv, draft-07, ``strict: false`` and no ajv-formats, so ``format`` is not checked). Only
the field types kamdocs' ``frontmatter.json`` uses are ported; any other fails loudly.

The port was checked once, by hand, against the extension's own code: its
ContentTypeSchemaGenerator.ts and FrontMatterValidator.ts of 10.10.0, transpiled and run
under Node with Ajv 8 and the ``yaml`` 2 parser it reads front matter with, gave the same
verdict on every plan and broken example that tests/test_editor_files.py uses. That run
needs npm packages and the extension's source, so it is not part of the suite.
"""

from __future__ import annotations

from typing import Any

FIELD_TYPES = {"string": "string", "number": "number", "boolean": "boolean"}


def content_type_schema(config: dict[str, Any], name: str) -> dict[str, Any]:
    """``generateSchema`` for the content type ``name`` of a ``frontmatter.json``."""
    content_type = next(ct for ct in config["frontMatter.taxonomy.contentTypes"] if ct["name"] == name)
    groups = {g["id"]: g for g in config.get("frontMatter.taxonomy.fieldGroups", [])}
    schema = _object(content_type["fields"], groups)
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema}


def _object(fields: list[dict[str, Any]], groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    required = []
    for field in fields:
        schema["properties"][field["name"]] = _field(field, groups)
        if field.get("required"):
            required.append(field["name"])
    if required:
        schema["required"] = required
    return schema


def _field(field: dict[str, Any], groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    if "description" in field:
        schema["description"] = field["description"]
    if field.get("default") is not None:
        schema["default"] = field["default"]
    kind = field["type"]
    if kind in FIELD_TYPES:
        schema["type"] = FIELD_TYPES[kind]
        options = field.get("numberOptions", {}) if kind == "number" else {}
        if "min" in options:
            schema["minimum"] = options["min"]
        if "max" in options:
            schema["maximum"] = options["max"]
    elif kind == "datetime":
        schema.update(type="string", format="date-time")
    elif kind == "choice":
        values = [c if isinstance(c, str) else (c.get("id") or c["title"]) for c in field.get("choices", [])]
        if field.get("multiple"):
            schema.update(type="array", items={"type": "string", **({"enum": values} if values else {})})
        else:
            schema.update(type="string", **({"enum": values} if values else {}))
    elif kind == "list":
        schema.update(type="array", items={"type": "string"})
    elif kind == "fields":
        schema.update(_object(field.get("fields", []), groups))
    elif kind == "block":
        ids = field["fieldGroup"] if isinstance(field["fieldGroup"], list) else [field["fieldGroup"]]
        options_ = [_object(groups[i]["fields"], groups) for i in ids if i in groups]
        schema.update(type="array", items={"oneOf": options_} if options_ else {"type": "object"})
    else:
        raise AssertionError(f"field type {kind!r} is not ported from Front Matter's generator")
    return schema
