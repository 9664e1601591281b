"""Every file the package reads at run time, named once.

A file the code reads but the wheel lacks breaks only installed copies, never
the editable checkout the tests use, so the names live here: the packaging
test builds the wheel and the sdist and looks for each one, and another test
reads the code to make sure no other module reaches for package files.
"""

from __future__ import annotations

import posixpath
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

EDITOR_MANIFEST = f"{EDITOR_DIR}/files.txt"
"""The bundle's files, one name a line: the script, its 94 chunks and its licences (made when it is updated:
the folder's README.md says how)."""


def _editor_files() -> tuple[str, ...]:
    listed = resources.files("kamdocs").joinpath(EDITOR_MANIFEST).read_text(encoding="utf-8").split()
    return tuple(f"{EDITOR_DIR}/{name}" for name in listed)


EDITOR_FILES = _editor_files()
"""Every file of the editor's bundle, as a path inside ``kamdocs/``."""

CATALOGUE_LANGUAGES = ("en", "de", "fr", "it")
"""The languages kamdocs' pages speak (kamdocs.i18n.LANGUAGES)."""


def catalogue(language: str) -> str:
    """The compiled gettext catalogue of ``language``, one of :data:`CATALOGUE_LANGUAGES`."""
    return f"i18n/locale/{language}/LC_MESSAGES/kamdocs.mo"


TYPED = "py.typed"
"""Read by type checkers, not by kamdocs, but the wheel must carry it too."""

RESOURCES = (
    SCHEMA,
    *ASSETS,
    SEARCH_WORKER,
    *THEME_FILES,
    *(f"templates/workflows/{name}" for name in WORKFLOWS),
    EDITOR_MANIFEST,
    f"{EDITOR_DIR}/README.md",
    *(catalogue(language) for language in CATALOGUE_LANGUAGES),
    # Their sources ship too, so that a team can see which words an installed kamdocs says and propose better.
    "i18n/locale/kamdocs.pot",
    *(catalogue(language).replace(".mo", ".po") for language in CATALOGUE_LANGUAGES),
    *EDITOR_FILES,
    TYPED,
)
"""Every packaged file that is not Python, as a path inside ``kamdocs/``."""


def read_text(name: str) -> str:
    """The text of the packaged file ``name``, one of :data:`RESOURCES`."""
    if name not in RESOURCES:
        raise KeyError(f"{name} is not a packaged resource; name it in kamdocs.system.package_data")
    return resources.files("kamdocs").joinpath(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    """The bytes of the packaged file ``name``, one of :data:`RESOURCES` (a compiled catalogue)."""
    if name not in RESOURCES:
        raise KeyError(f"{name} is not a packaged resource; name it in kamdocs.system.package_data")
    return resources.files("kamdocs").joinpath(name).read_bytes()


def theme_dir() -> str:
    """The theme folder as a file-system path, which MkDocs' template loader needs."""
    return str(resources.files("kamdocs") / THEME)


def editor_bundle() -> dict[str, Path]:
    """The editor's bundle by file name (its manifest's), each file's path on disk (an installed wheel is a
    folder): the script, its chunks and its licences."""
    folder = Path(str(resources.files("kamdocs") / EDITOR_DIR))
    return {posixpath.basename(name): folder / posixpath.basename(name) for name in EDITOR_FILES}
