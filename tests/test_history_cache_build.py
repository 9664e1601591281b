"""The history cache in real ``mkdocs build``s: cold, warm and switched off, the sites are the same byte for byte.

No page may depend on whether the figures came from the cache. Until the plan pages draw their trends, a
build hook (MkDocs' own ``hooks:``) writes every shown plan's public timeline into the site, read through
the plugin's :attr:`SiteBuilder.timelines` as the pages read it, so the comparison covers the figures.
A cache that is garbage, a link, or a folder that cannot be made never fails a build nor changes it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .commands import mkdocs_build_in_process, site_config
from .conftest import GitRepo, plan_text
from .test_timeline import rising

CANARY = "CANARY-hc-9Kq2"

HOOK = """
from pathlib import Path


def on_post_build(config):
    builder = config.plugins["kamdocs"].builder
    lines = [repr(builder.timelines[file]) for file in sorted(builder.timelines)]
    Path(config.site_dir, "timelines.txt").write_text("\\n".join(lines), encoding="utf-8")
"""


def make(repo: GitRepo, *options: str) -> None:
    rising(repo)
    secret = {"kind: one-page\n": "kind: one-page\nconfidential: true\n", "Body text.": f"Body text {CANARY}."}
    repo.commit("hush", "2026-02-01T09:00:00+00:00", **{"plans__hush.md": plan_text("hush", **secret)})
    repo.commit("hush public", "2026-04-01T09:00:00+00:00", **{"plans__hush.md": plan_text("hush")})
    repo.write(
        "mkdocs.yml", site_config('today: "2026-11-20"', *options, search=False) + "hooks: [timelines_hook.py]\n"
    )
    repo.write("timelines_hook.py", HOOK)
    repo.write("docs/index.md", "# Plans\n")


def build(root: Path, site: Path) -> None:
    result = mkdocs_build_in_process(root, site=site)
    assert result.returncode == 0, result.stdout + result.stderr


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(one: Path, other: Path) -> None:
    first, second = files_of(one), files_of(other)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []


def cache_file(root: Path) -> Path:
    found = list((root / ".cache" / "kamdocs").glob("history-*.json"))
    assert len(found) == 1, found
    return found[0]


def test_cold_warm_and_off_build_the_same_site(git_repo: GitRepo, tmp_path: Path) -> None:
    make(git_repo)
    root = git_repo.path
    build(root, tmp_path / "cold")
    text = (tmp_path / "cold" / "timelines.txt").read_text(encoding="utf-8")
    # rise.md: six commits, each judged; hush.md: only its public version of 2026-04-01 is shown.
    assert text.count("Point(") == 7 and "2026, 4, 1" in text and "2026, 2, 1" not in text
    stored = cache_file(root)
    entries = json.loads(stored.read_bytes())
    # Every committed version judged once in the public view: six of rise.md, two of hush.md.
    assert len(entries) == 8 and all(key.endswith((":1:plans/rise.md", ":1:plans/hush.md")) for key in entries)
    before = (stored.stat().st_ino, stored.read_bytes())

    build(root, tmp_path / "warm")
    assert_same_site(tmp_path / "cold", tmp_path / "warm")
    # Every version came from the cache: nothing new was judged, so the file was not written again (a write
    # replaces it by another file, with another inode).
    assert (stored.stat().st_ino, stored.read_bytes()) == before

    git_repo.write(
        "mkdocs.yml",
        git_repo.path.joinpath("mkdocs.yml").read_text().replace("today:", "history_cache: false\n      today:"),
    )
    shutil.rmtree(root / ".cache")
    build(root, tmp_path / "off")
    assert not (root / ".cache").exists()
    assert_same_site(tmp_path / "cold", tmp_path / "off")
    for site in ("cold", "warm", "off"):
        for name, data in files_of(tmp_path / site).items():
            assert CANARY.encode() not in data, name


def test_a_broken_cache_never_fails_the_build(git_repo: GitRepo, tmp_path: Path) -> None:
    make(git_repo)
    root = git_repo.path
    build(root, tmp_path / "first")
    stored = cache_file(root)
    name = stored.name

    stored.write_bytes(b"\xff\xfe not json {{{")  # garbage
    build(root, tmp_path / "garbage")
    assert_same_site(tmp_path / "first", tmp_path / "garbage")
    assert len(json.loads(stored.read_bytes())) == 8  # judged again and written anew

    entries = json.loads(stored.read_bytes())
    stored.write_text(json.dumps({key: ["wrong", "shape"] for key in entries}))  # the right keys, wrong entries
    build(root, tmp_path / "shape")
    assert_same_site(tmp_path / "first", tmp_path / "shape")

    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(entries))
    stored.unlink()
    stored.symlink_to(outside)  # a link: neither read nor written through
    build(root, tmp_path / "link")
    assert_same_site(tmp_path / "first", tmp_path / "link")
    assert json.loads(outside.read_text()) == entries

    shutil.rmtree(root / ".cache")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cache").mkdir()
    os.symlink(elsewhere, root / ".cache" / "kamdocs")  # the folder a link
    build(root, tmp_path / "folder-link")
    assert_same_site(tmp_path / "first", tmp_path / "folder-link")
    assert list(elsewhere.iterdir()) == []

    shutil.rmtree(root / ".cache")
    (root / ".cache").write_text("a file where the folder would be")  # the folder cannot be made
    build(root, tmp_path / "unwritable")
    assert_same_site(tmp_path / "first", tmp_path / "unwritable")
    assert (root / ".cache").read_text() == "a file where the folder would be"
    assert name.startswith("history-")


def test_a_change_of_markdown_extensions_starts_a_new_cache_file() -> None:
    """The public view hides the sections the site's renderer makes headings of: another renderer, another
    fingerprint (a renderer is the same one on every call)."""
    from kamdocs.report.history_cache import renderer_digest
    from kamdocs.rules.confidential_body import BODY_EXTENSIONS, body_renderer

    ours = renderer_digest(body_renderer())
    assert ours == renderer_digest(body_renderer()) != ""
    assert renderer_digest(None) == ""
    others = {renderer_digest(body_renderer([*BODY_EXTENSIONS, extra])) for extra in ("attr_list", "pymdownx.details")}
    assert ours not in others and len(others) == 2


def test_entries_of_the_wrong_type_are_judged_again_and_old_files_pruned(git_repo: GitRepo, tmp_path: Path) -> None:
    """An entry edited to another type (a count as text or a fraction, a unit as a number, an unknown kind, a
    number that is not finite) is not read; a file of another fingerprint unread for 30 days goes at the next
    write, one read lately stays."""
    make(git_repo)
    root = git_repo.path
    build(root, tmp_path / "first")
    stored = cache_file(root)
    entries = json.loads(stored.read_bytes())
    original = json.loads(stored.read_bytes())
    edits = [
        ("quality_score", "70"),
        ("quality_score", 70.5),
        ("goal_unit", 5),
        ("kind", "splendid"),
        ("open_commitments", True),
    ]
    keys = sorted(entries)
    for key, (field, value) in zip(keys, edits, strict=False):
        entries[key][0][field] = value
    text = json.dumps(entries).replace('"goal_actual": 380000', '"goal_actual": NaN')
    assert "NaN" in text
    stored.write_text(text)
    old = stored.parent / "history-000000000000000000000000.json"
    old.write_text("{}")
    os.utime(old, (1, 1))
    recent = stored.parent / "history-111111111111111111111111.json"
    recent.write_text("{}")
    build(root, tmp_path / "edited")
    assert_same_site(tmp_path / "first", tmp_path / "edited")
    assert not old.exists() and recent.exists()
    assert json.loads(stored.read_bytes()) == original  # each edited entry judged again and written back
