"""The one finding model that every check produces and every reporter reads.

Keeping a single shape (as ruff does) lets the text, JSON and GitHub outputs
stay consistent: a new output format is a new reporter, never a new check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from kamdocs.escaping import one_line


class Severity(str, Enum):
    """How much a finding matters; errors fail `kamdocs check`, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in one place of one file.

    ``file`` is relative to the repository root so that the same finding reads
    the same on a laptop and in CI. ``path`` is a JSONPath into the front
    matter (``$.goal.target``), or ``$`` for the file as a whole.
    """

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""

    def log_line(self, severity: str | None = None) -> str:
        """The finding as a build log shows it: ``file:line:col: severity[rule] message``, as ``kamdocs check``."""
        return f"{one_line(self.file)}:{self.line}:{self.column}: {severity or self.severity.value}[{self.rule}] {one_line(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in reading order: by file, then line, then column."""
    return sorted(findings, key=Finding.sort_key)


def json_path(parts: Iterable[str | int]) -> str:
    """Render a path such as ``("goal", "period", "end")`` as ``$.goal.period.end``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "a").replace("-", "a").isalnum():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out
