"""kamdocs: key account plans as code.

The public API is re-exported here; everything else is internal and may move.
"""

from kamdocs.config import Config, ConfigError, load_config
from kamdocs.findings import Finding, Severity
from kamdocs.plan.loader import load
from kamdocs.plan.model import Plan
from kamdocs.rules.pipeline import CheckResult, CheckRun, check_paths

__version__ = "0.2.0"

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
