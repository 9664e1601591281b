"""`kamdocs review` changes only the bytes of the values it sets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kamdocs.edit.review import EditError, set_review
from kamdocs.plan.loader import parse_bytes

from .conftest import check_clean, form_written, plan_text, replaced, run

HOSTILE = "\ufeff\r\n" + plan_text("hostile").replace("review:\n", "review:   # judged by the BAM\n").replace(
    "  last_reviewed: 2026-10-01\n", "  last_reviewed: '2026-10-01'  # QBR in Basel\n"
).replace("  reviewer: bam@example.com\n", '  # reviewer below\n  reviewer: "bam@example.com"\n').replace("\n", "\r\n")


def test_review_changes_exactly_the_value(make_repo) -> None:
    repo = make_repo({"plans/hostile.md": HOSTILE.encode("utf-8")})
    result = run(["review", "plans/hostile.md", "--today", "2026-11-22"], repo)
    assert result.exit_code == 0, result.output
    assert result.output == "plans/hostile.md: review.last_reviewed: 2026-10-01 -> 2026-11-22\n"
    after = (repo / "plans" / "hostile.md").read_bytes()
    assert after == HOSTILE.replace("'2026-10-01'  # QBR", "'2026-11-22'  # QBR").encode("utf-8")


def test_review_with_date_and_reviewer(make_repo) -> None:
    repo = make_repo({"plans/hostile.md": HOSTILE.encode("utf-8")})
    result = run(["review", "plans/hostile.md", "--date", "2026-11-01", "--reviewer", "new@example.com",
                  "--today", "2026-11-22"], repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = HOSTILE.replace("'2026-10-01'", "'2026-11-01'").replace('"bam@example.com"', '"new@example.com"')
    assert (repo / "plans" / "hostile.md").read_bytes() == expected.encode("utf-8")


def test_review_inserts_a_missing_date_in_a_draft(make_repo) -> None:
    text = plan_text("d", **{"kind: one-page": "kind: one-page\nstatus: draft", "  last_reviewed: 2026-10-01\n": ""})
    repo = make_repo({"plans/d.md": text})
    assert run(["review", "plans/d.md", "--today", "2026-11-22"], repo).exit_code == 0
    assert (repo / "plans" / "d.md").read_text(encoding="utf-8") == text.replace(
        "review:\n", "review:\n  last_reviewed: 2026-11-22\n"
    )


def test_review_refuses_a_plan_with_errors_unless_forced(make_repo) -> None:
    text = plan_text("bad", **{"kind: one-page": "kind: nope"})
    repo = make_repo({"plans/bad.md": text})
    refused = run(["review", "plans/bad.md", "--today", "2026-11-22"], repo)
    assert refused.exit_code == 1
    assert "has errors" in refused.output
    assert (repo / "plans" / "bad.md").read_text(encoding="utf-8") == text
    forced = run(["review", "plans/bad.md", "--today", "2026-11-22", "--force"], repo)
    assert forced.exit_code == 0
    assert "last_reviewed: 2026-11-22" in (repo / "plans" / "bad.md").read_text(encoding="utf-8")


def test_review_refuses_a_future_date(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    result = run(["review", "plans/a.md", "--date", "2026-12-01", "--today", "2026-11-22"], repo)
    assert result.exit_code == 2
    assert "after today" in result.output


def test_review_twice_changes_nothing_the_second_time(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    run(["review", "plans/a.md", "--today", "2026-11-22"], repo)
    before = (repo / "plans" / "a.md").read_bytes()
    again = run(["review", "plans/a.md", "--today", "2026-11-22"], repo)
    assert "already reviewed on 2026-11-22; nothing changed" in again.output
    assert (repo / "plans" / "a.md").read_bytes() == before


def test_review_of_unparsable_front_matter_is_refused_even_with_force(make_repo) -> None:
    repo = make_repo({"plans/x.md": "---\nreview: [\n---\n"})
    result = run(["review", "plans/x.md", "--force", "--today", "2026-11-22"], repo)
    assert result.exit_code == 1
    assert "does not parse" in result.output


def test_flow_style_review_is_refused() -> None:
    raw = plan_text(
        "f",
        **{
            "review:\n  interval: quarterly\n  last_reviewed: 2026-10-01\n  reviewer: bam@example.com\n": "review: {interval: quarterly, last_reviewed: 2026-10-01, reviewer: bam@example.com}\n"
        },
    )
    with pytest.raises(EditError, match="block mapping"):
        set_review(raw.encode(), "f.md", date(2026, 11, 22))


@pytest.mark.parametrize("reviewer", ["plain@example.com", "Dr. Ada: Head of BA", "#1 reviewer", "O'Neil", "yes", "12"])
def test_any_reviewer_text_reads_back_exactly(reviewer: str) -> None:
    out, _ = set_review(plan_text("r").encode(), "r.md", date(2026, 11, 22), reviewer)
    assert parse_bytes(out, "r.md").source.data["review"]["reviewer"] == reviewer


# Generated plans: line endings, BOM, blank lines, comments, quoting, spacing and key order all vary.
comment = st.sampled_from(["", "  # note", "   # QBR: 2026", "\t# tab comment"])
quote = st.sampled_from(["{}", "'{}'", '"{}"'])


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    leading_blank=st.integers(0, 2),
    date_quote=quote,
    date_comment=comment,
    review_comment=comment,
    spaces=st.integers(1, 3),
    order=st.permutations(["interval", "last_reviewed", "reviewer"]),
    body=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    new=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)
def test_review_preserves_every_other_byte(
    newline, bom, leading_blank, date_quote, date_comment, review_comment, spaces, order, body, new, tmp_path: Path
) -> None:
    def build(day: str) -> str:
        entries = {
            "interval": "interval: quarterly",
            "last_reviewed": "last_reviewed:" + " " * spaces + date_quote.format(day) + date_comment,
            "reviewer": "reviewer: bam@example.com",
        }
        review_block = "review:" + review_comment + "\n" + "".join(f"  {entries[k]}\n" for k in order)
        text = plan_text("g").replace(
            "review:\n  interval: quarterly\n  last_reviewed: 2026-10-01\n  reviewer: bam@example.com\n", review_block
        )
        text = "\n" * leading_blank + text.replace("Body text.\n", body.replace("\r", "") + "\n")
        return ("\ufeff" if bom else "") + text.replace("\n", newline)

    original = build("2026-10-01").encode("utf-8")
    assume(parse_bytes(original, "g.md").source is not None)
    updated, changes = set_review(original, "g.md", new)
    expected = build(new.isoformat()).encode("utf-8")
    assert updated == expected
    assert [c.key for c in changes] == ([] if new == date(2026, 10, 1) else ["last_reviewed"])


TODAY = "2026-11-22"


def test_review_refuses_a_reviewer_with_control_characters(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    before = (repo / "plans/a.md").read_bytes()
    for value in ("x\ny", "x\x1by", "x\u2028y"):
        result = run(["review", "a", "--reviewer", value, "--today", TODAY], repo)
        assert result.exit_code == 2 and "--reviewer: expected text on one line" in result.stderr
    assert (repo / "plans/a.md").read_bytes() == before


def test_review_and_rollover_take_a_plan_id(make_repo) -> None:
    repo = make_repo({"plans/nested/a.md": plan_text("a"), "plans/b.md": plan_text("b")})
    result = run(["review", "a", "--today", TODAY], repo)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("plans/nested/a.md: review.last_reviewed:")
    assert f"last_reviewed: {TODAY}" in (repo / "plans/nested/a.md").read_text(encoding="utf-8")
    rolled = run(["rollover", "b", "--period-start", "2027-01-01", "--period-end", "2027-12-31"], repo)
    assert rolled.exit_code == 0, rolled.output
    assert "start: 2027-01-01" in (repo / "plans/b.md").read_text(encoding="utf-8")
    for unknown in ("zzz", "A", "plans/zzz.md"):
        missing = run(["review", unknown, "--today", TODAY], repo)
        assert missing.exit_code == 2
        assert f"PLAN: expected a plan file or the id of a plan in plans/, found {unknown!r}" in missing.stderr


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        # Rollover keeps the KPIs' as_of dates, so its new period alone cannot pass the calendar's end
        # (tests/test_rollover.py); an --actual no plan figure can have is refused before any edit.
        (["review", "example-full", "--date", "9999-12-31", "--today", "9999-12-31"], "date-out-of-range"),
        (["review", "example-full", "--date", "9999-12-01", "--today", "9999-12-31", "--force"], "date-out-of-range"),
    ],
)  # fmt: skip
def test_edits_never_write_a_plan_that_check_rejects(tmp_path: Path, args: list[str], rule: str) -> None:
    """A review whose new dates the calendar cannot carry an interval on from is refused, even with --force."""
    repo = tmp_path / "r"
    assert run(["init", str(repo), "--today", "2026-11-01"], tmp_path).exit_code == 0
    before = (repo / "plans/example-full.md").read_bytes()
    done = run(args, repo)
    assert done.exit_code == 1, done.output
    assert f"error[{rule}]" in done.output
    assert "the edit would make plans/example-full.md invalid; nothing was written" in done.output
    assert (repo / "plans/example-full.md").read_bytes() == before
    assert sorted(p.name for p in (repo / "plans").iterdir()) == ["example-full.md", "example-one-page.md"]


# -- plans as the form editor (Decap CMS) saves them (tests/editor-files/, from tests/test_editor_saves.py)


def test_review_changes_only_the_date_in_a_plan_the_form_rewrote(make_repo) -> None:
    repo = form_written(make_repo, "novaris-pharma.md")
    before = (repo / "plans" / "novaris-pharma.md").read_text(encoding="utf-8")
    result = run(["review", "plans/novaris-pharma.md", "--date", "2026-11-24", "--today", "2026-11-25"], repo)
    assert result.exit_code == 0, result.output
    after = (repo / "plans" / "novaris-pharma.md").read_text(encoding="utf-8")
    assert after == replaced(before, ("  last_reviewed: 2026-10-15\n", "  last_reviewed: 2026-11-24\n"))
    check_clean(repo, "novaris-pharma.md")


def test_review_of_a_new_plan_without_a_body(make_repo) -> None:
    repo = form_written(make_repo, "acme.md")
    before = (repo / "plans" / "acme.md").read_text(encoding="utf-8")
    assert before.endswith("      - obs-old-spec\n---\n")  # the form wrote no body, not even an empty line
    result = run(
        ["review", "plans/acme.md", "--date", "2026-11-24", "--reviewer", "@anna-meier", "--today", "2026-11-25"], repo
    )
    assert result.exit_code == 0, result.output
    after = (repo / "plans" / "acme.md").read_text(encoding="utf-8")
    assert after == replaced(
        before,
        ("  last_reviewed: 2026-11-20\n", "  last_reviewed: 2026-11-24\n"),
        # kamdocs quotes in single quotes where the form quotes in double ones: YAML reads both alike.
        ("  reviewer: bam@example.com\n", "  reviewer: '@anna-meier'\n"),
    )
    check_clean(repo, "acme.md")
