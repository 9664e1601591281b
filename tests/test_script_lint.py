"""The browser script's linter: ESLint, pinned, run by CI, and never part of the Python package.

CI runs it (``.ci/run``); these tests keep what makes that run repeatable from drifting: exact versions
in ``package.json``, the same ones in ``package-lock.json`` (``npm ci`` refuses a lock that disagrees,
but only on CI), the config covering the script, and ``node_modules/`` kept out of git.
"""

from __future__ import annotations

import json
import re
import subprocess

from .conftest import ROOT


def package() -> dict:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))


def lock() -> dict:
    return json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))


def test_every_dev_dependency_is_pinned_and_locked_at_that_version() -> None:
    wanted = package()["devDependencies"]
    assert "eslint" in wanted
    locked = lock()["packages"]
    assert locked[""]["devDependencies"] == wanted
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version}: an exact version, not a range"
        assert locked[f"node_modules/{name}"]["version"] == version, name
        assert locked[f"node_modules/{name}"]["dev"] is True, name


def test_the_package_json_has_no_runtime_dependencies() -> None:
    """Nothing here ships: the Python package has no JavaScript dependency."""
    assert package()["private"] is True
    assert not package().get("dependencies")
    assert not any(entry.get("dev") is not True for key, entry in lock()["packages"].items() if key)


def test_ci_installs_from_the_lock_then_lints_the_script() -> None:
    lines = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    install = next(i for i, line in enumerate(lines) if line.startswith("npm ci "))
    assert "--ignore-scripts" in lines[install]
    lint = next(i for i, line in enumerate(lines) if line.startswith("npx eslint "))
    assert install < lint
    assert "kamdocs/assets" in lines[lint].split()


def test_the_config_lints_the_script_as_a_browser_script_with_the_recommended_rules() -> None:
    config = (ROOT / "eslint.config.js").read_text(encoding="utf-8")
    assert 'files: ["kamdocs/assets/**/*.js"]' in config
    assert "js.configs.recommended" in config
    assert "globals.browser" in config
    assert (ROOT / "kamdocs" / "assets" / "kamdocs.js").is_file()


def test_node_modules_is_ignored_by_git() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "node_modules/eslint/package.json"], cwd=ROOT, check=False, timeout=60
    )
    assert ignored.returncode == 0
