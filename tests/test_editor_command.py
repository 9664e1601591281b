"""``kamdocs editor``: the plan form's page and configuration in docs/admin/, kept current with the
schema (``--check``), a repository's own schema fields in the form, and the form left out of the
built site unless ``editor: true`` publishes it (a real ``mkdocs build --strict`` each time)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from kamdocs.config import load_config
from kamdocs.plan.validation import PlanValidator

from .commands import kamdocs_in_process, mkdocs_build_in_process
from .conftest import ROOT, GitRepo, run

TODAY = "2026-11-24"
REPO_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:plans-repository",
    "$ref": "urn:kamdocs:plan:v1#/$defs/plan",
    "properties": {
        "business_area": {"enum": ["Process Analytics", "Laboratory Instruments"]},
        "segment": {
            "title": "Customer segment",
            "description": "Which of our segments the account belongs to.",
            "type": "string",
            "enum": ["Pharma", "Food", "Chemicals"],
        },
        "x-zebra-cost-centre": {
            "title": "Zebra cost centre",
            "description": "Our cost centre, five digits.",
            "type": "string",
            "pattern": "^[0-9]{5}$",
        },
    },
    "unevaluatedProperties": False,
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A plans repository as ``kamdocs init`` writes it, with its own schema extended, in git."""
    assert run(["init", "plans-repo", "--today", TODAY], tmp_path).exit_code == 0
    root = tmp_path / "plans-repo"
    (root / "schema" / "plans.schema.json").write_text(json.dumps(REPO_SCHEMA, indent=2), encoding="utf-8")
    git = GitRepo(root)
    git.git("add", "-A")
    git.git("commit", "-q", "-m", "init")
    return root


def form(root: Path) -> dict[str, object]:
    return yaml.safe_load((root / "docs" / "admin" / "config.yml").read_text(encoding="utf-8"))


def top_field(config: dict[str, object], kind: str, name: str) -> dict[str, object]:
    (collection,) = [c for c in config["collections"] if c["filter"]["value"] == kind]  # type: ignore[index, union-attr]
    (found,) = [f for f in collection["fields"] if f["name"] == name]
    return found  # type: ignore[no-any-return]


def test_editor_writes_the_page_and_the_config_and_says_so(repo: Path) -> None:
    done = kamdocs_in_process(repo, "editor")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Wrote docs/admin/index.html.\nWrote docs/admin/config.yml.\n"
    page = (repo / "docs" / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in page
    assert '<link href="config.yml" type="text/yaml" rel="cms-config-url">' in page
    assert "http" not in page.replace('"http', "")  # nothing loads from elsewhere
    assert not (repo / "docs" / "admin" / "decap-cms.js").exists()  # the script stays in the package
    again = kamdocs_in_process(repo, "editor")
    assert (again.returncode, again.stdout) == (0, "docs/admin/ is up to date.\n")


def test_a_repositorys_own_schema_fields_appear_in_the_form(repo: Path) -> None:
    assert kamdocs_in_process(repo, "editor").returncode == 0
    config = form(repo)
    for kind in ("one-page", "full"):
        segment = top_field(config, kind, "segment")
        assert segment == {
            "label": "Customer segment",
            "name": "segment",
            "widget": "select",
            "options": ["Pharma", "Food", "Chemicals"],
            "hint": "Which of our segments the account belongs to.",
            "required": False,
        }
        area = top_field(config, kind, "business_area")  # narrowed from a text to the repository's two areas
        assert (area["widget"], area["options"], area["label"]) == (
            "select",
            ["Process Analytics", "Laboratory Instruments"],
            "Business area",
        )
        cost = top_field(config, kind, "x-zebra-cost-centre")
        assert cost["pattern"] == ["^[0-9]{5}$", "This text has the wrong form."]


def test_check_passes_a_repository_without_the_form_and_fails_one_form_file_missing(repo: Path) -> None:
    """plans.yml runs --check on every repository; only one that has the form can fail it."""
    none = kamdocs_in_process(repo, "editor", "--check")
    assert (none.returncode, none.stdout) == (
        0,
        "docs/admin/ holds no plan form (kamdocs editor writes it); nothing to check.\n",
    )
    assert not (repo / "docs" / "admin").exists()
    assert kamdocs_in_process(repo, "editor").returncode == 0
    (repo / "docs" / "admin" / "index.html").unlink()
    half = kamdocs_in_process(repo, "editor", "--check")
    assert half.returncode == 1 and half.stderr.startswith("docs/admin/index.html: out of date")


def test_check_fails_when_the_schema_changed_and_editor_brings_it_back(repo: Path) -> None:
    assert kamdocs_in_process(repo, "editor").returncode == 0
    assert kamdocs_in_process(repo, "editor", "--check").returncode == 0
    schema = json.loads((repo / "schema" / "plans.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["segment"]["enum"].append("Energy")
    (repo / "schema" / "plans.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    stale = kamdocs_in_process(repo, "editor", "--check")
    assert stale.returncode == 1
    assert stale.stderr == (
        "docs/admin/config.yml: out of date with the plan schema; run: kamdocs editor, and commit docs/admin/\n"
    )
    assert "Energy" not in (repo / "docs" / "admin" / "config.yml").read_text(encoding="utf-8")  # wrote nothing
    fixed = kamdocs_in_process(repo, "editor")
    assert fixed.stdout == "Wrote docs/admin/config.yml.\n"  # index.html was current
    assert top_field(form(repo), "full", "segment")["options"] == ["Pharma", "Food", "Chemicals", "Energy"]


def test_check_and_serve_together_are_a_usage_error(repo: Path) -> None:
    done = run(["editor", "--check", "--serve"], repo)
    assert done.exit_code == 2
    assert "--check and --serve do not go together" in done.stderr


def test_a_link_in_place_of_the_config_is_refused(repo: Path, tmp_path: Path) -> None:
    (repo / "docs" / "admin").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    (repo / "docs" / "admin" / "config.yml").symlink_to(outside)
    done = run(["editor"], repo)
    assert done.exit_code == 2
    assert outside.read_text(encoding="utf-8") == "keep"


def test_the_demos_committed_form_is_current_with_the_schema() -> None:
    """This repository's docs/admin/ against a regeneration from the schema in force (kamdocs editor
    --check in process): it fails once the schema changes until `kamdocs editor` is run and committed."""
    config = load_config(ROOT / "mkdocs.yml")
    from kamdocs.edit.decap_config import admin_files

    wanted = admin_files(
        PlanValidator(config).self_contained(),
        config.plans_dir,
        repo_url="https://github.com/kamdocs/kamdocs",
        full_sections=config.required_sections["full"],
    )
    for name, text in wanted.items():
        assert (ROOT / "docs" / "admin" / name).read_text(encoding="utf-8") == text, (
            f"docs/admin/{name} is stale: run kamdocs editor and commit it"
        )
    committed = yaml.safe_load((ROOT / "docs" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert committed["backend"] == {"name": "github", "repo": "kamdocs/kamdocs", "branch": "main"}


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_site_leaves_the_form_out_by_default(repo: Path, tmp_path: Path) -> None:
    assert kamdocs_in_process(repo, "editor").returncode == 0
    site = tmp_path / "site"
    built = mkdocs_build_in_process(repo, "--strict", site=site)
    assert built.returncode == 0, built.stderr
    files = site_files(site)
    assert "index.html" in files  # the site was built
    assert not (site / "admin").exists()
    config = (repo / "docs" / "admin" / "config.yml").read_bytes()
    for name, data in files.items():
        for marker in (b"editorial_workflow", b"Zebra cost centre", b"decap", b"admin/"):
            assert marker not in data, (name, marker)
    assert config not in b"".join(files.values())


def test_editor_true_publishes_the_form_with_the_script(repo: Path, tmp_path: Path) -> None:
    assert kamdocs_in_process(repo, "editor").returncode == 0
    mkdocs = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        mkdocs.replace(
            "      default_interval: quarterly\n", "      default_interval: quarterly\n      editor: true\n"
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    built = mkdocs_build_in_process(repo, "--strict", site=site)
    assert built.returncode == 0, built.stderr
    admin = site / "admin"
    assert (admin / "index.html").read_bytes() == (repo / "docs" / "admin" / "index.html").read_bytes()
    assert (admin / "config.yml").read_bytes() == (repo / "docs" / "admin" / "config.yml").read_bytes()
    vendored = ROOT / "kamdocs" / "assets" / "editor"
    assert (admin / "decap-cms.js").read_bytes() == (vendored / "decap-cms.js").read_bytes()
    assert (admin / "LICENSE").is_file() and (admin / "decap-cms.js.LICENSE.txt").is_file()
    chunks = sorted(p.name for p in vendored.glob("*.decap-cms.js"))
    assert len(chunks) == 94  # npm's decap-cms 3.16.3 dist/ has 94 chunks of decap-cms.js (ls dist/*.decap-cms.js)
    assert sorted(p.name for p in admin.glob("*.decap-cms.js")) == chunks
    assert not (admin / "README.md").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin" not in sitemap  # published, but not listed
    assert b"admin/" not in (site / "search" / "search_index.json").read_bytes()


def test_editor_true_without_the_page_stops_the_build(repo: Path, tmp_path: Path) -> None:
    mkdocs = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        mkdocs.replace(
            "      default_interval: quarterly\n", "      default_interval: quarterly\n      editor: true\n"
        ),
        encoding="utf-8",
    )
    built = mkdocs_build_in_process(repo, "--strict", site=tmp_path / "site")
    assert built.returncode == 1
    assert "editor: true, but admin/index.html or admin/config.yml is missing in docs_dir; run: kamdocs editor" in (
        built.stderr + built.stdout
    )


@pytest.mark.parametrize("editor", [False, True])
def test_the_render_path_follows_the_option_too(repo: Path, editor: bool) -> None:
    assert kamdocs_in_process(repo, "editor").returncode == 0
    if editor:
        mkdocs = (repo / "mkdocs.yml").read_text(encoding="utf-8")
        (repo / "mkdocs.yml").write_text(
            mkdocs.replace(
                "      default_interval: quarterly\n", "      default_interval: quarterly\n      editor: true\n"
            ),
            encoding="utf-8",
        )
    built = kamdocs_in_process(repo, "build", "--render")
    assert built.returncode == 0, built.stderr
    site = repo / "site"
    assert (site / "index.html").is_file()
    if editor:
        # index.html, config.yml, decap-cms.js, its 94 chunks, LICENSE and decap-cms.js.LICENSE.txt
        assert len(list((site / "admin").iterdir())) == 99
        assert (site / "admin" / "config.yml").read_bytes() == (repo / "docs" / "admin" / "config.yml").read_bytes()
    else:
        assert not (site / "admin").exists()
        assert not any(b"editorial_workflow" in p.read_bytes() for p in site.rglob("*") if p.is_file())


def test_a_backend_set_by_hand_is_kept_and_a_made_one_follows_repo_url(repo: Path) -> None:
    assert kamdocs_in_process(repo, "editor").returncode == 0
    config_path = repo / "docs" / "admin" / "config.yml"
    text = config_path.read_text(encoding="utf-8")
    assert "# backend: a placeholder." in text  # kamdocs init's mkdocs.yml names no repository
    mkdocs = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(mkdocs.replace("# repo_url:", "repo_url:"), encoding="utf-8")
    assert kamdocs_in_process(repo, "editor", "--check").returncode == 1  # the placeholder gives way
    assert kamdocs_in_process(repo, "editor").returncode == 0
    assert form(repo)["backend"] == {"name": "github", "repo": "your-org/plans", "branch": "main"}
    # Someone sets up sign-in for GitHub Enterprise by hand: kamdocs editor keeps it, --check is content.
    mine = {"name": "github", "repo": "sales/plans", "branch": "main", "api_root": "https://git.example.com/api/v3"}
    text = config_path.read_text(encoding="utf-8")
    start, end = text.index("backend:\n"), text.index("local_backend:")
    config_path.write_text(text[:start] + yaml.safe_dump({"backend": mine}, sort_keys=False) + text[end:], "utf-8")
    assert kamdocs_in_process(repo, "editor", "--check").returncode == 0
    schema = json.loads((repo / "schema" / "plans.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["segment"]["enum"].append("Energy")
    (repo / "schema" / "plans.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    assert kamdocs_in_process(repo, "editor").stdout == "Wrote docs/admin/config.yml.\n"
    assert form(repo)["backend"] == mine
    assert "# backend: as it was in this file; kamdocs editor keeps it" in config_path.read_text(encoding="utf-8")


def test_serve_without_node_says_what_to_install(repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run(["editor", "--serve"], repo, env={"PATH": str(empty)})
    assert done.exit_code == 2
    assert done.stderr == (
        "kamdocs: error: npx not found: the form's local backend, decap-server, runs on Node.js; install "
        "Node.js 18 or later (it brings npx), then run kamdocs editor --serve again\n"
    )


@pytest.mark.skipif(shutil.which("npx") is None, reason="the npx check comes first")
def test_serve_refuses_a_working_copy_decap_server_cannot_save_in(repo: Path, tmp_path: Path) -> None:
    plan = repo / "plans" / "example-full.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    done = run(["editor", "--serve"], repo)
    assert done.exit_code == 2
    assert "uncommitted changes (plans/example-full.md): decap-server switches branches to save" in done.stderr
    GitRepo(repo).git("checkout", "--", "plans/example-full.md")
    # decap-server saves with `git add .`: a file git does not track would go into the plan's branch.
    (repo / "my-notes.txt").write_text("not for the pull request\n", encoding="utf-8")
    untracked = run(["editor", "--serve"], repo)
    assert untracked.exit_code == 2
    assert "files git does not track (my-notes.txt): decap-server would commit them" in untracked.stderr
    (repo / "my-notes.txt").unlink()
    GitRepo(repo).git("switch", "-q", "-c", "cms/one_page/acme")  # a draft the form saved, checked out
    draft = run(["editor", "--serve"], repo)
    assert draft.exit_code == 2
    assert "on the branch cms/one_page/acme, a draft the form saved; switch back" in draft.stderr
    assert run(["init", "loose", "--today", TODAY], tmp_path).exit_code == 0  # no git at all
    loose = run(["editor", "--serve"], tmp_path / "loose")
    assert loose.exit_code == 2 and "not on a branch of a git repository" in loose.stderr


def test_paths_are_the_git_repositorys_when_mkdocs_yml_is_in_a_subfolder(tmp_path: Path) -> None:
    top = tmp_path / "company"
    top.mkdir()
    assert run(["init", "sales", "--today", TODAY], top).exit_code == 0
    GitRepo(top)  # the git repository is the company's; the plans repository a folder in it
    assert kamdocs_in_process(top / "sales", "editor").returncode == 0
    config = form(top / "sales")
    assert [c["folder"] for c in config["collections"]] == ["sales/plans", "sales/plans"]  # type: ignore[index, union-attr]
    assert config["media_folder"] == "sales/docs/admin/uploads"
