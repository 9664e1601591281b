"""Every option of kamdocs, declared once (:data:`OPTIONS`), with the parser that checks its value.

The CLI and the MkDocs plugin read the same options from the ``kamdocs`` entry
of ``plugins:`` in ``mkdocs.yml``; the plugin's MkDocs ``Config`` class is
derived from :data:`OPTIONS`, and docs/configuration.md shows each help text
word for word (a test compares them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from types import MappingProxyType
from typing import Any

from kamdocs.calendar.fiscal import DEFAULT_START, FiscalStartError, parse_start
from kamdocs.calendar.intervals import IntervalRangeError, parse_interval
from kamdocs.errors import UsageError
from kamdocs.findings import FRESHNESS_RULES, RULES, Severity
from kamdocs.i18n import LocaleProblem, parse_locale

DEFAULT_FULL_SECTIONS = (
    "Overview",
    "Requirements",
    "Organisation",
    "Mapping",
    "Sales objectives",
    "Strategy and actions",
    "Added value",
    "Commitments",
    "KPIs",
)
GITHUB_HANDLE = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:/[A-Za-z0-9._-]+)?")
"""A GitHub user (@name) or team (@org/team): the only owner text CODEOWNERS gets from kamdocs."""


class ConfigError(UsageError):
    """A configuration problem; the CLI prints it on one line and exits 2."""


@dataclass(frozen=True)
class Option:
    """One option, declared once: its default, its help (docs/configuration.md shows it word for word)
    and the parser that checks a value for the CLI and the plugin alike."""

    name: str
    default: Any
    help: str
    parse: Callable[[str, Any], Any]


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{name}: expected a non-empty text, found {value!r}")
    return value


def _optional_text(name: str, value: Any) -> str | None:
    return None if value is None else _text(name, value)


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{name}: expected a whole number of 0 or more, found {value!r}")
    return value


def _interval(name: str, value: Any) -> str:
    expected = "monthly, quarterly, semiannual, annual or an ISO 8601 duration like P6W"
    if not isinstance(value, str):
        raise ConfigError(f"{name}: expected {expected}, found {value!r}")
    try:
        parse_interval(value)
    except IntervalRangeError as exc:
        raise ConfigError(f"{name}: expected an interval of one day to a hundred years, found {exc}") from None
    except ValueError:
        raise ConfigError(f"{name}: expected {expected}, found {value!r}") from None
    return value


def _sections(name: str, value: Any) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: expected a mapping of plan kind to a list of section titles, found {value!r}")
    out = {"full": DEFAULT_FULL_SECTIONS, "one-page": ()}
    for kind, titles in value.items():
        if kind not in out:
            raise ConfigError(f"{name}.{kind}: expected a plan kind (one-page or full), found {kind!r}")
        if not isinstance(titles, list) or not all(isinstance(t, str) and t.strip() for t in titles):
            raise ConfigError(f"{name}.{kind}: expected a list of section titles, found {titles!r}")
        out[kind] = tuple(titles)
    return MappingProxyType(out)


def _severity(name: str, value: Any) -> Mapping[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: expected a mapping of rule id to error or warning, found {value!r}")
    return MappingProxyType(parse_severities(value.items(), name))


def parse_severities(pairs: Iterable[tuple[Any, Any]], name: str = "severity") -> dict[str, Severity]:
    """Rule severities from ``(rule, level)`` pairs; the rule ``freshness`` means every freshness rule."""
    out: dict[str, Severity] = {}
    for rule, level in pairs:
        if level not in ("error", "warning"):
            raise ConfigError(f"{name}.{rule}: expected error or warning, found {level!r}")
        if rule == "freshness":
            out.update(dict.fromkeys(sorted(FRESHNESS_RULES), Severity(level)))
        elif rule in RULES:
            out[rule] = Severity(level)
        else:
            close = get_close_matches(str(rule), [*RULES, "freshness"], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; see docs/rules.md for the rule ids"
            raise ConfigError(f"{name}.{rule}: unknown rule{hint}")
    return out


FACETS = ("business_area", "owner", "reviewer", "region", "tier", "tags", "kind")


def _choice(*allowed: str) -> Callable[[str, Any], str]:
    def parse(name: str, value: Any) -> str:
        if value not in allowed:
            raise ConfigError(f"{name}: expected one of {', '.join(allowed)}, found {value!r}")
        return value

    return parse


def _facets(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(v in FACETS for v in value):
        raise ConfigError(f"{name}: expected a list of facets from {', '.join(FACETS)}, found {value!r}")
    return tuple(dict.fromkeys(value))


def _url_prefix(name: str, value: Any) -> str:
    text = _text(name, value).strip("/")
    if not all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*", part) for part in text.split("/")):
        raise ConfigError(
            f"{name}: expected a path of lowercase slugs like 'plans' or 'accounts/plans', found {value!r}"
        )
    return text


def _day(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else value
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ConfigError(f"{name}: expected a date YYYY-MM-DD, found {value!r}")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{name}: expected a real calendar date YYYY-MM-DD, found {value!r}") from None
    return text


QUALITY_CATEGORIES = ("completeness", "chain", "ownership", "people", "freshness", "delivery", "kpis")


@dataclass(frozen=True)
class QualitySettings:
    """How plan quality is scored: points per category, and the bands' lower bounds."""

    weights: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(
            {
                "completeness": 25,
                "chain": 20,
                "ownership": 15,
                "people": 10,
                "freshness": 10,
                "delivery": 10,
                "kpis": 10,
            }
        )
    )
    good: int = 80
    fair: int = 60


def _quality(name: str, value: Any) -> QualitySettings:
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: expected a mapping with weights, good and fair, found {value!r}")
    default = QualitySettings()
    weights = dict(default.weights)
    for key in value:
        if key not in ("weights", "good", "fair"):
            raise ConfigError(f"{name}.{key}: unknown key; expected weights, good or fair")
    given = value.get("weights", {})
    if not isinstance(given, dict):
        raise ConfigError(f"{name}.weights: expected a mapping of category to points, found {given!r}")
    for category, points in given.items():
        if category not in QUALITY_CATEGORIES:
            raise ConfigError(
                f"{name}.weights.{category}: unknown category; expected one of {', '.join(QUALITY_CATEGORIES)}"
            )
        weights[category] = _positive_int(f"{name}.weights.{category}", points)
    if not any(weights.values()):
        raise ConfigError(f"{name}.weights: expected at least one category with points, found all 0")
    good = _percent(f"{name}.good", value.get("good", default.good))
    fair = _percent(f"{name}.fair", value.get("fair", default.fair))
    if fair > good:
        raise ConfigError(f"{name}: expected fair ({fair}) at or below good ({good})")
    return QualitySettings(MappingProxyType(weights), good, fair)


def _percent(name: str, value: Any) -> int:
    number = _positive_int(name, value)
    if number > 100:
        raise ConfigError(f"{name}: expected a score from 0 to 100, found {value!r}")
    return number


def _fiscal_start(name: str, value: Any) -> str:
    if isinstance(value, date):  # YAML reads 2026-04-01 as a date: say what was written
        value = value.isoformat()
    try:
        parse_start(value)
    except FiscalStartError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    return value


def _page_size(name: str, value: Any) -> int:
    number = _positive_int(name, value)
    if number < 10:
        raise ConfigError(f"{name}: expected at least 10 rows, found {value!r}")
    return number


def _handles(name: str, value: Any) -> Mapping[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigError(f"{name}: expected a mapping of person to GitHub handle, found {value!r}")
    for person, handle in value.items():
        if not GITHUB_HANDLE.fullmatch(handle):
            raise ConfigError(f"{name}.{person}: expected a GitHub handle like @name or @org/team, found {handle!r}")
    return MappingProxyType(dict(value))


def _titles(name: str, value: Any) -> tuple[str, ...]:
    # A title needs a letter or digit: headings are matched on those, so "💰" alone would match nothing.
    if not isinstance(value, list) or not all(isinstance(t, str) and any(c.isalnum() for c in t) for t in value):
        raise ConfigError(f"{name}: expected a list of section titles, each with a letter or digit, found {value!r}")
    return tuple(value)


def _language(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value.strip()):
        raise ConfigError(f"{name}: expected a language code like de, fr, it or en, found {value!r}")
    return value.strip()


def _locale(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{name}: expected a locale like de-CH, de-DE, fr-CH, it-CH or en, found {value!r}")
    try:
        parse_locale(value)
    except LocaleProblem as exc:
        raise ConfigError(f"{name}: {exc}") from None
    return value.strip()


def parse_bool(name: str, value: Any) -> bool:
    """A switch: YAML's true or false only, as MkDocs wants them (``"no"`` in quotes is not false)."""
    if not isinstance(value, bool):
        raise ConfigError(f"{name}: expected true or false, found {value!r}")
    return value


OPTIONS: dict[str, Option] = {
    o.name: o
    for o in (
        Option("plans_dir", "plans", "Folder of plan files, relative to the repository root.", _text),
        Option(
            "schema",
            None,
            (
                "A repository's own JSON Schema, relative to the root. It may `$ref` the bundled "
                "`urn:kamdocs:plan:v1` to narrow `business_area` or add fields; see [the "
                "format](format.md#a-repositorys-own-schema)."
            ),
            _optional_text,
        ),
        Option(
            "default_interval", "quarterly", "Review interval for plans that do not set `review.interval`.", _interval
        ),
        Option("due_soon_days", 14, "How many days before its next review a plan counts as due soon.", _positive_int),
        Option(
            "required_sections",
            MappingProxyType({"full": DEFAULT_FULL_SECTIONS, "one-page": ()}),
            "H2 sections each plan kind must have in its body.",
            _sections,
        ),
        Option(
            "max_bytes",
            1024 * 1024,
            "Largest plan file read; a larger one is a `file-too-large` finding.",
            _positive_int,
        ),
        Option(
            "severity",
            MappingProxyType({}),
            "Severity per rule id, `error` or `warning`. The key `freshness` sets every freshness rule.",
            _severity,
        ),
        Option(
            "git", True, "Read git history for last-change dates and revisions; `false` skips git entirely.", parse_bool
        ),
        Option(
            "history_cache",
            True,
            (
                "Keep the figures of the plans' earlier versions between builds, in `.cache/kamdocs/` under the "
                "repository root, so a build or `kamdocs serve` judges only versions it has not judged before. "
                "The site is the same byte for byte either way; `false` judges every version on every build. "
                "In CI, cache that folder ([workflows](workflows.md#the-history-cache-in-ci))."
            ),
            parse_bool,
        ),
        Option(
            "commit_subjects",
            True,
            (
                "Show each commit's subject in a plan page's history. `false` leaves every subject out of the "
                "site (author and date stay), for subjects that say what was made confidential; see "
                "[confidentiality](confidentiality.md#commit-messages-and-author-names)."
            ),
            parse_bool,
        ),
        Option(
            "url_prefix",
            "plans",
            ("Where the generated pages live in the site: the dashboard is `plans/`, a plan `plans/accounts/ID/`."),
            _url_prefix,
        ),
        Option(
            "on_invalid",
            "error",
            (
                "`error`: a plan with errors stops `mkdocs build` with one message listing every finding. "
                "`warn`: the valid plans are built and each finding is logged as a warning, so `--strict` "
                "still fails."
            ),
            _choice("error", "warn"),
        ),
        Option(
            "group_by",
            ("business_area", "owner"),
            (
                'Facets that get a page per value ("my accounts"): `business_area`, `owner`, `reviewer`, '
                "`region`, `tier`, `tags`, `kind`."
            ),
            _facets,
        ),
        Option(
            "today",
            None,
            (
                "The date the site judges freshness on; otherwise `SOURCE_DATE_EPOCH`, then the local date. "
                "The CLI uses it too unless `--today` is given."
            ),
            _day,
        ),
        Option(
            "fiscal_year_start",
            DEFAULT_START,
            (
                "First day of the fiscal year, `MM-DD` (`04-01` for April to March). A goal counts in the "
                "fiscal year in which its period ends; see [the budget](site.md#budget)."
            ),
            _fiscal_start,
        ),
        Option(
            "quality",
            QualitySettings(),
            ("Points per quality category (`weights`) and the lower bounds of the `good` and `fair` bands."),
            _quality,
        ),
        Option(
            "page_size",
            20,
            (
                "Rows of a roll-up table written into the page as HTML (the commitments page writes 10 of "
                "each owner's); the script renders the rest from data, 50 at a time, as the reader scrolls."
            ),
            _page_size,
        ),
        Option(
            "github_handles",
            MappingProxyType({}),
            (
                'GitHub handle per person as written in plans (`bam@example.com: "@bam"`), for `kamdocs '
                "codeowners`. A reviewer written as `@handle` needs no entry."
            ),
            _handles,
        ),
        Option(
            "offline",
            True,
            (
                "With Material, the header's repository link does not ask the GitHub or GitLab API for "
                "stars and forks, so the site makes no request to the internet."
            ),
            parse_bool,
        ),
        Option(
            "confidential_sections",
            (),
            (
                "Titles of body sections that the site and the exports leave out, e.g. `[Pricing strategy]`: "
                "every heading whose title holds one, as the site's Markdown renders it, ignoring case, spacing, "
                "punctuation and markup. See [confidentiality](confidentiality.md#what-counts-as-a-section-title)."
            ),
            _titles,
        ),
        Option(
            "publish_confidential",
            False,
            (
                "`true` builds a restricted site with everything confidential included, and every page says "
                '"Restricted" at its top. Host it apart from the public site '
                "([confidentiality](confidentiality.md))."
            ),
            parse_bool,
        ),
        Option(
            "log_findings",
            "summary",
            (
                "How a site build logs freshness findings: `summary` gives one line per rule with its count "
                "and the three most urgent plans, and where the full list is (`mkdocs build -v` adds one line "
                "per finding); `all` gives one line per finding. Warnings and errors are one line each either "
                "way. See [the build log](site.md#the-build-log)."
            ),
            _choice("summary", "all"),
        ),
        Option(
            "raw_html",
            False,
            (
                "`false`: the HTML of each plan body is sanitised, so no plan can run script in a reader's "
                "browser (see [the site's security](site.md#security)). `true` trusts bodies as plain "
                "MkDocs does; only for a repository where merging is limited to people you would trust with "
                "the site's script."
            ),
            parse_bool,
        ),
        Option(
            "editor",
            False,
            (
                "`true` publishes the plan form (`docs/admin/`, written by `kamdocs editor`) with the site, "
                "at `admin/`, with its script. `false` leaves `docs/admin/` out of the site: no page, link, "
                "search entry or sitemap line. See [the form editor](editing.md#the-form-editor)."
            ),
            parse_bool,
        ),
        Option(
            "language",
            None,
            (
                "The language of kamdocs' words on the site: `de`, `fr`, `it` or `en`. Unset, the theme's "
                "(`theme.language`) is used; a language kamdocs has no words in gives English pages and one "
                "notice in the build log. Plans stay as written. See [the site](site.md#the-readers-language)."
            ),
            _language,
        ),
        Option(
            "locale",
            None,
            (
                "How figures and dates are written, as a CLDR locale: `de-CH` writes `1’250’000` and "
                "`31.12.2027`, `de-DE` `1.250.000`. Unset, the language's Swiss locale (`de-CH`, `fr-CH`, "
                "`it-CH`); English keeps `1,250,000` and ISO dates (`2027-12-31`) unless a locale is set. "
                "Downloads keep machine formats in every locale."
            ),
            _locale,
        ),
    )
}


REMOVED = {
    "freshness_level": "freshness findings never fail `mkdocs build --strict` now (they are logged at INFO); "
    "delete this line",
}
"""Options that once existed, with what to do instead, so an old mkdocs.yml gets a clear message."""
