"""Figures a plan cannot carry: NaN, infinities and numbers beyond what sums and ratios hold are each an
error at the value, and never reach JSON, CSV, ICS or the site."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from .commands import TODAY, check_json, kamdocs, mkdocs_build, write_repo
from .conftest import plan_text
from .oracles import strict_json, where

NON_FINITE = {
    # name: (text to replace, replacement, the token whose position the finding names)
    "nan-target": ("target: 500000", "target: .nan", ".nan"),
    "nan-mixed-case-target": ("target: 500000", "target: .NaN", ".NaN"),
    "inf-target": ("target: 500000", "target: .inf", ".inf"),
    "plus-inf-baseline": ("target: 500000", "target: 500000\n  baseline: +.inf", "+.inf"),
    "minus-inf-actual": ("target: 500000", "target: 500000\n  actual: -.inf", "-.inf"),
    "minus-Inf-percent": ("status: open", "status: open\n    percent_complete: -.Inf", "-.Inf"),
    "overflow-1e309": ("target: 500000", "target: 1e309", "1e309"),
    "overflow-minus-1e400": ("target: 500000", "target: -1e400", "-1e400"),
    "overflow-in-extension": (
        "account: Example Account AG",
        "account: Example Account AG\nx-score: 1.5E999",
        "1.5E999",
    ),
    "nan-in-list": ("account: Example Account AG", "account: Example Account AG\nx-scores: [1, 2, .NAN]", ".NAN"),
    "integer-beyond-float": ("target: 500000", "target: " + "9" * 400, "9" * 400),
    "integer-too-long-to-read": ("target: 500000", "target: " + "7" * 5000, "7" * 5000),
}


@pytest.mark.parametrize("name", sorted(NON_FINITE))
def test_non_finite_number_is_an_error_at_the_value(tmp_path: Path, name: str) -> None:
    old, new, token = NON_FINITE[name]
    text = plan_text(name.lower(), **{old: new})
    repo = write_repo(tmp_path, {name.lower(): text})
    findings = check_json(repo)
    line, column = where(text, token, new)
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in findings] == [
        ("yaml-not-finite", "error", line, column)
    ]
    assert findings[0]["message"].startswith("expected a finite number, found ")


@pytest.mark.e2e
def test_non_finite_plans_never_reach_json_csv_ics_or_the_site(tmp_path: Path) -> None:
    extremes = "target: 1e15\n  baseline: -1e15\n  actual: 1e-12"
    plans = {
        "good-a": plan_text("good-a", **{"target: 500000": "target: 1e15\n  actual: 1e15"}),
        "good-b": plan_text("good-b", **{"target: 500000": extremes}),
    }
    for name, (old, new, _) in NON_FINITE.items():
        plans[name.lower()] = plan_text(name.lower(), **{old: new})
    repo = write_repo(tmp_path, plans)

    status = kamdocs(repo, "status", "--format", "json", "--today", TODAY)
    assert status.returncode in (0, 1), status.stderr
    rows = strict_json(status.stdout)
    assert sorted(r["id"] for r in (rows["plans"])) == ["good-a", "good-b"]

    for fmt in ("json", "csv", "ics"):
        out = kamdocs(repo, "export", "--format", fmt, "--today", TODAY)
        assert out.returncode == 0, out.stderr
        assert not re.search(r"nan|inf", out.stdout, flags=re.I), fmt
        if fmt == "json":
            exported = strict_json(out.stdout)
            assert sorted(p["id"] for p in exported["plans"]) == ["good-a", "good-b"]
        else:
            assert "good-a" in out.stdout and "good-b" in out.stdout

    build = mkdocs_build(repo)
    assert build.returncode == 0, build.stderr
    assert build.stderr.count("expected a finite number") == len(NON_FINITE)
    site = tmp_path / "site"
    assert (site / "plans" / "accounts" / "good-a" / "index.html").is_file()
    assert (site / "plans" / "accounts" / "good-b" / "index.html").is_file()
    generated = [p for p in (site / "plans").rglob("*") if p.is_file()]
    assert generated
    for path in generated:
        if path.suffix == ".xlsx":  # a zip of XML parts: read each part
            with zipfile.ZipFile(path) as book:
                text = "".join(book.read(name).decode("utf-8") for name in book.namelist())
        else:
            text = path.read_text(encoding="utf-8")
        assert "NaN" not in text and "Infinity" not in text, path
        if path.suffix == ".json":
            strict_json(text)


MAGNITUDES = {
    "too-large": ("target: 500000", "target: 2e15", "2e15"),
    "too-large-negative": ("target: 500000", "target: 500000\n  baseline: -1000000000000001", "-1000000000000001"),
    "too-small": ("target: 500000", "target: 500000\n  actual: 1e-13", "1e-13"),
    "unquoted-long-id": (
        "account: Example Account AG",
        "account: Example Account AG\ncrm_id: 12345678901234567890",
        "12345678901234567890",
    ),
}


@pytest.mark.parametrize("name", sorted(MAGNITUDES))
def test_numbers_beyond_what_sums_and_ratios_carry_are_out_of_range(tmp_path: Path, name: str) -> None:
    old, new, token = MAGNITUDES[name]
    text = plan_text(name, **{old: new})
    findings = check_json(write_repo(tmp_path, {name: text}))
    line, column = where(text, token, new)
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("out-of-range", line, column)]
    assert findings[0]["message"].startswith("expected a number from 1e-12 to 1e+15 in size (or 0), found ")
    assert "quote" in findings[0]["hint"]
