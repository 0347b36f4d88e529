"""Verify a ledger file without trusting anything in it (issue 14 §8, §12).

The file is opened read-only (SQLite `mode=ro`), never created or migrated, and read within
bounds: the header is checked against the file's size before SQLite sees it, every value read
is capped (MAX_VALUE_BYTES), the head is parsed only after its shape is checked. A file is a
hegui ledger only if it is an SQLite database with the ledger's tables and columns and the
format marker in `meta` (and, for ledgers made since, hegui's application id in the header);
an empty or schema-less file is not one. Entries must be exactly 0 to size-1: a row outside
that range is named. The whole walk is one read transaction, so a ledger that is appended to
meanwhile is checked as of one moment (the head returned is that moment's).

Alone, a ledger proves only that it is consistent with itself. `verify_against` also checks an
RFC 6962 consistency proof from a head kept elsewhere (signed by `hegui ledger head --sign`) to
the current tree, which catches a ledger truncated or rewritten since that head.
"""

from __future__ import annotations

import datetime
import json
import re
import sqlite3
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hegui.ledger import merkle
from hegui.ledger.canonical import canonical_json
from hegui.ledger.decisions import digest_matches
from hegui.ledger.store import (
    _COLUMNS, _SCHEMA, APPLICATION_ID, FORMAT, INDEX_LIMIT, MAX_VALUE_BYTES, BadEntry, Entry, Head, LedgerError,
    digest, leaf_data, parse_frontier,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
_HEX64 = re.compile(r"[0-9a-f]{64}")
MAX_HEAD_FILE_BYTES = 64 * 1024  # a signed head is about 300 bytes


@dataclass(frozen=True)
class Verified:
    """What a verification found: the head it checked (None if the file is not a ledger) and the first problem."""
    head: Head | None
    bad: BadEntry | None
    against: Head | None = None  # the kept head checked against, when one was given

    @property
    def ok(self) -> bool:
        return self.bad is None

    def to_dict(self) -> dict:
        out = {"ok": self.ok, "bad": self.bad.to_dict() if self.bad else None,
               "message": str(self.bad) if self.bad else None}
        if self.head is not None:
            out.update(self.head.to_dict())
        if self.against is not None:
            out["against"] = self.against.to_dict()
        return out


class _Leaves:
    """Leaf hashes packed 32 bytes each (a million entries in 32 MB), sliced without copying."""

    def __init__(self, data: bytes, start: int = 0, stop: int | None = None):
        self._data, self._start = data, start
        self._stop = len(data) // 32 if stop is None else stop

    def __len__(self) -> int:
        return self._stop - self._start

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, _ = key.indices(len(self))
            return _Leaves(self._data, self._start + start, self._start + max(start, stop))
        at = (self._start + key) * 32
        return bytes(self._data[at:at + 32])

    def __iter__(self):
        return (self[i] for i in range(len(self)))


# -- the file -------------------------------------------------------------------------------

def verify_file(path) -> BadEntry | None:
    """The first problem in the ledger at `path`, or None when every entry and the head check."""
    return check_file(path).bad


def check_file(path, keep_leaves: bool = False) -> Verified:
    """Verify the ledger file at `path` read-only; `keep_leaves` keeps the leaf hashes for proofs."""
    verified, _ = _check_file(Path(path), keep_leaves)
    return verified


def _check_file(path: Path, keep_leaves: bool) -> tuple[Verified, _Leaves | None]:
    wal = path.with_name(path.name + "-wal")
    for attempt in range(2):
        if wal.exists():
            break
        # Nothing has the ledger open (a writer keeps its -wal file while it does): read it as
        # immutable, which takes no lock and creates no -wal or -shm beside it, so a copy on
        # read-only media verifies too. Had a writer come meanwhile, the file or its -wal shows it:
        # then it is read again with SQLite's locking. A failure is read twice before it is
        # reported, in case a writer came and went within the file time's resolution.
        stamp = _stamp(path)
        result = _check_once(path, keep_leaves, immutable=True)
        if not wal.exists() and _stamp(path) == stamp and (result[0].ok or attempt == 1):
            return result
    return _check_once(path, keep_leaves, immutable=False)


def _stamp(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _check_once(path: Path, keep_leaves: bool, immutable: bool) -> tuple[Verified, _Leaves | None]:
    # The file's size is compared with its header only when nothing writes it: a writer's
    # checkpoint rewrites the header and grows the file in steps, and SQLite's locking protects
    # readers of pages, not a look at the raw file. With a writer, SQLite checks the size itself.
    header, damage = _header(path, compare_size=immutable)
    if header is not None:
        return Verified(None, BadEntry(None, header)), None
    try:
        con = sqlite3.connect(read_only_uri(path, immutable), uri=True, isolation_level=None, timeout=60.0)
    except sqlite3.Error as e:
        return Verified(None, BadEntry(None, f"the ledger file cannot be opened read-only ({e})")), None
    try:
        # The schema is the file's, so it is not trusted to call functions with side effects.
        con.execute("PRAGMA trusted_schema = OFF")
        if damage and damage.shorter:
            # SQLite refuses a file shorter than its header says; with this flag it reads the pages
            # that are there, so the first entry whose pages are gone can be named.
            con.execute("PRAGMA writable_schema = ON")
        verified, leaves = _check(con, keep_leaves, quick_check=damage is None)
    finally:
        con.close()
    if damage is None:
        return verified, leaves
    bad = verified.bad
    if bad is None:
        return Verified(verified.head, BadEntry(None, f"the file is damaged ({damage}), though every entry checks")), \
            None
    return Verified(verified.head, BadEntry(bad.index, f"{bad.reason} ({damage}: truncated or damaged)")), None


@dataclass(frozen=True)
class _Damage:
    text: str
    shorter: bool  # the file is shorter than its header says

    def __str__(self) -> str:
        return self.text


def _header(path: Path, compare_size: bool = True) -> tuple[str | None, _Damage | None]:
    """(why the file is not a ledger at all, or None; how its size disagrees with its header, or None)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            return f"{path} is not a file: not a hegui ledger", None
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        return f"the ledger file cannot be read ({e.strerror}); no entry can be trusted", None
    if size == 0:
        return "an empty file is not a hegui ledger (0 bytes; no entry can be trusted)", None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return f"not an SQLite file ({size} bytes): not a hegui ledger; no entry can be trusted", None
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return f"the SQLite header is damaged (page size {page}); no entry can be trusted", None
    if not compare_size:
        return None, None
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count counts only when the change counter matches its version-valid-for
    # number (SQLite file format §1.3.7); otherwise SQLite itself uses the file's size.
    counted = pages != 0 and header[24:28] == header[92:96]
    if counted and pages * page != size:
        return None, _Damage(f"{size:,} bytes, but its header says {pages:,} pages of {page:,} bytes: "
                             f"{pages * page:,}", shorter=pages * page > size)
    if size % page:
        return None, _Damage(f"{size:,} bytes, not a whole number of {page:,}-byte pages", shorter=True)
    return None, None


def read_only_uri(path: Path, immutable: bool = False) -> str:
    """The SQLite URI that opens `path` read-only: nothing is created, migrated or written.

    `immutable` also tells SQLite that nothing else writes the file, so it takes no lock and
    makes no -shm file: only for a file no connection has open (see _check_file).
    """
    return "file:" + urllib.parse.quote(str(Path(path).resolve())) + "?mode=ro" + ("&immutable=1" if immutable else "")


def not_a_ledger(path) -> str | None:
    """Why the file at `path` cannot be a ledger (missing, empty, not SQLite, a damaged header), or None."""
    return _header(Path(path), compare_size=False)[0]


# -- the database ---------------------------------------------------------------------------

def check_connection(con: sqlite3.Connection, keep_leaves: bool = False) -> Verified:
    """Verify through an open connection (the one a Ledger holds); nothing is written."""
    return _check(con, keep_leaves, quick_check=True)[0]


def _check(con, keep_leaves: bool, quick_check: bool) -> tuple[Verified, _Leaves | None]:
    con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    began = not con.in_transaction
    if began:
        con.execute("BEGIN")  # one snapshot: the head and every entry as of one moment
    try:
        return _walk(con, keep_leaves, quick_check)
    finally:
        if began and con.in_transaction:
            con.execute("ROLLBACK")


def _walk(con, keep_leaves: bool, quick_check: bool) -> tuple[Verified, _Leaves | None]:
    try:
        problem = schema_problem(con)
    except sqlite3.Error as e:
        problem = f"the ledger file cannot be read ({e}); no entry can be trusted"
    if problem:
        return Verified(None, BadEntry(None, problem)), None
    try:
        head = _head(con)
    except sqlite3.Error as e:
        head = f"the tree head cannot be read ({e}); no entry can be trusted"
    if isinstance(head, str):
        return Verified(None, BadEntry(0, head)), None
    size, root, kept_frontier = head
    found = Head(size, root)
    try:
        low = con.execute("SELECT min(idx) FROM entries").fetchone()[0]
    except sqlite3.Error as e:
        return Verified(found, BadEntry(0, f"the entries cannot be read ({e}); no entry can be trusted")), None
    if low is not None and low < 0:
        return Verified(found, BadEntry(low, f"is outside the tree: entries are numbered 0 to {size - 1}")), None
    leaves = bytearray() if keep_leaves else None
    frontier: list[bytes] = []
    select = f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE idx = ?"
    for index in range(size):
        # One query per entry, not one cursor: sqlite3 reads a row ahead, which would blame an
        # unreadable entry on the one before it.
        try:
            row = con.execute(select, (index,)).fetchone()
        except sqlite3.Error as e:
            return Verified(found, BadEntry(index, f"cannot be read: {e}")), None
        if row is None:
            return Verified(found, BadEntry(index, f"is missing (the head says {size} entries)")), None
        try:
            problem, frontier, leaf = _check_row(Entry(*row), frontier)
        except Exception as e:  # any damage that makes a column unreadable
            problem = f"cannot be checked: {type(e).__name__}: {e}"
        if problem:
            return Verified(found, BadEntry(index, problem)), None
        if leaves is not None:
            leaves += leaf
    try:
        beyond = con.execute("SELECT min(idx) FROM entries WHERE idx >= ?", (size,)).fetchone()[0]
    except sqlite3.Error as e:
        return Verified(found, BadEntry(size, f"cannot be read: {e}")), None
    if beyond is not None:
        return Verified(found, BadEntry(beyond, f"is not covered by the tree head (size {size})")), None
    if frontier != kept_frontier or merkle.frontier_root(frontier).hex() != root:
        return Verified(found, BadEntry(size - 1 if size else None,
                                        f"the tree head (size {size}, root {root}) does not match the entries")), None
    if quick_check:
        try:
            check = con.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.Error as e:
            check = str(e)
        if check != "ok":
            return Verified(found, BadEntry(None, f"the SQLite file is damaged: {check}")), None
    return Verified(found, None), _Leaves(bytes(leaves)) if leaves is not None else None


@lru_cache(maxsize=1)
def _expected_tables() -> dict[str, list[tuple]]:
    """The ledger's tables and their columns (name, type, not null, key), as the schema makes them."""
    con = sqlite3.connect(":memory:")
    try:
        con.executescript(_SCHEMA)
        return {t: _columns(con, t) for t in ("meta", "entries", "head")}
    finally:
        con.close()


def _columns(con, table: str) -> list[tuple]:
    """Every column, generated and hidden ones too (table_xinfo), with its type, not null, key and kind."""
    return [(name, kind.upper(), notnull, pk, hidden) for _, name, kind, notnull, _, pk, hidden in
            con.execute(f"PRAGMA table_xinfo({table})")]


def schema_problem(con) -> str | None:
    application_id = con.execute("PRAGMA application_id").fetchone()[0]
    if application_id not in (0, APPLICATION_ID):  # 0: a ledger made before the id was set
        return f"an SQLite file of another application (id {application_id:#x}), not a hegui ledger"
    tables = {name: sql for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    for table, columns in _expected_tables().items():
        if table not in tables:
            return (f"not a hegui ledger: an SQLite file without the {table!r} table"
                    if tables else "not a hegui ledger: an SQLite file with no tables")
        if _columns(con, table) != columns or "without rowid" in (tables[table] or "").lower():
            return f"not a hegui ledger: the {table!r} table is not the ledger's"
    rows = con.execute("SELECT value FROM meta WHERE key = 'format'").fetchall()
    if [r[0] for r in rows] != [FORMAT]:
        return f"not a {FORMAT} ledger (format {rows[0][0] if rows else 'missing'!r})"
    return None


def _head(con) -> tuple[int, str, list[bytes]] | str:
    """(size, root, frontier) of the one head row, or what is wrong with it."""
    rows = con.execute("SELECT id, size, root, frontier FROM head").fetchall()
    if not rows:
        return "the tree head is missing; no entry can be trusted"
    if len(rows) > 1 or rows[0][0] != 0:
        return "the tree head is not one row; no entry can be trusted"
    _, size, root, frontier = rows[0]
    if type(size) is not int or not 0 <= size < INDEX_LIMIT:
        return f"the tree head's size {size!r} is not a count of entries; no entry can be trusted"
    if not isinstance(root, str) or not _HEX64.fullmatch(root):
        return "the tree head's root is not a SHA-256 hash in hex; no entry can be trusted"
    try:
        return size, root, parse_frontier(frontier, size)
    except ValueError as e:
        return f"the tree head's {e} (damaged or forged); no entry can be trusted"


def _check_row(e: Entry, frontier: list[bytes]) -> tuple[str | None, list[bytes], bytes]:
    if canonical_json(json.loads(e.manifest)) != e.manifest:
        return "the manifest is not in canonical form (changed?)", frontier, b""
    if digest(e.manifest) != e.manifest_digest:
        return "the manifest does not match its digest", frontier, b""
    if digest(e.assessment) != e.assessment_digest:
        return "the findings do not match their digest", frontier, b""
    assessment = json.loads(e.assessment)
    if not digest_matches(e.findings_digest, assessment.get("findings", [])):
        return "the findings do not match their digest", frontier, b""
    datetime.date.fromisoformat(e.as_of)
    data = leaf_data(e.index, e.recorded_at, e.as_of, e.manifest, e.rulebook_version, e.rulebook_digest,
                     e.manifest_digest, e.assessment_digest, e.findings_digest)
    leaf = merkle.leaf_hash(data)
    if leaf.hex() != e.leaf_hash:
        return "the recomputed leaf hash does not match the stored one (a field was changed)", frontier, leaf
    frontier = merkle.push(frontier, e.index, leaf)
    if merkle.frontier_root(frontier).hex() != e.tree_root:
        return "the tree root after this entry does not match (entries reordered or replaced?)", frontier, leaf
    return None, frontier, leaf


# -- against a kept head ----------------------------------------------------------------------

def read_head_file(path) -> dict:
    """A kept head's JSON (bounded in size); LedgerError when it cannot be read as one."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_HEAD_FILE_BYTES + 1)
    except OSError as e:
        raise LedgerError(f"{path}: cannot be read ({e.strerror})") from None
    if len(data) > MAX_HEAD_FILE_BYTES:
        raise LedgerError(f"{path}: over {MAX_HEAD_FILE_BYTES} bytes, not a signed head")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise LedgerError(f"{path}: not JSON ({e})") from None
    if not isinstance(value, dict):
        raise LedgerError(f"{path}: not a signed head (a JSON object)")
    return value


def verify_against(path, signed: dict, public_key=None) -> Verified:
    """Verify the ledger at `path`, then that it extends the kept `signed` head (RFC 6962 consistency).

    Fails on a bad signature (or another key than `public_key`), on a ledger with fewer entries
    than the kept head (truncated or replaced), and on a consistency proof from the kept head to
    the current tree that does not check (rewritten or replaced).
    """
    from hegui.ledger.sign import verify_signed_head
    try:
        kept = verify_signed_head(signed, public_key)
    except LedgerError as e:
        return Verified(None, BadEntry(None, str(e)))
    verified, leaves = _check_file(Path(path), keep_leaves=True)
    if not verified.ok:
        return Verified(verified.head, verified.bad, kept)
    return Verified(verified.head, against_problem(kept, verified.head, leaves), kept)


def against_problem(kept: Head, current: Head, leaves) -> BadEntry | None:
    """Whether the tree of `leaves` (whose head is `current`) extends the kept head; why not."""
    if kept.size > current.size:
        return BadEntry(None, f"the kept head has {kept.size} entries but the ledger only {current.size}: "
                              "entries were removed (truncated) or the file replaced")
    if not _HEX64.fullmatch(kept.root):
        return BadEntry(None, "the kept head's root is not a SHA-256 hash in hex")
    proof = merkle.consistency_path(kept.size, leaves)
    if not merkle.verify_consistency(kept.size, current.size, bytes.fromhex(kept.root), bytes.fromhex(current.root),
                                     proof):
        return BadEntry(None, f"the consistency proof from the kept head (size {kept.size}, root {kept.root}) to "
                              f"the ledger (size {current.size}, root {current.root}) fails: the ledger was "
                              "rewritten or replaced since that head")
    return None
