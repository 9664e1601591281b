"""kamdocs: key account plans as code.

The public API is re-exported here; everything else is internal and may move.
The names are imported when first used (:func:`__getattr__`), not with the
package: ``kamdocs --version`` and ``--help`` import ``kamdocs`` too, and the
core behind these names (the schema validator, the Markdown renderer) costs
them most of a second.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kamdocs.config import Config, ConfigError, load_config
    from kamdocs.findings import Finding, Severity
    from kamdocs.plan.loader import load
    from kamdocs.plan.model import Plan
    from kamdocs.rules.pipeline import CheckResult, CheckRun, check_paths

__version__ = "0.2.0"

_PUBLIC = {
    "CheckResult": "kamdocs.rules.pipeline",
    "CheckRun": "kamdocs.rules.pipeline",
    "Config": "kamdocs.config",
    "ConfigError": "kamdocs.config",
    "Finding": "kamdocs.findings",
    "Plan": "kamdocs.plan.model",
    "Severity": "kamdocs.findings",
    "check_paths": "kamdocs.rules.pipeline",
    "load": "kamdocs.plan.loader",
    "load_config": "kamdocs.config",
}
"""Each public name and the module that holds it."""

__all__ = [
    "CheckResult",
    "CheckRun",
    "Config",
    "ConfigError",
    "Finding",
    "Plan",
    "Severity",
    "__version__",
    "check_paths",
    "load",
    "load_config",
]


def __getattr__(name: str) -> Any:
    """A public name, from its module on first use (PEP 562); ``from kamdocs import Plan`` works as before."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'kamdocs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
