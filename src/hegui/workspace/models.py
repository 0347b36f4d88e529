"""The workspace's tables (SQLAlchemy 2, typed), one class each. Alembic's migrations/ create them.

A manifest version keeps the whole manifest text as it was given, its `compliance:` records
included: the text is the one truth about an organisation's facts and records, so a file exported
is the file imported. A `Record` row holds what a file cannot (owner, note, evidence, who added
it) for one compliance record of the organisation. Evidence bytes live in the database, one
`Blob` per sha256, so a backup of the database is a backup of everything (the upload limit keeps
rows small). Secrets (passwords, session and API tokens) are stored only as hashes.
"""

from __future__ import annotations

import datetime

from sqlalchemy import (
    BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("viewer", "editor", "admin")  # each can do what the ones before it can


def now() -> datetime.datetime:
    """The instant of a change (UTC), for the record of who did what when; never a date decided on."""
    return datetime.datetime.now(datetime.timezone.utc)


class Base(DeclarativeBase):
    pass


class Instant(TypeDecorator):
    """An aware UTC instant on every database (SQLite keeps no time zone: it is put back on reading)."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.astimezone(datetime.timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=datetime.timezone.utc)
        return value


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    # A workspace administrator adds users and organisations; reading an organisation still
    # needs a membership.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)


class Group(Base):
    """A group of companies: it holds several organisations, one manifest each."""
    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    created_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)
    group: Mapped[Group | None] = relationship()


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    user: Mapped[User] = relationship()


class ManifestVersion(Base):
    __tablename__ = "manifest_versions"
    # Two writers saving on the same version both try number n + 1: the database lets one in.
    __table_args__ = (UniqueConstraint("organisation_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per organisation
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(400))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)


class Record(Base):
    """A compliance record of an organisation, with what the manifest format has no room for."""
    __tablename__ = "records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    obligation: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    done_on: Mapped[datetime.date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)  # the manifest version it entered with
    created_by: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)


class Blob(Base):
    """Evidence bytes, stored once per content (sha256)."""
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(400))
    uploaded_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret
    created_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(Instant)
    user: Mapped[User] = relationship()


class Session(Base):
    """A browser's login: the cookie carries the secret, the row its hash and the CSRF token."""
    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)
    expires_at: Mapped[datetime.datetime] = mapped_column(Instant)
    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A failed login, counted per e-mail and per address to slow password guessing."""
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime.datetime] = mapped_column(Instant, default=now, index=True)


class FeedToken(Base):
    """The secret in a user's calendar feed URL (calendar apps cannot log in): hashed, revocable."""
    __tablename__ = "feed_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(Instant)
    user: Mapped[User] = relationship()


class Visit(Base):
    """A user's last look at an organisation's dashboard: what changed since is measured from it."""
    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)    # the manifest version seen
    seen_on: Mapped[datetime.date] = mapped_column(Date)    # the mainland date it was seen on
    rulebook_digest: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)


class RulebookSnapshot(Base):
    """The rule files of a rulebook a user has seen (by its digest), so a later dashboard can show
    what a new rulebook changed since: compressed, once per rulebook version."""
    __tablename__ = "rulebooks"
    digest: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    sources: Mapped[bytes] = mapped_column(LargeBinary)   # zlib of JSON {catalogue, rule_files, boundary_words}
    kept_at: Mapped[datetime.datetime] = mapped_column(Instant, default=now)


class RecordedAssessment(Base):
    """That the ledger holds an assessment of an organisation's manifest version on a day under a
    rulebook (any change recorded makes one), and at which entry: a page view of that version on
    that day shows it again instead of appending the same assessment each time."""
    __tablename__ = "recorded_assessments"
    __table_args__ = (UniqueConstraint("organisation_id", "version", "as_of", "rulebook_digest"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime.date] = mapped_column(Date)
    rulebook_digest: Mapped[str] = mapped_column(String(80))
    ledger_index: Mapped[int] = mapped_column(BigInteger)
