"""``kamdocs import``: plans from the spreadsheets and CRM exports a team starts from.

Three shapes of file, told apart by their sheets (or named with ``--shape``):

- ``accounts``: one row per account, as a CRM exports its accounts; columns are found by their
  header (:data:`FIELDS`, in English and German, compared without case, accents or spaces), or by
  a mapping file (``--map``);
- ``plan``: one workbook per plan in the traditional template's structure, a sheet per part
  (:data:`PLAN_SHEETS`: the account, the goal, the chain's success factors, conditions and
  obstacles, the commitments, the KPIs, the buying centre and the plan's text);
- ``export``: the workbook ``kamdocs export --format xlsx`` writes, read back from its sheet
  "Plan fields" (by :mod:`kamdocs.edit.plan_fields`).

Every plan is written as ``kamdocs new`` writes one (:func:`kamdocs.edit.scaffold.draft_text`), with
the placeholders ``new`` writes where the file had nothing, and checked before it is written: a plan
``kamdocs check`` would reject is reported with its row, never written. Nothing is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from kamdocs.calendar.intervals import parse_interval
from kamdocs.edit import cells, plan_fields
from kamdocs.edit.cells import CellProblem, Read
from kamdocs.edit.scaffold import Commitment, Contact, Kpi, PlanDraft, draft_text
from kamdocs.edit.spreadsheet import Sheet, Value, Workbook, folded
from kamdocs.errors import UsageError
from kamdocs.plan.model import Condition, Obstacle, SuccessFactor
from kamdocs.plan.spellings import number_text

if TYPE_CHECKING:
    from kamdocs.config import Config
    from kamdocs.plan.validation import PlanValidator

KINDS = ("one-page", "full")
PLAN_STATUSES = ("draft", "active", "archived")
COMMITMENT_STATUSES = ("open", "in-progress", "done", "dropped")
INTERVALS = ("monthly", "quarterly", "semiannual", "annual")
ROLES = ("economic-buyer", "technical-buyer", "user-buyer", "coach", "champion", "influencer", "gatekeeper", "blocker")
ATTITUDES = ("supporter", "neutral", "skeptic", "opponent")
INFLUENCES = ("high", "medium", "low")
DIRECTIONS = ("higher-is-better", "lower-is-better")


def _fold_keys(words: Mapping[str, str]) -> dict[str, str]:
    return {folded(spelling): word for spelling, word in words.items()}


SPELLINGS: dict[str, dict[str, str]] = {
    "kind": _fold_keys(
        {
            "one page": "one-page", "onepager": "one-page", "one-pager": "one-page", "einseitig": "one-page",
            "kurz": "one-page", "traditional": "full", "nine parts": "full", "vollständig": "full",
            "ausführlich": "full", "voll": "full", "lang": "full",
        }
    ),
    "status": _fold_keys(
        {"aktiv": "active", "entwurf": "draft", "archiviert": "archived", "actif": "active", "brouillon": "draft"}
    ),
    "role": _fold_keys(
        {
            "entscheider": "economic-buyer", "wirtschaftlicher entscheider": "economic-buyer",
            "technischer entscheider": "technical-buyer", "anwender": "user-buyer", "nutzer": "user-buyer",
            "user": "user-buyer", "fürsprecher": "champion", "beeinflusser": "influencer",
            "türsteher": "gatekeeper", "pförtner": "gatekeeper", "blockierer": "blocker", "verhinderer": "blocker",
        }
    ),
    "attitude": _fold_keys(
        {
            "befürworter": "supporter", "unterstützer": "supporter", "positiv": "supporter",
            "skeptiker": "skeptic", "skeptisch": "skeptic", "sceptic": "skeptic", "gegner": "opponent",
            "ablehnend": "opponent", "negativ": "opponent",
        }
    ),
    "influence": _fold_keys({"hoch": "high", "mittel": "medium", "niedrig": "low", "gering": "low", "tief": "low"}),
    "direction": _fold_keys(
        {
            "higher": "higher-is-better", "höher ist besser": "higher-is-better", "mehr ist besser": "higher-is-better",
            "up": "higher-is-better", "lower": "lower-is-better", "tiefer ist besser": "lower-is-better",
            "weniger ist besser": "lower-is-better", "down": "lower-is-better",
        }
    ),
}  # fmt: skip
"""The format's words as German (and a few English) speakers write them in a spreadsheet; each reading is named."""


def _word(name: str, allowed: Sequence[str]) -> Callable[[Value], Read]:
    return lambda value: cells.read_word(value, allowed, SPELLINGS.get(name))


def _interval(value: Value) -> Read:
    """A review cadence: one of the named intervals, in German too, or an ISO duration (``P6W``)."""
    text = str(cells.read_text(value).value).strip()
    if text.upper().startswith("P"):
        try:
            parse_interval(text.upper())
        except ValueError:
            raise CellProblem(
                f"expected monthly, quarterly, semiannual, annual or a duration like P6W, found {text!r}"
            ) from None
        return Read(text.upper(), None if text.isupper() else f"{text!r} read as {text.upper()}")
    return cells.read_word(value, INTERVALS)


@dataclass(frozen=True)
class Field:
    """A value ``import`` reads: its name (the mapping file's word), how a cell becomes it, and the
    headers that name it, in English and German (compared as :func:`~kamdocs.edit.spreadsheet.folded` text)."""

    name: str
    read: Callable[[Value], Read]
    headers: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field("id", cells.read_id, ("id", "plan id", "plan", "slug", "kürzel")),
    Field("account", cells.read_text, ("account", "account name", "customer", "customer name", "client", "company",
                                       "kunde", "kundenname", "firma", "unternehmen", "konto")),
    Field("kind", _word("kind", KINDS), ("kind", "plan kind", "plan type", "planart", "art", "plantyp")),
    Field("status", _word("status", PLAN_STATUSES), ("status", "plan status", "planstatus")),
    Field("owner", cells.read_text, ("owner", "account owner", "kam", "key account manager", "owner email",
                                     "verantwortlich", "betreuer", "kundenbetreuer", "inhaber")),
    Field("business_area", cells.read_text, ("business area", "area", "division", "business unit", "geschäftsbereich",
                                             "bereich", "sparte", "geschäftsfeld")),
    Field("region", cells.read_text, ("region", "gebiet", "verkaufsgebiet", "territory")),
    Field("tier", cells.read_text, ("tier", "klasse", "kundenklasse", "segment")),
    Field("crm_id", cells.read_text, ("crm id", "account id", "crm", "customer number", "customer id", "kundennummer",
                                      "kunden nr", "kundennr", "debitor", "debitorennummer")),
    Field("reviewer", cells.read_text, ("reviewer", "bam", "business area manager", "approver", "prüfer",
                                        "genehmiger", "bereichsleiter")),
    Field("interval", _interval, ("review interval", "interval", "cadence", "review cadence", "intervall",
                                  "überprüfungsintervall", "rhythmus")),
    Field("last_reviewed", cells.read_date, ("last reviewed", "last review", "last review date", "reviewed", "reviewed on",
                                             "letzte überprüfung", "überprüft am", "geprüft am")),
    Field("next_review", cells.read_date, ("review date", "next review", "next review date", "review due", "nächste überprüfung",
                                           "nächste prüfung", "wiedervorlage")),
    Field("statement", cells.read_text, ("goal", "goal statement", "sales goal", "objective", "zielsetzung",
                                         "verkaufsziel", "zielbeschreibung")),
    Field("metric", cells.read_text, ("metric", "measure", "kennzahl", "messgrösse", "messgröße")),
    Field("target", cells.read_number, ("target", "goal target", "target amount", "ziel", "zielwert", "sollwert",
                                        "umsatzziel", "soll")),
    Field("unit", cells.read_currency, ("unit", "currency", "currency code", "währung", "einheit")),
    Field("baseline", cells.read_number, ("baseline", "basis", "ausgangswert", "ausgangslage", "basiswert")),
    Field("actual", cells.read_number, ("actual", "actual amount", "ist", "istwert", "ist wert", "aktuell")),
    Field("period_start", cells.read_date, ("period start", "start", "start date", "from", "beginn", "periodenbeginn",
                                            "von", "startdatum")),
    Field("period_end", cells.read_date, ("period end", "end", "end date", "to", "ende", "periodenende", "bis",
                                          "enddatum")),
    Field("notes", cells.read_body_text, ("notes", "note", "comments", "comment", "notizen", "bemerkungen",
                                          "kommentar", "beschreibung", "description")),
)  # fmt: skip
"""What a row of an accounts file (or a line of a plan workbook's Account and Goal sheets) may hold."""

IGNORE = "ignore"
"""The mapping file's word for a column that is read by no field, and not reported as unknown."""


@dataclass(frozen=True)
class Options:
    """How ``import`` was asked to read: the plan kind where the file names none, the day ``new`` would
    write, a mapping of headers to fields, and the shape if given."""

    today: date
    kind: str = "one-page"
    mapping: Mapping[str, str] = field(default_factory=dict)
    shape: str | None = None


@dataclass(frozen=True)
class PlanToWrite:
    """A plan ``import`` would write: its file name, account and kind, its text, where it came from, and
    each conversion made on the way (``row 3, column "Target": '1'250'000' read as 1250000``)."""

    file_name: str
    account: str
    kind: str
    text: str
    source: str
    notes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return PurePosixPath(self.file_name).stem


@dataclass(frozen=True)
class Unusable:
    """A row, sheet or plan ``import`` cannot use: where, and every reason."""

    place: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """What a file yields: the plans to write, what cannot be used, and notes about the file itself
    (how it was read, columns that no field reads)."""

    shape: str
    plans: tuple[PlanToWrite, ...]
    unusable: tuple[Unusable, ...]
    notices: tuple[str, ...]


SHAPES = ("accounts", "plan", "export")
"""The shapes ``--shape`` names (the command line spells them out, so that its help imports no core)."""
EXPORT_SHEET = "Plan fields"
"""The sheet of plans.xlsx that holds every plan's text, field by field: the export shape."""


def detect_shape(book: Workbook) -> str:
    """``export`` for a workbook with a "Plan fields" sheet; ``plan`` for one with an Account or Goal sheet
    and at least one more of the template's parts (a CRM export's one sheet may well be called "Account");
    else ``accounts`` (a CRM export: a CSV or the first sheet)."""
    if book.sheet(EXPORT_SHEET) is not None:
        return "export"
    parts = {part for part, names in PLAN_SHEETS.items() if book.sheet(*names) is not None}
    if parts & {"account", "goal"} and len(parts) >= 2:
        return "plan"
    return "accounts"


def read_plans(book: Workbook, options: Options) -> Reading:
    """Every plan ``book`` holds, in the shape ``options`` names or the one detected."""
    shape = options.shape or detect_shape(book)
    reader = {"accounts": _from_accounts, "plan": _from_plan_workbook, "export": _from_export}[shape]
    plans, unusable, notices = reader(book, options)
    plans, duplicates = _unique(plans)
    return Reading(
        shape, tuple(plans), (*unusable, *duplicates), (f"{book.path.name}: read as {book.read_as}", *notices)
    )


def _unique(plans: Iterable[PlanToWrite]) -> tuple[list[PlanToWrite], list[Unusable]]:
    """The first plan of each id; the later ones are unusable, naming the first."""
    seen: dict[str, PlanToWrite] = {}
    later = []
    for plan in plans:
        first = seen.setdefault(plan.id, plan)
        if first is not plan:
            later.append(
                Unusable(
                    plan.source, (f"the id {plan.id!r} is also the id of {first.source}; give each plan its own id",)
                )
            )
    return list(seen.values()), later


# --- columns --------------------------------------------------------------------------------------------------


_BY_HEADER = {folded(header): f for f in FIELDS for header in (f.name, *f.headers)}
_BY_NAME = {f.name: f for f in FIELDS}


def mapping_from(data: Any, source: str) -> dict[str, str]:
    """The mapping file's ``columns`` (a header -> a field name or ``ignore``), checked: every field named
    must be one of :data:`FIELDS`. ``data`` is the file's YAML, read by kamdocs' safe reader."""
    if not isinstance(data, dict) or set(data) != {"columns"} or not isinstance(data["columns"], dict):
        raise UsageError(
            f"{source}: expected a mapping with one key, columns: (header: field), found {type(data).__name__}"
        )
    mapping = {}
    for header, name in data["columns"].items():
        if not isinstance(name, str) or (name not in _BY_NAME and name != IGNORE):
            raise UsageError(
                f"{source}: columns: {header!r}: expected one of {', '.join([*_BY_NAME, IGNORE])}, found {name!r}"
            )
        mapping[folded(str(header))] = name
    return mapping


@dataclass(frozen=True)
class Columns:
    """A header row read: which column holds which field, and the headers no field reads."""

    row: int
    fields: dict[int, Field]
    headers: tuple[str, ...]
    unknown: tuple[str, ...]


def read_header(sheet: Sheet, mapping: Mapping[str, str], source: str, required: str = "account") -> Columns:
    """The sheet's header row: the first of its first :data:`HEADER_SEARCH` rows that has a column for
    ``required`` (an export may start with a title line). Refused when none has: a file with no header
    row, or one whose headers need a mapping file. ``source`` is the file, for the message."""
    filled = [i for i, cells_ in enumerate(sheet.rows[:HEADER_SEARCH]) if any(c is not None for c in cells_)]
    where = source if sheet.name is None else f"{source}: the sheet {sheet.name!r}"
    if not filled:
        raise UsageError(f"{where} is empty; expected a header row and a row per account")
    for row in filled:
        columns = _columns(sheet, row, mapping)
        if any(f.name == required for f in columns.fields.values()):
            return columns
    headers = _columns(sheet, filled[0], mapping).headers
    shown = ", ".join(repr(h) for h in headers[:8] if h)
    raise UsageError(
        f"{where}: expected a header row with a column for the {required} (such as "
        f"{', '.join(_BY_NAME[required].headers[:3])}), found {shown or 'nothing'} in row {filled[0] + 1}; "
        "name the columns in the first row, or map them with --map (docs/import.md)"
    )


HEADER_SEARCH = 10
"""How many rows the header is looked for in: an export may start with a title or a date line."""


def _columns(sheet: Sheet, row: int, mapping: Mapping[str, str]) -> Columns:
    """Row ``row`` read as a header row: the mapping file first, then :data:`FIELDS`."""
    headers = tuple("" if c is None else " ".join(str(c).split()) for c in sheet.rows[row])
    fields: dict[int, Field] = {}
    unknown = []
    for column, header in enumerate(headers):
        key = folded(header)
        name = mapping.get(key)
        found = _BY_NAME.get(name) if name else _BY_HEADER.get(key)
        if name == IGNORE or not header:
            continue
        if found is None:
            unknown.append(header)
        elif found in fields.values():
            unknown.append(f"{header} (a second {found.name} column)")
        else:
            fields[column] = found
    return Columns(row, fields, headers, tuple(unknown))


@dataclass
class _Values:
    """The values of one row (or one plan workbook's key-value sheets) as they are read: each field's
    value, the conversions named, and the cells that could not be used."""

    values: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    currencies: list[tuple[str, str]] = field(default_factory=list)
    percents: list[tuple[str, str, Decimal]] = field(default_factory=list)

    def take(self, place: str, f: Field, value: Value) -> object:
        if value is None:
            return None
        try:
            read = f.read(value)
        except CellProblem as exc:
            self.problems.append(f"{place}: {exc}")
            return None
        if read.note:
            self.notes.append(f"{place}: {read.note}")
        if read.currency is not None:
            self.currencies.append((place, read.currency))
        self.values[f.name] = read.value
        return read.value

    def take_cell(self, sheet: Sheet, row: int, column: int, header: str, f: Field) -> object:
        """The cell at ``row``, ``column`` of ``sheet`` read as ``f``, as :meth:`take`, knowing how the
        workbook shows it: a formula whose value the workbook does not store is refused, and a
        percent cell is read as the percentage it shows (see :meth:`_percent`)."""
        place = sheet.where(row, column, header)
        if (row, column) in sheet.formulas:
            self.problems.append(
                f"{place}: a formula whose value this workbook does not store; open and save it in Excel or "
                "LibreOffice first"
            )
            return None
        value = sheet.rows[row][column] if column < len(sheet.rows[row]) else None
        if (row, column) in sheet.percent and isinstance(value, (int, float)) and not isinstance(value, bool):
            return self._percent(place, f, value)
        return self.take(place, f, value)

    def _percent(self, place: str, f: Field, fraction: int | float) -> object:
        """A number cell shown as a percentage: the file holds 0.6 for 60 %. A completion share is the
        percentage; a goal or KPI figure is too where its unit is ``%`` (or none: then ``%`` is the
        unit), which :meth:`settle_units` decides once the row's unit is read."""
        shown = number_text(Decimal(repr(fraction)) * 100 if isinstance(fraction, float) else Decimal(fraction) * 100)
        if f.name == "percent_complete":
            as_shown = replace(f, read=lambda text: replace(f.read(text), note=f"{shown} % read as {shown}"))
            return self.take(place, as_shown, shown)
        value = self.take(place, f, fraction)
        if isinstance(value, Decimal):
            self.percents.append((place, f.name, Decimal(shown)))
        return value

    def settle_units(self) -> None:
        """The percent cells and the currencies written in amounts, against the row's unit; called once
        the whole row (or sheet) is read."""
        for place, name, percentage in self.percents:
            unit = self.values.get("unit")
            if unit in (None, ""):
                self.values["unit"] = unit = "%"
                self.notes.append(f"{place}: no unit given: the cell is shown as a percentage, the unit is %")
            if unit == "%":
                self.values[name] = percentage
                self.notes.append(f"{place}: {number_text(percentage)} % read as {number_text(percentage)}")
            else:
                self.notes.append(
                    f"{place}: shown as {number_text(percentage)} %, read as the fraction "
                    f"{number_text(percentage / 100)} {unit} (the unit is not %)"
                )
        self.percents.clear()
        self.settle_currencies()

    def settle_currencies(self) -> None:
        """Each currency written in an amount against the unit: the same is fine; another refuses the
        cell with both named (the amount would be read in the wrong currency); where there is no unit,
        the amount's currency becomes it, named. Called once the whole row (or sheet) is read."""
        unit_from = "the unit"
        for place, currency in self.currencies:
            unit = self.values.get("unit")
            if unit is None or unit == "":
                self.values["unit"] = currency
                unit_from = f"the unit (from {place})"
                self.notes.append(f"{place}: no unit given: the currency {currency} written in the amount is the unit")
            elif unit != currency:
                self.problems.append(
                    f"{place}: the amount is in {currency} but {unit_from} is {unit}; write the amount without its "
                    "currency, or correct the unit"
                )
        self.currencies.clear()

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) and value else None


def _row_values(sheet: Sheet, columns: Columns, row: int) -> _Values:
    out = _Values()
    cells_ = sheet.rows[row]
    for column, f in columns.fields.items():
        if column < len(cells_) or (row, column) in sheet.formulas:  # a formula with no value is no empty cell
            out.take_cell(sheet, row, column, columns.headers[column], f)
    out.settle_units()
    return out


# --- from values to a plan --------------------------------------------------------------------------------------


MISSING = "kamdocs import found none"
"""Why a figure or date is a placeholder in an imported plan, in its TODO comment."""


def _draft(values: _Values, options: Options, place: str) -> PlanDraft | None:
    """The plan a row's values describe, or None (with the reasons in ``values.problems``)."""
    v = values.values
    account = values.text("account")
    if account is None:
        values.problems.append(f"{place}: no account; every plan needs the account's name")
        return None
    plan_id = values.text("id")
    if plan_id is None:
        plan_id = cells.made_id(account)
        if not plan_id:
            values.problems.append(f"{place}: no id can be made from the account {account!r}; add an id column")
            return None
        values.notes.append(f"{place}: the id {plan_id} made from the account {account!r}")
    kind = values.text("kind") or options.kind
    interval = values.text("interval") or "quarterly"
    last = _last_reviewed(values, interval, place, options.today)
    return PlanDraft(
        id=plan_id,
        kind=kind,
        account=account,
        owner=values.text("owner") or "TODO: the key account manager",
        business_area=values.text("business_area") or "TODO: the business area",
        reviewer=values.text("reviewer"),
        today=options.today,
        status=values.text("status") or "active",
        crm_id=values.text("crm_id"),
        region=values.text("region"),
        tier=values.text("tier"),
        interval=interval,
        last_reviewed=last,
        statement=values.text("statement"),
        metric=values.text("metric"),
        target=_figure(v.get("target")),
        unit=values.text("unit"),
        baseline=_figure(v.get("baseline")),
        actual=_figure(v.get("actual")),
        period_start=_day(v.get("period_start")),
        period_end=_day(v.get("period_end")),
        sections=(("Notes", values.text("notes") or ""),) if values.text("notes") else (),
        missing=MISSING,
    )


def _figure(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _day(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _last_reviewed(values: _Values, interval: str, place: str, today: date) -> date | None:
    """The last review: given, or one interval before the next review where only that is given (named).

    A next review more than an interval ahead would make that a review still to come, which no plan
    records: then the last review is today, and the note says so."""
    given = _day(values.values.get("last_reviewed"))
    upcoming = _day(values.values.get("next_review"))
    if given is not None or upcoming is None:
        return given
    try:
        last = parse_interval(interval).after(upcoming, times=-1)
    except (ValueError, OverflowError):
        values.problems.append(f"{place}: the next review {upcoming} is too early to count an interval back from")
        return None
    if last > today:
        values.notes.append(
            f"{place}: the next review {upcoming} is more than one {interval} interval ahead; the last review is "
            f"written as today, {today}"
        )
        return today
    values.notes.append(
        f"{place}: the next review {upcoming} read as the last review {last} (one {interval} interval before)"
    )
    return last


def _plan(draft: PlanDraft, values: _Values, source: str) -> PlanToWrite:
    return PlanToWrite(f"{draft.id}.md", draft.account, draft.kind, draft_text(draft), source, tuple(values.notes))


def _from_accounts(book: Workbook, options: Options) -> tuple[list[PlanToWrite], list[Unusable], list[str]]:
    sheet = book.sheets[0] if book.sheets else Sheet(None, ())
    columns = read_header(sheet, options.mapping, str(book.path))
    notices = [f"column {h!r} is not read (no field has this header; map it with --map)" for h in columns.unknown]
    plans, unusable = [], []
    for row in range(columns.row + 1, _table_end(sheet, columns.row, notices)):
        if not any(c is not None for c in sheet.rows[row]):
            continue
        values = _row_values(sheet, columns, row)
        draft = _draft(values, options, sheet.row_place(row))
        if values.problems or draft is None:
            unusable.append(Unusable(sheet.row_place(row), tuple(values.problems)))
        else:
            plans.append(_plan(draft, values, sheet.row_place(row)))
    return plans, unusable, notices


def _table_end(sheet: Sheet, header: int, notices: list[str]) -> int:
    """The row after the accounts table: its first blank row after a row of values. A CRM report ends
    its table so and writes its footer below ("Copyright (c) ...", "Confidential Information - Do Not
    Distribute", "Generated By: ..."), which is no account; the filled rows left out are counted in a
    notice, so that an account below a stray blank row is not lost unseen."""
    from kamdocs.findings import plural

    started = False
    for row in range(header + 1, len(sheet.rows)):
        blank = not any(c is not None for c in sheet.rows[row])
        if blank and started:
            after = sum(1 for cells_ in sheet.rows[row + 1 :] if any(c is not None for c in cells_))
            if after:
                notices.append(
                    f"{plural(after, 'filled row')} after the blank {sheet.row_place(row)} "
                    f"{'is' if after == 1 else 'are'} not read: the table ends at its first blank row "
                    "(a report's footer is below it); delete the blank row to read them"
                )
            return row
        started = started or not blank
    return len(sheet.rows)


# --- one workbook per plan -----------------------------------------------------------------------------------------


PLAN_SHEETS: dict[str, tuple[str, ...]] = {
    "account": ("Account", "Plan", "Kunde", "Konto", "Overview", "Übersicht"),
    "goal": ("Goal", "Ziel", "Sales goal", "Verkaufsziel", "Sales objectives"),
    "factors": ("Success factors", "Critical success factors", "Erfolgsfaktoren", "Kritische Erfolgsfaktoren"),
    "conditions": ("Conditions", "Necessary conditions", "Bedingungen", "Voraussetzungen"),
    "obstacles": ("Obstacles", "Hindernisse"),
    "commitments": ("Commitments", "Actions", "Massnahmen", "Maßnahmen", "Zusagen", "Verpflichtungen"),
    "kpis": ("KPIs", "KPI", "Scorecard", "Kennzahlen"),
    "contacts": ("Buying centre", "Buying center", "Contacts", "Mapping", "Kontakte", "Organisation", "Organization"),
    "text": ("Text", "Sections", "Plan text", "Inhalt", "Abschnitte"),
}
"""The traditional template's parts, one sheet each, by the names a template in English or German gives them."""

TABLE_FIELDS: dict[str, tuple[Field, ...]] = {
    "factors": (
        Field("id", cells.read_id, ("id", "factor id", "kürzel")),
        Field("statement", cells.read_text, ("statement", "success factor", "factor", "erfolgsfaktor", "text")),
    ),
    "conditions": (
        Field("id", cells.read_id, ("id", "condition id", "kürzel")),
        Field("parent", cells.read_id, ("success factor", "factor", "success factor id", "erfolgsfaktor")),
        Field("statement", cells.read_text, ("statement", "condition", "bedingung", "voraussetzung", "text")),
    ),
    "obstacles": (
        Field("id", cells.read_id, ("id", "obstacle id", "kürzel")),
        Field("parent", cells.read_id, ("condition", "condition id", "bedingung", "voraussetzung")),
        Field("statement", cells.read_text, ("statement", "obstacle", "hindernis", "text")),
    ),
    "commitments": (
        Field("id", cells.read_id, ("id", "commitment id", "kürzel")),
        Field("action", cells.read_text, ("action", "commitment", "massnahme", "maßnahme", "zusage", "text")),
        Field("owner", cells.read_text, ("owner", "verantwortlich", "wer", "who")),
        Field("due", cells.read_date, ("due", "due date", "fällig", "termin", "bis", "deadline")),
        Field("status", _word("status", COMMITMENT_STATUSES), ("status", "stand")),
        Field("percent_complete", cells.read_percent, ("percent complete", "complete", "progress", "fortschritt",
                                                       "erledigt in prozent")),
        Field("resolves", cells.read_text, ("resolves", "obstacles", "obstacle", "hindernis", "hindernisse", "löst")),
    ),
    "kpis": (
        Field("id", cells.read_id, ("id", "kpi id", "kürzel")),
        Field("name", cells.read_text, ("name", "kpi", "kennzahl", "bezeichnung")),
        Field("unit", cells.read_currency, ("unit", "einheit", "währung", "currency")),
        Field("target", cells.read_number, ("target", "ziel", "zielwert", "soll")),
        Field("actual", cells.read_number, ("actual", "ist", "istwert")),
        Field("as_of", cells.read_date, ("as of", "date", "stand", "per", "datum")),
        Field("direction", _word("direction", DIRECTIONS), ("direction", "richtung", "better", "besser")),
    ),
    "contacts": (
        Field("name", cells.read_text, ("name", "contact", "kontakt", "person")),
        Field("title", cells.read_text, ("title", "job title", "position", "funktion", "titel")),
        Field("email", cells.read_text, ("email", "e-mail", "mail")),
        Field("role", _word("role", ROLES), ("role", "buying role", "rolle")),
        Field("attitude", _word("attitude", ATTITUDES), ("attitude", "haltung", "einstellung")),
        Field("influence", _word("influence", INFLUENCES), ("influence", "einfluss")),
        Field("reports_to", cells.read_text, ("reports to", "berichtet an", "vorgesetzter")),
        Field("relationship_owner", cells.read_text, ("relationship owner", "our contact", "beziehungsverantwortlich",
                                                      "betreut von")),
        Field("last_contact", cells.read_date, ("last contact", "letzter kontakt", "kontakt am")),
    ),
    "text": (
        Field("title", cells.read_text, ("section", "part", "title", "abschnitt", "teil", "titel")),
        Field("text", cells.read_body_text, ("text", "content", "inhalt")),
    ),
}  # fmt: skip
"""The columns of each table sheet of a plan workbook, by their headers."""


def _table_rows(book: Workbook, part: str, values: _Values) -> list[tuple[str, dict[str, object]]]:
    """Each filled row of the part's sheet, as (its place, its values); problems go to ``values``."""
    sheet = book.sheet(*PLAN_SHEETS[part])
    if sheet is None or not sheet.rows:
        return []
    header, names, columns = _table_header(sheet, TABLE_FIELDS[part], values)
    out = []
    for row in range(header + 1, len(sheet.rows)):
        cells_ = sheet.rows[row]
        if not any(c is not None for c in cells_):
            continue
        read = _Values()
        for column, f in columns.items():
            if column < len(cells_) or (row, column) in sheet.formulas:
                read.take_cell(sheet, row, column, names[column], f)
        read.settle_units()
        values.notes.extend(read.notes)
        values.problems.extend(read.problems)
        out.append((sheet.row_place(row), read.values))
    return out


def _table_header(sheet: Sheet, fields: Sequence[Field], values: _Values) -> tuple[int, list[str], dict[int, Field]]:
    """A table sheet's header row (its first filled row), its names, and the field each known column holds;
    the columns no field reads are named in ``values.unread``."""
    by_header = {folded(h): f for f in fields for h in (f.name, *f.headers)}
    header = next((i for i, row in enumerate(sheet.rows) if any(c is not None for c in row)), 0)
    names = ["" if c is None else str(c) for c in sheet.rows[header]]
    columns = {i: by_header[folded(n)] for i, n in enumerate(names) if folded(n) and folded(n) in by_header}
    values.unread += [
        f"{sheet.where(header, i)}: column {n!r} is not read (no column of {sheet.name} has this header)"
        for i, n in enumerate(names)
        if n and i not in columns
    ]
    return header, names, columns


SECTION_TITLES: dict[str, str] = {
    folded(alias): title
    for title, aliases in {
        "Overview": ("Overview", "Übersicht", "Kundenübersicht", "Account overview"),
        "Requirements": ("Requirements", "Anforderungen", "Wertschöpfungskette", "Value chain"),
        "Organisation": ("Organisation", "Organization", "Buying centre", "Buying center"),
        "Mapping": ("Mapping", "Account mapping", "Kundenlandkarte"),
        "Sales objectives": ("Sales objectives", "Verkaufsziele", "Ziele"),
        "Strategy and actions": ("Strategy and actions", "Strategy and action planning", "Strategie und Massnahmen",
                                 "Strategie und Maßnahmen", "Strategie"),
        "Added value": ("Added value", "Added-value offering", "Mehrwert", "Mehrwertangebot"),
        "Commitments": ("Commitments", "Zusagen", "Verpflichtungen"),
        "KPIs": ("KPIs", "KPI", "Kennzahlen", "Scorecard"),
    }.items()
    for alias in aliases
}  # fmt: skip
"""The nine parts of the traditional plan (``DEFAULT_FULL_SECTIONS``) by the titles a template gives them."""


def _section_title(title: str, where: str, values: _Values) -> str:
    """A part's title as the plan format names it; another title is kept as a part of its own."""
    known = SECTION_TITLES.get(folded(title))
    if known is None or known == title:
        return title
    values.notes.append(f"{where}: the part {title!r} read as {known}")
    return known


def _is_value_header(cell: Value) -> bool:
    """Whether a key-value sheet's cell is the header of its value column: ``Value``, ``Wert``."""
    return isinstance(cell, str) and folded(cell) in {"value", "values", "wert", "werte", "inhalt", "angabe"}


def _key_values(book: Workbook, options: Options, values: _Values) -> None:
    """The Account and Goal sheets: a field name in column A, its value in column B."""
    for part in ("account", "goal"):
        sheet = book.sheet(*PLAN_SHEETS[part])
        formulas = sheet.formulas if sheet is not None else frozenset()
        for row, cells_ in enumerate(sheet.rows if sheet is not None else ()):
            if (len(cells_) < 2 and (row, 1) not in formulas) or not cells_ or cells_[0] is None:
                continue
            key = folded(str(cells_[0]))
            name = options.mapping.get(key)
            f = _BY_NAME.get(name) if name else _BY_HEADER.get(key)
            value = cells_[1] if len(cells_) > 1 else None
            if sheet is None or name == IGNORE or (f is None and (value is None or _is_value_header(value))):
                continue
            if f is None:
                values.unread.append(
                    f"{sheet.where(row, 0)}: {str(cells_[0])!r} is not read (no field has this name; map it with --map)"
                )
            else:
                values.take_cell(sheet, row, 1, str(cells_[0]), f)


def _chain(book: Workbook, values: _Values) -> tuple[SuccessFactor, ...]:
    """The chain from its three sheets, each condition and obstacle under the id its parent column names."""
    obstacles: dict[str, list[Obstacle]] = {}
    for place, row in _table_rows(book, "obstacles", values):
        if _complete(place, row, ("id", "parent", "statement"), values):
            obstacles.setdefault(str(row["parent"]), []).append(Obstacle(str(row["id"]), str(row["statement"])))
    conditions: dict[str, list[Condition]] = {}
    for place, row in _table_rows(book, "conditions", values):
        if _complete(place, row, ("id", "parent", "statement"), values):
            found = tuple(obstacles.pop(str(row["id"]), ()))
            conditions.setdefault(str(row["parent"]), []).append(
                Condition(str(row["id"]), str(row["statement"]), found)
            )
    factors = []
    for place, row in _table_rows(book, "factors", values):
        if _complete(place, row, ("id", "statement"), values):
            factors.append(
                SuccessFactor(str(row["id"]), str(row["statement"]), tuple(conditions.pop(str(row["id"]), ())))
            )
    orphans = [(parent, [o.id for o in left]) for parent, left in obstacles.items()]
    orphans += [(parent, [c.id for c in left]) for parent, left in conditions.items()]
    for parent, ids in orphans:
        values.problems.append(
            f"{', '.join(ids)}: under {parent!r}, which is no condition or success factor in the workbook"
        )
    return tuple(factors)


def _complete(place: str, row: Mapping[str, object], needed: Sequence[str], values: _Values) -> bool:
    missing = [name for name in needed if row.get(name) in (None, "")]
    if missing:
        values.problems.append(f"{place}: no {', no '.join(missing)}; fill in the row or delete it")
    return not missing


def _commitments(book: Workbook, owner: str, values: _Values) -> tuple[Commitment, ...]:
    out = []
    for number, (place, row) in enumerate(_table_rows(book, "commitments", values), start=1):
        if not _complete(place, row, ("action",), values):
            continue
        resolves = tuple(
            cells.slug(part) for part in str(row.get("resolves") or "").replace(";", ",").split(",") if part.strip()
        )
        if "status" not in row:
            values.notes.append(f"{place}: no status: open")
        out.append(
            Commitment(
                str(row.get("id") or f"c-{number}"),
                str(row["action"]),
                str(row.get("owner") or owner),
                _day(row.get("due")),
                str(row.get("status") or "open"),
                _figure(row.get("percent_complete")),
                resolves,
            )
        )
    return tuple(out)


def _kpis(book: Workbook, today: date, values: _Values) -> tuple[Kpi, ...]:
    out = []
    for number, (place, row) in enumerate(_table_rows(book, "kpis", values), start=1):
        if _complete(place, row, ("name",), values):
            out.append(
                Kpi(
                    str(row.get("id") or f"kpi-{number}"),
                    str(row["name"]),
                    str(row.get("unit") or "TODO: the unit"),
                    _figure(row.get("target")),
                    _figure(row.get("actual")),
                    _day(row.get("as_of")),
                    str(row.get("direction") or "higher-is-better"),
                )
            )
    return tuple(out)


def _contacts(book: Workbook, values: _Values) -> tuple[Contact, ...]:
    out = []
    for place, row in _table_rows(book, "contacts", values):
        if _complete(place, row, ("name", "role"), values):
            text = {k: (str(v) if isinstance(v, str) else None) for k, v in row.items()}
            out.append(
                Contact(
                    str(row["name"]),
                    str(row["role"]),
                    text.get("title"),
                    text.get("email"),
                    text.get("attitude"),
                    text.get("influence"),
                    text.get("reports_to"),
                    text.get("relationship_owner"),
                    _day(row.get("last_contact")),
                )
            )
    return tuple(out)


def _from_plan_workbook(book: Workbook, options: Options) -> tuple[list[PlanToWrite], list[Unusable], list[str]]:
    values = _Values()
    _key_values(book, options, values)
    values.settle_units()
    place = book.path.name
    draft = _draft(values, options, place)
    if draft is None:
        return [], [Unusable(place, tuple(values.problems))], []
    sections = tuple(
        (_section_title(str(row["title"]), where, values), str(row["text"]))
        for where, row in _table_rows(book, "text", values)
        if _complete(where, row, ("title", "text"), values)
    )
    draft = replace(  # every part the workbook has, whatever the kind: the schema takes each in both kinds
        draft,
        factors=_chain(book, values),
        commitments=_commitments(book, draft.owner, values),
        kpis=_kpis(book, options.today, values),
        contacts=_contacts(book, values),
        sections=sections or draft.sections,
    )
    if values.problems:
        return [], [Unusable(place, tuple(values.problems))], []
    known = {s.name for part in PLAN_SHEETS.values() for s in [book.sheet(*part)] if s is not None}
    notices = [
        f"sheet {s.name!r} is not read (no part of the plan has this name)" for s in book.sheets if s.name not in known
    ]
    notices += values.unread
    return [_plan(draft, values, place)], [], notices


# --- the export workbook --------------------------------------------------------------------------------------------


def _from_export(book: Workbook, options: Options) -> tuple[list[PlanToWrite], list[Unusable], list[str]]:
    """The plans of a workbook ``kamdocs export --format xlsx`` wrote, each plan's whole text from its sheet
    "Plan fields" (:mod:`kamdocs.edit.plan_fields`). A plan with a row that sheet cannot read back is left
    out whole, named by that row's cell; the other plans still come back."""
    sheet = book.sheet(EXPORT_SHEET)
    assert sheet is not None
    try:
        texts, problems = plan_fields.read_sheet([list(row) for row in sheet.rows])
    except plan_fields.FieldsProblem as problem:
        return [], [_sheet_problem(problem)], []
    plans, unusable = [], [_sheet_problem(p) for p in problems]
    for name, text in texts:
        where = f"{EXPORT_SHEET}: {name}"
        if not _plan_file_name(name):
            unusable.append(
                Unusable(where, ("expected a plan file name such as team-a/acme.md, inside the plans folder",))
            )
        else:
            plans.append(PlanToWrite(name, *_account_and_kind(text), text, where))
    return plans, unusable, []


def _sheet_problem(problem: plan_fields.FieldsProblem) -> Unusable:
    whose = f" ({problem.file}, left out)" if problem.file else ""
    return Unusable(f"{EXPORT_SHEET}!{problem.column}{problem.row}{whose}", (f"{problem.message}; {problem.hint}",))


def _plan_file_name(name: str) -> bool:
    """Whether ``name`` is a relative ``.md`` path that stays inside the plans folder: no ``..``, no root."""
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and path.suffix == ".md"
        and all(part not in ("", ".", "..") and "\\" not in part for part in path.parts)
    )


def _account_and_kind(text: str) -> tuple[str, str]:
    """The account and kind a plan's text names, for the dry run's list (the check reads the plan fully)."""
    from kamdocs.plan.loader import parse_bytes

    loaded = parse_bytes(text.encode("utf-8"), "plan.md")
    data = loaded.source.data if loaded.source is not None else {}
    return str(data.get("account", "?")), str(data.get("kind", "?"))


# --- checking and writing ------------------------------------------------------------------------------------------


def checked(reading: Reading, config: Config, validator: PlanValidator) -> Reading:
    """``reading`` with every plan that ``kamdocs check`` would reject moved to the unusable, each with its
    errors: import never writes a plan with an error."""
    from kamdocs.plan.loader import relative_name
    from kamdocs.rules.pipeline import check_bytes

    good, bad = [], []
    for plan in reading.plans:
        size = len(plan.text.encode("utf-8"))
        if size > config.max_bytes:
            bad.append(
                Unusable(
                    plan.source, (f"the plan would be {size:,} bytes, more than max_bytes ({config.max_bytes:,})",)
                )
            )
            continue
        rel = relative_name(config.plans_path / plan.file_name, config.root)
        findings = check_bytes(plan.text.encode("utf-8"), rel, config, validator)
        errors = [
            f"{f.path}: {f.message}" for f in findings if config.severity.get(f.rule, f.severity).value == "error"
        ]
        if errors:
            bad.append(Unusable(plan.source, tuple(errors)))
        else:
            good.append(plan)
    return replace(reading, plans=tuple(good), unusable=(*reading.unusable, *bad))


def taken(reading: Reading, plans_path: Path, root: Path, max_bytes: int = 1_000_000) -> Reading:
    """``reading`` without the plans whose file or id is already in the plans folder: never overwritten;
    nor those whose account already has a plan under another id (the same account name, compared without
    case, or the same crm_id): a second plan of one account splits its history in two. ``root`` is the
    repository, the existing plan is named relative to it; ``max_bytes`` bounds each plan file read."""
    from kamdocs.plan.loader import discover
    from kamdocs.system.paths import shown

    existing = {p.stem: p for p in discover([plans_path])} if plans_path.is_dir() else {}
    accounts, crm_ids = _accounts_of(existing.values(), root, max_bytes)
    keep, skipped = [], []
    for plan in reading.plans:
        there = existing.get(plan.id)
        target = plans_path / plan.file_name
        try:
            found = there is not None or target.exists() or target.is_symlink()
        except OSError as exc:  # a name too long for the file system: this plan cannot be written, the others can
            skipped.append(
                Unusable(
                    plan.source,
                    (f"{shown(target, root)} cannot be written ({exc.strerror or exc}); give it a shorter id",),
                )
            )
            continue
        if found:
            skipped.append(
                Unusable(
                    plan.source,
                    (
                        f"a plan with id {plan.id!r} exists already ({shown(there or target, root)}); it is left as it is",
                    ),
                )
            )
            continue
        account, crm_id = _account_and_crm_id(plan.text)
        same = (accounts.get(account.casefold()) if account else None) or (crm_ids.get(crm_id) if crm_id else None)
        if same is not None:
            skipped.append(
                Unusable(
                    plan.source,
                    (
                        f"{shown(same, root)} is already the plan of this account ({account}"
                        f"{f', crm_id {crm_id}' if crm_id else ''}); update that plan, or give this one "
                        "another account name",
                    ),
                )
            )
        else:
            keep.append(plan)
    return replace(reading, plans=tuple(keep), unusable=(*reading.unusable, *skipped))


def _accounts_of(paths: Iterable[Path], root: Path, max_bytes: int) -> tuple[dict[str, Path], dict[str, Path]]:
    """The plans in the folder by their account (compared without case) and by their crm_id; a plan that
    cannot be read is left out (``kamdocs check`` reports it)."""
    from kamdocs.plan.loader import load

    accounts: dict[str, Path] = {}
    crm_ids: dict[str, Path] = {}
    for path in sorted(paths):
        loaded = load(path, root, max_bytes)
        data = loaded.source.data if loaded.source is not None else None
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("account"), str):
            accounts.setdefault(data["account"].strip().casefold(), path)
        if isinstance(data.get("crm_id"), (str, int)) and str(data["crm_id"]).strip():
            crm_ids.setdefault(str(data["crm_id"]).strip(), path)
    return accounts, crm_ids


def _account_and_crm_id(text: str) -> tuple[str, str | None]:
    """The account and crm_id a plan's text names (the plan is checked: its account is text)."""
    from kamdocs.plan.loader import parse_bytes

    loaded = parse_bytes(text.encode("utf-8"), "plan.md")
    data = loaded.source.data if loaded.source is not None else {}
    crm_id = data.get("crm_id") if isinstance(data, dict) else None
    account = data.get("account") if isinstance(data, dict) else None
    return (
        str(account).strip() if account is not None else "",
        str(crm_id).strip() if crm_id is not None and str(crm_id).strip() else None,
    )


def write_plans(plans: Sequence[PlanToWrite], plans_path: Path) -> list[Path]:
    """Write each plan atomically as a new file (never over one), making the folders it needs; if any
    write fails, remove what this call wrote and made, so a failure leaves nothing behind, and raise."""
    from kamdocs.system.atomicfile import write_atomically
    from kamdocs.system.folders import make_folders, remove_created

    made: list[Path] = []
    try:
        for plan in plans:
            target = plans_path / plan.file_name
            made += make_folders(target.parent)
            write_atomically(target, plan.text.encode("utf-8"), exclusive=True)
            made.append(target)
    except OSError:
        remove_created(made)
        raise
    return [plans_path / plan.file_name for plan in plans]
