"""The documentation's menu: three sections by reader, the same in mkdocs.yml and on the home page.

A page left out of the menu can only be found by search; a page listed on the home page under another
section than in the menu sends a reader to the wrong shelf. Both are easy to miss when a page is added.
"""

from __future__ import annotations

import re

import yaml

from .conftest import ROOT

SECTIONS = ("Guide", "Reference", "Internals")
"""The menu's sections, in order: for account managers and readers, to look things up, for maintainers."""


def menu() -> list:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]


def section_pages(nav: list) -> dict[str, list[str]]:
    """Each section's pages, in menu order."""
    sections = {}
    for entry in nav[1:]:
        ((title, children),) = entry.items()
        sections[title] = [next(iter(child.values())) for child in children]
    return sections


def home_sections() -> dict[str, list[str]]:
    """The pages docs/index.md links under each of its ### headings, in order."""
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    parts = re.split(r"^### (\w+)", text, flags=re.M)
    return {
        title: re.findall(r"\]\(([\w-]+\.md)\)", body) for title, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def test_the_menu_is_home_then_three_sections() -> None:
    nav = menu()
    assert nav[0] == {"Home": "index.md"}
    assert list(section_pages(nav)) == list(SECTIONS)


def test_every_docs_page_is_in_the_menu_once() -> None:
    listed = [page for pages in section_pages(menu()).values() for page in pages]
    assert len(listed) == len(set(listed)), sorted(p for p in listed if listed.count(p) > 1)
    on_disk = {p.name for p in (ROOT / "docs").glob("*.md")} - {"index.md"}
    assert set(listed) == on_disk


def test_the_home_page_lists_each_section_as_the_menu_does() -> None:
    assert home_sections() == section_pages(menu())


def test_internals_are_the_maintainers_pages() -> None:
    """The architecture, hardening and performance pages are for whoever changes kamdocs, not its users."""
    internals = section_pages(menu())["Internals"]
    assert {"architecture.md", "hardening.md", "performance.md"} <= set(internals)
    assert not {"start.md", "format.md", "cli.md"} & set(internals)
