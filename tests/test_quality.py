"""Plan quality: every rule loses and regains its points, each reason points at the right line,
the reasons add up to the score, and delivery comes from real git history with fixed dates."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdocs.config import Config, QualitySettings, config_from_options
from kamdocs.history.delivery import Delivery, read_deliveries
from kamdocs.history.log import read_history
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.model import Plan, plan_from_data
from kamdocs.rules.quality import QUALITY_RULES, Quality, _apportion, quality_of

from .conftest import EXAMPLES, ROOT, GitRepo, plan_text, run

TODAY = date(2026, 11, 15)
ONE_PAGE = plan_text("p")
FULL = (EXAMPLES / "positive" / "full-minimal.md").read_text(encoding="utf-8").replace("id: full-minimal", "id: p")
GOOD_GOAL = "  target: 500000\n  metric: order intake\n  baseline: 400000\n  actual: 450000\n"
PEOPLE = (
    "buying_center:\n  - name: Eva Buyer\n    role: economic-buyer\n    last_contact: 2026-10-01\n"
    "  - name: Carl Champion\n    role: champion\n    last_contact: 2026-10-05\n"
)


def plan_of(text: str) -> Plan:
    source = parse_bytes(text.encode(), "plans/p.md").source
    assert source is not None
    return plan_from_data(source.data, "plans/p.md", source.body, source.body_line, source.line_map())


def score(text: str, today: date = TODAY, config: Config | None = None, delivery: Delivery | None = None) -> Quality:
    return quality_of(plan_of(text), today, config or Config(root=Path(".")), delivery)


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of ``needle`` in ``text`` (after the first ``after``), found independently of kamdocs."""
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def rules(quality: Quality) -> list[str]:
    return [r.rule for r in quality.reasons]


def edit(text: str, **replacements: str) -> str:
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# A one-page plan with nothing to fault, and its full sibling: a measured goal with a baseline, work owned by
# someone other than the account manager, the economic buyer and a champion met, sections of 24 words.
PERFECT_ONE_PAGE = edit(
    ONE_PAGE,
    **{
        "  target: 500000\n": GOOD_GOAL,
        "    owner: kam@example.com": "    owner: ada@example.com",
        "success_factors:": PEOPLE + "success_factors:",
    },
)
SECTION = (
    "The account team wrote this part of the plan in its own words,\n"
    "with enough detail for the business area manager to judge it.\n"
)
SECOND_KPI = (
    "  - id: kpi-b\n    name: Service coverage\n    unit: '%'\n    target: 80\n    actual: 70\n"
    "    as_of: 2026-10-31\n    direction: higher-is-better\n"
)
PERFECT_FULL = re.sub(
    r"\nText\.\n",
    "\n" + SECTION,
    edit(
        FULL,
        **{
            "  target: 500000\n": GOOD_GOAL,
            "    owner: kam@example.com": "    owner: ada@example.com",
            "commitments:": PEOPLE + "commitments:",
            "    direction: higher-is-better\n": "    direction: higher-is-better\n" + SECOND_KPI,
        },
    ),
)


def test_the_reference_plans_lose_nothing() -> None:
    assert score(PERFECT_ONE_PAGE) == Quality(100, "good", ())
    assert score(PERFECT_FULL) == Quality(100, "good", ())


# Each case: the rule, a plan that loses it, the text of the line the reason must point at,
# and the same plan with that one thing fixed.
CASES = [
    (
        "goal-metric-missing",
        edit(PERFECT_ONE_PAGE, **{"  metric: order intake\n": ""}),
        "goal:",
        PERFECT_ONE_PAGE,
    ),
    (
        "goal-baseline-missing",
        edit(PERFECT_ONE_PAGE, **{"  baseline: 400000\n": ""}),
        "goal:",
        PERFECT_ONE_PAGE,
    ),
    (
        "goal-target-zero",
        edit(PERFECT_ONE_PAGE, **{"  target: 500000": "  target: 0"}),
        "  target: 0",
        PERFECT_ONE_PAGE,
    ),
    (
        "chain-empty",
        re.sub(r"success_factors:.*?(?=commitments:)", "", PERFECT_ONE_PAGE, flags=re.S).replace(
            "    resolves: [obs-a]\n", ""
        ),
        "success_factors",  # no such key: the reason points at the front matter's first key
        PERFECT_ONE_PAGE,
    ),
    (
        "factor-without-conditions",
        edit(
            PERFECT_ONE_PAGE,
            **{"commitments:\n": "  - id: csf-b\n    statement: Service is local\ncommitments:\n"},
        ),
        "  - id: csf-b",
        PERFECT_ONE_PAGE,
    ),
    (
        "obstacle-unanswered",
        edit(PERFECT_ONE_PAGE, **{"    status: open\n": "    status: dropped\n"}),
        "          - id: obs-a",
        PERFECT_ONE_PAGE,
    ),
    (
        "commitment-untied",
        edit(
            PERFECT_ONE_PAGE,
            **{
                "    resolves: [obs-a]\n": "    resolves: [obs-a]\n  - id: c-b\n    action: Visit\n    owner: "
                "ada@example.com\n    due: 2026-12-01\n    status: open\n"
            },
        ),
        "  - id: c-b",
        PERFECT_ONE_PAGE,
    ),
    (
        "commitment-owned-by-kam",
        edit(PERFECT_ONE_PAGE, **{"    owner: ada@example.com": "    owner: kam@example.com"}),
        "    owner: kam@example.com",
        PERFECT_ONE_PAGE,
    ),
    (
        "commitment-due-outside-period",
        edit(PERFECT_ONE_PAGE, **{"    due: 2026-12-15": "    due: 2027-01-15"}),
        "    due: 2027-01-15",
        PERFECT_ONE_PAGE,
    ),
    (
        "review-late",
        edit(PERFECT_ONE_PAGE, **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-07-01"}),
        "  last_reviewed: 2026-07-01",
        PERFECT_ONE_PAGE,
    ),
    (
        "kpi-not-measured",
        edit(PERFECT_FULL, **{"as_of: 2026-09-30": "as_of: 2026-06-30"}),
        "    as_of: 2026-06-30",
        PERFECT_FULL,
    ),
    (
        "kpis-not-measured",
        edit(PERFECT_FULL, **{"as_of: 2026-09-30": "as_of: 2026-06-30", "as_of: 2026-10-31": "as_of: 2026-07-31"}),
        "kpis:",
        PERFECT_FULL,
    ),
    (
        "kpi-placeholder",
        edit(PERFECT_FULL, **{"    name: Share of wallet": "    name: 'TODO: what the scorecard measures'"}),
        "    name: 'TODO",
        PERFECT_FULL,
    ),
    (
        "contact-not-touched",
        edit(PERFECT_ONE_PAGE, **{"    last_contact: 2026-10-01": "    last_contact: 2026-03-01"}),
        "    last_contact: 2026-03-01",
        PERFECT_ONE_PAGE,
    ),
    (
        "economic-buyer-unknown",
        edit(PERFECT_ONE_PAGE, **{"    role: economic-buyer": "    role: influencer"}),
        "buying_center:",
        PERFECT_ONE_PAGE,
    ),
    (
        "champion-unknown",
        edit(PERFECT_ONE_PAGE, **{"    role: champion": "    role: influencer"}),
        "buying_center:",
        PERFECT_ONE_PAGE,
    ),
    (
        "goal-placeholder",
        edit(
            PERFECT_ONE_PAGE, **{"  statement: Grow order intake": "  statement: 'TODO: the goal' # Grow order intake"}
        ),
        "  statement: 'TODO",
        PERFECT_ONE_PAGE,
    ),
    (
        "chain-placeholder",
        edit(PERFECT_ONE_PAGE, **{"statement: The old spec names a competitor": "statement: 'TODO: what stands'"}),
        "          - id: obs-a",
        PERFECT_ONE_PAGE,
    ),
    (
        "commitment-placeholder",
        edit(PERFECT_ONE_PAGE, **{"    action: Run a specification workshop": "    action: 'TODO: what will be done'"}),
        "    action: 'TODO",
        PERFECT_ONE_PAGE,
    ),
    (
        "commitments-missing",
        re.sub(r"commitments:.*?(?=kpis:)", "", PERFECT_FULL, flags=re.S),
        "commitments",  # no such key: the reason points at the front matter's first key
        PERFECT_FULL,
    ),
    (
        "commitment-undelivered",
        edit(PERFECT_ONE_PAGE, **{"    due: 2026-12-15": "    due: 2026-11-01"}),
        "    status: open",
        edit(PERFECT_ONE_PAGE, **{"    due: 2026-12-15\n    status: open": "    due: 2026-11-01\n    status: done"}),
    ),
    (
        "kpis-missing",
        re.sub(r"kpis:.*?(?=---)", "", PERFECT_FULL, flags=re.S),
        "id: p",  # no kpis key: the front matter's first key
        PERFECT_FULL,
    ),
    (
        "goal-actual-missing",
        edit(PERFECT_FULL, **{"  actual: 450000\n": ""}),
        "goal:",
        PERFECT_FULL,
    ),
    (
        "section-thin",
        edit(PERFECT_FULL, **{"## Mapping\n\n" + SECTION: "## Mapping\n\nTODO: map the account.\n"}),
        "## Mapping",
        PERFECT_FULL,
    ),
    (
        "strategy-thin",
        edit(PERFECT_FULL, **{"## Strategy and actions\n\n" + SECTION: "## Strategy and actions\n\nGrow.\n"}),
        "## Strategy and actions",
        PERFECT_FULL,
    ),
]


@pytest.mark.parametrize(("rule", "losing", "where", "fixed"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_loses_and_regains_its_points(rule: str, losing: str, where: str, fixed: str) -> None:
    lost, regained = score(losing), score(fixed)
    assert rule in rules(lost)
    assert rule not in rules(regained)
    assert lost.score < regained.score
    reason = next(r for r in lost.reasons if r.rule == rule)
    assert reason.points > 0 and reason.category == QUALITY_RULES[rule]
    expected_line = line_of(losing, where) if where in losing else line_of(losing, "id: p")
    assert reason.line == expected_line, (reason, expected_line)
    assert sum(r.points for r in lost.reasons) == 100 - lost.score


def test_every_rule_is_exercised_and_documented() -> None:
    assert {c[0] for c in CASES} | {"commitment-late"} == set(QUALITY_RULES)
    docs = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([a-z-]+)` \| ([a-z]+) \|", docs, flags=re.M))
    assert documented == QUALITY_RULES


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        ("found no such section", re.sub(r"## Mapping\n\n[^#]*", "", PERFECT_FULL)),
        ("found it empty", PERFECT_FULL.replace("## Mapping\n\n" + SECTION, "## Mapping\n\n")),
        ("found 2 words", PERFECT_FULL.replace("## Mapping\n\n" + SECTION, "## Mapping\n\nOne line.\n")),
        (
            "found 19 words",  # a twentieth word short, however the sentence is wrapped
            PERFECT_FULL.replace("## Mapping\n\n" + SECTION, "## Mapping\n\n" + "one two three four\n" * 4 + "a b c\n"),
        ),
        (
            "found only the placeholder 'TODO: map the account, wrapped over two lines.'",
            PERFECT_FULL.replace(
                "## Mapping\n\n" + SECTION, "## Mapping\n\nTODO: map the account,\nwrapped over two lines.\n"
            ),
        ),
        ("found it empty", PERFECT_FULL.replace("## Mapping\n\n" + SECTION, "## Mapping\n\n### Sub\n\n<!-- c -->\n")),
    ],
)
def test_section_substance(problem: str, text: str) -> None:
    reasons = [r for r in score(text).reasons if r.rule == "section-thin"]
    assert len(reasons) == 1 and problem in reasons[0].message and "'Mapping'" in reasons[0].message


def test_substance_is_words_however_the_lines_are_wrapped() -> None:
    """Twenty words of the plan's own text: on one line, on many, or in a fence (whose '##' is text)."""
    words = "The account team knows who decides and who signs, and meets them every month at the new plant in Visp."
    assert len(words.split()) == 20
    for text in (words, words.replace(", ", ",\n"), "\n".join(words.split())):
        section = "## Mapping\n\n" + text + "\n"
        assert "section-thin" not in rules(score(PERFECT_FULL.replace("## Mapping\n\n" + SECTION, section)))
    fenced = "## Mapping\n\n```\n## Not a heading\n" + words + "\n```\n"
    assert "section-thin" not in rules(score(PERFECT_FULL.replace("## Mapping\n\n" + SECTION, fenced)))
    short = words.rsplit(" ", 1)[0]  # nineteen words
    assert "section-thin" in rules(score(PERFECT_FULL.replace("## Mapping\n\n" + SECTION, f"## Mapping\n\n{short}\n")))


def test_the_goal_is_judged_in_both_kinds() -> None:
    """A full plan's target of 0 costs points as a one-page plan's does (it cost nothing): a fifth of the goal's
    15 points, 3, plus a quarter of completeness' 25 as it is essential, 6.25: 9."""
    quality = score(edit(PERFECT_FULL, **{"  target: 500000": "  target: 0"}))
    assert [(r.rule, r.points, r.essential) for r in quality.reasons] == [("goal-target-zero", 9, True)]
    assert (quality.score, quality.band) == (91, "fair")


@pytest.mark.parametrize("written", ["TBD", "'(TODO)'", "'???'", "'todo: ask finance'"])
def test_a_placeholder_is_what_check_calls_one(written: str, make_repo) -> None:
    """Quality and check agree on what a placeholder is: check names the unit, and quality charges for it."""
    text = edit(PERFECT_ONE_PAGE, **{"  unit: CHF": f"  unit: {written}"})
    assert [r.rule for r in score(text).reasons] == ["goal-placeholder"]
    result = run(["check", "--no-freshness"], make_repo({"plans/p.md": text}))
    assert f"{line_of(text, '  unit: ')}:9: warning[todo]" in result.output, result.output


def test_commitments_and_kpis_sections_are_judged_by_their_data() -> None:
    """The site fills these two sections from the front matter: their body text may be a pointer or nothing."""
    text = PERFECT_FULL.replace("## Commitments\n\n" + SECTION, "## Commitments\n\nSee above.\n")
    text = text.replace("## KPIs\n\n" + SECTION, "## KPIs\n\n")
    assert score(text) == Quality(100, "good", ())


def test_each_category_is_worth_its_weight_for_every_plan() -> None:
    """Nothing is scaled up when something else does not apply. A one-page plan's goal is its completeness
    (25 points, five checks): a missing metric costs 5. A full plan without success factors has no chain, and its
    parts take the chain's 20 points: completeness is 45, the goal a third of it, so a missing metric costs 3."""
    one_page = score(edit(PERFECT_ONE_PAGE, **{"  metric: order intake\n": ""}))
    assert (one_page.score, [r.points for r in one_page.reasons]) == (95, [5])
    full = score(edit(PERFECT_FULL, **{"  metric: order intake\n": ""}))
    assert (full.score, [r.points for r in full.reasons]) == (97, [3])


def test_an_essential_failure_keeps_a_plan_from_good_and_costs_a_quarter_more() -> None:
    """A missing baseline is one of five goal checks (5 of 25 points), and essential: a quarter of completeness
    more, 5 + 6.25 = 11.25, and the plan is fair. Two essential failures below good are poor."""
    no_baseline = score(edit(PERFECT_ONE_PAGE, **{"  baseline: 400000\n": ""}))
    assert (no_baseline.score, no_baseline.band) == (89, "fair")
    assert [(r.rule, r.points, r.essential) for r in no_baseline.reasons] == [("goal-baseline-missing", 11, True)]
    # Overdue as well: all of freshness' 10 (the penalty cannot take more than the category): 79, poor.
    late = edit(
        PERFECT_ONE_PAGE, **{"  baseline: 400000\n": "", "last_reviewed: 2026-10-01": "last_reviewed: 2026-07-01"}
    )
    assert (score(late).score, score(late).band) == (79, "poor")
    # A second essential failure in the same category adds its own share, not another penalty: 5 + 5 + 6.25.
    zero = score(edit(PERFECT_ONE_PAGE, **{"  baseline: 400000\n": "", "  target: 500000": "  target: 0"}))
    assert zero.score == 84 and zero.band == "fair"


def test_weights_and_bands_come_from_the_configuration() -> None:
    config = config_from_options(
        {"quality": {"weights": {"completeness": 0}, "good": 95, "fair": 90}}, Path("."), "mkdocs.yml"
    )
    text = edit(PERFECT_ONE_PAGE, **{"  metric: order intake\n": ""})
    assert score(text, config=config) == Quality(100, "good", ())
    late = edit(PERFECT_ONE_PAGE, **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-07-01"})
    assert score(late, config=config).band == "poor"
    assert config.quality == QualitySettings(config.quality.weights, 95, 90)
    # Switched off, completeness stays off for a full plan too, which would otherwise take the chain's points.
    assert score(edit(PERFECT_FULL, **{"  metric: order intake\n": ""}), config=config) == Quality(100, "good", ())


def test_drafts_and_archived_plans_get_a_score_but_no_band() -> None:
    draft = score(edit(PERFECT_ONE_PAGE, **{"kind: one-page\n": "kind: one-page\nstatus: draft\n"}))
    archived = score(edit(PERFECT_ONE_PAGE, **{"kind: one-page\n": "kind: one-page\nstatus: archived\n"}))
    assert (draft.score, draft.band, archived.band) == (100, None, None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=40, allow_nan=False), max_size=30))
def test_apportioned_points_add_up_to_the_rounded_total(raw: list[float]) -> None:
    points = _apportion(raw)
    assert sum(points) == int(sum(raw) + 0.5 + 1e-9)
    assert all(p >= 0 and abs(p - x) < 1 + 1e-9 for p, x in zip(points, raw, strict=True))


# Delivery from git history.

DUES = {"c-early": "2026-03-01", "c-on-time": "2026-03-15", "c-late": "2026-04-01", "c-reopened": "2026-05-01"}


def history_plan(statuses: dict[str, str], last_reviewed: str = "2026-01-05") -> str:
    """A one-page plan with four commitments, each answering its own obstacle."""
    obstacles = "".join(f"          - id: obs-{c}\n            statement: Obstacle {c}\n" for c in DUES)
    commitments = "".join(
        f"  - id: {c}\n    action: Deliver {c}\n    owner: ada@example.com\n    due: {due}\n"
        f"    status: {statuses.get(c, 'open')}\n    resolves: [obs-{c}]\n"
        for c, due in DUES.items()
    )
    text = edit(PERFECT_ONE_PAGE, **{"last_reviewed: 2026-10-01": f"last_reviewed: {last_reviewed}"})
    text = re.sub(r"          - id: obs-a\n.*?\n(?=commitments:)", obstacles, text, flags=re.S)
    return re.sub(r"commitments:\n.*?(?=---)", "commitments:\n" + commitments, text, flags=re.S)


@pytest.fixture
def delivered(git_repo: GitRepo) -> GitRepo:
    """Commitments marked done before, on and after their due dates, one reopened and closed again late."""
    steps = [
        ("2026-01-05T09:00:00+00:00", {}, "2026-01-05"),
        ("2026-02-27T23:30:00-05:00", {"c-early": "done"}, "2026-01-05"),  # 2026-02-28 in UTC; the commit's own day
        ("2026-03-15T18:00:00+01:00", {"c-early": "done", "c-on-time": "done"}, "2026-03-15"),
        ("2026-04-02T08:00:00+02:00", {"c-early": "done", "c-on-time": "done", "c-reopened": "done"}, "2026-03-15"),
        ("2026-04-20T10:00:00+00:00", {"c-early": "done", "c-on-time": "done", "c-late": "done"}, "2026-04-20"),
        ("2026-05-03T10:00:00+00:00", {"c-early": "done", "c-on-time": "done", "c-late": "done", "c-reopened": "done"},
         "2026-04-20"),
    ]  # fmt: skip
    for when, statuses, reviewed in steps:
        git_repo.write("plans/p.md", history_plan(statuses, reviewed))
        git_repo.commit(f"Update on {when}", when)
    return git_repo


def test_done_days_and_reviews_come_from_the_commits(delivered: GitRepo) -> None:
    root = delivered.path
    history = read_history(root, root / "plans")
    plan = plan_of((root / "plans/p.md").read_text(encoding="utf-8"))
    delivery = read_deliveries([plan], history, root / "plans")["plans/p.md"]
    assert dict(delivery.done_on) == {
        "c-early": date(2026, 2, 27),
        "c-on-time": date(2026, 3, 15),
        "c-late": date(2026, 4, 20),
        "c-reopened": date(2026, 5, 3),  # reopened on 04-20, so its last close counts
    }
    assert delivery.reviews == (
        (date(2026, 1, 5), date(2026, 1, 5)),
        (date(2026, 3, 15), date(2026, 3, 15)),
        (date(2026, 4, 20), date(2026, 4, 20)),
    )
    assert delivery.known and not delivery.done_before_history


def test_quality_names_the_late_commitments_with_their_git_days(delivered: GitRepo) -> None:
    result = run(["quality", "p", "--format", "json", "--today", "2026-06-01"], delivered.path)
    assert result.exit_code == 0, result.output
    [plan] = json.loads(result.output)["plans"]
    late = {r["message"] for r in plan["reasons"] if r["rule"] == "commitment-late"}
    assert late == {
        "expected commitment 'c-late' done by 2026-04-01, found it done on 2026-04-20 per git history, 19 days late",
        "expected commitment 'c-reopened' done by 2026-05-01, found it done on 2026-05-03 per git history, 2 days late",
    }
    text = (delivered.path / "plans/p.md").read_text(encoding="utf-8")
    lines = {r["line"] for r in plan["reasons"] if r["rule"] == "commitment-late"}
    assert lines == {
        line_of(text, "    status: done", "id: c-late"),
        line_of(text, "    status: done", "id: c-reopened"),
    }
    # Four due, two on time (before and on the day): delivery loses half of its 10 points, 2.5 per late
    # commitment, rounded together to 5; nothing else is lost.
    assert sorted(r["points"] for r in plan["reasons"]) == [2, 3] and plan["score"] == 95


def test_uncommitted_and_imported_done_commitments(git_repo: GitRepo) -> None:
    git_repo.write("plans/p.md", history_plan({"c-early": "done"}))
    git_repo.commit("Import the plan", "2026-09-01T10:00:00+00:00")
    git_repo.write("plans/p.md", history_plan({"c-early": "done"}, "2026-09-02"))
    git_repo.commit("Touch", "2026-09-02T10:00:00+00:00")
    git_repo.write("plans/p.md", history_plan({"c-early": "done", "c-on-time": "done"}, "2026-09-02"))
    result = run(["quality", "p", "--format", "json", "--today", "2026-09-10"], git_repo.path)
    [plan] = json.loads(result.output)["plans"]
    late = sorted(r["message"].split("'")[1] for r in plan["reasons"] if r["rule"] == "commitment-late")
    # c-early was done in the first commit: when is unknown, so it is not late. c-on-time is done in the
    # working tree only: done today, 2026-09-10, which is after its due date 2026-03-15.
    assert late == ["c-on-time"]
    exported = json.loads(run(["export", "--format", "json", "--today", "2026-09-10"], git_repo.path).output)
    done_on = {c["id"]: c["done_on"] for c in exported["plans"][0]["commitments"]}
    assert done_on == {"c-early": None, "c-on-time": None, "c-late": None, "c-reopened": None}
    assert exported["plans"][0]["quality"]["score"] == plan["score"]


def test_without_git_nothing_is_late(delivered: GitRepo) -> None:
    (delivered.path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - kamdocs:\n      git: false\n")
    result = run(["quality", "p", "--format", "json", "--today", "2026-06-01"], delivered.path)
    [plan] = json.loads(result.output)["plans"]
    assert not [r for r in plan["reasons"] if r["category"] == "delivery"]


# The command.


def test_quality_text_names_file_and_line(make_repo) -> None:
    text = edit(PERFECT_ONE_PAGE, **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-07-01"})
    repo = make_repo({"plans/p.md": text})
    result = run(["quality", "plans/p.md", "--today", "2026-11-15"], repo)
    assert result.exit_code == 0, result.output
    line = line_of(text, "last_reviewed")
    # Freshness is worth 10 points, all of them the review's; a late review is essential, so not good.
    assert result.output.splitlines()[0] == "plans/p.md: quality 90/100, fair"
    assert f"plans/p.md:{line}: -10 freshness[review-late] essential expected a review by 2026-10-01" in result.output


def test_quality_of_a_plan_with_errors_or_unknown(make_repo) -> None:
    repo = make_repo({"plans/p.md": PERFECT_ONE_PAGE.replace("target: 500000", "target: lots")})
    broken = run(["quality", "p", "--today", "2026-11-15"], repo)
    assert broken.exit_code == 1 and "has errors" in broken.output and "kamdocs check plans/p.md" in broken.output
    unknown = run(["quality", "nope", "--today", "2026-11-15"], repo)
    assert unknown.exit_code == 2 and "expected a plan file or the id" in unknown.output


def test_pull_request_markdown_shows_before_after_and_what_came_and_went(git_repo: GitRepo) -> None:
    base = edit(PERFECT_ONE_PAGE, **{"account: Example Account AG": "account: Pipe | <b>Co</b>"})
    git_repo.write("plans/p.md", base)
    git_repo.write("plans/q.md", plan_text("q"))
    git_repo.commit("Plans", "2026-11-01T10:00:00+00:00")
    git_repo.git("checkout", "-q", "-b", "change")
    changed = edit(base, **{"  metric: order intake\n": "", "    due: 2026-12-15": "    due: 2027-02-01"})
    git_repo.write("plans/p.md", changed)
    result = run(
        ["quality", "--changed", "--base", "main", "--format", "markdown", "--today", "2026-11-15"], git_repo.path
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("### Plan quality\n") and "#### q " not in out  # q did not change
    assert "Pipe &#124; &lt;b&gt;Co&lt;/b&gt;" in out and "<b>" not in out
    assert "Quality **100 → " in out and "good → " in out
    assert re.search(r"\| new \| −\d+ \| goal-metric-missing \| \d+ \|", out)
    assert re.search(r"\| new \| −\d+ \| commitment-due-outside-period \| \d+ \|", out)
    git_repo.commit("Change", "2026-11-02T09:00:00+00:00")
    fixed = edit(changed, **{"    due: 2027-02-01": "    due: 2026-12-15"})
    git_repo.write("plans/p.md", fixed)
    git_repo.commit("Half fixed", "2026-11-02T10:00:00+00:00")
    again = run(["quality", "p", "--base", "HEAD~1", "--format", "markdown", "--today", "2026-11-15"], git_repo.path)
    assert re.search(r"\| fixed \| \+\d+ \| commitment-due-outside-period \|  \|", again.output), again.output


def test_markdown_without_a_base_still_scores(make_repo) -> None:
    repo = make_repo({"plans/p.md": PERFECT_ONE_PAGE})
    result = run(["quality", "--format", "markdown", "--today", "2026-11-15"], repo)
    assert result.exit_code == 0
    assert "Quality **100**, good" in result.output and "no base to compare with" in result.output


def test_status_and_plans_json_carry_the_score(bundled_plans: Path) -> None:
    status = json.loads(run(["status", "--format", "json", "--today", "2026-11-24"], bundled_plans).output)
    quality = json.loads(run(["quality", "--format", "json", "--today", "2026-11-24"], bundled_plans).output)
    by_id = {p["id"]: (p["score"], p["band"]) for p in quality["plans"]}
    assert {p["id"]: (p["quality_score"], p["quality_band"]) for p in status["plans"]} == by_id
    assert all(sum(r["points"] for r in p["reasons"]) == 100 - p["score"] for p in quality["plans"])
    for p in quality["plans"]:  # every reason's line holds what its path names
        lines = (bundled_plans / p["file"]).read_text(encoding="utf-8").split("\n")
        for reason in p["reasons"]:
            if reason["path"].startswith("$.") and reason["path"] != "$.goal" and reason["path"] != "$.review":
                key = re.findall(r"([a-z_]+)(?:\[\d+\])?$", reason["path"])[0]
                if not any(line.startswith(f"{key}:") or f" {key}:" in line for line in lines):
                    key = "id"  # a key the plan does not have: the reason points at the front matter's start
                assert key in lines[reason["line"] - 1] or "- " in lines[reason["line"] - 1], (p["id"], reason)


def test_an_old_version_past_the_calendar_has_no_score_and_breaks_nothing(git_repo: GitRepo) -> None:
    git_repo.write("plans/p.md", edit(PERFECT_ONE_PAGE, **{"interval: quarterly": "interval: P999Y"}))
    git_repo.commit("A century too long", "2026-11-01T10:00:00+00:00")
    git_repo.write("plans/p.md", PERFECT_ONE_PAGE)
    diff = run(["diff", "HEAD", "--today", "2026-11-15"], git_repo.path)
    assert diff.exit_code == 0 and "cannot be compared" in diff.output
    quality = run(["quality", "p", "--base", "HEAD", "--format", "json", "--today", "2026-11-15"], git_repo.path)
    assert quality.exit_code == 0
    assert json.loads(quality.output)["plans"][0]["before"] is None


def test_text_output_keeps_each_reason_on_one_line(make_repo) -> None:
    forged = '"kam\\n::error::forged"'  # YAML: a line break, then what would be a workflow command
    text = edit(
        PERFECT_ONE_PAGE,
        **{
            "    owner: ada@example.com": f"    owner: {forged}",
            "\nowner: kam@example.com\n": f"\nowner: {forged}\nteam: [ada@example.com]\n",
        },
    )
    repo = make_repo({"plans/p.md": text})
    result = run(["quality", "p", "--today", "2026-11-15"], repo)
    assert result.exit_code == 0, result.output
    assert "commitment-owned-by-kam" in result.output and "kam\\n::error::forged" in result.output
    assert not any(line.startswith("::") for line in result.output.splitlines())


def test_a_plan_in_no_commit_yet_has_nothing_late(git_repo: GitRepo) -> None:
    # A repository with another plan committed, and p.md written but never committed: its done commitments
    # were done before git knew the plan, on a day nobody can tell, so none is judged late (as in a first commit).
    git_repo.write("plans/q.md", history_plan({}).replace("id: p\n", "id: q\n"))
    git_repo.commit("Another plan", "2026-09-01T10:00:00+00:00")
    git_repo.write("plans/p.md", history_plan({"c-early": "done", "c-on-time": "done"}))
    result = run(["quality", "p", "--format", "json", "--today", "2026-09-10"], git_repo.path)
    [plan] = json.loads(result.output)["plans"]
    assert [r for r in plan["reasons"] if r["rule"] == "commitment-late"] == []
