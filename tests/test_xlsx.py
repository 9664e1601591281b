"""plans.xlsx read back cell by cell with openpyxl, and its formulas evaluated by LibreOffice where it is
installed; the figures are compared with sums computed in the test from the plan files."""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from .commands import mkdocs_build_in_process
from .conftest import GitRepo, run
from .test_budget import MKDOCS, PLANS, budget_plan, expected_lines
from .test_quality import history_plan

TODAY = "2026-11-24"
HOSTILE = {
    "account": '=HYPERLINK("http://evil.example","x")',
    "action": "+cmd|' /C calc'!A0",
    "owner": "@SUM(1+1)*cmd",
    "area": "-2+3 \t<script>",
}


@pytest.fixture
def workbook_repo(make_repo) -> Path:
    files = {f"plans/{i}.md": budget_plan(i, *v) for i, v in PLANS.items()}
    evil = budget_plan("evil", "AREA", "CHF", 100, None, None, "2026-12-31", "active")
    evil = evil.replace("business_area: AREA", f"business_area: {json.dumps(HOSTILE['area'])}")
    evil = evil.replace("account: Example Account AG", f"account: '{HOSTILE['account']}'")
    evil = evil.replace("    action: Run a specification workshop", f'    action: "{HOSTILE["action"]}"')
    evil = evil.replace("    owner: kam@example.com", f"    owner: '{HOSTILE['owner']}'")
    files["plans/evil.md"] = evil
    return make_repo({**files, "docs/index.md": "# Budget\n"}, mkdocs=MKDOCS)


@pytest.fixture
def workbook(workbook_repo: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out" / "plans.xlsx"
    result = run(["export", "--format", "xlsx", "-o", str(out), "--today", TODAY], workbook_repo)
    assert result.exit_code == 0, result.output
    return out


def sheet_rows(path: Path, name: str, data_only: bool = False) -> list[tuple]:
    book = openpyxl.load_workbook(path, data_only=data_only)
    return list(book[name].iter_rows(values_only=True))


def test_every_sheet_has_a_frozen_header_and_a_filter(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Plans", "Commitments", "Budget", "Plan fields"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title


def test_plans_sheet_cell_by_cell(workbook: Path, workbook_repo: Path) -> None:
    rows = sheet_rows(workbook, "Plans")
    header = rows[0]
    assert header[:3] == ("Plan", "Account", "Kind")
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert sorted(by_id) == sorted([*PLANS, "evil"])
    acme = by_id["acme"]
    area, unit, target, baseline, actual, end, _ = PLANS["acme"]
    assert (acme["Business area"], acme["Unit"], acme["Target"], acme["Baseline"], acme["Actual"]) == (
        area, unit, target, baseline, actual)  # fmt: skip
    assert isinstance(acme["Target"], int | float) and isinstance(acme["Period end"], datetime)
    assert acme["Period end"] == datetime.fromisoformat(end) and acme["Fiscal year"] == "2026/27"
    assert by_id["bern"]["Actual"] is None and by_id["bern"]["Baseline"] is None  # missing, not 0
    assert isinstance(acme["Quality"], int) and acme["Quality band"] in ("good", "fair", "poor")
    status_json = json.loads(run(["status", "--format", "json", "--today", TODAY], workbook_repo).output)
    for plan in status_json["plans"]:
        row = by_id[plan["id"]]
        assert (row["Freshness"], row["Quality"], row["Open commitments"]) == (
            plan["freshness"], plan["quality_score"], plan["open_commitments"])  # fmt: skip


def test_text_that_looks_like_a_formula_stays_text(workbook: Path) -> None:
    plans = {r[0]: r for r in sheet_rows(workbook, "Plans")[1:]}
    commitments = [r for r in sheet_rows(workbook, "Commitments")[1:] if r[0] == "evil"]
    assert plans["evil"][1] == "'" + HOSTILE["account"]
    assert plans["evil"][5] == "'" + HOSTILE["area"]
    assert commitments[0][3] == "'" + HOSTILE["action"] and commitments[0][4] == "'" + HOSTILE["owner"]
    book = openpyxl.load_workbook(workbook)
    for sheet in ("Plans", "Commitments"):
        for row in book[sheet].iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)  # only the budget has formulas


def test_commitments_sheet_has_dates_and_status(workbook: Path) -> None:
    rows = sheet_rows(workbook, "Commitments")
    assert rows[0] == ("Plan", "Account", "Commitment", "Action", "Owner", "Due", "Status", "Resolves", "Overdue",
                       "Done on (git)")  # fmt: skip
    acme = next(r for r in rows if r[0] == "acme")
    assert acme[2:3] == ("c-a",) and acme[5] == datetime(2026, 12, 15) and acme[6] == "open" and acme[8] == "no"


def budget_totals(rows: list[tuple]) -> dict[tuple[str | None, str | None, str], dict[str, object]]:
    header = rows[0]
    out = {}
    for row in rows[1:]:
        if row[0] is None:
            continue
        record = dict(zip(header, row, strict=True))
        area = None if record["Business area"] == "All areas" else record["Business area"]
        year = None if record["Fiscal year"] == "All years" else record["Fiscal year"]
        out[(area, year, record["Unit"])] = record
    return out


def expected(workbook_repo: Path) -> dict:
    want = expected_lines(workbook_repo)
    return {(("'" + a) if a and a.startswith("-") else a, y, u): v for (a, y, u), v in want.items()}


def test_budget_sheet_figures_and_formulas(workbook: Path, workbook_repo: Path) -> None:
    formulas = budget_totals(sheet_rows(workbook, "Budget"))
    cached = budget_totals(sheet_rows(workbook, "Budget", data_only=True))
    want = expected(workbook_repo)
    assert formulas.keys() == want.keys()
    for key, figures in want.items():
        is_total = key[0] is None or key[1] is None
        if is_total:
            assert str(formulas[key]["Target"]).startswith("=SUMIF("), key
            assert str(formulas[key]["Actual"]).startswith("=IF("), key
        else:
            assert isinstance(formulas[key]["Target"], int | float), key
        assert str(formulas[key]["Attainment"]).startswith("=IF("), key
        got = cached[key]
        assert got["Plans"] == figures["plans"] and got["Target"] == pytest.approx(figures["target"]), key
        assert got["No actual"] == figures["actuals_missing"], key
        if figures["actual"] is None:
            assert got["Actual"] in (None, ""), key  # missing, never 0
            assert got["Attainment"] in (None, ""), key
        else:
            assert got["Actual"] == pytest.approx(figures["actual"]), key
            assert got["Attainment"] == pytest.approx(figures["attainment"], abs=1e-4), key


def test_same_plans_same_bytes_and_the_site_has_the_same_sheets(
    workbook: Path, workbook_repo: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again.xlsx"
    run(["export", "--format", "xlsx", "-o", str(again), "--today", TODAY], workbook_repo)
    assert again.read_bytes() == workbook.read_bytes()
    result = mkdocs_build_in_process(workbook_repo)
    assert result.returncode == 0, result.stderr
    site = workbook_repo.parent / "site"
    exported, downloaded = _cells(workbook), _cells(site / "plans/plans.xlsx")
    assert downloaded == {name: cells for name, cells in exported.items() if name != "Plan fields"}
    assert list(exported) == [*downloaded, "Plan fields"]  # the sheet that gives plans back: the export's only
    assert 'href="plans.xlsx"' in (site / "plans/index.html").read_text(encoding="utf-8")


def test_xlsx_to_a_terminal_is_refused(workbook_repo: Path) -> None:
    command = f"{shlex.quote(sys.executable)} -m kamdocs export --format xlsx"  # this checkout's, not PATH's python3
    result = subprocess.run(["script", "-qec", command, "/dev/null"],
                            cwd=workbook_repo, capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    if result.returncode == 127 or "not found" in result.stderr:
        pytest.skip("util-linux script is not installed")
    assert "expected a file for the xlsx workbook" in result.stdout
    piped = run(["export", "--format", "xlsx", "--today", TODAY], workbook_repo)
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK")


NO_SOFFICE = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def libreoffice_budget(workbook: Path, tmp_path: Path) -> list[tuple]:
    """The Budget sheet as LibreOffice calculates it: converted headless, every sheet to its own CSV."""
    out = tmp_path / "csv"
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false,false,false,-1", "--outdir", str(out),
         str(workbook)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    with (out / f"{workbook.stem}-Budget.csv").open(encoding="utf-8") as handle:
        return [tuple(None if v == "" else v for v in row) for row in csv.reader(handle)]


@pytest.mark.e2e
@NO_SOFFICE
def test_libreoffice_opens_the_workbook_and_evaluates_its_formulas(
    workbook: Path, workbook_repo: Path, tmp_path: Path
) -> None:
    evaluated = budget_totals(libreoffice_budget(workbook, tmp_path))

    def share(text: str) -> float:  # LibreOffice writes a cell formatted as a percentage as shown
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)

    want = expected(workbook_repo)
    assert evaluated.keys() == want.keys()
    for key, figures in want.items():
        got = evaluated[key]
        assert float(got["Target"]) == pytest.approx(figures["target"]), key
        assert int(got["Plans"]) == figures["plans"], key
        if figures["actual"] is None:
            assert got["Actual"] is None and got["Attainment"] is None, key
        else:
            assert float(got["Actual"]) == pytest.approx(figures["actual"]), key
            assert share(got["Attainment"]) == pytest.approx(figures["attainment"], abs=1e-4), key
        if figures["growth"] is not None:
            assert share(got["Growth"]) == pytest.approx(figures["growth"], abs=1e-4), key


def evaluate_totals(path: Path) -> list[tuple]:
    """The Budget sheet with its total formulas worked out here, for machines without LibreOffice.

    Only the two shapes the totals use: ``SUMIF(keys,n,figures)`` and ``IF(a=b,"",SUMIF(...))``."""
    sheet = openpyxl.load_workbook(path)["Budget"]

    def value(ref: str) -> object:
        return sheet[ref.replace("$", "")].value

    def sumif(keys: str, number: str, figures: str) -> float:
        pairs = zip(sheet[keys.replace("$", "")], sheet[figures.replace("$", "")], strict=True)
        return sum(f[0].value or 0 for k, f in pairs if k[0].value == int(number))

    out = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            text = cell.value
            if isinstance(text, str) and (m := re.fullmatch(r"=SUMIF\(([^,]+),(\d+),([^,]+)\)", text)):
                text = sumif(*m.groups())
            elif isinstance(text, str) and (
                m := re.fullmatch(r'=IF\((\w+)=(\w+),"",SUMIF\(([^,]+),(\d+),([^,]+)\)\)', text)
            ):
                a, b = (sumif(*re.fullmatch(r"=SUMIF\((.+),(\d+),(.+)\)", value(r)).groups()) for r in m.groups()[:2])
                text = None if a == b else sumif(*m.groups()[2:])
            values.append(text)
        out.append(tuple(values))
    return out


def test_totals_evaluated_without_a_calculation_engine(workbook: Path, workbook_repo: Path) -> None:
    evaluated = budget_totals(evaluate_totals(workbook))
    for key, figures in expected(workbook_repo).items():
        got = evaluated[key]
        assert (got["Plans"], got["No actual"]) == (figures["plans"], figures["actuals_missing"]), key
        assert got["Target"] == pytest.approx(figures["target"]), key
        assert got["Actual"] == (None if figures["actual"] is None else pytest.approx(figures["actual"])), key
        assert got["Baseline"] == (None if figures["baseline"] is None else pytest.approx(figures["baseline"])), key


AREAS = ["*", ">1", "=A", "A", '"),HYPERLINK("http://x', "A*", "~*", *(f"Area {i:03d}" for i in range(300))]
"""More areas in one year and unit than a function takes arguments (255), and names that SUMIF
would read as patterns or comparisons, and one that would end a formula's string literal."""


@pytest.fixture
def many_areas(make_repo, tmp_path: Path) -> tuple[Path, dict[str, float]]:
    files = {f"plans/p{i}.md": budget_plan(f"p{i}", "AREA", "CHF", 1000 + i, None, i % 7 or None, "2027-03-31",
                                            "active").replace("business_area: AREA", f"business_area: {json.dumps(a)}")
             for i, a in enumerate(AREAS)}  # fmt: skip
    files["plans/eur.md"] = budget_plan("eur", "A", "EUR", 5, None, None, "2027-03-31", "active")
    repo = make_repo({**files, "docs/index.md": "# Budget\n"}, mkdocs=MKDOCS)
    out = tmp_path / "many.xlsx"
    assert run(["export", "--format", "xlsx", "-o", str(out), "--today", TODAY], repo).exit_code == 0
    return out, {"target": sum(1000 + i for i in range(len(AREAS))), "actual": sum(i % 7 for i in range(len(AREAS)))}


def test_totals_past_255_areas_and_over_hostile_names(many_areas: tuple[Path, dict[str, float]]) -> None:
    workbook, want = many_areas
    formulas = budget_totals(sheet_rows(workbook, "Budget"))
    year = formulas[(None, "2026/27", "CHF")]
    assert year["Plans"].startswith("=SUMIF(") and len(year["Target"]) < 60  # the same length for any number of lines
    for rows in (evaluate_totals(workbook), sheet_rows(workbook, "Budget", data_only=True)):
        totals = budget_totals(rows)
        year = totals[(None, "2026/27", "CHF")]
        assert (year["Plans"], year["Target"], year["Actual"]) == (len(AREAS), want["target"], want["actual"])
        assert totals[("*", None, "CHF")]["Target"] == 1000  # not every area, as the pattern * would match
        assert totals[(">1", None, "CHF")]["Target"] == 1001
        assert totals[("'=A", None, "CHF")]["Target"] == 1002
        assert totals[("A", None, "CHF")]["Target"] == 1003 and totals[("A", None, "EUR")]["Target"] == 5
        assert totals[('"),HYPERLINK("http://x', None, "CHF")]["Target"] == 1004


@pytest.mark.e2e
@NO_SOFFICE
def test_libreoffice_evaluates_totals_past_255_areas(many_areas: tuple[Path, dict[str, float]], tmp_path: Path) -> None:
    workbook, want = many_areas
    totals = budget_totals(libreoffice_budget(workbook, tmp_path))
    year = totals[(None, "2026/27", "CHF")]
    assert (int(year["Plans"]), float(year["Target"]), float(year["Actual"])) == (len(AREAS), want["target"],
                                                                                  want["actual"])  # fmt: skip
    assert float(totals[("*", None, "CHF")]["Target"]) == 1000 and float(totals[(">1", None, "CHF")]["Target"]) == 1001
    assert totals[("A", None, "EUR")]["Actual"] is None  # no actual: empty, not 0


def test_tabs_and_carriage_returns_before_a_formula_are_guarded(make_repo, tmp_path: Path) -> None:
    """Tabs in a plan (a carriage return is a control-character error; spreadsheet_text guards it too)."""
    text = budget_plan("tabs", "AREA", "CHF", 100, None, None, "2027-03-31", "active")
    text = text.replace("business_area: AREA", 'business_area: "\\t=1+1"')
    text = text.replace("account: Example Account AG", 'account: "\\t=HYPERLINK(1)"')
    text = text.replace("    owner: kam@example.com", '    owner: "\\t@x"').replace(
        "    action: Run a specification workshop", '    action: "\\t+1"')  # fmt: skip
    repo = make_repo({"plans/tabs.md": text, "docs/index.md": "# x\n"}, mkdocs=MKDOCS)
    out = tmp_path / "tabs.xlsx"
    result = run(["export", "--format", "xlsx", "-o", str(out), "--today", TODAY], repo)
    assert result.exit_code == 0, result.output
    plan = sheet_rows(out, "Plans")[1]
    commitment = sheet_rows(out, "Commitments")[1]
    budget_cells = {r[0] for r in sheet_rows(out, "Budget")[1:] if r[0]}
    loaded = json.loads(run(["export", "--format", "json", "--today", TODAY], repo).output)["plans"][0]
    for got, raw in ((plan[1], loaded["account"]), (plan[5], loaded["business_area"]),
                     (commitment[3], loaded["commitments"][0]["action"]),
                     (commitment[4], loaded["commitments"][0]["owner"])):  # fmt: skip
        assert raw[0] in "\t\r=+@" and unescape(got) == "'" + raw, (got, raw)  # CR is stored as _x000D_
    assert {unescape(c) for c in budget_cells} == {"'" + loaded["business_area"], "All areas"}


def test_done_on_is_the_day_git_saw_the_commitment_done(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.write("mkdocs.yml", MKDOCS.replace("      git: false\n", ""))
    for when, statuses in (("2026-01-05T09:00:00+00:00", {}), ("2026-03-14T23:30:00+00:00", {"c-on-time": "done"})):
        git_repo.write("plans/p.md", history_plan(statuses))
        git_repo.commit(f"Update on {when}", when)
    git_repo.write("plans/p.md", history_plan({"c-on-time": "done", "c-early": "done"}))  # not committed yet
    out = tmp_path / "done.xlsx"
    assert run(["export", "--format", "xlsx", "-o", str(out), "--today", TODAY], git_repo.path).exit_code == 0
    rows = {r[2]: r for r in sheet_rows(out, "Commitments")[1:]}
    assert rows["c-on-time"][6:] == ("done", "obs-c-on-time", "no", datetime(2026, 3, 14))
    assert rows["c-late"][5:] == (datetime(2026, 4, 1), "open", "obs-c-late", "yes", None)
    assert rows["c-early"][6] == "done" and rows["c-early"][9] is None  # done only in the working tree


def _cells(path: Path) -> dict[str, list[tuple[object, str]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [(cell.value, cell.number_format) for row in sheet.iter_rows() for cell in row]
        for sheet in book.worksheets
    }


def test_a_streamed_workbook_has_the_same_cells(
    workbook: Path, workbook_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above STREAMED_ABOVE plans the rows are flushed as they are written (to bound the build's memory);
    the cells, formulas and number formats are those of the workbook made whole, and the bytes repeat."""
    import kamdocs.site.xlsx as xlsx

    monkeypatch.setattr(xlsx, "STREAMED_ABOVE", 0)
    streamed = [tmp_path / "streamed-1.xlsx", tmp_path / "streamed-2.xlsx"]
    for out in streamed:
        result = run(["export", "--format", "xlsx", "-o", str(out), "--today", TODAY], workbook_repo)
        assert result.exit_code == 0, result.output
    assert streamed[0].read_bytes() == streamed[1].read_bytes() != workbook.read_bytes()
    whole, flushed = _cells(workbook), _cells(streamed[0])
    assert list(whole) == list(flushed) == ["Plans", "Commitments", "Budget", "Plan fields"]
    assert whole == flushed
    assert any(isinstance(v, str) and v.startswith("=SUMIF(") for v, _ in flushed["Budget"])  # formulas kept
