"""Real `mkdocs build`s of plans repositories: pages, nav, exports, escaping, determinism."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .commands import kamdocs_in_process, mkdocs_build_in_process, write_repo
from .conftest import GitRepo, plan_text
from .grid_data import grid_rows
from .htmlscan import table_rows

TODAY = "2026-11-22"
MKDOCS = f"""\
site_name: Plans
repo_url: https://example.invalid/org/plans
edit_uri: edit/main/docs/
theme:
  name: material
  font: false
  features: [content.action.edit]
plugins:
  - search
  - kamdocs:
      today: "{TODAY}"
"""

PAYLOADS = [
    "<script>alert(1)</script>",
    "a | b",
    "=1+1",
    '"><img src=x onerror=alert(2)>',
    "</text><svg onload=alert(3)>",
]


def hostile_plan(plan_id: str) -> str:
    script, pipe, formula, img, svg = (s.replace("'", "''") for s in PAYLOADS)
    text = plan_text(
        plan_id,
        **{
            "account: Example Account AG": f"account: '{script}'",
            "owner: kam@example.com\nbusiness_area: Process Analytics": f"owner: '{pipe}'\nbusiness_area: '{formula}'",
            "statement: Grow order intake to CHF 500k": f"statement: '{img}'",
            "action: Run a specification workshop": f"action: '{svg}; with, commas'",
            "statement: The old spec names a competitor": f"statement: '{script}'",
            "commitments:": f"buying_center:\n  - name: '{svg}'\n    role: coach\n    attitude: supporter\ncommitments:",
        },
    )
    return text.replace("    owner: kam@example.com\n", f"    owner: '{formula}'\n")


def write_site_repo(git_repo: GitRepo) -> GitRepo:
    """Three plans (one hostile) in two commits by two authors, and a docs page with an embed marker."""
    git_repo.write("mkdocs.yml", MKDOCS)
    git_repo.write("docs/index.md", '# Home\n\n<!-- kamdocs:table business_area="Process Analytics" -->\n')
    git_repo.write("plans/alpha.md", plan_text("alpha"))
    git_repo.write("plans/beta.md", plan_text("beta", **{"unit: CHF": "unit: EUR", "kind: one-page": "kind: one-page"}))
    git_repo.write("plans/evil.md", hostile_plan("evil"))
    git_repo.commit("Add plans", "2026-02-01T10:00:00+00:00", author="Ann KAM")
    git_repo.commit("Update alpha", "2026-03-01T10:00:00+00:00", author="Bo KAM",
                    **{"plans__alpha.md": plan_text("alpha", **{"target: 500000": "target: 550000"})})  # fmt: skip
    return git_repo


@pytest.fixture
def site_repo(git_repo: GitRepo) -> GitRepo:
    """The repository, for a test that changes it."""
    return write_site_repo(git_repo)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository built once for the tests that only read the site."""
    root = tmp_path_factory.mktemp("built")
    repo = write_site_repo(GitRepo(root / "repo"))
    site = root / "site"
    result = mkdocs_build_in_process(repo.path, site=site)
    assert result.returncode == 0, result.stderr
    return site


def test_pages_and_exports_exist(built: Path) -> None:
    for path in ["plans/index.html", "plans/accounts/alpha/index.html", "plans/commitments/index.html",
                 "plans/budget/index.html", "plans/by-business-area/index.html", "plans/by-owner/index.html",
                 "plans/plans.json", "plans/plans.csv", "plans/commitments.ics",
                 "assets/kamdocs/kamdocs.js", "assets/kamdocs/kamdocs.css"]:  # fmt: skip
        assert (built / path).is_file(), path


def test_plan_page_content(built: Path) -> None:
    html = (built / "plans/accounts/alpha/index.html").read_text(encoding="utf-8")
    assert 'data-state="fresh"' in html
    assert "Grow order intake to CHF 500k" in html
    assert 'class="kd-chain"' in html
    assert "Run a specification workshop" in html
    assert "https://example.invalid/org/plans/edit/main/plans/alpha.md" in html
    assert "Update alpha" in html and "Bo KAM" in html and "2 revisions" in html
    assert (
        html.index("## ")
        if False
        else html.index("Constraint chain") < html.index("Body text.") < html.index(">History<")
    )


def test_plan_pages_stay_out_of_the_nav(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    nav = home.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "plans/accounts/" not in nav
    assert "Dashboard" in nav and "Commitments" in nav and "Budget" in nav


def test_embed_marker_renders_a_filtered_table(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "kamdocs:table" not in home
    assert 'href="plans/accounts/alpha/"' in home
    assert "plans/accounts/evil/" not in home  # its business area is '=1+1'


def test_budget_keeps_units_apart(built: Path) -> None:
    rows = table_rows((built / "plans/budget/index.html").read_text(encoding="utf-8"))
    # The site's columns: area (plans under it), year, target, actual, attainment, baseline, growth.
    mine = [r[2:] for r in rows if r[:2] == ["Process Analytics 1 plan", "2026"]]
    assert sorted(mine) == [["500,000 EUR", "– 1 plan without actual", "–", "– 1 plan without baseline", "–"],
                            ["550,000 CHF", "– 1 plan without actual", "–", "– 1 plan without baseline", "–"]]  # fmt: skip


def test_plans_json_shape(built: Path) -> None:
    document = json.loads((built / "plans/plans.json").read_text(encoding="utf-8"))
    assert document["version"] == 3 and document["today"] == TODAY
    alpha = next(p for p in document["plans"] if p["id"] == "alpha")
    for key in ["goal_target", "goal_actual", "goal_unit", "period_start", "period_end", "quality_score",
                "quality_band"]:  # fmt: skip
        assert key not in alpha, key  # version 2 holds them once, in goal and quality
    for key in ["id", "file", "account", "owner", "business_area", "kind", "status", "reviewer", "freshness",
                "next_review", "days_overdue", "goal", "success_factors", "commitments", "kpis", "buying_center",
                "last_change", "revisions"]:  # fmt: skip
        assert key in alpha, key
    assert alpha["goal"]["target"] == 550000
    assert alpha["commitments"][0] == {"id": "c-a", "action": "Run a specification workshop", "owner": "kam@example.com",
        "due": "2026-12-15", "status": "open", "resolves": ["obs-a"], "percent_complete": None, "overdue": False,
        "done_on": None}  # fmt: skip
    assert alpha["quality"]["score"] == 100 - sum(r["points"] for r in alpha["quality"]["reasons"])
    assert {r["rule"] for r in alpha["quality"]["reasons"]} >= {"goal-metric-missing"}
    assert all(set(r) <= {"rule", "points", "line", "essential"} for r in alpha["quality"]["reasons"])
    assert (alpha["last_change"], alpha["revisions"]) == ("2026-03-01", 2)


def test_hostile_text_is_escaped_everywhere(built: Path) -> None:
    raw = ["<script>alert(1)</script>", "<img src=x onerror", "<svg onload"]
    for path in built.rglob("*.html"):  # CSV and ICS are text formats: checked for their own escaping below
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for payload in raw:
                assert payload not in text, (path, payload)
    page = (built / "plans/accounts/evil/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;/text&gt;&lt;svg onload=alert(3)&gt;" in page  # inside the org chart's SVG text too
    rows = list(csv.DictReader(io.StringIO((built / "plans/plans.csv").read_text(encoding="utf-8").lstrip("\ufeff"))))
    evil = next(r for r in rows if r["id"] == "evil")
    assert evil["business_area"] == "'=1+1"
    assert evil["account"] == "<script>alert(1)</script>"  # CSV is text; a spreadsheet shows it as such
    ics = (built / "plans/commitments.ics").read_bytes().decode("utf-8")
    unfolded = ics.replace("\r\n ", "")
    assert "\\; with\\, commas" in unfolded
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    commitments = (built / "plans/commitments/index.html").read_text(encoding="utf-8")
    assert "'=1+1" not in commitments and "=1+1" in commitments


def test_two_builds_are_byte_identical(site_repo: GitRepo, tmp_path: Path) -> None:
    digests = []
    for name in ("one", "two"):
        site = tmp_path / name
        assert mkdocs_build_in_process(site_repo.path, site=site).returncode == 0
        digests.append({str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted((site / "plans").rglob("*")) if p.is_file()})  # fmt: skip
    assert digests[0] == digests[1]
    assert len(digests[0]) > 10


def test_invalid_plan_stops_the_build_by_default_and_warns_with_on_invalid_warn(site_repo: GitRepo, tmp_path) -> None:
    site_repo.write("plans/broken.md", plan_text("broken", **{"kind: one-page": "kind: nope"}))
    stopped = mkdocs_build_in_process(site_repo.path, site=tmp_path / "a")
    assert stopped.returncode == 1
    assert "plans/broken.md:4:7: error[bad-value] expected one of 'one-page', 'full'" in stopped.stderr
    site_repo.write(
        "mkdocs.yml", MKDOCS.replace(f'      today: "{TODAY}"\n', f'      today: "{TODAY}"\n      on_invalid: warn\n')
    )
    warned = mkdocs_build_in_process(site_repo.path, site=tmp_path / "b")
    assert warned.returncode == 0, warned.stderr
    assert "WARNING -  kamdocs: plans/broken.md:4:7: error[bad-value]" in warned.stderr
    assert (tmp_path / "b/plans/accounts/alpha/index.html").is_file()
    assert not (tmp_path / "b/plans/accounts/broken").exists()
    assert mkdocs_build_in_process(site_repo.path, "--strict", site=tmp_path / "c").returncode == 1


@pytest.mark.parametrize("severity", ["", "      severity:\n        freshness: error\n"])
def test_freshness_never_fails_the_build_and_is_published(site_repo: GitRepo, tmp_path: Path, severity: str) -> None:
    """A stale plan is a fact to publish: --strict passes, the log says INFO, the page says overdue.

    Even with every freshness rule configured as an error (which makes
    ``kamdocs check`` fail), the build publishes.
    """
    site_repo.write("mkdocs.yml", MKDOCS.replace(TODAY, "2027-06-01") + severity)
    late = mkdocs_build_in_process(site_repo.path, "--strict", site=tmp_path / "a")
    assert late.returncode == 0, late.stderr
    # The review of 2026-10-01 was due 2027-01-01: Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 = 151 days late.
    overdue = [line for line in late.stderr.splitlines() if "[review-overdue]" in line]
    assert len(overdue) == 1 and overdue[0].startswith("INFO    -  kamdocs: freshness: "), late.stderr
    assert "plans/alpha.md (151 days)" in overdue[0]
    assert not [line for line in late.stderr.splitlines() if line.startswith("WARNING")]
    page = (tmp_path / "a/plans/accounts/alpha/index.html").read_text(encoding="utf-8")
    assert re.search(r"[Oo]verdue", page)
    checked = kamdocs_in_process(site_repo.path, "check", "--today", "2027-06-01", "--severity", "freshness=error")
    assert checked.returncode == 1
    assert "error[review-overdue]" in checked.stdout


def test_the_removed_freshness_level_option_says_what_to_do(site_repo: GitRepo, tmp_path: Path) -> None:
    site_repo.write("mkdocs.yml", MKDOCS + "      freshness_level: info\n")
    result = mkdocs_build_in_process(site_repo.path, site=tmp_path / "a")
    assert result.returncode == 1
    assert "plugins.kamdocs.freshness_level: removed option; freshness findings never fail" in result.stderr
    assert "Traceback" not in result.stderr


def grid_data(page: Path) -> list[list]:
    """The rows of each of a page's grids (kamdocs/site/grid.py), parsed, from the page or its rows file."""
    return grid_rows(page)


def test_large_roll_ups_write_the_first_rows_and_carry_every_row_as_data(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.write("mkdocs.yml", MKDOCS + "      page_size: 10\n")
    git_repo.write("docs/index.md", "# Home\n")
    for i in range(25):
        git_repo.write(f"plans/p{i:02d}.md", plan_text(f"p{i:02d}"))
    result = mkdocs_build_in_process(git_repo.path, site=tmp_path / "site")
    assert result.returncode == 0, result.stderr
    first = (tmp_path / "site/plans/index.html").read_text(encoding="utf-8")
    assert first.count('href="accounts/p') == 10
    assert "The first 10 of 25 plans; the filter and the rest need JavaScript" in first
    (data,) = grid_data(tmp_path / "site/plans/index.html")
    assert sorted(row[0][1] for row in data) == [f"accounts/p{i:02d}/" for i in range(25)]
    assert not (tmp_path / "site/plans/index-2").exists()
    assert len(grid_data(tmp_path / "site/plans/by-owner/kam-example-com/index.html")[0]) == 25


def test_the_plugin_loads_under_properdocs(site_repo: GitRepo, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-d", str(tmp_path / "site")],
        cwd=site_repo.path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert 'data-state="fresh"' in (tmp_path / "site/plans/accounts/alpha/index.html").read_text(encoding="utf-8")


def test_no_external_scripts_or_fonts(built: Path) -> None:
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"https?://", html), page
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page


def test_the_commitments_page_has_a_section_and_an_anchor_per_owner(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.write("mkdocs.yml", MKDOCS + "      page_size: 10\n")
    git_repo.write("docs/index.md", "# Home\n")
    for i in range(12):
        git_repo.write(
            f"plans/p{i:02d}.md", plan_text(f"p{i:02d}", **{"owner: kam@example.com": "owner: o@example.com"})
        )
    assert mkdocs_build_in_process(git_repo.path, site=tmp_path / "site").returncode == 0
    page = (tmp_path / "site/plans/commitments/index.html").read_text(encoding="utf-8")
    owners = re.findall(r'<h2 id="(owner-[^"]+)" class="kd-owner">([^<]+)</h2>', page)
    assert owners and all(f'href="#{anchor}"' in page for anchor, _ in owners)
    data = grid_data(tmp_path / "site/plans/commitments/index.html")
    assert len(data) == len(owners)
    open_count = sum(len(d) for d in data)
    owners_text = f"{len(owners)} owner" + ("s" if len(owners) != 1 else "")  # "1 owner", as English says it
    assert f"<p>{open_count} open commitments of {owners_text}" in page
    assert "data-kd-controls" in page
    assert not (tmp_path / "site/plans/commitments/kam-example-com").exists()


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_internal_link_resolves(site_repo: GitRepo, tmp_path: Path, directory_urls: bool) -> None:
    if not directory_urls:
        site_repo.write("mkdocs.yml", MKDOCS + "use_directory_urls: false\n")
    site = tmp_path / "site"
    assert mkdocs_build_in_process(site_repo.path, site=site).returncode == 0
    checked, broken = 0, []
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="([^"#:?]+)"', page.read_text(encoding="utf-8")):
            if href.startswith("/"):
                continue
            checked += 1
            target = (page.parent / href).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((str(page.relative_to(site)), href))
    assert checked > 100
    assert broken == []


MARKERS = {
    "unknown-key": ('<!-- kamdocs:table nope="x" -->', "expected a filter key from"),
    "unknown-value": ('<!-- kamdocs:table state="zzz" -->', "expected a value of state that some plan has"),
    "malformed": ('<!-- kamdocs:table state=overdue" -->', "expected a marker like"),
}


@pytest.mark.parametrize("name", sorted(MARKERS))
def test_a_bad_marker_in_a_plan_body_names_the_plan_file_and_line(tmp_path: Path, name: str) -> None:
    marker, message = MARKERS[name]
    text = plan_text("good", **{"Body text.": "Body text.\n\nMore text.\n\n" + marker + "\n\nAfter."})
    line = text[: text.index(marker)].count("\n") + 1
    repo = write_repo(tmp_path, {"good": plan_text("good"), "marked": text.replace("id: good", "id: marked")})

    build = mkdocs_build_in_process(repo)

    assert build.returncode == 1
    assert f"kamdocs: plans/marked.md:{line}: {message}" in build.stderr, build.stderr
    assert "plans/accounts/marked.md:" not in build.stderr
