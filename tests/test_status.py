"""`kamdocs status` on a real git repository with known dates."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .commands import TODAY as WRITE_REPO_TODAY
from .commands import kamdocs, write_repo
from .conftest import GitRepo, plan_text, run

TODAY = "2027-01-10"


@pytest.fixture
def plans_repo(git_repo: GitRepo) -> GitRepo:
    # Each last_reviewed is quarterly, so next review = last_reviewed + 3 months.
    plans = {
        "fresh": plan_text("fresh", **{"2026-10-01": "2026-12-01", "due: 2026-12-15": "due: 2027-02-01"}),
        "soon": plan_text("soon", **{"2026-10-01": "2026-10-20", "due: 2026-12-15": "due: 2027-03-01"}),
        "late": plan_text("late", **{"2026-10-01": "2026-09-01"}),  # next 2026-12-01: 40 days late
        "later": plan_text(
            "later", **{"2026-10-01": "2026-06-01", "owner: kam@example.com\n": "owner: bo@example.com\n"}
        ),
        "draft": plan_text(
            "draft", **{"kind: one-page": "kind: one-page\nstatus: draft", "  last_reviewed: 2026-10-01\n": ""}
        ),
        "old": plan_text("old", **{"kind: one-page": "kind: one-page\nstatus: archived"}),
        "broken": plan_text("broken", **{"kind: one-page": "kind: nope"}),
    }
    for name, text in plans.items():
        git_repo.write(f"plans/{name}.md", text)
    git_repo.commit("Add plans", "2026-12-01T10:00:00+00:00", author="Ann KAM")
    git_repo.commit(
        "Edit late",
        "2026-12-20T10:00:00+00:00",
        author="Lee KAM",
        **{"plans__late.md": plans["late"].replace("Body text.", "Body text, edited.")},
    )
    return git_repo


def status_json(repo: GitRepo, *args: str) -> dict:
    result = run(["status", "--format", "json", "--today", TODAY, *args], repo.path)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_states_counts_and_urgency_order(plans_repo: GitRepo) -> None:
    document = status_json(plans_repo)
    assert document["version"] == 1
    assert document["today"] == TODAY
    assert [(p["id"], p["freshness"], p["days_overdue"], p["days_left"]) for p in document["plans"]] == [
        ("later", "overdue", 131, None),
        ("late", "overdue", 40, None),
        ("soon", "due-soon", 0, 10),
        ("draft", "never-reviewed", 0, None),
        ("fresh", "fresh", 0, 50),
        ("old", "archived", 0, None),
    ]
    assert document["summary"] == {
        "plans": 6, "overdue": 2, "due_soon": 1, "never_reviewed": 1, "fresh": 1, "archived": 1,
        "open_commitments": 5, "overdue_commitments": 3,
    }  # fmt: skip
    assert document["invalid"] == ["plans/broken.md"]
    late = next(p for p in document["plans"] if p["id"] == "late")
    assert (late["last_change"], late["last_author"], late["revisions"]) == ("2026-12-20", "Lee KAM", 2)
    assert (late["next_review"], late["open_commitments"], late["overdue_commitments"]) == ("2026-12-01", 1, 1)


def test_filters(plans_repo: GitRepo) -> None:
    assert [p["id"] for p in status_json(plans_repo, "--owner", "bo")["plans"]] == ["later"]
    assert [p["id"] for p in status_json(plans_repo, "--state", "overdue", "--state", "due-soon")["plans"]] == [
        "later", "late", "soon"]  # fmt: skip
    assert status_json(plans_repo, "--area", "process analytics")["summary"]["plans"] == 6
    assert status_json(plans_repo, "--area", "Service")["plans"] == []


@pytest.mark.parametrize("columns", [80, 90, 100])
def test_table_fits_columns(plans_repo: GitRepo, columns: int) -> None:
    result = run(["status", "--today", TODAY], plans_repo.path, env={"COLUMNS": str(columns)})
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert lines[0].split()[:3] == ["plan", "account", "owner"]
    assert any("late 40d" in line for line in lines)
    assert len(lines) == 1 + 6 + 3


def test_table_into_a_pipe_is_not_cut(plans_repo: GitRepo) -> None:
    """Not a terminal and no COLUMNS: every cell whole, however wide the table gets."""
    long_account = "Example Account AG with a Very Long Legal Name for the Whole Group of Companies"
    plans_repo.write("plans/wide.md", plan_text("wide", **{"account: Example Account AG": f"account: {long_account}"}))
    result = run(["status", "--today", TODAY], plans_repo.path, env={"COLUMNS": ""})
    assert long_account in result.output
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) > 80
    process = subprocess.run(
        [sys.executable, "-m", "kamdocs", "status", "--today", TODAY],
        cwd=plans_repo.path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
    )
    assert long_account in process.stdout


def test_csv_opens_cleanly_and_guards_formulas(plans_repo: GitRepo) -> None:
    plans_repo.write(
        "plans/evil.md", plan_text("evil", **{"account: Example Account AG": "account: '=HYPERLINK(\"x\")'"})
    )
    result = run(["status", "--format", "csv", "--today", TODAY], plans_repo.path)
    assert result.output.startswith("\ufeffid,file,account,")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    evil = next(r for r in rows if r["id"] == "evil")
    assert evil["account"] == '\'=HYPERLINK("x")'
    assert evil["uncommitted"] == "true"


def test_markdown_for_the_job_summary(plans_repo: GitRepo) -> None:
    plans_repo.write("plans/pipe.md", plan_text("pipe", **{"account: Example Account AG": "account: A|B <script>"}))
    result = run(["status", "--format", "markdown", "--today", TODAY], plans_repo.path)
    assert result.output.startswith(f"### Plan status on {TODAY}\n")
    assert "| later | Example Account AG | bo@example.com |" in result.output
    assert "A&#124;B &lt;script&gt;" in result.output
    assert "<script>" not in result.output


def test_shallow_clone_warning(plans_repo: GitRepo, tmp_path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{plans_repo.path}", str(clone)], check=True)
    result = run(["status", "--today", TODAY], clone)
    assert "kamdocs: warning: this is a shallow git clone" in result.output
    assert "fetch-depth: 0" in result.output


def test_outside_git_the_git_columns_are_empty(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    result = run(["status", "--format", "json", "--today", TODAY], repo)
    plan = json.loads(result.output)["plans"][0]
    assert (plan["last_change"], plan["revisions"], plan["uncommitted"]) == (None, None, False)


def test_source_date_epoch_is_the_default_today(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    result = run(["status", "--format", "json"], repo, env={"SOURCE_DATE_EPOCH": "1798761600"})  # 2027-01-01
    assert json.loads(result.output)["today"] == "2027-01-01"


def test_bad_today_exits_2(make_repo) -> None:
    result = run(["status", "--today", "2027-02-30"], make_repo({"plans/a.md": plan_text("a")}))
    assert result.exit_code == 2
    assert "--today: expected a date YYYY-MM-DD, found '2027-02-30'" in result.output


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_one_plan_is_counted_in_the_singular(make_repo, output_format: str) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    result = run(["status", "--format", output_format, "--today", TODAY], repo)
    assert "1 plan" in result.output
    assert "1 plans" not in result.output
    assert "1 overdue commitment." in result.output  # plan_text has one commitment, due 2026-12-15


OWNERS = {
    # owner as written: what the owner column shows
    "@bigh": "@bigh",
    "@team-lab": "@team-lab",
    "anna.keller@example.com": "anna.keller",
    "Anna Keller": "Anna Keller",
}


def test_the_owner_column_shows_handles_whole_and_emails_by_name(tmp_path: Path) -> None:
    plans = {
        f"p{n}": plan_text(f"p{n}", **{"owner: kam@example.com\n": f"owner: '{owner}'\n"})
        for n, owner in enumerate(OWNERS)
    }
    repo = write_repo(tmp_path, plans)

    result = kamdocs(repo, "status", "--today", WRITE_REPO_TODAY)

    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    start = header.index("owner")
    shown = {row.split()[0]: row[start:].split("  ")[0].strip() for row in rows if row.startswith("p")}
    assert shown == {f"p{n}": column for n, column in enumerate(OWNERS.values())}
