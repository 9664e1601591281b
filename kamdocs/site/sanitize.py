"""The allow-list that a plan's rendered body passes before it reaches a page.

Anyone who can open a pull request writes plan bodies, and the site is read by
everyone in the company, so a body is untrusted input: raw HTML in Markdown
would otherwise run script in every reader's browser. The body is first
rendered by MkDocs' Markdown (so every extension keeps working), then cleaned
here by ammonia (through ``nh3``), an HTML5 parser-based sanitiser that
rebuilds the tree from what it allows, rather than a pattern that removes what
it knows to be bad. The plugin's own markup is added after this step, so it
is never stripped.

What stays is what Markdown and its common extensions produce: headings with
their ``id`` (the table of contents and permalinks link to them), paragraphs,
lists, tables with their alignment, emphasis, code and highlighted code,
quotes, footnotes, admonitions, task lists, images and links with ``http``,
``https``, ``mailto``, ``tel`` or relative addresses, ``<details>`` and
``<summary>``. Everything else goes: ``<script>`` and ``<style>`` with their
content, ``<iframe>``, ``<object>``, ``<svg>``, forms, every ``on*``
attribute, ``javascript:`` addresses, and ``data:`` addresses except
``data:image/`` on ``<img src>``.
"""

from __future__ import annotations

import re
from functools import cache

import nh3

TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "blockquote", "pre", "code"),
        *("ul", "ol", "li", "dl", "dt", "dd", "details", "summary", "figure", "figcaption"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("a", "img", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
        *("abbr", "dfn", "kbd", "samp", "var", "q", "cite", "time", "wbr", "label", "input"),
    }
)
"""Elements that Markdown and its common extensions write."""

CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "title", "xmp", "noembed"})
"""Elements removed together with their content (the rest keep their text when their tag goes)."""

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"style", "align", "colspan", "rowspan", "scope"},
    "td": {"style", "align", "colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "input": {"checked"},
}
"""Per element, the attributes kept; ``*`` applies to every element."""

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})
"""Schemes ammonia lets through on ``href`` and ``src``; ``data`` is narrowed by :func:`_attribute`."""

_ID = re.compile(r"[^\W_][\w:.-]*|_\d+")
"""Ids Markdown's table of contents (``_1`` for a heading without Latin letters), footnotes and
``attr_list`` give. Never ``__…``: those are Material's own (``__config`` holds the theme's
settings), which a body must not shadow."""

_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """The last word on an attribute ammonia kept: narrow ``data:`` addresses and ids."""
    if attribute in ("href", "src"):
        # Browsers drop tabs and line breaks anywhere, and controls and spaces around an address.
        url = _IGNORED_IN_URL.sub("", value).strip(_C0_AND_SPACE)
        if url[:5].lower() == "data:" and not (element == "img" and url[5:11].lower() == "image/"):
            return None
        return value
    if attribute == "id":
        return value if _ID.fullmatch(value) else None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_attribute,
        # Task lists' boxes: whatever an author writes, an <input> is a disabled checkbox.
        set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"}},
        filter_style_properties={"text-align"},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        # Comments stay: they cannot run, and they carry the plugin's own markers
        # (``<!-- kamdocs:table ... -->``), which are replaced after this step.
        strip_comments=False,
    )


def sanitize(html: str) -> str:
    """``html`` with only the allowed elements, attributes and addresses left.

    Pure: the same input gives the same output, so two builds stay byte-identical.
    """
    return _cleaner().clean(html)
