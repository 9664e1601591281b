"""``kamdocs --help`` and ``--version`` import no more than the command line needs.

The commands import the core and its heavy libraries (jsonschema, XlsxWriter, Markdown,
nh3, PyYAML) when they run; the choices their options offer are read from the core when
a command runs or shows its own help. Checked in a fresh interpreter through what it
has imported, never by timing (docs/performance.md has the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import kamdocs
from kamdocs.cli import main
from kamdocs.cli.options import FormatOption, LaterChoice

from .commands import ENV

HEAVY = ("jsonschema", "xlsxwriter", "markdown", "nh3", "mkdocs", "yaml", "referencing")
CORE = ("kamdocs.config", "kamdocs.plan.validation", "kamdocs.rules", "kamdocs.report", "kamdocs.site", "kamdocs.edit")

PROBE = """
import json, sys
from kamdocs.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*args: str) -> list[str]:
    """The modules a fresh interpreter holds after running ``kamdocs ARGS`` through click's main."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=ENV, timeout=60, check=True
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["-h"]])
def test_help_and_version_import_neither_the_core_nor_its_libraries(args: list[str]) -> None:
    modules = imported_by(*args)
    assert "kamdocs.cli" in modules  # the probe ran the command line
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []
    assert [m for m in modules if m.startswith(CORE)] == []


def test_a_command_that_runs_imports_what_it_needs() -> None:
    """The other side of the same promise: ``schema`` runs, so the validator and its library are there."""
    modules = imported_by("schema")
    assert "jsonschema" in modules and "kamdocs.plan.validation" in modules


def test_a_commands_own_help_lists_the_choices_and_default_of_its_registry() -> None:
    """The registries are read when the command's help is shown; the names and defaults written out here."""
    runner = CliRunner()
    status = runner.invoke(main, ["status", "--help"], env={"COLUMNS": "200"}).output
    assert "--format [csv|issues|json|markdown|table]" in status and "[default: table]" in status
    assert "--state [overdue|due-soon|never-reviewed|fresh|archived]" in status
    scorecard = runner.invoke(main, ["scorecard", "--help"], env={"COLUMNS": "200"}).output
    assert "--by [business_area|owner|reviewer]" in scorecard and "--format [csv|json|markdown|table]" in scorecard
    export = runner.invoke(main, ["export", "--help"], env={"COLUMNS": "200"}).output
    assert "--format [csv|ics|json|xlsx]" in export and "[required]" in export and "default:" not in export
    check = runner.invoke(main, ["check", "--help"], env={"COLUMNS": "200"}).output
    assert "--format [github|json|text]" in check and "default: text" not in check
    build = runner.invoke(main, ["build", "--help"], env={"COLUMNS": "200"}).output
    assert "--engine [mkdocs|properdocs|zensical]" in build


def test_a_bad_choice_is_refused_with_the_registrys_names() -> None:
    result = CliRunner().invoke(main, ["budget", "--format", "pdf"])
    assert result.exit_code == 2
    assert "'pdf' is not one of 'csv', 'json', 'markdown', 'table'" in result.output


def test_every_later_choice_of_every_command_resolves() -> None:
    """A module or name misspelt in a Later would only fail when that command runs: read them all."""
    seen = 0
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param.type, LaterChoice):
                assert param.type.choices, (name, param.name)
                seen += 1
            if isinstance(param, FormatOption) and param.registry_default:
                assert param.get_default(click.Context(command)) in param.type.choices
    assert seen == 13  # nine --format, status --state, scorecard --by, build and serve --engine


def test_the_public_names_are_there_when_used() -> None:
    for name in kamdocs.__all__:
        assert getattr(kamdocs, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = kamdocs.nope  # type: ignore[attr-defined]
