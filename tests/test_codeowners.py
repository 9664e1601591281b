"""``kamdocs codeowners``: each plan's reviewer as its code owner, written only as whole GitHub handles on
paths CODEOWNERS reads whole, into a CODEOWNERS file kamdocs may replace."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import plan_text, run

BEGIN = "# BEGIN kamdocs: each plan's reviewer must approve changes to it (kamdocs codeowners)"


@pytest.mark.parametrize(
    "reviewer", ["'@bam evil@example.com'", "'@bam other'", "'@bam '", "'@bam-x y'", "'@org/team extra'"]
)
def test_codeowners_refuses_a_reviewer_with_a_second_word(make_repo, reviewer: str) -> None:
    repo = make_repo({"plans/a.md": plan_text("a", **{"reviewer: bam@example.com": f"reviewer: {reviewer}"})})
    result = run(["codeowners"], repo)
    assert result.exit_code == 0, result.output
    owners = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert owners.splitlines() == [BEGIN, "# END kamdocs"]
    assert "no GitHub handle for reviewer" in result.output


@pytest.mark.parametrize("folder", ["a#b", "#a", "a #b", "a\\b", "x\\"])
def test_codeowners_skips_a_path_with_a_comment_sign_or_backslash(make_repo, folder: str) -> None:
    reviewer = {"reviewer: bam@example.com": "reviewer: '@bam'"}
    repo = make_repo({"plans/ok.md": plan_text("ok", **reviewer), f"plans/{folder}/b.md": plan_text("b", **reviewer)})
    result = run(["codeowners"], repo)
    assert result.exit_code == 0, result.output
    owners = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert owners.splitlines() == [BEGIN, "/plans/ok.md @bam", "# END kamdocs"]
    assert "cannot be written into CODEOWNERS safely" in result.output


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


@pytest.mark.parametrize(
    "reviewer",
    [
        '"@bam\\n*\\t@attacker"',
        '"@bam\\t@attacker"',
        '"@bam\\r/** @attacker"',
        "'@bam @attacker'",
        "'@bam#x'",
        '"@bam\\u2028* @attacker"',
        "'@org/team/../x'",
    ],
)
def test_codeowners_writes_only_whole_handles(make_repo, reviewer: str) -> None:
    """A reviewer is plan text anyone can write: only a well-formed handle reaches CODEOWNERS."""
    repo = make_repo({"plans/a.md": plan_text("a", **{"reviewer: bam@example.com": f"reviewer: {reviewer}"})})
    result = run(["codeowners"], repo)
    assert result.exit_code == 0, result.output
    owners = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert owners.splitlines() == [
        "# BEGIN kamdocs: each plan's reviewer must approve changes to it (kamdocs codeowners)",
        "# END kamdocs",
    ]
    if "\\r" in reviewer or "\\u2028" in reviewer:  # a control character: the plan is invalid, not skipped quietly
        assert "control-character" in run(["check", "--no-freshness"], repo).output
    else:
        assert "no GitHub handle for reviewer" in result.output
