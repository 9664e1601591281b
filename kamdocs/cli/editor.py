"""``kamdocs editor``: the plan form (Decap CMS) written into ``docs/admin/``, and served locally.

The page and its configuration are written into the repository, to be committed (and kept
current: ``--check`` in CI). Decap's script is not: 5.9 MB in every plans repository would
be a copy to keep current by hand; it comes from the installed kamdocs, served by ``--serve``
and copied into the site by the plugin when ``editor: true`` publishes the form.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kamdocs.cli.command import command
from kamdocs.cli.console import Reported, echo
from kamdocs.cli.context import command_config, plan_validator
from kamdocs.cli.options import config_option
from kamdocs.errors import UsageError

if TYPE_CHECKING:
    from kamdocs.config import Config

LOCALHOST = "127.0.0.1"
BACKEND_WAIT = 180.0
"""Seconds to wait for decap-server to listen: the first ``npx`` downloads it (a few MB)."""


def wanted_admin_files(config: Config, *, local_backend: bool | str = True, branch: str = "main") -> dict[str, str]:
    """``docs/admin/``'s files as the schema in force and mkdocs.yml make them, by file name."""
    from kamdocs.edit.decap_config import admin_files, kept_backend

    repo_url = config.site.settings.get("repo_url")
    # Decap names files from the top of the git repository, which may be above mkdocs.yml's folder.
    prefix = _repo_prefix(config.root)
    return admin_files(
        plan_validator(config).self_contained(),
        posixpath.normpath(prefix + config.plans_dir.strip("/")),
        media_folder=posixpath.normpath(f"{prefix}{config.site.docs_dir.strip('/')}/admin/uploads"),
        repo_url=repo_url,
        full_sections=config.required_sections.get("full", ()),
        local_backend=local_backend,
        branch=branch,
        kept_backend=kept_backend(_read(admin_path(config) / "config.yml"), repo_url),
    )


def _repo_prefix(root: Path) -> str:
    """``root``'s path inside its git repository, with a trailing slash ("" at the top, or outside git)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def admin_path(config: Config) -> Path:
    from kamdocs.edit.decap_config import ADMIN_DIR

    return config.docs_path / ADMIN_DIR


@command()
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Exit 1 if docs/admin/ is out of date; write nothing. A repository without the form passes.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Serve the form on 127.0.0.1 with Decap's local backend (decap-server, through npx) on this "
    "repository: saving makes a branch, as a pull request would. Needs Node.js.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The form's port.")
@click.option(
    "--backend-port",
    type=click.IntRange(1, 65535),
    default=8081,
    show_default=True,
    help="decap-server's port.",
)
@config_option
def editor(check_only: bool, serve: bool, port: int, backend_port: int, config_file: Path | None) -> None:
    """Write the plan form (Decap CMS) into docs/admin/: index.html and config.yml, made from the plan schema.

    The form has one collection per plan kind, a field for each key of the schema in force
    (the repository's own included), and the editorial workflow: saving opens a branch and a
    pull request. Run it again after changing the schema; commit docs/admin/. With --serve,
    the form runs on this computer against this repository (see docs/editing.md).
    """
    config = command_config(config_file)
    if check_only and serve:
        raise UsageError("--check and --serve do not go together; run them one after the other")
    folder = admin_path(config)
    wanted = wanted_admin_files(config)
    stale = [name for name, text in wanted.items() if not _current(name, _read(folder / name), text)]
    if check_only and not any((folder / name).exists() for name in wanted):
        # The form is optional: a repository without it passes the check that plans.yml runs on every change.
        echo(f"{_shown(folder, config)}/ holds no plan form (kamdocs editor writes it); nothing to check.")
    elif check_only:
        if stale:
            names = ", ".join(str(_shown(folder / n, config)) for n in stale)
            raise Reported(f"{names}: out of date with the plan schema; run: kamdocs editor, and commit docs/admin/")
        echo(f"{_shown(folder, config)}/ is up to date.")
    elif not serve:
        _write(folder, wanted, stale, config)
    else:
        _serve(config, port, backend_port, bool(stale))


def _current(name: str, found: str | None, wanted: str) -> bool:
    """Whether a file of docs/admin/ says what it should: the page word for word, the configuration as
    data, so that comments and layout someone gave their own ``backend`` lines stay (and pass --check)."""
    if found is None or name != "config.yml":
        return found == wanted
    import yaml

    try:
        return bool(yaml.safe_load(found) == yaml.safe_load(wanted))
    except yaml.YAMLError:
        return False


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def _shown(path: Path, config: Config) -> Path:
    from kamdocs.system.paths import shown

    return shown(path, config.root)


def _write(folder: Path, wanted: dict[str, str], stale: list[str], config: Config) -> None:
    from kamdocs.cli.files import safe_output
    from kamdocs.system.atomicfile import write_atomically

    if not stale:
        echo(f"{_shown(folder, config)}/ is up to date.")
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name in stale:
        safe_output(folder / name, config, "docs_dir")
        write_atomically(folder / name, wanted[name].encode("utf-8"))
        echo(f"Wrote {_shown(folder / name, config)}.")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError("git not found: the form's local backend saves into a git repository; install git") from None


def _ready_repository(root: Path) -> tuple[Path, str]:
    """The top of the git repository holding ``root`` and its branch checked out, which decap-server saves
    to (as ``main`` on a forge): a branch with a commit, and no tracked file changed, since decap-server
    switches branches and rebases to save and stops at the first uncommitted change."""
    top = _git(root, "rev-parse", "--show-toplevel")
    branch = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if top.returncode != 0 or branch.returncode != 0 or not branch.stdout.strip():
        raise UsageError(
            f"{root}: not on a branch of a git repository; the form's local backend saves into one "
            "(git init, commit, then run kamdocs editor --serve again)"
        )
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        raise UsageError(f"{root}: the branch has no commit yet; commit the plans, then run kamdocs editor --serve")
    status = _git(root, "status", "--porcelain", "--untracked-files=normal").stdout.splitlines()
    changed = [line for line in status if not line.startswith("?? ")]
    if changed:
        names = ", ".join(line[3:] for line in changed[:3]) + (", ..." if len(changed) > 3 else "")
        raise UsageError(
            f"uncommitted changes ({names}): decap-server switches branches to save and stops at them; "
            "commit or stash them, then run kamdocs editor --serve again"
        )
    untracked = [line[3:] for line in status if line.startswith("?? ")]
    if untracked:
        # decap-server saves with `git add .`: every such file would go into the plan's branch and pull request.
        names = ", ".join(untracked[:3]) + (", ..." if len(untracked) > 3 else "")
        raise UsageError(
            f"files git does not track ({names}): decap-server would commit them with the first plan saved "
            "(it adds every file of the working copy); commit them, list them in .gitignore or move them "
            "away, then run kamdocs editor --serve again"
        )
    if branch.stdout.strip().startswith("cms/"):
        # A draft the form saved: served from it, every new draft would branch off this one, not off main.
        raise UsageError(
            f"on the branch {branch.stdout.strip()}, a draft the form saved; switch back to the branch the site "
            "is built from (git switch main), then run kamdocs editor --serve again"
        )
    return Path(top.stdout.strip()), branch.stdout.strip()


def _serve(config: Config, port: int, backend_port: int, stale: bool) -> None:
    """The form on 127.0.0.1:``port``, decap-server on 127.0.0.1:``backend_port``, until Ctrl-C."""
    from kamdocs.edit.decap_config import DECAP_SERVER_VERSION

    npx = shutil.which("npx")
    if npx is None:
        raise UsageError(
            "npx not found: the form's local backend, decap-server, runs on Node.js; install Node.js 18 or "
            "later (it brings npx), then run kamdocs editor --serve again"
        )
    top, branch = _ready_repository(config.root)
    backend_url = f"http://{LOCALHOST}:{backend_port}/api/v1"
    files = wanted_admin_files(config, local_backend=backend_url, branch=branch)
    for what, number in (("--port", port), ("--backend-port", backend_port)):
        if _listening(number):
            raise UsageError(f"{what} {number}: something already listens on {LOCALHOST}:{number}; pick another port")
    if stale:
        # Not written now: decap-server cannot save while a tracked file has changes.
        echo(
            f"kamdocs: note: {_shown(admin_path(config), config)}/ is out of date with the plan schema (the form "
            "served now is made from the schema); afterwards, run: kamdocs editor, and commit docs/admin/",
            err=True,
        )
    from kamdocs.cli.editor_server import form_server

    server = form_server(LOCALHOST, port, files)
    # `kill` (SIGTERM) and a closed terminal (SIGHUP) stop both as Ctrl-C does, not kamdocs alone:
    # decap-server runs in its own process group and would outlive it.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _interrupt)
    env = {
        **os.environ,
        "MODE": "git",  # the local backend with the editorial workflow: a branch per entry (fs has none)
        "PORT": str(backend_port),
        "BIND_HOST": LOCALHOST,
        "GIT_REPO_DIRECTORY": str(top),
    }
    backend = subprocess.Popen(
        [npx, "--yes", f"decap-server@{DECAP_SERVER_VERSION}"], cwd=top, env=env, start_new_session=True
    )
    try:
        _wait_for(backend, backend_port)
        echo(
            f"The plan form: http://{LOCALHOST}:{port}/admin/ (saving makes a branch cms/... in {top}; "
            f"decap-server {DECAP_SERVER_VERSION} on {LOCALHOST}:{backend_port}). Ctrl-C stops both."
        )
        sys.stdout.flush()
        server.serve_forever()
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.server_close()
        _stop(backend)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((LOCALHOST, port)) == 0


def _wait_for(backend: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + BACKEND_WAIT
    while not _listening(port):
        code = backend.poll()
        if code is not None:
            raise UsageError(
                f"decap-server stopped (exit {code}) before listening on {LOCALHOST}:{port}; its own message "
                "is above (npx needs the npm registry the first time)"
            )
        if time.monotonic() > deadline:
            raise UsageError(f"decap-server did not listen on {LOCALHOST}:{port} within {BACKEND_WAIT:.0f} s")
        time.sleep(0.2)


def _stop(backend: subprocess.Popen[bytes]) -> None:
    """Stop decap-server and the node process npx started for it (its own process group)."""
    if backend.poll() is not None:
        return
    try:
        os.killpg(backend.pid, signal.SIGTERM)
        backend.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(backend.pid, signal.SIGKILL)
