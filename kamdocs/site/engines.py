"""``kamdocs build`` and ``kamdocs serve``: the plans site with whichever site engine is installed.

Two paths lead to the same pages (:mod:`kamdocs.site.render`):

- the plugin path: MkDocs or ProperDocs runs ``mkdocs.yml`` as it stands, and
  the kamdocs plugin makes the pages during the build;
- the render path: the pages are rendered into a temporary overlay (a copy of
  ``docs_dir`` with the plans section added, and a copy of ``mkdocs.yml``
  without the plugin, with the section in its navigation and its assets
  listed), and the engine builds that. Zensical, which ignores plugins it does
  not know, only has this path; MkDocs takes it with ``--render``.

Like the CLI, this is an adapter: it runs engines as subprocesses and never
imports one, so the core stays free of any engine.
"""

from __future__ import annotations

import importlib.util
import os
import posixpath
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamdocs.config import Config
from kamdocs.config.mkdocs_yml import site_yaml
from kamdocs.errors import KamdocsError
from kamdocs.escaping import path_text
from kamdocs.findings import Finding
from kamdocs.rules.checks import markdown_lines
from kamdocs.site.edit_links import dangling_edit_settings
from kamdocs.site.embeds import EMBED, SUMMARY, EmbedError, render_embeds
from kamdocs.site.output_folder import write_rendered
from kamdocs.site.render import ASSET_DIR, SiteRenderer, is_index, linker
from kamdocs.site.serve_banner import serve_banner
from kamdocs.site.sitemap import name_without_url
from kamdocs.site.slots import Link
from kamdocs.system import package_data
from kamdocs.system.atomicfile import ensure_real_folder

ZENSICAL_VERSION = "0.0.73"
"""The Zensical release the render path is tested with: the newest the package registry serves that
installs (0.0.74 and later need ``zensical-ui``, which it does not serve)."""


class EngineError(KamdocsError):
    """An engine that is missing, or an overlay that cannot be made; one line, exit 1."""


@dataclass(frozen=True)
class EngineSpec:
    """One site engine as data: everything kamdocs does differently for it is a field here, so that
    no other module compares an engine's name (a test greps for that)."""

    name: str
    requirement: str
    """What ``pip install`` takes to install it, for the message when it is missing."""
    module: str | None
    """The Python module that runs it beside kamdocs (``python -m mkdocs``); None for an engine found as
    a program only (Zensical pins its own dependencies, so it lives in a virtual environment of its own)."""
    runs_plugin: bool
    """Runs the kamdocs plugin, so the plugin path is open to it; otherwise it takes the render path only
    (Zensical ignores plugins it does not know, and would build a site without plans)."""
    takes_config_file: bool
    """Takes ``-f mkdocs.yml``; otherwise it reads the ``mkdocs.yml`` of the folder it runs in."""
    names_itself: bool
    """Says its own name in ``--version``, which is how ``--engine-command`` is checked."""
    links_from_source: bool
    """Rewrites the links in the HTML of a page that is not an index page as if they were relative to
    its source file (adding ``../``), so the render path writes embeds' links for that rewrite."""

    def installed(self) -> bool:
        """Whether kamdocs can start it without ``--engine-command``: its module beside kamdocs, or its
        program beside kamdocs' Python or on ``PATH``."""
        if self.module is not None:
            return importlib.util.find_spec(self.module) is not None
        return _beside_python(self.name) is not None or shutil.which(self.name) is not None

    def command(self) -> tuple[str, ...]:
        """How kamdocs starts it when it is installed, without the subcommand (``build``, ``serve``)."""
        if self.module is not None:
            return (sys.executable, "-m", self.module)
        return (_beside_python(self.name) or shutil.which(self.name) or self.name,)


def _beside_python(program: str) -> str | None:
    candidate = Path(sys.executable).parent / program
    return str(candidate) if candidate.is_file() else None


@dataclass(frozen=True)
class Engines:
    """The site engines kamdocs runs, by name, in the order ``kamdocs build`` tries them (the plugin
    path first). A new engine is one :class:`EngineSpec` here, never a new branch elsewhere."""

    by_name: Mapping[str, EngineSpec]

    @property
    def names(self) -> tuple[str, ...]:
        """The names, in order of preference, as ``--engine`` offers them."""
        return tuple(self.by_name)

    def get(self, name: str) -> EngineSpec:
        """The engine called ``name``; an :class:`EngineError` naming the others for any other name."""
        if name not in self.by_name:
            raise EngineError(f"--engine: expected one of {', '.join(self.names)}, found {name!r}")
        return self.by_name[name]


SITE_ENGINES = Engines(
    {
        spec.name: spec
        for spec in (
            EngineSpec("mkdocs", "mkdocs", "mkdocs", runs_plugin=True, takes_config_file=True,
                       names_itself=True, links_from_source=False),
            EngineSpec("properdocs", "properdocs", "properdocs", runs_plugin=True, takes_config_file=True,
                       names_itself=True, links_from_source=False),
            EngineSpec("zensical", f"zensical=={ZENSICAL_VERSION}", None, runs_plugin=False,
                       takes_config_file=False, names_itself=False, links_from_source=True),
        )
    }
)  # fmt: skip
ENGINES = SITE_ENGINES.names
"""The engines' names, in order of preference."""


@dataclass(frozen=True)
class Engine:
    """A site engine found to run: its record, how to start it, and which path this run takes."""

    spec: EngineSpec
    command: tuple[str, ...]
    """How to start it, without the subcommand (``build``, ``serve``)."""
    plugin: bool
    """Runs the kamdocs plugin (MkDocs, ProperDocs); otherwise the render path."""

    @property
    def name(self) -> str:
        return self.spec.name


def find_engine(name: str | None, *, render: bool = False, command: str | None = None) -> Engine:
    """The engine asked for, or the first installed one, preferring the plugin path.

    ``command`` is the engine's executable, for one installed in a virtual environment of its own
    (Zensical pins its own dependencies); otherwise it is looked for beside kamdocs and on ``PATH``.
    ``render`` takes the render path even with an engine that runs the plugin.
    """
    if name is None:
        found = next((s for s in SITE_ENGINES.by_name.values() if _installed(s, command)), None)
        if found is None:
            raise EngineError(f"no site engine found: install {_either(SITE_ENGINES.names)}")
        name = found.name
    spec = SITE_ENGINES.get(name)
    plugin = spec.runs_plugin and not render
    if command:
        return Engine(spec, (_checked_command(spec, command),), plugin)
    if not spec.installed():
        raise EngineError(
            f"{name} is not installed here; pip install {spec.requirement} (see docs/engines.md), "
            "or give --engine-command"
        )
    return Engine(spec, spec.command(), plugin)


def _either(names: tuple[str, ...]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _installed(spec: EngineSpec, command: str | None) -> bool:
    """With ``--engine-command``, whether that program exists; otherwise whether the engine is installed."""
    return _program(command) is not None if command else spec.installed()


def _checked_command(spec: EngineSpec, command: str) -> str:
    """``--engine-command``, if it runs and is the engine asked for: Zensical given the plugin's
    configuration would build a site without plans and say nothing. MkDocs and ProperDocs name
    themselves in ``--version``; Zensical prints its version alone, so it must not name another."""
    name = spec.name
    found = _program(command)
    if found is None:
        where = (
            f"named {command} on PATH"
            if os.sep not in command
            else f"at {os.path.abspath(os.path.expanduser(command))}"
        )
        raise EngineError(f"--engine-command: expected the {name} program, found no program {where}")
    try:
        answer = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineError(f"--engine-command: {command} does not run: {' '.join(str(exc).split())}") from None
    said = " ".join((answer.stdout + answer.stderr).split())
    others = [other for other in SITE_ENGINES.names if other != name and other in said.casefold()]
    if answer.returncode or others or (spec.names_itself and name not in said.casefold()):
        raise EngineError(f"--engine-command: expected {name}, found a program that says {said[:80]!r}")
    return found


def _program(command: str) -> str | None:
    """The absolute path of ``--engine-command``: a path (with a ``/``) taken from the directory
    kamdocs was started in, as the shell the user typed it in would, and a bare name looked up on
    ``PATH``. Absolute, because the render path runs the engine in its temporary build folder."""
    if os.sep in command or (os.altsep is not None and os.altsep in command):
        path = os.path.abspath(os.path.expanduser(command))
        return path if os.path.isfile(path) else None
    found = shutil.which(command)
    return os.path.abspath(found) if found is not None else None


def _without_kamdocs(plugins: Any) -> list[Any]:
    items = plugins if isinstance(plugins, list) else [] if plugins is None else list(plugins)
    kept = []
    for item in items:
        if item == "kamdocs" or (isinstance(item, dict) and "kamdocs" in item):
            continue
        kept.append(item)
    return kept


def _nav_entries(docs: Path, folder: Path, skip: Path) -> list[Any]:
    """A navigation of the docs as MkDocs would make it, for a site without ``nav:``: index first,
    then pages, then folders as sections. The plans section is added apart (its plan pages are not listed)."""
    entries: list[Any] = []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".md")
    files.sort(key=lambda p: p.stem not in ("index", "README"))
    entries += [p.relative_to(docs).as_posix() for p in files]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and p != skip and not p.name.startswith(".")):
        children = _nav_entries(docs, sub, skip)
        if children:
            entries.append({sub.name.replace("-", " ").replace("_", " ").capitalize(): children})
    return entries


def overlay_config(
    document: dict[str, Any], source: Path, section: list[tuple[str, str]], prefix: str, docs: Path
) -> dict[str, Any]:
    """The user's configuration for the overlay: docs and site inside it, no kamdocs plugin, the plans
    section in the navigation (after the home page, as the plugin places it) and its assets listed.

    ``document`` is the whole configuration with ``INHERIT`` already merged (:attr:`SiteSettings.written`),
    so the copy needs no base file, and a list the base holds (``plugins``, ``extra_css``) is kept whole
    rather than replaced by the copy's."""
    root = source.parent
    out = dict(document)
    out["docs_dir"] = "docs"
    out["site_dir"] = "site"
    out["plugins"] = _without_kamdocs(document.get("plugins"))
    for key in ("hooks", "watch"):
        if isinstance(out.get(key), list):
            out[key] = [str((root / p).resolve()) if isinstance(p, str) else p for p in out[key]]
    for key, name in (("extra_css", "kamdocs.css"), ("extra_javascript", "kamdocs.js")):
        listed = list(out.get(key) or [])
        listed.append(f"{prefix}/{ASSET_DIR}/{name}")
        out[key] = listed
    # The plan, business-area and owner pages stay out of the menu; without this MkDocs would list each
    # one on every build ("exist in the docs directory, but are not included in the nav").
    listed_apart = f"/{prefix}/accounts/\n/{prefix}/by-*/\n"
    kept = out.get("not_in_nav")
    out["not_in_nav"] = (f"{kept.rstrip()}\n" if isinstance(kept, str) and kept.strip() else "") + listed_apart
    plans = {"Plans": [{title: src} for title, src in section]}
    nav = out.get("nav")
    if not isinstance(nav, list):
        nav = _nav_entries(docs, docs, docs / prefix)
    nav = list(nav)
    first_is_page = bool(nav) and not (isinstance(nav[0], dict) and isinstance(next(iter(nav[0].values())), list))
    nav.insert(1 if first_is_page else 0, plans)
    out["nav"] = nav
    return out


def _theme_overrides(document: dict[str, Any], root: Path, target: Path) -> str | None:
    """The template override that keeps Material from calling GitHub's API (``offline``), under the
    user's own ``custom_dir``, whose files win, as on the plugin path."""
    theme = document.get("theme")
    name = theme.get("name") if isinstance(theme, dict) else theme
    if name != "material":
        return None
    shutil.copytree(package_data.theme_dir(), target)
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str) and (root / custom).is_dir():
        shutil.copytree(root / custom, target, dirs_exist_ok=True)
    return str(target)


@dataclass
class Overlay:
    """A temporary project the render path builds: ``folder/mkdocs.yml``, ``folder/docs``, ``folder/site``."""

    folder: Path
    renderer: SiteRenderer
    docs_source: Path
    section: Path
    source_relative: bool = False
    """Zensical: the links of embeds in non-index pages are written for its rewrite (expand_embeds)."""
    banner: str = ""
    """The errors ``serve`` shows at the top of every page while a plan is invalid (:func:`show_errors`)."""

    @property
    def config_file(self) -> Path:
        return self.folder / "mkdocs.yml"


def make_overlay(config: Config, renderer: SiteRenderer, folder: Path, *, source_relative: bool = False) -> Overlay:
    """Render the plans into a copy of the docs, with the configuration that builds them."""
    source = config.root / config.source
    document = dict(config.site.written) or {"site_name": "Plans"}
    docs_source = config.docs_path
    docs = folder / "docs"
    if docs_source.is_dir():
        names = (p.relative_to(docs_source).as_posix() for p in docs_source.rglob("*"))
        unnamed = name_without_url(names, path_text(str(docs_source)))
        if unnamed is not None:
            raise EngineError(unnamed)
        shutil.copytree(docs_source, docs, symlinks=False, ignore=shutil.ignore_patterns(".git"))
    else:
        docs.mkdir(parents=True)
    section = docs / config.url_prefix
    if section.exists():
        raise EngineError(
            f"{docs_source / config.url_prefix}: docs_dir already has {config.url_prefix}/, where the plans "
            "section goes; move it, or set url_prefix to another folder"
        )
    write_rendered(section, renderer.files)
    expand_embeds(docs, renderer, config, source_relative=source_relative)
    settings = overlay_config(document, source, list(renderer.nav), config.url_prefix, docs)
    for key in dangling_edit_settings(config.site.settings):  # with INHERIT: repo_url may come from the base
        settings[key] = None
    if config.offline:
        custom = _theme_overrides(document, config.root, folder / "overrides")
        if custom is not None and isinstance(settings.get("theme"), dict):
            settings["theme"] = {**settings["theme"], "custom_dir": "overrides"}
    text = f"# {GENERATED_CONFIG}\n" + site_yaml(settings)
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return Overlay(folder, renderer, docs_source, section, source_relative=source_relative)


GENERATED_CONFIG = "Written by kamdocs build from mkdocs.yml for the render path; it lives only during the build."


_MARKDOWN_LINK = re.compile(r"(\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?)([^)\s>#?]+\.md)(?=[#?)\s>]|$)", re.M)
"""The target of an inline link ``[text](page.md)`` or of a reference definition ``[id]: page.md``."""


def moved_links(text: str, rel: str, moved: Mapping[str, str]) -> str:
    """A docs page's Markdown links to plans pages, pointed where the render path writes them
    (``plans/budget.md`` is ``plans/budget/index.md`` there, at the same URL)."""
    if not moved:
        return text
    folder = posixpath.dirname(rel)

    def sub(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(2)))
        new = moved.get(target)
        return match.group(0) if new is None else match.group(1) + posixpath.relpath(new, folder or ".")

    return _MARKDOWN_LINK.sub(sub, text)


def expand_embeds(docs: Path, renderer: SiteRenderer, config: Config, *, source_relative: bool = False) -> None:
    """Adapt the copied pages to the render path: their links to plans pages follow the pages
    (:func:`moved_links`), and ``<!-- kamdocs:table -->`` and ``<!-- kamdocs:summary -->``
    markers are filled.

    ``source_relative`` is for Zensical, which rewrites the links in the HTML of a page that is
    not an index page as if they were relative to its source file (adding ``../``): there the
    embeds' links are written that way, and their grids tell the table script to add the same
    ``../`` to the links in their data (``data-kd-base``). Only copies in the overlay change; the
    user's docs are never written.
    """
    builder = renderer.builder
    if builder is None:
        return
    for page in sorted(docs.rglob("*.md")):
        rel = page.relative_to(docs).as_posix()
        if rel.startswith(config.url_prefix + "/"):
            continue
        original = page.read_text(encoding="utf-8", errors="replace")
        text = moved_links(original, rel, renderer.moved)
        if "kamdocs:" not in text or not (EMBED.search(text) or SUMMARY.search(text)):
            if text != original:
                page.write_text(text, encoding="utf-8")
            continue
        shifted = source_relative and renderer.directory_urls and not is_index(rel)
        link = linker(posixpath.join(posixpath.dirname(rel), "index.md") if shifted else rel, renderer.directory_urls)

        code = [is_code for _, is_code in markdown_lines(text)]

        def block(
            match: re.Match[str], link: Link = link, text: str = text, code: list[bool] = code, shifted: bool = shifted
        ) -> str:
            """A marker on a line of its own, outside code, becomes one raw HTML block; a marker
            quoted in code or mid-sentence is text, as the plugin (which sees it escaped) leaves it."""
            line_start = text.rfind("\n", 0, match.start()) + 1
            line = text.count("\n", 0, match.start())
            if text[line_start : match.start()].strip() or (line < len(code) and code[line]):
                return match.group(0)
            html = render_embeds(match.group(0), builder, link)
            if shifted:
                html = html.replace(
                    '<div class="kd-grid" data-kd-grid ', '<div class="kd-grid" data-kd-grid data-kd-base="../" '
                )
            return f'\n\n<div class="kd-block">\n{html}\n</div>\n\n'

        try:
            html = SUMMARY.sub(block, EMBED.sub(block, text))
        except EmbedError as exc:
            line = text[: text.find(exc.marker)].count("\n") + 1 if exc.marker in text else 1
            raise EngineError(f"{rel}:{line}: {exc.message}") from None
        page.write_text(html, encoding="utf-8")


def sync_docs(overlay: Overlay, changed: list[Path], config: Config) -> None:
    """Copy changed docs files into the overlay (or remove deleted ones), with embeds filled again."""
    docs = overlay.folder / "docs"
    for path in changed:
        target = docs / path.relative_to(overlay.docs_source)
        if target.is_relative_to(overlay.section):
            continue
        if path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        elif target.is_file():
            target.unlink()
    expand_embeds(docs, overlay.renderer, config, source_relative=overlay.source_relative)


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def show_errors(overlay: Overlay, errors: Sequence[Finding]) -> None:
    """Put the banner listing ``errors`` at the top of every page of the overlay (after its front matter),
    or, with no errors, take it away again: ``serve`` keeps the last pages that built while a plan is
    invalid, and says so where the author looks. Only the overlay's copies change. Pages copied in
    since (a docs page edited meanwhile) get the banner too; the pages read back as they were without it."""
    banner = f"\n{serve_banner(errors)}\n\n" if errors else ""
    for page in sorted((overlay.folder / "docs").rglob("*.md")) if banner or overlay.banner else ():
        text = page.read_text(encoding="utf-8")
        plain = text.replace(overlay.banner, "", 1) if overlay.banner else text
        top = _FRONT_MATTER.match(plain)
        at = top.end() if top else 0
        marked = plain[:at] + banner + plain[at:] if banner else plain
        if marked != text:
            page.write_text(marked, encoding="utf-8")
    overlay.banner = banner


@contextmanager
def overlay_folder() -> Iterator[Path]:
    """A temporary folder for the render path's overlay, removed afterwards whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="kamdocs-build-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def site_dir(config: Config, given: Path | None) -> Path:
    """Where the built site goes: ``-d``, else ``site_dir`` of mkdocs.yml, else site/."""
    if given is not None:
        return Path(os.path.abspath(given))
    # abspath, not resolve: a committed ``site -> /elsewhere`` must stay a link, which check_site_dir refuses;
    # resolved, the build emptied /elsewhere and wrote the site there.
    return Path(os.path.abspath(config.root / config.site.site_dir))


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
"""What stops kamdocs, and with it its engine: ``kill PID``, Ctrl-C, and the terminal closing (SIGHUP,
which Windows does not have)."""
STOP_GRACE = 5.0
"""Seconds an engine has to end after SIGINT (a Ctrl-C, after which MkDocs removes its temporary
site), and again after SIGTERM, before what is left of it is killed."""


class _Stop(BaseException):
    """Raised in the main thread by a stop signal, to leave whatever kamdocs was doing with its engine."""


@dataclass
class RunningEngine:
    """An engine kamdocs started (:func:`supervised`): the process, and the signal that stopped it, if one did."""

    engine: Engine
    verb: str
    process: subprocess.Popen[bytes]
    stopped_by: int | None = None
    """The signal kamdocs got (SIGTERM, SIGINT, SIGHUP) and stopped the engine for; None if it ended by itself."""

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> int:
        return self.process.wait()

    def failure(self) -> str | None:
        """Why the engine ended by itself with an error (a busy port, a bad address), or None."""
        code = self.process.poll()
        if self.stopped_by is not None or not code:
            return None
        return f"{self.engine.name} {self.verb} stopped (exit {code}); its messages are above"


@contextmanager
def supervised(engine: Engine, verb: str, args: list[str], cwd: Path) -> Iterator[RunningEngine]:
    """Run the engine for the length of the block, and stop it, with every process it started, when
    the block ends, whatever ends it.

    Both ``build`` and ``serve``, on the plugin path and on the render path, run their engine here:
    one piece of code decides how an engine stops. The engine runs in a session of its own, so a
    Ctrl-C, ``kill PID`` or a closing terminal (SIGHUP) reaches kamdocs alone, which then leaves the
    block (the signal is in :attr:`RunningEngine.stopped_by`, and the block's exception is
    swallowed) and ends the engine's whole process group (:func:`_end_group`). Left in kamdocs'
    own group, ``mkdocs serve`` outlived a ``kill`` of kamdocs and kept answering on its port. The
    engine's own output goes straight to the user's terminal; its standard input is closed, as it
    asks nothing.
    """
    started: list[RunningEngine] = []
    pending: list[int] = []
    stopping: list[bool] = []

    def on_signal(signum: int, frame: Any) -> None:
        if not started:
            pending.append(signum)  # the engine is starting: it is stopped as soon as it has
        elif started[0].stopped_by is None:
            started[0].stopped_by = signum
            if not stopping:  # a second Ctrl-C while the engine stops does not cut the stopping short
                raise _Stop

    main_thread = threading.current_thread() is threading.main_thread()
    # A signal ignored on purpose (nohup ignores SIGHUP) stays ignored.
    watched = [s for s in STOP_SIGNALS if main_thread and signal.getsignal(s) is not signal.SIG_IGN]
    previous = {s: signal.signal(s, on_signal) for s in watched}
    # The engine is stopped with SIGINT (_end_group), after which it cleans up as after Ctrl-C. Started
    # with SIGINT ignored, as a shell without job control starts `kamdocs serve &`, it would inherit
    # the ignoring: the stop would wait out the grace and kill it, leaving its temporary site behind.
    # A handled signal is reset to the default when the engine's program starts, so SIGINT is handled
    # (by nothing) while it starts, and ignored again afterwards.
    background = main_thread and signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    try:
        if background:
            signal.signal(signal.SIGINT, _not_now)
        try:
            process = subprocess.Popen(
                [*engine.command, verb, *args], cwd=cwd, stdin=subprocess.DEVNULL, start_new_session=True
            )
        except OSError as exc:
            raise EngineError(f"{engine.name}: cannot start {' '.join(engine.command)}: {exc.strerror}") from None
        finally:
            if background:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
        started.append(RunningEngine(engine, verb, process, pending[0] if pending else None))
        try:
            if started[0].stopped_by is not None:
                _end_group(process)
            yield started[0]
        except _Stop:
            pass
        finally:
            stopping.append(True)
            _end_group(process)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _not_now(signum: int, frame: Any) -> None:
    """SIGINT while an engine starts in the background, where kamdocs ignores it: still ignored."""


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the engine and every process in its group: SIGINT, as Ctrl-C in a terminal, then SIGTERM
    and SIGKILL for what is left."""
    if not hasattr(os, "killpg"):  # Windows: no process group to signal, the engine alone
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return
    for sig, grace in ((signal.SIGINT, STOP_GRACE), (signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, STOP_GRACE)):
        deadline = time.monotonic() + grace
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        while time.monotonic() < deadline:
            if process.poll() is not None and not _group_alive(process.pid):
                return
            time.sleep(0.05)
    process.wait()


def _group_alive(group: int) -> bool:
    """Whether any process is left in the process group (signal 0 checks without sending)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a member kamdocs may not signal is a member all the same
        pass
    return True


def run_engine(engine: Engine, verb: str, args: list[str], cwd: Path) -> int:
    """Run the engine to its end (:func:`supervised`) and give its exit code; a stop signal stops it."""
    with supervised(engine, verb, args, cwd) as run:
        run.wait()
    if run.stopped_by is not None:
        raise EngineError(f"{engine.name} {verb} stopped: kamdocs was sent {signal.Signals(run.stopped_by).name}")
    return run.process.returncode


def engine_args(engine: Engine, config_file: Path, *, strict: bool) -> list[str]:
    """The engine's build or serve arguments for ``config_file``: ``-f`` for an engine that takes it (one
    that does not runs in the file's folder), and ``--strict`` if asked."""
    args = ["-f", str(config_file)] if engine.spec.takes_config_file else []
    return [*args, "--strict"] if strict else args


def check_site_dir(target: Path, config: Config) -> None:
    """Refuse, before anything is built, a ``site_dir`` whose replacing would lose data: one that
    holds the project, lies in the docs or the plans, or is a file; and one that is a symlink or is
    reached through one inside the project (exit 2): the engine empties the folder it builds into."""
    root = config.root.resolve()
    inside_root = target.is_relative_to(config.root)
    ensure_real_folder(
        target, config.root if inside_root else None, "remove it, or set site_dir or -d to a real folder"
    )
    real = target.resolve()
    docs = config.docs_path.resolve()
    if root.is_relative_to(real):
        raise EngineError(f"site_dir {target} holds the project itself; choose a folder inside it, like site/")
    for inside, name in ((docs, "docs_dir"), (config.plans_path.resolve(), "plans_dir")):
        if real.is_relative_to(inside):
            raise EngineError(f"site_dir {target} is inside {name} {inside}; choose a folder outside it, like site/")


def publish(built: Path, target: Path) -> None:
    """Put the overlay's built site where the user's ``site_dir`` is, replacing the previous build,
    as the engines themselves clean it. The caller checks ``target`` first (:func:`check_site_dir`),
    before anything is built."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(built, target)


def watch(
    paths: list[Path], interval: float, on_change: Callable[[list[Path]], None], stop: Callable[[], bool]
) -> None:
    """Poll ``paths`` for changed, added or deleted files; call ``on_change`` with them.

    Polling needs no watcher library and sees every file system; a thousand plans cost
    a few milliseconds a round.
    """
    seen = _stamps(paths)
    while not stop():
        time.sleep(interval)
        now = _stamps(paths)
        changed = sorted({p for p in seen.keys() | now.keys() if seen.get(p) != now.get(p)})
        seen = now
        if changed:
            on_change(changed)


def _stamps(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    out = {}
    for top in paths:
        for parent, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(parent) / name
                try:
                    status = path.lstat()
                except OSError:
                    continue
                out[path] = (status.st_mtime_ns, status.st_size)
    return out
