"""The stakeholder index page: summary cards, then one grid of every person across the plans.

:func:`row_data` holds a row's plain values per column (and its sort keys), apart
from the markup; :func:`grid_row` shapes them for :mod:`kamdocs.site.grid`, which
writes the first rows as HTML and all of them as data for the filter and sort.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from kamdocs import i18n
from kamdocs.i18n import N_, _, ngettext
from kamdocs.report.stakeholders import ATTITUDES, NO_ATTITUDE, Person, StakeholderSummary
from kamdocs.site.grid import Column, grid
from kamdocs.site.html import esc
from kamdocs.site.words import word

Link = Callable[[str], str]

ATTITUDE_RANK = {name: i for i, name in enumerate(ATTITUDES)}
INFLUENCE_RANK = {"high": 0, "medium": 1, "low": 2}
OWNER_CARDS = 12
"""Owners with a card of their own; the rest share one, so a thousand plans keep a short summary."""


def attitude_card(name: str, n: int) -> str:
    """A card's words for the people of one attitude (``{count}``, filled in by the caller)."""
    if name == "supporter":
        return ngettext("{count} supporter", "{count} supporters", n)
    if name == "neutral":
        # TRANSLATORS: a card counting the people whose attitude is neutral.
        return ngettext("{count} neutral", "{count} neutral", n)
    if name == "skeptic":
        return ngettext("{count} skeptic", "{count} skeptics", n)
    if name == "opponent":
        return ngettext("{count} opponent", "{count} opponents", n)
    if name == NO_ATTITUDE:
        return ngettext("{count} without an attitude", "{count} without an attitude", n)
    return "{count} " + name.replace("{", "{{").replace("}", "}}")  # i18n: machine (an attitude the format lacks)


def row_data(person: Person) -> dict[str, Any]:
    """One person's row as plain values: text per column (a list, one per plan, for the per-plan columns),
    the plan ids and stale flags that go with them, and a sort key per column."""
    apps = person.appearances
    contacts = [a.contact for a in apps]
    values: dict[str, Any] = {
        "name": person.name,
        "email": person.email or "",
        "title": person.title or "",
        "organisation": [a.account for a in apps],
        "role": [word(c.role) for c in contacts],
        "attitude": [word(text) if text else "" for text in _texts(c.attitude for c in contacts)],
        "attitude_key": _texts(c.attitude for c in contacts),
        "influence": [word(text) for text in _texts(c.influence for c in contacts)],
        "our_contact": _texts(c.relationship_owner for c in contacts),
        "last_contact": _texts(i18n.day(c.last_contact) if c.last_contact else None for c in contacts),
        "plan": [a.plan_id for a in apps],
        "stale": [a.stale for a in apps],
        "finding": _texts(a.stale_message for a in apps),
    }
    values["sort"] = _sort_keys(person, values)
    return values


def _sort_keys(person: Person, values: Mapping[str, Any]) -> dict[str, Any]:
    """A sort key per column: a person in several plans sorts by their first plan's text, or their best rank."""
    contacts = [a.contact for a in person.appearances]
    return {
        "name": person.name.casefold(),
        "title": values["title"].casefold(),
        "organisation": person.appearances[0].account.casefold(),
        "role": person.appearances[0].contact.role,
        "attitude": _best_rank((c.attitude for c in contacts), ATTITUDE_RANK, len(ATTITUDES)),
        "influence": _best_rank((c.influence for c in contacts), INFLUENCE_RANK, len(INFLUENCE_RANK)),
        "our_contact": values["our_contact"][0].casefold(),
        # The least recent contact: sorted ascending, the most neglected relationships come first.
        "last_contact": min((c.last_contact.isoformat() for c in contacts if c.last_contact), default=""),
    }


def _texts(values: Iterable[str | None]) -> list[str]:
    """Each value, or "" where none is given (the grid shows – there)."""
    return [value or "" for value in values]


def _best_rank(values: Iterable[str | None], ranks: Mapping[str, int], unranked: int) -> int:
    """The best (lowest) rank among ``values``; a value that is missing or not in ``ranks`` ranks ``unranked``."""
    return min(ranks.get(value or "", unranked) for value in values)


GRID_COLUMNS = (
    Column("name", N_("Name"), "many", phone=True),
    Column("title", N_("Title")),
    Column(
        "organisation", N_("Organisation"), "many", facet="account", facet_title=N_("Account"), typed=True, phone=True
    ),
    Column("role", N_("Role"), "many", facet="role"),
    Column("attitude", N_("Attitude"), "many", facet="attitude"),
    Column("influence", N_("Influence"), "many", facet="influence"),
    Column("our_contact", N_("Our contact"), "many", facet="contact"),
    Column("last_contact", N_("Last contact"), "many", phone=True, search=False),
    Column("stale", N_("Stale"), hidden=True, facet="stale", facet_title=N_("Stale or current")),
)
"""The stakeholder grid (:mod:`kamdocs.site.grid`): a cell per plan the person is in, stale ones flagged."""


def grid_row(data: Mapping[str, Any], plan_pages: Mapping[str, str], link: Link) -> list[Any]:
    """One person's values for :data:`GRID_COLUMNS`; every account links to its plan's page."""
    count = len(data["plan"])

    def items(key: str, css: Any = None, href: Any = None, flag: Any = None) -> list[list[Any]]:
        return [
            [data[key][i] or "–", href(i) if href else None, css(i) if css else None,
             _("stale") if flag and data["stale"][i] else None, data["finding"][i] or None if flag else None]
            for i in range(count)
        ]  # fmt: skip

    def page(i: int) -> str | None:
        target = plan_pages.get(data["plan"][i])
        return link(target) if target else None

    name = [[data["name"], None, None, None, None]]
    if data["email"]:
        name.append([data["email"], None, "kd-email", None, None])
    sort = data["sort"]
    return [
        [sort["name"], name],
        data["title"] or "–",
        [sort["organisation"], items("organisation", href=page)],
        [sort["role"], items("role")],
        [sort["attitude"], items("attitude", css=lambda i: f"kd-attitude kd-{data['attitude_key'][i] or 'unknown'}")],
        [sort["influence"], items("influence")],
        [sort["our_contact"], items("our_contact")],
        [sort["last_contact"], items("last_contact", flag=True)],
        _("stale") if any(data["stale"]) else _("current"),
    ]


def stakeholder_table(
    people: Sequence[Person], plan_pages: Mapping[str, str], link: Link, first: int, downloads: str = ""
) -> str:
    """Every person, filterable and sortable like the dashboard, the first ``first`` rows as HTML;
    ``downloads`` says where every row is without script (:func:`kamdocs.site.grid.grid`)."""
    if not people:
        return "<p>" + _("No buying-centre contacts in the plans.") + "</p>"
    rows = [grid_row(row_data(p), plan_pages, link) for p in people]
    return grid(
        _("Stakeholders"), GRID_COLUMNS, rows, first=first, noun="people", css="kd-stakeholders", downloads=downloads
    )


def summary_cards(summary: StakeholderSummary, today: date) -> str:
    """People per attitude, then stale contacts per owner; counts in words as well as colour."""
    accounts = ngettext("{count} account", "{count} accounts", summary.accounts)
    people = ngettext("{count} person in {accounts}", "{count} people in {accounts}", summary.people).format(
        count=_count(summary.people), accounts=accounts.format(count=i18n.number(summary.accounts))
    )
    people = f'<div class="kd-card kd-card-people">{people}</div>'
    attitudes = "".join(
        f'<div class="kd-card kd-card-attitude kd-card-{esc(name.replace(" ", "-"))}">'
        + attitude_card(name, count).format(count=_count(count))
        + "</div>"
        for name, count in summary.attitudes
        if count or name != NO_ATTITUDE
    )
    owners = summary.stale_by_owner
    shown, rest = owners[:OWNER_CARDS], owners[OWNER_CARDS:]
    stale = "".join(
        '<div class="kd-card kd-card-stale">'
        + ngettext("{count} stale · {owner}", "{count} stale · {owner}", count).format(
            count=_count(count), owner=esc(owner)
        )
        + "</div>"
        for owner, count in shown
    )
    if rest:
        more = ngettext("{count} stale · {owners} more owner", "{count} stale · {owners} more owners", len(rest))
        stale += (
            '<div class="kd-card kd-card-stale">'
            + more.format(count=_count(sum(n for _o, n in rest)), owners=i18n.number(len(rest)))
            + "</div>"
        )
    stale_part = (
        f'<div class="kd-cards kd-stale-owners">{stale}</div>'
        if stale
        else '<p class="kd-stale-owners">' + _("No stale contacts.") + "</p>"
    )
    # TRANSLATORS: {title} is "Stale contacts per owner" in bold; {day} the build's date.
    line = _("{title} (our contact, else the plan's owner): {count} in all, as of {day}.").format(
        title="<strong>" + _("Stale contacts per owner") + "</strong>",
        count=i18n.number(summary.stale),
        day=esc(i18n.day(today)),
    )
    return (
        f'<div class="kd-cards kd-attitudes">{people}{attitudes}</div><p class="kd-cards-title">{line}</p>{stale_part}'
    )


def _count(n: int) -> str:
    """A card's figure."""
    return f'<span class="kd-count">{i18n.number(n)}</span>'


def explanation() -> str:
    """The words above the stakeholder grid, in the reader's language."""
    sentences = [
        _(
            "Every person in the buying centres of the plans, once, with each account they appear in and that "
            "plan's role, attitude, influence, our contact and last contact."
        ),
        _(
            "A person is the same across plans when the plans give the same e-mail (any letter case), otherwise "
            "the same name in the same account."
        ),
        # TRANSLATORS: {stale} is the word "stale" in bold; {check} the command kamdocs check.
        _(
            "A contact is {stale} when nobody has spoken with them for more than two review intervals of the "
            "plan, as {check} reports it."
        ).format(
            stale="<strong>" + _("stale") + "</strong>",
            check="<code>kamdocs check</code>",  # i18n: machine
        ),
        _("Archived plans are left out."),
        _("{command} prints the same.").format(command="<code>kamdocs stakeholders</code>"),  # i18n: machine
    ]
    return f"<p>{' '.join(sentences)}</p>"


def __getattr__(name: str) -> str:
    """``EXPLANATION``, read when a page is made: :func:`explanation` in the language being spoken."""
    if name == "EXPLANATION":
        return explanation()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
