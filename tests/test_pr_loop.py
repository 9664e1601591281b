"""The pull-request loop, as a new user runs it: init, new, check, build, diff,
rollover, codeowners, export and the pre-commit hook, on real git repositories."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kamdocs.edit.scaffold import WORKFLOWS, workflow_text
from kamdocs.report.plan_diff import Change, describe

from .commands import mkdocs_build_in_process
from .conftest import ROOT, GitRepo, plan_text, run

TODAY = "2026-11-22"


# kamdocs init


def test_init_scaffolds_a_repository_that_checks_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "plans-repo"
    result = run(["init", str(target), "--today", TODAY], tmp_path)
    assert result.exit_code == 0, result.output
    for name in ["mkdocs.yml", "schema/plans.schema.json", "plans/example-one-page.md", "plans/example-full.md",
                 ".github/workflows/plans.yml", ".github/workflows/freshness.yml", ".github/workflows/pages.yml",
                 ".pre-commit-config.yaml", "README.md", "docs/index.md"]:  # fmt: skip
        assert (target / name).is_file(), name
    checked = run(["check", "--today", TODAY], target)
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "Checked 2 plans: 0 errors, 0 warnings."
    built = mkdocs_build_in_process(target, "--strict", site=tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site/plans/accounts/example-one-page/index.html").is_file()
    assert "$comment" in (target / "schema/plans.schema.json").read_text(encoding="utf-8")
    # The repository opens on the roll-up: the dashboard's cards and the table of every plan.
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert '<span class="kd-count">2</span> plans' in home
    assert home.count('class="kd-grid"') == 1 and "Example Customer AG" in home
    # The Plans section comes right after the home page, before the repository's other pages.
    (target / "docs/guide.md").write_text("# Our guide\n", encoding="utf-8")
    assert mkdocs_build_in_process(target, "--strict", site=tmp_path / "site2").returncode == 0
    home = (tmp_path / "site2/index.html").read_text(encoding="utf-8")
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span[^>]*>)?\s*([^<]+?)\s*<', home)
    assert nav.index("Plans") < nav.index("Dashboard") < nav.index("Our guide")


def test_init_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run(["init", str(tmp_path / "busy")], tmp_path)
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_init_workflows_are_this_repositorys_with_another_install_step(tmp_path: Path) -> None:
    for name in WORKFLOWS:
        ours = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert ours == workflow_text(name, "python -m pip install .")
    run(["init", str(tmp_path / "r")], tmp_path)
    files = [str(tmp_path / "r/.github/workflows" / n) for n in WORKFLOWS]
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             *files], capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    plans = yaml.safe_load((tmp_path / "r/.github/workflows/plans.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in plans["jobs"]["check"]["steps"]]
    assert "kamdocs codeowners --check" in runs
    assert any("kamdocs diff" in r and "--format markdown" in r for r in runs)


# kamdocs new


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    run(["init", str(tmp_path / "r"), "--today", TODAY], tmp_path)
    return tmp_path / "r"


@pytest.mark.parametrize("kind", ["one-page", "full"])
def test_new_plan_passes_the_schema_and_reports_placeholders(repo: Path, kind: str) -> None:
    result = run(["new", "acme", "--kind", kind, "--account", "Acme: Chemicals #1", "--owner", "kim@example.com",
                  "--area", "Process Analytics", "--today", TODAY], repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo / "plans/acme.md").read_text(encoding="utf-8")
    assert f"last_reviewed: {TODAY}" in text
    assert "account: 'Acme: Chemicals #1'" in text
    report = json.loads(run(["check", "--format", "json", "--today", TODAY, "plans/acme.md"], repo).output)
    assert report["summary"]["errors"] == 0
    rules = {f["rule"] for f in report["findings"]}
    assert rules == {"todo"}
    if kind == "full":
        assert [h for h in re.findall(r"^## (.+)$", text, flags=re.M)] == [
            "Overview", "Requirements", "Organisation", "Mapping", "Sales objectives", "Strategy and actions",
            "Added value", "Commitments", "KPIs"]  # fmt: skip


def test_new_refuses_existing_ids_and_bad_slugs(repo: Path) -> None:
    args = ["--kind", "one-page", "--account", "A", "--owner", "o", "--area", "x"]
    taken = run(["new", "example-full", *args], repo)
    assert taken.exit_code == 2 and "already exists" in taken.output
    bad = run(["new", "Not A Slug", *args], repo)
    assert bad.exit_code == 2 and "expected a slug" in bad.output
    assert not (repo / "plans/Not A Slug.md").exists()


# kamdocs diff

BASE = {
    "alpha": plan_text("alpha", **{"kind: one-page\n": "kind: one-page\nstatus: active\n"}),
    "beta": plan_text("beta"),
    "gamma": plan_text("gamma"),
    "delta": plan_text("delta"),
}


@pytest.fixture
def diff_repo(git_repo: GitRepo) -> GitRepo:
    for name, text in BASE.items():
        git_repo.write(f"plans/{name}.md", text)
    git_repo.commit("Plans", "2026-11-01T10:00:00+00:00")
    return git_repo


def change_everything(repo: GitRepo) -> None:
    alpha = BASE["alpha"].replace("target: 500000", "target: 600000").replace(
        "  statement: Grow order intake to CHF 500k", "  statement: Grow order intake to CHF 600k").replace(
        "end: 2026-12-31", "end: 2027-03-31").replace("\nowner: kam@example.com", "\nowner: lee@example.com").replace(
        "reviewer: bam@example.com", "reviewer: boss@example.com").replace(
        "    due: 2026-12-15\n    status: open", "    due: 2027-01-15\n    status: done").replace(
        "          - id: obs-a\n", "          - id: obs-b\n            statement: New obstacle\n          - id: obs-a\n"
    ) + ""  # fmt: skip
    alpha = alpha.replace("commitments:\n", "commitments:\n  - id: c-new\n    action: New action\n    owner: lee@example.com\n"
                          "    due: 2027-02-01\n    status: open\n    resolves: [obs-b]\n")  # fmt: skip
    repo.write("plans/alpha.md", alpha)
    repo.write("plans/beta.md", BASE["beta"].replace("last_reviewed: 2026-10-01", "last_reviewed: 2026-11-20"))
    (repo.path / "plans/gamma.md").unlink()
    repo.git("mv", "plans/delta.md", "plans/epsilon.md")
    repo.write(
        "plans/epsilon.md", BASE["delta"].replace("id: delta", "id: epsilon").replace("status: open", "status: dropped")
    )
    full = (ROOT / "tests/example-files/positive/full-minimal.md").read_text(encoding="utf-8")
    repo.write(
        "plans/zeta.md", full.replace("id: full-minimal", "id: zeta").replace("Example Account AG", "Zeta Works")
    )


EXPECTED = {
    ("alpha", "modified"): [
        ("goal-target", None, 500000, 600000),
        ("goal-statement", None, "Grow order intake to CHF 500k", "Grow order intake to CHF 600k"),
        ("goal-period", None, "2026-01-01 to 2026-12-31", "2026-01-01 to 2027-03-31"),
        ("owner", None, "kam@example.com", "lee@example.com"),
        ("reviewer", None, "bam@example.com", "boss@example.com"),
        ("commitment-added", "c-new", None, "New action (lee@example.com, due 2027-02-01)"),
        ("commitment-completed", "c-a", "open", "done"),
        ("commitment-due-moved", "c-a", "2026-12-15", "2027-01-15"),
        ("obstacle-added", "obs-b", None, "New obstacle"),
        # c-a is no longer the plan owner's own (+5 of ownership's 15); c-new is, a third of its half (-2.5,
        # rounded to 3 with nothing else lost in ownership): 60 -> 62.
        ("quality", None, 60, 62),
    ],
    ("beta", "modified"): [("review-without-changes", None, "2026-10-01", "2026-11-20")],
    # The base loses 16 of completeness (no metric 5, no baseline 5, essential, so a quarter of 25 more:
    # 16.25), 9 of people (no economic buyer 3, essential, +2.5; no champion 3), 10 of kpis (no actual) and
    # 5 of ownership (c-a is the plan owner's): 60. Dropping the only commitment costs all of ownership (15)
    # and leaves obs-a unanswered, essential: half of one of three chain elements, 3.3, plus a quarter of
    # the chain's 20, 5: 100 - 16 - 9 - 10 - 15 - 8 = 42.
    ("epsilon", "renamed"): [("commitment-dropped", "c-a", "open", "dropped"), ("quality", None, 60, 42)],
    ("gamma", "deleted"): [],
    # A full plan without success factors: completeness is 45 (goal 15: no metric 3, no baseline 3; seven one-word
    # parts 30; essential, so 6.25 more: 42), people 9, ownership 5 (the plan owner's commitment), kpis 5 (no
    # actual): 100 - 42 - 9 - 5 - 5 = 39.
    ("zeta", "added"): [("quality", None, None, 39)],
}


def as_table(document: dict) -> dict:
    return {(p["id"], p["status"]): [(c["kind"], c.get("id"), c["old"], c["new"]) for c in p["changes"]]
            for p in document["plans"]}  # fmt: skip


def test_diff_of_the_working_tree_names_each_change_and_nothing_else(diff_repo: GitRepo) -> None:
    change_everything(diff_repo)
    result = run(["diff", "--format", "json", "--today", "2026-11-15"], diff_repo.path)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["version"] == 1 and document["head"] == "working tree"
    assert as_table(document) == EXPECTED
    renamed = next(p for p in document["plans"] if p["status"] == "renamed")
    assert renamed["old_file"] == "plans/delta.md"


def test_diff_between_commits_and_other_formats(diff_repo: GitRepo) -> None:
    change_everything(diff_repo)
    diff_repo.commit("Change everything", "2026-11-10T10:00:00+00:00")
    document = json.loads(
        run(["diff", "HEAD~1", "HEAD", "--format", "json", "--today", "2026-11-15"], diff_repo.path).output
    )
    assert as_table(document) == EXPECTED
    text = run(["diff", "HEAD~1", "HEAD"], diff_repo.path).output
    assert "plans/beta.md (Example Account AG)\n  review date bumped with nothing else changed" in text
    assert "plans/zeta.md (Zeta Works): plan added" in text
    assert "plans/epsilon.md (Example Account AG): renamed from plans/delta.md" in text
    markdown = run(["diff", "HEAD~1", "HEAD", "--format", "markdown"], diff_repo.path).output
    assert markdown.startswith("### Plan changes ")
    # 600,000 - 500,000 = +100,000, and 100,000 / 500,000 = +20.0 %, with the unit the plan gives.
    assert "  - goal target: 500,000 → 600,000 CHF (+100,000, +20.0 %)" in markdown
    target = next(
        c for p in document["plans"] if p["id"] == "alpha" for c in p["changes"] if c["kind"] == "goal-target"
    )
    assert target == {"kind": "goal-target", "old": 500000, "new": 600000, "unit": "CHF"}


def test_diff_with_a_bad_revision_exits_2(diff_repo: GitRepo) -> None:
    result = run(["diff", "no-such-branch"], diff_repo.path)
    assert result.exit_code == 2


# kamdocs rollover


# kamdocs codeowners


def test_codeowners_writes_checks_and_keeps_other_lines(make_repo) -> None:
    repo = make_repo(
        {
            "plans/a.md": plan_text("a"),
            "plans/b.md": plan_text("b", **{"reviewer: bam@example.com": "reviewer: '@carol'"}),
            ".github/CODEOWNERS": "* @platform-team\n",
        },
        mkdocs="plugins:\n  - kamdocs:\n      github_handles:\n        bam@example.com: '@bam'\n",
    )
    assert run(["codeowners", "--check"], repo).exit_code == 1
    assert run(["codeowners"], repo).exit_code == 0
    owners = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert owners.startswith("* @platform-team\n\n# BEGIN kamdocs")
    assert "/plans/a.md @bam\n/plans/b.md @carol\n# END kamdocs\n" in owners
    assert run(["codeowners", "--check"], repo).exit_code == 0
    (repo / "plans/c.md").write_text(plan_text("c", **{"reviewer: bam@example.com": "reviewer: nobody@example.com"}))
    stale = run(["codeowners", "--check"], repo)
    assert stale.exit_code == 0  # an unmapped reviewer adds no line, only a warning
    assert "no GitHub handle for reviewer 'nobody@example.com'" in stale.output


# kamdocs export


def test_export_matches_the_site_downloads(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.write(
        "mkdocs.yml",
        f"site_name: x\ntheme:\n  name: material\n  font: false\nplugins:\n  - kamdocs:\n      today: '{TODAY}'\n",
    )
    git_repo.write("docs/index.md", "# x\n")
    git_repo.write("plans/a.md", plan_text("a"))
    git_repo.commit("a", "2026-11-01T10:00:00+00:00")
    git_repo.write("plans/a.md", plan_text("a", **{"  unit: CHF\n": "  unit: CHF\n  actual: 125000\n"}))
    git_repo.commit("a's actual", "2026-11-15T10:00:00+00:00")
    assert mkdocs_build_in_process(git_repo.path, "--strict", site=tmp_path / "site").returncode == 0
    for fmt, name in (("json", "plans.json"), ("csv", "plans.csv"), ("ics", "commitments.ics")):
        out = tmp_path / f"export.{fmt}"
        assert run(["export", "--format", fmt, "-o", str(out)], git_repo.path).exit_code == 0
        assert out.read_bytes() == (tmp_path / "site/plans" / name).read_bytes(), fmt
    plan = json.loads(run(["export", "--format", "json"], git_repo.path).output)["plans"][0]
    assert plan["id"] == "a"
    # plans.json's history, from the export as from the site: two versions, the actual unknown, then 125,000.
    changes = plan["history"]["changes"]
    assert [c["day"] for c in changes] == ["2026-11-01", "2026-11-15"]
    assert [c["figures"].get("goal_actual") for c in changes] == [None, 125000]


# The pre-commit hook, read from .pre-commit-hooks.yaml and run as pre-commit would.


def test_pre_commit_hook_entry_runs_on_matching_files(make_repo) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "kamdocs-check")
    assert "--no-freshness" in hook["entry"]
    repo = make_repo({"plans/good.md": plan_text("good", **{"2026-10-01": "2020-01-01"}),
                      "plans/bad.md": plan_text("bad", **{"kind: one-page": "kind: nope"}), "README.md": "x"})  # fmt: skip
    files = [p for p in ["plans/good.md", "plans/bad.md", "README.md"] if re.search(hook["files"], p)]
    assert files == ["plans/good.md", "plans/bad.md"]
    command = shlex.split(hook["entry"])
    good = subprocess.run([*command, "plans/good.md"], cwd=repo, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout  # overdue for years, but the hook judges no dates
    bad = subprocess.run([*command, *files], cwd=repo, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "plans/bad.md:4:7: error[bad-value]" in bad.stdout


def test_a_bad_period_date_names_its_option(make_repo) -> None:
    repo = make_repo({"plans/r.md": plan_text("r")})
    result = run(["rollover", "plans/r.md", "--period-start", "2027-02-30", "--period-end", "2027-12-31"], repo)
    assert result.exit_code == 2
    assert "--period-start: expected a date YYYY-MM-DD, found '2027-02-30'" in result.output


def test_diff_in_a_repository_without_a_plans_folder(git_repo: GitRepo) -> None:
    git_repo.commit("Empty start", "2026-11-01T10:00:00+00:00", **{"README.md": "x"})
    result = run(["diff"], git_repo.path)
    assert result.exit_code == 0, result.output
    assert result.output == "No plan changed in business terms.\n"


def test_codeowners_skips_a_plan_path_it_cannot_write_safely(make_repo) -> None:
    reviewer = {"reviewer: bam@example.com": "reviewer: '@bam'"}
    repo = make_repo(
        {"plans/ok/a.md": plan_text("a", **reviewer), "plans/x\n* @attacker/b.md": plan_text("b", **reviewer)}
    )
    result = run(["codeowners"], repo)
    assert result.exit_code == 0, result.output
    owners = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert "@attacker" not in owners
    assert "/plans/ok/a.md @bam\n" in owners
    assert "cannot be written into CODEOWNERS safely" in result.output


@pytest.mark.parametrize(
    ("old", "new", "unit", "words"),
    [
        # Worked out by hand: the difference, and the difference over the old figure, to one decimal.
        (1_200_000, 1_350_000, "CHF", "1,200,000 → 1,350,000 CHF (+150,000, +12.5 %)"),
        (850_000, 800_000, "EUR", "850,000 → 800,000 EUR (-50,000, -5.9 %)"),
        (0, 40, "units", "0 → 40 units (+40)"),
        (0.125, 0.1, "%", "0.125 → 0.1 % (-0.025, -20.0 %)"),
        (98.5, 99.25, "%", "98.5 → 99.25 % (+0.75, +0.8 %)"),
    ],
)
def test_a_figure_change_reads_with_its_unit_separators_and_the_change(
    old: float, new: float, unit: str, words: str
) -> None:
    assert describe(Change("kpi-actual", "kpi-x", old, new, unit)) == f"KPI actual kpi-x: {words}"
