"""What is fenced code in a plan body: one answer for every reader of headings and markers."""

from __future__ import annotations

import pytest

from kamdocs.rules.checks import h2_titles, markdown_lines


@pytest.mark.parametrize(
    ("body", "titles"),
    [
        ("## A\n```\n## code\n```\n## B\n", ["A", "B"]),
        ("```\n```python\n## still code\n```\n## After\n", ["After"]),  # a fence with text closes nothing
        ("~~~~\n~~~\n## code\n~~~~\n## After\n", ["After"]),  # a shorter fence closes nothing
        ("```\n~~~\n## code\n```\n## After\n", ["After"]),  # nor one of the other character
        ("```\n## never closed\n", []),
    ],
)
def test_headings_and_markers_agree_on_what_is_code(body: str, titles: list[str]) -> None:
    """One scanner for fenced code (rules.checks.markdown_lines): the required-sections check, the
    confidential markers and the slot placement read a body the same way, as CommonMark does."""
    assert h2_titles(body) == titles
    assert [line for line, code in markdown_lines(body) if not code and line.startswith("## ")] == [
        f"## {t}" for t in titles
    ]
