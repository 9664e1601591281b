"""Checks a JSON Schema cannot express, over one plan or across all plans.

Each function takes what it needs and returns findings; none reads files or
the clock, so each can be tested on a hand-built input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from pathlib import PurePosixPath

from kamdocs.calendar.intervals import IntervalRangeError, parse_interval
from kamdocs.escaping import CONTROL_CHARACTER, character_name, one_line
from kamdocs.findings import Finding, finding, json_path
from kamdocs.plan.loader import SourceFile
from kamdocs.plan.model import PLAN_ID, Plan
from kamdocs.plan.spellings import PLACEHOLDER_MARKS, currency_code, is_placeholder, suspicious_float

ATX_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]++((?>[^ \t\n]++|[ \t]++(?!(?:#+[ \t]*+)?\Z))*+))?(?:[ \t]+#+)?[ \t]*")
"""An ATX heading line (``fullmatch``): group 1 the hashes, group 2 the title without a closing ``#`` run.

The title is taken a run of spaces or of other characters at a time, each run whole (possessive), and a
run of spaces ends it only when nothing but a closing ``#`` run and spaces follows. So each character is
read a bounded number of times: the lazy ``(.*?)`` this replaces retried the spaces after every
character, and one line ``## a``, 120,000 spaces, ``b`` took six minutes (issue 19).
tests/test_linear_patterns.py compares the two on every short line."""
CODE_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def check_id_matches_file(source: SourceFile) -> list[Finding]:
    """Findings when a plan's id differs from its file name."""
    plan_id = source.data.get("id")
    stem = PurePosixPath(source.rel).stem
    if isinstance(plan_id, str) and plan_id != stem:
        return [
            source.finding(
                "id-mismatch",
                ["id"],
                f"expected the id to equal the file name '{stem}', found '{plan_id}'",
                f"rename the file to {plan_id}.md" + (f" or set id: {stem}" if PLAN_ID.fullmatch(stem) else ""),
                at_value=True,
            )
        ]
    return []


@dataclass(frozen=True)
class PlanId:
    """A plan's id and where it is written: all the unique-id check keeps of a file.

    Keeping this instead of the parsed file lets a run over 10,000 plans hold
    only what the cross-plan check needs.
    """

    id: str
    file: str
    line: int
    column: int


def plan_id(source: SourceFile) -> list[PlanId]:
    """The plan's id with its position, or findings when it is missing or not text."""
    value = source.data.get("id")
    if not isinstance(value, str):
        return []
    line, column = source.position(["id"], at_value=True)
    return [PlanId(value, source.rel, line, column)]


def check_unique_ids(ids: Iterable[PlanId]) -> list[Finding]:
    """Plan ids are unique across the repository; every copy after the first is named."""
    first: dict[str, PlanId] = {}
    findings = []
    for entry in ids:
        if entry.id not in first:
            first[entry.id] = entry
            continue
        findings.append(
            finding(
                "id-duplicate",
                entry.file,
                entry.line,
                entry.column,
                "$.id",
                f"expected a unique plan id, found '{entry.id}' also used by {first[entry.id].file}",
                "give each plan its own id; ids name the pages and must not change once published",
            )
        )
    return findings


def _item_paths(plan: Plan) -> Iterable[tuple[list[str | int], str]]:
    """Every id inside a plan with its JSON path, in file order."""
    for i, factor in enumerate(plan.success_factors):
        yield ["success_factors", i, "id"], factor.id
        for j, condition in enumerate(factor.conditions):
            yield ["success_factors", i, "conditions", j, "id"], condition.id
            for k, obstacle in enumerate(condition.obstacles):
                yield ["success_factors", i, "conditions", j, "obstacles", k, "id"], obstacle.id
    for i, commitment in enumerate(plan.commitments):
        yield ["commitments", i, "id"], commitment.id
    for i, kpi in enumerate(plan.kpis):
        yield ["kpis", i, "id"], kpi.id


def check_plan(plan: Plan, source: SourceFile) -> list[Finding]:
    """The per-plan checks on a schema-valid plan: item ids, the constraint chain, period."""
    findings: list[Finding] = []
    seen: dict[str, list[str | int]] = {}
    for path, item_id in _item_paths(plan):
        if item_id in seen:
            line, _ = source.position(seen[item_id], at_value=True)
            findings.append(
                source.finding(
                    "item-id-duplicate",
                    path,
                    f"expected ids unique within the plan, found '{item_id}' again (first on line {line})",
                    "rename one of them; commitments refer to obstacles by id",
                    at_value=True,
                )
            )
        else:
            seen[item_id] = path
    obstacle_ids = {o.id for o in plan.obstacles}
    nearest = _NearestId(obstacle_ids)
    resolved: set[str] = set()
    for i, commitment in enumerate(plan.commitments):
        for j, target in enumerate(commitment.resolves):
            if target not in obstacle_ids:
                findings.append(
                    source.finding(
                        "resolves-unknown",
                        ["commitments", i, "resolves", j],
                        f"expected the id of an obstacle in this plan, found '{target}'",
                        nearest.hint(target),
                        at_value=True,
                    )
                )
            elif commitment.status != "dropped":
                resolved.add(target)
        if plan.kind == "one-page" and not commitment.resolves:
            findings.append(
                source.finding(
                    "commitment-unlinked",
                    ["commitments", i, "id"],
                    f"expected commitment '{commitment.id}' to resolve at least one obstacle, found none",
                    "add 'resolves: [obstacle-id]'; in a one-page plan every commitment answers an obstacle",
                )
            )
    for i, factor in enumerate(plan.success_factors):
        for j, condition in enumerate(factor.conditions):
            for k, obstacle in enumerate(condition.obstacles):
                if obstacle.id not in resolved:
                    findings.append(
                        source.finding(
                            "obstacle-unresolved",
                            ["success_factors", i, "conditions", j, "obstacles", k, "id"],
                            f"expected a commitment that resolves obstacle '{obstacle.id}', found none that is not dropped",
                            f"add a commitment with 'resolves: [{obstacle.id}]'",
                        )
                    )
    if plan.goal.period.start > plan.goal.period.end:
        findings.append(
            source.finding(
                "period-inverted",
                ["goal", "period", "start"],
                f"expected the period to start on or before its end {plan.goal.period.end}, "
                f"found start {plan.goal.period.start}",
                "swap start and end",
                at_value=True,
            )
        )
    return findings


def check_dates(plan: Plan, source: SourceFile, default_interval: str) -> list[Finding]:
    """The review interval is in range, and every date the freshness rules add it to stays in the calendar.

    Freshness adds the interval to the last review, to each KPI's ``as_of``
    and twice to each contact's ``last_contact``. A sum past 9999-12-31 is an
    error here, so no later step (freshness, status, the site) meets it.
    """
    text = plan.review.interval or default_interval
    try:
        interval = parse_interval(text)
    except IntervalRangeError as exc:
        return [
            source.finding(
                "interval-out-of-range",
                ["review", "interval"],
                f"expected a review interval of one day to a hundred years, found {exc}",
                "use monthly, quarterly, semiannual, annual, or a duration like P6W or P90D",
                at_value=True,
            )
        ]
    dated: list[tuple[list[str | int], date, int, str]] = []
    if plan.review.last_reviewed is not None:
        dated.append((["review", "last_reviewed"], plan.review.last_reviewed, 1, "the next review is due"))
    for i, kpi in enumerate(plan.kpis):
        dated.append((["kpis", i, "as_of"], kpi.as_of, 1, f"KPI '{kpi.id}' goes stale"))
    for i, contact in enumerate(plan.buying_center):
        if contact.last_contact is not None:
            dated.append((["buying_center", i, "last_contact"], contact.last_contact, 2, "the contact goes stale"))
    return [
        source.finding(
            "date-out-of-range",
            path,
            f"expected a date to which the {text} review interval can be added within the calendar "
            f"(when {what}), found {day}, which passes 9999-12-31",
            "check the year; a date this far ahead is a typing mistake",
            at_value=True,
        )
        for path, day, times, what in dated
        if not interval.fits(day, times)
    ]


def check_sections(kind: str, source: SourceFile, required: Sequence[str]) -> list[Finding]:
    """Required H2 sections; needs only the kind and the body, so it runs even on schema errors."""
    if not required:
        return []
    titles = h2_titles(source.body)
    present = {normalise_title(title) for title in titles}
    missing = [title for title in required if normalise_title(title) not in present]
    if not missing:
        return []
    wanted = {normalise_title(title) for title in required}
    spare = [title for title in titles if normalise_title(title) not in wanted]
    fixes, renames = [], []
    for title in missing:
        close = closest_title(title, spare)
        if close is None:
            fixes.append(f"add '## {title}'")
        else:
            spare.remove(close)
            renames.append(close)
            fixes.append(f"rename '## {close}' to '## {title}'")
    # One section to rename: the finding points at its heading, where the fix is made.
    line = _heading_line(source, renames[0]) if len(missing) == 1 and renames else None
    return [
        finding(
            "section-missing",
            source.rel,
            line or source.closing_line,
            1,
            "body",
            f"expected the H2 section(s) {', '.join(repr(t) for t in missing)} in a {kind} plan, found "
            + (", ".join(repr(t) for t in h2_titles(source.body)) or "no H2 sections"),
            "; ".join(fixes),
        )
    ]


def _heading_line(source: SourceFile, title: str) -> int | None:
    """The file line of the body's H2 heading ``## title``, outside fenced code."""
    for offset, (line, in_code) in enumerate(markdown_lines(source.body)):
        heading = None if in_code else ATX_HEADING.fullmatch(line)
        if heading and len(heading.group(1)) == 2 and (heading.group(2) or "").strip() == title:
            return source.body_line + offset
    return None


def _words(title: str) -> list[str]:
    """A title's words, case-folded, with a plural -s dropped: "KPI" and "KPIs" are one word."""
    words = re.findall(r"[^\W_]+", title.casefold())
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]


MAX_TITLE = 120
MAX_TITLES = 100
"""How many headings, of what length, are compared with a missing section's title: a real plan has a
few dozen short ones, and a hostile body with thousands cannot make the check slow."""


def closest_title(wanted: str, titles: Sequence[str]) -> str | None:
    """The heading among ``titles`` meant as ``wanted``: the same words in another order or form
    ("Value added" for "Added value", "Strategy & actions" for "Strategy and actions"), else a near
    spelling ("Organization" for "Organisation"). None when no heading is close enough to propose."""
    filler = {"and", "the", "of", "a", "und", "et"}
    goal = set(_words(wanted)) - filler
    best: tuple[float, str] | None = None
    for title in [t for t in titles if len(t) <= MAX_TITLE][:MAX_TITLES]:
        words = set(_words(title)) - filler
        shared = len(goal & words) / len(goal | words) if goal | words else 0.0
        contains = 0.8 if goal and goal <= words else 0.0  # "Added-value offering" holds "Added value"
        spelled = _similarity(" ".join(sorted(goal)), " ".join(sorted(words)))
        initials = 1.0 if len(words) > 1 and {"".join(w[0] for w in _words(title))} == goal else 0.0  # KPIs
        score = max(shared, contains, spelled, initials)
        if score >= 0.75 and (best is None or score > best[0]):
            best = (score, title)
    return best[1] if best else None


def markdown_lines(body: str) -> Iterator[tuple[str, bool]]:
    """Each line of a Markdown body, with whether it lies in fenced code (fences included).

    As CommonMark has it: a fence closes on a line of the same character, at least as long, with
    nothing after it; ```` ```python ```` inside a block is code, not its end. Every reader of a
    plan's headings and markers goes through this, so they all agree on what is code.
    """
    fence = ""
    for line in body.split("\n"):
        match = CODE_FENCE.match(line)
        if match:
            marker = match.group(1)
            if not fence:
                fence = marker
                yield line, True
                continue
            if marker[0] == fence[0] and len(marker) >= len(fence) and not line[match.end() :].strip():
                fence = ""
                yield line, True
                continue
        yield line, bool(fence)


def h2_titles(body: str) -> list[str]:
    """Titles of level-2 ATX headings (``## Title``), ignoring fenced code."""
    titles = []
    for line, code in markdown_lines(body):
        if code:
            continue
        heading = ATX_HEADING.fullmatch(line)
        if heading and len(heading.group(1)) == 2 and heading.group(2):
            titles.append(heading.group(2).strip())
    return titles


HINT_BUDGET = 20_000
"""Obstacle ids a plan's ``resolves-unknown`` hints may compare with the ids they did not find, in all.

Each comparison is a :class:`~difflib.SequenceMatcher`; a plan of 2,000 obstacles and 100,000 unknown
ids in one ``resolves`` list would make 200 million of them (hours). Past the budget a hint lists the
known obstacles instead of guessing; a plan of 100 obstacles gets 200 typos guessed."""
KNOWN_SHOWN = 10
"""Obstacle ids a hint lists at most; the rest are counted."""


class _NearestId:
    """The ``did you mean`` hint for an id that is not among ``known``, each distinct id worked out once."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = sorted(known)
        self.left = HINT_BUDGET
        self.hints: dict[str, str] = {}

    def hint(self, target: str) -> str:
        if target not in self.hints:
            close = self._closest(target)
            self.hints[target] = f"did you mean '{close}'?" if close is not None else self._listed()
        return self.hints[target]

    def _closest(self, target: str) -> str | None:
        """The first known id (in sorted order) most like ``target`` and more than 0.6 alike, or None,
        also when the budget is spent."""
        if len(self.known) > self.left:
            return None
        self.left -= len(self.known)
        matcher = SequenceMatcher(None, "", target)  # the target is seq2, whose index is built once
        best, best_ratio = None, 0.6
        for candidate in self.known:
            matcher.set_seq1(candidate)
            # Upper bounds first: most candidates cannot beat the best so far.
            if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
                ratio = matcher.ratio()
                if ratio > best_ratio:
                    best, best_ratio = candidate, ratio
        return best

    def _listed(self) -> str:
        if not self.known:
            return "this plan has no obstacles"
        shown = ", ".join(self.known[:KNOWN_SHOWN])
        more = len(self.known) - KNOWN_SHOWN
        return f"known obstacles: {shown}" + (f" and {more:,} more" if more > 0 else "")


def normalise_title(title: str) -> str:
    """A heading title compared case- and space-insensitively."""
    return " ".join(title.casefold().split())


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


_NAMES = frozenset({"id", "resolves"})
"""Keys whose values are slugs naming things: an id ``todo`` is a name, not a placeholder."""
_TODO_COMMENT = re.compile(r"(?:^|[ \t])(#[ \t]*(?:TODO|TBD|FIXME)\b.*)", re.IGNORECASE)


def _may_hold_placeholder(text: str) -> bool:
    """Whether a text may hold a placeholder at all, so that most plans are not walked or split into lines."""
    folded = text.casefold()
    return any(mark in folded for mark in PLACEHOLDER_MARKS)


def check_todos(source: SourceFile) -> list[Finding]:
    """Placeholders: every text value that is one (``TODO: CHF, EUR, units...`` as ``kamdocs new`` writes
    them, ``todo``, ``TBD``, ``???``: :func:`~kamdocs.plan.spellings.is_placeholder`), every front-matter
    line whose comment says TODO (``target: 850000  # TODO confirm``), and body lines that are a placeholder (``TODO: ...``, ``TBD``, ``???``).

    A placeholder in a number or date is also a schema error; this names it as a placeholder too, so
    every unfinished field is listed whatever its type.
    """
    findings = []
    texts = _texts_in(source.data, skip=_NAMES) if _may_hold_placeholder(source.yaml_text) else ()
    for value, path in texts:
        if is_placeholder(value):
            findings.append(
                source.finding(
                    "todo", path, f"expected a real value, found the placeholder {value!r}", "replace it", at_value=True
                )
            )
    for offset, line in enumerate(source.yaml_text.split("\n") if "#" in source.yaml_text else ()):
        comment = _TODO_COMMENT.search(line)
        if comment is None or _quotes_open(line[: comment.start(1)]):
            continue
        findings.append(
            finding(
                "todo",
                source.rel,
                source.yaml_line + offset,
                comment.start(1) + 1,
                "$",
                f"expected a finished value, found the comment {comment.group(1).strip()[:60]!r}",
                "fill in the value on this line, then remove the comment",
            )
        )
    for offset, line in enumerate(source.body.split("\n") if _may_hold_placeholder(source.body) else ()):
        if line.strip() and is_placeholder(line):
            findings.append(
                finding(
                    "todo",
                    source.rel,
                    source.body_line + offset,
                    len(line) - len(line.lstrip()) + 1,
                    "body",
                    f"expected the plan's own text, found the placeholder {line.strip()[:60]!r}",
                    "write this part of the plan",
                )
            )
    return findings


_TERMINAL_SEQUENCE = re.compile(r"\x1b\[[0-?]{0,64}[ -/]{0,16}[@-~]|\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?")
"""An escape sequence (CSI ``ESC [ 2 J``, OSC ``ESC ] 0 ; title BEL``), left out whole from the value the hint proposes."""


def check_control_characters(source: SourceFile) -> list[Finding]:
    """Control and bidi characters in front-matter text (``"\\0=1+1"``, ``"\\e]0;title\\a"``, U+202E):
    one finding per value, at the value, naming the first one and proposing the value without them.

    Tabs and line feeds (a multi-line statement) are text. Everything else that
    :data:`~kamdocs.escaping.CONTROL_CHARACTER` matches is nothing a person types: it arrives from
    a paste or an attack, and would reach a terminal, a CI log or a spreadsheet as something else.
    """
    if CONTROL_CHARACTER.search(source.yaml_text) is None and "\\" not in source.yaml_text:
        return []  # YAML writes these characters raw or as a backslash escape; most plans have neither
    findings = []
    for value, path in _texts_in(source.data):
        found = CONTROL_CHARACTER.search(value)
        if found is not None:
            meant = CONTROL_CHARACTER.sub("", _TERMINAL_SEQUENCE.sub("", value))
            findings.append(
                source.finding(
                    "control-character",
                    path,
                    f"expected text without control characters, found {character_name(found.group())} "
                    f'at character {found.start() + 1} of "{one_line(value)[:60]}"',
                    f"write it as {json.dumps(meant, ensure_ascii=False)[:80]} (the value without them)",
                    at_value=True,
                )
            )
    return findings


def _texts_in(data: object, skip: Collection[str] = ()) -> Iterator[tuple[str, list[str | int]]]:
    """Every text value in ``data`` with its path, depth first in the document's order; a mapping's
    keys in ``skip`` are not entered.

    With a stack of its own, not a nested function that calls itself: that is a reference cycle,
    which held the plan's whole YAML tree until the cyclic collector ran, and the check's workers
    run with it off (900 objects a plan; 500 MB a worker at 10,000 plans).
    """
    stack: list[tuple[object, list[str | int]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            yield value, path
        elif isinstance(value, dict):
            stack.extend((item, [*path, key]) for key, item in reversed(value.items()) if key not in skip)
        elif isinstance(value, list):
            stack.extend((item, [*path, index]) for index, item in reversed(list(enumerate(value))))


def _quotes_open(text: str) -> bool:
    """Whether a quoted scalar is still open at the end of ``text`` (so a ``#`` after it is not a comment)."""
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
    return bool(quote)


FIGURES = ("baseline", "target", "actual")
"""The figures of a goal or KPI, all in the unit beside them."""


def _figure_places(data: dict[str, object]) -> Iterator[tuple[list[str | int], object]]:
    """Every goal and KPI figure's path, with the unit written beside it."""
    goal = data.get("goal")
    if isinstance(goal, dict):
        for key in FIGURES:
            yield ["goal", key], goal.get("unit")
    kpis = data.get("kpis")
    for index, kpi in enumerate(kpis if isinstance(kpis, list) else ()):
        if isinstance(kpi, dict):
            for key in FIGURES:
                yield ["kpis", index, key], kpi.get("unit")


def check_grouped_figures(source: SourceFile) -> list[Finding]:
    """Figures written with a thousands point, which YAML reads as decimals: ``850.000`` is 850.

    The number a plain scalar stands for is gone once YAML has read it, so this looks at the text
    as written. In a currency (three capital letters) such an amount is an error, because the budget
    would sum 850 EUR; in any other unit it may be a genuine three-decimal figure, so a warning.
    Text such as ``1'250'000`` is no number at all, and the schema's hint proposes the number.
    """
    findings = []
    for path, unit in _figure_places(source.data):
        value = _at(source.data, path)
        if not isinstance(value, float):
            continue
        written = source.document.source_text(path) or ""
        meant = suspicious_float(written)
        if meant is None:
            continue
        money = isinstance(unit, str) and currency_code(unit) is not None
        in_unit = f" {unit}" if isinstance(unit, str) else ""
        findings.append(
            source.finding(
                "amount-grouped" if money else "figure-grouped",
                path,
                f"expected a number without thousands separators for '{json_path(path)[2:]}', "
                f"found {written}, which YAML reads as {value:g}{in_unit}",
                meant.hint(),
                at_value=True,
            )
        )
    return findings


def check_currency_words(source: SourceFile) -> list[Finding]:
    """A currency written as a word or symbol (``Franken``, ``chf``, ``€``): the budget sums amounts by their
    unit as written, so ``Franken`` would be a currency of its own beside ``CHF``. The hint gives the code."""
    findings = []
    places = {(*path[:-1], "unit"): unit for path, unit in _figure_places(source.data)}
    for path, unit in places.items():
        code = currency_code(unit) if isinstance(unit, str) else None
        if code is None or code == unit:
            continue
        findings.append(
            source.finding(
                "currency-word",
                list(path),
                f"expected the ISO code of the currency for '{json_path(list(path))[2:]}', found {unit!r}",
                f"write {code}",
                at_value=True,
            )
        )
    return findings


def _at(data: object, path: Sequence[str | int]) -> object:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
