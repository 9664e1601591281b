"""Writing YAML scalars by hand, so that they read back exactly as meant."""

from __future__ import annotations

import re

import yaml

from kamdocs.plan.safeyaml import plain_scalar

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: | #|:$|\s$")


def scalar(value: str, style: str | None = None, text: bool = False) -> str:
    """``value`` as a YAML scalar: plain when that reads back as the same text, else quoted.

    ``style`` keeps an existing quoting style (``'`` or ``"``) when rewriting a value.
    ``text`` marks a value that is text, never a date (an account, a reviewer),
    so that even ``2026-01-01`` is quoted there.
    """
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if (
        style == "'"
        or not value
        or plain_scalar(value) != value
        or _UNSAFE.search(value)
        or "\n" in value
        or not _text_in_yaml_1_1(value, dates_plain=not text)
    ):
        return "'" + value.replace("'", "''") + "'"
    return value


def _text_in_yaml_1_1(value: str, dates_plain: bool) -> bool:
    """Whether a YAML 1.1 reader (PyYAML's default, many editors and CI tools) reads ``value`` as this
    text too. kamdocs reads YAML 1.2, where ``yes``, ``2026-01-01`` or ``0777`` stay text; 1.1 makes
    them a boolean, a date or a number, so a plan written plain would mean something else elsewhere.
    A ``YYYY-MM-DD`` date stays plain: plans write their dates that way, and ``review`` must not
    re-quote the ``last_reviewed`` it changes."""
    if dates_plain and _ISO_DATE.fullmatch(value):
        return True
    try:
        return yaml.safe_load(value) == value
    except (yaml.YAMLError, ValueError):  # ValueError: a timestamp with no such day (0000-00-00) stops PyYAML
        return False
