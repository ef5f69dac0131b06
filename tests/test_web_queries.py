"""The web's aggregate queries agree with the engine's roll-ups."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queries import category_counts
from dondoc.engine.services.web_queries import board_summary, board_tallies, on_time_rate, overdue_assignments
from dondoc.engine.workflow import Action
from tests.support.web import ITEM, WebEnv


@pytest.mark.parametrize("when", [datetime(2022, 3, 2, 8, 0), datetime(2022, 7, 5, 9, 0), datetime(2022, 12, 1, 9, 0)])
def test_board_summary_matches_category_counts(web: WebEnv, when: datetime) -> None:
    with Session(web.engine) as session:
        start = web.clock.now()
        target = web.assignment(ITEM, "so-noi-vu")
        act(session, target, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=start)
        act(session, target, Request(Action.REPORT, Actor.agency("so-noi-vu")), now=start)
        late = web.assignment(ITEM, "vp-ubnd")
        act(session, late, Request(Action.CANCEL, SECRETARIAT, comment="không còn phù hợp"), now=start)
        session.commit()
        now = when.replace(tzinfo=LOCAL_TZ)
        summary = board_summary(session, now)
        expected = {row.key: row.counts for row in category_counts(session, now, by="agency")}
        assert {row.code: row.counts for row in summary.agencies} == expected
        total = category_counts(session, now)[0]
        assert summary.totals == total.counts and summary.total == total.total
        tallies = board_tallies(session, now)  # the secretariat digest's counts: the board's totals
        assert tallies.totals == summary.totals and tallies.states == summary.states
        assert sum(tallies.states.values()) == summary.total
        overdue = overdue_assignments(session, now)
        assert len(overdue) == total.counts["dang_thuc_hien_qua_han"]
        assert [v.days_late for v in overdue] == sorted((v.days_late for v in overdue), reverse=True)


def test_on_time_rate() -> None:
    assert on_time_rate(0, 0, 0) is None
    assert on_time_rate(3, 1, 0) == 0.75
    assert on_time_rate(1, 1, 2) == 0.25
