"""The plan form in the site: left out unless the ``editor`` option publishes it.

``kamdocs editor`` writes the form's page and configuration into ``docs/admin/``, where
MkDocs (and the render path's copy of the docs) would copy them into the site as any other
file. A published site is read by everyone who may read the plans, and the form belongs
to the people who write them, so the folder is left out unless ``editor: true`` says
otherwise: no page, no link, no search entry, no sitemap line, not a byte of its
configuration. With ``editor: true`` it is published with Decap's script beside it, from
the installed kamdocs (a plans repository does not carry the 5.9 MB script).
"""

from __future__ import annotations

from pathlib import Path

from kamdocs.edit.decap_config import ADMIN_DIR
from kamdocs.system.package_data import editor_bundle


def is_admin(src_uri: str) -> bool:
    """Whether a docs file (its path relative to docs_dir, with /) is part of the form's folder."""
    return src_uri == ADMIN_DIR or src_uri.startswith(f"{ADMIN_DIR}/")


def bundle_files() -> dict[str, Path]:
    """Decap's script, chunks and licences by their path in the site (``admin/decap-cms.js``...)."""
    return {f"{ADMIN_DIR}/{name}": path for name, path in editor_bundle().items()}


def missing_page(docs: Path) -> str | None:
    """Why ``editor: true`` cannot publish the form, or None: the page ``kamdocs editor`` writes is missing."""
    if not (docs / ADMIN_DIR / "index.html").is_file() or not (docs / ADMIN_DIR / "config.yml").is_file():
        return f"editor: true, but {ADMIN_DIR}/index.html or {ADMIN_DIR}/config.yml is missing in docs_dir; run: kamdocs editor"
    return None
