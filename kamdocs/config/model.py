"""The settings in force for one run (:class:`Config`), made from the options as written, and the
site's own settings from the same ``mkdocs.yml`` (:class:`SiteSettings`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kamdocs.config.options import OPTIONS, REMOVED, ConfigError, QualitySettings, parse_bool
from kamdocs.findings import Severity


@dataclass(frozen=True)
class SiteSettings:
    """The settings of the site itself, read once from ``mkdocs.yml`` with ``INHERIT`` merged
    (:func:`kamdocs.config.mkdocs_yml.load_config`): where the docs are and where the site goes,
    the URL layout and the rest that ``kamdocs render``, ``build`` and ``serve`` follow as the engine
    would. Empty without a ``mkdocs.yml``, and in the plugin, which has MkDocs' own.
    """

    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Every setting, ``!ENV`` followed and any other tag's value as plain data: what kamdocs reads."""
    written: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """The same settings with their tags kept (``!!python/name:``, ``!ENV``), for the render path's copy of
    ``mkdocs.yml``, which the engine reads as it would have read the user's
    (:func:`kamdocs.config.mkdocs_yml.site_yaml` writes it)."""
    plugin_entry: bool = False
    """Whether ``plugins:`` has a ``kamdocs`` entry, which the plugin path needs."""

    @property
    def docs_dir(self) -> str:
        """``docs_dir`` as written, relative to the folder of ``mkdocs.yml`` (MkDocs' default: docs)."""
        return str(self.settings.get("docs_dir") or "docs")

    @property
    def site_dir(self) -> str:
        """``site_dir`` as written, relative to the folder of ``mkdocs.yml`` (MkDocs' default: site)."""
        return str(self.settings.get("site_dir") or "site")

    @property
    def use_directory_urls(self) -> bool:
        """Pages linked as ``folder/`` (MkDocs' default) or as ``folder.html``."""
        value = self.settings.get("use_directory_urls", True)
        return value if isinstance(value, bool) else True

    @property
    def theme_language(self) -> str | None:
        """``theme.language``: Material's chrome speaks it, and kamdocs' words follow unless ``language:`` says."""
        theme = self.settings.get("theme")
        value = theme.get("language") if isinstance(theme, Mapping) else None
        return value if isinstance(value, str) and value else None

    @property
    def dev_addr(self) -> str | None:
        """Where ``serve`` listens, if ``mkdocs.yml`` says."""
        value = self.settings.get("dev_addr")
        return value if isinstance(value, str) and value else None


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
    history_cache: bool = _default("history_cache")
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
    editor: bool = _default("editor")
    language: str | None = _default("language")
    locale: str | None = _default("locale")
    notice: str | None = None
    """Something the user should know about how this configuration was found, e.g. defaults in use."""
    site: SiteSettings = field(default_factory=SiteSettings, compare=False, repr=False)
    """The site's own settings from the same ``mkdocs.yml``, for the CLI's site commands."""

    @property
    def plans_path(self) -> Path:
        return self.root / self.plans_dir

    @property
    def docs_path(self) -> Path:
        """The site's ``docs_dir``, as MkDocs resolves it against the configuration's folder."""
        return self.root / self.site.docs_dir

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
