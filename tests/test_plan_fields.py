"""plans.xlsx's "Plan fields" sheet gives the plans back: exported, read and written again, ``kamdocs diff`` finds
nothing changed; the confidential parts never reach it; what a spreadsheet does to cells changes nothing.

The sheet is read with openpyxl, as ``kamdocs import`` reads it, and the rows named here are written by hand."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook

from kamdocs.edit.plan_fields import SHEET, FieldsProblem, plan_texts, read_sheet

from .conftest import ROOT, GitRepo, plan_text, run

TODAY = "2026-11-02"
LONG_BODY = "\n## Notes\n\n" + "".join(f"Line {n}: 'quoted', =SUM(A1), Zürich “Ω” — ok\n" for n in range(400))
HOSTILE = plan_text(
    "hostile",
    **{
        "account: Example Account AG": "account: \"'Quoted' & Co\"\ncrm_id: '2027-01-01 10:00:00'\n"
        "tags: ['+41 44', '=1+1', '@sum', '-minus']\nx-note.v2:\n  a: [1, 2.5, true, null]\n  b: '2027-02-30'",
        "statement: Grow order intake to CHF 500k": "statement: '=HYPERLINK(\"http://x\") grow'",
        "\nBody text.\n": "\nBody text.\n" + LONG_BODY,
    },
)
SECRET = plan_text(
    "secret-parts",
    **{
        "kind: one-page": "kind: one-page\nconfidential_fields: [goal.target]",
        "target: 500000": "target: 987654321",
    },
)


def export(repo: Path, out: Path, *options: str) -> Path:
    workbook = out / "plans.xlsx"
    result = run(["export", "--format", "xlsx", "--today", TODAY, "-o", str(workbook), *options], repo)
    assert result.exit_code == 0, result.output
    return workbook


def exported_rows(repo: Path, out: Path, *options: str) -> list[tuple]:
    book = load_workbook(export(repo, out, *options), read_only=True, data_only=True)
    return list(book[SHEET].iter_rows(values_only=True))


@pytest.fixture
def plans_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(ROOT / "plans", repo.path / "plans")
    shutil.copy(ROOT / "mkdocs.yml", repo.path / "mkdocs.yml")
    repo.write("plans/hostile.md", HOSTILE)
    repo.write("plans/secret-parts.md", SECRET)
    repo.commit("plans", "2026-10-01T09:00:00+00:00")
    return repo


def imported(workbook: Path, into: Path) -> Result:
    """``kamdocs import`` of ``workbook`` into a new repository at ``into``: the same mkdocs.yml, no plans."""
    (into / "plans").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", into / "mkdocs.yml")
    return run(["import", str(workbook), "--today", TODAY], into)


def replace_plans(repo: GitRepo, source: Path) -> None:
    """The plans in ``source`` in place of the repository's own, file for file."""
    for path in sorted((source / "plans").glob("*.md")):
        (repo.path / "plans" / path.name).write_bytes(path.read_bytes())


def test_the_sheet_holds_each_value_with_its_type_and_guards_formulas(plans_repo: GitRepo, tmp_path: Path) -> None:
    rows = exported_rows(plans_repo.path, tmp_path)
    assert rows[0] == ("Plan", "File", "Field", "Type", "Value")
    hostile = {r[2]: (r[3], r[4]) for r in rows if r[0] == "hostile" and r[2] != "(body)"}
    assert {r[1] for r in rows if r[0] == "hostile"} == {"hostile.md"}  # inside the plans folder
    assert hostile["goal.target"] == ("number", 500000)
    assert hostile["commitments[0].status"] == ("text", "open")
    assert hostile["commitments[0].resolves[0]"] == ("text", "obs-a")
    assert hostile["success_factors[0].conditions[0].obstacles[0].id"] == ("text", "obs-a")
    assert hostile["account"] == ("text", "''Quoted' & Co")  # an apostrophe in front of one the text starts with
    assert hostile["goal.statement"] == ("text", '\'=HYPERLINK("http://x") grow')
    assert [hostile[f"tags[{n}]"][1] for n in range(4)] == ["'+41 44", "'=1+1", "'@sum", "'-minus"]
    assert hostile["x-note\\.v2.a[2]"] == ("boolean", True)
    assert hostile["x-note\\.v2.a[3]"] == ("null", None)
    assert hostile["x-note\\.v2.b"] == ("text", "2027-02-30")  # no such day: text, not a date cell
    assert hostile["review.last_reviewed"][1].date().isoformat() == "2026-10-01"  # a date cell
    assert hostile["crm_id"] == ("text", "2027-01-01 10:00:00")
    body = "".join(r[4] for r in rows if r[0] == "hostile" and r[2] == "(body)")
    assert body == "\nBody text.\n" + LONG_BODY
    assert sum(r[0] == "hostile" and r[2] == "(body)" for r in rows) == 3  # 17,000-odd characters, 8,000 a cell


def test_exported_and_imported_the_plans_have_no_change(plans_repo: GitRepo, tmp_path: Path) -> None:
    workbook = export(plans_repo.path, tmp_path, "--include-confidential")
    result = imported(workbook, tmp_path / "new")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "new" / "plans").iterdir())
    assert written == sorted(p.name for p in (plans_repo.path / "plans").iterdir())
    assert run(["check", "plans", "--today", TODAY], tmp_path / "new").exit_code == 0
    replace_plans(plans_repo, tmp_path / "new")
    plans_repo.commit("read back", "2026-10-02T09:00:00+00:00")
    assert "plans/hostile.md" in plans_repo.git("diff", "--name-only", "HEAD~1", "HEAD")  # rewritten, same meaning
    diff = run(["diff", "HEAD~1", "HEAD", "--format", "json", "--today", TODAY], plans_repo.path)
    assert diff.exit_code == 0, diff.output
    assert json.loads(diff.output)["plans"] == []
    text = (tmp_path / "new" / "plans" / "hostile.md").read_text(encoding="utf-8")
    assert "crm_id: '2027-01-01 10:00:00'\n" in text  # YAML would read a timestamp
    assert "  last_reviewed: 2026-10-01\n" in text  # a date written plain, as people write it
    assert "target: 987654321" in (tmp_path / "new" / "plans" / "secret-parts.md").read_text(encoding="utf-8")


def test_a_confidential_part_never_reaches_the_sheet(plans_repo: GitRepo, tmp_path: Path) -> None:
    rows = exported_rows(plans_repo.path, tmp_path)
    secret = {r[2]: r[4] for r in rows if r[0] == "secret-parts"}
    assert "goal.target" not in secret and secret["goal.unit"] == "CHF"
    assert all("987654321" not in str(cell) for row in rows for cell in row)
    assert (tmp_path / "plans.xlsx").read_bytes().find(b"987654321") == -1
    text = dict(plan_texts(rows))["secret-parts.md"]
    assert "target:" not in text and "confidential_fields:\n  - goal.target\n" in text
    # Imported, the plan without its target is reported and not written; the others are.
    result = imported(tmp_path / "plans.xlsx", tmp_path / "new")
    assert result.exit_code == 1
    assert "secret-parts.md" in result.output and "target" in result.output
    assert not (tmp_path / "new" / "plans" / "secret-parts.md").exists()
    assert (tmp_path / "new" / "plans" / "hostile.md").exists()


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_again_by_libreoffice_gives_the_same_plans(plans_repo: GitRepo, tmp_path: Path) -> None:
    workbook = export(plans_repo.path, tmp_path, "--include-confidential")
    saved = tmp_path / "saved"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(workbook)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert saved.joinpath("plans.xlsx").read_bytes() != workbook.read_bytes()  # LibreOffice's own file
    done = imported(saved / "plans.xlsx", tmp_path / "new")
    assert done.exit_code == 0, done.output
    replace_plans(plans_repo, tmp_path / "new")
    plans_repo.commit("saved by LibreOffice", "2026-10-02T09:00:00+00:00")
    diff = run(["diff", "HEAD~1", "HEAD", "--today", TODAY], plans_repo.path)
    assert diff.exit_code == 0, diff.output
    assert diff.output == "No plan changed in business terms.\n"


def test_a_plan_with_a_row_that_cannot_be_read_is_left_out_and_the_others_come_back() -> None:
    header = ("Plan", "File", "Field", "Type", "Value")
    rows = [header, ("a", "a.md", "id", "text", "a"), ("a", "a.md", "goal.target", "number", "1.250.000"),
            ("b", "b.md", "id", "text", "b"), ("b", "b.md", "goal.target", "number", " 1250000 "),
            ("b", "b.md", "goal.actual", "number", "-3.5")]  # fmt: skip
    texts, problems = read_sheet(rows)
    assert texts == [("b.md", "---\nid: b\ngoal:\n  target: 1250000\n  actual: -3.5\n---\n")]
    assert [(p.file, p.row, p.column) for p in problems] == [("a.md", 3, "E")]
    assert "found '1.250.000'" in problems[0].message and "1250000" in problems[0].hint


def test_a_value_emptied_in_a_spreadsheet_is_left_out_and_blank_text_kept() -> None:
    header = ("Plan", "File", "Field", "Type", "Value")
    rows = [header, ("a", "a.md", "id", "text", "a"), ("a", "a.md", "region", "text", None),
            ("a", "a.md", "x-blank", "text", "' "), ("a", "a.md", "x-empty", "text", "'"),
            ("a", "a.md", "(body)", "text", "'\n")]  # fmt: skip
    ((file, text),) = plan_texts(rows)
    assert file == "a.md"
    assert text == "---\nid: a\nx-blank: ' '\nx-empty: ''\n---\n\n"


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        ([("Plan", "File", "Value")], 1, "A", "expected the header Plan, File, Field, Type, Value"),
        ([("Plan", "File", "Field", "Type", "Value"), ("a", "", "id", "text", "a")], 2, "B", "the plan's file"),
        ([("Plan", "File", "Field", "Type", "Value"), ("a", "plans/a.md", "goal..x", "text", "a")], 2, "C", "goal..x"),
        ([("Plan", "File", "Field", "Type", "Value"), ("a", "plans/a.md", "tags[1]", "text", "a")], 2, "C", "item 1"),
        ([("Plan", "File", "Field", "Type", "Value"), ("a", "plans/a.md", "goal.target", "number", "lots")], 2, "E",
         "expected a number"),
        ([("Plan", "File", "Field", "Type", "Value"), ("a", "plans/a.md", "x", "colour", "red")], 2, "E",
         "expected a colour"),
        ([("Plan", "File", "Field", "Type", "Value"), ("a", "plans/a.md", "id", "text", "a"),
          ("a", "plans/a.md", "id", "text", "b")], 3, "C", "each field once"),
        ([("Plan", "File", "Field", "Type", "Value"), ("a", "plans/a.md", "goal.x", "text", "a"),
          ("a", "plans/a.md", "goal[0]", "text", "b")], 3, "C", "expected a key"),
    ],
)  # fmt: skip
def test_a_row_that_cannot_be_read_is_named_by_its_cell(rows: list[tuple], row: int, column: str, words: str) -> None:
    with pytest.raises(FieldsProblem) as problem:
        plan_texts(rows)
    assert (problem.value.row, problem.value.column) == (row, column)
    assert words in problem.value.message and problem.value.hint


def test_an_edited_workbook_with_one_unreadable_value_gives_back_every_other_plan(
    plans_repo: GitRepo, tmp_path: Path
) -> None:
    workbook = export(plans_repo.path, tmp_path, "--include-confidential")
    book = load_workbook(workbook)
    sheet = book[SHEET]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "hostile" and r[2].value == "goal.target")
    row[4].value = "1.250.000"  # a Swiss reader's figure, typed over the number as text
    book.save(workbook)
    result = imported(workbook, tmp_path / "new")
    assert result.exit_code == 1
    assert f"Plan fields!E{row[4].row} (hostile.md, left out)" in result.output
    assert "found '1.250.000'" in result.output
    written = sorted(p.name for p in (tmp_path / "new" / "plans").iterdir())
    assert written == sorted(p.name for p in (plans_repo.path / "plans").iterdir() if p.name != "hostile.md")


@pytest.mark.parametrize("folder", ["plans", "./plans", "plans/", ""])
def test_the_file_column_names_the_plan_inside_the_plans_folder_however_it_is_configured(folder: str) -> None:
    from kamdocs.edit.plan_fields import field_rows
    from kamdocs.plan.loader import parse_bytes
    from kamdocs.plan.model import plan_from_data

    source = parse_bytes(plan_text("team-a-acme").encode(), "plans/team-a/acme.md").source
    plan = plan_from_data(source.data, "plans/team-a/acme.md", source.body)
    want = "plans/team-a/acme.md" if folder == "" else "team-a/acme.md"
    assert {row.file for row in field_rows(plan, folder)} == {want}
