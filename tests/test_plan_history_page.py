"""A plan page's history: what changed since the last review, and its trend charts.

Real git repositories with fixed commit dates, built by a real ``mkdocs build``; every figure the tests
expect is worked out by hand from the history they build, in the comments beside it.
"""

from __future__ import annotations

import gettext
import html as html_module
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date

from kamdocs.system.background import cores

from .commands import mkdocs_build_in_process, site_config
from .conftest import ROOT, GitRepo, plan_text
from .test_print import printed, problems, wider_than_paper
from .test_timeline import ACTUALS, DAYS

sys.path.insert(0, str(ROOT / "scripts"))
from browser import serve

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"

TODAY = "2026-11-20"
CONFIG = site_config("git: true", f"today: {TODAY}", "on_invalid: warn", search=False)


def commit(repo: GitRepo, message: str, day: str, text: str, plan_id: str = "rise") -> None:
    """One commit of ``plans/<plan_id>.md`` on ``day`` (with the site's own files, the first time)."""
    files = {f"plans__{plan_id}.md": text}
    if not (repo.path / "mkdocs.yml").exists():
        files |= {"mkdocs.yml": CONFIG, "docs__index.md": "# Plans\n"}
    repo.commit(message, f"{day}T09:00:00+00:00", **files)


def rising(repo: GitRepo) -> None:
    """Six commits of plans/rise.md, its goal's actual rising each time (none in the first); the plan is
    the minimal one: target 500,000 CHF over 2026-01-01 to 2026-12-31, reviewed 2026-10-01."""
    for actual, day in zip(ACTUALS, DAYS, strict=True):
        commit(repo, f"rise on {day}", day, plan_text("rise", **{"  unit: CHF\n": "  unit: CHF\n" + actual}))


def build(repo: Path, site: Path) -> str:
    result = mkdocs_build_in_process(repo, site=site)
    assert result.returncode == 0, result.stderr
    return (site / "plans/accounts/rise/index.html").read_text(encoding="utf-8")


def chart_rows(page: str, title_start: str) -> list[list[str]]:
    """The rows of the screen-reader table of the chart whose title starts with ``title_start``."""
    found = re.search(
        rf'<table class="kd-sr-table"><caption>{re.escape(title_start)}[^<]*</caption>.*?<tbody>(.*?)</tbody>', page
    )
    assert found is not None, title_start
    return [
        [html_module.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1))
    ]


def section(page: str, anchor: str) -> str:
    """The text of the page's section under the heading ``anchor``, tags dropped."""
    part = page.split(f'<h2 id="{anchor}">', 1)[1].split("</h2>", 1)[1].split("<h2", 1)[0]
    part = re.sub(r"</?(?:p|li|ul|div|figure|figcaption|table|tr|td|th)\b[^>]*>", " ", part)
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part))).strip()


def test_actual_rising_over_six_commits_against_the_time_elapsed(git_repo: GitRepo, tmp_path: Path) -> None:
    rising(git_repo)
    page = build(git_repo.path, tmp_path / "site")
    # On pace = target x the share of 2026 (365 days) passed by the end of the version's day:
    # 10 Jan is day 10, 10 Mar day 31+28+10 = 69, 10 May day 120+10 = 130, 10 Jul day 181+10 = 191,
    # 10 Sep day 243+10 = 253, 10 Nov day 304+10 = 314.
    assert chart_rows(page, "Goal: actual against target") == [
        ["2026-01-10", "none yet", "500,000", "13,698.63"],  # 500,000 x 10/365 = 13,698.630...
        ["2026-03-10", "50,000", "500,000", "94,520.55"],  # x 69/365 = 94,520.547...
        ["2026-05-10", "120,000", "500,000", "178,082.19"],  # x 130/365 = 178,082.191...
        ["2026-07-10", "200,000", "500,000", "261,643.84"],  # x 191/365 = 261,643.835...
        ["2026-09-10", "310,000", "500,000", "346,575.34"],  # x 253/365 = 346,575.342...
        ["2026-11-10", "380,000", "500,000", "430,136.99"],  # x 314/365 = 430,136.986...
    ]
    # The commitment c-a (due 2026-12-15) is open on every commit day and overdue on none.
    assert chart_rows(page, "Open and overdue commitments") == [[day, "1", "0"] for day in DAYS]
    assert [row[0] for row in chart_rows(page, "Quality score")] == DAYS  # 2025-11-20 to 2026-11-20 holds all six
    goal_chart = page.split("<caption>Goal: actual against target", 1)[0].rsplit('<figure class="kd-chart">', 1)[1]
    # Five dots of the actual (the first version had none: a gap, never 0) and six of the target.
    assert goal_chart.count('class="kd-dot kd-trend-actual"') == 5
    assert goal_chart.count('class="kd-dot kd-trend-target"') == 6
    assert "History starts" not in page and "No history" not in page
    # 380,000 of the 430,136.99 an even pace asked for by 10 Nov: 0.8834... = 88 %.
    assert (
        "On 10 Nov 2026 the actual was 380,000 CHF; an even pace to the target would have reached "
        "430,136.99 CHF by then (88% of it)." in section(page, "kd-trends")
    )
    # Reviewed 2026-10-01 in every version: the review's version is the first, when there was no actual.
    since = section(page, "kd-since-review")
    assert since.startswith("Changes since the review on 1 Oct 2026 (the plan as it was then, committed on 10 Jan 2026")
    assert "goal actual: none → 380,000 CHF" in since


def test_the_quality_chart_has_the_configured_bands(git_repo: GitRepo, tmp_path: Path) -> None:
    rising(git_repo)
    config = CONFIG.replace("      git: true\n", "      git: true\n      quality: {good: 85, fair: 50}\n")
    (git_repo.path / "mkdocs.yml").write_text(config, encoding="utf-8")
    page = build(git_repo.path, tmp_path / "site")
    chart = page.split("<caption>Quality score, last 12 months", 1)[0].rsplit('<figure class="kd-chart">', 1)[1]
    assert "good from 85" in chart and "fair from 50" in chart
    # The plot is 150 units tall from y = 8 down to y = 158, 0 to 100: a score v sits at 158 - 1.5 v,
    # so 85 at 30.5 and 50 at 83.0; each line runs the whole width.
    bands = re.findall(
        r'<line class="kd-band-line kd-band-line-(good|fair)" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="([\d.]+)"',
        chart,
    )
    assert bands == [("good", "30.5", "30.5"), ("fair", "83.0", "83.0")]
    # The axis names them too: 0, 100, 85 and 50.
    assert re.findall(r'<tspan x="[\d.]+" dy="0">(\d+)</tspan>', chart) == ["0", "100", "85", "50"]


def test_a_negative_actual_is_drawn_below_0(git_repo: GitRepo, tmp_path: Path) -> None:
    commit(git_repo, "one", "2026-10-02", plan_text("rise", **{"  unit: CHF\n": "  unit: CHF\n  actual: -20000\n"}))
    page = build(git_repo.path, tmp_path / "site")
    chart = page.split("<caption>Goal: actual against target", 1)[0].rsplit('<figure class="kd-chart">', 1)[1]
    # The axis runs from -20,000 (the round foot under the actual) to 500,000 over 150 units from y = 158
    # up: -20,000 at 158, and 0 at 158 - 150 x 20,000/520,000 = 152.23...
    assert re.search(r'<circle class="kd-dot kd-trend-actual" cx="[\d.]+" cy="158.0"', chart)
    assert re.search(r'<line class="kd-axis" x1="[\d.]+" x2="[\d.]+" y1="152.2"', chart)
    assert chart_rows(page, "Goal: actual against target")[0][1] == "-20,000"


def test_a_plan_with_one_version_shows_one_point(git_repo: GitRepo, tmp_path: Path) -> None:
    commit(git_repo, "one", "2026-10-02", plan_text("rise", **{"  unit: CHF\n": "  unit: CHF\n  actual: 90000\n"}))
    page = build(git_repo.path, tmp_path / "site")
    # 2 Oct is day 273+2 = 275 of 2026: 500,000 x 275/365 = 376,712.328...
    assert chart_rows(page, "Goal: actual against target") == [["2026-10-02", "90,000", "500,000", "376,712.33"]]
    assert chart_rows(page, "Open and overdue commitments") == [["2026-10-02", "1", "0"]]
    assert len(chart_rows(page, "Quality score")) == 1
    trends = page.split('<h2 id="kd-trends">', 1)[1].split('<h2 id="kd-history">', 1)[0]
    assert trends.count('class="kd-dot kd-trend-actual"') == 1
    assert '<path class="kd-trend kd-trend-actual"' not in trends  # one dot, no line
    assert "One version so far, committed on 2 Oct 2026." in section(page, "kd-trends")
    # Reviewed 2026-10-01 in its only version: nothing since.
    assert section(page, "kd-since-review") == "No change since the review on 1 Oct 2026."


def test_a_plan_unchanged_for_over_a_year_is_not_drawn_as_todays(git_repo: GitRepo, tmp_path: Path) -> None:
    """Written on 2025-10-01 for 2026 and not changed since: the goal chart has its one version at the
    period's start (its own day in the table), and no quality or commitments line is drawn across a year
    from a judgement of over a year ago (2025-10-01 is before 2025-11-20, twelve months before today)."""
    commit(
        git_repo,
        "old",
        "2025-10-01",
        plan_text("rise", **{"  last_reviewed: 2026-10-01": "  last_reviewed: 2025-10-01"}),
    )
    page = build(git_repo.path, tmp_path / "site")
    # Before the period starts none of it has passed: on pace is 0.
    assert chart_rows(page, "Goal: actual against target") == [["2025-10-01", "none yet", "500,000", "0"]]
    trends = page.split('<h2 id="kd-trends">', 1)[1].split('<h2 id="kd-history">', 1)[0]
    assert trends.count('class="kd-dot kd-trend-target"') == 1
    assert "Quality score, last 12 months" not in trends and "Open and overdue" not in trends
    assert "No version in the last 12 months (the newest is of 1 Oct 2025)" in section(page, "kd-trends")


REVIEWED = plan_text("rise", **{"  last_reviewed: 2026-10-01": "  last_reviewed: 2026-10-05"})


def test_a_review_then_a_change_names_the_change(git_repo: GitRepo, tmp_path: Path) -> None:
    commit(git_repo, "first", "2026-09-01", plan_text("rise"))
    commit(git_repo, "reviewed", "2026-10-05", REVIEWED)
    changed = REVIEWED.replace("  target: 500000", "  target: 600000") + ""
    changed = changed.replace(
        "    resolves: [obs-a]\n",
        "    resolves: [obs-a]\n  - id: c-b\n    action: Train the buyers\n    owner: kam@example.com\n"
        "    due: 2026-12-01\n    status: open\n",
    )
    commit(git_repo, "new target", "2026-10-20", changed)
    since = section(build(git_repo.path, tmp_path / "site"), "kd-since-review")
    assert since.startswith("Changes since the review on 5 Oct 2026 (the plan as it was then, against today's):")
    # 500,000 to 600,000: +100,000, which is +20.0 % of 500,000.
    assert "goal target: 500,000 → 600,000 CHF (+100,000, +20.0 %)" in since
    assert "commitment added c-b: Train the buyers (kam@example.com, due 2026-12-01)" in since
    assert "last_reviewed" not in since and "goal actual" not in since


def test_a_review_then_nothing_says_no_change(git_repo: GitRepo, tmp_path: Path) -> None:
    commit(git_repo, "first", "2026-09-01", plan_text("rise"))
    commit(git_repo, "reviewed", "2026-10-05", REVIEWED)
    page = build(git_repo.path, tmp_path / "site")
    assert section(page, "kd-since-review") == "No change since the review on 5 Oct 2026."


def test_a_confidential_commitment_added_after_the_review_is_not_named(git_repo: GitRepo, tmp_path: Path) -> None:
    commit(git_repo, "reviewed", "2026-10-05", REVIEWED)
    secret = REVIEWED.replace(
        "    resolves: [obs-a]\n",
        "    resolves: [obs-a]\n  - id: c-canary\n    action: CANARY-SECRET-ACTION\n    owner: canary@example.com\n"
        "    due: 2026-10-10\n    status: open\n    confidential: true\n",
    )
    commit(git_repo, "secret", "2026-10-20", secret)
    site = tmp_path / "site"
    page = build(git_repo.path, site)
    assert section(page, "kd-since-review") == "No change since the review on 5 Oct 2026."
    # The hidden commitment would be overdue since 2026-10-10; the public one (c-a, due 2026-12-15) is not.
    assert chart_rows(page, "Open and overdue commitments") == [["2026-10-05", "1", "0"], ["2026-10-20", "1", "0"]]
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"CANARY" not in data and b"c-canary" not in data, path


def test_what_is_confidential_now_is_not_named_from_the_version_reviewed(git_repo: GitRepo, tmp_path: Path) -> None:
    """Public at the review, confidential today: the commitment is not "removed", its action is nowhere on
    the page, and the goal's earlier actuals are not charted once today's actual is hidden."""
    public = REVIEWED.replace("  unit: CHF\n", "  unit: CHF\n  actual: 111111\n").replace(
        "    resolves: [obs-a]\n",
        "    resolves: [obs-a]\n  - id: c-b\n    action: TRAIN-CANARY-BUYERS\n    owner: kam@example.com\n"
        "    due: 2026-12-01\n    status: open\n",
    )
    commit(git_repo, "reviewed", "2026-10-05", public)
    hidden = public.replace("    status: open\n", "    status: open\n    confidential: true\n", 2)
    hidden = hidden.replace("    status: open\n    confidential: true\n", "    status: open\n", 1)  # c-a stays public
    hidden = hidden.replace("  actual: 111111", "  actual: 222222").replace(
        "kind: one-page\n", "kind: one-page\nconfidential_fields: [goal.actual]\n"
    )
    commit(git_repo, "hidden", "2026-10-20", hidden)
    page = build(git_repo.path, tmp_path / "site")
    # (The quality score may move: it is worked out from what is shown, then and now.)
    assert section(page, "kd-since-review").startswith("No change since the review on 5 Oct 2026.")
    assert "TRAIN-CANARY" not in page and "111,111" not in page and "222,222" not in page
    assert [row[1] for row in chart_rows(page, "Goal: actual against target")] == ["none yet", "none yet"]


def test_front_matter_text_is_escaped_in_the_changes_and_the_charts(git_repo: GitRepo, tmp_path: Path) -> None:
    hostile = REVIEWED.replace("  unit: CHF", '  unit: "<i>X</i>"')
    commit(git_repo, "reviewed", "2026-10-05", hostile)
    added = hostile.replace(
        "    resolves: [obs-a]\n",
        '    resolves: [obs-a]\n  - id: c-x\n    action: "<img src=x onerror=alert(1)>"\n'
        "    owner: kam@example.com\n    due: 2026-12-01\n    status: open\n",
    )
    commit(git_repo, "added", "2026-10-20", added)
    page = build(git_repo.path, tmp_path / "site")
    assert "<img src=x" not in page and "<i>X</i>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.split('<h2 id="kd-since-review">', 1)[1]
    assert "actual (&lt;i&gt;X&lt;/i&gt;)" in page  # the legend
    assert "Actual (&lt;i&gt;X&lt;/i&gt;)" in page  # the table's header


def test_a_shallow_clone_says_where_history_starts(git_repo: GitRepo, tmp_path: Path) -> None:
    rising(git_repo)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{git_repo.path}", str(clone)], check=True)
    page = build(clone, tmp_path / "site")
    # The last two commits: 2026-09-10 and 2026-11-10; what came before is not known, not drawn flat.
    assert [row[0] for row in chart_rows(page, "Goal: actual against target")] == ["2026-09-10", "2026-11-10"]
    trends = section(page, "kd-trends")
    assert trends.startswith("History starts on 10 Sep 2026: the site was built from a shallow clone")
    # Reviewed 2026-10-01 in both versions: the review may be older than the history.
    assert section(page, "kd-since-review").startswith(
        "History starts on 10 Sep 2026 (a shallow clone), and the review on 1 Oct 2026 may be older"
    )


def test_without_git_the_page_says_so(git_repo: GitRepo, tmp_path: Path) -> None:
    rising(git_repo)
    (git_repo.path / "mkdocs.yml").write_text(CONFIG.replace("git: true", "git: false"), encoding="utf-8")
    page = build(git_repo.path, tmp_path / "site")
    # One sentence for what changed and the trends, in one section: no heading over nothing.
    assert 'id="kd-trends"' not in page and "kd-trend-chart" not in page
    assert section(page, "kd-since-review") == (
        "No history: this site was built without git. What changed since the review on 1 Oct 2026 is not known, "
        "and there are no trends to draw."
    )


def test_a_version_with_errors_is_a_gap_never_0(git_repo: GitRepo, tmp_path: Path) -> None:
    good = plan_text("rise", **{"  unit: CHF\n": "  unit: CHF\n  actual: 100000\n"})
    commit(git_repo, "good", "2026-06-01", good)
    commit(git_repo, "broken", "2026-07-01", good.replace("  target: 500000", "  target: lots"))
    commit(git_repo, "fixed", "2026-08-01", good.replace("  actual: 100000", "  actual: 200000"))
    page = build(git_repo.path, tmp_path / "site")
    rows = chart_rows(page, "Goal: actual against target")
    # 1 Jun is day 151+1 = 152: 500,000 x 152/365 = 208,219.178...; 1 Aug is day 212+1 = 213: 291,780.821...
    assert rows == [
        ["2026-06-01", "100,000", "500,000", "208,219.18"],
        ["2026-07-01", "not readable: the plan had errors", "", ""],
        ["2026-08-01", "200,000", "500,000", "291,780.82"],
    ]
    goal_chart = page.split("<caption>Goal: actual against target", 1)[0].rsplit('<figure class="kd-chart">', 1)[1]
    actual = re.search(r'<path class="kd-trend kd-trend-actual" d="([^"]+)"', goal_chart)
    assert actual is not None and actual.group(1).count("M") == 2  # the line stops at the gap and starts again


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or cores() < 2, reason="needs two cores to compare with")
def test_one_core_and_two_cores_make_the_same_history_pages(git_repo: GitRepo, tmp_path: Path) -> None:
    rising(git_repo)
    commit(
        git_repo,
        "reviewed",
        "2026-11-12",
        plan_text("rise", **{"  last_reviewed: 2026-10-01": "  last_reviewed: 2026-11-12"}),
    )
    allowed = os.sched_getaffinity(0)
    every = build(git_repo.path, tmp_path / "every-core")
    os.sched_setaffinity(0, {min(allowed)})
    try:
        assert cores() == 1
        one = build(git_repo.path, tmp_path / "one-core")
    finally:
        os.sched_setaffinity(0, allowed)
    assert every == one
    assert "kd-trend-chart" in one and "Changes since the review on 12 Nov 2026" not in one


@pytest.mark.e2e
def test_a_plan_page_with_history_fits_a_phone_a_wide_screen_and_paper(
    git_repo: GitRepo, tmp_path: Path, chromium: Any
) -> None:
    """No sideways scroll at 390 px, no chart wider than the page or clipped, no two labels of a chart
    overlapping, at 390 and 1366 px in both palettes and on A4 paper (its printed width, 186 mm at
    96 px an inch); and axe finds nothing in the new sections."""
    rising(git_repo)
    palettes = (
        "  palette:\n"
        '    - media: "(prefers-color-scheme: light)"\n      scheme: default\n'
        '    - media: "(prefers-color-scheme: dark)"\n      scheme: slate\n'
    )
    (git_repo.path / "mkdocs.yml").write_text(CONFIG.replace("  font: false\n", "  font: false\n" + palettes))
    build(git_repo.path, tmp_path / "site")
    views = [(390, "screen", "light"), (1366, "screen", "dark"), (390, "screen", "dark"), (703, "print", "light")]
    with serve(tmp_path / "site") as base:
        for width, media, scheme in views:
            context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            page.emulate_media(media=media)
            page.goto(f"{base}/plans/accounts/rise/")
            where = (width, media, scheme)
            palette = page.locator("body").get_attribute("data-md-color-scheme")
            assert palette == ("slate" if scheme == "dark" else "default"), where
            assert page.evaluate("document.documentElement.scrollWidth") <= width, where
            charts = page.evaluate(
                """() => [...document.querySelectorAll('svg.kd-trend-chart')].map(s => {
                       const r = s.getBoundingClientRect();
                       return [r.left, r.right, r.width, document.documentElement.clientWidth];
                   })"""
            )
            assert len(charts) == 3, where
            for left, right, drawn, client in charts:
                assert left >= 0 and right <= client and drawn > 250, (where, left, right)
            # No two labels of a chart overlap, as the browser lays them out.
            overlaps = page.evaluate(
                """() => [...document.querySelectorAll('svg.kd-trend-chart')].flatMap(s => {
                       const boxes = [...s.querySelectorAll('text')].map(t => t.getBoundingClientRect());
                       const out = [];
                       boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
                           if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(i);
                       }));
                       return out;
                   })"""
            )
            assert overlaps == [], where
            if media == "screen":
                page.add_script_tag(path=str(AXE))
                found = page.evaluate(
                    """async () => (await axe.run(document)).violations.flatMap(v => v.nodes
                         .filter(n => {
                             const el = document.querySelector(n.target[0]);
                             return el && el.closest('.md-content') && !el.closest('.md-content__button, .headerlink');
                         })
                         .map(n => v.id + ' ' + n.target.join(' ')))"""
                )
                assert found == [], where
            context.close()
        # On A4: a one-page plan with its three charts on two pages at most, nothing split or cut (test_print.py).
        page = chromium.new_page()
        url = f"{base}/plans/accounts/rise/"
        printout = printed(page, url, "A4")
        assert len(printout.pdf.pages) <= 2
        assert problems(printout, url) == []
        assert wider_than_paper(page, url, "A4") == []
        page.close()


def test_the_changes_since_the_review_in_german(git_repo: GitRepo, tmp_path: Path) -> None:
    """The same change on a German site: the catalogue's words, and figures and dates as de-CH writes them."""
    git_repo.commit(
        "first",
        "2026-09-01T09:00:00+00:00",
        **{
            "mkdocs.yml": CONFIG.replace("  name: material\n", "  name: material\n  language: de\n"),
            "docs__index.md": "# Pläne\n",
            "plans__rise.md": plan_text("rise"),
        },
    )
    commit(git_repo, "reviewed", "2026-10-05", REVIEWED)
    commit(git_repo, "new target", "2026-10-20", REVIEWED.replace("  target: 500000", "  target: 600000"))
    since = section(build(git_repo.path, tmp_path / "site"), "kd-since-review")
    german = gettext.GNUTranslations((ROOT / "kamdocs/i18n/locale/de/LC_MESSAGES/kamdocs.mo").open("rb"))
    head = german.gettext("Changes since the review on {day} (the plan as it was then, against today's):")
    assert head != "Changes since the review on {day} (the plan as it was then, against today's):"
    # 5 October 2026 as CLDR's de-CH writes a date (05.10.2026); 500’000 to 600’000 is +100’000, +20.0 %.
    assert since.startswith(head.format(day="05.10.2026"))
    assert format_date(date(2026, 10, 5), "medium", locale="de_CH") == "05.10.2026"
    assert f"{german.gettext('goal target')}: 500’000 → 600’000 CHF (+100’000, +20.0 %)" in since
