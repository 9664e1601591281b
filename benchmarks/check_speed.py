"""Time `kamdocs check` on 1,000 and 10,000 generated plans against a floor.

Usage: python3 benchmarks/check_speed.py [N ...]     (default: 1000 10000)

The floor is the least any checker must do: read the same files and compose
their front matter with libyaml (CSafeLoader), in one process. Both the floor
and `kamdocs check` run as fresh processes, so both pay interpreter start-up;
each is timed best of three. Peak memory is the largest maximum resident
set size of the check process or one of its workers. The check runs twice:
with ``--jobs 1``, one process like the floor, and with its default (one
worker per core from 400 plans on). Targets (issue 2): at most 3x the floor and 300 MB at
10,000 plans.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_plans import generate  # noqa: E402

OUT = HERE / "out"
RATIO_TARGET = 3.0
MEMORY_TARGET_MB = 300
RUNS = 3

FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).iterdir()):
    text = path.read_text(encoding="utf-8")
    front = text.split("\\n---\\n", 1)[0][4:]
    yaml.compose(front, Loader=yaml.CSafeLoader)
"""


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def best(command: list[str], cwd: Path) -> tuple[float, float]:
    runs = [timed(command, cwd) for _ in range(RUNS)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def corpus(count: int) -> Path:
    folder = OUT / f"repo-{count}"
    plans = folder / "plans"
    if not plans.is_dir() or len(list(plans.iterdir())) != count:
        generate(count, plans)
    return folder


def alias_bomb_ms() -> float:
    """How long the loader takes to refuse a billion-laughs document."""
    from kamdocs.plan.loader import parse_bytes

    levels = ["a: &a [" + ",".join(['"lol"'] * 9) + "]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    raw = ("---\nid: bomb\n" + "\n".join(levels) + "\n---\n").encode()
    start = time.perf_counter()
    for _ in range(100):
        loaded = parse_bytes(raw, "bomb.md")
    assert loaded.findings[0].rule == "yaml-anchor"
    return (time.perf_counter() - start) * 10  # ms per document


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(counts: list[int]) -> int:
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"{'plans':>7} {'floor s':>8} {'check s':>8} {'ratio':>6} {'peak MB':>8}  verdict")
    failed = False
    for count in counts:
        repo = corpus(count)
        floor, _ = best([sys.executable, "-c", FLOOR, "plans"], repo)
        command = [sys.executable, "-m", "kamdocs", "check", "plans", "--format", "json"]
        for label, extra in (("1 process", ["--jobs", "1"]), ("default", [])):
            check, peak = best([*command, *extra], repo)
            ratio = check / floor
            ok = ratio <= RATIO_TARGET and (count < 10_000 or peak <= MEMORY_TARGET_MB)
            failed |= not ok
            print(
                f"{count:>7} {floor:>8.2f} {check:>8.2f} {ratio:>6.2f} {peak:>8.0f}  {'ok' if ok else 'MISSED'} ({label})"
            )
    print(f"alias bomb (9 levels of 9) refused in {alias_bomb_ms():.2f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [1000, 10_000]))
