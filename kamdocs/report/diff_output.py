"""Renderers of the semantic plan diff: text, Markdown (for the job summary) and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from kamdocs.escaping import markdown_cell
from kamdocs.report.plan_diff import DIFF_JSON_VERSION, PlanDiff, describe


def _title(plan: PlanDiff) -> str:
    name = f"{plan.file} ({plan.account})" if plan.account else plan.file
    if plan.status == "renamed":
        return f"{name}: renamed from {plan.old_file}"
    if plan.status in ("added", "deleted"):
        return f"{name}: plan {plan.status}"
    return name


def render_diff(plans: Sequence[PlanDiff], base: str, head: str | None, output_format: str) -> str:
    """The semantic diff of the plans in one output format (text, Markdown or JSON)."""
    head_label = head or "working tree"
    if output_format == "json":
        document = {
            "version": DIFF_JSON_VERSION,
            "base": base,
            "head": head_label,
            "plans": [
                {
                    "id": p.id,
                    "file": p.file,
                    "account": p.account,
                    "status": p.status,
                    "old_file": p.old_file,
                    "changes": [c.record() for c in p.changes],
                }
                for p in plans
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output_format == "markdown":
        out = [f"### Plan changes {base[:10]}..{head_label[:12]}", ""]
        if not plans:
            out.append("No plan changed in business terms.")
        for plan in plans:
            out.append(f"- **{markdown_cell(_title(plan))}**")
            out += [f"  - {markdown_cell(describe(c))}" for c in plan.changes]
        return "\n".join(out) + "\n"
    lines = [f"{_title(p)}\n" + "".join(f"  {describe(c)}\n" for c in p.changes) for p in plans]
    return "".join(lines) if plans else "No plan changed in business terms.\n"
