"""Forged and broken ledger files (issue 14 §8, §12): `hegui ledger verify` refuses each one with
exit 4 and a message, no traceback, within 1 GB of address space, and leaves the file as it was.
A ledger alone cannot show it was cut short or rebuilt; a signed head kept earlier can
(`verify --against`), by an RFC 6962 consistency proof from that head to the current tree."""

import hashlib
import json
import random
import resource
import shutil
import sqlite3
import subprocess

import pytest
from ledger_support import AS_OF, HEGUI, ROOT, fill, marked_manifest, sql

from hegui.ledger import Ledger, merkle, verify_file
from hegui.ledger.verify import verify_against

pytestmark = pytest.mark.skipif(HEGUI is None, reason="the hegui command is not installed next to this Python")

MEMORY = 1024 ** 3  # the address space the verifying process may use


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def hegui(*args, env=None):
    import os
    environment = {k: v for k, v in os.environ.items() if k not in ("HEGUI_LEDGER", "HEGUI_LEDGER_KEY")}
    environment.update(env or {})
    return subprocess.run([HEGUI, *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          preexec_fn=_limit_memory, env=environment)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path, *args, reason: str | None = None):
    """verify exits 4 with a message naming the ledger, no traceback, and the file is unchanged."""
    before = sha256(path)
    done = hegui("ledger", "verify", "--ledger", path, *args)
    assert done.returncode == 4, (done.returncode, done.stderr)
    assert f"ledger {path} does not verify" in done.stderr and "Traceback" not in done.stderr, done.stderr
    if reason:
        assert reason in done.stderr, done.stderr
    assert sha256(path) == before, "verify changed the file it verified"
    return done.stderr


def refused_here(path, reason: str):
    """The same check in this process, for variants of a forged file the command is run on above."""
    before = sha256(path)
    bad = verify_file(path)
    assert bad is not None and reason in str(bad), bad
    assert sha256(path) == before


# -- files that are not a ledger --------------------------------------------------------------

def test_an_empty_file_is_not_a_ledger(tmp_path):
    path = tmp_path / "empty.ledger"
    path.write_bytes(b"")
    refused(path, reason="empty file is not a hegui ledger")
    assert path.stat().st_size == 0  # no schema written into it


def test_random_bytes(tmp_path):
    path = tmp_path / "random.ledger"
    path.write_bytes(random.Random(14).randbytes(64 * 1024))
    refused(path, reason="not an SQLite file")


@pytest.mark.parametrize("make", [
    "CREATE TABLE things (a, b)",   # another application's database
    "PRAGMA user_version = 1",      # an SQLite file with no tables at all
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",  # half a ledger
])
def test_an_sqlite_file_without_the_ledgers_schema(tmp_path, make):
    path = tmp_path / "other.ledger"
    con = sqlite3.connect(path)
    con.execute(make)
    con.commit()
    con.close()
    refused(path, reason="not a hegui ledger")


def test_another_applications_id(filled):
    sql(filled, "PRAGMA application_id = 1")
    refused_here(filled, "another application")


def test_a_wrong_format_marker(filled):
    sql(filled, "UPDATE meta SET value = 'hegui-ledger/0' WHERE key = 'format'")
    refused_here(filled, "format 'hegui-ledger/0'")


@pytest.mark.parametrize("change", [
    "ALTER TABLE entries ADD COLUMN extra TEXT",
    "ALTER TABLE entries ADD COLUMN extra TEXT GENERATED ALWAYS AS (length(manifest)) VIRTUAL",
])
def test_a_lookalike_table_is_not_the_ledgers(filled, change):
    sql(filled, change)
    refused_here(filled, "'entries' table is not the ledger's")


# -- rows and head ----------------------------------------------------------------------------

def test_a_row_with_index_minus_one_is_named(filled):
    con = sqlite3.connect(filled)
    row = list(con.execute("SELECT * FROM entries WHERE idx = 0").fetchone())
    con.close()
    row[0] = -1
    sql(filled, (f"INSERT INTO entries VALUES ({', '.join('?' * len(row))})", row))
    assert verify_file(filled).index == -1
    refused(filled, reason="entry -1: is outside the tree: entries are numbered 0 to 9")


@pytest.mark.parametrize("frontier", ["garbage", "[1, 2]", '{"a": 1}', "[]", json.dumps(["zz" * 32] * 2),
                                      "[" * 4000, "[" * 100_000, "x" * 5_000_000])
def test_a_garbage_frontier(filled, frontier):
    sql(filled, ("UPDATE head SET frontier = ?", (frontier,)))
    reason = "frontier is not a list of 2 SHA-256 hashes"  # 10 entries: subtrees of 8 and 2
    if frontier in ("garbage", "[" * 4000):
        refused(filled, reason=reason)
    else:
        refused_here(filled, reason)


@pytest.mark.parametrize("change, reason", [
    ("UPDATE head SET size = 'ten'", "size 'ten' is not a count"),
    ("UPDATE head SET size = -1", "size -1 is not a count"),
    ("UPDATE head SET root = 'not a hash'", "root is not a SHA-256 hash"),
    ("DELETE FROM head", "tree head is missing"),
])
def test_a_garbage_head(filled, change, reason):
    sql(filled, change)
    refused_here(filled, reason)


def test_appending_after_a_garbage_head_is_refused_with_a_message(filled):
    from ledger_support import EXAMPLE
    sql(filled, "UPDATE head SET frontier = 'garbage'")
    done = hegui("assess", EXAMPLE, "--as-of", AS_OF, "--record", "--ledger", filled)
    assert done.returncode == 2 and "tree head is damaged" in done.stderr and "Traceback" not in done.stderr


def test_a_value_beyond_the_bound_is_refused_not_read(filled):
    from hegui.ledger.store import MAX_VALUE_BYTES
    sql(filled, ("UPDATE entries SET assessment = ? WHERE idx = 4", ("x" * (MAX_VALUE_BYTES + 1),)))
    refused(filled, reason="entry 4: cannot be read: string or blob too big")


# -- the SQLite file itself -------------------------------------------------------------------

def test_a_flipped_bit_in_the_page_count(filled):
    """The header's page count times 2^24 (the issue's 68 GB): named, never allocated."""
    data = bytearray(filled.read_bytes())
    data[28] ^= 0x01
    filled.write_bytes(bytes(data))
    refused(filled, reason="its header says")


@pytest.mark.parametrize("bit", [0, 3])
def test_a_small_flip_in_the_page_count(filled, bit):
    data = bytearray(filled.read_bytes())
    data[31] ^= 1 << bit
    filled.write_bytes(bytes(data))
    refused_here(filled, "its header says")


def test_a_damaged_page_size(filled):
    data = bytearray(filled.read_bytes())
    data[16:18] = (3000).to_bytes(2, "big")
    filled.write_bytes(bytes(data))
    refused_here(filled, "page size 3000")


def test_an_untouched_ledger_verifies_within_the_same_bounds(filled):
    before = sha256(filled)
    done = hegui("ledger", "verify", "--ledger", filled)
    assert done.returncode == 0 and "verifies: 10 entries" in done.stdout, done.stderr
    assert sha256(filled) == before
    assert sorted(p.name for p in filled.parent.iterdir()) == ["ten.ledger"]  # nothing made beside it


def test_a_live_ledger_verifies_while_its_writer_holds_it_open(tmp_path, real):
    """Pages still in the WAL are read; the main file is neither checkpointed nor changed."""
    path = tmp_path / "live.ledger"
    ledger = fill(path, real, 4)
    try:
        ledger._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        manifest, assessment, rulebook = real
        ledger.append(marked_manifest(manifest, "in-the-wal"), AS_OF, assessment, rulebook.version, rulebook.digest)
        assert path.with_name(path.name + "-wal").stat().st_size > 32
        before = sha256(path)
        assert verify_file(path) is None
        with Ledger(path, read_only=True) as reader:
            assert reader.size() == 5
        assert sha256(path) == before
    finally:
        ledger.close()


@pytest.mark.parametrize("args", [["list"], ["show", "1"], ["show", "1", "--format", "json"], ["prove", "1"],
                                  ["consistency", "1", "2"], ["head"]])
def test_reading_commands_on_a_damaged_ledger_exit_4_with_a_message(filled, args):
    sql(filled, "UPDATE entries SET manifest = '{bad', assessment = 'nope' WHERE idx = 1")
    if args[0] != "show":
        sql(filled, "UPDATE head SET size = 'ten'")
    before = sha256(filled)
    done = hegui("ledger", *args, "--ledger", filled)
    assert done.returncode == 4 and "run `hegui ledger verify`" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and sha256(filled) == before


def test_a_copy_in_a_folder_nobody_may_write_is_read_without_side_files(filled, monkeypatch):
    """Read-only media: SQLite could make no -shm there, so the reading commands read it immutable.
    (Simulated: the tests run as root, who may write anywhere.)"""
    import os
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    with Ledger(filled, read_only=True) as ledger:
        assert ledger.size() == 10 and ledger.entry(9).index == 9
    assert sorted(p.name for p in filled.parent.iterdir()) == ["ten.ledger"]


def test_reading_commands_never_create_a_ledger(tmp_path):
    path = tmp_path / "empty.ledger"
    path.write_bytes(b"")
    for args in (["list"], ["show", "0"], ["head"], ["prove", "0"]):
        done = hegui("ledger", *args, "--ledger", path)
        assert done.returncode == 2 and "not a hegui ledger" in done.stderr and "Traceback" not in done.stderr
    assert path.stat().st_size == 0


# -- what a ledger alone cannot prove, and a kept head can --------------------------------------

@pytest.fixture
def kept(tmp_path, filled):
    """A signed head of the 10-entry ledger, kept elsewhere, and the public key."""
    key = tmp_path / "head.key"
    assert hegui("ledger", "keygen", key).returncode == 0
    head = tmp_path / "kept" / "head.json"
    head.parent.mkdir()
    done = hegui("ledger", "head", "--ledger", filled, "--out", head, env={"HEGUI_LEDGER_KEY": str(key)})
    assert done.returncode == 0, done.stderr
    signed = json.loads(head.read_text())
    assert signed["size"] == 10 and set(signed) >= {"root", "timestamp", "key_id", "public_key", "signature"}
    return head, key.with_name("head.key.pub")


def _recompute_head(path):
    """What a forger does after removing entries: a head that matches what is left."""
    con = sqlite3.connect(path)
    frontier = []
    for i, (leaf,) in enumerate(con.execute("SELECT leaf_hash FROM entries ORDER BY idx").fetchall()):
        frontier = merkle.push(frontier, i, bytes.fromhex(leaf))
    size = con.execute("SELECT count(*) FROM entries").fetchone()[0]
    con.close()
    sql(path, ("UPDATE head SET size = ?, root = ?, frontier = ?",
               (size, merkle.frontier_root(frontier).hex(), json.dumps([h.hex() for h in frontier]))))


def test_truncated_with_a_recomputed_head(filled, kept):
    head, pub = kept
    sql(filled, "DELETE FROM entries WHERE idx >= 7")
    _recompute_head(filled)
    assert verify_file(filled) is None  # consistent with itself: alone, verify cannot tell
    refused(filled, "--against", head, "--pubkey", pub, reason="has 10 entries but the ledger only 7")


def _rewrite(path, real, changed: int):
    """Rebuild the whole ledger with entry `changed` as of another day: every hash recomputed."""
    manifest, assessment, rulebook = real
    forged = path.with_name("forged.ledger")
    with Ledger(path, read_only=True) as original, Ledger(forged) as out:
        for e in original.entries():
            out.append(e.manifest, "2024-01-01" if e.index == changed else e.as_of, e.assessment_dict(),
                       e.rulebook_version, e.rulebook_digest)
    shutil.move(forged, path)


@pytest.mark.parametrize("changed", [0, 9])
def test_a_consistent_rewrite(filled, kept, real, changed):
    head, pub = kept
    _rewrite(filled, real, changed)
    assert verify_file(filled) is None
    refused(filled, "--against", head, "--pubkey", pub, reason="the ledger was rewritten or replaced")


def test_a_rewrite_of_what_came_after_the_kept_head_is_not_caught(tmp_path, filled, real):
    """Entries after the last kept head are protected only by a later head (as the README says)."""
    key = tmp_path / "k.key"
    assert hegui("ledger", "keygen", key).returncode == 0
    assert hegui("ledger", "head", "--ledger", filled, "--sign", key, "--out", tmp_path / "h.json").returncode == 0
    fill(filled, real, 3, prefix="after").close()
    assert hegui("ledger", "verify", "--ledger", filled, "--against", tmp_path / "h.json").returncode == 0
    con = sqlite3.connect(filled)
    assert con.execute("SELECT count(*) FROM entries").fetchone()[0] == 13
    con.close()


def test_the_kept_head_itself_must_be_sound(tmp_path, filled, kept):
    head, pub = kept
    signed = json.loads(head.read_text())
    cases = {
        "unsigned.json": ({"size": signed["size"], "root": signed["root"]}, "not signed"),
        "edited.json": ({**signed, "size": 9}, "signature does not verify"),
        "rooted.json": ({**signed, "root": "0" * 64}, "signature does not verify"),
        "keyid.json": ({**signed, "key_id": "0" * 16}, "is not the id of its key"),
        "sized.json": ({**signed, "size": "10"}, "not a signed tree head"),
    }
    for name, (value, reason) in cases.items():
        (tmp_path / name).write_text(json.dumps(value))
        if name in ("unsigned.json", "edited.json"):
            refused(filled, "--against", tmp_path / name, reason=reason)
        else:
            bad = verify_against(filled, value).bad
            assert bad is not None and reason in str(bad), (name, bad)
    (tmp_path / "garbage.json").write_text("{not json")
    done = hegui("ledger", "verify", "--ledger", filled, "--against", tmp_path / "garbage.json")
    assert done.returncode == 2 and "not JSON" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "huge.json").write_text(" " * 100_000)
    done = hegui("ledger", "verify", "--ledger", filled, "--against", tmp_path / "huge.json")
    assert done.returncode == 2 and "not a signed head" in done.stderr


def test_against_an_honest_head_passes(filled, kept):
    head, pub = kept
    done = hegui("ledger", "verify", "--ledger", filled, "--against", head, "--pubkey", pub, "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["ok"] and out["size"] == 10 and out["against"]["size"] == 10


def test_head_out_to_an_unwritable_place_is_bad_input(tmp_path, filled):
    done = hegui("ledger", "head", "--ledger", filled, "--out", tmp_path / "no-such-folder" / "head.json")
    assert done.returncode == 2 and "--out" in done.stderr and "Traceback" not in done.stderr


def test_signing_refuses_a_forged_ledger(tmp_path, filled):
    key = tmp_path / "k.key"
    assert hegui("ledger", "keygen", key).returncode == 0
    sql(filled, "UPDATE head SET frontier = 'garbage'")
    done = hegui("ledger", "head", "--ledger", filled, "--sign", key)
    assert done.returncode == 4 and "refusing to sign" in done.stderr and not done.stdout

