"""Decap CMS's ``config.yml``, made from the plan schema in force: a form for plans in the browser.

Decap CMS (npm ``decap-cms``, MIT) edits files in a git repository through a form built
from a hand-written configuration of collections and fields. It is the editor kamdocs
ships because it alone among the git-based editors has an *editorial workflow*: saving an
entry opens a branch and a pull request (GitHub, GitLab, Gitea/Forgejo), so the checks and
the reviewer's approval apply to what the form writes as to any other change; and it has a
real local backend (``decap-server``) for work on a clone. Sveltia CMS reads the same
configuration but has no editorial workflow.

Decap cannot read a JSON Schema, so the fields are made here from the schema in force
(bundled plus a repository's own extensions) and never written by hand: one folder
collection per plan kind, the kind's own required lists folded in from the schema's
``if kind is ... then`` conditionals. What the form checks is a part of what ``kamdocs
check`` checks (types, required keys, choices, number bounds, patterns); the chain's ids,
``resolves`` and everything across fields stay with ``kamdocs check`` in the pull request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from kamdocs.edit.scaffold import full_plan_body
from kamdocs.edit.schema_walk import facets, merged, object_properties, text_choices

DECAP_VERSION = "3.16.3"
"""The Decap CMS vendored under kamdocs/assets/editor/ (its README.md says from where)."""
DECAP_SERVER_VERSION = "3.11.3"
"""The ``decap-server`` that ``kamdocs editor --serve`` runs with npx: Decap's local backend."""
ADMIN_DIR = "admin"
"""The editor's folder in docs_dir, and so in the site when it is published."""
SCRIPT = "decap-cms.js"
INDEX_HTML = """\
<!doctype html>
<!-- The plan form (Decap CMS), written by `kamdocs editor`; see docs/editing.md. Its script,
     decap-cms.js, comes from the kamdocs package: `kamdocs editor --serve` serves it, and the site
     carries it only with the kamdocs option `editor: true`. -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Plan editor</title>
<link rel="icon" href="data:,">
<style>
/* Decap lays its editor and toolbar out at least 800 px wide: on a phone (390 px) the form scrolled
   sideways, its Save button half off the screen. Below that width both take the screen's width. */
@media (max-width: 799px) {
  [class*="-EditorContainer"], [class*="-ToolbarContainer"] { min-width: 0 !important; }
  [class*="-ToolbarContainer"] { flex-wrap: wrap; height: auto !important; }
}
</style>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="decap-cms.js"></script>
<script>
// A field emptied in the form means "not given", but Decap saves it as an empty value ("" for a text,
// a number or a date), which kamdocs check rejects. Leave such keys, and empty list items, out.
window.CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    const given = (value) => value !== "" && value !== null && value !== undefined;
    const pruned = (value) =>
      value !== null && typeof value === "object" && typeof value.filter === "function"
        ? value.map(pruned).filter(given)
        : value;
    return pruned(entry.get("data"));
  },
});
</script>
</body>
</html>
"""
DATE_FORMAT = "YYYY-MM-DD"
"""Moment/day.js tokens, as Decap's datetime widget takes them: the schema's ISO date, no time."""
MAX_DEPTH = 8
"""Nested objects the form goes into; the plan format has five (plan, chain: factor, condition, obstacle)."""
LABEL_KEYS = ("statement", "action", "name", "id")
"""The key that names an item of a list in the form's collapsed view, first one present."""
KIND_LABELS = {"one-page": "One-page plans", "full": "Full plans"}
RESOLVES_HINT = (
    " Add one item per obstacle and write its id: the ids are in the success factors above, "
    "under each condition's obstacles (for example obs-1). kamdocs check names any id that is not there."
)
"""Decap cannot offer the entry's own obstacle ids as choices (its relation widget lists other
entries, not parts of this one), so the hint says where they are."""
NUMBER_HINT = (
    " Digits only, with no thousands separators (1250000); a dot starts the decimals. The browser reads"
    " 1.250.000 as 1.25 and drops 1'250'000's apostrophes."
)
"""The number box is the browser's: it takes a German or Swiss amount as something else without a word
(a new user's 1.250.000 was saved as 1.25), so every float field says how to type it."""
MEDIA_FOLDER = "docs/admin/uploads"
"""Where Decap would put uploads; the form offers none (no image or file field), and the folder
is inside ``docs/admin/``, which the site leaves out unless the editor is published."""
HEADER = """\
# Decap CMS configuration for the plan form, made by `kamdocs editor` from the plan schema in force.
# Do not edit it by hand: change the schema, then run `kamdocs editor` again
# (`kamdocs editor --check` in CI fails while this file is stale). See docs/editing.md.
"""


@dataclass(frozen=True)
class Backend:
    """Where Decap saves: its ``backend`` settings, and a comment when they are a placeholder."""

    settings: Mapping[str, Any]
    comment: str = ""


PLACEHOLDER_COMMENT = """\
# backend: a placeholder. mkdocs.yml has no repo_url on github.com or gitlab.com, so set it
# yourself (docs/editing.md, "Signing in"): GitHub Enterprise: name github, repo, api_root
# https://HOST/api/v3 and base_url of your auth proxy; self-managed GitLab: name gitlab, repo,
# api_root https://HOST/api/v4, base_url https://HOST, auth_type pkce, app_id; Forgejo: name
# forgejo, repo, api_root https://HOST/api/v1, base_url https://HOST, app_id (Decap's gitea
# backend has no editorial workflow). `kamdocs editor --serve` needs none of this.
"""
PLACEHOLDER_REPO = "OWNER/REPOSITORY"
KEPT_COMMENT = """\
# backend: as it was in this file; kamdocs editor keeps it (docs/editing.md, "Signing in").
"""
GITLAB_COMMENT = """\
# backend: GitLab signs in with PKCE, no server needed: create an OAuth application in GitLab
# (scope api, redirect URI the address of this admin page) and put its Application ID in app_id.
"""
GITHUB_COMMENT = """\
# backend: GitHub signs in through an OAuth app and a small auth proxy (GitHub has no PKCE for
# OAuth apps); set base_url to the proxy's address. See docs/editing.md, "Signing in".
"""


def admin_files(schema: Mapping[str, Any], plans_dir: str, **options: Any) -> dict[str, str]:
    """What ``kamdocs editor`` writes into ``docs/admin/``, by file name: the page and its configuration
    (``options`` are :func:`decap_config_text`'s)."""
    return {"index.html": INDEX_HTML, "config.yml": decap_config_text(schema, plans_dir, **options)}


def kept_backend(config_text: str | None, repo_url: object = None) -> Mapping[str, Any] | None:
    """The ``backend`` of a committed ``config.yml`` when someone set it: not the one kamdocs makes from
    ``repo_url``, nor the placeholder. None otherwise, or when the text is not YAML. (Lines deleted, the
    next ``kamdocs editor`` makes them from ``repo_url`` again.)"""
    if config_text is None:
        return None
    try:
        data = yaml.safe_load(config_text)
    except yaml.YAMLError:
        return None
    backend = data.get("backend") if isinstance(data, dict) else None
    if not isinstance(backend, dict) or not isinstance(backend.get("name"), str):
        return None
    made = dict(backend_for(repo_url).settings)
    if backend == made or backend.get("repo") == PLACEHOLDER_REPO:
        return None
    return backend


def backend_for(repo_url: object, branch: str = "main") -> Backend:
    """Decap's backend for the repository at ``repo_url`` (mkdocs.yml's), or a placeholder."""
    text = repo_url.strip() if isinstance(repo_url, str) else ""
    found = re.fullmatch(r"https://(github\.com|gitlab\.com)/([^?#]+?)(?:\.git)?/?", text)
    if found and found.group(2).count("/") >= 1:
        host, repo = found.groups()
        if host == "github.com" and repo.count("/") == 1:
            return Backend({"name": "github", "repo": repo, "branch": branch}, GITHUB_COMMENT)
        if host == "gitlab.com":
            settings = {
                "name": "gitlab",
                "repo": repo,
                "branch": branch,
                "auth_type": "pkce",
                "app_id": "REPLACE-WITH-THE-GITLAB-APPLICATION-ID",
            }
            return Backend(settings, GITLAB_COMMENT)
    return Backend({"name": "github", "repo": PLACEHOLDER_REPO, "branch": branch}, PLACEHOLDER_COMMENT)


def decap_config_text(
    schema: Mapping[str, Any],
    plans_dir: str,
    *,
    repo_url: object = None,
    full_sections: Sequence[str] = (),
    local_backend: bool | str = True,
    branch: str = "main",
    kept_backend: Mapping[str, Any] | None = None,
    media_folder: str = MEDIA_FOLDER,
) -> str:
    """``config.yml`` for ``schema`` (self-contained: its references are '#/...' pointers).

    ``local_backend`` is ``True`` in the committed file (Decap's default local address) or the
    address of the ``decap-server`` that ``kamdocs editor --serve`` started, which saves to
    ``branch``, the one checked out (the committed file says ``main``). ``kept_backend`` is the
    ``backend`` of the committed file, when someone set it there (sign-in settings kamdocs cannot
    know): it is kept as it is, so ``--check`` stays quiet about it.
    """
    if kept_backend is None:
        backend = backend_for(repo_url, branch)
    else:  # served: decap-server saves to the branch checked out, whatever the forge's is
        backend = Backend(
            {**kept_backend, "branch": branch} if local_backend is not True else kept_backend, KEPT_COMMENT
        )
    config = decap_config(schema, plans_dir, backend=backend, full_sections=full_sections, media_folder=media_folder)
    config["local_backend"] = True if local_backend is True else {"url": local_backend}
    rest = dict(config)
    backend_text = yaml.safe_dump({"backend": rest.pop("backend")}, sort_keys=False, allow_unicode=True)
    body = yaml.safe_dump(rest, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + "\n" + backend.comment + backend_text + body


def decap_config(
    schema: Mapping[str, Any],
    plans_dir: str,
    *,
    backend: Backend,
    full_sections: Sequence[str] = (),
    media_folder: str = MEDIA_FOLDER,
) -> dict[str, Any]:
    """The configuration as data: backend, editorial workflow, one collection per plan kind."""
    plan = schema  # the document itself, which refers to the plan's object schema
    kinds = _kinds(schema, plan)
    return {
        "backend": dict(backend.settings),
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "media_folder": media_folder,
        "public_folder": "/admin/uploads",
        "locale": "en",
        "collections": [_collection(schema, plan, kind, plans_dir, full_sections) for kind in kinds],
    }


def _kinds(schema: Mapping[str, Any], plan: Mapping[str, Any]) -> list[str]:
    properties, _ = object_properties(schema, plan)
    kind = dict(properties).get("kind", {})
    values = kind.get("enum")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return []
    return list(values)


def _kind_rules(schema: Mapping[str, Any], plan: Mapping[str, Any], kind: str) -> tuple[set[str], dict[str, int]]:
    """What a plan of ``kind`` must have beyond the rest: the ``then`` of every conditional whose
    ``if`` asks only that ``kind`` is ``kind`` (required keys, and lists' fewest items)."""
    required: set[str] = set()
    min_items: dict[str, int] = {}
    for facet in facets(schema, plan):
        for part in facet.get("allOf", ()):
            condition = part.get("if") if isinstance(part, Mapping) else None
            then = part.get("then") if isinstance(part, Mapping) else None
            if not isinstance(condition, Mapping) or not isinstance(then, Mapping):
                continue
            asked = condition.get("properties", {})
            if set(asked) != {"kind"} or asked["kind"].get("const") != kind:
                continue
            required.update(r for r in then.get("required", ()) if isinstance(r, str))
            for name, prop in then.get("properties", {}).items():
                if isinstance(prop, Mapping) and isinstance(prop.get("minItems"), int):
                    min_items[name] = prop["minItems"]
    return required, min_items


def _collection(
    schema: Mapping[str, Any], plan: Mapping[str, Any], kind: str, plans_dir: str, full_sections: Sequence[str]
) -> dict[str, Any]:
    """One folder collection: the plans of ``kind`` in the plans folder, file name from the id."""
    also_required, min_items = _kind_rules(schema, plan, kind)
    fields: list[dict[str, Any]] = []
    properties, required = object_properties(schema, plan)
    for name, prop in properties:
        if name == "kind":
            # Each collection holds one kind: the form writes it, unseen, on a new plan.
            fields.append({"label": str(prop.get("title", name)), "name": name, "widget": "hidden", "default": kind})
            continue
        field = _field(schema, name, prop, name in required or name in also_required, 1)
        if field is None:
            continue
        if name in min_items and field.get("widget") == "list":
            field["min"] = min_items[name]
        fields.append(field)
    body: dict[str, Any] = {
        "label": "Plan text",
        "name": "body",
        "widget": "markdown",
        "hint": "The plan's text below the fields, in Markdown. Each '## ' line starts a section.",
        "editor_components": [],
        # Markdown only, the text as typed: Decap's rich-text mode (its default whenever it is offered)
        # writes the whole body again from its own model; a wrapped line starting "2027. " came back as a
        # numbered list, and the empty line after the front matter went.
        "modes": ["raw"],
        "required": False,
    }
    if kind == "full" and full_sections:
        body["default"] = full_plan_body(full_sections)
        body["required"] = True
    fields.append(body)
    return {
        "name": kind.replace("-", "_"),
        "label": KIND_LABELS.get(kind, f"{kind} plans"),
        "label_singular": KIND_LABELS.get(kind, f"{kind} plans").removesuffix("s"),
        "folder": plans_dir.strip("/") or ".",
        "filter": {"field": "kind", "value": kind},
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        # Deleting a published entry commits to the main branch straight away, past the review.
        "delete": False,
        "identifier_field": "id",
        "slug": "{{fields.id}}",
        "summary": "{{fields.account}} ({{fields.id}})",
        "editor": {"preview": False},
        "fields": fields,
    }


def _field(
    root: Mapping[str, Any], name: str, prop: Mapping[str, Any], required: bool, depth: int
) -> dict[str, Any] | None:
    """The Decap field for property ``name``, or None when the form has no widget for it (kamdocs
    check still checks it)."""
    typed = _widget(root, name, prop, depth)
    if typed is None:
        return None
    field: dict[str, Any] = {"label": str(prop.get("title", name)), "name": name}
    field.update(typed)
    hint = prop.get("description")
    if name == "resolves":
        hint = (hint if isinstance(hint, str) else "") + RESOLVES_HINT
    elif typed.get("value_type") == "float":
        hint = (hint if isinstance(hint, str) else "") + NUMBER_HINT
    if isinstance(hint, str) and hint:
        field["hint"] = hint.strip()
    if not required:
        field["required"] = False
    return field


def _widget(root: Mapping[str, Any], name: str, prop: Mapping[str, Any], depth: int) -> dict[str, Any] | None:
    """The keys that say a field's widget and its options."""
    choices = text_choices(prop)
    if choices is not None:
        options, default = choices
        return {"widget": "select", "options": options, **({"default": default} if default is not None else {})}
    kind = prop.get("type")
    if kind == "object":
        if depth > MAX_DEPTH:
            return None
        sub = _object_fields(root, prop, depth + 1)
        return {"widget": "object", "collapsed": False, "fields": sub} if sub else None
    if kind == "array" and isinstance(prop.get("items"), Mapping):
        return _list_widget(root, prop, depth)
    return _scalar_widget(prop, kind)


def _object_fields(root: Mapping[str, Any], node: Mapping[str, Any], depth: int) -> list[dict[str, Any]]:
    properties, required = object_properties(root, node)
    fields = (_field(root, name, prop, name in required, depth) for name, prop in properties)
    return [f for f in fields if f is not None]


def _scalar_widget(prop: Mapping[str, Any], kind: object) -> dict[str, Any] | None:
    """A text, date, number or yes/no widget; ``kind`` may be any JSON value (a list of types has none)."""
    if kind == "string":
        if prop.get("format") == "date":
            return {
                "widget": "datetime",
                "format": DATE_FORMAT,
                "date_format": DATE_FORMAT,
                "time_format": False,
                # The day picked is the day written, whatever the browser's time zone.
                "picker_utc": True,
            }
        widget: dict[str, Any] = {"widget": "string"}
        if isinstance(prop.get("pattern"), str):
            expected = prop.get("x-expected")
            message = f"Expected {expected}." if isinstance(expected, str) else "This text has the wrong form."
            widget["pattern"] = [prop["pattern"], message]
        return widget
    if kind in ("number", "integer"):
        number: dict[str, Any] = {"widget": "number", "value_type": "float" if kind == "number" else "int"}
        for keyword in ("minimum", "maximum"):
            if isinstance(prop.get(keyword), (int, float)) and not isinstance(prop.get(keyword), bool):
                number[keyword[:3]] = prop[keyword]
        return number
    return {"widget": "boolean"} if kind == "boolean" else None


def _list_widget(root: Mapping[str, Any], prop: Mapping[str, Any], depth: int) -> dict[str, Any] | None:
    """A list of texts (one field per item), or of objects (a group of fields per item)."""
    items = merged(root, prop["items"])
    if items.get("type") == "string":
        item = _scalar_widget(items, "string")
        assert item is not None  # a string always has a widget
        label = str(items.get("title", "Item"))
        return {"widget": "list", "label_singular": label, "field": {"label": label, "name": "item", **item}}
    if items.get("type") != "object" or depth > MAX_DEPTH:
        return None
    fields = _object_fields(root, items, depth + 1)
    if not fields:
        return None
    widget: dict[str, Any] = {"widget": "list", "collapsed": True}
    if isinstance(items.get("title"), str):
        widget["label_singular"] = items["title"]
    label = next((k for k in LABEL_KEYS if any(f["name"] == k for f in fields)), fields[0]["name"])
    widget["summary"] = "{{fields." + label + "}}"
    widget["fields"] = fields
    return widget
