"""English words kamdocs could put on a page without the catalogue: string literals in ``kamdocs/site/`` and
``kamdocs/assets/`` that read as words and are not marked for translation.

    python -m tests.unmarked_words [FILE ...]    # every site module and the page script by default

A literal is a reader's word when, once HTML tags, identifiers (``kd-grid``, ``plans.json``) and figures
are taken out, it still holds two words or one capitalised word ("Goal"); title, aria-label, placeholder
and alt attributes count, since a reader hears or sees them. Marked means inside ``_()``, ``ngettext()``,
``pgettext()`` or ``N_()``. Not a page's: docstrings, exceptions and log lines (the build log and the
command line speak English), and a line that says ``# i18n: machine`` (``// i18n: machine`` in
JavaScript), for a text a reader never sees.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.jslexer import tokenize

ROOT = Path(__file__).resolve().parent.parent
MARKERS = {"_", "ngettext", "pgettext", "N_"}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "warn"}
WAIVER = "i18n: machine"
SHOWN_ATTRIBUTES = re.compile(r'(?:title|aria-label|placeholder|alt|aria-description)="([^"{}]*)"')
TAG = re.compile(r"<[^<>]*>")
TAG_TAIL = re.compile(r'^[^<>]*["=][^<>]*>')  # the end of a tag opened in the literal before
TAG_HEAD = re.compile(r"<[^<>]*$")  # a tag the next literal closes
ENTITY = re.compile(r"&#?\w+;")
IDENTIFIER = re.compile(r"\S*[-_./#:=@\\{}()\[\]%$*+|~^<>0-9]\S*")
WORD = re.compile(r"[A-Za-z][a-z]+")


def reads_as_words(text: str) -> bool:
    """Whether ``text`` still says something in English once markup, identifiers and figures are out."""
    shown = " ".join(SHOWN_ATTRIBUTES.findall(text))
    text = TAG_HEAD.sub(" ", TAG_TAIL.sub(" ", TAG.sub(" ", text)))
    rest = IDENTIFIER.sub(" ", ENTITY.sub(" ", text + " " + shown))
    words = WORD.findall(rest)
    if len(words) >= 2 and any(len(w) > 2 for w in words):
        return True
    return len(words) == 1 and bool(re.fullmatch(r"\W*[A-Z][a-z]{2,}\W*", rest.strip()))


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _not_a_page(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside a marker call, a raise, an assert or a log call."""
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.Raise, ast.Assert)):
            return True
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in MARKERS or name in LOGGING or name.endswith(("Error", "Problem", "Exception")):
                return True
    return False


def _docstrings(tree: ast.AST) -> set[ast.AST]:
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for i, stmt in enumerate(body):
                # The first statement, and a string after an assignment (an attribute's docstring).
                text = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                if text and (i == 0 or isinstance(body[i - 1], (ast.Assign, ast.AnnAssign))):
                    found.add(stmt.value)
    return found


def _in_fstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.JoinedStr):
            return True
    return False


def hidden_marks(path: Path) -> Iterator[tuple[int, str]]:
    """Marker calls written inside an f-string: Babel's extractor does not see them before Python 3.12, so
    their words would never reach the catalogue."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        literal = isinstance(node, ast.Call) and any(isinstance(a, ast.Constant) for a in node.args)
        if literal and _name(node.func) in MARKERS and _in_fstring(node, parents):
            yield node.lineno, f"{_name(node.func)}() inside an f-string: take it out (Babel cannot see it there)"


def python_words(path: Path) -> Iterator[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or node in skip:
            continue
        if any(WAIVER in lines[n - 1] for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)):
            continue
        if reads_as_words(node.value) and not _not_a_page(node, parents):
            yield node.lineno, node.value


def script_words(path: Path) -> Iterator[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    previous: list[str] = []
    calls: list[str] = []  # the name before each "(" still open: a string is marked when the innermost is a marker's
    for token in tokenize(source):
        if token.type in ("linecomment", "multilinecomment"):
            continue
        if token.type == "string":
            value = token.value[1:-1]
            # Any argument of a marker, ngettext's plural as well as its singular.
            marked = bool(calls) and calls[-1] in MARKERS and previous[-1] in ("(", ",")
            in_error = "Error" in previous[-3:] or "throw" in previous[-4:]
            if not marked and not in_error and WAIVER not in lines[token.lineno - 1] and reads_as_words(value):
                yield token.lineno, value
        elif token.value == "(":
            calls.append(previous[-1] if previous else "")
        elif token.value == ")" and calls:
            calls.pop()
        previous = [*previous[-3:], token.value]


def unmarked(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        readers = [script_words] if path.suffix == ".js" else [python_words, hidden_marks]
        for reader in readers:
            for line, text in reader(path):
                yield f"{path.relative_to(ROOT)}:{line}: {text!r}"


NOT_PAGES = {
    # Downloads keep English, as machine formats do (plans.json, CSV, ICS, xlsx: import reads their headers).
    "exports.py",
    "xlsx.py",
    # What runs an engine and writes folders: their words are the command line's and the build log's.
    "output_folder.py",
    "overlay.py",
    "engines.py",
    "supervisor.py",
    "site_dir.py",
    "watch.py",
    "editor_page.py",
    "edit_links.py",
    "language.py",
}
"""Site modules whose words never reach a page."""


def page_sources() -> list[Path]:
    """Every file whose words reach a page: the site modules and the page script."""
    site = sorted(p for p in (ROOT / "kamdocs" / "site").glob("*.py") if p.name not in NOT_PAGES)
    return [*site, ROOT / "kamdocs" / "assets" / "kamdocs.js"]


if __name__ == "__main__":
    found = list(unmarked([Path(p).resolve() for p in sys.argv[1:]] or page_sources()))
    print("\n".join(found))
    print(f"{len(found)} unmarked", file=sys.stderr)
    sys.exit(1 if found else 0)
