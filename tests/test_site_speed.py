"""benchmarks/site_speed.py: the figures it checks against issue 21's targets, worked out here by hand.

No timing is asserted; these are the measurements around the timing (front-matter bytes, log lines,
the build's process-tree memory, the targets by size, the command line).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import site_speed


def test_front_matter_bytes_counts_only_the_lines_between_the_fences(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"---\nid: a\n---\n# Body\n")  # "id: a\n": 6 bytes
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_bytes(b"---\r\nid: bb\r\nx: 1\r\n---\r\nbody\r\n")  # 8 + 6 bytes
    (tmp_path / "none.md").write_bytes(b"# no front matter\n---\n")
    (tmp_path / "open.md").write_bytes(b"---\nid: open\n")  # never closed: no front matter
    (tmp_path / "notes.txt").write_bytes(b"---\nid: txt\n---\n")  # not a plan file
    assert site_speed.front_matter_bytes(tmp_path) == 6 + 8 + 6


def test_info_lines_counts_mkdocs_info_lines_only() -> None:
    log = (
        "INFO    -  Cleaning site directory\n"
        "WARNING -  kamdocs: plans/a.md:3:1: something\n"
        "INFO    -  kamdocs: freshness: 3 overdue commitments\n"
        "  INFO is not at the start here\n"
        "DEBUG   -  kamdocs: a finding\n"
        "INFO    -  Documentation built in 1.00 seconds\n"
    )
    assert site_speed.info_lines(log) == 3
    assert site_speed.info_lines("") == 0


@pytest.mark.parametrize(("plans", "target"), [(1, 1.3), (1000, 1.3), (9999, 1.3), (10_000, 1.5), (20_000, 1.5)])
def test_the_ratio_target_follows_the_size(plans: int, target: float) -> None:
    assert site_speed.ratio_target(plans) == target


def test_largest_page_is_the_biggest_html_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b"x" * 300)
    (tmp_path / "index.html").write_bytes(b"x" * 200)
    (tmp_path / "plans.json").write_bytes(b"x" * 5000)  # not a page
    assert site_speed.largest_page(tmp_path) == (300, "a/index.html")


def test_tree_memory_counts_a_child_process() -> None:
    """A child holding 100 MB shows up in the tree's sum, which a look at this process alone would miss."""
    holder = "import sys, time; data = bytearray(100 * 1024 * 1024); data[::4096] = b'x' * 25600; "
    holder += "print('ready', flush=True); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        alone_rss, _ = site_speed.tree_memory_mb(child.pid)
        mine_rss, mine_pss = site_speed.tree_memory_mb(os.getpid())
        assert alone_rss >= 100
        assert mine_rss >= alone_rss + 1  # this process's own pages on top of the child's
        assert mine_pss >= 100
    finally:
        child.kill()
        child.wait()
    time.sleep(0.01)
    assert site_speed.tree_memory_mb(child.pid) == (0, 0)  # gone: nothing, not an error


@pytest.mark.parametrize("argv", [["0"], ["100", "--runs", "0"], ["100", "--cores", "0"], ["many"]])
def test_bad_arguments_are_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        site_speed.main(argv)
    assert stop.value.code == 2
    assert "error" in capsys.readouterr().err
