"""Signed, expiring, revocable links for agencies and leaders (the links in the emails).

A token names a subject (``agency:so-tttt``, ``leader:chair``), the grant generation it
was issued under and its expiry. It is signed with the secret key (itsdangerous); the
expiry is checked against our clock, and the generation against ``access_grant``, so
re-issuing revokes every older link of that subject.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from dondoc.engine.actors import Leader, fold
from dondoc.engine.errors import DomainError, InvalidInput
from dondoc.engine.models import AccessGrant

_SALT = "dondoc-link-v1"
_ISSUED = "dondoc.links.issued"  # the session.info key of the tokens a session issued
LEADER_SUBJECTS = tuple(leader.subject for leader in Leader)


# Why a link is refused, as the person who opened it is told (the error page, the API's message).
LINK_REASONS_VI = {
    "signature": "Đường liên kết bị sai hoặc bị sửa đổi. Vui lòng dùng đúng đường liên kết trong thư điện tử.",
    "expired": "Đường liên kết đã hết hạn. Vui lòng liên hệ Tổ giúp việc để được cấp đường liên kết mới.",
    "revoked": "Đường liên kết đã bị thu hồi. Vui lòng liên hệ Tổ giúp việc để được cấp đường liên kết mới.",
    "not_agency": "Đường liên kết này không phải của một cơ quan: vui lòng dùng đường liên kết trong thư gửi cơ quan.",
    "not_leader": "Đường liên kết này không phải của Lãnh đạo Ban Chỉ đạo: vui lòng dùng đường liên kết trong thư"
    " gửi Lãnh đạo.",
}


class LinkInvalid(DomainError):
    """A link that is forged, expired, revoked or for another page; ``reason`` (a key of
    LINK_REASONS_VI) says which, the message in Vietnamese."""

    code = "link_invalid"

    def __init__(self, reason: str) -> None:
        super().__init__(LINK_REASONS_VI[reason])
        self.reason = reason


def agency_subject(code: str) -> str:
    return f"agency:{code}"


def _grant(session: Session, subject: str, now: datetime) -> AccessGrant:
    """The subject's grant, created on first use; race-safe when two workers issue the first link."""
    if not subject.startswith(("agency:", "leader:")):
        raise InvalidInput(f'Không có đối tượng nhận đường dẫn "{subject}" (agency:… hoặc leader:…).')
    grant = session.exec(select(AccessGrant).where(AccessGrant.subject == subject)).first()
    if grant is None:
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        statement = insert(AccessGrant).values(subject=subject, generation=1, issued_at=now)
        session.execute(statement.on_conflict_do_nothing(index_elements=["subject"]))
        grant = session.exec(select(AccessGrant).where(AccessGrant.subject == subject)).one()
    return grant


def issue_token(session: Session, subject: str, *, now: datetime, secret: str, days: int) -> str:
    """A token for ``subject`` under its current generation, valid for ``days``.

    The same arguments give the same token (it is a signature of subject, generation and expiry),
    so a session keeps the tokens it issued: a sweep mailing one body many times reads its grant
    and signs once. :func:`reissue` and :func:`revoke` forget them."""
    issued: dict[tuple[str, datetime, str, int], str] = session.info.setdefault(_ISSUED, {})
    key = (subject, now, secret, days)
    if key not in issued:
        grant = _grant(session, subject, now)
        if grant.revoked_at is not None:
            raise InvalidInput(f"Các đường dẫn của {subject} đã bị thu hồi; hãy cấp lại (dondoc links reissue).")
        expires = int((now + timedelta(days=days)).timestamp())
        issued[key] = URLSafeSerializer(secret, salt=_SALT).dumps({"s": subject, "g": grant.generation, "e": expires})
    return issued[key]


def reissue(session: Session, subject: str, *, now: datetime) -> int:
    """Revoke every link of ``subject`` issued so far; new links use the next generation."""
    session.info.pop(_ISSUED, None)
    grant = _grant(session, subject, now)
    grant.generation += 1
    grant.issued_at, grant.revoked_at = now, None
    session.flush()
    return grant.generation


def revoke(session: Session, subject: str, *, now: datetime) -> None:
    """Revoke every link of ``subject`` until it is re-issued."""
    session.info.pop(_ISSUED, None)
    grant = _grant(session, subject, now)
    grant.revoked_at = now
    session.flush()


def verify_token(session: Session, token: str, *, now: datetime, secret: str) -> str:
    """The subject of a valid token; LinkInvalid for forged, expired or revoked ones.

    A subject signed with an older spelling of a leader (engine.actors.fold) is read in the one
    spelling: its grant was renamed by migration 0007 and keeps its generation."""
    try:
        payload = URLSafeSerializer(secret, salt=_SALT).loads(token)
        subject, generation, expires = fold(str(payload["s"])), int(payload["g"]), int(payload["e"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid("signature") from None
    if now >= datetime.fromtimestamp(expires, tz=UTC):
        raise LinkInvalid("expired")
    grant = session.exec(select(AccessGrant).where(AccessGrant.subject == subject)).first()
    if grant is None or grant.revoked_at is not None or grant.generation != generation:
        raise LinkInvalid("revoked")
    return subject
