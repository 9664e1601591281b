"""Edit links: in a repository `kamdocs init` wrote, naming the repository (repo_url, nothing else)
gives every plan page a link that opens the plan file itself in the forge's web editor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .commands import kamdocs, kamdocs_in_process, mkdocs_build_in_process

TODAY = "2026-11-24"
EDIT_LINK = re.compile(r'<a href="([^"]*)"[^>]*rel="edit"')


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    assert kamdocs_in_process(tmp_path, "init", "repo", "--today", TODAY).returncode == 0
    return tmp_path / "repo"


def set_line(repo: Path, pattern: str, line: str) -> None:
    config = repo / "mkdocs.yml"
    text, count = re.subn(pattern, line, config.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert count == 1, pattern
    config.write_text(text, encoding="utf-8")


def edit_links(repo: Path) -> dict[str, list[str]]:
    built = mkdocs_build_in_process(repo, "--strict")
    assert built.returncode == 0, built.stderr
    assert "edit_uri" not in built.stderr, built.stderr
    site = repo.parent / "site"
    pages = {
        "index": site / "index.html",
        "example-full": site / "plans" / "accounts" / "example-full" / "index.html",
        "acme": site / "plans" / "accounts" / "acme" / "index.html",
    }
    return {name: EDIT_LINK.findall(page.read_text(encoding="utf-8")) for name, page in pages.items()}


def add_plan(repo: Path) -> None:
    """A second plan, written after init: its page gets its own file's link too."""
    plans = repo / "plans"
    text = (plans / "example-one-page.md").read_text(encoding="utf-8")
    (plans / "acme.md").write_text(text.replace("id: example-one-page", "id: acme"), encoding="utf-8")


def test_until_the_repository_is_named_there_is_no_edit_link_and_no_warning(repo: Path) -> None:
    add_plan(repo)
    assert edit_links(repo) == {"index": [], "example-full": [], "acme": []}


def test_naming_the_repository_links_each_plan_page_to_its_plan_file_in_the_web_editor(repo: Path) -> None:
    add_plan(repo)
    set_line(repo, r"^# repo_url: .*$", "repo_url: https://github.com/acme-corp/plans")
    assert edit_links(repo) == {
        "index": ["https://github.com/acme-corp/plans/edit/main/docs/index.md"],
        "example-full": ["https://github.com/acme-corp/plans/edit/main/plans/example-full.md"],
        "acme": ["https://github.com/acme-corp/plans/edit/main/plans/acme.md"],
    }


def test_another_branch_is_one_line_and_a_full_address_needs_no_repo_url(repo: Path) -> None:
    add_plan(repo)
    set_line(repo, r"^edit_uri: .*$", "edit_uri: https://git.example.com/sales/plans/-/edit/trunk/docs/")
    assert edit_links(repo) == {
        "index": ["https://git.example.com/sales/plans/-/edit/trunk/docs/index.md"],
        "example-full": ["https://git.example.com/sales/plans/-/edit/trunk/plans/example-full.md"],
        "acme": ["https://git.example.com/sales/plans/-/edit/trunk/plans/acme.md"],
    }


@pytest.mark.parametrize("repo_url", [None, "https://github.com/acme-corp/plans"], ids=["unnamed", "named"])
def test_the_render_path_drops_the_edit_link_only_until_the_repository_is_named(
    repo: Path, repo_url: str | None
) -> None:
    """The render path's copy of mkdocs.yml follows the plugin's rule: init's relative edit_uri
    without repo_url would make every page warn and fail --strict (the wheel journey's build)."""
    if repo_url:
        set_line(repo, r"^# repo_url: .*$", f"repo_url: {repo_url}")
    site = repo.parent / "rendered-site"
    built = kamdocs(repo, "build", "--render", "--strict", "-d", str(site))
    assert built.returncode == 0, built.stderr
    assert "edit_uri" not in built.stderr, built.stderr
    home = EDIT_LINK.findall((site / "index.html").read_text(encoding="utf-8"))
    assert home == ([f"{repo_url}/edit/main/docs/index.md"] if repo_url else [])
