"""The site engines kamdocs runs, as data: one :class:`EngineSpec` per engine in :data:`SITE_ENGINES`,
and how the one asked for (or the first installed) is found and started.

Two paths lead to the same pages (:mod:`kamdocs.site.render`):

- the plugin path: MkDocs or ProperDocs runs ``mkdocs.yml`` as it stands, and
  the kamdocs plugin makes the pages during the build;
- the render path: the pages are rendered into a temporary overlay
  (:mod:`kamdocs.site.overlay`, with its ``mkdocs.yml`` from
  :mod:`kamdocs.site.overlay_config`), and the engine builds that. Zensical,
  which ignores plugins it does not know, only has this path; MkDocs takes it
  with ``--render``.

Whatever an engine needs done its own way is a field of its record, so no
other module compares an engine's name (``tests/test_engine_registry.py``).
The engine runs under :mod:`kamdocs.site.supervisor`; ``build`` puts its site
where :mod:`kamdocs.site.site_dir` says, and ``serve`` on the render path
polls the files (:mod:`kamdocs.site.watch`). Like the CLI, these are
adapters: they run engines as subprocesses and never import one, so the core
stays free of any engine.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kamdocs.errors import KamdocsError

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


def engine_args(engine: Engine, config_file: Path, *, strict: bool) -> list[str]:
    """The engine's build or serve arguments for ``config_file``: ``-f`` for an engine that takes it (one
    that does not runs in the file's folder), and ``--strict`` if asked."""
    args = ["-f", str(config_file)] if engine.spec.takes_config_file else []
    return [*args, "--strict"] if strict else args
