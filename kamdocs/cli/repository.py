"""The files around the plans: ``kamdocs init`` and ``kamdocs codeowners``."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kamdocs.cli.command import command
from kamdocs.cli.console import Reported, echo
from kamdocs.cli.context import (
    command_config,
    command_day,
    plan_validator,
    require_plans,
    start_day,
)
from kamdocs.cli.files import safe_output
from kamdocs.cli.options import (
    config_option,
    written_today_option,
)
from kamdocs.errors import UsageError
from kamdocs.escaping import one_line
from kamdocs.system.atomicfile import describe, write_atomically
from kamdocs.system.folders import make_folders, remove_created, write_new
from kamdocs.system.paths import ensure_real_inside, shown

if TYPE_CHECKING:
    from kamdocs.config import Config
    from kamdocs.edit.codeowners import Owners


@command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--install",
    "install",
    metavar="SPEC",
    help="What the workflows install with pip: a requirement from your index (kamdocs==0.3.0), a git URL "
    "(kamdocs @ git+https://host/kamdocs.git@v0.3.0) or a wheel committed to the repository "
    "(tools/kamdocs-0.3.0-py3-none-any.whl, relative to the repository root). Default: kamdocs==VERSION, "
    "the version running; no public index serves it. What pip would refuse is refused (docs/install.md).",
)
@written_today_option
def init(directory: Path, install: str | None, today: date | None) -> None:
    """Scaffold a plans repository in DIRECTORY that works as it stands.

    It writes mkdocs.yml (Material and the plugin), a schema/ extension stub,
    plans/ with one example of each kind, the three GitHub workflows (their
    install step installs --install), .github/CODEOWNERS, a pre-commit
    configuration, a .gitignore and a README for plan authors. It refuses a
    directory that exists and is not empty. If a file cannot be written, what
    it created so far is removed again.
    """
    from kamdocs.config import load_config
    from kamdocs.edit.install_spec import install_spec_problem
    from kamdocs.edit.scaffold import first_steps, repository_files

    problem = None if install is None else install_spec_problem(install)
    if problem and problem.refused:
        raise UsageError(problem.message())
    if os.path.lexists(directory) and not directory.is_dir():
        raise UsageError(
            f"{directory} exists and is not a directory; kamdocs init writes into a new or empty directory"
        )
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(
            f"{_folder_words(directory)} exists and is not empty; kamdocs init only writes into a new or empty folder"
        )
    day = start_day(command_day(today))
    created: list[Path] = []
    try:
        for rel, text in repository_files(day, install).items():
            target = directory / rel
            created += make_folders(target.parent)
            write_atomically(target, text.encode("utf-8"), exclusive=True)
            created.append(target)
        config = load_config(directory / "mkdocs.yml")
        owners_path = _codeowners_path(config)
        _current, wanted, _owners = _codeowners_text(config, owners_path)
        write_atomically(owners_path, wanted.encode("utf-8"), exclusive=True)
        created.append(owners_path)
    except OSError:
        remove_created(created)
        raise
    here = _is_current_folder(directory)
    echo(f"Created a plans repository in {_folder_words(directory)}.")
    _say_install(install, directory)
    if problem:
        echo(f"kamdocs: warning: {problem.message()}", err=True)
    echo("Next:")
    for step in first_steps(None if here else str(directory)):
        echo(f"  {step}")


def _is_current_folder(directory: Path) -> bool:
    """``init .``, or the current folder by another name."""
    return directory.resolve() == Path.cwd().resolve()


def _folder_words(directory: Path) -> str:
    """How ``init`` names DIRECTORY to the user: "the current folder" rather than ``.`` or its full name."""
    return "the current folder" if _is_current_folder(directory) else str(directory)


def _say_install(install: str | None, directory: Path) -> None:
    """Where kamdocs will come from in CI, and where to change it: no public index serves kamdocs."""
    from kamdocs.edit.scaffold import INSTALL_DOCS, default_install, install_command

    spec = install or default_install()
    echo(f"Its workflows install kamdocs with: {install_command(spec)}")
    if install is None:
        echo(
            "  No public package index serves kamdocs. To install it from your index, a git URL or a wheel, "
            "change the 'Install kamdocs' step in .github/workflows/plans.yml, pages.yml and freshness.yml "
            f"(or run kamdocs init --install SPEC into an empty folder). See {INSTALL_DOCS}"
        )
    elif "@" not in spec and spec.endswith(".whl") and not os.path.isabs(spec):  # a path, not a URL
        wheel = directory / spec
        if not wheel.is_file():
            echo(f"  Copy that wheel to {wheel} and commit it with the plans.")
    elif os.path.isabs(spec) or re.search(r"@\s*file:/", spec):  # a path, or a file URL, of this machine
        echo(f"  {spec} is a path on this machine; a CI runner has its own files (see {INSTALL_DOCS})")


def _codeowners_path(config: Config) -> Path:
    """The CODEOWNERS file kamdocs manages: the one ``kamdocs codeowners`` writes without ``--file``."""
    return config.root / ".github" / "CODEOWNERS"


def _codeowners_text(config: Config, path: Path) -> tuple[str, str, Owners]:
    """The CODEOWNERS file at ``path`` as it is and as ``kamdocs codeowners`` would write it, from every plan."""
    from kamdocs.edit.codeowners import current_text, merged, owners_block
    from kamdocs.rules.pipeline import CheckRun, check_paths

    result = check_paths(None, CheckRun.without_freshness(config, plan_validator(config)))
    owners = owners_block(result.plans, config.github_handles)
    current = current_text(path)
    return current, merged(current, owners.block), owners


def keep_codeowners_current(config: Config) -> None:
    """After a plan was written: rewrite the CODEOWNERS file kamdocs manages, if the repository has one,
    as ``kamdocs codeowners`` would, so the pull-request check stays green. If that cannot be done, say
    the one command to run; the plan is written either way."""
    path = _codeowners_path(config)
    if not os.path.lexists(path):
        return
    where = shown(path, config.root)
    command = f"run: kamdocs codeowners, and commit {where}"
    if os.path.islink(path):  # kamdocs codeowners judges where a link leads; an automatic update follows none
        echo(f"kamdocs: warning: {where} is a symlink and was not updated; {command}", err=True)
        return
    try:
        ensure_real_inside(path.parent, config.root)  # NotReplaceable is an OSError: the warning below
        current, wanted, _owners = _codeowners_text(config, path)
        if current != wanted:
            write_atomically(path, wanted.encode("utf-8"))
            echo(f"Updated {where}: each plan's reviewer must approve changes to it.")
    except OSError as exc:
        echo(f"kamdocs: warning: {where} was not updated ({one_line(describe(exc))}); {command}", err=True)


@command()
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if CODEOWNERS is out of date; write nothing.")
@click.option(
    "--file",
    "owners_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Default: .github/CODEOWNERS in the repository root.",
)
@config_option
def codeowners(check_only: bool, owners_file: Path | None, config_file: Path | None) -> None:
    """Write the CODEOWNERS lines that make each plan's reviewer a required reviewer.

    Reviewers are mapped to GitHub handles by the github_handles option; a
    reviewer written as @handle needs no entry. kamdocs owns one marked block
    of the file and leaves every other line alone.
    """
    config = command_config(config_file)
    require_plans((), config)
    path = owners_file or _codeowners_path(config)
    safe_output(path, config, "--file")
    current, wanted, owners = _codeowners_text(config, path)
    for person in owners.unmapped:
        echo(f"kamdocs: warning: no GitHub handle for reviewer {person!r}; add it to github_handles", err=True)
    for file in owners.unsafe:
        echo(f"kamdocs: warning: '{one_line(file)}' cannot be written into CODEOWNERS safely; rename it", err=True)
    if current == wanted:
        echo(f"{path} is up to date.")
        return
    if check_only:
        raise Reported(f"{path} is out of date; run: kamdocs codeowners, and commit {shown(path, config.root)}")
    write_new(path, wanted.encode("utf-8"))
    echo(f"Wrote {path}.")
