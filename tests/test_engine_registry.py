"""The site engines as data (``kamdocs/site/engines.py``): one record per engine, and no engine's name
compared anywhere else in kamdocs.

What each engine needs is written out here by hand, from docs/engines.md, not read back from the
records: a record that drifts from what the engines do fails here.
"""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import pytest

from kamdocs.site.engines import (
    ENGINES,
    SITE_ENGINES,
    ZENSICAL_VERSION,
    Engine,
    EngineError,
    engine_args,
    find_engine,
)

from .conftest import ROOT

PACKAGE = ROOT / "kamdocs"
REGISTRY = PACKAGE / "site" / "engines.py"
NAMES = frozenset({"mkdocs", "properdocs", "zensical"})


def _engine_names_in(node: ast.AST) -> list[str]:
    """The engine names a constant (or a tuple, list or set of constants) in a comparison spells."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.casefold() in NAMES:
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [name for item in node.elts for name in _engine_names_in(item)]
    return []


def engine_comparisons(source: str) -> list[tuple[int, str]]:
    """Every ``x == "zensical"``, ``"mkdocs" != x``, ``x in ("mkdocs", ...)`` and ``case "zensical":``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found += [(node.lineno, name) for name in _engine_names_in(side)]
        elif isinstance(node, ast.MatchValue):
            found += [(node.lineno, name) for name in _engine_names_in(node.value)]
    return found


def test_no_module_compares_an_engine_name_outside_the_registry() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: compares {name!r}; use a field of its EngineSpec"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != REGISTRY
        for line, name in engine_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "\n".join(offenders)


def test_the_search_finds_each_way_of_comparing_a_name() -> None:
    """The check itself, on the comparisons this registry replaced and their cousins."""
    source = (
        'a = engine.name == "zensical"\n'
        'b = "mkdocs" != name\n'
        'c = name in ("properdocs", "other")\n'
        'd = name not in {"Zensical"}\n'
        'match name:\n    case "mkdocs":\n        pass\n'
        'e = name == "mkdocs.yml" or name == "material"\n'  # not engine names
        'f = engine.name\n'
    )  # fmt: skip
    assert engine_comparisons(source) == [
        (1, "zensical"),
        (2, "mkdocs"),
        (3, "properdocs"),
        (4, "Zensical"),
        (6, "mkdocs"),
    ]


EXPECTED = {
    # name: (runs the plugin, takes -f, says its name in --version, rewrites links from the source, pip install)
    "mkdocs": (True, True, True, False, "mkdocs"),
    "properdocs": (True, True, True, False, "properdocs"),
    "zensical": (False, False, False, True, "zensical==0.0.73"),
}


def test_each_engine_is_one_record_saying_what_it_needs() -> None:
    assert ENGINES == ("mkdocs", "properdocs", "zensical")  # the order kamdocs build tries them: plugin path first
    assert SITE_ENGINES.names == ENGINES
    for name, expected in EXPECTED.items():
        spec = SITE_ENGINES.get(name)
        assert spec.name == name
        got = (spec.runs_plugin, spec.takes_config_file, spec.names_itself, spec.links_from_source, spec.requirement)
        assert got == expected, name
    assert ZENSICAL_VERSION == "0.0.73"


def test_an_unknown_engine_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(EngineError, match=r"--engine: expected one of mkdocs, properdocs, zensical, found 'hugo'"):
        SITE_ENGINES.get("hugo")
    with pytest.raises(EngineError, match="expected one of"):
        find_engine("hugo")


def test_engine_arguments_follow_the_record(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    for name in ENGINES:
        engine = Engine(SITE_ENGINES.get(name), (name,), plugin=False)
        takes_f = name != "zensical"  # by hand: Zensical reads the mkdocs.yml of the folder it runs in
        flag = ["-f", str(config_file)] if takes_f else []
        assert engine_args(engine, config_file, strict=False) == flag
        assert engine_args(engine, config_file, strict=True) == [*flag, "--strict"]


def test_an_installed_engine_is_found_and_run_beside_kamdocs() -> None:
    """MkDocs and ProperDocs come with kamdocs' test extra: run as modules of this Python."""
    first = find_engine(None)
    assert (first.name, first.command, first.plugin) == ("mkdocs", (sys.executable, "-m", "mkdocs"), True)
    assert find_engine("properdocs").command == (sys.executable, "-m", "properdocs")
    assert find_engine("mkdocs", render=True).plugin is False


@pytest.mark.skipif(shutil.which("zensical") is not None, reason="Zensical is installed on PATH here")
def test_a_missing_engine_says_how_to_install_it() -> None:
    with pytest.raises(EngineError) as caught:
        find_engine("zensical")
    assert str(caught.value) == (
        "zensical is not installed here; pip install zensical==0.0.73 (see docs/engines.md), or give --engine-command"
    )
