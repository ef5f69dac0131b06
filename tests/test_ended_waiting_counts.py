"""Every surface counts the same work waiting in "Cần phân công lại", on both databases.

The 2025 replay read at 03/03/2025 15:00: Sở TT&TT's old link said "89 phần việc đang chờ Tổ giúp
việc phân công lại", the board's note "Sở TT&TT … 86 phần việc …, 86 đang chờ", the queue 382 where the
note's seven bodies added up to 364. The 18 apart were later quarters' reports (3 of each of 6 bodies),
whose giving day comes after the body ended: never given to it, they wait for the secretariat like
the rest. Each surface counts them, and says how many of its figure they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.models import Agency
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.queues import REASSIGN_QUEUE, queue_by_slug
from dondoc.engine.services.successions import AgencySucceeded, refuse_if_succeeded
from dondoc.engine.services.waiting_work import not_given_waiting, not_given_waiting_vi
from dondoc.engine.services.web_queries import board_summary, ended_bodies
from tests.support.catalogs import REPORTING
from tests.support.cli import dondoc, ok
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml

BODY = "ubnd-binh-son"


def _catalog(tmp_path: Path) -> Path:
    """Bình Sơn dissolved on 01/08/2022, with the quarterly reports of 2022: Q4's is given on 01/10."""
    catalog = succession_catalog(tmp_path, successions_yaml("dissolve"))
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + REPORTING, encoding="utf-8")
    return catalog


def _queue_count(session: Session, day: str) -> int:
    queue, now = queue_by_slug(REASSIGN_QUEUE), at(day, 15)
    return sum(queue.count(session, now, DEFAULT_DAYS, AssignmentFilter(), part) for part in (False, True))


@pytest.mark.parametrize("day", ["2022-08-03", "2022-10-05"])  # Q4's report still to be given; given day passed
def test_the_board_note_the_queue_and_the_old_link_count_the_same_waiting_work(
    session: Session, tmp_path: Path, day: str
) -> None:
    load(session, _catalog(tmp_path), at("2022-03-02"))
    apply(session, at("2022-08-01", 0))
    now = at(day, 15)
    (body,) = ended_bodies(session, board_summary(session, now), now)
    assert body.code == BODY
    later = not_given_waiting(session, now).get(BODY, 0)
    assert later == 1  # the fourth quarter's report, given on 01/10, after the body ended
    assert (body.waiting, body.waiting_not_given) == (body.open_work + later, later)
    assert body.waiting == _queue_count(session, day)  # the note's sum is the queue's count
    agency = session.exec(select(Agency).where(Agency.code == BODY)).one()
    with pytest.raises(AgencySucceeded) as told:
        refuse_if_succeeded(session, agency, now, DEFAULT_DAYS)
    said = str(told.value)
    assert f"{body.waiting} phần việc đang chờ Tổ giúp việc phân công lại ({not_given_waiting_vi(later)})" in said


def test_status_says_which_parts_not_given_wait_for_the_secretariat(
    db_url: str, session: Session, tmp_path: Path
) -> None:
    load(session, _catalog(tmp_path), at("2022-03-02"))
    apply(session, at("2022-08-01", 0))
    session.commit()
    table = ok(dondoc(db_url, "status", "--by", "agency", now="2022-08-03T15:00"))
    (row,) = [line for line in table.splitlines() if line.startswith(BODY + " ")]
    assert row.split()[1:3] == ["1", "1"], row  # "Chưa đến hạn", "Trong đó chưa giao": Q4's report
    assert (
        "trong đó 1 phần việc của cơ quan đã không còn, sẽ không giao cho cơ quan đó mà đang chờ "
        "Tổ giúp việc phân công lại (mục «Cần phân công lại»)"
    ) in table, table


def test_the_words_of_the_part_not_given() -> None:
    assert not_given_waiting_vi(3) == (
        "trong đó 3 phần việc chưa giao cho cơ quan nào: đến ngày giao thì cơ quan đã không còn"
    )
