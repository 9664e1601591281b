"""The check pipeline: files → loader → schema → model → checks → findings.

One bad file never hides another: each file is loaded and validated on its
own, and only the cross-plan check (unique ids) looks at several at once.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from kamdocs.checks import PlanId, check_id_matches_file, check_plan, check_sections, check_unique_ids, plan_id
from kamdocs.config import Config
from kamdocs.findings import Finding, sort_findings
from kamdocs.freshness import issues as freshness_issues
from kamdocs.loader import discover, load
from kamdocs.model import Plan, plan_from_data
from kamdocs.validation import PlanValidator


@dataclass(frozen=True)
class CheckResult:
    """What a check run found: the valid plans, every finding, and how many files."""

    plans: tuple[Plan, ...]
    findings: tuple[Finding, ...]
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def check_paths(
    paths: Sequence[Path] | None,
    config: Config,
    validator: PlanValidator | None = None,
    today: date | None = None,
    keep_plans: bool = True,
) -> CheckResult:
    """Check the plan files under ``paths`` (default: the configured plans folder).

    With ``today``, freshness findings are included; without, only the format
    and structure checks run (as the pre-commit hook wants). ``keep_plans=False``
    drops each plan once it is checked, for callers that only need findings.
    """
    validator = validator or PlanValidator(config)
    files = list(discover(paths or [config.plans_path]))
    return check_files(files, config, validator, today, keep_plans)


@contextmanager
def _batch_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch of plans is checked.

    The plan model is acyclic and kept until the end, so collections during
    the run only rescan a growing heap: a quarter of the time at 10,000 plans.
    The collector is restored, and run once, when the batch is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_files(
    files: Iterable[Path],
    config: Config,
    validator: PlanValidator,
    today: date | None = None,
    keep_plans: bool = True,
) -> CheckResult:
    with _batch_allocation():
        result = _check_files(files, config, validator, today, keep_plans)
    if not config.severity:
        return result
    findings = tuple(
        replace(f, severity=config.severity[f.rule]) if f.rule in config.severity else f for f in result.findings
    )
    return replace(result, findings=findings)


def _check_files(
    files: Iterable[Path], config: Config, validator: PlanValidator, today: date | None, keep_plans: bool
) -> CheckResult:
    findings: list[Finding] = []
    ids: list[PlanId] = []
    plans: list[Plan] = []
    count = 0
    for path in files:
        count += 1
        loaded = load(path, config.root, config.max_bytes)
        findings.extend(loaded.findings)
        source = loaded.source
        if source is None:
            continue
        ids.extend(plan_id(source))
        problems = validator.check(source)
        problems.extend(check_id_matches_file(source))
        kind = source.data.get("kind")
        if isinstance(kind, str):
            problems.extend(check_sections(kind, source, config.required_sections.get(kind, ())))
        if not any(f.is_error for f in problems):
            plan = plan_from_data(source.data, source.rel, source.body)
            problems.extend(check_plan(plan, source))
            if not any(f.is_error for f in problems):
                if keep_plans:
                    plans.append(plan)
                if today is not None:
                    problems.extend(
                        source.finding(i.rule, i.path, i.message, i.hint, at_value=True)
                        for i in freshness_issues(plan, today, config.default_interval, config.due_soon_days)
                    )
        findings.extend(problems)
    findings.extend(check_unique_ids(ids))
    duplicates = {f.file for f in findings if f.rule == "id-duplicate"}
    return CheckResult(
        plans=tuple(p for p in plans if p.file not in duplicates),
        findings=tuple(sort_findings(findings)),
        files=count,
    )
