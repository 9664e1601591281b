"""No function in kamdocs/ above radon's grade C: the complexity gate.

A function of grade D or worse (cyclomatic complexity above 20) has more
paths than its tests can name one by one, so the next maintainer changes it
blind. radon measures every function, method and closure; a failure names the
file, the line, the function and its complexity, so the fix starts there.

``PENDING`` lists the functions still above C while someone breaks them up. It
may only shrink: an entry that is back at C or better (or gone) fails too, so
the line is deleted in the commit that fixes it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from radon.complexity import cc_rank, cc_visit
from radon.visitors import Class, Function

from .conftest import ROOT

PACKAGE = ROOT / "kamdocs"
GOOD_RANKS = frozenset("ABC")

PENDING: frozenset[tuple[str, str]] = frozenset()
"""(module, qualified name) of each function allowed above C for now: empty, since every function in
kamdocs/ is at C or better. A function inherited above C (a merge) goes here with its owner's name in a
comment, and leaves in the commit that breaks it up."""


def module_name(path: Path) -> str:
    """``kamdocs/site/svg.py`` as ``kamdocs.site.svg`` (a package's ``__init__`` as the package)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def functions(blocks: Iterable[Function | Class]) -> Iterator[Function]:
    """Every function in radon's blocks, closures and inner classes' methods included.

    radon lists a module's methods beside its functions and counts a closure
    apart from the function around it, so both are walked; a method reached
    twice is measured once by the caller.
    """
    for block in blocks:
        if isinstance(block, Class):
            yield from functions(block.methods)
            yield from functions(block.inner_classes)
        else:
            yield block
            yield from functions(block.closures)


@dataclass(frozen=True)
class Measured:
    """One function as radon measured it. Two closures of a module may share a name (``render`` in
    each of several methods), so functions are listed, never keyed by name."""

    module: str
    name: str
    file: str
    line: int
    complexity: int

    @property
    def over(self) -> bool:
        return cc_rank(self.complexity) not in GOOD_RANKS

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.name} has complexity {self.complexity} (grade {cc_rank(self.complexity)})"
        )


def measured() -> list[Measured]:
    """Every function in kamdocs/, in file and line order."""
    return [
        Measured(
            module_name(path), function.fullname, str(path.relative_to(ROOT)), function.lineno, function.complexity
        )
        for path in sorted(PACKAGE.rglob("*.py"))
        for function in sorted(functions(cc_visit(path.read_text(encoding="utf-8"))), key=lambda f: f.lineno)
    ]


MEASURED = measured()


def test_the_gate_sees_methods_and_closures() -> None:
    """The walk reaches a method and a closure: a gate that measured only top-level functions would pass too easily."""
    source = (
        "class A:\n    def m(self, x):\n        def inner(y):\n            return 1 if y else 2\n        return inner\n"
    )
    names = {f.fullname: f.complexity for f in functions(cc_visit(source))}
    assert names == {"A.m": 1, "inner": 2}
    assert any("." in m.name for m in MEASURED), "no method of kamdocs/ was measured"


def test_every_def_in_kamdocs_is_measured() -> None:
    """radon does not look inside a class defined in a function: its methods would escape the gate
    unseen. Every ``def`` the parser finds must be one radon measured."""
    seen = {(m.file, m.line) for m in MEASURED}
    unmeasured = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.name} is not measured by radon; move it out of the function"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (str(path.relative_to(ROOT)), node.lineno) not in seen
    ]
    assert not unmeasured, "\n".join(unmeasured)


def test_no_function_above_grade_c() -> None:
    over = [f"{m}; break it up to 20 or less" for m in MEASURED if m.over and (m.module, m.name) not in PENDING]
    assert not over, "\n".join(over)


def test_pending_only_shrinks() -> None:
    """An entry fixed (or renamed away) leaves PENDING in the same commit, so the list cannot hide a new one."""
    stale = []
    for module, name in sorted(PENDING):
        same = [m for m in MEASURED if (m.module, m.name) == (module, name)]
        if not same:
            stale.append(f"{module}.{name} no longer exists: delete it from PENDING")
        elif not any(m.over for m in same):
            stale.append(f"{same[0]}: delete it from PENDING")
    assert not stale, "\n".join(stale)
