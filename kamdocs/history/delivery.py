"""Delivery from git history: when each commitment became done, and when each review was recorded.

A plan says a commitment is ``done``; only git says *when* it became done.
The quality score and the scorecard judge delivery on time from the commit
that changed the status, never from a date the plan reports about itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from kamdocs.history.log import GitHistory, Revision, batch_contents, run_git, stream_blobs
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.model import Commitment, Plan


@dataclass(frozen=True)
class Delivery:
    """What git history says about one plan's commitments and reviews."""

    done_on: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))
    """Commitment id -> the day of the commit in which its status became ``done`` (the start of its
    latest run of ``done``, so a commitment reopened and closed again counts from the second close)."""
    reviews: tuple[tuple[date, date], ...] = ()
    """(``review.last_reviewed`` value, day of the commit that recorded it), oldest first, one per new value."""
    known: bool = False
    """False when git was not read (no repository, ``git: false``): dates below fall back to the plan's own."""
    done_before_history: frozenset[str] = frozenset()
    """Commitments already done in the plan's first commit: done before git knew the plan, on a day
    nobody can tell, so they are never counted late (a repository adopting kamdocs starts clean)."""
    since: date | None = None
    """The day of the plan's oldest commit git has: what happened before it (reviews, above all) is not known."""
    shallow: bool = False
    """Read from a shallow clone: the history is cut off, so review records cannot be judged from it."""

    @property
    def tells_reviews(self) -> bool:
        """Whether git history can say which review deadlines were met (not without git or in a shallow clone)."""
        return self.known and not self.shallow


def done_day(delivery: Delivery | None, commitment: Commitment, today: date) -> date | None:
    """The day ``commitment`` became done, or None if it is not done.

    A commitment done in the working tree but in no commit yet is counted as done
    ``today``: it will be, once committed. Without git, or when it was done before
    the plan's first commit, the due date stands in: nothing is judged late
    without evidence.
    """
    if commitment.status != "done":
        return None
    if delivery is None or not delivery.known or commitment.id in delivery.done_before_history:
        return commitment.due
    return delivery.done_on.get(commitment.id, today)


_FACT_LINES = re.compile(rb"\n[ \t-]*(?:id|status|last_reviewed)[ \t]*:[^\n]*")
"""The lines the facts below come from; a revision whose such lines equal its successor's is not parsed.

Anchored on the line break before the line (the front matter's first line is ``---``), not on ``^``
with MULTILINE: the search then jumps from line break to line break, twice as fast on 20,000 versions."""


@dataclass(frozen=True)
class Facts:
    """One revision of a plan, reduced to what delivery needs."""

    day: date
    statuses: Mapping[str, str]
    last_reviewed: str | None


def read_deliveries(plans: Iterable[Plan], history: GitHistory, cwd: Path) -> dict[str, Delivery]:
    """Delivery per plan file, from the history already read and at most two ``git cat-file --batch``.

    The first pass streams every earlier version of the plans and keeps only
    their id, status and review lines; only the versions whose such lines
    differ from the next newer version's are then read again and parsed. So a
    history of actual-value updates costs one regular expression per version
    and little memory. Without git history every plan gets ``known=False``.
    """
    plans = list(plans)
    if not history.available:
        return {p.file: Delivery() for p in plans}
    out, needed = _without_older_versions(plans, history)
    lines = _fact_lines({b for entries in needed.values() for _, b in entries}, cwd)
    known, to_parse = _versions_to_parse(needed, history, {p.file: p for p in plans}, lines)
    contents = _cat_blobs(to_parse, cwd)
    for file, entries in needed.items():
        out[file] = _delivery(_states(file, entries, lines, contents, known[file]))
    if history.shallow:
        out = {file: replace(d, shallow=True) for file, d in out.items()}
    return out


def _without_older_versions(
    plans: list[Plan], history: GitHistory
) -> tuple[dict[str, Delivery], dict[str, list[tuple[Revision, str]]]]:
    """The delivery of each plan that its current text tells alone (one clean version, or none in
    git), and the versions of every other plan, newest first, to be read."""
    out: dict[str, Delivery] = {}
    needed: dict[str, list[tuple[Revision, str]]] = {}
    for plan in plans:
        facts = history.of(plan.file)
        entries = list(zip(facts.revisions, facts.blobs, strict=True)) if facts else []
        if len(entries) == 1 and facts is not None and not facts.uncommitted:
            out[plan.file] = _delivery([facts_of_plan(plan, entries[0][0].date.date())])
        elif entries:
            needed[plan.file] = entries
        else:  # in no commit yet: what is done was done before git knew the plan, on a day nobody can tell
            done = frozenset(c.id for c in plan.commitments if c.status == "done")
            out[plan.file] = Delivery(known=True, done_before_history=done)
    return out, needed


def _versions_to_parse(
    needed: Mapping[str, list[tuple[Revision, str]]],
    history: GitHistory,
    by_file: Mapping[str, Plan],
    lines: Mapping[str, tuple[bytes, ...]],
) -> tuple[dict[str, dict[int, Facts]], set[str]]:
    """Per file, the states known without parsing (a clean file's newest version is the plan itself),
    and the blobs to parse: those whose fact lines differ from the next newer version's."""
    known: dict[str, dict[int, Facts]] = {}
    to_parse: set[str] = set()
    for file, entries in needed.items():
        facts = history.of(file)
        states: dict[int, Facts] = {}
        if facts is not None and not facts.uncommitted:  # a clean file is its newest version: parsed already
            states[0] = facts_of_plan(by_file[file], entries[0][0].date.date())
        known[file] = states
        for i, (_, blob) in enumerate(entries):
            if i not in states and blob in lines and (i == 0 or lines.get(entries[i - 1][1]) != lines[blob]):
                to_parse.add(blob)
    return known, to_parse


def facts_of_plan(plan: Plan, day: date) -> Facts:
    """A parsed version's delivery facts."""
    last = plan.review.last_reviewed
    return Facts(day, {c.id: c.status for c in plan.commitments}, last.isoformat() if last else None)


def _states(
    file: str,
    entries: list[tuple[Revision, str]],
    lines: Mapping[str, tuple[bytes, ...]],
    contents: Mapping[str, bytes],
    known: Mapping[int, Facts],
) -> list[Facts]:
    """The plan's states from oldest to newest; unreadable versions are skipped.

    A version whose fact lines equal the next newer version's has that version's
    facts on its own day; ``known`` holds states already known by index.
    """
    states: list[Facts] = []
    newer: Facts | None = None
    for i, (revision, blob) in enumerate(entries):  # newest first
        day = revision.date.date()
        state: Facts | None
        if i in known:
            state = known[i]
        elif blob in contents:
            state = _parse_state(contents[blob], file, day)
        elif newer is not None and blob in lines and lines.get(entries[i - 1][1]) == lines[blob]:
            state = Facts(day, newer.statuses, newer.last_reviewed)
        else:
            state = None
        if state is not None:
            states.append(state)
            newer = state
    states.reverse()
    return states


def _fact_lines(blobs: set[str], cwd: Path) -> dict[str, tuple[bytes, ...]]:
    """Each blob's id, status and review lines (front matter only), streamed from one ``git cat-file --batch``."""
    out: dict[str, tuple[bytes, ...]] = {}
    for name, raw in stream_blobs(sorted(blobs), cwd):
        if raw is not None:
            end = raw.find(b"\n---", 3)
            out[name] = tuple(_FACT_LINES.findall(raw[: end + 1] if end > 0 else raw))
    return out


def _parse_state(raw: bytes, file: str, day: date) -> Facts | None:
    loaded = parse_bytes(raw, file)
    return facts_of_data(loaded.source.data, day) if loaded.source is not None else None


def facts_of_data(data: object, day: date) -> Facts | None:
    """A version's delivery facts from its front matter as parsed, valid or not (None if it is no mapping)."""
    if not isinstance(data, dict):
        return None
    statuses: dict[str, str] = {}
    items = data.get("commitments")
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("status"), str):
            statuses[item["id"]] = item["status"]
    review = data.get("review")
    last = review.get("last_reviewed") if isinstance(review, dict) else None
    if isinstance(last, date):
        last = last.isoformat()
    return Facts(day, statuses, last if isinstance(last, str) else None)


def _delivery(states: Sequence[Facts]) -> Delivery:
    """Done days and reviews from a plan's states, oldest first."""
    fold = DeliveryFold()
    for state in states:
        fold.add(state)
    return fold.delivery()


class DeliveryFold:
    """The delivery of a plan's versions read oldest first, one version at a time.

    :meth:`delivery` after each :meth:`add` is what git showed on that version's day, so the plan's
    history judges each earlier version with the delivery known then, in one pass over its versions.
    """

    def __init__(self) -> None:
        self._done_since: dict[str, date | None] = {}
        self._unbroken: set[str] | None = None  # done in every version since the first: done before history
        self._reviews: list[tuple[date, date]] = []
        self._seen_review: str | None = None
        self._since: date | None = None
        self._digest = hashlib.sha256()
        self.last: Facts | None = None
        """The facts added last."""

    def digest(self) -> str:
        """What was added so far, as a short key: equal digests, equal deliveries from here on."""
        return self._digest.hexdigest()[:32]

    def add(self, state: Facts) -> None:
        self.last = state
        self._digest.update(repr((state.day, sorted(state.statuses.items()), state.last_reviewed)).encode())
        if self._unbroken is None:
            self._unbroken = {c for c, status in state.statuses.items() if status == "done"}
            self._since = state.day
        done_since = self._done_since
        for commitment in [c for c in done_since if c not in state.statuses]:
            done_since[commitment] = None
        for commitment, status in state.statuses.items():
            if status != "done":
                done_since[commitment] = None
                self._unbroken.discard(commitment)
            elif done_since.get(commitment) is None:
                done_since[commitment] = state.day
        self._unbroken &= state.statuses.keys()
        last = state.last_reviewed
        if last is not None and last != self._seen_review:
            self._seen_review = last
            with suppress(ValueError):  # an earlier revision may hold a date that is none
                self._reviews.append((date.fromisoformat(last), state.day))

    def delivery(self) -> Delivery:
        unbroken = self._unbroken or set()
        done = {c: day for c, day in self._done_since.items() if day is not None and c not in unbroken}
        return Delivery(
            MappingProxyType(done),
            tuple(self._reviews),
            known=True,
            done_before_history=frozenset(unbroken),
            since=self._since,
        )


def _cat_blobs(blobs: set[str], cwd: Path) -> dict[str, bytes]:
    """The contents of ``blobs``, read by one ``git cat-file --batch``."""
    if not blobs:
        return {}
    order = sorted(blobs)
    try:
        result = run_git(["cat-file", "--batch"], cwd, ("\n".join(order) + "\n").encode())
    except OSError:
        return {}
    if result.returncode != 0:
        return {}
    return batch_contents(result.stdout)
