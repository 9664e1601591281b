"""kamdocs' message catalogues: extract the words, update each language's ``.po``, compile the ``.mo``.

    python scripts/catalogues.py            # after changing a word in kamdocs/site/ or kamdocs/assets/
    python scripts/catalogues.py --check    # what the tests run: fails on a stale file or a missing word

The template ``kamdocs/i18n/locale/kamdocs.pot`` holds every word kamdocs' pages say, marked in the
Python code with ``_()``, ``ngettext()``, ``pgettext()`` or ``N_()`` and in the page script with ``_()``
and ``ngettext()``. Each ``<language>/LC_MESSAGES/kamdocs.po`` is updated from it (a new word arrives
untranslated; a changed one is marked fuzzy) and compiled to the ``.mo`` the wheel ships: the ``.mo`` is
committed, so a checkout, an sdist and a wheel all read the same bytes without a build step.
docs/translating.md says how to translate.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kamdocs"
LOCALE_DIR = PACKAGE / "i18n" / "locale"
TEMPLATE = LOCALE_DIR / "kamdocs.pot"
LANGUAGES = ("en", "de", "fr", "it")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
METHODS = [
    ("i18n/**.py", "ignore"),  # the machinery itself, whose docstrings show the calls
    ("**.py", "python"),
    ("assets/kamdocs.js", "javascript"),
    ("assets/search-worker.js", "javascript"),
]


HEADER = """\
# kamdocs' own words on its pages (docs/translating.md).
# This file is distributed under the same license as kamdocs (MIT)."""


def template() -> Catalog:
    """Every marked word in the package, with where it is used (file names, not lines: fewer changes)."""
    catalog = Catalog(
        project="kamdocs", domain="kamdocs", charset="utf-8", fuzzy=False, header_comment=HEADER, version=None
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(f"kamdocs/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, include_lineno=False, sort_output=True)
    # The header's dates change at every run; they say nothing git does not.
    lines = [
        line
        for line in out.getvalue().split(b"\n")
        if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))
    ]
    return b"\n".join(lines)


FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
"""The header's dates, fixed: they would make every run's files differ, and say nothing git does not."""


def mo_bytes(catalog: Catalog) -> bytes:
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale, domain="kamdocs")


def updated(language: str, pot: Catalog) -> Catalog:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "kamdocs.po"
    catalog = (
        read(path, language)
        if path.exists()
        else Catalog(locale=language, project="kamdocs", domain="kamdocs", header_comment=HEADER, version=None)
    )
    catalog.fuzzy = False  # a fuzzy header is left out of the .mo, and with it French's plural rule
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    return catalog


def add_translations(catalog: Catalog, language: str, found: dict[str, dict[str, str | list[str]]]) -> None:
    """Fill ``catalog``'s empty translations from ``--add``'s JSON: ``{msgid: {"de": text, ...}}``, a plural
    message under its singular with a list of its two forms."""
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0] if message.id else ""
        given = found.get(key, {}).get(language) if key else None
        if not given:
            continue
        if isinstance(message.id, str):
            if not message.string:
                message.string = given if isinstance(given, str) else given[0]
        elif not all(message.string):  # a word that became a plural one keeps its first form only
            message.string = tuple(given) if isinstance(given, list) else (given, given)
        message.flags.discard("fuzzy")


def untranslated(catalog: Catalog) -> list[str]:
    """Messages of ``catalog`` with no translation, or a fuzzy one (English may leave the text as it is)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def planned(found: dict[str, dict[str, str | list[str]]]) -> dict[Path, bytes]:
    """Every catalogue file as this run would write it."""
    pot = template()
    files = {TEMPLATE: po_text(pot)}
    for language in LANGUAGES:
        # A copy each: update() hands the template's own message objects to a new catalogue, so the first
        # language's translations of a new word would reach the next languages too.
        catalog = updated(language, copy.deepcopy(pot))
        add_translations(catalog, language, found)
        base = LOCALE_DIR / language / "LC_MESSAGES"
        files[base / "kamdocs.po"] = po_text(catalog)
        files[base / "kamdocs.mo"] = mo_bytes(catalog)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail on a stale file or missing word")
    parser.add_argument(
        "--add", type=Path, action="append", default=[], help='translations to fill in: {"msgid": {"de": "..."}}'
    )
    args = parser.parse_args(argv)
    found: dict[str, dict[str, str | list[str]]] = {}
    for path in args.add:
        found.update(json.loads(path.read_text(encoding="utf-8")))
    files = planned(found)
    stale = [path for path, data in files.items() if not path.exists() or path.read_bytes() != data]
    problems = []
    for language in LANGUAGES[1:]:
        po = files[LOCALE_DIR / language / "LC_MESSAGES" / "kamdocs.po"]
        missing = untranslated(read_po(io.BytesIO(po), locale=language))
        problems += [f"{language}: not translated: {message!r}" for message in missing]
    if args.check:
        problems += [f"{path.relative_to(ROOT)}: stale; run python scripts/catalogues.py" for path in stale]
    else:
        for path in stale:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[path])
            print(f"wrote {path.relative_to(ROOT)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
