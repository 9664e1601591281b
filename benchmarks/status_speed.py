"""Time `kamdocs status` on a git repository of 1,000 plans with 20 commits each.

Usage: python3 benchmarks/status_speed.py [PLANS [COMMITS_PER_PLAN]]

The history is written with `git fast-import` (20,000 commits in seconds),
with fixed dates. The target (issue 3): `kamdocs status` takes at most twice
the sum of two floors measured in the same run: one `git log --name-only`
over the repository, and the check floor of check_speed.py (reading the
plans and composing their front matter with libyaml).

Issue 22 adds the history: a fresh process reads the log and judges every
version of every plan (`kamdocs.report.timeline.timelines`, 20,000 versions),
cold with no cache, then warm from the history cache a first run filled. Each
must take at most twice the same floor and at most 400 MB; the script exits 1
when any target is missed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from check_speed import FLOOR, OUT, best, cpu_model, timed  # noqa: E402
from generate_plans import generate  # noqa: E402

RATIO_TARGET = 2.0
MEMORY_TARGET_MB = 400

HISTORY = """
import sys
from pathlib import Path
from kamdocs.config.mkdocs_yml import load_config
from kamdocs.history.log import read_history
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.history_cache import HistoryCache
from kamdocs.report.timeline import Judge, timelines
config = load_config(cwd=Path.cwd())
validator = PlanValidator(config)
history = read_history(config.root, config.plans_path)
cache = HistoryCache.for_run(config.root, config, validator.schema) if sys.argv[1] == "warm" else None
lines = timelines(sorted(history.files), history, Judge(config, validator), cache=cache)
versions = sum(len(line.points) for line in lines.values())
valid = sum(p.figures.kind == "valid" for line in lines.values() for p in line.points)
if versions != int(sys.argv[2]) or valid != versions:
    sys.exit(f"expected {sys.argv[2]} valid versions, found {versions} ({valid} valid)")
"""

VERSIONS_FLOOR = """
import subprocess, yaml
log = subprocess.run(["git", "log", "--format=", "--raw", "--no-abbrev", "--", "plans"], capture_output=True, text=True)
blobs = [line.split()[3] for line in log.stdout.splitlines() if line.startswith(":")]
data = subprocess.run(["git", "cat-file", "--batch"], input=("\\n".join(blobs) + "\\n").encode(), capture_output=True).stdout
at = 0
while at < len(data):
    end = data.index(b"\\n", at)
    size = int(data[at:end].split()[2])
    text = data[end + 1 : end + 1 + size].decode()
    at = end + size + 2
    yaml.compose(text.split("\\n---\\n", 1)[0][4:], Loader=yaml.CSafeLoader)
"""
"""Not a target: the check floor's work done for every version (read it from git, compose its front matter
with libyaml), which any judging of every version must do at least, to show what the target asks."""
EPOCH = 1767225600  # 2026-01-01T00:00:00Z


def build_repository(plans: int, commits_each: int) -> Path:
    repo = OUT / f"git-{plans}x{commits_each}"
    if (repo / "plans").is_dir() and len(list((repo / "plans").iterdir())) == plans:
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    source = OUT / f"source-{plans}"
    generate(plans, source)
    texts = {p.name: p.read_bytes() for p in sorted(source.iterdir())}
    repo.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    stream = bytearray()
    for round_ in range(commits_each):
        for index, (name, text) in enumerate(texts.items()):
            # Each revision changes the goal's actual value, as a quarterly update would.
            body = text.replace(b"  actual: ", b"  actual: " + str(round_).encode(), 1)
            when = EPOCH + (round_ * plans + index) * 600
            message = f"Update {name} (revision {round_ + 1})".encode()
            stream += b"commit refs/heads/main\n"
            stream += b"author Bench KAM <kam@example.com> %d +0000\n" % when
            stream += b"committer Bench KAM <kam@example.com> %d +0000\n" % when
            stream += b"data %d\n%s\n" % (len(message), message)
            stream += b"M 100644 inline plans/%s\ndata %d\n%s\n" % (name.encode(), len(body), body)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    return repo


def main(plans: int, commits_each: int) -> int:
    repo = build_repository(plans, commits_each)
    print(f"machine: {cpu_model()}")
    print(f"repository: {plans} plans x {commits_each} commits = {plans * commits_each} commits")
    git_log, _ = best(["git", "log", "--name-only", "--format=%H", "--", "plans"], repo)
    floor, _ = best([sys.executable, "-c", FLOOR, "plans"], repo)
    status, peak = best([sys.executable, "-m", "kamdocs", "status", "--format", "json", "--today", "2027-06-30"], repo)
    budget = git_log + floor
    ratio = status / budget
    print(f"git log --name-only: {git_log:.2f} s   check floor: {floor:.2f} s   sum: {budget:.2f} s")
    print(f"kamdocs status:      {status:.2f} s   peak {peak:.0f} MB")
    print(f"ratio: {ratio:.2f} (target <= {RATIO_TARGET})  {'ok' if ratio <= RATIO_TARGET else 'MISSED'}")
    failed = ratio > RATIO_TARGET
    versions = str(plans * commits_each)
    cache = repo / ".cache" / "kamdocs"
    shutil.rmtree(cache, ignore_errors=True)
    cold, cold_peak = best([sys.executable, "-c", HISTORY, "cold", versions], repo)
    timed([sys.executable, "-c", HISTORY, "warm", versions], repo)  # fills the cache
    warm, warm_peak = best([sys.executable, "-c", HISTORY, "warm", versions], repo)
    shutil.rmtree(cache, ignore_errors=True)
    every, _ = best([sys.executable, "-c", VERSIONS_FLOOR], repo)
    print(f"(not a target) the check floor's work for every version: {every:.2f} s, {every / budget:.2f} x the sum")
    for label, seconds, peak in (("cold, no cache", cold, cold_peak), ("warm, from the cache", warm, warm_peak)):
        ok = seconds / budget <= RATIO_TARGET and peak <= MEMORY_TARGET_MB
        failed |= not ok
        print(
            f"every version judged, {label}: {seconds:.2f} s   ratio {seconds / budget:.2f} "
            f"(target <= {RATIO_TARGET})   peak {peak:.0f} MB (target <= {MEMORY_TARGET_MB})  "
            f"{'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    sys.exit(main(args[0] if args else 1000, args[1] if len(args) > 1 else 20))
