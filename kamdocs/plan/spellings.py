"""Numbers, dates and yes/no as people write them, read back as the value they meant.

The teams writing plans work in Switzerland, Germany, France and the US, often
in Excel first: ``1'250'000``, ``1.250.000``, ``1 250 000``, ``1,250,000``,
``0,5``, ``31.12.2027``, ``12/31/2027``, ``ja``. YAML reads some of these as
something else (``850.000`` is 850.0) and the schema refuses the rest. Either
way the finding's hint should propose the value the user meant, written as
the plan format wants it, so these readers are shared by the schema's hints
(:mod:`kamdocs.plan.validation`) and the check of figures
(:mod:`kamdocs.rules.checks`).

Nothing here guesses silently: every reading is only ever shown as a hint.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

_SEPARATORS = "'’ \u00a0\u202f.,_"
"""Thousands separators in use: apostrophe (de-CH, also typographic), spaces (fr, also no-break
and narrow no-break), point (de-DE), comma (en-US) and underscore (programmers)."""

_GROUPED = re.compile(
    r"(?P<lead>[1-9][0-9]{0,2})(?P<groups>(?:(?P<sep>['’ \u00a0\u202f.,_])[0-9]{3})(?:(?P=sep)[0-9]{3})*)"
    r"(?:(?P<dec>[.,])(?P<fraction>[0-9]+))?"
)
_DECIMAL_COMMA = re.compile(r"(?P<whole>[0-9]+),(?P<fraction>[0-9]+)")
_SCALES = {
    "k": 1000,
    "K": 1000,
    "Tsd": 1000,
    "Tsd.": 1000,
    "M": 1_000_000,
    "Mio": 1_000_000,
    "Mio.": 1_000_000,
    "mio": 1_000_000,
    "Mn": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "Million": 1_000_000,
    "Millionen": 1_000_000,
    "Mrd": 1_000_000_000,
    "Mrd.": 1_000_000_000,
    "bn": 1_000_000_000,
}
_CURRENCY_WORDS = {
    "CHF",
    "EUR",
    "USD",
    "GBP",
    "Fr.",
    "SFr.",
    "sFr.",
    "Franken",
    "Euro",
    "€",
    "$",
    "£",
}
_NUMBER_WITH_WORDS = re.compile(
    r"(?P<before>(?:[^\d+\-\s]++|\s++(?![-+]?\d))*+)\s*(?P<number>[-+]?\d[\d'’ \u00a0\u202f.,_]*+)\s*+(?P<after>.*)"
)
"""Words, a number, words. ``before`` is read a run of spaces or of other characters at a time, and stops before
the spaces in front of the number: the lazy ``[^\\d+-]*?`` this replaces retried the spaces after each
character, and a value of 20,000 spaces took 15 s (issue 19). tests/test_linear_patterns.py compares the two."""


CURRENCY = re.compile(r"[A-Z]{3}")
"""An ISO 4217 code such as CHF or EUR: money. Any other unit (units, t, %) is a quantity."""


def is_currency(unit: str) -> bool:
    """Whether a unit is a currency (three capital letters): an amount the budget sums as money."""
    return bool(CURRENCY.fullmatch(unit))


_CURRENCY_NAMES = {
    "chf": "CHF", "fr": "CHF", "fr.": "CHF", "sfr": "CHF", "sfr.": "CHF", "franken": "CHF", "schweizer franken": "CHF",
    "franc": "CHF", "francs": "CHF", "franchi": "CHF",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR",
    "usd": "USD", "$": "USD", "us$": "USD", "dollar": "USD", "dollars": "USD",
    "gbp": "GBP", "£": "GBP", "pfund": "GBP", "pound": "GBP", "pounds": "GBP",
}  # fmt: skip
"""Currencies as people write them instead of the ISO code: Swiss francs as Franken or SFr., euros as €."""


def currency_code(unit: str) -> str | None:
    """The ISO code a unit stands for: itself for a code (CHF), CHF for ``Franken`` or ``chf``; None for units."""
    if is_currency(unit):
        return unit
    return _CURRENCY_NAMES.get(" ".join(unit.split()).casefold())


@dataclass(frozen=True)
class MeantNumber:
    """A number read from how someone wrote it.

    ``value`` is the reading a currency amount most likely means; ``other`` a second reading
    when the text is ambiguous (``1.250`` is 1250 with a German thousands point, 1.25 with an
    English decimal point). ``unit`` is a currency or scale word written beside the digits.
    """

    value: Decimal
    other: Decimal | None = None
    unit: str = ""

    @property
    def text(self) -> str:
        """The value as the plan format wants it: digits, a decimal point, no separators."""
        return number_text(self.value)

    def hint(self) -> str:
        """``write 850000`` and, for an ambiguous spelling, the other reading."""
        out = f"write {self.text}"
        if self.other is not None:
            out += f" (or {number_text(self.other)} if the separator marks decimals)"
        if self.unit:
            out += f", and put {self.unit!r} in the 'unit' key"
        return out


def number_text(value: Decimal) -> str:
    """A decimal as plain YAML number text: ``1250000``, ``0.5``, never an exponent."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


MAX_NUMBER_TEXT = 40
"""Longest text read as a number: far more digits than any plan figure (at most 1e15) needs, and short
enough that no hostile value makes a hint expensive or too long to print."""


def grouped_digits(text: str) -> MeantNumber | None:
    """The number meant by digits grouped in threes (``850.000``, ``1'250'000,50``), else None.

    A lone group after a point or comma (``1.250``) is ambiguous: the thousands reading comes first,
    the decimal one is kept as ``other``. Text starting with ``0`` is never grouped (``0.125``).
    """
    text = text.strip()
    if len(text) > MAX_NUMBER_TEXT:
        return None
    sign = ""
    if text[:1] in "+-":
        sign, text = text[:1], text[1:].strip()
    match = _GROUPED.fullmatch(text)
    if match is None:
        return None
    sep, dec = match.group("sep"), match.group("dec")
    if dec is not None and dec == sep:
        return None
    whole = match.group("lead") + re.sub(r"\D", "", match.group("groups"))
    fraction = match.group("fraction")
    value = Decimal(sign + whole + ("." + fraction if fraction else ""))
    other = None
    if sep in ".," and dec is None and len(match.group("groups")) == 4:
        other = Decimal(sign + match.group("lead") + "." + match.group("groups")[1:])
    return MeantNumber(value, other)


def meant_number(text: str) -> MeantNumber | None:
    """The number meant by text the schema refused as a number, or None when there is none to propose.

    Reads thousands separators, a decimal comma (``0,5``), a scale word (``850k``, ``1,2 Mio``) and
    a currency written beside the digits (``CHF 1'250'000.-``).
    """
    if len(text) > MAX_NUMBER_TEXT * 2:
        return None
    text = re.sub(r"[.,][-–]{1,2}(?=\s|$)", "", text.strip())  # Swiss "1'250.-" or "1'250.--": no cents
    match = _NUMBER_WITH_WORDS.fullmatch(text)
    if match is None:
        return None
    number = match.group("number").strip()
    before, after = match.group("before").strip(), match.group("after").strip()
    scale = 1
    words = after.split(maxsplit=1)
    if words and words[0] in _SCALES:
        scale = _SCALES[words[0]]
        after = words[1] if len(words) > 1 else ""
    unit = " ".join(part for part in (before, after) if part)
    if unit and unit not in _CURRENCY_WORDS:
        return None
    read = _read_digits(number)
    if read is None:
        return None
    value, other = read
    return MeantNumber(value * scale, None if other is None else other * scale, unit)


def _read_digits(number: str) -> tuple[Decimal, Decimal | None] | None:
    if len(number) > MAX_NUMBER_TEXT:
        return None
    grouped = grouped_digits(number)
    if grouped is not None:
        return grouped.value, grouped.other
    sign = ""
    if number[:1] in "+-":
        sign, number = number[:1], number[1:]
    comma = _DECIMAL_COMMA.fullmatch(number)
    if comma is not None:
        return Decimal(f"{sign}{comma.group('whole')}.{comma.group('fraction')}"), None
    try:
        value = Decimal(sign + number)
    except InvalidOperation:
        return None
    return (value, None) if value.is_finite() else None


def suspicious_float(text: str) -> MeantNumber | None:
    """The number meant by a plain YAML float that looks like grouped digits: ``850.000``, ``1.250``.

    YAML reads these as 850.0 and 1.25. Genuine decimals do not match: ``0.125`` (no group starts
    with 0), ``99.5`` and ``12.50`` (not three digits after the point).
    """
    if not re.fullmatch(r"[-+]?[1-9][0-9]{0,2}\.[0-9]{3}", text.strip()):
        return None
    return grouped_digits(text)


_PLACEHOLDER = re.compile(r"[\W_]*(?:TODO|TBD|TBC|TBA|FIXME)(?![\w@]|\.\w)", re.IGNORECASE)
"""A placeholder word at the start, not the start of a name: ``todo@example.com`` is an address."""
_PLACEHOLDER_ONLY = frozenset({"?", "??", "???", "...", "…", "xxx", "n.n."})
PLACEHOLDER_MARKS = ("todo", "tbd", "tbc", "tba", "fixme", "?", "...", "…", "xxx", "n.n.")
"""Text that any placeholder contains (case-folded): a file without any of them has none."""


def is_placeholder(text: str) -> bool:
    """Whether a text value stands for "not filled in yet": ``TODO: CHF, EUR, units...`` as ``kamdocs new``
    writes it, ``todo``, ``(TBD)``, ``FIXME``, ``???``. Such a value is named by ``kamdocs check`` and
    never summed, charted or exported as a value."""
    stripped = text.strip()
    return bool(_PLACEHOLDER.match(stripped)) or stripped.casefold() in _PLACEHOLDER_ONLY


TRUE_WORDS = frozenset({"yes", "y", "ja", "j", "oui", "si", "sì", "on", "wahr", "vrai", "true"})
FALSE_WORDS = frozenset({"no", "n", "nein", "non", "off", "falsch", "faux", "false"})


def meant_boolean(text: str) -> bool | None:
    """``True`` for yes/ja/oui and the like, ``False`` for no/nein/non, else None."""
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            (),
            ("january", "jan", "januar", "jänner", "janvier", "janv"),
            ("february", "feb", "februar", "février", "fevrier", "févr", "fevr", "fév"),
            ("march", "mar", "märz", "maerz", "mars", "mär"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juni", "juin"),
            ("july", "jul", "juli", "juillet", "juil"),
            ("august", "aug", "août", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "oktober", "okt", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc"),
        )
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"(\d{1,4})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{1,4})\.?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_MONTH_NAME_DAY = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


@dataclass(frozen=True)
class MeantDate:
    """A date read from how someone wrote it; ``other`` is the second reading of ``01/02/2027``."""

    value: date
    other: date | None = None

    def hint(self) -> str:
        """``write 2027-12-31``, or both readings when the order of day and month is unclear."""
        if self.other is None:
            return f"write {self.value.isoformat()}"
        return (
            f"write {self.value.isoformat()} if you mean {_spoken(self.value)}, "
            f"or {self.other.isoformat()} if you mean {_spoken(self.other)}"
        )


def _spoken(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    """A two-digit year is in this century: ``27`` is 2027."""
    return int(text) + 2000 if len(text) == 2 else int(text)


def meant_date(text: str) -> MeantDate | None:
    """The calendar date meant by ``31.12.2027``, ``31.12.27``, ``12/31/2027``, ``31 Dec 2027``, else None.

    Points are day first (de, fr-CH); slashes and hyphens are read both ways, and where both
    readings are real dates (``01/02/2027``) both are given. A year first is always year-month-day.
    """
    text = text.strip()
    stamped = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ]\d{1,2}:\d{2}.*", text)  # a time after the date
    if stamped:
        return _one(_day(*(int(g) for g in stamped.groups())))
    if re.fullmatch(r"\d{8}", text):
        return _one(_day(int(text[:4]), int(text[4:6]), int(text[6:])))
    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric is not None:
        first, sep, middle, last = numeric.groups()
        if len(first) == 4:
            return _one(_day(int(first), int(middle), int(last)))
        if len(first) == 3 or len(last) not in (2, 4):
            return None
        year = _year(last)
        day_first = _day(year, int(middle), int(first))
        if sep == ".":
            return _one(day_first)
        month_first = _day(year, int(first), int(middle))
        if day_first is not None and month_first is not None and day_first != month_first:
            # en-US writes 12/31, fr and the UK 31/12: with a slash, month first leads.
            return MeantDate(month_first, day_first) if sep == "/" else MeantDate(day_first, month_first)
        return _one(day_first or month_first)
    named = _DAY_MONTH_NAME.fullmatch(text)
    if named is not None and named.group(2).casefold() in _MONTHS:
        return _one(_day(int(named.group(3)), _MONTHS[named.group(2).casefold()], int(named.group(1))))
    named = _MONTH_NAME_DAY.fullmatch(text)
    if named is not None and named.group(1).casefold() in _MONTHS:
        return _one(_day(int(named.group(3)), _MONTHS[named.group(1).casefold()], int(named.group(2))))
    return None


def _one(value: date | None) -> MeantDate | None:
    return None if value is None else MeantDate(value)


_WORDS = {
    meant: word
    for word, spellings in {
        "monthly": ("monatlich", "mensuel", "mensuelle", "every month", "1 month", "one month"),
        "quarterly": ("vierteljährlich", "quartalsweise", "pro quartal", "trimestriel",
                      "trimestrielle", "every 3 months", "every three months", "3 months", "quarter"),
        "semiannual": ("halbjährlich", "semestriel", "semestrielle", "semi-annual", "semi annual", "half-yearly",
                       "half yearly", "biannual", "every 6 months", "every six months", "6 months"),
        "annual": ("jährlich", "annuel", "annuelle", "yearly", "annually", "every year", "12 months", "einmal im jahr"),
        "open": ("offen", "ouvert", "ouverte", "neu", "new", "todo", "to do", "planned", "geplant"),
        "in-progress": ("in arbeit", "laufend", "in bearbeitung", "en cours", "ongoing", "started", "wip"),
        "done": ("erledigt", "fertig", "abgeschlossen", "erfüllt", "terminé", "terminée", "fait", "complete",
                 "completed", "closed", "finished"),
        "dropped": ("gestrichen", "abgebrochen", "verworfen", "abandonné", "abandonnée", "annulé", "annulée",
                    "cancelled", "canceled", "abandoned"),
    }.items()
    for meant in spellings
}  # fmt: skip
"""Words German, French and English speakers use for the format's interval and status names."""


def meant_word(text: str, allowed: Collection[str]) -> str | None:
    """The format's word for ``erledigt``, ``vierteljährlich``, ``en cours`` and the like, if it is one of
    ``allowed``; None otherwise."""
    word = _WORDS.get(" ".join(text.casefold().split()))
    return word if word in allowed else None
