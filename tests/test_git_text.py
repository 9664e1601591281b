"""Git text on pages: commit subjects and author names are shown, never obeyed, and subjects can be left out.

A real git repository with fixed dates, whose commits have subjects and authors holding ESC (with a
terminal's colour and title codes), BEL, a right-to-left override and isolate, a zero-width space,
a line separator (U+2028), NEL, the unit and record separators git's log is read with, and
``<script>``. The built page shows each as an escape (``\\u202e``), and with ``commit_subjects: false``
a canary subject reaches no byte of the site or of ``kamdocs render``'s folder.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from kamdocs.escaping import visible_text
from kamdocs.history.log import read_history

from .commands import built_site, kamdocs, site_config
from .conftest import ROOT, GitRepo, plan_text
from .test_confidential import outputs

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

CANARY = "QZSUBJECT-CANARY"
HOSTILE = "\x1b[2J\x1b]0;owned\x07 \u202eRLO\u2066LRI\u2069 zero\u200bwidth\u2028line\x85nel \x1eRS\x1fUS"
SUBJECT = f"Hide the 12 pct discount {CANARY} {HOSTILE} <script>alert(1)</script>"
AUTHOR = f"Eve {HOSTILE} Q&A"
"""git itself drops ``<`` and ``>`` from names; ``&`` is what is left of markup."""
RAW = ["\x1b", "\x07", "\u202e", "\u2066", "\u2069", "\u200b", "\u2028", "\x85", "\x1e", "\x1f"]
"""What must never reach a page raw."""
SHOWN = ["\\x1b[2J", "\\u202eRLO", "\\u2066LRI\\u2069", "zero\\u200bwidth", "\\u2028line", "\\x85nel", "\\x1eRS\\x1fUS"]
"""How the page writes them instead."""


def _repo(root: Path, *options: str) -> GitRepo:
    """The plan added by a plain commit, then changed by a hostile one."""
    repo = GitRepo(root / "repo")
    repo.write("mkdocs.yml", site_config("today: 2026-11-01", *options))
    repo.write("docs/index.md", "# Plans\n")
    repo.commit("Add the plan", "2026-01-05T10:00:00+00:00", **{"plans__acme.md": plan_text("acme")})
    changed = plan_text("acme", **{"Body text.": "Body text, revised."})
    repo.commit(SUBJECT, "2026-02-01T10:00:00+00:00", author=AUTHOR, **{"plans__acme.md": changed})
    return repo


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(_repo(tmp_path_factory.mktemp("subjects")).path)


def test_control_and_bidi_characters_in_git_text_are_escaped_on_the_page(shown: Path) -> None:
    page = (shown / "plans/accounts/acme/index.html").read_text(encoding="utf-8")
    history = page[page.index('id="kd-history"') :]
    assert CANARY in history  # the subject is shown, so the search below sees it
    assert [c for c in RAW if c in page] == []
    for escaped in SHOWN:
        assert history.count(escaped) == 3, escaped  # "Last changed ... by" the author, the author cell, the subject
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in history
    assert "Q&amp;A" in history and "Q&A" not in page
    assert "2026-02-01" in history and "Add the plan" in history  # the commits are all read, in spite of RS and US
    # The search index, plans.json and plans.csv carry the same text; none of them a raw control either.
    files = outputs(shown)
    for name in ("search/search_index.json", "plans/plans.json", "plans/plans.csv"):
        text = files[name].decode("utf-8")
        assert [c for c in RAW if c in text] == [], name


@pytest.mark.e2e
def test_the_history_reads_as_escapes_in_chromium_on_a_wide_screen_and_a_phone(shown: Path) -> None:
    """What a reader sees: the escapes as text, in the order written, and the page no wider than the screen."""
    with serve(shown) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for width in (1366, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/plans/accounts/acme/")
            rows = page.locator("#kd-history ~ * tr").all_inner_texts()
            hostile = next(row for row in rows if CANARY in row)
            assert "\\u202eRLO\\u2066LRI\\u2069 zero\\u200bwidth" in hostile
            assert "<script>alert(1)</script>" in hostile
            assert [c for c in RAW if c in page.locator("body").inner_text()] == []
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.close()
        browser.close()


def test_commit_subjects_false_leaves_every_subject_out_of_the_site(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "commit_subjects: false")
    site = built_site(repo.path)
    rendered = kamdocs(repo.path, "render", str(tmp_path / "rendered"), "--today", "2026-11-01")
    assert rendered.returncode == 0, rendered.stderr
    files = {**{f"site/{k}": v for k, v in outputs(site).items()}, **outputs(tmp_path / "rendered")}
    assert len(files) > 20
    assert [name for name, data in files.items() if CANARY.lower().encode() in data.lower()] == []
    assert [name for name, data in files.items() if b"Add the plan" in data] == []
    page = (site / "plans/accounts/acme/index.html").read_text(encoding="utf-8")
    history = page[page.index('id="kd-history"') :]
    assert "2 revisions" in history and "2026-02-01" in history and "Eve \\x1b[2J" in history
    assert ">Change<" not in history


def test_a_separator_in_a_commit_or_a_file_name_starts_no_commit(git_repo: GitRepo) -> None:
    """git's log is read token by token: RS and US in subjects, authors and paths are text."""
    git_repo.commit("first \x1e2026 \x1f", "2026-01-01T10:00:00+00:00", author="A\x1eB\x1fC", plans__a="1")
    git_repo.commit("second", "2026-01-02T10:00:00+00:00", **{"plans__b\x1e\x1fc.md": "2"})
    git_repo.git("mv", "plans/a", "plans/\x1ed")
    git_repo.commit("\x1e", "2026-01-03T10:00:00+00:00")
    history = read_history(git_repo.path, git_repo.path / "plans")
    files = {path: [(r.date.day, r.author, r.subject) for r in h.revisions] for path, h in history.files.items()}
    assert files == {
        "plans/\x1ed": [(3, "Test Author", "\\x1e"), (1, "A\\x1eB\\x1fC", "first \\x1e2026 \\x1f")],
        "plans/b\x1e\x1fc.md": [(2, "Test Author", "second")],
    }


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Zoë Müller-Lüdenscheidt", "Zoë Müller-Lüdenscheidt"),
        ("Jean\u00a0Dupont 王小明 🚀", "Jean\u00a0Dupont 王小明 🚀"),  # no-break space, CJK, emoji: names as written
        ("a\tb\nc\r\x00\x7f\x9b", "a\\tb\\nc\\r\\x00\\x7f\\x9b"),
        ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c", None),
        ("zw\u200b\u200c\u200d\u2060\ufeff soft\u00ad tag\U000e0041", None),
        ("\u2028\u2029\x85\ud800", "\\u2028\\u2029\\x85\\ud800"),
    ],
)
def test_visible_text(text: str, shown: str | None) -> None:
    """Every control, format and separator character escaped, worked out from unicodedata when not written out."""
    expected = shown
    if expected is None:
        expected = "".join(
            (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
            if unicodedata.category(c) in ("Cf", "Cc")
            else c
            for c in text
        )
    assert visible_text(text) == expected
    assert visible_text(expected) == expected  # the escapes are plain text


def test_signature_lines_of_log_show_signature_do_not_hide_a_commit(git_repo: GitRepo, tmp_path: Path) -> None:
    """A repository (or a user's global configuration) with ``log.showSignature`` makes git print a
    verification line before each signed commit; the history is read without it."""
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, capture_output=True)
    for setting, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)), ("log.showSignature", "true")):
        git_repo.git("config", setting, value)
    git_repo.write("plans/a.md", "1")
    git_repo.git("add", "-A")
    git_repo.git("commit", "-q", "-S", "-m", "signed", when="2026-01-04T10:00:00+00:00")
    git_repo.commit("unsigned", "2026-01-05T10:00:00+00:00", **{"plans__a.md": "2"})
    history = read_history(git_repo.path, git_repo.path / "plans")
    assert [(r.date.day, r.subject) for r in history.files["plans/a.md"].revisions] == [(5, "unsigned"), (4, "signed")]
