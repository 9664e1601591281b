"""The one shape of every output: a report's formats by name, each a function of the report's one input.

``kamdocs check``, ``status``, ``quality``, ``diff``, ``budget``, ``scorecard``,
``stakeholders`` and ``export`` each have a :class:`Formats` registry; the CLI
offers its names as ``--format`` choices and calls :meth:`Formats.render`.
A new format is one function and one entry, never a new branch in a command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Formats(Generic[T]):
    """The output formats of one report: ``render(input) -> str`` (``bytes`` for the binary ones)."""

    by_name: Mapping[str, Callable[[T], str | bytes]]
    default: str | None = None
    """The format without ``--format``, if the command has one."""
    binary: frozenset[str] = field(default_factory=frozenset)
    """Formats whose output is bytes (xlsx), which the CLI never writes to a terminal."""

    @property
    def names(self) -> list[str]:
        """The names, sorted, as ``--format`` offers them."""
        return sorted(self.by_name)

    def render(self, name: str, data: T) -> str | bytes:
        """The report ``data`` in the format ``name``."""
        return self.by_name[name](data)

    def text(self, name: str, data: T) -> str:
        """The report in a text format."""
        out = self.render(name, data)
        assert isinstance(out, str), f"{name} is a binary format"
        return out
