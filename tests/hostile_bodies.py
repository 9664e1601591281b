"""Hostile plans at the loader's size limit, one per class of text a renderer is slow on (issue 19, item 5).

Shared by tests/test_body_limits.py (each gives its finding, and a build finishes) and
benchmarks/hostile_plans.py (how long each takes against a plan of the same size that is only prose).
"""

from __future__ import annotations

from dataclasses import dataclass

from .conftest import plan_text

SIZE_LIMIT = 1 << 20
"""The loader's default ``max_bytes``: the largest plan any command reads."""


@dataclass(frozen=True)
class Hostile:
    """A class of hostile plan: the text repeated to fill the plan, what it opens and closes with, and the
    finding it gives (None: a plan kamdocs now handles in linear time, which must be published)."""

    unit: str
    rule: str | None
    head: str = ""
    tail: str = ""
    account: bool = False
    """The unit fills the account name (front matter) instead of the body."""


HOSTILE: dict[str, Hostile] = {
    "heading-spaces": Hostile(" ", None, head="## a", tail="b\n"),
    "svg-account-name": Hostile("a", None, account=True),
    "brackets": Hostile("[", "body-unclosed"),
    "brackets-spaced": Hostile("[a ", "body-unclosed"),
    "links-open": Hostile("[a](", "body-unclosed"),
    "images-open": Hostile("![", "body-unclosed"),
    "tags-open": Hostile("<a ", "body-unclosed"),
    "autolinks-open": Hostile("<http://", "body-unclosed"),
    "tags-nested": Hostile("<div>", "body-nesting"),
    "tags-stray-ends": Hostile("<div></span>", "body-nesting"),  # an end tag that matches nothing closes nothing
    "lists-nested": Hostile("- ", "body-nesting", tail="a\n"),
    "quotes-nested": Hostile("> ", "body-nesting", tail="a\n"),
    "lists-indented": Hostile("    - a\n", "body-nesting"),  # made deeper line by line below
    "lists-many-deep": Hostile("- " * 31 + "a\n\n", "body-nesting"),  # each under 32 levels, together too deep
    "emphasis-paragraph": Hostile("*a* _b_ **c** ", "body-too-many"),  # one paragraph of 1 MiB of markup
    "footnotes": Hostile("[^1] ", "body-too-many", tail="\n\n[^1]: The note.\n"),
    "fences": Hostile("```\na\n```\n\n", "body-too-many"),
    "list-items": Hostile("- a\n\n", "body-too-many"),
    "setext-block": Hostile("a\n-\n", "body-too-many"),
    "definitions": Hostile(": b\n", "body-too-many", head="a\n"),
}


def hostile_plan(name: str, plan_id: str | None = None) -> str:
    """The plan of class ``name``, as close under the size limit as its unit allows."""
    case = HOSTILE[name]
    plan_id = plan_id or name
    if case.account:
        base = plan_text(plan_id)
        room = SIZE_LIMIT - len(base.encode()) - 64
        return base.replace("account: Example Account AG", "account: " + case.unit * (room // len(case.unit)))
    base = plan_text(plan_id, **{"Body text.": ""})
    room = SIZE_LIMIT - len(base.encode()) - len(case.head.encode()) - len(case.tail.encode()) - 64
    if name == "lists-indented":  # each item one level deeper than the one before, until the room is used
        lines, used, depth = [], 0, 0
        while used + 4 * depth + 4 < room:
            lines.append("    " * depth + "- a\n")
            used += 4 * depth + 4
            depth += 1
        return base + "".join(lines)
    return base + case.head + case.unit * (room // len(case.unit.encode())) + case.tail


def prose_plan(plan_id: str = "prose") -> str:
    """A plan of the same size that is only ordinary paragraphs: what a hostile one is measured against."""
    base = plan_text(plan_id, **{"Body text.": ""})
    paragraph = (
        "We supply the process analytics for two of the customer's plants and want to be named in the "
        "specification of the third. The [engineering lead](https://example.com/lead) decides by March; "
        "our service team (three people) visits monthly.\n\n"
    )
    room = SIZE_LIMIT - len(base.encode()) - 64
    return base + paragraph * (room // len(paragraph))
