"""The old link of a body that ended counts the waiting parts never given by the one rule of it.

``successions.work_left`` (the old link's "… đang chờ Tổ giúp việc phân công lại (trong đó … chưa
giao cho cơ quan nào …)") counted them from the transfer's ``never_given`` mark, while the queue, the
board's note on ended bodies and ``dondoc status`` read engine.services.waiting_work (not given by the
instant: the giving day still to come, or held back while the part waits). On the rows the
succession job writes the two agree (the mark is set from the same giving day the rule reads); a
transfer row without the mark whose giving day is still to come is where they parted. The old link
now asks waiting_work."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.models import Agency, AgencyTransfer, Assignment
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import work_left
from dondoc.engine.services.waiting_work import not_given_waiting
from dondoc.engine.workflow import Action
from tests.support.catalogs import REPORTING
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml

BODY = "ubnd-binh-son"  # dissolved on 01/08/2022: its fourth quarter's report is given on 01/10


def _dissolved(session: Session, tmp_path: Path) -> tuple[int, int]:
    """Bình Sơn dissolved with the 2022 quarterly reports, its work queued on 01/08: its id and the
    id of its fourth quarter's report (given after it ended)."""
    catalog = succession_catalog(tmp_path, successions_yaml("dissolve"))
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + REPORTING, encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    apply(session, at("2022-08-01", 0))
    body = session.exec(select(Agency.id).where(Agency.code == BODY)).one()
    (later,) = session.exec(
        select(Assignment.id).where(Assignment.agency_id == body, col(Assignment.assigned_at) > at("2022-08-01", 0))
    ).all()
    return int(body or 0), int(later or 0)


def _rule(session: Session, now: datetime) -> int:
    return sum(not_given_waiting(session, now).values())  # one body ended: every such part is its work


@pytest.mark.parametrize(
    ("day", "hour", "expected"),
    [
        ("2022-08-03", 15, 1),  # Q4's report waits, its giving day to come
        ("2022-08-05", 15, 1),  # a look-back, read after the decision of 10/08: it still waited then
        ("2022-08-10", 15, 0),  # named: it passed on (given on its day, to the body named)
        ("2022-10-05", 15, 0),
    ],
)
def test_the_old_link_and_the_waiting_work_rule_count_the_same_parts_never_given(
    session: Session, tmp_path: Path, day: str, hour: int, expected: int
) -> None:
    body, later = _dissolved(session, tmp_path)
    act(session, later, Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-08-10", 9))
    session.commit()
    now = at(day, hour)
    work = work_left(session, body, now)
    assert work.waiting_not_given == _rule(session, now) == expected


def test_a_waiting_part_without_the_mark_whose_giving_day_is_to_come_is_counted_as_never_given(
    session: Session, tmp_path: Path
) -> None:
    """The mark is a copy of the rule taken at queueing; the rule itself reads the part's giving day.
    A row that carries no mark (written by a hand, or a tool, that did not set it) still holds a part
    nobody has been given on 03/08: the old link says so as the queue does."""
    body, later = _dissolved(session, tmp_path)
    transfer = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == later)).one()
    transfer.never_given = False
    session.add(transfer)
    session.commit()
    now = at("2022-08-03", 15)
    assert _rule(session, now) == 1  # its giving day, 01/10, has not come
    assert work_left(session, body, now).waiting_not_given == 1
