"""Roll-up tables and the dashboard's cards in any docs page: ``<!-- kamdocs:table ... -->`` and
``<!-- kamdocs:summary -->``, checked against the plans in the site so that a typo fails loudly."""

from __future__ import annotations

import re
from difflib import get_close_matches

from kamdocs.errors import KamdocsError
from kamdocs.i18n import _
from kamdocs.rules.freshness import STATES
from kamdocs.site.html import unsearched
from kamdocs.site.pages import SiteBuilder
from kamdocs.site.sitemap import FACET_TITLES, facet_values
from kamdocs.site.slots import Link

_UP_TO_THE_CLOSE = r"((?:(?!<!--|-->).)*)-->"
"""A marker's text ends at its ``-->`` and never runs into the next comment: with ``.*?`` a page of
unclosed markers was searched to its end from each one (quadratic); HTML comments do not nest."""
EMBED = re.compile(r"<!--\s*kamdocs:table\b" + _UP_TO_THE_CLOSE, re.S)
"""Any marker, well formed or not: a malformed one must fail loudly, not stay a silent comment."""
SUMMARY = re.compile(r"<!--\s*kamdocs:summary\b" + _UP_TO_THE_CLOSE, re.S)
"""The dashboard's cards on any page: a plans repository's home opens on the roll-up."""
_ATTRIBUTES = re.compile(r'(?:\s+[a-z_]+="[^"<>]*")*\s*')
_ATTRIBUTE = re.compile(r'([a-z_]+)="([^"]*)"')
_FILTERS = ("state", *FACET_TITLES)


class EmbedError(KamdocsError, ValueError):
    """An embed marker that cannot be rendered; ``marker`` is its text, so the adapter can find its line."""

    def __init__(self, marker: str, message: str) -> None:
        super().__init__(message)
        self.marker = marker
        self.message = message


def embed_filters(marker: str, builder: SiteBuilder) -> dict[str, str]:
    """The filters of one marker, each key and value checked against the plans in the site.

    A typo in a key or a value would otherwise show every plan or none,
    and nobody would notice on a published page.
    """
    match = EMBED.fullmatch(marker)
    attributes = match.group(1) if match else ""
    shown = " ".join(marker.split())[:80]
    if match is None or not _ATTRIBUTES.fullmatch(attributes):
        raise EmbedError(
            marker,
            f'expected a marker like <!-- kamdocs:table business_area="Industrial" --> with key="value" '
            f"filters in double quotes, found {shown!r}",
        )
    pairs = _ATTRIBUTE.findall(attributes)
    filters: dict[str, str] = {}
    for key, value in pairs:
        if key not in _FILTERS:
            close = get_close_matches(key, _FILTERS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""  # i18n: machine (the build log's)
            raise EmbedError(
                marker, f"expected a filter key from {', '.join(_FILTERS)}, found {key!r} in {shown!r}{hint}"
            )
        if key in filters:
            raise EmbedError(marker, f"expected each filter key once, found {key!r} twice in {shown!r}")
        known = STATES if key == "state" else sorted({v for r in builder.rows for v in facet_values(r.plan, key)})
        if value not in known:
            close = get_close_matches(value, list(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""  # i18n: machine (the build log's)
            raise EmbedError(
                marker, f"expected a value of {key} that some plan has, found {value!r} in {shown!r}{hint}"
            )
        filters[key] = value
    return filters


def render_embeds(html: str, builder: SiteBuilder, link: Link) -> str:
    """Replace ``<!-- kamdocs:table business_area="X" -->`` markers with a filtered plans table,
    and ``<!-- kamdocs:summary -->`` with the dashboard's summary cards and downloads.

    Filters: ``state`` and any facet name; several are combined with AND.
    Both are kept out of the search index (:func:`~kamdocs.site.html.unsearched`): a page embedding
    every plan would otherwise put every row into the index that every page loads.
    A malformed marker, an unknown key or a value no plan has raises
    :class:`EmbedError`.
    """

    def replace(match: re.Match[str]) -> str:
        filters = embed_filters(match.group(0), builder)
        rows = [
            r
            for r in builder.rows
            if all(
                (r.freshness.state == value) if key == "state" else (value in facet_values(r.plan, key))
                for key, value in filters.items()
            )
        ]
        return unsearched(builder.plans_grid(rows, link, _("Plans")))

    def summary_cards(match: re.Match[str]) -> str:
        if match.group(1).strip():
            shown = " ".join(match.group(0).split())[:80]
            raise EmbedError(match.group(0), f"expected <!-- kamdocs:summary --> with nothing else, found {shown!r}")
        return unsearched(builder.cards(link))

    return SUMMARY.sub(summary_cards, EMBED.sub(replace, html))
