"""The rules of the grids' column kinds (kamdocs/site/grid_cells.py): the markup, facets and row marks
they give, checked against markup written out by hand, and the page carrying them for the script.

``tests/test_grid_cells_browser.py`` checks that the script, following the same rules from the page,
builds the same rows in Chromium.
"""

from __future__ import annotations

import json
import re

import pytest

from kamdocs.site.grid import Column, grid
from kamdocs.site.grid_cells import KINDS, cell_html, cell_text, facet_values, kinds_json, row_class

ITEM_STALE = ["2025-01-10", None, None, "stale", "last contact over a year ago"]
ITEM_LINKED = ["Acme & Co", "../accounts/acme/", "kd-attitude kd-supporter", None, None]


@pytest.mark.parametrize(
    ("kind", "value", "html"),
    [
        ("text", "Process <Analytics>", "Process &lt;Analytics&gt;"),
        ("text", None, ""),
        ("text", "anna.keller@example.com", "anna.keller@<wbr>example.com"),
        ("link", ["Acme & Co", "accounts/acme/"], '<a href="accounts/acme/">Acme &amp; Co</a>'),
        ("sorted", ["12%", 0.12], "12%"),
        (
            "badge",
            ["due soon", 2, "due-soon"],
            '<span class="kd-badge kd-due-soon" data-state="due-soon">due soon</span>',
        ),
        ("band", [72, "fair", "mittel"], '72 <span class="kd-badge kd-band-fair">mittel</span>'),
        ("band", [None, "", ""], "–"),
        ("due", ["2026-11-01", 0, "2026-11-01"], '<span class="kd-nowrap">2026-11-01</span>'),
        (
            "due",
            ["2026-11-01", 21, "2026-11-01"],
            '<span class="kd-nowrap">2026-11-01</span> <span class="kd-flag">overdue 21 d</span>',
        ),
        (
            "many",
            ["acme", [ITEM_LINKED, ITEM_STALE]],
            '<span class="kd-per-plan"><span class="kd-attitude kd-supporter">'
            '<a href="../accounts/acme/">Acme &amp; Co</a></span></span>'
            '<span class="kd-per-plan">2025-01-10 '
            '<span class="kd-flag" title="last contact over a year ago">stale</span></span>',
        ),
        (
            "many",
            ["a", [["anna.keller@example.com", None, "kd-email", None, None]]],
            '<span class="kd-per-plan"><span class="kd-email">anna.keller@<wbr>example.com</span></span>',
        ),
        (
            "many",
            ["x", [["x", None, None, "stale", None]]],
            '<span class="kd-per-plan">x <span class="kd-flag">stale</span></span>',
        ),
    ],
)
def test_each_kind_writes_its_markup(kind: str, value: object, html: str) -> None:
    assert cell_html(kind, value) == html


def test_text_is_escaped_wherever_it_lands() -> None:
    hostile = '"><script>alert(1)</script>'
    for kind, value in [
        ("text", hostile),
        ("link", [hostile, hostile]),
        ("badge", [hostile, 0, hostile]),
        ("band", [hostile, hostile, hostile]),
        ("due", [hostile, hostile]),
        ("many", [hostile, [[hostile, hostile, hostile, hostile, hostile]]]),
    ]:
        html = cell_html(kind, value)
        assert "<script" not in html and 'alert(1)"' not in html, (kind, html)


def test_facets_are_the_state_the_band_each_item_or_the_text() -> None:
    assert facet_values("badge", ["overdue 3 d", 1, "overdue"]) == ["overdue"]
    assert facet_values("band", [55, "weak", "schwach"]) == ["weak"]
    assert facet_values("many", ["k", [ITEM_LINKED, ITEM_STALE]]) == ["Acme & Co", "2025-01-10"]
    assert facet_values("text", "Service") == ["Service"]
    assert facet_values("link", ["Acme", "a/"]) == ["Acme"]
    assert cell_text(KINDS["many"], ["k", [ITEM_LINKED, ITEM_STALE]]) == "Acme & Co 2025-01-10"


def test_overdue_marks_a_row_before_stale() -> None:
    overdue, stale = ("due", ["2026-01-01", 5, "2026-01-01"]), ("many", ["k", [ITEM_STALE]])
    assert row_class([stale, overdue]) == "kd-overdue-row"
    assert row_class([stale]) == "kd-stale-row"
    assert row_class([("due", ["2026-01-01", 0, "2026-01-01"]), ("many", ["k", [ITEM_LINKED]])]) is None


def test_the_page_carries_the_rules_of_the_kinds_its_columns_use() -> None:
    columns = [Column("due", "Due", "due"), Column("who", "Who", facet="who"), Column("a", "Account", "link")]
    html = grid("G", columns, [[["2026-01-01", 0, "2026-01-01"], "Anna", ["Acme", "a/"]]], first=1)
    (spec,) = re.findall(r'class="kd-grid-spec">(.*?)</script>', html)
    kinds = json.loads(spec)["kinds"]
    # In KINDS' order, the order in which row marks win, whatever the columns' order.
    assert list(kinds) == ["text", "link", "due"]
    assert kinds["due"] == {
        "text": 0,
        "sort": 2,
        "css": ["kd-nowrap"],
        "note": {"when": 1, "css": ["kd-flag"], "text": ["overdue ", 1, " d"]},
        "row": "kd-overdue-row",
    }
    assert kinds == json.loads(json.dumps(kinds_json({"due", "text", "link"})))
    # Where an e-mail address may wrap is the server's number, handed to the script.
    assert kinds["text"] == {"breakable": 20}
    # A shown column's cells get the classes the server writes; a hidden one has no cells.
    cols = {c["k"]: c for c in json.loads(spec)["cols"]}
    assert cols["due"]["cls"] == "kd-col-due kd-col-extra"
    assert '<td class="kd-col-due kd-col-extra">' in html


def test_a_numeric_phone_column_is_right_aligned_and_kept_on_a_phone() -> None:
    html = grid("G", [Column("goal", "Goal", "sorted", numeric=True, phone=True)], [[["12%", 0.12]]], first=1)
    (spec,) = re.findall(r'class="kd-grid-spec">(.*?)</script>', html)
    assert json.loads(spec)["cols"][0]["cls"] == "kd-col-goal kd-num"
    assert '<td class="kd-col-goal kd-num">12%</td>' in html


def test_every_kind_has_a_place_for_its_text() -> None:
    """A list kind reads its items; every other kind reads its text (or is it); none both."""
    for name, rule in KINDS.items():
        assert (rule.items is None) == (rule.item is None), name
        assert rule.items is None or rule.text is None, name


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown column kind 'chart'"):
        Column("x", "X", "chart")


def test_a_due_cells_note_is_said_in_the_readers_language() -> None:
    """The overdue flag is a message, made into the kind's parts in the speech of the page (German here, as
    the compiled catalogue says it: English while it is not translated), the same for the server's cell and
    the script's rule; the date is the reader's, the sort key ISO."""
    from kamdocs import i18n

    with i18n.speaking(i18n.resolve("de")[0]) as speech:
        said = speech.translations.gettext("overdue {value} d").replace("{value}", "21")
        html = cell_html("due", ["01.11.2026", 21, "2026-11-01"])
        (rule,) = kinds_json({"due"}).values()
    assert html == f'<span class="kd-nowrap">01.11.2026</span> <span class="kd-flag">{said}</span>'
    assert "".join(p if isinstance(p, str) else "21" for p in rule["note"]["text"]) == said
    assert rule["sort"] == 2 and rule["text"] == 0
