"""`hegui screen --engine spark --master spark://...` on a real Spark standalone cluster.

A master and one worker are started on loopback with Spark's own launchers (`spark-class`) from
the pinned pyspark, so the driver, the master and the executor are separate JVMs talking over
the network, as on a cluster. The result must equal DuckDB's row for row. Slow (about a minute):
deselect with `-m "not spark_cluster"`.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from hegui.batch.screen import screen_duckdb
from hegui.batch.synth import synth

pytestmark = pytest.mark.spark_cluster

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 90   # seconds for the master to come up and the worker to register, on a busy machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _status(webui: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://{LOOPBACK}:{webui}/json/", timeout=2) as r:
            return json.load(r)
    except (OSError, ValueError):   # not listening yet, or a page still empty while the UI starts
        return None


def _env(spark_home: Path) -> dict:
    # Every JVM binds to loopback (the machine's name may resolve elsewhere); executors start
    # their Python workers, if any, with this interpreter and this checkout's hegui.
    src = str(Path(__file__).resolve().parents[2] / "src")
    return {**os.environ, "SPARK_HOME": str(spark_home), "SPARK_LOCAL_IP": LOOPBACK,
            "PYSPARK_PYTHON": sys.executable,
            "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}


class Cluster:
    def __init__(self, folder: Path):
        import pyspark
        self.home = Path(pyspark.__file__).parent
        self.folder = folder
        self.env = _env(self.home)
        self.port, self.webui, self.worker_webui = _free_port(), _free_port(), _free_port()
        self.url = f"spark://{LOOPBACK}:{self.port}"
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def launch(self, name: str, *args: str):
        log = self.folder / f"{name}.log"
        with log.open("wb") as out:
            # Its own process group, so stopping it also stops the JVMs it starts (executors).
            process = subprocess.Popen([str(self.home / "bin" / "spark-class"), *args], env=self.env,
                                       stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        self.processes.append((process, log))

    def start(self):
        self.launch("master", "org.apache.spark.deploy.master.Master", "--host", LOOPBACK,
                    "--port", str(self.port), "--webui-port", str(self.webui))
        self.wait_for(lambda s: s.get("status") == "ALIVE", "the master to be ALIVE")
        work = self.folder / "work"
        work.mkdir()
        self.launch("worker", "org.apache.spark.deploy.worker.Worker", self.url, "--host", LOOPBACK,
                    "--cores", "1", "--memory", "1g", "--webui-port", str(self.worker_webui),
                    "--work-dir", str(work))
        self.wait_for(lambda s: s.get("aliveworkers", 0) >= 1, "the worker to register")

    def wait_for(self, ready, what: str):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            status = _status(self.webui)
            if status is not None and ready(status):
                return status
            for process, log in self.processes:
                if process.poll() is not None:
                    pytest.fail(f"{log.stem} exited with {process.returncode}:\n{self.tail(log)}")
            time.sleep(0.5)
        pytest.fail(f"timed out waiting for {what}:\n" + "\n".join(self.tail(log) for _, log in self.processes))

    @staticmethod
    def tail(log: Path) -> str:
        return "\n".join(log.read_text(errors="replace").splitlines()[-20:])

    def stop(self):
        for process, _ in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _ in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark (make java installs Debian's)")
    c = Cluster(tmp_path_factory.mktemp("spark-cluster"))
    request.addfinalizer(c.stop)   # also when starting fails half-way
    c.start()
    return c


def test_screen_on_a_standalone_cluster_equals_duckdb(cluster, tmp_path):
    # On a cluster the result is a folder of part files, written by the executors themselves.
    table, out = tmp_path / "inventory.parquet", tmp_path / "statuses.parquet"
    synth(3000, 7, table)
    as_of = datetime.date(2026, 11, 25)
    before = len(_status(cluster.webui)["completedapps"])
    done = subprocess.run(
        [sys.executable, "-m", "hegui", "screen", str(table), "--engine", "spark", "--master", cluster.url,
         "--as-of", as_of.isoformat(), "--out", f"{out}/",
         "--spark-conf", "spark.driver.memory=512m", "--spark-conf", "spark.executor.memory=512m"],
        env=cluster.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "screened 3,000 rows" in done.stderr
    assert "[Stage" not in done.stderr and "Traceback" not in done.stderr

    # The application ran on the cluster (not in a local Spark), and finished.
    apps = _status(cluster.webui)["completedapps"]
    assert [a["name"] for a in apps[before:]] == ["hegui"], apps

    duck = {r["id"]: r for r in screen_duckdb(table, as_of).to_pylist()}
    assert out.is_dir() and any(p.name.startswith("part-") for p in out.iterdir())
    sparked = {r["id"]: r for r in pq.read_table(out).to_pylist()}
    assert len(duck) == 3000
    assert sparked == duck


def test_rows_without_ids_are_numbered_on_the_executors(cluster, tmp_path):
    # Without an `id` column the rows are numbered in Python on the executors: the one place the
    # workers need Python (PYSPARK_PYTHON) and hegui. The third row's bad cell is found by number.
    table, out = tmp_path / "inventory.csv", tmp_path / "statuses.csv"
    table.write_text("organisation.pi_individuals,listing.kind\n5,ipo\n2000000,ipo\n,spac\n", encoding="utf-8")
    args = [sys.executable, "-m", "hegui", "screen", str(table), "--engine", "spark", "--master", cluster.url,
            "--as-of", "2026-11-25", "--out", str(out), "--spark-conf", "spark.executor.memory=512m"]
    done = subprocess.run(args, env=cluster.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "listing.kind: row 3: expected one of" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
