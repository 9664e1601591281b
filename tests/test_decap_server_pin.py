"""The decap-server the form's browser test installs (tests/vendor/decap-server): pinned, locked, and the
version ``kamdocs editor --serve`` runs, so the test drives the backend people get."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kamdocs.edit.decap_config import DECAP_SERVER_VERSION

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from decap_backend import DecapServerError, install_decap_server

VENDOR = ROOT / "tests" / "vendor" / "decap-server"


def test_decap_server_is_pinned_locked_and_the_one_kamdocs_editor_serves() -> None:
    package = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((VENDOR / "package-lock.json").read_text(encoding="utf-8"))
    assert package["private"] is True
    assert package["dependencies"] == {"decap-server": "3.11.3"}
    assert lock["packages"][""]["dependencies"] == package["dependencies"]
    assert lock["packages"]["node_modules/decap-server"]["version"] == "3.11.3" == DECAP_SERVER_VERSION
    # npm ci checks every package against its integrity hash: none may be missing.
    assert all(entry.get("integrity", "").startswith("sha512-") for key, entry in lock["packages"].items() if key)


def test_without_npm_the_form_test_fails_rather_than_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CI has Node.js and npm: the browser test's fixture turns this error into a failure (pytest.fail)."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm, no node on it
    with pytest.raises(DecapServerError, match="npm and node are needed for decap-server"):
        install_decap_server(tmp_path / "decap-server")
    assert not (tmp_path / "decap-server").exists()
