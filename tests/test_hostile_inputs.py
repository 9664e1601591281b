"""Hostile plans never crash or hang a command: each is one finding, and one bad plan hides no other.

Every test runs the real commands (``python -m kamdocs`` in a subprocess with
a timeout, and a real ``mkdocs build``) on real files: FIFOs, sockets and
device links included.
"""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import zipfile
from pathlib import Path

import pytest

from .commands import MKDOCS, TODAY, check_json, kamdocs, mkdocs_build, write_repo
from .conftest import plan_text

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


def where(text: str, token: str, within: str = "") -> tuple[int, int]:
    """1-based line and column of ``token`` inside the first ``within`` in ``text``: the oracle for positions."""
    at = text.index(within or token) + (within or token).rindex(token)
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def strict_json(text: str) -> object:
    """JSON as a strict parser reads it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> object:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


# --- Non-finite numbers -------------------------------------------------------------------------

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


# --- Dates and durations at the ends of the calendar ----------------------------------------------

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
    findings = check_json(repo)
    line, column = where(text, token, next(v for v in replacements.values() if token in v))
    assert [(f["file"], f["rule"], f["line"], f["column"]) for f in findings if f["severity"] == "error"] == [
        (f"plans/{name.lower()}.md", rule, line, column)
    ]
    message = next(f["message"] for f in findings if f["rule"] == rule)
    assert message.startswith("expected ") and "found" in message


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


# --- Facet values that become page names ------------------------------------------------------------


def test_long_and_colliding_facet_values_get_short_unique_pages(tmp_path: Path) -> None:
    long_a = "Industrial " + "a" * 1000
    long_b = "Industrial " + "a" * 999 + "b"
    areas = {
        "long-a": long_a,
        "long-b": long_b,
        "r-and-d": "R&D",
        "r-space-d": "R D",
        "greek": "Ελληνικά",
        "cjk": "研究開発",
        "index-area": "Index",
    }
    plans = {
        name: plan_text(name, **{"business_area: Process Analytics": f"business_area: '{area}'"})
        for name, area in areas.items()
    }
    plans["owner-long"] = plan_text("owner-long", **{"owner: kam@example.com": "owner: " + "o" * 600 + "@example.com"})
    mkdocs = MKDOCS + "      group_by: [business_area, owner, region, tier, tags, reviewer]\n"
    repo = write_repo(tmp_path, plans, mkdocs)
    build = mkdocs_build(repo, "--strict")
    assert build.returncode == 0, build.stderr
    folder = tmp_path / "site" / "plans" / "by-business-area"
    pages = {p.parent.name for p in folder.glob("*/index.html")}
    assert len(pages) == len(areas) + 1, pages  # and the owner-long plan's Process Analytics
    assert all(len(name.encode()) <= 80 for name in pages), pages
    assert len({n for n in pages if re.fullmatch(r"r-d-[0-9a-f]{8}", n)}) == 2
    assert len({n for n in pages if re.fullmatch(r"value-[0-9a-f]{8}", n)}) == 2  # Greek and CJK
    assert len({n for n in pages if n.startswith("industrial-aaaa")}) == 2
    assert "process-analytics" in pages  # an ordinary value keeps its readable URL
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in pages:
        assert f"{name}/" in index
    titles = [(folder / name / "index.html").read_text(encoding="utf-8") for name in pages]
    for area in ("R&amp;D", "R D", "Ελληνικά", "研究開発", long_a[:200], long_b[-50:]):
        assert sum(area in t for t in titles) >= 1, area
    owners = {p.parent.name for p in (tmp_path / "site" / "plans" / "by-owner").glob("*/index.html")}
    assert len(owners) == 2 and all(len(name) <= 80 for name in owners)


# --- Only regular files are read ------------------------------------------------------------------


def special_files(plans: Path) -> dict[str, str]:
    """Make a FIFO, a bound socket and device links in ``plans``; name -> kind in the message."""
    os.mkfifo(plans / "fifo.md")
    made = {"plans/fifo.md": "named pipe"}
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(plans / "socket.md"))
        made["plans/socket.md"] = "socket"
    except OSError:  # a path too long for AF_UNIX: the FIFO and devices still cover the class
        pass
    finally:
        sock.close()
    if os.geteuid() == 0:  # only root may make device nodes; the /dev links below cover devices otherwise
        os.mknod(plans / "device.md", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        made["plans/device.md"] = "character device"
    os.symlink("/dev/zero", plans / "zero.md")
    os.symlink("/dev/null", plans / "null.md")
    (plans / "inner").mkdir()
    os.symlink(plans / "fifo.md", plans / "inner" / "link-to-fifo.md")
    made["plans/inner/link-to-fifo.md"] = "named pipe"
    return made


def test_fifo_socket_and_devices_are_findings_and_nothing_blocks(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")})
    made = special_files(repo / "plans")

    findings = check_json(repo)
    by_file = {f["file"]: f for f in findings}
    for name, kind in made.items():
        assert by_file[name]["rule"] == "not-a-file", name
        assert by_file[name]["message"] == f"expected a regular file, found a {kind}" + (
            " (FIFO)" if kind == "named pipe" else ""
        )
        assert (by_file[name]["line"], by_file[name]["column"]) == (1, 1)
    for device in ("plans/zero.md", "plans/null.md"):
        assert by_file[device]["severity"] == "error"
        assert by_file[device]["rule"] in ("not-a-file", "symlink-outside")
    assert "plans/good.md" not in by_file

    status = kamdocs(repo, "status", "--format", "json", "--today", TODAY, timeout=30)
    assert [r["id"] for r in strict_json(status.stdout)["plans"]] == ["good"]
    for fmt in ("json", "csv", "ics"):
        out = kamdocs(repo, "export", "--format", fmt, "--today", TODAY, timeout=30)
        assert out.returncode == 0, out.stderr
        assert "good" in out.stdout
    build = mkdocs_build(repo, timeout=60)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "plans" / "accounts" / "good" / "index.html").is_file()


def test_a_fifo_named_explicitly_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {})
    os.mkfifo(repo / "plans" / "pipe.md")
    result = kamdocs(repo, "check", "--format", "json", "plans/pipe.md", timeout=20)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["file"]) for f in findings] == [("not-a-file", "plans/pipe.md")]
    assert result.returncode == 1


def test_a_repository_schema_that_is_a_fifo_is_a_configuration_error(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path, {"good": plan_text("good")}, mkdocs="site_name: P\nplugins:\n  - kamdocs:\n      schema: s.json\n"
    )
    os.mkfifo(repo / "s.json")
    result = kamdocs(repo, "check", timeout=20)
    assert result.returncode == 2
    assert result.stderr.strip() == "kamdocs: error: schema s.json: expected a regular file, found a special file"


def test_page_slugs_are_short_unique_stable_and_never_index() -> None:
    from kamdocs.site.sitemap import page_slugs

    values = [
        "Process Analytics",
        "R&D",
        "R D",
        "r-d",
        "Index",
        "index",
        "",
        "---",
        "Ελληνικά",
        "研究開発",
        "x" * 5000,
        "x" * 4999 + "y",
        "kam@example.com",
        "KAM@example.com",
    ]
    slugs = page_slugs(values)
    assert set(slugs) == set(values)
    assert len(set(slugs.values())) == len(values)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and len(s) <= 69 for s in slugs.values()), slugs
    assert "index" not in slugs.values()
    assert slugs["Process Analytics"] == "process-analytics"
    assert page_slugs(reversed(values)) == slugs
    assert page_slugs(["R D"]) == {"R D": "r-d"}


def test_a_value_written_as_another_values_hashed_page_name_gets_its_own_page() -> None:
    """A plan author can compute the hashed name of R&D and use it as a business area: both keep a page."""
    import hashlib

    from kamdocs.site.sitemap import page_slugs

    decoy = "r-d-" + hashlib.sha256(b"R&D").hexdigest()[:8]
    slugs = page_slugs(["R&D", "R D", decoy])
    assert len(set(slugs.values())) == 3, slugs
    assert slugs[decoy] == decoy
    assert slugs["R&D"] == "r-d-" + hashlib.sha256(b"R&D").hexdigest()[:9]
    assert slugs["R D"] == "r-d-" + hashlib.sha256(b"R D").hexdigest()[:8]
