"""The bundled plans built by three engines: MkDocs and ProperDocs (plugin and render paths), Zensical
(render path, in a virtual environment of its own, as its users install it), and ``kamdocs serve``.

Each build is opened where a reader would look: a plan page, the dashboard and a download, and the
Zensical site in Chromium.
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import json
import os
import pty
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from kamdocs.findings import Finding, Severity
from kamdocs.site.engines import ZENSICAL_VERSION
from kamdocs.site.serve_banner import SHOWN, serve_banner

from .commands import ENV, sample_repo, site_config
from .conftest import ROOT
from .grid_data import grid_rows

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

RUN_ENV = {**ENV, "SOURCE_DATE_EPOCH": "1793491200", "NO_MKDOCS_2_WARNING": "1"}  # 2026-11-01
DOCS_INDEX = (
    "# Our plans\n\n<!-- kamdocs:summary -->\n\nQuoted, not filled: `<!-- kamdocs:summary -->`.\n\n"
    "The [budget](plans/budget.md) and the [scorecard][s], as `kamdocs init` links them.\n\n[s]: plans/scorecard.md\n"
)


def project(root: Path) -> Path:
    """The bundled plans with a docs folder whose home embeds the summary cards."""
    return sample_repo(
        root,
        site_config("git: false", site_name="Plans").replace(
            "plugins:", "nav:\n  - Home: index.md\n  - Guide: guide.md\nplugins:"
        ),
        {"index.md": DOCS_INDEX, "guide.md": "# Guide\n\nHow we plan.\n"},
    )


def kamdocs(repo: Path, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """The command, with its temporary files in a folder of the test's own (``TMPDIR``)."""
    scratch = repo.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "kamdocs", *args], cwd=repo, capture_output=True, text=True,
                          env={**RUN_ENV, "TMPDIR": str(scratch), **env}, timeout=timeout, check=False)  # fmt: skip


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def broken_links(site: Path, pages: list[Path] | None = None) -> list[str]:
    """Every relative link of the plans section, or of ``pages`` (``href`` in the HTML, and the links
    in the grids' data, which the script sets) that does not lead to a file of the built site."""
    broken = []
    for page in pages or sorted((site / "plans").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        links = re.findall(r'href="([^"#?]+)', html)
        data = grid_rows(page, html)
        for rows in data:
            links += [cell[1] for row in rows for cell in row if isinstance(cell, list)
                      and len(cell) == 2 and isinstance(cell[1], str) and cell[1].endswith("/")]  # fmt: skip
        for link in links:
            if link.startswith(("http:", "https:", "mailto:", "tel:", "data:", "/")) or not link:
                continue
            base = page.parent
            if 'data-kd-base="../"' in html and link in json.dumps(data):
                base = base.parent  # the script puts the grid's base before a data link
            target = (base / link).resolve()
            if not (target / "index.html" if link.endswith("/") else target).exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
    return broken


def assert_site(site: Path, embed_home: bool = True) -> None:
    """What a reader checks first: a plan page, the dashboard with every plan, a download."""
    plan = page(site, "plans/accounts/alpen-dairy/index.html")
    assert re.search(r"<h1\b[^>]*>Alpen Dairy Cooperative</h1>", plan)
    assert "Replace all 14 legacy checkweighers" in plan and 'class="kd-chain' in plan
    assert "kamdocs.js" in plan and "kamdocs.css" in plan
    (data,) = grid_rows(site / "plans/index.html")
    accounts = sorted(row[0][0] for row in data)
    plans = sorted(p.stem for p in (ROOT / "plans").glob("*.md"))
    assert len(accounts) == len(plans) and "Alpen Dairy Cooperative" in accounts
    exported = json.loads(page(site, "plans/plans.json"))
    assert sorted(p["id"] for p in exported["plans"]) == plans
    assert (site / "plans" / "plans.xlsx").read_bytes()[:2] == b"PK"
    if embed_home:
        home = page(site, "index.html")
        assert 'class="kd-cards"' in home and "&lt;!-- kamdocs:summary --&gt;" in home
        assert 'href="plans/budget/"' in home and 'href="plans/scorecard/"' in home  # the docs' own links work
    assert "https://fonts.g" not in plan  # the site loads no font from outside
    assert broken_links(site) == []


def test_mkdocs_builds_the_rendered_pages_without_the_plugin(tmp_path: Path) -> None:
    repo = project(tmp_path)
    before = {p: p.read_bytes() for p in [*sorted((repo / "docs").rglob("*")), repo / "mkdocs.yml"] if p.is_file()}
    built = kamdocs(repo, "build", "--render", "--strict", "-d", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    assert "from the rendered pages" in built.stderr
    # The plan, area and owner pages are kept out of the menu without MkDocs listing each one.
    assert "not included in the" not in built.stderr + built.stdout
    assert "accounts/alpen-dairy" not in built.stderr + built.stdout
    assert_site(tmp_path / "site")
    after = {p: p.read_bytes() for p in [*sorted((repo / "docs").rglob("*")), repo / "mkdocs.yml"] if p.is_file()}
    assert after == before  # the user's docs and configuration are never written
    assert not list((repo.parent / "scratch").glob("kamdocs-build-*"))  # the overlay is gone
    guide = page(tmp_path / "site", "guide/index.html")
    assert 'href="../plans/"' in guide  # the plans section is in the navigation


def test_mkdocs_and_properdocs_build_through_the_plugin(tmp_path: Path) -> None:
    repo = project(tmp_path)
    for engine in ("mkdocs", "properdocs"):
        built = kamdocs(repo, "build", "--engine", engine, "--strict", "-d", str(tmp_path / engine))
        assert built.returncode == 0, built.stderr
        assert_site(tmp_path / engine)
    # The engines' own commands, as a user runs them: the same result.
    direct = subprocess.run([sys.executable, "-m", "properdocs", "build", "-f", "mkdocs.yml", "-d",
                             str(tmp_path / "direct")], cwd=repo, capture_output=True, text=True, env=RUN_ENV,
                            timeout=300, check=False)  # fmt: skip
    assert direct.returncode == 0, direct.stderr
    assert_site(tmp_path / "direct")


def test_build_says_what_is_missing(tmp_path: Path) -> None:
    repo = project(tmp_path)
    missing = kamdocs(repo, "build", "--engine", "zensical")  # Zensical lives in a venv of its own
    assert missing.returncode == 1 and "zensical is not installed here" in missing.stderr
    assert "pip install zensical==0.0.73" in missing.stderr and "Traceback" not in missing.stderr
    (repo / "mkdocs.yml").write_text("site_name: Plans\ntheme:\n  name: material\n", encoding="utf-8")
    no_plugin = kamdocs(repo, "build", "--engine", "mkdocs")
    assert no_plugin.returncode == 1 and "--render" in no_plugin.stderr


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Zensical in a virtual environment of its own: it pins its own dependencies."""
    folder = tmp_path_factory.mktemp("zensical-venv")
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", f"zensical=={ZENSICAL_VERSION}"],
                               capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    return folder / "bin" / "zensical"


@pytest.fixture(scope="module")
def zensical_site(zensical: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """kamdocs render, then Zensical's own build, as docs/engines.md tells a user to run them."""
    root = tmp_path_factory.mktemp("zensical-site")
    repo = project(root)
    site = root / "zsite"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: Plans\ntheme:\n  name: material\n  font: false\n"
        "extra_css: [plans/assets/kamdocs.css]\nextra_javascript: [plans/assets/kamdocs.js]\n"
        "plugins:\n  - search\n  - awesome-nav\n",
        encoding="utf-8",
    )
    rendered = kamdocs(repo, "render", str(site / "docs" / "plans"))
    assert rendered.returncode == 0, rendered.stderr
    built = subprocess.run([str(zensical), "build", "--strict"], cwd=site, capture_output=True, text=True,
                           timeout=300, check=False)  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    return site / "site"


@pytest.mark.e2e
def test_zensical_builds_the_rendered_pages(zensical_site: Path) -> None:
    assert_site(zensical_site, embed_home=False)
    dashboard = page(zensical_site, "plans/index.html")
    assert "Commitments" in dashboard and "By business area" in dashboard  # the .nav.yml, through awesome-nav


@pytest.mark.e2e
def test_kamdocs_build_with_zensical(zensical: Path, tmp_path: Path) -> None:
    repo = project(tmp_path)
    (repo / "docs" / "guide.md").write_text('# Guide\n\n<!-- kamdocs:table business_area="Industrial Weighing" -->\n')
    built = kamdocs(repo, "build", "--engine", "zensical", "--engine-command", str(zensical), "-d", str(tmp_path / "s"))
    assert built.returncode == 0, built.stdout + built.stderr
    assert_site(tmp_path / "s")
    # An embed in a page that is not an index page: Zensical rewrites its links, the data follows.
    guide = tmp_path / "s" / "guide" / "index.html"
    assert 'data-kd-base="../"' in guide.read_text(encoding="utf-8")
    assert broken_links(tmp_path / "s", [guide]) == []
    with serve(tmp_path / "s") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            tab = browser.new_page()
            tab.goto(f"{base}/guide/?sort=-account")  # sorted by the script: every row drawn from the data
            tab.wait_for_timeout(800)
            hrefs = tab.eval_on_selector_all(".kd-plans tbody a", "as => as.map(a => a.href)")
            assert hrefs and all(h.startswith(f"{base}/plans/accounts/") for h in hrefs), hrefs
            for href in hrefs:
                assert tab.request.get(href).status == 200, href
        finally:
            browser.close()


@pytest.mark.e2e
def test_the_zensical_site_works_in_chromium(zensical_site: Path) -> None:
    """The table script runs on Zensical's pages: the filter narrows the rows, the plan page shows its chain."""
    with serve(zensical_site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            tab = browser.new_page(viewport={"width": 1366, "height": 900})
            errors: list[str] = []
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(f"{base}/plans/?q=alpen")
            tab.wait_for_function("document.documentElement.dataset.kdGridsReady !== undefined || "
                                  "document.querySelectorAll('.kd-grid tbody tr').length > 0")  # fmt: skip
            tab.wait_for_timeout(500)
            rows = tab.locator(".kd-plans tbody tr:visible")
            assert rows.count() == 1 and "Alpen Dairy" in rows.first.inner_text()
            tab.goto(f"{base}/plans/accounts/alpen-dairy/")
            assert tab.locator("h1").first.inner_text() == "Alpen Dairy Cooperative"
            assert tab.locator(".kd-chain").is_visible()
            assert errors == []
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if text in last:
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    repo = project(tmp_path)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kamdocs", "serve", "--engine", "mkdocs", "--render",
                                "-a", f"127.0.0.1:{port}"], cwd=repo, env=RUN_ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        yield repo, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)


@pytest.mark.e2e
def test_serve_shows_an_edited_plan(served: tuple[Path, str]) -> None:
    repo, base = served
    wait_for(f"{base}/plans/accounts/alpen-dairy/", "Alpen Dairy Cooperative")
    plan = repo / "plans" / "alpen-dairy.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Alpen Dairy Cooperative", "Alpen Dairy Renamed"))
    wait_for(f"{base}/plans/accounts/alpen-dairy/", "Alpen Dairy Renamed")
    wait_for(f"{base}/plans/", "Alpen Dairy Renamed")  # the roll-up too
    other = fetch(f"{base}/plans/accounts/ferrum-steel/")
    assert "Ferrum" in other


@pytest.mark.parametrize("where", ["docs/site", "plans/site", "..", "mkdocs.yml"])
def test_build_refuses_a_site_dir_it_would_lose_data_in_before_building(tmp_path: Path, where: str) -> None:
    repo = project(tmp_path)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    result = kamdocs(repo, "build", "--render", "-d", where)
    assert result.returncode in (1, 2), result.stderr  # 2: click's own check that -d is no file
    assert ("site_dir" in result.stderr or "--site-dir" in result.stderr) and "Traceback" not in result.stderr
    after = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if "scratch" not in p.parts)
    assert after == [p for p in before if "scratch" not in p]


@pytest.mark.e2e
def test_engine_command_must_be_the_engine_asked_for(zensical: Path, tmp_path: Path) -> None:
    """Zensical run on the plugin's configuration builds a site without plans and says nothing, so
    kamdocs checks what --engine-command is before it runs it."""
    repo = project(tmp_path)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    cases = [
        (["--engine", "mkdocs", "--engine-command", str(zensical)], "expected mkdocs"),
        (["--engine", "zensical", "--engine-command", str(mkdocs)], "expected zensical"),
        (["--engine", "zensical", "--engine-command", str(tmp_path / "none")], "found no program"),
    ]
    for args, message in cases:
        if not mkdocs.exists() and str(mkdocs) in args:
            continue
        result = kamdocs(repo, "build", *args, "-d", str(tmp_path / "site"))
        assert result.returncode == 1, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "site").exists()


def test_serve_fails_when_its_engine_cannot_start(tmp_path: Path) -> None:
    repo = project(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = kamdocs(repo, "serve", "--render", "-a", f"127.0.0.1:{port}", timeout=120)
    assert result.returncode == 1
    assert (
        result.stderr.strip().splitlines()[-1]
        == "kamdocs: error: mkdocs serve stopped (exit 1); its messages are above"
    )
    assert not list((repo.parent / "scratch").glob("kamdocs-build-*"))


def test_build_and_serve_outside_a_plans_repository(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for command in ("build", "serve"):
        result = kamdocs(tmp_path / "empty", command)
        assert result.returncode == 2
        assert "no mkdocs.yml here or above" in result.stderr


def test_the_plugin_path_refuses_a_site_dir_in_the_plans(tmp_path: Path) -> None:
    repo = project(tmp_path)
    result = kamdocs(repo, "build", "-d", "plans")
    assert result.returncode == 1 and "inside plans_dir" in result.stderr
    assert len(list((repo / "plans").glob("*.md"))) == len(list((ROOT / "plans").glob("*.md")))


@pytest.mark.e2e
def test_engine_command_is_a_path_from_where_kamdocs_was_started(tmp_path: Path) -> None:
    """``--engine-command .venv/bin/mkdocs`` names the program the user sees from their folder, even on
    the render path, whose engine runs in a temporary build folder; a bare name is looked up on PATH."""
    repo = project(tmp_path)
    bin_dir = Path(sys.executable).parent
    relative = os.path.relpath(bin_dir / "mkdocs", repo)
    assert "/" in relative and not (repo.parent / "scratch" / relative).exists()
    built = kamdocs(repo, "build", "--render", "--engine", "mkdocs", "--engine-command", relative, "-d", "../site")
    assert built.returncode == 0, built.stderr
    assert_site(tmp_path / "site")
    on_path = kamdocs(repo, "build", "--render", "--engine", "mkdocs", "--engine-command", "mkdocs", "-d", "../s2",
                      PATH=str(bin_dir))  # fmt: skip
    assert on_path.returncode == 0, on_path.stderr
    assert (tmp_path / "s2" / "plans" / "index.html").is_file()
    missing = kamdocs(repo, "build", "--render", "--engine", "mkdocs", "--engine-command", "bin/mkdocs")
    assert missing.returncode == 1
    assert f"found no program at {repo / 'bin' / 'mkdocs'}" in missing.stderr  # where it looked, absolute


def _descendants(pid: int) -> set[int]:
    """Every process under ``pid``, read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _exists(pid: int) -> bool:
    """Whether ``pid`` is a process that still runs (a zombie waiting for its parent does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _refused(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class _Terminal:
    """A pseudo-terminal that ``kamdocs serve`` has as its controlling terminal, as in a terminal
    window; closing it is what closing the window does (the kernel sends SIGHUP)."""

    def __init__(self) -> None:
        self.main, self.side = pty.openpty()
        self.done = threading.Event()
        self.output: list[bytes] = []
        self.reader = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        while not self.done.is_set():
            if select.select([self.main], [], [], 0.1)[0]:
                try:
                    self.output.append(os.read(self.main, 65536))
                except OSError:
                    return

    def close(self) -> None:
        self.done.set()
        self.reader.join()
        os.close(self.main)


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["plugin", "render", "zensical"])
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGHUP", "terminal closed", "SIGTERM, started with &"])
def test_serve_stops_its_engine_when_it_is_stopped(
    tmp_path: Path, path: str, how: str, request: pytest.FixtureRequest
) -> None:
    """``kill PID``, Ctrl-C and a closing terminal stop the engine too: the port is free and no process
    kamdocs started is left (on the plugin path, ``mkdocs serve`` used to keep answering)."""
    engine = serve_engine(path, request)
    repo = project(tmp_path)
    port = free_port()
    terminal = _Terminal() if how == "terminal closed" else None
    out = terminal.side if terminal else (tmp_path / "serve.log").open("wb")

    def controlling_terminal() -> None:
        typed_at_a_terminal()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def in_the_background() -> None:
        """As a shell without job control starts ``kamdocs serve &``: SIGINT ignored, which the engine
        would inherit, so the Ctrl-C kamdocs stops it with would not reach it (5 s lost, its temporary
        site left behind)."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "kamdocs", "serve", *engine, "-a", f"127.0.0.1:{port}"],
                               cwd=repo, env={**RUN_ENV, "TMPDIR": str(scratch)}, stdin=out, stdout=out, stderr=out,
                               start_new_session=True, preexec_fn=controlling_terminal if terminal else in_the_background if "&" in how else typed_at_a_terminal)  # fmt: skip
    started: set[int] = set()
    try:
        if terminal:
            os.close(terminal.side)
            terminal.reader.start()
        wait_for(f"http://127.0.0.1:{port}/plans/accounts/alpen-dairy/", "Alpen Dairy Cooperative")
        started = _descendants(process.pid)
        assert started  # the engine, at least
        if terminal:
            terminal.close()
        else:
            os.kill(process.pid, getattr(signal, how.split(",")[0]))
        deadline = time.monotonic() + 5
        while not _refused(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _refused(port), f"port {port} still answers after {how}"
        assert process.wait(timeout=30) == 0
        assert [pid for pid in started if _exists(pid)] == []
        for pid in started:  # the engine's process group is empty
            with pytest.raises(ProcessLookupError):
                os.killpg(pid, 0)
        assert list(scratch.iterdir()) == []  # kamdocs' build folder and MkDocs' mkdocs_* site are gone
    finally:
        for group in [process.pid, *started]:  # nothing of a failed run outlives the test
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        process.wait()
        if terminal and not terminal.done.is_set():
            terminal.close()
        elif not terminal:
            out.close()


def wait_without(url: str, text: str, seconds: float = 90) -> str:
    """The page at ``url`` once it no longer shows ``text``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            shown = fetch(url)
            if text not in shown:
                return shown
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} still shows {text!r}")


def serve_engine(path: str, request: pytest.FixtureRequest) -> list[str]:
    """``kamdocs serve``'s engine options for a test's path: the plugin, MkDocs' render path, or Zensical."""
    if path == "zensical":
        return ["--engine", "zensical", "--engine-command", str(request.getfixturevalue("zensical"))]
    return ["--engine", "mkdocs", *(["--render"] if path == "render" else [])]


@contextlib.contextmanager
def serving(repo: Path, engine: list[str], tmp_path: Path) -> Iterator[str]:
    """``kamdocs serve`` of ``repo`` on a free port for the block (its address), its log printed after."""
    port = free_port()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "kamdocs", "serve", *engine, "-a", f"127.0.0.1:{port}"],
                               cwd=repo, env={**RUN_ENV, "TMPDIR": str(scratch)}, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")[-3000:])


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["plugin", "render", "zensical"])
def test_serve_keeps_the_last_site_and_shows_the_errors_while_a_plan_is_invalid(
    tmp_path: Path, path: str, request: pytest.FixtureRequest
) -> None:
    """An invalid plan does not stop the preview (the browser waited for ever on the plugin path, and
    the render path showed nothing): every page keeps the last plans that built and lists the errors
    at its top, in readers' words, until the plan is fixed."""
    engine = serve_engine(path, request)
    repo = project(tmp_path)
    with serving(repo, engine, tmp_path) as base:
        plan_url = f"{base}/plans/accounts/alpen-dairy/"
        wait_for(plan_url, "Alpen Dairy Cooperative")
        assert 'class="kd-serve-error"' not in fetch(plan_url)
        plan = repo / "plans" / "alpen-dairy.md"
        good = plan.read_text(encoding="utf-8")
        # Where the finding is, worked out here: the line of "kind:", the column after "kind: ".
        where = f"plans/alpen-dairy.md:{good.splitlines().index('kind: one-page') + 1}:{len('kind: ') + 1}"
        plan.write_text(good.replace("kind: one-page", "kind: onepage"), encoding="utf-8")
        shown = wait_for(plan_url, where)
        banner = re.search(r'<div class="kd-serve-error" role="alert">.*?</div>', shown, re.S)
        assert banner is not None, shown[:2000]
        text = html.unescape(re.sub(r"<[^>]+>", "", banner.group(0)))
        assert "1 plan has errors" in text and "'onepage'" in text  # what was found
        assert "Did you mean 'one-page'?" in text  # the hint
        assert "bad-value" not in text and "error[" not in text  # readers' words, no rule ids
        assert re.search(r"<h1\b[^>]*>Alpen Dairy Cooperative</h1>", shown) and 'class="kd-chain' in shown
        for url in (f"{base}/", f"{base}/plans/", f"{base}/guide/"):  # every page, the docs' own too
            other = fetch(url)
            assert where in other, url
        assert "Alpen Dairy Cooperative" in fetch(f"{base}/plans/")  # the last good dashboard, every plan
        # Another error: the banner follows, and what the plan says is escaped.
        plan.write_text(good.replace("kind: one-page", "kind: <i>onepage</i>"), encoding="utf-8")
        shown = wait_for(plan_url, "&lt;i&gt;onepage&lt;/i&gt;")
        assert "<i>onepage" not in shown and shown.count('class="kd-serve-error"') == 1
        # Another plan edited meanwhile is held back with the rest, and shown once the plans are valid.
        other = repo / "plans" / "ferrum-steel.md"
        other.write_text(other.read_text(encoding="utf-8").replace("Ferrum Steel", "Ferrum Renamed"), encoding="utf-8")
        time.sleep(2)  # a round of serve sees the edit while the banner is still there
        assert 'class="kd-serve-error"' in fetch(f"{base}/plans/accounts/ferrum-steel/")
        plan.write_text(good.replace("Alpen Dairy Cooperative", "Alpen Dairy Fixed"), encoding="utf-8")
        shown = wait_without(plan_url, 'class="kd-serve-error"')
        assert "Alpen Dairy Fixed" in shown
        assert "Ferrum Renamed" in wait_for(f"{base}/plans/accounts/ferrum-steel/", "Ferrum Renamed")
        for url in (f"{base}/", f"{base}/plans/", f"{base}/guide/"):
            assert 'class="kd-serve-error"' not in fetch(url), url


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["plugin", "render"])
def test_serve_started_while_a_plan_is_invalid_shows_the_valid_plans_and_the_errors(
    tmp_path: Path, path: str, request: pytest.FixtureRequest
) -> None:
    """With no earlier site to keep, serve shows the valid plans and lists the errors on every page,
    instead of refusing to start (a build still stops)."""
    engine = serve_engine(path, request)
    repo = project(tmp_path)
    plan = repo / "plans" / "alpen-dairy.md"
    good = plan.read_text(encoding="utf-8")
    plan.write_text(good.replace("kind: one-page", "kind: onepage"), encoding="utf-8")
    where = f"plans/alpen-dairy.md:{good.splitlines().index('kind: one-page') + 1}:{len('kind: ') + 1}"
    with serving(repo, engine, tmp_path) as base:
        dashboard = wait_for(f"{base}/plans/", where)
        assert "Ferrum Steel" in dashboard  # a valid plan is there
        assert "Alpen Dairy Cooperative" not in dashboard  # the invalid one is not
        assert where in fetch(f"{base}/plans/accounts/ferrum-steel/")
        plan.write_text(good, encoding="utf-8")
        shown = wait_for(f"{base}/plans/accounts/alpen-dairy/", "Alpen Dairy Cooperative")
        assert 'class="kd-serve-error"' not in shown
        assert 'class="kd-serve-error"' not in wait_without(f"{base}/plans/", 'class="kd-serve-error"')
    built = kamdocs(repo, "build", *(["--render"] if path == "render" else []), "-d", str(tmp_path / "site"))
    assert built.returncode == 0  # the plan is valid again: the build goes through
    plan.write_text(good.replace("kind: one-page", "kind: onepage"), encoding="utf-8")
    built = kamdocs(repo, "build", *(["--render"] if path == "render" else []), "-d", str(tmp_path / "site"))
    assert built.returncode == 1 and where in built.stdout + built.stderr  # a build still stops


def test_the_serve_banner_escapes_the_plans_text_and_counts_what_it_does_not_list() -> None:
    errors = [Finding("bad-value", Severity.ERROR, f"plans/p{i:02}.md", i + 1, 3, "$.kind", f"found '<b>{i}</b>'",
                      "did you mean 'full'?") for i in range(SHOWN + 5)]  # fmt: skip
    banner = serve_banner(errors)
    assert "<b>" not in banner and "&lt;b&gt;0&lt;/b&gt;" in banner
    assert banner.count("<li>") == SHOWN + 1 and "and 5 more" in banner  # 25 errors: 20 listed, 5 counted
    assert f"{SHOWN + 5} plans have errors" in banner and "<code>plans/p00.md:1:3</code>" in banner
    assert "Did you mean 'full'?" in html.unescape(banner) and "bad-value" not in banner
    assert "\n" not in banner  # one line: an HTML block in Markdown ends at a blank line


ENGINES_DOC = (ROOT / "docs" / "engines.md").read_text(encoding="utf-8")
INSTALLS_KAMDOCS = re.compile(r"^(?:\S*pip|python3? -m pip) install\b.*kamdocs")
"""An install line of kamdocs itself: not run here. docs/install.md is the one page on installing kamdocs
(from a wheel, a git URL or a company index); another change rewrites these lines to follow it, and
the test's own virtual environment has kamdocs installed already."""
PREPARED = {
    "python3 -m venv .venv-zensical": "the zensical fixture made this virtual environment the same way "
    "(venv.create), and the repository links it as .venv-zensical; a second venv over it would replace its python",
}
PLANS_REPO_BLOCKS = ("MkDocs or ProperDocs with the plugin", "MkDocs from the rendered pages", "Zensical")
BY_HAND_BLOCK = "By hand: `kamdocs render` and your engine's own command"


def doc_blocks(language: str) -> list[tuple[str, str]]:
    """The ``language`` code blocks of docs/engines.md, each with the heading it is under."""
    blocks = []
    heading = ""
    for part in re.split(r"^(```[a-z]*\n.*?^```)$", ENGINES_DOC, flags=re.M | re.S):
        if part.startswith(f"```{language}\n"):
            blocks.append((heading, part.split("\n", 1)[1].rsplit("```", 1)[0]))
        elif not part.startswith("```"):
            headings = re.findall(r"^#+ (.+)$", part, flags=re.M)
            heading = headings[-1] if headings else heading
    return blocks


def doc_commands(block: str) -> list[str]:
    """Each line of a command block, and each alternative its comment gives (``# or: properdocs ...``)."""
    commands = []
    for line in block.splitlines():
        if line.strip():
            commands.append(line.strip())
            commands += [m.strip() for m in re.findall(r"#\s*or:\s*(.+)$", line)]
    return commands


def typed_at_a_terminal() -> None:
    """A command typed at a terminal gets Ctrl-C (SIGINT) at its default, even when the test run itself
    was started where SIGINT is ignored (``pytest &`` in a shell without job control, which children
    inherit and kamdocs then keeps ignoring on purpose): a test that presses Ctrl-C must not depend on that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_doc_line(line: str, cwd: Path, env: dict[str, str], port: int) -> str:
    """Run one line of the docs as a user types it into bash; a ``serve`` line is started, asked
    until it answers, and stopped with Ctrl-C. Returns what was done, for the test's own list.
    What a build or serve must show is a plan's account name (``account:`` of the first plan)."""
    account = re.search(r"^account: (.+)$", sorted((cwd / "plans").glob("*.md"))[0].read_text(encoding="utf-8"), re.M)
    assert account is not None
    name = html.escape(account.group(1).strip().strip("\"'"), quote=False)
    if INSTALLS_KAMDOCS.match(line):
        return f"skipped (kamdocs is installed; docs/install.md): {line}"
    if line in PREPARED:
        return f"prepared ({PREPARED[line]}): {line}"
    words = shlex.split(line, comments=True)
    if "serve" in words[:2]:
        process = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   preexec_fn=typed_at_a_terminal)  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{port}/plans/", name)
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=30)
            assert _refused(port), f"{line}: port {port} still answers"
        finally:
            if process.poll() is None:  # a failed run: kill PID first, which stops kamdocs' engine too
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        return f"served: {line}"
    site = cwd / "site"
    shutil.rmtree(site, ignore_errors=True)
    result = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                            check=False)  # fmt: skip
    assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
    if words[1:2] == ["build"]:
        assert name in page(site, "plans/index.html"), line  # this line built the site
    if words[:2] == ["kamdocs", "render"]:
        assert name in (cwd / words[2] / "index.md").read_text(encoding="utf-8"), line
    return f"ran: {line}"


@pytest.mark.e2e
def test_every_command_of_the_engines_page_works_as_written(zensical: Path, tmp_path: Path) -> None:
    """docs/engines.md followed literally, in a plans repository as kamdocs init makes it and in the
    sites its by-hand configurations describe: each build builds the plans, each serve answers and stops."""
    assert {h for h, _ in doc_blocks("sh")} == {*PLANS_REPO_BLOCKS, BY_HAND_BLOCK}, "a new block needs a place here"
    port = free_port()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**RUN_ENV, "TMPDIR": str(scratch), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), str(zensical.parent), os.environ["PATH"]])}  # fmt: skip
    made = subprocess.run([sys.executable, "-m", "kamdocs", "init", "plans-repo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert made.returncode == 0, made.stderr
    repo = tmp_path / "plans-repo"
    with (repo / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"dev_addr: 127.0.0.1:{port}\n")  # where mkdocs serve and kamdocs serve listen
    (repo / ".venv-zensical").symlink_to(zensical.parent.parent)
    done = []
    for heading, block in doc_blocks("sh"):
        if heading in PLANS_REPO_BLOCKS:
            done += [run_doc_line(line, repo, env, port) for line in doc_commands(block)]
            continue
        # The by-hand block, in a site set up as each of the page's configurations says.
        for number, config_text in enumerate(text for _, text in doc_blocks("yaml")):
            site = tmp_path / f"by-hand-{number}"
            (site / "docs").mkdir(parents=True)
            (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
            shutil.copytree(repo / "plans", site / "plans")
            (site / "mkdocs.yml").write_text(config_text, encoding="utf-8")
            for line in doc_commands(block):
                if line.startswith("mkdocs ") and "awesome-nav" in config_text:
                    done.append(f"skipped (mkdocs-awesome-nav is no test dependency): {line}")
                    continue
                done.append(run_doc_line(line, site, env, port))
    assert "ran: kamdocs build --engine zensical --engine-command .venv-zensical/bin/zensical" in done
    assert "served: kamdocs serve --engine zensical --engine-command .venv-zensical/bin/zensical" in done
    assert sum(d.startswith(("ran:", "served:")) for d in done) >= 14, "\n".join(done)
    print("\n".join(done))
