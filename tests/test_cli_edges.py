"""The command line at its edges: hostile values, internal errors, plan ids,
a real terminal for colour, and the smaller promises of docs/cli.md."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kamdocs.cli import KamdocsGroup, main
from kamdocs.findings import FRESHNESS_RULES
from kamdocs.plan.loader import parse_bytes

from .conftest import GitRepo, plan_text, run

TODAY = "2026-11-22"
NEW = ["--kind", "one-page", "--account", "Acme", "--owner", "kim@example.com", "--area", "Analytics"]


def new_args(plan_id: str = "acme", **values: str) -> list[str]:
    args = dict(zip(NEW[::2], NEW[1::2], strict=True))
    args.update({f"--{k}": v for k, v in values.items()})
    return ["new", plan_id, *[x for pair in args.items() for x in pair], "--today", TODAY]


# Values passed to `kamdocs new`

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


def test_review_refuses_a_reviewer_with_control_characters(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    before = (repo / "plans/a.md").read_bytes()
    for value in ("x\ny", "x\x1by", "x\u2028y"):
        result = run(["review", "a", "--reviewer", value, "--today", TODAY], repo)
        assert result.exit_code == 2 and "--reviewer: expected text on one line" in result.stderr
    assert (repo / "plans/a.md").read_bytes() == before


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
    report = json.loads(run(["check", "--format", "json", "--today", TODAY, "plans/acme.md"], repo).output)
    assert report["summary"]["errors"] == 0, report["findings"]


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


# Internal errors and --debug


def _group_with(callback) -> click.Group:
    """A group of the same class as kamdocs' own, with one command that fails as given."""

    @click.group(cls=KamdocsGroup)
    @click.option("--debug", is_flag=True)
    def group(debug: bool) -> None:
        pass

    group.command("boom")(callback)
    return group


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (KeyError("goal"), "KeyError: 'goal'"),
        (ValueError("year 10000 is out of range"), "ValueError: year 10000 is out of range"),
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum recursion depth exceeded"),
        (AssertionError("two\nlines"), "AssertionError: two\\nlines"),
        (ZeroDivisionError(), "ZeroDivisionError"),
    ],
)
def test_an_unexpected_exception_is_one_line_and_exit_3(error: Exception, line: str) -> None:
    def boom() -> None:
        raise error

    runner = CliRunner()
    result = runner.invoke(_group_with(boom), ["boom"])
    assert result.exit_code == 3
    assert result.stderr == f"kamdocs: internal error: {line} — run with --debug for the traceback\n"
    debug = runner.invoke(_group_with(boom), ["--debug", "boom"])
    assert debug.exception is error  # the traceback is shown, not swallowed


def test_usage_errors_exits_and_file_errors_keep_their_codes(tmp_path: Path) -> None:
    def usage() -> None:
        raise click.UsageError("bad option")

    def exits() -> None:
        raise SystemExit(1)

    def file_error() -> None:
        open(tmp_path / "missing" / "x")  # noqa: SIM115

    runner = CliRunner()
    assert runner.invoke(_group_with(usage), ["boom"]).exit_code == 2
    assert runner.invoke(_group_with(exits), ["boom"]).exit_code == 1
    result = runner.invoke(_group_with(file_error), ["boom"])
    assert result.exit_code == 1
    assert result.stderr == f"kamdocs: error: {tmp_path / 'missing' / 'x'}: No such file or directory\n"


def test_the_real_command_has_debug_and_documents_exit_3() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "--debug" in result.output and "3 an internal error" in result.output
    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "internal error" in docs and "--debug" in docs and "| 3 |" in docs


# Plan ids for review and rollover


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


# diff


def test_diff_reports_a_renamed_plan_whose_id_no_longer_matches_as_invalid(git_repo: GitRepo) -> None:
    files = {"plans__alpha.md": plan_text("alpha"), "plans__beta.md": plan_text("beta")}
    git_repo.commit("start", "2026-11-01T10:00:00+00:00", **files)
    git_repo.git("mv", "plans/alpha.md", "plans/omega.md")
    git_repo.write("plans/beta.md", plan_text("beta").replace("id: beta", "id: gamma"))
    document = json.loads(run(["diff", "--format", "json"], git_repo.path).stdout)
    statuses = {p["file"]: (p["status"], p["old_file"]) for p in document["plans"]}
    assert statuses == {"plans/omega.md": ("invalid", "plans/alpha.md"), "plans/beta.md": ("invalid", None)}
    git_repo.write("plans/omega.md", plan_text("omega"))
    git_repo.git("add", "-A")
    fixed = json.loads(run(["diff", "--format", "json"], git_repo.path).stdout)
    assert {p["file"]: p["status"] for p in fixed["plans"]}["plans/omega.md"] == "renamed"


def test_diff_says_when_it_falls_back_to_head(git_repo: GitRepo) -> None:
    git_repo.commit("start", "2026-11-01T10:00:00+00:00", **{"plans__a.md": plan_text("a")})
    on_main = run(["diff"], git_repo.path)
    assert on_main.exit_code == 0 and on_main.stderr == ""
    git_repo.git("branch", "-m", "topic")
    head = git_repo.git("rev-parse", "HEAD").strip()
    fallback = run(["diff"], git_repo.path)
    assert fallback.exit_code == 0
    assert fallback.stdout == "No plan changed in business terms.\n"
    assert fallback.stderr == (
        "kamdocs: no default branch (origin/HEAD, origin/main, origin/master, main, master) to compare with; "
        f"comparing with HEAD ({head[:10]})\n"
    )


# check --strict -q


def test_strict_quiet_prints_the_warnings_that_made_it_fail(make_repo) -> None:
    repo = make_repo({"plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"}),
                      "plans/bad.md": plan_text("bad", **{"interval: quarterly": "interval: quartely"})})  # fmt: skip
    quiet = run(["check", "-q", "--no-freshness"], repo)
    assert [line.split(": ")[1].split("[")[0] for line in quiet.stdout.splitlines()] == ["error"]
    strict = run(["check", "--strict", "-q", "--no-freshness"], repo)
    assert strict.exit_code == 1
    lines = strict.stdout.splitlines()
    assert [line.split(": ")[1].split("[")[0] for line in lines] == ["error", "warning"]
    assert lines[1].startswith("plans/warn.md:") and "warning[obstacle-unresolved]" in lines[1]
    assert not any(line.startswith(("    hint", "Checked")) for line in lines)
    (repo / "plans/bad.md").unlink()
    only_warning = run(["check", "--strict", "-q", "--no-freshness"], repo)
    assert only_warning.exit_code == 1 and "warning[obstacle-unresolved]" in only_warning.stdout


# Help texts


def test_help_says_what_today_means_for_init_and_new_and_names_reviewer() -> None:
    runner = CliRunner()
    for command in ("init", "new"):
        text = " ".join(runner.invoke(main, [command, "--help"]).output.split())
        assert "The date written into the new plans" in text, command
    check = " ".join(runner.invoke(main, ["check", "--help"]).output.split())
    assert "The date to judge freshness on" in check
    review = runner.invoke(main, ["review", "--help"]).output
    description = review.split("Options:")[0]
    assert "--reviewer" in description and "review.reviewer" in description


# NO_COLOR on a real terminal


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    master, slave = pty.openpty()
    process = subprocess.Popen(["kamdocs", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=slave,
                               stderr=slave, close_fds=True)  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            process.kill()
            raise AssertionError("kamdocs did not finish on the terminal")
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    process.wait(timeout=30)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_no_color_is_honoured_on_a_terminal(make_repo) -> None:
    repo = make_repo({"plans/bad.md": plan_text("bad", **{"interval: quarterly": "interval: quartely"}),
                      "plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"})})  # fmt: skip
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS", "FORCE_COLOR")}
    coloured = _on_a_terminal(["check", "--no-freshness"], repo, base)
    assert "\x1b[31m" in coloured and "\x1b[33m" in coloured  # red error, yellow warning
    assert "error[bad-format]" in click.unstyle(coloured)
    for value in ("1", "true", "anything"):
        plain = _on_a_terminal(["check", "--no-freshness"], repo, {**base, "NO_COLOR": value})
        assert "error[bad-format]" in plain and "warning[obstacle-unresolved]" in plain
        assert "\x1b[" not in plain


# --severity freshness=error


@pytest.mark.parametrize("today", ["2031-01-01", "2020-01-01"])
def test_severity_freshness_error_makes_every_freshness_finding_an_error(bundled_plans: Path, today: str) -> None:
    default = json.loads(run(["check", "--format", "json", "--today", today], bundled_plans).stdout)
    fresh = [f for f in default["findings"] if f["rule"] in FRESHNESS_RULES]
    assert fresh and {f["severity"] for f in fresh} == {"warning"}
    result = run(["check", "--format", "json", "--today", today, "--severity", "freshness=error"], bundled_plans)
    assert result.exit_code == 1
    raised = json.loads(result.stdout)
    raised_fresh = [f for f in raised["findings"] if f["rule"] in FRESHNESS_RULES]
    assert [(f["file"], f["rule"], f["line"]) for f in raised_fresh] == [
        (f["file"], f["rule"], f["line"]) for f in fresh
    ]
    assert {f["severity"] for f in raised_fresh} == {"error"}
    assert raised["summary"]["errors"] == default["summary"]["errors"] + len(fresh)


def test_the_two_days_cover_every_freshness_rule(bundled_plans: Path) -> None:
    seen = set()
    for today in ("2031-01-01", "2020-01-01"):
        document = json.loads(run(["check", "--format", "json", "--today", today], bundled_plans).stdout)
        seen |= {f["rule"] for f in document["findings"]}
    assert seen >= FRESHNESS_RULES


# Dates that init and new write reach a year past --today


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


def test_diff_and_edits_never_block_on_a_fifo(git_repo: GitRepo) -> None:
    """A FIFO in plans/ is skipped by diff and refused by review --force, within seconds."""
    git_repo.write("plans/a.md", plan_text("a"))
    git_repo.commit("a plan", "2026-01-05T12:00:00+00:00")
    os.mkfifo(git_repo.path / "plans/pipe.md")
    for args in (["diff"], ["review", "--force", "plans/pipe.md"], ["review", "--force", "pipe"]):
        done = subprocess.run(
            [sys.executable, "-m", "kamdocs", *args, *(["--today", TODAY] if args[0] == "review" else [])],
            cwd=git_repo.path,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert "Traceback" not in done.stderr
        assert done.returncode == (0 if args == ["diff"] else 1), done.stderr


def test_links_that_lead_nowhere_are_one_line_errors_and_diff_skips_them(git_repo: GitRepo) -> None:
    """A link loop, a dangling link and a link out of the repository: no traceback, no hang."""
    git_repo.write("plans/a.md", plan_text("a"))
    git_repo.commit("a plan", "2026-01-05T12:00:00+00:00")
    plans = git_repo.path / "plans"
    os.symlink("loop2.md", plans / "loop1.md")
    os.symlink("loop1.md", plans / "loop2.md")
    os.symlink("nowhere.md", plans / "dangling.md")
    os.symlink("/etc/hostname", plans / "outside.md")
    os.symlink("/dev/zero", plans / "zero.md")
    for plan in ("plans/loop1.md", "loop1", "plans/dangling.md"):
        done = run(["review", "--force", plan, "--today", TODAY], git_repo.path)
        assert done.exit_code == 1, done.output
        assert "expected a regular file, found a link that leads nowhere (dangling or a loop)" in done.output
    diffed = subprocess.run(
        [sys.executable, "-m", "kamdocs", "diff"], cwd=git_repo.path, capture_output=True, text=True, timeout=20
    )
    assert diffed.returncode == 0, diffed.stderr
    assert "Traceback" not in diffed.stderr


@pytest.mark.parametrize("kind", ["fifo", "not-utf8", "device", "folder"])
def test_codeowners_names_a_codeowners_file_it_cannot_use(make_repo, kind: str) -> None:
    """A CODEOWNERS that is a FIFO, a device, a folder or not UTF-8: one line, nothing written; exit 2
    for what kamdocs never writes into (a link, a special file), exit 1 for text it cannot read."""
    repo = make_repo({"plans/a.md": plan_text("a", **{"reviewer: bam@example.com": "reviewer: '@bam'"})})
    target = repo / ".github/CODEOWNERS"
    target.parent.mkdir()
    expected = {
        "fifo": "expected a file kamdocs may replace, found a named pipe (FIFO)",
        "not-utf8": "expected UTF-8 text, found the byte 0xff at offset 0",
        "device": "found a symlink to /dev/null, a character device",
        "folder": "expected a file kamdocs may replace, found a folder",
    }[kind]
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "not-utf8":
        target.write_bytes(b"\xff\xfe x\n")
    elif kind == "device":
        os.symlink("/dev/null", target)
    else:
        target.mkdir()
    for args in (["codeowners"], ["codeowners", "--check"]):
        done = subprocess.run(
            [sys.executable, "-m", "kamdocs", *args], cwd=repo, capture_output=True, text=True, timeout=20
        )
        assert done.returncode == (1 if kind == "not-utf8" else 2), done.stderr
        assert ".github/CODEOWNERS" in done.stderr and expected in done.stderr, done.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["CODEOWNERS"]


def test_outside_a_plans_repository_check_says_where_to_run(tmp_path: Path) -> None:
    done = run(["check"], tmp_path)
    assert done.exit_code == 2
    assert "no mkdocs.yml here or above: run kamdocs in a plans repository, or pass --config" in done.output


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


@pytest.mark.parametrize("command", ["codeowners", "export"])
def test_a_link_in_the_repository_that_leads_out_is_never_written_through(
    make_repo, tmp_path: Path, command: str
) -> None:
    """A pull request can put a symlink where CI writes; the file it points at outside stays untouched."""
    repo = make_repo({"plans/a.md": plan_text("a", **{"reviewer: bam@example.com": "reviewer: '@bam'"})})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    if command == "codeowners":
        (repo / ".github").mkdir()
        os.symlink(victim, repo / ".github/CODEOWNERS")
        args = ["codeowners"]
    else:
        os.symlink(victim, repo / "plans.json")
        args = ["export", "--format", "json", "-o", "plans.json", "--today", TODAY]
    done = run(args, repo)
    assert done.exit_code == 2, done.output
    assert f"found a symlink to {victim}" in done.output and "never writes through a symlink" in done.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    inside = repo / "out.json"  # a link inside the repository is refused too: no write through a link, anywhere
    inside.write_text("old\n", encoding="utf-8")
    os.symlink("out.json", repo / "link-in.json")
    assert run(["export", "--format", "json", "-o", "link-in.json", "--today", TODAY], repo).exit_code == 2
    assert inside.read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (["rollover", "plans/alpha.md", "--period-start", "31.07.2027", "--period-end", "2028-06-30"],
         "--period-start: expected a date YYYY-MM-DD, found '31.07.2027': write 2027-07-31"),
        (["status", "--today", "31.12.2026"], "--today: expected a date YYYY-MM-DD, found '31.12.2026': write 2026-12-31"),
        (["rollover", "plans/alpha.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31",
          "--actual", "850.000"], "found '850.000': write 850000 (or 850 if the separator marks decimals)"),
        (["rollover", "plans/alpha.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31",
          "--actual", "1'250'000"], "found \"1'250'000\": write 1250000"),
    ],
)  # fmt: skip
def test_options_written_as_people_write_them_propose_the_value_meant(make_repo, args: list[str], meant: str) -> None:
    repo = make_repo({"plans/alpha.md": plan_text("alpha")})
    before = (repo / "plans/alpha.md").read_bytes()
    result = run(args, repo)
    assert result.exit_code == 2 and meant in result.stderr, result.output
    assert (repo / "plans/alpha.md").read_bytes() == before  # refused before anything is written


# The command list of kamdocs --help


def _listed_commands(help_text: str) -> dict[str, str]:
    """Each command's text in the "Commands:" list of ``--help``, its wrapped lines joined."""
    listed: dict[str, str] = {}
    name = ""
    for line in help_text.split("Commands:\n", 1)[1].splitlines():
        first = re.match(r"  (\S+)\s+(.*)", line)
        if first:
            name, listed[first.group(1)] = first.group(1), first.group(2)
        elif line.strip():  # click wraps after a hyphen too ("self-" / "contained")
            listed[name] += ("" if listed[name].endswith("-") else " ") + line.strip()
    return listed


@pytest.mark.parametrize("width", ["80", "60"])
def test_help_lists_every_commands_whole_first_sentence(width: str) -> None:
    result = CliRunner().invoke(main, ["--help"], env={"COLUMNS": width}, terminal_width=int(width))
    listed = _listed_commands(result.output)
    assert set(listed) == set(main.commands)
    for name, command in main.commands.items():
        paragraph = " ".join((command.callback.__doc__ or "").strip().split("\n\n")[0].split())
        assert paragraph.endswith(".") and ". " not in paragraph, (name, paragraph)  # one sentence, whole
        assert listed[name] == paragraph, name
        assert "..." not in listed[name]


# new outside a plans repository


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
