"""The Spark options of `hegui screen`: --master, --spark-conf, and quiet output unless asked."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hegui.batch.spark import settings


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "hegui", *args], capture_output=True, text=True, **kw)


def test_spark_is_quiet_unless_progress_is_asked_for():
    assert settings()["spark.ui.showConsoleProgress"] == "false"
    assert settings()["spark.log.level"] == "WARN"
    assert settings(progress=True)["spark.ui.showConsoleProgress"] == "true"
    # The user's settings come last and win.
    assert settings(conf={"spark.log.level": "INFO"})["spark.log.level"] == "INFO"


def test_a_small_local_spark_screen_shows_no_progress_bar(tmp_path):
    pytest.importorskip("pyspark")
    table, out = tmp_path / "in.parquet", tmp_path / "out.csv"
    assert run("synth", "--rows", "300", "--seed", "4", "--out", str(table)).returncode == 0
    done = run("screen", str(table), "--engine", "spark", "--master", "local[1]", "--as-of", "2026-11-25",
               "--out", str(out), "--spark-conf", "spark.driver.memory=512m", timeout=300)
    assert done.returncode == 0, done.stderr
    # Spark's bar redraws "[Stage 3:>   (0 + 1) / 1]" in place with carriage returns.
    assert "[Stage" not in done.stderr and "\r" not in done.stderr, done.stderr
    assert " INFO " not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("hegui: screened 300 rows as of 2026-11-25 with spark")
    assert len(out.read_text().splitlines()) == 301


@pytest.mark.parametrize("args, needle", [
    (["--engine", "spark", "--master", "bogus://x"], "--master: expected local[N], spark://HOST:PORT"),
    (["--engine", "spark", "--spark-conf", "no-equals-sign"], "--spark-conf: expected KEY=VALUE"),
    (["--master", "local[1]"], "need --engine spark"),
    (["--spark-progress"], "need --engine spark"),
])
def test_bad_spark_options_exit_2_in_one_line(tmp_path, args, needle):
    table = tmp_path / "in.csv"
    table.write_text("id,organisation.pi_individuals\na,5\n", encoding="utf-8")
    done = run("screen", str(table), "--out", str(tmp_path / "o.csv"), *args, timeout=120)
    assert done.returncode == 2
    assert needle in done.stderr and "Traceback" not in done.stderr and "Exception" not in done.stderr
    assert not (tmp_path / "o.csv").exists()


def test_a_folder_output_needs_spark(tmp_path):
    table = tmp_path / "in.csv"
    table.write_text("id,organisation.pi_individuals\na,5\n", encoding="utf-8")
    done = run("screen", str(table), "--out", f"{tmp_path / 'o.parquet'}/", timeout=120)
    assert done.returncode == 2 and "--out: a folder" in done.stderr and "Traceback" not in done.stderr


def test_spark_master_from_the_environment_does_not_stop_a_duckdb_screen(tmp_path):
    table = tmp_path / "in.csv"
    table.write_text("id,organisation.pi_individuals\na,5\n", encoding="utf-8")
    done = run("screen", str(table), "--out", str(tmp_path / "o.csv"),
               env={**os.environ, "SPARK_MASTER": "spark://nowhere:7077", "HEGUI_SPARK_PROGRESS": "1"})
    assert done.returncode == 0, done.stderr
