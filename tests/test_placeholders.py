"""Placeholders are not data: ``kamdocs check`` names every one, and the budget never sums, charts or
exports a plan whose unit or business area is still one; it lists such plans as incomplete."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from .commands import MKDOCS, mkdocs_build_in_process
from .conftest import plan_text, run
from .htmlscan import Scan


def todo_paths(text: str) -> list[str]:
    """The JSON paths of the text values that are placeholders, found here with PyYAML and a regex."""
    found: list[str] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, str) and re.match(r"\W*(todo|tbd)\b", value, re.IGNORECASE):
            found.append(path)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(yaml.safe_load(text.split("---\n")[1]), "$")
    return found


def test_check_names_every_placeholder_whatever_its_field(make_repo) -> None:
    text = plan_text(
        "p",
        **{
            "business_area: Process Analytics": "business_area: tbd",
            "unit: CHF": "unit: '(TODO: CHF or EUR)'",
            "  target: 500000": "  target: TODO",
            "due: 2026-12-15": "due: TODO",
            "reviewer: bam@example.com": "reviewer: bam@example.com  # TODO ask who reviews",
            "    owner: kam@example.com\n    due": "    owner: Todo\n    due",
        },
    )
    repo = make_repo({"plans/p.md": text})
    findings = json.loads(run(["check", "--no-freshness", "--format", "json"], repo).output)["findings"]
    todos = [f for f in findings if f["rule"] == "todo"]
    expected = todo_paths(text)
    assert sorted(expected) == sorted(
        ["$.business_area", "$.goal.unit", "$.goal.target", "$.commitments[0].due", "$.commitments[0].owner"]
    )
    assert sorted(f["path"] for f in todos if f["path"] != "$") == sorted(expected)
    (comment,) = [f for f in todos if f["path"] == "$"]
    assert comment["line"] == text.split("\n").index("  reviewer: bam@example.com  # TODO ask who reviews") + 1
    assert "# TODO ask who reviews" in comment["message"]
    # The placeholder in a number or a date is also a schema error, whose hint asks for the value.
    hints = {f["path"]: f["hint"] for f in findings if f["rule"] in ("wrong-type", "bad-date")}
    assert hints == {
        "$.goal.target": "fill in the number; a placeholder is never summed",
        "$.commitments[0].due": "fill in the date as YYYY-MM-DD",
    }


def test_a_hash_inside_quotes_is_no_comment(make_repo) -> None:
    text = plan_text("p", **{"statement: We are the standard supplier": "statement: 'Ticket #TODO-12 closed'"})
    repo = make_repo({"plans/p.md": text})
    assert json.loads(run(["check", "--no-freshness", "--format", "json"], repo).output)["findings"] == []


def placeholder_repo(make_repo) -> Path:
    """One finished plan and one fresh from ``kamdocs new``, whose unit is the template's placeholder."""
    repo = make_repo({"plans/done.md": plan_text("done"), "docs/index.md": "# x\n"}, mkdocs=MKDOCS)
    created = run(
        ["new", "fresh", "--kind", "one-page", "--account", "Fresh Account AG", "--owner", "kam@example.com",
         "--area", "Process Analytics", "--today", "2026-03-01"],
        repo,
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    fresh = (repo / "plans/fresh.md").read_text(encoding="utf-8")
    assert "unit: 'TODO: CHF, EUR, units...'" in fresh
    return repo


def test_the_budget_lists_a_plan_with_a_placeholder_unit_as_incomplete(make_repo) -> None:
    repo = placeholder_repo(make_repo)
    document = json.loads(run(["budget", "--format", "json"], repo).output)
    assert {line["unit"] for line in document["lines"]} == {"CHF"}
    assert all(line["plans"] == 1 and line["target"] == 500_000 for line in document["lines"])
    assert document["incomplete"] == [
        {"plan": "fresh", "account": "Fresh Account AG", "file": "plans/fresh.md",
         "business_area": "Process Analytics",
         "fiscal_year": {"label": "2027", "start": "2027-01-01", "end": "2027-12-31"},
         "placeholders": ["goal.unit"]}
    ]  # fmt: skip
    table = run(["budget"], repo).output
    assert "TODO" not in table
    assert (
        "Incomplete, not summed: 1 plan still has a placeholder where the budget needs a value: "
        "Fresh Account AG (fresh): the unit." in table
    )
    rows = list(csv.DictReader(io.StringIO(run(["budget", "--format", "csv"], repo).output.lstrip("\ufeff"))))
    assert not any("TODO" in cell for row in rows for cell in row.values())
    (incomplete,) = [r for r in rows if r["level"] == "incomplete"]
    assert (incomplete["plan"], incomplete["placeholders"], incomplete["target"], incomplete["unit"]) == (
        "fresh", "goal.unit", "", "",
    )  # fmt: skip
    assert {r["unit"] for r in rows if r["level"] != "incomplete"} == {"CHF"}
    markdown = run(["budget", "--format", "markdown"], repo).output
    assert "TODO" not in markdown and "Incomplete, not summed: 1 plan" in markdown


def test_the_site_never_sums_or_charts_a_placeholder(make_repo) -> None:
    repo = placeholder_repo(make_repo)
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    site = repo.parent / "site"
    page = (site / "plans/budget/index.html").read_text(encoding="utf-8")
    assert "TODO" not in page
    lines = [e.content for e in Scan(page).find("p") if "kd-incomplete" in e.attrs.get("class", "")]
    assert lines == [
        "Incomplete, not summed: 1 plan still has a placeholder where the budget needs a value: "
        "Fresh Account AG: the unit."
    ]
    dashboard = (site / "plans/index.html").read_text(encoding="utf-8")
    cards = [e.content for e in Scan(dashboard).elements if e.attrs.get("class") == "kd-card kd-card-money"]
    assert cards and not any("TODO" in c for c in cards)
    budget_lines = json.loads((site / "plans/plans.json").read_text(encoding="utf-8"))["budget"]
    assert {line["unit"] for line in budget_lines} == {"CHF"}
    # The downloads pass no placeholder on as a value: the unit is not filled in, so it is null or empty.
    plans = {p["id"]: p for p in json.loads((site / "plans/plans.json").read_text(encoding="utf-8"))["plans"]}
    assert (plans["fresh"]["goal"]["unit"], plans["done"]["goal"]["unit"]) == (None, "CHF")
    assert all(c["owner"] is None or "TODO" not in c["owner"] for p in plans.values() for c in p["commitments"])
    csv_rows = {r["id"]: r for r in csv.DictReader(io.StringIO((site / "plans/plans.csv").read_text("utf-8-sig")))}
    assert (csv_rows["fresh"]["goal_unit"], csv_rows["done"]["goal_unit"]) == ("", "CHF")
    workbook = openpyxl.load_workbook(site / "plans/plans.xlsx", read_only=True)
    cells = [str(c) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    # Statements are the plan's text and are exported as written; a unit or a reviewer is a value, and is not.
    assert cells and not any(c.startswith(("TODO: CHF", "TODO: the business area manager")) for c in cells)


def test_the_scorecard_groups_placeholder_people_apart(make_repo) -> None:
    repo = placeholder_repo(make_repo)
    rows = json.loads(run(["scorecard", "--by", "reviewer", "--format", "json", "--today", "2026-03-02"], repo).output)
    reviewers = [r["reviewer"] for r in rows["rows"]]
    assert not any("TODO" in r for r in reviewers)
    assert "(not filled in)" in reviewers  # the fresh plan's reviewer is the template's placeholder


def test_no_attainment_chart_is_drawn_for_a_placeholder_unit(make_repo) -> None:
    """A plan with an actual but a placeholder unit is charted in no unit of its own on its area's page."""
    pending = plan_text("pending", **{"unit: CHF": "unit: 'TODO: CHF, EUR, units...'",
                                      "  target: 500000\n": "  target: 200\n  actual: 100\n"})  # fmt: skip
    done = plan_text("done", **{"  target: 500000\n": "  target: 500000\n  actual: 250000\n"})
    repo = make_repo({"plans/pending.md": pending, "plans/done.md": done, "docs/index.md": "# x\n"}, mkdocs=MKDOCS)
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    page = (repo.parent / "site/plans/by-business-area/process-analytics/index.html").read_text(encoding="utf-8")
    titles = re.findall(r"Goal attainment by account, [^<]*", page)
    assert titles and all(title.endswith(", CHF") for title in titles), titles
    assert "TODO" not in "".join(titles)


def test_names_that_start_like_a_placeholder_are_not_one(make_repo) -> None:
    """An id ``todo``, an address ``todo@example.com``, a company ``Todoist`` are names, not placeholders."""
    text = plan_text("todo", **{"    owner: kam@example.com\n    due": "    owner: todo@example.com\n    due",
                                "account: Example Account AG": "account: Todoist GmbH"})  # fmt: skip
    repo = make_repo({"plans/todo.md": text})
    assert json.loads(run(["check", "--no-freshness", "--format", "json"], repo).output)["findings"] == []


def test_the_scorecard_draws_no_attainment_for_a_placeholder_unit(make_repo) -> None:
    repo = placeholder_repo(make_repo)
    for period in ("2026", "2027"):
        table = run(["scorecard", "--period", period, "--today", "2026-03-02"], repo).output
        assert "TODO" not in table, table


@pytest.mark.parametrize("line", ["TBD", "TODO: write the strategy", "???", "- TBD", "(TBC)"])
def test_a_body_line_that_is_a_placeholder_is_named_and_earns_nothing(make_repo, line: str) -> None:
    body = f"## Strategy\n\n{line}\n"
    repo = make_repo({"plans/p.md": plan_text("p", **{"Body text.": body})})
    findings = json.loads(run(["check", "--no-freshness", "--format", "json"], repo).output)["findings"]
    assert [(f["rule"], f["path"]) for f in findings] == [("todo", "body")], findings
    assert findings[0]["message"] == f"expected the plan's own text, found the placeholder {line!r}"


def test_a_word_that_only_starts_like_a_placeholder_in_a_body_is_text(make_repo) -> None:
    body = "## Strategy\n\nTodoist holds the account team's tasks... and the dates.\n"
    repo = make_repo({"plans/p.md": plan_text("p", **{"Body text.": body})})
    assert json.loads(run(["check", "--no-freshness", "--format", "json"], repo).output)["findings"] == []


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("TODO: write", 36, 1),
        ("  TODO: write", 36, 3),
        ("\tTODO: write", 36, 2),
        ("\t\tTODO: write", 36, 3),
        (" \tTODO: write", 36, 3),
        ("Intro.\n\n\tTODO: write", 38, 2),
    ],
)
def test_todo_in_the_body_has_its_line_and_column(make_repo, body: str, line: int, column: int) -> None:
    text = plan_text("p", **{"Body text.": body})
    assert text.split("\n").index("---", 1) == 33  # the closing line is file line 34, then a blank line
    repo = make_repo({"plans/p.md": text})
    result = run(["check", "--no-freshness", "--format", "json", "plans/p.md"], repo)
    findings = [f for f in json.loads(result.output)["findings"] if f["rule"] == "todo"]
    assert [(f["line"], f["column"]) for f in findings] == [(line, column)]
