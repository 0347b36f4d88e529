"""Commands for tables: screen (every row through the compiled rulebook), synth (test inventories)."""

from __future__ import annotations

import time

import click

from hegui.cli.base import as_of_option, bad, cli


@cli.command()
@click.argument("table", type=click.Path(dir_okay=False))
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="duckdb runs embedded; spark runs on PySpark (pip install 'hegui[spark]').")
@as_of_option
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True,
              help="Result file: .parquet or .csv (one row per input row, a status column per obligation).")
@click.option("--explain", is_flag=True,
              help="Also give each unknown status's missing facts and each applying status's deadline.")
def screen(table, engine, as_of, out, explain):
    """Screen TABLE (.csv, .parquet or .jsonl; one manifest per row, columns named by fact path)."""
    from hegui.calendar.clock import today
    as_of = as_of or today()
    if not out.lower().endswith((".parquet", ".csv")):
        bad(f"--out: expected a file name ending in .parquet or .csv, got {out!r}")
    start = time.perf_counter()
    if engine == "spark":
        from hegui.batch.spark import screen_spark
        rows = screen_spark(table, as_of, out)
    else:
        from hegui.batch.screen import screen_duckdb
        rows = screen_duckdb(table, as_of, out)
    if explain:
        from hegui.screen_explain import add_explanations
        add_explanations(table, out, as_of)
    click.echo(f"hegui: screened {rows:,} rows as of {as_of} with {engine} in "
               f"{time.perf_counter() - start:.2f} s -> {out}", err=True)


@cli.command()
@click.option("--rows", type=click.IntRange(min=1), required=True, help="How many rows.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same table.")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help=".parquet, .csv or .jsonl")
def synth(rows, seed, out):
    """Write a synthetic inventory of ROWS flattened manifests, for tests and benchmarks."""
    from hegui.batch.synth import synth as write
    if not out.lower().endswith((".parquet", ".csv", ".jsonl", ".ndjson")):
        bad(f"--out: expected a file name ending in .parquet, .csv or .jsonl, got {out!r}")
    write(rows, seed, out)
    click.echo(f"hegui: wrote {rows:,} synthetic rows (seed {seed}) to {out}", err=True)
