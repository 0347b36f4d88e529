"""The ledger file: one SQLite database (WAL), one row per recorded assessment, an RFC 6962 tree over them.

Each entry's leaf is the canonical JSON of the whole entry (index, time, as-of date, the
manifest itself, the rulebook version and digest, and the digests of the manifest, of the
assessment and of the decisions its findings record), so changing any stored column changes a
recomputed hash. The findings digest covers only the prose-free decisions (ledger/decisions.py),
so replay can compare outcomes while the assessment digest still covers every word stored.
Every row also keeps its leaf hash and the tree root after it, and the `head` row keeps the
size, root and frontier (the roots of the perfect subtrees) so an append is O(log n) and one
SQLite transaction: the entry, its hashes and the new head are committed together or not at all.
Verifying a ledger file, which trusts nothing in it, is ledger/verify.py.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from hegui.ledger import merkle
from hegui.ledger.canonical import canonical_json  # re-exported: callers import it from here
from hegui.ledger.decisions import findings_digest

FORMAT = "hegui-ledger/1"
APPLICATION_ID = 0x48475549  # "HGUI": PRAGMA application_id, in the SQLite header of every new ledger
# The largest value one column may hold, written or read: verify reads each entry whole, so this
# bounds its memory (an assessment of 64 MB is tens of thousands of findings).
MAX_VALUE_BYTES = 64 * 1024 * 1024
INDEX_LIMIT = 2 ** 63  # SQLite integers are signed 64-bit: an index or size at or beyond this is no entry

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    idx INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    manifest TEXT NOT NULL,
    manifest_digest TEXT NOT NULL,
    rulebook_version TEXT NOT NULL,
    rulebook_digest TEXT NOT NULL,
    assessment TEXT NOT NULL,
    assessment_digest TEXT NOT NULL,
    findings_digest TEXT NOT NULL,
    leaf_hash TEXT NOT NULL,
    tree_root TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS head (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    size INTEGER NOT NULL,
    root TEXT NOT NULL,
    frontier TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
"""

_COLUMNS = ("idx", "recorded_at", "as_of", "manifest", "manifest_digest", "rulebook_version", "rulebook_digest",
            "assessment", "assessment_digest", "findings_digest", "leaf_hash", "tree_root")


class LedgerError(Exception):
    """The ledger cannot be opened or read, or a request names an entry it does not have."""


class LedgerDamaged(LedgerError):
    """What the ledger holds cannot be what it wrote (`hegui ledger verify` names where)."""


def canonical_manifest(manifest) -> str:
    """A validated Manifest as canonical JSON: the facts it states (absent stays absent), dates as ISO."""
    return canonical_json(manifest.model_dump(exclude_unset=True))


def digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Head:
    size: int
    root: str  # hex

    def to_dict(self) -> dict:
        return {"size": self.size, "root": self.root}


@dataclass(frozen=True)
class Entry:
    index: int
    recorded_at: str
    as_of: str
    manifest: str
    manifest_digest: str
    rulebook_version: str
    rulebook_digest: str
    assessment: str
    assessment_digest: str
    findings_digest: str
    leaf_hash: str
    tree_root: str

    @property
    def organisation(self) -> str | None:
        try:
            return json.loads(self.manifest)["organisation"]["name"]
        except (ValueError, KeyError, TypeError):
            return None

    def _json(self, column: str):
        try:
            return json.loads(getattr(self, column))
        except (ValueError, TypeError):
            raise LedgerDamaged(f"entry {self.index}: the stored {column} is not JSON (damaged or forged; "
                                "run `hegui ledger verify`)") from None

    def assessment_dict(self) -> dict:
        return self._json("assessment")

    def summary(self) -> dict:
        counts: dict[str, int] = {}
        try:
            for f in self.assessment_dict()["findings"]:
                counts[f["status"]] = counts.get(f["status"], 0) + 1
        except (ValueError, KeyError, TypeError):
            pass
        return {"index": self.index, "recorded_at": self.recorded_at, "as_of": self.as_of,
                "organisation": self.organisation,
                "rulebook": {"version": self.rulebook_version, "digest": self.rulebook_digest},
                "findings": counts, "leaf_hash": self.leaf_hash}

    def to_dict(self) -> dict:
        return {"index": self.index, "recorded_at": self.recorded_at, "as_of": self.as_of,
                "manifest": self._json("manifest"), "manifest_digest": self.manifest_digest,
                "rulebook": {"version": self.rulebook_version, "digest": self.rulebook_digest},
                "assessment": self._json("assessment"), "assessment_digest": self.assessment_digest,
                "findings_digest": self.findings_digest, "leaf_hash": self.leaf_hash,
                "tree_root": self.tree_root}


@dataclass(frozen=True)
class BadEntry:
    """The first entry that does not verify (index None: the file or the head as a whole)."""
    index: int | None
    reason: str

    def __str__(self) -> str:
        return f"entry {self.index}: {self.reason}" if self.index is not None else self.reason

    def to_dict(self) -> dict:
        return {"index": self.index, "reason": self.reason}


def leaf_data(index: int, recorded_at: str, as_of: str, manifest: str, rulebook_version: str,
              rulebook_digest: str, manifest_digest: str, assessment_digest: str, findings_digest: str) -> bytes:
    """The bytes a leaf hashes: the canonical JSON of the whole entry (the assessment by its digests)."""
    return canonical_json({
        "format": FORMAT, "index": index, "recorded_at": recorded_at, "as_of": as_of,
        "manifest": json.loads(manifest), "manifest_digest": manifest_digest,
        "rulebook": {"version": rulebook_version, "digest": rulebook_digest},
        "assessment_digest": assessment_digest, "findings_digest": findings_digest,
    }).encode("utf-8")


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


_FRONTIER = re.compile(r'\[(?:"[0-9a-f]{64}"(?:, ?"[0-9a-f]{64}")*)?\]')


def parse_frontier(text, size) -> list[bytes]:
    """The head's frontier: one SHA-256 per bit of `size` (the perfect subtrees); ValueError if not that."""
    expected = bin(size).count("1") if type(size) is int and size >= 0 else -1
    # Its shape is matched before anything parses it, so no text (however long or deep) is decoded.
    if not isinstance(text, str) or len(text) > 70 * 64 or not _FRONTIER.fullmatch(text):
        raise ValueError(f"frontier is not a list of {expected} SHA-256 hashes")
    hashes = json.loads(text)
    if len(hashes) != expected:
        raise ValueError(f"frontier is not a list of {expected} SHA-256 hashes")
    return [bytes.fromhex(h) for h in hashes]


def _count(value, name: str) -> int:
    """An index, offset or size as SQLite can hold it; LedgerError naming `name` otherwise."""
    if type(value) is not int or not 0 <= value < INDEX_LIMIT:
        raise LedgerError(f"{name} {value!r} is not a whole number from 0 to {INDEX_LIMIT - 1}")
    return value


class Ledger:
    """An append-only, tamper-evident record of assessments in one SQLite file.

    `read_only=True` opens an existing ledger without ever writing to it (SQLite `mode=ro`): no
    schema is created, and a file that is not a hegui ledger is refused.
    """

    def __init__(self, path, timeout: float = 60.0, read_only: bool = False):
        self.path = Path(path)
        self._lock = threading.RLock()
        if read_only:
            self._open_read_only(timeout)
            return
        try:
            self._con = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None,
                                        check_same_thread=False)
            self._con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            self._con.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = self._con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise LedgerError(f"{self.path}: cannot use WAL mode (got {mode})")
            self._con.execute("PRAGMA synchronous = FULL")
            self._init()
        except sqlite3.DatabaseError as e:
            raise LedgerError(f"{self.path}: not a readable ledger: {e}") from None

    def _open_read_only(self, timeout: float):
        from hegui.ledger.verify import not_a_ledger, read_only_uri, schema_problem
        problem = not_a_ledger(self.path)
        if problem:
            raise LedgerError(f"{self.path}: {problem}")
        # A copy in a folder this process may not write (read-only media, an auditor's copy) with
        # no -wal beside it has no writer this process could share locks with, and SQLite could not
        # make its -shm there: read it as immutable. Anywhere else, SQLite's locking as usual.
        immutable = not self.path.with_name(self.path.name + "-wal").exists() and \
            not os.access(self.path.resolve().parent, os.W_OK)
        try:
            self._con = sqlite3.connect(read_only_uri(self.path, immutable), uri=True, timeout=timeout,
                                        isolation_level=None, check_same_thread=False)
            self._con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            self._con.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._con.execute("PRAGMA trusted_schema = OFF")
            problem = schema_problem(self._con)
        except sqlite3.DatabaseError as e:
            raise LedgerError(f"{self.path}: not a readable ledger: {e}") from None
        if problem:
            self._con.close()
            raise LedgerError(f"{self.path}: {problem}")

    def _init(self):
        con = self._con
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise LedgerError(f"{self.path}: an SQLite file that is not a hegui ledger")
        if "head" in tables and con.execute("SELECT 1 FROM head WHERE id = 0").fetchone():
            self._check_format()
            return
        con.executescript(_SCHEMA)  # every statement is idempotent, so racing creators agree
        con.execute("BEGIN IMMEDIATE")
        try:
            if not tables:
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            con.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (FORMAT,))
            con.execute("INSERT OR IGNORE INTO head VALUES (0, 0, ?, '[]')", (merkle.EMPTY_ROOT.hex(),))
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        self._check_format()

    def _check_format(self):
        row = self._con.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != FORMAT:
            raise LedgerError(f"{self.path}: not a {FORMAT} ledger (format {row[0] if row else 'missing'})")

    def close(self):
        with self._lock:
            self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- writing -----------------------------------------------------------------------------

    def append(self, manifest_canonical_json: str, as_of, assessment: dict, rulebook_version: str,
               rulebook_digest: str) -> int:
        """Record one assessment; return its 0-based index. One SQLite transaction."""
        return self.append_many([(manifest_canonical_json, as_of, assessment, rulebook_version, rulebook_digest)])[0]

    def append_many(self, entries) -> list[int]:
        """Record several assessments (each the arguments of append) in one SQLite transaction, so
        one sync to disk makes them all durable (a group commit); their indices, in order. Either
        all are recorded or none."""
        prepared = [self._prepared(*entry) for entry in entries]
        if not prepared:
            return []
        with self._lock:
            con = self._con
            con.execute("BEGIN IMMEDIATE")
            try:
                size, frontier = con.execute("SELECT size, frontier FROM head WHERE id = 0").fetchone()
                first = size
                try:
                    frontier = parse_frontier(frontier, size)
                except ValueError:
                    raise LedgerError(f"{self.path}: the tree head is damaged, so nothing can be appended "
                                      "(run `hegui ledger verify`)") from None
                for manifest, as_of_text, assessment_text, rulebook_version, rulebook_digest, manifest_digest, \
                        assessment_digest, decisions_digest in prepared:
                    recorded_at = _now()
                    data = leaf_data(size, recorded_at, as_of_text, manifest, rulebook_version, rulebook_digest,
                                     manifest_digest, assessment_digest, decisions_digest)
                    leaf = merkle.leaf_hash(data)
                    frontier = merkle.push(frontier, size, leaf)
                    new_root = merkle.frontier_root(frontier).hex()
                    con.execute(f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES "
                                f"({', '.join('?' * len(_COLUMNS))})",
                                (size, recorded_at, as_of_text, manifest, manifest_digest, rulebook_version,
                                 rulebook_digest, assessment_text, assessment_digest, decisions_digest, leaf.hex(),
                                 new_root))
                    size += 1
                con.execute("UPDATE head SET size = ?, root = ?, frontier = ? WHERE id = 0",
                            (size, new_root, json.dumps([h.hex() for h in frontier])))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        return list(range(first, size))

    @staticmethod
    def _prepared(manifest_canonical_json: str, as_of, assessment: dict, rulebook_version: str,
                  rulebook_digest: str) -> tuple:
        """An entry's columns that do not depend on its place in the ledger (checked and hashed
        before the ledger is locked)."""
        manifest = canonical_json(json.loads(manifest_canonical_json))
        as_of_text = as_of.isoformat() if isinstance(as_of, datetime.date) else \
            datetime.date.fromisoformat(str(as_of)).isoformat()
        assessment_text = canonical_json(assessment)
        for name, text in (("manifest", manifest), ("assessment", assessment_text)):
            if len(text.encode("utf-8")) > MAX_VALUE_BYTES:
                raise LedgerError(f"the {name} is {len(text.encode('utf-8')):,} bytes as JSON, over the ledger's "
                                  f"limit of {MAX_VALUE_BYTES:,} bytes per entry")
        return (manifest, as_of_text, assessment_text, rulebook_version, rulebook_digest, digest(manifest),
                digest(assessment_text), findings_digest(assessment.get("findings", [])))

    # -- reading -----------------------------------------------------------------------------

    def _read(self, sql: str, args=()):
        with self._lock:
            try:
                return self._con.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as e:
                raise LedgerError(f"{self.path}: cannot read the ledger: {e}") from None

    def size(self) -> int:
        return self.head().size

    def head(self) -> Head:
        rows = self._read("SELECT size, root FROM head WHERE id = 0")
        if not rows or type(rows[0][0]) is not int or not 0 <= rows[0][0] < INDEX_LIMIT or \
                not isinstance(rows[0][1], str):
            raise LedgerDamaged(f"{self.path}: the tree head is missing or damaged (run `hegui ledger verify`)")
        return Head(*rows[0])

    def root_at(self, size: int) -> str:
        """The tree root when the ledger had `size` entries (as recorded)."""
        self._check_size(size, "size")
        if size == 0:
            return merkle.EMPTY_ROOT.hex()
        return self._read("SELECT tree_root FROM entries WHERE idx = ?", (size - 1,))[0][0]

    def _check_size(self, size: int, name: str) -> int:
        _count(size, name)
        current = self.size()
        if not 0 <= size <= current:
            raise LedgerError(f"{name} {size} is not between 0 and the ledger's size {current}")
        return current

    def entry(self, n: int) -> Entry:
        _count(n, "entry")
        rows = self._read(f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE idx = ?", (n,))
        if not rows:
            raise LedgerError(f"no entry {n}: the ledger has {self.size()} entries (0 to {self.size() - 1})")
        return Entry(*rows[0])

    def entries(self, offset: int = 0, limit: int | None = None) -> list[Entry]:
        _count(offset, "offset")
        if limit is not None:
            _count(limit, "limit")
        rows = self._read(f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE idx >= ? ORDER BY idx LIMIT ?",
                          (offset, -1 if limit is None else limit))
        return [Entry(*r) for r in rows]

    def _leaves(self, size: int) -> list[bytes]:
        rows = self._read("SELECT leaf_hash FROM entries WHERE idx < ? ORDER BY idx", (size,))
        if len(rows) != size:
            raise LedgerError(f"{self.path}: entries are missing (run `hegui ledger verify`)")
        return [bytes.fromhex(r[0]) for r in rows]

    def inclusion_proof(self, n: int, size: int | None = None) -> dict:
        """The audit path showing entry n is in the tree of `size` entries (default: the current head)."""
        current = self.size()
        size = current if size is None else size
        self._check_size(size, "size")
        _count(n, "entry")
        if not 0 <= n < size:
            raise LedgerError(f"no entry {n} in a tree of size {size}")
        leaves = self._leaves(size)
        return {"index": n, "size": size, "leaf_hash": leaves[n].hex(), "root": merkle.root(leaves).hex(),
                "path": [h.hex() for h in merkle.inclusion_path(n, leaves)]}

    def consistency_proof(self, a: int, b: int | None = None) -> dict:
        """The proof that the tree of size a is a prefix of the tree of size b (default: the current head)."""
        b = self.size() if b is None else b
        self._check_size(b, "size")
        _count(a, "size")
        if not 0 <= a <= b:
            raise LedgerError(f"size {a} is not between 0 and {b}")
        leaves = self._leaves(b)
        return {"first": a, "second": b, "first_root": merkle.root(leaves[:a]).hex(),
                "second_root": merkle.root(leaves).hex(),
                "path": [h.hex() for h in merkle.consistency_path(a, leaves)]}

    # -- verifying ---------------------------------------------------------------------------

    def verify(self) -> BadEntry | None:
        """Recompute every digest and hash and the head; None when all agree, else the first bad entry."""
        from hegui.ledger.verify import check_connection
        with self._lock:
            return check_connection(self._con).bad
