"""``kamdocs new`` and ``kamdocs init``: what they refuse to write (control characters, a day whose plans
would leave the calendar, a folder that is no plans repository), and the slug they propose for a name."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import run

TODAY = "2026-11-22"


NEW = ["--kind", "one-page", "--account", "Acme", "--owner", "kim@example.com", "--area", "Analytics"]


def new_args(plan_id: str = "acme", **values: str) -> list[str]:
    args = dict(zip(NEW[::2], NEW[1::2], strict=True))
    args.update({f"--{k}": v for k, v in values.items()})
    return ["new", plan_id, *[x for pair in args.items() for x in pair], "--today", TODAY]


CONTROL = ["a\nb", "a\rb", "a\tb", "a\x00b", "a\x1b[31mb", "a\u2028b", "a\u2029b", "a\x85b", "a\x7fb", "line\n"]


@pytest.mark.parametrize("option", ["account", "owner", "area", "reviewer"])
@pytest.mark.parametrize("value", CONTROL, ids=[repr(v) for v in CONTROL])
def test_new_refuses_control_characters(make_repo, option: str, value: str) -> None:
    repo = make_repo()
    result = run(new_args(**{option: value}), repo)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"kamdocs: error: --{option}: expected text on one line without control")
    assert f"found U+{ord(value[1]) if len(value) > 1 and value[0] == 'a' else 10:04X}" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list((repo / "plans").iterdir()) == []


def test_new_suggests_a_slug_for_a_name(make_repo) -> None:
    repo = make_repo()
    for name, slug in (("Acme Corp", "acme-corp"), ("ACME_Chemicals 2027", "acme-chemicals-2027"),
                       ("acme--corp_", "acme-corp"), ("Zürich AG", "z-rich-ag")):  # fmt: skip
        result = run(new_args(name), repo)
        assert result.exit_code == 2
        assert f"found {name!r}; did you mean '{slug}'?" in result.stderr
    result = run(new_args("日本"), repo)
    assert result.exit_code == 2 and "use lowercase letters, digits and hyphens" in result.stderr
    assert list((repo / "plans").iterdir()) == []


@pytest.mark.parametrize("day", ["9999-12-31", "9999-01-01", "9999-06-30"])
def test_init_and_new_refuse_a_today_whose_plans_would_leave_the_calendar(make_repo, tmp_path: Path, day: str) -> None:
    made = run(["init", str(tmp_path / "r"), "--today", day], tmp_path)
    assert made.exit_code == 2, made.output
    assert f"--today: expected a date on or before 9998-12-31 (the plans written reach a year ahead), found {day}" in (
        made.output
    )
    assert not (tmp_path / "r").exists()
    repo = make_repo()
    created = run([*new_args()[:-1], day], repo)
    assert created.exit_code == 2, created.output
    assert not (repo / "plans/acme.md").exists()


@pytest.mark.parametrize("day", ["9998-12-31", "0001-01-01", "2024-02-29"])
def test_init_and_new_at_the_calendars_edges_write_plans_that_check(make_repo, tmp_path: Path, day: str) -> None:
    assert run(["init", str(tmp_path / "r"), "--today", day], tmp_path).exit_code == 0
    checked = run(["check", "--today", day], tmp_path / "r")
    assert checked.exit_code == 0, checked.output
    repo = make_repo()
    assert run([*new_args()[:-1], day], repo).exit_code == 0
    assert "error[" not in run(["check", "--today", day, "plans/acme.md"], repo).output


def test_new_outside_a_plans_repository_refuses_as_check_does(tmp_path: Path) -> None:
    """No mkdocs.yml here or above and no plans folder: new writes nothing, with check's message and exit."""
    outside = tmp_path / "somewhere"
    outside.mkdir()
    subprocess.run(["git", "init", "-q", str(outside)], check=True)  # stop the search for mkdocs.yml here
    checked = run(["check"], outside)
    created = run(new_args(), outside)
    assert checked.exit_code == 2
    assert created.exit_code == checked.exit_code
    assert checked.stderr == (
        f"kamdocs: error: plans folder not found: {outside / 'plans'} "
        "(no mkdocs.yml here or above: run kamdocs in a plans repository, or pass --config)\n"
    )
    assert created.stderr == checked.stderr
    assert sorted(p.name for p in outside.iterdir()) == [".git"]
