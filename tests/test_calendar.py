"""The calendar's edges: dates a plan cannot have, and dates kamdocs works out from a plan's (a next
review, a goal period a year on) that would leave the calendar, are each one finding, never a crash."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kamdocs.calendar.intervals import Interval

from .commands import TODAY, check_json, kamdocs, kamdocs_in_process, mkdocs_build, mkdocs_build_in_process, write_repo
from .conftest import plan_text, run
from .oracles import strict_json, where

EDGE_DATES = {
    # name: (text to replace, replacement, the value the finding quotes, the hint)
    "year-0-review": ("last_reviewed: 2026-10-01", "last_reviewed: 0000-01-01", "0000-01-01", "there is no year 0"),
    "year-0-leap-day": ("due: 2026-12-15", "due: 0000-02-29", "0000-02-29", "there is no year 0"),
    "year-0-december": ("end: 2026-12-31", "end: 0000-12-31", "0000-12-31", "there is no year 0"),
    "year-0-quoted": ("last_reviewed: 2026-10-01", "last_reviewed: '0000-06-15'", "0000-06-15", "there is no year 0"),
    "day-32-of-december-9999": (
        "last_reviewed: 2026-10-01",
        "last_reviewed: 9999-12-32",
        "9999-12-32",
        "December 9999 has 31 days",
    ),
    "day-31-of-november-9999": ("due: 2026-12-15", "due: 9999-11-31", "9999-11-31", "November 9999 has 30 days"),
    "day-30-of-february-0001": ("start: 2026-01-01", "start: 0001-02-30", "0001-02-30", "February 0001 has 28 days"),
}


@pytest.mark.parametrize("name", sorted(EDGE_DATES))
def test_impossible_dates_at_the_calendar_edges_are_one_bad_date_finding(tmp_path: Path, name: str) -> None:
    old, new, value, hint = EDGE_DATES[name]
    repo = write_repo(tmp_path, {"edge": plan_text("edge", **{old: new}), "good": plan_text("good")})

    findings = check_json(repo, "--no-freshness", in_process=True)  # a date, not a hang

    assert [(f["file"], f["rule"]) for f in findings] == [("plans/edge.md", "bad-date")]
    assert findings[0]["message"].endswith(f"found '{value}'")
    assert findings[0]["hint"] == hint
    status = kamdocs_in_process(repo, "status", "--format", "json", "--today", TODAY)
    assert status.returncode == 0, status.stderr
    assert [row["id"] for row in json.loads(status.stdout)["plans"]] == ["good"]
    build = mkdocs_build_in_process(repo)  # a date, not a hang: no timeout needed
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    assert "bad-date" in build.stderr


@pytest.mark.parametrize(
    ("interval", "start", "times", "fits"),
    [
        (Interval(days=1), date(9999, 12, 30), 1, True),
        (Interval(days=2), date(9999, 12, 30), 1, False),
        (Interval(days=1), date(9999, 12, 29), 2, True),
        (Interval(days=1), date(9999, 12, 30), 2, False),
        (Interval(days=7), date(9999, 12, 24), 1, True),
        (Interval(days=7), date(9999, 12, 25), 1, False),
        (Interval(months=1, days=1), date(9999, 11, 30), 1, True),
        (Interval(months=1, days=2), date(9999, 11, 30), 1, False),
    ],
)
def test_an_interval_that_ends_on_the_last_day_fits(interval: Interval, start: date, times: int, fits: bool) -> None:
    assert interval.fits(start, times) is fits


@pytest.mark.parametrize(("last", "finding"), [("9999-12-30", False), ("9999-12-31", True)])
def test_check_accepts_a_review_due_on_the_last_day(make_repo, last: str, finding: bool) -> None:
    text = plan_text(
        "p", **{"interval: quarterly": "interval: P1D", "last_reviewed: 2026-10-01": f"last_reviewed: {last}"}
    )
    repo = make_repo({"plans/p.md": text})
    result = run(["check", "--no-freshness", "--format", "json"], repo)
    rules = [f["rule"] for f in json.loads(result.output)["findings"]]
    assert rules == (["date-out-of-range"] if finding else [])


CONTACT = """\
buying_center:
  - name: Hans Wyss
    role: economic-buyer
    last_contact: 2026-10-01
"""


KPI = """\
kpis:
  - id: kpi-a
    name: Share of wallet
    unit: "%"
    target: 60
    actual: 48
    as_of: 2026-09-30
    direction: higher-is-better
"""


OUT_OF_RANGE = {
    # name: (replacements, rule, the token the finding names)
    "interval-P99999Y": ({"interval: quarterly": "interval: P99999Y"}, "interval-out-of-range", "P99999Y"),
    "interval-P9999999999D": ({"interval: quarterly": "interval: P9999999999D"}, "interval-out-of-range", "P9"),
    "interval-P1000000W": ({"interval: quarterly": "interval: P1000000W"}, "interval-out-of-range", "P1000000W"),
    "interval-P101Y": ({"interval: quarterly": "interval: P101Y"}, "interval-out-of-range", "P101Y"),
    "interval-P0D": ({"interval: quarterly": "interval: P0D"}, "interval-out-of-range", "P0D"),
    "interval-P0W": ({"interval: quarterly": "interval: P0W"}, "interval-out-of-range", "P0W"),
    "interval-P0Y0M0D": ({"interval: quarterly": "interval: P0Y0M0D"}, "interval-out-of-range", "P0Y0M0D"),
    "interval-PT0S": ({"interval: quarterly": "interval: PT0S"}, "bad-format", "PT0S"),
    "review-9999-12": ({"last_reviewed: 2026-10-01": "last_reviewed: 9999-12-01"}, "date-out-of-range", "9999-12-01"),
    "review-9999-daily": (
        {"interval: quarterly": "interval: P1D", "last_reviewed: 2026-10-01": "last_reviewed: 9999-12-31"},
        "date-out-of-range",
        "9999-12-31",
    ),
    "kpi-9999": (
        {"    resolves: [obs-a]\n": "    resolves: [obs-a]\n" + KPI.replace("2026-09-30", "9999-11-15")},
        "date-out-of-range",
        "9999-11-15",
    ),
    "contact-9999": (
        {"    resolves: [obs-a]\n": "    resolves: [obs-a]\n" + CONTACT.replace("2026-10-01", "9999-08-01")},
        "date-out-of-range",
        "9999-08-01",
    ),
}


EDGES_THAT_ARE_VALID = {
    "due-9999-12-31": {"due: 2026-12-15": "due: 9999-12-30"},
    "period-end-9999": {"end: 2026-12-31": "end: 9999-12-31"},
    "period-from-year-1": {"start: 2026-01-01": "start: 0001-01-01"},
    "reviewed-year-1": {"last_reviewed: 2026-10-01": "last_reviewed: 0001-01-01"},
    "due-year-1": {"due: 2026-12-15": "due: 0001-01-01"},
    "reviewed-9999-just-fits": {"last_reviewed: 2026-10-01": "last_reviewed: 9999-09-30"},
    "contact-year-1": {
        "    resolves: [obs-a]\n": "    resolves: [obs-a]\n" + CONTACT.replace("2026-10-01", "0001-01-01")
    },
}


@pytest.mark.parametrize("name", sorted(OUT_OF_RANGE))
def test_date_arithmetic_past_the_calendar_is_one_error(tmp_path: Path, name: str) -> None:
    replacements, rule, token = OUT_OF_RANGE[name]
    text = plan_text(name.lower(), **replacements)
    repo = write_repo(tmp_path, {name.lower(): text, "good": plan_text("good")})
    findings = check_json(repo, in_process=True)
    line, column = where(text, token, next(v for v in replacements.values() if token in v))
    assert [(f["file"], f["rule"], f["line"], f["column"]) for f in findings if f["severity"] == "error"] == [
        (f"plans/{name.lower()}.md", rule, line, column)
    ]
    message = next(f["message"] for f in findings if f["rule"] == rule)
    assert message.startswith("expected ") and "found" in message


@pytest.mark.e2e
def test_calendar_edges_pass_through_check_status_export_and_build(tmp_path: Path) -> None:
    plans = {name: plan_text(name, **repl) for name, repl in EDGES_THAT_ARE_VALID.items()}
    bad = {name.lower(): plan_text(name.lower(), **repl) for name, (repl, _, _) in OUT_OF_RANGE.items()}
    repo = write_repo(tmp_path, {**plans, **bad})

    findings = check_json(repo)
    errors = {f["file"].removeprefix("plans/").removesuffix(".md") for f in findings if f["severity"] == "error"}
    assert errors == set(bad)
    by_file = {f["file"]: f["rule"] for f in findings}
    assert by_file["plans/reviewed-year-1.md"] == "review-overdue"
    assert "plans/due-9999-12-31.md" not in by_file

    status = kamdocs(repo, "status", "--format", "json", "--today", TODAY)
    assert status.returncode in (0, 1), status.stderr
    rows = strict_json(status.stdout)
    listed = rows["plans"]
    assert sorted(r["id"] for r in listed) == sorted(plans)
    fits = next(r for r in listed if r["id"] == "reviewed-9999-just-fits")
    assert fits["next_review"] == "9999-12-30"

    for fmt in ("json", "csv"):
        out = kamdocs(repo, "export", "--format", fmt, "--today", TODAY)
        assert out.returncode == 0, out.stderr
        for name in plans:
            assert name in out.stdout

    build = mkdocs_build(repo)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    for name in plans:
        assert (tmp_path / "site" / "plans" / "accounts" / name / "index.html").is_file(), name
