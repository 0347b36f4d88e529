"""How fast is one assessment? Run: make bench

Measures the installed package, as a user runs it:
- in process: assess() of a realistic manifest with every rule, many times;
- as a whole process: `hegui assess` of a small manifest, interpreter start included, with the
  compiled rulebook in the cache (as every run after the first finds it) and without it.
Targets: under 1 ms per assessment on one core (issue 2); under 0.25 s per process (issue 13).
"""

from __future__ import annotations

import datetime
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
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


# The whole-process run: the README's quick-start manifest.
PROCESS_EXAMPLE = HERE.parent / "examples" / "jobs-platform.yaml"
PROCESS_AS_OF = datetime.date(2024, 6, 20)


def whole_process(runs: int = 7, cached: bool = True) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of `hegui assess --format json` as a new process.
    CPU time varies less than wall time on a busy machine."""
    hegui = Path(sys.executable).parent / "hegui"
    command = [str(hegui), "assess", str(PROCESS_EXAMPLE), "--as-of", str(PROCESS_AS_OF), "--format", "json"]
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, HEGUI_CACHE_DIR=cache if cached else "")
        # An installed package has its bytecode compiled when installed: let the first run write it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(command, check=True, capture_output=True, env=env)   # fills the cache: not timed
        walls, cpus = [], []
        for _ in range(runs):
            before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    manifest, rulebook = read_manifest(str(EXAMPLE)), default_rulebook()
    findings = len(assess(manifest, AS_OF, rulebook).findings)
    per_assessment = best_of(lambda: assess(manifest, AS_OF, rulebook))
    with_json = best_of(lambda: render_json(assess(manifest, AS_OF, rulebook), indent=None))
    process, process_cpu = whole_process()
    cold, cold_cpu = whole_process(cached=False)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"manifest: {EXAMPLE.name} ({findings} findings from {len(default_rulebook().obligations)} obligations)")
    print(f"assess() in process: {per_assessment * 1e6:,.0f} us per assessment "
          f"({1 / per_assessment:,.0f} assessments/s on one core; target < 1,000 us)")
    print(f"assess() and its compact JSON report, reasons included: {with_json * 1e6:,.0f} us")
    print(f"`hegui assess` whole process ({PROCESS_EXAMPLE.name}, JSON): {process:.3f} s median of 7, "
          f"{process_cpu:.3f} s CPU (target < 0.25 s); without the rulebook cache {cold:.3f} s, {cold_cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
