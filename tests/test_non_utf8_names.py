"""File and folder names that are not UTF-8, and odd UTF-8 ones, in every command and output (issue 19, item 6).

A plan in ``plans/lat\\xe9/`` (the folder name written in Latin-1) passed ``check``
and ``status``, while ``export --format json|csv`` and ``render`` exited 3 with a
UnicodeEncodeError and ``mkdocs build`` printed a traceback. Each command here
runs in a subprocess, as installed, on a real repository (with and without git),
under a terminal encoding that refuses anything but UTF-8, and its output is
decoded strictly: a name must be shown as ``plans/lat\\xe9/...``, never as its raw
byte and never as a crash.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.dom import minidom

import pytest

from .commands import ENV, MKDOCS, TODAY, committed_plans, kamdocs, mkdocs_build
from .conftest import GitRepo, plan_text

LAT = os.fsdecode(b"lat\xe9")
"""The folder as Python reads it from the file system (``lat\\udce9``)."""
FF = os.fsdecode(b"\xff\xfe")
FE = os.fsdecode(b"\xfe\xff")
CAFE = os.fsdecode(b"caf\xe9.md")
NFC = unicodedata.normalize("NFC", "zürich")
NFD = unicodedata.normalize("NFD", "zürich")

# How kamdocs shows each name, written out by hand: every byte that is not UTF-8 as \xNN.
SHOWN_LAT = "plans/lat\\xe9/alpen.md"
SHOWN_FF = "plans/\\xff\\xfe/ff.md"
SHOWN_CAFE = "plans/caf\\xe9.md"

STRICT = {**ENV, "PYTHONIOENCODING": "utf-8:strict"}
"""A terminal that takes nothing but UTF-8 (as under en_US.UTF-8): a raw surrogate would crash the write."""

REVIEWER = {"reviewer: bam@example.com": "reviewer: '@bam'"}
ALPEN = plan_text(
    "alpen",
    **{
        "last_reviewed: 2026-10-01": "last_reviewed: 2026-01-01",  # overdue on TODAY: a finding names the file
        "due: 2026-12-15": "due: 2026-10-15",  # an overdue commitment
        "commitments:": "buying_center:\n  - name: Hans Wyss\n    role: champion\n    last_contact: 2026-01-05\n"
        "commitments:",
        **REVIEWER,
    },
)
PLANS = {
    f"plans/{LAT}/alpen.md": ALPEN,
    # A placeholder business area: the budget lists the plan's file among the incomplete ones.
    f"plans/{FF}/ff.md": plan_text("ff", **{"business_area: Process Analytics": "business_area: TODO", **REVIEWER}),
    f"plans/{CAFE}": plan_text("cafe", **REVIEWER),  # a file name cannot match an id: an id-mismatch error
    f"plans/{NFC}/zuri.md": plan_text("zuri", **REVIEWER),
    f"plans/{NFD}/zurd.md": plan_text("zurd", **REVIEWER),
    "plans/north america/na.md": plan_text("na", **REVIEWER),
    'plans/it\'s "q"/q.md': plan_text("q", **REVIEWER),
}
SITE = MKDOCS + "repo_url: https://github.com/acme/plans\nedit_uri: edit/main/docs/\n"
SITE = SITE.replace("  font: false\n", "  font: false\n  features: [content.action.edit]\n")


def _bytes_in_names(tmp_path: Path) -> bool:
    try:
        os.mkdir(tmp_path / LAT)
    except (OSError, UnicodeError):
        return False
    os.rmdir(tmp_path / LAT)
    return True


def _write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _project(tmp_path: Path, git: bool) -> Path:
    """The plans above in ``tmp_path/repo``; with git, committed on fixed days, then one plan changed
    and one moved to another folder that is not UTF-8 either, in a second commit."""
    if not _bytes_in_names(tmp_path):
        pytest.skip("this file system refuses file names that are not UTF-8")
    repo = tmp_path / "repo"
    if git:
        g = GitRepo(repo)
        g.git("config", "core.quotePath", "true")  # kamdocs must read paths unquoted whatever the repository says
    site = SITE.replace("git: false", "git: true") if git else SITE
    for name, text in {"mkdocs.yml": site, "docs/index.md": "# Plans\n", **PLANS}.items():
        _write(repo, name, text)
    if git:
        g.git("add", "-A")
        g.git("commit", "-q", "-m", "plans", when="2026-10-02T12:00:00+00:00")
        _write(repo, f"plans/{LAT}/alpen.md", ALPEN.replace("target: 500000", "target: 600000"))
        moved = f"plans/{FE}/ff.md"
        (repo / moved).parent.mkdir()
        os.rename(repo / f"plans/{FF}/ff.md", repo / moved)
        _write(repo, moved, (repo / moved).read_text(encoding="utf-8").replace("target: 500000", "target: 700000"))
        g.git("add", "-A")
        g.git("commit", "-q", "-m", "targets", when="2026-10-03T12:00:00+00:00")
    return repo


def _run(repo: Path, *args: str, env: dict[str, str] = STRICT) -> tuple[str, str]:
    """kamdocs in a subprocess: (stdout, stderr), both strictly UTF-8, exit 0 or 1, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "kamdocs", *args], cwd=repo, capture_output=True, env=env, timeout=120, check=False
    )
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")  # raises on a raw byte
    assert result.returncode in (0, 1), (args, result.returncode, err)
    assert "Traceback" not in err and "internal error" not in err, (args, err)
    return out, err


def _unfolded_ics(text: str) -> str:
    return text.replace("\r\n ", "")


def _files(records: list[dict]) -> set[str]:
    return {r["file"] for r in records}


def _assert_utf8_tree(folder: Path) -> None:
    """Every name under ``folder`` is UTF-8, and every text file in it too."""
    for path in folder.rglob("*"):
        os.fsencode(str(path)).decode("utf-8")
        if path.is_file() and path.suffix in {".md", ".html", ".json", ".csv", ".ics", ".xml", ".js", ".yml"}:
            path.read_bytes().decode("utf-8")


@pytest.mark.e2e
@pytest.mark.parametrize("git", [False, True], ids=["no-git", "git"])
def test_every_report_shows_a_name_that_is_not_utf8_as_an_escape(tmp_path: Path, git: bool) -> None:
    repo = _project(tmp_path, git)
    day = ("--today", TODAY)
    ff = "plans/\\xfe\\xff/ff.md" if git else SHOWN_FF

    # check: every format; the job summary too.
    text, _ = _run(repo, "check", *day)
    assert f"{SHOWN_LAT}:" in text and f"{SHOWN_CAFE}:2:" in text
    assert f"kamdocs review $'{SHOWN_LAT}'" in text  # a hint that, pasted into bash, names the file
    assert "rename the file to cafe.md\n" in text  # never "set id: caf\xe9", which is no id
    found = json.loads(_run(repo, "check", "--format", "json", *day)[0])["findings"]
    assert {SHOWN_LAT, SHOWN_CAFE} <= _files(found)
    summary = tmp_path / "summary.md"
    github, _ = _run(repo, "check", "--format", "github", *day, env={**STRICT, "GITHUB_STEP_SUMMARY": str(summary)})
    assert f"::warning file={SHOWN_LAT}," in github and f"::error file={SHOWN_CAFE}," in github
    assert "plans/lat&#92;xe9/alpen.md" in summary.read_bytes().decode("utf-8")  # the backslash as Markdown shows it

    # status: every format.
    status = json.loads(_run(repo, "status", "--format", "json", *day)[0])
    assert {SHOWN_LAT, ff, "plans/north america/na.md", 'plans/it\'s "q"/q.md'} <= _files(status["plans"])
    assert {f"plans/{NFC}/zuri.md", f"plans/{NFD}/zurd.md"} <= _files(status["plans"])  # both spellings, as on disk
    assert status["invalid"] == [SHOWN_CAFE]
    rows = list(csv.DictReader(io.StringIO(_run(repo, "status", "--format", "csv", *day)[0].lstrip("\ufeff"))))
    assert {SHOWN_LAT, ff} <= {r["file"] for r in rows}
    for fmt in ("table", "markdown"):
        assert "alpen" in _run(repo, "status", "--format", fmt, *day)[0]
    [issue] = json.loads(_run(repo, "status", "--format", "issues", *day)[0])["issues"]
    assert f"(` {SHOWN_LAT} `)" in issue["body"]
    assert f"run ` kamdocs review $'{SHOWN_LAT}' ` in a pull request" in issue["body"]  # pastes back into bash

    # export: every format, to standard output and to a file.
    out = tmp_path / "out"
    for fmt in ("json", "csv", "ics"):
        printed, _ = _run(repo, "export", "--format", fmt, *day)
        _run(repo, "export", "--format", fmt, "-o", str(out / f"plans.{fmt}"), *day)
        assert (out / f"plans.{fmt}").read_bytes().decode("utf-8") == printed
    assert SHOWN_LAT in _files(json.loads((out / "plans.json").read_text(encoding="utf-8"))["plans"])
    assert SHOWN_LAT in {r["file"] for r in csv.DictReader(io.StringIO((out / "plans.csv").read_text("utf-8-sig")))}
    assert "Plan: plans/lat\\\\xe9/alpen.md" in _unfolded_ics((out / "plans.ics").read_text(encoding="utf-8"))
    _run(repo, "export", "--format", "xlsx", "-o", str(out / "plans.xlsx"), *day)
    with zipfile.ZipFile(out / "plans.xlsx") as book:
        for name in book.namelist():
            if name.endswith(".xml"):
                minidom.parseString(book.read(name))  # well-formed: no surrogate written as a character reference

    # quality, by default and for the plan named by its path on disk.
    assert f"{SHOWN_LAT}: quality" in _run(repo, "quality", *day)[0]
    assert f"{SHOWN_LAT}: quality" in _run(repo, "quality", f"plans/{LAT}/alpen.md", *day)[0]
    assert SHOWN_LAT in _files(json.loads(_run(repo, "quality", "--format", "json", *day)[0])["plans"])
    assert "alpen" in _run(repo, "quality", "--format", "markdown", *day)[0]
    refused = subprocess.run([sys.executable, "-m", "kamdocs", "quality", f"plans/{CAFE}", *day], cwd=repo,
                             capture_output=True, env=STRICT, check=False)  # fmt: skip
    assert refused.returncode == 1
    assert f"{SHOWN_CAFE}: has errors" in refused.stderr.decode("utf-8")

    # budget, scorecard, stakeholders: every format.
    budget = json.loads(_run(repo, "budget", "--format", "json")[0])
    assert [i["file"] for i in budget["incomplete"]] == [ff]
    for fmt in ("table", "csv", "markdown"):
        _run(repo, "budget", "--format", fmt)
    for fmt in ("table", "json", "csv", "markdown"):
        _run(repo, "scorecard", "--format", fmt, *day)
    people = json.loads(_run(repo, "stakeholders", "--format", "json", *day)[0])["people"]
    assert [a["file"] for p in people for a in p["accounts"]] == [SHOWN_LAT]
    stakeholders = _run(repo, "stakeholders", "--format", "csv", *day)[0].lstrip("\ufeff")
    assert [r["file"] for r in csv.DictReader(io.StringIO(stakeholders))] == [SHOWN_LAT]
    _run(repo, "stakeholders", *day)

    if git:
        # The history of both plans, read through the folders that are not UTF-8 and across the move.
        by_id = {p["id"]: p for p in status["plans"]}
        assert (by_id["alpen"]["last_change"], by_id["alpen"]["revisions"]) == ("2026-10-03", 2)
        assert (by_id["ff"]["last_change"], by_id["ff"]["revisions"]) == ("2026-10-03", 2)
        assert (by_id["na"]["last_change"], by_id["na"]["revisions"]) == ("2026-10-02", 1)
        diff, _ = _run(repo, "diff", "HEAD~1", "HEAD", *day)
        assert f"{SHOWN_LAT} (Example Account AG)\n" in diff
        assert f"plans/\\xfe\\xff/ff.md (Example Account AG): renamed from {SHOWN_FF}\n" in diff
        changed = json.loads(_run(repo, "diff", "HEAD~1", "HEAD", "--format", "json", *day)[0])["plans"]
        assert {(p["file"], p["old_file"]) for p in changed} >= {
            (SHOWN_LAT, None),
            ("plans/\\xfe\\xff/ff.md", SHOWN_FF),
        }
        assert "lat&#92;xe9" in _run(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown", *day)[0]


def test_the_default_terminal_gets_the_escape_too_never_the_raw_byte(tmp_path: Path) -> None:
    """Under C.UTF-8 Python writes a surrogate as its raw byte (``surrogateescape``): still the escape."""
    repo = _project(tmp_path, git=False)
    expected = {
        ("check",): f"{SHOWN_LAT}:",
        ("status", "--format", "csv"): f",{SHOWN_LAT},",
        ("export", "--format", "json"): '"file":"plans/lat\\\\xe9/alpen.md"',  # JSON's own escape of the backslash
        ("quality",): f"{SHOWN_LAT}: quality",
    }
    for args, text in expected.items():
        out, _ = _run(repo, *args, "--today", TODAY, env=ENV)
        assert text in out, args


def test_the_edits_and_codeowners_name_the_file_as_text(tmp_path: Path) -> None:
    repo = _project(tmp_path, git=False)
    plan = repo / "plans" / LAT / "alpen.md"
    out, _ = _run(repo, "review", f"plans/{LAT}/alpen.md", "--today", TODAY)
    assert SHOWN_LAT in out
    assert f"last_reviewed: {TODAY}" in plan.read_text(encoding="utf-8")
    out, _ = _run(repo, "rollover", f"plans/{LAT}/alpen.md", "--period-start", "2027-01-01",
                  "--period-end", "2027-12-31", "--today", TODAY)  # fmt: skip
    assert f"{SHOWN_LAT}: goal period is now 2027-01-01 to 2027-12-31" in out
    new = subprocess.run([sys.executable, "-m", "kamdocs", "new", "alpen", "--kind", "one-page", "--account", "A",
                          "--owner", "kam@example.com", "--area", "X", "--today", TODAY],
                         cwd=repo, capture_output=True, env=STRICT, check=False)  # fmt: skip
    assert new.returncode == 2  # a usage problem: the id is taken
    assert f"a plan with id 'alpen' already exists: {repo}/{SHOWN_LAT}" in new.stderr.decode("utf-8")
    _, err = _run(repo, "codeowners")
    owners = (repo / ".github" / "CODEOWNERS").read_bytes().decode("utf-8")
    # A UTF-8 file cannot spell the byte: no line, and a warning that names the plan as text.
    assert f"'{SHOWN_LAT}' cannot be written into CODEOWNERS safely" in err
    assert f"'{SHOWN_FF}' cannot be written into CODEOWNERS safely" in err
    assert "lat" not in owners and "ff.md" not in owners
    # Names that are UTF-8 keep their lines, spaces escaped, each spelling as it is on disk.
    for line in ("/plans/north\\ america/na.md @bam", "/plans/it's\\ \"q\"/q.md @bam",
                 f"/plans/{NFC}/zuri.md @bam", f"/plans/{NFD}/zurd.md @bam"):  # fmt: skip
        assert line in owners.splitlines(), owners


def test_a_hint_pasted_into_bash_names_the_file(tmp_path: Path) -> None:
    """The review hint, run as it is printed, reviews the plan in the folder that is not UTF-8."""
    repo = _project(tmp_path, git=False)
    text, _ = _run(repo, "check", "--today", TODAY)
    hint = re.search(r"then run: (kamdocs review .*)$", text, re.M)
    assert hint is not None and hint.group(1) == f"kamdocs review $'{SHOWN_LAT}'"
    command = hint.group(1).replace("kamdocs", f"{sys.executable} -m kamdocs", 1) + f" --today {TODAY}"
    done = subprocess.run(["bash", "-c", command], cwd=repo, capture_output=True, env=STRICT, check=False)
    assert done.returncode == 0, done.stderr
    assert f"last_reviewed: {TODAY}" in (repo / "plans" / LAT / "alpen.md").read_text(encoding="utf-8")


def test_two_folders_that_are_not_utf8_never_share_a_page_silently(tmp_path: Path) -> None:
    """A page's URL is its plan's id, whatever the folder; two plans with one id are an error naming both."""
    if not _bytes_in_names(tmp_path):
        pytest.skip("this file system refuses file names that are not UTF-8")
    repo = tmp_path / "repo"
    for name, text in {"mkdocs.yml": MKDOCS, "docs/index.md": "# Plans\n", f"plans/{LAT}/same.md": plan_text("same"),
                       f"plans/{FF}/same.md": plan_text("same")}.items():  # fmt: skip
        _write(repo, name, text)
    found = json.loads(_run(repo, "check", "--format", "json", "--today", TODAY)[0])["findings"]
    duplicate = [f for f in found if f["rule"] == "id-duplicate"]
    assert len(duplicate) == 1
    assert {duplicate[0]["file"], duplicate[0]["message"].rsplit(" ", 1)[-1]} == {"plans/lat\\xe9/same.md",
                                                                                "plans/\\xff\\xfe/same.md"}  # fmt: skip


class _EditLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("rel") == "edit":
            self.links.append(attributes.get("href") or "")


def _edit_link(page: Path) -> str:
    parser = _EditLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    assert len(parser.links) == 1, parser.links
    return parser.links[0]


@pytest.mark.e2e
@pytest.mark.parametrize("git", [False, True], ids=["no-git", "git"])
def test_the_site_and_render_show_the_name_and_link_to_its_bytes(tmp_path: Path, git: bool) -> None:
    repo = _project(tmp_path, git)
    build = mkdocs_build(repo)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    assert "plans/caf\\xe9.md:2:5: error[id-mismatch]" in build.stderr
    site = repo.parent / "site"
    _assert_utf8_tree(site)
    page = (site / "plans/accounts/alpen/index.html").read_text(encoding="utf-8")
    assert f"<code>{SHOWN_LAT}:" in page  # the author's rules and lines
    assert f"kamdocs quality $&#x27;{SHOWN_LAT}&#x27;" in page
    # Edit links: the bytes on disk, percent-encoded; a quote in a folder name ends no attribute.
    base = "https://github.com/acme/plans/edit/main/plans/"
    expected = {
        "alpen": "lat%E9/alpen.md",
        "na": "north%20america/na.md",
        "q": "it%27s%20%22q%22/q.md",
        "zuri": "z%C3%BCrich/zuri.md",
        "zurd": "zu%CC%88rich/zurd.md",
    }
    for plan_id, path in expected.items():
        assert _edit_link(site / f"plans/accounts/{plan_id}/index.html") == base + path
    downloads = json.loads((site / "plans/plans.json").read_text(encoding="utf-8"))
    assert SHOWN_LAT in _files(downloads["plans"])

    out, _ = _run(repo, "render", str(tmp_path / "rendered"))
    assert "Traceback" not in out
    rendered = tmp_path / "rendered"
    _assert_utf8_tree(rendered)
    [plan_file] = [
        p for p in rendered.rglob("*.md") if p.parts[-2:] in (("accounts", "alpen.md"), ("alpen", "index.md"))
    ]
    plan_page = html.unescape(plan_file.read_text(encoding="utf-8"))
    assert f"{SHOWN_LAT}:" in plan_page and f"kamdocs quality $'{SHOWN_LAT}'" in plan_page


@pytest.mark.e2e
def test_serve_shows_a_changed_plan_in_a_folder_that_is_not_utf8(tmp_path: Path) -> None:
    """``kamdocs serve --render``: the changed path comes from the file watcher, as bytes on disk; the
    banner of errors that every page shows while a plan is invalid names each file as text."""
    from .test_engines import fetch, serving, wait_for

    repo = _project(tmp_path, git=False)
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("on_invalid: warn", "on_invalid: error"), "utf-8")
    with serving(repo, ["--engine", "mkdocs", "--render"], tmp_path) as base:
        plan_url = f"{base}/plans/accounts/alpen/"
        first = wait_for(plan_url, "Example Account AG")
        assert f"<code>{SHOWN_CAFE}:2:5</code>" in first  # caf\xe9.md is invalid from the start
        plan = repo / "plans" / LAT / "alpen.md"
        plan.write_text(ALPEN.replace("kind: one-page", "kind: onepage"), encoding="utf-8")
        where = f"{SHOWN_LAT}:{ALPEN.splitlines().index('kind: one-page') + 1}:{len('kind: ') + 1}"
        wait_for(plan_url, f"<code>{where}</code>")
        plan.write_text(ALPEN, encoding="utf-8")  # fixed: its error leaves the banner; caf\xe9.md's stays
        deadline = time.monotonic() + 90
        while where in (shown := fetch(plan_url)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert where not in shown and f"<code>{SHOWN_CAFE}:2:5</code>" in shown
    log = (tmp_path / "serve.log").read_bytes().decode("utf-8")
    assert "Traceback" not in log and "internal error" not in log
    assert f"most overdue: {SHOWN_LAT}" in log


@pytest.mark.parametrize("command", ["mkdocs", "render-path"])
def test_a_docs_page_whose_name_is_not_utf8_stops_the_build_in_one_line(tmp_path: Path, command: str) -> None:
    """MkDocs itself stops with a traceback on such a page (it cannot quote the name for a URL); the
    plugin and the render path say which file, in one line, before it does (the output is decoded
    strictly: a raw byte would fail the test)."""
    repo = _project(tmp_path, git=False)
    _write(repo, f"docs/{CAFE}", "# Café\n")
    if command == "mkdocs":
        result = mkdocs_build(repo)
    else:
        result = subprocess.run([sys.executable, "-m", "kamdocs", "build", "--render", "-d", str(tmp_path / "site")],
                                cwd=repo, capture_output=True, text=True, env=STRICT, timeout=300, check=False)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "/docs/caf\\xe9.md: expected a file name in UTF-8, found bytes that are not" in result.stderr


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        # Worked out by hand: each byte that is not UTF-8 as \xNN; UTF-8 text, decomposed or not, as it is.
        (b"plans/lat\xe9/a.md", "plans/lat\\xe9/a.md"),
        (b"\xff\xfe", "\\xff\\xfe"),
        (b"\xc3", "\\xc3"),  # a cut-off two-byte sequence
        (b"\xed\xa0\x80", "\\xed\\xa0\\x80"),  # a surrogate encoded in UTF-8, which UTF-8 forbids
        (b"\xc0\xaf", "\\xc0\\xaf"),  # an overlong slash
        ("zu\u0308rich ü 'q' \"q\"".encode(), "zu\u0308rich ü 'q' \"q\""),
    ],
)
def test_path_text_shows_each_byte_that_is_not_utf8(raw: bytes, shown: str) -> None:
    from kamdocs.escaping import path_text

    assert path_text(os.fsdecode(raw)) == shown
    assert path_text(os.fsdecode(raw)).encode("utf-8")  # text, always


@pytest.mark.parametrize(
    "raw",
    [
        b"plans/a.md",
        b"plans/north america/a.md",
        b'plans/it\'s "q"/a.md',
        "plans/zu\u0308rich/a.md".encode(),
        b"plans/lat\xe9/a.md",
        b"plans/\xff\xfe/a.md",
        b"plans/x\n::error::y\\z'/\x1b[2J.md",
        "plans/\u202egnp.md".encode(),  # a right-to-left override
        b"plans/$(touch x)`id`/a.md",
    ],
)
def test_a_shell_word_reads_back_as_the_same_bytes_in_bash(raw: bytes, tmp_path: Path) -> None:
    """Each hint's file, pasted into bash, is the one argument that names the file; nothing runs."""
    from kamdocs.escaping import shell_word

    word = shell_word(os.fsdecode(raw))
    assert "\n" not in word and "\x1b" not in word and "\u202e" not in word  # one visible line
    done = subprocess.run(["bash", "-c", f"printf '%s\\0' {word}"], cwd=tmp_path, capture_output=True, check=True)
    assert done.stdout == raw + b"\0"
    assert list(tmp_path.iterdir()) == []  # nothing in the name ran


NON_UTF8 = sys.platform != "linux"
"""Linux file names are bytes; other systems may refuse names that are not valid Unicode."""


def _status_json(repo: Path) -> dict:
    result = kamdocs(repo, "status", "--format", "json", "--today", TODAY, errors="replace")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.skipif(NON_UTF8, reason="needs a file system that takes any bytes in file names (Linux)")
@pytest.mark.parametrize("folder", [b"root\xff", b"caf\xe9", b"\xfe\xfe-plans"])
def test_a_repository_in_a_folder_whose_name_is_not_utf8(tmp_path: Path, folder: bytes) -> None:
    repo = committed_plans(tmp_path / os.fsdecode(folder), {"plans/acme.md": plan_text("acme")})
    for args in (["status", "--today", TODAY], ["diff"], ["export", "--format", "json", "--today", TODAY]):
        result = kamdocs(repo.path, *args, errors="replace")
        assert result.returncode == 0, (args, result.stderr)
        assert "internal error" not in result.stderr
    status = _status_json(repo.path)
    assert [p["last_change"] for p in status["plans"]] == ["2026-10-02"]
    build = mkdocs_build(repo.path)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr


@pytest.mark.skipif(NON_UTF8, reason="needs a file system that takes any bytes in file names (Linux)")
@pytest.mark.parametrize("sub", [b"sub\xff", b"caf\xe9", b"\x80\x81"])
def test_a_plan_in_a_folder_whose_name_is_not_utf8_keeps_its_history_and_diffs(tmp_path: Path, sub: bytes) -> None:
    plan = "plans/" + os.fsdecode(sub) + "/acme.md"
    repo = committed_plans(tmp_path / "repo", {plan: plan_text("acme")})
    status = _status_json(repo.path)
    # Decoded with U+FFFD, the path named no file on disk, so the plan lost its last change.
    assert [p["last_change"] for p in status["plans"]] == ["2026-10-02"]
    repo.write(plan, plan_text("acme", **{"unit: CHF": "unit: EUR"}))
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "in euro", when="2026-10-03T12:00:00+00:00")
    repo.write(plan, plan_text("acme", **{"unit: CHF": "unit: USD"}))
    expected = {
        ("diff", "HEAD~1", "HEAD"): "500,000 CHF \u2192 500,000 EUR",
        ("diff", "HEAD~1"): "500,000 CHF \u2192 500,000 USD",
        ("diff",): "500,000 EUR \u2192 500,000 USD",
        ("diff", "HEAD~1", "--format", "json"): '"new": "500000 USD"',
    }
    for args, change in expected.items():
        result = kamdocs(repo.path, *args, errors="replace")
        assert result.returncode == 0, (args, result.stderr)
        assert "internal error" not in result.stderr
        assert change in result.stdout, (args, result.stdout)
