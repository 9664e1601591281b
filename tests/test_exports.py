"""commitments.ics read back by a small iCalendar reader of the test's own.

The reader unfolds and unescapes per RFC 5545 independently of kamdocs'
writer, checks every physical line (at most 75 octets, whole UTF-8 on its
own), and parses parameters, so folding, escaping and attendees are judged
by what a calendar would read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamdocs.site.exports import ics_param, ics_text

from .conftest import plan_text, run


def unfold(data: bytes) -> list[str]:
    """Logical lines; asserts the physical ones are short and never split a character."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    logical: list[bytes] = []
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a multi-byte character
        assert b"\n" not in line and b"\r" not in line, line
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def unescape(value: str) -> str:
    """A TEXT value back to text; an unescaped , or ; would be a second value, so it is an error here."""
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            out.append({"n": "\n", "N": "\n", "\\": "\\", ";": ";", ",": ","}[value[i + 1]])
            i += 2
        else:
            assert char not in ",;", value
            out.append(char)
            i += 1
    return "".join(out)


def split_property(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=VALUE;PARAM="QUOTED":VALUE, with quoted parameter values read as RFC 6868 does."""
    i, in_quotes = 0, False
    while i < len(line):
        if line[i] == '"':
            in_quotes = not in_quotes
        elif line[i] == ":" and not in_quotes:
            break
        i += 1
    head, value = line[:i], line[i + 1 :]
    name, *params = _split_outside_quotes(head, ";")
    parsed = {}
    for param in params:
        key, _, raw = param.partition("=")
        if raw.startswith('"'):
            assert raw.endswith('"') and '"' not in raw[1:-1], raw
            raw = raw[1:-1].replace("^n", "\n").replace("^'", '"').replace("^^", "^")
        parsed[key] = raw
    return name, parsed, value


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts, current, in_quotes = [], "", False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        if char == sep and not in_quotes:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def events(data: bytes) -> list[list[tuple[str, dict[str, str], str]]]:
    out, current = [], None
    for line in unfold(data):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None:
            current.append(split_property(line))
    return out


def prop(event: list[tuple[str, dict[str, str], str]], name: str) -> list[tuple[dict[str, str], str]]:
    return [(params, value) for n, params, value in event if n == name]


def export_ics(repo: Path) -> bytes:
    result = run(["export", "--format", "ics", "--today", "2026-11-22", "-o", "out.ics"], repo)
    assert result.exit_code == 0, result.output
    return (repo / "out.ics").read_bytes()


def yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def with_commitment(plan_id: str, action: str = "Run a workshop", owner: str = "kam@example.com", due: str = "2026-12-15",
                    account: str = "Example Account AG") -> str:  # fmt: skip
    return plan_text(
        plan_id,
        **{
            "account: Example Account AG": f"account: {yaml_string(account)}",
            "action: Run a specification workshop": f"action: {yaml_string(action)}",
            "    owner: kam@example.com\n    due: 2026-12-15": f"    owner: {yaml_string(owner)}\n    due: {due}",
        },
    )


TEXTS = [
    "comma, semicolon; backslash \\ and a\nline break, " * 8,
    "€" * 100,
    "x€" * 60,
    "xx€" * 50,
    "😀" * 60,
    "a😀" * 50,
    "ä" * 120,
    "\\" * 90,
    ";" * 90,
    "Ω,≈;ç\\" * 30,
    "€" * 20,
    "😀" * 15,
    "short",
]


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: f"{t[:6]!a}x{len(t)}")
@pytest.mark.parametrize("lead", ["", "x", "xy", "xyz"])
def test_summaries_fold_unfold_and_unescape_to_the_text(make_repo, text: str, lead: str) -> None:
    action = lead + text
    account = "Ünïcödé, AG; \\ " + "€" * 10
    repo = make_repo({"plans/p.md": with_commitment("p", action=action, account=account)})
    data = export_ics(repo)
    (event,) = events(data)
    ((_, summary),) = prop(event, "SUMMARY")
    assert unescape(summary) == f"{action} ({account})"
    ((_, categories),) = prop(event, "CATEGORIES")
    assert unescape(categories) == "Process Analytics"
    if len(summary.encode()) > 200:
        starts = [i for i, line in enumerate(data.split(b"\r\n")) if line.startswith(b"SUMMARY:")]
        continuation = data.split(b"\r\n")[starts[0] + 1 : starts[0] + 3]
        assert all(line.startswith(b" ") for line in continuation)  # folded more than once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour"),
        ("\\n is not a break", "\\\\n is not a break"),
        ("bell\x07 escape\x1b nul\x00 del\x7f tab\tkept", "bell escape nul del tab\tkept"),
    ],
)
def test_ics_text_escapes_by_hand(text: str, expected: str) -> None:
    assert ics_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kam@example.com", '"kam@example.com"'),
        ('Anna "AK" Keller', "\"Anna ^'AK^' Keller\""),
        ("caret ^ and ^n", '"caret ^^ and ^^n"'),
        ("two\nlines\r\nthree", '"two^nlines^nthree"'),
        ("semi;colon:comma,", '"semi;colon:comma,"'),
        ("ctrl\x07\x1b", '"ctrl"'),
    ],
)
def test_ics_param_quotes_and_escapes_by_hand(text: str, expected: str) -> None:
    assert ics_param(text) == expected


ADDRESSES = ["kam@example.com", "first.last+kam@sales.example.co.uk", "a_b-c@x-y.example.org"]
NOT_ADDRESSES = [
    "@anna",
    "@org/team",
    "Anna Keller",
    'Anna "AK" <anna@example.com>',
    'an"na@example.com',
    "anna@example.com, bob@example.com",
    "mailto:anna@example.com",
    "anna@example",
    "anna@@example.com",
    "anna@exa;mple.com",
    'anna@example.com"',
    "anna@example.com:x",
    "anna@-example.com",
]


@pytest.mark.parametrize("owner", ADDRESSES)
def test_an_e_mail_owner_is_invited(make_repo, owner: str) -> None:
    (event,) = events(export_ics(make_repo({"plans/p.md": with_commitment("p", owner=owner)})))
    assert prop(event, "ATTENDEE") == [({"CN": owner}, f"mailto:{owner}")]
    ((_, description),) = prop(event, "DESCRIPTION")
    assert unescape(description).startswith(f"Owner: {owner}\n")


@pytest.mark.parametrize("owner", NOT_ADDRESSES)
def test_any_other_owner_goes_into_the_description_only(make_repo, owner: str) -> None:
    data = export_ics(make_repo({"plans/p.md": with_commitment("p", owner=owner)}))
    (event,) = events(data)
    assert prop(event, "ATTENDEE") == []
    ((_, description),) = prop(event, "DESCRIPTION")
    assert unescape(description).startswith(f"Owner: {owner}\n")
    assert not any("mailto:" in line and '"' in line.split("mailto:", 1)[1] for line in unfold(data))


def test_a_due_date_on_the_last_day_of_the_calendar_has_no_end(make_repo) -> None:
    repo = make_repo(
        {
            "plans/last.md": with_commitment("last", due="9999-12-31"),
            "plans/eve.md": with_commitment("eve", due="9999-12-30"),
            "plans/leap.md": with_commitment("leap", due="2028-02-28"),
        }
    )
    data = export_ics(repo)
    found = {prop(e, "UID")[0][1]: (prop(e, "DTSTART"), prop(e, "DTEND")) for e in events(data)}
    assert found == {
        "eve.c-a@kamdocs": ([({"VALUE": "DATE"}, "99991230")], [({"VALUE": "DATE"}, "99991231")]),
        "last.c-a@kamdocs": ([({"VALUE": "DATE"}, "99991231")], []),
        "leap.c-a@kamdocs": ([({"VALUE": "DATE"}, "20280228")], [({"VALUE": "DATE"}, "20280229")]),
    }
