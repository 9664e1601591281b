"""The MkDocs plugin ``kamdocs``: a thin adapter from MkDocs to the core.

This is the only module that imports MkDocs. It follows the shape of
Material's tags plugin: gather early (``on_files`` checks the plans and
decides the pages), arrange the navigation (``on_nav``), and fill the pages
late (``on_page_content``), when each page's URL is known. It uses only the
MkDocs 1.x plugin API, which ProperDocs keeps, so it loads under either.

Nothing is written into ``docs_dir``: every page and export is a generated
``File`` (MkDocs 1.6), and the plan pages' edit links point at the plan files.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from kamdocs.calendar.clock import resolve_today
from kamdocs.config import OPTIONS, Config, ConfigError, Option, config_from_options
from kamdocs.errors import KamdocsError
from kamdocs.escaping import path_text
from kamdocs.findings import Finding, site_findings
from kamdocs.history.log import GitHistory
from kamdocs.plan.loader import read_regular_file
from kamdocs.plan.model import Plan
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.build_log import freshness_counts, summary_lines
from kamdocs.report.rollup import StatusRow, roll_up
from kamdocs.rules.confidential_body import body_renderer, check_page
from kamdocs.site.edit_links import dangling_edit_settings, url_path
from kamdocs.site.editor_page import bundle_files, is_admin, missing_page
from kamdocs.site.embeds import EMBED, SUMMARY, EmbedError, render_embeds
from kamdocs.site.grid_rows import move_rows
from kamdocs.site.html import esc, relative_url
from kamdocs.site.language import SCRIPT, page_script, speak
from kamdocs.site.pages import SiteBuilder, SiteContent
from kamdocs.site.render import restricted_banner
from kamdocs.site.search_worker import (
    FULL_INDEX,
    INDEX,
    MAX_INDEX_BYTES,
    WORKER,
    split_index,
    with_search_worker,
    worker_version,
)
from kamdocs.site.serve_banner import serve_banner
from kamdocs.site.sitemap import name_without_url, section_title
from kamdocs.site.slots import GeneratedPage, demote_headings, fill_early, fill_late, sanitize_body
from kamdocs.system import collector, package_data
from kamdocs.system.atomicfile import ensure_replaceable, write_atomically
from kamdocs.system.background import BackgroundParts, cores
from kamdocs.system.paths import ensure_real_site_folder

log = get_plugin_logger(__name__)

PARTS_AHEAD = 64
"""Pages' late slots the forked process makes ahead of MkDocs' writing (a few MB): more gained no time
and held the plan pages' tables of the whole site at once (system/background.BackgroundParts)."""
BODY_START = re.compile(r"<body\b[^>]*>", re.I)
ASSETS = ("assets/kamdocs/kamdocs.css", "assets/kamdocs/kamdocs.js")


Hook = TypeVar("Hook", bound=Callable[..., Any])


def _without_dot_segments(url: str) -> str:
    """``url`` with ``a/../`` folded, as a browser would, so the link shows the plan file's own path."""
    parts = urlsplit(url)
    return parts._replace(path=posixpath.normpath(parts.path)).geturl() if "/../" in parts.path else url


def _reported(hook: Hook) -> Hook:
    """The one place the plugin turns a :class:`KamdocsError` into the message that stops the build."""

    @functools.wraps(hook)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return hook(*args, **kwargs)
        except KamdocsError as exc:
            raise PluginError(f"kamdocs: {path_text(str(exc))}") from None

    return cast(Hook, run)


class _Option(c.BaseConfigOption[Any]):
    """One option of :data:`kamdocs.config.OPTIONS` as MkDocs' configuration sees it.

    MkDocs checks the value with the option's own parser, so ``mkdocs build`` and ``kamdocs check``
    give the same message; a value left out stays ``None`` and gets the option's one default in
    :func:`kamdocs.config.config_from_options`.
    """

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option

    def run_validation(self, value: object, /) -> Any:
        if value is not None:
            try:
                self.option.parse(self.option.name, value)
            except ConfigError as exc:
                raise c.ValidationError(str(exc)) from None
        return value


KamdocsConfig = type(
    "KamdocsConfig",
    (base.Config,),
    {
        "__doc__": "Options under ``plugins: - kamdocs:``, made from kamdocs.config.OPTIONS (docs/configuration.md).",
        **{name: _Option(option) for name, option in OPTIONS.items()},
    },
)


if TYPE_CHECKING:
    # KamdocsConfig is made at run time from OPTIONS, so a type checker knows it only as the
    # base.Config it extends (whose mapping methods the plugin uses). BasePlugin[base.Config]
    # itself fails at run time: base.Config has no option schema.
    _Plugin = BasePlugin[base.Config]
else:
    _Plugin = BasePlugin[KamdocsConfig]


class KamdocsPlugin(_Plugin):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings: Config | None = None
        self.today: date | None = None
        self.builder: SiteBuilder | None = None
        self.content: SiteContent | None = None
        self.background: BackgroundParts[tuple[str, str], bytes | dict[str, str]] | None = None
        """The downloads and the late slots made in a forked process, by ("export", path) and ("late", src_uri)."""
        self.generated: dict[str, GeneratedPage] = {}
        self.late: dict[str, dict[str, str]] = {}
        self.spool: Path | None = None
        """The downloads' temporary folder during a build, from which MkDocs copies them."""
        self.files: Files | None = None
        """The build's files, for the late slots made as each page is written (one core, or a child that failed)."""
        self.urls: dict[str, str] = {}
        self.dest_uris: set[str] = set()
        """Where the site's files go (on_env): a page's rows file must not take a docs file's place."""
        self.serving = False
        self.last_good: tuple[GitHistory, list[StatusRow]] | None = None
        """The plans of the last build without errors, which ``serve`` keeps showing while one is invalid."""
        self.banner = ""
        """The errors a preview shows on every page while it keeps the last good plans (serve_banner)."""
        self.search_worker: str | None = None
        """kamdocs' search worker's version, while Material's search box starts it (site/search_worker)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is ``serve``. With this hook MkDocs (1.4 and later) and ProperDocs keep the
        plugin across serve's rebuilds, so the last good plans outlive an invalid edit."""
        self.serving = command == "serve"

    @_reported
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        entries = sum(isinstance(plugin, type(self)) for plugin in config.plugins.values())
        if entries > 1:  # MkDocs runs each entry; the CLI refuses this too, so the two agree
            source = Path(config.config_file_path or "mkdocs.yml").name
            raise PluginError(
                f"kamdocs: {source}: plugins: expected one kamdocs entry, found {entries}; delete all but one"
            )
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        options: dict[str, Any] = {k: v for k, v in self.config.items() if v is not None}
        self.settings = config_from_options(options, root, Path(config.config_file_path or "mkdocs.yml").name)
        self.today = resolve_today(self.settings.today)
        notice = speak(self.settings, config.theme.get("language"))
        if notice:
            log.info(notice)  # the plugin logger says "kamdocs: " itself
        docs = Path(config.docs_dir).resolve()
        if Path(os.path.realpath(self.settings.plans_path)).is_relative_to(docs):
            raise PluginError(
                f"kamdocs: plans_dir {self.settings.plans_dir} is inside docs_dir; keep plans outside docs_dir "
                "(the plugin makes their pages)"
            )
        if self.settings.offline and config.theme.name == "material":
            self._offline_theme(config)
        for key in dangling_edit_settings(config):
            config[key] = None
        for asset in ASSETS:
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if asset not in [str(x) for x in target]:
                target.append(asset)
        self.search_worker = _search_worker(config)
        return config

    def _offline_theme(self, config: MkDocsConfig) -> None:
        """Put kamdocs' template overrides just before Material's own templates.

        A repository's ``custom_dir`` stays first, so its overrides still win.
        """
        ours = package_data.theme_dir()
        dirs = config.theme.dirs
        if ours in dirs:
            return
        position = next((i for i, d in enumerate(dirs) if (Path(d) / "partials" / "source.html").is_file()), len(dirs))
        dirs.insert(position, ours)

    @_reported
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Refuse a site_dir that is a symlink, or is reached through one inside the project, before
        MkDocs empties it: a committed ``site -> /elsewhere`` had /elsewhere emptied and the site
        written there. (kamdocs build refuses it too, before it starts the engine.)"""
        collector.release()  # the last build's objects (serve, or a caller building again)
        site = Path(config.site_dir)
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        ensure_real_site_folder(site, root, "remove it, or set site_dir to a real folder")

    @_reported
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        """The plans checked, their pages and downloads added; the objects made here live until the
        build ends, so the garbage collector is kept off them (:mod:`kamdocs.system.collector`)."""
        with collector.full_collections_put_off():
            added = self._add_plans(files, config)
        collector.hold()
        return added

    def _add_plans(self, files: Files, config: MkDocsConfig) -> Files:
        settings, today = self._ready()
        self._place_editor(files, config, settings)
        validator = PlanValidator(settings)
        unnamed = name_without_url((f.src_uri for f in files), config.docs_dir)
        if unnamed is not None:
            raise PluginError(f"kamdocs: {path_text(unnamed)}")
        if not settings.plans_path.is_dir():
            raise PluginError(f"kamdocs: plans folder not found: {path_text(str(settings.plans_path))}")
        result, history, rows = roll_up(settings, validator, today, freshness_findings=True)
        verdict = site_findings(result.findings, settings.on_invalid)
        if verdict.stop and self.serving:
            # A build stops here; a preview keeps the last good plans (or, started while a plan is
            # invalid, shows the valid ones) and lists the errors on every page. Stopping serve's
            # rebuild left the browser waiting for a page that never came.
            kept = "keeps the last plans that built" if self.last_good else "shows the valid plans"
            log.error(f"{verdict.stop}\nThe site {kept}; every page lists the errors")
            if self.last_good is not None:
                history, rows = self.last_good
            self.banner = serve_banner(verdict.errors)
        else:
            self._report(result.findings, result.plans, settings, today)
            self.last_good = (history, rows) if self.serving else None
            self.banner = ""
        for warning in history.warnings:
            log.warning(warning)
        # The site sees only what may be published (kamdocs.rules.confidential); the log above saw everything.
        extensions = config.markdown_extensions
        self.builder = SiteBuilder.public(
            rows, history, today, settings, body_renderer(extensions, config.mdx_configs), validator
        )
        self.content = self.builder.build()
        self.generated = {}
        self.urls = {}
        docs = Path(config.docs_dir).resolve()
        for page in self.content.pages:
            # on_nav places the roll-ups; MkDocs should not list a thousand plan pages
            # as "not included in the nav" on every build.
            file = File.generated(config, page.src_uri, content=page.markdown, inclusion=InclusionLevel.NOT_IN_NAV)
            self._add(files, file)
            if page.edit_path:
                file.edit_uri = url_path(
                    posixpath.normpath(os.path.relpath(settings.root / page.edit_path, docs).replace(os.sep, "/"))
                )
            self.generated[page.src_uri] = page
        # The downloads are written to a private temporary folder as they are made (on_env) and copied
        # from there by MkDocs, so the build does not hold their bytes (67 MB at 10,000 plans) to the end.
        self._drop_spool()
        self.spool = Path(tempfile.mkdtemp(prefix="kamdocs-downloads-"))
        for path in self.content.exports:
            self._add(files, File.generated(config, path, abs_src_path=str(self.spool / path)))
        # The downloads and the pages' late slots (a plan's chain, tables, quality and history; the
        # roll-ups' grids) are made in a forked process while MkDocs turns Markdown into HTML, and
        # passed back one by one: on_env takes the downloads before MkDocs copies them, and each page
        # its slots as it is written. On one core a second process gains nothing, and passing the
        # slots costs time and memory: the downloads are made in on_env and each page's late slots
        # as it is written, as they are for any part a failed child did not send.
        self.files = files
        self.background = BackgroundParts(lambda: self._made_apart(files), ahead=PARTS_AHEAD) if cores() > 1 else None
        for asset in ASSETS:
            name = f"assets/{posixpath.basename(asset)}"
            text = page_script() if name == SCRIPT else package_data.read_text(name)
            self._add(files, File.generated(config, asset, content=text))
        if self.search_worker is not None:
            self._add(files, File.generated(config, WORKER, content=package_data.read_text(package_data.SEARCH_WORKER)))
        return files

    def _made_apart(self, files: Files) -> Iterator[tuple[tuple[str, str], bytes | dict[str, str]]]:
        """The downloads, ``(("export", path), bytes)``, which MkDocs copies before it writes any page,
        then the late slots of every page that makes them apart, ``(("late", src_uri), slots)``, in the
        order MkDocs writes the pages: one part at a time, so no process holds them all twice."""
        assert self.builder is not None and self.content is not None
        for path, data in self.builder.exports():
            yield ("export", path), data
        for page in self.content.pages:
            file = files.get_file_from_path(page.src_uri)
            if page.render_late is not None and file is not None:
                yield ("late", page.src_uri), dict(page.render_late(self._linker(files, file.url)).late)

    def _sent(self, kind: str, path: str) -> bytes | dict[str, str] | None:
        """The forked process's part ``(kind, path)`` (:meth:`_made_apart`); ``None`` when the caller
        makes it itself: one core, or a child that failed or did not send it."""
        return self.background.take((kind, path)) if self.background is not None else None

    @_reported
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        # The last hook before MkDocs writes: it opens each file following links, and blocks on a FIFO.
        # A clean build empties site_dir first, but keeps a symlinked folder (its rmtree fails quietly)
        # and hidden entries; a --dirty build keeps everything. So every place MkDocs is about to write,
        # the plugin's pages, downloads and assets and the rest of the site alike, is checked here,
        # without following anything: a stat each, nothing next to building the pages.
        site = Path(config.site_dir)
        extra = ("sitemap.xml.gz", INDEX, FULL_INDEX)  # the sitemap's copy; the search plugin's index, split
        templates = [site / name for name in (*config.theme.static_templates, *extra)]
        places = [Path(f.abs_dest_path) for f in files] + templates
        for place in places:
            ensure_replaceable(place, within=site, hint="remove it, and build again")
        self.dest_uris = {f.dest_uri for f in files}
        assert self.spool is not None  # on_files made it
        for path, data in self._downloads():
            spooled = self.spool / path
            spooled.parent.mkdir(parents=True, exist_ok=True)
            spooled.write_bytes(data)  # in the plugin's own new folder: nothing else reads or writes there
        return env

    def _downloads(self) -> Iterator[tuple[str, bytes]]:
        """Each download once, ``(site path, bytes)``: from the forked process where it sent it, else made
        here, one at a time."""
        assert self.builder is not None and self.content is not None
        missing: set[str] = set()
        for path in self.content.exports:
            data = self._sent("export", path)
            if isinstance(data, bytes):
                yield path, data
            else:
                missing.add(path)
        if missing:
            yield from self.builder.exports(missing)

    @event_priority(-100)  # after Material's search plugin has written its index
    @_reported
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """While Material's search box starts kamdocs' worker, the pages fetch a small index and the
        worker the whole one (:func:`kamdocs.site.search_worker.split_index`)."""
        self._stop_background()  # every page is written: nothing more to take from it
        self._drop_spool()  # MkDocs copied the downloads before the first page
        if self.search_worker is None:
            return
        site = Path(config.site_dir)
        index = site / INDEX
        try:
            ensure_replaceable(index, within=site, hint="remove it, and build again")
            if not index.is_file():
                return  # no search plugin wrote one (a theme without search)
            index_bytes = read_regular_file(index, MAX_INDEX_BYTES, follow_links=False)
        except OSError as exc:
            raise PluginError(f"kamdocs: cannot read {INDEX}: {exc}") from None
        # An index past the bound (which Material held whole itself) stays as it is, whole.
        parts = split_index(index_bytes) if len(index_bytes) <= MAX_INDEX_BYTES else None
        if parts is not None:
            small, whole = parts
            write_atomically(site / FULL_INDEX, whole, hint="remove it, and build again")
            write_atomically(index, small, hint="remove it, and build again")

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_background()
        self._drop_spool()
        collector.release()

    def _drop_spool(self) -> None:
        """Remove the downloads' temporary folder, if there is one."""
        if self.spool is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
            self.spool = None

    def _stop_background(self) -> None:
        """The forked process ended: done with (every page is written) or no longer needed (an error)."""
        if self.background is not None:
            self.background.cancel()
            self.background = None

    def _place_editor(self, files: Files, config: MkDocsConfig, settings: Config) -> None:
        """Leave ``docs/admin/`` (the plan form) out of the site, or, with ``editor: true``, publish it with
        Decap's script from the installed kamdocs (:mod:`kamdocs.site.editor_page`)."""
        for file in [f for f in files if is_admin(f.src_uri)]:
            if not settings.editor:
                files.remove(file)
        if settings.editor:
            missing = missing_page(Path(config.docs_dir))
            if missing is not None:
                raise PluginError(f"kamdocs: {missing}")
            for uri, path in bundle_files().items():
                self._add(files, File.generated(config, uri, abs_src_path=str(path)))

    def _add(self, files: Files, file: File) -> None:
        if files.get_file_from_path(file.src_uri) is not None:
            raise PluginError(
                f"kamdocs: docs_dir already has {file.src_uri}, which the plugin generates; "
                "move it, or set url_prefix to another folder"
            )
        files.append(file)

    def _report(self, findings: tuple[Finding, ...], plans: tuple[Plan, ...], settings: Config, today: date) -> None:
        """Log the findings at the level :func:`kamdocs.findings.site_findings` gives them, and stop the
        build on invalid plans.

        Warnings are one line each. Freshness is at INFO, which ``--strict`` does not count: a line per
        rule (:mod:`kamdocs.report.build_log`), each finding at DEBUG, which ``mkdocs build -v`` shows;
        with ``log_findings: all`` each finding at INFO instead.
        """
        verdict = site_findings(findings, settings.on_invalid)
        if verdict.stop:
            raise PluginError(f"kamdocs: {verdict.stop}")
        for f in verdict.warnings:
            log.warning(f.log_line())
        every = settings.log_findings == "all"
        if every or log.isEnabledFor(logging.DEBUG):
            for f in verdict.freshness:
                log.log(logging.INFO if every else logging.DEBUG, f.log_line("freshness"))
        if not every:
            counts = freshness_counts(verdict.freshness, plans, today, settings)
            for line in summary_lines(counts, f"{settings.url_prefix}/", "mkdocs build -v, or log_findings: all"):
                log.info(line)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Keep plan pages out of the navigation; the roll-ups are the way in.

        Material renders the whole navigation on every page, so a flat list of
        a thousand plans costs minutes. Generated pages the author listed in
        ``nav`` stay; otherwise a "Plans" section with the roll-ups is added after the home page.
        """
        assert self.content is not None
        explicit = config.nav is not None
        generated = set(self.generated)
        roll_ups = {src for _, src in self.content.nav}

        def keep(item: Any) -> bool:
            file = getattr(item, "file", None)
            if file is None:
                return True
            return file.src_uri not in generated or (explicit and file.src_uri in roll_ups)

        def prune(items: list[Any]) -> list[Any]:
            kept = []
            for item in items:
                if isinstance(item, Section):
                    item.children = prune(item.children)
                    if item.children:
                        kept.append(item)
                elif keep(item):
                    kept.append(item)
            return kept

        nav.items = prune(nav.items)
        listed = {p.file.src_uri for p in _pages(nav.items)}
        if not listed & roll_ups:
            children: list[StructureItem] = []
            for title, src in self.content.nav:
                file = files.get_file_from_path(src)
                assert file is not None  # on_files added every roll-up page (Page() needs its file)
                page = file.page if file.page else Page(title, file, config)
                page.title = title
                children.append(page)
            section = Section(section_title(), children)
            for child in children:
                child.parent = section
            # Right after the home page, not last: on a phone the menu shows it without scrolling.
            nav.items.insert(1 if nav.items and isinstance(nav.items[0], Page) else 0, section)
        nav.pages = _pages(nav.items)
        for i, page in enumerate(nav.pages):
            page.previous_page = nav.pages[i - 1] if i else None
            page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
        return nav

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        assert self.builder is not None
        link = self._linker(files, page.url)
        generated = self.generated.get(page.file.src_uri)
        if generated is not None:
            if page.edit_url:  # '…/docs/../plans/x.md': MkDocs leaves the dots when edit_uri is a full address
                page.edit_url = _without_dot_segments(page.edit_url)
            if generated.untrusted:
                if not self._ready()[0].raw_html:
                    html = sanitize_body(html)
                html = demote_headings(html)
                page.toc = TableOfContents(_demoted(list(page.toc)))
                settings = self._ready()[0]
                if not settings.publish_confidential:
                    try:
                        check_page(html, settings.confidential_sections, generated.edit_path or page.file.src_uri)
                    except KamdocsError as exc:
                        raise PluginError(f"kamdocs: {exc}") from None
            filled = generated.render(link)
            if filled.late:
                self.late[page.file.src_uri] = dict(filled.late)
            html = fill_early(html, filled.early)
            if generated.toc:
                # The theme writes a TOC title as HTML; a generated one may be a plan's text (an owner).
                before = [AnchorLink(esc(t), a, 2) for where, t, a in generated.toc if where == "before"]
                after = [AnchorLink(esc(t), a, 2) for where, t, a in generated.toc if where == "after"]
                page.toc = TableOfContents([*before, *page.toc, *after])
        if "kamdocs:" in html and (EMBED.search(html) or SUMMARY.search(html)):
            try:
                html = render_embeds(html, self.builder, link)
            except EmbedError as exc:
                place = _marker_place(page, exc.marker, config, generated, self._ready()[0].max_bytes)
                raise PluginError(f"kamdocs: {path_text(place)}: {exc.message}") from None
        return html

    def _linker(self, files: Files, page_url: str) -> Callable[[str], str]:
        """Links from the page at ``page_url`` to a source path, relative, as MkDocs would write them."""
        urls = self.urls

        def link(src_uri: str) -> str:
            url = urls.get(src_uri)
            if url is None:
                target = files.get_file_from_path(src_uri)
                url = urls[src_uri] = target.url if target else src_uri
            return relative_url(url, page_url)

        return link

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Fill the late slots, after the search plugin has indexed the page (see pages.late_slot).

        On a restricted site (``publish_confidential``) every page, the documentation's too,
        says so at its top, whatever the theme.
        """
        late = self.late.pop(page.file.src_uri, {})
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and generated.render_late is not None:
            apart = self._sent("late", page.file.src_uri)
            if not isinstance(apart, dict):  # made here
                assert self.files is not None
                apart = dict(generated.render_late(self._linker(self.files, page.file.url)).late)
            late.update(apart)
        output = fill_late(output, late) if late else output
        return self._marked(self._rows_apart(output, page, config))

    def _rows_apart(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """The page with its grids' rows in a file of their own next to it, once they are many
        (:mod:`kamdocs.site.grid_rows`), written now, as the page itself is about to be."""
        if "kd-grid-data" not in output:
            return output
        output, moved = move_rows(output, page.file.dest_uri)
        if moved is not None:
            name, rows = moved
            if name in self.dest_uris:
                raise PluginError(
                    f"kamdocs: docs_dir already has {name}, where the rows of {page.file.src_uri} go; move it"
                )
            place = Path(config.site_dir) / name
            place.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(place, rows, hint="remove it, and build again")
        return output

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str | None:
        """The theme's own pages (404.html) are pages of the restricted site too."""
        return self._marked(output_content) if template_name.endswith(".html") else output_content

    def _marked(self, html: str) -> str:
        """A page with the banners every page of the site carries, at its top: a preview's errors
        (``serve`` while a plan is invalid) and the restricted site's notice; and Material's search
        box starting kamdocs' search worker (:mod:`kamdocs.site.search_worker`)."""
        if self.search_worker is not None:
            html = with_search_worker(html, self.search_worker)
        restricted = self.settings is not None and self.settings.publish_confidential
        top = self.banner + (restricted_banner() if restricted else "")
        return BODY_START.sub(lambda m: m.group(0) + top, html, count=1) if top else html

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        settings, _ = self._ready()
        server.watch(str(settings.plans_path))
        if settings.schema_path is not None:
            server.watch(str(settings.schema_path))
        return server

    def _ready(self) -> tuple[Config, date]:
        if self.settings is None or self.today is None:
            raise PluginError("kamdocs: the plugin was used before its configuration was loaded")
        return self.settings, self.today


def _search_worker(config: MkDocsConfig) -> str | None:
    """The version of kamdocs' search worker when Material's search box should start it: Material's
    theme with its search plugin, and not its offline plugin (a site read from ``file://``, where
    Material runs its worker in a frame that cannot start another); otherwise ``None``."""
    plugins = config.plugins.keys()
    if config.theme.name != "material" or "material/search" not in plugins or "material/offline" in plugins:
        return None
    return worker_version(package_data.read_text(package_data.SEARCH_WORKER))


def _marker_place(
    page: Page, marker: str, config: MkDocsConfig, generated: GeneratedPage | None, max_bytes: int
) -> str:
    """``docs/page.md:line`` of an embed marker, found in the page's source text.

    A plan's page is made by the plugin, so its Markdown is no file the author
    can open: a marker in a plan's body is named in the plan file itself.
    """
    root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    if generated is not None and generated.edit_path:
        try:
            raw = read_regular_file(root / generated.edit_path, max_bytes)
        except OSError:  # NotRegularFile too
            raw = b""
        return f"{generated.edit_path}:{_line_of(raw.decode('utf-8', errors='replace'), marker)}"
    try:
        text = page.file.content_string
    except (OSError, UnicodeDecodeError):
        text = page.markdown or ""
    name = page.file.src_uri
    if page.file.abs_src_path:
        absolute = Path(page.file.abs_src_path).resolve()
        name = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else absolute.as_posix()
    return f"{name}:{_line_of(text, marker)}"


def _line_of(text: str, marker: str) -> int:
    at = text.find(marker)
    if at < 0:
        at = text.find("kamdocs:table")
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _demoted(items: list[AnchorLink]) -> list[AnchorLink]:
    """A body's TOC with its H1s as H2s, as :func:`demote_headings` made them; their H2s come after them."""
    out = []
    for item in items:
        if item.level == 1:
            item.level = 2
            children, item.children = item.children, []
            out.append(item)
            out += _demoted(children)
        else:
            out.append(item)
    return out


def _pages(items: list[Any]) -> list[Page]:
    out: list[Page] = []
    for item in items:
        if isinstance(item, Section):
            out += _pages(item.children)
        elif isinstance(item, Page):
            out.append(item)
    return out
