"""Values ``new`` and ``review`` write into front matter (kamdocs/plan/yamltext.py) read back as the same
text in YAML 1.2, which kamdocs reads, and in YAML 1.1, which editors and CI tools often read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamdocs.plan.loader import parse_bytes

from .commands import TODAY, check_json, kamdocs_in_process, write_repo
from .conftest import plan_text, run
from .test_new import TODAY as NEW_TODAY
from .test_new import new_args

YAML11_WORDS = ["yes", "No", "ON", "off", "y", "2026-1-5", "2026-01-01T10:00:00", "1:30", "0777", "0x1F", "0b101"]


def front_matter(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))


def test_new_and_review_quote_values_yaml_1_1_would_read_as_booleans_dates_or_numbers(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")})
    for n, word in enumerate(YAML11_WORDS):
        made = kamdocs_in_process(
            repo,
            "new",
            f"p{n}",
            "--kind",
            "one-page",
            "--account",
            word,
            "--owner",
            word,
            "--area",
            word,
            "--reviewer",
            word,
            "--today",
            TODAY,
        )
        assert made.returncode == 0, made.stderr
        data = front_matter(repo / "plans" / f"p{n}.md")
        assert (data["account"], data["owner"], data["business_area"], data["review"]["reviewer"]) == (word,) * 4
        reviewed = kamdocs_in_process(
            repo, "review", "good", "--reviewer", word, "--date", "2026-10-20", "--today", TODAY
        )
        assert reviewed.returncode == 0, reviewed.stderr
        assert front_matter(repo / "plans" / "good.md")["review"]["reviewer"] == word
    assert not [f for f in check_json(repo, "--no-freshness", in_process=True) if f["severity"] == "error"]


YAML_SPECIAL = [
    "Acme: Chemicals",
    "# not a comment",
    "- not a list",
    "it's",
    'say "hi"',
    "{not: a map}",
    "[not, a, list]",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "@at",
    "`tick",
    "yes",
    "null",
    "1e3",
    "2026-01-01",
    "a #b",
    "trailing:",
    "'both'",
    "back\\slash",
    "Zürich 日本",
    "0000-00-00",  # a date YAML 1.1 readers cannot make: PyYAML raises ValueError, not a YAML error
    "2026-02-30",
    "|",
    ">",
    "?",
]


@pytest.mark.parametrize("value", YAML_SPECIAL)
def test_yaml_special_values_pass_check_and_read_back_exactly(make_repo, value: str) -> None:
    repo = make_repo()
    result = run(new_args(account=value, owner=value, area=value, reviewer=value), repo)
    assert result.exit_code == 0, result.output
    data = parse_bytes((repo / "plans/acme.md").read_bytes(), "plans/acme.md").source.data
    assert (data["account"], data["owner"], data["business_area"], data["review"]["reviewer"]) == (value,) * 4
    report = json.loads(run(["check", "--format", "json", "--today", NEW_TODAY, "plans/acme.md"], repo).output)
    assert report["summary"]["errors"] == 0, report["findings"]


@pytest.mark.parametrize(
    "value", ["yes", "No", "on", "OFF", "y", "2026-01-01", "12:30", "0x1F", "1_000", "3M Schweiz AG"]
)
def test_new_and_review_write_text_that_yaml_1_1_readers_also_read_as_text(make_repo, value: str) -> None:
    """kamdocs reads YAML 1.2, but editors and CI tools often read 1.1, where `yes` is true and 12:30 is 750."""
    import yaml

    repo = make_repo()
    assert run(new_args(account=value, owner=value, area=value, reviewer=value), repo).exit_code == 0
    front = (repo / "plans/acme.md").read_text(encoding="utf-8").split("---\n")[1]
    data = yaml.safe_load(front)  # PyYAML's default: YAML 1.1
    assert (data["account"], data["owner"], data["business_area"], data["review"]["reviewer"]) == (value,) * 4
    run(["review", "acme", "--reviewer", "someone.else@example.com", "--today", "2026-11-30", "--force"], repo)
    reviewed = run(["review", "acme", "--reviewer", value, "--today", "2026-12-01", "--force"], repo)
    assert reviewed.exit_code == 0, reviewed.output
    front = (repo / "plans/acme.md").read_text(encoding="utf-8").split("---\n")[1]
    assert yaml.safe_load(front)["review"]["reviewer"] == value
