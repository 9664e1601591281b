"""The reader's language: kamdocs' own words on a page, and its numbers and dates.

Words come from gettext catalogues, ``kamdocs/i18n/locale/<language>/LC_MESSAGES/kamdocs.mo``, compiled
from the ``.po`` files beside them (``python scripts/catalogues.py`` extracts, updates and compiles them;
``docs/translating.md`` says how). Numbers and dates are written by Babel from CLDR's data for the reader's
locale: ``1’250’000`` and ``31.12.2027`` in de-CH, ``1.250.000`` in de-DE.

A site build speaks one language, which the adapters set once from the configuration and the theme
(:func:`speaking`); page code asks for a word (:func:`_`, :func:`ngettext`) or a figure (:func:`number`,
:func:`day`) without carrying the language through every call. Outside a build it is English with English
figures, which is also what every download and the command line keep: files are read by machines, and
``plans.json`` says ``2027-12-31`` whatever the reader's language.

A word that a module names once, at import (a column heading, a state), is marked with :func:`N_` where it
is written and translated with :func:`_` where it is shown.
"""

from __future__ import annotations

import gettext
import io
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from kamdocs.system import package_data

LANGUAGES: dict[str, str] = {"en": "en", "de": "de_CH", "fr": "fr_CH", "it": "it_CH"}
"""The languages kamdocs has words in, each with the locale its figures follow unless ``locale:`` says
otherwise: the Swiss one, where the teams kamdocs was made for sell (CLDR's plain ``en`` for English)."""

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "de": "German", "fr": "French", "it": "Italian"}

MISSING = "–"
"""A figure a plan does not give, in every language: missing stays missing, never 0."""


@dataclass(frozen=True)
class Speech:
    """One language and locale: what a site build says and how it writes figures."""

    language: str
    """A key of :data:`LANGUAGES`."""
    locale: Locale
    translations: gettext.NullTranslations
    iso_dates: bool = False
    """Dates as ``2027-12-31``: English pages with no ``locale:`` keep them, which every reader of a
    company that works in English across countries reads the same way (CLDR's ``en`` is American)."""

    @property
    def tag(self) -> str:
        """The locale as a BCP 47 tag (``de-CH``), what ``lang`` attributes and ``Intl`` take."""
        return str(self.locale).replace("_", "-")


class LocaleProblem(ValueError):
    """A ``locale:`` CLDR does not know; the message names the locales kamdocs is made for."""


def parse_locale(value: str) -> Locale:
    """``de-CH``, ``de_CH`` or ``de`` as a CLDR locale; :class:`LocaleProblem` otherwise."""
    try:
        return Locale.parse(value.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise LocaleProblem(
            f"expected a locale CLDR knows, like de-CH, de-DE, fr-CH, it-CH or en, found {value!r}"
        ) from None


def _language_key(language: str | None) -> str | None:
    """The catalogue a theme language names (``de``, ``de-CH`` and ``de_CH`` all name ``de``), if kamdocs has it."""
    if not language:
        return "en"
    key = language.strip().replace("_", "-").split("-")[0].lower()
    return key if key in LANGUAGES else None


@cache
def _translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``, read once per process from the package."""
    data = package_data.read_bytes(package_data.catalogue(language))
    return gettext.GNUTranslations(io.BytesIO(data))


def resolve(language: str | None, locale: str | None = None) -> tuple[Speech, str | None]:
    """The speech a build uses, and a notice when the language asked for is not one kamdocs has.

    ``language`` is the ``language:`` option or else the theme's; ``locale`` the ``locale:`` option (already
    checked with :func:`parse_locale`). An unknown language falls back to English: pages in a language half
    translated would be worse than pages in one the reader may not prefer."""
    key = _language_key(language)
    notice = None
    if key is None:
        names = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
        notice = f"no words in {language!r}, so the plans' pages are in English; kamdocs speaks {names}"
        key = "en"
    iso = key == "en" and not locale
    return Speech(key, parse_locale(locale or LANGUAGES[key]), _translations(key), iso), notice


_ENGLISH = Speech("en", Locale.parse("en"), gettext.NullTranslations(), iso_dates=True)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SPEECH: ContextVar[Speech] = ContextVar("kamdocs_speech", default=_ENGLISH)


def speech() -> Speech:
    """The speech in force: the build's, or English."""
    return _SPEECH.get()


def use(speech_: Speech) -> None:
    """Speak ``speech_`` from now on in this context: the plugin's hooks run one build one after another
    and cannot wrap it in a ``with`` (:func:`speaking` is for code that can)."""
    _SPEECH.set(speech_)


@contextmanager
def speaking(speech_: Speech) -> Iterator[Speech]:
    """Speak ``speech_`` inside the block, and what was spoken before after it."""
    token = _SPEECH.set(speech_)
    try:
        yield speech_
    finally:
        _SPEECH.reset(token)


def N_(message: str) -> str:
    """``message`` marked for the catalogue where it is written, translated later with :func:`_`."""
    return message


def _(message: str) -> str:
    """``message`` in the reader's language."""
    return _SPEECH.get().translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that goes with ``count``, in the reader's language (French says "1 plan",
    "0 plan"; German and English "0 Pläne", "0 plans")."""
    return _SPEECH.get().translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the reader's language, where the same English word needs two translations
    (a plan's "Status" and a commitment's)."""
    return _SPEECH.get().translations.pgettext(context, message)


def number(value: float | None) -> str:
    """A figure with the locale's grouping and no needless decimals (two at most): ``1’250’000`` or ``98.6``
    in de-CH, ``1.250.000`` in de-DE; a missing figure as a dash, never 0."""
    if value is None:
        return MISSING
    if not math.isfinite(value):
        return _("too large")
    locale = _SPEECH.get().locale
    if float(value).is_integer():
        return format_decimal(int(value), format="#,##0", locale=locale)
    return format_decimal(value, format="#,##0.##", locale=locale)


def decimal(value: float, pattern: str) -> str:
    """``value`` with a CLDR number ``pattern`` (``#,##0.######``) in the reader's locale: for the figures
    that keep more digits than :func:`number` (a diff keeps every digit a plan gave)."""
    return format_decimal(value, format=pattern, locale=_SPEECH.get().locale)


def amount(value: float | None, unit: str) -> str:
    """A figure with its unit as the plan writes it (``1’250’000 CHF``), or a dash when missing."""
    text = number(value)
    return text if value is None or not math.isfinite(value) else f"{text}\u00a0{unit}"


def percent(ratio: float | None, decimals: int = 0) -> str:
    """A ratio as the locale writes a percentage: ``42%`` in de-CH, ``42 %`` in de-DE and fr-FR."""
    if ratio is None:
        return MISSING
    locale = _SPEECH.get().locale
    pattern = locale.percent_formats[None].pattern  # the locale's own: "#,##0%", "#,##0\u00a0%"
    if decimals:
        pattern = re.sub(r"0(?=[^0#]*$)", "0." + "#" * decimals, pattern, count=1)
    return format_percent(ratio, format=pattern, locale=locale)


def day(value: date | None) -> str:
    """A date as the locale writes it in running text (CLDR's medium form): ``31.12.2027`` in de-CH and
    de-DE, ``31 déc. 2027`` in fr-CH, ``Dec 31, 2027`` in English; a dash when missing."""
    if value is None:
        return MISSING
    speech_ = _SPEECH.get()
    return value.isoformat() if speech_.iso_dates else format_date(value, "medium", locale=speech_.locale)


def chart_day(value: date) -> str:
    """A date in a chart's label and the sentences beside it: ``5 Oct 2026`` on English pages (no month
    first, no ISO in prose), else the locale's date as :func:`day` writes it, so that one page does not
    say 05.10.2026 in a table and 5. Okt. 2026 under it."""
    speech_ = _SPEECH.get()
    if speech_.iso_dates:
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return format_date(value, "medium", locale=speech_.locale)


def month(value: date) -> str:
    """A month and year, as a chart's axis says it: ``Oct 2026`` in English pages, ``Okt. 2026`` in de-CH."""
    speech_ = _SPEECH.get()
    if speech_.iso_dates:
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return format_skeleton("yMMM", value, locale=speech_.locale)


def symbols() -> dict[str, str]:
    """The locale's grouping and decimal signs, for the page script's own figures."""
    locale = _SPEECH.get().locale
    return {"group": get_group_symbol(locale), "decimal": get_decimal_symbol(locale)}
