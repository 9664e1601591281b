"""kamdocs as a user gets it: the archives built for real, and fresh virtual environments outside the checkout.

The rest of the suite runs on an editable install, which hides a file missing
from the wheel. The packaging tests look inside the archives; the day-one and
first-steps tests install the wheel into a fresh virtual environment in a
temporary folder and run the commands a team runs. ``conftest.py`` builds the
archives once per session (``built`` fixture), so those modules share one build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kamdocs"
CONSTRAINTS = ROOT / "constraints.txt"


@dataclass(frozen=True)
class Built:
    """An sdist, a wheel built from it (as a release does), and a wheel built straight from the tree."""

    sdist: Path
    wheel: Path
    direct_wheel: Path


def build_archives(tmp: Path) -> Built:
    """Build with PyPA's ``build`` from a copy of the files a release holds, into ``tmp``."""
    source = tmp / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "schema", source / "schema")
    # symlinks=True: kamdocs/schema stays the link to ../schema that a checkout has.
    shutil.copytree(PACKAGE, source / "kamdocs", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    assert (source / "kamdocs" / "schema").is_symlink()
    # No flags: the sdist, then the wheel from the unpacked sdist. --wheel: from the tree.
    for flags, out in (([], "dist"), (["--wheel"], "direct")):
        result = subprocess.run(
            [sys.executable, "-m", "build", *flags, "--outdir", str(tmp / out), str(source)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Built(
        sdist=next((tmp / "dist").glob("kamdocs-*.tar.gz")),
        wheel=next((tmp / "dist").glob("kamdocs-*.whl")),
        direct_wheel=next((tmp / "direct").glob("kamdocs-*.whl")),
    )


def fresh_venv(folder: Path) -> Path:
    """An empty virtual environment in ``folder`` (nothing but pip): its ``bin`` folder."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
    return folder / "bin"


def user_env(home: Path, *first_on_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a person (or a runner) whose shell looks for commands in ``first_on_path`` first
    (a virtual environment's ``bin``, a folder with a recording ``gh``), then in the system's folders.

    HOME is ``home``, so neither the user's git configuration nor their pip
    configuration is read; git gets a name of its own and commits never sign.
    PIP_CONSTRAINT holds pip to the versions this checkout tests with
    (constraints.txt), so a day's new release of a dependency does not change
    the outcome. Variables a CI run or the suite sets (GITHUB_*, SOURCE_DATE_EPOCH,
    VIRTUAL_ENV, PYTHON*) are left out unless given in ``extra``.
    """
    home.mkdir(parents=True, exist_ok=True)
    gitconfig = home / ".gitconfig"
    if not gitconfig.exists():
        gitconfig.write_text(
            "[user]\n\tname = Anna Example\n\temail = anna@example.com\n"
            "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n",
            encoding="utf-8",
        )
    keep = ("LANG", "LC_ALL", "TMPDIR", "PIP_FIND_LINKS", "PIP_CERT", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    return {
        **env,
        "PATH": ":".join([*map(str, first_on_path), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PIP_CONSTRAINT": str(CONSTRAINTS),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_MKDOCS_2_WARNING": "1",
        "NO_COLOR": "1",
        **extra,
    }
