"""The plan form in Chromium: Decap CMS loads its configuration without an error and nothing from outside
this computer, published with a site (``editor: true``) and served by ``kamdocs editor --serve`` with
its real local backend (decap-server, through npx)."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .commands import ENV, kamdocs_in_process, mkdocs_build_in_process
from .conftest import ROOT, GitRepo, run

sys.path.insert(0, str(ROOT / "scripts"))
from browser import serve

pytestmark = pytest.mark.e2e  # Chromium

TODAY = "2026-11-24"
CONFIG_ERROR = "Error loading the CMS configuration"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    assert run(["init", "plans-repo", "--today", TODAY], tmp_path).exit_code == 0
    root = tmp_path / "plans-repo"
    assert kamdocs_in_process(root, "editor").returncode == 0
    git = GitRepo(root)
    git.git("add", "-A")
    git.git("commit", "-q", "-m", "A plans repository with its form")
    return root


def test_the_published_form_loads_its_config_and_nothing_from_elsewhere(
    repo: Path, tmp_path: Path, chromium: Any
) -> None:
    mkdocs = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        mkdocs.replace(
            "      default_interval: quarterly\n", "      default_interval: quarterly\n      editor: true\n"
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    assert mkdocs_build_in_process(repo, "--strict", site=site).returncode == 0
    with serve(site) as base:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        # Decap looks for a local backend at localhost:8081 first; whatever listens there on this
        # machine must not answer for this test.
        page.route("http://localhost:8081/**", lambda route: route.abort())
        page.goto(f"{base}/admin/")
        # No local backend, so the committed backend: GitHub, with its sign-in button.
        page.get_by_role("button", name="Login with GitHub").wait_for(timeout=30000)
        assert CONFIG_ERROR not in page.content()
        page.close()
    hosts = {(urlsplit(u).hostname, urlsplit(u).port) for u in requests}
    port = urlsplit(base).port
    assert hosts <= {("127.0.0.1", port), ("localhost", 8081)}, requests
    assert f"{base}/admin/decap-cms.js" in requests and f"{base}/admin/config.yml" in requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(shutil.which("npx") is None, reason="kamdocs editor --serve needs Node.js (npx)")
def test_serve_runs_the_form_against_the_repository_with_decap_server(
    repo: Path, tmp_path: Path, chromium: Any
) -> None:
    form_port, backend_port = free_port(), free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        served = subprocess.Popen(
            [sys.executable, "-m", "kamdocs", "editor", "--serve", "--port", str(form_port),
             "--backend-port", str(backend_port)],
            cwd=repo, env=ENV, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 240  # the first npx run downloads decap-server
        while "The plan form:" not in log.read_text(encoding="utf-8"):
            assert served.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.5)
        said = log.read_text(encoding="utf-8")
        assert f"The plan form: http://127.0.0.1:{form_port}/admin/" in said

        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        base = f"http://127.0.0.1:{form_port}"
        page.goto(f"{base}/admin/")
        page.get_by_role("button", name="Login").click(timeout=30000)
        # The two collections, and the example plans kamdocs init wrote, read through decap-server.
        page.get_by_role("link", name="Full plans").wait_for(timeout=30000)
        page.get_by_text("Example Customer AG (example-one-page)").wait_for(timeout=30000)
        page.goto(f"{base}/admin/#/collections/full/new")
        # A new full plan's text starts with the nine sections kamdocs new writes (as Markdown: the
        # text box is in Decap's Markdown mode only).
        for section in ("Overview", "Requirements", "Organisation", "Mapping", "Sales objectives",
                        "Strategy and actions", "Added value", "Commitments", "KPIs"):  # fmt: skip
            page.get_by_text(f"## {section}", exact=True).wait_for(timeout=30000)
        assert CONFIG_ERROR not in page.content()
        page.screenshot(path=str(tmp_path / "new-full-plan.png"))
        page.close()
        # On a phone the editor of a plan fits the screen: no sideways scroll (Decap's own layout is 800 px).
        phone = chromium.new_page(viewport={"width": 390, "height": 844})
        phone.on("request", lambda request: requests.append(request.url))
        phone.goto(f"{base}/admin/")
        phone.get_by_role("button", name="Login").click(timeout=30000)
        phone.get_by_text("Example Customer AG (example-one-page)").click(timeout=30000)
        phone.get_by_text("Critical success factors").first.wait_for(timeout=30000)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert phone.get_by_role("button", name="Save").bounding_box()["x"] < 390 - 40
        phone.close()
        hosts = {(urlsplit(u).hostname, urlsplit(u).port) for u in requests}
        assert hosts <= {("127.0.0.1", form_port), ("127.0.0.1", backend_port)}, requests
        assert any(u.startswith(f"http://127.0.0.1:{backend_port}/api/v1") for u in requests)
    finally:
        served.send_signal(signal.SIGTERM)  # as `kill` does; Ctrl-C (SIGINT) takes the same way out
        served.wait(timeout=30)
    assert "Stopped." in log.read_text(encoding="utf-8")
    assert not listening(backend_port)  # decap-server stopped with it
