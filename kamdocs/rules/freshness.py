"""Freshness: is each plan, and each dated thing in it, still current?

Computed from plain inputs only (a plan, today, the review settings), with no
clock and no git of its own, so every boundary can be tested on any day.

Plan states:

- ``fresh``: the next review is more than ``due_soon_days`` away;
- ``due-soon``: the next review is within ``due_soon_days`` (the day itself included);
- ``overdue``: the next review has passed, by ``days_overdue`` days;
- ``never-reviewed``: no ``review.last_reviewed`` (only drafts may lack it);
- ``archived``: archived plans are never stale and get no findings.

Draft plans get a state but no findings: they are reported, never failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from kamdocs.calendar.intervals import Interval, parse_interval
from kamdocs.escaping import shell_word
from kamdocs.i18n import N_, _, day, ngettext, number, speech
from kamdocs.plan.model import Commitment, Contact, Plan

STATES = ("overdue", "due-soon", "never-reviewed", "fresh", "archived")
"""In order of urgency, most urgent first."""


@dataclass(frozen=True)
class Freshness:
    """The computed freshness of one plan on one day."""

    state: str
    interval: str
    next_review: date | None
    days_overdue: int
    """Days past the next review; 0 unless ``state`` is ``overdue``."""
    days_left: int | None
    """Days until the next review (0 on the day itself); None when overdue or unknown."""
    open_commitments: int
    overdue_commitments: int

    def urgency(self) -> tuple[int, int]:
        """Sort key: overdue first (most days first), then due soon (fewest days left)."""
        rank = STATES.index(self.state)
        if self.state == "overdue":
            return (rank, -self.days_overdue)
        return (rank, self.days_left if self.days_left is not None else 0)


@dataclass(frozen=True)
class Issue:
    """A freshness finding before it has a file position: rule, JSON path, message, hint.

    ``message`` is the check's (expected, found, with the item's id) for the plan's author; ``says`` is the same
    in a reader's words, for the site, where the row or heading it stands beside already names the item.
    """

    rule: str
    path: tuple[str | int, ...]
    message: str
    hint: str = ""
    says: str = ""
    days: int = 0
    """How late it is, in days: past the next review, the due date, the next measurement (a KPI), the
    period's end or the latest contact; for ``review-in-future``, how far ahead of today. The build log
    names the plans with the most."""


def interval_of(plan: Plan, default_interval: str) -> tuple[str, Interval]:
    """The review interval a plan uses (its own or the default), as text and parsed."""
    text = plan.review.interval or default_interval
    return text, parse_interval(text)


def assess(plan: Plan, today: date, default_interval: str, due_soon_days: int) -> Freshness:
    """A plan's freshness on a given day: state, next review and commitment counts."""
    text, interval = interval_of(plan, default_interval)
    open_items = [c for c in plan.commitments if c.is_open] if plan.status != "archived" else []
    overdue_items = [c for c in open_items if c.overdue_on(today)]
    last = plan.review.last_reviewed
    next_review = interval.after(last) if last else None
    days_overdue = 0
    days_left: int | None = None
    if plan.status == "archived":
        state = "archived"
    elif next_review is None:
        state = "never-reviewed"
    elif next_review < today:
        state = "overdue"
        days_overdue = (today - next_review).days
    else:
        days_left = (next_review - today).days
        state = "due-soon" if days_left <= due_soon_days else "fresh"
    return Freshness(state, text, next_review, days_overdue, days_left, len(open_items), len(overdue_items))


def issues(plan: Plan, today: date, default_interval: str, due_soon_days: int) -> list[Issue]:
    """Freshness findings for an active plan; none for drafts and archived plans."""
    if plan.status != "active":
        return []
    return list(_issues(plan, today, assess(plan, today, default_interval, due_soon_days), default_interval))


def _issues(plan: Plan, today: date, fresh: Freshness, default_interval: str) -> Iterator[Issue]:
    text, interval = interval_of(plan, default_interval)
    cadence = interval_words(text)
    last = plan.review.last_reviewed
    if fresh.state == "overdue":
        late = fresh.days_overdue
        dates = {
            "next_review": day(fresh.next_review),
            "interval": cadence,
            "last": day(last),
            "count": days_text(late),
        }
        yield Issue(
            "review-overdue",
            ("review", "last_reviewed"),
            ngettext(
                "expected a review by {next_review} ({interval} after {last}), found none: {count} day overdue",
                "expected a review by {next_review} ({interval} after {last}), found none: {count} days overdue",
                late,
            ).format(**dates),
            f"review the plan with {plan.review.reviewer}, then run: kamdocs review {shell_word(plan.file)}",  # i18n: machine
            ngettext(
                "The review was due on {next_review} ({interval} after {last}): {count} day overdue.",
                "The review was due on {next_review} ({interval} after {last}): {count} days overdue.",
                late,
            ).format(**dates),
            late,
        )
    if last is not None and last > today:
        yield Issue(
            "review-in-future",
            ("review", "last_reviewed"),
            _("expected a review date on or before today {today}, found {last}").format(
                today=day(today), last=day(last)
            ),
            "a review is recorded once it has happened",  # i18n: machine
            _("The last review is dated {last}, after today.").format(last=day(last)),
            (last - today).days,
        )
    for i, commitment in enumerate(plan.commitments):
        if commitment.overdue_on(today):
            yield _commitment_overdue(i, commitment, today)
    for i, kpi in enumerate(plan.kpis):
        if interval.after(kpi.as_of) < today:
            yield Issue(
                "kpi-stale",
                ("kpis", i, "as_of"),
                _("expected KPI '{id}' measured within the {interval} review interval, found it as of {as_of}").format(
                    id=kpi.id, interval=cadence, as_of=day(kpi.as_of)
                ),
                "update 'actual' and 'as_of'",  # i18n: machine
                _("Last measured on {as_of}, longer ago than the {interval} review interval.").format(
                    as_of=day(kpi.as_of), interval=cadence
                ),
                (today - interval.after(kpi.as_of)).days,
            )
    end = plan.goal.period.end
    if end < today:
        yield Issue(
            "goal-expired",
            ("goal", "period", "end"),
            _("expected a goal period that includes today {today}, found one that ended on {end}").format(
                today=day(today), end=day(end)
            ),
            "set a goal for the next period",  # i18n: machine
            _("The goal period ended on {end}: the plan needs a new goal.").format(end=day(end)),
            (today - end).days,
        )
    for i, contact in enumerate(plan.buying_center):
        due = contact_due(contact, interval)
        if due is not None and due < today:
            yield Issue(
                "contact-stale",
                ("buying_center", i, "last_contact"),
                contact_stale_message(contact, text),
                "get in touch and update 'last_contact'",  # i18n: machine
                _("Last contact on {last}, longer ago than two review intervals ({interval}).").format(
                    last=day(contact.last_contact), interval=cadence
                ),
                (today - due).days,
            )


def _commitment_overdue(index: int, commitment: Commitment, today: date) -> Issue:
    late = (today - commitment.due).days
    return Issue(
        "commitment-overdue",
        ("commitments", index, "due"),
        # TRANSLATORS: {status} is the value as the plan file writes it (open, in-progress): keep it as it is.
        ngettext(
            "expected commitment '{id}' done by {due}, found it still {status}: {count} day overdue",
            "expected commitment '{id}' done by {due}, found it still {status}: {count} days overdue",
            late,
        ).format(id=commitment.id, due=day(commitment.due), status=commitment.status, count=days_text(late)),
        f"ask {commitment.owner} to deliver it, or move the due date or drop it in a reviewed change",  # i18n: machine
        ngettext(
            "Due on {due}, still {status}: {count} day overdue.",
            "Due on {due}, still {status}: {count} days overdue.",
            late,
        ).format(due=day(commitment.due), status=status_words(commitment.status), count=days_text(late)),
        late,
    )


INTERVAL_WORDS: dict[str, str] = {
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "semiannual": N_("semiannual"),
    "annual": N_("annual"),
}
"""The named review intervals (:data:`kamdocs.calendar.intervals.NAMED`) as a reader says them; a duration
(``P6W``) stays as written."""

STATUS_WORDS: dict[str, str] = {
    "open": N_("open"),
    "in-progress": N_("in progress"),
    "done": N_("done"),
    "dropped": N_("dropped"),
}
"""A commitment's status as a reader says it."""


def days_text(days: int) -> str:
    """A count of days in a message: with the locale's grouping (``1’171`` in de-CH), and as plain digits in
    the default English speech, which writes what ``kamdocs check`` always wrote (``1171 days overdue``)."""
    return str(days) if speech().iso_dates else number(days)


def interval_words(text: str) -> str:
    """A review interval in the reader's words: ``quarterly`` (``vierteljährlich``), or a duration as written."""
    return _(INTERVAL_WORDS[text]) if text in INTERVAL_WORDS else text


def status_words(status: str) -> str:
    """A commitment's status in the reader's words: ``in progress`` (``in Arbeit``)."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status.replace("-", " ")


def contact_due(contact: Contact, interval: Interval) -> date | None:
    """The last day ``contact`` is fresh: two review intervals after the last contact; ``None`` without one.

    Two intervals, not one: a plan reviewed on time may still go a whole cycle
    without a meeting.
    """
    return None if contact.last_contact is None else interval.after(contact.last_contact, 2)


def contact_stale(contact: Contact, interval: Interval, today: date) -> bool:
    """Whether nobody has spoken with ``contact`` for more than two review intervals (:func:`contact_due`).

    One definition for the check and the stakeholder index.
    """
    due = contact_due(contact, interval)
    return due is not None and due < today


def contact_stale_message(contact: Contact, interval_text: str) -> str:
    """The ``contact-stale`` finding's wording, wherever a stale contact is shown."""
    return _("expected contact with {name} within two review intervals ({interval}), found the last on {last}").format(
        name=contact.name, interval=interval_words(interval_text), last=day(contact.last_contact)
    )
