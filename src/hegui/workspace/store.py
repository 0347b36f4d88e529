"""The workspace's operations: organisations, members, manifest versions, records, evidence.

Every change is one database transaction, and is appended to the workspace's ledger (an ordinary
hegui ledger file, `hegui ledger verify` proves it) with the actor's identity before that
transaction commits, so nothing is changed without a ledger entry. Each entry holds the
organisation's manifest after the change and its assessment on that day, with a `workspace`
member naming the change, the actor and the organisation: `hegui ledger replay` re-decides it like
any recorded assessment.

The ledger is a file beside the database rather than tables inside it: it is the ledger hegui
already verifies, proves and signs (RFC 6962, append-only), whatever database holds the
workspace, and whoever can rewrite the workspace's tables still cannot make the ledger's hashes
agree with a head kept elsewhere (`hegui ledger verify --against`).

Permission checks are the caller's (routes.py for HTTP); the terminal commands act with the
database's own trust.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import os
import queue
import threading
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import bindparam, create_engine, event, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from hegui.workspace import migrations
from hegui.workspace.kept import Kept
from hegui.workspace.models import (
    ROLES, Blob, Evidence, Group, ManifestVersion, Membership, Organisation, RecordedAssessment, Record,
    RulebookSnapshot, User, Visit,
)

MAX_EVIDENCE_BYTES = 10_000_000
# How `hegui serve --max-evidence` tells each server worker its limit (as HEGUI_MAX_BODY for --max-body).
MAX_EVIDENCE_VARIABLE = "HEGUI_MAX_EVIDENCE_BYTES"
# Evidence a compliance team files: documents, scans, spreadsheets, plain text. Nothing a browser
# would run (HTML, SVG, JavaScript) is stored, so a download can never act as a page.
EVIDENCE_TYPES = (
    "application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv", "application/json",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class WorkspaceError(Exception):
    """A request the workspace refuses; the message says why, for a person."""


class NotFound(WorkspaceError):
    pass


class Conflict(WorkspaceError):
    """The manifest moved on since the version the writer started from: nothing was saved."""

    def __init__(self, expected: int, current: int):
        super().__init__(f"the manifest is at version {current}, not {expected}: someone saved in between; "
                         f"read version {current}, apply your change to it and save again")
        self.expected, self.current = expected, current


class TooLarge(WorkspaceError):
    def __init__(self, limit: int):
        super().__init__(f"evidence files are at most {limit:,} bytes here (hegui serve --max-evidence)")
        self.limit = limit


class RefusedType(WorkspaceError):
    def __init__(self, content_type: str, allowed=EVIDENCE_TYPES):
        super().__init__(f"evidence of type {content_type or 'unknown'} is not accepted; expected one of "
                         + ", ".join(allowed))
        self.content_type = content_type


class Invalid(WorkspaceError):
    """A field of the request is wrong (its name in `field`; for the manifest's text, text.PATH and
    the line in the text)."""

    def __init__(self, field: str, message: str, line: int | None = None):
        super().__init__(f"{field}: {message}")
        self.field, self.reason, self.line = field, message, line


def database_url(url: str) -> str:
    """A SQLAlchemy URL from what a user types: a file path (SQLite) or postgresql://..."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]   # psycopg 3, not the default psycopg2
    if "://" in url:
        return url
    return f"sqlite:///{os.path.abspath(url)}"


def evidence_limit_from_environment() -> int:
    given = os.environ.get(MAX_EVIDENCE_VARIABLE, "").strip()
    if not given:
        return MAX_EVIDENCE_BYTES
    if not given.isdigit() or int(given) < 1:
        raise WorkspaceError(f"{MAX_EVIDENCE_VARIABLE}: expected a positive number of bytes, got {given!r}")
    return int(given)


def default_ledger_path(url: str) -> str | None:
    """Beside an SQLite file (hegui.db -> hegui.db.ledger); PostgreSQL has no place beside it."""
    sql = database_url(url)
    if sql.startswith("sqlite:///") and sql != "sqlite:///:memory:":
        return sql.removeprefix("sqlite:///") + ".ledger"
    return None


@lru_cache(maxsize=1)
def _rulebook():
    from hegui.rulebook import default_rulebook
    return default_rulebook()


@dataclass(frozen=True)
class Actor:
    """Who acts: a user (through a session, an API token or the terminal)."""
    user_id: int | None
    email: str
    is_admin: bool = False
    via: str = "session"   # session | token | terminal
    csrf_token: str | None = None   # the session's, for checking state-changing requests

    @property
    def identity(self) -> str:
        return self.email if self.via == "session" else f"{self.email} ({self.via})"


@dataclass(frozen=True)
class Assessed:
    """An assessment made for the ledger: the engine's Assessment and its JSON document (English)."""
    result: object   # hegui.engine.Assessment
    document: dict   # report.json_report.assessment_dict(result), as recorded


class Workspace:
    """An open workspace: the database (migrated to the newest schema) and its ledger."""

    def __init__(self, url: str, ledger_path: str | None = None, *, max_evidence_bytes: int | None = None):
        """max_evidence_bytes: the largest evidence file accepted; by default HEGUI_MAX_EVIDENCE_BYTES
        when set (as `hegui serve --max-evidence` sets it), else MAX_EVIDENCE_BYTES."""
        from hegui.ledger import Ledger
        self.max_evidence_bytes = max_evidence_bytes or evidence_limit_from_environment()   # before opening anything
        self.url = url
        ledger_path = ledger_path or default_ledger_path(url)
        if ledger_path is None:
            raise WorkspaceError(f"a workspace at {safe_url(url)} keeps its ledger in a file: give its path "
                                 f"(--ledger PATH)")
        self.engine = _engine(database_url(url))
        with self.engine.begin() as connection:
            migrations.upgrade(connection)
        self._reading = threading.local()
        # Single reads need no transaction: without one there is no BEGIN and no ROLLBACK to send
        # the database around them (on PostgreSQL, two round trips of the four a request made).
        self._reads = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = self._sessions
        if self.engine.dialect.name == "sqlite":
            self._write_engine = _engine(database_url(url), begin="BEGIN IMMEDIATE")
            self._writes = sessionmaker(self._write_engine, expire_on_commit=False)
        self.ledger_path = str(Path(ledger_path).resolve())
        self.ledger = Ledger(self.ledger_path)
        self._appender = GroupAppender(self.ledger)

    def close(self) -> None:
        self._appender.close()
        self.ledger.close()
        self.engine.dispose()
        if self._writes is not self._sessions:
            self._write_engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self, write: bool = False):
        """One database transaction. A writing one holds SQLite's write lock from its first read
        (BEGIN IMMEDIATE): a writer that read and then found the database changed under it could
        not go on, and would fail instead of waiting its turn."""
        with (self._writes if write else self._sessions).begin() as session:
            yield session

    def rows(self, statement, **params) -> list:
        """The rows of one read-only statement on a pooled connection, without the ORM's session: for
        the reads every request makes (who is asking; whether their dashboard moved)."""
        pinned = getattr(self._reading, "connection", None)
        if pinned is not None:
            return pinned.execute(statement, params).all()
        with self._reads.connect() as connection:
            return connection.execute(statement, params).all()

    @contextmanager
    def reading(self):
        """Within it, this thread's rows() share one pooled connection: a request's few small reads
        take one connection from the pool, and check it is alive (PostgreSQL) once, not each."""
        if getattr(self._reading, "connection", None) is not None:
            yield
            return
        with self._reads.connect() as connection:
            self._reading.connection = connection
            try:
                yield
            finally:
                self._reading.connection = None

    # -- people ------------------------------------------------------------------------------

    def create_user(self, email: str, password: str, *, is_admin: bool = False) -> User:
        from hegui.workspace.auth import hash_password, check_email, check_password
        email = check_email(email)
        check_password(password)
        with self.transaction(write=True) as s:
            if s.scalar(select(User).where(User.email == email)) is not None:
                raise Invalid("email", f"{email} already has an account")
            user = User(email=email, password_hash=hash_password(password), is_admin=is_admin)
            s.add(user)
        return user

    def user(self, email: str) -> User | None:
        with self.transaction() as s:
            return s.scalar(select(User).where(User.email == email.strip().lower()))

    def members_anywhere(self) -> list[Actor]:
        """Every user who is a member of some organisation (as acting for themselves), by e-mail."""
        with self.transaction() as s:
            users = s.scalars(select(User).where(User.id.in_(select(Membership.user_id))).order_by(User.email)).all()
            return [Actor(u.id, u.email, u.is_admin, "terminal") for u in users]

    def role(self, organisation_id: int, user_id: int) -> str | None:
        with self.transaction() as s:
            return s.scalar(select(Membership.role).where(Membership.organisation_id == organisation_id,
                                                          Membership.user_id == user_id))

    def organisations_of(self, user_id: int) -> list[dict]:
        with self.transaction() as s:
            rows = s.execute(select(Organisation, Membership.role).join(
                Membership, Membership.organisation_id == Organisation.id).where(
                Membership.user_id == user_id).order_by(Organisation.name)).all()
            return [self._organisation_dict(s, org, role) for org, role in rows]

    def organisation(self, organisation_id: int, role: str | None = None) -> dict:
        with self.transaction() as s:
            return self._organisation_dict(s, self._organisation(s, organisation_id), role)

    def _organisation_dict(self, s, org: Organisation, role: str | None) -> dict:
        version = self._current_number(s, org.id)
        return {"id": org.id, "name": org.name, "group": org.group.name if org.group else None,
                "version": version or None, "role": role}

    def create_organisation(self, name: str, actor: Actor, group: str | None = None) -> dict:
        name = (name or "").strip()
        if not name or len(name) > 200:
            raise Invalid("name", "expected an organisation name of 1 to 200 characters")
        with self.transaction(write=True) as s:
            if s.scalar(select(Organisation).where(Organisation.name == name)) is not None:
                raise Invalid("name", f"an organisation named {name!r} already exists")
            org = Organisation(name=name, group=self._group(s, group) if group else None)
            s.add(org)
            s.flush()
            if actor.user_id is not None:
                s.add(Membership(user_id=actor.user_id, organisation_id=org.id, role="admin"))
            s.flush()
            return self._organisation_dict(s, org, "admin" if actor.user_id is not None else None)

    @staticmethod
    def _group(s, name: str) -> Group:
        group = s.scalar(select(Group).where(Group.name == name.strip()))
        if group is None:
            group = Group(name=name.strip())
            s.add(group)
        return group

    def members(self, organisation_id: int) -> list[dict]:
        with self.transaction() as s:
            self._organisation(s, organisation_id)
            rows = s.execute(select(User, Membership.role).join(Membership, Membership.user_id == User.id)
                             .where(Membership.organisation_id == organisation_id).order_by(User.email)).all()
            return [{"user_id": u.id, "email": u.email, "role": role} for u, role in rows]

    def set_member(self, organisation_id: int, email: str, role: str) -> dict:
        """Give a user a role in the organisation (adding them, or changing the role they had)."""
        if role not in ROLES:
            raise Invalid("role", f"expected one of {', '.join(ROLES)}, got {role!r}")
        with self.transaction(write=True) as s:
            self._organisation(s, organisation_id)
            user = s.scalar(select(User).where(User.email == (email or "").strip().lower()))
            if user is None:
                raise Invalid("email", f"no user {email!r} (a workspace administrator adds users)")
            membership = s.scalar(select(Membership).where(Membership.organisation_id == organisation_id,
                                                           Membership.user_id == user.id))
            if membership is None:
                s.add(Membership(user_id=user.id, organisation_id=organisation_id, role=role))
            else:
                if membership.role == "admin" and role != "admin" and self._admins(s, organisation_id) == 1:
                    raise Invalid("role", "the last admin of an organisation cannot be given a lower role")
                membership.role = role
            return {"user_id": user.id, "email": user.email, "role": role}

    def remove_member(self, organisation_id: int, user_id: int) -> None:
        with self.transaction(write=True) as s:
            membership = s.scalar(select(Membership).where(Membership.organisation_id == organisation_id,
                                                           Membership.user_id == user_id))
            if membership is None:
                raise NotFound(f"user {user_id} is not a member of this organisation")
            if membership.role == "admin" and self._admins(s, organisation_id) == 1:
                raise Invalid("user_id", "the last admin of an organisation cannot be removed")
            s.delete(membership)

    # -- manifest versions -------------------------------------------------------------------

    def versions(self, organisation_id: int) -> list[dict]:
        with self.transaction() as s:
            self._organisation(s, organisation_id)
            rows = s.scalars(select(ManifestVersion).where(ManifestVersion.organisation_id == organisation_id)
                             .order_by(ManifestVersion.number)).all()
            return [_version_dict(v) for v in rows]

    def version(self, organisation_id: int, number: int | None = None) -> dict:
        """One version with its text (the current one when number is None)."""
        with self.transaction() as s:
            self._organisation(s, organisation_id)
            v = self._version(s, organisation_id, number)
            return {**_version_dict(v), "text": v.text}

    def save_version(self, organisation_id: int, text: str, expected: int, actor: Actor,
                     message: str = "") -> dict:
        """Save text as the next version, if the current one is still `expected` (0: none yet)."""
        with self.transaction(write=True) as s:
            self._organisation(s, organisation_id, lock=True)
            version = self._save(s, organisation_id, text, expected, actor, message)
            return _version_dict(version)

    def _save(self, s, organisation_id: int, text: str, expected: int, actor: Actor, message: str,
              event: dict | None = None) -> ManifestVersion:
        manifest = _parse(text)
        current = self._current_number(s, organisation_id)
        if expected != current:
            raise Conflict(expected, current)
        version = ManifestVersion(organisation_id=organisation_id, number=current + 1, text=text,
                                  author=actor.identity, message=(message or "").strip())
        s.add(version)
        try:
            s.flush()   # a writer who saved the same number first wins here, on both databases
        except IntegrityError:
            raise Conflict(expected, current + 1) from None
        self._sync_records(s, organisation_id, manifest, version.number, actor)
        self._append(s, organisation_id, text, actor, event or {
            "change": "manifest_version", "version": version.number, "message": version.message}, manifest=manifest)
        return version

    def diff(self, organisation_id: int, start: int, end: int) -> dict:
        """The lines that differ between two versions' texts (a unified diff)."""
        a, b = self.version(organisation_id, start), self.version(organisation_id, end)
        lines = list(difflib.unified_diff(a["text"].splitlines(), b["text"].splitlines(),
                                          f"version {start}", f"version {end}", lineterm=""))
        return {"from": start, "to": end, "diff": "\n".join(lines)}

    # -- records and evidence ----------------------------------------------------------------

    def records(self, organisation_id: int) -> list[dict]:
        """The compliance records of the current manifest, with their owners, notes and evidence."""
        with self.transaction() as s:
            self._organisation(s, organisation_id)
            number = self._current_number(s, organisation_id)
            if not number:
                return []
            manifest = _parse(self._version(s, organisation_id, number).text)
            rows = self._record_rows(s, organisation_id)
            out = []
            for entry in manifest.compliance:
                row = rows.get(_record_key(entry.obligation, entry.subject, entry.done_on, entry.reference))
                if row is not None:
                    out.append(self._record_dict(s, row))
            return out

    def add_record(self, organisation_id: int, actor: Actor, *, obligation: str, subject: str,
                   done_on: datetime.date | None = None, reference: str | None = None, owner: str | None = None,
                   note: str | None = None, expected: int | None = None) -> dict:
        """Add a compliance record: a new manifest version with the record under `compliance:`."""
        with self.transaction(write=True) as s:
            self._organisation(s, organisation_id, lock=True)
            current = self._current_number(s, organisation_id)
            if not current:
                raise Invalid("obligation", "this organisation has no manifest yet; save one first")
            expected = current if expected is None else expected
            entry = {"obligation": obligation, "subject": subject}
            if done_on is not None:
                entry["done_on"] = done_on
            if reference:
                entry["reference"] = reference
            text = _with_record(self._version(s, organisation_id, current).text, entry)
            message = f"record {obligation} for {subject}"
            try:
                version = self._save(s, organisation_id, text, expected, actor, message,
                                     {"change": "record", "version": current + 1, "record": _jsonable(entry),
                                      "owner": owner})
            except Invalid as e:   # the record's own field, not a line of a text the caller never sent
                raise Invalid(e.field.rsplit(".", 1)[-1] if e.field.startswith("text.compliance") else e.field,
                              e.reason) from None
            row = self._record_rows(s, organisation_id)[_record_key(obligation, subject, done_on, reference)]
            row.owner, row.note = owner, note
            s.flush()
            assert version.number == row.version
            return self._record_dict(s, row)

    def add_evidence(self, organisation_id: int, record_id: int, actor: Actor, *, filename: str,
                     content_type: str, data: bytes) -> dict:
        content_type = (content_type or "").split(";")[0].strip().lower()
        if content_type not in EVIDENCE_TYPES:
            raise RefusedType(content_type)
        if len(data) > self.max_evidence_bytes:
            raise TooLarge(self.max_evidence_bytes)
        sha = hashlib.sha256(data).hexdigest()
        # The name as a person reads it; nothing a database or a download header would choke on.
        name = Path(filename or "").name.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
        name = name[:255] or "evidence"
        with self.transaction(write=True) as s:
            row = self._record(s, organisation_id, record_id)
            if s.get(Blob, sha) is None:
                s.add(Blob(sha256=sha, size=len(data), data=data))
            item = Evidence(record_id=row.id, sha256=sha, size=len(data), content_type=content_type,
                            filename=name, uploaded_by=actor.identity)
            s.add(item)
            s.flush()
            current = self._version(s, organisation_id, None)
            self._append(s, organisation_id, current.text, actor, {
                "change": "evidence", "version": current.number, "record_id": row.id,
                "record": {"obligation": row.obligation, "subject": row.subject},
                "evidence": {"id": item.id, "sha256": sha, "size": len(data), "content_type": content_type,
                             "filename": name}})
            return _evidence_dict(item)

    def evidence(self, organisation_id: int, evidence_id: int) -> tuple[dict, bytes]:
        with self.transaction() as s:
            item = s.get(Evidence, evidence_id)
            if item is None:
                raise NotFound(f"no evidence {evidence_id}")
            self._record(s, organisation_id, item.record_id)   # of this organisation, or not found
            return _evidence_dict(item), s.get(Blob, item.sha256).data

    # -- the dashboard's inputs --------------------------------------------------------------

    def dashboard_marks(self, user_id: int) -> list["Mark"]:
        """What the user's dashboard is made from, short of the texts (Mark), for each organisation
        they belong to that has a manifest, by name. One query, cheap enough for every request: while
        the marks stand, so does the dashboard (a version never changes; records are only added)."""
        return [Mark(*row) for row in self.rows(_MARKS, user=user_id) if row.version is not None]

    def dashboard_inputs(self, user_id: int, marks: list["Mark"] | None = None) -> list[dict]:
        """For each organisation of the marks (default: the user's now): its id and name, the current
        version and text, the text and date of the user's last visit (None on a first), the rulebook
        digest then, and the records the marks count (obligation, subject, owner), oldest first; and
        the mark itself. Three queries whatever the number of organisations."""
        marks = self.dashboard_marks(user_id) if marks is None else marks
        ids = [m.id for m in marks]
        wanted = {(m.id, m.version) for m in marks} | {(m.id, m.last_version) for m in marks if m.last_version}
        records: dict[int, list[dict]] = {i: [] for i in ids}
        texts = {}
        if marks:
            with self.transaction() as s:
                texts = {(row.organisation_id, row.number): row.text for row in s.execute(
                    select(ManifestVersion.organisation_id, ManifestVersion.number, ManifestVersion.text)
                    .where(tuple_(ManifestVersion.organisation_id, ManifestVersion.number).in_(wanted)))}
                newest = {m.id: m.newest_record or 0 for m in marks}
                for row in s.execute(select(Record.id, Record.organisation_id, Record.obligation, Record.subject,
                                            Record.owner).where(Record.organisation_id.in_(ids)).order_by(Record.id)):
                    if row.id <= newest[row.organisation_id]:   # those the marks count, no later one
                        records[row.organisation_id].append(
                            {"obligation": row.obligation, "subject": row.subject, "owner": row.owner})
        return [{"id": m.id, "name": m.name, "version": m.version, "text": texts[(m.id, m.version)],
                 "last_version": m.last_version, "last_text": texts.get((m.id, m.last_version)),
                 "last_seen_on": m.last_seen_on, "last_rulebook_digest": m.last_rulebook_digest,
                 "records": records[m.id], "mark": m} for m in marks]

    def mark_visited(self, user_id: int, seen: dict[int, int], seen_on: datetime.date, rulebook_digest: str) -> None:
        """Remember that the user saw these organisations (id -> version) on seen_on."""
        if not seen:
            return
        with self.transaction(write=True) as s:
            visits = {v.organisation_id: v for v in s.scalars(
                select(Visit).where(Visit.user_id == user_id, Visit.organisation_id.in_(list(seen))))}
            for org_id, version in seen.items():
                visit = visits.get(org_id)
                if visit is None:
                    # Two first looks at once (two tabs): on PostgreSQL both transactions may find no
                    # row, and the later insert would fail on the unique key; it updates instead.
                    values = {"version": version, "seen_on": seen_on, "rulebook_digest": rulebook_digest}
                    s.execute(_insert(s, Visit).values(user_id=user_id, organisation_id=org_id, **values)
                              .on_conflict_do_update(index_elements=[Visit.user_id, Visit.organisation_id],
                                                     set_=values))
                elif (visit.version, visit.seen_on, visit.rulebook_digest) != (version, seen_on, rulebook_digest):
                    # Only what moved is written: a dashboard seen again changes no row.
                    visit.version, visit.seen_on, visit.rulebook_digest = version, seen_on, rulebook_digest

    def keep_rulebook(self, sources, version: str) -> None:
        """Keep a rulebook's files (hegui.rulebook.sources.Sources) under its digest, once."""
        with self.transaction(write=True) as s:
            if s.get(RulebookSnapshot, sources.digest) is None:
                # Kept by another worker in between (PostgreSQL): the same files, nothing to add.
                s.execute(_insert(s, RulebookSnapshot).values(
                    digest=sources.digest, version=version, sources=_packed(sources)).on_conflict_do_nothing())

    def kept_rulebook(self, digest: str):
        """The Sources of a rulebook kept under this digest, or None."""
        with self.transaction() as s:
            row = s.get(RulebookSnapshot, digest)
            return _unpacked(row.sources) if row is not None else None

    # -- assessing, files --------------------------------------------------------------------

    def assess(self, organisation_id: int, actor: Actor, as_of: datetime.date | None = None) -> "Assessed":
        """The current manifest's assessment, recorded in the ledger."""
        from hegui.calendar.clock import today
        with self.transaction() as s:
            self._organisation(s, organisation_id)
            current = self._version(s, organisation_id, None)
            # A read transaction (on SQLite, holding no write lock while the ledger syncs): what it
            # recorded is not noted for page views, which at worst record that version's day once more.
            return self._append(s, organisation_id, current.text, actor,
                                {"change": "assessment", "version": current.number}, as_of or today(), noted=False)

    def shown_assessment(self, organisation_id: int, actor: Actor, as_of: datetime.date | None = None
                         ) -> tuple["Assessed", bool]:
        """The current manifest's assessment for a page to show, and whether it was recorded now: the
        ledger holds every assessment the workspace makes of a saved version (saving one records its
        assessment that day), so one of the current version, on this day, under this rulebook is
        recorded once (the first to look) and shown again after, never appended twice."""
        from hegui.calendar.clock import today
        day, digest = as_of or today(), _rulebook().digest
        with self.transaction(write=True) as s:
            # Held until the end: two looks at once (two workers on PostgreSQL) take turns, and the
            # second finds the first's row.
            self._organisation(s, organisation_id, lock=True)
            current = self._version(s, organisation_id, None)
            recorded = s.scalar(select(RecordedAssessment.id).where(
                RecordedAssessment.organisation_id == organisation_id, RecordedAssessment.version == current.number,
                RecordedAssessment.as_of == day, RecordedAssessment.rulebook_digest == digest))
            if recorded is None:
                return self._append(s, organisation_id, current.text, actor,
                                    {"change": "assessment", "version": current.number}, day), True
        # The same assessment the ledger holds: a version never changes, and assessing is pure.
        _, result, document = _kept_assessment(current.text, None, day, _rulebook())
        return Assessed(result, document), False

    def export(self, organisation_id: int) -> str:
        """The current manifest as a file: exactly the text last saved, records included."""
        return self.version(organisation_id)["text"]

    def import_text(self, text: str, actor: Actor, organisation: str | None = None, message: str = "",
                    group: str | None = None) -> dict:
        """Save a manifest file as the next version of its organisation (created when new)."""
        name = organisation or _parse(text).organisation.name
        with self.transaction() as s:
            org = s.scalar(select(Organisation).where(Organisation.name == name))
            if org is not None:
                org_id = org.id
        if org is None:
            org_id = self.create_organisation(name, actor, group)["id"]
        current = self.organisation(org_id)["version"] or 0
        return {"organisation_id": org_id, **self.save_version(org_id, text, current, actor, message or "imported")}

    def organisation_id(self, name: str) -> int:
        with self.transaction() as s:
            org = s.scalar(select(Organisation).where(Organisation.name == name))
            if org is None:
                raise NotFound(f"no organisation named {name!r} in this workspace")
            return org.id

    # -- inside ------------------------------------------------------------------------------

    @staticmethod
    def _organisation(s, organisation_id: int, lock: bool = False) -> Organisation:
        """The organisation, or NotFound; with lock, its row held until the transaction ends, so
        writers of one organisation's versions take turns (SELECT ... FOR UPDATE on PostgreSQL)."""
        org = s.get(Organisation, organisation_id, with_for_update=lock or None)
        if org is None:
            raise NotFound(f"no organisation {organisation_id}")
        return org

    @staticmethod
    def _admins(s, organisation_id: int) -> int:
        return s.scalar(select(func.count()).select_from(Membership).where(
            Membership.organisation_id == organisation_id, Membership.role == "admin"))

    @staticmethod
    def _current_number(s, organisation_id: int) -> int:
        return s.scalar(select(func.coalesce(func.max(ManifestVersion.number), 0))
                        .where(ManifestVersion.organisation_id == organisation_id))

    def _version(self, s, organisation_id: int, number: int | None) -> ManifestVersion:
        number = self._current_number(s, organisation_id) if number is None else number
        v = s.scalar(select(ManifestVersion).where(ManifestVersion.organisation_id == organisation_id,
                                                   ManifestVersion.number == number))
        if v is None:
            raise NotFound(f"no manifest version {number}" if number else "no manifest saved yet")
        return v

    @staticmethod
    def _record(s, organisation_id: int, record_id: int) -> Record:
        row = s.get(Record, record_id)
        if row is None or row.organisation_id != organisation_id:
            raise NotFound(f"no record {record_id}")
        return row

    @staticmethod
    def _record_rows(s, organisation_id: int) -> dict:
        rows = s.scalars(select(Record).where(Record.organisation_id == organisation_id).order_by(Record.id)).all()
        return {_record_key(r.obligation, r.subject, r.done_on, r.reference): r for r in rows}

    def _sync_records(self, s, organisation_id: int, manifest, number: int, actor: Actor) -> None:
        """A row for each of the manifest's compliance records that has none yet (a file's records)."""
        rows = self._record_rows(s, organisation_id)
        for entry in manifest.compliance:
            key = _record_key(entry.obligation, entry.subject, entry.done_on, entry.reference)
            if key not in rows:
                rows[key] = Record(organisation_id=organisation_id, obligation=entry.obligation,
                                   subject=entry.subject, done_on=entry.done_on, reference=entry.reference,
                                   version=number, created_by=actor.identity)
                s.add(rows[key])
        s.flush()

    @staticmethod
    def _record_dict(s, row: Record) -> dict:
        items = s.scalars(select(Evidence).where(Evidence.record_id == row.id).order_by(Evidence.id)).all()
        return {"id": row.id, "obligation": row.obligation, "subject": row.subject,
                "done_on": row.done_on.isoformat() if row.done_on else None, "reference": row.reference,
                "owner": row.owner, "note": row.note, "version": row.version, "created_by": row.created_by,
                "created_at": _instant(row.created_at), "evidence": [_evidence_dict(e) for e in items]}

    def _append(self, s, organisation_id: int, text: str, actor: Actor, change: dict,
                as_of: datetime.date | None = None, manifest=None, noted: bool = True):
        """Assess the manifest text (parsed already: manifest) and append it to the ledger with the
        change and its actor; noted (in a writing transaction), with a RecordedAssessment row."""
        from hegui.calendar.clock import today
        day, rulebook = as_of or today(), _rulebook()
        canonical, result, document = _kept_assessment(text, manifest, day, rulebook)
        org = self._organisation(s, organisation_id)
        entry = {**document, "workspace": {
            **change, "organisation": {"id": org.id, "name": org.name},
            "actor": {"user_id": actor.user_id, "email": actor.email, "via": actor.via}}}
        index = self._appender.append(canonical, result.as_of, entry, result.rulebook.version, result.rulebook.digest)
        if noted:   # every change names the version its text is (the one saved, or the current one)
            s.execute(_insert(s, RecordedAssessment).values(
                organisation_id=organisation_id, version=change["version"], as_of=day,
                rulebook_digest=rulebook.digest, ledger_index=index).on_conflict_do_nothing())
        return Assessed(result, document)


# A manifest text's assessment on a day under a rulebook, as the ledger records it: a saved version
# never changes, so assessing it again the same day (each time recorded) is only the ledger's work.
_assessed = Kept(64)


def _kept_assessment(text: str, manifest, day: datetime.date, rulebook):
    """_assessment, kept by the text's sha256, the day and the rulebook's digest."""
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), day, rulebook.digest)
    return _assessed.get(key, lambda: _assessment(text, manifest, day, rulebook))


def _assessment(text: str, manifest, day: datetime.date, rulebook):
    """(the manifest's canonical JSON, the engine's Assessment, its JSON document) for the ledger."""
    from hegui.engine import assess
    from hegui.ledger import canonical_manifest
    from hegui.manifest import InputError
    from hegui.report.json_report import assessment_dict
    manifest = manifest if manifest is not None else _parse(text)
    try:
        result = assess(manifest, day, rulebook, source="<workspace>")
    except InputError as e:   # a record naming an obligation the rulebook lacks, found on assessing
        from hegui.manifest.load import locate
        problem = locate(e.problems, text)[0]
        raise Invalid(f"text.{problem.path}" if problem.path else "text", problem.message, problem.line) from None
    return canonical_manifest(manifest), result, assessment_dict(result)


class GroupAppender:
    """Ledger entries from the server's threads appended by one thread, all those waiting at once in
    one transaction: one sync to disk makes the group durable (a group commit), and each caller is
    answered only when its own entry is. An entry the ledger refuses fails alone."""

    def __init__(self, ledger):
        self._ledger = ledger
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def append(self, *entry) -> int:
        """As Ledger.append: the entry's index, once it is on disk."""
        done: Future = Future()
        self._queue.put((entry, done))
        if self._thread is None:
            with self._starting:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="hegui ledger appends", daemon=True)
                    self._thread.start()
        return done.result()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=60)

    def _run(self) -> None:
        while True:
            group = [self._queue.get()]
            while group[-1] is not None:
                try:
                    group.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = group[-1] is None
            self._write([item for item in group if item is not None])
            if stop:
                return

    def _write(self, group: list) -> None:
        if not group:
            return
        try:
            indices = self._ledger.append_many([entry for entry, _ in group])
        except Exception as e:
            if len(group) == 1:
                group[0][1].set_exception(e)
            else:   # one of them is refused: each on its own, so the others are still recorded
                for item in group:
                    self._write([item])
            return
        for (_, done), index in zip(group, indices):
            done.set_result(index)


class Mark(NamedTuple):
    """An organisation on a user's dashboard as far as telling whether it moved: its current version,
    its records' count and newest id, and the user's last visit (None before the first)."""
    id: int
    name: str
    version: int
    records: int
    newest_record: int | None
    last_version: int | None
    last_seen_on: datetime.date | None
    last_rulebook_digest: str | None


def _marks_query():
    of = Organisation.id
    user = bindparam("user")
    return (select(Organisation.id, Organisation.name,
                   select(func.max(ManifestVersion.number)).where(ManifestVersion.organisation_id == of)
                   .scalar_subquery().label("version"),
                   select(func.count(Record.id)).where(Record.organisation_id == of).scalar_subquery(),
                   select(func.max(Record.id)).where(Record.organisation_id == of).scalar_subquery(),
                   Visit.version, Visit.seen_on, Visit.rulebook_digest)
            .join(Membership, (Membership.organisation_id == of) & (Membership.user_id == user))
            .outerjoin(Visit, (Visit.organisation_id == of) & (Visit.user_id == user))
            .order_by(Organisation.name))


_MARKS = _marks_query()


# Connections kept open per engine (per server worker). A connection past the pool is opened and
# closed for each request that needs it (on PostgreSQL, a new server process each time), and a
# worker serves up to 40 requests at once on its threads: keep 20 open, 10 more at the busiest.
# On PostgreSQL that is at most 30 connections per worker (its max_connections is 100 by default).
POOL = {"pool_size": 20, "max_overflow": 10}


def _engine(url: str, begin: str | None = None):
    """The engine; on SQLite, with foreign keys and WAL, and `begin` (BEGIN IMMEDIATE) opening each
    transaction when given (SQLAlchemy's documented recipe: the driver's own BEGIN turned off)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **POOL)

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _):
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")   # readers do not wait for a writer
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.close()
            if begin:
                connection.isolation_level = None

        if begin:
            @event.listens_for(engine, "begin")
            def _begin(connection):
                connection.exec_driver_sql(begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **POOL)


def _insert(s, model):
    """An INSERT that can say ON CONFLICT (both databases the workspace runs on have it)."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    try:
        return make_url(database_url(url)).render_as_string(hide_password=True)
    except Exception:
        return "the database"


def _parse(text: str):
    from hegui.manifest import InputError, parse_manifest
    from hegui.manifest.load import locate
    try:
        return parse_manifest(text, "manifest")
    except InputError as e:
        problem = locate(e.problems, text)[0]
        raise Invalid(f"text.{problem.path}" if problem.path else "text", problem.message, problem.line) from None


def _with_record(text: str, entry: dict) -> str:
    """The manifest text with one more compliance record at the end of `compliance:`, layout kept."""
    from hegui.manifest.edit import dump, set_value, yaml_writer
    from ruamel.yaml.comments import CommentedMap
    yaml = yaml_writer(None if text.lstrip().startswith("{") else text)
    document = yaml.load(text)
    if isinstance(document, dict) and document.get("compliance"):
        document["compliance"].append(CommentedMap(entry))
    else:
        set_value(document, "compliance", [entry])
    if text.lstrip().startswith("{"):
        return json.dumps(json.loads(json.dumps(document, default=str)), ensure_ascii=False, indent=2) + "\n"
    return dump(document, yaml)


def _packed(sources) -> bytes:
    import zlib
    return zlib.compress(json.dumps({
        "catalogue": sources.catalogue.decode("utf-8"), "boundary_words": sources.boundary_words.decode("utf-8"),
        "rule_files": [[name, data.decode("utf-8")] for name, data in sources.rule_files]}).encode("utf-8"), 9)


def _unpacked(blob: bytes):
    import zlib

    from hegui.rulebook.sources import Sources
    data = json.loads(zlib.decompress(blob))
    return Sources(data["catalogue"].encode("utf-8"),
                   tuple((name, text.encode("utf-8")) for name, text in data["rule_files"]),
                   data["boundary_words"].encode("utf-8"))


def _record_key(obligation, subject, done_on, reference) -> tuple:
    return obligation, subject, done_on.isoformat() if done_on else None, reference or None


def _jsonable(entry: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in entry.items()}


def _instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _version_dict(v: ManifestVersion) -> dict:
    return {"number": v.number, "author": v.author, "message": v.message, "created_at": _instant(v.created_at),
            "sha256": hashlib.sha256(v.text.encode("utf-8")).hexdigest()}


def _evidence_dict(e: Evidence) -> dict:
    return {"id": e.id, "record_id": e.record_id, "sha256": e.sha256, "size": e.size,
            "content_type": e.content_type, "filename": e.filename, "uploaded_by": e.uploaded_by,
            "uploaded_at": _instant(e.uploaded_at)}
