"""``kamdocs check`` as a gate: which findings fail it (``--severity``, ``--strict``, ``-q``), and where it
may run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamdocs.findings import FRESHNESS_RULES

from .conftest import plan_text, run


@pytest.mark.parametrize("rule", ["section-missing", "period-inverted"])
def test_severity_warning_makes_an_error_rule_a_warning(make_repo, rule: str) -> None:
    broken = {
        "section-missing": plan_text("p"),
        "period-inverted": plan_text("p", **{"start: 2026-01-01": "start: 2027-01-01"}),
    }[rule]
    sections = "site_name: x\nplugins:\n  - kamdocs:\n      required_sections: {one-page: [Situation]}\n"
    mkdocs = sections if rule == "section-missing" else None
    repo = make_repo({"plans/p.md": broken}, mkdocs=mkdocs)
    before = run(["check", "--no-freshness", "--format", "json"], repo)
    assert before.exit_code == 1
    assert {(f["rule"], f["severity"]) for f in json.loads(before.output)["findings"]} >= {(rule, "error")}
    after = run(["check", "--no-freshness", "--format", "json", "--severity", f"{rule}=warning"], repo)
    severities = {f["severity"] for f in json.loads(after.output)["findings"] if f["rule"] == rule}
    assert severities == {"warning"}
    assert after.exit_code == (0 if all(f["rule"] == rule for f in json.loads(after.output)["findings"]) else 1)


def test_strict_quiet_prints_the_warnings_that_made_it_fail(make_repo) -> None:
    repo = make_repo({"plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"}),
                      "plans/bad.md": plan_text("bad", **{"interval: quarterly": "interval: quartely"})})  # fmt: skip
    quiet = run(["check", "-q", "--no-freshness"], repo)
    assert [line.split(": ")[1].split("[")[0] for line in quiet.stdout.splitlines()] == ["error"]
    strict = run(["check", "--strict", "-q", "--no-freshness"], repo)
    assert strict.exit_code == 1
    lines = strict.stdout.splitlines()
    assert [line.split(": ")[1].split("[")[0] for line in lines] == ["error", "warning"]
    assert lines[1].startswith("plans/warn.md:") and "warning[obstacle-unresolved]" in lines[1]
    assert not any(line.startswith(("    hint", "Checked")) for line in lines)
    (repo / "plans/bad.md").unlink()
    only_warning = run(["check", "--strict", "-q", "--no-freshness"], repo)
    assert only_warning.exit_code == 1 and "warning[obstacle-unresolved]" in only_warning.stdout


@pytest.mark.parametrize("today", ["2031-01-01", "2020-01-01"])
def test_severity_freshness_error_makes_every_freshness_finding_an_error(bundled_plans: Path, today: str) -> None:
    default = json.loads(run(["check", "--format", "json", "--today", today], bundled_plans).stdout)
    fresh = [f for f in default["findings"] if f["rule"] in FRESHNESS_RULES]
    assert fresh and {f["severity"] for f in fresh} == {"warning"}
    result = run(["check", "--format", "json", "--today", today, "--severity", "freshness=error"], bundled_plans)
    assert result.exit_code == 1
    raised = json.loads(result.stdout)
    raised_fresh = [f for f in raised["findings"] if f["rule"] in FRESHNESS_RULES]
    assert [(f["file"], f["rule"], f["line"]) for f in raised_fresh] == [
        (f["file"], f["rule"], f["line"]) for f in fresh
    ]
    assert {f["severity"] for f in raised_fresh} == {"error"}
    assert raised["summary"]["errors"] == default["summary"]["errors"] + len(fresh)


def test_the_two_days_cover_every_freshness_rule(bundled_plans: Path) -> None:
    seen = set()
    for today in ("2031-01-01", "2020-01-01"):
        document = json.loads(run(["check", "--format", "json", "--today", today], bundled_plans).stdout)
        seen |= {f["rule"] for f in document["findings"]}
    assert seen >= FRESHNESS_RULES


def test_outside_a_plans_repository_check_says_where_to_run(tmp_path: Path) -> None:
    done = run(["check"], tmp_path)
    assert done.exit_code == 2
    assert "no mkdocs.yml here or above: run kamdocs in a plans repository, or pass --config" in done.output
