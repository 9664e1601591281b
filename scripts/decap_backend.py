"""Decap CMS's local backend (decap-server, from npm) on a git repository, and the plan form served beside it.

Used by tests/test_editor_saves.py and scripts/form_screenshots.py. decap-server comes from
the pinned lock in tests/vendor/decap-server (``npm ci``, no install scripts), never from ``npx``'s
"latest"; it runs in ``MODE=git``, the mode with the editorial workflow (saving an entry commits
to a branch ``cms/COLLECTION/SLUG``, as a pull request would on a forge), on 127.0.0.1 only. Its
commits carry a fixed date, so that what a test reads from git does not depend on the clock.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from browser import QuietHandler

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "tests" / "vendor" / "decap-server"
"""package.json and package-lock.json pinning decap-server and every package it needs."""
LOCALHOST = "127.0.0.1"
START_WAIT = 30.0
"""Seconds decap-server may take to answer; it answers in about one on a busy machine."""


class DecapServerError(RuntimeError):
    """decap-server could not be installed or started; the message carries its own output."""


def install_decap_server(folder: Path) -> Path:
    """``npm ci`` the pinned decap-server into ``folder``; the path of the script that starts it.

    Raises when npm is missing: a test that needs the backend must fail, not skip, where npm
    should be (CI has Node.js and npm).
    """
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise DecapServerError("npm and node are needed for decap-server (apt-get install nodejs npm)")
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(LOCK / name, folder / name)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=folder, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise DecapServerError(f"npm ci for decap-server failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    script = folder / "node_modules" / "decap-server" / "dist" / "index.js"
    if not script.is_file():
        raise DecapServerError(f"npm ci installed no {script}")
    return script


def free_port() -> int:
    """A port nobody listens on now (the OS's choice); decap-server takes it a moment later."""
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    """Whether decap-server at ``url`` answers its ``info`` action as the git mode does."""
    request = urllib.request.Request(
        url, data=b'{"action": "info"}', headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return json.load(response).get("type") == "local_git"
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


@contextmanager
def decap_server(script: Path, repo: Path, when: str, log: Path) -> Iterator[str]:
    """decap-server (``script``) in git mode on ``repo`` on 127.0.0.1; yields its API address.

    Its commits are dated ``when`` (author and committer) and made with the repository's own
    user, without the machine's git configuration. Stopped, and waited for, on the way out.
    """
    port = free_port()
    env = {
        **os.environ,
        "MODE": "git",
        "PORT": str(port),
        "BIND_HOST": LOCALHOST,
        "GIT_REPO_DIRECTORY": str(repo),
        "LOG_LEVEL": "warn",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    url = f"http://{LOCALHOST}:{port}/api/v1"
    # cwd: decap-server reads a .env file from its working folder; this one has none.
    with log.open("wb") as out:
        process = subprocess.Popen(["node", str(script)], cwd=script.parent, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + START_WAIT
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                said = log.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise DecapServerError(f"decap-server did not answer on {url} (exit {process.poll()}):\n{said}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def write_admin_folder(folder: Path, files: dict[str, str], bundle: dict[str, Path]) -> Path:
    """The form's folder as a site would serve it: ``files`` (index.html, config.yml, from ``kamdocs
    editor``'s generator) beside Decap's script and chunks (``bundle``, from the installed kamdocs)."""
    admin = folder / "admin"
    admin.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (admin / name).write_text(text, encoding="utf-8")
    for name, path in bundle.items():
        shutil.copy(path, admin / name)
    return admin


class FormHandler(QuietHandler):
    """Serves the form's folder quietly, config.yml as YAML (Decap warns about any other type)."""

    extensions_map: ClassVar[dict[str, str]] = {**QuietHandler.extensions_map, ".yml": "text/yaml"}
