"""The budget page and the scorecard in the reader's locale: their sums and percentages as CLDR writes them.

The plans' figures are summed here by hand and the expected text is written with Babel directly
(``format_decimal``, ``format_percent``), never with kamdocs' own functions; the pages are rendered in
process inside :func:`kamdocs.i18n.speaking`, as a build speaks once it has read the configuration.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.numbers import format_decimal, format_percent

from kamdocs import i18n
from kamdocs.calendar.fiscal import fiscal_year_of
from kamdocs.config import Config
from kamdocs.history.log import GitHistory
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.model import Plan, plan_from_data
from kamdocs.report.budget import budget
from kamdocs.report.budget_output import ordered
from kamdocs.report.rollup import status_rows
from kamdocs.report.scorecard import fiscal_period, scorecard
from kamdocs.site.budget_page import budget_table
from kamdocs.site.scorecard_page import scorecard_table

from .conftest import plan_text

TODAY = date(2026, 11, 15)
UNIT = "CHF"
FIGURES = {
    # id: (target, actual); the third plan gives no actual, so attainment is over the first two targets.
    "alpha": (1_250_000, 600_000),
    "beta": (987_654.25, 500_000.5),
    "gamma": (3_000_000, None),
}
TARGETS = 1_250_000 + 987_654.25 + 3_000_000  # 5,237,654.25
ACTUALS = 600_000 + 500_000.5  # 1,100,000.5
TARGETS_WITH_ACTUAL = 1_250_000 + 987_654.25  # 2,237,654.25
LOCALES = [("de", "de-CH", "de_CH"), ("de", "de-DE", "de_DE"), ("fr", "fr-CH", "fr_CH")]


def plan(plan_id: str, target: float, actual: float | None) -> Plan:
    goal = f"  target: {target}\n" + (f"  actual: {actual}\n" if actual is not None else "")
    text = plan_text(plan_id, **{"  target: 500000\n": goal})
    file = f"plans/{plan_id}.md"
    source = parse_bytes(text.encode("utf-8"), file).source
    assert source is not None
    return plan_from_data(source.data, file, source.body, source.body_line, source.line_map())


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    return [plan(plan_id, *figures) for plan_id, figures in FIGURES.items()]


def text_of(html: str) -> str:
    """The page's text: markup out (a figure may be wrapped to stay on one line), entities as written."""
    return re.sub(r"<[^>]+>", "", html).replace("&amp;", "&")


def amount(value: float, cldr: str) -> str:
    return f"{format_decimal(value, locale=cldr)} {UNIT}"


def test_the_sums_by_hand() -> None:
    assert TARGETS == 5_237_654.25 and ACTUALS == 1_100_000.5 and TARGETS_WITH_ACTUAL == 2_237_654.25


def test_swiss_figures_written_by_hand() -> None:
    """What a Swiss reader writes, whatever Babel says: ’ groups, a point parts the decimals."""
    assert format_decimal(TARGETS, locale="de_CH") == "5’237’654.25"


@pytest.mark.parametrize(("language", "locale", "cldr"), LOCALES)
def test_budget_page_sums_and_percentages_in_the_readers_locale(
    plans: list[Plan], language: str, locale: str, cldr: str
) -> None:
    result = budget(plans, "01-01")
    with i18n.speaking(i18n.resolve(language, locale)[0]):
        html = budget_table(ordered(result))
    text = text_of(html)
    # One area in one fiscal year: its line and the year's total show the same sums.
    assert text.count(amount(TARGETS, cldr)) == 2, text
    assert text.count(amount(ACTUALS, cldr)) == 2
    assert text.count(format_percent(ACTUALS / TARGETS_WITH_ACTUAL, locale=cldr)) == 2
    assert amount(TARGETS_WITH_ACTUAL, cldr) in text  # what the attainment is of
    # The English figures are gone: no 5,237,654.25 on a German or French page.
    assert "5,237,654" not in text and "1,100,000" not in text


@pytest.mark.parametrize(("language", "locale", "cldr"), LOCALES)
def test_scorecard_attainment_in_the_readers_locale(plans: list[Plan], language: str, locale: str, cldr: str) -> None:
    config = Config(root=Path("."), fiscal_year_start="01-01")
    rows = status_rows(plans, TODAY, config, GitHistory())
    period = fiscal_period(fiscal_year_of(TODAY, config.fiscal_year_start))
    scored = scorecard(rows, "owner", period, TODAY, config.default_interval, config.fiscal_year_start)
    with i18n.speaking(i18n.resolve(language, locale)[0]):
        html = scorecard_table(scored, "owner", {}, lambda path: path)
    text = text_of(html)
    assert format_percent(ACTUALS / TARGETS_WITH_ACTUAL, locale=cldr) in text, text
    assert amount(TARGETS_WITH_ACTUAL, cldr) in text
    assert "2,237,654" not in text


def test_english_pages_keep_todays_figures(plans: list[Plan]) -> None:
    """Without a language, the figures are the ones every English output has always written."""
    text = text_of(budget_table(ordered(budget(plans, "01-01"))))
    assert "5,237,654.25 CHF" in text and "1,100,000.5 CHF" in text and "49%" in text
