"""Decap CMS's config.yml made from the plan schema: every expectation below is read off
kamdocs/schema/plan.schema.json by hand, not made by kamdocs."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kamdocs.config import DEFAULT_FULL_SECTIONS
from kamdocs.edit.decap_config import backend_for, decap_config_text
from kamdocs.plan.validation import bundled_schema

SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
DATE = {
    "widget": "datetime",
    "format": "YYYY-MM-DD",
    "date_format": "YYYY-MM-DD",
    "time_format": False,
    "picker_utc": True,
}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    text = decap_config_text(
        bundled_schema(), "plans", repo_url="https://github.com/acme/plans", full_sections=DEFAULT_FULL_SECTIONS
    )
    return yaml.safe_load(text)


def collection(config: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [c for c in config["collections"] if c["filter"] == {"field": "kind", "value": kind}]
    return found


def field(fields: list[dict[str, Any]], *path: str) -> dict[str, Any]:
    """The field at ``path`` (names of nested fields)."""
    (found,) = [f for f in fields if f["name"] == path[0]]
    return field(found["fields"], *path[1:]) if len(path) > 1 else found


def test_the_editorial_workflow_and_the_local_backend_are_on(config: dict[str, Any]) -> None:
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] is True
    assert config["backend"] == {"name": "github", "repo": "acme/plans", "branch": "main"}
    assert config["media_folder"] == "docs/admin/uploads"


def test_one_folder_collection_per_plan_kind(config: dict[str, Any]) -> None:
    assert [c["filter"]["value"] for c in config["collections"]] == ["one-page", "full"]
    for kind in ("one-page", "full"):
        c = collection(config, kind)
        assert (c["folder"], c["extension"], c["format"]) == ("plans", "md", "frontmatter")
        assert c["slug"] == "{{fields.id}}"
        assert c["delete"] is False
        assert field(c["fields"], "kind") == {"label": "Plan kind", "name": "kind", "widget": "hidden", "default": kind}


def test_top_level_fields_in_the_schemas_order_with_labels_hints_and_required(config: dict[str, Any]) -> None:
    fields = collection(config, "one-page")["fields"]
    assert [f["name"] for f in fields] == [
        "id", "account", "kind", "status", "owner", "team", "business_area", "region", "tier", "tags",
        "crm_id", "review", "goal", "success_factors", "commitments", "kpis", "buying_center",
        "confidential", "confidential_fields", "body",
    ]  # fmt: skip
    plan_id = field(fields, "id")
    assert plan_id["label"] == "Plan id"
    assert plan_id["hint"] == "Stable plan id, equal to the file name without `.md`."
    assert plan_id["pattern"][0] == SLUG
    assert "required" not in plan_id  # Decap's fields are required unless they say not
    # The plan requires id, account, kind, owner, business_area, review, goal; a one-page plan also
    # success_factors and commitments (at least one each).
    optional = [f["name"] for f in fields if f.get("required") is False]
    assert optional == [
        "status", "team", "region", "tier", "tags", "crm_id", "kpis", "buying_center", "confidential",
        "confidential_fields", "body",
    ]  # fmt: skip
    assert field(fields, "success_factors")["min"] == 1
    assert field(fields, "commitments")["min"] == 1
    full = collection(config, "full")["fields"]
    # A full plan requires kpis (at least one), not the chain nor commitments.
    assert field(full, "kpis")["min"] == 1 and "required" not in field(full, "kpis")
    assert field(full, "success_factors")["required"] is False
    assert field(full, "commitments")["required"] is False


def test_enums_are_selects_with_exactly_the_schemas_choices(config: dict[str, Any]) -> None:
    fields = collection(config, "one-page")["fields"]
    status = field(fields, "commitments", "status")
    assert status["widget"] == "select"
    assert status["options"] == ["open", "in-progress", "done", "dropped"]
    plan_status = field(fields, "status")
    assert (plan_status["options"], plan_status["default"]) == (["draft", "active", "archived"], "active")
    assert field(fields, "kpis", "direction")["options"] == ["higher-is-better", "lower-is-better"]
    assert field(fields, "buying_center", "role")["options"] == [
        "economic-buyer", "technical-buyer", "user-buyer", "coach", "champion", "influencer", "gatekeeper",
        "blocker",
    ]  # fmt: skip
    assert field(fields, "buying_center", "attitude")["options"] == ["supporter", "neutral", "skeptic", "opponent"]
    assert field(fields, "buying_center", "influence")["options"] == ["high", "medium", "low"]


def test_dates_are_date_pickers_writing_iso_dates_without_time(config: dict[str, Any]) -> None:
    fields = collection(config, "full")["fields"]
    for path in (
        ("review", "last_reviewed"),
        ("goal", "period", "start"),
        ("goal", "period", "end"),
        ("commitments", "due"),
        ("kpis", "as_of"),
        ("buying_center", "last_contact"),
    ):
        found = field(fields, *path)
        assert {k: found[k] for k in DATE} == DATE, path
    assert field(fields, "goal", "period", "end")["label"] == "Period end"
    assert field(fields, "goal", "period", "start").get("required") is None  # period requires start and end


def test_amounts_are_numbers_and_the_unit_is_text(config: dict[str, Any]) -> None:
    fields = collection(config, "full")["fields"]
    for path in (("goal", "target"), ("goal", "baseline"), ("goal", "actual"), ("kpis", "target"), ("kpis", "actual")):
        found = field(fields, *path)
        assert (found["widget"], found["value_type"]) == ("number", "float"), path
        assert found["hint"].endswith("The browser reads 1.250.000 as 1.25 and drops 1'250'000's apostrophes.")
        assert "no thousands separators (1250000)" in found["hint"], path
    percent = field(fields, "commitments", "percent_complete")
    assert (percent["min"], percent["max"], percent["required"]) == (0, 100, False)
    unit = field(fields, "goal", "unit")
    assert unit["widget"] == "string" and "pattern" not in unit  # the schema gives the unit no pattern
    assert unit["hint"] == "Unit of target, baseline and actual: CHF, EUR, %, units..."
    email = field(fields, "buying_center", "email")
    assert email["pattern"] == ["^[^@\\s]+@[^@\\s]+$", "Expected an e-mail address like anna.meier@example.com."]


def test_lists_of_objects_for_the_chain_commitments_kpis_and_contacts(config: dict[str, Any]) -> None:
    fields = collection(config, "one-page")["fields"]
    chain = field(fields, "success_factors")
    assert chain["widget"] == "list" and chain["label_singular"] == "Critical success factor"
    assert [f["name"] for f in chain["fields"]] == ["id", "statement", "conditions"]
    obstacles = field(fields, "success_factors", "conditions", "obstacles")
    assert obstacles["widget"] == "list" and [f["name"] for f in obstacles["fields"]] == ["id", "statement"]
    assert obstacles["summary"] == "{{fields.statement}}"
    commitments = field(fields, "commitments")
    assert [f["name"] for f in commitments["fields"]] == [
        "id", "action", "owner", "due", "status", "percent_complete", "resolves", "confidential",
    ]  # fmt: skip
    assert [f["name"] for f in commitments["fields"] if f.get("required") is not False] == [
        "id", "action", "owner", "due", "status",
    ]  # fmt: skip
    kpis = field(fields, "kpis")
    assert [f["name"] for f in kpis["fields"] if f.get("required") is not False] == [
        "id", "name", "unit", "target", "actual", "as_of", "direction",
    ]  # fmt: skip
    contacts = field(fields, "buying_center")
    assert contacts["label"] == "Buying centre" and contacts["label_singular"] == "Contact"
    assert [f["name"] for f in contacts["fields"] if f.get("required") is not False] == ["name", "role"]


def test_resolves_is_a_list_of_ids_with_a_hint_saying_where_they_are(config: dict[str, Any]) -> None:
    resolves = field(collection(config, "one-page")["fields"], "commitments", "resolves")
    assert resolves["widget"] == "list"
    assert resolves["field"]["widget"] == "string" and resolves["field"]["pattern"][0] == SLUG
    assert resolves["hint"].startswith("Ids of the obstacles in this plan that this commitment overcomes.")
    assert "under each condition's obstacles" in resolves["hint"]


def test_the_body_is_markdown_with_the_nine_sections_for_a_full_plan(config: dict[str, Any]) -> None:
    body = field(collection(config, "full")["fields"], "body")
    assert body["widget"] == "markdown"
    assert body["default"] == (
        "## Overview\n\nTODO: write the overview part of the plan.\n\n"
        "## Requirements\n\nTODO: write the requirements part of the plan.\n\n"
        "## Organisation\n\nTODO: write the organisation part of the plan.\n\n"
        "## Mapping\n\nTODO: write the mapping part of the plan.\n\n"
        "## Sales objectives\n\nTODO: write the sales objectives part of the plan.\n\n"
        "## Strategy and actions\n\nTODO: write the strategy and actions part of the plan.\n\n"
        "## Added value\n\nTODO: write the added value part of the plan.\n\n"
        "## Commitments\n\nTODO: write the commitments part of the plan.\n\n"
        "## KPIs\n\nTODO: write the KPIs part of the plan.\n"
    )
    one_page = field(collection(config, "one-page")["fields"], "body")
    assert "default" not in one_page and one_page["required"] is False


def test_nothing_in_the_config_loads_from_elsewhere() -> None:
    text = decap_config_text(bundled_schema(), "plans", repo_url="https://github.com/acme/plans")
    assert "http://" not in text and "https://" not in text.replace("https://github.com", "")


@pytest.mark.parametrize(
    ("repo_url", "expected"),
    [
        ("https://github.com/acme/plans", {"name": "github", "repo": "acme/plans", "branch": "main"}),
        ("https://github.com/acme/plans.git/", {"name": "github", "repo": "acme/plans", "branch": "main"}),
        (
            "https://gitlab.com/acme/sales/plans",
            {
                "name": "gitlab",
                "repo": "acme/sales/plans",
                "branch": "main",
                "auth_type": "pkce",
                "app_id": "REPLACE-WITH-THE-GITLAB-APPLICATION-ID",
            },
        ),
        ("https://git.acme.example/sales/plans", {"name": "github", "repo": "OWNER/REPOSITORY", "branch": "main"}),
        (None, {"name": "github", "repo": "OWNER/REPOSITORY", "branch": "main"}),
    ],
)
def test_the_backend_follows_repo_url(repo_url: str | None, expected: dict[str, str]) -> None:
    assert dict(backend_for(repo_url).settings) == expected
    text = decap_config_text(bundled_schema(), "plans", repo_url=repo_url)
    assert yaml.safe_load(text)["backend"] == expected
    assert ("# backend: a placeholder." in text) == (expected["repo"] == "OWNER/REPOSITORY")


def test_a_served_config_points_at_the_local_server() -> None:
    text = decap_config_text(bundled_schema(), "plans", local_backend="http://127.0.0.1:8089/api/v1")
    assert yaml.safe_load(text)["local_backend"] == {"url": "http://127.0.0.1:8089/api/v1"}
