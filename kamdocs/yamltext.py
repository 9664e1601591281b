"""Writing YAML scalars by hand, so that they read back exactly as meant."""

from __future__ import annotations

import re

from kamdocs.safeyaml import plain_scalar

_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: | #|:$|\s$")
_NOT_TEXT_IN_YAML11 = re.compile(r"(?i:y|yes|n|no|on|off)|[-+.]?[0-9].*")
"""Plain text that YAML 1.1 readers (PyYAML's default, many editors and CI tools) take for a
boolean, a number or a date, though kamdocs' YAML 1.2 reads it as text."""


def scalar(value: str, style: str | None = None, text: bool = False) -> str:
    """``value`` as a YAML scalar: plain when that reads back as the same text, else quoted.

    ``style`` keeps an existing quoting style (``'`` or ``"``) when rewriting a value.
    ``text`` marks a value that must stay text for every reader, so ``yes``
    or ``2026-01-01`` is quoted too; dates written as dates leave it off.
    """
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if text and _NOT_TEXT_IN_YAML11.fullmatch(value):
        return "'" + value.replace("'", "''") + "'"
    if style == "'" or not value or plain_scalar(value) != value or _UNSAFE.search(value) or "\n" in value:
        return "'" + value.replace("'", "''") + "'"
    return value
