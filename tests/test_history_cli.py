"""``kamdocs history`` and ``kamdocs show --at`` on real git repositories with fixed commit dates.

Every figure below is worked out by hand from the versions each test commits, with the rules of
docs/quality.md and docs/freshness.md; none is taken from kamdocs' own functions.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .conftest import GitRepo, plan_text, run

FIRST = plan_text("acme")
"""Version 1: the minimal plan: target 500,000 CHF, no actual, reviewed 2026-10-01 (quarterly), one open
commitment c-a due 2026-12-15 owned by the plan owner, no buying centre, no KPI."""

DONE_B = """  - id: c-b
    action: Send the reference list
    owner: kam@example.com
    due: 2026-11-30
    status: done
    resolves: [obs-a]
"""
OPEN_C = """  - id: c-c
    action: Book the plant visit
    owner: kam@example.com
    due: 2026-08-31
    status: open
    resolves: [obs-a]
"""
KPI = """kpis:
  - id: nps
    name: Net promoter score
    unit: points
    target: 50
    actual: {actual}
    as_of: {as_of}
    direction: higher-is-better
"""


def version(actual: str = "", commitments: str = "", kpi: str = "", body: str = "Body text.") -> str:
    """The plan with a goal actual, commitments after c-a, a KPI block and a body of its own."""
    text = FIRST.replace("  unit: CHF\n", "  unit: CHF\n" + (f"  actual: {actual}\n" if actual else ""))
    text = text.replace("    resolves: [obs-a]\n---", "    resolves: [obs-a]\n" + commitments + kpi + "---")
    return text.replace("Body text.", body)


VERSIONS = [
    ("2026-01-10", "Anna Keller", "first plan", version()),
    ("2026-03-10", "Anna Keller", "actual 120k", version("120000")),
    ("2026-04-10", "Beat Meier", "wording only", version("120000", body="Body text, reworded.")),
    ("2026-06-10", "Beat Meier", "actual 1.25m, reference list sent", version("1250000", DONE_B)),
    (
        "2026-09-10",
        "Anna Keller",
        "plant visit planned, nps measured",
        version("1250000", DONE_B + OPEN_C, KPI.format(actual=42, as_of="2026-09-01")),
    ),
]


def rising(repo: GitRepo) -> list[str]:
    """The five commits of plans/acme.md; their ids, oldest first."""
    for day, author, subject, text in VERSIONS:
        repo.commit(subject, f"{day}T09:00:00+00:00", author=author, **{"plans__acme.md": text})
    return repo.git("log", "--reverse", "--format=%H").split()


# The figures of each version, judged on its commit day (docs/quality.md):
# - v1 (2026-01-10) loses 3 (no champion) + 6 (no economic buyer, essential) in people, 11 (no baseline,
#   essential) + 5 (no metric) in completeness, 5 (c-a owned by the plan owner: a third of ownership's 15)
#   and the whole kpis category, 10 (the goal period began 2026-01-01 and no actual): 100 - 40 = 60.
#   Essentials missing in two categories: band poor at any score below 80.
# - v2 (2026-03-10) has the actual: kpis whole again, 70 poor. 1 open, 0 overdue, 0 done.
# - v3 only rewords the body: no figure changes, so no row.
# - v4 (2026-06-10): c-b done, owned by the plan owner too: ownership's 15 shared by two commitments,
#   each losing a third of its 7.5 = 2.5, 5 in all, as before; c-b is not due yet, so delivery loses
#   nothing: 70 poor; 1 open, 0 overdue, 1 done.
# - v5 (2026-09-10): c-c, due 2026-08-31, is open on 2026-09-10: overdue. Open commitments are those not
#   done or dropped: c-a and c-c, 2. Delivery: of the commitments due before that day (c-c), none done
#   on time: the category's 10 points lost. Ownership: three commitments of 5 points each, each losing a
#   third: 5 again. The kpis category is shared half and half by the goal's actual and the KPI nps,
#   measured 2026-09-01, within the quarter: nothing lost. 100 - 3 - 6 - 11 - 5 - 5 - 10 = 60, poor.
EXPECTED = [
    # date, author, actual, score, band, open, overdue, done
    ("2026-01-10", "Anna Keller", None, 60, "poor", 1, 0, 0),
    ("2026-03-10", "Anna Keller", 120000, 70, "poor", 1, 0, 0),
    ("2026-06-10", "Beat Meier", 1250000, 70, "poor", 1, 0, 1),
    ("2026-09-10", "Anna Keller", 1250000, 60, "poor", 2, 1, 1),
]


def history_json(repo: Path, *args: str) -> dict:
    result = run(["history", "acme", "--format", "json", "--today", "2026-12-01", *args], repo)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_version_that_changed_a_figure(git_repo: GitRepo) -> None:
    shas = rising(git_repo)
    document = history_json(git_repo.path)
    assert document["version"] == 1 and document["file"] == "plans/acme.md"
    assert document["history_starts"] == "2026-01-10" and document["shallow"] is False
    rows = document["versions"]
    got = [
        (r["date"], r["author"], r["goal_actual"], r["quality_score"], r["quality_band"],
         r["open_commitments"], r["overdue_commitments"], r["done_commitments"])
        for r in rows
    ]  # fmt: skip
    assert got == EXPECTED
    assert [r["commit"] for r in rows] == [shas[0], shas[1], shas[3], shas[4]]
    assert {r["goal_target"] for r in rows} == {500000} and {r["goal_unit"] for r in rows} == {"CHF"}
    # Reviewed 2026-10-01, quarterly: the next review 2027-01-01 lies after every commit day.
    assert {r["freshness"] for r in rows} == {"fresh"}
    assert {r["stale_contacts"] for r in rows} == {0}  # no buying centre: nobody to be stale
    assert [r["kpis"] for r in rows][-1] == [{"id": "nps", "actual": 42, "unit": "points"}]
    assert [r["kpis"] for r in rows][:3] == [[], [], []]
    assert {r["kind"] for r in rows} == {"valid"}


def test_text_table_groups_numbers(git_repo: GitRepo) -> None:
    shas = rising(git_repo)
    result = run(["history", "plans/acme.md", "--today", "2026-12-01"], git_repo.path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "plans/acme.md: 4 versions changed its figures."
    assert lines[2].split() == ["date", "commit", "author", "goal", "quality", "freshness", "o/od/d", "stale", "KPIs"]
    assert lines[3].split() == ["2026-01-10", shas[0][:10], "Anna", "Keller", "-", "/", "500,000", "CHF",
                                "60", "poor", "fresh", "1/0/0", "0"]  # fmt: skip
    assert lines[5].split() == ["2026-06-10", shas[3][:10], "Beat", "Meier", "1,250,000", "/", "500,000", "CHF",
                                "70", "poor", "fresh", "1/0/1", "0"]  # fmt: skip
    assert lines[6].endswith("2/1/1      0  nps 42 points")


def test_the_table_fits_a_narrow_terminal(git_repo: GitRepo) -> None:
    shas = rising(git_repo)
    args = ["history", "acme", "--until", "2026-06-30", "--today", "2026-12-01"]  # no KPI yet: no KPI column
    wide = run(args, git_repo.path, env={"COLUMNS": "200"}).stdout.splitlines()[2:6]
    # date 10, commit 10, author 11 (Anna Keller), goal 23 (1,250,000 / 500,000 CHF), quality 7, freshness 9
    # (its header), o/od/d 6, stale 5: 81, and 7 gaps of 2.
    assert max(len(line) for line in wide) == 95 and wide[1].startswith(f"2026-01-10  {shas[0][:10]}  Anna Keller")
    # At 80: single spaces (88), then dates as 26-01-10 and commit ids of 7 (83), then the author cut by 3.
    narrow = run(args, git_repo.path, env={"COLUMNS": "80"}).stdout.splitlines()[2:6]
    assert max(len(line) for line in narrow) == 80
    assert narrow[1] == f"26-01-10 {shas[0][:7]} Anna Ke…         - / 500,000 CHF 60 poor fresh      1/0/0     0"


def test_since_and_until_in_swiss_and_iso_dates(git_repo: GitRepo) -> None:
    rising(git_repo)
    swiss = history_json(git_repo.path, "--since", "01.03.2026", "--until", "10.06.2026")
    assert [r["date"] for r in swiss["versions"]] == ["2026-03-10", "2026-06-10"]
    assert swiss["since"] == "2026-03-01" and swiss["until"] == "2026-06-10"
    iso = history_json(git_repo.path, "--since", "2026-03-01", "--until", "2026-06-10")
    assert iso["versions"] == swiss["versions"]
    # The wording-only commit of 2026-04-10 is no row even when the period starts on it.
    assert [r["date"] for r in history_json(git_repo.path, "--since", "2026-04-10")["versions"]] == [
        "2026-06-10",
        "2026-09-10",
    ]
    late = run(["history", "acme", "--since", "2026-07-01", "--until", "2026-03-01"], git_repo.path)
    assert late.exit_code == 2 and "--since 2026-07-01 is after --until 2026-03-01" in late.output
    unclear = run(["history", "acme", "--since", "01/02/2026"], git_repo.path)
    assert unclear.exit_code == 2
    assert "2026-01-02 if you mean 2 January 2026, or 2026-02-01 if you mean 1 February 2026" in unclear.output


def test_csv_and_markdown_parse_back(git_repo: GitRepo) -> None:
    rising(git_repo)
    result = run(["history", "acme", "--format", "csv", "--today", "2026-12-01"], git_repo.path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert [(r["date"], r["goal_actual"], r["quality_score"], r["overdue_commitments"]) for r in rows] == [
        ("2026-01-10", "", "60", "0"),
        ("2026-03-10", "120000", "70", "0"),
        ("2026-06-10", "1250000", "70", "0"),
        ("2026-09-10", "1250000", "60", "1"),
    ]
    assert [r["kpi:nps"] for r in rows] == ["", "", "", "42"]
    assert rows[2]["author"] == "Beat Meier" and rows[2]["subject"] == "actual 1.25m, reference list sent"
    markdown = run(["history", "acme", "--format", "markdown", "--today", "2026-12-01"], git_repo.path).stdout
    table = [line for line in markdown.splitlines() if line.startswith("| 2026-")]
    assert [line.split(" | ")[3] for line in table] == [
        "- / 500,000 CHF",
        "120,000 / 500,000 CHF",
        "1,250,000 / 500,000 CHF",
        "1,250,000 / 500,000 CHF",
    ]


def test_csv_guards_formulas_from_commit_text(git_repo: GitRepo) -> None:
    git_repo.commit('=HYPERLINK("http://x")', "2026-02-01T09:00:00+00:00", author="@evil", **{"plans__acme.md": FIRST})
    rows = list(csv.reader(io.StringIO(run(["history", "acme", "--format", "csv"], git_repo.path).stdout)))
    assert rows[1][3] == '\'=HYPERLINK("http://x")' and rows[1][2] == "'@evil"


def test_show_at_a_day_a_commit_and_before_the_first(git_repo: GitRepo) -> None:
    shas = rising(git_repo)
    # 30.06.2026: the newest version on or before it is v4 of 2026-06-10, judged on that day.
    result = run(["show", "acme", "--at", "30.06.2026"], git_repo.path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0] == f"# plans/acme.md at {shas[3][:10]} of 2026-06-10 by Beat Meier: actual 1.25m, reference list sent"
    )
    assert "  actual: 1250000" in lines and "  - id: c-b" in lines and "  - id: c-c" not in lines
    # The review date 2026-10-01 was in the future on 2026-06-10: check's warning, judged on that day.
    assert (
        "plans/acme.md:9:18: warning[review-in-future] expected a review date on or before today 2026-06-10, "
        "found 2026-10-01" in lines
    )
    assert "Checked 1 plan: 0 errors, 1 warning." in lines
    assert lines[-1] == (
        "Figures: goal 1,250,000 / 500,000 CHF; quality 70 poor; freshness fresh; "
        "commitments 1/0/1 (open/overdue/done); stale contacts 0."
    )
    at_sha = run(["show", "acme", "--at", shas[1]], git_repo.path).stdout
    assert at_sha.splitlines()[0] == f"# plans/acme.md at {shas[1][:10]} of 2026-03-10 by Anna Keller: actual 120k"
    assert "quality 70 poor" in at_sha and "goal 120,000 / 500,000 CHF" in at_sha
    # The wording-only commit is a version too: at it, the text it had.
    assert "Body text, reworded." in run(["show", "acme", "--at", shas[2][:8]], git_repo.path).stdout
    assert "Body text, reworded." in run(["show", "acme", "--at", "HEAD~2"], git_repo.path).stdout
    before = run(["show", "acme", "--at", "2025-12-31"], git_repo.path)
    assert before.exit_code == 2
    assert before.output == (
        "kamdocs: error: --at 2025-12-31: plans/acme.md has no version on or before 2025-12-31: "
        "its history starts on 2026-01-10; run: kamdocs history plans/acme.md for its versions\n"
    )
    unknown = run(["show", "acme", "--at", "v9.9"], git_repo.path)
    assert unknown.exit_code == 2 and unknown.output.count("\n") == 1
    assert "unknown git revision 'v9.9'" in unknown.output and "DD.MM.YYYY" in unknown.output
    impossible = run(["show", "acme", "--at", "31.02.2026"], git_repo.path)
    assert impossible.exit_code == 2 and "--at: expected a date" in impossible.output


def test_show_without_at_is_the_file_now(git_repo: GitRepo) -> None:
    rising(git_repo)
    git_repo.write("plans/acme.md", version("1300000", DONE_B + OPEN_C, KPI.format(actual=42, as_of="2026-09-01")))
    result = run(["show", "acme", "--today", "2026-10-05"], git_repo.path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "# plans/acme.md as it is on 2026-10-05 (working tree)"
    # On 2026-10-05 the review of 2026-10-01 is past: no warning for it. c-c, due 2026-08-31, is still
    # open: 30 days of September and 5 of October overdue. As in v5: 60 poor.
    assert (
        "plans/acme.md:44:10: warning[commitment-overdue] expected commitment 'c-c' done by 2026-08-31, "
        "found it still open: 35 days overdue" in result.stdout
    )
    assert "Checked 1 plan: 0 errors, 1 warning." in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Figures: goal 1,300,000 / 500,000 CHF; quality 60 poor;")


def test_invalid_and_deleted_versions(git_repo: GitRepo) -> None:
    git_repo.commit("first", "2026-01-10T09:00:00+00:00", **{"plans__acme.md": FIRST})
    broken = FIRST.replace("  target: 500000\n", "  target: lots\n").replace("business_area: Process Analytics\n", "")
    git_repo.commit("broken", "2026-02-10T09:00:00+00:00", **{"plans__acme.md": broken})
    git_repo.commit("fixed", "2026-03-10T09:00:00+00:00", **{"plans__acme.md": version("90000")})
    git_repo.git("rm", "-q", "plans/acme.md")
    git_repo.git("commit", "-q", "-m", "gone", when="2026-04-10T09:00:00+00:00")
    git_repo.commit("back", "2026-05-10T09:00:00+00:00", **{"plans__acme.md": version("90000")})
    document = history_json(git_repo.path)
    kinds = [(r["date"], r["kind"], r["errors"], r["goal_actual"]) for r in document["versions"]]
    # Two errors in the broken version: the target is no number, the business area is missing.
    assert kinds == [
        ("2026-01-10", "valid", 0, None),
        ("2026-02-10", "invalid", 2, None),
        ("2026-03-10", "valid", 0, 90000),
        ("2026-04-10", "deleted", 0, None),
        ("2026-05-10", "valid", 0, 90000),
    ]
    text = run(["history", "acme", "--today", "2026-12-01"], git_repo.path).stdout
    assert "invalid: 2 errors" in text and "deleted" in text
    shown = run(["show", "acme", "--at", "2026-02-20"], git_repo.path)
    assert shown.exit_code == 0 and "Figures: none, the version is invalid (2 errors)." in shown.stdout
    assert "Checked 1 plan: 2 errors, " in shown.stdout
    gone = run(["show", "acme", "--at", "2026-04-20"], git_repo.path)
    assert gone.exit_code == 2 and "was deleted" in gone.output


def test_rename_shows_the_earlier_name(git_repo: GitRepo) -> None:
    git_repo.commit("first", "2026-01-10T09:00:00+00:00", **{"plans__old.md": plan_text("old")})
    git_repo.git("mv", "plans/old.md", "plans/acme.md")
    git_repo.commit("renamed", "2026-02-10T09:00:00+00:00", **{"plans__acme.md": plan_text("acme")})
    git_repo.commit("actual", "2026-03-10T09:00:00+00:00", **{"plans__acme.md": version("75000")})
    rows = history_json(git_repo.path)["versions"]
    # The rename changed no figure: the first version and the one with the actual are the rows.
    assert [(r["date"], r["file"], r["goal_actual"]) for r in rows] == [
        ("2026-01-10", "plans/old.md", None),
        ("2026-03-10", "plans/acme.md", 75000),
    ]
    text = run(["history", "acme"], git_repo.path).stdout
    assert "plans/old.md" in text and "file: the plan's name in that version." in text
    old = run(["show", "acme", "--at", "2026-01-31"], git_repo.path)
    assert old.exit_code == 0 and old.stdout.startswith("# plans/old.md at ")
    assert "id: old" in old.stdout


def test_a_plan_not_committed_yet(git_repo: GitRepo) -> None:
    git_repo.commit("other", "2026-01-10T09:00:00+00:00", **{"plans__other.md": plan_text("other")})
    git_repo.write("plans/acme.md", version("5000"))
    document = history_json(git_repo.path)
    assert document["history_starts"] is None
    assert [(r["date"], r["commit"], r["subject"], r["goal_actual"]) for r in document["versions"]] == [
        ("2026-12-01", None, "not committed yet", 5000)
    ]
    text = run(["history", "acme", "--today", "2026-12-01"], git_repo.path).stdout
    assert "not committed yet" in text.splitlines()[3]
    assert "Note: plans/acme.md is not committed yet" in text
    at = run(["show", "acme", "--at", "2026-06-01"], git_repo.path)
    assert at.exit_code == 2 and "is in no commit yet" in at.output


def test_no_git_and_git_false(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"plans/acme.md": FIRST})
    result = run(["history", "acme"], repo)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "is not in a git repository, so there is no history to show" in result.output
    at = run(["show", "acme", "--at", "2026-06-01"], repo)
    assert at.exit_code == 2 and "is not in a git repository" in at.output
    now = run(["show", "acme", "--today", "2026-10-05"], repo)
    assert now.exit_code == 0 and "Figures: goal - / 500,000 CHF; quality 60 poor;" in now.stdout


def test_git_false_is_refused(git_repo: GitRepo) -> None:
    git_repo.commit("first", "2026-01-10T09:00:00+00:00", **{"plans__acme.md": FIRST})
    git_repo.write("mkdocs.yml", "site_name: t\nplugins:\n  - kamdocs:\n      git: false\n")
    result = run(["history", "acme"], git_repo.path)
    assert result.exit_code == 2 and "git: false in " in result.output


def test_shallow_clone_says_where_history_starts(git_repo: GitRepo, tmp_path: Path) -> None:
    rising(git_repo)
    clone = tmp_path / "clone"
    git_repo.git("clone", "-q", "--depth", "2", f"file://{git_repo.path}", str(clone))
    result = run(["history", "acme", "--today", "2026-12-01"], clone)
    assert result.exit_code == 0, result.output
    assert "Note: history starts on 2026-06-10 (shallow clone)." in result.stdout
    document = json.loads(run(["history", "acme", "--format", "json"], clone).stdout)
    assert document["shallow"] is True and document["history_starts"] == "2026-06-10"


@pytest.mark.parametrize("command", ["history", "show"])
def test_help(command: str, tmp_path: Path) -> None:
    result = run([command, "--help"], tmp_path)
    assert result.exit_code == 0 and "PLAN is a plan file or a plan id." in result.stdout


def test_uncommitted_errors_are_counted(git_repo: GitRepo) -> None:
    git_repo.commit("first", "2026-01-10T09:00:00+00:00", **{"plans__acme.md": FIRST})
    # Two errors in the working tree: the target is no number, the business area is missing.
    broken = FIRST.replace("  target: 500000\n", "  target: lots\n").replace("business_area: Process Analytics\n", "")
    git_repo.write("plans/acme.md", broken)
    rows = history_json(git_repo.path)["versions"]
    assert [(r["commit"], r["kind"], r["errors"]) for r in rows][-1] == (None, "invalid", 2)
    now = run(["show", "acme", "--today", "2026-12-01"], git_repo.path)
    assert now.exit_code == 0 and now.stdout.splitlines()[-1] == "Figures: none, the version is invalid (2 errors)."


def test_show_at_a_branch_not_checked_out_is_refused(git_repo: GitRepo) -> None:
    rising(git_repo)
    git_repo.git("checkout", "-q", "-b", "idea", "HEAD~2")
    git_repo.commit("an idea", "2026-10-01T09:00:00+00:00", **{"plans__acme.md": version("999")})
    git_repo.git("checkout", "-q", "main")
    result = run(["show", "acme", "--at", "idea"], git_repo.path)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "is not in the history of the checked-out branch (HEAD); check out idea" in result.output
    # Its parent is in main's history: shown.
    assert run(["show", "acme", "--at", "idea~1"], git_repo.path).exit_code == 0


def test_front_matter_text_is_escaped_in_every_format(git_repo: GitRepo) -> None:
    unit = FIRST.replace("  unit: CHF\n", '  unit: "kg | =1+2 <b>"\n  actual: 5\n')
    git_repo.commit("odd unit", "2026-02-01T09:00:00+00:00", **{"plans__acme.md": unit})
    markdown = run(["history", "acme", "--format", "markdown"], git_repo.path).stdout
    assert "| 5 / 500,000 kg &#124; =1+2 &lt;b&gt; |" in markdown and "<b>" not in markdown
    rows = list(csv.DictReader(io.StringIO(run(["history", "acme", "--format", "csv"], git_repo.path).stdout)))
    assert rows[0]["goal_unit"] == "kg | =1+2 <b>"  # not a formula: it starts with a letter
    assert history_json(git_repo.path)["versions"][0]["goal_unit"] == "kg | =1+2 <b>"
