"""The one finding model that every check produces and every reporter reads.

Keeping a single shape (as ruff does) lets the text, JSON and GitHub outputs
stay consistent: a new output format is a new reporter, never a new check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from kamdocs.escaping import one_line, path_text


class Severity(str, Enum):
    """How much a finding matters; errors fail `kamdocs check`, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in one place of one file.

    ``file`` is relative to the repository root so that the same finding reads
    the same on a laptop and in CI. ``path`` is a JSONPath into the front
    matter (``$.goal.target``), or ``$`` for the file as a whole.
    """

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""

    def log_line(self, severity: str | None = None) -> str:
        """The finding as a build log shows it: ``file:line:col: severity[rule] message``, as ``kamdocs check``."""
        return f"{one_line(self.file)}:{self.line}:{self.column}: {severity or self.severity.value}[{self.rule}] {one_line(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in reading order: by file, then line, then column."""
    return sorted(findings, key=Finding.sort_key)


def json_path(parts: Iterable[str | int]) -> str:
    """Render a path such as ``("goal", "period", "end")`` as ``$.goal.period.end``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "a").replace("-", "a").isalnum():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


# The catalogue of rule ids (docs/rules.md is checked against it).

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        # Reading the file.
        Rule("unreadable", E, "The file could not be read (permissions, a directory, a broken link)."),
        Rule(
            "not-a-file",
            E,
            "The plan path is a named pipe, socket, device or other special file; it is never opened.",
        ),
        Rule("symlink-outside", E, "The plan path is a symlink that leads outside the repository."),
        Rule("file-too-large", E, "The file is larger than the size cap (`max_bytes`, default 1 MiB)."),
        Rule("not-utf8", E, "The file is not valid UTF-8; the byte offset is given."),
        Rule("empty-file", E, "The file is empty or holds only white space."),
        Rule("frontmatter-missing", E, "The file does not start with a `---` line of front matter."),
        Rule("frontmatter-unclosed", E, "The front matter has no closing `---` line."),
        # YAML.
        Rule("yaml-syntax", E, "The front matter is not valid YAML."),
        Rule("yaml-tab", E, "A tab is used for indentation; YAML allows only spaces."),
        Rule("yaml-duplicate-key", E, "A key appears twice in the same mapping; both lines are given."),
        Rule("yaml-anchor", E, "Anchors (`&a`) and aliases (`*a`) are refused."),
        Rule("yaml-tag", E, "Explicit tags such as `!!python/object` are refused."),
        Rule("yaml-key-type", E, "A mapping key is not a string (a number, a list, null...)."),
        Rule("yaml-not-finite", E, "A number is `.nan`, `.inf` or too large to be a number (`1e309`)."),
        Rule("yaml-too-deep", E, "The front matter nests deeper than any plan needs."),
        Rule("frontmatter-not-mapping", E, "The front matter is not a mapping of keys to values."),
        # The schema.
        Rule("missing-key", E, "A required key is missing."),
        Rule("unknown-key", E, "A key is not part of the format (keys starting with `x-` are allowed)."),
        Rule("wrong-type", E, "A value has the wrong type, e.g. text where a number is expected."),
        Rule("bad-value", E, "A value is not one of those allowed."),
        Rule("bad-date", E, "A date is not a real calendar date in the form YYYY-MM-DD."),
        Rule("bad-format", E, "A text value does not have the required form (slug, interval...)."),
        Rule("too-few", E, "A list has fewer items than required."),
        Rule("too-many", E, "A list or mapping has more items than allowed."),
        Rule(
            "out-of-range",
            E,
            "A number is below the schema's minimum or above its maximum, or beyond 1e15 or nearer 0 than 1e-12.",
        ),
        Rule("bad-length", E, "A text is shorter or longer than the schema allows."),
        Rule("not-unique", E, "A list that must hold each value once holds one twice."),
        Rule("schema", E, "Any other schema violation, including those of a repository's own schema."),
        # Checks a schema cannot express.
        Rule("id-mismatch", E, "The plan `id` differs from the file name."),
        Rule("id-duplicate", E, "Two plans have the same `id`."),
        Rule(
            "item-id-duplicate",
            E,
            "Two items in a plan (factors, conditions, obstacles, commitments, KPIs) share an id.",
        ),
        Rule("resolves-unknown", E, "A commitment `resolves` an obstacle id that does not exist in the plan."),
        Rule("obstacle-unresolved", W, "An obstacle has no commitment, other than a dropped one, that resolves it."),
        Rule("commitment-unlinked", W, "A commitment in a one-page plan resolves no obstacle."),
        Rule("section-missing", E, "A required H2 section is missing from the plan body."),
        # What the body may make the renderers do (kamdocs.rules.body_limits).
        Rule(
            "body-nesting",
            E,
            "Lists, block quotes, indented blocks or HTML elements in the body are nested deeper than 32 levels, "
            "or over 20,000 levels in all.",
        ),
        Rule(
            "body-unclosed",
            E,
            "So many `[`, `(` or `<tag` in the body are left open that the Markdown renderer would read over "
            "1,000,000 characters again to look for their close.",
        ),
        Rule(
            "body-too-many",
            E,
            "The body has more than 5,000 non-blank lines, a block of more than 500 lines without a blank line, "
            "more than 200 footnotes, more than 100 fenced code blocks, or blocks too long for the markup in them.",
        ),
        Rule(
            "findings-repeated",
            W,
            "A plan gives more than 100 findings of one rule; the first 100 are listed and this one counts the rest.",
        ),
        Rule("period-inverted", E, "The goal period starts after it ends."),
        Rule(
            "interval-out-of-range",
            E,
            "A review interval is zero (`P0D`) or longer than the calendar can count (over 100 years).",
        ),
        Rule(
            "date-out-of-range",
            E,
            "A date plus the review interval (next review, KPI or contact freshness) passes 9999-12-31.",
        ),
        Rule(
            "amount-grouped",
            E,
            "An amount in a currency is written with a thousands point (`850.000`), which YAML reads as a "
            "decimal (850); the hint gives the number meant.",
        ),
        Rule(
            "figure-grouped",
            W,
            "A figure in another unit looks like digits grouped with a thousands point (`1.250`), which YAML "
            "reads as a decimal (1.25); write the number without separators.",
        ),
        Rule(
            "currency-word",
            W,
            "A goal or KPI unit is a currency written as a word or symbol (`Franken`, `chf`, `€`); the budget "
            "sums amounts by their unit, so write its ISO code (`CHF`), as the hint gives it.",
        ),
        Rule(
            "control-character",
            E,
            "A front-matter text holds a control or bidi character (NUL, an escape code, a bell, a carriage "
            "return, U+202E ...), written raw or as a YAML escape; it would reach a terminal, a CI log or a "
            "spreadsheet as something else. Tabs and line breaks are text.",
        ),
        Rule(
            "todo",
            W,
            "A placeholder (`TODO: ...` as `kamdocs new` writes them, `todo`, `TBD`, `???`) or a `# TODO` comment "
            "in the front matter, or a body line that is one (`TBD`, `TODO: ...`), has not been replaced.",
        ),
        Rule(
            "confidential-field-unknown",
            E,
            "A `confidential_fields` entry names no field kamdocs can leave out of the site.",
        ),
        Rule(
            "confidential-unclosed",
            W,
            "A `<!-- confidential -->` marker in the body has no closing `<!-- /confidential -->`; the site "
            "leaves out everything after it.",
        ),
        Rule(
            "confidential-marker-ambiguous",
            E,
            "A comment in the body names confidentiality but is no marker (`<!-- confidential: pricing -->`), "
            "or a `<!-- /confidential -->` has no opening marker before it; the site fails closed and hides more.",
        ),
        # Freshness: warnings by default; the `severity` option or --severity makes them errors.
        Rule("review-overdue", W, "The plan's next review (last review plus interval) has passed."),
        Rule("review-in-future", W, "`review.last_reviewed` is after today."),
        Rule("commitment-overdue", W, "A commitment is past its due date and still open or in progress."),
        Rule("kpi-stale", W, "A KPI's `as_of` is older than the plan's review interval."),
        Rule("goal-expired", W, "The goal period has ended; the plan needs a new goal."),
        Rule("contact-stale", W, "A buying-centre contact's `last_contact` is older than two review intervals."),
    )
}

FRESHNESS_RULES = frozenset(
    {"review-overdue", "review-in-future", "commitment-overdue", "kpi-stale", "goal-expired", "contact-stale"}
)


def finding(rule: str, file: str, line: int, column: int, path: str, message: str, hint: str = "") -> Finding:
    """A finding of ``rule`` at a known place, with the rule's default severity.

    Configured severities are applied once, over all findings, by the checker. A file name in the
    message or hint is shown as text (:func:`path_text`); ``file`` keeps the name as the file
    system has it, for matching plans to findings, and each output shows it as text.
    """
    return Finding(rule, RULES[rule].severity, file, line, column, path, path_text(message), path_text(hint))


@dataclass(frozen=True)
class SiteFindings:
    """A check's findings as a site build treats them, the same in the plugin and in ``kamdocs render``.

    Freshness is a fact to publish, never a reason to withhold the site, so its findings are only
    information. Every other finding is a warning, or, with ``on_invalid: error``, part of the
    message that stops the build (``stop``), so that ``mkdocs build --strict`` fails on a bad plan.
    """

    stop: str | None
    warnings: tuple[Finding, ...]
    freshness: tuple[Finding, ...]
    errors: tuple[Finding, ...] = ()
    """The errors that made ``stop``: what a preview shows on its pages while it keeps the last site."""


def plural(count: int, word: str) -> str:
    """``1 error``, ``1,766 errors``: a count in a sentence a person reads."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def site_findings(findings: Iterable[Finding], on_invalid: str) -> SiteFindings:
    """Sort a check's findings into what stops a site build, its warnings and its freshness facts."""
    findings = list(findings)
    freshness = tuple(f for f in findings if f.rule in FRESHNESS_RULES)
    other = tuple(f for f in findings if f.rule not in FRESHNESS_RULES)
    errors = [f for f in other if f.is_error]
    if errors and on_invalid == "error":
        warnings = len(other) - len(errors)
        listing = "\n".join(f"  {f.log_line()}" for f in other)
        also = f" and {plural(warnings, 'warning')}" if warnings else ""
        stop = f"{plural(len(errors), 'error')}{also} in the plans (set on_invalid: warn to build the valid ones):\n{listing}"
        return SiteFindings(stop, (), freshness, tuple(errors))
    return SiteFindings(None, other, freshness)
