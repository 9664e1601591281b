"""The issue the freshness workflow opens for each overdue plan: its title, its body and whom to assign.

kamdocs writes the text, not the workflow's shell: the body is GitHub Markdown,
and every value from a plan (account, owner, reviewer, file name) goes into it
as an inline code span (:func:`kamdocs.escaping.markdown_code`), so that no
plan can put a link, an image, HTML or an ``@org/team`` mention into an issue
that the workflow opens with its own token. The workflow's job that holds that
token only reads this document; it neither checks out nor runs the repository.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kamdocs.escaping import markdown_code, shell_word
from kamdocs.report.rollup import StatusRow, filled, iso

ISSUES_JSON_VERSION = 1

TITLE = "Plan review overdue: {id}"
"""The issue's title; the workflow finds an open issue with exactly this title and updates it."""


LONGEST = 200
"""Characters of a plan value an issue shows: GitHub refuses a body over 65,536 characters, and one
plan's endless account name must not stop the issues of every plan after it."""


def _value(text: str | None) -> str:
    """A plan's value as inert code, cut at :data:`LONGEST`; a missing one (or a placeholder) says so."""
    shown = filled(text)
    if not shown:
        return "not set"
    return markdown_code(shown if len(shown) <= LONGEST else shown[:LONGEST] + "…")


def issue_body(row: StatusRow) -> str:
    """The issue's Markdown: what is overdue, by how much, who owns and reviews it, and what to run."""
    plan, fresh = row.plan, row.freshness
    return (
        f"The key account plan {_value(plan.account)} ({_value(plan.file)}) was due for review on "
        f"{iso(fresh.next_review)} and is {fresh.days_overdue} days overdue.\n"
        "\n"
        f"- Owner: {_value(plan.owner)}\n"
        f"- Reviewer: {_value(plan.review.reviewer)}\n"
        f"- Open commitments: {fresh.open_commitments}, overdue: {fresh.overdue_commitments}\n"
        "\n"
        f"Review it with the reviewer, then run {markdown_code('kamdocs review ' + shell_word(plan.file))} "
        "in a pull request.\n"
    )


def issue(row: StatusRow) -> dict[str, Any]:
    """One overdue plan's issue: ``plan``, ``title``, ``body`` and ``assignee`` (a GitHub login, or None)."""
    handle = row.owner_handle
    # A team (@org/team) cannot be assigned; only a user's login, without its @.
    assignee = handle[1:] if handle and "/" not in handle else None
    return {"plan": row.plan.id, "title": TITLE.format(id=row.plan.id), "body": issue_body(row), "assignee": assignee}


def render_issues(rows: Sequence[StatusRow]) -> str:
    """The versioned issues document of ``kamdocs status --format issues``: one issue per overdue plan."""
    issues = [issue(row) for row in rows if row.freshness.state == "overdue"]
    return json.dumps({"version": ISSUES_JSON_VERSION, "issues": issues}, indent=2, ensure_ascii=False) + "\n"
