"""The type gate: CI runs mypy on the package, and nothing quietly makes the gate weaker.

mypy itself runs in ``.ci/run`` (it takes longer than the fast loop should wait); these tests keep
what makes its "no error" mean something: the gate is there, mypy and the stubs come with the test
extra, ``[tool.mypy]`` turns no check off, and every ignore in the package names its error and says why.
"""

from __future__ import annotations

import re
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the lock installs tomli on 3.10 (mypy needs it)
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

WEAKENING = {
    "ignore_errors",
    "ignore_missing_imports",
    "disable_error_code",
    "follow_imports",
    "allow_untyped_globals",
    "allow_redefinition",
    "implicit_optional",
    "strict_optional",
    "exclude",
}
"""Settings that can only hide errors the default settings report (``follow_imports = skip`` makes
every import Any; ``ignore_missing_imports`` does the same to a package that ships no types;
``exclude`` leaves files unchecked)."""

OTHER_CONFIGS = ("mypy.ini", ".mypy.ini", "setup.cfg")
"""Files mypy reads before pyproject.toml: one of them would replace ``[tool.mypy]`` whole."""

SILENCING = re.compile(r"#\s*mypy:|no_type_check")
"""An inline configuration comment (``# mypy: ignore-errors`` skips a whole file) or a function left unchecked."""

IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)")
CODES = re.compile(r"\[[a-z-]+(, ?[a-z-]+)*\]")


def _ci_lines() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]


def test_ci_runs_mypy_on_the_package_after_installing_the_test_extra_and_after_ruff() -> None:
    lines = _ci_lines()
    gate = lines.index("python3 -m mypy kamdocs")
    install = next(i for i, line in enumerate(lines) if '-e ".[test]"' in line and not line.startswith("#"))
    assert install < lines.index("python3 -m ruff format --check .") < gate


def test_mypy_and_the_dependencies_stubs_come_with_the_test_extra() -> None:
    names = {
        canonicalize_name(Requirement(text).name) for text in PYPROJECT["project"]["optional-dependencies"]["test"]
    }
    assert {"mypy", "types-pyyaml", "types-jsonschema", "types-markdown"} <= names


def test_mypy_settings_turn_no_check_off() -> None:
    settings = PYPROJECT["tool"]["mypy"]
    for where, table in [("", settings)] + [(f" {o['module']}", o) for o in settings.get("overrides", [])]:
        found = sorted(set(table) & WEAKENING)
        assert not found, f"[tool.mypy]{where}: {found} hide errors the default settings report"


def test_no_other_mypy_configuration_replaces_pyproject_toml() -> None:
    present = [name for name in OTHER_CONFIGS if (ROOT / name).exists()]
    assert not present or (
        present == ["setup.cfg"] and "[mypy" not in (ROOT / "setup.cfg").read_text(encoding="utf-8")
    ), f"{present}: mypy would read its settings there instead of from [tool.mypy]"


def test_mypy_checks_against_the_oldest_python_kamdocs_supports() -> None:
    assert PYPROJECT["tool"]["mypy"]["python_version"] == PYPROJECT["project"]["requires-python"].removeprefix(">=")


def test_every_ignore_names_its_error_code_and_says_why() -> None:
    bare = []
    for path in sorted((ROOT / "kamdocs").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = IGNORE.search(line)
            if match is None:
                continue
            codes, rest = match["codes"], match["rest"]
            if not (codes and CODES.fullmatch(codes) and re.match(r"\s+#\s*\S", rest)):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bare, "an ignore names its error code and says why (# type: ignore[code]  # reason):\n" + "\n".join(bare)


def test_no_file_or_function_is_left_unchecked() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "kamdocs").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SILENCING.search(line)
    ]
    assert not found, "mypy checks every file and function of kamdocs:\n" + "\n".join(found)
