"""Digests say what is true when they are sent (issue 13): lateness counted on the digest's day,
the secretariat's counts read from the board's own query, no leader digest on a day off, the held
rows marked by the digest that told of them, and a digest left undelivered past its day rebuilt
with that day's figures before it goes out (and one left some hours of its own day, when a row it
tells of is no longer true)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queries import status_condition
from dondoc.engine.services.web_queries import assignments_where, board_summary
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.notifications.outbox import MailSpec, enqueue
from tests.support.web import ITEM, WebEnv


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def _digest(session: Session, role: str, day: date) -> Notification | None:
    key = f"digest:{role}:{day.isoformat()}"
    return session.exec(select(Notification).where(Notification.dedupe_key == key)).first()


def _lateness(digest: Notification) -> dict[str, int | None]:
    """Working days late per item and agency, as the digest lists them."""
    return {
        f"{r['item_code']}/{r['agency_name']}": r["working_days_overdue"]
        for g in digest.data["groups"]
        for r in g["rows"]
    }


def _report(web: WebEnv, agency: str, now: datetime) -> None:
    with Session(web.engine) as session:
        assignment = web.assignment(ITEM, agency)
        actor = Actor.agency(agency)
        act(session, assignment, Request(Action.ACKNOWLEDGE, actor), now=now)
        act(session, assignment, Request(Action.REPORT, actor, comment="Đã hoàn thành"), now=now)
        session.commit()


def _day(web: WebEnv, day: date, *, deliver: bool = True) -> None:
    """One day as the replay runs it: digests at 07:30, the sweep at 08:00, delivery at 08:05."""
    web.clock.set(_at(day, 7, 30))
    jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:  # the same instant: the secretariat's counts are the board's
        digest = _digest(session, "secretariat", day)
        if digest is not None:
            now = web.clock.now()
            board = board_summary(session, now)
            waiting = assignments_where(session, now, status_condition("reported", now), limit=5000)
            assert digest.data["counts"]["report_unverified"] == len(waiting) == board.states["reported"]
            assert digest.data["counts"]["overdue"] == board.totals["dang_thuc_hien_qua_han"]
            assert digest.data["counts"]["unacknowledged"] == board.states["assigned"]
            assert f"Báo cáo chờ xác nhận: {len(waiting)}" in digest.body_text
    web.clock.set(_at(day, 8))
    jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)
    if deliver:
        web.clock.set(_at(day, 8, 5))
        jobs.run_delivery(web.engine, now=web.clock.now(), settings=web.settings)


def test_a_week_of_digests_is_live_and_agrees_with_the_board(web: WebEnv) -> None:
    monday = date(2022, 7, 4)  # milestone 1 of the test item was due 30/6/2022 (Thursday)
    for offset in range(8):  # Monday 4/7 to Monday 11/7: five working days, a weekend, a Monday
        day = monday + timedelta(days=offset)
        _day(web, day)
        if day == monday:
            _report(web, "vp-ubnd", _at(day, 10))  # a report waits for the secretariat's verification
    with Session(web.engine) as session:
        secretariat = session.exec(select(Notification).where(Notification.kind == "digest_secretariat")).all()
        assert len(secretariat) >= 3 and all(d.data["counts"]["report_unverified"] == 1 for d in secretariat)
        # The vice-chair heard at 3 working days late (decided 5/7); each later digest says today's figure.
        vice = {d: _digest(session, "vice-chair", date(2022, 7, d)) for d in (6, 7, 8, 9, 10, 11)}
        late = {d: set(_lateness(n).values()) for d, n in vice.items() if n is not None}
        assert late == {6: {4}, 7: {5}, 8: {6}, 11: {7}}  # 1, 4, 5, 6 July … 11 July: none on Sat/Sun
        decided = session.exec(
            select(Notification).where(Notification.kind == "escalation", Notification.recipient_role == "vice-chair")
        ).all()
        assert decided and all(n.data["working_days_overdue"] < 4 for n in decided)  # the figure then, not now
        # Each held row is marked by the first digest delivered with it (none: the row was never told,
        # e.g. it went stale when the agency reported), and stays held.
        sent = session.exec(
            select(Notification)
            .where(Notification.kind == "digest_leader", Notification.status == NotificationStatus.SENT)
            .order_by(col(Notification.id))
        ).all()
        for row in decided:
            carriers = [d.id for d in sent if row.id in d.data["carried"]]
            assert row.carried_by_id == (carriers[0] if carriers else None) and row.status == "held"
        told = [row for row in decided if row.carried_by_id is not None]
        assert told
    web.login()
    page = web.client.get("/board/outbox?status=held")
    assert page.status_code == 200 and f"Đã báo trong bản tổng hợp #{told[0].carried_by_id}" in page.text


def test_no_leader_digest_on_a_holiday_and_the_rows_wait(web: WebEnv) -> None:
    wednesday = date(2022, 8, 31)
    with Session(web.engine) as session:  # an escalation to the chair, held for the digest (as the sweep writes it)
        a = session.get(Assignment, web.assignment(ITEM, "so-noi-vu"))
        assert a is not None and a.due_at is not None
        due_at = a.due_at
        facts = {"due_at": due_at.isoformat(), "working_days_overdue": 7}
        spec = MailSpec("test:chair", "escalation", "chair", "truong-ban@dondoc.example", None, a.id, "t", True, facts)
        enqueue(session, spec, now=_at(wednesday, 8), settings=web.settings)
        session.commit()
    days_off = [date(2022, 9, d) for d in (1, 2, 3, 4)]  # National Day (1–2/9), then a weekend
    for day in [wednesday, *days_off, date(2022, 9, 5)]:
        web.clock.set(_at(day, 7, 30))
        jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        chair = session.exec(select(Notification).where(col(Notification.dedupe_key).like("digest:chair:%"))).all()
        assert sorted(n.dedupe_key for n in chair) == ["digest:chair:2022-08-31", "digest:chair:2022-09-05"]
        monday = chair[-1] if chair[-1].dedupe_key.endswith("09-05") else chair[0]
        assert monday.data["total"] == 1 and set(_lateness(monday).values()) == {_working_days_since_due(due_at, 5)}
    off = web.settings.model_copy(update={"digest_working_days_only": False})  # the setting, turned off
    web.clock.set(_at(date(2022, 9, 10), 7, 30))  # a Saturday
    jobs.run_digests(web.engine, now=web.clock.now(), settings=off)
    with Session(web.engine) as session:
        assert _digest(session, "chair", date(2022, 9, 10)) is not None


def _working_days_since_due(due_at: datetime, september_day: int) -> int:
    """Counted by hand: after 30/6/2022 to 31/8 there are 44 working days (July 21, August 23), then
    none on 1–4/9 (National Day, the weekend) and one more each working day after."""
    assert due_at.date() == date(2022, 6, 30)
    return 44 + {5: 1}[september_day]


def test_a_digest_left_undelivered_a_day_is_rebuilt_with_that_days_figures(web: WebEnv) -> None:
    for day in (date(2022, 7, 4), date(2022, 7, 5)):
        _day(web, day)
    _day(web, date(2022, 7, 6), deliver=False)  # the relay is down on Wednesday: nothing leaves
    with Session(web.engine) as session:
        wednesday = _digest(session, "vice-chair", date(2022, 7, 6))
        assert wednesday is not None and set(_lateness(wednesday).values()) == {4}
        digest_id = wednesday.id
    web.clock.set(_at(date(2022, 7, 7), 6))  # Thursday, before Thursday's digest: Wednesday's goes out now
    report = jobs.run_delivery(web.engine, now=web.clock.now(), settings=web.settings)
    assert report.sent >= 1
    with Session(web.engine) as session:
        sent = session.get(Notification, digest_id)
        assert sent is not None and sent.status == NotificationStatus.SENT
        assert sent.dedupe_key == "digest:vice-chair:2022-07-07" and sent.data["day"] == "07/07/2022"
        assert set(_lateness(sent).values()) == {5} and "quá hạn 5 ngày làm việc" in sent.body_text
        assert "quá hạn 4 ngày làm việc" not in sent.body_text
        # which of the item's two milestones, and each body's part in it (the lead's and the others')
        assert "(mốc: Phê duyệt cấp độ)" in sent.body_text and "vai trò: chủ trì" in sent.body_text
        assert "vai trò: thực hiện" in sent.body_text and "hạn trước ngày ban hành" not in sent.body_text
    mails = list((web.settings.maildrop_dir).glob("*.eml"))
    assert any("digest:vice-chair:2022-07-07" in m.read_text(errors="replace") for m in mails)
    _day(web, date(2022, 7, 7))  # Thursday's digests: the vice-chair's was already sent, none made twice
    with Session(web.engine) as session:
        vice = session.exec(select(Notification).where(col(Notification.dedupe_key).like("digest:vice-chair:%"))).all()
        assert sorted(n.dedupe_key for n in vice) == [f"digest:vice-chair:2022-07-0{d}" for d in (5, 7)]


def test_a_digest_sent_hours_after_it_was_built_leaves_out_work_reported_meanwhile(web: WebEnv) -> None:
    for day in (date(2022, 7, 4), date(2022, 7, 5)):
        _day(web, day)
    wednesday = date(2022, 7, 6)
    _day(web, wednesday, deliver=False)  # built at 07:30; the relay is down until 10:00
    with Session(web.engine) as session:
        built = _digest(session, "vice-chair", wednesday)
        assert built is not None
        digest_id, listed = built.id, _lateness(built)
    assert f"{ITEM}/Sở Nội vụ" in listed and len(listed) >= 2, listed
    _report(web, "so-noi-vu", _at(wednesday, 9))  # Sở Nội vụ reports at 09:00
    web.clock.set(_at(wednesday, 10))
    assert jobs.run_delivery(web.engine, now=web.clock.now(), settings=web.settings).sent >= 1
    with Session(web.engine) as session:
        sent = session.get(Notification, digest_id)
        assert sent is not None and sent.status == NotificationStatus.SENT
        assert sent.dedupe_key == "digest:vice-chair:2022-07-06"
        told = _lateness(sent)
        assert f"{ITEM}/Sở Nội vụ" not in told, told
        assert sent.data["total"] == len(listed) - 1 and "Sở Nội vụ" not in sent.body_text
        assert set(told.values()) == {4}
        # its held rows are not marked as told by the digest that no longer tells of them
        reported = web.assignment(ITEM, "so-noi-vu")
        held = session.exec(
            select(Notification).where(Notification.assignment_id == reported, Notification.kind == "escalation")
        ).all()
        assert held and all(row.id not in sent.data["carried"] and row.carried_by_id != sent.id for row in held)


def test_a_stale_digest_is_not_sent_when_todays_digest_exists(web: WebEnv) -> None:
    for day in (date(2022, 7, 4), date(2022, 7, 5)):
        _day(web, day)
    _day(web, date(2022, 7, 6), deliver=False)
    _day(web, date(2022, 7, 7))  # Thursday's digests are made, then delivery finds Wednesday's too
    with Session(web.engine) as session:
        wednesday = _digest(session, "vice-chair", date(2022, 7, 6))
        thursday = _digest(session, "vice-chair", date(2022, 7, 7))
        assert wednesday is not None and thursday is not None
        assert wednesday.status == NotificationStatus.SKIPPED and thursday.status == NotificationStatus.SENT
        assert wednesday.last_error == f"Đã có bản tổng hợp hôm nay (thư số {thursday.id}) thay cho thư này."


def test_an_ordinary_mail_left_undelivered_is_sent_with_the_days_figures(web: WebEnv) -> None:
    decided = date(2022, 7, 4)  # due 30/6: 2 working days late on Monday 4/7 (1 and 4 July)
    with Session(web.engine) as session:
        a = session.get(Assignment, web.assignment(ITEM, "so-noi-vu"))
        assert a is not None and a.due_at is not None
        facts = {"due_at": a.due_at.isoformat(), "working_days_overdue": 2, "days_overdue": 4}
        spec = MailSpec("test:overdue", "overdue", "agency", "snv@dondoc.example", None, a.id, "t", False, facts)
        row = enqueue(session, spec, now=_at(decided, 8), settings=web.settings)
        assert row is not None and "Quá hạn 2 ngày làm việc" in row.subject
        row_id = row.id
        session.commit()
    web.clock.set(_at(date(2022, 7, 6), 9))  # the relay was down two days: Wednesday's figure goes out
    assert jobs.run_delivery(web.engine, now=web.clock.now(), settings=web.settings).sent == 1
    with Session(web.engine) as session:
        sent = session.get(Notification, row_id)
        assert sent is not None and sent.status == NotificationStatus.SENT and sent.dedupe_key == "test:overdue"
        assert "Quá hạn 4 ngày làm việc" in sent.subject and sent.data["working_days_overdue"] == 4
        assert sent.data["days_overdue"] == 6
    (mail,) = web.settings.maildrop_dir.glob("*.eml")
    assert "test:overdue" in mail.read_text(errors="replace")


def test_a_row_due_before_its_plan_was_issued_says_so() -> None:
    """117/KH-UBND (issued 27/07/2022) set 30/06/2022 for II.1.đ: "quá hạn 68 ngày làm việc" counts
    from 30/06, and the row says the plan came after that day; work of a plan issued in time but
    given to the body after its date (named late) says the day it was given, not the plan's."""
    from dondoc.engine.settings import Settings
    from dondoc.notifications.digests import _given_late

    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test")  # type: ignore[call-arg]
    due = datetime(2022, 6, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
    issued = datetime(2022, 7, 27, 0, 0, tzinfo=LOCAL_TZ)
    assert _given_late(due, issued, date(2022, 7, 27), settings) == {"issued": "27/07/2022", "given_date": None}
    on_its_day = datetime(2022, 6, 30, 8, 0, tzinfo=LOCAL_TZ)  # issued on its due day: not before
    assert _given_late(due, on_its_day, date(2022, 6, 30), settings) == {"issued": None, "given_date": None}
    named = datetime(2022, 10, 10, 9, 0, tzinfo=LOCAL_TZ)  # the plan of 05/01 in time, the body named on 10/10
    assert _given_late(due, named, date(2022, 1, 5), settings) == {"issued": None, "given_date": "10/10/2022"}
    assert _given_late(None, issued, date(2022, 7, 27), settings) == {"issued": None, "given_date": None}
    # a plan itself late (27/07) whose body was named later still (10/10): the ladder counts from 10/10,
    # and so does the row, not from the plan's issue day
    assert _given_late(due, named, date(2022, 7, 27), settings) == {"issued": None, "given_date": "10/10/2022"}


def test_a_report_sent_on_time_and_waiting_is_not_told_as_late_work(web: WebEnv) -> None:
    """The 2025 replay's digest listed four reports sent on 17/03, due 20/03, as "hạn 20/03/2025; quá
    hạn 2 ngày làm việc": the work was in on time; what was late was the secretariat's verification."""
    monday = date(2022, 6, 27)  # milestone 1 of the test item is due 30/6/2022 (Thursday)
    for offset in range(15):
        day = monday + timedelta(days=offset)
        _day(web, day)
        if day == monday:
            _report(web, "vp-ubnd", _at(day, 10))  # on time; then it waits for the secretariat
    with Session(web.engine) as session:
        digest = _digest(session, "secretariat", date(2022, 7, 11))
        assert digest is not None
        (row,) = [r for g in digest.data["sections"] if g["kind"] == "report_unverified" for r in g["rows"]]
    # 27/06 → 11/07: ten working days waited; sent three days before its date
    assert (row["reported_date"], row["reported_on_time"], row["reported_late"], row["days_waiting"]) == (
        "27/06/2022",
        True,
        None,
        10,
    )
    assert row["working_days_overdue"] is None
    text = " ".join(digest.body_text.split())
    assert "Báo cáo chờ xác nhận — chờ lâu, cần Tổ giúp việc xác nhận (1)" in text
    line = text.split("Báo cáo chờ xác nhận — chờ lâu", 1)[1]
    assert (
        "hạn 30/06/2022 (văn bản ghi “trước ngày 30/6/2022”; Tổ giúp việc tính cả ngày 30/06/2022);"
        " báo cáo ngày 27/06/2022 (đúng hạn); chờ xác nhận 10 ngày làm việc" in line
    ), line
    assert "quá hạn" not in line.split(" - ", 2)[1]  # the row, not the next section
    html = digest.body_html or ""
    assert (
        "<small>báo cáo ngày 27/06/2022 (đúng hạn)</small></td><td>10</td>" in html
        and "Chờ xác nhận (ngày làm việc)" in html
    )


def test_a_report_after_its_date_on_a_day_off_is_late_as_the_board_says(web: WebEnv) -> None:
    """On-time was judged by working days: a Saturday's report of Friday's work was "(đúng hạn)" in
    the digest while the board counted it "hoàn thành quá hạn"."""
    from dondoc.notifications.digests import Reading, _report_waiting

    friday = datetime(2022, 7, 1, 23, 59, 59, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        reading = Reading(session, _at(date(2022, 7, 11), 7, 30), web.settings, WorkCalendar.default())
        saturday = _report_waiting(reading, friday, _at(date(2022, 7, 2), 10))
        monday = _report_waiting(reading, friday, _at(date(2022, 7, 4), 10))
        on_time = _report_waiting(reading, friday, _at(date(2022, 7, 1), 16))
    assert (saturday["reported_on_time"], saturday["reported_late"]) == (False, 0)
    assert (monday["reported_on_time"], monday["reported_late"]) == (False, 1)
    assert (on_time["reported_on_time"], on_time["reported_late"]) == (True, None)


def test_a_report_of_work_given_after_its_date_waits_counted_from_the_day_given(web: WebEnv) -> None:
    """The 2022 demo's secretariat digest of 08/08 said of 117/KH-UBND II.1.đ, given on 27/07 for a date
    of 30/06 and reported on 01/08, "báo cáo ngày 01/08/2022 (sau hạn 22 ngày làm việc)", where its page
    says "Báo cáo 3 ngày làm việc sau ngày giao 27/07/2022 (giao sau thời hạn; trễ 22 ngày làm việc so
    với thời hạn)": the digest now says what the page says, after the day of the report."""
    from sqlalchemy import update

    given = _at(date(2022, 7, 27), 9)  # milestone 1 of the test item is due 30/06/2022
    part = web.assignment(ITEM, "vp-ubnd")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == part).values(assigned_at=given))
        session.commit()
    _report(web, "vp-ubnd", _at(date(2022, 8, 1), 10))
    for offset in range(14):
        _day(web, date(2022, 8, 2) + timedelta(days=offset))
    with Session(web.engine) as session:
        digest = _digest(session, "secretariat", date(2022, 8, 15))
        assert digest is not None
        (row,) = [r for g in digest.data["sections"] if g["kind"] == "report_unverified" for r in g["rows"]]
    assert (row["reported_late"], row["reported_since_given"], row["reported_given_on"]) == (22, 3, "27/07/2022")
    said = (
        "báo cáo ngày 01/08/2022, 3 ngày làm việc sau ngày giao 27/07/2022 "
        "(giao sau thời hạn; trễ 22 ngày làm việc so với thời hạn)"
    )
    assert said in " ".join(digest.body_text.split()) and said in (digest.body_html or "")
    assert "sau hạn 22" not in digest.body_text
