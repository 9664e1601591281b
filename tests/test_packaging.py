"""The wheel and the sdist are the product: they carry every file the package
reads, and an installed wheel works outside the repository.

The rest of the suite runs on an editable install, where a file missing from
the wheel is never noticed; these tests look inside both archives, built for
real with PyPA's ``build`` (the sdist first, then the wheel from the unpacked
sdist, as a release does) once per session by the ``built`` fixture.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from kamdocs.edit import scaffold
from kamdocs.system import package_data
from kamdocs.system.package_data import RESOURCES

from .conftest import ROOT
from .wheel import Built

pytestmark = pytest.mark.e2e  # builds the sdist and the wheels

PACKAGE = ROOT / "kamdocs"

REACHING = {"importlib.resources", "importlib_resources", "pkgutil", "pkg_resources", "importlib.abc"}
"""Modules whose only use in kamdocs would be to find files inside the package."""


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "package_data.py")


def _reaches_for_package_files(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                f"import {a.name}" for a in node.names if a.name in REACHING or a.name.startswith("importlib.res")
            ]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {f"{node.module}.{a.name}" for a in node.names}
            if node.module in REACHING or names & REACHING:
                found.append(f"from {node.module} import {', '.join(a.name for a in node.names)}")
        elif isinstance(node, ast.Name) and node.id == "__file__":
            found.append(f"__file__ on line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in ("get_data", "resource_filename", "resource_string"):
            found.append(f".{node.attr} on line {node.lineno}")
        elif (  # resources.files("kamdocs") under any alias
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "files"
            and any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
        ):
            found.append(f"files(...) on line {node.lineno}")
    return found


def test_only_package_data_reaches_for_package_files() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _modules()
        if (found := _reaches_for_package_files(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}, "read packaged files through kamdocs.system.package_data, which the wheel test checks"


@pytest.mark.parametrize(
    "source",
    [
        "from importlib import resources\n",
        "import importlib.resources\n",
        "from importlib.resources import files\n",
        "import pkgutil\n",
        "from pathlib import Path\nHERE = Path(__file__).parent\n",
        "import importlib_resources as r\n",
        "def f(r):\n    return r.files('kamdocs')\n",
        "from importlib.resources import files as f\nf('kamdocs')\n",
        "import pkg_resources\n",
    ],
)
def test_the_reaching_check_sees_each_way_in(source: str) -> None:
    assert _reaches_for_package_files(ast.parse(source))


def test_every_non_python_file_in_the_package_is_named() -> None:
    on_disk = {
        (Path(folder) / name).relative_to(PACKAGE).as_posix()
        for folder, _, names in os.walk(PACKAGE, followlinks=True)  # kamdocs/schema is a link
        for name in names
        if not name.endswith((".py", ".pyc")) and "__pycache__" not in folder
    }
    assert on_disk == set(RESOURCES)
    for name in RESOURCES:
        package_data.read_bytes(name)  # each one is readable through the one reader


def test_an_unnamed_resource_is_refused() -> None:
    with pytest.raises(KeyError, match="package_data"):
        package_data.read_text("templates/workflows/missing.yml")


def test_the_sdist_carries_every_resource_as_a_real_file(built: Built) -> None:
    with tarfile.open(built.sdist) as archive:
        members = {m.name.split("/", 1)[1]: m for m in archive.getmembers() if "/" in m.name}
        for name in RESOURCES:
            member = members.get(f"kamdocs/{name}")
            assert member is not None, f"{name} is missing from the sdist"
            assert member.isfile(), f"{name} is a {member.type!r} entry in the sdist, not a file"
            data = archive.extractfile(member).read()  # type: ignore[union-attr]
            assert data == (PACKAGE / name).read_bytes(), name
        assert "pyproject.toml" in members


@pytest.mark.parametrize("which", ["wheel", "direct_wheel"], ids=["wheel-from-sdist", "wheel-from-tree"])
def test_the_wheels_carry_every_resource(built: Built, which: str) -> None:
    with zipfile.ZipFile(getattr(built, which)) as archive:
        names = set(archive.namelist())
        for name in RESOURCES:
            assert f"kamdocs/{name}" in names, f"{name} is missing from the {which}"
            assert archive.read(f"kamdocs/{name}") == (PACKAGE / name).read_bytes(), name
        schema = json.loads(archive.read(f"kamdocs/{package_data.SCHEMA}"))
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert schema["$id"] == "urn:kamdocs:plan:v1"
    modules = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    assert "[mkdocs.plugins]\nkamdocs = kamdocs.plugin:KamdocsPlugin" in entry_points
    assert "kamdocs = kamdocs.cli:main" in entry_points
    # The guides init's output and README send a team to are named in the package's own metadata.
    urls = {line.split(", ", 1)[1] for line in metadata.splitlines() if line.startswith("Project-URL: ")}
    assert {scaffold.INSTALL_DOCS, scaffold.START_DOCS} <= urls


def test_wheel_installed_outside_the_repository_inits_and_checks(built: Built, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(built.wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "plans", elsewhere / "plans")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import kamdocs; "
        "assert kamdocs.__file__.startswith(sys.argv[1]), kamdocs.__file__; "
        "from kamdocs.system import package_data; "
        "[package_data.read_bytes(n) for n in package_data.RESOURCES]; "
        "print(package_data.theme_dir()); "
        "from kamdocs import i18n; "
        "print(*(i18n.resolve(n)[0].translations.info()['language'] for n in ('de', 'fr', 'it'))); "
        "from kamdocs.cli import main; main(sys.argv[2:])"
    )

    def kamdocs(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, str(site), *args], cwd=elsewhere, capture_output=True, text=True, check=False
        )

    checked = kamdocs("check", "plans")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Checked 9 plans: 0 errors" in checked.stdout
    assert checked.stdout.splitlines()[0] == str(site / "kamdocs" / "theme")
    assert checked.stdout.splitlines()[1] == "de fr it"  # each compiled catalogue, read from the wheel

    started = kamdocs("init", "--today", "2026-11-24", "new-repo")
    assert started.returncode == 0, started.stdout + started.stderr
    for name in package_data.WORKFLOWS:
        written = (elsewhere / "new-repo" / ".github" / "workflows" / name).read_text(encoding="utf-8")
        template = (PACKAGE / "templates" / "workflows" / name).read_text(encoding="utf-8")
        assert written.splitlines()[0] == template.splitlines()[0], name
    again = kamdocs("check", "new-repo/plans")
    assert again.returncode == 0, again.stdout + again.stderr


def _requirements() -> list[str]:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["test"]]


def test_every_requirement_has_bounds_and_a_pin_inside_them() -> None:
    """On every Python the lock covers: lines with a python_version marker apply to that Python only.
    3.11.2 is Debian 12's Python, too old for some releases that 3.11.7 takes (python_full_version)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pythons = ("3.10.0", "3.11.2", "3.11.7", "3.12.0", "3.13.0")
    pins: dict[str, dict[str, str]] = {python: {} for python in pythons}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pin = Requirement(line)
            specs = list(pin.specifier)
            assert len(specs) == 1 and specs[0].operator == "==", f"constraints.txt: {line!r} is not name==version"
            for python in pythons:
                if pin.marker is None or pin.marker.evaluate(
                    {"python_version": python.rsplit(".", 1)[0], "python_full_version": python}
                ):
                    name = canonicalize_name(pin.name)
                    assert name not in pins[python], f"constraints.txt pins {pin.name} twice for Python {python}"
                    pins[python][name] = specs[0].version
    for python in pythons:
        assert "kamdocs" not in pins[python]
        for text in _requirements():
            requirement = Requirement(text)
            operators = {spec.operator for spec in requirement.specifier}
            assert ">=" in operators and "<" in operators, f"{text}: needs a lower and an upper bound"
            pinned = pins[python].get(canonicalize_name(requirement.name))
            assert pinned is not None, f"{requirement.name} is not pinned for Python {python}; refresh constraints.txt"
            assert requirement.specifier.contains(pinned), (
                f"constraints.txt pins {requirement.name}=={pinned} for Python {python}, outside {text}"
            )


def test_ci_installs_with_the_lock_and_runs_the_wheel_journey_after_the_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    tests = next(i for i, line in enumerate(ci) if "pytest" in line and not line.startswith("#"))
    assert "-c constraints.txt" in ci[tests]
    journey = ci.index("bash scripts/wheel_journey.sh")
    assert journey > tests
    script = (ROOT / "scripts" / "wheel_journey.sh").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    for command in ("init", "new", "check", "status", "review", "diff", "rollover", "codeowners", "export"):
        assert f"kamdocs {command} " in script, command
    for kind in ("one-page", "full"):
        assert f"--kind {kind}" in script
    for fmt in ("json", "csv", "ics"):
        assert f"export --format {fmt} -o" in script
    assert "mkdocs build --strict" in script
