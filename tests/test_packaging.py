"""The wheel carries the schema and works outside the repository."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_wheel_installed_outside_the_repository_checks_plans(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "schema", source / "schema")
    shutil.copytree(ROOT / "kamdocs", source / "kamdocs", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("kamdocs-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        schema = json.loads(archive.read("kamdocs/schema/plan.schema.json"))
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert schema["$id"] == "urn:kamdocs:plan:v1"
    for name in ("kamdocs/assets/kamdocs.js", "kamdocs/assets/kamdocs.css", "kamdocs/theme/partials/source.html",
                 "kamdocs/site/pages.py", "kamdocs/plugin.py"):  # fmt: skip
        assert name in names, name
    assert "[mkdocs.plugins]\nkamdocs = kamdocs.plugin:KamdocsPlugin" in entry_points
    assert "kamdocs = kamdocs.cli:main" in entry_points

    site = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "plans", elsewhere / "plans")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import kamdocs; "
        "assert kamdocs.__file__.startswith(sys.argv[1]), kamdocs.__file__; "
        "from kamdocs.cli import main; main(['check', 'plans'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(site)], cwd=elsewhere, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checked 9 plans: 0 errors" in result.stdout
