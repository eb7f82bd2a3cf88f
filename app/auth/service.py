"""Use cases for users and bearer tokens."""

import functools
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher, profiles
from argon2.exceptions import VerificationError
from flask import current_app
from sqlalchemy import bindparam, select, update

from app.auth.models import Role, User
from app.auth.principal import Principal
from app.common.contact import InvalidContact, normalise_email
from app.errors import Conflict, NotFound, RuleViolation, Unauthorized
from app.extensions import db

TOKEN_ALGORITHM = "HS256"
EXPIRED = "The token has expired; request a new one."
INACTIVE = "The account behind this token is no longer active, or the token was retired."


def create_user(email: str, *, role: str, password: str) -> User:
    if role not in set(Role):
        raise RuleViolation(
            f"Unknown role '{role}'.", errors={"role": [f"One of: {', '.join(Role)}."]}
        )
    if len(password) < 8:
        raise RuleViolation(
            "Password too short.", errors={"password": ["Use at least 8 characters."]}
        )
    address = _email_or_422(email)
    if db.session.scalar(select(User.id).where(User.email == address)):
        raise Conflict(f"A user with e-mail {address} already exists.")
    user = User(email=address, role=role, password_hash=_hasher().hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def set_active(email: str, *, active: bool) -> User:
    """Let the account sign in again, or stop it at once (see `principal_of`).

    Deactivating also retires the user's calendar links, and re-activating does not bring
    them back: a feed of customer addresses must be asked for afresh.
    """
    user = find_user(email)
    user.active = active
    if not active:
        user.token_version += 1
    db.session.flush()
    if not active:
        retire_calendar_links(user.id)
    return user


def find_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == login_name(email)))
    if user is None:
        raise NotFound(f"No user signs in with {email}.")
    return user


def retire_calendar_links(user_id: int) -> None:
    """Every calendar link given to the user so far stops working; new ones can be asked for.

    An increment in SQL, so two retirements at once both count.
    """
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(calendar_version=User.calendar_version + 1)
        .execution_options(synchronize_session="fetch")
    )


def issue_token(email: str, *, password: str) -> dict[str, object]:
    """One answer for unknown e-mail and wrong password, so callers can't probe accounts."""
    address = login_name(email)
    user = db.session.scalar(select(User).where(User.email == address, User.active))
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except VerificationError:
        user = None
    if user is None:
        raise Unauthorized("E-mail or password is wrong.")
    return token_for(user)


def login_name(email: str) -> str:
    """The e-mail as accounts store it; "" for one that cannot be an account's."""
    try:
        return normalise_email(email)
    except InvalidContact:
        return ""


def token_for(user: User) -> dict[str, object]:
    ttl = int(current_app.config["TOKEN_TTL_SECONDS"])
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "email": user.email,
        "role": user.role,
        "ver": user.token_version,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
    }
    token = jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=TOKEN_ALGORITHM)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl}


def verified_token(token: str) -> tuple[int, int]:
    """The user a token was issued to and its token version, once its signature and expiry
    check out (no database; the account check compares the version)."""
    user_id, version, expires = _verified(token, current_app.config["SECRET_KEY"])
    if expires <= time.time():
        raise Unauthorized(EXPIRED)
    return user_id, version


@functools.lru_cache(maxsize=4096)
def _verified(token: str, secret: str) -> tuple[int, int, float]:
    """Subject and expiry of a token whose signature checks out.

    Remembered, as the same phone sends the same token all day and checking the signature
    costs more than the rest of a cached read; expiry is still checked on every request.
    """
    try:
        claims = jwt.decode(
            token, secret, algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.ExpiredSignatureError as error:
        raise Unauthorized(EXPIRED) from error
    except jwt.InvalidTokenError as error:
        raise Unauthorized("The token is not valid; request a new one.") from error
    try:
        return int(claims["sub"]), int(claims.get("ver", 0)), float(claims["exp"])
    except (TypeError, ValueError) as error:
        raise Unauthorized("The token is not valid; request a new one.") from error


def find_principal(user_id: int, *, token_version: int) -> Principal:
    """The account behind a verified token, checked on every request.

    A deactivated account is refused at once, not when its token expires. One primary-key
    lookup of the two columns needed, not the whole row (hash included), which on PostgreSQL
    each worker keeps until a write to the user is announced (see watched_rows.py).
    """
    account = db.watched_row(_ACTIVE_ACCOUNT, {"user_id": user_id}, tags=_user_tag)
    return principal_of(user_id, account, token_version=token_version)


def principal_of(
    user_id: int, account: Mapping[str, Any] | None, *, token_version: int
) -> Principal:
    """The caller, from their account row read with `active` in the WHERE clause: no row, a
    deactivated account, or a token of an earlier version (issued before a deactivation) is
    refused at once rather than when the token expires."""
    if account is None or account["token_version"] != token_version:
        raise Unauthorized(INACTIVE)
    return Principal(user_id=user_id, email=account["email"], role=Role(account["role"]))


_ACTIVE_ACCOUNT = select(User.id, User.email, User.role, User.token_version).where(
    User.id == bindparam("user_id"), User.active
)


def _user_tag(row: Mapping[str, Any]) -> tuple[str, ...]:
    return (f"user:{row['id']}",)


def _email_or_422(email: str) -> str:
    try:
        return normalise_email(email)
    except InvalidContact as error:
        raise RuleViolation(str(error), errors={"email": [str(error)]}) from error


def _hasher() -> PasswordHasher:
    profile = getattr(profiles, current_app.config["PASSWORD_HASH_PROFILE"])
    return PasswordHasher.from_parameters(profile)


def _dummy_hash() -> str:
    """A real hash to verify against when the e-mail is unknown, so both paths cost the same."""
    cache = current_app.extensions.setdefault("firstfix_dummy_hash", {})
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    if profile not in cache:
        cache[profile] = _hasher().hash("not-a-password")
    return cache[profile]
