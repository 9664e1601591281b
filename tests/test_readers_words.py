"""Pages speak the reader's words: no rule id, machine value or ``file:line`` in the text a reader sees.

The site's readers are staff, not plan authors. A built site of the bundled
plans is read with the standard library's HTML parser: the text outside
``<code>``, ``<script>``, ``<style>`` and the folded "for the plan's author"
details must hold none of the ids kamdocs and the format use, while those ids
stay on the page for authors (tooltips, ``data-rule``, the details).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kamdocs.findings import FRESHNESS_RULES, RULES
from kamdocs.rules.quality import QUALITY_RULES
from kamdocs.site import words

from .commands import site_config
from .conftest import ROOT

TODAY = "2026-11-22"
SCHEMA = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))


def schema_enums(node: object) -> set[str]:
    """Every enum value of the plan format, read from the schema itself."""
    found: set[str] = set()
    if isinstance(node, dict):
        found |= {v for v in node.get("enum", ()) if isinstance(v, str)}
        for value in node.values():
            found |= schema_enums(value)
    elif isinstance(node, list):
        for value in node:
            found |= schema_enums(value)
    return found


# Machine values a reader should never meet: hyphenated ids (a hyphen-free one such as "open" or "coach" is a word).
MACHINE = sorted(
    {v for v in schema_enums(SCHEMA) if "-" in v and v != "one-page"}
    | {"due-soon", "never-reviewed"}
    | set(QUALITY_RULES)
    | set(FRESHNESS_RULES)
    | {"obstacle-unresolved", "commitment-unlinked"},
    key=len,
    reverse=True,
)


class ReaderText(HTMLParser):
    """The text a reader sees: element content outside code, scripts, styles and the author's details."""

    HIDDEN = frozenset({"script", "style", "code", "details", "title"})
    INLINE = frozenset({"a", "span", "strong", "em", "b", "i", "abbr", "small", "time", "sup", "sub"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [v for _, v in attrs if v]
        if tag not in self.INLINE:  # a cell, a paragraph: words on either side are apart; inside a line they are not
            self.parts.append(" ")
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def reader_text(html: str) -> tuple[str, str]:
    parser = ReaderText()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)), " ".join(parser.attributes)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("words") / "repo"
    shutil.copytree(ROOT / "plans", repo / "plans")
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text(site_config("git: false", f"today: {TODAY}"), encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(repo.parent / "site")], cwd=repo,
                           capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    assert built.returncode == 0, built.stderr
    return repo.parent / "site"


def test_every_rule_a_page_can_show_has_the_readers_words() -> None:
    shown = set(QUALITY_RULES) | set(FRESHNESS_RULES) | {"obstacle-unresolved", "commitment-unlinked", "todo"}
    assert shown <= set(words.RULES), sorted(shown - set(words.RULES))
    assert shown <= set(RULES) | set(QUALITY_RULES)
    for rule_id, text in words.RULES.items():
        assert rule_id not in text and not re.search(r"\w-\w", text.replace("e-mail", "")), (rule_id, text)
    assert words.state("due-soon") == "due soon" and words.word("in-progress") == "in progress"
    assert words.rule("a-rule-added-later") == "A rule added later"  # never an id, even for a rule without words


def test_no_page_shows_a_rule_id_a_machine_value_or_a_file_line(site: Path) -> None:
    pages = sorted((site / "plans").rglob("index.html"))
    assert len(pages) > 12
    seen_ids_for_authors = set()
    for page in pages:
        text, attributes = reader_text(page.read_text(encoding="utf-8"))
        for value in MACHINE:
            assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), (page, value)
        assert not re.search(r"plans/[\w-]+\.md:\d+", text), page
        seen_ids_for_authors |= {v for v in MACHINE if v in attributes}
    # The ids are still there for the plan's author, in tooltips and data attributes.
    assert {"review-overdue", "commitment-overdue", "commitment-owned-by-kam"} <= seen_ids_for_authors


def test_findings_and_reasons_read_as_words_with_the_ids_kept_for_authors(site: Path) -> None:
    html = (site / "plans/accounts/alpen-dairy/index.html").read_text(encoding="utf-8")
    text, _ = reader_text(html)
    # alpen-dairy: quarterly, last reviewed 2026-08-20, so due 2026-11-20: two days overdue on 2026-11-22.
    assert "Review overdue: The review was due on 2026-11-20 (quarterly after 2026-08-20): 2 days overdue." in text
    # c-calendar-access, due 2026-09-30 and still open: 53 days before 2026-11-22.
    assert "Commitment overdue: Due on 2026-09-30, still open: 53 days overdue." in text
    assert 'data-rule="review-overdue"' in html
    details = re.search(r'<details class="kd-author">(.*?)</details>', html, re.S)
    assert details and "plans/alpen-dairy.md:" in details.group(1) and "commitment-undelivered" in details.group(1)


def test_the_dashboard_says_states_and_statuses_in_words(site: Path) -> None:
    html = (site / "plans/index.html").read_text(encoding="utf-8")
    text, _ = reader_text(html)
    assert "due soon" in text and "never reviewed" in text and "in progress" in text
    spec = json.loads(re.search(r'class="kd-grid-spec">(.*?)</script>', html, re.S).group(1))
    state = next(f for f in spec["facets"] if f["f"] == "state")
    assert all(state["labels"][value] == value.replace("-", " ") for value, _ in state["values"])
