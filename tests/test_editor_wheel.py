"""``kamdocs editor`` from the wheel, installed into a fresh virtual environment outside the checkout: it
writes the form, and the site built with ``editor: true`` carries Decap's script from the installed package."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT
from .wheel import Built, fresh_venv, user_env

pytestmark = pytest.mark.e2e  # a fresh virtual environment


def sh(command: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_the_installed_wheel_writes_the_form_and_finds_the_bundle(built: Built, tmp_path: Path) -> None:
    env = user_env(tmp_path / "home", fresh_venv(tmp_path / "venv"))
    shutil.copy(built.wheel, tmp_path)
    sh(f"python -m pip install -q ./{built.wheel.name}", tmp_path, env)
    sh("kamdocs init plans --today 2026-11-24", tmp_path, env)
    repo = tmp_path / "plans"
    said = sh("git init -q -b main && kamdocs editor", repo, env)
    assert said == "Wrote docs/admin/index.html.\nWrote docs/admin/config.yml.\n"
    assert sh("kamdocs editor --check", repo, env) == "docs/admin/ is up to date.\n"
    mkdocs = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        mkdocs.replace(
            "      default_interval: quarterly\n", "      default_interval: quarterly\n      editor: true\n"
        ),
        encoding="utf-8",
    )
    sh("git add -A && git commit -q -m start && mkdocs build --strict -q -d ../site", repo, env)
    published = tmp_path / "site" / "admin" / "decap-cms.js"
    vendored = ROOT / "kamdocs" / "assets" / "editor" / "decap-cms.js"
    assert hashlib.sha256(published.read_bytes()).digest() == hashlib.sha256(vendored.read_bytes()).digest()
    assert (
        (tmp_path / "site" / "admin" / "LICENSE").read_text(encoding="utf-8").startswith("Copyright (c) 2016 Netlify")
    )
    # The script is in the installed package, not in the plans repository.
    assert not list(repo.rglob("decap-cms.js"))
