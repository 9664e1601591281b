"""Writing YAML scalars by hand, so that they read back exactly as meant."""

from __future__ import annotations

import re

from kamdocs.safeyaml import plain_scalar

_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: | #|:$|\s$")


def scalar(value: str, style: str | None = None) -> str:
    """``value`` as a YAML scalar: plain when that reads back as the same text, else quoted.

    ``style`` keeps an existing quoting style (``'`` or ``"``) when rewriting a value.
    """
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "'" or not value or plain_scalar(value) != value or _UNSAFE.search(value) or "\n" in value:
        return "'" + value.replace("'", "''") + "'"
    return value
