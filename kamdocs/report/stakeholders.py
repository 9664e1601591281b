"""The stakeholder index: every buying-centre person across all plans, once.

Each plan keeps its own buying centre, so the same person can sit in several
plans: the group's purchasing head in two subsidiaries' plans, or one account
with a plan per business area. This module joins those entries into people:

- an entry with an ``email`` is the person with that address (any letter case);
- an entry without one is matched by name and account (whitespace runs and
  letter case ignored), since two people of the same name in two companies are
  two people; it joins the one person with an e-mail of that name in that
  account, when there is exactly one, so an address written in one plan only
  does not split a person in two.

Per plan the person keeps that plan's role, attitude, influence, our contact,
last contact and stale flag. A contact is stale by the ``contact-stale`` rule
of :mod:`kamdocs.rules.freshness` (no contact for more than two review intervals),
in active and draft plans. Archived plans are left out: their relationships
are history, and ``kamdocs check`` judges nothing in them.

A pure function of the plans and today.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs.plan.model import Contact, Plan
from kamdocs.rules.freshness import contact_stale, contact_stale_message, interval_of

ATTITUDES = ("supporter", "neutral", "skeptic", "opponent")
NO_ATTITUDE = "not given"


@dataclass(frozen=True)
class Appearance:
    """One buying-centre entry of one plan: the person as that plan sees them."""

    plan_id: str
    plan_file: str
    account: str
    plan_owner: str
    contact: Contact
    stale: bool
    stale_message: str | None
    """The ``contact-stale`` finding's wording when ``stale``, so the page says what ``kamdocs check`` says."""

    @property
    def owner(self) -> str:
        """Who should get in touch: the relationship owner, else the plan's owner (the key account manager)."""
        return self.contact.relationship_owner or self.plan_owner


@dataclass(frozen=True)
class Person:
    """One buying-centre person across the plans, found once by e-mail or by name and account."""

    name: str
    email: str | None
    appearances: tuple[Appearance, ...]
    """Sorted by account, then plan id; never empty."""

    @property
    def title(self) -> str | None:
        return next((a.contact.title for a in self.appearances if a.contact.title), None)

    @property
    def accounts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.account for a in self.appearances))

    @property
    def stale(self) -> bool:
        return any(a.stale for a in self.appearances)

    @property
    def last_contact(self) -> date | None:
        """The most recent contact in any plan: when anyone of us last spoke with the person."""
        return max((a.contact.last_contact for a in self.appearances if a.contact.last_contact), default=None)


@dataclass(frozen=True)
class StakeholderSummary:
    """The stakeholder index's counts: people, accounts, attitudes and stale contacts."""

    people: int
    accounts: int
    attitudes: tuple[tuple[str, int], ...]
    """People per attitude (:data:`ATTITUDES`, then :data:`NO_ATTITUDE`). A person whose plans give
    different attitudes counts under each, one with the same attitude in several plans once, and one whose
    plans give none under "not given"."""
    stale_by_owner: tuple[tuple[str, int], ...]
    """Stale people per owner (see :attr:`Appearance.owner`), most first; a person stale in two plans of
    the same owner counts once."""

    @property
    def stale(self) -> int:
        return sum(n for _, n in self.stale_by_owner)


def folded(text: str) -> str:
    """Text as matching compares it: one form of each accent, whitespace runs as one space, any case."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def appearances(plans: Iterable[Plan], today: date, default_interval: str) -> list[Appearance]:
    """Every buying-centre entry of the plans that are not archived, with its stale flag."""
    out = []
    for plan in plans:
        if plan.status == "archived":
            continue
        text, interval = interval_of(plan, default_interval)
        for contact in plan.buying_center:
            stale = contact_stale(contact, interval, today)
            message = contact_stale_message(contact, text) if stale else None
            out.append(Appearance(plan.id, plan.file, plan.account, plan.owner, contact, stale, message))
    return out


def stakeholders(plans: Iterable[Plan], today: date, default_interval: str) -> list[Person]:
    """One :class:`Person` per person across the plans, sorted by name."""
    entries = sorted(
        appearances(plans, today, default_interval), key=lambda a: (folded(a.account), a.account, a.plan_id)
    )
    by_email: dict[str, list[Appearance]] = {}
    for a in entries:
        if a.contact.email:
            by_email.setdefault(folded(a.contact.email), []).append(a)
    # The people with an e-mail, per (name, account) of any of their entries: where a name-only entry may join.
    named: dict[tuple[str, str], set[str]] = {}
    for email, group in by_email.items():
        for a in group:
            named.setdefault((folded(a.contact.name), folded(a.account)), set()).add(email)
    by_name: dict[tuple[str, str], list[Appearance]] = {}
    for a in entries:
        if a.contact.email:
            continue
        key = (folded(a.contact.name), folded(a.account))
        emails = named.get(key, set())
        if len(emails) == 1:
            by_email[next(iter(emails))].append(a)
        else:
            by_name.setdefault(key, []).append(a)
    people = [_person(group) for group in (*by_email.values(), *by_name.values())]
    return sorted(people, key=lambda p: (folded(p.name), p.name, folded(p.email or ""), p.accounts))


def _person(group: Sequence[Appearance]) -> Person:
    ordered = sorted(group, key=lambda a: (folded(a.account), a.account, a.plan_id))
    email = next((a.contact.email for a in ordered if a.contact.email), None)
    named = next((a for a in ordered if a.contact.email), ordered[0])
    return Person(" ".join(named.contact.name.split()), email, tuple(ordered))


def summarise(people: Sequence[Person]) -> StakeholderSummary:
    """Count the stakeholder index for its cards and its summary line."""
    attitudes = dict.fromkeys((*ATTITUDES, NO_ATTITUDE), 0)
    stale: dict[str, set[int]] = {}
    for i, person in enumerate(people):
        for attitude in {a.contact.attitude for a in person.appearances if a.contact.attitude} or {NO_ATTITUDE}:
            attitudes[attitude] = attitudes.get(attitude, 0) + 1
        for a in person.appearances:
            if a.stale:
                stale.setdefault(a.owner, set()).add(i)
    owners = sorted(((o, len(ids)) for o, ids in stale.items()), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
    accounts = {folded(account) for p in people for account in p.accounts}
    return StakeholderSummary(len(people), len(accounts), tuple(attitudes.items()), tuple(owners))
