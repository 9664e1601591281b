"""``kamdocs review`` and ``rollover`` on plans as the form editor (Decap CMS) saves them.

tests/editor-files/ holds two files captured from tests/test_editor_saves.py: a new one-page plan
with no body and a text Decap folded over two lines, and a sample plan after one commitment was
marked done, its flow lists rewritten as block lists and its goal folded. kamdocs' own editors
change only the bytes they must in them, and what they leave passes ``kamdocs check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import ROOT, run

FORM_FILES = ROOT / "tests" / "editor-files"
TODAY = "2026-11-25"


def plans_repo(tmp_path: Path, *names: str) -> Path:
    """A repository with this repository's mkdocs.yml and the named form-written plans."""
    (tmp_path / "plans").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for name in names:
        shutil.copy(FORM_FILES / name, tmp_path / "plans" / name)
    return tmp_path


def replaced(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each ``(old, new)`` made once; each old text must be there exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def check_clean(repo: Path, name: str) -> None:
    result = run(["check", "--today", TODAY, f"plans/{name}"], repo)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_review_changes_only_the_date_in_a_plan_the_form_rewrote(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path, "novaris-pharma.md")
    before = (repo / "plans" / "novaris-pharma.md").read_text(encoding="utf-8")
    result = run(["review", "plans/novaris-pharma.md", "--date", "2026-11-24", "--today", TODAY], repo)
    assert result.exit_code == 0, result.output
    after = (repo / "plans" / "novaris-pharma.md").read_text(encoding="utf-8")
    assert after == replaced(before, ("  last_reviewed: 2026-10-15\n", "  last_reviewed: 2026-11-24\n"))
    check_clean(repo, "novaris-pharma.md")


def test_review_of_a_new_plan_without_a_body(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path, "acme.md")
    before = (repo / "plans" / "acme.md").read_text(encoding="utf-8")
    assert before.endswith("      - obs-old-spec\n---\n")  # the form wrote no body, not even an empty line
    result = run(
        ["review", "plans/acme.md", "--date", "2026-11-24", "--reviewer", "@anna-meier", "--today", TODAY], repo
    )
    assert result.exit_code == 0, result.output
    after = (repo / "plans" / "acme.md").read_text(encoding="utf-8")
    assert after == replaced(
        before,
        ("  last_reviewed: 2026-11-20\n", "  last_reviewed: 2026-11-24\n"),
        # kamdocs quotes in single quotes where the form quotes in double ones: YAML reads both alike.
        ("  reviewer: bam@example.com\n", "  reviewer: '@anna-meier'\n"),
    )
    check_clean(repo, "acme.md")


def test_rollover_removes_a_folded_commitment_whole_and_notes_it_after_an_empty_body(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path, "acme.md")
    path = repo / "plans" / "acme.md"
    # The template was sent: its status set to done (as the form would write it: one line).
    form_written = replaced(path.read_text(encoding="utf-8"), ("    status: in-progress\n", "    status: done\n"))
    path.write_text(form_written, encoding="utf-8")
    result = run(
        ["rollover", "plans/acme.md", "--period-start", "2028-01-01", "--period-end", "2028-12-31", "--today", TODAY],
        repo,
    )
    assert result.exit_code == 0, result.output
    removed = (
        "  - id: c-template\n"
        "    action: Send Acme engineering a specification template that names our part\n"
        "      number for each tank size\n"
        "    owner: product.team@example.com\n"
        "    due: 2027-03-31\n"
        "    status: done\n"
        "    resolves:\n"
        "      - obs-old-spec\n"
    )
    note = (
        "\nCarried over from the period 2027-01-01 to 2027-12-31. Closed in that period:\n\n"
        "- c-template (done): Send Acme engineering a specification template that names our part number for each"
        " tank size\n"
    )
    assert path.read_text(encoding="utf-8") == replaced(
        form_written,
        ("    start: 2027-01-01\n    end: 2027-12-31\n", "    start: 2028-01-01\n    end: 2028-12-31\n"),
        (removed, ""),
        ("      - obs-old-spec\n---\n", "      - obs-old-spec\n---\n" + note),
    )
    check_clean(repo, "acme.md")


def test_rollover_of_a_sample_plan_the_form_rewrote(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path, "novaris-pharma.md")
    path = repo / "plans" / "novaris-pharma.md"
    before = path.read_text(encoding="utf-8")
    args = ["rollover", "plans/novaris-pharma.md", "--period-start", "2028-01-01", "--period-end", "2028-12-31"]
    # c-qa-resident, marked done in the form, is the only answer to obs-qa-capacity: refused, unless --force.
    refused = run([*args, "--today", TODAY], repo)
    assert refused.exit_code == 1
    assert path.read_text(encoding="utf-8") == before
    result = run([*args, "--force", "--today", TODAY], repo)
    assert result.exit_code == 0, result.output
    removed = (
        "  - id: c-qa-resident\n"
        "    action: Second a validation engineer to Novaris QA for six weeks\n"
        "    owner: tom.huber@example.com\n"
        "    due: 2027-01-31\n"
        "    status: done\n"
        "    resolves:\n"
        "      - obs-qa-capacity\n"
    )
    note = (
        "\nCarried over from the period 2027-01-01 to 2027-12-31. Closed in that period:\n\n"
        "- c-qa-resident (done): Second a validation engineer to Novaris QA for six weeks\n"
    )
    assert path.read_text(encoding="utf-8") == replaced(
        before,
        ("  actual: 1320000\n", ""),
        ("    start: 2027-01-01\n    end: 2027-12-31\n", "    start: 2028-01-01\n    end: 2028-12-31\n"),
        (removed, ""),
        ("not price.\n", "not price.\n" + note),
    )
    check_clean(repo, "novaris-pharma.md")
