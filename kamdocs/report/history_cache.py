"""Earlier versions' figures kept between runs, keyed by git blob id, for CI caches and ``kamdocs serve``.

A version of a plan never changes once committed, but its figures depend on more than its text: the
name it had (the id must match the file), the day it is judged on, the delivery git showed before it,
the configuration and schema, and kamdocs itself. The key holds the first four; the file's name holds
a fingerprint of the rest, so a new kamdocs, schema or setting starts a new file and never reads an
old one's figures. The cache is JSON, never pickle: a CI cache can be written by a pull request, and a
file that does not read, or an entry of the wrong shape, is ignored, never trusted or fatal. With or
without it the figures are the same; a test builds both ways and compares every byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kamdocs import __version__
from kamdocs.history.delivery import Facts
from kamdocs.report.figures import KINDS, Figures
from kamdocs.system.atomicfile import write_atomically

CACHE_FOLDER = ".cache/kamdocs"
"""Where under the repository root the cache lives, beside MkDocs Material's own ``.cache``."""

MAX_ENTRIES = 1_000_000
"""More entries than this in one file are not read (a hostile or runaway cache costs nothing)."""

MAX_BYTES = 256 * 1024 * 1024
"""A larger file is not read at all: an entry takes about 580 bytes, so 200,000 versions (10,000 plans of 20
commits) about 115 MB."""

UNUSED_DAYS = 30
"""A cache file of another fingerprint (an older kamdocs, other options) not read for this long is deleted
when a cache is written, so the folder a CI cache keeps does not grow with every upgrade."""


RENDERER_PROBE = (
    "# a\n\nb\n=\n\nc\n-\n\n## d {#e}\n\n```\n## f\n```\n\n~~~\n## g\n~~~\n\n<h2>h</h2>\n\n"
    '!!! note "i"\n    ## j\n\n??? k\n    ## l\n\n| m |\n|---|\n| n |\n\no\n:   ## p\n\n[^q]\n\n[^q]: ## r\n'
    '<!-- ## s -->\n\n    ## t\n\n* ## u\n\n> ## v\n\n=== "w"\n    ## x\n'
)
"""Markdown whose headings differ from one set of extensions to another (setext, attribute lists, fences,
admonitions, details, tabs, definition lists, footnotes, raw HTML, quotes, lists): what the site's renderer
makes of it stands for the renderer in the cache's fingerprint (:func:`renderer_digest`)."""


def renderer_digest(html_of: Callable[[str], str] | None) -> str:
    """What the site's Markdown renderer makes of :data:`RENDERER_PROBE`, as a short digest: the public view
    hides the sections the renderer makes headings of, so a change of ``markdown_extensions`` can change the
    figures, and must start a new cache file. Empty without a renderer (kamdocs' own is used)."""
    if html_of is None:
        return ""
    return hashlib.sha256(html_of(RENDERER_PROBE).encode("utf-8", "surrogatepass")).hexdigest()[:24]


class HistoryCache:
    """Figures per (blob, path, day, delivery before, public view), in one JSON file per fingerprint."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.path = folder / f"history-{fingerprint}.json"
        self._entries: dict[str, Any] = {}
        self._peeked: dict[str, tuple[Figures, Facts]] = {}
        self._changed = False
        self.hits = 0
        self.misses = 0
        self._linked = True
        with contextlib.suppress(OSError):
            # A folder that is a link (committed in a pull request, say) is neither read nor written through:
            # the cache would be read from, and written to, wherever it points.
            self._linked = folder.is_symlink() or folder.parent.is_symlink()
        with contextlib.suppress(OSError, ValueError, RecursionError):
            path = self.path
            if not self._linked and path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_BYTES:
                entries = json.loads(path.read_bytes())
                if isinstance(entries, dict) and len(entries) <= MAX_ENTRIES:
                    self._entries = entries
                    os.utime(path)  # read now: not one of the unused files a later save deletes

    @classmethod
    def for_run(cls, root: Path, settings: object, schema: object) -> HistoryCache:
        """The cache for this kamdocs, these ``settings`` (the configuration in force) and this ``schema``."""
        text = repr((__version__, repr(settings), json.dumps(schema, sort_keys=True, default=str)))
        return cls(root / CACHE_FOLDER, hashlib.sha256(text.encode()).hexdigest()[:24])

    @staticmethod
    def key(blob: str, path: str, day: date, delivery: str, public: bool) -> str:
        return f"{blob}:{day.isoformat()}:{delivery}:{int(public)}:{path}"

    def peek(self, key: str) -> tuple[Figures, Facts] | None:
        """What :meth:`get` would give, not counted: to know which versions need their text read. Kept until
        :meth:`get` asks for it, so that an entry is read from the file's JSON once."""
        entry = self._entries.get(key)
        found = _read(entry) if entry is not None else None
        if found is not None:
            self._peeked[key] = found
        return found

    def get(self, key: str) -> tuple[Figures, Facts] | None:
        found = self._peeked.pop(key, None)
        if found is None:
            entry = self._entries.get(key)
            found = _read(entry) if entry is not None else None
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: str, figures: Figures, facts: Facts | None) -> None:
        if facts is None:
            return
        entry = [_plain(asdict(figures)), [facts.day.isoformat(), dict(facts.statuses), facts.last_reviewed]]
        if self._entries.get(key) != entry:  # the same entry again (a newest version judged from today's plan)
            self._entries[key] = entry  # leaves the file as it is
            self._changed = True

    def save(self) -> None:
        """Write the file if anything was added; a cache that cannot be written is no error (it is a cache)."""
        if not self._changed or self._linked:
            return
        with contextlib.suppress(OSError, ValueError):
            os.makedirs(self.path.parent, exist_ok=True)
            # ASCII escapes: a plan file named in bytes that are no UTF-8 keeps them as lone surrogates in its
            # key, which JSON can write as \udcXX and read back, and UTF-8 cannot encode at all.
            data = json.dumps(self._entries, ensure_ascii=True, separators=(",", ":")).encode()
            write_atomically(self.path, data)
            self._changed = False
            self._prune()

    def _prune(self) -> None:
        """Delete the other fingerprints' files not read for :data:`UNUSED_DAYS` days (never a link's target)."""
        limit = time.time() - UNUSED_DAYS * 86400
        for other in self.path.parent.glob("history-*.json"):
            with contextlib.suppress(OSError):
                if other != self.path and not other.is_symlink() and other.is_file() and other.stat().st_mtime < limit:
                    other.unlink()


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, date) else [list(t) for t in v] if k == "kpis" else v)
        for k, v in record.items()
    }


_DATES = ("period_start", "period_end", "last_reviewed")
_NUMBERS = ("errors", "goal_actual", "goal_target", "quality_score", "open_commitments", "overdue_commitments",
            "done_commitments", "stale_contacts")  # fmt: skip


_COUNTS = ("errors", "quality_score", "open_commitments", "overdue_commitments", "done_commitments",
           "stale_contacts")  # fmt: skip
_TEXTS = ("goal_unit", "quality_band", "freshness")


def _number(value: object) -> float | int | None:
    """A finite number from the file, or ValueError: an entry someone edited to hold text is not read."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)):
        return value
    raise ValueError(value)


def _checked(values: dict[str, Any]) -> None:
    """ValueError unless every value has the type a judged version gives it: counts whole, texts text, a known
    kind (a page escapes and formats these as such, so an edited entry of another type is not read)."""
    if values["kind"] not in KINDS or not isinstance(values["errors"], int):
        raise ValueError(values["kind"])
    for name in _COUNTS:
        if not (values[name] is None or isinstance(values[name], int)):
            raise ValueError(name)
    for name in _TEXTS:
        if not (values[name] is None or isinstance(values[name], str)):
            raise ValueError(name)


def _read(entry: Any) -> tuple[Figures, Facts] | None:
    """An entry back as figures and facts; None for anything of another shape (an old or edited file)."""
    try:
        record, (day, statuses, last) = entry
        names = {f.name for f in fields(Figures)}
        if not isinstance(record, dict) or set(record) != names or not isinstance(statuses, dict):
            return None
        if not isinstance(day, str) or not (last is None or isinstance(last, str)):
            return None
        values: dict[str, Any] = dict(record)
        for name in _DATES:
            values[name] = date.fromisoformat(values[name]) if values[name] is not None else None
        values["kpis"] = tuple((str(i), _number(a), str(u)) for i, a, u in values["kpis"])
        for name in _NUMBERS:
            values[name] = _number(values[name])
        _checked(values)
        figures = Figures(**values)
        facts = Facts(date.fromisoformat(day), MappingProxyType({str(k): str(v) for k, v in statuses.items()}), last)
    except (TypeError, ValueError, AttributeError):
        return None
    return figures, facts
