"""The package's layers, read from the imports themselves: no module imports upward.

Each subpackage may import from its own layer and the layers below it. The
order is the architecture (docs/architecture.md): a new upward import fails
here, naming the file, the line and the two layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

LAYERS = (
    ("calendar", "system", "escaping", "errors"),
    ("i18n",),
    ("findings",),
    ("config",),
    ("plan",),
    ("history",),
    ("rules",),
    ("edit",),
    ("report",),
    ("site",),
    ("cli", "plugin", "__init__", "__main__"),
)
"""Lowest first; the names are modules or subpackages directly under kamdocs/."""
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}
PACKAGE = ROOT / "kamdocs"


def part_of(module: str) -> str:
    """The layer name of ``kamdocs.x.y`` (``x``), or of the package itself (``__init__``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "kamdocs":
                found += [(node.lineno, f"kamdocs.{a.name}") for a in node.names if a.name != "__version__"]
            elif node.module.startswith("kamdocs."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("kamdocs.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    names = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in MODULES}
    assert names <= set(LEVEL), f"put {sorted(names - set(LEVEL))} into LAYERS and docs/architecture.md"


def test_every_subpackage_is_in_the_wheel() -> None:
    """pyproject.toml lists the packages by name: a new folder left out is missing from the wheel, which
    only the packaging tests (e2e) would notice; kamdocs/config/ was, for a while."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(("kamdocs", *init.parent.relative_to(PACKAGE).parts)).rstrip(".")
        for init in PACKAGE.rglob("__init__.py")
    }
    assert folders == listed


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_upward(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    upward = [
        f"{path.relative_to(ROOT)}:{line}: {own} (layer {LEVEL[own]}) imports {module} (layer {LEVEL[part_of(module)]})"
        for line, module in imports(path)
        if LEVEL[part_of(module)] > LEVEL[own]
    ]
    assert not upward, "\n".join(upward)


def test_only_the_plugin_imports_mkdocs() -> None:
    """The core outlives a change of site engine: MkDocs (and ProperDocs' alias) only in plugin.py."""
    offenders = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])  # fmt: skip
            if any(n.split(".")[0] in ("mkdocs", "properdocs", "material") for n in names):
                offenders.append(path.relative_to(PACKAGE).as_posix())
    assert sorted(set(offenders)) == ["plugin.py"]


def test_the_layer_test_catches_an_upward_import(tmp_path: Path) -> None:
    """The check itself: a model module importing the site would be reported."""
    bad = tmp_path / "model.py"
    bad.write_text("from kamdocs.site.pages import SiteBuilder\nimport kamdocs.report.rollup\n", encoding="utf-8")
    found = [(line, part_of(module)) for line, module in imports(bad)]
    assert found == [(1, "site"), (2, "report")]
    assert all(LEVEL[layer] > LEVEL["plan"] for _, layer in found)


def module_file(module: str) -> Path:
    """The file of ``kamdocs.x.y``: ``x/y.py``, or ``x/y/__init__.py`` for a folder layer such as ``config``."""
    target = PACKAGE.joinpath(*module.split(".")[1:])
    return target.with_suffix(".py") if target.with_suffix(".py").is_file() else target / "__init__.py"


def reexported(package: Path) -> dict[str, Path]:
    """The names a package's ``__init__`` imports from its modules, each with the module that defines it:
    ``from kamdocs.config import Config`` uses ``config/model.py``'s class."""
    found: dict[str, Path] = {}
    for node in ast.parse(package.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kamdocs.") and not node.level:
            found.update(dict.fromkeys((a.name for a in node.names), module_file(node.module)))
    return found


def used_elsewhere() -> dict[Path, set[str]]:
    """Per module, the names other kamdocs modules import from it (through its package's ``__init__`` too)."""
    used: dict[Path, set[str]] = {}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("kamdocs.")
                and not node.level
            ):
                source = module_file(node.module)
                via = reexported(source) if source.name == "__init__.py" else {}
                for name in (a.name for a in node.names):
                    if via.get(name, source) != path:
                        used.setdefault(via.get(name, source), set()).add(name)
    return used


def test_every_function_and_class_another_module_uses_says_what_it_is_for() -> None:
    missing = []
    for source, names in sorted(used_elsewhere().items()):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in tree.body:
            kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            if isinstance(node, kinds) and node.name in names and not ast.get_docstring(node):
                missing.append(f"{source.relative_to(ROOT)}:{node.lineno}: {node.name}")
    assert not missing, "a one-line docstring saying what it is for:\n" + "\n".join(missing)
