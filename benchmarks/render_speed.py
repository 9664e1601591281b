"""Time ``kamdocs serve``'s re-render after one plan changes against a full render, at PLANS plans.

Usage: python3 benchmarks/render_speed.py [PLANS]     (default: 1000)

Both are measured in the same process and run, best of RUNS, and both include
writing the changed files into the rendered folder, as serve does:

- full: check every plan, read git history, render every page, asset and
  download (SiteRenderer.full + write_rendered), as ``kamdocs render`` does;
- one changed plan: one plan file edited (its goal's actual), then
  SiteRenderer.update with that file + write_rendered, as each round of
  ``kamdocs serve`` does.

Target (issue 11): the re-render at most 0.2x the full render at 1,000 plans.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from check_speed import OUT, cpu_model  # noqa: E402
from generate_plans import generate  # noqa: E402

from kamdocs.calendar.clock import resolve_today  # noqa: E402
from kamdocs.config import load_config  # noqa: E402
from kamdocs.plan.validation import PlanValidator  # noqa: E402
from kamdocs.site.output_folder import write_rendered  # noqa: E402
from kamdocs.site.render import SiteRenderer  # noqa: E402

RATIO_TARGET = 0.2
RUNS = 5


def project(count: int) -> Path:
    repo = OUT / f"render-{count}"
    if (repo / "plans").is_dir() and len(list((repo / "plans").iterdir())) == count:
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    generate(count, repo / "plans")
    (repo / "mkdocs.yml").write_text(
        "site_name: Bench\nplugins:\n  - kamdocs:\n      today: '2026-11-22'\n", encoding="utf-8"
    )
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=b@example.com", "commit", "-q", "-m", "plans"],
                   cwd=repo, check=True)  # fmt: skip
    return repo


def main(count: int) -> int:
    repo = project(count)
    config = load_config(repo / "mkdocs.yml")
    today = resolve_today(config.today)
    print(f"machine: {cpu_model()}")
    fulls, updates = [], []
    plan = sorted((repo / "plans").glob("*.md"))[count // 2]
    original = plan.read_text(encoding="utf-8")
    try:
        for run in range(RUNS):
            out = Path(tempfile.mkdtemp(prefix="render-bench-"))
            renderer = SiteRenderer(config, PlanValidator(config), today)
            start = time.perf_counter()
            assert renderer.full().stop is None
            write_rendered(out, renderer.files)
            fulls.append(time.perf_counter() - start)
            plan.write_text(original.replace("actual: ", f"actual: {run + 1}", 1), encoding="utf-8")
            start = time.perf_counter()
            renderer.update([plan])
            written = write_rendered(out, renderer.files, trusted=True)  # as serve writes its overlay
            updates.append(time.perf_counter() - start)
            shutil.rmtree(out)
    finally:
        plan.write_text(original, encoding="utf-8")
    full, update = min(fulls), min(updates)
    ratio = update / full
    print(f"{count} plans: full render {full:.2f} s, one changed plan {update:.2f} s "
          f"({len(written.written)} files rewritten of {len(renderer.files)})")  # fmt: skip
    print(f"ratio: {ratio:.2f} (target <= {RATIO_TARGET})  {'ok' if ratio <= RATIO_TARGET else 'MISSED'}")
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
