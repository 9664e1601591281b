"""Every file the package reads at run time, named once.

A file the code reads but the wheel lacks breaks only installed copies, never
the editable checkout the tests use, so the names live here: the packaging
test builds the wheel and the sdist and looks for each one, and another test
reads the code to make sure no other module reaches for package files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SCHEMA = "schema/plan.schema.json"
"""The plan format; ``kamdocs/schema`` is a link to the repository's ``schema/``."""

ASSETS = ("assets/kamdocs.css", "assets/kamdocs.js")
"""The table script and styles the plugin adds to every site."""

SEARCH_WORKER = "assets/search-worker.js"
"""The search worker Material's search box starts on a Material site (kamdocs.site.search_worker)."""

THEME = "theme"
"""The template folder the plugin puts before Material's own templates."""

THEME_FILES = ("theme/partials/source.html",)

WORKFLOWS = ("plans.yml", "freshness.yml", "pages.yml")
"""The workflows ``kamdocs init`` writes, under ``templates/workflows/``."""

EDITOR_DIR = "assets/editor"
"""Decap CMS's script, the chunks it loads on demand and its licences, vendored from npm (its README.md
says which version, from where): what ``kamdocs editor --serve`` and the plugin with ``editor: true``
serve next to ``docs/admin/index.html``; never written into a plans repository."""

EDITOR_FILES = (f"{EDITOR_DIR}/decap-cms.js", f"{EDITOR_DIR}/LICENSE", f"{EDITOR_DIR}/decap-cms.js.LICENSE.txt")
"""The files of the editor's bundle that must be there; the chunks beside them are found by listing the folder."""

TYPED = "py.typed"
"""Read by type checkers, not by kamdocs, but the wheel must carry it too."""

RESOURCES = (
    SCHEMA,
    *ASSETS,
    SEARCH_WORKER,
    *THEME_FILES,
    *(f"templates/workflows/{name}" for name in WORKFLOWS),
    *EDITOR_FILES,
    TYPED,
)
"""Every packaged file that is not Python, as a path inside ``kamdocs/``."""


def read_text(name: str) -> str:
    """The text of the packaged file ``name``, one of :data:`RESOURCES`."""
    if name not in RESOURCES:
        raise KeyError(f"{name} is not a packaged resource; name it in kamdocs.system.package_data")
    return resources.files("kamdocs").joinpath(name).read_text(encoding="utf-8")


def theme_dir() -> str:
    """The theme folder as a file-system path, which MkDocs' template loader needs."""
    return str(resources.files("kamdocs") / THEME)


def editor_bundle() -> dict[str, Path]:
    """The editor's bundle by file name, each file's path on disk (an installed wheel is a folder):
    the script, its chunks and its licences; the README stays in the package."""
    folder = Path(str(resources.files("kamdocs") / EDITOR_DIR))
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_file() and p.name != "README.md"}
