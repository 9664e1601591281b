"""The budget page's table: the figures a budget round acts on first, and the counts that qualify them under them.

The terminal, Markdown and CSV outputs keep one column per figure (``budget_output.HEADERS``); ten
columns do not fit a 1366 px screen beside the navigation, so the site groups them into seven:
area (with its number of plans under it), fiscal year, target, actual (with the plans that give
none under it), attainment, baseline (likewise) and growth. On a phone each line is a block of
labelled cells. The figures are the ones ``budget_output.cells`` words for the terminal, written in the
reader's locale (:func:`money`, :func:`share`): on an English page they read exactly alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.numbers import get_minus_sign_symbol, get_plus_sign_symbol

from kamdocs import i18n
from kamdocs.i18n import N_, _, ngettext
from kamdocs.report.budget import BudgetLine
from kamdocs.site.html import amount as money
from kamdocs.site.html import esc, nowrap, second_line, sort_cell, table

COLUMNS = (
    N_("Business area"),
    N_("Fiscal year"),
    N_("Target"),
    N_("Actual"),
    N_("Attainment"),
    N_("Baseline"),
    N_("Growth"),
)
NUMERIC = {2, 3, 4, 5, 6}


def share(value: float | None, signed: bool = False) -> str:
    """A fraction as the reader's locale writes a percentage (``42%``, ``42 %`` in de-DE), optionally
    signed (``+5%``, ``-0%`` for a drop that rounds to nothing, as ``budget_output.share`` writes it)."""
    if value is None or not signed:
        return i18n.percent(value)
    locale = i18n.speech().locale
    sign = get_minus_sign_symbol(locale) if value < 0 else get_plus_sign_symbol(locale)
    return sign + i18n.percent(abs(value))


def plans_text(n: int) -> str:
    """``3 plans``, in the reader's language."""
    return ngettext("{count} plan", "{count} plans", n).format(count=i18n.number(n))


def _area(level: str, line: BudgetLine) -> str:
    return _("All areas") if level == "year-total" else line.area or ""


def _year(level: str, line: BudgetLine) -> str:
    return _("All years") if level == "area-total" else (line.fiscal_year.label if line.fiscal_year else "")


def _without_actual(n: int) -> str:
    # TRANSLATORS: under a budget line's actual: how many of its plans give no actual.
    return ngettext("{count} plan without actual", "{count} plans without actual", n).format(count=i18n.number(n))


def _without_baseline(n: int) -> str:
    # TRANSLATORS: under a budget line's baseline: how many of its plans give no baseline.
    text = ngettext("{count} plan without baseline", "{count} plans without baseline", n)
    return text.format(count=i18n.number(n))


def budget_table(lines: Iterable[tuple[str, BudgetLine]]) -> str:
    """A sortable table of ``(level, line)`` in reading order (``budget_output.ordered``); totals in bold."""
    rows, classes = [], []
    for level, line in lines:
        area = _area(level, line)
        year = line.fiscal_year.start.isoformat() if line.fiscal_year else "9999"
        rows.append(
            [
                sort_cell(second_line(esc(area), esc(plans_text(line.plans))), area),
                sort_cell(nowrap(esc(_year(level, line))), year),
                _figure(money(line.target, line.unit), line.target),
                _figure(money(line.actual, line.unit), line.actual,
                        _without_actual(line.actuals_missing) if line.actuals_missing else ""),
                _figure(share(line.attainment), line.attainment, _of(line)),
                _figure(money(line.baseline, line.unit), line.baseline,
                        _without_baseline(line.baselines_missing) if line.baselines_missing else ""),
                _figure(share(line.growth, signed=True), line.growth),
            ]
        )  # fmt: skip
        classes.append("" if level == "line" else "kd-total")
    headers = [_(c) for c in COLUMNS]
    return table(headers, rows, css="kd-table kd-budget", sortable=True, row_classes=classes, numeric=NUMERIC,
                 stacked=True)  # fmt: skip


def _of(line: BudgetLine) -> str:
    """What the attainment is of, when that is not the Target beside it: the targets of the plans with an
    actual. Without it a reader dividing the actual by the target cell gets another percentage."""
    if not line.actuals_missing or line.actual is None:
        return ""
    # TRANSLATORS: under an attainment: the targets it is the share of ("of 1,200,000 CHF").
    return _("of {amount}").format(amount=money(line.target_with_actual, line.unit))


def _figure(text: str, key: float | None, detail: str = "") -> str:
    return sort_cell(second_line(esc(text), esc(detail)), "" if key is None else key)
