"""Tampering with a stored ledger makes `verify` fail and name the first bad entry: a changed
byte in any column of any entry, a deleted or reordered entry, a changed head, a byte changed
in the file itself, a truncated file."""

import os
import sqlite3

import pytest
from ledger_support import sql

from hegui.ledger import verify_file
from hegui.ledger.store import _COLUMNS


def bad_of(path):
    return verify_file(path)


def flip(text: str, at: int) -> str:
    c = text[at]
    return text[:at] + ("1" if c != "1" else "2") + text[at + 1:]


def test_untouched_ledger_verifies(filled):
    assert bad_of(filled) is None


def test_triggers_refuse_update_and_delete(filled):
    con = sqlite3.connect(filled)
    for statement in ("UPDATE entries SET as_of = '2020-01-01' WHERE idx = 1", "DELETE FROM entries WHERE idx = 9"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(statement)
    con.close()


@pytest.mark.parametrize("column", [c for c in _COLUMNS if c != "idx"])
@pytest.mark.parametrize("n", [0, 4, 9])
def test_changing_any_column_of_any_entry_names_it(filled, column, n):
    con = sqlite3.connect(filled)
    value = con.execute(f"SELECT {column} FROM entries WHERE idx = ?", (n,)).fetchone()[0]
    con.close()
    for at in (0, len(value) // 2, len(value) - 2):  # a byte at the start, middle and end of the value
        sql(filled, (f"UPDATE entries SET {column} = ? WHERE idx = ?", (flip(value, at), n)))
        bad = bad_of(filled)
        assert bad is not None and bad.index == n, (column, at, bad)
        sql(filled, (f"UPDATE entries SET {column} = ? WHERE idx = ?", (value, n)))
        assert bad_of(filled) is None


def test_consistent_rewrite_of_one_entry_is_still_caught(filled, real):
    """Rewriting an entry and its digests, leaf hash and root: the later roots no longer follow."""
    from hegui.ledger import merkle
    from hegui.ledger.store import digest, leaf_data
    con = sqlite3.connect(filled)
    row = dict(zip(_COLUMNS, con.execute("SELECT * FROM entries WHERE idx = 3").fetchone()))
    con.close()
    row["as_of"] = "2024-01-01"
    leaf = merkle.leaf_hash(leaf_data(3, row["recorded_at"], row["as_of"], row["manifest"], row["rulebook_version"],
                                      row["rulebook_digest"], digest(row["manifest"]), row["assessment_digest"],
                                      row["findings_digest"]))
    sql(filled, ("UPDATE entries SET as_of = ?, leaf_hash = ? WHERE idx = 3", (row["as_of"], leaf.hex())))
    assert bad_of(filled).index == 3


@pytest.mark.parametrize("n", [0, 5, 9])
def test_deleting_an_entry_names_it(filled, n):
    sql(filled, ("DELETE FROM entries WHERE idx = ?", (n,)))
    bad = bad_of(filled)
    assert bad.index == n and "missing" in bad.reason


def test_deleting_the_last_entries_and_fixing_the_count_is_caught_by_the_head(filled):
    sql(filled, "DELETE FROM entries WHERE idx >= 8", "UPDATE head SET size = 8")
    assert bad_of(filled) is not None


@pytest.mark.parametrize("a,b", [(0, 1), (3, 7), (8, 9)])
def test_reordering_entries_names_the_first_moved(filled, a, b):
    sql(filled, ("UPDATE entries SET idx = -1 WHERE idx = ?", (a,)),
        ("UPDATE entries SET idx = ? WHERE idx = ?", (a, b)),
        ("UPDATE entries SET idx = ? WHERE idx = -1", (b,)))
    assert bad_of(filled).index == a


def test_an_extra_entry_beyond_the_head_is_named(filled):
    con = sqlite3.connect(filled)
    row = list(con.execute("SELECT * FROM entries WHERE idx = 9").fetchone())
    con.close()
    row[0] = 10
    sql(filled, (f"INSERT INTO entries VALUES ({', '.join('?' * len(row))})", row))
    assert bad_of(filled).index == 10


@pytest.mark.parametrize("change", ["UPDATE head SET root = '00' || substr(root, 3)",
                                   "UPDATE head SET size = size + 1",
                                   "UPDATE head SET frontier = '[]'"])
def test_changing_the_head_is_caught(filled, change):
    sql(filled, change)
    assert bad_of(filled) is not None


@pytest.mark.parametrize("n", [0, 3, 9])
@pytest.mark.parametrize("where", ["manifest", "assessment"])
def test_a_byte_changed_in_the_file_names_the_entry(filled, n, where):
    data = bytearray(filled.read_bytes())
    marker = f"Org-{n:04d}-{'marker' if where == 'manifest' else 'assessed'}".encode()
    at = data.find(marker)
    assert at >= 0 and data.find(marker, at + 1) < 0
    data[at] ^= 0x01
    filled.write_bytes(bytes(data))
    bad = bad_of(filled)
    assert bad is not None and bad.index == n, bad


@pytest.mark.parametrize("fraction", [0.95, 0.8, 0.5, 0.3])
def test_a_truncated_file_fails_and_names_an_entry(filled, fraction):
    size = os.path.getsize(filled)
    with open(filled, "r+b") as f:
        f.truncate(int(size * fraction))
    bad = bad_of(filled)
    assert bad is not None and bad.index is not None and 0 <= bad.index <= 9, bad


@pytest.mark.parametrize("pages", [1, 3])
def test_truncated_by_whole_pages(filled, pages):
    size = os.path.getsize(filled)
    with open(filled, "r+b") as f:
        f.truncate(size - 4096 * pages)
    bad = bad_of(filled)
    assert bad is not None and bad.index is not None, bad
