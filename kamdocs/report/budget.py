"""The budget roll-up: the plans' goals summed per business area, fiscal year and unit.

The plans are the foundation of the sales budgeting process, so this is
where that process starts: per business area × fiscal year × currency (or
other unit), the number of plans and the sums of their baselines, targets
and actuals, the attainment and the growth the targets ask for.

Four rules keep the figures honest:

- **Units are never added together.** CHF, EUR and "units" stay on their own
  lines, in totals too; a unit is compared exactly as written.
- **A missing figure is missing, never 0.** A plan without an actual counts
  in ``actuals_missing`` and is left out of the attainment, whose ``target``
  side is only the targets of the plans that report an actual. Baselines
  and growth work the same way.
- **A goal counts in the fiscal year in which its period ends** (see
  :mod:`kamdocs.calendar.fiscal`).
- **A placeholder is not data.** A plan whose unit or business area is
  still a placeholder (``TODO: CHF, EUR, units...``) is summed nowhere: it
  is listed as incomplete, with the fields to fill in.

Archived plans are history and are left out. Drafts count: a draft's target is
the proposal the budget round discusses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kamdocs.calendar.fiscal import FiscalYear, fiscal_year_of
from kamdocs.plan.model import Plan
from kamdocs.plan.spellings import is_currency, is_placeholder


def is_money(unit: str) -> bool:
    """Whether a unit is a currency (three capital letters), which gets money formatting and cards."""
    return is_currency(unit)


@dataclass(frozen=True)
class BudgetLine:
    """The sums over a set of plans sharing one unit; ``area`` or ``fiscal_year`` None on a total line."""

    area: str | None
    fiscal_year: FiscalYear | None
    unit: str
    plans: int
    target: float
    baseline: float | None
    """Sum of the baselines given; None when no plan gives one."""
    baselines_missing: int
    target_with_baseline: float
    """Sum of the targets of the plans that give a baseline: the other side of growth."""
    actual: float | None
    """Sum of the actuals given; None when no plan gives one."""
    actuals_missing: int
    target_with_actual: float
    """Sum of the targets of the plans that give an actual: the other side of attainment."""

    @property
    def attainment(self) -> float | None:
        """Actuals over the targets of the same plans; None without an actual or with those targets at 0."""
        if self.actual is None or not self.target_with_actual:
            return None
        return _finite(self.actual / self.target_with_actual)

    @property
    def growth(self) -> float | None:
        """How much the targets ask above the baselines of the same plans: 0.25 is 25 % growth."""
        if self.baseline is None or not self.baseline:
            return None
        return _finite((self.target_with_baseline - self.baseline) / abs(self.baseline))

    @property
    def is_money(self) -> bool:
        return is_money(self.unit)


def _sum(values: Iterable[float]) -> float:
    """An exact sum; one past the largest float is infinity (shown as "too large"), not an error."""
    items = list(values)
    try:
        return math.fsum(items)
    except OverflowError:
        return math.copysign(math.inf, sum(items))


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Budget:
    """The roll-up: a line per area × fiscal year × unit, and the totals per area and per fiscal year."""

    lines: tuple[BudgetLine, ...]
    area_totals: tuple[BudgetLine, ...]
    """Per area and unit, over every fiscal year."""
    year_totals: tuple[BudgetLine, ...]
    """Per fiscal year and unit, over every area."""
    unit_totals: tuple[BudgetLine, ...] = ()
    """Per unit, over every area and fiscal year: the site's "All years" cards."""
    incomplete: tuple[Incomplete, ...] = ()
    """Plans left out of every sum because a placeholder stands where their unit or area belongs."""

    def years(self) -> list[FiscalYear]:
        return sorted({line.fiscal_year for line in self.lines if line.fiscal_year is not None})

    def for_year(self, year: FiscalYear) -> list[BudgetLine]:
        return [line for line in self.lines if line.fiscal_year == year]


@dataclass(frozen=True)
class Incomplete:
    """A plan the budget cannot sum: its unit or business area is still a placeholder (``TODO: CHF,
    EUR, units...`` as ``kamdocs new`` writes it). Summing it would make the placeholder a currency
    or an area of its own, so it is listed instead, with the fields to fill in."""

    plan: str
    account: str
    file: str
    business_area: str | None
    """None when the area itself is the placeholder."""
    fiscal_year: FiscalYear
    fields: tuple[str, ...]
    """The placeholder fields, as ``kamdocs check`` names them: ``goal.unit``, ``business_area``."""


def placeholder_fields(plan: Plan) -> tuple[str, ...]:
    """The fields the budget groups by that still hold a placeholder."""
    fields = (("business_area", plan.business_area), ("goal.unit", plan.goal.unit))
    return tuple(name for name, value in fields if is_placeholder(value))


def counted(plans: Iterable[Plan]) -> list[Plan]:
    """The plans the budget counts: every plan that is not archived and shows its target.

    A target is missing only from a public view whose plan marks it confidential; such a plan is
    left out of the site's budget rather than counted as zero.
    """
    return [p for p in plans if p.status != "archived" and p.goal.target is not None]


def goal_fiscal_year(plan: Plan, fiscal_year_start: str) -> FiscalYear:
    """The fiscal year the plan's goal counts in: the one its period ends in."""
    return fiscal_year_of(plan.goal.period.end, fiscal_year_start)


def budget(plans: Iterable[Plan], fiscal_year_start: str) -> Budget:
    """The roll-up of ``plans`` (archived ones are left out, incomplete ones listed), sorted by area, year and unit."""
    summable, incomplete = [], []
    for plan in counted(plans):
        fields = placeholder_fields(plan)
        if not fields:
            summable.append(plan)
            continue
        area = None if "business_area" in fields else plan.business_area
        year = goal_fiscal_year(plan, fiscal_year_start)
        incomplete.append(Incomplete(plan.id, plan.account, plan.file, area, year, fields))
    incomplete.sort(key=lambda i: ((i.business_area or "").casefold(), i.fiscal_year.start, i.plan))
    keyed = [(p.business_area, goal_fiscal_year(p, fiscal_year_start), p.goal.unit, p) for p in summable]
    lines = _lines(((area, year, unit), p) for area, year, unit, p in keyed)
    by_area = _lines(((area, None, unit), p) for area, _, unit, p in keyed)
    by_year = _lines(((None, year, unit), p) for _, year, unit, p in keyed)
    by_unit = _lines(((None, None, unit), p) for _, _, unit, p in keyed)
    return Budget(tuple(lines), tuple(by_area), tuple(by_year), tuple(by_unit), tuple(incomplete))


def _lines(items: Iterable[tuple[tuple[str | None, FiscalYear | None, str], Plan]]) -> list[BudgetLine]:
    groups: dict[tuple[str | None, FiscalYear | None, str], list[Plan]] = {}
    for key, plan in items:
        groups.setdefault(key, []).append(plan)
    out = [summed(area, year, unit, members) for (area, year, unit), members in groups.items()]
    return sorted(out, key=sort_key)


def sort_key(line: BudgetLine) -> tuple[str, str, str, str]:
    area = line.area or ""
    year = line.fiscal_year.start.isoformat() if line.fiscal_year else ""
    return (area.casefold(), area, year, line.unit)


def summed(area: str | None, year: FiscalYear | None, unit: str, plans: Sequence[Plan]) -> BudgetLine:
    """One line over ``plans``, which all have ``unit``."""
    goals = [p.goal for p in plans]
    with_actual = [g for g in goals if g.actual is not None]
    with_baseline = [g for g in goals if g.baseline is not None]
    return BudgetLine(
        area=area,
        fiscal_year=year,
        unit=unit,
        plans=len(goals),
        target=_sum(g.target for g in goals if g.target is not None),
        baseline=_sum(g.baseline for g in with_baseline if g.baseline is not None) if with_baseline else None,
        baselines_missing=len(goals) - len(with_baseline),
        target_with_baseline=_sum(g.target for g in with_baseline if g.target is not None),
        actual=_sum(g.actual for g in with_actual if g.actual is not None) if with_actual else None,
        actuals_missing=len(goals) - len(with_actual),
        target_with_actual=_sum(g.target for g in with_actual if g.target is not None),
    )
