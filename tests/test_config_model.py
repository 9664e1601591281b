"""The :class:`~kamdocs.config.Config` model says the options of :data:`~kamdocs.config.OPTIONS`, no more, no fewer.

Each option is declared once, in ``OPTIONS``; the model repeats every name as a
typed field, so a new option added to one and not the other fails here.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from kamdocs.config import OPTIONS, Config, config_from_options

NOT_OPTIONS = {"root", "source", "notice", "site"}
"""Fields that say where the configuration came from, not what it sets."""


def test_the_model_has_a_field_for_each_option_and_no_other() -> None:
    names = [f.name for f in fields(Config) if f.name not in NOT_OPTIONS]
    assert sorted(names) == sorted(OPTIONS)
    assert len(names) == len(OPTIONS)


def test_each_field_defaults_to_its_option() -> None:
    config = Config(root=Path("."))
    for name, option in OPTIONS.items():
        assert getattr(config, name) == option.default, name


def test_each_option_as_written_lands_in_its_field() -> None:
    """One non-default value per option, written as in mkdocs.yml, read back from the field of that name."""
    written = {
        "plans_dir": "accounts",
        "schema": "schema/ours.json",
        "default_interval": "monthly",
        "due_soon_days": 3,
        "required_sections": {"one-page": ["Goal"]},
        "max_bytes": 2048,
        "severity": {"kpi-stale": "error"},
        "git": False,
        "history_cache": False,
        "commit_subjects": False,
        "url_prefix": "accounts/plans",
        "on_invalid": "warn",
        "group_by": ["region"],
        "today": "2026-11-01",
        "fiscal_year_start": "04-01",
        "quality": {"good": 90},
        "page_size": 10,
        "github_handles": {"bam@example.com": "@bam"},
        "offline": False,
        "confidential_sections": ["Pricing"],
        "publish_confidential": True,
        "log_findings": "all",
        "raw_html": True,
        "editor": True,
        "language": "de",
        "locale": "de-DE",
    }
    assert sorted(written) == sorted(OPTIONS)
    config = config_from_options(written, Path("."), "mkdocs.yml")
    for name in written:
        assert getattr(config, name) != OPTIONS[name].default, name
    assert config.required_sections["one-page"] == ("Goal",)
    assert config.severity["kpi-stale"].value == "error"
    assert config.group_by == ("region",) and config.quality.good == 90
