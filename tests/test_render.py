"""``kamdocs render``: the plans section as plain source, the same pages the plugin serves.

The pages are built here with a real ``mkdocs build`` of the rendered folder,
without the plugin, and compared with the plugin's own site page by page.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kamdocs.site.output_folder import MANIFEST
from kamdocs.site.render import GENERATED, NAV_FILE, page_url

from .commands import ENV, sample_repo, site_config
from .conftest import plan_text, run
from .grid_data import grid_rows

EPOCH = {"SOURCE_DATE_EPOCH": "1793491200"}  # 2026-11-01
HOSTILE = plan_text(
    "hostile-account",
    **{
        "account: Example Account AG": "account: '<img src=x onerror=alert(1)> Müller & *Söhne*'",
        "Body text.": "## Risks *now* & [later] #1 \\\\ `code_x`\n\n<script>alert('body')</script>\n\n"
        '<a href="javascript:alert(2)">link</a>\n\n# A body H1\n\nText with <b>bold</b>.',
    },
)
RENDER_SITE = """\
site_name: Rendered
theme:
  name: material
  font: false
extra_css: [plans/assets/kamdocs.css]
extra_javascript: [plans/assets/kamdocs.js]
nav:
  - Home: index.md
"""


def plans_repo(root: Path) -> Path:
    """This repository's sample plans plus a hostile one, with the plugin configured, git off."""
    mkdocs = site_config("git: false", "on_invalid: warn", site_name="Plugin")
    return sample_repo(root, mkdocs, {"index.md": "# Home\n"}, {"hostile-account": HOSTILE})


def render(repo: Path, out: Path, *args: str, env: dict[str, str] | None = None):
    return run(["render", str(out), *args], repo, env={**EPOCH, **(env or {})})


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_render_writes_every_page_asset_and_download_the_same_bytes_each_time(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path)
    first = render(repo, tmp_path / "a")
    assert first.exit_code == 0, first.output
    assert "Rendered 28 pages" in first.output
    again = render(repo, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    files = tree(tmp_path / "a")
    for name in ("index.md", "commitments/index.md", "budget/index.md", "scorecard/index.md", "stakeholders/index.md",
                 "accounts/hostile-account/index.md", "by-owner/index.md", "plans.json", "plans.csv",
                 "commitments.ics", "plans.xlsx", "assets/kamdocs.css", "assets/kamdocs.js", NAV_FILE, MANIFEST):  # fmt: skip
        assert name in files, name
    assert again.exit_code == 0, again.output
    for name, data in files.items():
        if name.endswith(".md"):
            assert data.startswith(f"---\n# {GENERATED}\n".encode()), name
        if name.endswith((".css", ".js")):
            assert data.startswith(f"/* {GENERATED} */".encode()), name
    assert files[NAV_FILE].startswith(f"# {GENERATED}".encode())
    manifest = json.loads(files[MANIFEST])
    assert sorted(manifest["files"]) == sorted(n for n in files if n != MANIFEST)
    json.loads(files["plans.json"])  # a download stays its own format: no comment in it
    assert files["plans.csv"].startswith(b"\xef\xbb\xbf") or files["plans.csv"][:1].isalpha()


def test_a_second_render_into_the_same_folder_writes_nothing_and_a_deleted_plan_goes(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path)
    out = tmp_path / "out"
    assert render(repo, out).exit_code == 0
    second = render(repo, out)
    assert ": 0 written," in second.output and "0 removed" in second.output
    (repo / "plans" / "hostile-account.md").unlink()
    third = render(repo, out)
    assert third.exit_code == 0, third.output
    assert not (out / "accounts" / "hostile-account").exists()  # its folder too
    assert "2 removed" in third.output  # its page and its owner's page
    assert "accounts/hostile-account/index.md" not in json.loads((out / MANIFEST).read_text())["files"]


@pytest.mark.parametrize(
    "intruder",
    ["notes.md", "accounts/extra.md", "index.md", ".hidden"],
    ids=["new-file", "new-file-in-subfolder", "edited-generated-page", "hidden-file"],
)
def test_render_refuses_a_folder_with_files_it_did_not_write(tmp_path: Path, intruder: str) -> None:
    repo = plans_repo(tmp_path)
    out = tmp_path / "out"
    assert render(repo, out).exit_code == 0
    target = out / intruder
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("mine\n", encoding="utf-8")
    refused = render(repo, out)
    assert refused.exit_code == 1
    assert intruder in refused.output and "--force" in refused.output
    assert target.read_text(encoding="utf-8") == "mine\n"  # nothing was written
    forced = render(repo, out, "--force")
    assert forced.exit_code == 0, forced.output
    if intruder == "index.md":
        assert target.read_bytes().startswith(b"---\n# Generated")  # its own page, rewritten on request
    else:
        assert target.read_text(encoding="utf-8") == "mine\n"  # never removed, not even with --force


def test_render_refuses_folders_it_must_not_write(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path)
    inside = render(repo, repo / "plans" / "site")
    assert inside.exit_code == 2 and "apart from the plans folder" in inside.output
    around = render(repo, repo)
    assert around.exit_code == 2
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert render(repo, tmp_path / "file").exit_code != 0
    (tmp_path / "linked").mkdir()
    os.symlink(tmp_path / "linked", tmp_path / "out-link")
    linked = render(repo, tmp_path / "out-link")
    assert linked.exit_code == 2 and "symlink" in linked.output
    assert not any((tmp_path / "linked").iterdir())
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(tmp_path / "linked", out / "accounts")
    through = render(repo, out, "--force")
    assert through.exit_code == 2 and "symlink" in through.output
    assert not any((tmp_path / "linked").iterdir())


def test_render_stops_on_an_invalid_plan_as_the_plugin_does(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path)
    (repo / "mkdocs.yml").write_text(
        (repo / "mkdocs.yml").read_text(encoding="utf-8").replace("on_invalid: warn", "on_invalid: error")
    )
    (repo / "plans" / "broken.md").write_text("---\nid: broken\naccount: [\n---\n", encoding="utf-8")
    result = render(repo, tmp_path / "out")
    assert result.exit_code == 1
    assert "plans/broken.md:" in result.output and "on_invalid: warn" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_nothing_a_plan_says_lands_unescaped_in_the_rendered_markdown(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path)
    assert render(repo, tmp_path / "out").exit_code == 0
    for path in (tmp_path / "out").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<b>bold" not in text.replace("<b>bold</b>", "")
        assert "<img src=x" not in text and "javascript:" not in text, path
    page = (tmp_path / "out" / "accounts" / "hostile-account" / "index.md").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt; Müller &amp; *Söhne*" in page
    # The body's headings are Markdown headings (the engine's table of contents lists them), escaped.
    assert re.search(r"^## Risks <em>now</em> &amp; \\\[later\\\] \\#1", page, re.M), page
    assert "## A body H1" in page  # the page's only H1 is the account


def article_text(page: Path) -> str:
    """The visible text of a built page's article, without its H1 (titles come from the nav or the page)."""
    text = page.read_text(encoding="utf-8")
    article = text[text.index("<article") : text.index("</article>")]
    article = re.sub(r"<h1\b.*?</h1>", " ", article, flags=re.S)
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", article, flags=re.S)
    article = re.sub(r'<a class="headerlink".*?</a>', " ", article, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def grid_data(page: Path) -> list:
    return grid_rows(page)


@pytest.mark.e2e
@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_the_rendered_pages_built_by_mkdocs_match_the_plugins_site(tmp_path: Path, directory_urls: bool) -> None:
    """One page generator: every generated page reads the same, with the same links, on both paths."""
    repo = plans_repo(tmp_path)
    flag = [] if directory_urls else ["--no-directory-urls"]
    plugin = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "plugin-site"), *flag],
        cwd=repo, capture_output=True, text=True, env={**ENV, **EPOCH}, timeout=300, check=False,
    )  # fmt: skip
    assert plugin.returncode == 0, plugin.stderr
    plain = tmp_path / "plain"
    (plain / "docs").mkdir(parents=True)
    (plain / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (plain / "mkdocs.yml").write_text(RENDER_SITE + f"use_directory_urls: {str(directory_urls).lower()}\n")
    assert render(repo, plain / "docs" / "plans", *flag).exit_code == 0
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "render-site")],
        cwd=plain, capture_output=True, text=True, env={k: v for k, v in ENV.items() if "PYTHONPATH" not in k},
        timeout=300, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    pages = sorted((tmp_path / "plugin-site" / "plans").rglob("*.html"))
    assert len(pages) == 28
    for page in pages:
        twin = tmp_path / "render-site" / page.relative_to(tmp_path / "plugin-site")
        assert twin.is_file(), twin
        assert article_text(twin) == article_text(page), page
        assert grid_data(twin) == grid_data(page), page  # every row's link is the same too
    for name in ("plans.json", "plans.csv", "commitments.ics", "plans.xlsx"):
        assert (tmp_path / "render-site" / "plans" / name).read_bytes() == (
            tmp_path / "plugin-site" / "plans" / name
        ).read_bytes()
    hostile_url = page_url("plans/accounts/hostile-account.md", directory_urls)
    hostile = (tmp_path / "render-site" / hostile_url / ("index.html" if directory_urls else "")).read_text()
    assert "<script>alert" not in hostile and "javascript:alert" not in hostile
    assert "kamdocs.js" in hostile and "kamdocs.css" in hostile


@pytest.mark.parametrize(
    ("src", "directory", "flat"),
    [
        ("plans/index.md", "plans/", "plans/index.html"),
        ("plans/accounts/a.md", "plans/accounts/a/", "plans/accounts/a.html"),
        ("index.md", "./", "index.html"),
        ("plans/README.md", "plans/", "plans/index.html"),
        ("plans/plans.json", "plans/plans.json", "plans/plans.json"),
    ],
)
def test_page_urls_follow_the_engines_layout(src: str, directory: str, flat: str) -> None:
    assert page_url(src, True) == directory
    assert page_url(src, False) == flat


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Replace all 14 legacy checkweighers", "Replace all 15 legacy checkweighers"),  # the plan's own text
        ("owner: lea.brunner@example.com", "owner: new.owner@example.com"),  # a grouped page appears
    ],
    ids=["text", "new-owner"],
)
def test_serve_rerender_after_a_change_equals_a_full_render(tmp_path: Path, old: str, new: str) -> None:
    """What serve re-renders for one changed plan, with what it keeps, is what a full render makes."""
    from kamdocs.calendar.clock import resolve_today
    from kamdocs.config import load_config
    from kamdocs.plan.validation import PlanValidator
    from kamdocs.site.render import SiteRenderer

    repo = plans_repo(tmp_path)
    config = load_config(repo / "mkdocs.yml")
    today = resolve_today("2026-11-01")
    kept = SiteRenderer(config, PlanValidator(config), today)
    assert kept.full().stop is None
    plan = repo / "plans" / "alpen-dairy.md"
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new), encoding="utf-8")
    gone = repo / "plans" / "hostile-account.md"
    gone.unlink()
    assert kept.update([plan, gone]).stop is None
    fresh = SiteRenderer(config, PlanValidator(config), today)
    assert fresh.full().stop is None
    assert sorted(kept.files) == sorted(fresh.files)
    assert kept.files == fresh.files


@pytest.mark.parametrize("name", ["index.md", ".kamdocs-render.json"], ids=["page", "manifest"])
@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder"])
def test_render_never_writes_through_a_link_or_into_a_special_file_even_with_force(
    tmp_path: Path, kind: str, name: str
) -> None:
    """The manifest too: committed as a symlink, it had its target overwritten (exit 0, no --force);
    as a FIFO, render waited for a reader for ever."""
    repo = plans_repo(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    target = out / name
    if kind == "symlink":
        os.symlink(victim, target)
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    for args in ((), ("--force",)):
        result = render(repo, out, *args)
        assert result.exit_code == 2, result.output  # a link or special file is refused before anything else
        assert name in result.output
        assert "not even --force writes there" in result.output
        assert victim.read_text(encoding="utf-8") == "keep\n"
        assert sorted(p.name for p in out.iterdir()) == [name]  # nothing else was written either


def test_a_render_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path)
    out = tmp_path / "out"
    assert render(repo, out).exit_code == 0
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert render(repo, out).exit_code == 0
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before  # the manifest too


def test_render_refuses_a_file_for_out_dir_in_one_line(tmp_path: Path) -> None:
    repo = plans_repo(tmp_path)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = render(repo, tmp_path / "a-file")
    assert result.exit_code == 1
    assert result.output == f"kamdocs: error: {tmp_path / 'a-file'}: expected a folder to render into, found a file\n"
