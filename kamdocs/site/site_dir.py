"""Where ``kamdocs build`` puts the site: ``-d``, else ``site_dir`` of mkdocs.yml; refused before anything
is built if replacing it would lose data, and replaced by the render path's build as the engines replace it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kamdocs.config import Config
from kamdocs.site.engines import EngineError
from kamdocs.system.paths import ensure_real_site_folder


def site_target(config: Config, given: Path | None) -> Path:
    """Where the built site goes: ``-d``, else ``site_dir`` of mkdocs.yml, else site/."""
    if given is not None:
        return Path(os.path.abspath(given))
    # abspath, not resolve: a committed ``site -> /elsewhere`` must stay a link, which check_site_dir refuses;
    # resolved, the build emptied /elsewhere and wrote the site there.
    return Path(os.path.abspath(config.root / config.site.site_dir))


def check_site_dir(target: Path, config: Config) -> None:
    """Refuse, before anything is built, a ``site_dir`` whose replacing would lose data: one that
    holds the project, lies in the docs or the plans, or is a file; and one that is a symlink or is
    reached through one inside the project (exit 2): the engine empties the folder it builds into."""
    root = config.root.resolve()
    ensure_real_site_folder(target, config.root, "remove it, or set site_dir or -d to a real folder")
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
