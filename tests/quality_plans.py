"""The quality calibration plans (tests/calibration/) as text and as scored plans, shared by the calibration
and property tests: every plan is read by kamdocs' own loader from its file text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kamdocs.config import Config
from kamdocs.edit.scaffold import PlanDraft, draft_text, example_plans
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.model import Plan, plan_from_data
from kamdocs.rules.quality import Quality, quality_of

from .conftest import ROOT

CALIBRATION = ROOT / "tests" / "calibration"
TODAY = date(2026, 11, 15)
"""The day every calibration plan is scored on."""


@dataclass(frozen=True)
class Banded:
    """One row of tests/calibration/bands.md."""

    name: str
    band: str
    why: str


def bands() -> list[Banded]:
    """The table of bands a business area manager gave, read from its Markdown."""
    text = (CALIBRATION / "bands.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([a-z:-]+) \| (good|fair|poor) \| (.+) \|$", text, flags=re.M)
    return [Banded(*row) for row in rows]


def calibration_text(name: str) -> str:
    """A calibration plan's file text; ``new:KIND`` and ``init:one-page`` are written by kamdocs' templates."""
    if name.startswith("new:"):
        kind = name.split(":")[1]
        new = PlanDraft(
            f"new-{kind}", kind, "Template Customer AG", "kam@example.com", "Process Analytics", None, TODAY
        )
        return draft_text(new)
    if name == "init:one-page":
        return example_plans(TODAY)["plans/example-one-page.md"]
    return (CALIBRATION / f"{name}.md").read_text(encoding="utf-8")


def plan_of(text: str, file: str = "plans/p.md") -> Plan:
    source = parse_bytes(text.encode("utf-8"), file).source
    assert source is not None
    return plan_from_data(source.data, file, source.body, source.body_line, source.line_map())


def score(text: str, today: date = TODAY) -> Quality:
    return quality_of(plan_of(text), today, Config(root=Path(".")), None)
