"""The buying centre's org chart (``site/svg.org_chart``): every contact drawn exactly once, where the
reporting lines put it, whatever ``reports_to`` says (nobody in the list, the contact itself, a loop).

Positions are worked out here by hand from the layout's rules: boxes 170 wide with 20 between them
(a column is 190), 36 between rows; a leaf takes the next free column, a manager sits over the middle
of its reports; a box of one name line and one detail line is 2 * 16 + 14 = 46 tall (a row is 82).
"""

from __future__ import annotations

import re

from kamdocs.plan.model import Contact
from kamdocs.site.svg import org_chart

BOX_H, ROW, COLUMN = 46, 82, 190


def boxes(svg: str) -> dict[str, tuple[float, float]]:
    """Each person's box: name → (x, y) of its rectangle."""
    found = re.findall(r'<title>([^:<]+): [^<]*</title><rect x="([\d.]+)" y="([\d.]+)"', svg)
    names = [name for name, _, _ in found]
    assert len(names) == len(set(names)), f"a person drawn twice: {names}"
    return {name: (float(x), float(y)) for name, x, y in found}


def edges(svg: str) -> set[tuple[float, float, float, float]]:
    found = re.findall(r'<line class="kd-edge" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/>', svg)
    return {(float(a), float(b), float(c), float(d)) for a, b, c, d in found}


def size(svg: str) -> tuple[int, int]:
    width, height = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()  # type: ignore[union-attr]
    return int(width), int(height)


def test_no_contacts_no_chart() -> None:
    assert org_chart(()) == ""


def test_a_manager_sits_over_the_middle_of_its_reports_with_a_line_to_each() -> None:
    svg = org_chart(
        (
            Contact("Ann", "user", reports_to="Boss"),
            Contact("Boss", "user"),
            Contact("Ben", "user", reports_to="Boss", attitude="skeptic"),
        )
    )
    assert boxes(svg) == {"Ann": (10.0, ROW), "Ben": (10.0 + COLUMN, ROW), "Boss": (10.0 + COLUMN / 2, 0.0)}
    boss_bottom_middle = (COLUMN / 2 + 95.0, float(BOX_H))
    assert edges(svg) == {(*boss_bottom_middle, 95.0, float(ROW)), (*boss_bottom_middle, 95.0 + COLUMN, float(ROW))}
    assert size(svg) == (2 * COLUMN, 2 * ROW)
    assert 'class="kd-person kd-skeptic"' in svg and 'class="kd-person kd-unknown"' in svg


def test_reports_to_nobody_in_the_list_or_to_oneself_makes_a_root() -> None:
    svg = org_chart(
        (
            Contact("Ann", "user", reports_to="The board"),
            Contact("Ben", "user", reports_to="Ben"),
            Contact("Cleo", "user"),
        )
    )
    assert boxes(svg) == {"Ann": (10.0, 0.0), "Ben": (10.0 + COLUMN, 0.0), "Cleo": (10.0 + 2 * COLUMN, 0.0)}
    assert edges(svg) == set()
    assert size(svg) == (3 * COLUMN, ROW)


def test_a_reporting_loop_is_drawn_once_from_its_first_member() -> None:
    """Ann reports to Ben and Ben to Ann: Ann (first in the list) becomes the root, Ben below her, one line."""
    svg = org_chart((Contact("Ann", "user", reports_to="Ben"), Contact("Ben", "user", reports_to="Ann")))
    assert boxes(svg) == {"Ann": (10.0, 0.0), "Ben": (10.0, ROW)}
    assert edges(svg) == {(95.0, float(BOX_H), 95.0, float(ROW))}
    assert size(svg) == (COLUMN, 2 * ROW)


def test_names_are_escaped_and_long_ones_make_every_box_taller() -> None:
    long = "Dr. Maximiliane Hohenzollern-Sigmaringen <b>"
    svg = org_chart((Contact(long, "user"), Contact("Bo", "user", reports_to=long)))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    heights = set(re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="170" height="(\d+)"', svg))
    assert len(heights) == 1 and int(heights.pop()) > BOX_H


def test_a_chain_of_reports_deeper_than_pythons_stack_is_drawn_one_row_each() -> None:
    """3,000 contacts, each reporting to the one before (Python's recursion limit is 1,000): one column,
    contact i in row i, a line from each box to the next, and the loop variant (the first reporting to the
    last) drawn the same from its first member."""
    count = 3000
    chain = [Contact(f"P{i}", "user", reports_to=f"P{i - 1}" if i else None) for i in range(count)]
    for contacts in (chain, [Contact("P0", "user", reports_to=f"P{count - 1}"), *chain[1:]]):
        svg = org_chart(contacts)
        assert boxes(svg) == {f"P{i}": (10.0, float(i * ROW)) for i in range(count)}
        assert edges(svg) == {(95.0, float(i * ROW + BOX_H), 95.0, float((i + 1) * ROW)) for i in range(count - 1)}
        assert size(svg) == (COLUMN, count * ROW)
