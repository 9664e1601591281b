"""One error base class: every problem kamdocs reports in a line is a KamdocsError with its exit code,
caught once in the CLI (and once in the plugin); dates and RULE=LEVEL are read by click parameter types."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kamdocs.calendar.clock import ClockError
from kamdocs.cli import KamdocsGroup, main
from kamdocs.cli.console import Reported
from kamdocs.config import ConfigError
from kamdocs.edit.text import EditError
from kamdocs.errors import KamdocsError, UsageError
from kamdocs.history.revisions import RevisionError
from kamdocs.site.embeds import EmbedError
from kamdocs.site.engines import EngineError
from kamdocs.site.output_folder import RenderError

from .conftest import ROOT, plan_text, run


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ConfigError, 2),
        (ClockError, 2),
        (RevisionError, 2),
        (EditError, 1),
        (RenderError, 1),
        (EngineError, 1),
        (EmbedError, 1),
    ],
)
def test_every_reported_error_is_a_kamdocs_error_with_its_exit_code(error: type, code: int) -> None:
    assert issubclass(error, KamdocsError)
    assert error.exit_code == code
    assert issubclass(error, UsageError) == (code == 2)


def test_the_cli_catches_them_once() -> None:
    """Command bodies do not catch kamdocs' own errors to print them: KamdocsGroup does."""
    names = {"ConfigError", "ClockError", "RenderError", "EngineError", "EditError", "KamdocsError"}
    caught = [
        f"{path.name}:{node.lineno}"
        for path in sorted((ROOT / "kamdocs" / "cli").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ExceptHandler)
        and node.type is not None
        and names & {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
    ]
    assert len(caught) == 2, caught  # KamdocsGroup.invoke, and serve's loop, which keeps serving after a bad round


def _calls(path: Path) -> list[tuple[int, str]]:
    """Each call in a module, as the dotted name it is called by (``sys.exit``, ``click.exceptions.Exit``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            parts, func = [], node.func
            while isinstance(func, ast.Attribute):
                parts.append(func.attr)
                func = func.value
            if isinstance(func, ast.Name):
                parts.append(func.id)
            found.append((node.lineno, ".".join(reversed(parts))))
    return found


def test_commands_raise_and_never_exit_by_hand() -> None:
    """One error channel: a command raises (KamdocsError, UsageError, Reported); only KamdocsGroup turns
    that into a line and an exit code. No command calls sys.exit or makes click's Exit itself."""
    exits = {"sys.exit", "exit", "os._exit", "Exit", "click.exceptions.Exit", "ctx.exit", "click.get_current_context"}
    by_hand = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in sorted((ROOT / "kamdocs" / "cli").glob("*.py"))
        if path.name != "__init__.py"
        for line, name in _calls(path)
        if name in exits
    ]
    assert not by_hand, "\n".join(by_hand)
    group = {name for _, name in _calls(ROOT / "kamdocs" / "cli" / "__init__.py")}
    assert "click.exceptions.Exit" in group  # the check above looks for the right spelling


def _group_raising(error: Exception) -> click.Group:
    @click.group(cls=KamdocsGroup)
    @click.option("--debug", is_flag=True)
    def group(debug: bool) -> None:
        pass

    @group.command("stop")
    def stop() -> None:
        raise error

    return group


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_reported_stop_prints_its_lines_as_they_are_and_exits_with_its_code(debug: list[str]) -> None:
    """The lines keep their breaks (each finding of a stopped render on its own line), control characters
    are escaped as on every line, and --debug has no traceback to show for it."""
    lines = "kamdocs: error: 1 error in the plans:\n  plans/a\x1b[2J.md:3:1: error[schema] expected a date"
    result = CliRunner().invoke(_group_raising(Reported(lines)), [*debug, "stop"])
    assert (result.exit_code, result.stderr, result.stdout) == (
        1,
        "kamdocs: error: 1 error in the plans:\n  plans/a\\x1b[2J.md:3:1: error[schema] expected a date\n",
        "",
    )
    quiet = CliRunner().invoke(_group_raising(Reported(exit_code=4)), [*debug, "stop"])
    assert (quiet.exit_code, quiet.stderr) == (4, "")


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (UsageError("--from: expected\na date"), 2, "kamdocs: error: --from: expected\\na date\n"),
        (KamdocsError("plans/x\ty.md: a link"), 1, "kamdocs: error: plans/x\\ty.md: a link\n"),
    ],
)
def test_a_raised_error_is_one_line_with_its_code(error: KamdocsError, code: int, line: str) -> None:
    """What a command raises in place of printing and exiting: one line, whatever the message holds."""
    result = CliRunner().invoke(_group_raising(error), ["stop"])
    assert (result.exit_code, result.stderr) == (code, line)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--today", ""], "--today: expected a date YYYY-MM-DD, found ''"),
        (["status", "--today", "2026-02-30"], "--today: expected a date YYYY-MM-DD, found '2026-02-30'"),
        (["scorecard", "--from", "2026-13-01", "--to", "2026-12-31"], "--from: expected a date YYYY-MM-DD"),
        (["review", "a", "--date", "01/02/2026"], "--date: expected a date YYYY-MM-DD, found '01/02/2026'"),
        (["check", "--severity", "nonsense"], "--severity: expected RULE=error or RULE=warning, found 'nonsense'"),
        (["check", "--severity", "no-such-rule=error"], "--severity"),
        (["diff", "no-such-revision"], "not in a git repository"),
    ],
)
def test_a_bad_value_is_one_line_and_exit_2(make_repo, args: list[str], message: str) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    result = run(args, repo)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.count("\n") <= 2


def test_an_edit_that_cannot_be_made_is_exit_1(make_repo: object, tmp_path: Path) -> None:
    text = plan_text("a").replace("  last_reviewed: 2026-10-01\n", "  last_reviewed: &x 2026-10-01\n")
    repo = make_repo({"plans/a.md": text})  # type: ignore[operator]
    result = run(["review", "a", "--force", "--today", "2026-11-01"], repo)
    assert result.exit_code == 1
    assert "kamdocs: error:" in result.output and "Traceback" not in result.output


def _group_with(callback) -> click.Group:
    """A group of the same class as kamdocs' own, with one command that fails as given."""

    @click.group(cls=KamdocsGroup)
    @click.option("--debug", is_flag=True)
    def group(debug: bool) -> None:
        pass

    group.command("boom")(callback)
    return group


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (KeyError("goal"), "KeyError: 'goal'"),
        (ValueError("year 10000 is out of range"), "ValueError: year 10000 is out of range"),
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum recursion depth exceeded"),
        (AssertionError("two\nlines"), "AssertionError: two\\nlines"),
        (ZeroDivisionError(), "ZeroDivisionError"),
    ],
)
def test_an_unexpected_exception_is_one_line_and_exit_3(error: Exception, line: str) -> None:
    def boom() -> None:
        raise error

    runner = CliRunner()
    result = runner.invoke(_group_with(boom), ["boom"])
    assert result.exit_code == 3
    assert result.stderr == f"kamdocs: internal error: {line} — run with --debug for the traceback\n"
    debug = runner.invoke(_group_with(boom), ["--debug", "boom"])
    assert debug.exception is error  # the traceback is shown, not swallowed


def test_usage_errors_exits_and_file_errors_keep_their_codes(tmp_path: Path) -> None:
    def usage() -> None:
        raise click.UsageError("bad option")

    def exits() -> None:
        raise SystemExit(1)

    def file_error() -> None:
        open(tmp_path / "missing" / "x")  # noqa: SIM115

    runner = CliRunner()
    assert runner.invoke(_group_with(usage), ["boom"]).exit_code == 2
    assert runner.invoke(_group_with(exits), ["boom"]).exit_code == 1
    result = runner.invoke(_group_with(file_error), ["boom"])
    assert result.exit_code == 1
    assert result.stderr == f"kamdocs: error: {tmp_path / 'missing' / 'x'}: No such file or directory\n"


def test_the_real_command_has_debug_and_documents_exit_3() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "--debug" in result.output and "3 an internal error" in result.output
    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "internal error" in docs and "--debug" in docs and "| 3 |" in docs
