"""Edit links that lead somewhere: which of MkDocs' edit settings a build must drop.

``kamdocs init`` writes ``edit_uri: edit/main/docs/`` so that naming the repository
(``repo_url``) is the one step that turns the links on. Until then, a relative
``edit_uri`` has nothing to be relative to: MkDocs warns on every page, which fails
``--strict``, and each link leads nowhere. The plugin and the render path's copy of
``mkdocs.yml`` drop the same settings by this one rule.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

EDIT_SETTINGS = ("edit_uri", "edit_uri_template")


def names_its_server(uri: object) -> bool:
    """Whether an edit setting is a full address, which needs no ``repo_url``."""
    return isinstance(uri, str) and bool(urlsplit(uri).netloc)


def dangling_edit_settings(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The edit settings that are set but lead nowhere: relative ones without a ``repo_url``."""
    if settings.get("repo_url"):
        return ()
    return tuple(key for key in EDIT_SETTINGS if settings.get(key) and not names_its_server(settings[key]))


def url_path(path: str) -> str:
    """A file's path (relative, ``/``-separated) as the path of a URL: every byte but letters, digits
    and ``/-._~`` percent-encoded.

    MkDocs appends a page's ``edit_uri`` to the repository's address as it is, and the theme writes
    it into ``href="..."`` unescaped: a plan folder named ``it's "q"`` ended the attribute (and could
    have added one of its own), and one named in bytes that are not UTF-8 (``lat\\xe9``) gave a
    character reference that leads nowhere. Encoded from the bytes on disk (``lat%E9``), the link
    names the file git has.
    """
    return quote(os.fsencode(path), safe="/")
