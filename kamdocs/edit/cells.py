"""A spreadsheet cell read as the value a plan needs: text, an amount, a date or one of the format's words.

People write figures and dates in spreadsheets as they learned to: ``1'250'000``, ``1.250.000``,
``850.000``, numbers stored as text, dates as Excel serial numbers or ``31.12.2027``, statuses in
German. Each reading that changes what the cell showed is named (:class:`Read` carries the words the
dry run prints, ``'1'250'000' read as 1250000``), and a value with two readings is refused with both,
never guessed (``1.250`` is 1250 with a German thousands point, 1.25 with an English decimal point).
An empty cell is None: a missing figure stays missing, never 0.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from kamdocs.edit.spreadsheet import Value, folded
from kamdocs.escaping import hidden_character
from kamdocs.plan.model import PLAN_ID
from kamdocs.plan.safeyaml import MAX_MAGNITUDE, MIN_MAGNITUDE
from kamdocs.plan.spellings import currency_code, meant_date, meant_number, meant_word, number_text


class CellProblem(ValueError):
    """A cell that cannot be used, and why, in words for the dry run (the caller adds the cell's place)."""


@dataclass(frozen=True)
class Read:
    """A value read from a cell, and the conversion named if the cell showed something else."""

    value: object
    note: str | None = None
    currency: str | None = None
    """The currency written in an amount (``GBP 3,400,000.00``, ``1.000.000 €``), as its ISO code where it
    has one: the row's unit column must agree, or takes it where it is empty (:mod:`kamdocs.edit.importing`)."""


EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system (its serial 60 is the 29 February 1900 that never was)."""
LAST_SERIAL = 2_958_465
"""9999-12-31, Excel's last day."""


def read_text(value: Value) -> Read:
    """Text on one line: a number cell becomes its digits (a CRM id ``12345``), a line break inside a cell
    (a quoted CSV field) is joined with a space and named; control characters are refused."""
    if isinstance(value, bool):
        raise CellProblem(f"expected text, found the boolean {value}")
    if isinstance(value, (datetime, date)):
        return Read(_as_date(value).isoformat(), f"the date cell read as the text {_as_date(value).isoformat()}")
    if isinstance(value, (int, float)):
        text = number_text(_decimal(value))
        return Read(text, f"the number {text} read as text")
    text = str(value).strip()
    note = None
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
        note = "its line breaks joined with spaces"
    found = hidden_character(text)
    if found:
        raise CellProblem(f"expected text without control characters, found {found}")
    return Read(text, note)


def read_body_text(value: Value) -> Read:
    """A part of the plan's body: text whose line breaks are kept (Markdown paragraphs)."""
    if not isinstance(value, str):
        return read_text(value)
    text = "\n".join(line.rstrip() for line in value.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    found = hidden_character(text.replace("\n", " "))
    if found:
        raise CellProblem(f"expected text without control characters, found {found}")
    return Read(text)


def _decimal(value: int | float) -> Decimal:
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _bounded(value: Decimal, shown: str) -> Decimal:
    if not value.is_finite() or (value and not MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE):
        raise CellProblem(
            f"expected a number from {MIN_MAGNITUDE:g} to {MAX_MAGNITUDE:g} in size (or 0), found {shown}"
        )
    return value


_PLAIN = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")
_ONE_GROUP = re.compile(r"(?P<sign>[-+]?)(?P<lead>[1-9][0-9]{0,2})(?P<sep>[.,])(?P<group>[0-9]{3})")


def read_number(value: Value) -> Read:
    """An amount or figure: a number cell as it is; text as people write numbers (see the module)."""
    if isinstance(value, (bool, date, datetime, time)):
        raise CellProblem(f"expected a number, found {_shown(value)}")
    if isinstance(value, (int, float)):
        return Read(_bounded(_decimal(value), _shown(value)))
    text = " ".join(str(value).split())
    one = _ONE_GROUP.fullmatch(text)
    if one is not None:
        return _one_group(text, one)
    if _PLAIN.fullmatch(text):
        number = _bounded(Decimal(text), repr(text))
        return Read(number, f"the text {text!r} read as the number {number_text(number)}")
    meant = meant_number(text)
    if meant is None:
        raise CellProblem(f"expected a number, found {text!r}")
    if meant.other is not None:
        raise CellProblem(_two_readings(text, meant.value, meant.other))
    number = _bounded(meant.value, repr(text))
    currency = (currency_code(meant.unit) or meant.unit) if meant.unit else None
    return Read(number, f"{text!r} read as {number_text(number)}", currency)


def _one_group(text: str, match: re.Match[str]) -> Read:
    """``850.000``, ``1,250``: one group of three digits after a point or comma. ``000`` is only ever a
    thousands group (nobody writes 850 as 850.000); any other group has two readings and is refused."""
    sign, lead, group = match.group("sign"), match.group("lead"), match.group("group")
    thousands = Decimal(f"{sign}{lead}{group}")
    if group != "000":
        raise CellProblem(_two_readings(text, thousands, Decimal(f"{sign}{lead}.{group}")))
    which = "point" if match.group("sep") == "." else "comma"
    return Read(thousands, f"{text!r} read as {number_text(thousands)} (the {which} taken as a thousands separator)")


def _two_readings(text: str, thousands: Decimal, decimal: Decimal) -> str:
    return (
        f"{text!r} could be {number_text(thousands)} (a thousands separator) or {number_text(decimal)} "
        f"(a decimal separator); write {number_text(thousands)} or {number_text(decimal)} without separators"
    )


def read_date(value: Value) -> Read:
    """A date: a date cell, an Excel serial number, ``2027-12-31``, ``31.12.2027`` (and what
    :func:`~kamdocs.plan.spellings.meant_date` reads); ``01/02/2027`` is refused with both readings."""
    if isinstance(value, datetime):
        note = None if value.time() == time(0) else f"the date and time {value.isoformat(' ')} read as the date"
        return Read(value.date(), note)
    if isinstance(value, date):
        return Read(value)
    if isinstance(value, (bool, time)):
        raise CellProblem(f"expected a date, found {_shown(value)}")
    if isinstance(value, (int, float)):
        return _serial(value, str(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        meant = meant_date(text)
        if meant is None:
            raise CellProblem(f"expected a date, found {text!r}, which is no day of the calendar")
        return Read(meant.value)
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):
        return _serial(float(text), repr(text))
    meant = meant_date(text)
    if meant is None:
        raise CellProblem(f"expected a date such as 2027-12-31 or 31.12.2027, found {text!r}")
    if meant.other is not None:
        raise CellProblem(f"{text!r} has two readings: {meant.hint()}")
    return Read(meant.value, f"{text!r} read as {meant.value.isoformat()}")


def _serial(value: int | float, shown: str) -> Read:
    if value != int(value) or not 1 <= value <= LAST_SERIAL:
        raise CellProblem(f"expected a date, found the number {shown}")
    day = EXCEL_EPOCH + timedelta(days=int(value))
    return Read(day, f"the Excel date number {int(value)} read as {day.isoformat()}")


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _shown(value: Value) -> str:
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat(' ')}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, time):
        return f"the time {value.isoformat()}"
    return repr(value)


def read_word(value: Value, allowed: Collection[str], spellings: Mapping[str, str] | None = None) -> Read:
    """One of the format's words (``allowed``): itself in any case and spacing (``In progress``), the
    German, French or English word :func:`~kamdocs.plan.spellings.meant_word` knows (``offen``), or one of
    ``spellings`` (folded text -> word)."""
    text = read_text(value).value
    assert isinstance(text, str)
    by_fold = {folded(word): word for word in allowed}
    key = folded(text)
    word = by_fold.get(key) or (spellings or {}).get(key) or meant_word(text, allowed)
    if word is None:
        raise CellProblem(f"expected one of {', '.join(sorted(allowed))}, found {text!r}")
    return Read(word, None if word == text else f"{text!r} read as {word}")


def read_currency(value: Value) -> Read:
    """A goal's unit: a currency word becomes its ISO code (``Franken`` is CHF); anything else is kept as
    the unit it is (``units``, ``t``, ``%``)."""
    read = read_text(value)
    text = str(read.value)
    code = currency_code(text)
    if code is not None and code != text:
        return Read(code, f"{text!r} read as the currency {code}")
    return read


def read_id(value: Value) -> Read:
    """An id: a slug as it is; anything else made into one and named (``Acme AG`` is ``acme-ag``)."""
    text = str(read_text(value).value)
    if PLAN_ID.fullmatch(text):
        return Read(text)
    made = made_id(text)
    if not made:
        raise CellProblem(f"expected an id (lowercase letters, digits and hyphens), found {text!r}")
    return Read(made, f"{text!r} read as the id {made}")


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by hyphens: ``Müller & Söhne AG`` is ``muller-sohne-ag``."""
    return re.sub(r"[^a-z0-9]+", "-", folded_words(text)).strip("-")


MAX_MADE_ID = 60
"""The longest id made from a name: an account's full legal name can run to hundreds of characters, more
than a file name may have (255 bytes on most file systems), and a file name that long helps nobody."""


def made_id(text: str) -> str:
    """:func:`slug` of ``text``, cut to :data:`MAX_MADE_ID` characters at a hyphen (mid-word only where the
    first word alone is longer)."""
    made = slug(text)
    if len(made) <= MAX_MADE_ID:
        return made
    cut = made[: MAX_MADE_ID + 1].rfind("-")
    return made[:cut] if cut > 0 else made[:MAX_MADE_ID].rstrip("-")


_UNDECOMPOSED = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"})
"""Letters that Unicode does not decompose into a letter and an accent, as they are written without it."""


def folded_words(text: str) -> str:
    """``text`` in lowercase ASCII with its accents dropped, words kept apart (``ß`` is ``ss``, ``Ł`` is ``l``)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def read_percent(value: Value) -> Read:
    """A share from 0 to 100: ``45``, ``45 %``, or a percent cell (0.45, shown as 45 %) read as 45."""
    note = None
    if isinstance(value, float) and 0 < value < 1:
        number = _decimal(value) * 100
        note = f"the fraction {value!r} read as {number_text(number)} percent"
    elif isinstance(value, str) and value.strip().endswith("%"):
        number = _number(read_number(value.strip()[:-1].strip()))
        note = f"{value.strip()!r} read as {number_text(number)}"
    else:
        read = read_number(value)
        number, note = _number(read), read.note
    if not 0 <= number <= 100:
        raise CellProblem(f"expected a percentage from 0 to 100, found {number_text(number)}")
    return Read(number, note)


def _number(read: Read) -> Decimal:
    assert isinstance(read.value, Decimal)
    return read.value
