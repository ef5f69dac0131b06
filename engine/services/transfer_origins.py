"""Who held an assignment before it passed to a successor: the catalog's first holder, and the holder
on a given day (a report of a past period, and the board and the leaders' page at a past instant,
show the body as it was then).

A succession moves work by rewriting ``Assignment.agency_id`` in place (the day it passed is recorded
with the transfer, ``AgencyTransfer.passed_on``: the succession's date, or for work that waited in
"Cần phân công lại", the day the secretariat named a body; the history's ``agency_transfer`` event
says when and why). So the holder on a day is read from the transfers: :func:`held_then` is the one rule, read in SQL by
every surface that names or counts work under a body at an instant. A rate counts each part for the body
that held it on its own date (:func:`holders_on_their_dates`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, bindparam, exists, false, func, or_
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from dondoc.engine.clock import local_date
from dondoc.engine.db import id_batches, named_alias, plain
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, TransferStatus
from dondoc.engine.status import received_after_due


def held_then(day: Any) -> Any:
    """The rule, as a subquery of (``assignment_id``, ``agency_id``): the assignments a transfer
    took from a body after ``day`` (a date, or a bound parameter: engine.status.TODAY), each with the
    body that held it on ``day`` (the origin of the earliest such transfer). Every other assignment
    was held that day by its agency now: with today's date it has no row (work passes on the
    succession's date or on the day of the decision, never later than the day it is written), so a
    statement that reads it costs a range of an index.

    It reads the done transfers after ``day`` from ``ix_agency_transfer_done_on`` (a range of it, of
    no row at today's date), never the assignments: a statement over many assignments reads it once,
    not once a row."""
    later, earlier = named_alias(AgencyTransfer, "transfer_later"), named_alias(AgencyTransfer, "transfer_earlier")
    done = TransferStatus.DONE.value
    earlier_one = (
        select(col(earlier.id))
        .where(
            col(earlier.assignment_id) == col(later.assignment_id),
            col(earlier.status) == done,
            col(earlier.passed_on) > day,
            or_(
                col(earlier.passed_on) < col(later.passed_on),
                and_(col(earlier.passed_on) == col(later.passed_on), col(earlier.id) < col(later.id)),
            ),
        )
        .correlate(later)
    )
    return (
        select(col(later.assignment_id).label("assignment_id"), col(later.from_agency_id).label("agency_id"))
        .where(col(later.status) == done, col(later.passed_on) > day, ~exists(earlier_one))
        .subquery("held_then")
    )


def holder_of(held: Any, part: Any = Assignment) -> Any:
    """SQL: the agency id that held the assignment then, over ``part`` (``Assignment`` or an alias of
    it) outer-joined to ``held`` (a :func:`held_then`) on its id."""
    return func.coalesce(held.c.agency_id, col(part.agency_id))


def join_holder(statement: Any, held: Any, part: Any = Assignment) -> Any:
    """``statement``, which reads ``part`` (``Assignment`` or an alias of it), joined to ``Agency`` on
    the body that holds the part: with ``held`` (a look-back's day, engine.services.queries.held_on, or
    a bound parameter of it; None: none),
    the body that held it that day (:func:`held_then`, :func:`holder_of`); else its agency now, the
    join a statement at today's instant always made."""
    if held is None:
        return statement.join(Agency, col(Agency.id) == col(part.agency_id))
    then = held_then(held)
    statement = statement.outerjoin(then, then.c.assignment_id == col(part.id))
    return statement.join(Agency, col(Agency.id) == holder_of(then, part))


def passed_after(session: Session, day: date) -> bool:
    """Whether a transfer passed work on after ``day`` (:func:`held_then` names a body other than the
    holder now for some assignment on that day): one seek of ``ix_agency_transfer_done_on``, none at
    today's date. A list that reads the holder then only where there is one (the desk's at a look-back,
    engine.services.web_queries.held_at) runs the statements it always ran otherwise."""
    probe = (
        select(col(AgencyTransfer.id))
        .where(col(AgencyTransfer.status) == TransferStatus.DONE.value, col(AgencyTransfer.passed_on) > day)
        .limit(1)
    )
    return session.execute(probe).first() is not None


def held_by_sql(day: Any, chosen: Callable[[Any], Any]) -> Any:
    """SQL, a condition over ``Assignment``: the body that held it on ``day`` (:func:`held_then`) is
    one ``chosen`` admits (a function of an agency id column: ``lambda a: a == x``, ``a.in_(…)``).
    Written as two seeks, not over the holder of every assignment: held now by such a body and not
    taken from it after ``day``, or taken after ``day`` from such a body. What a list read at a
    look-back selects a body's or a group's rows by (engine.services.assignment_filter), and its
    menus offer a body for (web.filters)."""
    held = held_then(day)
    return or_(
        and_(chosen(col(Assignment.agency_id)), col(Assignment.id).not_in(select(held.c.assignment_id))),
        # what ``chosen`` reads of an enclosing statement (the menu's body) is that statement's row
        col(Assignment.id).in_(select(held.c.assignment_id).where(chosen(held.c.agency_id)).correlate_except(held)),
    )


def held_by_code_sql(day: Any, code: Any) -> Any:
    """:func:`held_by_sql` of the one body whose code is ``code`` (a value or a bound parameter): what
    a list read at a look-back selects one body's rows by (the desk's filter, an ``--agency`` of the
    command line and of the API: engine.services.queries.agency_is)."""
    named = aliased(Agency, name="filter_agency")
    body = select(named.id).where(named.code == code).scalar_subquery()
    return held_by_sql(day, lambda a: a == body)


def passed_on_after(session: Session, assignment_id: int, day: date) -> tuple[date, str, str] | None:
    """How ``assignment_id`` left the body that held it on ``day``, if a transfer passed it on after
    that day (:func:`held_then`'s transfer): the day it passed, the name of the body it passed to, and
    the name of the body that holds it now. What a part's page read at a past instant says of today's
    holder (engine.views.PassedAfter). One statement, of no row at today's date."""
    to, holder = named_alias(Agency, "passed_to"), named_alias(Agency, "holder_now")
    statement = (
        select(col(AgencyTransfer.passed_on), col(to.name), col(holder.name))
        .join(Assignment, col(Assignment.id) == col(AgencyTransfer.assignment_id))
        .join(holder, col(holder.id) == col(Assignment.agency_id))
        .join(to, col(to.id) == func.coalesce(col(AgencyTransfer.to_agency_id), col(Assignment.agency_id)))
        .where(
            col(AgencyTransfer.assignment_id) == assignment_id,
            col(AgencyTransfer.status) == TransferStatus.DONE.value,
            col(AgencyTransfer.passed_on) > day,
        )
        .order_by(col(AgencyTransfer.passed_on), col(AgencyTransfer.id))
        .limit(1)
    )
    found = session.execute(statement).first()
    return None if found is None else (found[0], str(found[1]), str(found[2]))


def holder_sql(day: date) -> Any:
    """SQL: the agency id that held the assignment on ``day`` (:func:`held_then`; with none, its
    agency now), for one row: a subquery a row, for the reports' statements."""
    held = held_then(day)
    then = select(held.c.agency_id).where(held.c.assignment_id == col(Assignment.id)).scalar_subquery()
    return func.coalesce(then, col(Assignment.agency_id))


def holders_on_their_dates(session: Session, parts: Mapping[int, datetime | None], tz: ZoneInfo) -> dict[int, int]:
    """assignment id -> the body a rate counts it for, for those of ``parts`` (id -> its date in
    force) a transfer passed on after the local day of their date (:func:`holders_on_dates`)."""
    return {i: body for (i, _), body in holders_on_dates(session, parts.items(), tz).items()}


def holders_on_dates(
    session: Session, parts: Iterable[tuple[int, datetime | None]], tz: ZoneInfo
) -> dict[tuple[int, datetime | None], int]:
    """(assignment id, a date it had in force) -> the body a rate counts it for, for those of
    ``parts`` a transfer passed on after the local day of that date: the body that held it that day
    (:func:`held_then` at it), whose missed date it is; a successor is neither credited nor blamed
    for work it received after its date. A part may come with several dates (the trend reads each
    date a part had in force in turn). A transfer of work the body that ended was never given
    (``never_given``) makes that body no holder: the work was given, not handed on (given after its
    date, engine.status.given_after_due counts it apart), and is the body's that received it. Every
    other part was held on its date by the body :func:`held_then` names at any later day. The one
    rule of whom the rates count a part for (engine.reports.rates.due_rows, read by every rate; the
    board's: web_queries.board_summary; the trend's copies); it reads the transfers done after the
    earliest of those days (few), never the assignments."""
    wanted: dict[int, list[datetime]] = {}
    for assignment_id, due in parts:
        if due is not None:
            wanted.setdefault(assignment_id, []).append(due)
    if not wanted:
        return {}
    earliest = min(local_date(due, tz) for dues in wanted.values() for due in dues)
    statement = (
        core_select(  # sqlmodel's select types at most four columns
            col(AgencyTransfer.assignment_id),
            col(AgencyTransfer.passed_on),
            col(AgencyTransfer.from_agency_id),
            col(AgencyTransfer.never_given),
            col(Assignment.agency_id),
        )
        .join(Assignment, col(Assignment.id) == col(AgencyTransfer.assignment_id))
        .where(col(AgencyTransfer.status) == TransferStatus.DONE.value, col(AgencyTransfer.passed_on) > earliest)
        .order_by(col(AgencyTransfer.passed_on), col(AgencyTransfer.id))
    )
    found: dict[tuple[int, datetime | None], int] = {}
    settled: set[tuple[int, datetime | None]] = set()  # the first transfer after its day handed it on
    for assignment_id, passed_on, from_agency, never_given, holder_now in session.execute(statement):
        for due in wanted.get(int(assignment_id), ()):
            key = (int(assignment_id), due)
            if passed_on <= local_date(due, tz) or key in settled:
                continue
            if never_given:  # the body it was given to, unless a later transfer handed it on from it
                found.setdefault(key, int(holder_now))
            else:
                found[key] = int(from_agency)
                settled.add(key)
    return found


def holders_on(session: Session, assignment_ids: list[int], day: date) -> dict[int, int]:
    """assignment id -> the agency that held it on ``day``, for those of ``assignment_ids`` a later
    transfer took from it (:func:`held_then`)."""
    if not assignment_ids:
        return {}
    held = held_then(day)
    found: dict[int, int] = {}
    for batch in id_batches(assignment_ids):
        statement = select(held.c.assignment_id, held.c.agency_id).where(held.c.assignment_id.in_(batch))
        found.update((int(a), int(b)) for a, b in session.execute(statement))
    return found


def names_then(session: Session, day: date) -> dict[int, tuple[str, str]]:
    """assignment id -> (code, name) of the body that held it on ``day``, for every assignment a later
    transfer took from it (:func:`held_then`): what a list of work at a past instant names beside
    each of its rows. One statement built once, of no row at today's date, whatever the list's length
    (an export's 100,000 rows need no IN of their ids)."""
    return {assignment_id: (code, name) for assignment_id, code, name in plain(session, _names_then(), {"day": day})}


@cache
def _names_then() -> Any:
    held = held_then(bindparam("day", type_=Date()))
    return select(held.c.assignment_id, col(Agency.code), col(Agency.name)).join(
        Agency, col(Agency.id) == held.c.agency_id
    )


class Received(NamedTuple):
    """The day a body received work from another, and that body's name (:func:`received_on`)."""

    on: date
    from_name: str


def received_on(session: Session, assignment_ids: list[int], day: date) -> dict[int, Received]:
    """assignment id -> how the body that held it on ``day`` came to hold it, for those of
    ``assignment_ids`` a transfer passed on or before ``day``: the day it passed (``passed_on``) and
    the body it passed from, of the latest such transfer (a chain A → B → C: C received it from B).
    Work never given to the body that ended (``never_given``) is left out: it was given, not handed
    on (engine.status.given_after_due says it). What says how late work received after its date is
    reads it (engine.status.received_after_due, given_late_words): one statement a list, not a row."""
    found: dict[int, Received] = {}
    for batch in id_batches(assignment_ids):
        statement = (
            select(col(AgencyTransfer.assignment_id), col(AgencyTransfer.passed_on), col(Agency.name))
            .join(Agency, col(Agency.id) == col(AgencyTransfer.from_agency_id))
            .where(
                col(AgencyTransfer.status) == TransferStatus.DONE.value,
                col(AgencyTransfer.never_given) == false(),
                col(AgencyTransfer.passed_on) <= day,
                col(AgencyTransfer.assignment_id).in_(batch),
            )
            .order_by(col(AgencyTransfer.passed_on), col(AgencyTransfer.id))
        )
        for assignment_id, passed_on, name in session.execute(statement):
            found[int(assignment_id)] = Received(passed_on, name)  # the latest wins
    return found


def received_late(
    session: Session, parts: Iterable[tuple[int, datetime | None]], day: date, tz: ZoneInfo
) -> dict[int, Received]:
    """assignment id -> how its body received it (:func:`received_on`), for those of ``parts`` (id,
    due date) it received after their date (engine.status.received_after_due): whatever says how late
    they are says since when the body has had them, its own pages as the leaders' do."""
    due = dict(parts)
    return late_of(received_on(session, list(due), day), due, tz)


def late_of(received: Mapping[int, Received], due: Mapping[int, datetime | None], tz: ZoneInfo) -> dict[int, Received]:
    """Those of ``received`` (:func:`received_on`) their body received after their date, ``due``
    (assignment id -> due date): the one test of :func:`received_late`, for a reader that has read
    how every part was received for another use (the digests: notifications.digests.Reading)."""
    return {i: r for i, r in received.items() if received_after_due(due[i], r.on, tz)}


def transfer_origins(session: Session, assignment_ids: list[int]) -> dict[int, int]:
    """assignment id -> the agency it was with before its first transfer (only transferred ones)."""
    if not assignment_ids:
        return {}
    rows = session.exec(
        select(AgencyTransfer.assignment_id, AgencyTransfer.from_agency_id)
        .where(col(AgencyTransfer.assignment_id).in_(assignment_ids))
        .order_by(col(AgencyTransfer.id))
    )
    origins: dict[int, int] = {}
    for assignment_id, agency_id in rows:
        origins.setdefault(assignment_id, agency_id)
    return origins
