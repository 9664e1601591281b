"""The render path's overlay: a temporary copy of ``docs_dir`` with the plans section rendered into it,
its pages' embeds filled and their links to plans pages pointed at the rendered files, and, while ``serve``
runs, the docs copied again as they change and the errors shown on every page. Only the copies change;
the user's docs are never written."""

from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kamdocs.config import Config
from kamdocs.config.mkdocs_yml import site_yaml
from kamdocs.escaping import path_text
from kamdocs.findings import Finding
from kamdocs.rules.checks import markdown_lines
from kamdocs.site.edit_links import dangling_edit_settings
from kamdocs.site.editor_page import bundle_files, is_admin, missing_page
from kamdocs.site.embeds import EMBED, SUMMARY, EmbedError, render_embeds
from kamdocs.site.engines import EngineError
from kamdocs.site.grid_rows import move_rows
from kamdocs.site.output_folder import write_rendered
from kamdocs.site.overlay_config import GENERATED_CONFIG, overlay_config, theme_overrides
from kamdocs.site.render import SiteRenderer, file_path, is_index, linker
from kamdocs.site.serve_banner import serve_banner
from kamdocs.site.sitemap import name_without_url
from kamdocs.site.slots import Link


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
        shutil.copytree(docs_source, docs, symlinks=False, ignore=_left_out(docs_source, config.editor))
    else:
        docs.mkdir(parents=True)
    section = docs / config.url_prefix
    if section.exists():
        raise EngineError(
            f"{docs_source / config.url_prefix}: docs_dir already has {config.url_prefix}/, where the plans "
            "section goes; move it, or set url_prefix to another folder"
        )
    write_rendered(section, renderer.files)
    if config.editor:
        missing = missing_page(docs_source)
        if missing is not None:
            raise EngineError(missing)
        for uri, path in bundle_files().items():
            shutil.copyfile(path, docs / uri)
    expand_embeds(docs, renderer, config, source_relative=source_relative)
    settings = overlay_config(document, source, list(renderer.nav), config.url_prefix, docs)
    for key in dangling_edit_settings(config.site.settings):  # with INHERIT: repo_url may come from the base
        settings[key] = None
    if config.offline:
        custom = theme_overrides(document, config.root, folder / "overrides")
        if custom is not None and isinstance(settings.get("theme"), dict):
            settings["theme"] = {**settings["theme"], "custom_dir": "overrides"}
    text = f"# {GENERATED_CONFIG}\n" + site_yaml(settings)
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return Overlay(folder, renderer, docs_source, section, source_relative=source_relative)


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
        html, moved = move_rows(html, file_path(rel, renderer.directory_urls))
        if moved is not None:
            name, rows = moved
            place = docs / name
            place.parent.mkdir(parents=True, exist_ok=True)
            place.write_bytes(rows)
        page.write_text(html, encoding="utf-8")


def _left_out(docs_source: Path, editor: bool) -> Callable[[str, list[str]], set[str]]:
    """What the copy of the docs leaves out: ``.git``, and the plan form's folder unless ``editor`` publishes it."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        left = {n for n in names if n == ".git"}
        if not editor and Path(folder) == docs_source:
            left |= {n for n in names if is_admin(n)}
        return left

    return ignore


def sync_docs(overlay: Overlay, changed: list[Path], config: Config) -> None:
    """Copy changed docs files into the overlay (or remove deleted ones), with embeds filled again."""
    docs = overlay.folder / "docs"
    for path in changed:
        target = docs / path.relative_to(overlay.docs_source)
        if target.is_relative_to(overlay.section):
            continue
        if not config.editor and is_admin(path.relative_to(overlay.docs_source).as_posix()):
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
