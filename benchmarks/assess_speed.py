"""How fast is one assessment? Run: make bench

Measures the installed package, as a user runs it:
- in process: assess() of a realistic manifest with every rule, many times;
- as a whole process: `hegui assess` of a small manifest, cold start included.
Targets (issue 2): under 1 ms per assessment on one core; under 0.5 s per process.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from hegui.engine import assess
from hegui.manifest import read_manifest
from hegui.report.json_report import render_json
from hegui.rulebook import default_rulebook

HERE = Path(__file__).resolve().parent
# A large group with services, transfers, a listing and a merger: most rules have a subject.
EXAMPLE = HERE.parent / "examples" / "internet-group.yaml"
AS_OF = datetime.date(2026, 11, 25)


def best_of(job, rounds: int = 5, per_round: int = 1000) -> float:
    for _ in range(200):  # warm caches
        job()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            job()
        best = min(best, (time.perf_counter() - start) / per_round)
    return best


def whole_process(runs: int = 7) -> float:
    hegui = Path(sys.executable).parent / "hegui"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(hegui), "assess", str(EXAMPLE), "--as-of", str(AS_OF), "--format", "json"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    manifest, rulebook = read_manifest(str(EXAMPLE)), default_rulebook()
    findings = len(assess(manifest, AS_OF, rulebook).findings)
    per_assessment = best_of(lambda: assess(manifest, AS_OF, rulebook))
    with_json = best_of(lambda: render_json(assess(manifest, AS_OF, rulebook), indent=None))
    process = whole_process()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"manifest: {EXAMPLE.name} ({findings} findings from {len(default_rulebook().obligations)} obligations)")
    print(f"assess() in process: {per_assessment * 1e6:,.0f} us per assessment "
          f"({1 / per_assessment:,.0f} assessments/s on one core; target < 1,000 us)")
    print(f"assess() and its compact JSON report, reasons included: {with_json * 1e6:,.0f} us")
    print(f"`hegui assess` whole process: {process:.3f} s median of 7 (target < 0.5 s)")


if __name__ == "__main__":
    main()
