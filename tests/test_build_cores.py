"""On one core the plugin makes the plan pages' late slots page by page and the downloads in on_env, without
its forked process; the site must be the one a build on every core makes, byte for byte."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kamdocs.system.background import cores

from .commands import MKDOCS, PINNED_EPOCH, committed_plans, mkdocs_build, mkdocs_build_in_process
from .conftest import ROOT


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or cores() < 2, reason="needs two cores to compare with")
def test_a_one_core_build_makes_the_same_site(tmp_path: Path) -> None:
    plans = {f"plans/{p.name}": p.read_text(encoding="utf-8") for p in sorted((ROOT / "plans").glob("*.md"))}
    mkdocs = MKDOCS.replace("git: false", "git: true").replace("plugins:\n", "plugins:\n  - search\n")
    repo = committed_plans(tmp_path / "repo", plans, mkdocs).path
    env = {"SOURCE_DATE_EPOCH": PINNED_EPOCH}
    allowed = os.sched_getaffinity(0)
    built = mkdocs_build_in_process(repo, site=tmp_path / "every-core", env=env)
    assert built.returncode == 0, built.stderr
    os.sched_setaffinity(0, {min(allowed)})
    try:
        assert cores() == 1
        one = mkdocs_build_in_process(repo, site=tmp_path / "one-core", env=env)
    finally:
        os.sched_setaffinity(0, allowed)
    assert one.returncode == 0, one.stderr
    every, single = _site_files(tmp_path / "every-core"), _site_files(tmp_path / "one-core")
    assert sorted(every) == sorted(single)
    assert [name for name in every if every[name] != single[name]] == []
    # What the forked process makes is there in both: a plan page's history and the downloads.
    page = single["plans/accounts/alpen-dairy/index.html"].decode()
    assert 'id="kd-history"' in page and "2026-10-02 by Test Author; 1 revision." in page  # the history slot
    assert 'id="kd-chain"' in page and 'id="kd-quality"' in page  # the chain and quality, late slots too
    assert len(single["plans/plans.json"]) > 1000 and b'"alpen-dairy"' in single["plans/plans.json"]


@pytest.mark.parametrize("fails", [False, True], ids=["good build", "failed build"])
def test_the_downloads_temporary_folder_is_gone_after_a_build(tmp_path: Path, fails: bool) -> None:
    """The downloads are written to a temporary folder as they are made and copied from there by MkDocs
    (so the build does not hold their bytes); nothing of it is left behind, also when the build fails."""
    plans = {f"plans/{p.name}": p.read_text(encoding="utf-8") for p in sorted((ROOT / "plans").glob("*.md"))}
    if fails:  # a malformed marker on a docs page stops the build while it writes the pages
        plans["docs/broken.md"] = "# Broken\n\n<!-- kamdocs:table nonsense -->\n"
    repo = committed_plans(tmp_path / "repo", plans, MKDOCS).path
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    built = mkdocs_build(repo, site=tmp_path / "site", env={"TMPDIR": str(temporary)})
    assert (built.returncode != 0) == fails, built.stderr
    assert list(temporary.iterdir()) == []
    if not fails:  # and every download reached the site, whole
        data = json.loads((tmp_path / "site" / "plans" / "plans.json").read_bytes())
        assert sorted(p["id"] for p in data["plans"]) == sorted(Path(name).stem for name in plans)
        assert (tmp_path / "site" / "plans" / "plans.xlsx").read_bytes()[:2] == b"PK"
