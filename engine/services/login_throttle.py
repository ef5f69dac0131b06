"""Login throttling: too many refused logins lock the account, and the client address, for a while.

A small table (``login_failure``) rather than a rate-limit library: the counts must be shared by
every ``dondoc serve`` process (the deploy runs several) on the database dondoc already has, and
must be read with dondoc's clock so tests move time instead of sleeping; ``limits``/``slowapi``
read the system clock and keep their counts in memory or in a separate service (Redis).

Rule: at most ACCOUNT_LIMIT refused logins per account, and ADDRESS_LIMIT per client address,
within WINDOW. The attempt after that is refused without checking the password, until the oldest
counted failure leaves the window. A successful login clears the account's failures. Reaching
a limit is written to the audit log (logger ``dondoc.audit``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from dondoc.engine.errors import DomainError
from dondoc.engine.models import LoginFailure

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)

audit = logging.getLogger("dondoc.audit")


class LoginLocked(DomainError):
    """Too many refused logins for this account or address: wait, then try again."""

    code = "login_locked"

    def __init__(self, until: datetime) -> None:
        super().__init__(
            "Đăng nhập sai quá nhiều lần: tài khoản (hoặc máy này) tạm bị khóa đăng nhập đến "
            f"{until:%H:%M} ngày {until:%d/%m/%Y}. Vui lòng thử lại sau, hoặc liên hệ quản trị hệ thống."
        )
        self.until = until


@dataclass(frozen=True)
class Keys:
    """Who is trying: the account name as typed (folded) and the client address."""

    account: str
    address: str

    def scoped(self) -> list[tuple[str, str, int]]:
        return [("account", self.account[:255], ACCOUNT_LIMIT), ("address", self.address[:255], ADDRESS_LIMIT)]


def _failures(session: Session, scope: str, key: str, since: datetime) -> list[datetime]:
    statement = (
        select(LoginFailure.at)
        .where(LoginFailure.scope == scope, LoginFailure.key == key, col(LoginFailure.at) > since)
        .order_by(col(LoginFailure.at))
    )
    return list(session.exec(statement))


def check_allowed(session: Session, keys: Keys, *, now: datetime) -> None:
    """LoginLocked if the account or the address has reached its limit within the window."""
    for scope, key, limit in keys.scoped():
        recent = _failures(session, scope, key, now - WINDOW)
        if len(recent) >= limit:
            raise LoginLocked((recent[-limit] + WINDOW).astimezone(now.tzinfo))  # read back in UTC: said in local time


def record_failure(session: Session, keys: Keys, *, now: datetime) -> None:
    """Count one refused login against both keys; log the lockout when a limit is reached."""
    for scope, key, limit in keys.scoped():
        session.execute(
            delete(LoginFailure).where(
                col(LoginFailure.scope) == scope, col(LoginFailure.key) == key, col(LoginFailure.at) <= now - WINDOW
            )
        )
        session.add(LoginFailure(scope=scope, key=key, at=now))
        session.flush()
        count = session.exec(
            select(func.count()).where(
                LoginFailure.scope == scope, LoginFailure.key == key, col(LoginFailure.at) > now - WINDOW
            )
        ).one()
        if count == limit:
            audit.warning(
                "login locked: %s %r after %d refused logins in %d min (account %r, address %s), until %s",
                scope,
                key,
                count,
                WINDOW.seconds // 60,
                keys.account,
                keys.address,
                (now + WINDOW).isoformat(),
            )


def clear_account(session: Session, keys: Keys) -> None:
    """A successful login: the account's failures no longer count (the address's still do)."""
    session.execute(
        delete(LoginFailure).where(col(LoginFailure.scope) == "account", col(LoginFailure.key) == keys.account)
    )
