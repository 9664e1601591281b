"""The one configuration, shared by the CLI and the MkDocs plugin.

A plans repository needs no Python project file: the options live under the
``kamdocs`` entry of ``plugins:`` in ``mkdocs.yml``, and the CLI reads the same
entry. Three modules, lowest first:

- :mod:`~kamdocs.config.options`: every option once (:data:`OPTIONS`), with its
  default, help and parser;
- :mod:`~kamdocs.config.model`: :class:`Config`, the settings in force for one run;
- :mod:`~kamdocs.config.mkdocs_yml`: the one reader of ``mkdocs.yml``.

The names callers use are imported here, so ``from kamdocs.config import Config`` works.
"""

from kamdocs.config.mkdocs_yml import CONFIG_NAMES, find_config, load_config, plugin_options
from kamdocs.config.model import Config, SiteSettings, config_from_options
from kamdocs.config.options import (
    DEFAULT_FULL_SECTIONS,
    FACETS,
    GITHUB_HANDLE,
    OPTIONS,
    QUALITY_CATEGORIES,
    REMOVED,
    ConfigError,
    Option,
    QualitySettings,
    parse_severities,
)

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_FULL_SECTIONS",
    "FACETS",
    "GITHUB_HANDLE",
    "OPTIONS",
    "QUALITY_CATEGORIES",
    "REMOVED",
    "Config",
    "ConfigError",
    "Option",
    "QualitySettings",
    "SiteSettings",
    "config_from_options",
    "find_config",
    "load_config",
    "parse_severities",
    "plugin_options",
]
