"""The decap-server the form's browser test installs (tests/vendor/decap-server): pinned, locked, and the
version ``kamdocs editor --serve`` runs, so the test drives the backend people get."""

from __future__ import annotations

import json

from kamdocs.edit.decap_config import DECAP_SERVER_VERSION

from .conftest import ROOT

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
