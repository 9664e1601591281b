"""The render path's copy of ``mkdocs.yml``: the user's settings (``INHERIT`` merged, tags kept), with the
docs and site inside the overlay, no kamdocs plugin, and the plans section in the navigation with its assets."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kamdocs.site.render import ASSET_DIR
from kamdocs.site.sitemap import section_title
from kamdocs.system import package_data


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
    plans = {section_title(): [{title: src} for title, src in section]}
    nav = out.get("nav")
    if not isinstance(nav, list):
        nav = _nav_entries(docs, docs, docs / prefix)
    nav = list(nav)
    first_is_page = bool(nav) and not (isinstance(nav[0], dict) and isinstance(next(iter(nav[0].values())), list))
    nav.insert(1 if first_is_page else 0, plans)
    out["nav"] = nav
    return out


def theme_overrides(document: dict[str, Any], root: Path, target: Path) -> str | None:
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


GENERATED_CONFIG = (
    "Written by kamdocs build from mkdocs.yml for the render path; it lives only during the build."  # i18n: machine
)
