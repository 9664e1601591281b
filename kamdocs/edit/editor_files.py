"""What an editor needs to complete and check plans as they are typed, made from the plan schema.

The editor is Front Matter CMS for VS Code (``eliostruyf.vscode-front-matter``): YAML
language servers do not read front matter in Markdown files, and Front Matter does. It
reads ``frontmatter.json`` at the workspace root. Its content types list fields (text,
choice, datetime, number, nested ``fields``, ``block`` lists of field groups); from version
10.10 it turns the content type of the open file into a JSON Schema and marks what breaks
it, as the file is typed. It cannot be pointed at a JSON Schema of one's own, so the
fields are made here from the schema in force, never written by hand, and cannot drift.

What that editor checks is a part of what ``kamdocs check`` checks: types, required keys,
choices and number bounds; not patterns (ids, dates), unknown keys, the chain or anything
that depends on ``kind``. docs/editing.md says so to the people using it.

Front Matter picks a file's content type by a ``type`` or ``fmContentType`` key, which a
plan may not have, or by the page folder when that lists exactly one content type. So
there is one content type for both kinds of plan, with ``kind`` as a choice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from kamdocs.edit.schema_walk import merged as merge_facets
from kamdocs.edit.schema_walk import object_properties, text_choices
from kamdocs.plan.schemabundle import self_contained
from kamdocs.plan.validation import BUNDLED_ID, REPO_ID, bundled_schema

FRONT_MATTER_EXTENSION = "eliostruyf.vscode-front-matter"
FRONT_MATTER_SCHEMA = "https://frontmatter.codes/frontmatter.schema.json"
CONTENT_TYPE = "plan"
DATE_FORMAT = "yyyy-MM-dd"
"""date-fns tokens, as Front Matter's ``dateFormat`` takes them: the schema's YYYY-MM-DD."""

MAX_DEPTH = 8
"""Nested objects the editor's form goes into; the plan format has four (chain: goal, factor, condition, obstacle)."""
CARD_TITLE = "account"
LABEL_KEYS = ("statement", "action", "name", "id")
"""The key that names an item of a list in the editor's outline, first one present."""


def editor_files(schema: Mapping[str, Any], plans_dir: str) -> dict[str, str]:
    """Every file ``kamdocs init`` writes for the editor, by path."""
    extensions = {"recommendations": [FRONT_MATTER_EXTENSION]}
    return {
        "frontmatter.json": front_matter_json(schema, plans_dir),
        ".vscode/extensions.json": json.dumps(extensions, indent=2) + "\n",
    }


def front_matter_json(schema: Mapping[str, Any], plans_dir: str) -> str:
    """``frontmatter.json`` for ``schema`` (self-contained: its references are '#/...' pointers)."""
    return json.dumps(front_matter_config(schema, plans_dir), indent=2, ensure_ascii=False) + "\n"


def front_matter_config(schema: Mapping[str, Any], plans_dir: str) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    fields = list(_fields(schema, schema, groups))
    names = {f["name"] for f in fields}
    return {
        "$schema": FRONT_MATTER_SCHEMA,
        # The extension's dashboard titles each file by a key; a plan's is its account.
        **({"frontMatter.dashboard.content.card.fields.title": CARD_TITLE} if CARD_TITLE in names else {}),
        "frontMatter.dashboard.content.card.fields.date": False,
        "frontMatter.taxonomy.contentTypes": [
            {
                "name": CONTENT_TYPE,
                # No fileType: Front Matter's own schema rejects "md" there (valid under both
                # branches of its oneOf); md is its default file type anyway.
                "pageBundle": False,
                "previewPath": None,
                "filePrefix": None,
                "fields": fields,
            }
        ],
        "frontMatter.taxonomy.fieldGroups": list(groups.values()),
        "frontMatter.content.pageFolders": [
            {
                "title": "Key account plans",
                "path": f"[[workspace]]/{plans_dir.strip('/')}",
                "contentTypes": [CONTENT_TYPE],
                # `kamdocs new` writes a plan whose id is its file name, from the template.
                "disableCreation": True,
            }
        ],
    }


def _fields(
    root: Mapping[str, Any], node: Mapping[str, Any], groups: dict[str, dict[str, Any]], depth: int = 0
) -> Iterator[dict[str, Any]]:
    """Front Matter fields for the properties of an object schema, in the schema's order.

    Below ``MAX_DEPTH`` nested objects there are no fields: a schema whose objects contain
    themselves would otherwise never end, and kamdocs check still checks what is there.
    """
    if depth > MAX_DEPTH:
        return
    properties, required = object_properties(root, node)
    for name, merged in properties:
        field = _field(root, name, merged, groups, depth)
        if field is not None:
            if name in required:
                field["required"] = True
            yield field


def _field(
    root: Mapping[str, Any], name: str, prop: Mapping[str, Any], groups: dict[str, dict[str, Any]], depth: int
) -> dict[str, Any] | None:
    """The Front Matter field for property ``name``, or None when the editor has no field for it."""
    typed = _field_type(root, name, prop, groups, depth)
    if typed is None:
        return None
    field: dict[str, Any] = {"name": name, "title": str(prop.get("title", name))}
    if isinstance(prop.get("description"), str):
        field["description"] = prop["description"]
    field.update(typed)
    return field


def _field_type(
    root: Mapping[str, Any], name: str, prop: Mapping[str, Any], groups: dict[str, dict[str, Any]], depth: int
) -> dict[str, Any] | None:
    """The keys that say a field's type (``type`` and its options), or None: no type the editor has a
    field for (kamdocs check still checks it)."""
    choices = text_choices(prop)
    if choices is not None:
        options, default = choices
        return {"type": "choice", "choices": options, **({"default": default} if default is not None else {})}
    kind = prop.get("type")
    if kind == "object":
        fields = list(_fields(root, prop, groups, depth + 1))
        return {"type": "fields", "fields": fields} if fields else None
    if kind == "array" and isinstance(prop.get("items"), Mapping):
        return _list_type(root, name, prop["items"], groups, depth)
    return _scalar_type(prop, kind)


def _scalar_type(prop: Mapping[str, Any], kind: object) -> dict[str, Any] | None:
    """A string, date, number or yes/no field; ``kind`` may be any JSON value (a list of types has no field)."""
    if kind == "string":
        return {"type": "datetime", "dateFormat": DATE_FORMAT} if prop.get("format") == "date" else {"type": "string"}
    if kind in ("number", "integer"):
        options: dict[str, Any] = {"isDecimal": kind == "number"}
        for keyword, option in (("minimum", "min"), ("maximum", "max")):
            if isinstance(prop.get(keyword), (int, float)):
                options[option] = prop[keyword]
        return {"type": "number", "numberOptions": options}
    return {"type": "boolean"} if kind == "boolean" else None


def _list_type(
    root: Mapping[str, Any], name: str, items: Mapping[str, Any], groups: dict[str, dict[str, Any]], depth: int
) -> dict[str, Any] | None:
    """A list of strings, or of objects (a block of a field group, made once and shared by name)."""
    merged = merge_facets(root, items)
    if merged.get("type") == "string":
        return {"type": "list"}
    if merged.get("type") != "object":
        return None
    group = _group_id(items, name)
    if group not in groups:
        if not _add_group(root, group, items, groups, depth):
            return None
    elif not groups[group]:
        return None  # the group is still being made: it lists itself, deeper than an editor shows
    return {"type": "block", "fieldGroup": [group]}


def _add_group(
    root: Mapping[str, Any], group: str, items: Mapping[str, Any], groups: dict[str, dict[str, Any]], depth: int
) -> bool:
    """Put the field group ``group`` for ``items`` into ``groups``; False when it has no fields."""
    groups[group] = {}  # placed first, so that a group listing itself ends here
    sub = list(_fields(root, items, groups, depth + 1))
    if not sub:
        del groups[group]
        return False
    label = next((k for k in LABEL_KEYS if any(f["name"] == k for f in sub)), sub[0]["name"])
    groups[group] = {"id": group, "labelField": label, "fields": sub}
    return True


def _group_id(items: Mapping[str, Any], name: str) -> str:
    """A field group's id: the ``$defs`` name the items refer to (``commitment``), else the list's key."""
    ref = items.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else name


def repository_editor_files(schema_text: str, plans_dir: str) -> dict[str, str]:
    """The editor files for a repository whose schema file holds ``schema_text`` (``kamdocs init``'s)."""
    schema = json.loads(schema_text)
    own_id = schema.get("$id") or REPO_ID
    return editor_files(self_contained(schema, bundled_schema(), BUNDLED_ID, own_id), plans_dir)
