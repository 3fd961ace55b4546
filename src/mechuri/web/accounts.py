"""Signing up and logging in: the rules for names and passwords, and a log-in that reveals nothing.

Log-in answers the same words, after the same amount of hashing, whether the username is unknown, the
password is wrong, or the account has no password (users made by the CLI): a caller cannot learn which
accounts exist from it. Failures are counted in the database (``ratelimit``) before any hash is checked.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import User
from mechuri.security import hash_password, needs_rehash, verify_password
from mechuri.web import ratelimit
from mechuri.web import strings as S
from mechuri.web.errors import ApiError

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.\-가-힣]{3,32}")
PASSWORD_MIN = 8
PASSWORD_MAX = 128
DISPLAY_NAME_MAX = 32

COMMON_PASSWORDS = frozenset({
    "12345678", "123456789", "1234567890", "password", "password1", "password123", "qwerty123",
    "qwertyuiop", "11111111", "00000000", "12341234", "iloveyou", "1q2w3e4r", "1q2w3e4r5t", "qwer1234",
    "asdf1234", "zxcvbnm1", "abcd1234", "a1234567", "aa123456", "sunshine", "princess", "football",
    "baseball", "welcome1", "admin123", "letmein1", "88888888", "87654321", "superman", "passw0rd",
    "1qaz2wsx", "q1w2e3r4", "qwerasdf", "mechuri1", "mechuri123", "메추리메추리",
})
"""Passwords that appear at the top of every breach list (ASVS 2.1.7 asks to refuse them)."""


def check_signup(username: str, password: str, display_name: str) -> dict[str, str]:
    """Field → Korean problem, for everything wrong with a sign-up (empty when it may proceed)."""
    problems: dict[str, str] = {}
    if not USERNAME_PATTERN.fullmatch(username):
        problems["username"] = S.USERNAME_RULE
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        problems["password"] = S.PASSWORD_LENGTH.format(min=PASSWORD_MIN, max=PASSWORD_MAX)
    elif password.lower() in COMMON_PASSWORDS:
        problems["password"] = S.PASSWORD_COMMON
    elif password.strip().lower() == username.strip().lower():
        problems["password"] = S.PASSWORD_IS_USERNAME
    if not 1 <= len(display_name.strip()) <= DISPLAY_NAME_MAX:
        problems["display_name"] = S.DISPLAY_NAME_RULE
    return problems


def register(session: Session, username: str, password: str, display_name: str, client_ip: str,
             now: datetime, signup_limit: int = ratelimit.MAX_SIGNUPS_PER_IP) -> User:
    """A new web user, or ApiError (422 for bad fields, 409 when the name is taken in any letter case, 429 when
    this address made too many accounts lately)."""
    wait = ratelimit.signup_retry_after(session, client_ip, now, signup_limit)
    if wait is not None:
        raise ApiError(429, "too_many_signups", S.TOO_MANY_SIGNUPS.format(minutes=max(1, round(wait / 60))),
                       headers={"Retry-After": str(wait)})
    problems = check_signup(username, password, display_name)
    if problems:
        raise ApiError(422, "invalid_input", next(iter(problems.values())), details=problems)
    taken = session.scalar(select(func.count(User.id)).where(func.lower(User.username) == username.lower()))
    if taken:
        raise ApiError(409, "username_taken", S.USERNAME_TAKEN)
    ratelimit.record_signup(session, client_ip, now)
    return crud.create_user(session, username, password=password, display_name=display_name.strip())


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    """A real argon2id hash to verify against when the user is unknown, so timing matches a wrong password."""
    return hash_password("메추리-decoy-password")


def authenticate(session: Session, username: str, password: str, client_ip: str, now: datetime) -> User | None:
    """The user whose credentials these are; None when they are wrong (the failure is recorded, so the caller
    must let the unit of work commit before answering 401); ApiError 429 while rate limited."""
    wait = ratelimit.retry_after(session, username, client_ip, now)
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
        ratelimit.record_failure(session, username, client_ip, now)
        return None
    ratelimit.clear_failures(session, username)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user
