"""Plans over time: each plan's figures at every version git holds, judged on the day of that version.

kamdocs already reads the plans' history in one ``git log`` (:mod:`kamdocs.history.log`). Here one
streamed ``git cat-file --batch`` reads the versions themselves, and each is checked and judged by the
same code as today's plan: the check's rules, the freshness, and the quality score with the delivery git
showed up to that day (:class:`kamdocs.history.delivery.DeliveryFold`). What comes out is a
:class:`Timeline` per plan, plain data for ``kamdocs history``, ``kamdocs show --at``, the plan pages'
trend charts and the manager's roll-ups.

The site's timelines are made from the public view of each version (:func:`public_plan`): a version
in which the plan was confidential is left out whole, not shown as a gap, so nothing of it (not even
its date) reaches a page or an export; a confidential figure is missing in every version, never 0.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kamdocs.config import Config
from kamdocs.findings import Finding
from kamdocs.history.delivery import DeliveryFold, Facts, facts_of_data, facts_of_plan
from kamdocs.history.log import GitHistory, Revision, stream_blobs
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.model import Plan
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.figures import Figures
from kamdocs.report.history_cache import HistoryCache
from kamdocs.rules.confidential import public_plan
from kamdocs.rules.confidential_body import HtmlOf
from kamdocs.rules.freshness import assess, contact_stale, interval_of
from kamdocs.rules.pipeline import CheckRun, check_loaded
from kamdocs.rules.quality import quality_of

DELETED = "0" * 40
"""The blob id git's raw log gives a file in the commit that deletes it."""


@dataclass(frozen=True)
class Point:
    """One version of a plan: the commit (None for the working tree's uncommitted file) and its figures."""

    sha: str | None
    day: date
    author: str
    subject: str
    file: str
    """The plan file's path in that version (a renamed plan's earlier name)."""
    figures: Figures


@dataclass(frozen=True)
class Timeline:
    """One plan's versions, oldest first, each judged on its own day."""

    file: str
    points: tuple[Point, ...] = ()
    shallow: bool = False
    """Read from a shallow clone: the versions before :attr:`since` exist but are not here."""
    known: bool = True
    """False without git (no repository, ``git: false``): there is no history to show."""

    @property
    def since(self) -> date | None:
        """The day of the oldest version shown: what the plan was before it is not known (or not public)."""
        return self.points[0].day if self.points else None

    def changes(self) -> tuple[Point, ...]:
        """The versions that changed a figure: the first one, then each whose figures differ from the last
        one kept (a version that only reworded the body, or moved nothing kamdocs counts, is left out)."""
        kept: list[Point] = []
        for point in self.points:
            if not kept or point.figures != kept[-1].figures:
                kept.append(point)
        return tuple(kept)

    def between(self, since: date | None = None, until: date | None = None) -> Timeline:
        """The same timeline cut to the versions from ``since`` to ``until``, both days included."""
        points = tuple(
            p for p in self.points if (since is None or p.day >= since) and (until is None or p.day <= until)
        )
        return Timeline(self.file, points, self.shallow, self.known)

    def at(self, day: date) -> Point | None:
        """The version in force at the end of ``day``: the newest one on or before it."""
        found = None
        for point in self.points:
            if point.day > day:
                break
            found = point
        return found


@dataclass(frozen=True)
class Version:
    """One version of a plan as ``kamdocs show --at`` shows it: the plan then (None if it did not load or
    check), the findings it had judged on its day, and its point on the timeline."""

    point: Point
    plan: Plan | None
    findings: tuple[Finding, ...]
    raw: bytes


@dataclass(frozen=True)
class Judge:
    """How the versions are judged: the configuration and schema in force, and whether for the site.

    ``public`` judges each version's public view (:func:`public_plan`), as the site shows the plan today;
    ``html_of`` renders a body as the site will, so that the sections hidden are the ones it makes.
    """

    config: Config
    validator: PlanValidator
    public: bool = False
    html_of: HtmlOf | None = field(default=None, compare=False)

    def check(
        self, raw: bytes, rel: str, day: date, fold: DeliveryFold
    ) -> tuple[Figures, Plan | None, tuple[Finding, ...]]:
        """Check ``raw`` as ``rel`` as ``kamdocs check`` did on ``day``, add its delivery facts to ``fold``,
        and give its figures, the plan (None if it has errors) and the findings."""
        loaded = parse_bytes(raw, rel)
        findings, plan = check_loaded(loaded, CheckRun(self.config, self.validator, freshness=True, today=day))
        if plan is None:
            data = loaded.source.data if loaded.source is not None else None
            fold.add(facts_of_data(data, day) or Facts(day, {}, None))
            if self.hides and isinstance(data, dict) and data.get("confidential") not in (None, False):
                return Figures("confidential"), None, findings  # broken, but still marked: no date of it shows
            return Figures("invalid", errors=max(1, sum(1 for f in findings if f.is_error))), None, findings
        fold.add(facts_of_plan(plan, day))
        return self.figures(plan, day, fold), plan, findings

    @property
    def hides(self) -> bool:
        """Whether confidential versions are left out: judged for the site, which is not the restricted one."""
        return self.public and not self.config.publish_confidential

    def figures(self, plan: Plan, day: date, fold: DeliveryFold) -> Figures:
        """A valid version's figures on ``day``, from its public view when judging for the site."""
        config = self.config
        if self.hides:
            shown = public_plan(plan, config.confidential_sections, self.html_of)
            if shown is None:
                return Figures("confidential")
            plan = shown
        fresh = assess(plan, day, config.default_interval, config.due_soon_days)
        quality = quality_of(plan, day, config, fold.delivery(), fresh)
        interval = interval_of(plan, config.default_interval)[1]
        goal = plan.goal
        return Figures(
            "valid",
            goal_actual=goal.actual,
            goal_target=goal.target,
            goal_unit=goal.unit,
            period_start=goal.period.start,
            period_end=goal.period.end,
            quality_score=quality.score,
            quality_band=quality.band,
            freshness=fresh.state,
            last_reviewed=plan.review.last_reviewed,
            open_commitments=fresh.open_commitments,
            overdue_commitments=fresh.overdue_commitments,
            done_commitments=sum(1 for c in plan.commitments if c.status == "done"),
            stale_contacts=sum(1 for c in plan.buying_center if contact_stale(c, interval, day)),
            kpis=tuple((k.id, k.actual, k.unit) for k in plan.kpis),
        )


Entry = tuple[Revision, str, str]
"""(commit, blob id, the file's path then) of one version."""


def timelines(
    files: Sequence[str],
    history: GitHistory,
    judge: Judge,
    current: Mapping[str, Plan | None] | None = None,
    today: date | None = None,
    cache: HistoryCache | None = None,
    checked: Mapping[str, Plan] | None = None,
) -> dict[str, Timeline]:
    """Each of ``files``' timeline, from one ``git cat-file --batch`` streamed for all of them.

    ``checked`` holds plans today's check made, in full (not their public view): the newest commit of a
    file with no uncommitted change is that same text, so it is judged from that plan, not read from git
    and checked again (at one commit a plan, as in a repository that has just adopted kamdocs, that is
    nearly all the work).

    ``current`` holds each file's plan as checked today (None for an invalid one): a file with changes
    no commit holds yet gets the working tree's version last, judged on ``today``. Without git every
    timeline is empty and not :attr:`Timeline.known`. Only one version's text is held at a time.

    With ``cache``, the versions it holds (each plan's oldest ones, up to the first it does not) are not
    read from git at all: on a warm cache git reads nothing but the log (at 1,000 plans of 20 commits, 12 %
    less CPU; the same wall time while the second core, where git ran, is idle).
    """
    if not history.available:
        return {file: Timeline(file, known=False) for file in files}
    entries = {file: _entries(history, file) for file in files}
    cached = {file: _cached(entries[file], judge, cache) if cache is not None else 0 for file in files}
    newest = {file: _newest_checked(file, history, entries[file], checked) for file in files}
    wanted = [
        blob
        for file in files
        for _, blob, _ in entries[file][cached[file] : len(entries[file]) - (newest[file] is not None)]
        if blob != DELETED
    ]
    stream = stream_blobs(wanted, judge.config.plans_path)
    out: dict[str, Timeline] = {}
    try:
        for file in files:
            fold = DeliveryFold()
            points = _points(entries[file], stream, judge, fold, cache, cached[file], newest[file])
            facts = history.of(file)
            if current is not None and today is not None and file in current and (facts is None or facts.uncommitted):
                points.append(_working_tree(file, current[file], today, judge, fold))
            if judge.hides:
                points = _public_points(points)
            out[file] = Timeline(file, tuple(points), history.shallow)
    finally:
        stream.close()
    if cache is not None:
        cache.save()
    return out


def _public_points(points: Sequence[Point]) -> list[Point]:
    """The points the public view may show: no confidential version, and no version that tells nothing
    (invalid, or the file deleted) next to a confidential one, since it was most likely the confidential
    plan's (its date and subject would tell when that plan was worked on).

    Every valid version says whether the plan was confidential, and so does a broken one whose front matter
    still reads (:meth:`Judge.check`); the rest take the side of the nearest such version before or after,
    the confidential side when the two differ."""
    told = [i for i, p in enumerate(points) if p.figures.kind in ("valid", "confidential")]
    kept = []
    for i, point in enumerate(points):
        kind = point.figures.kind
        if kind == "valid":
            kept.append(point)
            continue
        if kind == "confidential":
            continue
        before = next((j for j in reversed(told) if j < i), None)
        after = next((j for j in told if j > i), None)
        if all(j is None or points[j].figures.kind != "confidential" for j in (before, after)):
            kept.append(point)
    return kept


def _cached(entries: Sequence[Entry], judge: Judge, cache: HistoryCache) -> int:
    """How many of a plan's versions, oldest first, the cache holds one after the other: those are judged from
    it (:func:`_point` looks each up again, in the same order, with the same delivery before it), so their
    text is not asked of git."""
    fold = DeliveryFold()
    for i, (revision, blob, path) in enumerate(entries):
        if blob == DELETED:
            continue
        hit = cache.peek(cache.key(blob, path, revision.date.date(), fold.digest(), judge.public))
        if hit is None:
            return i
        fold.add(hit[1])
    return len(entries)


def _next_version(stream: Iterator[tuple[str, bytes | None]], blob: str) -> bytes | None:
    """The text of ``blob`` from the stream, which gives the blobs in the order they were asked for."""
    if blob == DELETED:
        return None
    name, raw = next(stream, (blob, None))
    return raw if name == blob else None


def _entries(history: GitHistory, file: str) -> list[Entry]:
    """``file``'s versions, oldest first."""
    facts = history.of(file)
    if facts is None:
        return []
    paths = facts.paths or (file,) * len(facts.revisions)
    return list(zip(facts.revisions, facts.blobs, paths, strict=True))[::-1]


class _Memo:
    """The check of a version whose text comes again, under the same name, on the same day (a change undone
    within the day, a plan copied back): the check's findings depend on the text, the name and the day only,
    so it is checked once and only its figures, which depend on the delivery before it too, are worked out
    again. Only such versions are kept, and only while their plan's versions are read."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        seen: set[tuple[str, str, date]] = set()
        self.again: set[tuple[str, str, date]] = set()
        for revision, blob, path in entries:
            key = (blob, path, revision.date.date())
            (self.again if key in seen else seen).add(key)
        self.checked: dict[tuple[str, str, date], tuple[Figures, Plan | None, Facts]] = {}

    def judge(self, raw: bytes, blob: str, path: str, day: date, judge: Judge, fold: DeliveryFold) -> Figures:
        """``raw``'s figures as :meth:`Judge.check` gives them, checked once per text, name and day."""
        key = (blob, path, day)
        known = self.checked.get(key)
        if known is None:
            figures, plan, _ = judge.check(raw, path, day, fold)
            if key in self.again and fold.last is not None:
                self.checked[key] = (figures, plan, fold.last)
            return figures
        figures, plan, facts = known
        fold.add(facts)
        return judge.figures(plan, day, fold) if plan is not None else figures


def _point(
    entry: Entry,
    raw: bytes | None,
    judge: Judge,
    fold: DeliveryFold,
    cache: HistoryCache | None,
    memo: _Memo | None = None,
) -> Point:
    """One version's point, judged with the delivery ``fold`` knew before it, from the cache when the same
    blob was judged under the same name, on the same day, after the same delivery, by the same kamdocs
    and configuration (``raw``, its text, is then not needed: None for a version :func:`_cached` found)."""
    revision, blob, path = entry
    day = revision.date.date()
    if blob == DELETED:
        return Point(revision.sha, day, revision.author, revision.subject, path, Figures("deleted"))
    key = cache.key(blob, path, day, fold.digest(), judge.public) if cache is not None else ""
    hit = cache.get(key) if cache is not None else None
    if hit is not None:
        figures, facts = hit
        fold.add(facts)
    elif raw is None:
        figures = Figures("invalid", errors=1)  # git could not give it
    else:
        figures = (
            memo.judge(raw, blob, path, day, judge, fold) if memo is not None else judge.check(raw, path, day, fold)[0]
        )
        if cache is not None:
            cache.put(key, figures, fold.last)
    return Point(revision.sha, day, revision.author, revision.subject, path, figures)


def _points(
    entries: Sequence[Entry],
    stream: Iterator[tuple[str, bytes | None]],
    judge: Judge,
    fold: DeliveryFold,
    cache: HistoryCache | None,
    cached: int,
    newest: Plan | None,
) -> list[Point]:
    """One file's committed versions judged, oldest first: the first ``cached`` from the cache, the newest
    from today's plan ``newest`` when there is one, the rest from their text as ``stream`` gives it."""
    memo = _Memo(entries)
    last = len(entries) - 1
    return [
        _point_of_plan(entry, newest, judge, fold, cache)
        if i == last and newest is not None
        else _point(entry, None if i < cached else _next_version(stream, entry[1]), judge, fold, cache, memo)
        for i, entry in enumerate(entries)
    ]


def _newest_checked(
    file: str, history: GitHistory, entries: Sequence[Entry], checked: Mapping[str, Plan] | None
) -> Plan | None:
    """Today's checked plan of ``file`` when its text is the newest commit's: the file is clean, and that
    commit did not delete it."""
    facts = history.of(file)
    if checked is None or facts is None or facts.uncommitted or not entries or entries[-1][1] == DELETED:
        return None
    plan = checked.get(file)
    return plan if plan is not None and plan.file == entries[-1][2] else None


def _point_of_plan(
    entry: Entry, plan: Plan, judge: Judge, fold: DeliveryFold, cache: HistoryCache | None = None
) -> Point:
    """The newest commit's point from the plan today's check made of the same text, judged on its day (and
    kept in ``cache`` like any other version's, for a build whose file has changed by then)."""
    revision, blob, path = entry
    day = revision.date.date()
    key = cache.key(blob, path, day, fold.digest(), judge.public) if cache is not None else ""
    fold.add(facts_of_plan(plan, day))
    figures = judge.figures(plan, day, fold)
    if cache is not None:
        cache.put(key, figures, fold.last)
    return Point(revision.sha, day, revision.author, revision.subject, path, figures)


def _working_tree(file: str, plan: Plan | None, today: date, judge: Judge, fold: DeliveryFold) -> Point:
    """The uncommitted file's point, judged on ``today`` with the delivery of every commit before it."""
    if plan is None:
        figures = Figures("invalid", errors=1)
    else:
        fold.add(facts_of_plan(plan, today))
        figures = judge.figures(plan, today, fold)
    return Point(None, today, "", "not committed yet", file, figures)


def version_at(
    file: str, history: GitHistory, judge: Judge, day: date | None = None, sha: str | None = None
) -> Version | None:
    """The version of ``file`` in force at the end of ``day``, or that of commit ``sha`` (a full id), with
    the findings it had, judged on its own day; None when git has no such version of the file (or the
    file was deleted then)."""
    entries = _entries(history, file)
    if day is not None:
        entries = [e for e in entries if e[0].date.date() <= day]
    elif sha is not None:
        ids = [e[0].sha for e in entries]
        if sha not in ids:
            return None
        entries = entries[: ids.index(sha) + 1]
    if not entries or entries[-1][1] == DELETED:
        return None
    fold = DeliveryFold()
    stream = stream_blobs([b for _, b, _ in entries if b != DELETED], judge.config.plans_path)
    try:
        for i, (revision, blob, path) in enumerate(entries):
            raw = _next_version(stream, blob)
            day_then = revision.date.date()
            if raw is None:
                continue
            if i < len(entries) - 1:  # earlier versions: only their delivery facts
                loaded = parse_bytes(raw, path)
                fold.add(
                    facts_of_data(loaded.source.data if loaded.source else None, day_then) or Facts(day_then, {}, None)
                )
                continue
            figures, plan, findings = judge.check(raw, path, day_then, fold)
            point = Point(revision.sha, day_then, revision.author, revision.subject, path, figures)
            return Version(point, plan, findings, raw)
    finally:
        stream.close()
    return None
