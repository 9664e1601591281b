"""One small file per case, as check-jsonschema does: positive files pass,
each negative file gives exactly the findings listed in expected.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamdocs.config import Config
from kamdocs.rules.pipeline import CheckRun, check_paths

from .conftest import EXAMPLES

POSITIVE = sorted((EXAMPLES / "positive").glob("*.md"))
NEGATIVE_DIR = EXAMPLES / "negative"
EXPECTED: dict[str, list[list]] = json.loads((NEGATIVE_DIR / "expected.json").read_text(encoding="utf-8"))


def test_every_negative_file_has_an_expectation() -> None:
    on_disk = {p.name for p in NEGATIVE_DIR.glob("*.md")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 40


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.stem)
def test_positive_file_passes(path: Path) -> None:
    result = check_paths([path], CheckRun.without_freshness(Config(root=path.parent)))
    assert result.findings == ()
    assert [p.id for p in result.plans] == [path.stem]


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: n.removesuffix(".md"))
def test_negative_file_gives_exact_findings(name: str) -> None:
    path = NEGATIVE_DIR / name
    before = path.read_bytes()
    result = check_paths([path], CheckRun.without_freshness(Config(root=NEGATIVE_DIR)))
    got = [[f.rule, f.line, f.column] for f in result.findings]
    assert got == sorted(EXPECTED[name], key=lambda x: (x[1], x[2], x[0]))
    for finding in result.findings:
        assert finding.file == name
        assert "expected" in finding.message and "found" in finding.message
    assert path.read_bytes() == before, "checking must never change a plan file"
