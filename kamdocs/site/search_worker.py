"""Material's search box pointed at kamdocs' search worker (``assets/search-worker.js``).

Material's worker answers nothing until it has built one lunr index over the whole search index: at
10,000 plans that took 5 to 8 s in Chromium, so a search for an account name waited for it. kamdocs'
worker answers from the pages' titles at once and hands over to Material's worker, which it starts
itself, once that one is ready (the script says how). A page tells Material which worker to start in
its ``__config`` script (``"search"``, an address relative to the page); this module rewrites that
address on a page Material has written, and leaves the page alone when it names another worker (a
theme override's own).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from urllib.parse import quote

WORKER = "assets/kamdocs/search-worker.js"
"""Where the site holds kamdocs' worker."""
MATERIAL_WORKER = re.compile(r"(?P<base>.*?)assets/javascripts/workers/(?P<name>search\.[0-9a-f]+\.min\.js)")
"""Material's own worker, as its ``base.html`` names it: the site's assets folder, relative to the page."""
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})
"""JSON kept inert inside a ``<script>``, as Jinja's ``tojson`` writes Material's own."""


def worker_version(script: str) -> str:
    """A short digest of the worker's text for its address, so a browser never keeps an old copy."""
    return hashlib.sha256(script.encode("utf-8")).hexdigest()[:10]


def worker_address(material: str, version: str) -> str | None:
    """kamdocs' worker's address for a page whose Material worker is at ``material`` (relative to the
    page, as Material writes it), handing that one's address over relative to kamdocs' worker;
    ``None`` when ``material`` is not Material's own worker."""
    match = MATERIAL_WORKER.fullmatch(material)
    if match is None:
        return None
    nested = quote(f"../javascripts/workers/{match['name']}", safe="/.")
    return f"{match['base']}{WORKER}?v={version}&material={nested}"


def with_search_worker(page: str, version: str) -> str:
    """``page`` with its ``__config`` naming kamdocs' worker in place of Material's; unchanged when it
    has no such config or names another worker."""
    at = page.rfind('<script id="__config"')
    match = CONFIG.match(page, at) if at >= 0 else None
    text = _config_naming_ours(match[2], version) if match is not None else None
    if match is None or text is None:
        return page
    return f"{page[: match.start(2)]}{text}{page[match.end(2) :]}"


@functools.lru_cache(maxsize=64)
def _config_naming_ours(config_text: str, version: str) -> str | None:
    """A page's ``__config`` JSON naming kamdocs' worker, or ``None`` when it names another; kept per
    text, since pages at the same depth of the site share theirs (ten thousand plan pages, a few texts)."""
    config = json.loads(config_text)
    material = config.get("search") if isinstance(config, dict) else None
    address = worker_address(material, version) if isinstance(material, str) else None
    if address is None:
        return None
    config["search"] = address
    return json.dumps(config).translate(SCRIPT_SAFE)


INDEX = "search/search_index.json"
"""Material's search index, as its search plugin writes it and every page fetches it."""
FULL_INDEX = "search/full_index.json"
"""Where the whole index goes when kamdocs' worker reads it (:func:`split_index`)."""
MAX_INDEX_BYTES = 1 << 30
"""The largest index split; a larger one (which Material's pages could not carry anyway) stays whole."""
FULL_INDEX_KEY = "kamdocs_full_index"
"""The key of the small index's ``config`` that names the whole index's file, beside it."""


def split_index(index: bytes) -> tuple[bytes, bytes] | None:
    """Material's search index as the small index every page fetches and the whole one kamdocs'
    worker fetches; ``None`` when ``index`` is not an index Material wrote (it is then left alone).

    Every page of a Material site fetches ``search/search_index.json`` and parses it in the
    reader's page, before it hands it to the search worker: 16 MB at 10,000 plans, one task of
    0.6 s on a desktop and over 2 s on a slow phone, on every page, searched or not, and the page
    holds it all. The small index keeps Material's ``config`` and no pages, and names the whole
    index's file; kamdocs' worker fetches that in the worker, off the page.
    """
    try:
        data = json.loads(index)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("config"), dict) or not isinstance(data.get("docs"), list):
        return None
    small = {"config": {**data["config"], FULL_INDEX_KEY: FULL_INDEX.rsplit("/", 1)[1]}, "docs": []}
    return json.dumps(small, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), index
