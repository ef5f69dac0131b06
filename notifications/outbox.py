"""The outbox: decisions become rendered ``Notification`` rows, once per dedupe key.

The sweep (or any service) describes an email as a :class:`MailSpec`; :func:`enqueue`
renders it at decision time and inserts it with ``ON CONFLICT (dedupe_key) DO NOTHING``,
so the same decision made twice — by a rerun, a restart or a second worker — makes one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session, select

from dondoc.engine.clock import local_date
from dondoc.engine.escalation.recipients import unreached_words
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services.asked_of import handed_explanation, handed_return
from dondoc.engine.services.ended_names import ended_name_notes
from dondoc.engine.services.leads_named import leads_named
from dondoc.engine.services.successions import INHERITED_KIND, handover, kept_said
from dondoc.engine.settings import Settings
from dondoc.notifications.asked import ASKED_KEY, ASKED_KINDS, told_of
from dondoc.notifications.context import assignment_context, common_context, link_for
from dondoc.notifications.message import render_mime
from dondoc.notifications.render import render

DIGEST_KINDS = frozenset({"digest_leader", "digest_secretariat"})
DATA_KINDS = DIGEST_KINDS | {"periodic_report"}  # no assignment: the template reads MailSpec.data
# mails listing parts whose data holds no day-dependent facts of each: counted as they are rendered
COUNTED_WHEN_RENDERED = frozenset({"inherited_work"})


@dataclass(frozen=True)
class MailSpec:
    """One decision of the sweep, or any service, turned into one email."""

    dedupe_key: str  # unique: the same decision made twice must not make two rows
    kind: str  # a kind of notifications.render.KINDS
    recipient_role: str  # an engine.actors.Recipient
    recipient_email: str
    recipient_name: str | None
    assignment_id: int | None
    policy_version: str | None
    held: bool  # record only (status "held"): leaders' and secretariat's items go into their digest
    data: dict[str, Any] = field(default_factory=dict)  # facts at decision time, JSON-able; "due_at" ISO

    @classmethod
    def of_row(cls, row: Any, data: dict[str, Any]) -> MailSpec:
        """The spec an outbox row was written from, with ``data`` (its facts, counted again as it is
        rendered again or written to another mailbox): pending, never held."""
        return cls(
            row.dedupe_key,
            row.kind,
            row.recipient_role,
            row.recipient_email,
            row.recipient_name,
            row.assignment_id,
            row.policy_version,
            held=False,
            data=data,
        )


LINES_KEY = "lines"  # a lead's list (notifications.claims): each listed row's own facts, in assignment_ids' order
KIND_KEY = "listed_kind"  # a line of a lead's list: the kind of its own row (the mail's kind when absent)
HANDED_KEY = "handed"  # an inherited_work row's data: what it said of each part's predecessor's requests
KEPT_KEY = "kept"  # an inherited_work row's data: what it said its holder keeps beside each part


def build_context(session: Session, spec: MailSpec, *, now: datetime, settings: Settings) -> dict[str, Any]:
    """The template context of ``spec``: common facts, then the assignment's or the digest's."""
    context = common_context(spec.recipient_role, spec.recipient_name, settings=settings)
    context["data"] = spec.data
    if spec.kind in DATA_KINDS:
        context.update(spec.data)
        context["link"] = link_for(session, spec.recipient_role, None, now=now, settings=settings)
        if spec.kind in DIGEST_KINDS:  # the titles it quotes: a note on each body they name that has ended
            day = local_date(now, settings.tz)
            context["ended_notes"] = ended_name_notes(session, day, digest_titles(spec.data))
    else:
        # A new-assignment notice may list several assignments (one mail per agency, plan and day).
        ids = spec.data.get("assignment_ids") or ([spec.assignment_id] if spec.assignment_id is not None else [])
        if not ids:
            raise ValueError(f'a "{spec.kind}" mail needs an assignment_id')
        # a lead's list of rows (notifications.claims.LISTED_FOR_LEAD): each part read with its own row's facts
        lines = spec.data.get(LINES_KEY) or [spec.data] * len(ids)
        leads = leads_named(session.connection(), ids)  # every part's leads, in one statement
        facts = [
            assignment_context(
                session,
                assignment_id,
                role=spec.recipient_role,
                email=spec.recipient_email,
                data=line,
                now=now,
                settings=settings,
                counted_now=spec.kind in COUNTED_WHEN_RENDERED,
                tells_asked=line.get(KIND_KEY, spec.kind) in ASKED_KINDS,  # a lead's list: its line's own kind
                lead_names=leads[assignment_id],
            )
            for assignment_id, line in zip(ids, lines, strict=True)
        ]
        for fact, line in zip(facts, lines, strict=True):
            fact["data"] = line  # what its own row tells of it (a list's line: its date, its reason)
            fact["list_kind"] = line.get(KIND_KEY, spec.kind)  # a lead's list: the kind of copy its line is
        if spec.kind == INHERITED_KIND:  # what its predecessor was asked and had not done (engine.services.asked_of)
            context["handover"] = handover(spec.data, len(facts))
            # its own other parts of the item it keeps beside a lead (the queue told the secretariat so)
            kept = kept_said(session, [fact["assignment_id"] for fact in facts])  # read again as it leaves
            for fact in facts:
                fact["explanation_handed"] = handed_explanation(session, fact["assignment_id"])
                fact["return_handed"] = handed_return(session, fact["assignment_id"])
                fact["kept"] = kept.get(str(fact["assignment_id"]))
        context.update(facts[0])
        context["a"], context["assignments"] = facts[0], facts
        context["lead_list"] = bool(spec.data.get(LINES_KEY))  # each item's link under it (_lead_list.j2)
    return context


def digest_titles(data: dict[str, Any]) -> list[str]:
    """The items' titles a digest quotes (notifications.digests: the leaders' rows by body, the
    secretariat's by section, the extensions, the work waiting to be reassigned and the unanswered
    explanation requests), each once."""
    rows = [row for group in data.get("groups") or () for row in group["rows"]]
    rows += [row for section in data.get("sections") or () for row in section["rows"]]
    rows += [*(data.get("extensions") or ()), *(data.get("reassignments") or ()), *(data.get("explanations") or ())]
    return list(dict.fromkeys(row["item_title"] for row in rows))


def rendered_columns(session: Session, spec: MailSpec, *, now: datetime, settings: Settings) -> dict[str, Any]:
    """The columns ``spec`` renders to at ``now``: recipient, subject, bodies, data and the stored MIME
    (at enqueue, and again when a digest left undelivered past its day is rebuilt before sending)."""
    context = build_context(session, spec, now=now, settings=settings)
    rendered = render(spec.kind, context)
    data = dict(spec.data)
    if spec.kind in ASKED_KINDS or any(line.get(KIND_KEY) in ASKED_KINDS for line in spec.data.get(LINES_KEY) or ()):
        # the request it told of, for the check before it leaves (notifications.asked)
        data[ASKED_KEY] = told_of(context)
    if spec.kind == INHERITED_KIND:  # what it said its predecessor left, checked again as it leaves
        data[HANDED_KEY] = {
            str(f["assignment_id"]): [f["explanation_handed"], f["return_handed"]]
            for f in context["assignments"]
            if f["explanation_handed"] or f["return_handed"]
        }
        data[KEPT_KEY] = {str(f["assignment_id"]): f["kept"] for f in context["assignments"] if f["kept"]}
    values: dict[str, Any] = {
        "dedupe_key": spec.dedupe_key,
        "recipient_email": spec.recipient_email,
        "recipient_name": spec.recipient_name,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "data": data,
        "mime": None,
    }
    if not spec.held and "attachment" not in spec.data:  # held rows are mailed inside a digest
        values["mime"] = render_mime(SimpleNamespace(**values), settings=settings)
    return values


def exists(session: Session, dedupe_key: str) -> bool:
    """Whether a row with ``dedupe_key`` is already in the outbox (rows this session has yet to
    flush included, as the ORM's query would: it flushed first)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(_EXISTS, {"key": dedupe_key}).first() is not None


def enqueue(session: Session, spec: MailSpec, *, now: datetime, settings: Settings) -> Notification | None:
    """Render and insert one outbox row unless its dedupe_key already exists (then return None).

    Race-safe with two workers: ``INSERT … ON CONFLICT (dedupe_key) DO NOTHING`` on SQLite
    and PostgreSQL. Flushes, never commits. Held rows are rendered too (the web shows them).
    """
    new_id = insert(session, spec, now=now, settings=settings)
    return None if new_id is None else session.get(Notification, new_id)


def insert(
    session: Session, spec: MailSpec, *, now: datetime, settings: Settings, key_checked: bool = False
) -> int | None:
    """:func:`enqueue` without reading the row back: the new row's id, or None if the key exists.
    ``key_checked``: the caller has just found the key absent in this transaction (the sweep reads
    its keys in one query), so the row is rendered without asking again; a row written since by
    another worker is still caught by the ``ON CONFLICT``."""
    if not key_checked and exists(session, spec.dedupe_key):
        return None
    status = NotificationStatus.HELD if spec.held else NotificationStatus.PENDING
    # a body with no address in the catalog (engine.escalation.recipients.unaddressed), or a seat nobody
    # holds with one (its digest): the mail reaches nobody, and is written failed, in words, where the
    # secretariat sees it ("Thư gửi lỗi", its digest), to be sent once the address is in (notifications.failed)
    unreached = not spec.held and not spec.recipient_email
    values: dict[str, Any] = {  # the row's columns
        "dedupe_key": spec.dedupe_key,
        "kind": spec.kind,
        "assignment_id": spec.assignment_id,
        "recipient_role": spec.recipient_role,
        "policy_version": spec.policy_version,
        "status": status.value,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
        "last_error": None,
    } | rendered_columns(session, spec, now=now, settings=settings)
    if unreached:
        values["status"] = NotificationStatus.FAILED.value
        values["last_error"] = unreached_words(spec.recipient_role, spec.recipient_name or spec.recipient_role)
    if session.autoflush:
        session.flush()  # what the ORM's INSERT did first: the row may name an assignment not yet written
    new_id: int | None = session.connection().execute(_INSERT, values).scalar_one_or_none()
    return new_id


# The outbox INSERT, one statement for SQLite and PostgreSQL (both spell ON CONFLICT … DO NOTHING
# and RETURNING so); the row's values are its parameters, typed as the table's columns.
# Written as text: SQLAlchemy 2.0 compiles its dialects' ``insert().on_conflict_do_nothing()``
# anew at every execution (those constructs have no cache key), and an INSERT of the mapped class
# goes through the ORM's bulk-insert path besides; either cost more per row than rendering the
# mail. A text statement is compiled once and then found in the engine's statement cache.
_TABLE = Notification.__table__  # type: ignore[attr-defined]
INSERTED = (  # the columns insert() writes; the others start NULL
    "dedupe_key",
    "kind",
    "assignment_id",
    "recipient_role",
    "policy_version",
    "status",
    "attempts",
    "created_at",
    "next_attempt_at",
    "recipient_email",
    "recipient_name",
    "subject",
    "body_text",
    "body_html",
    "data",
    "mime",
    "last_error",
)
_INSERT = (
    text(
        f"INSERT INTO {_TABLE.name} ({', '.join(INSERTED)}) VALUES ({', '.join(f':{c}' for c in INSERTED)})"
        " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"
    )
    .bindparams(*(bindparam(c, type_=_TABLE.c[c].type) for c in INSERTED))
    .columns(_TABLE.c.id)
)
_EXISTS = select(_TABLE.c.id).where(_TABLE.c.dedupe_key == bindparam("key"))  # Core: a read per mail decided
