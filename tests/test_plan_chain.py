"""The constraint chain on a plan's page (``site/plan_page.chain``): goal → success factors → conditions
→ obstacles → commitments as one table, each box spanning the rows of what hangs off it.

The rows and spans below are worked out by hand from the plan in the test, not from kamdocs' code.
"""

from __future__ import annotations

import re
from datetime import date

from kamdocs.site.plan_page import chain

from .conftest import plan_text
from .quality_plans import plan_of

CHAIN = """success_factors:
  - id: csf-a
    statement: Factor A
    conditions:
      - id: nc-1
        statement: Condition 1
        obstacles:
          - id: obs-1
            statement: Obstacle 1
          - id: obs-2
            statement: Obstacle <2>
      - id: nc-2
        statement: Condition 2
        obstacles: []
  - id: csf-b
    statement: Factor B
    conditions: []
commitments:
  - id: c-1
    action: Open one
    owner: kam@example.com
    due: 2026-12-15
    status: open
    resolves: [obs-1]
  - id: c-2
    action: Dropped one
    owner: kam@example.com
    due: 2026-06-01
    status: dropped
    resolves: [obs-1, obs-2]
  - id: c-3
    action: Loose one
    owner: kam@example.com
    due: 2026-03-01
    status: open
---
"""


def cells(row: str) -> list[tuple[str, str, str]]:
    """(data-label or class, rowspan/colspan, text) for each cell of a table row."""
    found = re.findall(
        r'<td class="([^"]*)"(?: data-label="([^"]*)")?(?: (?:rowspan|colspan)="(\d+)")?>(.*?)</td>', row
    )
    return [(label or css, span, re.sub(r"<[^>]+>", "|", text)) for css, label, span, text in found]


def test_each_box_spans_the_rows_of_what_hangs_off_it() -> None:
    text = plan_text("p")
    text = text[: text.index("success_factors:")] + CHAIN + "\nBody.\n"
    html = chain(plan_of(text), date(2026, 11, 24))
    table, note = html.split("</table></div>")
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])
    assert [cells(r) for r in rows] == [
        [
            ("Goal", "4", "Grow order intake to CHF 500k"),
            ("Success factor", "3", "Factor A"),
            ("Condition", "2", "Condition 1"),
            ("Obstacle", "", "Obstacle 1"),
            ("Commitments", "", "|Open one||Dropped one|"),
        ],
        [("Obstacle", "", "|unresolved| Obstacle &lt;2&gt;"), ("Commitments", "", "|Dropped one|")],
        [("Condition", "1", "Condition 2"), ("kd-empty", "2", "no obstacles")],
        [("Success factor", "1", "Factor B"), ("kd-empty", "3", "no conditions")],
    ]
    assert 'class="kd-node kd-obstacle kd-unresolved"' in rows[1] and "kd-unresolved" not in rows[0]
    assert note.startswith('<p class="kd-note">Not tied to an obstacle: ') and "Loose one" in note
    assert "Loose one" not in table


def test_an_obstacle_no_commitment_names_shows_a_dash_and_no_factors_a_sentence() -> None:
    text = plan_text("p", **{"    resolves: [obs-a]\n": ""})
    html = chain(plan_of(text), date(2026, 11, 24))
    row = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1])[0]
    assert cells(row)[-2:] == [
        ("Obstacle", "", "|unresolved| The old spec names a competitor"),
        ("Commitments", "", "–"),
    ]
    without = text[: text.index("success_factors:")] + "success_factors: []\ncommitments: []\n---\n\nBody.\n"
    assert chain(plan_of(without), date(2026, 11, 24)) == "<p>No success factors to show.</p>"
