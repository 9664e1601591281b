"""An independent reading of built HTML with the standard library's ``html.parser``.

Tests judge kamdocs' escaping and sanitising by what a browser's parser would
see (which elements and attributes exist, and their decoded text), not by the
functions under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: list[str] = field(default_factory=list)
    """Decoded text inside the element, including that of its descendants."""

    @property
    def content(self) -> str:
        return "".join(self.text)


class Scan(HTMLParser):
    """Every element with its attributes and text, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.comments: list[str] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def tags(self) -> set[str]:
        return {e.tag for e in self.elements}

    def attributes(self) -> set[str]:
        return {name for e in self.elements for name in e.attrs}

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def strings(self) -> list[str]:
        """Every decoded text and attribute value: where a field's text may show up."""
        return [e.content for e in self.elements] + [v for e in self.elements for v in e.attrs.values() if v]


def table_rows(html: str) -> list[list[str]]:
    """The decoded text of each table body cell, row by row, over every table in ``html``."""
    rows: list[list[str]] = []
    for element in Scan(html).elements:
        if element.tag == "tr":
            rows.append([])
        elif element.tag == "td" and rows:
            rows[-1].append(element.content.strip())
    return [r for r in rows if r]
