"""Running kamdocs and MkDocs as a user does, in subprocesses with timeouts, on repositories written for the test.

Shared by the hostile-input tests: a hang fails the test instead of stalling
the suite, and every run sees the same clean environment.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import CLEAN_ENV, ROOT, GitRepo

TODAY = "2026-11-01"
MKDOCS = f"""\
site_name: Plans
theme:
  name: material
  font: false
plugins:
  - kamdocs:
      git: false
      today: {TODAY}
      on_invalid: warn
"""


def site_config(*options: str, search: bool = True, site_name: str = "Plans") -> str:
    """A ``mkdocs.yml`` with Material (no web fonts), the search plugin unless ``search`` is off, and the
    kamdocs plugin with one option per line, as written (``'today: "2026-11-22"'``)."""
    lines = [f"site_name: {site_name}", "theme:", "  name: material", "  font: false", "plugins:"]
    lines += ["  - search"] if search else []
    lines += ["  - kamdocs:", *(f"      {option}" for option in options)]
    return "\n".join(lines) + "\n"


ENV = {k: v for k, v in {**os.environ, **CLEAN_ENV}.items() if v}


def kamdocs(
    repo: Path,
    *args: str,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    errors: str = "strict",
    umask: int = -1,
) -> subprocess.CompletedProcess[str]:
    """The installed command, in a subprocess: a hang fails the test instead of stalling the suite.
    ``env`` adds variables to the clean environment (``GITHUB_ACTIONS``, ``GITHUB_STEP_SUMMARY``);
    ``errors="replace"`` reads output that names files by the bytes on disk (as git and ls print them);
    ``umask`` is the command's own (-1: the test run's)."""
    return subprocess.run(
        [sys.executable, "-m", "kamdocs", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        errors=errors,
        timeout=timeout,
        env={**ENV, **(env or {})},
        check=False,
        umask=umask,
    )


def kamdocs_in_process(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The kamdocs command as :func:`kamdocs` runs it, but in this process (click's test runner, the same
    exit codes and messages on stdout and stderr), without starting an interpreter and importing kamdocs
    again, which is most of a small command's time.

    For a command that cannot hang: no FIFO or socket on its way, no terminal, signal or umask of its own.
    Those keep :func:`kamdocs` and its timeout.
    """
    from .conftest import run

    result = run(list(args), repo, env=env)
    return subprocess.CompletedProcess(["kamdocs", *args], result.exit_code, result.stdout, result.stderr)


def mkdocs_build(
    repo: Path, *args: str, site: Path | None = None, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of ``repo`` into ``site`` (``repo``'s sibling ``site`` unless given), as a user runs it:
    in a subprocess, so the plugin is loaded by its entry point and logs as it does for users, with a timeout,
    so a hang fails the test, in the clean environment plus ``env`` (``SOURCE_DATE_EPOCH``)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site or repo.parent / "site"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**ENV, **(env or {})},
        check=False,
    )


def mkdocs_build_in_process(
    repo: Path, *args: str, site: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` as :func:`mkdocs_build` runs it, but in this process: MkDocs' own command line through
    click's test runner, so the same code, log lines and exit code, without starting an interpreter and
    importing MkDocs, Material and kamdocs again (two thirds of a small build's time).

    For a build whose test reads the site or the log. A test about a hang (the subprocess's timeout), a
    signal, the interpreter's environment or what a user's shell sees keeps :func:`mkdocs_build`. The
    logging state MkDocs changes per run (its handler, the duplicate filter that would hide a warning the
    next build logs again) is put back afterwards.
    """
    from click.testing import CliRunner
    from mkdocs.__main__ import ColorFormatter, cli

    loggers = [logging.getLogger(name) for name in ("mkdocs", "mkdocs.commands.build")]
    saved = [
        (logger, logger.level, logger.propagate, list(logger.handlers), list(logger.filters)) for logger in loggers
    ]
    width = ColorFormatter.text_wrapper.width
    ColorFormatter.text_wrapper.width = 0  # never wrap at the width of the terminal pytest runs in
    variables: dict[str, str | None] = {**dict.fromkeys(CLEAN_ENV), **(env or {})}
    old = Path.cwd()
    os.chdir(repo)
    try:
        # In a copy of this context: the build sets its language (kamdocs.i18n), which must not outlive it
        # into the next test this process runs.
        result = contextvars.copy_context().run(
            CliRunner().invoke,
            cli,
            ["build", "-d", str(site or repo.parent / "site"), *args],
            env=variables,
            catch_exceptions=False,
        )
    finally:
        os.chdir(old)
        ColorFormatter.text_wrapper.width = width
        for logger, level, propagate, handlers, filters in saved:
            logger.setLevel(level)
            logger.propagate = propagate
            logger.handlers[:] = handlers
            logger.filters[:] = filters
    return subprocess.CompletedProcess(["mkdocs", "build", *args], result.exit_code, result.stdout, result.stderr)


def built_site(repo: Path) -> Path:
    """``repo`` built by ``mkdocs build`` (given up to five minutes, for a thousand plans): its site folder."""
    result = mkdocs_build(repo, timeout=300)
    assert result.returncode == 0, result.stderr
    return repo.parent / "site"


def generated_repo(root: Path, count: int, mkdocs: str) -> Path:
    """``root/repo``: ``count`` plans from ``benchmarks/generate_plans.py``, ``docs/index.md`` and ``mkdocs``
    as its ``mkdocs.yml``; for the tests of many rows (the grids, their rows files)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_plans import generate

    repo = root / "repo"
    generate(count, repo / "plans")
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return repo


def write_repo(root: Path, plans: dict[str, str], mkdocs: str = MKDOCS) -> Path:
    repo = root / "repo"
    (repo / "plans").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Plans\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    for name, text in plans.items():
        (repo / "plans" / f"{name}.md").write_text(text, encoding="utf-8")
    return repo


def committed_plans(
    path: Path, files: dict[str, str], mkdocs: str = MKDOCS.replace("git: false", "git: true")
) -> GitRepo:
    """A git repository at ``path`` with ``mkdocs.yml`` (git history on), ``docs/index.md`` and ``files``
    (by path, ``plans/acme.md``), committed once on 2026-10-02."""
    repo = GitRepo(path)
    repo.write("mkdocs.yml", mkdocs)
    repo.write("docs/index.md", "# Plans\n")
    for name, text in files.items():
        repo.write(name, text)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "plans", when="2026-10-02T12:00:00+00:00")
    return repo


def check_json(repo: Path, *args: str, in_process: bool = False) -> list[dict]:
    """``kamdocs check --format json``'s findings: in a subprocess with a timeout, or ``in_process`` for a
    plan that cannot make check slow (a date, a number), where the subprocess would only cost time."""
    runner = kamdocs_in_process if in_process else kamdocs
    result = runner(repo, "check", "--format", "json", "--today", TODAY, *args)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return json.loads(result.stdout)["findings"]


PINNED_EPOCH = "1795305600"
"""2026-11-22 as SOURCE_DATE_EPOCH: the day this repository's own plans are judged on in site tests."""


def build_own_site(tmp_path: Path) -> Path:
    """This repository's docs, plans and mkdocs.yml, copied and built into ``tmp_path/site``; the site path."""
    repo = tmp_path / "repo"
    for name in ("docs", "plans"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    built = mkdocs_build_in_process(repo, site=tmp_path / "site", env={"SOURCE_DATE_EPOCH": PINNED_EPOCH})
    assert built.returncode == 0, built.stderr
    return tmp_path / "site"


def sample_repo(root: Path, mkdocs: str, docs: dict[str, str], plans: dict[str, str] | None = None) -> Path:
    """``root/repo``: this repository's sample plans (plus ``plans``, by file stem), ``docs`` by file
    name, and ``mkdocs.yml``."""
    repo = root / "repo"
    shutil.copytree(ROOT / "plans", repo / "plans")
    for stem, text in (plans or {}).items():
        (repo / "plans" / f"{stem}.md").write_text(text, encoding="utf-8")
    (repo / "docs").mkdir()
    for name, text in docs.items():
        (repo / "docs" / name).write_text(text, encoding="utf-8")
    (repo / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return repo
