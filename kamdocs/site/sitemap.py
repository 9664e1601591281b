"""Where every page and download of the plans section lives: the one place URLs are decided.

Every path is a source path under ``url_prefix`` (``plans/accounts/a.md``);
the engine turns it into a URL. Values that become folder names are slugged
here, short, unique and stable (:func:`page_slugs`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Sequence

from kamdocs.escaping import path_text
from kamdocs.i18n import N_, _
from kamdocs.plan.model import Plan
from kamdocs.report.rollup import StatusRow

FACET_TITLES = {
    "business_area": N_("Business area"),
    "owner": N_("Owner"),
    "reviewer": N_("Reviewer"),
    "region": N_("Region"),
    "tier": N_("Tier"),
    "tags": N_("Tag"),
    "kind": N_("Kind"),
}
"""Each facet's name in English (``_()`` where shown); the keys are plan fields and never change."""

BY_FACET = {
    "business_area": N_("By business area"),
    "owner": N_("By owner"),
    "reviewer": N_("By reviewer"),
    "region": N_("By region"),
    "tier": N_("By tier"),
    "tags": N_("By tag"),
    "kind": N_("By kind"),
}
"""A facet's navigation entry (and the scorecard's heading over it): one message each, since languages
do not build "By owner" from "Owner" alike (German keeps its nouns capitalised)."""

PLANS_BY_FACET = {
    "business_area": N_("Plans by business area"),
    "owner": N_("Plans by owner"),
    "reviewer": N_("Plans by reviewer"),
    "region": N_("Plans by region"),
    "tier": N_("Plans by tier"),
    "tags": N_("Plans by tag"),
    "kind": N_("Plans by kind"),
}
"""The title of a facet's index page."""

PLANS_OF_FACET = {
    "business_area": N_("Plans of business area {value}"),
    "owner": N_("Plans of owner {value}"),
    "reviewer": N_("Plans of reviewer {value}"),
    "region": N_("Plans of region {value}"),
    "tier": N_("Plans of tier {value}"),
    "tags": N_("Plans of tag {value}"),
    "kind": N_("Plans of kind {value}"),
}
"""The name of the plans table on one value's page, for screen readers; ``{value}`` is the plan's text."""


SLUG_LENGTH = 60
"""Longest readable part of a page name made from a value; file systems allow 255 bytes."""


def page_slugs(values: Iterable[str], reserved: Collection[str] = ("index",)) -> dict[str, str]:
    """A short, unique file name (without ``.md``) for each value that gets a page of its own.

    A value whose slug is plain, short and taken by no other value keeps it,
    so ordinary URLs stay readable and stable. Any other value (a slug cut to
    :data:`SLUG_LENGTH`, text with no Latin letters, or two values such as
    ``R&D`` and ``R D`` that slug alike) gets the slug plus eight hex digits of
    a hash of the full value: unique, and the same on every build.
    """
    values = sorted(set(values))
    plain = {value: re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") for value in values}
    counts: dict[str, int] = {}
    for slug in plain.values():
        counts[slug] = counts.get(slug, 0) + 1
    out: dict[str, str] = {}
    hashed = []
    for value in values:
        slug = plain[value]
        if slug and len(slug) <= SLUG_LENGTH and counts[slug] == 1 and slug not in reserved:
            out[value] = slug
        else:
            hashed.append(value)
    # A plan author can write a value whose plain slug is another value's hashed
    # name, or search for a short-hash collision; a name already used takes more
    # hex digits, so two values never share a page.
    used = {*out.values(), *reserved}
    for value in hashed:
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
        stem = plain[value][:SLUG_LENGTH].rstrip("-") or "value"
        size = 8
        while f"{stem}-{digest[:size]}" in used and size < len(digest):
            size += 1
        name = f"{stem}-{digest[:size]}"
        used.add(name)
        out[value] = name
    return out


def facet_values(plan: Plan, facet: str) -> list[str]:
    """The values a plan has for a facet (several for tags), each of which gets a page."""
    value = getattr(plan, facet) if facet != "reviewer" else plan.review.reviewer
    if isinstance(value, tuple):
        return list(value)
    return [value] if value else []


def section_title() -> str:
    """The navigation section of the roll-ups, in the reader's language (its folder, ``url_prefix``, is not)."""
    return _("Plans")


DOWNLOADS = ("plans.json", "plans.csv", "commitments.ics", "plans.xlsx")
"""The site's downloads, under ``url_prefix``."""
ROLL_UPS = (
    (N_("Dashboard"), "index.md"),
    (N_("Commitments"), "commitments.md"),
    (N_("Budget"), "budget.md"),
    (N_("Scorecard"), "scorecard.md"),
    (N_("Stakeholders"), "stakeholders.md"),
)
"""The section's own roll-up pages, in the order of its navigation (titles in English, file names fixed)."""


class SiteMap:
    """The source path of every page: the roll-ups, one page per plan, one per value of each facet."""

    def __init__(self, rows: Sequence[StatusRow], prefix: str, group_by: Sequence[str]) -> None:
        self.prefix = prefix
        self.group_by = tuple(group_by)
        self.plan_src = {r.plan.id: self.src(f"accounts/{r.plan.id}.md") for r in rows}
        """Plan id -> the source path of its page."""
        self.facet_src: dict[str, dict[str, str]] = {}
        """Facet -> value -> the source path of the value's page."""
        for facet in self.group_by:
            slugs = page_slugs(v for r in rows for v in facet_values(r.plan, facet))
            self.facet_src[facet] = {
                value: self.src(f"{self.facet_dir(facet)}/{slug}.md") for value, slug in slugs.items()
            }

    def src(self, name: str) -> str:
        """A path inside the section."""
        return f"{self.prefix}/{name}"

    @staticmethod
    def facet_dir(facet: str) -> str:
        """The folder of a facet's pages: ``by-business-area``."""
        return f"by-{facet.replace('_', '-')}"

    def facet_index(self, facet: str) -> str:
        """The page that lists a facet's values."""
        return self.src(f"{self.facet_dir(facet)}/index.md")

    def nav(self) -> tuple[tuple[str, str], ...]:
        """The section's navigation: (title, source path) of each roll-up and each facet's index, the titles
        in the reader's language and the paths the same in every language."""
        entries = [(_(title), self.src(name)) for title, name in ROLL_UPS]
        entries += [(_(BY_FACET[f]), self.facet_index(f)) for f in self.group_by]
        return tuple(entries)


def name_without_url(names: Iterable[str], folder: str) -> str | None:
    """Why the first of ``names`` (files in the docs folder ``folder``) can have no URL, or None.

    A name with bytes that are not UTF-8 (``docs/caf\\xe9.md``) has no URL: MkDocs stops with a
    traceback when it quotes one. The plugin and the render path refuse it first, in one line.
    """
    for name in names:
        shown = path_text(name)
        if shown != name:
            return (
                f"{folder}/{shown}: expected a file name in UTF-8, found bytes that are not (each shown as "
                "\\x and two hex digits); no page or URL can be made of it: rename it"  # i18n: machine
            )
    return None
