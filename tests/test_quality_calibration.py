"""The quality score agrees with a business area manager on the calibration plans (tests/calibration/bands.md):
every band, the weakness each plan was written to show, and the plans being valid ones."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kamdocs.rules.quality import QUALITY_RULES

from .commands import site_config
from .conftest import run
from .quality_plans import CALIBRATION, TODAY, bands, calibration_text, score

BANDS = bands()

WEAKNESS = {
    "one-page-open-chain": "obstacle-unanswered",
    "one-page-kam-owns-all": "commitment-owned-by-kam",
    "one-page-stale-contacts": "contact-not-touched",
    "one-page-no-baseline": "goal-baseline-missing",
    "one-page-placeholder-chain": "chain-placeholder",
    "one-page-neglected": "review-late",
    "new:one-page": "commitment-placeholder",
    "init:one-page": "economic-buyer-unknown",
    "full-no-baseline": "goal-baseline-missing",
    "full-kpis-without-actuals": "kpis-not-measured",
    "full-thin-strategy": "strategy-thin",
    "full-commitments-in-prose": "commitments-missing",
    "full-one-liners": "section-thin",
    "full-neglected": "review-late",
    "new:full": "section-thin",
}
"""The rule that names the weakness each plan was written to show (the table's "why")."""


def test_the_set_is_what_the_issue_asks_for() -> None:
    names = [b.name for b in BANDS]
    assert len(names) == len(set(names)) >= 15
    kinds = {"one-page" if "one-page" in n else "full" for n in names}
    assert kinds == {"one-page", "full"}
    assert {"new:one-page", "new:full"} <= set(names)
    good = {b.name for b in BANDS if b.band == "good"}
    assert {"one-page-exemplary", "full-exemplary"} <= good
    assert set(WEAKNESS) <= set(names) and set(WEAKNESS.values()) <= set(QUALITY_RULES)
    files = {p.stem for p in CALIBRATION.glob("*.md")} - {"bands"}
    assert files == {n for n in names if ":" not in n}  # every file has a band, every band a plan


@pytest.mark.parametrize("banded", BANDS, ids=[b.name for b in BANDS])
def test_every_plan_gets_the_managers_band(banded) -> None:
    quality = score(calibration_text(banded.name))
    assert quality.band == banded.band, (quality.score, [(r.rule, r.points) for r in quality.reasons], banded.why)
    assert sum(r.points for r in quality.reasons) == 100 - quality.score
    if banded.name.endswith("exemplary"):
        assert quality.score >= 90
    if banded.name in WEAKNESS:
        assert WEAKNESS[banded.name] in {r.rule for r in quality.reasons}


def test_the_weakness_plans_differ_from_their_exemplary_plan_by_their_weakness_only() -> None:
    """Each weakness plan was derived from an exemplary one; what it lost is in the weakness' category (and, for
    a neglected or placeholder plan, the categories that describe neglect), so the table tests what it says."""
    allowed = {
        "one-page-open-chain": {"chain"},
        "one-page-kam-owns-all": {"ownership"},
        "one-page-stale-contacts": {"people"},
        "one-page-no-baseline": {"completeness"},
        "one-page-placeholder-chain": {"chain", "ownership"},
        "full-no-baseline": {"completeness"},
        "full-kpis-without-actuals": {"kpis"},
        "full-thin-strategy": {"completeness"},
        "full-commitments-in-prose": {"ownership"},
        "full-one-liners": {"completeness"},
    }
    for name, categories in allowed.items():
        assert {r.category for r in score(calibration_text(name)).reasons} == categories, name


def test_every_file_plan_checks_without_errors(make_repo) -> None:
    repo = make_repo({f"plans/{p.name}": p.read_text(encoding="utf-8") for p in CALIBRATION.glob("*-*.md")})
    result = run(["check", "--today", TODAY.isoformat()], repo)
    assert "error[" not in result.output, result.output
    assert f"Checked {len(list(CALIBRATION.glob('*-*.md')))} plans: 0 errors" in result.output
    # The command a manager runs gives the same bands.
    scored = json.loads(run(["quality", "--format", "json", "--today", TODAY.isoformat()], repo).output)
    assert {p["id"]: p["band"] for p in scored["plans"]} == {b.name: b.band for b in BANDS if ":" not in b.name}


def test_a_plan_page_says_what_keeps_the_plan_from_good(tmp_path: Path) -> None:
    """The reader sees the score, the band and, in words, the essential failures behind a fair band."""
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for name in ("one-page-open-chain", "one-page-exemplary"):
        (repo / "plans" / f"{name}.md").write_text(calibration_text(name), encoding="utf-8")
    (repo / "mkdocs.yml").write_text(site_config("git: false", f"today: {TODAY}", search=False), encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")], cwd=repo,
                           capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    assert built.returncode == 0, built.stderr

    def quality_text(name: str) -> str:
        page = (tmp_path / "site/plans/accounts" / name / "index.html").read_text(encoding="utf-8")
        return re.sub(r"<[^>]+>", "", re.search(r'<p class="kd-quality">(.*?)</p>', page, flags=re.S).group(1))  # type: ignore[union-attr]

    assert quality_text("one-page-open-chain") == (
        "90/100, fair. Kept from good by: Obstacle without a commitment. Every point lost, with the reason."
    )
    assert quality_text("one-page-exemplary") == "100/100, good. No points lost."
