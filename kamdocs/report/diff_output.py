"""Renderers of the semantic plan diff: text, Markdown (for the job summary) and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kamdocs.escaping import markdown_cell, one_line, path_text
from kamdocs.report.formats import Formats
from kamdocs.report.plan_diff import DIFF_JSON_VERSION, PlanDiff, describe


def _title(plan: PlanDiff) -> str:
    file = path_text(plan.file)
    name = f"{file} ({plan.account})" if plan.account else file
    if plan.status == "renamed":
        return f"{name}: renamed from {path_text(plan.old_file or '')}"
    if plan.status in ("added", "deleted"):
        return f"{name}: plan {plan.status}"
    return name


@dataclass(frozen=True)
class DiffReport:
    """The input of every ``kamdocs diff`` format: the changed plans between two revisions."""

    plans: Sequence[PlanDiff]
    base: str
    head: str | None
    """None for the working tree."""

    @property
    def head_label(self) -> str:
        return self.head or "working tree"


def render_json(report: DiffReport) -> str:
    """The versioned diff JSON documented in docs/cli.md."""
    document = {
        "version": DIFF_JSON_VERSION,
        "base": report.base,
        "head": report.head_label,
        "plans": [
            {
                "id": p.id,
                "file": path_text(p.file),
                "account": p.account,
                "status": p.status,
                "old_file": None if p.old_file is None else path_text(p.old_file),
                "changes": [c.record() for c in p.changes],
            }
            for p in report.plans
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: DiffReport) -> str:
    """The diff for a pull request's job summary, every text escaped."""
    out = [f"### Plan changes {report.base[:10]}..{report.head_label[:12]}", ""]
    if not report.plans:
        out.append("No plan changed in business terms.")
    for plan in report.plans:
        out.append(f"- **{markdown_cell(_title(plan))}**")
        out += [f"  - {markdown_cell(describe(c))}" for c in plan.changes]
    return "\n".join(out) + "\n"


def render_text(report: DiffReport) -> str:
    """One line per plan and an indented line per change."""
    lines = [
        f"{one_line(_title(p))}\n" + "".join(f"  {one_line(describe(c))}\n" for c in p.changes) for p in report.plans
    ]
    return "".join(lines) if report.plans else "No plan changed in business terms.\n"


DIFF_FORMATS: Formats[DiffReport] = Formats(
    {"text": render_text, "markdown": render_markdown, "json": render_json}, default="text"
)
