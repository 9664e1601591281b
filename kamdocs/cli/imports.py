"""``kamdocs import``: plans from a CSV or xlsx file, with a dry run that names every conversion."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from kamdocs.cli.command import KamdocsCommand
from kamdocs.cli.console import Reported, echo
from kamdocs.cli.context import command_config, command_day, no_plans_folder, plan_validator, start_day
from kamdocs.cli.options import config_option, written_today_option
from kamdocs.cli.repository import keep_codeowners_current
from kamdocs.errors import KamdocsError, UsageError
from kamdocs.system.paths import shown, where_it_leads


@click.command(name="import", cls=KamdocsCommand)
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="List the plans it would write and every row it cannot use; write nothing."
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A YAML file mapping other headers to fields (docs/import.md).",
)
@click.option(
    "--shape",
    type=click.Choice(["accounts", "plan", "export"]),
    help="accounts: a row per account; plan: a workbook per plan, a sheet per part; export: kamdocs export's workbook. Default: told from the sheets.",
)
@click.option(
    "--kind",
    type=click.Choice(["one-page", "full"]),
    default="one-page",
    show_default=True,
    help="The plan kind where the file names none.",
)
@written_today_option
@config_option
def import_plans(
    file: Path,
    dry_run: bool,
    map_file: Path | None,
    shape: str | None,
    kind: str,
    today: date | None,
    config_file: Path | None,
) -> None:
    """Write plans from FILE, a CSV or an xlsx workbook: a row per account (a CRM export), or a workbook per plan.

    Columns are found by their headers, in English or German; --map names others. Amounts, dates and
    statuses are read as people write them, and each conversion is listed. Missing values become the
    TODO placeholders 'kamdocs new' writes. A plan whose id exists already is never overwritten.
    Exit status: 0 every row written (or, with --dry-run, writable), 1 some rows not usable, 2 a file
    that cannot be read.
    """
    from kamdocs.edit.importing import Options, checked, read_plans, taken, write_plans
    from kamdocs.edit.spreadsheet import read_file
    from kamdocs.findings import plural

    config = command_config(config_file)
    if config.source == "defaults" and not config.plans_path.is_dir():
        raise no_plans_folder(config)
    plans = where_it_leads(config.plans_path, config.root)
    if not plans.inside:  # check would call every plan written there symlink-outside
        raise KamdocsError(
            f"{config.plans_dir} leads to {plans.real}, outside the repository {plans.root}; import the plans there"
        )
    mapping = _mapping(map_file) if map_file else {}
    options = Options(kind=kind, today=start_day(command_day(today, config)), mapping=mapping, shape=shape)
    reading = read_plans(read_file(file), options)
    reading = taken(checked(reading, config, plan_validator(config)), config.plans_path, config.root, config.max_bytes)
    for notice in reading.notices:
        echo(notice)
    verb = "Would write" if dry_run else "Writing"
    for plan in reading.plans:
        echo(
            f"{verb} {shown(config.plans_path / plan.file_name, config.root)}: {plan.account} ({plan.kind}), from {plan.source}"
        )
        for note in plan.notes:
            echo(f"  {note}")
    for bad in reading.unusable:
        echo(f"Cannot use {bad.place}:", err=True)
        for reason in bad.reasons:
            echo(f"  {reason}", err=True)
    if not dry_run and reading.plans:
        write_plans(reading.plans, config.plans_path)
        keep_codeowners_current(config)  # as new does: each imported plan's reviewer approves changes to it
    done = "would be written" if dry_run else "written"
    summary = f"{plural(len(reading.plans), 'plan')} {done}; {plural(len(reading.unusable), 'row')} not used"
    if reading.unusable:
        raise Reported(summary + "; see above why", exit_code=1)
    echo(summary + ("; run it again without --dry-run to write them" if dry_run and reading.plans else ""))


def _mapping(path: Path) -> dict[str, str]:
    """The mapping file, read as kamdocs reads front matter (no aliases, tags or duplicate keys)."""
    from kamdocs.edit.importing import mapping_from
    from kamdocs.plan.loader import read_regular_file
    from kamdocs.plan.safeyaml import YamlProblem
    from kamdocs.plan.safeyaml import parse as parse_yaml

    try:
        raw = read_regular_file(path, 1_000_000)
        data = parse_yaml(raw.decode("utf-8")).data
    except OSError as exc:
        raise UsageError(f"--map {path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UsageError(f"--map {path}: expected UTF-8 text") from None
    except YamlProblem as exc:
        raise UsageError(f"--map {path}: not YAML kamdocs reads ({exc})") from None
    return mapping_from(data, f"--map {path}")
