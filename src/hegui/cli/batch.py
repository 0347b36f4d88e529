"""Commands for tables: screen (every row through the compiled rulebook), synth (test inventories)."""

from __future__ import annotations

import os
import time

import click

from hegui.cli.base import as_of_option, bad, cli


@cli.command()
@click.argument("table", type=click.Path(dir_okay=False))
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="duckdb runs embedded; spark runs on PySpark (pip install 'hegui[spark]').")
@as_of_option
@click.option("--out", "out", type=click.Path(), required=True,
              help="Result file: .parquet or .csv (one row per input row, a status column per obligation); "
                   "with spark, a name ending in / is a folder of part files.")
@click.option("--obligations", "obligations", metavar="ID,...",
              help="Screen only these obligations (comma-separated ids, as `hegui rules` lists them).")
@click.option("--explain", is_flag=True,
              help="Also give each unknown status's missing facts and each applying status's deadline.")
@click.option("--master", metavar="URL", envvar="SPARK_MASTER",
              help="Spark only: the cluster, e.g. spark://host:7077 or yarn [env SPARK_MASTER; default local[*]].")
@click.option("--spark-conf", "spark_conf", metavar="KEY=VALUE", multiple=True,
              help="Spark only: a Spark setting, e.g. spark.executor.memory=2g (repeatable).")
@click.option("--spark-progress", is_flag=True, envvar="HEGUI_SPARK_PROGRESS",
              help="Spark only: show Spark's progress bars [env HEGUI_SPARK_PROGRESS=1].")
def screen(table, engine, as_of, out, obligations, explain, master, spark_conf, spark_progress):
    """Screen TABLE (.csv, .parquet or .jsonl; one manifest per row, columns named by fact path).

    The table format (batch/table.py):

    \b
    - One row per organisation, read as one manifest. `id` names the row in
      the result (else its row number); `organisation.name` names it too.
    - Every other column is a fact path, as the manifest and `hegui schema`
      name it: organisation.pi_individuals, transfer.includes_pi, listing.venue.
    - A row holds at most one entity of each kind (service, transfer, listing,
      concentration). With a `<kind>.id` column (listing.id), a row has that
      entity only where the cell is filled: an empty cell means none. Without
      one, every row has an entity of each kind the table has columns of.
    - A field of a list's items is indexed:
      concentration.parties[0].turnover_china_rmb; an item exists in a row
      when any of its cells is filled.
    - A list of values is one cell, separated by ";" (service.content).
    - An empty cell is an unknown fact; a filled cell that is not what its
      fact needs is an error naming the column and the row.

    The result has `id` and a status column for each obligation the columns
    speak to: applies, does_not_apply, unknown or not_in_force; empty where the
    row has no entity of the obligation's kind.

    TABLE is a file name, never a pattern: a[1].csv reads the file named so.
    The result is written whole or not at all (a temporary file beside OUT,
    renamed when the screen, and --explain, succeeded); OUT may not be TABLE.
    """
    from hegui.calendar.clock import today
    as_of = as_of or today()
    if not out.rstrip("/").lower().endswith((".parquet", ".csv")):
        bad(f"--out: expected a file name ending in .parquet or .csv, got {out!r}")
    if out.endswith("/") and (engine != "spark" or explain):   # part files, written where the executors are
        bad(f"--out: a folder ({out!r}) is written by --engine spark only, and without --explain")
    if not out.endswith("/") and os.path.isdir(out):
        bad(f"--out: {out!r} is a folder; give a file name, or end the name in / for part files (spark)")
    if engine != "spark":
        given = click.get_current_context().get_parameter_source   # env vars may be set for other runs
        if any(given(n) == click.core.ParameterSource.COMMANDLINE
               for n in ("master", "spark_conf", "spark_progress")):
            bad("--master, --spark-conf and --spark-progress need --engine spark")
    if os.path.exists(out) and os.path.exists(table) and os.path.samefile(out, table):
        bad(f"--out: {out!r} is the table being screened; give another file name")
    only = _obligation_ids(obligations)
    start = time.perf_counter()

    def run(target):
        if engine == "spark":
            return _screen_spark(table, as_of, target, master, spark_conf, spark_progress, only)
        from hegui.batch.screen import screen_duckdb
        return screen_duckdb(table, as_of, target, obligations=only)

    if explain:
        from hegui.batch.output import replacing
        from hegui.screen_explain import add_explanations
        with replacing(out) as partial:   # out is replaced only once the explanations are in
            rows = run(partial)
            add_explanations(table, partial, as_of)
    else:
        rows = run(out)
    click.echo(f"hegui: screened {rows:,} rows as of {as_of} with {engine} in "
               f"{time.perf_counter() - start:.2f} s -> {out}", err=True)


def _obligation_ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        bad(f"--obligations: expected obligation ids separated by commas, got {text!r}")
    return ids


def _screen_spark(table, as_of, out, master, spark_conf, progress, only) -> int:
    from hegui.batch.spark import screen_spark, session
    conf = {}
    for item in spark_conf:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            bad(f"--spark-conf: expected KEY=VALUE, got {item!r}")
        conf[key.strip()] = value.strip()
    spark = session(master, conf, progress)
    try:
        return screen_spark(table, as_of, out, spark=spark, obligations=only)
    finally:
        spark.stop()   # on a cluster, frees the executors now rather than when the driver exits


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
