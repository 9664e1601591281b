"""Oracles worked out independently of kamdocs: where a token sits in a text, and JSON as a strict parser
reads it. Tests compare kamdocs' findings and outputs with these, never with kamdocs' own functions."""

from __future__ import annotations

import json


def where(text: str, token: str, within: str = "") -> tuple[int, int]:
    """1-based line and column of ``token`` inside the first ``within`` in ``text``: the oracle for positions."""
    at = text.index(within or token) + (within or token).rindex(token)
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def strict_json(text: str) -> object:
    """JSON as a strict parser reads it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> object:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)
