"""Plan text on terminals, in CI logs and in spreadsheets: never a command of its own.

- Every command in every text format, run as a user runs it (a subprocess,
  the table through a real pseudo-terminal), on plans whose text holds escape
  sequences, bells, bidi overrides and a line break followed by a GitHub
  workflow command: no such character reaches the output raw, and no line of
  the plan's own starts a workflow command.
- The formula guard over whole classes of characters, worked out here from
  ``unicodedata`` rather than from kamdocs' own lists, and a real LibreOffice
  import of the CSV kamdocs writes.
- ``control-character`` in ``check``, at the value.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import click
import pytest

from kamdocs.escaping import csv_cell, one_line, spreadsheet_text, terminal_text
from kamdocs.report.budget_output import BUDGET_FORMATS
from kamdocs.report.check_output import CHECK_FORMATS
from kamdocs.report.diff_output import DIFF_FORMATS
from kamdocs.report.quality_output import QUALITY_FORMATS
from kamdocs.report.scorecard_output import SCORECARD_FORMATS
from kamdocs.report.stakeholders_output import STAKEHOLDER_FORMATS
from kamdocs.report.status_output import STATUS_FORMATS

from .commands import committed_plans, kamdocs, kamdocs_in_process
from .conftest import CLEAN_ENV, GitRepo, plan_text

INJECTED = "::error file=evil.md,line=1::INJECTED"
LINE_BREAK = f"Evil AG\n{INJECTED}"
"""A line break is text in YAML (a multi-line statement), so this plan is valid and reaches every report."""
ESCAPES = "Evil\x1b]0;pwned\x07\x1b[2J\x1b[31m AG\u202egnp.exe"
"""A window title, a clear screen, a colour and a bidi override: a ``control-character`` error in check."""
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal raw (worked out from the standards, not imported from kamdocs)."""


def _hostile_plan(plan_id: str, text: str) -> str:
    return plan_text(
        plan_id,
        **{
            "account: Example Account AG": f"account: {json.dumps(text)}",
            "business_area: Process Analytics": f"business_area: {json.dumps(text)}",
            "    action: Run a specification workshop": f"    action: {json.dumps(text)}",
            "commitments:\n": "buying_center:\n"
            f"  - name: {json.dumps(text)}\n    title: {json.dumps(text)}\n    role: champion\n"
            "    attitude: supporter\n    influence: high\ncommitments:\n",
        },
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose second commit makes two plans hostile, so that ``diff`` and ``quality`` see it too."""
    repo = GitRepo(tmp_path_factory.mktemp("terminal") / "repo")
    repo.write("plans/nl.md", plan_text("nl"))
    repo.write("plans/esc.md", plan_text("esc"))
    repo.commit("Plans", "2026-11-01T10:00:00+00:00")
    repo.write("plans/nl.md", _hostile_plan("nl", LINE_BREAK))
    repo.write("plans/esc.md", _hostile_plan("esc", ESCAPES))
    repo.commit("Hostile text", "2026-11-02T10:00:00+00:00")
    return repo.path


COMMANDS = [
    *(["check", "--format", f, "--today", "2026-11-22"] for f in CHECK_FORMATS.names),
    *(["status", "--format", f, "--today", "2026-11-22"] for f in STATUS_FORMATS.names),
    *(["diff", "HEAD~1", "HEAD", "--format", f] for f in DIFF_FORMATS.names),
    *(["quality", "--format", f, "--today", "2026-11-22"] for f in QUALITY_FORMATS.names),
    *(
        ["budget", "--format", f, "--today", "2026-11-22"]
        for f in BUDGET_FORMATS.names
        if f not in BUDGET_FORMATS.binary
    ),
    *(["scorecard", "--format", f, "--today", "2026-11-22"] for f in SCORECARD_FORMATS.names),
    *(["stakeholders", "--format", f, "--today", "2026-11-22"] for f in STAKEHOLDER_FORMATS.names),
]


def _workflow_commands(text: str) -> list[str]:
    """The lines GitHub's runner would read as workflow commands."""
    return [line for line in re.split(r"\r\n|\n|\r", text) if line.lstrip().startswith("::")]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: f"{a[0]}-{a[a.index('--format') + 1]}")
def test_no_plan_text_reaches_a_terminal_or_ci_log_raw(hostile: Path, args: list[str]) -> None:
    result = kamdocs_in_process(hostile, *args)  # the text it writes; the terminal's bytes are tested below
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    for stream in (result.stdout, result.stderr):
        assert RAW.search(stream) is None, repr(RAW.search(stream))
        for line in _workflow_commands(stream):
            # Only kamdocs' own annotations, for the plan files it checked.
            assert re.match(r"::(error|warning|notice) (file=plans/(esc|nl)\.md,|title=kamdocs::)", line), line
    if args[0] != "check" or "json" in args:
        return
    assert "\\x1b]0;pwned\\x07" in result.stdout + result.stderr  # the escape sequence shows, escaped


def test_status_in_a_real_terminal_sets_no_title_and_clears_nothing(hostile: Path) -> None:
    """``kamdocs status`` writing to a pseudo-terminal, as on a laptop: the bytes the terminal receives."""
    primary, secondary = pty.openpty()
    env = {**os.environ, **CLEAN_ENV, "COLUMNS": "200", "TERM": "xterm-256color"}
    for args in (["status", "--today", "2026-11-22"], ["check", "--today", "2026-11-22"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "kamdocs", *args],
            cwd=hostile,
            env=env,
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
        )
        received = b""
        for _ in range(240):  # at most 2 minutes
            if select.select([primary], [], [], 0.5)[0]:
                received += os.read(primary, 65536)
            elif process.poll() is not None:
                break
        assert process.wait(timeout=60) in (0, 1)
        text = re.sub("\x1b\\[[0-9;]*m", "", received.decode("utf-8"))  # check's own colours
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, text
        assert not _workflow_commands(text)
        lines = text.replace("\r\n", "\n").split("\n")
        if args[0] == "status":
            row = next(line for line in lines if line.startswith("nl "))
            assert "Evil AG\\n::error" in row  # the line break is shown, on the plan's own row
        else:
            assert "Evil\\x1b]0;pwned\\x07\\x1b[2J" in text  # the escape sequence is shown, escaped
    os.close(primary)
    os.close(secondary)


def test_terminal_text_keeps_the_outputs_own_lines() -> None:
    assert terminal_text("a\tb\r\nc\nd\re\x1bf\u2028g\u202eh") == "a\tb\r\nc\nd\\re\\x1bf\\u2028g\\u202eh"
    assert one_line("a\tb\r\nc\x85") == "a\\tb\\r\\nc\\x85"


# The formula guard, over every character a spreadsheet ignores or a reader cannot see.

IGNORED = [
    chr(c)
    for c in range(0x110000)
    if unicodedata.category(chr(c)) in {"Cc", "Cf", "Zs", "Zl", "Zp"} and chr(c) not in "\t\r"
]
SIGNS = ["\u2212", *(chr(c) for c in range(0x110000) if unicodedata.normalize("NFKC", chr(c)) in {"=", "+", "-", "@"})]


def test_the_classes_are_what_the_issue_names() -> None:
    assert {"\x00", "\u200e", "\u202e", "\u00ad", "\u200b", "\ufeff", "\x85", "\u3000"} <= set(IGNORED)
    assert {"=", "+", "-", "@", "\u2212", "\ufe66", "\ufe62", "\ufe63", "\uff1d", "\uff0b", "\uff0d", "\uff20"} <= set(
        SIGNS
    )


@pytest.mark.parametrize("sign", SIGNS, ids=lambda s: f"U+{ord(s):04X}")
def test_every_invisible_prefix_before_every_formula_sign_is_guarded(sign: str) -> None:
    for prefix in IGNORED:
        for text in (f"{prefix}{sign}1+1", f'{prefix}{prefix} {sign}HYPERLINK("http://x")'):
            assert spreadsheet_text(text) == "'" + text, (prefix, sign)
            assert csv_cell(text).startswith("'"), (prefix, sign)


@pytest.mark.parametrize("text", ["Müller AG", "1-2", "kam@example.com", "\u00adMüller", "\u200b(=1)", "–dash"])
def test_text_that_a_spreadsheet_would_not_run_is_left_alone(text: str) -> None:
    assert spreadsheet_text(text) == text


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_imports_kamdocs_csv_as_text(hostile: Path, tmp_path: Path) -> None:
    """The CSV kamdocs writes, opened by LibreOffice with its default import: no formula, no link.

    One file from ``kamdocs export`` (valid plans with invisible prefixes) and one of cells
    guarded directly (NUL and bidi prefixes, which ``check`` refuses in a plan).
    """
    openpyxl = pytest.importorskip("openpyxl")
    prefixes = ["", " ", "\u00ad", "\u200b", "\ufeff", "\u3000"]
    signs = ["=", "+", "-", "@", "\u2212", "\uff1d", "\ufe66", "\ufe62"]
    formula = 'HYPERLINK("http://evil.example/";"click")'
    repo = tmp_path / "repo"
    shutil.copytree(hostile, repo)
    for path in (repo / "plans").glob("*.md"):
        path.unlink()
    for i, (prefix, sign) in enumerate((p, s) for p in prefixes for s in signs):
        text = json.dumps(f"{prefix}{sign}{formula}")
        (repo / "plans" / f"p{i:02d}.md").write_text(
            plan_text(f"p{i:02d}", **{"account: Example Account AG": f"account: {text}"}), encoding="utf-8"
        )
    exported = kamdocs(repo, "export", "--format", "csv", "-o", str(tmp_path / "export.csv"), timeout=120)
    assert exported.returncode == 0, exported.stderr
    direct = io.StringIO()
    writer = csv.writer(direct, lineterminator="\r\n")
    writer.writerow(["value"])
    for prefix in ["\x00", "\x01", "\x1b", "\x85", "\u200e", "\u202e", "\u2066", "\x00\u202e "]:
        for sign in signs:
            writer.writerow([csv_cell(f"{prefix}{sign}{formula}")])
    (tmp_path / "direct.csv").write_text("\ufeff" + direct.getvalue(), encoding="utf-8")  # as kamdocs writes
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "export.csv"),
            str(tmp_path / "direct.csv"),
        ],
        env={**os.environ, "HOME": str(tmp_path)},
        capture_output=True,
        timeout=180,
        check=True,
    )
    for name, expected_rows in (("export", len(prefixes) * len(signs)), ("direct", 8 * len(signs))):
        book = openpyxl.load_workbook(tmp_path / "out" / f"{name}.xlsx")
        cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"], name
        assert not [c.coordinate for c in cells if c.hyperlink is not None], name
        accounts = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert len(accounts) == expected_rows, (name, accounts)


def test_the_job_summary_and_annotations_in_github_actions(hostile: Path, tmp_path: Path) -> None:
    """``check`` as the workflow runs it: annotations on stdout, the Markdown summary in its own file."""
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = kamdocs(hostile, "check", "--today", "2026-11-22", timeout=120, env=env)
    assert result.returncode == 1
    written = summary.read_text(encoding="utf-8")
    for text in (result.stdout, written):
        assert RAW.search(text) is None
        assert not [line for line in _workflow_commands(text) if "evil.md" in line.split("::")[1]]
    assert "control-character" in written and "&#92;x1b&#93;0;pwned&#92;x07" in written


HOSTILE_FOLDERS = [
    "x\n::error file=evil.md,line=1::from-a-folder\n",
    "y\r\n::warning::crlf\r\n",
    "z\u2028::notice::ls\u0085::notice::nel",
]


def _finding_lines(output: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if line and not line.startswith(("    ", "Checked ", "::notice title=kamdocs::"))
    ]


def test_file_names_and_values_with_line_breaks_never_start_a_log_line(tmp_path: Path) -> None:
    """A plan folder or id holding a line break must not forge a workflow command or split a finding line."""
    plans = {
        f"plans/a{i:02}/a{i:02}.md": plan_text(f"a{i:02}", **{"interval: quarterly": "interval: quartely"})
        for i in range(11)
    }
    for n, folder in enumerate(HOSTILE_FOLDERS):
        plans[f"plans/{folder}/h{n}.md"] = plan_text(f"h{n}", **{"interval: quarterly": "interval: quartely"})
    plans["plans/idnl.md"] = plan_text("idnl", **{"id: idnl": 'id: "a\\n::error file=evil2.md::from-an-id\\r\\nb"'})
    repo = committed_plans(tmp_path / "repo", plans)
    for fmt in ("text", "github"):
        result = kamdocs(repo.path, "check", "--format", fmt, "--no-freshness")
        assert result.returncode == 1, result.stderr
        lines = _finding_lines(result.stdout)
        if fmt == "text":
            assert all(line.startswith("plans/") for line in lines), lines
        else:
            # 10 annotations, then every other finding on one plain line that names its file.
            assert all(line.startswith(("::error file=plans/", "plans/")) for line in lines), lines
            assert sum(line.startswith("plans/") for line in lines) >= 5, lines
        assert "plans/x\\n::error file=evil.md,line=1::from-a-folder\\n/h0.md:8:13:" in result.stdout
        assert "plans/z\\u2028::notice::ls\\x85::notice::nel/h2.md" in result.stdout
        assert "found 'a\\n::error file=evil2.md::from-an-id\\r\\nb'" in result.stdout


def test_the_job_summary_never_blocks_and_a_failure_names_the_file(tmp_path: Path) -> None:
    repo = committed_plans(tmp_path / "repo", {"plans/acme.md": plan_text("acme")})
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    targets = {
        str(tmp_path / "fifo"): "No such device or address",  # a pipe nobody reads: an error, not a hang
        str(tmp_path / "folder"): "Is a directory",
        str(tmp_path / "missing" / "summary.md"): "No such file or directory",
    }
    if Path("/dev/full").exists():
        targets["/dev/full"] = "No space left on device"  # the OS message alone names no file
    for target, reason in targets.items():
        env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": target}
        result = kamdocs(repo.path, "check", "--no-freshness", env=env, timeout=20)
        assert result.returncode == 1, (target, result.stderr)
        assert result.stderr == f"kamdocs: error: {target}: {reason}\n", result.stderr
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert kamdocs(repo.path, "check", "--no-freshness", env=env).returncode == 0
    assert summary.read_text(encoding="utf-8").startswith("earlier step\n### kamdocs check\n")


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """kamdocs run with ``args`` and its output on a pseudo-terminal, as a user's shell runs it: what it printed."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kamdocs", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=slave, stderr=slave, close_fds=True)  # fmt: skip
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


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "bad.md").write_text("---\nid: bad\nkind: x\n---\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS")}
    coloured = _on_a_terminal(["check"], tmp_path, env)
    plain = _on_a_terminal(["check"], tmp_path, {**env, "NO_COLOR": "1"})
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain
    assert "plans/bad.md:" in plain
