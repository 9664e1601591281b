"""The one configuration, shared by the CLI and the MkDocs plugin.

A plans repository needs no Python project file: the options live under the
``kamdocs`` entry of ``plugins:`` in ``mkdocs.yml``, and the CLI reads the same
entry. Every option is declared once in :data:`OPTIONS`, with its type,
default and help; the plugin's MkDocs ``Config`` class is derived from it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from kamdocs.calendar.fiscal import DEFAULT_START, FiscalStartError, parse_start
from kamdocs.calendar.intervals import IntervalRangeError, parse_interval
from kamdocs.errors import UsageError
from kamdocs.findings import FRESHNESS_RULES, RULES, Severity
from kamdocs.system.filekinds import kind_of

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
INTERVAL_NAMES = ("monthly", "quarterly", "semiannual", "annual")
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
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


def _bool(name: str, value: Any) -> bool:
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
        Option("git", True, "Read git history for last-change dates and revisions; `false` skips git entirely.", _bool),
        Option(
            "commit_subjects",
            True,
            (
                "Show each commit's subject in a plan page's history. `false` leaves every subject out of the "
                "site (author and date stay), for subjects that say what was made confidential; see "
                "[confidentiality](confidentiality.md#commit-messages-and-author-names)."
            ),
            _bool,
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
            50,
            (
                "Rows of a roll-up table written into the page as HTML; the script renders the rest from "
                "data as the reader scrolls."
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
            _bool,
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
            _bool,
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
            _bool,
        ),
    )
}


REMOVED = {
    "freshness_level": "freshness findings never fail `mkdocs build --strict` now (they are logged at INFO); "
    "delete this line",
}
"""Options that once existed, with what to do instead, so an old mkdocs.yml gets a clear message."""


def _default(name: str) -> Any:
    """An option's default, as declared once in :data:`OPTIONS` (a factory, so no two configurations
    share a mapping)."""
    return field(default_factory=lambda: OPTIONS[name].default)


@dataclass(frozen=True)
class Config:
    """Settings in force for one run. ``root`` is the repository root."""

    root: Path
    source: str = "defaults"
    plans_dir: str = _default("plans_dir")
    schema: str | None = _default("schema")
    default_interval: str = _default("default_interval")
    due_soon_days: int = _default("due_soon_days")
    required_sections: Mapping[str, tuple[str, ...]] = _default("required_sections")
    max_bytes: int = _default("max_bytes")
    severity: Mapping[str, Severity] = _default("severity")
    git: bool = _default("git")
    commit_subjects: bool = _default("commit_subjects")
    url_prefix: str = _default("url_prefix")
    on_invalid: str = _default("on_invalid")
    group_by: tuple[str, ...] = _default("group_by")
    today: str | None = _default("today")
    fiscal_year_start: str = _default("fiscal_year_start")
    quality: QualitySettings = _default("quality")  # noqa: RUF009 (a field with a factory; see _default)
    page_size: int = _default("page_size")
    offline: bool = _default("offline")
    github_handles: Mapping[str, str] = _default("github_handles")
    raw_html: bool = _default("raw_html")
    confidential_sections: tuple[str, ...] = _default("confidential_sections")
    publish_confidential: bool = _default("publish_confidential")
    log_findings: str = _default("log_findings")
    notice: str | None = None
    """Something the user should know about how this configuration was found, e.g. defaults in use."""

    @property
    def plans_path(self) -> Path:
        return self.root / self.plans_dir

    @property
    def schema_path(self) -> Path | None:
        return None if self.schema is None else self.root / self.schema


def config_from_options(options: Mapping[str, Any], root: Path, source: str) -> Config:
    """Validate plugin options (as written in ``mkdocs.yml``) into a :class:`Config`."""
    if not isinstance(options, Mapping):
        raise ConfigError(f"{source}: plugins.kamdocs: expected a mapping of options, found {options!r}")
    values: dict[str, Any] = {}
    notice = None
    for key, raw in options.items():
        if key == "enabled":  # MkDocs' own switch for every plugin; MkDocs requires a boolean
            try:
                enabled = _bool(key, raw)
            except ConfigError as exc:
                raise ConfigError(f"{source}: plugins.kamdocs.{exc}") from None
            if not enabled:
                notice = (
                    f"{source}: the kamdocs plugin is disabled (enabled: false); kamdocs uses its options all the same"
                )
            continue
        option = OPTIONS.get(key)
        if key in REMOVED:
            raise ConfigError(f"{source}: plugins.kamdocs.{key}: removed option; {REMOVED[key]}")
        if option is None:
            close = get_close_matches(str(key), OPTIONS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known options: {', '.join(OPTIONS)}"
            raise ConfigError(f"{source}: plugins.kamdocs.{key}: unknown option{hint}")
        try:
            values[key] = option.parse(key, raw)
        except ConfigError as exc:
            raise ConfigError(f"{source}: plugins.kamdocs.{exc}") from None
    return Config(root=root, source=source, notice=notice, **values)


class _MkDocsYamlLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely, tolerating the tags MkDocs and Material use.

    ``!ENV`` is honoured because options may come from the environment;
    ``!!python/name:`` and ``!relative`` are only kept as text, never imported.
    """


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    default = names[-1] if len(names) > 1 else None
    for name in names[:-1] if len(names) > 1 else names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


def _opaque(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """A tagged value as plain data: text stays text, and a list or mapping stays one, so that an
    option's message shows the value rather than PyYAML's node objects. Nothing is imported or run."""
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return str(getattr(node, "value", ""))


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A date as PyYAML builds it, or its text when it is no real date (2026-02-30), for the option to judge."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_MkDocsYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_MkDocsYamlLoader.add_constructor("!ENV", _env)
_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", _opaque)
_MkDocsYamlLoader.add_multi_constructor("!", _opaque)


def find_config(start: Path) -> Path | None:
    """The nearest mkdocs.yml at or above ``start``, stopping at a git root."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if os.path.lexists(folder / name):  # a FIFO or folder here is refused by load_config, not skipped
                return folder / name
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Load the configuration from ``path``, or find mkdocs.yml from ``cwd``.

    With no mkdocs.yml, the defaults apply and the root is the current folder.
    """
    cwd = cwd or Path.cwd()
    shown = path
    if path is None:
        path = find_config(cwd)
        if path is None:
            return Config(root=cwd)
        shown = Path(os.path.relpath(path, cwd)) if path.parent == cwd else path
    _require_regular_file(path, shown)
    document = _with_parents(_read_yaml(path), path, frozenset({path.resolve()}))
    options = plugin_options(document, path.name)
    if options is None:
        return Config(
            root=path.parent.resolve(),
            source=path.name,
            notice=f"{path.name} has no kamdocs entry under plugins; the default settings are in use",
        )
    return config_from_options(options, path.parent.resolve(), path.name)


def site_document(config: Config) -> Mapping[str, Any]:
    """The whole ``mkdocs.yml`` the configuration came from (with ``INHERIT`` merged), for the
    settings of the site itself that ``kamdocs render`` and ``kamdocs build`` follow; empty without one."""
    path = config.root / config.source
    if config.source == "defaults" or not path.is_file():
        return {}
    document = _with_parents(_read_yaml(path), path, frozenset({path.resolve()}))
    return document if isinstance(document, dict) else {}


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        _screen_depth(text, path.name)
        return yaml.load(text, Loader=_MkDocsYamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except (RecursionError, ValueError, TypeError) as exc:  # a value PyYAML itself cannot build
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None


def _with_parents(document: Any, path: Path, seen: frozenset[Path]) -> Any:
    """``document`` merged over the file its ``INHERIT:`` names, as MkDocs merges them.

    MkDocs builds with the inherited settings, so ``kamdocs check`` must read
    them too or the two disagree on the configuration. Mappings are merged key
    by key, anything else (a ``plugins`` list too) is replaced by the child's.
    A file that inherits from itself, directly or not, is refused.
    """
    if not isinstance(document, dict) or "INHERIT" not in document:
        return document
    child = {k: v for k, v in document.items() if k != "INHERIT"}
    name = document["INHERIT"]
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{path.name}: INHERIT: expected the name of a YAML file, found {name!r}")
    parent_path = Path(os.path.normpath(path.parent / name))
    if parent_path.resolve() in seen:
        raise ConfigError(
            f"{path.name}: INHERIT: expected a file that does not inherit from itself, found a loop through {name}"
        )
    if not parent_path.exists():
        raise ConfigError(f"{path.name}: INHERIT: {name} not found at {parent_path}")
    _require_regular_file(parent_path, parent_path)
    parent = _with_parents(_read_yaml(parent_path), parent_path, seen | {parent_path.resolve()})
    if parent is not None and not isinstance(parent, dict):
        raise ConfigError(
            f"{path.name}: INHERIT: expected a mapping at the top level of {name}, found {type(parent).__name__}"
        )
    return _merge(parent or {}, child)


def _merge(parent: Any, child: Any) -> Any:
    if not (isinstance(parent, dict) and isinstance(child, dict)):
        return child
    merged = dict(parent)
    for key, value in child.items():
        merged[key] = _merge(merged[key], value) if key in merged else value
    return merged


def _require_regular_file(path: Path, shown: Path) -> None:
    """Refuse a mkdocs.yml that is not a regular file: reading a FIFO would block, and a
    folder or device skipped in silence would put the defaults in force without a word."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ConfigError(f"{shown}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{shown}: expected a regular file, found {kind_of(mode)}")


MAX_CONFIG_DEPTH = 100
"""A mkdocs.yml nests a handful of levels; PyYAML's composer recurses on each."""


def _screen_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_CONFIG_DEPTH` from the event stream, before anything is built.

    PyYAML composes recursively, so thousands of ``[`` would end in a
    RecursionError; the events come from a loop and cost nothing to count.
    """
    if text.count("[") + text.count("{") + max(map(len, text.split("\n")), default=0) < MAX_CONFIG_DEPTH:
        return
    depth = 0
    top_key: Any = None
    top_is_mapping = False
    index = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if depth == 0:
                top_is_mapping = isinstance(event, yaml.MappingStartEvent)
            elif depth == 1:
                index += 1
            depth += 1
            if depth > MAX_CONFIG_DEPTH:
                mark = event.start_mark
                where = f" under '{top_key}'" if top_key is not None else ""
                raise ConfigError(
                    f"{source}:{mark.line + 1}:{mark.column + 1}: expected at most {MAX_CONFIG_DEPTH} levels of "
                    f"nesting{where}, found more"
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and depth == 1:
            if top_is_mapping and index % 2 == 0:
                top_key = event.value
            index += 1


def plugin_options(document: Any, source: str) -> Mapping[str, Any] | None:
    """The options of the ``kamdocs`` plugin entry in a parsed mkdocs.yml; None when there is none.

    Entries are read the way MkDocs reads them, so an entry MkDocs refuses is
    refused here too, rather than quietly giving the defaults: most often
    options indented no deeper than ``- kamdocs:``, which YAML reads as keys
    beside it in the same list item.
    """
    if document is None:
        return None
    if not isinstance(document, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level, found {type(document).__name__}")
    plugins = document.get("plugins")
    if plugins is None:
        return None
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        entries = [_plugin_entry(item, source) for item in plugins]
    else:
        raise ConfigError(f"{source}: plugins: expected a list of plugin entries, found {plugins!r}")
    ours = [options for name, options in entries if name == "kamdocs"]
    if len(ours) > 1:
        # MkDocs runs every entry, each with its own options; check cannot pick one and agree with the build.
        raise ConfigError(f"{source}: plugins: expected one kamdocs entry, found {len(ours)}; delete all but one")
    if not ours:
        return None
    options = ours[0]
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ConfigError(
            f"{source}: plugins.kamdocs: expected a mapping of options indented under 'kamdocs:', found {options!r}"
        )
    # MkDocs gives an option left empty (``!ENV`` of an unset variable, a bare ``key:``) its default.
    return {key: value for key, value in options.items() if value is not None}


def _plugin_entry(item: Any, source: str) -> tuple[Any, Any]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, dict) and len(item) == 1:
        return next(iter(item.items()))
    if isinstance(item, dict) and "kamdocs" in item:
        others = ", ".join(str(k) for k in item if k != "kamdocs")
        raise ConfigError(
            f"{source}: plugins.kamdocs: expected the options indented under 'kamdocs:', found {others} "
            "beside it in the same list item; indent them two more spaces than 'kamdocs:'"
        )
    raise ConfigError(f"{source}: plugins: expected a plugin name or 'name: {{options}}', found {item!r}")
