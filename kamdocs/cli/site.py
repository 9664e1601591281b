"""The site: ``kamdocs export``, ``render``, ``build`` and ``serve``."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kamdocs.cli.command import command
from kamdocs.cli.console import Reported, echo
from kamdocs.cli.context import (
    command_config,
    command_day,
    plan_validator,
    require_plans,
    warn_left_out,
)
from kamdocs.cli.files import safe_output
from kamdocs.cli.options import (
    Later,
    config_option,
    engine_command_option,
    engine_option,
    format_option,
    render_option,
    today_option,
)
from kamdocs.errors import KamdocsError, UsageError
from kamdocs.escaping import one_line
from kamdocs.system.folders import write_new
from kamdocs.system.paths import ensure_real_inside

if TYPE_CHECKING:
    from kamdocs.config import Config
    from kamdocs.findings import SiteFindings
    from kamdocs.site.engines import Engine
    from kamdocs.site.overlay import Overlay
    from kamdocs.site.render import SiteRenderer
    from kamdocs.site.supervisor import RunningEngine

STDOUT_HINT = "remove it, or leave out -o to write to standard output"
"""What to do when ``export -o`` names a link or a device (``/dev/stdout``): the output has a way of its own."""


@command()
@format_option(Later("kamdocs.site.exports", "EXPORT_FORMATS"), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout; missing folders are created. Required for xlsx at a terminal.",
)
@click.option(
    "--include-confidential",
    is_flag=True,
    help="Keep what plans mark confidential (as publish_confidential does for the site); left out by default.",
)
@today_option
@config_option
def export(
    output_format: str, output: Path | None, include_confidential: bool, today: date | None, config_file: Path | None
) -> None:
    """Write plans.json, plans.csv, commitments.ics or plans.xlsx, as the site does, without building it.

    plans.xlsx has a sheet of plans, one of commitments and one of the budget
    roll-up, whose totals are formulas, and "Plan fields": every value of every
    plan, which kamdocs import gives back as plans. Like the site, the exports leave out
    what plans mark confidential, unless --include-confidential is given or
    the configuration sets publish_confidential.
    """
    from kamdocs.plan.model import Plan
    from kamdocs.report.rollup import public_rows, roll_up
    from kamdocs.report.timeline import Judge, timelines
    from kamdocs.site.exports import EXPORT_FORMATS, ExportInput

    if output is not None and output.is_dir():
        raise UsageError(f"-o: expected a file to write, found the folder {output}")
    if output_format in EXPORT_FORMATS.binary and output is None and sys.stdout.isatty():
        raise UsageError(
            "-o: expected a file for the xlsx workbook (it is binary), found the terminal; add -o plans.xlsx"
        )
    config = command_config(config_file)
    day = command_day(today, config)
    require_plans((), config)
    if output is not None:
        safe_output(output, config, "-o", STDOUT_HINT)
    validator = plan_validator(config)
    result, history, rows = roll_up(config, validator, day)
    checked = {r.plan.file: r.plan for r in rows}  # in full: the newest commit of a clean file is judged from it
    if include_confidential:
        config = replace(config, publish_confidential=True)
    rows, hidden = public_rows(rows, config, day)
    if hidden:
        echo(f"Left out {hidden} plan(s) marked confidential; --include-confidential keeps them.", err=True)
    lines = None
    if output_format == "json" and history.available:  # plans.json's history, as the site's: the public view
        current: dict[str, Plan | None] = {r.plan.file: r.plan for r in rows}
        lines = timelines(list(current), history, Judge(config, validator, public=True), current, day, None, checked)
    export_input = ExportInput(rows, day, config.fiscal_year_start, lines, fields=config.plans_dir)
    made = EXPORT_FORMATS.render(output_format, export_input)
    data = made if isinstance(made, bytes) else made.encode("utf-8")
    warn_left_out(result)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_new(output, data, hint=STDOUT_HINT)
        echo(f"Wrote {output}.", err=True)


def _directory_urls(config: Config, given: bool | None) -> bool:
    """``--directory-urls`` if given, else ``use_directory_urls`` of mkdocs.yml, else on (MkDocs' default)."""
    if given is not None:
        return given
    return config.site.use_directory_urls


def _site_verdict(verdict: SiteFindings) -> None:
    """Print a render's findings as the plugin logs them; stop (exit 1) where the plugin stops the build."""
    if verdict.stop:
        raise Reported(f"kamdocs: error: {verdict.stop}")  # the findings that stop it, a line each
    for f in verdict.warnings:
        echo(f"kamdocs: {f.log_line()}", err=True)


def _freshness_log(renderer: SiteRenderer, config: Config) -> None:
    """Print a render's freshness as the plugin logs it: a line per rule and where the full list is
    (:mod:`kamdocs.report.build_log`), or with ``log_findings: all`` a line per finding."""
    from kamdocs.report.build_log import freshness_counts, summary_lines

    freshness = renderer.verdict().freshness
    if config.log_findings == "all":
        lines = [f.log_line("freshness") for f in freshness]
    else:
        plans = [row.plan for row in renderer.rows.values()]
        lines = summary_lines(
            freshness_counts(freshness, plans, renderer.today, config), f"{config.url_prefix}/", "log_findings: all"
        )
    for line in lines:
        echo(f"kamdocs: {line}", err=True)


@command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write even though OUT_DIR holds files kamdocs render did not write.")
@click.option(
    "--directory-urls/--no-directory-urls",
    "directory_urls",
    default=None,
    help="Link pages as folder/ or as folder.html. Default: use_directory_urls of mkdocs.yml (on).",
)
@today_option
@config_option
def render(
    out_dir: Path, force: bool, directory_urls: bool | None, today: date | None, config_file: Path | None
) -> None:
    """Write the plans section as plain Markdown, assets and downloads into OUT_DIR.

    Any engine that builds Markdown with Python-Markdown (MkDocs, ProperDocs,
    Zensical) builds the result without kamdocs: put OUT_DIR at
    <docs_dir>/<url_prefix> and follow docs/engines.md. The pages are the
    plugin's own, with every computed part as an HTML block; the same plans
    and SOURCE_DATE_EPOCH give the same bytes. OUT_DIR must be empty or hold
    only what an earlier render wrote (listed in .kamdocs-render.json);
    --force writes anyway and leaves other files alone.
    """
    from kamdocs.site.output_folder import write_rendered

    config = command_config(config_file)
    day = command_day(today, config)
    require_plans((), config)
    out = Path(os.path.abspath(out_dir))
    plans = Path(os.path.realpath(config.plans_path))
    real = Path(os.path.realpath(out))
    if real.is_relative_to(plans) or plans.is_relative_to(real):
        raise UsageError(f"OUT_DIR: expected a folder apart from the plans folder {config.plans_dir}, found {out_dir}")
    ensure_real_inside(out.parent, config.root, "render into a real folder")  # a committed docs -> /elsewhere
    renderer = _rendered(config, day, directory_urls, log_freshness=False)
    done = write_rendered(out, renderer.files, force=force)
    pages = sum(name.endswith(".md") for name in renderer.files)
    echo(
        f"Rendered {pages} pages and {len(renderer.files) - pages} other files into {out_dir}: "
        f"{len(done.written)} written, {done.unchanged} unchanged, {len(done.removed)} removed."
    )
    _freshness_log(renderer, config)


def _engine(name: str | None, use_render: bool, command: str | None, config: Config) -> Engine:
    from kamdocs.site.engines import find_engine

    if config.source == "defaults":
        raise UsageError("no mkdocs.yml here or above; kamdocs build and serve start from one (kamdocs init makes one)")
    engine = find_engine(name, render=use_render, command=command)
    if engine.plugin and not config.site.plugin_entry:
        raise KamdocsError(
            f"{config.source}: the plugin path needs a kamdocs entry under plugins (see docs/site.md), "
            "or add --render to build from the rendered pages"
        )
    return engine


def _rendered(
    config: Config,
    day: date,
    directory_urls: bool | None = None,
    log_freshness: bool = True,
    preview: bool = False,
) -> SiteRenderer:
    """The plans section rendered once: findings printed as the plugin logs them, invalid plans stop it.

    ``log_freshness`` off leaves the freshness lines to the caller (``render`` prints them once it has
    written the files, so a refusal of its folder stays one line). A ``preview`` (``serve``) is not
    stopped: it renders the valid plans, and the caller lists the errors on every page.
    """
    from kamdocs.site.render import SiteRenderer

    renderer = SiteRenderer(config, plan_validator(config), day, _directory_urls(config, directory_urls))
    if renderer.language_notice:
        echo(f"kamdocs: {renderer.language_notice}", err=True)
    verdict = renderer.full(preview)
    if preview and verdict.stop:
        echo(f"kamdocs: {verdict.stop}\nkamdocs: the site shows the valid plans; every page lists the errors", err=True)
    else:
        _site_verdict(verdict)
    if log_freshness:
        _freshness_log(renderer, config)
    return renderer


@command()
@engine_option
@render_option
@engine_command_option
@click.option("-d", "--site-dir", type=click.Path(path_type=Path), help="Default: site_dir of mkdocs.yml.")
@click.option("--strict", is_flag=True, help="Pass --strict to the engine: its warnings fail the build.")
@config_option
def build(
    engine_name: str | None,
    use_render: bool,
    engine_command: str | None,
    site_dir: Path | None,
    strict: bool,
    config_file: Path | None,
) -> None:
    """Build the site with MkDocs, ProperDocs or Zensical.

    On the plugin path (MkDocs, ProperDocs) the engine builds mkdocs.yml as it
    stands and the kamdocs plugin makes the pages. On the render path
    (Zensical, or --render) the plans are rendered into a temporary copy of
    the docs, with a copy of mkdocs.yml that lists the plans section and its
    assets, and the engine builds that into site_dir. The docs folder and
    mkdocs.yml are never changed. docs/engines.md compares the engines.
    """
    from kamdocs.site.engines import engine_args
    from kamdocs.site.overlay import make_overlay, overlay_folder
    from kamdocs.site.site_dir import check_site_dir, publish, site_target
    from kamdocs.site.supervisor import run_engine

    config = command_config(config_file)
    engine = _engine(engine_name, use_render, engine_command, config)
    target = site_target(config, site_dir)
    check_site_dir(target, config)  # before the build: the engine replaces what is there
    if engine.plugin:
        args = [*engine_args(engine, config.root / config.source, strict=strict), "-d", str(target)]
        code = run_engine(engine, "build", args, config.root)
        if code:
            raise Reported(exit_code=code)  # the engine's own messages are above
        return
    require_plans((), config)
    renderer = _rendered(config, command_day(None, config))
    with overlay_folder() as folder:
        overlay = make_overlay(config, renderer, folder, source_relative=engine.spec.links_from_source)
        code = run_engine(engine, "build", engine_args(engine, overlay.config_file, strict=strict), folder)
        if code:
            raise KamdocsError(f"{engine.name} build failed (exit {code}); its messages are above")
        publish(folder / "site", target)
    echo(f"kamdocs: built the site with {engine.name} from the rendered pages into {target}", err=True)


@command()
@engine_option
@render_option
@engine_command_option
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", help="Where to serve. Default: dev_addr of mkdocs.yml, else 127.0.0.1:8000."
)
@config_option
def serve(
    engine_name: str | None,
    use_render: bool,
    engine_command: str | None,
    dev_addr: str | None,
    config_file: Path | None,
) -> None:
    """Serve the site and rebuild it when a plan or a docs page changes.

    On the plugin path the engine's own serve runs, and the plugin watches the
    plans. On the render path kamdocs watches the plans and the docs, and on
    a change re-renders only the pages that change can alter (the plan's own
    page, the roll-ups and the downloads); the engine sees the changed files
    and reloads the browser. While a plan is invalid, the pages keep the last
    plans that built (or show the valid ones) and list the errors at their top. Ctrl-C, kill PID or
    closing the terminal stops the engine too.
    """
    from kamdocs.site.engines import engine_args
    from kamdocs.site.overlay import make_overlay, overlay_folder, show_errors
    from kamdocs.site.supervisor import supervised
    from kamdocs.site.watch import watch

    config = command_config(config_file)
    engine = _engine(engine_name, use_render, engine_command, config)
    if dev_addr is None:  # as mkdocs serve: the address in mkdocs.yml, which the render path's copy keeps too
        dev_addr = config.site.dev_addr or "127.0.0.1:8000"
    if engine.plugin:
        args = [*engine_args(engine, config.root / config.source, strict=False), "-a", dev_addr]
        with supervised(engine, "serve", args, config.root) as run:
            run.wait()
        _served(run)
        return
    require_plans((), config)
    renderer = _rendered(config, command_day(None, config), preview=True)
    with overlay_folder() as folder:
        overlay = make_overlay(config, renderer, folder, source_relative=engine.spec.links_from_source)
        show_errors(overlay, renderer.verdict().errors)  # started while a plan is invalid
        args = [*engine_args(engine, overlay.config_file, strict=False), "-a", dev_addr]
        with supervised(engine, "serve", args, folder) as run:
            echo(f"kamdocs: serving with {engine.name} at http://{dev_addr}/; watching {config.plans_dir}/", err=True)
            watch(
                [config.plans_path, overlay.docs_source],
                0.5,
                lambda changed: _changed(overlay, config, changed),
                lambda: not run.running(),
            )
    _served(run)


def _served(run: RunningEngine) -> None:
    """The end of ``serve``: exit 0 when a signal stopped it, 1 when the engine stopped by itself with an
    error (a busy port, a bad address)."""
    failure = run.failure()
    if failure is not None:
        raise KamdocsError(failure)
    if run.stopped_by is not None:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            echo(f"kamdocs: stopped {run.engine.name} serve ({signal.Signals(run.stopped_by).name})", err=True)


def _changed(overlay: Overlay, config: Config, changed: list[Path]) -> None:
    """One round of ``serve``: re-render what the changed plans alter, copy changed docs pages."""
    from kamdocs.site.output_folder import write_rendered
    from kamdocs.site.overlay import show_errors, sync_docs

    started = time.perf_counter()
    plans_dir = config.plans_path
    plans = [
        p for p in changed if p.is_relative_to(plans_dir) and p.suffix == ".md" and not p.name.startswith(("_", "."))
    ]
    docs = [p for p in changed if p.is_relative_to(overlay.docs_source)]
    try:
        if plans:
            verdict = overlay.renderer.update(plans)
            if verdict.stop:
                echo(
                    f"kamdocs: {verdict.stop}\nkamdocs: the site keeps the last pages that built; every page "
                    "lists the errors",
                    err=True,
                )
            else:
                show_errors(overlay, ())  # the pages as rendered, before they are compared with the manifest
                written = write_rendered(overlay.section, overlay.renderer.files, trusted=True)
                names = ", ".join(p.name for p in plans)
                echo(
                    f"kamdocs: {names} changed: {len(written.written)} file(s) rendered again, "
                    f"{len(written.removed)} removed in {time.perf_counter() - started:.2f} s",
                    err=True,
                )
            errors = verdict.errors
        else:
            errors = overlay.renderer.verdict().errors
        if docs:
            sync_docs(overlay, docs, config)
        show_errors(overlay, errors)
    except (OSError, KamdocsError) as exc:
        echo(f"kamdocs: error: {one_line(str(exc))}; the site keeps the last pages that built", err=True)
