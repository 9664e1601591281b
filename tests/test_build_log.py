"""The build log a person reads: a line per freshness rule with its count and most urgent plans.

Real ``mkdocs build``s (and ``kamdocs render``) of a repository with several late plans, judged on
2026-11-01 (tests/commands.py TODAY). Every count and day below is worked out by hand from the
plans' dates; the review interval is quarterly, so the next review is three months after the last.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .commands import ENV, MKDOCS, TODAY, check_json, kamdocs, mkdocs_build_in_process, write_repo
from .conftest import EXAMPLES, plan_text

ONE_OPEN = "    due: 2026-12-15\n    status: open\n    resolves: [obs-a]\n"
PLANS = {
    # next review 2026-04-10: Apr 20 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 + 1 = 205 days late
    "a": plan_text("a", **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-01-10"}),
    # next review 2025-09-30: 31 (Oct) + 30 (Nov) + 31 (Dec) + 305 = 397 days; the goal ended 2025-12-31:
    # Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 + 1 = 305 days
    "b": plan_text(
        "b",
        **{
            "last_reviewed: 2026-10-01": "last_reviewed: 2025-06-30",
            "start: 2026-01-01": "start: 2025-01-01",
            "end: 2026-12-31": "end: 2025-12-31",
        },
    ),
    # next review 2026-10-15: 16 + 1 = 17 days; commitments due 2026-10-01 (30 + 1 = 31 days) and
    # 2026-03-01 (Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 = 245 days)
    "c": plan_text(
        "c",
        **{
            "last_reviewed: 2026-10-01": "last_reviewed: 2026-07-15",
            ONE_OPEN: "    due: 2026-10-01\n    status: open\n    resolves: [obs-a]\n"
            "  - id: c-b\n    action: Send the offer\n    owner: kam@example.com\n    due: 2026-03-01\n"
            "    status: in-progress\n    resolves: [obs-a]\n",
        },
    ),
    # next review 2026-08-01: Aug 31 + Sep 30 + Oct 31 = 92 days; commitment due 2026-10-25: 6 + 1 = 7 days
    "d": plan_text(
        "d",
        **{
            "last_reviewed: 2026-10-01": "last_reviewed: 2026-05-01",
            ONE_OPEN: "    due: 2026-10-25\n    status: open\n    resolves: [obs-a]\n",
        },
    ),
    # reviewed 2026-09-01, next 2026-12-01: fresh, no finding
    "e": plan_text("e", **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-09-01"}),
}

SUMMARY = [
    "freshness: 4 overdue reviews [review-overdue]; most overdue: "
    "plans/b.md (397 days), plans/a.md (205 days), plans/d.md (92 days)",
    "freshness: 3 overdue commitments in 2 plans [commitment-overdue]; most overdue: "
    "plans/c.md (245 days), plans/d.md (7 days)",
    "freshness: 1 expired goal [goal-expired]; longest ended: plans/b.md (305 days)",
]
FINDINGS = 8  # 4 reviews (a, b, c, d) + 3 commitments (c twice, d) + 1 goal (b)


def where(every_finding: str) -> str:
    return (
        "freshness: 8 findings in 4 plans in all; the full list: kamdocs status, or the dashboard (plans/); "
        f"one line per finding: {every_finding}"
    )


def logged(stderr: str, level: str) -> list[str]:
    """The kamdocs lines MkDocs logged at ``level``, without their prefix."""
    prefix = f"{level:<8}-  kamdocs: "
    return [line[len(prefix) :] for line in stderr.splitlines() if line.startswith(prefix)]


def finding_lines(repo: Path) -> set[str]:
    """Every freshness finding as a build log writes it, from ``kamdocs check``'s JSON: the same places."""
    return {
        f"{f['file']}:{f['line']}:{f['column']}: freshness[{f['rule']}] {f['message']}"
        for f in check_json(repo)
        if f["rule"] in ("review-overdue", "commitment-overdue", "goal-expired")
    }


@pytest.fixture
def late_repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path, PLANS)


def test_the_build_logs_a_line_per_freshness_rule_and_where_the_full_list_is(late_repo: Path) -> None:
    built = mkdocs_build_in_process(late_repo, "--strict")
    assert built.returncode == 0, built.stderr
    assert logged(built.stderr, "INFO") == [*SUMMARY, where("mkdocs build -v, or log_findings: all")]
    assert "freshness[" not in built.stderr
    assert not logged(built.stderr, "WARNING")
    assert (late_repo.parent / "site/plans/accounts/b/index.html").is_file()


def test_verbose_and_log_findings_all_restore_every_finding_line(late_repo: Path) -> None:
    every = finding_lines(late_repo)
    assert len(every) == FINDINGS
    assert {line.split(": freshness[")[0].split(":")[0] for line in every} == {f"plans/{p}.md" for p in "abcd"}
    verbose = mkdocs_build_in_process(late_repo, "--strict", "-v")
    assert verbose.returncode == 0, verbose.stderr
    assert set(logged(verbose.stderr, "DEBUG")) >= every
    assert len([line for line in logged(verbose.stderr, "DEBUG") if "freshness[" in line]) == FINDINGS
    assert logged(verbose.stderr, "INFO") == [*SUMMARY, where("mkdocs build -v, or log_findings: all")]
    fork = subprocess.run([sys.executable, "-m", "properdocs", "build", "-v", "-d", str(late_repo.parent / "fork")],
                          cwd=late_repo, capture_output=True, text=True, env=ENV, timeout=120, check=False)  # fmt: skip
    assert fork.returncode == 0, fork.stderr
    assert set(logged(fork.stderr, "DEBUG")) >= every  # ProperDocs' -v, too
    (late_repo / "mkdocs.yml").write_text(MKDOCS + "      log_findings: all\n", encoding="utf-8")
    everything = mkdocs_build_in_process(late_repo, "--strict")
    assert everything.returncode == 0, everything.stderr
    assert sorted(logged(everything.stderr, "INFO")) == sorted(every)  # as before the summary: no more, no less


def test_warnings_stay_one_line_each_and_strict_fails_on_them_as_before(late_repo: Path) -> None:
    (late_repo / "plans/broken.md").write_text(
        plan_text("broken", **{"interval: quarterly": "interval: quartely"}), encoding="utf-8"
    )
    checked = kamdocs(late_repo, "check", "--today", TODAY, "--no-freshness", "plans/broken.md")
    broken = [line for line in checked.stdout.splitlines() if line.startswith("plans/broken.md:")]
    assert len(broken) == 1 and "error[bad-format]" in broken[0], checked.stdout
    built = mkdocs_build_in_process(late_repo)
    assert built.returncode == 0, built.stderr
    assert logged(built.stderr, "WARNING") == [broken[0]]
    assert logged(built.stderr, "INFO")[: len(SUMMARY)] == SUMMARY  # the broken plan has no freshness findings
    assert mkdocs_build_in_process(late_repo, "--strict").returncode == 1
    (late_repo / "mkdocs.yml").write_text(MKDOCS.replace("on_invalid: warn", "on_invalid: error"), encoding="utf-8")
    stopped = mkdocs_build_in_process(late_repo)
    assert stopped.returncode == 1 and broken[0] in stopped.stderr


def test_kamdocs_check_still_lists_every_finding(late_repo: Path) -> None:
    checked = kamdocs(late_repo, "check", "--today", TODAY)
    assert checked.returncode == 0, checked.stderr
    listed = [line for line in checked.stdout.splitlines() if re.match(r"plans/[a-e]\.md:\d+:\d+: warning\[", line)]
    assert len(listed) == FINDINGS


def test_the_render_path_prints_the_same_summary(late_repo: Path, tmp_path: Path) -> None:
    rendered = kamdocs(late_repo, "render", str(tmp_path / "out"))
    assert rendered.returncode == 0, rendered.stderr
    printed = [line.removeprefix("kamdocs: ") for line in rendered.stderr.splitlines()]
    assert printed == [*SUMMARY, where("log_findings: all")]
    (late_repo / "mkdocs.yml").write_text(MKDOCS + "      log_findings: all\n", encoding="utf-8")
    every = kamdocs(late_repo, "render", str(tmp_path / "out"))
    assert every.returncode == 0, every.stderr
    assert sorted(line.removeprefix("kamdocs: ") for line in every.stderr.splitlines()) == sorted(
        finding_lines(late_repo)
    )


def _contact(name: str, last: str) -> str:
    return (
        f"  - name: {name}\n    title: Buyer\n    role: economic-buyer\n    attitude: neutral\n    influence: high\n"
        f"    relationship_owner: kam@example.com\n    last_contact: {last}\n"
    )


def test_the_days_of_stale_kpis_and_contacts_and_of_a_review_ahead(tmp_path: Path) -> None:
    """The other three rules, each counted from its own due date (quarterly: a KPI is due again three
    months after its as_of, a contact six months after the last)."""
    full = (EXAMPLES / "positive/full-minimal.md").read_text(encoding="utf-8").replace("id: full-minimal", "id: k")
    full = full.replace("as_of: 2026-09-30", "as_of: 2026-05-15")  # due 2026-08-15: 16 + 30 + 31 + 1 = 78 days
    contacts = (
        _contact("Ann", "2026-03-10")  # due 2026-09-10: 20 + 31 + 1 = 52 days
        + _contact("Bo", "2026-04-20")  # due 2026-10-20: 11 + 1 = 12 days
        + _contact("Cy", "2026-06-01")  # due 2026-12-01: not stale
    )
    full = full.replace(
        "    direction: higher-is-better\n---\n", f"    direction: higher-is-better\nbuying_center:\n{contacts}---\n"
    )
    ahead = plan_text("f", **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-11-20"})  # 19 days after today
    repo = write_repo(tmp_path, {"k": full, "f": ahead})
    built = mkdocs_build_in_process(repo, "--strict")
    assert built.returncode == 0, built.stderr
    assert logged(built.stderr, "INFO") == [
        "freshness: 1 review dated after today [review-in-future]; furthest ahead: plans/f.md (19 days)",
        "freshness: 1 stale KPI [kpi-stale]; longest unmeasured: plans/k.md (78 days)",
        "freshness: 2 stale contacts in 1 plan [contact-stale]; longest without contact: plans/k.md (52 days)",
        "freshness: 4 findings in 2 plans in all; the full list: kamdocs status, or the dashboard (plans/); "
        "one line per finding: mkdocs build -v, or log_findings: all",
    ]


def test_a_plan_folder_with_a_line_break_cannot_forge_a_log_line(tmp_path: Path) -> None:
    """The summary names plan files; one whose folder holds a line break is named on one line, escaped."""
    repo = write_repo(tmp_path, {})
    folder = repo / "plans" / "x\nINFO    -  kamdocs: forged"
    folder.mkdir()
    (folder / "evil.md").write_text(PLANS["a"].replace("id: a", "id: evil"), encoding="utf-8")
    built = mkdocs_build_in_process(repo, "--strict")
    assert built.returncode == 0, built.stderr
    assert not [line for line in built.stderr.splitlines() if line.startswith("INFO    -  kamdocs: forged")]
    assert logged(built.stderr, "INFO")[0] == (
        "freshness: 1 overdue review [review-overdue]; most overdue: "
        "plans/x\\nINFO    -  kamdocs: forged/evil.md (205 days)"
    )


def test_counts_read_as_words_with_grouped_thousands() -> None:
    from kamdocs.findings import plural

    assert [plural(n, "plan") for n in (0, 1, 2, 1766)] == ["0 plans", "1 plan", "2 plans", "1,766 plans"]
