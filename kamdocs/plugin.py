"""The MkDocs plugin ``kamdocs``: a thin adapter from MkDocs to the core.

This is the only module that imports MkDocs. For now it checks the plans when
a site is built, with the same options and findings as ``kamdocs check``;
the plan pages and roll-ups come later. It uses only the MkDocs 1.x plugin
API, which ProperDocs keeps, so it loads under either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from kamdocs.checker import CheckResult, check_paths
from kamdocs.config import DEFAULT_FULL_SECTIONS, ConfigError, config_from_options

log = get_plugin_logger(__name__)


class KamdocsConfig(base.Config):
    """Options under ``plugins: - kamdocs:``; each is documented in docs/configuration.md."""

    plans_dir = c.Type(str, default="plans")
    schema = c.Optional(c.Type(str))
    default_interval = c.Type(str, default="quarterly")
    due_soon_days = c.Type(int, default=14)
    required_sections = c.Type(dict, default={"full": list(DEFAULT_FULL_SECTIONS), "one-page": []})
    max_bytes = c.Type(int, default=1024 * 1024)
    severity = c.Type(dict, default={})
    git = c.Type(bool, default=True)


class KamdocsPlugin(BasePlugin[KamdocsConfig]):
    result: CheckResult | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        root = Path(config.config_file_path or ".").resolve().parent
        options: dict[str, Any] = {k: v for k, v in self.config.items() if v is not None}
        try:
            settings = config_from_options(options, root, Path(config.config_file_path or "mkdocs.yml").name)
            result = check_paths(None, settings)
        except ConfigError as exc:
            raise PluginError(f"kamdocs: {exc}") from None
        errors = [f for f in result.findings if f.is_error]
        if errors:
            listing = "\n".join(f"  {f.file}:{f.line}: {f.message}" for f in errors)
            raise PluginError(f"kamdocs: {len(errors)} error(s) in the plans:\n{listing}")
        for finding in result.findings:
            log.warning("%s:%s: %s", finding.file, finding.line, finding.message)
        self.result = result
        return config
