"""The one way to change an existing assignment row: compare-and-set on its version.

Every writer goes through :func:`compare_and_set` (catalog sync, on an ORM object) or its Core
twin :func:`set_if_version` (``act``, on a row it read), so two writers on one row cannot both
win: the one that read an older version changes nothing and is told (Conflict). The database
trigger of migration 0005 sees the version move and puts the row back in the sweep's next pass;
the sweep's own write of ``next_sweep_at`` checks the version it read and never moves it
(engine.escalation.sweep).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, literal_column, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.errors import Change, Conflict
from dondoc.engine.models import Agency, Assignment, Event
from dondoc.engine.role_words import event_label
from dondoc.engine.services.actor_names import actor_words, by_another
from dondoc.engine.services.part_words import part_words
from dondoc.engine.services.precompiled import Precompiled
from dondoc.engine.vi_format import vn_datetime

_TABLE: Table = Assignment.__table__  # type: ignore[attr-defined]
_EVENT: Table = Event.__table__  # type: ignore[attr-defined]
_AGENCY: Table = Agency.__table__  # type: ignore[attr-defined]
# On SQLite the trigger writes next_sweep_at after the statement, so RETURNING would show the
# value before it: that column is expired and read again when asked for instead.
_RETURNED = [column for column in _TABLE.c if column.name != "next_sweep_at"]


def compare_and_set(session: Session, assignment: Assignment, changes: Mapping[str, Any]) -> Assignment:
    """``UPDATE assignment SET …, version = version + 1 WHERE id = :id AND version = :seen RETURNING …``

    ``seen`` is the version ``assignment`` was read at. On success the object holds the row as
    written (without being marked changed) and is returned; if the row moved on since, nothing
    is written and Conflict is raised.
    """
    seen = assignment.version
    statement = (
        update(_TABLE)
        .where(_TABLE.c.id == assignment.id, _TABLE.c.version == seen)
        .values(**changes, version=_TABLE.c.version + 1)
        .returning(*_RETURNED)
    )
    row = session.execute(statement).mappings().first()
    if row is None:
        raise _conflict(session.connection(), assignment.id or 0, seen)
    for name, value in row.items():
        set_committed_value(assignment, name, value)
    session.expire(assignment, ["next_sweep_at"])
    return assignment


def set_if_version(
    connection: Connection,
    assignment_id: int,
    seen: int,
    changes: Mapping[str, Any],
    *,
    actor: str | None = None,
    account: str | None = None,
    tz: ZoneInfo = DEFAULT_DAYS.tz,
) -> int:
    """The same compare-and-set in Core for a row already read (``act``'s hot path):
    ``UPDATE assignment SET …, version = version + 1 WHERE id = :id AND version = :seen``.

    Returns the new version; if the row moved on since ``seen``, nothing is written and
    Conflict is raised, naming the change (:func:`stale`: ``actor`` and ``account`` are the
    writer's, ``tz`` the zone its instant is said in). ``next_sweep_at`` is the trigger's to reset
    (the version always moves).
    """
    values = {f"v_{name}": value for name, value in changes.items()}
    result = _update_of(tuple(changes)).execute(connection, {"v_id": assignment_id, "v_seen": seen, **values})
    if result.rowcount != 1:
        current = connection.execute(select(_TABLE.c.version).where(_TABLE.c.id == assignment_id)).scalar()
        raise stale(connection, assignment_id, seen, current, actor=actor, account=account, tz=tz)
    return seen + 1


_UPDATES: dict[tuple[str, ...], Precompiled] = {}


def _update_of(names: tuple[str, ...]) -> Precompiled:
    """One statement per set of changed columns, built and compiled once (the actions change a
    handful of sets)."""
    statement = _UPDATES.get(names)
    if statement is None:
        statement = _UPDATES[names] = Precompiled(
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("v_id"), _TABLE.c.version == bindparam("v_seen"))
            .values(
                {name: bindparam(f"v_{name}", type_=_TABLE.c[name].type) for name in names}
                | {"version": _TABLE.c.version + literal_column("1")}
            )
        )
    return statement


def _conflict(connection: Connection, assignment_id: int, seen: int) -> Conflict:
    current = connection.execute(select(_TABLE.c.version).where(_TABLE.c.id == assignment_id)).scalar()
    return stale(connection, assignment_id, seen, current)


def stale(
    connection: Connection,
    assignment_id: int,
    seen: int,
    current: int | None,
    *,
    actor: str | None = None,
    account: str | None = None,
    tz: ZoneInfo = DEFAULT_DAYS.tz,
) -> Conflict:
    """The Conflict of a writer that read the row at ``seen`` and finds it at ``current``: with the
    row's latest change as its history names it (every write of a row records its event), said as
    made by another when it was another body's or account's than the writer's (``actor``, ``account``;
    None: not known, and not said)."""
    if current is None:  # gone: nothing left to name it by
        return Conflict(assignment_id, seen, current)
    part = part_words(connection, assignment_id)  # as the pages name it, not its number
    if seen > current or seen < 1:  # a version it never had: no change to name
        return Conflict(assignment_id, seen, current, part=part)
    return Conflict(
        assignment_id, seen, current, latest_change(connection, assignment_id, actor, account, tz), part=part
    )


_LATEST = (
    select(_EVENT.c.at, _EVENT.c.actor, _EVENT.c.actor_account, _EVENT.c.action, _AGENCY.c.name, _TABLE.c.role)
    .select_from(
        _EVENT.outerjoin(_AGENCY, _AGENCY.c.code == _EVENT.c.actor).join(_TABLE, _TABLE.c.id == _EVENT.c.assignment_id)
    )
    .where(_EVENT.c.assignment_id == bindparam("id"))
    .order_by(_EVENT.c.at.desc(), _EVENT.c.id.desc())
    .limit(1)
)


def latest_change(
    connection: Connection, assignment_id: int, actor: str | None, account: str | None, tz: ZoneInfo
) -> Change | None:
    """The row's latest event in the history's words: its action (history_labels), its actor as
    the part's page shows it (actor_names), its instant in ``tz``; None if it has none."""
    row = connection.execute(_LATEST, {"id": assignment_id}).first()
    if row is None:
        return None
    names = {row.actor: row.name} if row.name else {}
    return Change(
        what=event_label(row.action, row.role),  # a partner's report is its input sent (engine.role_words)
        who=actor_words(row.actor, row.actor_account, names),
        at=vn_datetime(row.at, tz),
        by_other=by_another(row.actor, row.actor_account, actor, account),
    )
