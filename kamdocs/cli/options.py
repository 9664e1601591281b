"""The click parameter types and the options several commands share, each declared once.

Nothing here imports the core when the commands are declared: ``kamdocs --help`` and
``--version`` read this module, and the choices an option offers (output formats, freshness
states, engines) come from their modules only when a command runs or shows its own help
(:class:`Later`, :class:`LaterChoice`, :func:`format_option`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from kamdocs.calendar.clock import ClockError, parse_date
from kamdocs.errors import UsageError
from kamdocs.plan.spellings import meant_date, meant_number, suspicious_float

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Later:
    """A value held by a module of the core, imported only when the value is needed."""

    module: str
    name: str

    def get(self) -> Any:
        """The value, importing its module (once: Python keeps it)."""
        return getattr(importlib.import_module(self.module), self.name)


class LaterChoice(click.Choice[str]):
    """A :class:`click.Choice` whose choices are read from their module on first use: when a value is
    checked or the command's own ``--help`` lists them, never when the commands are declared."""

    def __init__(self, choices: Later, key: Callable[[Any], Sequence[str]] = list) -> None:
        self._later, self._key = choices, key
        self.case_sensitive = True

    def __getattr__(self, name: str) -> Any:
        if name != "choices":
            raise AttributeError(name)
        self.choices = tuple(self._key(self._later.get()))
        return self.choices


def _config_error(message: str) -> UsageError:
    """A ConfigError, the configuration's own error (exit 2), from its module when a value is refused."""
    from kamdocs.config import ConfigError

    return ConfigError(message)


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="mkdocs.yml whose 'kamdocs' plugin entry holds the options. Default: the nearest mkdocs.yml.",
)


class DateParam(click.ParamType):
    """A date YYYY-MM-DD on the command line, read when the arguments are: a bad one stops the command
    before it starts, with kamdocs' own message (exit 2). An empty value (an unset variable in a
    script) is a mistake, not "use the default"."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        label, text = (param.opts[0] if param is not None and param.opts else "date"), str(value)
        meant = None if _ISO_LIKE.fullmatch(text) else meant_date(text)
        if meant is not None:  # 31.12.2027: say the date meant, as check does in a plan
            raise ClockError(f"{label}: expected a date YYYY-MM-DD, found {text!r}: {meant.hint()}")
        return parse_date(text, label)


class AmountParam(click.ParamType):
    """A plan figure on the command line, read as ``kamdocs check`` reads one in a plan: ``850.000`` or
    ``1'250'000`` is refused with the number meant, never taken as 850 or given up on without a hint."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            return value
        label = param.opts[0] if param is not None and param.opts else "number"
        text = str(value).strip()
        grouped = suspicious_float(text)
        if (grouped is None and _PLAIN_NUMBER.fullmatch(text)) or text.casefold().lstrip("+-") in ("inf", "nan"):
            return float(text)  # rollover judges its size, as for a figure in a plan
        meant = grouped or meant_number(text)
        hint = f": {meant.hint()}" if meant is not None else ""
        raise _config_error(f"{label}: expected a number without separators or units, found {value!r}{hint}")


class SeverityParam(click.ParamType):
    """``RULE=error`` or ``RULE=warning``, split when the arguments are read; the rule and the level
    are judged with the configuration's own ``severity`` option, so both say the same."""

    name = "rule=level"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        rule, sep, level = str(value).partition("=")
        if not sep:
            raise _config_error(f"--severity: expected RULE=error or RULE=warning, found {value!r}")
        return rule.strip(), level.strip()


DATE = DateParam()
AMOUNT = AmountParam()
_ISO_LIKE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:[eE][-+]?[0-9]++)?")
"""A number as float() reads it. Each run of digits is taken whole: ``[0-9]+\\.?[0-9]*`` split a run
between its two parts every way before failing, and 8,000 digits and a letter took seconds (issue 19)."""

today_option = click.option(
    "--today",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="The date to judge freshness on. Default: SOURCE_DATE_EPOCH if set, otherwise the local date.",
)

written_today_option = click.option(
    "--today",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="The date written into the new plans as their last review and the start of their goal period. "
    "Default: SOURCE_DATE_EPOCH if set, otherwise the local date.",
)


engine_option = click.option(
    "--engine",
    "engine_name",
    type=LaterChoice(Later("kamdocs.site.engines", "ENGINES")),
    help="The site engine. Default: the first installed of mkdocs, properdocs, zensical (the plugin path first).",
)
render_option = click.option(
    "--render",
    "use_render",
    is_flag=True,
    help="Build MkDocs or ProperDocs from the rendered pages, without the plugin (Zensical always is).",
)
engine_command_option = click.option(
    "--engine-command",
    metavar="PATH",
    help="The engine's own executable, for one in a virtual environment of its own (.venv-zensical/bin/zensical).",
)


class FormatOption(click.Option):
    """``--format``, whose choices and default are a report's :class:`~kamdocs.report.formats.Formats`
    registry, read from its module on first use (see :func:`format_option`)."""

    def __init__(self, *args: Any, formats: Later, registry_default: bool, **kwargs: Any) -> None:
        kwargs["type"] = LaterChoice(formats, lambda registry: registry.names)
        super().__init__(*args, **kwargs)
        self.formats, self.registry_default = formats, registry_default

    def get_default(self, ctx: click.Context, call: bool = True) -> Any:
        """The registry's default when the command takes it (and ``--help`` shows it), else click's."""
        if self.registry_default:
            return self.formats.get().default
        return super().get_default(ctx, call)


def format_option(formats: Later, *, required: bool = False, help: str | None = None) -> Callable[[F], F]:
    """``--format``, offering the names of a report's ``Formats`` registry, as ``output_format``.

    Its default is the registry's, shown in ``--help``, unless the command needs the option (``required``:
    ``export``) or picks the format itself when none is given and ``help`` says how (``check``: github
    under GitHub Actions); those get none.
    """
    registry_default = not (required or help)
    return click.option(
        "--format",
        "output_format",
        cls=FormatOption,
        formats=formats,
        registry_default=registry_default,
        show_default=registry_default,
        required=required,
        help=help,
    )
