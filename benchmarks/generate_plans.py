"""Write N realistic, valid plans (both kinds) into a folder, deterministically.

Usage: python3 benchmarks/generate_plans.py N OUTDIR

The plans look like the samples in plans/: a one-page plan has 2-3 success
factors with conditions, obstacles and one commitment per obstacle; a full plan
has KPIs, a buying centre and the nine body sections. Every third plan is full.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from kamdocs.config import DEFAULT_FULL_SECTIONS

AREAS = ["Process Analytics", "Laboratory Instruments", "Industrial Weighing", "Service", "Product Inspection"]
OWNERS = [
    f"{n}@example.com"
    for n in ("anna.keller", "marco.rossi", "lea.brunner", "jonas.meier", "sofia.weber", "nico.schmid")
]
REVIEWERS = ["petra.vogel@example.com", "urs.baumann@example.com", "klara.roth@example.com", "daniel.frey@example.com"]
INTERVALS = ["monthly", "quarterly", "quarterly", "semiannual", "annual", "P6W", "P90D"]
STATUSES = ["open", "in-progress", "done", "dropped", "open"]
WORDS = [
    "validation",
    "capacity",
    "specification",
    "engineering",
    "service",
    "coverage",
    "budget",
    "tender",
    "procurement",
    "calibration",
    "uptime",
    "integration",
    "audit",
    "contract",
    "renewal",
    "pilot",
    "reference",
    "training",
    "spares",
    "lead-time",
    "approval",
]
SECTIONS = DEFAULT_FULL_SECTIONS


def sentence(rng: random.Random, n: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def day(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def plan(i: int, rng: random.Random) -> str:
    plan_id = f"account-{i:05d}"
    full = i % 3 == 0
    lines = [
        "---",
        f"id: {plan_id}",
        f"account: Customer {i} AG",
        f"kind: {'full' if full else 'one-page'}",
        f"owner: {rng.choice(OWNERS)}",
        f"team: [{rng.choice(OWNERS)}, {rng.choice(OWNERS)}]",
        f"business_area: {rng.choice(AREAS)}",
        f"region: {rng.choice(['DACH', 'Nordics', 'UK', 'France'])}",
        f"tier: {rng.choice('ABC')}",
        "tags: [benchmark]",
        "review:",
        f"  interval: {rng.choice(INTERVALS)}",
        f"  last_reviewed: {day(rng, 2026)}",
        f"  reviewer: {rng.choice(REVIEWERS)}",
        "goal:",
        f"  statement: {sentence(rng, 10)}",
        "  metric: order intake",
        f"  target: {rng.randint(100, 5000) * 1000}",
        f"  unit: {rng.choice(['CHF', 'EUR', 'units'])}",
        f"  baseline: {rng.randint(0, 100) * 1000}",
        f"  actual: {rng.randint(0, 4000) * 1000}",
        "  period:",
        "    start: 2026-01-01",
        "    end: 2026-12-31",
    ]
    obstacles = []
    if not full:
        lines.append("success_factors:")
        for f in range(rng.randint(2, 3)):
            lines += [f"  - id: csf-{f}", f"    statement: {sentence(rng)}", "    conditions:"]
            for c in range(2):
                lines += [f"      - id: nc-{f}-{c}", f"        statement: {sentence(rng)}", "        obstacles:"]
                for o in range(rng.randint(1, 2)):
                    obstacles.append(f"obs-{f}-{c}-{o}")
                    lines += [f"          - id: obs-{f}-{c}-{o}", f"            statement: {sentence(rng)}"]
    lines.append("commitments:")
    for n, obstacle in enumerate(obstacles or ["none", "none"]):
        lines += [
            f"  - id: c-{n}",
            f"    action: {sentence(rng, 6)}",
            f"    owner: {rng.choice(OWNERS)}",
            f"    due: {day(rng, rng.choice([2026, 2027]))}",
            f"    status: {rng.choice(['open', 'in-progress', 'done'])}",
        ]
        if obstacles:
            lines.append(f"    resolves: [{obstacle}]")
    if full:
        lines.append("kpis:")
        for k in range(3):
            lines += [
                f"  - id: kpi-{k}",
                f"    name: {sentence(rng, 3)}",
                '    unit: "%"',
                f"    target: {rng.randint(50, 100)}",
                f"    actual: {rng.randint(20, 100)}",
                f"    as_of: {day(rng, 2026)}",
                f"    direction: {rng.choice(['higher-is-better', 'lower-is-better'])}",
            ]
    lines.append("buying_center:")
    for b in range(rng.randint(2, 4)):
        lines += [
            f"  - name: Contact {b}",
            f"    title: {sentence(rng, 2)}",
            f"    role: {rng.choice(['economic-buyer', 'technical-buyer', 'user-buyer', 'coach', 'champion'])}",
            f"    attitude: {rng.choice(['supporter', 'neutral', 'skeptic'])}",
            f"    influence: {rng.choice(['high', 'medium', 'low'])}",
            f"    last_contact: {day(rng, 2026)}",
        ]
    lines.append("---")
    lines.append("")
    if full:
        for title in SECTIONS:
            lines += [f"## {title}", "", sentence(rng, 30), ""]
    else:
        lines += [sentence(rng, 40), ""]
    return "\n".join(lines)


def generate(count: int, folder: Path, seed: int = 2026) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"account-{i:05d}.md").write_text(plan(i, rng), encoding="utf-8")


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
