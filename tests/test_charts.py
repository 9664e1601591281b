"""Charts and the goal bar: no label overlaps another or a line, no text leaves its picture, text stays legible.

The geometry is checked twice: from the SVG kamdocs writes, with its own
generous width estimate, over many awkward cases; and in Chromium, from the
bounding boxes the browser lays out, at 1366 px and at 390 px.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from kamdocs.site.svg import Bar, TargetActual, bar_chart, progress_bar, target_actual_chart, text_width, wrap

from .commands import mkdocs_build_in_process, write_repo
from .conftest import ROOT, plan_text

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

NS = "{http://www.w3.org/2000/svg}"


def label_boxes(svg: str) -> tuple[list[tuple[float, float, float, float]], float, float]:
    """(left, top, right, bottom) of every line of text by the estimate, and the viewBox size."""
    root = ET.fromstring(svg[svg.index("<svg") : svg.index("</svg>") + 6])
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    boxes = []
    for text in root.iter(f"{NS}text"):
        y = float(text.attrib["y"])
        for i, span in enumerate(text.iter(f"{NS}tspan")):
            x = float(span.attrib["x"])
            line_y = y + 16 * i
            w = text_width(span.text or "")
            left = x - w if text.attrib.get("text-anchor") == "end" else x
            boxes.append((left, line_y - 12, left + w, line_y + 3))
    return boxes, width, height


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


GOALS = [
    (490_000, 495_000, 500_000),  # all three close together
    (None, 495_000, 500_000),
    (490_000, None, 500_000),
    (None, None, 500_000),
    (0, 600_000, 500_000),  # actual past target
    (700_000, 650_000, 500_000),  # baseline past target
    (5, 5, 5),
    (0, 0, 0),
    (1e15, 2e15, 3e15),
    (-50_000, 10, 20),
]


@pytest.mark.parametrize(("baseline", "actual", "target"), GOALS)
def test_goal_bar_labels_never_overlap_and_stay_inside(
    baseline: float | None, actual: float | None, target: float
) -> None:
    svg = progress_bar(baseline, actual, target, "CHF")
    boxes, width, height = label_boxes(svg)
    assert len(boxes) == 2 + (baseline is not None)  # every figure labelled; a missing actual says so
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= width + 0.5 and a[1] >= -1 and a[3] <= height + 1, a
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)


def test_bar_chart_labels_wrap_instead_of_being_cut() -> None:
    long = "overdue (open or in progress) and a business area with a very long name indeed"
    svg = bar_chart("Chart", [Bar(long, 5), Bar("x", 0.98), Bar("y" * 80, 1.4)], percent=True)
    boxes, width, height = label_boxes(svg)
    text = " ".join(
        s.text or "" for s in ET.fromstring(svg[svg.index("<svg") : svg.index("</svg>") + 6]).iter(f"{NS}tspan")
    )
    assert long in text and "…" not in text
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= width + 0.5 and a[3] <= height + 1, a
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)
    assert (
        '<div class="kd-sr-only"><table class="kd-sr-table">' in svg and "<td>98%</td>" in svg
    )  # the values, for a screen reader


def test_a_figure_is_never_wrapped_inside_itself() -> None:
    """The freshness chart of 1,000 plans drew 560 as "5" over "60"; every figure, alone or the widest, stays whole."""
    for values in ([560, 120, 80, 7, 3], [577, 1], [1722, 900, 4], [99999, 12345, 1], [3], [0, 0]):
        svg = bar_chart("Chart", [Bar(f"state {i}", v) for i, v in enumerate(values)])
        tspans = [
            s.text or "" for s in ET.fromstring(svg[svg.index("<svg") : svg.index("</svg>") + 6]).iter(f"{NS}tspan")
        ]
        for v in values:
            assert f"{v:,}" in tspans, (values, tspans)  # one tspan, one line


def test_wrap_keeps_every_word_within_the_width() -> None:
    for text in ["", "a", "word " * 40, "Überlänge" * 12, "日本語のとても長いアカウント名" * 4, "😀 " * 30]:
        lines = wrap(text, 150)
        assert all(text_width(line) <= 150 for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_target_actual_chart_figures_wrap_on_the_whole_width() -> None:
    svg = target_actual_chart(
        "T",
        [
            TargetActual(
                "Area " * 12,
                900_000,
                780_000,
                "actual 780,000 GBP of 900,000 GBP (87%); 3 plans without actual left out",
            )
        ],
    )
    boxes, width, _ = label_boxes(svg)
    assert all(b[2] <= width + 0.5 for b in boxes)


AWKWARD = {
    "close": plan_text(
        "close",
        **{
            "business_area: Process Analytics": "business_area: Process Analytics and Laboratory Instrument Services Europe",
            "target: 500000": "target: 500000\n  baseline: 490000\n  actual: 495000",
            "commitments:": "buying_center:\n  - name: Dr. Maximiliane Hohenzollern-Sigmaringen\n    title: Head\n"
            "    role: technical-buyer\n    attitude: supporter\n  - name: Bo\n    role: influencer\n"
            "    attitude: skeptic\n    reports_to: Dr. Maximiliane Hohenzollern-Sigmaringen\ncommitments:",
        },
    ),
    "other": plan_text("other", **{"target: 500000": "target: 500000\n  actual: 750000"}),
}


@pytest.mark.e2e
def test_in_chromium_no_label_overlaps_and_phone_text_is_legible(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, AWKWARD)
    assert mkdocs_build_in_process(repo).returncode == 0
    measure = """() => {
      const out = [];
      for (const svg of document.querySelectorAll('svg.kd-svg')) {
        const frame = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll('tspan')].map(t => t.getBoundingClientRect());
        const lines = [...svg.querySelectorAll('line.kd-target')].map(l => l.getBoundingClientRect());
        const fonts = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height ? parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a : 99);
        out.push({frame: [frame.left, frame.top, frame.right, frame.bottom],
                  texts: texts.map(r => [r.left, r.top, r.right, r.bottom]),
                  lines: lines.map(r => [r.left, r.top, r.right, r.bottom]),
                  fonts, cls: svg.getAttribute('class')});
      }
      return out;
    }"""
    with serve(repo.parent / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for width in (1366, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in ("plans/", "plans/accounts/close/", "plans/budget/", "plans/by-business-area/"):
                page.goto(f"{base}/{path}")
                charts = page.evaluate(measure)
                assert charts or path == "plans/by-business-area/", path
                # The dashboard's three charts share one width, the one alone on its row too.
                widths = page.eval_on_selector_all(
                    ".kd-charts > figure", "fs => fs.map(f => Math.round(f.getBoundingClientRect().width))"
                )
                assert len(set(widths)) <= 1, (path, width, widths)
                for chart in charts:
                    texts, frame = chart["texts"], chart["frame"]
                    for i, a in enumerate(texts):
                        inside = (
                            a[0] >= frame[0] - 1
                            and a[2] <= frame[2] + 1
                            and a[1] >= frame[1] - 1
                            and a[3] <= frame[3] + 1
                        )
                        assert inside, (path, width, chart["cls"], a, frame)
                        for b in texts[i + 1 :]:
                            assert not overlaps(shrunk(a), shrunk(b)), (path, width, a, b)
                        for line in chart["lines"]:
                            assert not overlaps(shrunk(a), line), (path, width, "100% line through a label")
                    if width == 390 and "kd-org" not in chart["cls"]:
                        assert min(chart["fonts"]) >= 11, (path, chart["cls"], chart["fonts"])
            page.close()
        browser.close()


def shrunk(box: list[float]) -> tuple[float, ...]:
    """A text box less its line's leading: two lines of one label may touch, never cross."""
    return (box[0] + 0.5, box[1] + 2, box[2] - 0.5, box[3] - 2)
