"""The database side of delivery: claim due rows under a lease, read one, record the outcome.

Every write is one short committed ``UPDATE`` guarded by ``claimed_by``, so a worker that
lost its lease (it stalled past ``claimed_until`` and another worker took the row) cannot
overwrite the other's outcome. On SQLite each write transaction starts with its write,
which keeps WAL snapshots from going stale between a read and a write.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Integer, bindparam, or_, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from dondoc.engine.actors import Recipient
from dondoc.engine.clock import local_date
from dondoc.engine.db import is_postgres, plain
from dondoc.engine.escalation import recheck
from dondoc.engine.escalation.recipients import Directory, ended_agencies
from dondoc.engine.models import Agency, Assignment, Notification, NotificationStatus
from dondoc.engine.services.asked_of import handed_said
from dondoc.engine.services.explanations import request_still_open
from dondoc.engine.services.request_mails import (
    ASKING_MAILS,
    PARTNER_INPUT_KIND,
    REQUEST_MAIL_KINDS,
    after_lead_unsent_reason,
    inputs_in_unsent_reason,
    is_partner_cancelled_copy,
    listed_still_held,
)
from dondoc.engine.services.successions import INHERITED_KIND, kept_said
from dondoc.engine.settings import Settings
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workflow import Action
from dondoc.notifications import refresh
from dondoc.notifications.addressee import Addressee, NothingAsked, addressed, addressee
from dondoc.notifications.asked import OPEN_REQUEST, asked_untrue, listed_asked_untrue
from dondoc.notifications.message import OutgoingMessage, build_message
from dondoc.notifications.outbox import (
    DIGEST_KINDS,
    HANDED_KEY,
    KEPT_KEY,
    KIND_KEY,
    LINES_KEY,
    MailSpec,
    rendered_columns,
)

LEASE = timedelta(minutes=10)  # a claim whose holder is known dead is released at once (release_orphans)
BACKOFF_CAP = timedelta(hours=6)
PENDING = NotificationStatus.PENDING.value
_OUTBOX_ROW = Notification.__table__.c  # type: ignore[attr-defined]


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, … minutes after the 1st, 2nd, 3rd … failed attempt, capped at 6 hours."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 20)), BACKOFF_CAP)


def claim(engine: Engine, *, worker_id: str, now: datetime, limit: int) -> list[int]:
    """Lease up to ``limit`` due pending rows to ``worker_id`` for 10 minutes; their ids.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets two workers claim disjoint rows at once.
    SQLite: the single ``UPDATE … WHERE id IN (SELECT …)`` runs under the write lock.
    Claims left by a dead process of this machine are released first (:func:`release_orphans`).
    """
    release_orphans(engine)
    params = {"now": now, "limit": limit, "worker": worker_id, "until": now + LEASE}
    with engine.begin() as connection:
        ids = list(connection.execute(_CLAIM[is_postgres(engine)], params).scalars())
    return sorted(ids)


def _claim_statement(postgres: bool) -> Any:
    """The claim's UPDATE, built once per dialect (a delivery run claims every day, every batch)."""
    rows = _OUTBOX_ROW
    now = bindparam("now", type_=rows.next_attempt_at.type)
    due = (
        select(rows.id)
        .where(rows.status == PENDING, rows.next_attempt_at <= now)
        .where(or_(rows.claimed_until.is_(None), rows.claimed_until < now))
        .order_by(rows.next_attempt_at, rows.id)
        .limit(bindparam("limit", type_=Integer()))
    )
    picked: Any = due.scalar_subquery()
    if postgres:
        # Picked once, before the UPDATE: written as ``id IN (SELECT … LIMIT n FOR UPDATE SKIP
        # LOCKED)``, a plan the server keeps for an empty outbox (a nested loop) ran the subquery
        # again for each row, each run skipping the rows the UPDATE had just written, and one claim
        # leased every pending row (tests/test_notifications_outbox.py, after a quiet spell).
        once = due.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
        picked = select(once.c.id)
    return (
        update(rows.id.table)
        .where(rows.id.in_(picked))
        .values(claimed_by=bindparam("worker"), claimed_until=bindparam("until", type_=rows.claimed_until.type))
        .returning(rows.id)
    )


_CLAIM = {postgres: _claim_statement(postgres) for postgres in (False, True)}


def this_host() -> str:
    """The host part of a worker id (``host:pid:random``, notifications.delivery.default_worker_id)."""
    return socket.gethostname()[:40]


def holder_is_gone(holder: str, host: str) -> bool:
    """True when ``holder`` is a worker id of ``host`` (this machine) whose process no longer exists.

    Only then is it certain that the holder will write nothing more. Another machine's claim,
    a live process, a process of another user and an id of another shape are never "gone": they
    keep their lease until it runs out.
    """
    name, _, rest = holder.partition(":")
    pid_text, _, _ = rest.partition(":")
    if name != host or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: it exists, under another user
        return False
    return False


def release_orphans(engine: Engine, *, host: str | None = None) -> int:
    """Give back the pending rows leased to processes of this machine that are gone (a flow run
    killed with ``kill -9``, a crashed worker): the next run takes them at once instead of after
    the 10-minute lease. A row the dead process had sent but not yet marked goes out again, with
    the same Message-ID, as it would after the lease; nothing else changes. How many rows."""
    host = host or this_host()
    with engine.begin() as connection:
        gone = sorted({h for h in connection.execute(_holders(host)).scalars() if h and holder_is_gone(h, host)})
        if not gone:
            return 0
        statement = (
            update(_OUTBOX_ROW.id.table)
            .where(_OUTBOX_ROW.claimed_by.in_(gone), _OUTBOX_ROW.status == PENDING)
            .values(claimed_by=None, claimed_until=None)
        )
        return int(connection.execute(statement).rowcount)


@lru_cache(maxsize=4)
def _holders(host: str) -> Any:
    """Who holds pending rows under a worker id of ``host``; built once (every claim asks)."""
    return (
        select(_OUTBOX_ROW.claimed_by)
        .where(
            _OUTBOX_ROW.status == PENDING,
            _OUTBOX_ROW.claimed_by.is_not(None),
            _OUTBOX_ROW.claimed_by.startswith(f"{host}:", autoescape=True),
        )
        .distinct()
    )


@dataclass(frozen=True)
class Prepared:
    """A claimed row read just before sending: a message to send, or why not to."""

    id: int
    attempts: int
    skip: str | None = None
    message: OutgoingMessage | None = None
    recipient: str = ""
    carried: tuple[int, ...] = ()  # a digest: the held rows it tells of, marked when it is sent
    # a lead's list (LISTED_FOR_LEAD): the other rows it carries, (id, attempts), each marked as it is
    listed: tuple[tuple[int, int], ...] = ()


_PREPARED_ROW: Select[*tuple[Any, ...]] = Select(  # what select() builds; it types at most four columns
    _OUTBOX_ROW.id,
    _OUTBOX_ROW.kind,
    _OUTBOX_ROW.recipient_role,
    _OUTBOX_ROW.created_at,
    _OUTBOX_ROW.status,
    _OUTBOX_ROW.claimed_by,
    _OUTBOX_ROW.attempts,
    _OUTBOX_ROW.dedupe_key,
    _OUTBOX_ROW.assignment_id,
    _OUTBOX_ROW.recipient_email,
    _OUTBOX_ROW.recipient_name,
    _OUTBOX_ROW.subject,
    _OUTBOX_ROW.body_text,
    _OUTBOX_ROW.body_html,
    _OUTBOX_ROW.data,
    _OUTBOX_ROW.mime,
    col(Assignment.id).label("found"),
    col(Assignment.state),
    col(Assignment.due_at),
    col(Assignment.snoozed_until),
    col(Assignment.waiting_condition_since),
    col(Assignment.inferred_group),
    col(Assignment.membership_confirmed_at),
    *recheck.FACTS,  # what the pre-send re-check reads beside the assignment (recheck.judge)
    OPEN_REQUEST,  # the assignment's extension request waiting now (notifications.asked)
    refresh.EVENT_SINCE,  # the part's history moved after the row was rendered (refresh.part_moved)
)
_PREPARE = _PREPARED_ROW.outerjoin(Assignment, _OUTBOX_ROW.assignment_id == Assignment.id).where(
    _OUTBOX_ROW.id == bindparam("notification_id")
)


Bind = Engine | Connection  # a delivery run passes its own connection, in autocommit mode


@contextmanager
def _using(bind: Bind) -> Iterator[Connection]:
    """``bind`` itself (autocommit: each statement commits), or a pooled connection whose
    transaction commits when the block ends."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.begin() as connection:
            yield connection


def prepare(bind: Bind, notification_id: int, *, worker_id: str, now: datetime, settings: Settings) -> Prepared | None:
    """Re-read the row with its assignment (one query) and re-check it; None if it is no longer ours."""
    with _using(bind) as connection:
        row = connection.execute(_PREPARE, {"notification_id": notification_id}).first()
    if row is None or row.status != PENDING or row.claimed_by != worker_id:
        return None
    if row.assignment_id is not None:
        why = _unsent_reason(bind, row, now=now)
        if why is not None:
            return Prepared(notification_id, row.attempts, skip=why)
        if row.kind in _REQUESTS and row.recipient_role == Recipient.AGENCY.value:
            to = _holder_now(bind, row, now=now, settings=settings)
            if isinstance(to, str):
                return Prepared(notification_id, row.attempts, skip=f"Không gửi: {to}.")
            if to is not None and to.differs(row):
                return _rebuilt(bind, row, worker_id=worker_id, now=now, settings=settings, to=to)
        if lists_for_lead(row.kind, row.recipient_role, row.data):
            listed = _take_listed(bind, row, worker_id=worker_id, now=now)
            if listed or row.data.get(LISTED_KEY):  # a list, or one left from an attempt that failed
                return _listing(bind, row, listed, worker_id=worker_id, now=now, settings=settings)
    # Written unrendered (a request's mail, decided in the engine), still here after its day, about a
    # part whose history moved since it was rendered, a digest telling of a row no longer true, or a
    # mail telling of an extension request answered since (or silent on one sent since): rendered
    # now, with the facts and figures of now.
    if (
        not row.subject
        or refresh.is_stale(row.kind, row.created_at, now, settings)
        or refresh.part_moved(row.kind, row.data, row.state, event_since=bool(row.event_since))
        or _digest_untrue(bind, row, now=now, settings=settings)
        or asked_untrue(row)
        or _listed_asked_untrue(bind, row)
        or _handed_untrue(bind, row)
        or _kept_untrue(bind, row)
        or _listed_unheld(bind, row)
    ):
        return _rebuilt(bind, row, worker_id=worker_id, now=now, settings=settings)
    message = build_message(row, settings=settings, now=now)
    carried = tuple(row.data.get("carried", ())) if row.kind in DIGEST_KINDS else ()
    return Prepared(notification_id, row.attempts, message=message, recipient=row.recipient_email, carried=carried)


def _unsent_reason(bind: Bind, row: Any, *, now: datetime) -> str | None:
    """Why the mail of ``row`` (read by ``_PREPARE``, about an assignment) is no longer true at
    ``now``, or None: the one re-check of a row sent alone or in a lead's list."""
    reason = recheck.judge(
        row.kind,
        row.data,
        row if row.found is not None else None,
        now,
        **(recheck.facts_of(row) if row.found is not None else {}),
    )
    if reason is not None:
        return reason
    asked = ASKING_MAILS.get(row.kind)
    if asked is not None and (event_id := row.data.get("event_id")) is not None:
        with _using(bind) as connection:
            if not request_still_open(connection, asked, int(event_id)):
                return "Yêu cầu đã được trả lời trước khi thư đi."
    if (why := _extension_superseded(row)) is not None:
        return why
    if row.kind == PARTNER_INPUT_KIND or is_partner_cancelled_copy(row.kind, row.recipient_role):
        # "đã đủ ý kiến … tổng hợp, báo cáo": still so, still asked of it? A partner no longer waited
        # for: still of use to a lead still to report (whether the rest are in is read as it is
        # rendered: notifications.refresh)
        all_in = row.kind == PARTNER_INPUT_KIND or bool(row.data.get("gone"))  # a gone body's: only for that
        with _using(bind) as connection:
            why = inputs_in_unsent_reason(connection, row.assignment_id, row.recipient_email, all_in=all_in)
        if why is not None:
            return why
    if row.kind == EXTENSION_GRANTED and row.recipient_role == Recipient.LEAD.value:
        # "… được gia hạn đến …, sau thời hạn của quý cơ quan": still so, and the lead still to report?
        with _using(bind) as connection:
            why = after_lead_unsent_reason(connection, row.assignment_id, row.recipient_email)
        if why is not None:
            return why
    return None


# The lead's copies of the other bodies' parts that one message lists, per lead mailbox and delivery,
# a section per kind: kinds that ask the lead nothing but to know and help chase ("Để biết: … (phối hợp) chưa
# gửi ý kiến"; "… chưa báo cáo kết quả … dù đã quá thời hạn. Với vai trò cơ quan chủ trì, đề nghị quý
# cơ quan phối hợp đôn đốc"; a partner's part extended past the lead's date, its input sent back, its
# part cancelled). The 2022 replay mailed one lead 41 partner_input copies in one hour, one per partner
# of two items, and 13 overdue copies on 16/11/2022, one per implementer of 117/KH-UBND:II.2.d; a bulk
# extension of an item's partners on the desk mailed the lead once per partner. Each row is decided,
# re-checked and marked (sent, skipped, failed) by itself; the first of a delivery is sent listing the
# others still true then, which are marked sent with it (``carried_by_id``: the row whose mail they
# went in), each line saying its own row's facts counted as it leaves (outbox.LINES_KEY). A copy that
# asks the lead to act (:func:`asks_lead`) stays a mail of its own.
LISTED_FOR_LEAD = frozenset(
    {
        "partner_input",
        "overdue",
        REQUEST_MAIL_KINDS[Action.EXTEND],
        REQUEST_MAIL_KINDS[Action.RETURN],
        REQUEST_MAIL_KINDS[Action.CANCEL],
    }
)
LISTED_KEY = "listed"  # the row that went as a list: the other rows it carried


def lists_for_lead(kind: str, recipient_role: str, data: dict[str, Any]) -> bool:
    """Whether an outbox row of ``kind`` to ``recipient_role`` (its ``data``) goes in its lead's list
    (LISTED_FOR_LEAD): not one that asks the lead to act (:func:`asks_lead`)."""
    return kind in LISTED_FOR_LEAD and recipient_role == Recipient.LEAD.value and not asks_lead(data)


def asks_lead(data: dict[str, Any]) -> bool:
    """Whether a lead's copy (its ``data``) asks the lead to act: a partner's part cancelled when every
    other input was in ("… đã gửi đủ ý kiến …; đề nghị quý cơ quan tổng hợp, báo cáo kết quả",
    engine.services.request_mails), a mail of its own, never a line of a list."""
    return bool(data.get("partners_all_in"))


def listed_holder(worker_id: str) -> str:
    """Who holds the rows a list of ``worker_id``'s carries, until each is marked: not ``worker_id``, so
    that the worker, reaching one in its batch, leaves it to the list (a process of this machine, as
    :func:`holder_is_gone` reads it: released at once if it dies)."""
    return f"{worker_id}+"


def _take_listed(bind: Bind, row: Any, *, worker_id: str, now: datetime) -> list[Any]:
    """The other rows due at ``now`` that ``row``'s list carries (any kind of LISTED_FOR_LEAD, same lead
    mailbox; nobody's or this worker's), taken for it; those no longer true marked skipped, each with its reason; the
    others read back (``_PREPARE``), in order."""
    rows = _OUTBOX_ROW
    holder = listed_holder(worker_id)
    due = (
        rows.kind.in_(sorted(LISTED_FOR_LEAD)),
        rows.recipient_role == row.recipient_role,
        rows.recipient_email == row.recipient_email,
        rows.status == PENDING,
        rows.next_attempt_at <= now,
        rows.id != row.id,
        rows.assignment_id.is_not(None),
        or_(rows.claimed_until.is_(None), rows.claimed_until < now, rows.claimed_by == worker_id),
    )
    with _using(bind) as connection:
        found = connection.execute(Select(rows.id, rows.kind, rows.data).where(*due)).all()
    wanted = [i for i, kind, data in found if lists_for_lead(kind, row.recipient_role, data or {})]
    if not wanted:
        return []
    statement = (  # taken if still due and nobody else's (the guard read again as it is written)
        update(rows.id.table)
        .where(rows.id.in_(wanted), *due)
        .values(claimed_by=holder, claimed_until=now + LEASE)
        .returning(rows.id)
    )
    with _using(bind) as connection:
        taken = sorted(connection.execute(statement).scalars())
    kept = []
    for other_id in taken:
        with _using(bind) as connection:
            other = connection.execute(_PREPARE, {"notification_id": other_id}).first()
        if other is None:
            continue
        why = _unsent_reason(bind, other, now=now)
        if why is not None:
            _finish(bind, other_id, holder, {"status": NotificationStatus.SKIPPED.value, "last_error": why})
        else:
            kept.append(other)
    return kept


def _listing(bind: Bind, row: Any, listed: list[Any], *, worker_id: str, now: datetime, settings: Settings) -> Prepared:
    """``row`` rendered at ``now`` as the lead's list of itself and ``listed`` (alone if none is), stored
    so (the outbox shows what is sent): the rows it carries are marked with it (delivery)."""
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        with Session(engine) as session:
            stored = session.get(Notification, row.id)
            assert stored is not None
            data = _own_facts(session, stored, now=now, settings=settings)
            if listed:
                # each line says what its own row does, counted now (its date, its lateness, its
                # reason): the list had said the first row's date of every part
                lines = [data | {KIND_KEY: row.kind}]  # a section per kind (notifications/templates/_lead_list.j2)
                for other in listed:
                    line = session.get(Notification, other.id)
                    assert line is not None
                    lines.append(_own_facts(session, line, now=now, settings=settings) | {KIND_KEY: other.kind})
                data = data | {
                    "assignment_ids": [row.assignment_id, *(other.assignment_id for other in listed)],
                    LISTED_KEY: [other.id for other in listed],
                    LINES_KEY: lines,
                }
            values = rendered_columns(session, MailSpec.of_row(stored, data), now=now, settings=settings)
            _store_rendered(session, row.id, worker_id, values)
        fresh = SimpleNamespace(**{**row._asdict(), **values})
        message = build_message(fresh, settings=settings, now=now)
    except Exception:  # the row fails by itself (delivery): the rows it took wait for the next run, not the lease
        release_listed(bind, [other.id for other in listed], worker_id=worker_id)
        raise
    carried = tuple((other.id, other.attempts) for other in listed)
    return Prepared(row.id, row.attempts, message=message, recipient=fresh.recipient_email, listed=carried)


def _store_rendered(session: Session, notification_id: int, worker_id: str, values: dict[str, Any]) -> None:
    """Store a row rendered again (``values``) while ``worker_id`` still holds it, pending (the outbox
    shows what is sent), and commit."""
    statement = (
        update(Notification)
        .where(col(Notification.id) == notification_id, col(Notification.status) == PENDING)
        .where(col(Notification.claimed_by) == worker_id)
        .values(**values)
    )
    session.execute(statement, execution_options={"synchronize_session": False})
    session.commit()


def _own_facts(session: Session, stored: Notification, *, now: datetime, settings: Settings) -> dict[str, Any]:
    """The facts of ``stored``, one row of a lead's list, counted again at ``now`` (refresh.rerendered),
    without what an earlier attempt to send it as a list had added."""
    spec, _ = refresh.rerendered(session, stored, now=now, settings=settings)
    assert spec is not None  # a part of another body: never gathered
    return {k: v for k, v in spec.data.items() if k not in (LISTED_KEY, LINES_KEY, KIND_KEY, "assignment_ids")}


def release_listed(bind: Bind, ids: list[int], *, worker_id: str) -> None:
    """Give back the rows a list of ``worker_id``'s took and will not carry (it could not be built)."""
    if ids:
        with _using(bind) as connection:
            connection.execute(
                update(_OUTBOX_ROW.id.table)
                .where(
                    _OUTBOX_ROW.id.in_(ids),
                    _OUTBOX_ROW.status == PENDING,
                    _OUTBOX_ROW.claimed_by == listed_holder(worker_id),
                )
                .values(claimed_by=None, claimed_until=None)
            )


EXTENSION_GRANTED = REQUEST_MAIL_KINDS[Action.EXTEND]
_REQUESTS = frozenset(REQUEST_MAIL_KINDS.values())


_HOLDER = (
    select(col(Agency.id), col(Agency.email), col(Agency.name))
    .join(Assignment, col(Assignment.agency_id) == col(Agency.id))
    .where(col(Assignment.id) == bindparam("assignment_id"))
)


def _holder_now(bind: Bind, row: Any, *, now: datetime, settings: Settings) -> Addressee | str | None:
    """Where a request mail to a body goes as it leaves (notifications.addressee, the rule a failed
    mail sent again follows): the body that holds the part now. A succession applied while the mail
    waited (the relay down some hours) has passed the part on: to its successor, rendered for it; a
    body ended with nobody named (the part waits in "Cần phân công lại"): the secretariat, who answers
    for it, as the mail would have gone had it been decided after the succession. Why it goes nowhere
    otherwise: the secretariat's own decision (:class:`NothingAsked`, skipped), or a mailbox missing
    (ValueError: the mail fails, to be sent again from "Thư gửi lỗi" once the catalog has it). None:
    written to the body that holds the part, as the catalog names and mails it today."""
    engine = bind.engine if isinstance(bind, Connection) else bind
    day = local_date(now, settings.tz)
    with Session(engine) as session:
        # most days: the body written to holds the part still, under that name and address, and has
        # not ended (three small reads); the directory of the day only when one of these changed
        holder = plain(session, _HOLDER, {"assignment_id": row.assignment_id}).first()
        if (
            holder is not None
            and (holder.email, holder.name) == (row.recipient_email, row.recipient_name)
            and holder.id not in ended_agencies(session, day)
        ):
            return None
        found = addressee(session, Directory(session, day), row, day, now)
    if isinstance(found, str) and not isinstance(found, NothingAsked):
        raise ValueError(f"Không gửi được: {found}.")
    return found


def _extension_superseded(row: Any) -> str | None:
    """Why a mail of an extension ("Thời hạn mới: hết ngày 28/04/2023") is no longer true when it
    leaves: the date changed again before it went (a second extension, whose own mail says the new
    date); its facts line, read at sending, had said 15/05/2023 under the sentence saying 28/04."""
    told = row.data.get("to_due") if row.kind == EXTENSION_GRANTED else None
    if not told or row.due_at is None or datetime.fromisoformat(told) == row.due_at:
        return None
    return f"Hạn đã đổi lần nữa trước khi thư đi (nay là {vn_date(row.due_at)}): thư của lần đổi sau báo hạn mới."


def _digest_untrue(bind: Bind, row: Any, *, now: datetime, settings: Settings) -> bool:
    """Whether ``row`` is a digest telling of a held row no longer true at ``now`` (left undelivered
    some hours of its day: the agency reported meanwhile), or of bodies' extension requests as they
    no longer stand (answered, or sent, meanwhile): built again before it leaves (refresh.digest_untrue)."""
    if row.kind not in DIGEST_KINDS:
        return False
    engine = bind.engine if isinstance(bind, Connection) else bind
    with Session(engine) as session:
        return refresh.digest_untrue(session, row.recipient_role, row.data, now=now, settings=settings)


def _listed_asked_untrue(bind: Bind, row: Any) -> bool:
    """Whether ``row`` lists parts (a successor's mail of the work it took over) and tells of their
    extension requests as they no longer stand (notifications.asked.listed_asked_untrue)."""
    if row.assignment_id is not None or not row.data.get("assignment_ids"):
        return False
    with _using(bind) as connection:
        return listed_asked_untrue(connection, row)


def _handed_untrue(bind: Bind, row: Any) -> bool:
    """Whether ``row``, a successor's mail of the work it took over, says of a request or a returned
    report its predecessor left what no longer holds (answered, or sent again, meanwhile), or misses
    one (engine.services.asked_of.handed_said): rendered again before it leaves."""
    if row.kind != INHERITED_KIND or not row.data.get("assignment_ids"):
        return False
    engine = bind.engine if isinstance(bind, Connection) else bind
    with Session(engine) as session:
        return bool(handed_said(session, list(row.data["assignment_ids"])) != (row.data.get(HANDED_KEY) or {}))


def _kept_untrue(bind: Bind, row: Any) -> bool:
    """Whether ``row``, a mail of work a body took over, says the body keeps beside a part what it no
    longer keeps (cancelled, or done, meanwhile), or misses one it keeps now (engine.services.successions
    .kept_said): rendered again before it leaves. A part's own history moving rerenders its mail
    (refresh.part_moved); what the body keeps is its other parts', whose history that does not read."""
    if row.kind != INHERITED_KIND:
        return False
    ids = row.data.get("assignment_ids") or ([row.assignment_id] if row.assignment_id is not None else [])
    engine = bind.engine if isinstance(bind, Connection) else bind
    with Session(engine) as session:
        return kept_said(session, [int(i) for i in ids]) != (row.data.get(KEPT_KEY) or {})


def _listed_unheld(bind: Bind, row: Any) -> bool:
    """Whether ``row``, the one mail a bulk reassignment gathered for a body (refresh.gathered), lists a
    part that body no longer holds (named for another since): rendered again without it, or skipped."""
    if not refresh.gathered(row.kind, row.assignment_id, row.data):
        return False
    engine = bind.engine if isinstance(bind, Connection) else bind
    listed = list(row.data["assignment_ids"])
    with Session(engine) as session:
        return listed_still_held(session, listed, str(row.data.get("recipient_agency", ""))) != listed


def _rebuilt(
    bind: Bind, row: Any, *, worker_id: str, now: datetime, settings: Settings, to: Addressee | None = None
) -> Prepared:
    """A mail still undelivered after its day: rendered again with ``now``'s figures and stored so
    (the outbox shows what is sent), or skipped (a digest superseded, or with nothing left to say);
    written to ``to``, if given (a request mail whose body has ended: :func:`_holder_now`)."""
    engine = bind.engine if isinstance(bind, Connection) else bind
    with Session(engine) as session:
        digest = session.get(Notification, row.id)
        assert digest is not None
        spec, reason = refresh.rerendered(session, digest, now=now, settings=settings)
        if spec is None:
            return Prepared(row.id, row.attempts, skip=reason)
        if to is not None:
            spec = addressed(spec, to)
        values = rendered_columns(session, spec, now=now, settings=settings) | {"recipient_role": spec.recipient_role}
        _store_rendered(session, row.id, worker_id, values)
    fresh = SimpleNamespace(**{**row._asdict(), **values})
    message = build_message(fresh, settings=settings, now=now)
    carried = tuple(values["data"].get("carried", ())) if row.kind in DIGEST_KINDS else ()
    return Prepared(row.id, row.attempts, message=message, recipient=fresh.recipient_email, carried=carried)


def mark_carried(bind: Bind, digest_id: int, held_ids: tuple[int, ...]) -> int:
    """The held rows a sent digest told of: ``carried_by_id`` is the digest (the first one that did)."""
    with _using(bind) as connection:
        return int(connection.execute(_CARRIED, {"held": list(held_ids), "digest": digest_id}).rowcount)


# Built once (an expanding IN takes any number of ids): building it per digest cost more than running it.
_CARRIED = (
    update(_OUTBOX_ROW.id.table)
    .where(_OUTBOX_ROW.id.in_(bindparam("held", expanding=True)), _OUTBOX_ROW.carried_by_id.is_(None))
    .values(carried_by_id=bindparam("digest"))
)


def attempts_of(engine: Engine, notification_id: int) -> int:
    """How many attempts a row has had (for a row that could not even be read back whole)."""
    with Session(engine) as session:
        found = session.exec(select(Notification.attempts).where(Notification.id == notification_id)).first()
    return found or 0


def _finish(bind: Bind, notification_id: int, worker_id: str | None, values: dict[str, Any]) -> bool:
    """Write an outcome if the row is still ours (any pending row when ``worker_id`` is None),
    committed on return."""
    statement = _outcome_statement(tuple(sorted(values)), worker_id is not None)
    params = {
        **{f"new_{name}": value for name, value in values.items()},
        "row_id": notification_id,
        "holder": worker_id,
    }
    with _using(bind) as connection:
        return connection.execute(statement, params).rowcount == 1


@lru_cache(maxsize=16)
def _outcome_statement(names: tuple[str, ...], held: bool) -> Any:
    """``UPDATE notification SET <names>, claim released WHERE id, pending [, ours]``, built
    once per shape (building a statement costs more than running it on SQLite)."""
    columns = Notification.__table__.c  # type: ignore[attr-defined]
    values = {name: bindparam(f"new_{name}", type_=columns[name].type) for name in names}
    statement = (
        update(Notification)
        .where(col(Notification.id) == bindparam("row_id"), col(Notification.status) == PENDING)
        .values(**values, claimed_by=None, claimed_until=None)
    )
    return statement.where(col(Notification.claimed_by) == bindparam("holder")) if held else statement


def mark_sent(bind: Bind, prepared: Prepared, *, worker_id: str, now: datetime) -> bool:
    """Sent: sent_at, the Message-ID, one more attempt; the claim is released.

    If our lease ran out meanwhile the row is marked sent all the same while it is still
    pending, so a worker that took it over and has not sent yet will not; False then.
    """
    message_id = str(prepared.message["Message-ID"]) if prepared.message else None
    values = {
        "status": NotificationStatus.SENT.value,
        "sent_at": now,
        "message_id": message_id,
        "attempts": prepared.attempts + 1,
        "last_error": None,
    }
    for listed_id, attempts in prepared.listed:  # sent in this row's mail (LISTED_FOR_LEAD)
        carried = values | {"attempts": attempts + 1, "carried_by_id": prepared.id}
        if not _finish(bind, listed_id, listed_holder(worker_id), carried):
            _finish(bind, listed_id, None, carried)
    if _finish(bind, prepared.id, worker_id, values):
        return True
    _finish(bind, prepared.id, None, values)
    return False


def mark_skipped(bind: Bind, prepared: Prepared, *, worker_id: str) -> bool:
    """No longer relevant: skipped, with the reason in last_error."""
    return _finish(
        bind, prepared.id, worker_id, {"status": NotificationStatus.SKIPPED.value, "last_error": prepared.skip}
    )


def mark_failed_attempt(
    bind: Bind, prepared: Prepared, *, worker_id: str, now: datetime, error: str, permanent: bool, max_attempts: int
) -> str:
    """Record a failed attempt: "retry" (pending, backed off) or "failed"; which one it was.

    A failed row's ``next_attempt_at`` records when it failed (the secretariat's digest
    lists the failures since its previous edition by it).
    """
    for listed_id, listed_attempts in prepared.listed:  # the list's rows share its outcome (LISTED_FOR_LEAD)
        _finish(
            bind,
            listed_id,
            listed_holder(worker_id),
            _failed_values(listed_attempts + 1, error, now, permanent, max_attempts),
        )
    values = _failed_values(prepared.attempts + 1, error, now, permanent, max_attempts)
    _finish(bind, prepared.id, worker_id, values)
    return "failed" if values["status"] == NotificationStatus.FAILED.value else "retry"


def _failed_values(attempts: int, error: str, now: datetime, permanent: bool, max_attempts: int) -> dict[str, Any]:
    failed = permanent or attempts >= max_attempts
    return {
        "attempts": attempts,
        "last_error": error[:2000],
        "status": NotificationStatus.FAILED.value if failed else PENDING,
        "next_attempt_at": now if failed else now + backoff(attempts),
    }


def release(engine: Engine, ids: list[int], *, worker_id: str) -> int:
    """Give back rows claimed but not attempted, so any worker may take them at once."""
    if not ids:
        return 0
    statement = (
        update(Notification)
        .where(
            col(Notification.id).in_(ids),
            col(Notification.claimed_by) == worker_id,
            col(Notification.status) == PENDING,
        )
        .values(claimed_by=None, claimed_until=None)
    )
    with Session(engine) as session:
        count = int(session.execute(statement, execution_options={"synchronize_session": False}).rowcount)  # type: ignore[attr-defined]
        session.commit()
    return count
