"""Properties of the quality score, tested with hypothesis on real plan text read by kamdocs' own loader:
the calibration plans, the untouched templates and the bundled plans, changed as an author would change them.

- A TODO placeholder in place of a statement, owner, unit, KPI name or section never raises the score, and
  lowers it wherever that text counted.
- Rewrapping body text, reordering keys and requoting scalars never changes it.
- A review-date bump alone changes only the freshness category, by at most its weight.
- Removing a commitment, contact or KPI never raises it unless that item itself cost points.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdocs.config import Config
from kamdocs.plan.model import Plan
from kamdocs.rules.quality import DATA_SECTIONS, Quality, weights_for

from .conftest import ROOT
from .quality_plans import TODAY, bands, calibration_text, plan_of, score

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_plans import plan as generated_plan

GENERATED = 60
"""Generated plans (the benchmarks' generator, both kinds, with dropped commitments and many items)."""
PLANS = (
    [calibration_text(b.name) for b in bands()]
    + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "plans").glob("*.md"))]
    + [generated_plan(i, random.Random(i)) for i in range(GENERATED)]
)
DROPPED = calibration_text("one-page-exemplary").replace(
    "buying_center:",
    "  - id: c-dropped\n    action: Offer a second pilot line at our cost\n    owner: marc.service@example.com\n"
    "    due: 2026-05-31\n    status: dropped\n    resolves: [obs-pilot-slot]\nbuying_center:",
)
"""A dropped commitment counts for nothing: its text is not the plan's work."""
PLANS.append(DROPPED)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONFIG = Config(root=Path("."))


def split(text: str) -> tuple[list[str], str]:
    """The front matter's YAML lines and the body (the text after the closing '---')."""
    assert text.startswith("---\n")
    yaml, body = text[4:].split("\n---\n", 1)
    return yaml.split("\n"), body


def join(yaml: list[str], body: str) -> str:
    return "---\n" + "\n".join(yaml) + "\n---\n" + body


def category_points(quality: Quality) -> Counter[str]:
    points: Counter[str] = Counter()
    for reason in quality.reasons:
        points[reason.category] += reason.points
    return points


# Placeholders.

FIELD = re.compile(r"^(\s+)(- )?(statement|action|owner|unit|name): (.+)$")
PLACEHOLDERS = st.sampled_from(["TODO", "TODO: fill in", "TODO: what will be delivered", "TODO - later"])


def fields(text: str) -> list[tuple[int, str, str]]:
    """(yaml line index, top-level key, field) of every statement, commitment action and owner, unit and KPI name."""
    yaml, _ = split(text)
    out, top = [], ""
    for i, line in enumerate(yaml):
        if line and not line[0].isspace():
            top = line.split(":")[0]
        match = FIELD.match(line)
        if not match or "TODO" in match.group(4):
            continue
        key = match.group(3)
        wanted = {
            "goal": {"statement", "unit"},
            "success_factors": {"statement"},
            "commitments": {"action", "owner"},
            "kpis": {"name", "unit"},
        }
        if key in wanted.get(top, ()):
            out.append((i, top, key))
    return out


def sections(text: str) -> list[str]:
    """Titles of the H2 sections of the body."""
    return re.findall(r"^## (.+)$", split(text)[1], flags=re.M)


def element_of(path: str) -> str:
    """The item a field belongs to (``$.commitments[2]`` for ``$.commitments[2].owner``); a goal field is its own."""
    return path.rsplit(".", 1)[0] if "[" in path else path


def faulted(quality: Quality, element: str) -> bool:
    """Whether a reason is about the element itself (not one of the items under it)."""
    return any(
        r.path == element or (r.path.startswith(element + ".") and "[" not in r.path[len(element) + 1 :])
        for r in quality.reasons
    )


def category_of(path: str) -> str:
    return {"goal": "completeness", "success_factors": "chain", "commitments": "ownership", "kpis": "kpis"}[
        re.match(r"\$\.([a-z_]+)", path).group(1)  # type: ignore[union-attr]
    ]


def room(quality: Quality, text: str, category: str) -> bool:
    """Whether the category has at least a point left to lose: a text that counts there costs at least one."""
    plan = plan_of(text)
    weight = weights_for(plan, CONFIG.quality)[category] * 100 // sum(CONFIG.quality.weights.values())
    return category_points(quality)[category] <= weight - 1


DOCUMENTED = {
    "completeness": 25,
    "chain": 20,
    "ownership": 15,
    "people": 10,
    "freshness": 10,
    "delivery": 10,
    "kpis": 10,
}
"""The default weights as docs/quality.md gives them."""


def worth(plan: Plan, path: str) -> float:
    """The points the text at ``path`` (or a section, for ``body``) is worth by docs/quality.md's shares, worked
    out here: a placeholder there must cost at least a point for the score to show it."""
    completeness = DOCUMENTED["completeness"] + (
        DOCUMENTED["chain"] if plan.kind == "full" and not plan.success_factors else 0
    )
    live = [c for c in plan.commitments if c.status != "dropped"]
    if path.startswith("$.goal"):
        return completeness * (1 / 3 if plan.kind == "full" else 1) / 5
    if path.startswith("$.success_factors"):
        elements = sum(1 + len(c.obstacles) for f in plan.success_factors for c in f.conditions)
        return DOCUMENTED["chain"] / (elements + len(plan.success_factors) + len(live))
    if path.startswith("$.commitments"):
        return DOCUMENTED["ownership"] / len(live) / (1 if path.endswith(".action") else 3)
    if path.startswith("$.kpis"):
        return DOCUMENTED["kpis"] / 2 / len(plan.kpis)
    judged = [t for t in CONFIG.required_sections["full"] if t.casefold() not in DATA_SECTIONS]
    return completeness * 2 / 3 / len(judged)


@SETTINGS
@given(st.sampled_from(PLANS), st.data(), PLACEHOLDERS)
def test_a_placeholder_never_raises_the_score_and_lowers_it_where_the_text_counted(text, data, todo) -> None:
    before = score(text)
    plan = plan_of(text)
    choices = [("field", f) for f in fields(text)] + [("section", s) for s in sections(text)]
    kind, choice = data.draw(st.sampled_from(choices))
    yaml, body = split(text)
    if kind == "field":
        index, _, key = choice
        match = FIELD.match(yaml[index])
        assert match
        yaml[index] = f"{match.group(1)}{match.group(2) or ''}{key}: '{todo}'"
        changed = join(yaml, body)
        line = index + 2  # the file line: '---' is line 1
        path = next(p for p, n in plan.lines.items() if n == line and p.endswith("." + key))
        element = element_of(path)
        held = re.match(r"\$\.commitments\[(\d+)\]", path)
        dropped = bool(held) and plan.commitments[int(held.group(1))].status == "dropped"  # type: ignore[union-attr]
        counted = not dropped and not faulted(before, element) and room(before, text, category_of(path))
        counted = counted and worth(plan, path) >= 1
    else:
        title = re.escape(choice)
        body = re.sub(
            rf"(^## {title}\n)(.*?)(?=^## |\Z)", rf"\1\n{todo}: write this part.\n\n", body, flags=re.M | re.S
        )
        changed = join(yaml, body)
        heading = text.split("\n").index(f"## {choice}") + 1
        judged = plan.kind == "full" and " ".join(choice.casefold().split()) not in DATA_SECTIONS
        judged = judged and choice in CONFIG.required_sections["full"]
        counted = judged and heading not in {r.line for r in before.reasons} and room(before, text, "completeness")
        counted = counted and worth(plan, "body") >= 1
    after = score(changed)
    assert after.score <= before.score, (choice, before, after)
    if counted:
        assert after.score < before.score, (choice, before, after)


def test_what_a_text_is_worth_by_the_documented_shares() -> None:
    one_page, full = plan_of(calibration_text("one-page-exemplary")), plan_of(calibration_text("full-exemplary"))
    assert worth(one_page, "$.goal.unit") == 5  # 25 / 5
    assert (
        worth(one_page, "$.success_factors[0].statement") == 20 / 11
    )  # 2 factors, 3 conditions, 3 obstacles, 3 commitments
    assert worth(one_page, "$.commitments[0].owner") == 15 / 3 / 3
    assert worth(full, "$.goal.statement") == 45 / 3 / 5  # the chain's 20 in completeness
    assert worth(full, "$.kpis[1].name") == 10 / 2 / 2
    assert worth(full, "body") == 45 * 2 / 3 / 7


# Wrapping, key order, quoting.


def rewrap(body: str, widths: list[int]) -> str:
    """Every paragraph of plain text re-wrapped at the given widths (in words); headings, lists, tables and
    fences stay as they are."""
    out, paragraph, fence, turn = [], [], False, 0

    def flush() -> None:
        nonlocal turn
        words = " ".join(paragraph).split()
        while words:
            width = widths[turn % len(widths)]
            turn += 1
            out.append(" ".join(words[:width]))
            words = words[width:]
        paragraph.clear()

    for line in body.split("\n"):
        plain = line.strip() and not re.match(r"\s*(#|[-*|>]|\d+\.|```|~~~|<)", line)
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
        if plain and not fence:
            paragraph.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def blocks(lines: list[str], indent: int) -> list[list[str]]:
    """Lines grouped into keys at ``indent`` (each key with the lines under it)."""
    out: list[list[str]] = []
    for line in lines:
        if out and (not line.strip() or len(line) - len(line.lstrip()) > indent):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def reorder(yaml: list[str], order: list[int]) -> list[str]:
    """The top-level keys, the keys of goal and review, and the keys inside each commitment, KPI and contact,
    in a permuted order."""
    top = blocks(yaml, 0)
    for block in top:
        if block[0] in ("goal:", "review:"):
            inner = blocks(block[1:], 2)
            block[1:] = [line for b in permute(inner, order) for line in b]
        elif block[0] in ("commitments:", "kpis:", "buying_center:"):
            block[1:] = [line for item in list_items(block[1:]) for line in reorder_item(item, order)]
    return [line for b in permute(top, order) for line in b]


def list_items(lines: list[str]) -> list[list[str]]:
    """The items of a block list at indent 2 (``  - key: value`` and the lines under it)."""
    out: list[list[str]] = []
    for line in lines:
        if line.startswith("  - ") or not out:
            out.append([line])
        else:
            out[-1].append(line)
    return out


def reorder_item(item: list[str], order: list[int]) -> list[str]:
    """One list item's keys permuted; the item's dash moves to whichever key comes first."""
    if not item[0].startswith("  - "):
        return item
    keys = blocks(["    " + item[0][4:], *item[1:]], 4)
    lines = [line for b in permute(keys, list(reversed(order))) for line in b]
    return ["  - " + lines[0][4:], *lines[1:]]


def permute(items: list, order: list[int]) -> list:
    keyed = sorted(range(len(items)), key=lambda i: (order[i % len(order)], i))
    return [items[i] for i in keyed]


PLAIN = re.compile(r"^(\s*(?:- )?[a-z_]+: )([^'\"\[{|>&*!#][^#]*?)\s*$")


def requote(yaml: list[str], styles: list[int]) -> list[str]:
    """Text scalars (not numbers, booleans or dates) written plain, single- or double-quoted."""
    out = []
    for n, line in enumerate(yaml):
        match = PLAIN.match(line)
        value = match.group(2) if match else ""
        if not match or re.fullmatch(r"-?[\d.]+|true|false|null|~|\d{4}-\d{2}-\d{2}", value) or ": " in value:
            out.append(line)
            continue
        style = styles[n % len(styles)]
        if style == 1:
            line = match.group(1) + "'" + value.replace("'", "''") + "'"
        elif style == 2:
            line = match.group(1) + '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(line)
    return out


def model(text: str) -> Plan:
    """The plan read from ``text``, without its body (rewrapped) and with extensions in key order (reordered)."""
    plan = plan_of(text)
    return replace(plan, body="", extensions=tuple(sorted(plan.extensions, key=lambda kv: kv[0])))


def same(quality: Quality) -> tuple:
    """What must not change: score, band and the reasons without their lines (key order moves lines)."""
    return quality.score, quality.band, sorted((r.rule, r.points, r.path, r.message) for r in quality.reasons)


@SETTINGS
@given(
    st.sampled_from(PLANS),
    st.lists(st.integers(1, 12), min_size=1, max_size=6),
    st.lists(st.integers(0, 30), min_size=1, max_size=20),
    st.lists(st.integers(0, 2), min_size=1, max_size=7),
)
def test_wrapping_key_order_and_quoting_never_change_the_score(text, widths, order, styles) -> None:
    yaml, body = split(text)
    changed = join(requote(reorder(yaml, order), styles), rewrap(body, widths))
    assert model(changed) == model(text)  # the loader reads the same plan from the changed text
    assert same(score(changed)) == same(score(text))


def test_the_text_changes_are_real() -> None:
    """The changes above do change the file, and the loader still reads the same plan from them."""
    text = calibration_text("full-exemplary")
    yaml, body = split(text)
    changed = join(requote(reorder(yaml, [3, 1, 2, 0]), [2]), rewrap(body, [3]))
    assert changed != text and '  statement: "Renew the three-year' in changed and "\nNordsee Chemie runs\n" in changed
    assert changed.index("\ngoal:") < changed.index("\nid:")
    moved = join(reorder(yaml, [0, 1, 2, 3]), body)
    assert "\n  - due: 2026-06-30\n" in moved and "\n    id: c-service-offer\n" in moved  # the dash moved
    assert model(moved) == model(text)
    assert model(changed) == model(text)


# A review date bumped, nothing else.


@SETTINGS
@given(st.sampled_from(PLANS), st.integers(0, 400))
def test_a_review_date_bump_changes_only_freshness_within_its_weight(text, days) -> None:
    plan = plan_of(text)
    if plan.review.last_reviewed is None:
        return
    bumped_to = min(TODAY, plan.review.last_reviewed + timedelta(days=days))
    old = f"  last_reviewed: {plan.review.last_reviewed.isoformat()}"
    assert text.count(old) == 1
    bumped = text.replace(old, f"  last_reviewed: {bumped_to.isoformat()}")
    before, after = category_points(score(text)), category_points(score(bumped))
    weight = CONFIG.quality.weights["freshness"]
    assert {c: p for c, p in before.items() if c != "freshness"} == {c: p for c, p in after.items() if c != "freshness"}
    assert abs(after["freshness"] - before["freshness"]) <= weight


def test_the_bump_the_issue_found_moves_freshness_by_its_weight_at_most() -> None:
    """Overdue by months, then bumped to today: the score gains the 10 freshness points, no more (it gained 12)."""
    text = calibration_text("one-page-neglected")
    bumped = text.replace("  last_reviewed: 2026-02-03", f"  last_reviewed: {TODAY}")
    assert score(bumped).score - score(text).score == 10


# Removing an item.

ITEM_LISTS = ("commitments", "buying_center", "kpis")


def items(text: str) -> list[tuple[str, int, int, int]]:
    """(list, index, first yaml line, end yaml line) of every commitment, contact and KPI."""
    yaml, _ = split(text)
    out, top, index = [], "", -1
    for i, line in enumerate(yaml):
        if line and not line[0].isspace():
            top, index = line.split(":")[0], -1
        elif top in ITEM_LISTS and line.startswith("  - "):
            index += 1
            out.append((top, index, i, i + 1))
        elif top in ITEM_LISTS and out and out[-1][0] == top and line.startswith("    "):
            out[-1] = (*out[-1][:3], i + 1)
    return out


@SETTINGS
@given(st.sampled_from(PLANS), st.data())
def test_removing_an_item_never_raises_the_score_unless_it_cost_points(text, data) -> None:
    choices = items(text)
    listed, index, start, end = data.draw(st.sampled_from(choices))
    yaml, body = split(text)
    count = sum(1 for c in choices if c[0] == listed)
    rest = yaml[:start] + yaml[end:]
    if count == 1:
        rest = [line for line in rest if line != f"{listed}:"]  # the list's last item: the key goes too
    before, after = score(text), score(join(rest, body))
    element = f"$.{listed}[{index}]"
    cost = any(r.path == element or r.path.startswith(element + ".") for r in before.reasons)
    if not cost:
        assert after.score <= before.score, (listed, index, before, after)


def test_removing_the_answer_to_an_obstacle_lowers_the_score() -> None:
    """One case worked by hand: the exemplary one-page plan without its technician commitment leaves that
    obstacle unanswered (essential): the chain has ten elements, half of one (1) plus a quarter of 20 (5)."""
    text = calibration_text("one-page-exemplary")
    start = text.index("  - id: c-certify-technician")
    without = text[:start] + text[text.index("buying_center:") :]
    quality = score(without)
    assert (quality.score, quality.band) == (94, "fair")
    assert [(r.rule, r.points) for r in quality.reasons] == [("obstacle-unanswered", 6)]


def test_a_dropped_commitment_costs_and_earns_nothing() -> None:
    assert score(DROPPED) == score(calibration_text("one-page-exemplary"))
    placeholder = DROPPED.replace("Offer a second pilot line at our cost", "'TODO: what will be delivered'")
    assert score(placeholder) == score(DROPPED)


def test_plans_are_scored_on_a_fixed_day() -> None:
    assert date(2026, 11, 15) == TODAY
