"""The same compiled SQL on Spark: locally (local[*]) or on a cluster from the usual Spark configuration.

Install with `pip install 'hegui[spark]'`. The master is `--master` (a URL such as
spark://host:7077), else SPARK_MASTER, else spark-submit's own configuration; without any, Spark
runs locally on every core. Output: a single Parquet or CSV file for a file name, or a folder of
part files for a name ending in / (for data beyond one machine).
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path

from sqlglot import exp

from hegui.batch.output import literal_path, replacing
from hegui.batch.screen import (
    READERS, ROW, bad_cells_select, bad_count_select, plan, problems_from, status_select, typed_select,
)
from hegui.manifest.errors import InputError, Problem
from hegui.rulebook import Rulebook

SPARK_TYPES = {"string": "VARCHAR", "boolean": "BOOLEAN", "date": "DATE", "bigint": "BIGINT", "int": "INTEGER",
               "smallint": "SMALLINT", "tinyint": "TINYINT", "double": "DOUBLE", "float": "FLOAT"}


def settings(progress: bool = False, conf: dict[str, str] | None = None) -> dict[str, str]:
    """The Spark configuration hegui runs with; `conf` (spark.executor.memory=1g, ...) comes last
    so it can override any of it."""
    return {
        # Local runs need no UI, and Spark's own network lookups have nowhere to go.
        "spark.ui.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        # sqlglot writes TRY_CAST for Spark as CAST, which returns NULL for a bad cell only with
        # ANSI mode off; the checks then find the cell and report it.
        "spark.sql.ansi.enabled": "false",
        # A command's stderr is for its own messages and real warnings: no progress bars unless
        # asked, and WARN from the context's start (spark.log.level), before any job could log.
        "spark.ui.showConsoleProgress": "true" if progress else "false",
        "spark.log.level": "WARN",
        **(conf or {}),
    }


def session(master: str | None = None, conf: dict[str, str] | None = None, progress: bool = False):
    """A Spark session on `master` (else SPARK_MASTER, spark-submit's configuration or local[*]),
    configured by `settings(progress, conf)`."""
    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName("hegui")
    master = master or os.environ.get("SPARK_MASTER")
    if master and not (master == "yarn" or master.startswith(("spark://", "k8s://", "local"))):
        # Spark's own rule; checked here so a typo gets one line rather than a JVM stack trace.
        raise InputError([Problem("--master", "", None,
                                  f"expected local[N], spark://HOST:PORT, yarn or k8s://..., got {master!r}")])
    if master:
        builder = builder.master(master)
    elif not os.environ.get("SPARK_HOME") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master("local[*]")
    for key, value in settings(progress, conf).items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as e:  # a master URL Spark cannot parse or reach, a missing Java
        lines = str(e).strip().splitlines() or [type(e).__name__]
        raise InputError([Problem("--engine spark", "", None, f"Spark could not start: {lines[0]}")]) from None


def _read(spark, path: str):
    kind = READERS.get(os.path.splitext(path.rstrip("/"))[1].lower())
    if kind is None:
        raise InputError([Problem(path, "", None, "expected a .csv, .parquet or .jsonl file or folder")])
    if "://" not in path and not os.path.exists(path):   # cluster storage (hdfs://, s3a://) is Spark's to find
        raise InputError([Problem(path, "", None, "cannot read the file: no such file")])
    reader = spark.read
    if "://" not in path:
        path = str(literal_path(path))   # a name, not a pattern (batch/output.py)
    if kind == "csv":
        df = reader.option("header", True).option("inferSchema", False).csv(path)
    elif kind == "parquet":
        df = reader.parquet(path)
    else:
        df = reader.json(path)
    if "id" not in df.columns:
        # Rows are named by their number: 1-based, in file order, without gathering the data.
        indexed = df.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1] + 1))
        return spark.createDataFrame(indexed, df.schema.add(ROW, "long")), True
    # With an id column, an increasing (not consecutive) number keeps file order cheaply; an
    # error's row number is counted from it only when there is an error to report.
    from pyspark.sql.functions import monotonically_increasing_id
    return df.withColumn(ROW, monotonically_increasing_id()), False


def screen_spark(path: str | Path, as_of: datetime.date, out: str | Path | None = None,
                 rulebook: Rulebook | None = None, spark=None, obligations: list[str] | None = None):
    path = str(path)
    spark = spark or session()
    try:
        df, consecutive = _read(spark, path)
    except InputError:
        raise
    except Exception as e:  # Spark's errors for unreadable input
        raise InputError([Problem(str(path), "", None, f"cannot read the table: {str(e).splitlines()[0]}")]) \
            from None
    df.createOrReplaceTempView("hegui_source")
    types = {name: SPARK_TYPES.get(kind.split("(")[0], "VARCHAR") for name, kind in df.dtypes}
    names = [n for n in df.columns]
    p = plan(names, as_of, rulebook, str(path), types, obligations)
    view = exp.to_table("hegui_source")
    # Spark has no error() to stop a query on a bad cell, so the cells are checked in a pass of their own.
    totals = spark.sql(bad_count_select(p, view).sql("spark")).collect()[0] if p.checks else []
    counts = {name: int(totals[i] or 0) for i, (name, _, _) in enumerate(p.checks)}
    if any(counts.values()):
        def row_number(mark):
            if consecutive:
                return mark
            return spark.sql(f"SELECT count(*) FROM hegui_source WHERE `{ROW}` <= {int(mark)}").collect()[0][0]

        rows = [tuple(r) for r in spark.sql(bad_cells_select(p, view).sql("spark")).collect()]
        raise InputError(problems_from(p, counts, rows, str(path), row_number))
    typed = exp.Subquery(this=typed_select(p, view), alias=exp.TableAlias(this=exp.to_identifier("typed")))
    result = spark.sql(status_select(p, typed).sql("spark"))
    if out is None:
        return result
    return _write(result, Path(out) if not str(out).endswith("/") else str(out))


def _write(result, out) -> int:
    rows = result.count()
    if isinstance(out, str):  # a folder of part files, for data beyond one machine
        writer = result.write.mode("overwrite")
        (writer.parquet if out.rstrip("/").endswith("parquet") else writer.option("header", True).csv)(out)
        return rows
    fmt = out.suffix.lower()
    if fmt not in (".parquet", ".csv"):
        raise InputError([Problem(str(out), "", None, "expected an output file ending in .parquet or .csv")])
    folder = tempfile.mkdtemp(prefix="hegui-spark-")
    try:
        with replacing(out) as partial:
            writer = result.coalesce(1).write.mode("overwrite")
            target = os.path.join(folder, "out")
            writer.parquet(target) if fmt == ".parquet" else writer.option("header", True).csv(target)
            part = next(p for p in os.listdir(target) if p.startswith("part-"))
            shutil.move(os.path.join(target, part), partial)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows
