"""What kamdocs prints: every line through one escape, and the one-line refusals."""

from __future__ import annotations

import click

from kamdocs.escaping import terminal_text


def fail(message: str) -> click.exceptions.Exit:
    """A usage or configuration problem: one line, exit 2 (raise what it returns)."""
    echo(f"kamdocs: error: {message}", err=True)
    return click.exceptions.Exit(2)


def refuse(message: str) -> click.exceptions.Exit:
    """A command that could not do its work on this input or file system: one line, exit 1."""
    echo(f"kamdocs: error: {message}", err=True)
    return click.exceptions.Exit(1)


def echo(message: str, *, err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """Every line kamdocs prints, with control and bidi characters written as escapes.

    The last guard for terminals and CI logs (:func:`kamdocs.escaping.terminal_text`): plan
    text cannot set a window title, clear the screen or start a GitHub workflow command. Only
    the colours of ``check``'s own text report, whose values are escaped, are let through.
    """
    click.echo(message if color else terminal_text(message), err=err, nl=nl, color=color)
