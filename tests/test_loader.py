"""Hostile inputs that are made at test time (too big, too deep, links), and
the promise that one bad file never hides the others."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from kamdocs.config import Config
from kamdocs.plan.loader import load, parse_bytes, read_regular_file
from kamdocs.plan.safeyaml import MAX_DEPTH, YamlProblem, parse, plain_scalar
from kamdocs.rules.pipeline import CheckRun, check_paths

from .commands import TODAY, check_json, kamdocs, mkdocs_build, write_repo
from .conftest import EXAMPLES, plan_text
from .oracles import strict_json


def rules(result) -> list[tuple[str, str, int, int]]:
    return [(f.rule, f.file, f.line, f.column) for f in result.findings]


@pytest.mark.parametrize(
    ("nesting", "line", "column"),
    [
        # The 64th bracket is level 65: the mapping under 'x' is level 1.
        ("x: " + "[" * 200_000 + "]" * 200_000, 3, 3 + 64),
        ("x: " + "[ " * 5_000, 3, 3 + 2 * 63 + 1),
        ("x: " + "{a: " * 50_000 + "1" + "}" * 50_000, 3, 3 + 4 * 63 + 1),
        ("x: " + "[{a: " * 3_000, 3, 3 + 5 * 31 + 2),
        ("x:\n" + "  [\n" * 3_000, 3 + 64, 3),
        ("a:\n  b:\n    - c: " + "[" * 3_000, 5, 9 + 61),
        # Quotes, comments and block scalars full of brackets come first; the
        # deep run after them is still found, at the same place.
        ("q: \"[[[[ # ]]\" \nr: 'it''s ['\nx: [ \"[\", '{', # [[[\n  " + "[" * 3_000, 6, 3 + 62),
        ("s: |\n" + "  [[[[[\n" * 100 + "x: " + "[" * 3_000, 104, 3 + 64),
        # A flow run where no value may start is still too deep, not a syntax error
        # whose wording and place depend on the libyaml release.
        ("[" * 3_000, 3, 65),
        ("y:\n" + "{" * 3_000, 4, 65),
        ("x:\n" + "- " * 100_000 + "deep", 4, 2 * 63 + 1),
        ("".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + " " * (MAX_DEPTH + 5) + "end", 3 + 64, 65),
    ],
    ids=[
        "flow-sequences",
        "spaced-flow-sequences",
        "flow-mappings",
        "mixed-flow",
        "multi-line-flow",
        "flow-under-block-levels",
        "after-quotes-and-comments",
        "after-a-block-scalar",
        "flow-at-a-key",
        "flow-at-column-zero",
        "compact-sequences",
        "indented-mappings",
    ],
)
def test_deep_nesting_is_a_finding_not_a_crash(nesting: str, line: int, column: int) -> None:
    # libyaml's composer recurses in C; without the guard this kills the interpreter.
    # From PyYAML 6.0.4 on, libyaml's scanner also stops runs of 1000 brackets with a
    # syntax error of its own; the answer must not depend on which release is installed.
    loaded = parse_bytes(f"---\nid: deep\n{nesting}\n---\n".encode(), "plans/deep.md")
    assert [(f.rule, f.line, f.column) for f in loaded.findings] == [("yaml-too-deep", line, column)]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("x:\n- 'a'" + "[" * 3_000, 6),
        ("x:\n  ''" + "{" * 3_000, 5),
        ("x:\n- {''}" + "[" * 3_000, 7),
        ("x:\n  - 'b'" + "[{" * 3_000, 8),
    ],
    ids=["after-a-quoted-item", "after-a-quoted-value", "after-a-flow-item", "after-a-nested-quoted-item"],
)
def test_a_deep_run_right_after_a_value_is_the_same_syntax_error_on_every_release(text: str, column: int) -> None:
    # libyaml reports the stray bracket at the end of the value; PyYAML 6.0.4's own
    # nesting limit must not get there first and turn it into a different finding.
    loaded = parse_bytes(f"---\nid: bad\n{text}\n---\n".encode(), "p.md")
    assert [(f.rule, f.line, f.column) for f in loaded.findings] == [("yaml-syntax", 4, column)]


@pytest.mark.parametrize(
    "text",
    [
        'x: "' + "[" * 3_000 + '"',
        "x: '" + "[{" * 3_000 + "'",
        "x: 1 # " + "[" * 3_000,
        "x: [1, # " + "[" * 3_000 + "\n  2]",
        "x: |\n  " + "[" * 3_000 + "\ny: 2",
        "x:\n- >\n  " + "{" * 3_000,
        "x: see " + "[" * 3_000,
        "x: a\n  " + "[" * 3_000,
        'x: ["' + "[" * 3_000 + "\", '" + "{" * 3_000 + "']",
        "x:\n- [a]#c: " + "{a: " * 3_000,
    ],
    ids=[
        "double-quoted",
        "single-quoted",
        "comment",
        "comment-in-flow",
        "literal-block",
        "folded-block",
        "plain-text",
        "plain-continuation",
        "quoted-in-flow",
        "comment-right-after-flow",
    ],
)
def test_brackets_that_are_text_are_not_nesting(text: str) -> None:
    loaded = parse_bytes(f"---\nid: text\n{text}\n---\n".encode(), "p.md")
    assert loaded.findings == ()
    assert loaded.source is not None
    assert loaded.source.data["x"] is not None


def test_nesting_at_the_limit_is_accepted() -> None:
    inner = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    loaded = parse_bytes(f"---\nid: ok\nx: {inner}\n---\n".encode(), "p.md")
    assert loaded.findings == ()
    block = "a:\n  b:\n    - c: " + "[" * (MAX_DEPTH - 4) + "]" * (MAX_DEPTH - 4)
    assert parse_bytes(f"---\nid: ok\n{block}\n---\n".encode(), "p.md").findings == ()
    deeper = "a:\n  b:\n    - c: " + "[" * (MAX_DEPTH - 3) + "]" * (MAX_DEPTH - 3)
    assert [f.rule for f in parse_bytes(f"---\nid: ok\n{deeper}\n---\n".encode(), "p.md").findings] == ["yaml-too-deep"]


def test_file_over_the_size_cap(make_repo) -> None:
    repo = make_repo({"plans/big.md": plan_text("big") + "x" * 2000})
    result = check_paths(None, CheckRun.without_freshness(Config(root=repo, max_bytes=1000)))
    assert rules(result) == [("file-too-large", "plans/big.md", 1, 1)]
    assert "at most 1000 bytes" in result.findings[0].message


def test_default_size_cap_is_one_mebibyte(make_repo) -> None:
    repo = make_repo({"plans/big.md": plan_text("big") + "x" * (1024 * 1024)})
    assert rules(check_paths(None, CheckRun.without_freshness(Config(root=repo)))) == [
        ("file-too-large", "plans/big.md", 1, 1)
    ]


def test_symlink_leading_outside_the_repository(make_repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(plan_text("linked"), encoding="utf-8")
    repo = make_repo({"plans/ok.md": plan_text("ok")})
    (repo / "plans" / "linked.md").symlink_to(outside)
    result = check_paths(None, CheckRun.without_freshness(Config(root=repo)))
    assert rules(result) == [("symlink-outside", "plans/linked.md", 1, 1)]
    assert [p.id for p in result.plans] == ["ok"]


def test_symlink_inside_the_repository_is_followed(make_repo) -> None:
    repo = make_repo({"archive/inside.md": plan_text("inside")})
    (repo / "plans" / "inside.md").symlink_to(repo / "archive" / "inside.md")
    result = check_paths(None, CheckRun.without_freshness(Config(root=repo)))
    assert result.findings == ()
    assert [p.id for p in result.plans] == ["inside"]


def test_unreadable_path_is_a_finding(make_repo) -> None:
    repo = make_repo()
    (repo / "plans" / "dangling.md").symlink_to(repo / "nowhere.md")
    result = check_paths(None, CheckRun.without_freshness(Config(root=repo)))
    assert [f.rule for f in result.findings] == ["unreadable"]


def test_one_bad_file_never_hides_the_others(make_repo) -> None:
    repo = make_repo(
        {
            "plans/a-good.md": plan_text("a-good"),
            "plans/b-binary.md": b"\x00\xff\xfe garbage",
            "plans/c-bad-yaml.md": "---\nid: [unclosed\n---\n",
            "plans/d-bad-value.md": plan_text("d-bad-value", **{"kind: one-page": "kind: onepage"}),
            "plans/e-good.md": plan_text("e-good"),
        }
    )
    result = check_paths(None, CheckRun.without_freshness(Config(root=repo)))
    assert [p.id for p in result.plans] == ["a-good", "e-good"]
    assert [f.file for f in result.findings] == ["plans/b-binary.md", "plans/c-bad-yaml.md", "plans/d-bad-value.md"]
    assert result.files == 5


def test_files_starting_with_underscore_or_dot_are_not_plans(make_repo) -> None:
    repo = make_repo({"plans/_template.md": "not a plan", "plans/.draft.md": "", "plans/notes.txt": "x"})
    assert check_paths(None, CheckRun.without_freshness(Config(root=repo))).files == 0


def test_plans_in_subfolders_are_found(make_repo) -> None:
    repo = make_repo({"plans/process-analytics/sub.md": plan_text("sub")})
    result = check_paths(None, CheckRun.without_freshness(Config(root=repo)))
    assert [p.file for p in result.plans] == ["plans/process-analytics/sub.md"]


def test_duplicate_plan_ids_across_folders(make_repo) -> None:
    repo = make_repo({"plans/a/same.md": plan_text("same"), "plans/b/same.md": plan_text("same")})
    result = check_paths(None, CheckRun.without_freshness(Config(root=repo)))
    assert rules(result) == [("id-duplicate", "plans/b/same.md", 2, 5)]
    assert "plans/a/same.md" in result.findings[0].message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("false", False),
        ("yes", "yes"),
        ("No", "No"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("~", None),
        ("null", None),
        ("12", 12),
        ("-3", -3),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("1_000", "1_000"),
        ("2026-01-01", "2026-01-01"),
        ("12:30", "12:30"),
        ("010", 10),
    ],
)
def test_yaml_1_2_core_scalars(text: str, value: object) -> None:
    assert plain_scalar(text) == value
    assert type(plain_scalar(text)) is type(value)


def test_line_numbers_survive_bom_crlf_and_leading_blank_lines(tmp_path: Path) -> None:
    text = plan_text("exact", **{"kind: one-page": "kind: bad"})
    variants = {
        "plain": (text, 4),
        "bom": ("\ufeff" + text, 4),
        "crlf": (text.replace("\n", "\r\n"), 4),
        "blank-lines": ("\n \n\n" + text, 7),
        "all": ("\ufeff\r\n\r\n" + text.replace("\n", "\r\n"), 6),
    }
    for name, (content, line) in variants.items():
        path = tmp_path / "exact.md"
        path.write_bytes(content.encode("utf-8"))
        result = check_paths([path], CheckRun.without_freshness(Config(root=tmp_path)))
        assert [(f.rule, f.line, f.column) for f in result.findings] == [("bad-value", line, 7)], name


def test_load_reports_position_of_values_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(plan_text("p"), encoding="utf-8")
    source = load(path, tmp_path, 10_000).source
    assert source is not None
    assert source.position(["goal", "period", "end"]) == (17, 5)
    assert source.position(["goal", "period", "end"], at_value=True) == (17, 10)
    assert source.position(["commitments", 0, "due"], at_value=True) == (31, 10)
    assert source.position(["nope"]) == (2, 1)


def test_check_never_writes(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a"), "plans/b.md": "---\nid: [\n---\n"})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (repo / "plans").iterdir()}
    check_paths(None, CheckRun.without_freshness(Config(root=repo)))
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (repo / "plans").iterdir()} == before
    assert sorted(os.listdir(repo)) == ["plans"]


def test_a_file_named_twice_is_checked_once(make_repo) -> None:
    repo = make_repo({"plans/a.md": plan_text("a")})
    result = check_paths([repo / "plans", repo / "plans" / "a.md"], CheckRun.without_freshness(Config(root=repo)))
    assert result.files == 1
    assert result.findings == ()


def test_worker_processes_give_the_same_result_as_one(make_repo) -> None:
    files = {f"plans/p{i:02d}.md": plan_text(f"p{i:02d}") for i in range(12)}
    files["plans/p03.md"] = plan_text("p03", **{"kind: one-page": "kind: nope"})
    files["plans/p07.md"] = plan_text("p05")  # a duplicate id across workers
    repo = make_repo(files)
    one = check_paths(None, CheckRun.without_freshness(Config(root=repo), jobs=1))
    three = check_paths(None, CheckRun.without_freshness(Config(root=repo), jobs=3))
    assert one == three
    assert [f.rule for f in one.findings] == ["bad-value", "id-duplicate", "id-mismatch"]
    assert len(one.plans) == 10  # p03 and p07 have errors


PREFIXES = {
    "plain": ("", 0, "\n"),
    "bom": ("\ufeff", 0, "\n"),
    "crlf": ("", 0, "\r\n"),
    "blank-lines": ("\n \n\n", 3, "\n"),
    "bom-crlf-blank": ("\ufeff\r\n\r\n", 2, "\r\n"),
    "cr-only": ("\r", 1, "\r"),
}


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
@pytest.mark.parametrize(
    ("key", "duplicate", "before"),
    [
        ("id", "id: again", "goal:"),
        ("owner", "owner: b@example.com", "success_factors:"),
        ("review", "review:\n  reviewer: x@example.com", "commitments:"),
        ("business_area", "business_area: Other", None),
    ],
)
def test_duplicate_top_level_key_names_both_lines(
    tmp_path: Path, prefix: str, key: str, duplicate: str, before: str | None
) -> None:
    lead, blank_lines, newline = PREFIXES[prefix]
    text = plan_text("p")
    text = (
        text.replace(before, duplicate + "\n" + before, 1)
        if before
        else text.replace("---\n\nBody", duplicate + "\n---\n\nBody")
    )
    lines = text.split("\n")
    first = lines.index(next(line for line in lines if line.startswith(f"{key}:"))) + 1 + blank_lines
    second = (
        len(lines)
        - lines[::-1].index(next(line for line in reversed(lines) if line.startswith(f"{key}:")))
        + blank_lines
    )
    assert first < second
    path = tmp_path / "p.md"
    path.write_bytes((lead + text.replace("\n", newline)).encode("utf-8"))
    result = check_paths([path], CheckRun.without_freshness(Config(root=tmp_path)))
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("yaml-duplicate-key", second, 1)]
    assert result.findings[0].message == (
        f"expected each key once, found '{key}' twice: on line {first} and line {second}"
    )


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_body_findings_have_exact_lines(tmp_path: Path, prefix: str) -> None:
    """section-missing points at the heading to rename; a TODO body line at itself, after BOM, CRLF and blank
    lines."""
    lead, blank_lines, newline = PREFIXES[prefix]
    full = (EXAMPLES / "positive" / "full-minimal.md").read_text(encoding="utf-8")
    text = full.replace("## Added value\n", "## Added values\n").replace(
        "## Requirements\n\nText.", "## Requirements\n\n\n   TODO: list the requirements\n\nText."
    )
    lines = text.split("\n")
    heading = lines.index("## Added values") + 1 + blank_lines
    todo = next(i for i, line in enumerate(lines) if "TODO" in line) + 1 + blank_lines
    path = tmp_path / "full-minimal.md"
    path.write_bytes((lead + text.replace("\n", newline)).encode("utf-8"))
    result = check_paths([path], CheckRun.without_freshness(Config(root=tmp_path)))
    assert [(f.rule, f.line, f.column) for f in result.findings] == [
        ("todo", todo, 4),
        ("section-missing", heading, 1),
    ]


def loops(plans: Path) -> list[str]:
    """Three kinds of loop: a link to itself, two links to each other, and a link into a looping folder."""
    os.symlink("self.md", plans / "self.md")
    os.symlink("pong.md", plans / "ping.md")
    os.symlink("ping.md", plans / "pong.md")
    os.symlink("circle", plans / "circle")
    return ["plans/ping.md", "plans/pong.md", "plans/self.md"]


@pytest.mark.e2e
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


def test_reading_a_fifo_directly_raises_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "p.md"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def read() -> None:
        try:
            read_regular_file(fifo, 100)
            outcome.append("read")
        except Exception as exc:  # the loader turns this one into a not-a-file finding
            outcome.append(type(exc).__name__)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    blocked = reader.is_alive()
    if blocked:  # let the thread go: a writer that opens and closes ends the blocked open
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(5)
    assert not blocked
    assert outcome == ["NotRegularFile"]


@pytest.mark.parametrize(
    ("document", "prefix", "close"),
    [
        ("id: x\n", "note: [a#b, ", "]"),
        ("id: x\n", "note: [a#, ", "]"),
        ("id: x\n", "note: {k: v#w, x: ", "}"),
        ("", "- [x#y, ", "]"),
    ],
)
def test_a_hash_inside_flow_text_hides_no_brackets_from_the_depth_limit(document: str, prefix: str, close: str) -> None:
    text = document + prefix + "[" * 1200 + "]" * 1200 + close + "\n"
    with pytest.raises(YamlProblem) as caught:
        parse(text)
    # Levels: the root collection, the outer bracket, then the run; level 65 is the 63rd bracket of the run.
    line = document.count("\n")
    assert (caught.value.rule, caught.value.line, caught.value.column) == ("yaml-too-deep", line, len(prefix) + 62)


def special_files(plans: Path) -> dict[str, str]:
    """Make a FIFO, a bound socket and device links in ``plans``; name -> kind in the message."""
    os.mkfifo(plans / "fifo.md")
    made = {"plans/fifo.md": "named pipe"}
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(plans / "socket.md"))
        made["plans/socket.md"] = "socket"
    except OSError:  # a path too long for AF_UNIX: the FIFO and devices still cover the class
        pass
    finally:
        sock.close()
    if os.geteuid() == 0:  # only root may make device nodes; the /dev links below cover devices otherwise
        os.mknod(plans / "device.md", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        made["plans/device.md"] = "character device"
    os.symlink("/dev/zero", plans / "zero.md")
    os.symlink("/dev/null", plans / "null.md")
    (plans / "inner").mkdir()
    os.symlink(plans / "fifo.md", plans / "inner" / "link-to-fifo.md")
    made["plans/inner/link-to-fifo.md"] = "named pipe"
    return made


@pytest.mark.e2e
def test_fifo_socket_and_devices_are_findings_and_nothing_blocks(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"good": plan_text("good")})
    made = special_files(repo / "plans")

    findings = check_json(repo)
    by_file = {f["file"]: f for f in findings}
    for name, kind in made.items():
        assert by_file[name]["rule"] == "not-a-file", name
        assert by_file[name]["message"] == f"expected a regular file, found a {kind}" + (
            " (FIFO)" if kind == "named pipe" else ""
        )
        assert (by_file[name]["line"], by_file[name]["column"]) == (1, 1)
    for device in ("plans/zero.md", "plans/null.md"):
        assert by_file[device]["severity"] == "error"
        assert by_file[device]["rule"] in ("not-a-file", "symlink-outside")
    assert "plans/good.md" not in by_file

    status = kamdocs(repo, "status", "--format", "json", "--today", TODAY, timeout=30)
    assert [r["id"] for r in strict_json(status.stdout)["plans"]] == ["good"]
    for fmt in ("json", "csv", "ics"):
        out = kamdocs(repo, "export", "--format", fmt, "--today", TODAY, timeout=30)
        assert out.returncode == 0, out.stderr
        assert "good" in out.stdout
    build = mkdocs_build(repo, timeout=60)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "plans" / "accounts" / "good" / "index.html").is_file()


def test_a_fifo_named_explicitly_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {})
    os.mkfifo(repo / "plans" / "pipe.md")
    result = kamdocs(repo, "check", "--format", "json", "plans/pipe.md", timeout=20)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["file"]) for f in findings] == [("not-a-file", "plans/pipe.md")]
    assert result.returncode == 1
