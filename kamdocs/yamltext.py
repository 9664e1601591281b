"""Writing YAML scalars by hand, so that they read back exactly as meant."""

from __future__ import annotations

import re

import yaml

from kamdocs.safeyaml import plain_scalar

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
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
    if not _text_in_yaml_1_1(value):
        return "'" + value.replace("'", "''") + "'"
    return value


def _text_in_yaml_1_1(value: str) -> bool:
    """Whether a YAML 1.1 reader (PyYAML's default, many editors and CI tools) reads ``value`` as this
    text too. kamdocs reads YAML 1.2, where ``yes``, ``2026-01-01`` or ``0777`` stay text; 1.1 makes
    them a boolean, a date or a number, so a plan written plain would mean something else elsewhere.
    A ``YYYY-MM-DD`` date stays plain: plans write their dates that way, and ``review`` must not
    re-quote the ``last_reviewed`` it changes."""
    if _ISO_DATE.fullmatch(value):
        return True
    try:
        return yaml.safe_load(value) == value
    except yaml.YAMLError:
        return False
