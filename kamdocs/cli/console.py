"""What kamdocs prints: every line through one escape; and the stop of a command that has said why."""

from __future__ import annotations

import click

from kamdocs.errors import KamdocsError
from kamdocs.escaping import terminal_text


def echo(message: str, *, err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """Every line kamdocs prints, with control and bidi characters written as escapes.

    The last guard for terminals and CI logs (:func:`kamdocs.escaping.terminal_text`): plan
    text cannot set a window title, clear the screen or start a GitHub workflow command. Only
    the colours of ``check``'s own text report, whose values are escaped, are let through.
    """
    click.echo(message if color else terminal_text(message), err=err, nl=nl, color=color)


class Reported(KamdocsError):
    """A command that stops with ``exit_code`` once it has reported why: the findings of ``check``, an
    edit refused for the plan's errors, CODEOWNERS out of date, an engine's own failure (its code).

    Not an error to word in one line: its ``lines``, if any, are printed as they are (each escaped for
    the terminal, line breaks kept), with no ``kamdocs: error:`` added; ``KamdocsGroup`` prints them and
    exits, under ``--debug`` too, where there is no traceback to show.
    """

    def __init__(self, lines: str = "", exit_code: int = 1) -> None:
        super().__init__(lines)
        self.lines = lines
        self.exit_code = exit_code
