"""The settings in force for one run (:class:`Config`), made from the options as written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from kamdocs.config.options import OPTIONS, REMOVED, ConfigError, QualitySettings, parse_bool
from kamdocs.findings import Severity


def _default(name: str) -> Any:
    """An option's default, as declared once in :data:`OPTIONS` (a factory, so no two configurations
    share a mapping)."""
    return field(default_factory=lambda: OPTIONS[name].default)


@dataclass(frozen=True)
class Config:
    """Settings in force for one run. ``root`` is the repository root."""

    root: Path
    source: str = "defaults"
    plans_dir: str = _default("plans_dir")
    schema: str | None = _default("schema")
    default_interval: str = _default("default_interval")
    due_soon_days: int = _default("due_soon_days")
    required_sections: Mapping[str, tuple[str, ...]] = _default("required_sections")
    max_bytes: int = _default("max_bytes")
    severity: Mapping[str, Severity] = _default("severity")
    git: bool = _default("git")
    commit_subjects: bool = _default("commit_subjects")
    url_prefix: str = _default("url_prefix")
    on_invalid: str = _default("on_invalid")
    group_by: tuple[str, ...] = _default("group_by")
    today: str | None = _default("today")
    fiscal_year_start: str = _default("fiscal_year_start")
    quality: QualitySettings = _default("quality")  # noqa: RUF009 (a field with a factory; see _default)
    page_size: int = _default("page_size")
    offline: bool = _default("offline")
    github_handles: Mapping[str, str] = _default("github_handles")
    raw_html: bool = _default("raw_html")
    confidential_sections: tuple[str, ...] = _default("confidential_sections")
    publish_confidential: bool = _default("publish_confidential")
    log_findings: str = _default("log_findings")
    notice: str | None = None
    """Something the user should know about how this configuration was found, e.g. defaults in use."""

    @property
    def plans_path(self) -> Path:
        return self.root / self.plans_dir

    @property
    def schema_path(self) -> Path | None:
        return None if self.schema is None else self.root / self.schema


def config_from_options(options: Mapping[str, Any], root: Path, source: str) -> Config:
    """Validate plugin options (as written in ``mkdocs.yml``) into a :class:`Config`."""
    if not isinstance(options, Mapping):
        raise ConfigError(f"{source}: plugins.kamdocs: expected a mapping of options, found {options!r}")
    values: dict[str, Any] = {}
    notice = None
    for key, raw in options.items():
        if key == "enabled":  # MkDocs' own switch for every plugin; MkDocs requires a boolean
            try:
                enabled = parse_bool(key, raw)
            except ConfigError as exc:
                raise ConfigError(f"{source}: plugins.kamdocs.{exc}") from None
            if not enabled:
                notice = (
                    f"{source}: the kamdocs plugin is disabled (enabled: false); kamdocs uses its options all the same"
                )
            continue
        option = OPTIONS.get(key)
        if key in REMOVED:
            raise ConfigError(f"{source}: plugins.kamdocs.{key}: removed option; {REMOVED[key]}")
        if option is None:
            close = get_close_matches(str(key), OPTIONS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known options: {', '.join(OPTIONS)}"
            raise ConfigError(f"{source}: plugins.kamdocs.{key}: unknown option{hint}")
        try:
            values[key] = option.parse(key, raw)
        except ConfigError as exc:
            raise ConfigError(f"{source}: plugins.kamdocs.{exc}") from None
    return Config(root=root, source=source, notice=notice, **values)
