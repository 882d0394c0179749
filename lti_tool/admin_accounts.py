"""Administrator accounts: scrypt password hashes, server-side sessions that expire, and
sign-in rate limiting. Framework-free: the `admin` blueprint and the CLI use it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lti_tool.models import AdminAccount, AdminLoginFailure, AdminSession, utcnow

# scrypt (RFC 7914) from the standard library. N=2**15, r=8, p=1 takes ~0.2 s and 32 MiB
# here: dear for a guesser, bearable for a sign-in. The parameters are stored in each hash,
# so they can be raised later without invalidating existing ones.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSWORD_LENGTH = 12

MAX_FAILURES = 5
"""Failed sign-ins allowed per user name and per address within FAILURE_WINDOW."""
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_MAX_AGE = timedelta(hours=12)
"""However active, a session ends after this long."""


class AccountError(Exception):
    """An account cannot be created or changed; the message says why (French / English)."""


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash`, all base64 but the numbers."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(computed, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# Compared against when the user name is unknown, so that both cases take the same time.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"mot de passe trop court : {MIN_PASSWORD_LENGTH} caractères au moins "
            f"/ password too short: at least {MIN_PASSWORD_LENGTH} characters"
        )


def create_account(session: Session, username: str, password: str) -> AdminAccount:
    username = username.strip()
    if not username or len(username) > 100:
        raise AccountError("nom d'utilisateur invalide / invalid user name")
    check_new_password(password)
    if session.scalar(select(AdminAccount).where(AdminAccount.username == username)):
        raise AccountError(f"le compte « {username} » existe déjà / account already exists")
    account = AdminAccount(username=username, password_hash=hash_password(password))
    session.add(account)
    session.flush()
    return account


def set_password(session: Session, username: str, password: str) -> None:
    """Change a password; the account's open sessions end."""
    check_new_password(password)
    account = session.scalar(select(AdminAccount).where(AdminAccount.username == username))
    if account is None:
        raise AccountError(f"compte inconnu / unknown account: {username}")
    account.password_hash = hash_password(password)
    session.execute(delete(AdminSession).where(AdminSession.account_id == account.id))


def too_many_failures(session: Session, keys: list[str], now: datetime | None = None) -> bool:
    """Whether any of `keys` (user name, address) failed MAX_FAILURES times lately."""
    since = (now or utcnow()) - FAILURE_WINDOW
    for key in keys:
        count = session.scalar(
            select(func.count())
            .select_from(AdminLoginFailure)
            .where(AdminLoginFailure.key == key, AdminLoginFailure.at >= since)
        )
        if (count or 0) >= MAX_FAILURES:
            return True
    return False


def record_failure(session: Session, keys: list[str], now: datetime | None = None) -> None:
    now = now or utcnow()
    for key in keys:
        session.add(AdminLoginFailure(key=key[:255], at=now))
    # Old failures no longer count: keep the table small.
    session.execute(delete(AdminLoginFailure).where(AdminLoginFailure.at < now - FAILURE_WINDOW))


def authenticate(session: Session, username: str, password: str) -> AdminAccount | None:
    """The account if the password is right (same work whether the user exists or not)."""
    account = session.scalar(select(AdminAccount).where(AdminAccount.username == username))
    if account is None:
        verify_password(password, _DUMMY_HASH)
        return None
    return account if verify_password(password, account.password_hash) else None


@dataclass(frozen=True)
class SignedIn:
    account_id: int
    username: str
    csrf_token: str


def _session_id(token: str) -> str:
    # The cookie's token is never stored: a copy of the database opens no session.
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, account: AdminAccount, now: datetime | None = None) -> str:
    """A new session for `account`; returns the token for the cookie."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        AdminSession(
            id=_session_id(token),
            account_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
    )
    account.last_login_at = now
    session.flush()
    return token


def resume_session(
    session: Session, token: str | None, idle: timedelta, now: datetime | None = None
) -> SignedIn | None:
    """The signed-in administrator behind `token`, if the session is still alive (its idle
    time is renewed); an expired session is deleted."""
    if not token:
        return None
    now = now or utcnow()
    record = session.get(AdminSession, _session_id(token))
    if record is None:
        return None
    if now - record.last_seen_at > idle or now - record.created_at > SESSION_MAX_AGE:
        session.delete(record)
        session.flush()
        return None
    record.last_seen_at = now
    account = session.get(AdminAccount, record.account_id)
    if account is None:
        return None
    return SignedIn(account.id, account.username, record.csrf_token)


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(AdminSession).where(AdminSession.id == _session_id(token)))
