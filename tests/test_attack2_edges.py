"""Edges found by the second attack round (issue 8): each test failed on the code before its fix.

Real repositories, real git, real file names and FIFOs, the installed command
in a subprocess (tests/commands.py), never mocks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .commands import ENV, MKDOCS, TODAY, mkdocs_build
from .conftest import GitRepo, plan_text

NON_UTF8 = sys.platform != "linux"
"""Linux file names are bytes; other systems may refuse names that are not valid Unicode."""


def _run(
    repo: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """kamdocs in a subprocess; file names are printed as the bytes on disk (as git and ls print them)."""
    return subprocess.run(
        [sys.executable, "-m", "kamdocs", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        errors="replace",
        env={**ENV, **(env or {})},
        timeout=timeout,
        check=False,
    )


def _status_json(repo: Path) -> dict:
    result = _run(repo, "status", "--format", "json", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _repo_with_plans(path: Path, plans: dict[str, str]) -> GitRepo:
    repo = GitRepo(path)
    repo.write("mkdocs.yml", MKDOCS.replace("git: false", "git: true"))
    repo.write("docs/index.md", "# Plans\n")
    for name, text in plans.items():
        repo.write(name, text)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "plans", when="2026-10-02T12:00:00+00:00")
    return repo


@pytest.mark.skipif(NON_UTF8, reason="needs a file system that takes any bytes in file names (Linux)")
@pytest.mark.parametrize("folder", [b"root\xff", b"caf\xe9", b"\xfe\xfe-plans"])
def test_a_repository_in_a_folder_whose_name_is_not_utf8(tmp_path: Path, folder: bytes) -> None:
    repo = _repo_with_plans(tmp_path / os.fsdecode(folder), {"plans/acme.md": plan_text("acme")})
    for args in (["status", "--today", TODAY], ["diff"], ["export", "--format", "json", "--today", TODAY]):
        result = _run(repo.path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "internal error" not in result.stderr
    status = _status_json(repo.path)
    assert [p["last_change"] for p in status["plans"]] == ["2026-10-02"]
    build = mkdocs_build(repo.path)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr


@pytest.mark.skipif(NON_UTF8, reason="needs a file system that takes any bytes in file names (Linux)")
@pytest.mark.parametrize("sub", [b"sub\xff", b"caf\xe9", b"\x80\x81"])
def test_a_plan_in_a_folder_whose_name_is_not_utf8_keeps_its_history_and_diffs(tmp_path: Path, sub: bytes) -> None:
    plan = "plans/" + os.fsdecode(sub) + "/acme.md"
    repo = _repo_with_plans(tmp_path / "repo", {plan: plan_text("acme")})
    status = _status_json(repo.path)
    # Decoded with U+FFFD, the path named no file on disk, so the plan lost its last change.
    assert [p["last_change"] for p in status["plans"]] == ["2026-10-02"]
    repo.write(plan, plan_text("acme", **{"unit: CHF": "unit: EUR"}))
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "in euro", when="2026-10-03T12:00:00+00:00")
    repo.write(plan, plan_text("acme", **{"unit: CHF": "unit: USD"}))
    expected = {
        ("diff", "HEAD~1", "HEAD"): "500,000 CHF \u2192 500,000 EUR",
        ("diff", "HEAD~1"): "500,000 CHF \u2192 500,000 USD",
        ("diff",): "500,000 EUR \u2192 500,000 USD",
        ("diff", "HEAD~1", "--format", "json"): '"new": "500000 USD"',
    }
    for args, change in expected.items():
        result = _run(repo.path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "internal error" not in result.stderr
        assert change in result.stdout, (args, result.stdout)


HOSTILE_FOLDERS = [
    "x\n::error file=evil.md,line=1::from-a-folder\n",
    "y\r\n::warning::crlf\r\n",
    "z\u2028::notice::ls\u0085::notice::nel",
]


def _finding_lines(output: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if line and not line.startswith(("    ", "Checked ", "::notice title=kamdocs::"))
    ]


def test_file_names_and_values_with_line_breaks_never_start_a_log_line(tmp_path: Path) -> None:
    """A plan folder or id holding a line break must not forge a workflow command or split a finding line."""
    plans = {
        f"plans/a{i:02}/a{i:02}.md": plan_text(f"a{i:02}", **{"interval: quarterly": "interval: quartely"})
        for i in range(11)
    }
    for n, folder in enumerate(HOSTILE_FOLDERS):
        plans[f"plans/{folder}/h{n}.md"] = plan_text(f"h{n}", **{"interval: quarterly": "interval: quartely"})
    plans["plans/idnl.md"] = plan_text("idnl", **{"id: idnl": 'id: "a\\n::error file=evil2.md::from-an-id\\r\\nb"'})
    repo = _repo_with_plans(tmp_path / "repo", plans)
    for fmt in ("text", "github"):
        result = _run(repo.path, "check", "--format", fmt, "--no-freshness")
        assert result.returncode == 1, result.stderr
        lines = _finding_lines(result.stdout)
        if fmt == "text":
            assert all(line.startswith("plans/") for line in lines), lines
        else:
            # 10 annotations, then every other finding on one plain line that names its file.
            assert all(line.startswith(("::error file=plans/", "plans/")) for line in lines), lines
            assert sum(line.startswith("plans/") for line in lines) >= 5, lines
        assert "plans/x\\n::error file=evil.md,line=1::from-a-folder\\n/h0.md:8:13:" in result.stdout
        assert "plans/z\\u2028::notice::ls\\x85::notice::nel/h2.md" in result.stdout
        assert "found 'a\\n::error file=evil2.md::from-an-id\\r\\nb'" in result.stdout


def test_the_job_summary_never_blocks_and_a_failure_names_the_file(tmp_path: Path) -> None:
    repo = _repo_with_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    targets = {
        str(tmp_path / "fifo"): "No such device or address",  # a pipe nobody reads: an error, not a hang
        str(tmp_path / "folder"): "Is a directory",
        str(tmp_path / "missing" / "summary.md"): "No such file or directory",
    }
    if Path("/dev/full").exists():
        targets["/dev/full"] = "No space left on device"  # the OS message alone names no file
    for target, reason in targets.items():
        env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": target}
        result = _run(repo.path, "check", "--no-freshness", env=env, timeout=20)
        assert result.returncode == 1, (target, result.stderr)
        assert result.stderr == f"kamdocs: error: {target}: {reason}\n", result.stderr
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert _run(repo.path, "check", "--no-freshness", env=env).returncode == 0
    assert summary.read_text(encoding="utf-8").startswith("earlier step\n### kamdocs check\n")


@pytest.mark.parametrize(
    ("enabled", "env", "note"),
    [
        ("false", {}, True),
        ("true", {}, False),
        ("!ENV [KAMDOCS_ON, false]", {}, True),
        ("!ENV KAMDOCS_ON", {"KAMDOCS_ON": "true"}, False),
    ],
)
def test_mkdocs_own_enabled_switch_is_an_option_the_cli_knows(
    tmp_path: Path, enabled: str, env: dict[str, str], note: bool
) -> None:
    """MkDocs accepts ``enabled`` for every plugin; the CLI must not call it unknown (exit 2)."""
    repo = _repo_with_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    repo.write("mkdocs.yml", MKDOCS.replace("      git: false\n", f"      git: false\n      enabled: {enabled}\n"))
    result = _run(repo.path, "check", "--no-freshness", env=env)
    assert result.returncode == 0, result.stderr
    assert ("the kamdocs plugin is disabled" in result.stderr) is note, result.stderr
    if not env:  # the build helper runs with the shared environment only
        build = mkdocs_build(repo.path)
        assert build.returncode == 0, build.stderr


@pytest.mark.parametrize("value", ["'no'", "0", "off-ish", "[false]"])
def test_an_enabled_switch_that_is_not_a_boolean_is_refused_as_mkdocs_refuses_it(tmp_path: Path, value: str) -> None:
    repo = _repo_with_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    repo.write("mkdocs.yml", MKDOCS.replace("      git: false\n", f"      git: false\n      enabled: {value}\n"))
    result = _run(repo.path, "check", "--no-freshness")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        "kamdocs: error: mkdocs.yml: plugins.kamdocs.enabled: expected true or false, found "
    )
    assert mkdocs_build(repo.path).returncode == 1


def _inherit_repo(tmp_path: Path, child: str, parent: str | None) -> Path:
    repo = _repo_with_plans(tmp_path / "repo", {})
    repo.write("accounts/acme.md", plan_text("acme"))
    repo.write("mkdocs.yml", child)
    if parent is not None:
        repo.write("base/parent.yml", parent)
    return repo.path


PARENT = MKDOCS.replace("site_name: Plans", "site_name: Parent").replace(
    "git: false", "git: false\n      plans_dir: accounts"
)


@pytest.mark.parametrize(
    "child",
    [
        "INHERIT: base/parent.yml\n",
        "INHERIT: base/parent.yml\nsite_name: Child\n",
        "INHERIT: ./base/../base/parent.yml\ntheme:\n  name: material\n  font: false\n",
    ],
)
def test_check_reads_the_settings_mkdocs_yml_inherits(tmp_path: Path, child: str) -> None:
    """MkDocs builds with the INHERIT file's plugin entry; check must not fall back to the defaults."""
    repo = _inherit_repo(tmp_path, child, PARENT)
    result = _run(repo, "check", "--no-freshness")
    assert result.returncode == 0, result.stderr
    assert "default settings are in use" not in result.stderr
    assert "Checked 1 plan: 0 errors" in result.stdout
    assert mkdocs_build(repo).returncode == 0


@pytest.mark.parametrize(
    ("child", "parent", "message"),
    [
        ("INHERIT: base/parent.yml\n", "INHERIT: ../mkdocs.yml\n", "does not inherit from itself"),
        ("INHERIT: mkdocs.yml\nsite_name: x\n", None, "does not inherit from itself"),
        ("INHERIT: missing.yml\nsite_name: x\n", None, "INHERIT: missing.yml not found"),
        ("INHERIT: [a]\nsite_name: x\n", None, "INHERIT: expected the name of a YAML file, found ['a']"),
        (
            "INHERIT: base/parent.yml\n",
            "- a list\n",
            "expected a mapping at the top level of base/parent.yml, found list",
        ),
    ],
)
def test_a_broken_inherit_is_a_configuration_error(
    tmp_path: Path, child: str, parent: str | None, message: str | None
) -> None:
    repo = _inherit_repo(tmp_path, child, parent)
    result = _run(repo, "check", "--no-freshness", timeout=20)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("kamdocs: error: "), result.stderr
    assert len(result.stderr.splitlines()) == 1
    if message:
        assert message in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["status"],
        ["export", "--format", "json"],
        ["review", "acme"],
        ["new", "beta", "--kind", "one-page", "--account", "B", "--owner", "o@example.com", "--area", "Lab"],
        ["init", "fresh"],
    ],
)
def test_an_empty_today_is_a_usage_error_not_the_default(tmp_path: Path, args: list[str]) -> None:
    """``--today "$DAY"`` with DAY unset must not judge or write plans on the real date."""
    repo = _repo_with_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    before = sorted(p.relative_to(repo.path) for p in repo.path.rglob("*") if ".git" not in p.parts)
    result = _run(repo.path, *args, "--today", "")
    assert result.returncode == 2, result.stderr
    assert result.stderr == "kamdocs: error: --today: expected a date YYYY-MM-DD, found ''\n"
    assert sorted(p.relative_to(repo.path) for p in repo.path.rglob("*") if ".git" not in p.parts) == before


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["export", "--format", "json", "-o", "plans/acme.md"], "-o"),
        (["export", "--format", "csv", "-o", "plans/../plans/acme.md"], "-o"),
        (["export", "--format", "ics", "-o", "link-to-plan.md"], "-o"),
        (["codeowners", "--file", "plans/acme.md"], "--file"),
        (["codeowners", "--file", "link-to-plan.md"], "--file"),
    ],
)
def test_export_and_codeowners_never_write_into_a_plan(tmp_path: Path, args: list[str], option: str) -> None:
    """Only new, review and rollover change a plan file; an output path that is a plan is a usage error."""
    repo = _repo_with_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    (repo.path / "link-to-plan.md").symlink_to("plans/acme.md")
    before = (repo.path / "plans" / "acme.md").read_bytes()
    result = _run(repo.path, *args, "--today", TODAY) if args[0] == "export" else _run(repo.path, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"kamdocs: error: {option}: expected a file that is not a plan, found the plan ")
    assert (repo.path / "plans" / "acme.md").read_bytes() == before
    assert (repo.path / "link-to-plan.md").is_symlink()


@pytest.mark.parametrize("outside", ["elsewhere", "elsewhere/deeper"])
def test_new_refuses_a_plans_folder_that_leads_out_of_the_repository(tmp_path: Path, outside: str) -> None:
    """review refuses to edit through such a link, and check calls such plans symlink-outside; new must not write there."""
    repo = _repo_with_plans(tmp_path / "repo", {"docs/placeholder.md": "x\n"})
    (tmp_path / outside).mkdir(parents=True)
    assert not (repo.path / "plans").exists()
    (repo.path / "plans").symlink_to(tmp_path / outside)
    args = ["new", "beta", "--kind", "one-page", "--account", "B", "--owner", "o@example.com", "--area", "Lab"]
    result = _run(repo.path, *args, "--today", TODAY)
    assert result.returncode == 1, result.stderr
    assert "outside the repository" in result.stderr and len(result.stderr.splitlines()) == 1
    assert list((tmp_path / outside).iterdir()) == []
