"""Reading the spreadsheets and CSV files that ``kamdocs import`` takes: cells, and where each one is.

Teams start from Excel and from CRM exports, so a file arrives as Excel wrote it: CSV in UTF-8 with
or without a byte order mark, or in Windows-1252 (Excel's "CSV" in Western Europe), separated by
commas or, in German locales, by semicolons; or a workbook. Nothing here interprets a value: a cell
is what the file holds (text, a number, a date and time, a boolean or nothing), with its place
(``Sheet1!C7``, or for a CSV ``row 7, column "Target"``) for every message about it.

Input is bounded before it is read whole: a file over :data:`MAX_BYTES`, a workbook whose parts
unpack to more than :data:`MAX_UNPACKED` (a zip bomb), more than :data:`MAX_ROWS` rows,
:data:`MAX_COLUMNS` columns or :data:`MAX_CELLS` filled cells are refused with a message naming the limit. openpyxl reads workbooks
in its streaming ``read_only`` mode, with ``data_only`` (a formula's last computed value, never the
formula).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path

from kamdocs.errors import UsageError
from kamdocs.system.atomicfile import what_is_at

Value = str | int | float | bool | date | datetime | time | None
"""A cell's value as the file holds it."""

MAX_BYTES = 20_000_000
"""The largest file read: a CRM export of ten thousand accounts is a few megabytes."""
MAX_UNPACKED = 200_000_000
"""The most a workbook's parts may unpack to, so that a small zip bomb is refused unread."""
MAX_ROWS = 100_000
"""The most rows read from one sheet or CSV: more accounts than any company plans, and room for an export
workbook that gives each plan's fields a row each."""
MAX_CELLS = 1_000_000
"""The most filled cells read from one file, all sheets together: what is held in memory at once."""
MAX_COLUMNS = 200
"""The most columns read: a CRM export has dozens."""


@dataclass(frozen=True)
class Sheet:
    """One table of cells: a worksheet, or a whole CSV file (``name`` None)."""

    name: str | None
    rows: tuple[tuple[Value, ...], ...]
    percent: frozenset[tuple[int, int]] = frozenset()
    """The (row, column) of each number cell shown as a percentage (its number format has ``%``): the
    file holds the fraction, 0.6 for the 60 % a person sees and means."""
    formulas: frozenset[tuple[int, int]] = frozenset()
    """The (row, column) of each formula cell of a workbook that stores no trustworthy values (see
    :func:`_formula_cells`): the value read there is none a person saw."""

    def where(self, row: int, column: int, header: str | None = None) -> str:
        """The place of a cell for a message, 0-based ``row`` and ``column``: ``Accounts!C7``; for a CSV,
        ``row 7, column "Target"`` (the header's name), as a spreadsheet program shows that file."""
        if self.name is None:
            named = f', column "{header}"' if header else f", column {column + 1}"
            return f"row {row + 1}{named}"
        return f"{_quoted_sheet(self.name)}!{column_letters(column)}{row + 1}"

    def row_place(self, row: int) -> str:
        """A whole row for a message: ``row 7`` of a CSV, ``Accounts!7`` of a workbook."""
        return f"row {row + 1}" if self.name is None else f"{_quoted_sheet(self.name)} row {row + 1}"


def _quoted_sheet(name: str) -> str:
    """A sheet name as a formula writes it: quoted when it holds anything but letters, digits and ``_``."""
    if name.replace("_", "").isalnum():
        return name
    return "'" + name.replace("'", "''") + "'"


def column_letters(column: int) -> str:
    """Excel's name of a 0-based column: 0 is A, 25 is Z, 26 is AA."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Workbook:
    """What a file held: its sheets in order, and how it was read (for the dry run's first line)."""

    path: Path
    sheets: tuple[Sheet, ...]
    read_as: str

    def sheet(self, *names: str) -> Sheet | None:
        """The first sheet whose name is one of ``names``, compared as :func:`folded` text."""
        wanted = {folded(name) for name in names}
        return next((s for s in self.sheets if s.name is not None and folded(s.name) in wanted), None)


def folded(text: str) -> str:
    """A header or name compared without case, accents, spaces or punctuation: ``Nächste Überprüfung`` is
    ``nachsteuberprufung``, ``Review date`` is ``reviewdate``, ``E-Mail`` is ``email``."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def read_file(path: Path) -> Workbook:
    """The sheets of the CSV or xlsx file at ``path``; :class:`UsageError` naming what is wrong otherwise."""
    from kamdocs.plan.loader import read_regular_file

    try:
        if not path.is_file():
            found = what_is_at(path) if os.path.lexists(path) else "no such file"
            raise UsageError(f"{path}: expected a CSV or xlsx file, found {found}")
        raw = read_regular_file(path, MAX_BYTES)  # never blocks on a FIFO
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise UsageError(f"{path}: more than the {MAX_BYTES:,} bytes kamdocs import reads; split the file")
    if not raw:
        raise UsageError(f"{path}: the file is empty; expected a header row and a row per account")
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, raw)
    if path.suffix.casefold() in (".xlsx", ".xlsm"):
        raise UsageError(f"{path}: not an xlsx workbook (an xlsx file is a zip archive); save it as .xlsx again")
    if path.suffix.casefold() in (".xls", ".ods", ".numbers"):
        raise UsageError(f"{path}: kamdocs import reads .csv and .xlsx files; save it as .xlsx or .csv")
    return _read_csv(path, raw)


ENCODINGS = (("utf-8-sig", "UTF-8 with a byte order mark"), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252"))


def decode_text(path: Path, raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding: UTF-8 (a BOM says so), else Windows-1252;
    UTF-16 where its BOM says so (Excel's "Unicode Text", separated by tabs).

    UTF-8 is tried strictly first: Windows-1252 decodes almost any bytes, so it is only the reading
    when UTF-8 fails. Other than in UTF-16, a NUL byte means a binary file, never text.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise UsageError(f"{path}: starts as UTF-16 text but is not; save it from Excel as 'CSV UTF-8'") from None
    if b"\x00" in raw:
        raise UsageError(f"{path}: a binary file, not CSV text; expected a CSV or an xlsx workbook")
    for codec, name in ENCODINGS:
        if codec == "utf-8-sig" and not raw.startswith(b"\xef\xbb\xbf"):
            continue
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{path}: neither UTF-8 nor Windows-1252 text; save it from Excel as 'CSV UTF-8'")


DELIMITERS = (",", ";", "\t")


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV: the one of ``,``, ``;`` and tab found most often outside quotes in its first
    line (Excel writes ``;`` where the decimal separator is a comma, as in Germany and Switzerland)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text[:100_000]:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, raw: bytes) -> Workbook:
    text, encoding = decode_text(path, raw)
    delimiter = sniff_delimiter(text)
    rows: list[tuple[Value, ...]] = []
    filled = _Filled()
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False):
            _bounded(path, len(rows), len(row))
            rows.append(tuple(cell if cell.strip() else None for cell in row))
            filled.count(path, rows[-1])
    except csv.Error as exc:
        if "field limit" in str(exc):
            limit = f"{csv.field_size_limit():,}"
            raise UsageError(f"{path}: row {len(rows) + 1}: a cell of more than {limit} characters") from None
        raise UsageError(f"{path}: row {len(rows) + 1}: not CSV as Excel writes it ({exc})") from None
    shown = {",": "commas", ";": "semicolons", "\t": "tabs"}[delimiter]
    return Workbook(path, (Sheet(None, _trimmed(rows)),), f"CSV in {encoding}, separated by {shown}")


class _Filled:
    """The filled cells of one file counted as they are read, refused past :data:`MAX_CELLS`."""

    def __init__(self) -> None:
        self.cells = 0

    def count(self, path: Path, row: Sequence[Value]) -> None:
        self.cells += sum(cell is not None for cell in row)
        if self.cells > MAX_CELLS:
            raise UsageError(
                f"{path}: more than {MAX_CELLS:,} filled cells; split the file, kamdocs import reads at most that"
            )


def _bounded(path: Path, rows: int, columns: int) -> None:
    if rows >= MAX_ROWS:
        raise UsageError(f"{path}: more than {MAX_ROWS:,} rows; split the file, kamdocs import reads at most that")
    if columns > MAX_COLUMNS:
        raise UsageError(f"{path}: row {rows + 1} has {columns:,} columns, more than the {MAX_COLUMNS} kamdocs reads")


def _trimmed(rows: Iterable[Sequence[Value]]) -> tuple[tuple[Value, ...], ...]:
    """Rows without their empty cells at the end, and without the empty rows at the end of the sheet."""
    out = [tuple(row[: _last_filled(row) + 1]) for row in rows]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def _last_filled(row: Sequence[Value]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index] is not None and row[index] != "":
            return index
    return -1


def _read_xlsx(path: Path, raw: bytes) -> Workbook:
    """A workbook read with openpyxl after its zip directory is judged: every part's unpacked size is
    summed from the directory before anything is unpacked, so a zip bomb is refused unread."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UsageError(f"{path}: not a readable xlsx workbook ({exc})") from None
    if unpacked > MAX_UNPACKED:
        raise UsageError(
            f"{path}: its parts unpack to {unpacked:,} bytes, more than the {MAX_UNPACKED:,} kamdocs reads"
        )
    if "xl/workbook.xml" not in names:
        raise UsageError(f"{path}: a zip archive but not an xlsx workbook (no xl/workbook.xml)")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, XML errors... for a broken workbook
        raise UsageError(f"{path}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        filled = _Filled()
        sheets = tuple(_read_sheet(path, sheet, filled) for sheet in book.worksheets)
        recalculated = bool(getattr(getattr(book, "calculation", None), "fullCalcOnLoad", False))
        if recalculated and _has_formulas(raw):
            sheets = _formula_cells(raw, sheets)
    except UsageError:
        raise
    except Exception as exc:
        raise UsageError(f"{path}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()
    return Workbook(path, sheets, f"an xlsx workbook of {len(sheets)} sheet{'s' if len(sheets) != 1 else ''}")


def _read_sheet(path: Path, sheet: object, filled: _Filled) -> Sheet:
    rows: list[tuple[Value, ...]] = []
    name = str(getattr(sheet, "title", ""))
    iter_rows = getattr(sheet, "iter_rows", None)
    if iter_rows is None:  # a chart sheet holds no cells
        return Sheet(name, ())
    reset = getattr(sheet, "reset_dimensions", None)
    if reset is not None:  # the size a workbook declares can be wrong (some writers say A1): read what is there
        reset()
    percent: set[tuple[int, int]] = set()
    for row in iter_rows(values_only=False, max_col=MAX_COLUMNS + 1):
        if len(row) > MAX_COLUMNS and getattr(row[MAX_COLUMNS], "value", None) is not None:
            _bounded(path, len(rows), len(row) + 1)
        _bounded(path, len(rows), 0)
        values = tuple(_cell(getattr(cell, "value", None)) for cell in row[:MAX_COLUMNS])
        percent.update(
            (len(rows), column)
            for column, (cell, value) in enumerate(zip(row, values, strict=False))  # row has one more cell
            if isinstance(value, (int, float))
            and not isinstance(value, bool)
            and "%" in str(getattr(cell, "number_format", None) or "")
        )
        rows.append(values)
        filled.count(path, rows[-1])
    return Sheet(name, _trimmed(rows), frozenset(percent))


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(raw: bytes) -> bool:
    """Whether any worksheet part has a formula element (``<f>``): read in pieces, so that a workbook
    without formulas (most of XlsxWriter's) is spared the second pass of :func:`_formula_cells`."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _formula_cells(raw: bytes, sheets: tuple[Sheet, ...]) -> tuple[Sheet, ...]:
    """``sheets`` with their formula cells, for a workbook that asks to be recalculated when opened
    (``fullCalcOnLoad``): XlsxWriter writes that and stores 0 as every formula's value, openpyxl stores
    none, so the values read are no figures a person saw. A second streaming pass reads the formulas
    (``data_only=False``); only their places are kept."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        out = []
        for sheet, worksheet in zip(sheets, book.worksheets, strict=True):
            iter_rows = getattr(worksheet, "iter_rows", None)
            if iter_rows is None:
                out.append(sheet)
                continue
            reset = getattr(worksheet, "reset_dimensions", None)
            if reset is not None:
                reset()
            formulas = {
                (r, c)
                for r, row in enumerate(iter_rows(values_only=False, max_col=MAX_COLUMNS, max_row=len(sheet.rows)))
                for c, cell in enumerate(row)
                if getattr(cell, "data_type", None) == "f"
            }
            out.append(replace(sheet, formulas=frozenset(formulas)) if formulas else sheet)
        return tuple(out)
    finally:
        book.close()


def _cell(value: object) -> Value:
    """A cell's value as :data:`Value`: blank text is an empty cell; anything openpyxl gives that is none
    of these (an error code's text, a timedelta) is its text."""
    if isinstance(value, str):
        return value if value.strip() else None
    if value is None or isinstance(value, (int, float, bool, date, datetime, time)):
        return value
    return str(value)
