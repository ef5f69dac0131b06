"""The chair's trend counts each week by the record of then; a record written later that says work
counted late was done before is said beside it (engine.reports.trend.TrendPoint.done_later).

The 2022 replay: the Thông báo's Quy chế (due 15/02/2022) was late by the record of February; on
10/03 04/KH-BCĐ recorded it done "Tháng 02/2022". The chart's weeks of February counted it overdue,
and nothing said a later record put those counts in doubt. Here on a small catalog, as
tests/test_escalation_doubt.py builds it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.reports.trend import weekly_trend
from dondoc.engine.services.tracking import set_tracking_start
from tests.factories import assignment_for, load_min_catalog
from tests.test_escalation_doubt import DONE_ELSEWHERE, ITEM, _at, _catalog, _notice


def _loaded(engine: Engine, tmp_path: Path) -> int:
    """The notice loaded on 19/01/2022 (its task due 15/02), tracked from then; on 10/03 the same work
    recorded done within February. The part's id."""
    with Session(engine) as session:
        load_min_catalog(session, _at(date(2022, 1, 19), 8), _catalog(tmp_path, "a", _notice(), with_plan=False))
        set_tracking_start(session, date(2022, 1, 19))
        session.commit()
        later = _catalog(tmp_path, "b", _notice(same=DONE_ELSEWHERE), with_plan=True)
        load_min_catalog(session, _at(date(2022, 3, 10), 7), later)
        session.commit()
        part = assignment_for(session, ITEM, "so-tttt")
        assert part.state == "verified"
        return part.id or 0


def _weeks(engine: Engine, now: date, known: date | None = None) -> dict[date, tuple[int, int]]:
    with Session(engine) as session:
        points = weekly_trend(
            session,
            year=2022,
            now=_at(now, 9),
            known_at=_at(known, 9) if known else None,
        )
    return {p.at.astimezone(LOCAL_TZ).date(): (p.overdue, p.done_later) for p in points}


def test_weeks_counted_late_by_the_record_of_then_say_what_a_later_record_says(engine: Engine, tmp_path: Path) -> None:
    _loaded(engine, tmp_path)
    weeks = _weeks(engine, date(2022, 3, 15))
    # late from 16/02 by the record of then; done within February by the record of 10/03
    assert weeks[date(2022, 2, 13)] == (0, 0)
    for sunday in (date(2022, 2, 20), date(2022, 2, 27), date(2022, 3, 6)):
        overdue, later = weeks[sunday]
        assert overdue >= 1 and later == 1, (sunday, weeks[sunday])
    assert weeks[date(2022, 3, 13)][1] == 0  # recorded done by then: not counted late, nothing to say
    # read at 05/03, before the record was written: nothing known of it yet
    before = _weeks(engine, date(2022, 3, 5))
    assert all(later == 0 for _, later in before.values())
    # a look-back at 15/03 with the record known at 05/03 only says nothing either (the instant's record)
    assert all(later == 0 for _, later in _weeks(engine, date(2022, 3, 15), known=date(2022, 3, 5)).values())


def test_the_chairs_page_says_it_under_the_chart(engine: Engine, clock: FrozenClock, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from dondoc.engine.links import issue_token
    from dondoc.engine.settings import Settings
    from dondoc.web.app import create_app
    from tests.support.web import SECRET

    _loaded(engine, tmp_path)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        secret_key=SECRET,
        base_url="http://testserver",
        database_url=str(engine.url),
    )
    clock.set(_at(date(2022, 3, 15), 9))
    with Session(engine) as session:
        token = issue_token(session, "leader:chair", now=clock.now(), secret=SECRET, days=30)
        session.commit()
    app = create_app(settings=settings, engine=engine, clock=clock, attachments=tmp_path / "files")
    with TestClient(app, follow_redirects=False) as client:
        page = " ".join(client.get(f"/leaders/{token}").text.split())
        clock.set(_at(date(2022, 3, 5), 9))  # before the record: nothing to say
        before = " ".join(client.get(f"/leaders/{token}").text.split())
    assert "Hồ sơ ghi nhận sau cho biết một số phần việc được tính là quá hạn đã hoàn thành" in page
    assert "tuần kết thúc 20/02/2022: 1 trong 1" in page, page[page.find("trend-done-later") - 200 :][:900]
    assert "trong đó 1 phần việc được ghi nhận sau thời điểm này là đã hoàn thành" in page  # the dot's tooltip
    assert "Hồ sơ ghi nhận sau" not in before
