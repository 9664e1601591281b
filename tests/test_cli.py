"""The kamdocs command as a user runs it: output formats, exit codes, options."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kamdocs.cli import main

from .commands import committed_plans, kamdocs
from .conftest import ROOT, plan_text, run


@pytest.fixture
def mixed_repo(make_repo) -> Path:
    return make_repo(
        {
            "plans/good.md": plan_text("good"),
            "plans/bad.md": plan_text("bad", **{"interval: quarterly": "interval: quartely"}),
            "plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"}),
        }
    )


def test_bundled_plans_pass(bundled_plans: Path) -> None:
    result = run(["check", "plans"], bundled_plans)
    assert result.exit_code == 0, result.output
    assert "Checked 9 plans: 0 errors" in result.output


def test_default_path_comes_from_config(make_repo) -> None:
    repo = make_repo(
        {"accounts/a.md": plan_text("a")},
        mkdocs="""
        site_name: x
        plugins:
          - kamdocs:
              plans_dir: accounts
        """,
    )
    result = run(["check"], repo)
    assert result.exit_code == 0, result.output
    assert "Checked 1 plan: 0 errors, 0 warnings." in result.output


def test_text_format(mixed_repo: Path) -> None:
    result = run(["check"], mixed_repo)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "plans/bad.md:8:13: error[bad-format] expected monthly, quarterly, semiannual, annual or an ISO 8601 "
        "duration like P6W, P90D, P3M for 'review.interval', found 'quartely'"
    )
    assert lines[1] == "    hint: did you mean 'quarterly'?"
    assert lines[2].startswith("plans/warn.md:25:13: warning[obstacle-unresolved]")
    assert lines[-1] == "Checked 3 plans: 1 error, 1 warning."


def test_quiet_prints_errors_only(mixed_repo: Path) -> None:
    result = run(["check", "-q"], mixed_repo)
    assert result.output.splitlines() == [
        "plans/bad.md:8:13: error[bad-format] expected monthly, quarterly, semiannual, annual or an ISO 8601 "
        "duration like P6W, P90D, P3M for 'review.interval', found 'quartely'"
    ]


def test_verbose_prints_json_paths(mixed_repo: Path) -> None:
    result = run(["check", "-v"], mixed_repo)
    assert "    at: $.review.interval" in result.output


def test_strict_fails_on_warnings(make_repo) -> None:
    repo = make_repo({"plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"})})
    assert run(["check"], repo).exit_code == 0
    assert run(["check", "--strict"], repo).exit_code == 1


def test_json_format_shape(mixed_repo: Path) -> None:
    result = run(["check", "--format", "json"], mixed_repo)
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert set(document) == {"version", "summary", "findings"}
    assert document["version"] == 1
    assert document["summary"] == {"plans": 3, "errors": 1, "warnings": 1}
    first = document["findings"][0]
    assert set(first) == {"rule", "severity", "file", "line", "column", "path", "message", "hint"}
    assert first["rule"] == "bad-format"
    assert first["severity"] == "error"
    assert (first["file"], first["line"], first["column"]) == ("plans/bad.md", 8, 13)
    assert first["path"] == "$.review.interval"
    assert document["findings"][1]["severity"] == "warning"


def test_github_format_escapes_and_is_automatic(make_repo) -> None:
    repo = make_repo({"plans/a,b.md": plan_text("a,b")})
    result = run(["check"], repo, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=plans/a%2Cb.md,line=2,col=5,title=kamdocs bad-format::")
    assert "%0A" in first  # the hint goes on a second line of the annotation
    assert "\n" not in first


def test_github_format_summarises_beyond_ten_annotations(make_repo) -> None:
    files = {f"plans/p{i:02d}.md": plan_text(f"p{i:02d}", **{"kind: one-page": "kind: x"}) for i in range(13)}
    result = run(["check", "--format", "github"], make_repo(files))
    lines = result.output.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("plans/p1") and "error[bad-value]" in line for line in lines) == 3
    assert any(line.startswith("::notice title=kamdocs::3 more finding(s)") for line in lines)


def test_step_summary_is_appended(mixed_repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    run(["check", "--format", "text"], mixed_repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### kamdocs check")
    assert "| plans/bad.md | 8 | error | bad-format |" in text


def test_step_summary_escapes_table_cells(make_repo, tmp_path: Path) -> None:
    repo = make_repo({"plans/x.md": plan_text("x", **{"kind: one-page": "kind: a|<b>"})})
    summary = tmp_path / "summary.md"
    run(["check"], repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert "a&#124;&lt;b&gt;" in text
    assert "<b>" not in text


def test_no_color_and_pipes_get_plain_text(mixed_repo: Path) -> None:
    result = run(["check"], mixed_repo, env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.output


def test_bad_config_exits_2_naming_the_key(make_repo) -> None:
    repo = make_repo(mkdocs="site_name: x\nplugins:\n  - kamdocs:\n      due_son_days: 3\n")
    result = subprocess.run(
        [sys.executable, "-m", "kamdocs", "check"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "kamdocs: error: mkdocs.yml: plugins.kamdocs.due_son_days: unknown option; did you mean 'due_soon_days'?"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("mkdocs", "message"),
    [
        ("plugins:\n  - kamdocs:\n      max_bytes: big\n", "plugins.kamdocs.max_bytes: expected a whole number"),
        ("plugins:\n  - kamdocs:\n      default_interval: weekly\n", "plugins.kamdocs.default_interval: expected"),
        ("plugins:\n  - kamdocs:\n      schema: missing.json\n", "schema missing.json: cannot read"),
        ("plugins: [kamdocs\n", "mkdocs.yml:2:1: invalid YAML"),
        (
            "plugins:\n  - kamdocs:\n      required_sections: {memo: []}\n",
            "required_sections.memo: expected a plan kind",
        ),
    ],
)
def test_config_problems_exit_2(make_repo, mkdocs: str, message: str) -> None:
    result = run(["check"], make_repo(mkdocs=mkdocs))
    assert result.exit_code == 2
    assert message in result.output


def test_missing_path_is_a_usage_error(make_repo) -> None:
    result = run(["check", "no-such-folder"], make_repo())
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_missing_plans_folder_is_a_config_error(tmp_path: Path) -> None:
    result = run(["check"], tmp_path)
    assert result.exit_code == 2
    assert "plans folder not found" in result.output


def test_mkdocs_yml_with_material_tags_is_read(make_repo) -> None:
    repo = make_repo(
        {"plans/a.md": plan_text("a")},
        mkdocs="""
        site_name: x
        markdown_extensions:
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
        plugins:
          - search
          - kamdocs:
              due_soon_days: !ENV [KAMDOCS_TEST_UNSET, 7]
        """,
    )
    assert run(["check"], repo).exit_code == 0


def test_schema_command_prints_bundled_schema(make_repo) -> None:
    result = run(["schema"], make_repo())
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))


REPO_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$ref": "urn:kamdocs:plan:v1#/$defs/plan",
    "properties": {
        "business_area": {"enum": ["Process Analytics", "Service"]},
        "segment": {"title": "Segment", "description": "Our own field.", "type": "string"},
    },
    "unevaluatedProperties": False,
}


def test_repository_schema_narrows_and_extends(make_repo) -> None:
    repo = make_repo(
        {
            "schema/repo.schema.json": json.dumps(REPO_SCHEMA),
            "plans/ok.md": plan_text(
                "ok", **{"business_area: Process Analytics": "business_area: Service\nsegment: B"}
            ),
            "plans/bad.md": plan_text(
                "bad", **{"business_area: Process Analytics": "business_area: Process Analitics"}
            ),
            "plans/unknown.md": plan_text("unknown", **{"\nowner:": "\nsegmnt: x\nowner:"}),
        },
        mkdocs="plugins:\n  - kamdocs:\n      schema: schema/repo.schema.json\n",
    )
    result = run(["check", "--format", "json"], repo)
    findings = json.loads(result.output)["findings"]
    assert [(f["file"], f["rule"], f["hint"]) for f in findings] == [
        ("plans/bad.md", "bad-value", "did you mean 'Process Analytics'?"),
        ("plans/unknown.md", "unknown-key", "did you mean 'segment'?"),
    ]
    printed = json.loads(run(["schema"], repo).output)
    assert printed["properties"]["segment"]["title"] == "Segment"


def test_invalid_repository_schema_exits_2(make_repo) -> None:
    repo = make_repo(
        {"schema/s.json": json.dumps({"type": "nonsense"})},
        mkdocs="plugins:\n  - kamdocs:\n      schema: schema/s.json\n",
    )
    result = run(["check"], repo)
    assert result.exit_code == 2
    assert "invalid JSON Schema" in result.output


def test_hostile_files_exit_1_without_traceback(tmp_path: Path) -> None:
    """As a new user would: the real executable on each hostile example file."""
    negative = ROOT / "tests" / "example-files" / "negative"
    for name in ["alias-bomb.md", "invalid-utf8.md", "python-tag.md", "tab-indent.md", "duplicate-key.md"]:
        result = subprocess.run(
            [sys.executable, "-m", "kamdocs", "check", str(negative / name)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, name
        assert "Traceback" not in result.stdout + result.stderr
        assert f"{name}:" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["status"],
        ["export", "--format", "json"],
        ["review", "acme"],
        ["new", "beta", "--kind", "one-page", "--account", "B", "--owner", "o@example.com", "--area", "Lab"],
        ["init", "fresh"],
    ],
)
def test_an_empty_today_is_a_usage_error_not_the_default(tmp_path: Path, args: list[str]) -> None:
    """``--today "$DAY"`` with DAY unset must not judge or write plans on the real date."""
    repo = committed_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    before = sorted(p.relative_to(repo.path) for p in repo.path.rglob("*") if ".git" not in p.parts)
    result = kamdocs(repo.path, *args, "--today", "")
    assert result.returncode == 2, result.stderr
    assert result.stderr == "kamdocs: error: --today: expected a date YYYY-MM-DD, found ''\n"
    assert sorted(p.relative_to(repo.path) for p in repo.path.rglob("*") if ".git" not in p.parts) == before


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
