"""Who is asking: passwords (argon2), browser sessions with their CSRF token, API tokens, and the
limit on login attempts.

A session's, an API token's and a calendar feed's secret is 32 random bytes given to the client
once (new_secret); the database keeps only its sha256 (secret_hash), so a copy of the database opens
no account, and a request is told who it is by one query on that hash (actor_for), never argon2. A session carries a CSRF token
(a synchronizer token kept in its row): every state-changing request made with the session cookie
must send it back in the X-CSRF-Token header; a request with `Authorization: Bearer` sends no
cookie a browser could have added by itself, so it needs none.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import bindparam, delete, func, null, select

from hegui.workspace.models import ApiToken, FeedToken, LoginFailure, Session, User, now
from hegui.workspace.store import Actor, Invalid, NotFound, Workspace

SESSION_COOKIE = "hegui_session"
CSRF_HEADER = "X-CSRF-Token"
SESSION_LIFETIME = datetime.timedelta(hours=12)
# Failed logins counted over the window: past either limit, a login is refused (429) until the
# oldest failure leaves the window, even with the right password.
FAILURE_WINDOW = datetime.timedelta(minutes=15)
FAILURES_PER_USER = 5
FAILURES_PER_ADDRESS = 20
MIN_PASSWORD = 12

_hasher = PasswordHasher()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class Unauthenticated(Exception):
    """No valid session or token: 401."""


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash to check against when the e-mail has no account, so such a login takes as long as a
# wrong password (no telling which e-mails exist by timing).
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def check_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise Invalid("email", f"expected an e-mail address, got {email!r}")
    return email


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise Invalid("password", f"a password has at least {MIN_PASSWORD} characters")


def secret_hash(secret: str) -> str:
    """What the database keeps of a secret, and looks it up by: its sha256 (hex). A secret is 32
    random bytes, so a fast hash is enough (argon2 is for passwords, which people choose); no
    request pays for more than this one hash."""
    # surrogatepass: a secret from a URL that was not UTF-8 still hashes (to something matching nothing)
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    """A new secret for a session, an API token or a feed's URL: 32 random bytes, URL-safe. The
    client is given it once; the database keeps only secret_hash(secret)."""
    return secrets.token_urlsafe(32)


# -- logging in ---------------------------------------------------------------------------------

def login(ws: Workspace, email: str, password: str, address: str) -> tuple[str, Actor]:
    """A new session's secret (for the cookie) and its actor, or Unauthenticated / RateLimited."""
    email = (email or "").strip().lower()
    address = (address or "unknown")[:64]
    with ws.transaction(write=True) as s:
        # What no longer counts goes: failures past the window, sessions past their end.
        s.execute(delete(LoginFailure).where(LoginFailure.at <= now() - FAILURE_WINDOW))
        s.execute(delete(Session).where(Session.expires_at <= now()))
        _check_rate(s, email, address)
        user = s.scalar(select(User).where(User.email == email))
        if user is None or not password_matches(user.password_hash, password or ""):
            if user is None:
                password_matches(_DUMMY_HASH, password or "")
            s.add(LoginFailure(email=email, address=address))
            failed = True
        else:
            failed = False
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            secret = new_secret()
            session = Session(user_id=user.id, token_hash=secret_hash(secret), csrf_token=secrets.token_urlsafe(24),
                              expires_at=now() + SESSION_LIFETIME)
            s.add(session)
            s.execute(delete(LoginFailure).where(LoginFailure.email == email))
            actor = Actor(user.id, user.email, user.is_admin, "session", session.csrf_token)
    if failed:   # committed, so the failure counts even though the login is refused
        raise Unauthenticated("wrong e-mail or password")
    return secret, actor


def _check_rate(s, email: str, address: str) -> None:
    since = now() - FAILURE_WINDOW
    for column, value, limit in ((LoginFailure.email, email, FAILURES_PER_USER),
                                 (LoginFailure.address, address, FAILURES_PER_ADDRESS)):
        count, oldest = s.execute(select(func.count(), func.min(LoginFailure.at)).where(
            column == value, LoginFailure.at > since)).one()
        if count >= limit:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=datetime.timezone.utc)
            wait = (oldest + FAILURE_WINDOW - now()).total_seconds()
            raise RateLimited(max(1, int(wait) + 1))


def logout(ws: Workspace, secret: str) -> None:
    with ws.transaction(write=True) as s:
        s.execute(delete(Session).where(Session.token_hash == secret_hash(secret)))


# -- who a secret is ------------------------------------------------------------------------------

def _holder(table, live):
    """The query from a secret's hash to its user (and a session's CSRF token): one per request."""
    csrf = table.csrf_token if table is Session else null()
    return (select(User.id, User.email, User.is_admin, csrf).select_from(table).join(User, User.id == table.user_id)
            .where(table.token_hash == bindparam("digest"), live))


# Each kind of secret a request can carry: who holds a live one, and what a dead or unknown one is told.
_SECRETS = {
    "session": (_holder(Session, Session.expires_at > bindparam("now")),
                "not logged in (or the session has ended): log in again"),
    "token": (_holder(ApiToken, ApiToken.revoked_at.is_(None)), "the API token is unknown or revoked"),
    "feed": (_holder(FeedToken, FeedToken.revoked_at.is_(None)),
             "no such calendar feed (its address was replaced or revoked)"),
}


def actor_for(ws: Workspace, via: str, secret: str) -> Actor:
    """Who holds this secret: via is "session" (a browser's cookie), "token" (an API token) or "feed"
    (the secret in a calendar feed's URL); Unauthenticated when it is unknown, revoked or ended."""
    query, refusal = _SECRETS[via]
    row = next(iter(ws.rows(query, digest=secret_hash(secret), now=now())), None)
    if row is None:
        raise Unauthenticated(refusal)
    return Actor(row.id, row.email, row.is_admin, via, row[3])


def csrf_matches(actor: Actor, sent: str | None) -> bool:
    return bool(sent) and actor.csrf_token is not None and hmac.compare_digest(actor.csrf_token, sent)


# -- API tokens ---------------------------------------------------------------------------------

def create_token(ws: Workspace, actor: Actor, name: str) -> dict:
    """A new API token: the secret is in this answer and nowhere else, ever."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise Invalid("name", "expected a token name of 1 to 200 characters (what it is for)")
    secret = "hg_" + new_secret()
    with ws.transaction(write=True) as s:
        token = ApiToken(user_id=actor.user_id, name=name, token_hash=secret_hash(secret))
        s.add(token)
        s.flush()
        return {**_token_dict(token), "token": secret}


def tokens(ws: Workspace, actor: Actor) -> list[dict]:
    with ws.transaction() as s:
        rows = s.scalars(select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id)).all()
        return [_token_dict(t) for t in rows]


def revoke_token(ws: Workspace, actor: Actor, token_id: int) -> None:
    with ws.transaction(write=True) as s:
        token = s.get(ApiToken, token_id)
        if token is None or token.user_id != actor.user_id:
            raise NotFound(f"no token {token_id}")
        if token.revoked_at is None:
            token.revoked_at = now()


# -- calendar feed tokens -----------------------------------------------------------------------

def create_feed_token(ws: Workspace, actor: Actor) -> str:
    """A new secret for the user's calendar feed URL; the one before it stops working."""
    secret = new_secret()
    with ws.transaction(write=True) as s:
        for old in s.scalars(select(FeedToken).where(FeedToken.user_id == actor.user_id,
                                                     FeedToken.revoked_at.is_(None))):
            old.revoked_at = now()
        s.add(FeedToken(user_id=actor.user_id, token_hash=secret_hash(secret)))
    return secret


def revoke_feed_token(ws: Workspace, actor: Actor) -> bool:
    """Stop the user's feed URL; whether there was one."""
    with ws.transaction(write=True) as s:
        found = False
        for old in s.scalars(select(FeedToken).where(FeedToken.user_id == actor.user_id,
                                                     FeedToken.revoked_at.is_(None))):
            old.revoked_at, found = now(), True
        return found


def _token_dict(t: ApiToken) -> dict:
    def instant(v):
        return v.isoformat(timespec="seconds").replace("+00:00", "Z") if v else None
    return {"id": t.id, "name": t.name, "created_at": instant(t.created_at), "revoked_at": instant(t.revoked_at)}
