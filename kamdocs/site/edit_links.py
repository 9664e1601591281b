"""Edit links that lead somewhere: which of MkDocs' edit settings a build must drop.

``kamdocs init`` writes ``edit_uri: edit/main/docs/`` so that naming the repository
(``repo_url``) is the one step that turns the links on. Until then, a relative
``edit_uri`` has nothing to be relative to: MkDocs warns on every page, which fails
``--strict``, and each link leads nowhere. The plugin and the render path's copy of
``mkdocs.yml`` drop the same settings by this one rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

EDIT_SETTINGS = ("edit_uri", "edit_uri_template")


def names_its_server(uri: object) -> bool:
    """Whether an edit setting is a full address, which needs no ``repo_url``."""
    return isinstance(uri, str) and bool(urlsplit(uri).netloc)


def dangling_edit_settings(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The edit settings that are set but lead nowhere: relative ones without a ``repo_url``."""
    if settings.get("repo_url"):
        return ()
    return tuple(key for key in EDIT_SETTINGS if settings.get(key) and not names_its_server(settings[key]))
