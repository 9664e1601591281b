"""The site in the reader's language: the catalogues, the language and locale chosen, figures and dates
as CLDR writes them, and four real builds of the sample plans with no English kamdocs word left.

Expected figures are written by hand for the Swiss and German readers the issue names, and otherwise
computed with Babel directly (CLDR's own formatting), never with kamdocs' functions.
"""

from __future__ import annotations

import gettext
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from kamdocs import i18n
from kamdocs.config import ConfigError
from kamdocs.config.model import config_from_options

from .commands import TODAY, mkdocs_build_in_process
from .conftest import ROOT
from .unmarked_words import page_sources, unmarked

LOCALE_DIR = ROOT / "kamdocs" / "i18n" / "locale"
LANGUAGES = ("de", "fr", "it")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def catalogue(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "kamdocs.po").open("rb") as f:
        return read_po(f, locale=language)


def test_catalogues_are_current_and_complete() -> None:
    """The template holds every marked word, each language translates all of them, and the compiled
    ``.mo`` files the wheel ships are the ``.po`` files as they stand."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalogues.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_no_english_word_on_a_page_outside_the_catalogue() -> None:
    found = list(unmarked(page_sources()))
    assert not found, "mark these with _() or ngettext() (tests/unmarked_words.py):\n" + "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    """A translation that lost ``{count}`` would print a page without its figure, or fail to format."""
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        wrong += [(ids[0], s) for s in strings if s and set(PLACEHOLDER.findall(s)) != wanted]
    assert not wrong


@pytest.mark.parametrize(
    ("locale", "figure", "amount", "day"),
    [
        # As a Swiss and a German reader write them, by hand.
        ("de-CH", "1’250’000", "1’250’000 CHF", "31.12.2027"),
        ("de-DE", "1.250.000", "1.250.000 CHF", "31.12.2027"),
        ("fr-CH", "1\u202f250\u202f000", "1\u202f250\u202f000 CHF", "31 déc. 2027"),
        ("it-CH", "1’250’000", "1’250’000 CHF", "31 dic 2027"),
        ("en", "1,250,000", "1,250,000 CHF", "Dec 31, 2027"),
    ],
)
def test_figures_and_dates_in_each_locale(locale: str, figure: str, amount: str, day: str) -> None:
    speech, notice = i18n.resolve("en" if locale == "en" else locale[:2], locale)
    assert notice is None
    with i18n.speaking(speech):
        assert i18n.number(1250000) == figure
        assert i18n.amount(1250000, "CHF") == amount.replace(" CHF", "\u00a0CHF")
        assert i18n.day(date(2027, 12, 31)) == day
        assert i18n.number(None) == "–"  # missing stays missing, never 0


def test_english_pages_keep_iso_dates_unless_a_locale_is_set() -> None:
    with i18n.speaking(i18n.resolve("en")[0]):
        assert i18n.day(date(2027, 12, 31)) == "2027-12-31"
        assert i18n.number(1250000.5) == "1,250,000.5"
    with i18n.speaking(i18n.resolve("en", "en-CH")[0]):
        assert i18n.day(date(2027, 12, 31)) == "31 Dec 2027"
        assert i18n.number(1250000) == "1’250’000"


@given(
    st.sampled_from(["de_CH", "de_DE", "fr_CH", "it_CH", "en_GB"]),
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
)
def test_figures_and_dates_as_cldr_writes_them(locale: str, value, day: date) -> None:
    with i18n.speaking(i18n.resolve(locale[:2], locale)[0]):
        assert i18n.number(float(value)) == format_decimal(value.normalize(), format="#,##0.##", locale=locale)
        assert i18n.day(day) == format_date(day, "medium", locale=locale)


@pytest.mark.parametrize(
    ("theme", "option", "expected"),
    [("de", None, "de"), ("de-CH", None, "de"), ("fr", "it", "it"), (None, "fr", "fr"), ("en", None, "en")],
)
def test_the_language_follows_the_theme_unless_the_option_says(theme, option, expected) -> None:
    speech, notice = i18n.resolve(option or theme)
    assert (speech.language, notice) == (expected, None)


def test_an_unknown_language_is_english_with_one_notice() -> None:
    speech, notice = i18n.resolve("pt-BR")
    assert speech.language == "en" and speech.iso_dates
    assert notice is not None and "'pt-BR'" in notice and "de (German)" in notice


@pytest.mark.parametrize("value", ["xx-YY", "de_CHX", "Deutsch", 42])
def test_an_unknown_locale_is_a_clear_configuration_error(value) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_options({"locale": value}, Path("."), "mkdocs.yml")
    message = str(caught.value)
    assert "locale" in message and "de-CH" in message and repr(value) in message


# --- four real builds of the sample plans -------------------------------------------------------------

SITE = """\
site_name: Vertrieb
theme:
  name: material
  font: false
{language}
plugins:
  - kamdocs:
      git: false
      today: {today}
"""


class Visible(HTMLParser):
    """The text a reader sees or hears on a page: text outside script and style, and the title,
    aria-label, placeholder and alt attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.texts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def visible(path: Path) -> list[str]:
    parser = Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.texts


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for language in ("en", *LANGUAGES):
        root = tmp_path_factory.mktemp(f"site-{language}")
        repo = root / "repo"
        shutil.copytree(ROOT / "plans", repo / "plans")
        (repo / "docs").mkdir()
        (repo / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
        line = "" if language == "en" else f"  language: {language}"
        (repo / "mkdocs.yml").write_text(SITE.format(language=line, today=TODAY), encoding="utf-8")
        result = mkdocs_build_in_process(repo, site=root / "site")
        assert result.returncode == 0, result.stderr
        built[language] = root / "site"
    return built


PAGES = (
    "plans/index.html",
    "plans/budget/index.html",
    "plans/scorecard/index.html",
    "plans/accounts/alpen-dairy/index.html",
)


def english_words(language: str) -> list[tuple[str, re.Pattern[str], int]]:
    """Each catalogue message whose translation differs from its English, as a pattern of the whole text
    (placeholders standing for anything)."""
    translations = gettext.GNUTranslations((LOCALE_DIR / language / "LC_MESSAGES" / "kamdocs.mo").open("rb"))
    words = []
    for message in catalogue(language):
        if not message.id or not isinstance(message.id, str) or message.context:
            continue
        if translations.gettext(message.id) == message.id or len(message.id) < 4:
            continue
        parts = PLACEHOLDER.split(message.id)[::2]
        english = set(re.findall(r"[A-Za-z]{3,}", "".join(parts)))
        # "{facet} {value}" says no English word of its own; Italian's "target" is the English word too.
        if not english or english <= set(re.findall(r"[A-Za-z]{3,}", translations.gettext(message.id))):
            continue
        pattern = ".+?".join(re.escape(part) for part in parts)
        words.append((message.id, re.compile(pattern), len("".join(parts))))
    return words


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_kamdocs_word_left_on_the_main_pages(sites: dict[str, Path], language: str) -> None:
    words = english_words(language)
    assert len(words) > 100  # the catalogue is there and translated
    left = []
    for page in PAGES:
        path = sites[language] / page
        assert path.is_file(), sorted(
            p.relative_to(sites[language]).as_posix() for p in (sites[language] / "plans").glob("*/index.html")
        )
        for text in visible(path):
            # Placeholders stand for figures and names, shorter than the message's own words: "{amount}
            # target {year}" is not a whole Italian sentence that happens to say "target".
            left += [
                (page, text, english)
                for english, pattern, size in words
                if 2 * size >= len(text) and pattern.fullmatch(text)
            ]
    assert not left, sorted(set(left))


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_and_dates_on_the_budget_in_the_readers_locale(sites: dict[str, Path], language: str) -> None:
    text = " ".join(visible(sites[language] / "plans" / "index.html"))
    locale = {"de": "de_CH", "fr": "fr_CH", "it": "it_CH"}[language]
    assert format_date(date.fromisoformat(TODAY), "medium", locale=locale) in text
    assert TODAY not in text


def test_page_urls_are_the_same_in_every_language(sites: dict[str, Path]) -> None:
    english = sorted(p.relative_to(sites["en"]).as_posix() for p in sites["en"].rglob("*.html"))
    for language in LANGUAGES:
        assert sorted(p.relative_to(sites[language]).as_posix() for p in sites[language].rglob("*.html")) == english


@pytest.mark.parametrize(
    ("language", "tag", "group"), [("en", "en", ","), ("de", "de-CH", "’"), ("fr", "fr-CH", "\u202f")]
)
def test_the_page_script_gets_its_words_and_signs(sites: dict[str, Path], language: str, tag: str, group: str) -> None:
    script = (sites[language] / "assets" / "kamdocs" / "kamdocs.js").read_text(encoding="utf-8")
    first = script.split("\n", 1)[0]
    assert first.startswith("window.kamdocsWords = ") and f'"lang": "{tag}"' in first
    assert f'"group": "{group}"' in first
    # The plural rule from the catalogue: French's first form takes 0 and 1, German's and English's 1 only.
    assert ('"singular": [0, 1]' if language == "fr" else '"singular": [1]') in first


@pytest.mark.parametrize(("language", "shown"), [("en", "yyyy-mm-dd"), ("de", "mm-dd-yy")])
def test_the_workbook_dates_follow_the_readers_excel(sites: dict[str, Path], language: str, shown: str) -> None:
    """A German site's workbook has Excel's built-in short date (number 14, which openpyxl names
    ``mm-dd-yy``): Excel shows it as the reader's system writes dates. English keeps ISO, as its pages do."""
    from openpyxl import load_workbook

    book = load_workbook(sites[language] / "plans" / "plans.xlsx", read_only=True)
    formats = {
        cell.number_format
        for row in book["Commitments"].iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, date)
    }
    assert formats == {shown}


def _small_site(root: Path, theme_language: str | None, *options: str) -> subprocess.CompletedProcess[str]:
    repo = root / "repo"
    shutil.copytree(ROOT / "plans", repo / "plans")
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    text = SITE.format(language=f"  language: {theme_language}" if theme_language else "", today=TODAY)
    (repo / "mkdocs.yml").write_text(text + "".join(f"      {o}\n" for o in options), encoding="utf-8")
    return mkdocs_build_in_process(repo, site=root / "site")


def test_an_unknown_theme_language_builds_english_pages_with_one_notice(tmp_path: Path) -> None:
    result = _small_site(tmp_path, "es")
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert log.count("kamdocs: no words in 'es', so the plans' pages are in English") == 1
    assert "kamdocs: kamdocs:" not in log
    script = (tmp_path / "site" / "assets" / "kamdocs" / "kamdocs.js").read_text(encoding="utf-8")
    assert script.startswith(
        'window.kamdocsWords = {"decimal": ".", "group": ",", "isoDates": true, "lang": "en", "language": "en", "singular": [1]'
    )


def test_the_language_option_wins_over_the_theme(tmp_path: Path) -> None:
    result = _small_site(tmp_path, "de", "language: fr", "locale: de-DE")
    assert result.returncode == 0, result.stderr
    script = (tmp_path / "site" / "assets" / "kamdocs" / "kamdocs.js").read_text(encoding="utf-8")
    first = script.split("\n", 1)[0]
    assert '"lang": "de-DE"' in first and '"language": "fr"' in first and '"group": "."' in first
    assert "no words in" not in result.stdout + result.stderr


def test_a_bad_locale_stops_the_build_with_the_option_named(tmp_path: Path) -> None:
    result = _small_site(tmp_path, "de", "locale: de-XX-nonsense")
    assert result.returncode != 0
    assert "locale: expected a locale CLDR knows, like de-CH" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_commitments_first_view_matches_the_rows_words(sites: dict[str, Path], language: str) -> None:
    """The commitments page opens on "open or in progress": the values of that view are the words the rows
    have, in the reader's language, or the page opens empty (it did in every language but English)."""
    page = (sites[language] / "plans" / "commitments" / "index.html").read_text(encoding="utf-8")
    facets = re.findall(
        r'"f":"status","t":"[^"]*","values":(\[.*?\]\]),"default":\{"t":"[^"]*","values":(\[.*?\])\}', page
    )
    assert facets
    german = gettext.GNUTranslations((LOCALE_DIR / language / "LC_MESSAGES" / "kamdocs.mo").open("rb"))
    wanted = [german.gettext("open"), german.gettext("in progress")]
    assert wanted != ["open", "in progress"]
    assert all(json.loads(default) == wanted for _values, default in facets)
    shown = {value for values, _default in facets for value, _count in json.loads(values)}
    assert set(wanted) <= shown  # the sample plans have open and in-progress commitments


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_commitments_page_opens_with_its_open_commitments(sites: dict[str, Path], language: str) -> None:
    """The server writes the first view's rows and says how many there are (data-showing): in every
    language as many as in English, since the sample plans are the same."""

    def showing(site: Path) -> list[tuple[str, str]]:
        page = (site / "plans" / "commitments" / "index.html").read_text(encoding="utf-8")
        return re.findall(r'data-kd-grid data-first="\d+" data-total="(\d+)"(?: data-showing="(\d+)")?', page)

    english = showing(sites["en"])
    assert english and any(shown != "0" for _total, shown in english)
    assert showing(sites[language]) == english


@pytest.mark.parametrize("width", [90.0, 150.0, 400.0])  # each wider than the figure (82 at the font's size)
def test_a_chart_label_never_breaks_inside_a_french_figure(width: float) -> None:
    """French groups 2 050 000 with U+202F, which Python's str.split() counts as a space: a chart label
    cut there read "2" on one line and "050 000" on the next."""
    from kamdocs.site.svg import wrap

    lines = wrap("réel 2\u202f050\u202f000 CHF sur 2\u202f400\u202f000 CHF", width)
    assert all("2\u202f050\u202f000" in line or "050" not in line for line in lines)
    assert not any(line.startswith(("\u202f", "050", "400")) for line in lines)
