"""Delivery from git history: when each commitment became done, and when each review was recorded.

A plan says a commitment is ``done``; only git says *when* it became done.
The quality score and the scorecard judge delivery on time from the commit
that changed the status, never from a date the plan reports about itself.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import IO

from kamdocs.history.log import GitHistory, Revision, batch_contents, git_command, run_git
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
class _State:
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
            out[plan.file] = _delivery([_current(plan, entries[0][0].date.date())])
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
) -> tuple[dict[str, dict[int, _State]], set[str]]:
    """Per file, the states known without parsing (a clean file's newest version is the plan itself),
    and the blobs to parse: those whose fact lines differ from the next newer version's."""
    known: dict[str, dict[int, _State]] = {}
    to_parse: set[str] = set()
    for file, entries in needed.items():
        facts = history.of(file)
        states: dict[int, _State] = {}
        if facts is not None and not facts.uncommitted:  # a clean file is its newest version: parsed already
            states[0] = _current(by_file[file], entries[0][0].date.date())
        known[file] = states
        for i, (_, blob) in enumerate(entries):
            if i not in states and blob in lines and (i == 0 or lines.get(entries[i - 1][1]) != lines[blob]):
                to_parse.add(blob)
    return known, to_parse


def _current(plan: Plan, day: date) -> _State:
    last = plan.review.last_reviewed
    return _State(day, {c.id: c.status for c in plan.commitments}, last.isoformat() if last else None)


def _states(
    file: str,
    entries: list[tuple[Revision, str]],
    lines: Mapping[str, tuple[bytes, ...]],
    contents: Mapping[str, bytes],
    known: Mapping[int, _State],
) -> list[_State]:
    """The plan's states from oldest to newest; unreadable versions are skipped.

    A version whose fact lines equal the next newer version's has that version's
    facts on its own day; ``known`` holds states already known by index.
    """
    states: list[_State] = []
    newer: _State | None = None
    for i, (revision, blob) in enumerate(entries):  # newest first
        day = revision.date.date()
        state: _State | None
        if i in known:
            state = known[i]
        elif blob in contents:
            state = _parse_state(contents[blob], file, day)
        elif newer is not None and blob in lines and lines.get(entries[i - 1][1]) == lines[blob]:
            state = _State(day, newer.statuses, newer.last_reviewed)
        else:
            state = None
        if state is not None:
            states.append(state)
            newer = state
    states.reverse()
    return states


def _fact_lines(blobs: set[str], cwd: Path) -> dict[str, tuple[bytes, ...]]:
    """Each blob's id, status and review lines (front matter only), streamed from one ``git cat-file --batch``."""
    if not blobs:
        return {}
    out: dict[str, tuple[bytes, ...]] = {}
    command, env = git_command(["cat-file", "--batch"])
    try:
        with subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        ) as process:
            assert process.stdin is not None and process.stdout is not None
            request = ("\n".join(sorted(blobs)) + "\n").encode()
            writer = threading.Thread(target=_feed, args=(process.stdin, request), daemon=True)
            writer.start()
            while True:
                header = process.stdout.readline().split(b" ")
                if len(header) < 2:
                    break
                if len(header) != 3:  # "<id> missing"
                    continue
                raw = process.stdout.read(int(header[2]) + 1)
                end = raw.find(b"\n---", 3)
                out[header[0].decode("ascii", "replace")] = tuple(
                    _FACT_LINES.findall(raw[: end + 1] if end > 0 else raw)
                )
            writer.join()
    except OSError:
        return {}
    return out


def _feed(stream: IO[bytes], data: bytes) -> None:
    """Write the request from a thread, so that git's answers never fill the pipe while we write."""
    try:
        stream.write(data)
        stream.close()
    except OSError:  # git ended early; its output says what it had
        pass


def _parse_state(raw: bytes, file: str, day: date) -> _State | None:
    loaded = parse_bytes(raw, file)
    data = loaded.source.data if loaded.source is not None else None
    if not isinstance(data, dict):
        return None
    statuses: dict[str, str] = {}
    items = data.get("commitments")
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("status"), str):
            statuses[item["id"]] = item["status"]
    review = data.get("review")
    last = review.get("last_reviewed") if isinstance(review, dict) else None
    return _State(day, statuses, last if isinstance(last, str) else None)


def _delivery(states: Sequence[_State]) -> Delivery:
    """Done days and reviews from a plan's states, oldest first."""
    done_since: dict[str, date | None] = {}
    unbroken = {c for c, status in states[0].statuses.items() if status == "done"} if states else set()
    reviews: list[tuple[date, date]] = []
    seen_review: str | None = None
    for state in states:
        for commitment in [c for c in done_since if c not in state.statuses]:
            done_since[commitment] = None
        for commitment, status in state.statuses.items():
            if status != "done":
                done_since[commitment] = None
                unbroken.discard(commitment)
            elif done_since.get(commitment) is None:
                done_since[commitment] = state.day
        unbroken &= state.statuses.keys()
        last = state.last_reviewed
        if last is not None and last != seen_review:
            seen_review = last
            with suppress(ValueError):  # an earlier revision may hold a date that is none
                reviews.append((date.fromisoformat(last), state.day))
    done = {c: day for c, day in done_since.items() if day is not None and c not in unbroken}
    return Delivery(
        MappingProxyType(done),
        tuple(reviews),
        known=True,
        done_before_history=frozenset(unbroken),
        since=states[0].day if states else None,
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
