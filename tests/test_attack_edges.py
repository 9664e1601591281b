"""Edges found by trying the installed wheel as an attacker would: each crashed or hung a command.

Every test runs the real command (``python -m kamdocs`` in a subprocess with a
timeout, and a real ``mkdocs build`` where the build was affected) on real
files: symlink loops, FIFOs and device links included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .commands import ENV, MKDOCS, TODAY, check_json, kamdocs, mkdocs_build, write_repo
from .conftest import GitRepo, plan_text

# --- Impossible dates at the calendar's edges -----------------------------------------------------

EDGE_DATES = {
    # name: (text to replace, replacement, the value the finding quotes, the hint)
    "year-0-review": ("last_reviewed: 2026-10-01", "last_reviewed: 0000-01-01", "0000-01-01", "there is no year 0"),
    "year-0-leap-day": ("due: 2026-12-15", "due: 0000-02-29", "0000-02-29", "there is no year 0"),
    "year-0-december": ("end: 2026-12-31", "end: 0000-12-31", "0000-12-31", "there is no year 0"),
    "year-0-quoted": ("last_reviewed: 2026-10-01", "last_reviewed: '0000-06-15'", "0000-06-15", "there is no year 0"),
    "day-32-of-december-9999": (
        "last_reviewed: 2026-10-01",
        "last_reviewed: 9999-12-32",
        "9999-12-32",
        "December 9999 has 31 days",
    ),
    "day-31-of-november-9999": ("due: 2026-12-15", "due: 9999-11-31", "9999-11-31", "November 9999 has 30 days"),
    "day-30-of-february-0001": ("start: 2026-01-01", "start: 0001-02-30", "0001-02-30", "February 0001 has 28 days"),
}


@pytest.mark.parametrize("name", sorted(EDGE_DATES))
def test_impossible_dates_at_the_calendar_edges_are_one_bad_date_finding(tmp_path: Path, name: str) -> None:
    old, new, value, hint = EDGE_DATES[name]
    repo = write_repo(tmp_path, {"edge": plan_text("edge", **{old: new}), "good": plan_text("good")})

    findings = check_json(repo, "--no-freshness")

    assert [(f["file"], f["rule"]) for f in findings] == [("plans/edge.md", "bad-date")]
    assert findings[0]["message"].endswith(f"found '{value}'")
    assert findings[0]["hint"] == hint
    status = kamdocs(repo, "status", "--format", "json", "--today", TODAY)
    assert status.returncode == 0, status.stderr
    assert [row["id"] for row in json.loads(status.stdout)["plans"]] == ["good"]
    build = mkdocs_build(repo)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    assert "bad-date" in build.stderr


# --- Symlink loops ---------------------------------------------------------------------------------


def loops(plans: Path) -> list[str]:
    """Three kinds of loop: a link to itself, two links to each other, and a link into a looping folder."""
    os.symlink("self.md", plans / "self.md")
    os.symlink("pong.md", plans / "ping.md")
    os.symlink("ping.md", plans / "pong.md")
    os.symlink("circle", plans / "circle")
    return ["plans/ping.md", "plans/pong.md", "plans/self.md"]


def test_a_symlink_loop_in_plans_is_an_unreadable_finding_in_every_command(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")})
    looping = loops(repo / "plans")

    findings = check_json(repo)
    assert sorted((f["file"], f["rule"], f["line"], f["column"]) for f in findings) == [
        (name, "unreadable", 1, 1) for name in looping
    ]
    assert all("symbolic links" in f["message"] for f in findings)
    for args in (
        ("status", "--format", "json"),
        ("export", "--format", "json"),
        ("export", "--format", "ics"),
        ("codeowners", "--check"),
    ):
        result = kamdocs(repo, *args, "--today", TODAY) if args[0] != "codeowners" else kamdocs(repo, *args)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode in (0, 1), (args, result.stderr)
    status = kamdocs(repo, "status", "--format", "json", "--today", TODAY)
    assert [row["id"] for row in json.loads(status.stdout)["plans"]] == ["good"]
    build = mkdocs_build(repo)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    assert (tmp_path / "site" / "plans" / "accounts" / "good" / "index.html").is_file()


def test_a_plans_folder_that_is_a_symlink_loop_is_a_configuration_error_in_the_build(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {})
    (repo / "plans").rmdir()
    os.symlink("plans", repo / "plans")

    build = mkdocs_build(repo)

    assert "Traceback" not in build.stderr, build.stderr
    assert build.returncode == 1
    assert "plans folder not found" in build.stderr


# --- diff reads the working tree as check does ----------------------------------------------------


def committed_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("mkdocs.yml", MKDOCS)
    repo.commit("Add the plan", "2026-10-01T12:00:00+00:00", **{"plans/good.md": plan_text("good")})
    repo.write("plans/good.md", plan_text("good", **{"target: 500000": "target: 650000"}))
    return repo


def diff_json(repo: Path) -> dict:
    result = kamdocs(repo, "diff", "HEAD", "--format", "json", timeout=20)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_diff_skips_fifos_devices_and_links_out_of_the_repository_without_hanging(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path)
    plans = repo.path / "plans"
    os.mkfifo(plans / "fifo.md")
    os.symlink("/dev/zero", plans / "zero.md")  # read to the end, it never ends
    os.symlink("/dev/urandom", plans / "random.md")
    os.symlink("/etc/passwd", plans / "passwd.md")  # a regular file outside the repository
    os.symlink("loop.md", plans / "loop.md")
    (plans / "folder.md").mkdir()

    report = diff_json(repo.path)

    assert [(p["file"], p["status"]) for p in report["plans"]] == [("plans/good.md", "modified")]
    assert report["plans"][0]["changes"] == [{"kind": "goal-target", "old": 500000, "new": 650000, "unit": "CHF"}]


def test_diff_with_a_plans_folder_that_is_a_fifo_or_a_loop_does_not_hang(tmp_path: Path) -> None:
    for kind in ("fifo", "loop"):
        repo = GitRepo(tmp_path / kind)
        repo.write("mkdocs.yml", MKDOCS)
        repo.commit("Add the plan", "2026-10-01T12:00:00+00:00", **{"plans/good.md": plan_text("good")})
        (repo.path / "plans" / "good.md").unlink()
        (repo.path / "plans").rmdir()
        if kind == "fifo":
            os.mkfifo(repo.path / "plans")
        else:
            os.symlink("plans", repo.path / "plans")

        result = kamdocs(repo.path, "diff", "HEAD", "--format", "json", timeout=20)

        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (kind, result.stderr)
        assert result.returncode in (0, 2), (kind, result.stderr)


# --- A hostile repository schema -------------------------------------------------------------------

SCHEMAS = {
    # name: (schema text, what the one-line error says after "schema s.json: ")
    "nested-not-200": ('{"not": ' * 200 + "{}" + "}" * 200, "expected JSON nested at most 64 levels, found more"),
    "nested-items-800": (
        '{"properties": {"account": ' + '{"items": ' * 800 + "{}" + "}" * 800 + "}}",
        "expected JSON nested at most 64 levels, found more",
    ),
    "nested-arrays-100000": ("[" * 100_000 + "]" * 100_000, "expected JSON nested at most 64 levels, found more"),
    "nan-bound": ('{"properties": {"goal": {"maximum": NaN}}}', "invalid JSON: NaN is not a JSON number"),
    "infinity-bound": ('{"minimum": -Infinity}', "invalid JSON: -Infinity is not a JSON number"),
    "overflowing-bound": ('{"maximum": 1e999}', "invalid JSON: 1e999 is beyond the range of numbers"),
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_a_hostile_repository_schema_is_one_configuration_error(tmp_path: Path, name: str) -> None:
    text, message = SCHEMAS[name]
    repo = write_repo(
        tmp_path, {"good": plan_text("good")}, mkdocs="site_name: P\nplugins:\n  - kamdocs:\n      schema: s.json\n"
    )
    (repo / "s.json").write_text(text, encoding="utf-8")

    for command in ("check", "schema"):
        result = kamdocs(repo, command, timeout=30)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr == f"kamdocs: error: schema s.json: {message}\n", command
    build = mkdocs_build(repo)
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert f"schema s.json: {message}" in build.stderr


def test_a_repository_schema_nested_64_levels_deep_is_accepted(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path, {"good": plan_text("good")}, mkdocs="site_name: P\nplugins:\n  - kamdocs:\n      schema: s.json\n"
    )
    (repo / "s.json").write_text('{"not": ' * 63 + '{"type": "string"}' + "}" * 63, encoding="utf-8")

    result = kamdocs(repo, "check", "--no-freshness")

    assert (result.returncode, result.stderr) == (0, "")


# --- The status table's owner column ---------------------------------------------------------------

OWNERS = {
    # owner as written: what the owner column shows
    "@bigh": "@bigh",
    "@team-lab": "@team-lab",
    "anna.keller@example.com": "anna.keller",
    "Anna Keller": "Anna Keller",
}


def test_the_owner_column_shows_handles_whole_and_emails_by_name(tmp_path: Path) -> None:
    plans = {
        f"p{n}": plan_text(f"p{n}", **{"owner: kam@example.com\n": f"owner: '{owner}'\n"})
        for n, owner in enumerate(OWNERS)
    }
    repo = write_repo(tmp_path, plans)

    result = kamdocs(repo, "status", "--today", TODAY)

    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    start = header.index("owner")
    shown = {row.split()[0]: row[start:].split("  ")[0].strip() for row in rows if row.startswith("p")}
    assert shown == {f"p{n}": column for n, column in enumerate(OWNERS.values())}


# --- check and the build agree on mkdocs.yml --------------------------------------------------------

HEAD = "site_name: Plans\ntheme:\n  name: material\n  font: false\n"
TWICE = {
    "bare-names": "plugins:\n  - kamdocs\n  - kamdocs\n",
    "different-options": (
        "plugins:\n  - kamdocs:\n      git: false\n  - search\n  - kamdocs:\n      git: false\n      plans_dir: nowhere\n"
    ),
    "three-times": "plugins:\n  - kamdocs\n  - kamdocs:\n      git: false\n  - kamdocs\n",
}


@pytest.mark.parametrize("name", sorted(TWICE))
def test_a_kamdocs_entry_named_twice_is_refused_by_check_and_the_build_alike(tmp_path: Path, name: str) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")}, mkdocs=HEAD + TWICE[name])
    count = TWICE[name].count("- kamdocs")
    message = f"mkdocs.yml: plugins: expected one kamdocs entry, found {count}; delete all but one"

    for args in (("check",), ("status",), ("codeowners", "--check")):
        result = kamdocs(repo, *args)
        assert (result.returncode, result.stderr) == (2, f"kamdocs: error: {message}\n"), args
    build = mkdocs_build(repo)
    assert build.returncode == 1
    assert f"kamdocs: {message}" in build.stderr
    assert "Traceback" not in build.stderr


def test_an_unset_env_variable_means_the_default_for_check_as_for_the_build(tmp_path: Path) -> None:
    options = "      plans_dir: !ENV KAMDOCS_ATTACK_UNSET\n      due_soon_days: !ENV [KAMDOCS_ATTACK_UNSET]\n"
    repo = write_repo(tmp_path, {"good": plan_text("good")}, mkdocs=MKDOCS + options)

    result = kamdocs(repo, "check", "--no-freshness")
    build = mkdocs_build(repo)

    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout == "Checked 1 plan: 0 errors, 0 warnings.\n"
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "plans" / "accounts" / "good" / "index.html").is_file()


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_mkdocs_yml_that_is_not_a_regular_file_is_a_configuration_error(tmp_path: Path, kind: str) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")})
    (repo / "mkdocs.yml").unlink()
    if kind == "fifo":
        os.mkfifo(repo / "mkdocs.yml")
    else:
        (repo / "mkdocs.yml").mkdir()
    found = "a named pipe (FIFO)" if kind == "fifo" else "a folder"

    for args in (("check",), ("status",), ("export", "--format", "json")):
        result = kamdocs(repo, *args, timeout=20)
        assert (result.returncode, result.stderr) == (
            2,
            f"kamdocs: error: mkdocs.yml: expected a regular file, found {found}\n",
        ), args


# --- A bad embed marker in a plan's body is named at its place in the plan file --------------------

MARKERS = {
    "unknown-key": ('<!-- kamdocs:table nope="x" -->', "expected a filter key from"),
    "unknown-value": ('<!-- kamdocs:table state="zzz" -->', "expected a value of state that some plan has"),
    "malformed": ('<!-- kamdocs:table state=overdue" -->', "expected a marker like"),
}


@pytest.mark.parametrize("name", sorted(MARKERS))
def test_a_bad_marker_in_a_plan_body_names_the_plan_file_and_line(tmp_path: Path, name: str) -> None:
    marker, message = MARKERS[name]
    text = plan_text("good", **{"Body text.": "Body text.\n\nMore text.\n\n" + marker + "\n\nAfter."})
    line = text[: text.index(marker)].count("\n") + 1
    repo = write_repo(tmp_path, {"good": plan_text("good"), "marked": text.replace("id: good", "id: marked")})

    build = mkdocs_build(repo)

    assert build.returncode == 1
    assert f"kamdocs: plans/marked.md:{line}: {message}" in build.stderr, build.stderr
    assert "plans/accounts/marked.md:" not in build.stderr


# --- The pull-request gate that init writes fails exactly where the site build fails ----------------


EPOCH = "1793534400"  # 2026-11-01 12:00 UTC: the day both the gate and the build judge on


def gate_commands(repo: Path) -> list[tuple[dict[str, str], list[str]]]:
    """The ``kamdocs check`` steps of the plans.yml that init wrote, as (environment, argv)."""
    import shlex

    import yaml

    workflow = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8"))
    commands = []
    for step in workflow["jobs"]["check"]["steps"]:
        words = shlex.split(step.get("run", ""), comments=True)
        env = {}
        while words and "=" in words[0] and not words[0].startswith("-"):
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        if words[:2] == ["kamdocs", "check"]:
            commands.append((env, words[1:]))
    return commands


def gate_passes(repo: Path) -> bool:
    summary = repo.parent / "summary.md"
    for env, args in gate_commands(repo):
        step_env = {
            **ENV,
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": str(summary),
            "SOURCE_DATE_EPOCH": EPOCH,
            **env,
        }
        result = subprocess.run(
            [sys.executable, "-m", "kamdocs", *args], cwd=repo, env=step_env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode in (0, 1), result.stderr
        if result.returncode:
            return False
    return True


GATE_CASES = {
    # name: (init --today, plan written by `kamdocs new`?, replacement in the example plan, site builds --strict?)
    "fresh": ("2026-11-01", False, None, True),
    "every-plan-overdue": ("2020-01-01", False, None, True),
    "a-new-plan-with-todos": ("2026-11-01", True, None, False),
    "an-unresolved-obstacle": ("2026-11-01", False, ("    resolves: [obs-no-reference]\n", ""), False),
}


@pytest.mark.parametrize("name", sorted(GATE_CASES))
def test_the_pull_request_gate_init_writes_fails_where_the_strict_site_build_fails(tmp_path: Path, name: str) -> None:
    day, new, replace, builds = GATE_CASES[name]
    repo = tmp_path / "repo"
    assert kamdocs(tmp_path, "init", "repo", "--today", day).returncode == 0
    if new:
        made = kamdocs(
            repo,
            "new",
            "acme",
            "--kind",
            "one-page",
            "--account",
            "Acme AG",
            "--owner",
            "o@example.com",
            "--area",
            "Process Analytics",
            "--today",
            day,
        )
        assert made.returncode == 0, made.stderr
    if replace:
        plan = repo / "plans" / "example-one-page.md"
        text = plan.read_text(encoding="utf-8")
        assert replace[0] in text
        plan.write_text(text.replace(*replace), encoding="utf-8")

    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env={**ENV, "SOURCE_DATE_EPOCH": EPOCH},
        check=False,
    )

    assert (build.returncode == 0) is builds, build.stderr
    assert gate_passes(repo) is builds


TAGGED = {
    "python-apply-list": ("!!python/object/apply:os.system ['touch pwned']", "['touch pwned']"),
    "python-mapping": ("!!python/object:os.Whatever {a: 1}", "{'a': 1}"),
    "custom-tag-list": ("!relative [a, b]", "['a', 'b']"),
}


@pytest.mark.parametrize("name", sorted(TAGGED))
def test_a_tagged_option_value_is_named_by_its_value_and_never_runs(tmp_path: Path, name: str) -> None:
    value, shown = TAGGED[name]
    repo = write_repo(tmp_path, {"good": plan_text("good")}, mkdocs=MKDOCS + f"      plans_dir: {value}\n")

    result = kamdocs(repo, "check")

    assert result.returncode == 2
    assert (
        result.stderr
        == f"kamdocs: error: mkdocs.yml: plugins.kamdocs.plans_dir: expected a non-empty text, found {shown}\n"
    )
    assert not (repo / "pwned").exists()


# --- Values new and review write read back as text in YAML 1.1 readers too --------------------------

YAML11_WORDS = ["yes", "No", "ON", "off", "y", "2026-1-5", "2026-01-01T10:00:00", "1:30", "0777", "0x1F", "0b101"]


def front_matter(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))


def test_new_and_review_quote_values_yaml_1_1_would_read_as_booleans_dates_or_numbers(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")})
    for n, word in enumerate(YAML11_WORDS):
        made = kamdocs(
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
        reviewed = kamdocs(repo, "review", "good", "--reviewer", word, "--date", "2026-10-20", "--today", TODAY)
        assert reviewed.returncode == 0, reviewed.stderr
        assert front_matter(repo / "plans" / "good.md")["review"]["reviewer"] == word
    assert not [f for f in check_json(repo, "--no-freshness") if f["severity"] == "error"]
