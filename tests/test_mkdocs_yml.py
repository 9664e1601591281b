"""mkdocs.yml as every path reads it: one loader, so ``INHERIT``'ed settings mean the same everywhere.

The project below keeps its site settings only in the file ``mkdocs.yml`` inherits: where the site
goes (``site_dir``), where the docs are (``docs_dir``), the plans folder, the URL layout, an extra
stylesheet and the search plugin. A decoy ``docs/`` and a decoy ``site/`` sit where the defaults
would look, so a path that reads ``mkdocs.yml`` without its base lands in, or copies, the wrong one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kamdocs.config import load_config
from kamdocs.config.mkdocs_yml import site_yaml

from .commands import (
    ENV,
    MKDOCS,
    committed_plans,
    kamdocs,
    kamdocs_in_process,
    mkdocs_build_in_process,
    write_repo,
)
from .conftest import ROOT, plan_text
from .test_engines import fetch, serving, wait_for
from .test_engines import zensical as zensical  # the fixture: Zensical in a virtual environment of its own

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


def run(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    scratch = repo.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    return subprocess.run(args, cwd=repo, capture_output=True, text=True, timeout=300, check=False,
                          env={**RUN_ENV, "TMPDIR": str(scratch), **(env or {})})  # fmt: skip


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


@pytest.mark.parametrize("inherit", [False, True], ids=["alone", "through-inherit"])
def test_a_tag_on_the_whole_file_is_read_as_plain_settings(tmp_path: Path, inherit: bool) -> None:
    """``--- !x`` over the whole file: its settings are read as the untagged file's would be, not an
    internal error (the tag-keeping reader once gave a tagged value where a mapping was expected)."""
    (tmp_path / ".git").mkdir()
    settings = "site_dir: out\nplugins:\n  - kamdocs:\n      plans_dir: accounts\n"
    if inherit:
        (tmp_path / "base.yml").write_text(f"--- !y\n{settings}", encoding="utf-8")
        settings = "INHERIT: base.yml\n"
    (tmp_path / "mkdocs.yml").write_text(f"--- !x\n{settings}", encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert (config.plans_dir, config.site.site_dir, config.site.plugin_entry) == ("accounts", "out", True)
    assert "site_dir: out" in site_yaml(config.site.written)


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


@pytest.mark.e2e
def test_kamdocs_build_with_zensical_follows_the_base(tmp_path: Path, zensical: Path) -> None:
    """Zensical builds the render path's copy of mkdocs.yml, which has the base merged in: it needs no
    INHERIT of its own, and still gets the base's docs, stylesheet and URL layout, into the base's site_dir."""
    repo = inherit_project(tmp_path)
    built = run(repo, sys.executable, "-m", "kamdocs", "build", "--engine", "zensical", "--engine-command",
                str(zensical))  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    site = repo / "custom_site"
    assert "Alpen Dairy Cooperative" in (site / "plans" / PLAN).read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "The right docs" in home and "extra.css" in home
    assert (site / "guide.html").is_file()
    assert sorted(p.name for p in (repo / "site").iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("path", [[], ["--render"]], ids=["plugin", "render"])
def test_kamdocs_build_follows_env_folders_in_the_base(tmp_path: Path, path: list[str]) -> None:
    """``site_dir`` and ``docs_dir`` from ``!ENV`` in the base: the variables' folders, as MkDocs reads them.
    (Read with its tag kept, an ``!ENV`` site_dir once named a folder after a Python object.)"""
    repo = inherit_project(tmp_path)
    base = repo / "config" / "base.yml"
    text = base.read_text(encoding="utf-8")
    text = text.replace("site_dir: custom_site", "site_dir: !ENV [KD_SITE, nowhere]")
    base.write_text(text.replace("docs_dir: mydocs", "docs_dir: !ENV KD_DOCS"), encoding="utf-8")
    (repo / "mydocs").rename(repo / "envdocs")
    env = {"KD_SITE": "custom_site", "KD_DOCS": "envdocs"}
    built = run(repo, sys.executable, "-m", "kamdocs", "build", "--engine", "mkdocs", "--strict", *path, env=env)
    assert built.returncode == 0, built.stderr
    assert_inherited_site(repo)
    assert sorted(p.name for p in repo.iterdir()) == ["accounts", "config", "custom_site", "docs", "envdocs",
                                                      "mkdocs.yml", "site"]  # fmt: skip


@pytest.mark.parametrize("path", [[], ["--render"]], ids=["plugin", "render"])
def test_kamdocs_build_refuses_a_site_dir_inside_the_inherited_docs_dir(tmp_path: Path, path: list[str]) -> None:
    """The data-loss guard judges the folders the base names: a site_dir inside its docs_dir is refused
    before anything is built (read without the base, the docs were ./docs and the build went ahead)."""
    repo = inherit_project(tmp_path)
    base = repo / "config" / "base.yml"
    base.write_text(base.read_text(encoding="utf-8").replace("site_dir: custom_site", "site_dir: mydocs/site"))
    before = sorted(p.name for p in (repo / "mydocs").iterdir())
    built = run(repo, sys.executable, "-m", "kamdocs", "build", "--engine", "mkdocs", *path)
    assert built.returncode != 0
    assert f"site_dir {repo.resolve() / 'mydocs' / 'site'} is inside docs_dir" in built.stderr, built.stderr
    assert sorted(p.name for p in (repo / "mydocs").iterdir()) == before


def test_kamdocs_render_follows_the_base(tmp_path: Path) -> None:
    """The plans from the base's ``plans_dir``, linked as its ``use_directory_urls`` says, into OUT_DIR."""
    repo = inherit_project(tmp_path)
    rendered = run(repo, sys.executable, "-m", "kamdocs", "render", "out")
    assert rendered.returncode == 0, rendered.stderr
    assert (repo / "out" / "accounts" / "alpen-dairy.md").is_file()
    assert not (repo / "out" / "accounts" / "alpen-dairy").exists()
    assert "accounts/alpen-dairy.html" in (repo / "out" / "index.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (repo / "mydocs").iterdir()) == ["extra.css", "guide.md", "index.md"]


@pytest.mark.e2e
@pytest.mark.parametrize("path", [[], ["--render"]], ids=["plugin", "render"])
def test_kamdocs_serve_follows_the_base(tmp_path: Path, path: list[str]) -> None:
    repo = inherit_project(tmp_path)
    with serving(repo, ["--engine", "mkdocs", *path], tmp_path) as base:
        wait_for(f"{base}/plans/{PLAN}", "Alpen Dairy Cooperative")
        assert "The right docs" in fetch(f"{base}/index.html")
        assert "body { margin: 0 }" in fetch(f"{base}/extra.css")
    assert not (repo / "custom_site").exists()  # serve builds elsewhere
    assert sorted(p.name for p in (repo / "site").iterdir()) == ["keep.txt"]


@pytest.mark.parametrize(
    ("enabled", "env", "note"),
    [
        ("false", {}, True),
        ("true", {}, False),
        ("!ENV [KAMDOCS_ON, false]", {}, True),
        ("!ENV KAMDOCS_ON", {"KAMDOCS_ON": "true"}, False),
    ],
)
def test_mkdocs_own_enabled_switch_is_an_option_the_cli_knows(
    tmp_path: Path, enabled: str, env: dict[str, str], note: bool
) -> None:
    """MkDocs accepts ``enabled`` for every plugin; the CLI must not call it unknown (exit 2)."""
    repo = committed_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    repo.write("mkdocs.yml", MKDOCS.replace("      git: false\n", f"      git: false\n      enabled: {enabled}\n"))
    result = kamdocs_in_process(repo.path, "check", "--no-freshness", env=env)
    assert result.returncode == 0, result.stderr
    assert ("the kamdocs plugin is disabled" in result.stderr) is note, result.stderr
    if not env:  # the build helper runs with the shared environment only
        build = mkdocs_build_in_process(repo.path)
        assert build.returncode == 0, build.stderr


@pytest.mark.parametrize("value", ["'no'", "0", "off-ish", "[false]"])
def test_an_enabled_switch_that_is_not_a_boolean_is_refused_as_mkdocs_refuses_it(tmp_path: Path, value: str) -> None:
    repo = committed_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    repo.write("mkdocs.yml", MKDOCS.replace("      git: false\n", f"      git: false\n      enabled: {value}\n"))
    result = kamdocs_in_process(repo.path, "check", "--no-freshness")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        "kamdocs: error: mkdocs.yml: plugins.kamdocs.enabled: expected true or false, found "
    )
    assert mkdocs_build_in_process(repo.path).returncode == 1


def _inherit_repo(tmp_path: Path, child: str, parent: str | None) -> Path:
    repo = committed_plans(tmp_path / "repo", {})
    repo.write("accounts/acme.md", plan_text("acme"))
    repo.write("mkdocs.yml", child)
    if parent is not None:
        repo.write("base/parent.yml", parent)
    return repo.path


PARENT = MKDOCS.replace("site_name: Plans", "site_name: Parent").replace(
    "git: false", "git: false\n      plans_dir: accounts"
)


@pytest.mark.parametrize(
    "child",
    [
        "INHERIT: base/parent.yml\n",
        "INHERIT: base/parent.yml\nsite_name: Child\n",
        "INHERIT: ./base/../base/parent.yml\ntheme:\n  name: material\n  font: false\n",
    ],
)
def test_check_reads_the_settings_mkdocs_yml_inherits(tmp_path: Path, child: str) -> None:
    """MkDocs builds with the INHERIT file's plugin entry; check must not fall back to the defaults."""
    repo = _inherit_repo(tmp_path, child, PARENT)
    result = kamdocs_in_process(repo, "check", "--no-freshness")
    assert result.returncode == 0, result.stderr
    assert "default settings are in use" not in result.stderr
    assert "Checked 1 plan: 0 errors" in result.stdout
    assert mkdocs_build_in_process(repo).returncode == 0


@pytest.mark.parametrize(
    ("child", "parent", "message"),
    [
        ("INHERIT: base/parent.yml\n", "INHERIT: ../mkdocs.yml\n", "does not inherit from itself"),
        ("INHERIT: mkdocs.yml\nsite_name: x\n", None, "does not inherit from itself"),
        ("INHERIT: missing.yml\nsite_name: x\n", None, "INHERIT: missing.yml not found"),
        ("INHERIT: [a]\nsite_name: x\n", None, "INHERIT: expected the name of a YAML file, found ['a']"),
        (
            "INHERIT: base/parent.yml\n",
            "- a list\n",
            "expected a mapping at the top level of base/parent.yml, found list",
        ),
    ],
)
def test_a_broken_inherit_is_a_configuration_error(
    tmp_path: Path, child: str, parent: str | None, message: str | None
) -> None:
    repo = _inherit_repo(tmp_path, child, parent)
    result = kamdocs(repo, "check", "--no-freshness", timeout=20)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("kamdocs: error: "), result.stderr
    assert len(result.stderr.splitlines()) == 1
    if message:
        assert message in result.stderr


HEAD = "site_name: Plans\ntheme:\n  name: material\n  font: false\n"


TWICE = {
    "bare-names": "plugins:\n  - kamdocs\n  - kamdocs\n",
    "different-options": (
        "plugins:\n  - kamdocs:\n      git: false\n  - search\n  - kamdocs:\n      git: false\n      plans_dir: nowhere\n"
    ),
    "three-times": "plugins:\n  - kamdocs\n  - kamdocs:\n      git: false\n  - kamdocs\n",
}


@pytest.mark.parametrize("name", sorted(TWICE))
def test_a_kamdocs_entry_named_twice_is_refused_by_check_and_the_build_alike(tmp_path: Path, name: str) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")}, mkdocs=HEAD + TWICE[name])
    count = TWICE[name].count("- kamdocs")
    message = f"mkdocs.yml: plugins: expected one kamdocs entry, found {count}; delete all but one"

    for args in (("check",), ("status",), ("codeowners", "--check")):
        result = kamdocs_in_process(repo, *args)
        assert (result.returncode, result.stderr) == (2, f"kamdocs: error: {message}\n"), args
    build = mkdocs_build_in_process(repo)
    assert build.returncode == 1
    assert f"kamdocs: {message}" in build.stderr
    assert "Traceback" not in build.stderr


def test_an_unset_env_variable_means_the_default_for_check_as_for_the_build(tmp_path: Path) -> None:
    options = "      plans_dir: !ENV KAMDOCS_ATTACK_UNSET\n      due_soon_days: !ENV [KAMDOCS_ATTACK_UNSET]\n"
    repo = write_repo(tmp_path, {"good": plan_text("good")}, mkdocs=MKDOCS + options)

    result = kamdocs_in_process(repo, "check", "--no-freshness")
    build = mkdocs_build_in_process(repo)

    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout == "Checked 1 plan: 0 errors, 0 warnings.\n"
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "plans" / "accounts" / "good" / "index.html").is_file()


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_mkdocs_yml_that_is_not_a_regular_file_is_a_configuration_error(tmp_path: Path, kind: str) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")})
    (repo / "mkdocs.yml").unlink()
    if kind == "fifo":
        os.mkfifo(repo / "mkdocs.yml")
    else:
        (repo / "mkdocs.yml").mkdir()
    found = "a named pipe (FIFO)" if kind == "fifo" else "a folder"

    for args in (("check",), ("status",), ("export", "--format", "json")):
        result = kamdocs(repo, *args, timeout=20)
        assert (result.returncode, result.stderr) == (
            2,
            f"kamdocs: error: mkdocs.yml: expected a regular file, found {found}\n",
        ), args


TAGGED = {
    "python-apply-list": ("!!python/object/apply:os.system ['touch pwned']", "['touch pwned']"),
    "python-mapping": ("!!python/object:os.Whatever {a: 1}", "{'a': 1}"),
    "custom-tag-list": ("!relative [a, b]", "['a', 'b']"),
}


@pytest.mark.parametrize("name", sorted(TAGGED))
def test_a_tagged_option_value_is_named_by_its_value_and_never_runs(tmp_path: Path, name: str) -> None:
    value, shown = TAGGED[name]
    repo = write_repo(tmp_path, {"good": plan_text("good")}, mkdocs=MKDOCS + f"      plans_dir: {value}\n")

    result = kamdocs_in_process(repo, "check")

    assert result.returncode == 2
    assert (
        result.stderr
        == f"kamdocs: error: mkdocs.yml: plugins.kamdocs.plans_dir: expected a non-empty text, found {shown}\n"
    )
    assert not (repo / "pwned").exists()
