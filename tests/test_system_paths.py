"""kamdocs.system.paths and kamdocs.system.folders: the one inside-the-repository check, the write guard
for folders a pull request can replace with a link, and folders made for a write and removed again.

Real folders, links and a read-only folder in tmp_path; no mocks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kamdocs.system.atomicfile import NotReplaceable
from kamdocs.system.folders import make_folders, remove_created, write_new
from kamdocs.system.paths import ensure_real_inside, ensure_real_site_folder, shown, where_it_leads


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    (root / "plans" / "a.md").write_text("a\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.md").write_text("b\n", encoding="utf-8")
    return root


def test_a_file_inside_is_inside(repo: Path) -> None:
    where = where_it_leads(repo / "plans" / "a.md", repo)
    assert where.inside
    assert where.real == Path(os.path.realpath(repo)) / "plans" / "a.md"


def test_a_link_is_judged_by_where_it_leads(repo: Path) -> None:
    (repo / "plans" / "out.md").symlink_to(repo.parent / "elsewhere" / "b.md")
    (repo / "plans" / "in.md").symlink_to("a.md")
    out = where_it_leads(repo / "plans" / "out.md", repo)
    assert not out.inside
    assert out.real == Path(os.path.realpath(repo.parent)) / "elsewhere" / "b.md"
    assert where_it_leads(repo / "plans" / "in.md", repo).inside


def test_a_folder_link_out_takes_everything_below_it_out(repo: Path) -> None:
    (repo / "linked").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    assert not where_it_leads(repo / "linked" / "b.md", repo).inside
    assert not where_it_leads(repo / "linked" / "missing.md", repo).inside


def test_a_root_reached_through_a_link_holds_its_own_files(repo: Path) -> None:
    """The root is followed too: /home -> /data/home must not make every plan "outside"."""
    alias = repo.parent / "alias"
    alias.symlink_to(repo, target_is_directory=True)
    where = where_it_leads(repo / "plans" / "a.md", alias)
    assert where.inside
    assert where.root == Path(os.path.realpath(repo))


def test_a_link_loop_is_its_own_path_not_an_exception(repo: Path) -> None:
    loop = repo / "plans" / "loop.md"
    loop.symlink_to("loop.md")
    assert where_it_leads(loop, repo).inside  # the loader's stat names the loop afterwards


def test_a_sibling_whose_name_starts_like_the_root_is_outside(repo: Path) -> None:
    """``/x/repo-old`` is not inside ``/x/repo``: whole path parts, not a string prefix."""
    sibling = repo.parent / "repo-old"
    sibling.mkdir()
    (repo / "plans" / "old.md").symlink_to(sibling)
    assert not where_it_leads(repo / "plans" / "old.md", repo).inside


def test_a_link_among_the_folders_inside_the_repository_is_refused(repo: Path) -> None:
    (repo / "out").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    with pytest.raises(NotReplaceable, match="expected a folder kamdocs may write into, found a symlink to") as caught:
        ensure_real_inside(repo / "out" / "deeper", repo, "write elsewhere")
    assert caught.value.filename == str(repo / "out")
    assert "write elsewhere" in str(caught.value)


def test_a_relative_folder_is_judged_from_the_current_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "out").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    monkeypatch.chdir(repo)
    with pytest.raises(NotReplaceable):
        ensure_real_inside(Path("out"), repo)


def test_real_and_missing_folders_inside_are_accepted(repo: Path) -> None:
    ensure_real_inside(repo / "plans", repo)
    ensure_real_inside(repo / "new" / "deeper", repo)


def test_a_folder_outside_the_repository_is_the_users_choice(repo: Path) -> None:
    """``-o /tmp/link/x.json`` outside the repository: no committed link can have put it there."""
    link = repo.parent / "link"
    link.symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    ensure_real_inside(link, repo)


def test_a_site_folder_that_is_a_link_is_refused_inside_and_outside(repo: Path) -> None:
    """A build empties its site folder: a link there would have its target emptied, wherever it is."""
    (repo / "site").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    outside = repo.parent / "site-link"
    outside.symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    for folder in (repo / "site", outside):
        with pytest.raises(NotReplaceable, match="found a symlink to"):
            ensure_real_site_folder(folder, repo, "set site_dir to a real folder")


def test_a_site_folder_reached_through_a_link_is_refused_only_inside(repo: Path) -> None:
    (repo / "out").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    (repo.parent / "elsewhere" / "site").mkdir()
    with pytest.raises(NotReplaceable) as caught:
        ensure_real_site_folder(repo / "out" / "site", repo, "set site_dir to a real folder")
    assert caught.value.filename == str(repo / "out")
    link = repo.parent / "link"
    link.symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    ensure_real_site_folder(link / "site", repo, "set site_dir to a real folder")  # the user's own path
    ensure_real_site_folder(repo / "site", repo, "set site_dir to a real folder")  # missing: built there


def test_shown_is_relative_inside_and_whole_outside(repo: Path) -> None:
    assert shown(repo / ".github" / "CODEOWNERS", repo) == Path(".github/CODEOWNERS")
    assert shown(repo.parent / "elsewhere" / "b.md", repo) == repo.parent / "elsewhere" / "b.md"


def test_make_folders_returns_what_it_made_outermost_first(tmp_path: Path) -> None:
    made = make_folders(tmp_path / "a" / "b" / "c")
    assert made == [tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"]
    assert make_folders(tmp_path / "a" / "b") == []
    remove_created(made)
    assert not (tmp_path / "a").exists()


def test_remove_created_leaves_a_folder_that_gained_other_files(tmp_path: Path) -> None:
    made = make_folders(tmp_path / "a" / "b")
    (tmp_path / "a" / "theirs.txt").write_text("x", encoding="utf-8")
    remove_created(made)
    assert not (tmp_path / "a" / "b").exists()
    assert (tmp_path / "a" / "theirs.txt").read_text(encoding="utf-8") == "x"


def test_write_new_makes_the_folders_and_writes(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "plans.json"
    write_new(target, b"{}")
    assert target.read_bytes() == b"{}"


def test_write_new_that_fails_leaves_no_folder_behind(tmp_path: Path) -> None:
    """The folders are made, then the file cannot be (a name longer than the file system takes):
    the folders made on the way are removed again, and the folder that was there stays."""
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "new" / "deeper" / ("x" * 300)
    with pytest.raises(OSError):
        write_new(target, b"x")
    assert (tmp_path / "out").is_dir()
    assert list((tmp_path / "out").iterdir()) == []
