"""No write through a link, anywhere, and no manifest that makes render delete what it did not write (issue 19).

Every place kamdocs writes a file (``export -o``, ``render``'s pages and
manifest, the files the plugin has MkDocs write into ``site_dir``) meets a
link to a file, a link to a FIFO, a dangling link and a link to a folder, and
a FIFO or socket itself. Each is refused with exit 2 (a build error for
MkDocs) naming the path and what it is, and the link's target keeps its bytes.
Every command that meets a FIFO runs in a subprocess with a timeout: a
FIFO opened for writing would block for ever, and fails the test instead of
stalling the suite. The others run in this process, which is faster.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kamdocs.site.output_folder import MANIFEST, MANIFEST_MAX_BYTES, RenderError, write_rendered
from kamdocs.site.render import GENERATED
from kamdocs.system.atomicfile import NotReplaceable

from .commands import (
    ENV,
    MKDOCS,
    TODAY,
    committed_plans,
    kamdocs,
    kamdocs_in_process,
    mkdocs_build,
    mkdocs_build_in_process,
    write_repo,
)
from .conftest import plan_text, run

KINDS = ("link-to-file", "link-to-fifo", "dangling-link", "link-to-folder", "fifo", "socket")
FOUND = {
    "link-to-file": "found a symlink to {victim}",
    "link-to-fifo": "found a symlink to {victim}, a named pipe (FIFO)",
    "dangling-link": "found a dangling symlink to {victim}",
    "link-to-folder": "found a symlink to {victim}, a folder",
    "fifo": "found a named pipe (FIFO)",
    "socket": "found a socket",
}
"""What each refusal says is there, with the link's target filled in."""


@contextmanager
def planted(kind: str, where: Path, victims: Path) -> Iterator[Path]:
    """``where`` made into ``kind``, pointing (for a link) at a victim under ``victims``; yields the victim."""
    victims.mkdir(exist_ok=True)
    victim = victims / f"victim-{kind}"
    where.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link-to-file":
        victim.write_bytes(b"precious\n")
    elif kind == "link-to-fifo":
        os.mkfifo(victim)
    elif kind == "link-to-folder":
        victim.mkdir()
    if kind.startswith("link-to") or kind == "dangling-link":
        os.symlink(victim, where)
    elif kind == "fifo":
        os.mkfifo(where)
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as held:
            here = Path.cwd()
            os.chdir(where.parent)  # a socket's path is limited to about 100 bytes; its name is not
            try:
                held.bind(where.name)
            finally:
                os.chdir(here)
            yield victim
        return
    yield victim


BLOCKING = frozenset({"link-to-fifo", "fifo"})
"""The kinds a write could block on (opening a FIFO waits for a reader; a socket refuses at once), so whose
commands run in a subprocess with a timeout."""


def command(kind: str | None, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """kamdocs ``args`` in ``repo``: in a subprocess with a timeout where ``kind`` could block, else in process."""
    if kind in BLOCKING:
        return kamdocs(repo, *args, timeout=60)
    return kamdocs_in_process(repo, *args)


def build(kind: str | None, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build args`` in ``repo``, into ``repo``'s sibling ``site``, as :func:`command` runs kamdocs."""
    if kind in BLOCKING:
        return mkdocs_build(repo, *args, timeout=120)
    return mkdocs_build_in_process(repo, *args)


def assert_untouched(kind: str, victim: Path) -> None:
    """The link's target is as it was: the file's bytes, the folder empty, nothing where a dangling link points."""
    if kind == "link-to-file":
        assert victim.read_bytes() == b"precious\n"
    elif kind == "link-to-folder":
        assert list(victim.iterdir()) == []
    elif kind == "dangling-link":
        assert not os.path.lexists(victim)


def repo_with_a_plan(tmp_path: Path) -> Path:
    return write_repo(tmp_path, {"acme": plan_text("acme")})


# export -o


@pytest.mark.parametrize("kind", KINDS)
def test_export_never_writes_through_a_link_or_into_a_special_file(tmp_path: Path, kind: str) -> None:
    repo = repo_with_a_plan(tmp_path)
    target = repo / "plans.json"
    with planted(kind, target, tmp_path / "outside") as victim:
        result = command(kind, repo, "export", "--format", "json", "-o", "plans.json", "--today", TODAY)
        if kind == "link-to-folder":  # click's own check of -o comes first, with the same exit code
            assert "Invalid value for '-o' / '--output': File 'plans.json' is a directory." in result.stderr
        else:
            expected = FOUND[kind].format(victim=victim)
            assert result.stderr.startswith(
                f"kamdocs: error: plans.json: expected a file kamdocs may replace, {expected};"
            )
            assert "leave out -o to write to standard output" in result.stderr
        assert result.returncode == 2
        assert result.stdout == ""
        assert_untouched(kind, victim)
        assert target.is_symlink() or not target.is_file()  # still what was planted
    assert sorted(p.name for p in repo.iterdir()) == ["docs", "mkdocs.yml", "plans", "plans.json"]


@pytest.mark.parametrize("command", ["export", "codeowners"])
def test_export_and_codeowners_never_write_through_a_linked_folder_in_the_repository(
    tmp_path: Path, command: str
) -> None:
    """A committed ``out -> /elsewhere`` (or ``.github -> /elsewhere``): the new file would land in
    /elsewhere. A folder outside the repository is the user's own choice and stays allowed."""
    repo = repo_with_a_plan(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder, args = {
        "export": ("out", ["export", "--format", "json", "-o", "out/plans.json", "--today", TODAY]),
        "codeowners": (".github", ["codeowners"]),
    }[command]
    os.symlink(elsewhere, repo / folder)
    result = kamdocs_in_process(repo, *args)
    assert result.returncode == 2, result.stderr
    assert f"{repo / folder}: expected a folder kamdocs may write into, found a symlink to {elsewhere}" in result.stderr
    assert list(elsewhere.iterdir()) == []
    if command == "export":
        outside = tmp_path / "mine" / "plans.json"  # outside the repository: written as asked
        done = kamdocs_in_process(repo, "export", "--format", "json", "-o", str(outside), "--today", TODAY)
        assert done.returncode == 0, done.stderr
        assert json.loads(outside.read_text(encoding="utf-8"))


# render: a page and the manifest


@pytest.mark.parametrize(
    "name", ["accounts/acme/index.md", "plans.json", MANIFEST], ids=["page", "download", "manifest"]
)
@pytest.mark.parametrize("kind", KINDS)
def test_render_never_writes_through_a_link_or_into_a_special_file(tmp_path: Path, kind: str, name: str) -> None:
    repo = repo_with_a_plan(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with planted(kind, out / name, tmp_path / "outside") as victim:
        for force in ((), ("--force",)):
            result = command(kind, repo, "render", str(out), *force)
            assert result.returncode == 2, result.stderr
            expected = f"{out / name}: expected a file kamdocs may replace, {FOUND[kind].format(victim=victim)};"
            assert result.stderr.startswith(f"kamdocs: error: {expected}"), result.stderr
            assert "not even --force writes there" in result.stderr
            assert len(result.stderr.splitlines()) == 1
            assert_untouched(kind, victim)
            written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
            assert written == sorted({name, *(p.as_posix() for p in Path(name).parents if p != Path("."))})


@pytest.mark.parametrize("kind", KINDS)
def test_render_refuses_an_out_dir_that_is_a_link_or_special_file(tmp_path: Path, kind: str) -> None:
    repo = repo_with_a_plan(tmp_path)
    out = tmp_path / "out"
    with planted(kind, out, tmp_path / "outside") as victim:
        result = command(kind, repo, "render", str(out), "--force")
        assert result.returncode == 2, result.stderr
        expected = f"{out}: expected a folder kamdocs may write into, {FOUND[kind].format(victim=victim)};"
        assert result.stderr.startswith(f"kamdocs: error: {expected}"), result.stderr
        assert_untouched(kind, victim)


def test_render_never_writes_through_a_linked_folder_on_the_way(tmp_path: Path) -> None:
    """``accounts`` a link to a folder outside, or dangling: refused, even with --force, and nothing lands there."""
    repo = repo_with_a_plan(tmp_path)
    for target in ("elsewhere", "nowhere"):
        out = tmp_path / f"out-{target}"
        out.mkdir()
        if target == "elsewhere":
            (tmp_path / target).mkdir()
        os.symlink(tmp_path / target, out / "accounts")
        result = kamdocs_in_process(repo, "render", str(out), "--force")
        assert result.returncode == 2, result.stderr
        assert f"{out / 'accounts'}: expected a folder kamdocs may write into, found a " in result.stderr
        assert target != "elsewhere" or list((tmp_path / target).iterdir()) == []
        assert not os.path.exists(tmp_path / "nowhere")


def test_render_refuses_an_out_dir_behind_a_linked_folder_of_the_repository(tmp_path: Path) -> None:
    """``kamdocs render docs/plans`` with a committed ``docs -> /elsewhere``: nothing lands in /elsewhere."""
    repo = repo_with_a_plan(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (repo / "docs").rename(elsewhere)
    os.symlink(elsewhere, repo / "docs")
    result = kamdocs_in_process(repo, "render", "docs/plans")
    assert result.returncode == 2, result.stderr
    assert f"{repo / 'docs'}: expected a folder kamdocs may write into, found a symlink to {elsewhere}" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["index.md"]


# render: a tampered manifest


def rendered(tmp_path: Path) -> tuple[Path, Path]:
    repo = repo_with_a_plan(tmp_path)
    out = tmp_path / "out"
    first = kamdocs_in_process(repo, "render", str(out))
    assert first.returncode == 0, first.stderr
    return repo, out


def listing(out: Path) -> dict[str, str]:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]


def with_listed(out: Path, extra: dict[str, str]) -> None:
    files = {**listing(out), **extra}
    (out / MANIFEST).write_text(json.dumps({"generator": "kamdocs render", "files": files}), encoding="utf-8")


@pytest.mark.parametrize(
    ("manifest", "found"),
    [
        (b'{"generator": "kamdocs render", "files": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested more than 4"),
        (b"[" * 100_000, "nested more than 4 levels deep"),  # unclosed, as deep
        (b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "nested more than 4 levels deep"),
        (b" " * (MANIFEST_MAX_BYTES + 1) + b"{}", "more than 16,777,216 bytes"),
        (b"\xff{}", "the byte 0xff at offset 0, which is not UTF-8"),
        (b'{"generator": "kamdocs render", "files": {"a": "x"', "text that is not JSON"),
        (b'{"files": {}}', 'JSON without "generator": "kamdocs render"'),
        (b'{"generator": "kamdocs render", "files": ["index.md"]}', '"files" that is not a mapping'),
        (b'{"generator": "kamdocs render", "files": {"index.md": 12}}', "the digest '12' for 'index.md'"),
        (b'{"generator": "kamdocs render", "files": {"x": "' + b"1" * 5000 + b'"}}', "which is not a SHA-256"),
        (b'"\\' + b'"' * 10, "text that is not JSON"),
    ],
    ids=[
        "deep-files",
        "deep-unclosed",
        "deep-objects",
        "oversized",
        "not-utf8",
        "not-json",
        "no-generator",
        "files-a-list",
        "digest-a-number",
        "digest-long",
        "odd-escapes",
    ],
)
def test_a_bad_manifest_is_one_line_saying_what_to_do_never_a_traceback(
    tmp_path: Path, manifest: bytes, found: str
) -> None:
    repo, out = rendered(tmp_path)
    (out / MANIFEST).write_bytes(manifest)
    result = kamdocs_in_process(repo, "render", str(out))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(
        f"kamdocs: error: {out / MANIFEST}: expected the list of files kamdocs render wrote, found "
    )
    assert found in result.stderr and "delete the folder and render again, or give --force" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert (out / MANIFEST).read_bytes() == manifest  # nothing was written
    forced = kamdocs_in_process(repo, "render", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "accounts/acme/index.md" in listing(out)  # a good manifest again


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_manifest_listing_a_foreign_file_with_its_digest_never_gets_it_deleted(tmp_path: Path) -> None:
    """The attack: the user's notes.md, listed with its correct SHA-256, was deleted by the next render. It
    carries no "generated" comment, so it is not render's: reported, kept, and dropped from the manifest."""
    repo, out = rendered(tmp_path)
    notes = out / "notes.md"
    notes.write_bytes(b"# My notes\n")
    old_page = out / "accounts" / "gone" / "index.md"  # where an earlier render's page would be
    old_page.parent.mkdir()
    old_page.write_bytes(b"---\ntitle: mine\n---\n")
    with_listed(out, {"notes.md": digest(notes), "accounts/gone/index.md": digest(old_page)})
    refused = kamdocs_in_process(repo, "render", str(out))
    assert refused.returncode == 1, refused.stderr
    assert "found 2 file(s) it did not write or that changed since: accounts/gone/index.md, notes.md" in refused.stderr
    forced = kamdocs_in_process(repo, "render", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert ", 0 removed." in forced.stdout
    assert notes.read_bytes() == b"# My notes\n"
    assert old_page.read_bytes() == b"---\ntitle: mine\n---\n"
    assert "notes.md" not in listing(out) and "accounts/gone/index.md" not in listing(out)


def test_a_page_render_wrote_for_a_deleted_plan_still_goes(tmp_path: Path) -> None:
    """The other side of the mark: a page that carries it, listed and unchanged, is removed as before."""
    repo, out = rendered(tmp_path)
    page = out / "accounts" / "acme" / "index.md"
    assert page.read_bytes().startswith(f"---\n# {GENERATED}\n".encode())
    (repo / "plans" / "beta.md").write_text(plan_text("beta"), encoding="utf-8")
    (repo / "plans" / "acme.md").unlink()
    again = kamdocs_in_process(repo, "render", str(out))
    assert again.returncode == 0, again.stderr
    assert not page.exists() and not page.parent.exists()
    assert (out / "accounts" / "beta" / "index.md").is_file()


@pytest.mark.parametrize("listed", ["../victim.md", "{outside}/victim.md", "accounts/../../victim.md", "./index.md"])
def test_a_manifest_path_that_leaves_the_folder_is_refused(tmp_path: Path, listed: str) -> None:
    """The victim carries render's own mark and the right digest: only the path check keeps it."""
    repo, out = rendered(tmp_path)
    victim = tmp_path / "victim.md"
    victim.write_bytes((out / "index.md").read_bytes())
    name = listed.format(outside=tmp_path)
    with_listed(out, {name: digest(victim)})
    refused = kamdocs_in_process(repo, "render", str(out))
    assert refused.returncode == 1, refused.stderr
    assert f"found the path {name!r}, which " in refused.stderr
    forced = kamdocs_in_process(repo, "render", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert victim.read_bytes() == (out / "index.md").read_bytes()


def test_a_manifest_path_through_a_linked_folder_deletes_nothing_behind_it(tmp_path: Path) -> None:
    """``elsewhere -> outside`` in the folder, and the manifest lists ``elsewhere/index.md`` with the digest
    of a copy of a rendered page there: --force leaves the link and what it leads to alone."""
    repo, out = rendered(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.md").write_bytes((out / "index.md").read_bytes())
    os.symlink(outside, out / "elsewhere")
    with_listed(out, {"elsewhere/index.md": digest(outside / "index.md")})
    refused = kamdocs_in_process(repo, "render", str(out))
    assert refused.returncode == 1 and "elsewhere" in refused.stderr, refused.stderr
    forced = kamdocs_in_process(repo, "render", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (outside / "index.md").read_bytes() == (out / "index.md").read_bytes()
    assert (out / "elsewhere").is_symlink()


def test_serves_trusted_folder_removes_nothing_through_a_link_either(tmp_path: Path) -> None:
    """``serve`` trusts its own overlay's manifest (no hashing); a path through a link is still not followed."""
    folder = tmp_path / "section"
    page = f"---\n# {GENERATED}\n---\n".encode()
    write_rendered(folder, {"a/index.md": page, "b/index.md": page})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.md").write_bytes(page)
    (folder / "b" / "index.md").unlink()
    (folder / "b").rmdir()
    os.symlink(outside, folder / "b")
    done = write_rendered(folder, {"a/index.md": page}, trusted=True)
    assert done.removed == ()
    assert (outside / "index.md").read_bytes() == page
    with pytest.raises(NotReplaceable, match="expected a folder kamdocs may write into, found a symlink to"):
        write_rendered(folder, {"b/index.md": page}, trusted=True)
    (folder / MANIFEST).write_text('{"generator": "kamdocs render", "files": {"../x": "' + "0" * 64 + '"}}')
    with pytest.raises(RenderError, match="leads out of the folder"):
        write_rendered(folder, {"a/index.md": page}, trusted=True)


# mkdocs build: the files the plugin has MkDocs write


def test_a_clean_build_replaces_a_link_planted_in_site_dir_and_leaves_its_target(tmp_path: Path) -> None:
    """What MkDocs does itself: a clean build empties site_dir (a real folder's links are removed, not
    followed), so the plugin's plans.json lands as a new file and the victim keeps its bytes."""
    repo = repo_with_a_plan(tmp_path)
    site = tmp_path / "site"
    with planted("link-to-file", site / "plans" / "plans.json", tmp_path / "outside") as victim:
        built = build("link-to-file", repo)
        assert built.returncode == 0, built.stderr
        assert_untouched("link-to-file", victim)
        written = site / "plans" / "plans.json"
        assert not written.is_symlink() and json.loads(written.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["link-to-file", "link-to-fifo", "dangling-link", "link-to-folder", "fifo"])
def test_a_dirty_build_refuses_a_link_or_special_file_where_the_plugin_writes(tmp_path: Path, kind: str) -> None:
    """``mkdocs build --dirty`` keeps what site_dir holds, and MkDocs opens each file following links (a FIFO
    would block it): the plugin stops the build first, naming the file."""
    repo = repo_with_a_plan(tmp_path)
    site = tmp_path / "site"
    with planted(kind, site / "plans" / "plans.json", tmp_path / "outside") as victim:
        built = build(kind, repo, "--dirty")
        assert built.returncode == 1, built.stderr
        expected = f"kamdocs: {site / 'plans' / 'plans.json'}: expected a file kamdocs may replace, "
        assert expected + FOUND[kind].format(victim=victim) in built.stderr, built.stderr
        assert "Traceback" not in built.stderr
        assert_untouched(kind, victim)
        assert not (site / "plans" / "plans.csv").exists()  # stopped before MkDocs wrote any of its files


@pytest.mark.parametrize(
    "where", ["index.html", "404.html", "sitemap.xml.gz", "assets/kamdocs/kamdocs.css", "search/search_index.json"]
)
def test_a_dirty_build_refuses_a_link_anywhere_mkdocs_writes(tmp_path: Path, where: str) -> None:
    """The same check covers what MkDocs writes for the rest of the site: a page, a theme template, the
    compressed sitemap, an asset, and the search plugin's index (written after the plugin's last look)."""
    repo = write_repo(tmp_path, {"acme": plan_text("acme")}, MKDOCS.replace("plugins:\n", "plugins:\n  - search\n"))
    site = tmp_path / "site"
    with planted("link-to-file", site / where, tmp_path / "outside") as victim:
        built = build("link-to-file", repo, "--dirty")
        assert built.returncode == 1, built.stderr
        assert f"kamdocs: {site / where}: expected a file kamdocs may replace, found a symlink to {victim}" in (
            built.stderr
        )
        assert_untouched("link-to-file", victim)


def test_a_build_refuses_a_plans_folder_in_site_dir_that_links_elsewhere(tmp_path: Path) -> None:
    """A clean build cannot remove a symlinked folder (MkDocs' rmtree of it fails quietly), so every page
    and download would land in its target: the plugin refuses, and the target stays empty."""
    repo = repo_with_a_plan(tmp_path)
    site = tmp_path / "site"
    with planted("link-to-folder", site / "plans", tmp_path / "outside") as victim:
        built = build("link-to-folder", repo)
        assert built.returncode == 1, built.stderr
        assert f"kamdocs: {site / 'plans'}: expected a folder kamdocs may write into, found a symlink to {victim}" in (
            built.stderr
        )
        assert list(victim.iterdir()) == []


def test_a_fifo_in_site_dir_never_blocks_a_build(tmp_path: Path) -> None:
    """A subprocess timeout guards the test: MkDocs opening the FIFO would wait for a reader for ever."""
    repo = repo_with_a_plan(tmp_path)
    site = tmp_path / "site"
    (site / "assets" / "kamdocs").mkdir(parents=True)
    os.mkfifo(site / "assets" / "kamdocs" / "kamdocs.js")  # the table script the plugin adds
    try:
        built = mkdocs_build(repo, "--dirty", timeout=120)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test exists for
        pytest.fail("mkdocs build blocked on a FIFO in site_dir")
    assert built.returncode == 1 and "found a named pipe (FIFO)" in built.stderr, built.stderr


# site_dir itself: MkDocs empties it before it writes


@pytest.mark.parametrize(
    ("how", "site_dir"),
    [
        ("kamdocs build", "site"),
        ("kamdocs build --render", "site"),
        ("kamdocs build -d", "site"),
        ("mkdocs build", "site"),
        ("mkdocs build", "out/site"),
        ("kamdocs build", "out/site"),
    ],
)
def test_a_site_dir_that_is_a_link_or_lies_behind_one_is_refused_before_it_is_emptied(
    tmp_path: Path, how: str, site_dir: str
) -> None:
    """A committed ``site -> /elsewhere`` (or ``out -> /elsewhere`` with site_dir ``out/site``): the site
    was built into /elsewhere after its files were deleted (kamdocs build resolved the link away, and
    MkDocs empties the folder before any plugin sees a file). Now refused, exit 2 or a build error."""
    mkdocs = MKDOCS + f"site_dir: {site_dir}\n"
    repo = write_repo(tmp_path, {"acme": plan_text("acme")}, mkdocs)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "site").mkdir(parents=True)
    (elsewhere / "keep.txt").write_bytes(b"precious\n")
    link = repo / site_dir.split("/")[0]
    os.symlink(elsewhere, link)
    env = {**ENV, "NO_MKDOCS_2_WARNING": "1"}
    if how.startswith("mkdocs"):
        command = [sys.executable, "-m", "mkdocs", "build"]
    else:
        command = [sys.executable, "-m", "kamdocs", *how.split()[1:], *([site_dir] if how.endswith("-d") else [])]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == (1 if how.startswith("mkdocs") else 2), result.stderr
    assert (
        f"{link}: expected a folder kamdocs may write into, found a symlink to {elsewhere}, a folder" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == ["keep.txt", "site"]
    assert (elsewhere / "keep.txt").read_bytes() == b"precious\n"


def test_new_does_not_update_a_codeowners_file_behind_a_linked_folder(tmp_path: Path) -> None:
    """new keeps CODEOWNERS current when the repository has one; behind ``.github -> /elsewhere`` it warns
    and leaves the file there alone."""
    repo = tmp_path / "repo"
    assert kamdocs_in_process(tmp_path, "init", str(repo), "--today", TODAY).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    (repo / ".github").rename(elsewhere)
    os.symlink(elsewhere, repo / ".github")
    before = (elsewhere / "CODEOWNERS").read_bytes()
    made = kamdocs_in_process(repo, "new", "acme", "--kind", "one-page", "--account", "Acme", "--owner", "kim@example.com",
                              "--area", "Labs", "--reviewer", "@sales-lead", "--today", TODAY)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert ".github/CODEOWNERS was not updated (" in made.stderr and "found a symlink to" in made.stderr
    assert (elsewhere / "CODEOWNERS").read_bytes() == before
    assert (repo / "plans" / "acme.md").is_file()


# The one helper


def test_the_helper_says_what_is_there_and_is_exit_2_and_an_os_error(tmp_path: Path) -> None:
    from kamdocs.errors import UsageError
    from kamdocs.system.atomicfile import ensure_real_folder, ensure_replaceable, write_atomically

    victim = tmp_path / "victim"
    victim.write_bytes(b"precious\n")
    (tmp_path / "folder").mkdir()
    os.symlink(victim, tmp_path / "link")
    os.symlink(tmp_path / "folder", tmp_path / "linked-folder")
    for path, words in (
        (tmp_path / "link", f"found a symlink to {victim};"),
        (tmp_path / "folder", "found a folder;"),
        (tmp_path / "linked-folder" / "x.json", f"{tmp_path / 'linked-folder'}: expected a folder kamdocs may write"),
    ):
        with pytest.raises(NotReplaceable) as caught:
            ensure_replaceable(path, within=tmp_path)
        assert words in str(caught.value) and isinstance(caught.value, OSError | UsageError)
        assert caught.value.exit_code == 2
    ensure_replaceable(tmp_path / "linked-folder" / "x.json")  # without ``within`` the folders are the caller's
    ensure_replaceable(tmp_path / "missing" / "deeper" / "x.json", within=tmp_path)
    ensure_replaceable(victim, within=tmp_path)
    assert ensure_real_folder(tmp_path / "folder", tmp_path) and not ensure_real_folder(tmp_path / "no", tmp_path)
    with pytest.raises(NotReplaceable):
        write_atomically(tmp_path / "link", b"new\n")
    assert victim.read_bytes() == b"precious\n"
    write_atomically(tmp_path / "link", b"edited\n", follow_links=True)  # a plan edit, whose link was judged
    assert victim.read_bytes() == b"edited\n" and (tmp_path / "link").is_symlink()


def test_a_hard_link_is_replaced_by_name_and_its_other_name_keeps_its_bytes(tmp_path: Path) -> None:
    """A hard link is a regular file, so it is not refused; the write renames a new file over the name,
    so the user's file behind the other name is never written (export -o, a page with --force, the manifest)."""
    repo = repo_with_a_plan(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    os.link(victim, repo / "plans.json")
    exported = kamdocs_in_process(repo, "export", "--format", "json", "-o", "plans.json", "--today", TODAY)
    assert exported.returncode == 0, exported.stderr
    assert json.loads((repo / "plans.json").read_text(encoding="utf-8")) and victim.read_bytes() == b"precious\n"
    out = tmp_path / "out"
    (out / "accounts" / "acme").mkdir(parents=True)
    os.link(victim, out / "accounts" / "acme" / "index.md")
    forced = kamdocs_in_process(repo, "render", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert victim.read_bytes() == b"precious\n"
    manifest = tmp_path / "manifest-victim.json"
    manifest.write_bytes((out / MANIFEST).read_bytes())
    (out / MANIFEST).unlink()
    os.link(manifest, out / MANIFEST)
    before = manifest.read_bytes()
    (repo / "plans" / "beta.md").write_text(plan_text("beta"), encoding="utf-8")
    again = kamdocs_in_process(repo, "render", str(out))
    assert again.returncode == 0, again.stderr
    assert manifest.read_bytes() == before and "accounts/beta/index.md" in listing(out)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["export", "--format", "json", "-o", "plans/acme.md"], "-o"),
        (["export", "--format", "csv", "-o", "plans/../plans/acme.md"], "-o"),
        (["export", "--format", "ics", "-o", "link-to-plan.md"], "-o"),
        (["codeowners", "--file", "plans/acme.md"], "--file"),
        (["codeowners", "--file", "link-to-plan.md"], "--file"),
    ],
)
def test_export_and_codeowners_never_write_into_a_plan(tmp_path: Path, args: list[str], option: str) -> None:
    """Only new, review and rollover change a plan file; an output path that is a plan is a usage error."""
    repo = committed_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    (repo.path / "link-to-plan.md").symlink_to("plans/acme.md")
    before = (repo.path / "plans" / "acme.md").read_bytes()
    result = (
        kamdocs_in_process(repo.path, *args, "--today", TODAY)
        if args[0] == "export"
        else kamdocs_in_process(repo.path, *args)
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"kamdocs: error: {option}: expected a file that is not a plan, found the plan ")
    assert (repo.path / "plans" / "acme.md").read_bytes() == before
    assert (repo.path / "link-to-plan.md").is_symlink()


@pytest.mark.parametrize("outside", ["elsewhere", "elsewhere/deeper"])
def test_new_refuses_a_plans_folder_that_leads_out_of_the_repository(tmp_path: Path, outside: str) -> None:
    """review refuses to edit through such a link, and check calls such plans symlink-outside; new must not write there."""
    repo = committed_plans(tmp_path / "repo", {"docs/placeholder.md": "x\n"})
    (tmp_path / outside).mkdir(parents=True)
    assert not (repo.path / "plans").exists()
    (repo.path / "plans").symlink_to(tmp_path / outside)
    args = ["new", "beta", "--kind", "one-page", "--account", "B", "--owner", "o@example.com", "--area", "Lab"]
    result = kamdocs_in_process(repo.path, *args, "--today", TODAY)
    assert result.returncode == 1, result.stderr
    assert "outside the repository" in result.stderr and len(result.stderr.splitlines()) == 1
    assert list((tmp_path / outside).iterdir()) == []


@pytest.mark.parametrize("command", ["codeowners", "export"])
def test_a_link_in_the_repository_that_leads_out_is_never_written_through(
    make_repo, tmp_path: Path, command: str
) -> None:
    """A pull request can put a symlink where CI writes; the file it points at outside stays untouched."""
    repo = make_repo({"plans/a.md": plan_text("a", **{"reviewer: bam@example.com": "reviewer: '@bam'"})})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    if command == "codeowners":
        (repo / ".github").mkdir()
        os.symlink(victim, repo / ".github/CODEOWNERS")
        args = ["codeowners"]
    else:
        os.symlink(victim, repo / "plans.json")
        args = ["export", "--format", "json", "-o", "plans.json", "--today", TODAY]
    done = run(args, repo)
    assert done.exit_code == 2, done.output
    assert f"found a symlink to {victim}" in done.output and "never writes through a symlink" in done.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    inside = repo / "out.json"  # a link inside the repository is refused too: no write through a link, anywhere
    inside.write_text("old\n", encoding="utf-8")
    os.symlink("out.json", repo / "link-in.json")
    assert run(["export", "--format", "json", "-o", "link-in.json", "--today", TODAY], repo).exit_code == 2
    assert inside.read_text(encoding="utf-8") == "old\n"
