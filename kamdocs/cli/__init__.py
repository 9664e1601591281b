"""The ``kamdocs`` command: a thin adapter from the terminal to the core.

It parses options, loads the one configuration, calls the core and maps the
result to an exit code: 0 clean, 1 findings that fail, 2 usage or config.
The group and its error handling are here; the commands are in one module per
group (``check``, ``reports``, ``history``, ``edits``, ``repository``, ``site``), their
shared click types and options in ``options``.
"""

from __future__ import annotations

import errno
import io
import sys
from typing import Any

import click

from kamdocs import __version__
from kamdocs.cli import check, editor, edits, history, imports, reports, repository, site
from kamdocs.cli.command import KamdocsCommand
from kamdocs.cli.console import Reported, echo
from kamdocs.errors import KamdocsError
from kamdocs.escaping import UNENCODABLE_AS_TEXT, one_line
from kamdocs.system.atomicfile import describe


class KamdocsGroup(click.Group):
    """The command group that turns every failure into one line and a documented exit code.

    The commands raise, never print an error and exit by hand: a :class:`KamdocsError` is
    ``kamdocs: error: MESSAGE`` on one line and its exit code (a ``UsageError`` 2, else 1), a
    :class:`Reported` stop the lines it carries and its code. click's own usage errors (2) and
    ``sys.exit`` keep their codes. An ``OSError``
    (full disk, read-only file, missing folder) is exit 1 naming the path and the
    reason. Anything else is a bug in kamdocs: exit 3, with the traceback only
    under ``--debug``, so a user never sees a stack trace by surprise.
    """

    command_class = KamdocsCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except (SystemExit, KeyboardInterrupt, GeneratorExit):
            raise
        except Reported as exc:
            if exc.lines:
                echo(exc.lines, err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except KamdocsError as exc:
            if ctx.params.get("debug"):
                raise
            echo(f"kamdocs: error: {one_line(str(exc))}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except OSError as exc:
            if ctx.params.get("debug") or exc.errno == errno.EPIPE:
                raise
            echo(f"kamdocs: error: {one_line(describe(exc))}", err=True)
            raise click.exceptions.Exit(1) from None
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            message = one_line(str(exc))
            what = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
            echo(f"kamdocs: internal error: {what} — run with --debug for the traceback", err=True)
            raise click.exceptions.Exit(3) from None


@click.group(cls=KamdocsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kamdocs")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error (exit 3) or a file error.")
def main(debug: bool) -> None:
    """Key account plans as code: check plans and publish them with MkDocs.

    Exit status: 0 success, 1 findings that fail or a file that cannot be read
    or written, 2 a usage or configuration problem, 3 an internal error.
    """
    # A message may quote a file name with bytes that are not UTF-8 (plans/lat\xe9/): shown as
    # that escape, never as the raw byte (C.UTF-8's surrogateescape) or a crash (a strict locale).
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=UNENCODABLE_AS_TEXT)


for _command in (
    check.check,
    check.schema,
    reports.status,
    reports.quality,
    reports.budget,
    reports.scorecard,
    reports.stakeholders,
    reports.diff,
    history.history,
    history.show,
    edits.review,
    edits.rollover,
    edits.new,
    imports.import_plans,
    repository.init,
    repository.codeowners,
    editor.editor,
    site.export,
    site.render,
    site.build,
    site.serve,
):
    main.add_command(_command)
