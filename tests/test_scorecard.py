"""The KAM scorecard from a real git repository with fixed commit dates, in which commitments were
marked done before, on and after their due dates, against figures worked out by hand from that history."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from .commands import mkdocs_build_in_process
from .conftest import GitRepo, plan_text, run
from .htmlscan import Scan, table_rows

TODAY = "2026-11-24"

A_DUES = {"a1": "2026-03-31", "a2": "2026-06-30", "a3": "2026-09-30", "a4": "2026-10-31", "a5": "2026-12-15",
          "a6": "2026-05-01"}  # fmt: skip


def plan(plan_id: str, owner: str, area: str, unit: str, target: int, actual: int | None, start: str, end: str,
         reviewed: str, statuses: dict[str, str], dues: dict[str, str], status: str = "active") -> str:  # fmt: skip
    """A one-page plan whose obstacles each have one commitment; ``statuses`` default to open."""
    obstacles = "".join(f"          - id: obs-{c}\n            statement: Obstacle {c}\n" for c in dues)
    commitments = "".join(
        f"  - id: {c}\n    action: Deliver {c}\n    owner: helper@example.com\n    due: {due}\n"
        f"    status: {statuses.get(c, 'open')}\n    resolves: [obs-{c}]\n"
        for c, due in dues.items()
    )
    text = plan_text(plan_id, **{
        "owner: kam@example.com": f"owner: {owner}", "business_area: Process Analytics": f"business_area: {area}",
        "unit: CHF": f"unit: {unit}", "  target: 500000\n": f"  target: {target}\n"
        + (f"  actual: {actual}\n" if actual is not None else ""),
        "start: 2026-01-01": f"start: {start}", "end: 2026-12-31": f"end: {end}",
        "last_reviewed: 2026-10-01": f"last_reviewed: {reviewed}", "kind: one-page\n": f"kind: one-page\nstatus: {status}\n",
    })  # fmt: skip
    text = re.sub(r"          - id: obs-a\n.*?\n(?=commitments:)", obstacles, text, flags=re.S)
    return re.sub(r"commitments:\n.*?(?=---)", "commitments:\n" + commitments, text, flags=re.S)


def alpha(reviewed: str, **statuses: str) -> str:
    return plan("alpha", "ann@example.com", "Process Analytics", "CHF", 1_000_000, 600_000, "2026-01-01",
                "2026-12-31", reviewed, {"a6": "dropped", **statuses}, A_DUES)  # fmt: skip


@pytest.fixture
def history(git_repo: GitRepo) -> GitRepo:
    repo = git_repo
    repo.write("mkdocs.yml", "site_name: Scorecard\ntheme:\n  name: material\n  font: false\nplugins:\n  - kamdocs:\n"
               "      group_by: [owner, business_area]\n")  # fmt: skip
    repo.write("docs/index.md", "# Plans\n")
    repo.write("plans/alpha.md", alpha("2026-01-10"))
    repo.write("plans/beta.md", plan("beta", "ann@example.com", "Process Analytics", "EUR", 200_000, None,
                                     "2026-01-01", "2026-12-31", "2026-10-01", {}, {"b1": "2027-02-01"}))  # fmt: skip
    repo.write("plans/gamma.md", plan("gamma", "bo@example.com", "Service", "units", 40, 10, "2026-04-01",
                                      "2027-03-31", "2026-10-01", {"c1": "done"}, {"c1": "2026-08-01"}))  # fmt: skip
    repo.write("plans/delta.md", plan("delta", "bo@example.com", "Service", "CHF", 9, 9, "2026-01-01", "2026-12-31",
                                      "2026-10-01", {}, {"d1": "2026-02-01"}, status="archived"))  # fmt: skip
    repo.commit("Plans", "2026-01-10T09:00:00+00:00")
    steps = [
        ("2026-03-20T16:00:00+01:00", alpha("2026-01-10", a1="done")),  # 11 days before its due date
        ("2026-04-05T10:00:00+00:00", alpha("2026-04-05", a1="done")),  # review 4 of 5 days before the deadline 04-10
        ("2026-06-30T22:30:00+02:00", alpha("2026-04-05", a1="done", a2="done")),  # on the day, in the committer's zone
        ("2026-07-20T10:00:00+00:00", alpha("2026-07-20", a1="done", a2="done")),  # review late: deadline was 07-05
        ("2026-10-15T10:00:00+00:00", alpha("2026-07-20", a1="done", a2="done", a3="done")),  # 15 days late
    ]
    for when, text in steps:
        repo.write("plans/alpha.md", text)
        repo.commit("Update alpha", when)
    return repo


# Worked out by hand from the history above, for fiscal year 2026 (calendar), today 2026-11-24:
# ann: alpha and beta. Commitments due in 2026, dropped a6 left out: a1 on time (before), a2 on time (on the
# day), a3 late, a4 overdue (due 10-31, open), a5 open (due 12-15); beta's b1 is due in 2027.
# Reviews of alpha: deadlines 04-10 (met by 04-05), 07-05 (missed: 07-20), 10-20 (missed: none since);
# beta's deadline 2027-01-01 is outside. Attainment: CHF 600,000 of 1,000,000; EUR has no actual.
# bo: gamma (delta is archived). c1 was done in gamma's first commit: on time. gamma's goal ends in 2027.
EXPECTED = {
    "ann@example.com": {"plans": ["alpha", "beta"], "commitments_due": 5, "done_on_time": 2, "done_late": 1,
                        "overdue": 1, "open": 1, "reviews_due": 3, "reviews_on_time": 1,
                        "attainment": [("CHF", 600_000, 1_000_000, 1, 0), ("EUR", 0, 0, 1, 1)]},
    "bo@example.com": {"plans": ["gamma"], "commitments_due": 1, "done_on_time": 1, "done_late": 0, "overdue": 0,
                       "open": 0, "reviews_due": 0, "reviews_on_time": 0, "attainment": []},
}  # fmt: skip


def scorecard_json(repo: GitRepo, *args: str) -> dict:
    result = run(["scorecard", "--format", "json", "--today", TODAY, *args], repo.path)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_scorecard_by_owner_matches_the_history(history: GitRepo) -> None:
    document = scorecard_json(history)
    assert document["period"] == {"label": "fiscal year 2026", "start": "2026-01-01", "end": "2026-12-31"}
    got = {row["owner"]: row for row in document["rows"]}
    assert got.keys() == EXPECTED.keys()
    for owner, want in EXPECTED.items():
        row = got[owner]
        for key, value in want.items():
            if key == "attainment":
                value = [dict(zip(["unit", "actual", "target", "plans", "missing"], a, strict=True)) for a in value]
                assert [{k: a[k] for k in ("unit", "actual", "target", "plans", "missing")} for a in row[key]] == value
            else:
                assert row[key] == value, (owner, key)
        assert row["done_on_time"] + row["done_late"] + row["overdue"] + row["open"] == row["commitments_due"]
    assert got["ann@example.com"]["attainment"][0]["ratio"] == 0.6


def test_scorecard_quality_and_overdue_reviews(history: GitRepo) -> None:
    quality = json.loads(run(["quality", "--format", "json", "--today", TODAY], history.path).output)
    scores = {p["id"]: p["score"] for p in quality["plans"]}
    row = {r["owner"]: r for r in scorecard_json(history)["rows"]}["ann@example.com"]
    assert row["quality_average"] == round((scores["alpha"] + scores["beta"]) / 2, 1)
    assert (row["quality_lowest"], row["lowest_plan"]) == min((scores["alpha"], "alpha"), (scores["beta"], "beta"))
    # alpha was last reviewed 2026-07-20 (quarterly): due 2026-10-20, 35 days before today.
    assert (row["overdue_plans"], row["days_overdue_total"], row["days_overdue_most"]) == (1, 35, 35)
    late = [
        r for r in next(p for p in quality["plans"] if p["id"] == "alpha")["reasons"] if r["rule"] == "commitment-late"
    ]
    assert [r["message"] for r in late] == [
        "expected commitment 'a3' done by 2026-09-30, found it done on 2026-10-15 per git history, 15 days late"
    ]


def test_scorecard_by_business_area_and_reviewer_and_other_periods(history: GitRepo) -> None:
    areas = {r["business_area"]: r for r in scorecard_json(history, "--by", "business_area")["rows"]}
    assert areas.keys() == {"Process Analytics", "Service"}
    assert areas["Service"]["plans"] == ["gamma"]
    reviewers = scorecard_json(history, "--by", "reviewer")["rows"]
    assert [(r["reviewer"], r["plans"]) for r in reviewers] == [("bam@example.com", ["alpha", "beta", "gamma"])]
    next_year = {r["owner"]: r for r in scorecard_json(history, "--period", "2027")["rows"]}
    assert next_year["bo@example.com"]["attainment"][0]["unit"] == "units"  # gamma's goal ends in 2027
    assert next_year["ann@example.com"]["plans"] == [] if "ann@example.com" in next_year else True
    spring = {r["owner"]: r for r in scorecard_json(history, "--from", "2026-03-01", "--to", "2026-06-30")["rows"]}
    ann = spring["ann@example.com"]
    assert (ann["commitments_due"], ann["done_on_time"], ann["done_late"]) == (2, 2, 0)  # a1 and a2; a6 dropped
    assert ann["reviews_due"] == 1 and ann["reviews_on_time"] == 1  # the 04-10 deadline


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026", "--from", "2026-01-01", "--to", "2026-02-01"], "either --period or --from and --to"),
        (["--from", "2026-01-01"], "expected --from and --to together"),
        (["--from", "2026-03-01", "--to", "2026-02-01"], "is after --to"),
        (["--from", "2026-02-30", "--to", "2026-03-01"], "--from"),
        (["--by", "team"], "Invalid value for '--by'"),
    ],
)
def test_scorecard_refuses_bad_periods(history: GitRepo, args: list[str], message: str) -> None:
    result = run(["scorecard", *args], history.path)
    assert result.exit_code == 2 and message in result.output


def test_scorecard_table_csv_and_markdown(history: GitRepo) -> None:
    table = run(["scorecard", "--today", TODAY], history.path).output.splitlines()
    header, ann = table[0], next(line for line in table if line.startswith("ann@example.com"))
    for title, value in [("Plans", "2"), ("Commitments due", "5"), ("Late", "1"), ("Reviews on time", "1 of 3")]:
        assert ann.index(value, header.index(title) - len(value)) + len(value) == header.index(title) + len(title)
    assert "60% of 1,000,000 CHF; no actual in EUR" in ann
    rows = list(csv.DictReader(io.StringIO(run(["scorecard", "--format", "csv", "--today", TODAY],
                                               history.path).output.lstrip("\ufeff"))))  # fmt: skip
    assert [(r["owner"], r["done_late"], r["period_start"]) for r in rows] == [
        ("ann@example.com", "1", "2026-01-01"), ("bo@example.com", "0", "2026-01-01")]  # fmt: skip
    markdown = run(["scorecard", "--format", "markdown", "--today", TODAY], history.path).output
    assert markdown.startswith("### Scorecard by owner, fiscal year 2026")
    assert "| ann@example.com | 2 |" in markdown


def test_scorecard_page_links_each_person_to_their_plans(history: GitRepo) -> None:
    history.write("mkdocs.yml", (history.path / "mkdocs.yml").read_text() + f"      today: {TODAY}\n")
    result = mkdocs_build_in_process(history.path)
    assert result.returncode == 0, result.stderr
    site = history.path.parent / "site"
    page = (site / "plans/scorecard/index.html").read_text(encoding="utf-8")
    rows = table_rows(page)
    ann = next(r for r in rows if r[0] == "ann@example.com")
    # The site groups the twelve columns into five: each figure, and under it what qualifies it.
    assert ann[1].split(" ")[0] == "2" and ann[4] == "1 of 3"
    assert ann[3] == "5 2\u00a0on time · 1\u00a0late · 1\u00a0overdue · 1\u00a0open"
    links = {e.content: e.attrs["href"] for e in Scan(page).find("a") if e.content.endswith("@example.com")}
    assert set(links) == {"ann@example.com", "bo@example.com"}
    for href in links.values():
        assert (site / "plans/scorecard" / href / "index.html").resolve().is_file()
    assert "data-kd-sortable" in page
    nav = (site / "plans/index.html").read_text(encoding="utf-8")
    assert 'href="scorecard/"' in nav or "scorecard/" in nav


def test_without_git_the_scorecard_still_counts(tmp_path: Path, make_repo) -> None:
    text = alpha("2026-07-20", a1="done", a2="done", a3="done")
    repo = make_repo({"plans/alpha.md": text})
    result = run(["scorecard", "--format", "json", "--today", TODAY], repo)
    row = json.loads(result.output)["rows"][0]
    # No history: nothing is judged late, and which review deadlines were met is not known (not "0 of 1").
    assert (row["done_on_time"], row["done_late"], row["overdue"], row["open"]) == (3, 0, 1, 1)
    assert (row["reviews_due"], row["reviews_on_time"], row["reviews_since"]) == (None, None, None)
    table = run(["scorecard", "--today", TODAY], repo).output
    assert "not known (no git history)" in table and "0 of 1" not in table


def test_a_shallow_clone_does_not_count_reviews(history: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    history.git("clone", "-q", "--depth", "1", f"file://{history.path}", str(clone))
    result = run(["scorecard", "--format", "json", "--today", TODAY], clone)
    assert result.exit_code == 0 and "shallow git clone" in result.stderr
    row = {r["owner"]: r for r in json.loads(result.stdout)["rows"]}["ann@example.com"]
    assert (row["reviews_due"], row["reviews_on_time"]) == (None, None)
    assert row["commitments_due"] == 5  # the rest of the row is still there


def test_history_that_starts_in_the_period_counts_only_the_deadlines_after_it(git_repo: GitRepo) -> None:
    # One import commit on 2026-08-01 of a plan reviewed 2026-07-20 (quarterly): the deadline 2026-10-20 is
    # after the commit and was missed; the deadlines before the import (from reviews git never saw) are unknown.
    git_repo.write("plans/alpha.md", alpha("2026-07-20"))
    git_repo.commit("Import the plans", "2026-08-01T09:00:00+00:00")
    row = scorecard_json(git_repo)["rows"][0]
    assert (row["reviews_due"], row["reviews_on_time"], row["reviews_since"]) == (1, 0, "2026-08-01")
    line = next(x for x in run(["scorecard", "--today", TODAY], git_repo.path).output.splitlines() if "ann@" in x)
    assert "0 of 1 since git history began on 2026-08-01" in line


def test_an_owner_of_drafts_only_has_no_quality_figures(make_repo) -> None:
    """Drafts are not judged: no average and no lowest plan, shown as missing, never as a score of 0."""
    draft = plan("draft", "dora@example.com", "Process Analytics", "CHF", 100, None, "2026-01-01", "2026-12-31",
                 "2026-10-01", {}, {"d1": "2026-12-15"}, status="draft")  # fmt: skip
    repo = make_repo({"plans/alpha.md": alpha("2026-10-01"), "plans/draft.md": draft})
    rows = {
        r["owner"]: r for r in json.loads(run(["scorecard", "--format", "json", "--today", TODAY], repo).output)["rows"]
    }
    dora = rows["dora@example.com"]
    assert (dora["quality_average"], dora["quality_lowest"], dora["lowest_plan"], dora["lowest_account"]) == (
        None, None, None, None,
    )  # fmt: skip
    assert rows["ann@example.com"]["lowest_plan"] == "alpha"
    assert isinstance(rows["ann@example.com"]["quality_lowest"], int)
    line = next(x for x in run(["scorecard", "--today", TODAY], repo).output.splitlines() if "dora@" in x)
    assert line.split()[1:4] == ["1", "–", "–"]
