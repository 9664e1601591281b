"""The command class: its line in ``kamdocs --help`` is its docstring's whole first sentence."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import click


class KamdocsCommand(click.Command):
    """A command whose line in ``kamdocs --help`` is the whole first sentence of its docstring.

    click cuts that line at 45 characters, or at the terminal's width, with "...", often mid-phrase
    ("Write the CODEOWNERS lines that make each plan's reviewer..."); the list wraps it instead.
    """

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help or not self.help:
            return super().get_short_help_str(limit)
        return first_sentence(self.help)


def first_sentence(text: str) -> str:
    """The first sentence of a docstring's first paragraph, on one line: up to a full stop that ends a word
    (``review.last_reviewed`` and ``plans/ID.md`` inside it are no ends)."""
    paragraph = " ".join(inspect.cleandoc(text).split("\n\n", 1)[0].split())
    end = re.search(r"\.(?=\s|$)", paragraph)
    return paragraph[: end.end()] if end else paragraph


def command() -> Callable[[Callable[..., Any]], click.Command]:
    """``@command()`` on a command function: a :class:`KamdocsCommand`, which ``kamdocs.cli`` adds to the group."""
    return click.command(cls=KamdocsCommand)
