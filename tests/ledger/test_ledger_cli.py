"""`hegui assess --record` and `hegui ledger ...`: output, exit codes (0 ran, 2 bad input, 4 does
not verify / not reproduced), replay, signed heads, and the HTTP read endpoints."""

import json
import shutil
import sqlite3
import subprocess

import pytest
from ledger_support import AS_OF, EXAMPLE, HEGUI, ROOT, fill

from hegui.ledger import Ledger
from hegui.ledger.replay import replay

pytestmark = pytest.mark.skipif(HEGUI is None, reason="the hegui command is not installed next to this Python")


def hegui(*args, env_ledger=None, stdin=None):
    import os
    env = {k: v for k, v in os.environ.items() if k != "HEGUI_LEDGER"}
    if env_ledger:
        env["HEGUI_LEDGER"] = str(env_ledger)
    return subprocess.run([HEGUI, *map(str, args)], capture_output=True, text=True, cwd=ROOT, env=env,
                          input=stdin, timeout=120)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A ledger with two entries made by `assess --record` (by --ledger, then by HEGUI_LEDGER)."""
    path = tmp_path_factory.mktemp("cli") / "a.ledger"
    plain = hegui("assess", EXAMPLE, "--as-of", AS_OF, "--format", "json")
    done = hegui("assess", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--record", "--ledger", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == plain.stdout  # recording does not change what assess prints
    assert "recorded as ledger entry 0" in done.stderr
    done = hegui("assess", "-", "--as-of", "2026-11-25", "--record", env_ledger=path, stdin=EXAMPLE.read_text())
    assert done.returncode == 0 and "entry 1" in done.stderr, done.stderr
    return path


def test_record_needs_a_ledger():
    done = hegui("assess", EXAMPLE, "--record")
    assert done.returncode == 2 and "HEGUI_LEDGER" in done.stderr and not done.stdout


def test_record_stores_the_assessment(recorded):
    with Ledger(recorded) as ledger:
        e = ledger.entry(0)
        assert ledger.size() == 2 and ledger.verify() is None
    assert e.as_of == "2024-06-20" and e.organisation == "Jobs Platform Inc."
    assert json.loads(e.manifest)["format"] == "hegui/1"
    plain = json.loads(hegui("assess", EXAMPLE, "--as-of", AS_OF, "--format", "json").stdout)
    assert e.assessment_dict()["findings"] == plain["findings"]
    assert e.rulebook_digest == plain["rulebook"]["digest"]


def test_list_show_prove_consistency(recorded):
    done = hegui("ledger", "list", "--ledger", recorded)
    assert done.returncode == 0 and "2 entries" in done.stdout and "Jobs Platform Inc." in done.stdout
    done = hegui("ledger", "show", "1", "--format", "json", env_ledger=recorded)
    assert done.returncode == 0 and json.loads(done.stdout)["as_of"] == "2026-11-25"
    done = hegui("ledger", "prove", "0", "--ledger", recorded, "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["verified"] is True
    done = hegui("ledger", "consistency", "1", "2", "--ledger", recorded)
    assert done.returncode == 0 and "verified" in done.stdout


@pytest.mark.parametrize("args", [("show", "2"), ("prove", "5"), ("consistency", "2", "1"), ("replay", "9"),
                                  ("show", str(2 ** 64)), ("show", "-1"), ("prove", "0", "--size", str(2 ** 63)),
                                  ("consistency", "0", str(10 ** 30)), ("list", "--offset", str(2 ** 63))])
def test_missing_entries_are_bad_input(recorded, args):
    done = hegui("ledger", *args, "--ledger", recorded)
    assert done.returncode == 2 and "hegui: error:" in done.stderr and "Traceback" not in done.stderr


def test_no_ledger_file_is_bad_input(tmp_path):
    done = hegui("ledger", "verify", "--ledger", tmp_path / "none.ledger")
    assert done.returncode == 2 and "no ledger" in done.stderr
    assert not (tmp_path / "none.ledger").exists()


def test_verify_exit_codes(recorded, tmp_path):
    assert hegui("ledger", "verify", "--ledger", recorded).returncode == 0
    copy = tmp_path / "changed.ledger"
    shutil.copy(recorded, copy)
    con = sqlite3.connect(copy)
    con.execute("DROP TRIGGER entries_no_update")
    con.execute("UPDATE entries SET as_of = '2024-06-21' WHERE idx = 1")
    con.commit()
    con.close()
    done = hegui("ledger", "verify", "--ledger", copy)
    assert done.returncode == 4 and "entry 1" in done.stderr, done.stderr


def test_replay_is_identical_under_the_same_rulebook(recorded):
    done = hegui("ledger", "replay", "0", "--ledger", recorded)
    assert done.returncode == 0 and "identical" in done.stdout and "(the same)" in done.stdout


def _changed_rulebook(tmp_path):
    """The rulebook with the CSRC indirect-listing share raised from 50% to 99.9%."""
    from hegui.rulebook import load_rulebook
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "src" / "hegui" / "rules", folder)
    path = folder / "csrc-overseas-listing-trial-measures-2023.yaml"
    text = path.read_text(encoding="utf-8")
    assert "{value: 0.5, article: \"15\"" in text
    path.write_text(text.replace("{value: 0.5, article: \"15\"", "{value: 0.999, article: \"15\""), encoding="utf-8")
    return load_rulebook(folder)


def test_replay_after_a_rulebook_change_shows_what_differs(recorded, tmp_path):
    with Ledger(recorded) as ledger:
        e = ledger.entry(0)
    same = replay(e)
    assert same.identical and same.same_rulebook and same.reproduced
    changed = _changed_rulebook(tmp_path)
    r = replay(e, changed)
    assert not r.same_rulebook and not r.identical and r.reproduced
    csrc = [d for d in r.differences if d["obligation"] == "csrc.overseas-listing-filing"]
    assert csrc and csrc[0]["subject"] == "listing:nasdaq" and "status" in csrc[0]["changed"]
    assert csrc[0]["before"]["status"] == "applies" and csrc[0]["after"]["status"] != "applies"


def test_replay_cli_of_an_entry_recorded_under_another_rulebook(tmp_path, real):
    """An entry recorded under an older rulebook that decided one finding differently."""
    manifest, assessment, rulebook = real
    old = json.loads(json.dumps(assessment))
    old["findings"][0]["status"] = "applies" if old["findings"][0]["status"] != "applies" else "unknown"
    path = tmp_path / "old.ledger"
    with Ledger(path) as ledger:
        ledger.append(manifest, AS_OF, old, "2025.01", "sha256:" + "0" * 64)
        ledger.append(manifest, AS_OF, old, rulebook.version, rulebook.digest)  # same digest, other findings
    done = hegui("ledger", "replay", "0", "--ledger", path)
    assert done.returncode == 0 and "changed since" in done.stdout and "decides differently" in done.stdout
    assert old["findings"][0]["obligation"] in done.stdout
    done = hegui("ledger", "replay", "1", "--ledger", path, "--format", "json")
    assert done.returncode == 4 and json.loads(done.stdout)["reproduced"] is False


def test_signed_heads(tmp_path, real):
    path = tmp_path / "s.ledger"
    fill(path, real, 3).close()
    key = tmp_path / "head.key"
    assert hegui("ledger", "keygen", key).returncode == 0
    assert (key.stat().st_mode & 0o777) == 0o600
    assert hegui("ledger", "keygen", key).returncode == 2  # never overwrites a key
    done = hegui("ledger", "head", "--ledger", path, "--sign", key, "--out", tmp_path / "head.json")
    assert done.returncode == 0 and json.loads(done.stdout)["size"] == 3
    pub = f"{key}.pub"
    done = hegui("ledger", "verify", "--ledger", path, "--head", tmp_path / "head.json", "--pubkey", pub)
    assert done.returncode == 0 and "consistent" in done.stdout
    fill(path, real, 2, prefix="later").close()  # the ledger grows: the old head still holds
    assert hegui("ledger", "verify", "--ledger", path, "--head", tmp_path / "head.json",
                 "--pubkey", pub).returncode == 0
    # a whole-file replacement verifies on its own, but not against the signed head
    other = tmp_path / "replaced.ledger"
    fill(other, real, 5, prefix="forged").close()
    assert hegui("ledger", "verify", "--ledger", other).returncode == 0
    done = hegui("ledger", "verify", "--ledger", other, "--head", tmp_path / "head.json", "--pubkey", pub)
    assert done.returncode == 4 and "rewritten or replaced" in done.stderr
    # a head edited after signing, or signed by another key, fails
    signed = json.loads((tmp_path / "head.json").read_text())
    (tmp_path / "edited.json").write_text(json.dumps({**signed, "size": 2}))
    done = hegui("ledger", "verify", "--ledger", path, "--head", tmp_path / "edited.json", "--pubkey", pub)
    assert done.returncode == 4 and "signature" in done.stderr
    assert hegui("ledger", "keygen", tmp_path / "other.key").returncode == 0
    done = hegui("ledger", "verify", "--ledger", path, "--head", tmp_path / "head.json",
                 "--pubkey", tmp_path / "other.key.pub")
    assert done.returncode == 4 and "different key" in done.stderr


def test_http_read_endpoints(recorded):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from hegui.ledger.api import router
    app = FastAPI()
    with Ledger(recorded) as ledger:
        app.include_router(router(ledger), prefix="/v1/ledger")
        client = TestClient(app)
        head = client.get("/v1/ledger/head").json()
        assert head == ledger.head().to_dict()
        listing = client.get("/v1/ledger/entries").json()
        assert listing["size"] == 2 and [e["index"] for e in listing["entries"]] == [0, 1]
        assert client.get("/v1/ledger/entries/1").json()["as_of"] == "2026-11-25"
        assert client.get("/v1/ledger/entries/1/proof").json() == ledger.inclusion_proof(1)
        assert client.get("/v1/ledger/consistency/1/2").json() == ledger.consistency_proof(1, 2)
        assert client.get("/v1/ledger/verify").json()["ok"] is True
        assert client.get("/v1/ledger/entries/7").status_code == 404
        assert client.get("/v1/ledger/consistency/2/1").status_code == 404
