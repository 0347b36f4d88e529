"""Batch screening speed. Run: make bench (1,000,000 rows) or make bench-memory (10,000,000 rows).

Reports, on the installed package (or PYTHONPATH), side by side in one run:
- 1,000,000 synthetic rows, every column, the whole rulebook, cells checked, Parquet in and out:
  in process (compiled once, median of 3: wall and CPU seconds) and as a whole `hegui screen`
  process (imports, rulebook and compilation included);
- the per-row cost of `assess` in-process on rows of the same table (sampled), and the ratio;
- the peer benchmark's two DuckDB rows (../shared/peer-bench: its hand-written query and hegui's
  screen, run in turn, median of 3) when its data has been generated (`bash
  ../shared/peer-bench/run.sh --only hegui,duckdb` once, or BENCH_DATA=DIR), and their ratio;
- Spark local on a smaller table;
- with --memory: peak resident memory while screening a 10,000,000-row Parquet file.
Targets (issue 13 §2): 1,000,000 rows in under 1 s on 2 cores; at least 500 times faster per row
than assess; the peer ratio hegui/duckdb at most 1.0; 10,000,000 rows under 2 GB resident.
The machine is shared: the load average is printed before and after, and CPU seconds beside
wall seconds (CPU time moves far less with other work than wall time does).
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = datetime.date(2026, 11, 25)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_run(fn, times: int = 3) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds of this process) over `times` runs of fn."""
    walls, cpus = [], []
    for _ in range(times):
        cpu = time.process_time()
        wall, _ = timed(fn)
        walls.append(wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


PEER = Path(__file__).resolve().parent.parent.parent / "shared" / "peer-bench"


def peer_ratio(work: Path) -> None:
    """The peer benchmark's hand-written DuckDB query and hegui's screen on its 1M rows, in turn."""
    data = Path(os.environ.get("BENCH_DATA", Path.home() / ".cache" / "hegui-peer-bench" / "data"))
    rows = data / "rows.parquet"
    if not (PEER / "engine_duckdb.py").exists() or not rows.exists():
        print(f"peer benchmark: no data at {rows}; run `bash ../shared/peer-bench/run.sh --only hegui,duckdb` once")
        return
    sys.path.insert(0, str(PEER))
    import engine_duckdb
    import engine_hegui
    engines = {"duckdb hand-written": engine_duckdb.run, "hegui screen": engine_hegui.run}
    for run in engines.values():   # warm: the OS cache, hegui's compiled query
        run(str(rows), None, str(work / "peer-warm.parquet"))
    walls, cpus = {name: [] for name in engines}, {name: [] for name in engines}
    for _ in range(3):
        for name, run in engines.items():
            cpu = time.process_time()
            walls[name].append(timed(lambda run=run: run(str(rows), None, str(work / "peer.parquet")))[0])
            cpus[name].append(time.process_time() - cpu)
    (duck, ours), (duck_cpu, ours_cpu) = ([statistics.median(f[n]) for n in engines] for f in (walls, cpus))
    # Both write Parquet with DuckDB's defaults (Snappy, DuckDB's row groups): the hand-written
    # query three text columns, hegui one enum column per obligation (about 35).
    print(f"peer benchmark, 1,000,000 rows, median of 3 in turn: duckdb hand-written {duck:.2f} s wall, "
          f"{duck_cpu:.2f} s CPU; hegui screen {ours:.2f} s wall, {ours_cpu:.2f} s CPU: ratio hegui/duckdb "
          f"{ours / duck:.2f} wall, {ours_cpu / duck_cpu:.2f} CPU (target <= 1.0)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--spark-rows", type=int, default=100_000)
    parser.add_argument("--memory", action="store_true", help="screen 10,000,000 rows in a child process and "
                                                             "report its peak resident memory")
    args = parser.parse_args()
    # The engine's answer per row is the test oracle (tests/batch/reference.py), timed here against SQL.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "batch"))
    from reference import engine_statuses
    from hegui.batch.screen import screen_duckdb, typed_rows
    from hegui.batch.synth import synth

    work = Path(tempfile.mkdtemp(prefix="hegui-bench-"))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; as of {AS_OF}")
    if args.memory:
        table = work / "10m.parquet"
        seconds, _ = timed(lambda: synth(10_000_000, 1, table))
        print(f"synth 10,000,000 rows: {seconds:.1f} s ({table.stat().st_size / 1e9:.2f} GB)")
        hegui = Path(sys.executable).parent / "hegui"
        start = time.perf_counter()
        subprocess.run([str(hegui), "screen", str(table), "--as-of", str(AS_OF), "--out", str(work / "10m-out.parquet")],
                       check=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"screen 10,000,000 rows with duckdb: {time.perf_counter() - start:.1f} s, "
              f"peak resident memory {peak:,.0f} MB (target < 2,048 MB)")
        return

    table = work / "rows.parquet"
    seconds, _ = timed(lambda: synth(args.rows, 1, table))
    print(f"synth {args.rows:,} rows: {seconds:.1f} s; {load()}")
    hegui = Path(sys.executable).parent / "hegui"
    process, _ = timed(lambda: subprocess.run([str(hegui), "screen", str(table), "--as-of", str(AS_OF), "--out",
                                               str(work / "process-out.parquet")], check=True, capture_output=True))
    screen_duckdb(table, AS_OF, work / "warm-out.parquet")  # warm the OS cache and compile
    wall, cpu = median_run(lambda: screen_duckdb(table, AS_OF, work / "out.parquet"))
    duck_per_row = wall / args.rows
    print(f"duckdb: {args.rows:,} rows, every column, full rulebook, cells checked, Parquet in and out: "
          f"{wall:.2f} s wall, {cpu:.2f} s CPU in process, median of 3 ({args.rows / wall:,.0f} rows/s; "
          f"target < 1 s); `hegui screen` as a whole process: {process:.2f} s")

    sample = work / "sample.parquet"
    synth(2_000, 1, sample)
    columns, rows = typed_rows(sample, AS_OF)
    seconds, _ = timed(lambda: [engine_statuses(r, columns, i, AS_OF) for i, r in enumerate(rows, 1)])
    assess_per_row = seconds / len(rows)
    print(f"assess in process: {assess_per_row * 1e6:,.0f} us per row (sampled {len(rows):,} rows); "
          f"duckdb is {assess_per_row / duck_per_row:,.0f} times faster per row (target >= 500)")
    peer_ratio(work)
    print(load())

    try:
        from hegui.batch.spark import screen_spark, session
    except ImportError:
        print("spark: not installed (pip install 'hegui[spark]')")
        return
    small = work / "spark.parquet"
    synth(args.spark_rows, 2, small)
    spark = session()
    spark.sparkContext.setLogLevel("ERROR")
    screen_spark(small, AS_OF, work / "spark-warm.parquet", spark=spark)
    seconds, _ = timed(lambda: screen_spark(small, AS_OF, work / "spark-out.parquet", spark=spark))
    print(f"spark local[*]: {args.spark_rows:,} rows: {seconds:.2f} s ({args.spark_rows / seconds:,.0f} rows/s)")
    spark.stop()


if __name__ == "__main__":
    main()
