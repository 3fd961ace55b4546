"""Signing up and logging in: the rules for names and passwords, and a log-in that reveals nothing.

Log-in answers the same words, after the same amount of hashing, whether the username is unknown, the
password is wrong, or the account has no password (users made by the CLI): a caller cannot learn which
accounts exist from it. Attempts are counted in the database (``ratelimit``) before any hash is checked.

Every write of a password hash is one UPDATE that checks the user's ``credentials_version`` is still the
one read with the hash that was verified (a change moves it on, a rehash keeps it): two changes from one
old password cannot both succeed, and a log-in's rehash cannot put back a password changed meanwhile.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from mechuri.db import Database, crud, userdata
from mechuri.db.models import ApiToken, User
from mechuri.security import hash_password, needs_rehash, verify_password
from mechuri.web import ratelimit
from mechuri.web import strings as S
from mechuri.web.errors import ApiError
from mechuri.web.sessions import end_all_sessions

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.\-가-힣]{3,32}")
PASSWORD_MIN = 10
PASSWORD_MAX = 128
PASSWORD_MIN_DISTINCT = 4
"""A password of 10+ characters still needs 4 different ones: 「aaaaaaaaaa」 and ten spaces are refused."""
DISPLAY_NAME_MAX = 32

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The passwords at the top of every breach list (shipped as ``common-passwords.txt``; ASVS 2.1.7 asks
    to refuse them), lower case."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_username(password: str, username: str) -> bool:
    """The username itself, in any case, or with only digits, symbols and spaces around it (「minji2024!」);
    a password that merely mentions it among other words (「minji-loves-bibimbap」) is fine."""
    name = username.strip().lower()
    if not name:
        return False
    rest = password.lower().replace(name, "")
    return len(rest) < len(password) and not any(ch.isalpha() for ch in rest)


def password_problem(password: str, username: str) -> str | None:
    """The Korean reason ``password`` may not be used by ``username``, or None."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return S.PASSWORD_LENGTH.format(min=PASSWORD_MIN, max=PASSWORD_MAX)
    if len(set(password)) < PASSWORD_MIN_DISTINCT or not password.strip():
        return S.PASSWORD_SIMPLE
    if password.lower() in common_passwords() or password.strip().lower() in common_passwords():
        return S.PASSWORD_COMMON
    if _is_username(password, username):
        return S.PASSWORD_IS_USERNAME
    return None


def check_signup(username: str, password: str, display_name: str) -> dict[str, str]:
    """Field → Korean problem, for everything wrong with a sign-up (empty when it may proceed)."""
    problems: dict[str, str] = {}
    if not USERNAME_PATTERN.fullmatch(username):
        problems["username"] = S.USERNAME_RULE
    password_reason = password_problem(password, username)
    if password_reason:
        problems["password"] = password_reason
    if not 1 <= len(display_name.strip()) <= DISPLAY_NAME_MAX:
        problems["display_name"] = S.DISPLAY_NAME_RULE
    return problems


def register(session: Session, username: str, password: str, display_name: str, client_ip: str,
             now: datetime, signup_limit: int = ratelimit.MAX_SIGNUPS_PER_IP, db: Database | None = None) -> User:
    """A new web user, or ApiError (422 for bad fields, 409 when the name is taken in any letter case, 429 when
    this address made too many accounts lately).

    With ``db`` (the web app's database) the sign-up is counted before the account is made, in a unit of
    work of its own under a lock (``ratelimit.claim_signup``), so simultaneous sign-ups cannot all pass the
    count; without it, it is counted in ``session`` (one caller at a time, as in scripts)."""
    problems = check_signup(username, password, display_name)
    if problems:
        raise ApiError(422, "invalid_input", next(iter(problems.values())), details=problems)
    # counted first, before ``session`` holds a connection: waiting for the lock with one connection held
    # while asking the pool for another starves the pool under a burst
    claim = 0
    if db is not None:
        wait, claim = ratelimit.claim_signup(db, client_ip, now, signup_limit)
    else:
        wait = ratelimit.signup_retry_after(session, client_ip, now, signup_limit)
    if wait is not None:
        raise ApiError(429, "too_many_signups", S.TOO_MANY_SIGNUPS.format(minutes=max(1, round(wait / 60))),
                       headers={"Retry-After": str(wait)})
    taken = session.scalar(select(func.count(User.id)).where(func.lower(User.username) == username.lower()))
    if taken:
        if db is not None:
            ratelimit.release_signup(db, claim)
        raise ApiError(409, "username_taken", S.USERNAME_TAKEN)
    if db is None:
        ratelimit.record_signup(session, client_ip, now)
    try:
        user = crud.create_user(session, username, password=password, display_name=display_name.strip())
        session.flush()
    except IntegrityError as exc:  # the name was taken a moment ago by a simultaneous sign-up
        if db is not None:
            ratelimit.release_signup(db, claim)
        raise ApiError(409, "username_taken", S.USERNAME_TAKEN) from exc
    return user


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    """A real argon2id hash to verify against when the user is unknown, so timing matches a wrong password."""
    return hash_password("메추리-decoy-password")


def authenticate(session: Session, username: str, password: str, client_ip: str, now: datetime,
                 db: Database | None = None) -> User | None:
    """The user whose credentials these are; None when they are wrong; ApiError 429 while rate limited.

    With ``db`` (the web app's database) the attempt is counted before the password is checked, committed
    in a unit of work of its own under a lock (``ratelimit.claim_login_attempt``): however many attempts
    arrive at once, no more than the limit get their password checked. Without it the failure is recorded
    in ``session`` after the check (one caller at a time), and the caller must let it commit before
    answering 401."""
    if db is not None:
        wait, attempt = ratelimit.claim_login_attempt(db, username, client_ip, now)
    else:
        wait, attempt = ratelimit.retry_after(session, username, client_ip, now), 0
    if wait is not None:
        raise ApiError(429, "too_many_attempts", S.TOO_MANY_ATTEMPTS.format(minutes=max(1, round(wait / 60))),
                       headers={"Retry-After": str(wait)})
    user = crud.get_user_by_username(session, username) if len(username) <= crud.USERNAME_MAX else None
    password = password[:PASSWORD_MAX * 4]  # a megabyte "password" must not cost a megabyte of hashing
    if user is None or not user.password_hash:
        verify_password(_decoy_hash(), password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok or user is None:
        if db is None:
            ratelimit.record_failure(session, username, client_ip, now)
        return None
    if db is not None:
        ratelimit.login_succeeded(session, username, attempt)
    else:
        ratelimit.clear_failures(session, username)
    if user.password_hash and needs_rehash(user.password_hash):
        _store_hash(session, user, hash_password(password), user.credentials_version)  # same password, same version
    return user


def confirm_password(session: Session, db: Database, user_id: int, password: str, client_ip: str,
                     now: datetime) -> User:
    """The caller's own row, locked for a change (``userdata.lock_user``), once ``password`` proves it is
    really them: what deleting an account and changing a password ask, so a browser left logged in is not
    enough. ApiError 403 ``wrong_password`` when it is not theirs, 429 while the account is rate limited.

    The attempt is counted like a log-in (``ratelimit.claim_login_attempt``, committed before the hash is
    checked), so a stolen session cannot guess the password here faster than at the log-in form; it is
    claimed before the lock is taken, since on SQLite the claim needs the write lock too."""
    user = load_account(session, user_id)
    wait, attempt = ratelimit.claim_login_attempt(db, user.username, client_ip, now)
    if wait is not None:
        raise ApiError(429, "too_many_attempts", S.TOO_MANY_ATTEMPTS.format(minutes=max(1, round(wait / 60))),
                       headers={"Retry-After": str(wait)})
    locked = userdata.lock_user(session, user_id)
    if locked is None:  # deleted a moment ago, by this person's other session
        session.rollback()  # let go of the write lock first: on SQLite the release needs it
        ratelimit.release_attempt(db, attempt)
        raise ApiError(401, "login_required", S.LOGIN_REQUIRED)
    password = password[:PASSWORD_MAX * 4]
    if not verify_password(locked.password_hash or _decoy_hash(), password) or not locked.password_hash:
        raise ApiError(403, "wrong_password", S.WRONG_PASSWORD)
    ratelimit.login_succeeded(session, locked.username, attempt)
    return locked


def load_account(session: Session, user_id: int) -> User:
    """The caller's row, or 401 when the account is gone (its sessions went with it)."""
    user = session.get(User, user_id)
    if user is None:
        raise ApiError(401, "login_required", S.LOGIN_REQUIRED)
    return user


def _store_hash(session: Session, user: User, password_hash: str, version: int) -> bool:
    """Write ``password_hash`` and ``version`` into ``user``'s row if its ``credentials_version`` is still the one
    ``user`` was read with (whether the row changed under us is the UPDATE's to say, not a read before it);
    ``user`` is updated to match. False when another change got there first (nothing written)."""
    seen = user.credentials_version
    written = session.execute(
        update(User).where(User.id == user.id, User.credentials_version == seen)
        .values(password_hash=password_hash, credentials_version=version)
        .execution_options(synchronize_session=False)).rowcount
    if written != 1:
        return False
    # set as loaded, not as changes (the UPDATE above wrote them), for the caller's next session and answer
    set_committed_value(user, "password_hash", password_hash)
    set_committed_value(user, "credentials_version", version)
    return True


def set_password(session: Session, user: User, new_password: str) -> None:
    """Store the new password and sign the account out everywhere: the credentials version moves on (every
    session and API token made under the old one is dead, even one a racing log-in adds after this), and
    the rows are deleted too (whoever knew the old password may have made one). ApiError 409
    ``credentials_changed`` when the password was changed since ``user`` was read — the old password proves
    nothing any more. The caller starts the one session that goes on, if any."""
    if not _store_hash(session, user, hash_password(new_password), user.credentials_version + 1):
        raise ApiError(409, "credentials_changed", S.CREDENTIALS_CHANGED)
    end_all_sessions(session, user.id)
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    session.flush()
