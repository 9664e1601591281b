"""Where pages live (kamdocs/site/sitemap.py): facet values become short, unique, stable page names,
however long, colliding or non-Latin the value."""

from __future__ import annotations

import re
from pathlib import Path

from .commands import MKDOCS, mkdocs_build, write_repo
from .conftest import plan_text


def test_long_and_colliding_facet_values_get_short_unique_pages(tmp_path: Path) -> None:
    long_a = "Industrial " + "a" * 1000
    long_b = "Industrial " + "a" * 999 + "b"
    areas = {
        "long-a": long_a,
        "long-b": long_b,
        "r-and-d": "R&D",
        "r-space-d": "R D",
        "greek": "Ελληνικά",
        "cjk": "研究開発",
        "index-area": "Index",
    }
    plans = {
        name: plan_text(name, **{"business_area: Process Analytics": f"business_area: '{area}'"})
        for name, area in areas.items()
    }
    plans["owner-long"] = plan_text("owner-long", **{"owner: kam@example.com": "owner: " + "o" * 600 + "@example.com"})
    mkdocs = MKDOCS + "      group_by: [business_area, owner, region, tier, tags, reviewer]\n"
    repo = write_repo(tmp_path, plans, mkdocs)
    build = mkdocs_build(repo, "--strict")
    assert build.returncode == 0, build.stderr
    folder = tmp_path / "site" / "plans" / "by-business-area"
    pages = {p.parent.name for p in folder.glob("*/index.html")}
    assert len(pages) == len(areas) + 1, pages  # and the owner-long plan's Process Analytics
    assert all(len(name.encode()) <= 80 for name in pages), pages
    assert len({n for n in pages if re.fullmatch(r"r-d-[0-9a-f]{8}", n)}) == 2
    assert len({n for n in pages if re.fullmatch(r"value-[0-9a-f]{8}", n)}) == 2  # Greek and CJK
    assert len({n for n in pages if n.startswith("industrial-aaaa")}) == 2
    assert "process-analytics" in pages  # an ordinary value keeps its readable URL
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in pages:
        assert f"{name}/" in index
    titles = [(folder / name / "index.html").read_text(encoding="utf-8") for name in pages]
    for area in ("R&amp;D", "R D", "Ελληνικά", "研究開発", long_a[:200], long_b[-50:]):
        assert sum(area in t for t in titles) >= 1, area
    owners = {p.parent.name for p in (tmp_path / "site" / "plans" / "by-owner").glob("*/index.html")}
    assert len(owners) == 2 and all(len(name) <= 80 for name in owners)


def test_page_slugs_are_short_unique_stable_and_never_index() -> None:
    from kamdocs.site.sitemap import page_slugs

    values = [
        "Process Analytics",
        "R&D",
        "R D",
        "r-d",
        "Index",
        "index",
        "",
        "---",
        "Ελληνικά",
        "研究開発",
        "x" * 5000,
        "x" * 4999 + "y",
        "kam@example.com",
        "KAM@example.com",
    ]
    slugs = page_slugs(values)
    assert set(slugs) == set(values)
    assert len(set(slugs.values())) == len(values)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and len(s) <= 69 for s in slugs.values()), slugs
    assert "index" not in slugs.values()
    assert slugs["Process Analytics"] == "process-analytics"
    assert page_slugs(reversed(values)) == slugs
    assert page_slugs(["R D"]) == {"R D": "r-d"}


def test_a_value_written_as_another_values_hashed_page_name_gets_its_own_page() -> None:
    """A plan author can compute the hashed name of R&D and use it as a business area: both keep a page."""
    import hashlib

    from kamdocs.site.sitemap import page_slugs

    decoy = "r-d-" + hashlib.sha256(b"R&D").hexdigest()[:8]
    slugs = page_slugs(["R&D", "R D", decoy])
    assert len(set(slugs.values())) == 3, slugs
    assert slugs[decoy] == decoy
    assert slugs["R&D"] == "r-d-" + hashlib.sha256(b"R&D").hexdigest()[:9]
    assert slugs["R D"] == "r-d-" + hashlib.sha256(b"R D").hexdigest()[:8]
