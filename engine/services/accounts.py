"""Secretariat accounts and API tokens: create, check, revoke. No FastAPI here (the CLI uses it)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor, ActorKind, Leader, fold
from dondoc.engine.errors import InvalidInput, NotFound
from dondoc.engine.models import ApiToken, UserAccount
from dondoc.engine.services.login_throttle import Keys, check_allowed, clear_account, record_failure
from dondoc.engine.services.passwords import DUMMY_HASH, hash_password, verify_password
from dondoc.engine.text_limits import blank, control_problem

TOKEN_NAME_MAX = 128  # api_token.name

TOKEN_ROLES = (ActorKind.SECRETARIAT.value, ActorKind.AGENCY.value, *(leader.value for leader in Leader))


def add_user(
    session: Session, username: str, password: str, *, now: datetime, display_name: str | None = None
) -> UserAccount:
    """Create a secretariat account, or set a new password if it exists (which ends its sessions)."""
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise InvalidInput("tên đăng nhập cần từ 1 đến 64 ký tự")
    # what the login form refuses could never log in (a control character); a NUL is no password
    for label, text, longest in (("tên đăng nhập", username, 64), ("tên hiển thị", display_name or "", 128)):
        problem = control_problem(text) or (f"dài quá {longest} ký tự" if len(text) > longest else None)
        if problem:
            raise InvalidInput(f"{label} {problem}")
    if control_problem(password):
        raise InvalidInput(f"mật khẩu {control_problem(password)}")
    password_hash = _hash(password)
    user = session.exec(select(UserAccount).where(UserAccount.username == username)).first()
    if user is None:
        user = UserAccount(username=username, password_hash=password_hash, display_name=display_name, created_at=now)
        session.add(user)
    else:
        user.password_hash, user.active = password_hash, True
        user.display_name = display_name or user.display_name
        user.session_generation += 1
    session.flush()
    return user


def _hash(password: str) -> str:
    try:
        return hash_password(password)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def find_user(session: Session, username: str) -> UserAccount | None:
    return session.exec(select(UserAccount).where(UserAccount.username == username.strip().lower())).first()


def user_by_name(session: Session, username: str) -> UserAccount:
    user = find_user(session, username)
    if user is None:
        raise NotFound("account", username)
    return user


def set_password(session: Session, username: str, password: str) -> UserAccount:
    """A new password for an existing account; every session of the account ends."""
    user = user_by_name(session, username)
    user.password_hash = _hash(password)
    user.session_generation += 1
    session.flush()
    return user


def deactivate(session: Session, username: str) -> UserAccount:
    """The account can no longer log in, and every session of it ends."""
    user = user_by_name(session, username)
    user.active = False
    user.session_generation += 1
    session.flush()
    return user


def end_sessions(session: Session, username: str) -> None:
    """Logout: every session of the account ends (other browsers and copied cookies too)."""
    user = session.exec(select(UserAccount).where(UserAccount.username == username)).first()
    if user is not None:
        user.session_generation += 1
        session.flush()


# Every secretariat request reads its account's state (session_current): the statement is built
# once, and reads the two columns it checks, not the account.
_SESSION_STATE = select(col(UserAccount.active), col(UserAccount.session_generation)).where(
    col(UserAccount.username) == bindparam("username")
)


def session_current(session: Session, username: str, generation: object) -> bool:
    """Whether a session cookie still stands for an account: the account exists, is active, and
    the cookie is of its current generation (a logout or a new password starts the next one)."""
    found = session.connection().execute(_SESSION_STATE, {"username": username}).first()
    return found is not None and bool(found.active) and generation == found.session_generation


def authenticate(
    session: Session, username: str, password: str, *, now: datetime, address: str = "unknown"
) -> UserAccount | None:
    """The active account for these credentials, or None (same cost whether the user exists).

    Throttled (engine.services.login_throttle): LoginLocked once the account or the address has
    too many refused logins in the window; the password is then not even checked."""
    keys = Keys(account=username.strip().lower(), address=address)
    check_allowed(session, keys, now=now)
    user = session.exec(select(UserAccount).where(UserAccount.username == keys.account)).first()
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    if user is None or not ok or not user.active:
        record_failure(session, keys, now=now)
        return None
    clear_account(session, keys)
    user.last_login_at = now
    session.flush()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, name: str, role: str, *, now: datetime, agency_code: str | None = None
) -> tuple[ApiToken, str]:
    """A new API token; the clear token is returned once and never stored."""
    role = fold(role)
    if role not in TOKEN_ROLES:
        raise InvalidInput(f'không có vai trò "{role}"; chọn một trong: {", ".join(TOKEN_ROLES)}')
    if (role == "agency") != bool(agency_code):
        raise InvalidInput("mã truy cập của cơ quan cần --agency MÃ_CƠ_QUAN, và chỉ mã của cơ quan nhận --agency")
    name = name.strip()
    problem = control_problem(name) or (f"dài quá {TOKEN_NAME_MAX} ký tự" if len(name) > TOKEN_NAME_MAX else None)
    if blank(name) or problem:
        raise InvalidInput(f"tên mã truy cập (để biết mã dùng vào việc gì) {problem or 'không được để trống'}")
    clear = "ddk_" + secrets.token_urlsafe(32)
    row = ApiToken(name=name, token_hash=_digest(clear), role=role, agency_code=agency_code, created_at=now)
    session.add(row)
    session.flush()
    return row, clear


def revoke_token(session: Session, token_id: int, *, now: datetime) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound("API token", token_id)
    row.revoked_at = now
    session.flush()


def actor_for_token(session: Session, clear: str) -> Actor | None:
    """The actor an API token stands for, or None if unknown or revoked."""
    found = token_holder(session, clear)
    return found[0] if found else None


def token_holder(session: Session, clear: str) -> tuple[Actor, str] | None:
    """The actor an API token stands for and the token's name (the account recorded on the events
    of its calls), or None if unknown or revoked."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(clear))).first()
    if row is None or row.revoked_at is not None:
        return None
    if row.role == ActorKind.AGENCY:
        return Actor.agency(row.agency_code or ""), row.name
    return Actor(ActorKind(fold(row.role))), row.name
