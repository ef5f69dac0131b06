"""A look-back (the board and the leaders' page at a past instant, `--now`) counts and names work
under the body that held it that day, on both databases: before a succession's date, the body it
passed from, as it was named; at today's instant, the holder now (transfer_origins.held_then).

The 2025 replay's board of 27/02/2025 had shown Sở DT&TG and Sở NN&MT, bodies of 01/03/2025,
holding the work Ban Dân tộc and Sở TN&MT, Sở NN&PTNT held that day."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select, update

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.clock import local_date
from dondoc.engine.models import Agency, Assignment
from dondoc.engine.reports.ranking import agency_ranking
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import overdue_now, overdue_per_agency
from dondoc.engine.services.queries import list_assignments
from dondoc.engine.services.transfer_origins import held_then, holder_of, holders_on
from dondoc.engine.services.web_queries import board_summary, ended_bodies, role_holders
from dondoc.engine.status import cancelled_by_sql, given_by_sql
from dondoc.engine.workcalendar import default_calendar
from dondoc.engine.workflow import Action
from tests.support.catalogs import REPORTING
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml

ROLES = ("lead", "implementer")
OLD, NEW = "vp-ubnd", "vp-ubnd-moi"  # renamed on 01/08/2022 (tests/support/successions.py)


def _seen(session: Session, now: Any) -> dict[str, Any]:
    """What the board and the leaders' page say of the bodies at ``now``."""
    summary = board_summary(session, now)
    overdue = overdue_now(session, now, default_calendar(), limit=1000)
    holders = role_holders(session, ROLES, now)
    ranking = agency_ranking(summary.agencies, [], overdue_per_agency(session, now, roles=ROLES), [], holders)
    return {
        "agencies": {r.code: (r.name, r.counts, r.assigned, r.open_work) for r in summary.agencies},
        "ended": [
            (e.code, e.open_work, e.overdue, e.waiting, e.by_role, e.overdue_by_role)
            for e in ended_bodies(session, summary, now)
        ],
        "overdue": sorted((r.view.id, r.view.agency_code, r.view.agency_name) for r in overdue),
        "owed": overdue_per_agency(session, now, roles=ROLES),
        "holders": holders,
        "ranking": (
            [r.code for r in ranking.ranked],
            [r.code for r in ranking.unranked],
            ranking.outside_roles,
        ),
    }


def _held_by(session: Session, code: str) -> int:
    statement = select(func.count()).select_from(Assignment).join(Agency, col(Assignment.agency_id) == col(Agency.id))
    return int(session.exec(statement.where(Agency.code == code)).one())


def test_a_look_back_before_a_succession_shows_the_body_that_held_the_work(session: Session, tmp_path: Path) -> None:
    load(session, succession_catalog(tmp_path, successions_yaml("rename")), at("2022-03-02"))
    past = at("2022-07-29", 17)  # the old body's first milestone (30/06/2022) overdue, the new one not yet there
    before = _seen(session, past)
    assert OLD in before["agencies"] and NEW not in before["agencies"]
    assert any(code == OLD for _, code, _ in before["overdue"]), "the case needs overdue work of the old body"
    old_name = before["agencies"][OLD][0]

    moved = apply(session, at("2022-08-01")).transferred
    session.commit()
    assert moved and all(old == OLD and new == NEW for _, old, new, _ in moved)

    # at the past instant nothing changed: the old body, under its own name, holds what it held then
    after = _seen(session, past)
    assert after == before
    assert NEW not in after["agencies"] and NEW not in after["holders"] and NEW not in after["owed"]
    assert after["agencies"][OLD][0] == old_name

    # at today's instant the holder now: the successor holds the work it took over
    today = _seen(session, at("2022-08-02", 17))
    assert NEW in today["agencies"] and NEW in today["holders"]
    assert sum(today["agencies"][NEW][1].values()) == _held_by(session, NEW) == len(moved)
    moved_ids = {assignment_id for assignment_id, *_ in moved}
    assert {code for i, code, _ in today["overdue"] if i in moved_ids} == {NEW}
    # one body's own table (its page) reads the same rule
    old_id = session.exec(select(Agency.id).where(Agency.code == OLD)).one()
    own = board_summary(session, past, agency_id=old_id).agencies
    assert [(r.code, r.counts) for r in own] == [(OLD, before["agencies"][OLD][1])]


def test_a_list_that_selects_by_body_names_the_body_it_selected_by_at_any_instant(
    session: Session, tmp_path: Path
) -> None:
    """A list filtered by a body (the CLI's, the API's, an agency's page) selects by the body that
    held each part at its instant, and names it: at a past instant before a succession, the body the
    work passed from, as the board's overdue list of that instant names it (the successor's filter had
    listed the old body's work under the successor, a body that did not yet exist;
    tests/test_lookback_lists_by_holder.py has each surface); at today's instant, the holder now."""
    load(session, succession_catalog(tmp_path, successions_yaml("rename")), at("2022-03-02"))
    moved = apply(session, at("2022-08-01")).transferred
    session.commit()
    moved_ids = {assignment_id for assignment_id, *_ in moved}
    past = at("2022-07-29", 17)
    assert not list_assignments(session, past, agency=NEW)
    listed = list_assignments(session, past, agency=OLD)
    assert moved_ids <= {v.id for v in listed} and {v.agency_code for v in listed} == {OLD}
    # beside it, the board's overdue list at that instant names the body of that day
    overdue = overdue_now(session, past, default_calendar(), limit=1000)
    assert {r.view.agency_code for r in overdue if r.view.id in moved_ids} == {OLD}
    today = list_assignments(session, at("2022-08-02", 17), agency=NEW)
    assert {v.id for v in today} == moved_ids and {v.agency_code for v in today} == {NEW}


def test_work_decided_from_the_reassignment_queue_passed_on_the_decision_day(session: Session, tmp_path: Path) -> None:
    """Work of a body split on 01/08/2022 waits in "Cần phân công lại" until the secretariat names a
    body, on 20/08/2022. Between the two days it was still with the body that ended (the board said
    so then); a look-back into those days had counted and named it under the body chosen later, which
    did not yet know of it. It passed on the day of the decision, not on the succession's date."""
    old, chosen = "so-tttt", "so-khcn"
    load(session, succession_catalog(tmp_path, successions_yaml("split")), at("2022-03-02"))
    queued = apply(session, at("2022-08-01")).queued
    session.commit()
    waiting = sorted(assignment_id for assignment_id, code, _ in queued if code == old)
    assert waiting, "the case needs work of the split body waiting for a decision"
    between = at("2022-08-10", 17)
    told_then = _seen(session, between)  # what the board and the leaders' page said that day
    assert any(i in waiting and code == old for i, code, _ in told_then["overdue"]), "the case needs overdue work"
    (ended,) = told_then["ended"]  # the body that ended, its work waiting, by role
    assert ended[0] == old and ended[1] == ended[3] == len(waiting) and sum(ended[4].values()) == len(waiting)

    for assignment_id in waiting:
        act(session, assignment_id, Request(Action.REASSIGN, SECRETARIAT, agency=chosen), now=at("2022-08-20", 9))
    session.commit()

    assert _seen(session, between) == told_then
    assert holders_on(session, waiting, date(2022, 8, 10)) == {i: _agency_id(session, old) for i in waiting}
    # on the decision day and after, the body chosen holds it
    assert holders_on(session, waiting, date(2022, 8, 20)) == {}
    after = _seen(session, at("2022-08-20", 17))
    assert {code for i, code, _ in after["overdue"] if i in waiting} == {chosen}


def test_a_look_back_counts_the_ended_bodys_work_decided_since_as_it_stood(session: Session, tmp_path: Path) -> None:
    """The 2025 replay read at 03/03/2025 15:00 listed 3 bodies that ended in its note (Sở TT&TT: 54
    parts, 57 waiting), where the replay stopped on 03/03 listed 7 (Sở TT&TT: 86, 89 waiting; 382 in
    the queue): the secretariat cancelled parts waiting in "Cần phân công lại" on 05/03, and a part
    cancelled since counted as finished, by its state now. A look-back says what the board of that
    day said: the parts cancelled or passed on since under the body that ended, open and waiting."""
    old, chosen = "so-tttt", "so-khcn"
    load(session, succession_catalog(tmp_path, successions_yaml("split")), at("2022-03-02"))
    queued = sorted(assignment_id for assignment_id, code, _ in apply(session, at("2022-08-01")).queued if code == old)
    session.commit()
    assert len(queued) == 2, "the case needs two parts of the split body waiting"
    between = at("2022-08-10", 17)
    told_then = _seen(session, between)  # what the board and the leaders' page said that day
    assert [e[:2] + e[3:4] for e in told_then["ended"]] == [(old, 2, 2)]
    cancelled, named = queued
    act(session, cancelled, Request(Action.CANCEL, SECRETARIAT, comment="Trùng nhiệm vụ"), now=at("2022-08-20", 9))
    act(session, named, Request(Action.REASSIGN, SECRETARIAT, agency=chosen), now=at("2022-08-20", 9))
    session.commit()

    assert _seen(session, between) == told_then
    assert [e[0] for e in _seen(session, at("2022-08-20", 17))["ended"]] == []  # nothing left with it


def _agency_id(session: Session, code: str) -> int:
    return int(session.exec(select(Agency.id).where(Agency.code == code)).one())


def test_an_ended_bodys_waiting_parts_are_counted_among_its_open_ones(session: Session, tmp_path: Path) -> None:
    """The note on bodies that ended said "58 phần việc …, 61 đang chờ ở "Cần phân công lại"": the
    waiting count counted transfers of work not yet given (a later period's report, handed out on its
    period's first day), which the open count leaves out. The part not yet given waits all the same
    (the queue lists it): the waiting count counts it and says it apart
    (tests/test_ended_waiting_counts.py), live and at a past instant. Work that waited then and was
    cancelled since is counted, at a past instant, as it stood then: open and waiting."""
    old = "so-tttt"
    load(session, succession_catalog(tmp_path, successions_yaml("split")), at("2022-03-02"))
    queued = sorted(assignment_id for assignment_id, code, _ in apply(session, at("2022-08-01")).queued if code == old)
    assert len(queued) == 2, "the case needs two parts of the split body waiting"
    later, cancelled = queued
    given_on = at("2022-08-15", 0)  # handed out after the succession, as a later quarter's report is
    session.execute(update(Assignment).where(col(Assignment.id) == later).values(assigned_at=given_on))
    session.commit()

    def note(now: Any) -> tuple[int, int, int, int]:
        """The note's open parts, the same by role, how many parts wait, and of them those not given."""
        (ended,) = ended_bodies(session, board_summary(session, now), now)
        assert ended.code == old
        return ended.open_work, sum(ended.by_role.values()), ended.waiting, ended.waiting_not_given

    assert note(at("2022-08-10", 17)) == (1, 1, 2, 1)  # the part not yet given waits, said apart
    comment = "Trùng với nhiệm vụ khác"
    act(session, cancelled, Request(Action.CANCEL, SECRETARIAT, comment=comment), now=at("2022-08-20", 9))
    session.commit()
    # a look-back into the days both waited, the one given by then: both open and waiting, as they stood
    assert note(at("2022-08-16", 17)) == (2, 2, 2, 0)
    assert note(at("2022-08-20", 17)) == (1, 1, 1, 0)


def _holders_by_coalesce(session: Session, roles: tuple[str, ...], now: Any) -> set[str]:
    """:func:`role_holders` as it was written first: every assignment joined to its holder then
    (coalesce(holder then, holder now)), the reference its narrow statement must agree with."""
    held = held_then(local_date(now))
    statement = (
        select(col(Agency.code))
        .select_from(Assignment)
        .outerjoin(held, held.c.assignment_id == col(Assignment.id))
        .join(Agency, holder_of(held) == col(Agency.id))
        .where(col(Assignment.role).in_(roles), given_by_sql(now), ~cancelled_by_sql(now))
        .distinct()
    )
    return set(session.exec(statement).all())


def test_the_role_holders_read_by_the_indexes_are_those_of_every_assignment(session: Session, tmp_path: Path) -> None:
    """The leaders' page's holders are read per body by the indexes (its rows held now, the rows a
    transfer after the day took from it), not by the holder then of every assignment (the bench's
    100k). Across a reorganisation (a dissolution on 01/07/2022 whose parts wait, are named, are
    cancelled, one never given; a rename on 01/08/2022), at every instant, the same bodies."""
    catalog = succession_catalog(tmp_path, successions_yaml("dissolve", on="2022-07-01"))
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + REPORTING, encoding="utf-8")
    rename = successions_yaml("rename").split("\n", 1)[1]
    (catalog / "successions.yaml").write_text(
        (catalog / "successions.yaml").read_text(encoding="utf-8") + rename, encoding="utf-8"
    )
    load(session, catalog, at("2022-03-02"))
    waiting = sorted(i for i, code, _ in apply(session, at("2022-07-01", 0)).queued if code == "ubnd-binh-son")
    assert len(waiting) >= 3, "the case needs parts of the dissolved body waiting"
    named, cancelled = waiting[0], waiting[1]
    act(session, named, Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-07-11", 9))
    act(session, cancelled, Request(Action.CANCEL, SECRETARIAT, comment="Giải thể"), now=at("2022-07-12", 9))
    session.commit()
    assert apply(session, at("2022-08-01")).transferred, "the case needs work passed by the rename"
    instants = [
        at(day, hour)
        for day, hour in (
            ("2022-03-01", 17),
            ("2022-06-30", 17),
            ("2022-07-01", 12),
            ("2022-07-08", 17),
            ("2022-07-11", 17),
            ("2022-07-29", 17),
            ("2022-08-01", 12),
            ("2022-12-20", 17),
        )
    ]
    roles_asked = [ROLES, ("lead",), ("partner",), ("lead", "implementer", "partner")]
    seen = set()
    for now in instants:
        for roles in roles_asked:
            holders = role_holders(session, roles, now)
            assert holders == _holders_by_coalesce(session, roles, now), (now, roles)
            seen.add(frozenset(holders))
    # the instants tell the cases apart: the renamed body before and after, the dissolved one's parts
    assert OLD in role_holders(session, ROLES, at("2022-07-29", 17)) and NEW not in role_holders(
        session, ROLES, at("2022-07-29", 17)
    )
    assert NEW in role_holders(session, ROLES, at("2022-08-01", 12)) and len(seen) > 2
