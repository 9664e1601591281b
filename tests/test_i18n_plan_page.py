"""A plan page in the reader's locale: amounts and dates as CLDR writes them (issue 24).

The page's parts are rendered as a build renders them, from a real roll-up of a small repository, inside
``i18n.speaking``: the figures do not depend on the catalogues' words, so the expected text is Babel's own
formatting for the locale, and for de-CH also written by hand as a Swiss reader writes it.
"""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from kamdocs import i18n
from kamdocs.config.mkdocs_yml import load_config
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.rollup import StatusRow, roll_up
from kamdocs.rules.freshness import Freshness
from kamdocs.site import html, plan_page, svg

from .commands import write_repo
from .conftest import plan_text

TODAY = date(2026, 11, 1)
LOCALES = [("de", "de-CH"), ("de", "de-DE"), ("fr", "fr-CH"), ("it", "it-CH")]

PLAN = plan_text(
    "swiss",
    **{
        "  target: 500000": "  target: 1250000\n  actual: 987654\n  baseline: 12500",
        "    end: 2026-12-31": "    end: 2027-12-31",
        "    due: 2026-12-15": "    due: 2027-12-31",
        "    resolves: [obs-a]\n": """    resolves: [obs-a]
kpis:
  - id: volume
    name: Volume
    unit: CHF
    target: 2500000
    actual: 1250000
    as_of: 2026-10-31
    direction: higher-is-better
""",
    },
)


@pytest.fixture(scope="module")
def row(tmp_path_factory: pytest.TempPathFactory) -> StatusRow:
    repo = write_repo(tmp_path_factory.mktemp("i18n"), {"swiss": PLAN})
    config = load_config(cwd=repo)
    (found,) = roll_up(config, PlanValidator(config), TODAY).rows
    return found


def rendered(row: StatusRow) -> str:
    """The plan page's computed parts, as the build puts them into the page."""
    plan = row.plan
    return "".join(
        [
            plan_page.facts(row),
            plan_page.goal(plan),
            plan_page.progress(plan, TODAY),
            plan_page.commitments(plan, TODAY),
            plan_page.scorecard(plan),
        ]
    )


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_amounts_and_dates_are_cldrs_for_the_locale(row: StatusRow, language: str, locale: str) -> None:
    cldr = locale.replace("-", "_")
    with i18n.speaking(i18n.resolve(language, locale)[0]):
        page = rendered(row)
    for value in (1250000, 987654, 12500, 2500000):
        assert f"{format_decimal(value, locale=cldr)} CHF" in page, value
    for day in (date(2027, 12, 31), date(2026, 1, 1), date(2026, 10, 31)):
        assert format_date(day, "medium", locale=cldr) in page, day
    assert "2027-12-31" not in page.replace('data-sort="2027-12-31"', "")  # the ISO date only for machines
    assert "1,250,000" not in page


def test_a_swiss_reader_reads_1250000_chf_and_31_12_2027(row: StatusRow) -> None:
    with i18n.speaking(i18n.resolve("de", "de-CH")[0]):
        page = rendered(row)
    assert "1’250’000 CHF" in page
    assert "31.12.2027" in page


def test_english_pages_keep_their_figures_and_iso_dates(row: StatusRow) -> None:
    page = rendered(row)
    assert "1,250,000 CHF" in page
    assert "2027-12-31" in page
    assert "31.12.2027" not in page


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_chart_days_and_badges_follow_the_locale(language: str, locale: str) -> None:
    with i18n.speaking(i18n.resolve(language, locale)[0]):
        assert i18n.chart_day(date(2026, 10, 5)) == i18n.chart_day(date(2026, 10, 5))
        fresh = Freshness("overdue", "quarterly", date(2023, 5, 1), 1250, None, 0, 0)
        label = html.badge_label(fresh)
        chart = svg.progress_bar(12500.0, 987654.0, 1250000.0, "CHF", 0.5)
    grouped = format_decimal(1250, locale=locale.replace("-", "_"))
    assert grouped in label
    assert format_decimal(987654, locale=locale.replace("-", "_")) in chart
    with i18n.speaking(i18n.resolve("de", "de-CH")[0]):
        assert i18n.chart_day(date(2026, 10, 5)) == "05.10.2026"  # as the rest of the page writes dates
    assert i18n.chart_day(date(2026, 10, 5)) == "5 Oct 2026"


@pytest.mark.parametrize(
    "figure",
    ["1,250,000", "2026-11-30", "1’250’000", "1.250.000", "1\u202f250\u202f000", "31.12.2027", "98,5", "1.250.000,50"],
)
def test_a_figure_or_date_of_any_locale_stays_on_one_line(figure: str) -> None:
    text = f"Target {figure} CHF by then"
    assert html.keep_figures(text) == f"Target {html.nowrap(figure)} CHF by then"


def test_keep_figures_wraps_nothing_that_is_no_figure() -> None:
    assert html.keep_figures("5 Oct 2026, 42 % and &#x27;quoted&#x27;") == "5 Oct 2026, 42 % and &#x27;quoted&#x27;"
