"""The check pipeline: files → loader → schema → model → checks → findings.

One bad file never hides another: each file is loaded and validated on its
own, and only the cross-plan check (unique ids) looks at several at once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from kamdocs.config import Config
from kamdocs.findings import FRESHNESS_RULES, Finding, finding, sort_findings
from kamdocs.plan.loader import Loaded, discover, load, parse_bytes
from kamdocs.plan.model import Plan, plan_from_data
from kamdocs.plan.validation import PlanValidator
from kamdocs.rules.body_limits import check_body_limits
from kamdocs.rules.checks import (
    PlanId,
    check_control_characters,
    check_currency_words,
    check_dates,
    check_grouped_figures,
    check_id_matches_file,
    check_plan,
    check_sections,
    check_todos,
    check_unique_ids,
    plan_id,
)
from kamdocs.rules.confidential import check_confidential
from kamdocs.rules.freshness import issues as freshness_issues
from kamdocs.system import collector
from kamdocs.system.background import cores, fork_is_safe


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


@dataclass(frozen=True)
class CheckRun:
    """What one check run is asked to do, handed whole from the caller down to each file's check.

    Freshness is on or off by name: the pre-commit hook, the commands that edit a plan and the
    reports that only read plans check format and structure; ``kamdocs check`` and the site add
    the freshness rules, which need the day they are judged on.
    """

    config: Config
    validator: PlanValidator
    freshness: bool
    """Whether the freshness rules (overdue, due soon ...) run; they judge each plan on ``today``."""
    today: date | None = None
    keep_plans: bool = True
    """False drops each plan once it is checked, for callers that only need the findings."""
    jobs: int | None = None
    """Worker processes; None: one per core, up to 4, from :data:`PARALLEL_FROM` files on."""

    def __post_init__(self) -> None:
        if self.freshness and self.today is None:
            raise ValueError("a check run with freshness needs the day to judge it on (today)")

    @classmethod
    def without_freshness(
        cls, config: Config, validator: PlanValidator | None = None, *, keep_plans: bool = True, jobs: int | None = None
    ) -> CheckRun:
        """Format and structure only, as the pre-commit hook and the commands that edit a plan check;
        with no ``validator``, one for the configured schema."""
        return cls(config, validator or PlanValidator(config), freshness=False, keep_plans=keep_plans, jobs=jobs)

    @classmethod
    def with_freshness(
        cls,
        config: Config,
        today: date,
        validator: PlanValidator | None = None,
        *,
        keep_plans: bool = True,
        jobs: int | None = None,
    ) -> CheckRun:
        """Format, structure and freshness judged on ``today``, as ``kamdocs check`` and the site check."""
        return cls(
            config, validator or PlanValidator(config), freshness=True, today=today, keep_plans=keep_plans, jobs=jobs
        )


def check_paths(paths: Sequence[Path] | None, run: CheckRun) -> CheckResult:
    """Check the plan files under ``paths`` (default: the configured plans folder) as ``run`` says."""
    return check_files(discover(paths or [run.config.plans_path]), run)


def check_files(files: Iterable[Path], run: CheckRun) -> CheckResult:
    """Check ``files`` as ``run`` says, with the configured severities applied to the findings;
    with many files, in worker processes (``run.jobs``)."""
    config = run.config
    with collector.off():  # the model is kept until the end: collections would only rescan it
        result = _check_files(files, run)
    if not config.severity:
        return result
    findings = tuple(
        replace(f, severity=config.severity[f.rule]) if f.rule in config.severity else f for f in result.findings
    )
    return replace(result, findings=findings)


@dataclass(frozen=True)
class _Checked:
    """What checking one file gave; small and picklable, so workers can return it."""

    findings: tuple[Finding, ...]
    plan: Plan | None
    ids: tuple[PlanId, ...]


def check_bytes(raw: bytes, rel: str, config: Config, validator: PlanValidator) -> tuple[Finding, ...]:
    """The format and structure findings for a plan's bytes before they are written, as ``rel``.

    The commands that edit a plan (review, rollover) check what they are about
    to write, so that they never write a plan that ``kamdocs check`` rejects.
    """
    return _check_loaded(parse_bytes(raw, rel), CheckRun(config, validator, freshness=False)).findings


def check_loaded(loaded: Loaded, run: CheckRun) -> tuple[tuple[Finding, ...], Plan | None]:
    """One plan already read (a file, or an earlier version from git), checked as ``kamdocs check`` checks it:
    its findings, and the plan when it has no error and the run keeps plans."""
    checked = _check_loaded(loaded, run)
    return checked.findings, checked.plan


def _check_one(path: Path, run: CheckRun) -> _Checked:
    return _check_loaded(load(path, run.config.root, run.config.max_bytes), run)


def _check_loaded(loaded: Loaded, run: CheckRun) -> _Checked:
    source = loaded.source
    if source is None:
        return _Checked(loaded.findings, None, ())
    config = run.config
    problems = run.validator.check(source)
    problems.extend(check_body_limits(source))  # errors: a body past them never reaches the renderer
    problems.extend(check_id_matches_file(source))
    problems.extend(check_todos(source))
    problems.extend(check_grouped_figures(source))
    problems.extend(check_currency_words(source))
    problems.extend(check_control_characters(source))
    kind = source.data.get("kind")
    if isinstance(kind, str):
        problems.extend(check_sections(kind, source, config.required_sections.get(kind, ())))
    plan = None
    if not any(f.is_error for f in problems):
        plan = plan_from_data(source.data, source.rel, source.body, source.body_line, source.line_map())
        problems.extend(check_plan(plan, source))
        problems.extend(check_confidential(source, plan))
        problems.extend(check_dates(plan, source, config.default_interval))
        if any(f.is_error for f in problems):
            plan = None
        elif run.freshness:
            assert run.today is not None  # CheckRun refuses freshness without a day
            problems.extend(
                source.finding(i.rule, i.path, i.message, i.hint, at_value=True)
                for i in freshness_issues(plan, run.today, config.default_interval, config.due_soon_days)
            )
    return _Checked(tuple(capped(problems)), plan if run.keep_plans else None, tuple(plan_id(source)))


MAX_REPEATS = 100
"""Findings of one rule a plan lists; a plan at the size limit can hold 75,000 unknown obstacle ids or
6,000 copies of one id, and each finding costs the check, its output and the build log alike."""


def capped(findings: Sequence[Finding]) -> list[Finding]:
    """One plan's findings in reading order, at most :data:`MAX_REPEATS` of each rule, and for a rule
    with more a ``findings-repeated`` at the first one left out, counting them.

    The freshness rules are never capped: the site marks each late row with its own finding, and the
    build log already counts them per rule.
    """
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    if all(n <= MAX_REPEATS or rule in FRESHNESS_RULES for rule, n in counts.items()):
        return list(findings)  # as they were: only a capped plan's findings are put in reading order
    ordered = sort_findings(findings)
    kept: list[Finding] = []
    seen: dict[str, int] = {}
    for f in ordered:
        seen[f.rule] = seen.get(f.rule, 0) + 1
        if seen[f.rule] <= MAX_REPEATS or f.rule in FRESHNESS_RULES:
            kept.append(f)
        elif seen[f.rule] == MAX_REPEATS + 1:
            left = counts[f.rule] - MAX_REPEATS
            kept.append(
                finding(
                    "findings-repeated",
                    f.file,
                    f.line,
                    f.column,
                    f.path,
                    f"expected at most {MAX_REPEATS} '{f.rule}' findings in one plan, found {counts[f.rule]:,} "
                    f"(the {left:,} from here on are not listed)",
                    f"fix the {MAX_REPEATS} listed first (they often share one cause), then check again",
                )
            )
    return kept


PARALLEL_FROM = 400
"""Below this many files one process is faster than starting workers."""
CHUNK = 200
"""Files a worker checks before it hands their results back. Small, so that a worker never holds more
than this many plans and their pickle at once: with one chunk per worker, a 10,000-plan build's two
workers held 5,000 plans each and their pickles, 1.5 GB between them and the parent (site_speed.py)."""

_worker_run: CheckRun | None = None
"""The run a worker process checks its chunks for; set in the worker only, by :func:`_start_worker`.

Module state, because the run cannot travel with each chunk: its validator holds compiled
closures, which cannot be pickled. The pool's processes are forked, and a forked process gets
its initializer's arguments as memory, unpickled; the parent process never sets this.
"""


def _start_worker(run: CheckRun) -> None:
    """A worker's start: its run, and its own garbage collected (the check forks it with the collector off)."""
    global _worker_run
    _worker_run = run
    collector.restart_in_child()


def _check_chunk(paths: list[Path]) -> list[_Checked]:
    run = _worker_run
    assert run is not None  # set by _start_worker before the pool hands out any chunk
    return [_check_one(path, run) for path in paths]


def _workers(jobs: int | None, files: int) -> int:
    """How many processes to use. Forking is only safe while this process has one thread
    (``mkdocs serve`` runs builds beside its server thread), so otherwise it is one."""
    if not fork_is_safe():
        return 1
    if jobs is not None:
        return max(1, jobs)
    return 1 if files < PARALLEL_FROM else min(cores(), 4)  # the cores this process may use (taskset)


def _check_files(files: Iterable[Path], run: CheckRun) -> CheckResult:
    paths = list(files)
    workers = _workers(run.jobs, len(paths))
    if workers > 1:
        size = min(CHUNK, -(-len(paths) // workers))
        chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
        with multiprocessing.get_context("fork").Pool(min(workers, len(chunks)), _start_worker, (run,)) as pool:
            results = [item for chunk in pool.imap(_check_chunk, chunks) for item in chunk]  # in order
    else:
        results = [_check_one(path, run) for path in paths]
    findings = [f for r in results for f in r.findings]
    findings.extend(check_unique_ids(i for r in results for i in r.ids))
    duplicates = {f.file for f in findings if f.rule == "id-duplicate"}
    plans = [r.plan for r in results if r.plan is not None and r.plan.file not in duplicates] if run.keep_plans else []
    return CheckResult(plans=tuple(plans), findings=tuple(sort_findings(findings)), files=len(paths))
