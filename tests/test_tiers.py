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
    "libreoffice": "subprocess.run(['so" + "ffice', '--headless'])",
    "venv": "venv" + ".create(tmp_path)",
    "serve": 'subprocess.Popen(["kamdocs", ' + '"serve"])',
}


def collect(root: Path, body: str, mark: str) -> subprocess.CompletedProcess[str]:
    (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (root / "test_case.py").write_text(
        f"import pytest\n\n\n{mark}def test_case(tmp_path):\n    if False:\n        {body}\n", encoding="utf-8"
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


@pytest.mark.parametrize("kind", sorted(WORK))
def test_end_to_end_work_without_the_mark_stops_the_run(tmp_path: Path, kind: str) -> None:
    refused = collect(tmp_path, WORK[kind], "")
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR, refused.stdout + refused.stderr
    assert "unmarked: test_case.py::test_case" in refused.stderr


@pytest.mark.parametrize("kind", sorted(WORK))
def test_the_mark_lets_it_run(tmp_path: Path, kind: str) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\nmarkers = ["e2e: e2e"]\n', encoding="utf-8")
    marked = collect(tmp_path, WORK[kind], "@pytest.mark.e2e\n")
    assert marked.returncode == pytest.ExitCode.OK, marked.stdout + marked.stderr
    assert "1 test collected" in marked.stdout


def test_a_test_without_such_work_needs_no_mark(tmp_path: Path) -> None:
    plain = collect(tmp_path, "assert subprocess.run(['kamdocs', 'check'])", "")
    assert plain.returncode == pytest.ExitCode.OK, plain.stdout + plain.stderr
