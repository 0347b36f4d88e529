"""Batch screening speed. Run: make bench (1,000,000 rows) or make bench-memory (10,000,000 rows).

Reports, on the installed package:
- rows per second through DuckDB with the full rulebook, Parquet in and out;
- the per-row cost of `assess` in-process on rows of the same table (sampled), and the ratio;
- Spark local on a smaller table;
- with --memory: peak resident memory while screening a 10,000,000-row Parquet file.
Targets (issue 5): 1,000,000 rows in under 1 s on 2 cores; at least 500 times faster per row than
assess; 10,000,000 rows under 2 GB resident.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
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
    print(f"synth {args.rows:,} rows: {seconds:.1f} s")
    screen_duckdb(table, AS_OF, work / "warm-out.parquet")  # warm the OS cache
    seconds, _ = timed(lambda: screen_duckdb(table, AS_OF, work / "out.parquet"))
    duck_per_row = seconds / args.rows
    print(f"duckdb: {args.rows:,} rows, full rulebook, Parquet in and out: {seconds:.2f} s "
          f"({args.rows / seconds:,.0f} rows/s; target < 1 s)")

    sample = work / "sample.parquet"
    synth(2_000, 1, sample)
    columns, rows = typed_rows(sample, AS_OF)
    seconds, _ = timed(lambda: [engine_statuses(r, columns, i, AS_OF) for i, r in enumerate(rows, 1)])
    assess_per_row = seconds / len(rows)
    print(f"assess in process: {assess_per_row * 1e6:,.0f} us per row (sampled {len(rows):,} rows); "
          f"duckdb is {assess_per_row / duck_per_row:,.0f} times faster per row (target >= 500)")

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
