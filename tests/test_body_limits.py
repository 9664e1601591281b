"""A plan body can make no renderer slow or crash (issue 19, item 5): past a bound it is an error.

The bounds (kamdocs.rules.body_limits) are tested at their edge with counts worked out by hand, and
each hostile class at the loader's size limit is run through the real ``kamdocs check`` and one real
``mkdocs build``, in subprocesses with timeouts, so that a class that turns slow again fails here
instead of hanging. How long each takes is benchmarks/hostile_plans.py's business.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kamdocs.config import Config
from kamdocs.findings import Severity
from kamdocs.plan.loader import parse_bytes
from kamdocs.rules.body_limits import check_body_limits
from kamdocs.rules.pipeline import CheckRun, check_paths

from .commands import TODAY, check_json, kamdocs, mkdocs_build, site_config, write_repo
from .conftest import ROOT, plan_text
from .hostile_bodies import HOSTILE, SIZE_LIMIT, hostile_plan, prose_plan


def body_findings(body: str) -> list[tuple[str, int, int]]:
    """(rule, line, column) of the body-limit findings of the minimal plan with ``body``."""
    text = plan_text("p", **{"Body text.": body})
    source = parse_bytes(text.encode(), "p.md").source
    assert source is not None
    return [(f.rule, f.line, f.column) for f in check_body_limits(source)]


BODY_LINE = 36
"""The file line of 'Body text.' in the minimal plan: where each body below starts."""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- " * 32 + "a", []),  # 32 levels: the most allowed
        ("- " * 33 + "a", [("body-nesting", BODY_LINE, 1)]),
        ("> " * 33 + "a", [("body-nesting", BODY_LINE, 1)]),
        ("1. " * 20 + "> " * 13 + "a", [("body-nesting", BODY_LINE, 1)]),  # lists and quotes add up
        ("text\n\n" + "    " * 33 + "- a", [("body-nesting", BODY_LINE + 2, 1)]),  # 33 levels of indentation + 1
        ("<div>" * 32 + "a" + "</div>" * 32, []),
        ("x <div>" * 33, [("body-nesting", BODY_LINE, 1 + 7 * 32 + 2)]),  # the 33rd <div>
        ("<br><img src=x><p/>" * 100, []),  # void and self-closed elements open nothing
        ("<div></span>" * 33, [("body-nesting", BODY_LINE, 1 + 12 * 32)]),  # an end tag closes only its own
        ("<div><p>a</div>" * 100, []),  # and what was left open inside it
        ("<p>a<p>b" * 100 + "<li>a<li>b" * 100, []),  # a <p> or <li> closes the one before it
        ("```\n" + "- " * 100 + "\n```", []),  # fenced code is not Markdown
    ],
)
def test_nesting_deeper_than_32_levels_is_a_finding(body: str, expected: list[tuple[str, int, int]]) -> None:
    assert body_findings(body) == expected


def test_unclosed_brackets_are_counted_as_the_renderer_rereads_them() -> None:
    """Each '[' that never closes is read to the end of its block, the line break included: n of them on
    a line of n cost (n+1) + n + ... + 2 = n(n+3)/2 characters. 1,412 cost 998,990 (allowed); 1,413 cost
    1,000,404."""
    assert body_findings("[" * 1412) == []
    assert body_findings("[" * 1413) == [("body-unclosed", BODY_LINE, 1)]
    assert body_findings("(" * 1413) == [("body-unclosed", BODY_LINE, 1)]
    # A blank line ends the block, and what is read stops there; the bound is for the whole body.
    assert body_findings("[" * 900 + "\n\n" + "[" * 900) == []  # 2 x 406,350
    assert body_findings("[" * 900 + "\n" + "[" * 900) == [("body-unclosed", BODY_LINE, 1)]  # one block
    assert body_findings("[" * 1000 + "\n\n" + "[" * 1000) == [("body-unclosed", BODY_LINE, 1)]  # 2 x 501,500
    # Closed brackets cost nothing within 100 characters: a body of links is fine.
    assert body_findings("\n\n".join(["[a link](https://example.com/page) " * 20] * 1000)) == []
    # Escaped brackets are text to the renderer.
    assert body_findings("\\[" * 5000) == []
    # A '<tag' with no '>' after it is read to the end of the body, once for each.
    assert body_findings("<a " * 1500) == [("body-unclosed", BODY_LINE, 1)]
    assert body_findings("<b>x</b> " * 5000) == []
    assert body_findings("<b> " * 33) == [("body-nesting", BODY_LINE, 1 + 4 * 32)]  # never closed: 33 open
    # The finding points at the block that costs the most.
    assert body_findings("ok\n\n" + "[" * 1413) == [("body-unclosed", BODY_LINE + 2, 1)]


def test_counts_past_their_bound_are_findings() -> None:
    assert body_findings("- a\n\n" * 5000) == []
    assert body_findings("- a\n\n" * 5001) == [("body-too-many", BODY_LINE + 10_000, 1)]
    assert body_findings("a\n" * 500) == []
    assert body_findings("a\n" * 501) == [("body-too-many", BODY_LINE + 500, 1)]
    assert body_findings("[^1] " * 199 + "\n\n[^1]: note") == []
    assert body_findings("[^1] " * 200 + "\n\n[^1]: note") == [("body-too-many", BODY_LINE + 2, 1)]
    assert body_findings("```\na\n```\n\n" * 100) == []
    assert body_findings("```\na\n```\n\n" * 101) == [("body-too-many", BODY_LINE + 400, 1)]


def test_nesting_and_markup_added_up_over_the_body_are_bounded() -> None:
    """Each line's depth added up: 666 lists 30 levels deep are 19,980 levels, 667 are 20,010. A block's
    length times its markup characters: '*a* ' 15,000 times is 60,001 x 30,000 = 1.8e9, allowed; 25,000
    times is 100,001 x 50,000 = 5.0e9, over 2e9."""
    deep = "- " * 30 + "a"
    assert body_findings("\n\n".join([deep] * 666)) == []
    assert body_findings("\n\n".join([deep] * 667)) == [("body-nesting", BODY_LINE + 2 * 666, 1)]
    assert body_findings("*a* " * 15_000) == []
    assert body_findings("ok\n\n" + "*a* " * 25_000) == [("body-too-many", BODY_LINE + 2, 1)]
    assert body_findings("\n\n".join(["*a* " * 1000] * 200)) == []  # the same markup in paragraphs


def test_no_plan_of_this_repository_comes_near_a_bound() -> None:
    for path in sorted((ROOT / "plans").glob("*.md")):
        source = parse_bytes(path.read_bytes(), path.name).source
        assert source is not None
        assert check_body_limits(source) == [], path.name


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_plan_at_the_size_limit_is_checked_quickly(tmp_path: Path, name: str) -> None:
    """``kamdocs check`` on one hostile plan of 1 MiB: its finding, or none for the classes kamdocs
    now handles in linear time; 60 s is the regression alarm (it takes about a second)."""
    text = hostile_plan(name)
    assert SIZE_LIMIT - 1024 < len(text.encode()) <= SIZE_LIMIT
    repo = write_repo(tmp_path, {name: text})
    rules = {f["rule"] for f in check_json(repo)}
    expected = HOSTILE[name].rule
    assert (expected in rules) if expected else not {r for r in rules if r.startswith("body-")}


@pytest.mark.e2e
def test_site_build_with_every_hostile_plan_finishes_and_publishes_none(tmp_path: Path) -> None:
    """One real ``mkdocs build`` (with the search plugin) of every hostile plan at the size limit and one
    ordinary plan: the build finishes, each plan with a finding is left out, and the rest are published."""
    plans = {name: hostile_plan(name) for name in HOSTILE}
    plans["prose"] = prose_plan()
    repo = write_repo(tmp_path, plans, site_config("git: false", f"today: {TODAY}", "on_invalid: warn"))
    result = mkdocs_build(repo, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    site = repo.parent / "site"
    pages = {p.parent.name for p in site.glob("plans/accounts/*/index.html")}
    published = {name for name, case in HOSTILE.items() if case.rule is None} | {"prose"}
    assert published <= pages, sorted(pages)
    assert not pages & {name for name, case in HOSTILE.items() if case.rule}, sorted(pages)
    for name, case in HOSTILE.items():
        if case.rule:
            assert f"{name}.md" in result.stderr and f"[{case.rule}]" in result.stderr, name
    # kamdocs render, which converts the bodies with Python-Markdown itself: with on_invalid: warn, exit 0
    # (never 3), and the plans without a finding rendered.
    rendered = kamdocs(repo, "render", str(tmp_path / "out"), "--today", TODAY, timeout=600)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    assert "Traceback" not in rendered.stderr and "internal error" not in rendered.stderr
    names = {p.stem for p in (tmp_path / "out").rglob("*.md")} | {
        p.parent.name for p in (tmp_path / "out").rglob("*.md")
    }
    assert published <= names, sorted(names)


def test_a_lower_severity_changes_the_report_not_what_is_rendered(tmp_path: Path) -> None:
    """``severity: {body-nesting: warning}`` makes ``check`` pass, but the plan still never reaches a renderer."""
    (tmp_path / "deep.md").write_text(plan_text("deep", **{"Body text.": "- " * 40 + "a"}), encoding="utf-8")
    result = check_paths(
        [tmp_path / "deep.md"],
        CheckRun.without_freshness(Config(root=tmp_path, severity={"body-nesting": Severity.WARNING})),
    )
    assert [(f.rule, f.severity) for f in result.findings] == [("body-nesting", Severity.WARNING)]
    assert result.plans == ()
