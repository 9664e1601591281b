"""Time one hostile plan at the size limit (1 MiB) in `kamdocs check` and `mkdocs build`, against a floor.

Usage: python3 benchmarks/hostile_plans.py [CLASS ...]     (default: every class in tests/hostile_bodies.py)

The floor is the same command on a repository holding one ordinary plan of the same size (only
paragraphs of prose): what any plan of 1 MiB costs. Each hostile class is run the same way, each
command as a fresh process, best of RUNS, and the floor once before and once after the classes
(the lower counts: a shared machine's load changes); the figure that matters is the difference, which issue 19
wants at most 5 s for `check` and for a build (with Material and its search plugin). A run that
passes TIMEOUT seconds is reported as such and stopped.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_bodies import HOSTILE, hostile_plan, prose_plan  # noqa: E402

RUNS = 3
TIMEOUT = 300
TARGET = 5.0
MKDOCS = """\
site_name: Plans
theme:
  name: material
  font: false
plugins:
  - search
  - kamdocs:
      git: false
      today: 2026-11-01
      on_invalid: warn
"""


def repository(root: Path, plan_id: str, text: str) -> Path:
    repo = root / plan_id
    (repo / "plans").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# Plans\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (repo / "plans" / f"{plan_id}.md").write_text(text, encoding="utf-8")
    return repo


def timed(command: list[str], cwd: Path, ok: tuple[int, ...]) -> float | None:
    """Seconds for the best of RUNS runs; None when one passes TIMEOUT. Any other exit than ``ok``, or a
    traceback, stops the benchmark: a command that failed early would look fast."""
    best = None
    env = {**os.environ, "GITHUB_ACTIONS": "", "NO_COLOR": "1"}
    for _ in range(RUNS):
        start = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            return None
        if done.returncode not in ok or b"Traceback" in done.stderr:
            raise SystemExit(f"{' '.join(command[1:4])} in {cwd.name}: exit {done.returncode}\n{done.stderr[-2000:]!r}")
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def measure(repo: Path) -> tuple[float | None, float | None]:
    check = timed([sys.executable, "-m", "kamdocs", "check", "--today", "2026-11-01"], repo, (0, 1))  # 1: findings
    site = repo.parent / f"{repo.name}-site"
    build = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], repo, (0,))
    shutil.rmtree(site, ignore_errors=True)
    return check, build


def shown(seconds: float | None, floor: float | None) -> str:
    if seconds is None:
        return f"> {TIMEOUT} s".rjust(16)
    extra = "" if floor is None else f" ({seconds - floor:+.2f})"
    return f"{seconds:6.2f} s{extra}".rjust(16)


def main(names: list[str]) -> int:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    print(f"{time.strftime('%Y-%m-%d')}, commit {commit.strip()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    print(f"{'plan (1 MiB)':<20}{'check':>16}{'mkdocs build':>16}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        prose = repository(Path(tmp), "prose", prose_plan())
        floor_check, floor_build = measure(prose)
        print(f"{'prose (floor)':<20}{shown(floor_check, None)}{shown(floor_build, None)}", flush=True)
        rows = {name: measure(repository(Path(tmp), name, hostile_plan(name))) for name in names}
        # The floor again at the end, and the lower of the two: on a shared machine the load changes.
        again_check, again_build = measure(prose)
        print(f"{'prose (again)':<20}{shown(again_check, None)}{shown(again_build, None)}")
        floor_check = min(x for x in (floor_check, again_check) if x is not None)
        floor_build = min(x for x in (floor_build, again_build) if x is not None)
        for name, (check, build) in rows.items():
            over = [c is None or c - f > TARGET for c, f in ((check, floor_check), (build, floor_build))]
            failed |= any(over)
            flag = "  OVER 5 s" if any(over) else ""
            print(f"{name:<20}{shown(check, floor_check)}{shown(build, floor_build)}{flag}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or sorted(HOSTILE)))
