"""``kamdocs editor``: the plan form (Decap CMS) written into ``docs/admin/``, and served locally.

The page and its configuration are written into the repository, to be committed (and kept
current: ``--check`` in CI). Decap's script is not: 5.9 MB in every plans repository would
be a copy to keep current by hand; it comes from the installed kamdocs, served by ``--serve``
and copied into the site by the plugin when ``editor: true`` publishes the form.
"""

from __future__ import annotations

import contextlib
import os
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
    return admin_files(
        plan_validator(config).self_contained(),
        config.plans_dir,
        repo_url=repo_url,
        full_sections=config.required_sections.get("full", ()),
        local_backend=local_backend,
        branch=branch,
        kept_backend=kept_backend(_read(admin_path(config) / "config.yml"), repo_url),
    )


def admin_path(config: Config) -> Path:
    from kamdocs.edit.decap_config import ADMIN_DIR

    return config.docs_path / ADMIN_DIR


@command()
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if docs/admin/ is out of date; write nothing.")
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
    if check_only:
        if stale:
            names = ", ".join(str(_shown(folder / n, config)) for n in stale)
            raise Reported(f"{names}: out of date with the plan schema; run: kamdocs editor, and commit docs/admin/")
        echo(f"{_shown(folder, config)}/ is up to date.")
    elif not serve or stale:
        _write(folder, wanted, stale, config)
    if serve:
        _serve(config, port, backend_port)


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


def _current_branch(root: Path) -> str:
    """The branch checked out in ``root``: the one decap-server saves to (as ``main`` on a forge)."""
    try:
        done = subprocess.run(
            ["git", "symbolic-ref", "--quiet", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git not found: the form's local backend saves into a git repository; install git") from None
    if done.returncode != 0 or not done.stdout.strip():
        raise UsageError(
            f"{root}: not on a branch of a git repository; the form's local backend saves into one "
            "(git init, commit, then run kamdocs editor --serve again)"
        )
    return done.stdout.strip()


def _serve(config: Config, port: int, backend_port: int) -> None:
    """The form on 127.0.0.1:``port``, decap-server on 127.0.0.1:``backend_port``, until Ctrl-C."""
    from kamdocs.edit.decap_config import DECAP_SERVER_VERSION

    npx = shutil.which("npx")
    if npx is None:
        raise UsageError(
            "npx not found: the form's local backend, decap-server, runs on Node.js; install Node.js 18 or "
            "later (it brings npx), then run kamdocs editor --serve again"
        )
    root = config.root
    branch = _current_branch(root)
    backend_url = f"http://{LOCALHOST}:{backend_port}/api/v1"
    files = wanted_admin_files(config, local_backend=backend_url, branch=branch)
    for what, number in (("--port", port), ("--backend-port", backend_port)):
        if _listening(number):
            raise UsageError(f"{what} {number}: something already listens on {LOCALHOST}:{number}; pick another port")
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
        "GIT_REPO_DIRECTORY": str(root),
    }
    backend = subprocess.Popen(
        [npx, "--yes", f"decap-server@{DECAP_SERVER_VERSION}"], cwd=root, env=env, start_new_session=True
    )
    try:
        _wait_for(backend, backend_port)
        echo(
            f"The plan form: http://{LOCALHOST}:{port}/admin/ (saving makes a branch cms/... in {root}; "
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
