"""Plans whose front matter is as large as the loader allows, one per class of content (issue 21, item 3).

Each class fills one plan to just under the loader's size limit (1 MiB) with one kind of thing: thousands
of commitments, contacts, KPIs or success factors, one line or one word that is the whole plan, a list of
thousands of tags or team members, an owner per commitment. Shared by tests/test_plan_limits.py (each is
checked, rendered and built within a timeout, with its finding) and benchmarks/hostile_plans.py (what one
such plan adds to a build of the bundled plans).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kamdocs.config.options import DEFAULT_FULL_SECTIONS

from .conftest import plan_text
from .hostile_bodies import SIZE_LIMIT

ROOM = SIZE_LIMIT - 4096
"""Bytes each generator fills up to: the plan stays under the limit whatever its fixed part holds."""


@dataclass(frozen=True)
class Crowded:
    """A class of plan: how to write it with ``plan_id``, and the rule of the finding it gives (None: it
    is a plan kamdocs publishes)."""

    write: Callable[[str], str]
    rule: str | None


def _fill(unit: Callable[[int], str], used: int) -> str:
    """``unit(0) + unit(1) + ...`` while the text stays within :data:`ROOM` after ``used`` bytes."""
    parts: list[str] = []
    size = used
    i = 0
    while True:
        part = unit(i)
        if size + len(part.encode()) > ROOM:
            return "".join(parts)
        parts.append(part)
        size += len(part.encode())
        i += 1


def _commitment(i: int, owner: str = "kam@example.com") -> str:
    return (
        f"  - id: c-{i}\n    action: Run specification workshop number {i} with the plant engineers\n"
        f"    owner: {owner}\n    due: 2026-12-15\n    status: open\n    resolves: [obs-a]\n"
    )


_COMMITMENTS = "commitments:\n  - id: c-a\n    action: Run a specification workshop\n"
_COMMITMENTS_TAIL = "    owner: kam@example.com\n    due: 2026-12-15\n    status: open\n    resolves: [obs-a]\n"


def _with_commitments(plan_id: str, unit: Callable[[int], str]) -> str:
    base = plan_text(plan_id)
    head, tail = base.split(_COMMITMENTS + _COMMITMENTS_TAIL)
    return head + "commitments:\n" + _fill(unit, len(base.encode())) + tail


def _commitments(plan_id: str) -> str:
    return _with_commitments(plan_id, _commitment)


def _owners(plan_id: str) -> str:
    """A different owner for every commitment: thousands of rows in the roll-up by owner."""
    return _with_commitments(plan_id, lambda i: _commitment(i, f"owner.{i}@example.com"))


def _appended(plan_id: str, key: str, unit: Callable[[int], str], kind: str = "one-page") -> str:
    """The minimal plan with ``key:`` and its filled list added at the end of the front matter."""
    base = plan_text(plan_id, **{"kind: one-page": f"kind: {kind}"})
    head, body = base.split("\n---\n", 1)
    return f"{head}\n{key}:\n" + _fill(unit, len(base.encode()) + len(key) + 2) + "---\n" + body


def _contact(i: int) -> str:
    return (
        f"  - name: Contact Person {i}\n    title: Head of Process Engineering\n    role: influencer\n"
        f"    attitude: neutral\n    influence: medium\n    relationship_owner: kam@example.com\n"
        f"    last_contact: 2026-09-01\n"
    )


def _contacts(plan_id: str) -> str:
    return _appended(plan_id, "buying_center", _contact)


def _contacts_chain(plan_id: str) -> str:
    """Each contact reports to the one before: an organisation chart thousands of levels deep."""

    def unit(i: int) -> str:
        return _contact(i) + (f"    reports_to: Contact Person {i - 1}\n" if i else "")

    return _appended(plan_id, "buying_center", unit)


def _kpi(i: int) -> str:
    return (
        f"  - id: kpi-{i}\n    name: First-time fix rate at site {i}\n    unit: '%'\n    target: 90\n"
        f"    actual: 84\n    as_of: 2026-10-15\n    direction: higher-is-better\n"
    )


FULL_SECTIONS = DEFAULT_FULL_SECTIONS
"""The H2 sections a ``full`` plan must have (docs/format.md)."""


def _kpis(plan_id: str) -> str:
    text = _appended(plan_id, "kpis", _kpi, kind="full")
    sections = "".join(f"## {title}\n\nText.\n\n" for title in FULL_SECTIONS)
    return text.replace("\nBody text.", "\n" + sections + "Body text.")


def _success_factors(plan_id: str) -> str:
    """Thousands of success factors, each with a condition and an obstacle, all answered by one commitment."""
    base = plan_text(plan_id)
    head, tail = base.split("success_factors:\n", 1)
    tail = tail[tail.index("commitments:") :]

    def unit(i: int) -> str:
        return (
            f"  - id: csf-{i}\n    statement: We are the standard supplier at plant {i}\n    conditions:\n"
            f"      - id: nc-{i}\n        statement: Engineering specifies us\n        obstacles:\n"
            f"          - id: obs-{i}\n            statement: The old spec names a competitor\n"
        )

    # Filled once to count the factors, then again leaving room for the commitment's list of their obstacles.
    count = _fill(unit, len(base.encode())).count("  - id: csf-")
    factors = _fill(unit, len(base.encode()) + len(", ".join(f"obs-{i}" for i in range(count))) + 8)
    count = factors.count("  - id: csf-")
    ids = ", ".join(f"obs-{i}" for i in range(count))
    return head + "success_factors:\n" + factors + tail.replace("resolves: [obs-a]", f"resolves: [{ids}]")


def _obstacles(count: int) -> str:
    """The one success factor and condition of the minimal plan, with ``count`` obstacles."""
    return "".join(
        f"          - id: obs-{i}\n            statement: The old spec names a competitor\n" for i in range(count)
    )


def _resolves_unknown(plan_id: str) -> str:
    """2,000 obstacles, and one commitment that names, instead of them, ids that are none of them."""
    base = plan_text(plan_id)
    obstacles = _obstacles(2000)
    base = base.replace("          - id: obs-a\n            statement: The old spec names a competitor\n", obstacles)
    base = base.replace(
        "resolves: [obs-a]",
        "resolves: [obs-a]" + "\n  - id: c-b\n    action: Close\n"
        "    owner: kam@example.com\n    due: 2026-12-15\n    status: open\n    resolves: [obs-0]",
    )
    room = ROOM - len(base.encode())
    ids = []
    used = 0
    i = 0
    while used + 12 < room:
        ids.append(f"risk-{i}")
        used += len(ids[-1]) + 2
        i += 1
    return base.replace("resolves: [obs-a]", "resolves: [" + ", ".join(ids) + "]", 1)


def _duplicate_ids(plan_id: str) -> str:
    """Thousands of commitments, every one with the same id."""
    return _with_commitments(plan_id, lambda i: _commitment(0))


def _contacts_wide(plan_id: str) -> str:
    """Thousands of contacts, all reporting to the first: an organisation chart thousands of boxes wide."""

    def unit(i: int) -> str:
        return _contact(i) + ("    reports_to: Contact Person 0\n" if i else "")

    return _appended(plan_id, "buying_center", unit)


def _contacts_same(plan_id: str) -> str:
    """Thousands of contacts with one name and e-mail, each reporting to that name: one person to the
    stakeholder index, thousands of boxes to the organisation chart."""

    def unit(i: int) -> str:
        return _contact(0) + "    email: contact@example.com\n" + ("    reports_to: Contact Person 0\n" if i else "")

    return _appended(plan_id, "buying_center", unit)


def _contact_name_word(plan_id: str) -> str:
    """One contact whose name is one word filling the plan."""
    base = _appended(plan_id, "buying_center", lambda i: _contact(0) if i == 0 else "x" * (1 << 21))
    return base.replace("Contact Person 0", _word(ROOM - len(base.encode())), 1)


def _long(plan_id: str, old: str, new: Callable[[int], str]) -> str:
    """The minimal plan with the text ``old`` replaced by ``new(room)``, ``room`` bytes filling the plan."""
    base = plan_text(plan_id)
    room = ROOM - len(base.encode()) + len(old)
    return base.replace(old, new(room), 1)


def _words(room: int) -> str:
    return ("word " * (room // 5)).strip()


def _word(room: int) -> str:
    return "W" * room


def _list(key: str, prefix: str, suffix: str = "") -> Callable[[int], str]:
    """``key: [prefixNsuffix, ...]`` with as many items as fit in the room, and the key it replaced."""

    def write(room: int) -> str:
        items: list[str] = []
        used = len(key) + 4 + len("\nbusiness_area:")
        i = 0
        while used + len(prefix) + len(suffix) + 10 < room:
            item = f"{prefix}{i}{suffix}"
            items.append(item)
            used += len(item) + 2
            i += 1
        return f"{key}: [" + ", ".join(items) + "]\nbusiness_area:"

    return write


CROWDED: dict[str, Crowded] = {
    "commitments": Crowded(_commitments, None),
    "duplicate-ids": Crowded(_duplicate_ids, "item-id-duplicate"),
    "resolves-unknown": Crowded(_resolves_unknown, "resolves-unknown"),
    "contacts-wide": Crowded(_contacts_wide, None),
    "contacts-same": Crowded(_contacts_same, None),
    "contact-name-word": Crowded(_contact_name_word, None),
    "owners": Crowded(_owners, None),
    "contacts": Crowded(_contacts, None),
    "contacts-chain": Crowded(_contacts_chain, None),
    "kpis": Crowded(_kpis, None),
    "success-factors": Crowded(_success_factors, None),
    "account-words": Crowded(lambda p: _long(p, "Example Account AG", _words), None),
    "account-word": Crowded(lambda p: _long(p, "Example Account AG", _word), None),
    "goal-words": Crowded(lambda p: _long(p, "Grow order intake to CHF 500k", _words), None),
    "goal-word": Crowded(lambda p: _long(p, "Grow order intake to CHF 500k", _word), None),
    "action-word": Crowded(lambda p: _long(p, "Run a specification workshop", _word), None),
    "body-line": Crowded(lambda p: _long(p, "Body text.", _words), None),
    "title-word": Crowded(lambda p: _long(p, "Body text.", lambda room: "# " + _word(room - 2)), None),
    "area-word": Crowded(lambda p: _long(p, "Process Analytics", _word), None),
    "owner-word": Crowded(lambda p: _long(p, "kam@example.com", lambda r: _word(r - 12) + "@example.com"), None),
    "tags": Crowded(lambda p: _long(p, "business_area:", _list("tags", "tag-")), None),
    "team": Crowded(lambda p: _long(p, "business_area:", _list("team", "t", "@example.com")), None),
}
"""Every class, by name, with the error it gives (None: a plan kamdocs publishes)."""


def crowded_plan(name: str, plan_id: str | None = None) -> str:
    return CROWDED[name].write(plan_id or name)
