"""Several processes appending at once lose nothing; a writer killed with SIGKILL in the middle of
an append leaves a ledger that verifies with every committed entry intact."""

import json
import random
import signal
import subprocess
import sys
import time

from hegui.ledger import Ledger, verify_file

WRITER = r"""
import json, sys
from hegui.ledger import Ledger
path, who, count, payload = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
manifest, assessment, version, digest = json.load(open(payload))
ledger = Ledger(path)
i = 0
while count < 0 or i < count:
    data = json.loads(manifest)
    data["organisation"]["name"] = f"{who}-{i}"
    n = ledger.append(json.dumps(data), "2024-06-20", assessment, version, digest)
    print(n, f"{who}-{i}", flush=True)
    i += 1
"""


def _payload(tmp_path, real):
    manifest, assessment, rulebook = real
    path = tmp_path / "payload.json"
    path.write_text(json.dumps([manifest, assessment, rulebook.version, rulebook.digest]))
    return path


def _writer(path, who, count, payload):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, str(count), str(payload)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _names(ledger):
    return {e.index: json.loads(e.manifest)["organisation"]["name"] for e in ledger.entries()}


def test_four_processes_appending_at_once_lose_nothing(tmp_path, real):
    path, payload = tmp_path / "busy.ledger", _payload(tmp_path, real)
    writers = [_writer(path, f"p{p}", 25, payload) for p in range(4)]
    reported = {}
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
        for line in out.split("\n"):
            if line:
                n, name = line.split()
                assert int(n) not in reported
                reported[int(n)] = name
    assert verify_file(path) is None
    with Ledger(path) as ledger:
        assert ledger.size() == 100
        names = _names(ledger)
    assert names == reported
    assert sorted(names.values()) == sorted(f"p{p}-{i}" for p in range(4) for i in range(25))


def test_a_writer_killed_mid_append_leaves_every_committed_entry(tmp_path, real):
    path, payload = tmp_path / "killed.ledger", _payload(tmp_path, real)
    rng = random.Random(7)
    committed = {}
    for run in range(6):
        w = _writer(path, f"run{run}", -1, payload)
        first = w.stdout.readline()  # wait until it is appending, then kill at a random moment
        assert first, w.stderr.read()
        time.sleep(rng.uniform(0.01, 0.4))
        w.send_signal(signal.SIGKILL)
        w.wait(timeout=60)
        # Read through the same buffered file as readline: it may already hold later lines that
        # communicate(), reading the pipe's descriptor directly, would never see (a busy machine
        # lets the writer report several appends before the readline above runs).
        out = w.stdout.read()
        w.stderr.close()
        assert w.returncode == -signal.SIGKILL
        # The kill can cut the last report short: only whole lines were reported.
        for line in (first + out).split("\n")[:-1]:
            if line.strip():
                n, name = line.split()
                committed[int(n)] = name
        assert verify_file(path) is None, f"run {run}"
        with Ledger(path) as ledger:
            names = _names(ledger)
            assert ledger.size() == len(names)
        # every append the writer reported is there, unchanged; at most one more committed unreported
        assert all(names[n] == name for n, name in committed.items())
        assert len(names) - len(committed) <= run + 1
        assert sorted(names) == list(range(len(names)))
    assert len(committed) > 6


RECORDER = r"""
import json, sys
from hegui.ledger import Ledger
path, count, payload = sys.argv[1], int(sys.argv[2]), sys.argv[3]
manifest, assessment, version, digest = json.load(open(payload))
for i in range(count):  # as `hegui assess --record` does: open, append, close (a checkpoint) each time
    with Ledger(path) as ledger:
        ledger.append(manifest, "2024-06-20", assessment, version, digest)
"""


def test_verify_while_others_record_sees_a_consistent_ledger(tmp_path, real):
    """verify reads a closed ledger without locks; a writer arriving meanwhile must not make it
    report damage (it reads again with SQLite's locking when the file or its -wal changed)."""
    path, payload = tmp_path / "recorded.ledger", _payload(tmp_path, real)
    Ledger(path).close()
    recorder = subprocess.Popen([sys.executable, "-c", RECORDER, str(path), "40", str(payload)],
                                stderr=subprocess.PIPE, text=True)
    checks = 0
    try:
        while recorder.poll() is None:
            assert verify_file(path) is None
            checks += 1
    finally:
        err = recorder.communicate(timeout=300)[1]
    assert recorder.returncode == 0, err
    assert checks > 0 and verify_file(path) is None
    with Ledger(path, read_only=True) as ledger:
        assert ledger.size() == 40
