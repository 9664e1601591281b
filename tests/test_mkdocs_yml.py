"""mkdocs.yml as every path reads it: one loader, so ``INHERIT``'ed settings mean the same everywhere.

The project below keeps its site settings only in the file ``mkdocs.yml`` inherits: where the site
goes (``site_dir``), where the docs are (``docs_dir``), the plans folder, the URL layout, an extra
stylesheet and the search plugin. A decoy ``docs/`` and a decoy ``site/`` sit where the defaults
would look, so a path that reads ``mkdocs.yml`` without its base lands in, or copies, the wrong one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kamdocs.config import load_config
from kamdocs.config.mkdocs_yml import site_yaml

from .commands import ENV
from .conftest import ROOT
from .test_engines import fetch, free_port, wait_for

RUN_ENV = {**ENV, "SOURCE_DATE_EPOCH": "1793491200", "NO_MKDOCS_2_WARNING": "1"}  # 2026-11-01
BASE = """\
site_name: From the base
site_dir: custom_site
docs_dir: mydocs
use_directory_urls: false
extra_css: [extra.css]
markdown_extensions:
  - attr_list
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
theme:
  name: material
  font: false
plugins:
  - search
  - kamdocs:
      git: false
      plans_dir: accounts
"""
CHILD = "INHERIT: config/base.yml\nsite_description: The child's own line\n"
PLAN = "accounts/alpen-dairy.html"
"""A plan page as the base's ``use_directory_urls: false`` names it."""


def inherit_project(root: Path) -> Path:
    """``root/repo``: a bundled plan in ``accounts/``, the real docs in ``mydocs/``, decoys in
    ``docs/`` and ``site/``, and every site setting in ``config/base.yml``."""
    repo = root / "repo"
    (repo / "accounts").mkdir(parents=True)
    shutil.copy(ROOT / "plans" / "alpen-dairy.md", repo / "accounts")
    for folder, text in (("mydocs", "# The right docs\n"), ("docs", "# The decoy docs\n")):
        (repo / folder).mkdir()
        (repo / folder / "index.md").write_text(text, encoding="utf-8")
    (repo / "mydocs" / "guide.md").write_text("# Guide\n\nHow we plan :smile:\n", encoding="utf-8")
    (repo / "mydocs" / "extra.css").write_text("body { margin: 0 }\n", encoding="utf-8")
    (repo / "site").mkdir()
    (repo / "site" / "keep.txt").write_text("not a site\n", encoding="utf-8")
    (repo / "config").mkdir()
    (repo / "config" / "base.yml").write_text(BASE, encoding="utf-8")
    (repo / "mkdocs.yml").write_text(CHILD, encoding="utf-8")
    return repo


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    scratch = repo.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    return subprocess.run(args, cwd=repo, capture_output=True, text=True, timeout=300, check=False,
                          env={**RUN_ENV, "TMPDIR": str(scratch)})  # fmt: skip


def test_the_site_settings_are_read_once_with_the_base_merged(tmp_path: Path) -> None:
    repo = inherit_project(tmp_path)
    config = load_config(cwd=repo)
    assert config.plans_dir == "accounts" and config.notice is None  # the kamdocs entry of the base
    site = config.site
    assert (site.docs_dir, site.site_dir, site.use_directory_urls) == ("mydocs", "custom_site", False)
    assert config.docs_path == repo.resolve() / "mydocs"
    assert site.plugin_entry and site.settings["plugins"][0] == "search"
    assert site.settings["site_description"] == "The child's own line"
    assert site.settings["site_name"] == "From the base"
    assert "INHERIT" not in site.settings and "INHERIT" not in site.written
    # Read, a tag's value is plain text; written back, the tag is there again, as the engine wants it.
    emoji = site.settings["markdown_extensions"][1]["pymdownx.emoji"]
    assert emoji["emoji_index"] == ""  # the name is in the tag, and nothing is imported
    text = site_yaml(site.written)
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in text
    assert "site_dir: custom_site" in text and "INHERIT" not in text


def test_env_is_followed_when_read_and_kept_when_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``!ENV`` in the base: kamdocs reads the variable; the copy for the engine keeps the tag for it to read."""
    repo = inherit_project(tmp_path)
    base = repo / "config" / "base.yml"
    base.write_text(
        base.read_text(encoding="utf-8").replace("site_dir: custom_site", "site_dir: !ENV [KD_TEST_SITE, nowhere]"),
        encoding="utf-8",
    )
    monkeypatch.setenv("KD_TEST_SITE", "from_env")
    site = load_config(cwd=repo).site
    assert site.site_dir == "from_env"
    assert "site_dir: !ENV\n- KD_TEST_SITE\n- nowhere" in site_yaml(site.written)
    monkeypatch.delenv("KD_TEST_SITE")
    assert load_config(cwd=repo).site.site_dir == "nowhere"


def test_without_mkdocs_yml_the_site_settings_are_mkdocs_defaults(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the search for mkdocs.yml stops at a repository's root
    config = load_config(cwd=tmp_path)
    assert (config.source, config.site.docs_dir, config.site.site_dir) == ("defaults", "docs", "site")
    assert config.site.use_directory_urls and not config.site.plugin_entry and config.site.dev_addr is None


def assert_inherited_site(repo: Path) -> None:
    """The site is in ``custom_site``, built from ``mydocs`` with the base's settings; ``site/`` is untouched."""
    site = repo / "custom_site"
    plan = (site / "plans" / PLAN).read_text(encoding="utf-8")
    assert "Alpen Dairy Cooperative" in plan
    assert 'href="../../extra.css"' in plan  # the base's extra_css, beside the plans' own stylesheet
    assert "kamdocs.css" in plan
    assert "The right docs" in (site / "index.html").read_text(encoding="utf-8")
    guide = (site / "guide.html").read_text(encoding="utf-8")  # use_directory_urls: false, from the base
    assert 'class="twemoji"' in guide  # the base's !!python/name: tags reached the engine as written
    assert "decoy" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "search" / "search_index.json").is_file()  # the base's search plugin ran
    assert sorted(p.name for p in (repo / "site").iterdir()) == ["keep.txt"]


def test_mkdocs_build_follows_the_base(tmp_path: Path) -> None:
    """The reference: MkDocs itself, through the plugin, with no ``-d``."""
    repo = inherit_project(tmp_path)
    built = run(repo, sys.executable, "-m", "mkdocs", "build", "--strict")
    assert built.returncode == 0, built.stderr
    assert_inherited_site(repo)


@pytest.mark.parametrize("path", [[], ["--render"]], ids=["plugin", "render"])
def test_kamdocs_build_follows_the_base(tmp_path: Path, path: list[str]) -> None:
    repo = inherit_project(tmp_path)
    built = run(repo, sys.executable, "-m", "kamdocs", "build", "--engine", "mkdocs", "--strict", *path)
    assert built.returncode == 0, built.stderr
    assert_inherited_site(repo)


def test_kamdocs_render_follows_the_base(tmp_path: Path) -> None:
    """The plans from the base's ``plans_dir``, linked as its ``use_directory_urls`` says, into OUT_DIR."""
    repo = inherit_project(tmp_path)
    rendered = run(repo, sys.executable, "-m", "kamdocs", "render", "out")
    assert rendered.returncode == 0, rendered.stderr
    assert (repo / "out" / "accounts" / "alpen-dairy.md").is_file()
    assert not (repo / "out" / "accounts" / "alpen-dairy").exists()
    assert "accounts/alpen-dairy.html" in (repo / "out" / "index.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (repo / "mydocs").iterdir()) == ["extra.css", "guide.md", "index.md"]


@contextmanager
def serving(repo: Path, *args: str) -> Iterator[str]:
    """``kamdocs serve`` of ``repo`` on a free port for the block: its address."""
    port = free_port()
    log = (repo.parent / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "kamdocs", "serve", "--engine", "mkdocs", *args,
                                "-a", f"127.0.0.1:{port}"], cwd=repo, env=RUN_ENV, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((repo.parent / "serve.log").read_text(encoding="utf-8", errors="replace")[-3000:])


@pytest.mark.parametrize("path", [[], ["--render"]], ids=["plugin", "render"])
def test_kamdocs_serve_follows_the_base(tmp_path: Path, path: list[str]) -> None:
    repo = inherit_project(tmp_path)
    with serving(repo, *path) as base:
        wait_for(f"{base}/plans/{PLAN}", "Alpen Dairy Cooperative")
        assert "The right docs" in fetch(f"{base}/index.html")
        assert "body { margin: 0 }" in fetch(f"{base}/extra.css")
    assert not (repo / "custom_site").exists()  # serve builds elsewhere
    assert sorted(p.name for p in (repo / "site").iterdir()) == ["keep.txt"]
