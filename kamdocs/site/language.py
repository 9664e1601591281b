"""The site's language, set once per build, and the words the page script needs in it.

Both adapters call :func:`speak` as a build starts: the plugin with the theme's language from MkDocs'
configuration, the render path with the one in ``mkdocs.yml``. The page script (``assets/kamdocs.js``)
writes some words itself (the filter's status line, "Show 50 more"); :func:`page_script` puts them,
translated, and the locale's signs for figures in front of the script, so that every engine serves
one file that already speaks the reader's language.
"""

from __future__ import annotations

import io
import json
from functools import cache

from babel.messages.extract import extract

from kamdocs import i18n
from kamdocs.config import Config
from kamdocs.system import package_data

SCRIPT = "assets/kamdocs.js"


def speak(config: Config, theme_language: str | None) -> str | None:
    """Speak the configured language (``language:``, else the theme's) from now on; a notice when it is one
    kamdocs has no words in."""
    speech, notice = i18n.resolve(config.language or theme_language, config.locale)
    i18n.use(speech)
    return notice


@cache
def _script_messages() -> tuple[str | tuple[str, ...], ...]:
    """The messages the page script marks with ``_()`` or ``ngettext()``, read from the script itself."""
    source = package_data.read_text(SCRIPT).encode("utf-8")
    found = extract("javascript", io.BytesIO(source), keywords={"_": None, "ngettext": (1, 2)})
    return tuple(dict.fromkeys(message for _line, message, _comments, _context in found))


def script_words() -> dict[str, object]:
    """What the page script reads from ``window.kamdocsWords``: its words, the language's plural forms
    and the locale's signs."""
    words: dict[str, object] = {}
    for message in _script_messages():
        if isinstance(message, str):
            words[message] = i18n._(message)
        else:
            words[message[0]] = [i18n.ngettext(message[0], message[1], 1), i18n.ngettext(message[0], message[1], 2)]
    speech = i18n.speech()
    # lang is the locale, for Intl's dates; singular, the counts that take a message's first form by the
    # catalogue's own plural rule: [1] in German, Italian and English, [0, 1] in French. Every language
    # kamdocs speaks has two forms, so a small list says the whole rule, and the script loads no Intl data.
    plural = getattr(speech.translations, "plural", lambda n: int(n != 1))
    singular = [n for n in (0, 1) if plural(n) == 0]
    return {
        "lang": speech.tag,
        "language": speech.language,
        "isoDates": speech.iso_dates,
        "singular": singular,
        "words": words,
        **i18n.symbols(),
    }


def page_script() -> str:
    """``assets/kamdocs.js`` as the site serves it: its words in front of it."""
    prelude = json.dumps(script_words(), ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f"window.kamdocsWords = {prelude};\n" + package_data.read_text(SCRIPT)
