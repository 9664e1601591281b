"""The reader's fiscal year: the budget page, the scorecard and the money cards show one fiscal year
at a time, the current one by default, with a switch to every other fiscal year that has goals.

Every year's figures are written into the page, each in its own ``data-kd-fy`` section, and all
but the current year's are ``hidden``: without the script a reader sees the current year, and the
page's figures never depend on a script doing sums. The table script (assets/kamdocs.js) shows the
switch, shows the year named by ``?fy=`` in the URL (the calendar year the fiscal year starts in, as
``--period`` on the command line, or ``all``) and keeps the choice in the URL as it does the grids'
filters, so a link or a reload keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kamdocs.calendar.fiscal import FiscalYear
from kamdocs.i18n import _
from kamdocs.site.html import esc

ALL = "all"
"""The ``?fy=`` value of the sections over every fiscal year."""


@dataclass(frozen=True)
class YearChoice:
    """One choice of the switch: the URL value, the words shown, and the year (None: all years)."""

    key: str
    label: str
    year: FiscalYear | None
    current: bool = False


def fy_key(year: FiscalYear) -> str:
    """The ``?fy=`` value of a fiscal year: the calendar year it starts in, as ``--period`` reads it."""
    return str(year.start.year)


def year_choices(with_goals: Iterable[FiscalYear], current: FiscalYear) -> list[YearChoice]:
    """The current fiscal year and every fiscal year that has goals, in order, then "All years" when
    there are several (with one, its lines would repeat the year's)."""
    years = sorted({*with_goals, current})
    choices = [
        YearChoice(fy_key(y), _("{year} (current)").format(year=y.label) if y == current else y.label, y, y == current)
        for y in years
    ]
    if len(years) > 1:
        choices.append(YearChoice(ALL, _("All years"), None))
    return choices


def year_switch(choices: Sequence[YearChoice]) -> str:
    """The switch, hidden until the script shows it (without the script only the current year shows);
    none when there is nothing to switch to."""
    if len(choices) < 2:
        return ""
    options = "".join(
        f'<option value="{esc(c.key)}"{" selected" if c.current else ""}>{esc(c.label)}</option>' for c in choices
    )
    name = '<span class="kd-control-name">' + esc(_("Fiscal year")) + "</span>"
    return (
        f'<p class="kd-fy-switch" data-kd-fy-switch hidden><label>{name} '
        f'<select class="kd-fy-select" name="fy">{options}</select></label></p>'
    )


def by_year(choices: Sequence[YearChoice], render: Callable[[YearChoice], str]) -> str:
    """One section per choice, each holding ``render(choice)``; all but the current year's hidden."""
    return "".join(
        f'<div class="kd-fy" data-kd-fy="{esc(c.key)}"{"" if c.current else " hidden"}>{render(c)}</div>'
        for c in choices
    )
