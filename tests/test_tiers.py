"""The collection check of tests/tiers.py: a test that does end-to-end work without the ``e2e`` mark stops the run.

Each case is a small test suite written into ``tmp_path`` whose conftest installs the same check, collected by a
real pytest in a subprocess: the suite's own tests cannot show that a run refuses to start.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .commands import ENV
from .conftest import ROOT

CONFTEST = """\
import pytest

from tests.tiers import unmarked_e2e


def pytest_collection_modifyitems(items):
    unmarked = unmarked_e2e(items)
    if unmarked:
        raise pytest.UsageError("unmarked: " + " ".join(unmarked))
"""
# Each body does one kind of end-to-end work, split so that this file's own source shows none of it.
WORK = {
    "chromium": "browser.launch(executable_path=chromium" + "_path())",
    "served": "served_in" + "_chromium(site)",
    "libreoffice": "subprocess.run(['so" + "ffice', '--headless'])",
    "venv": "venv" + ".create(tmp_path)",
    "serve": 'subprocess.Popen(["kamdocs", ' + '"serve"])',
}


PLAIN = "assert subprocess.run(['kamdocs', 'check'])"
"""A test without end-to-end work: it needs no mark."""


def collect(root: Path, mark: str) -> subprocess.CompletedProcess[str]:
    """One suite holding a test per kind of work (each with ``mark``) and a plain test, collected once: a
    pytest start costs about a second, and the check reports every unmarked test of a run together."""
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\nmarkers = ["e2e: e2e"]\n', encoding="utf-8")
    (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    for kind, body in {**WORK, "plain": PLAIN}.items():
        (root / f"test_{kind}.py").write_text(
            f"import pytest\n\n\n{'' if kind == 'plain' else mark}def test_case(tmp_path):\n"
            f"    if False:\n        {body}\n",
            encoding="utf-8",
        )
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "."],
        cwd=root,
        env={**ENV, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_end_to_end_work_without_the_mark_stops_the_run(tmp_path: Path) -> None:
    refused = collect(tmp_path, "")
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout + refused.stderr
    (line,) = [line for line in refused.stderr.splitlines() if "unmarked: " in line]
    named = line.split("unmarked: ", 1)[1].split()
    assert named == [f"test_{kind}.py::test_case" for kind in sorted(WORK)]  # every kind; not the plain test


def test_the_mark_lets_it_run(tmp_path: Path) -> None:
    marked = collect(tmp_path, "@pytest.mark.e2e\n")
    assert marked.returncode == pytest.ExitCode.OK, marked.stdout + marked.stderr
    assert f"{len(WORK) + 1} tests collected" in marked.stdout
