"""Real `mkdocs build`s into tmp_path: the plugin checks plans at build time."""

from __future__ import annotations

import gc
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from .commands import mkdocs_build_in_process, site_config, write_repo
from .conftest import ROOT, plan_text

MKDOCS = """\
site_name: Plans
theme:
  name: material
  font: false
plugins:
  - search
  - kamdocs
"""


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def test_this_repository_builds_strict_and_docs_dir_is_untouched(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in ("docs", "plans"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    before = digest(repo / "docs")
    result = mkdocs_build_in_process(repo, "--strict")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "format" / "index.html").is_file()
    assert digest(repo / "docs") == before
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html


def test_invalid_plan_stops_the_build_with_every_finding(make_repo) -> None:
    repo = make_repo(
        {
            "docs/index.md": "# Plans\n",
            "plans/good.md": plan_text("good"),
            "plans/bad.md": plan_text("bad", **{"kind: one-page": "kind: onepage", "target: 500000": "target: lots"}),
        },
        mkdocs=MKDOCS,
    )
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 1
    assert "kamdocs: 2 errors in the plans" in result.stderr
    listed = [line for line in result.stderr.splitlines() if line.startswith("  plans/")]
    assert listed == [
        "  plans/bad.md:4:7: error[bad-value] expected one of 'one-page', 'full' for 'kind', found the text 'onepage'",
        "  plans/bad.md:13:11: error[wrong-type] expected a number for 'goal.target', found the text 'lots'",
    ]
    assert "Traceback" not in result.stderr


def test_error_summary_counts_what_it_lists(make_repo) -> None:
    """The summary's counts match its list, and every listed line names its severity and rule."""
    repo = make_repo(
        {
            "docs/index.md": "# Plans\n",
            "plans/bad.md": plan_text("bad", **{"kind: one-page": "kind: onepage"}),
            "plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"}),
        },
        mkdocs=MKDOCS,
    )
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 1
    assert "kamdocs: 1 error and 1 warning in the plans" in result.stderr
    listed = [line.strip() for line in result.stderr.splitlines() if line.startswith("  plans/")]
    assert [re.match(r"plans/\w+\.md:\d+:\d+: (error|warning)\[([a-z-]+)\] ", line).groups() for line in listed] == [
        ("error", "bad-value"),
        ("warning", "obstacle-unresolved"),
    ]


def test_warnings_are_logged_and_fail_strict(make_repo) -> None:
    repo = make_repo(
        {"docs/index.md": "# Plans\n", "plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"})},
        mkdocs=MKDOCS,
    )
    assert mkdocs_build_in_process(repo).returncode == 0
    strict = mkdocs_build_in_process(repo, "--strict")
    assert strict.returncode == 1
    assert (
        "WARNING -  kamdocs: plans/warn.md:25:13: warning[obstacle-unresolved] expected a commitment" in strict.stderr
    )


def test_bad_option_is_a_config_error(make_repo) -> None:
    repo = make_repo(
        {"docs/index.md": "# Plans\n"},
        mkdocs=MKDOCS.replace("  - kamdocs\n", "  - kamdocs:\n      due_soon_days: soon\n"),
    )
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 1
    assert "due_soon_days" in result.stderr
    assert "Traceback" not in result.stderr


EMBED_PAGE = "---\ntitle: Home\n---\n\n# Home\n\nSome text.\n\n{marker}\n\nMore text.\n"
"""The marker sits on line 9 of docs/index.md, below front matter that MkDocs strips from page.markdown."""


@pytest.mark.parametrize(
    ("marker", "words"),
    [
        ('<!-- kamdocs:table buisness_area="Process Analytics" -->', ["buisness_area", "did you mean 'business_area'"]),
        ('<!-- kamdocs:table colour="red" -->', ["expected a filter key", "'colour'"]),
        ('<!-- kamdocs:table business_area="Proces Analytics" -->', ["'Proces Analytics'", "'Process Analytics'"]),
        (
            '<!-- kamdocs:table owner="nobody@example.com" -->',
            ["expected a value of owner that some plan has", "nobody"],
        ),
        ('<!-- kamdocs:table state="late" -->', ["expected a value of state", "'late'"]),
        ("<!-- kamdocs:table business_area='Process Analytics' -->", ["double quotes"]),
        ("<!-- kamdocs:table owner=kam@example.com -->", ["double quotes"]),
        ('<!-- kamdocs:table Owner="kam@example.com" -->', ["double quotes"]),
        ('<!-- kamdocs:table state="fresh" state="overdue" -->', ["'state' twice"]),
        ('<!-- kamdocs:table state="fresh"-->', []),
        ('<!-- kamdocs:summary state="fresh" -->', ["expected <!-- kamdocs:summary --> with nothing else"]),
        ("<!-- kamdocs:summary -->", []),
    ],
    ids=[
        "key-typo",
        "unknown-key",
        "value-typo",
        "unknown-owner",
        "unknown-state",
        "single-quotes",
        "no-quotes",
        "upper-case-key",
        "key-twice",
        "valid-no-space",
        "summary-with-filter",
        "summary",
    ],
)
def test_embed_markers_fail_the_build_with_page_and_line(make_repo, marker: str, words: list[str]) -> None:
    repo = make_repo({"docs/index.md": EMBED_PAGE.format(marker=marker), "plans/good.md": plan_text("good")})
    (repo / "mkdocs.yml").write_text(
        MKDOCS.replace("  - kamdocs\n", "  - kamdocs:\n      git: false\n      today: 2026-11-01\n")
    )
    result = mkdocs_build_in_process(repo)
    if not words:
        assert result.returncode == 0, result.stderr
        html = (repo.parent / "site" / "index.html").read_text(encoding="utf-8")
        assert "kamdocs:table" not in html and "kamdocs:summary" not in html
        assert "good" in html or '<span class="kd-count">1</span> plan' in html
        return
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    error = next(line for line in result.stderr.splitlines() if "kamdocs:" in line and "ERROR" in line)
    assert "docs/index.md:9: expected " in error
    for word in words:
        assert word in error


def test_valid_embed_markers_filter_by_facet_and_state(make_repo) -> None:
    page = (
        "# Home\n\n"
        '<!-- kamdocs:table business_area="Industrial" -->\n\n'
        '<!-- kamdocs:table state="overdue" owner="kam@example.com" -->\n\n'
        '<!-- kamdocs:table\n    state="fresh" -->\n'
    )
    repo = make_repo(
        {
            "docs/index.md": page,
            "plans/fresh-one.md": plan_text(
                "fresh-one", **{"business_area: Process Analytics": "business_area: Industrial"}
            ),
            "plans/late-one.md": plan_text("late-one", **{"last_reviewed: 2026-10-01": "last_reviewed: 2025-01-01"}),
        }
    )
    (repo / "mkdocs.yml").write_text(
        MKDOCS.replace("  - kamdocs\n", "  - kamdocs:\n      git: false\n      today: 2026-11-01\n")
    )
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    html = (repo.parent / "site" / "index.html").read_text(encoding="utf-8")
    tables = html.split("<table")[1:]
    assert len(tables) == 3
    assert "fresh-one" in tables[0] and "late-one" not in tables[0]
    assert "late-one" in tables[1] and "fresh-one" not in tables[1]
    assert "fresh-one" in tables[2] and "late-one" not in tables[2]


@pytest.mark.parametrize("failing", ["plan", "page"])
def test_a_failed_build_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, failing: str) -> None:
    """The plugin keeps the collector off the plan model while a build runs (kamdocs.system.collector);
    after a failed build (an invalid plan stops it while the model is made, a bad embed once the model
    is held) every object is collectable again and the thresholds are Python's."""
    plan = plan_text("alpha", **{"kind: one-page": "kind: [not, a, kind]"}) if failing == "plan" else plan_text("alpha")
    repo = write_repo(tmp_path, {"alpha": plan}, site_config("git: false", "today: '2026-11-22'", "on_invalid: error"))
    if failing == "page":
        (repo / "docs" / "index.md").write_text('# Plans\n\n<!-- kamdocs:table owner="x" nonsense -->\n')
    before = gc.get_threshold()
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_each_build_releases_what_the_last_one_held(tmp_path: Path) -> None:
    """A build's objects stay out of the collector's reach after it (the process usually exits), until the
    next build in the same process starts: building again and again holds no more than one build's objects."""
    repo = write_repo(tmp_path, {f"p{i}": plan_text(f"p{i}") for i in range(20)})
    before = gc.get_threshold()
    held = []
    for _ in range(3):
        result = mkdocs_build_in_process(repo)
        assert result.returncode == 0, result.stdout + result.stderr
        held.append(gc.get_freeze_count())
        assert gc.get_threshold() == before
    assert held[0] > 0
    assert max(held) < 2 * min(held), held  # released each time: not the sum of three builds
    gc.unfreeze()
