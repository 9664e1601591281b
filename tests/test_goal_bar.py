"""The goal bar on each plan page: a track from 0 filled to the actual, marks for the baseline, the target
and the share of the goal period passed, and labels that never overlap one another or a mark.

Checked twice: over many figures from the SVG kamdocs writes (by its own generous text-width
estimate), and on real plan pages in Chromium, from the boxes the browser lays out, at 1366 and 390 px.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import sync_playwright

from kamdocs.calendar.intervals import elapsed_share
from kamdocs.site.svg import progress_bar

from .commands import mkdocs_build_in_process, write_repo
from .conftest import ROOT, plan_text
from .test_charts import NS, label_boxes, overlaps

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

CASES = {
    # name: (baseline, actual, target)
    "no-actual": (400_000, None, 500_000),
    "zero": (400_000, 0, 500_000),
    "below-baseline": (400_000, 150_000, 500_000),
    "between": (400_000, 450_000, 500_000),
    "at-target": (400_000, 500_000, 500_000),
    "above-target": (400_000, 650_000, 500_000),
    "target-zero": (None, 10, 0),
    "target-tiny": (None, 0, 0.01),
    "no-baseline": (None, 420_000, 500_000),
    "all-close": (490_000, 495_000, 500_000),
    "at-pace": (None, 415_000, 500_000),  # the actual where an even pace puts it on 2026-11-01
}
ELAPSED = [None, 0.0, 0.02, 0.5, 0.83, 0.99, 1.0]


def marks(svg: str) -> list[tuple[float, float, float, float]]:
    """(left, top, right, bottom) of every mark (a vertical line) on the track."""
    root = ET.fromstring(svg[svg.index("<svg") : svg.index("</svg>") + 6])
    return [
        (
            float(line.attrib["x1"]) - 1.5,
            float(line.attrib["y1"]),
            float(line.attrib["x1"]) + 1.5,
            float(line.attrib["y2"]),
        )
        for line in root.iter(f"{NS}line")
    ]


def rect(svg: str, css: str) -> tuple[float, float] | None:
    """(left, right) of the rectangle of class ``css``."""
    found = re.search(rf'<rect class="{css}" x="([-\d.]+)" y="[-\d.]+" width="([-\d.]+)"', svg)
    return None if found is None else (float(found[1]), float(found[1]) + float(found[2]))


@pytest.mark.parametrize("elapsed", ELAPSED)
@pytest.mark.parametrize("case", CASES)
def test_labels_never_overlap_a_label_or_a_mark_and_stay_inside(case: str, elapsed: float | None) -> None:
    baseline, actual, target = CASES[case]
    svg = progress_bar(baseline, actual, target, "CHF", elapsed)
    boxes, width, height = label_boxes(svg)
    assert len(boxes) == 2 + (baseline is not None) + (elapsed is not None)  # each figure labelled, once
    lines = marks(svg)
    assert len(lines) == 1 + (baseline is not None) + (elapsed is not None)
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= width + 0.5 and a[1] >= 0 and a[3] <= height, (a, width, height)
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)
        for line in lines:
            assert not overlaps(a, line), (a, line)


FIGURE = st.floats(min_value=0, max_value=1e15, allow_nan=False) | st.integers(0, 2_000_000)
SIGNED = FIGURE | st.floats(min_value=-1e15, max_value=0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    baseline=st.none() | SIGNED,
    actual=st.none() | SIGNED,
    target=FIGURE,
    elapsed=st.none() | st.floats(min_value=0, max_value=1),
)
def test_no_figures_make_labels_overlap(
    baseline: float | None, actual: float | None, target: float, elapsed: float | None
) -> None:
    """Any figures a plan may hold (the schema caps them at 1e15): every label inside, none on another or a mark."""
    svg = progress_bar(baseline, actual, target, "CHF", elapsed)
    boxes, width, height = label_boxes(svg)
    lines = marks(svg)
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= width + 0.5 and a[1] >= 0 and a[3] <= height
        assert not any(overlaps(a, b) for b in boxes[i + 1 :])
        assert not any(overlaps(a, line) for line in lines)


@pytest.mark.parametrize("case", CASES)
def test_the_track_starts_at_0_and_is_filled_to_the_actual(case: str) -> None:
    baseline, actual, target = CASES[case]
    svg = progress_bar(baseline, actual, target, "CHF", 0.5)
    track = rect(svg, "kd-track")
    assert track is not None
    fill = rect(svg, "kd-bar")
    assert (fill is None) == (actual is None)  # no actual: nothing filled, and the label says so
    if actual is None:
        assert ">no actual yet<" in svg
        return
    assert fill is not None
    high = max(v for v in (baseline, actual, target, 0.5 * target) if v is not None) or 1
    # Computed here: the fill starts where the track does (at 0) and covers actual / high of it.
    assert fill[0] == pytest.approx(track[0], abs=0.1)
    assert fill[1] - fill[0] == pytest.approx(actual / high * (track[1] - track[0]), abs=0.2)
    if case == "below-baseline":
        assert fill[1] - fill[0] > 100  # 150,000 of a 500,000 goal: not an empty bar


def test_the_pace_mark_sits_at_the_share_of_the_target() -> None:
    svg = progress_bar(None, 100_000, 400_000, "CHF", 0.25)
    track = rect(svg, "kd-track")
    assert track is not None
    pace = float(re.search(r'<line class="kd-pace" x1="([\d.]+)"', svg)[1])  # type: ignore[index]
    assert pace == pytest.approx(track[0] + 0.25 * (track[1] - track[0]), abs=0.1)  # 100,000 of 400,000
    assert ">25% of the period passed<" in svg and "25% of the goal period has passed" in svg


def test_elapsed_share() -> None:
    D = __import__("datetime").date.fromisoformat
    assert elapsed_share(D("2026-01-01"), D("2026-12-31"), D("2025-12-31")) == 0.0
    assert elapsed_share(D("2026-01-01"), D("2026-12-31"), D("2026-01-01")) == pytest.approx(1 / 365)
    assert elapsed_share(D("2026-01-01"), D("2026-12-31"), D("2026-07-02")) == pytest.approx(183 / 365)
    assert elapsed_share(D("2026-01-01"), D("2026-12-31"), D("2026-12-31")) == 1.0
    assert elapsed_share(D("2026-01-01"), D("2026-12-31"), D("2027-03-01")) == 1.0
    assert elapsed_share(D("2026-05-05"), D("2026-05-05"), D("2026-05-05")) == 1.0


def test_text_in_the_bar_is_escaped() -> None:
    svg = progress_bar(1, 2, 3, "<script>x</script>", 0.5)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def goal_plan(name: str, baseline: float | None, actual: float | None, target: float) -> str:
    goal = f"  target: {target}\n" + (f"  baseline: {baseline}\n" if baseline is not None else "")
    goal += f"  actual: {actual}\n" if actual is not None else ""
    return plan_text(name, **{"  target: 500000\n": goal, "account: Example Account AG": f"account: Bar {name}"})


MEASURE = """() => {
  const svg = document.querySelector('svg.kd-progress');
  const frame = svg.getBoundingClientRect();
  const box = r => [r.left, r.top, r.right, r.bottom];
  return {
    frame: box(frame),
    texts: [...svg.querySelectorAll('text')].map(t => [t.textContent, box(t.getBoundingClientRect())]),
    marks: [...svg.querySelectorAll('line')].map(l => [l.getAttribute('class'), box(l.getBoundingClientRect())]),
  };
}"""


@pytest.mark.e2e
def test_in_chromium_no_label_overlaps_another_or_a_mark_and_none_leaves_the_picture(tmp_path: Path) -> None:
    """Every case on its own plan page (judged on 2026-11-01, 83 % into a calendar-year goal)."""
    repo = write_repo(tmp_path, {name: goal_plan(name, *figures) for name, figures in CASES.items()})
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    with serve(repo.parent / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for width in (1366, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name in CASES:
                page.goto(f"{base}/plans/accounts/{name}/")
                got = page.evaluate(MEASURE)
                frame, texts = got["frame"], got["texts"]
                words = [t for t, _ in texts]
                assert any(w.endswith("% of the period passed") for w in words), words
                assert any(w.startswith("target ") for w in words) and (
                    any(w.startswith("actual ") for w in words) or "no actual yet" in words
                ), words
                assert {c for c, _ in got["marks"]} >= {"kd-target", "kd-pace"}
                for i, (word, a) in enumerate(texts):
                    assert a[0] >= frame[0] - 0.5 and a[2] <= frame[2] + 0.5, (name, width, word, a, frame)
                    assert a[1] >= frame[1] - 0.5 and a[3] <= frame[3] + 0.5, (name, width, word, a, frame)
                    for other, b in texts[i + 1 :]:
                        assert not overlaps(a, b), (name, width, word, other)
                    for css, line in got["marks"]:
                        assert not overlaps(a, line), (name, width, word, css)
            page.close()
        browser.close()
