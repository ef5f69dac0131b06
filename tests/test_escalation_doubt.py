"""An escalation the history later puts in doubt (engine.escalation.doubt).

The 2022 replay: the Thông báo's Quy chế (II.3.b, due 15/02/2022) was reported to the vice-chair on
18/02 and to the chair on 24/02 as 3 and 7 working days late. On 10/03 the catalog loaded 04/KH-BCĐ,
whose II.1 records the same work "Tháng 02/2022 (đã hoàn thành)": the part became verified, done
within 01/02 – 28/02, so possibly before either leader was told. The leaders' page still listed
"Báo cáo Lãnh đạo (quá hạn)" to both with no word, and no mail said anything. Here on a small
catalog: a notice's task due 15/02, escalated, then the same work recorded done in February (or its
date moved by the catalog), the clock moved day by day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.escalation.doubt import Doubt, Told, doubt_of, doubt_words
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Notification
from dondoc.engine.reports.history import Static
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.web.app import create_app
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, notice_plan
from tests.support.cli import dondoc
from tests.support.web import SECRET

ITEM = "98/TB-TEST:1"
DONE_ELSEWHERE = '    same_work_as: ["99/KH-TEST:II.3"]\n'  # the min catalog's II.3: "Tháng 02/2022 (đã hoàn thành)"


def _notice(due: str = "trước ngày 15/02/2022", same: str = "") -> str:
    return notice_plan(
        "2022-01-19",
        f"""  - code: "{ITEM}"
    section: "1"
    title: "Ban hành quy chế"
    content: "Ban hành quy chế {due}."
    source: "Mục 1"
    lead: [so-tttt]
    deadline: "{due}"
{same}""",
    )


def _catalog(tmp_path: Path, name: str, notice: str, *, with_plan: bool) -> Path:
    """The minimal catalog's agencies with the notice; its own plan (issued 01/03/2022) only ``with_plan``."""
    directory = copy_catalog(tmp_path / name)
    if not with_plan:
        (directory / "plans" / "test-plan.yaml").unlink()
    (directory / "plans" / "notice.yaml").write_text(notice, encoding="utf-8")
    return directory


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def _day(engine: Engine, clock: FrozenClock, settings: Settings, day: date) -> None:
    """A day as the scheduler runs it: the sweep at 07:05, the digests at 07:30, delivery at 08:05."""
    clock.set(_at(day, 7, 5))
    jobs.run_sweep(engine, now=clock.now(), settings=settings)
    clock.set(_at(day, 7, 30))
    jobs.run_digests(engine, now=clock.now(), settings=settings)
    clock.set(_at(day, 8, 5))
    jobs.run_delivery(engine, now=clock.now(), settings=settings)


def _escalated(engine: Engine, clock: FrozenClock, tmp_path: Path) -> tuple[Settings, int]:
    """The notice loaded on 19/01/2022, days run from 16/02 to 09/03: the vice-chair told on 18/02,
    the chair on 24/02 (3 and 7 working days after 15/02). The settings, and the part's id."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        secret_key=SECRET,
        base_url="http://testserver",
        database_url=str(engine.url),
        maildrop_dir=tmp_path / "maildrop",
    )
    with Session(engine) as session:
        load_min_catalog(session, _at(date(2022, 1, 19), 8), _catalog(tmp_path, "a", _notice(), with_plan=False))
        set_tracking_start(session, date(2022, 1, 19))
        session.commit()
        part = assignment_for(session, ITEM, "so-tttt").id or 0
    day = date(2022, 2, 16)
    while day < date(2022, 3, 10):
        _day(engine, clock, settings, day)
        day += timedelta(days=1)
    return settings, part


def _leader_digests(engine: Engine, day: date) -> dict[str, Notification]:
    with Session(engine) as session:
        rows = session.exec(
            select(Notification).where(
                Notification.kind == "digest_leader", col(Notification.dedupe_key).endswith(day.isoformat())
            )
        ).all()
        return {row.recipient_role: row for row in rows}


def _escalations(engine: Engine, part: int) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Notification).where(Notification.assignment_id == part, Notification.kind == "escalation")
        ).all()
        return sorted((n.id, n.recipient_role, n.status, n.created_at, n.carried_by_id, n.data) for n in rows)


def _page(engine: Engine, settings: Settings, clock: FrozenClock, part: int, tmp_path: Path) -> str:
    from fastapi.testclient import TestClient

    from dondoc.engine.links import issue_token

    with Session(engine) as session:
        token = issue_token(session, "leader:chair", now=clock.now(), secret=SECRET, days=30)
        session.commit()
    app = create_app(settings=settings, engine=engine, clock=clock, attachments=tmp_path / "files")
    with TestClient(app, follow_redirects=False) as client:
        response = client.get(f"/leaders/{token}/assignments/{part}")
    assert response.status_code == 200
    return " ".join(response.text.split())


NOT_ALL = (
    "(không phải mọi nhiệm vụ quá hạn của tỉnh: danh sách mọi phần việc quá hạn mà Lãnh đạo được báo ở trang theo dõi"
)
WINDOW = (
    "Việc này được ghi nhận hoàn thành trong khoảng 01/02/2022 – 28/02/2022: có thể đã xong trước khi báo cáo"
    " Lãnh đạo ngày {}."
)


def test_done_in_a_window_before_the_telling_is_said_on_the_page_and_once_in_each_digest(
    engine: Engine, db_url: str, clock: FrozenClock, tmp_path: Path
) -> None:
    settings, part = _escalated(engine, clock, tmp_path)
    told = _escalations(engine, part)
    assert [(role, str(status)) for _, role, status, *_ in told] == [("vice-chair", "held"), ("chair", "held")]
    assert all(carried for *_, carried, _ in told)  # both leaders read them in a sent digest

    # 10/03: the document recording the same work done in February is loaded before the sweep
    clock.set(_at(date(2022, 3, 10), 7))
    with Session(engine) as session:
        catalog = _catalog(tmp_path, "b", _notice(same=DONE_ELSEWHERE), with_plan=True)
        load_min_catalog(session, clock.now(), catalog)
        assert assignment_for(session, ITEM, "so-tttt").state == "verified"
    _day(engine, clock, settings, date(2022, 3, 10))
    digests = _leader_digests(engine, date(2022, 3, 10))
    for role, day in (("vice-chair", "18/02/2022"), ("chair", "24/02/2022")):
        mail = digests[role]  # the only news of the day: a digest for it alone
        assert str(mail.status) == "sent"
        text = " ".join((mail.body_text or "").split())
        assert "không có phần việc nào quá hạn đến ngưỡng phải báo cáo Lãnh đạo" in text
        # what the held rows leave out (work before the tracking start, work withheld) is said, as in
        # the digest that lists rows
        assert NOT_ALL in text and NOT_ALL in " ".join((mail.body_html or "").split())
        assert f"{ITEM} — Ban hành quy chế; Sở Thông tin và Truyền thông; thông tin cập nhật ngày 10/03/2022: " in text
        assert WINDOW.format(day) in text
        assert "báo cáo quá hạn trước đây có thể chưa đúng" in (mail.subject or "")
    # once: the next day's digests (none, nothing else to say) do not repeat it
    _day(engine, clock, settings, date(2022, 3, 11))
    assert _leader_digests(engine, date(2022, 3, 11)) == {}

    # the page, later, says it beside each escalation, computed from the history; not at a look-back
    clock.set(_at(date(2022, 3, 15), 9))
    page = _page(engine, settings, clock, part, tmp_path)
    assert WINDOW.format("18/02/2022") in page and WINDOW.format("24/02/2022") in page
    shown = " ".join(dondoc(db_url, "assignments", "show", str(part), now="2022-03-15T09:00").stdout.split())
    assert f"Báo cáo Lãnh đạo (quá hạn) quyết định lúc 24/02/2022 07:05: {WINDOW.format('24/02/2022')}" in shown
    clock.set(_at(date(2022, 3, 5), 9))
    assert "có thể đã xong" not in _page(engine, settings, clock, part, tmp_path)
    assert _escalations(engine, part) == told  # nothing rewritten


def test_a_date_the_catalog_moved_past_the_telling_is_said_too(
    engine: Engine, clock: FrozenClock, tmp_path: Path
) -> None:
    settings, part = _escalated(engine, clock, tmp_path)
    clock.set(_at(date(2022, 3, 10), 7))
    with Session(engine) as session:
        load_min_catalog(
            session, clock.now(), _catalog(tmp_path, "b", _notice(due="trước ngày 31/3/2022"), with_plan=False)
        )
    clock.set(_at(date(2022, 3, 10), 7, 30))
    jobs.run_digests(engine, now=clock.now(), settings=settings)
    said = (
        "Thời hạn của việc này được điều chỉnh theo văn bản thành 31/03/2022: theo thời hạn đó, việc chưa quá hạn"
        " khi báo cáo Lãnh đạo ngày 24/02/2022."
    )
    first = _leader_digests(engine, date(2022, 3, 10))["chair"]
    assert said in " ".join((first.body_text or "").split())
    # that digest never reached the chair (its mailbox refused it): the next one says it again
    with Session(engine) as session:
        session.execute(update(Notification).where(col(Notification.id) == first.id).values(status="failed"))
        session.commit()
    _day(engine, clock, settings, date(2022, 3, 11))
    again = _leader_digests(engine, date(2022, 3, 11))["chair"]
    assert str(again.status) == "sent" and said in " ".join((again.body_text or "").split())
    _day(engine, clock, settings, date(2022, 3, 14))  # and once sent, not again
    assert "chair" not in _leader_digests(engine, date(2022, 3, 14))
    clock.set(_at(date(2022, 3, 15), 9))
    assert said in _page(engine, settings, clock, part, tmp_path)


def _static() -> Static:
    return Static(None, None, None, date(2022, 1, 19), True)


TOLD = Told(1, 1, "chair", _at(date(2022, 2, 24), 8, 5))
NOW = _at(date(2022, 3, 15), 9)


def _done(at: datetime, done_at: datetime, done_from: datetime | None = None) -> list:
    data = {"done_at": done_at.isoformat(), "done_from": done_from.isoformat() if done_from else None}
    return [(_at(date(2022, 1, 19), 7), "assign", "assigned", {}), (at, "catalog_same_work", "verified", data)]


def test_the_rule_reads_the_record_against_the_telling() -> None:
    """A known day before the telling; the same day; a window that begins after it; a report after it."""
    loaded = _at(date(2022, 3, 10), 7)
    (before,) = doubt_of(TOLD, _done(loaded, _at(date(2022, 2, 20), 0)), _static(), NOW)
    assert before == Doubt(TOLD, loaded, done_at=_at(date(2022, 2, 20), 0))
    assert (
        doubt_words(before)
        == "Việc này được ghi nhận hoàn thành ngày 20/02/2022, trước khi báo cáo Lãnh đạo ngày 24/02/2022."
    )
    (same,) = doubt_of(TOLD, _done(loaded, _at(date(2022, 2, 24), 0)), _static(), NOW)
    assert (
        doubt_words(same)
        == "Việc này được ghi nhận hoàn thành ngày 24/02/2022: có thể đã xong trước khi báo cáo Lãnh đạo."
    )
    later = _done(loaded, _at(date(2022, 2, 28), 23), _at(date(2022, 2, 25), 0))
    assert doubt_of(TOLD, later, _static(), NOW) == ()
    reported = [(_at(date(2022, 1, 19), 7), "assign", "assigned", {}), (loaded, "report", "reported", {})]
    assert doubt_of(TOLD, reported, _static(), NOW) == ()
    # at an instant before the record, nothing is known yet
    assert doubt_of(TOLD, _done(loaded, _at(date(2022, 2, 20), 0)), _static(), _at(date(2022, 3, 5), 9)) == ()


def test_each_kind_of_doubt_is_judged_on_its_own() -> None:
    """The work recorded done in February (said on 10/03), then the text's date moved to 31/03 on
    14/03: the move is news of its own, not hidden behind the done record told before."""
    loaded, moved = _at(date(2022, 3, 10), 7), _at(date(2022, 3, 14), 7)
    history = _done(loaded, _at(date(2022, 2, 28), 23), _at(date(2022, 2, 1), 0)) + [
        (moved, "catalog_due_changed", "verified", {"to_due": _at(date(2022, 3, 31), 23).isoformat()})
    ]
    done, later = doubt_of(TOLD, history, _static(), NOW)
    assert (done.known_at, done.due_at, later.known_at, later.due_at) == (
        loaded,
        None,
        moved,
        _at(date(2022, 3, 31), 23),
    )
    assert doubt_of(TOLD, history, _static(), _at(date(2022, 3, 11), 9)) == (done,)


def test_doubt_said_once_even_when_the_digest_was_rebuilt(engine: Engine, clock: FrozenClock, tmp_path: Path) -> None:
    """The digest built at 07:30 before the record; the record at 07:45 makes its held row untrue, so
    delivery builds it again at 08:05 and it says the doubt: the next day's digest does not say it again
    (it measured "since the previous digest" from the first build)."""
    settings, _ = _escalated(engine, clock, tmp_path)
    day = date(2022, 3, 10)
    clock.set(_at(day, 7, 5))
    jobs.run_sweep(engine, now=clock.now(), settings=settings)
    clock.set(_at(day, 7, 30))
    jobs.run_digests(engine, now=clock.now(), settings=settings)
    assert "có thể" not in (_leader_digests(engine, day)["chair"].body_text or "")
    clock.set(_at(day, 7, 45))
    with Session(engine) as session:
        load_min_catalog(session, clock.now(), _catalog(tmp_path, "b", _notice(same=DONE_ELSEWHERE), with_plan=True))
    clock.set(_at(day, 8, 5))
    jobs.run_delivery(engine, now=clock.now(), settings=settings)
    sent = _leader_digests(engine, day)["chair"]
    assert str(sent.status) == "sent" and WINDOW.format("24/02/2022") in " ".join((sent.body_text or "").split())
    _day(engine, clock, settings, date(2022, 3, 11))
    assert "chair" not in _leader_digests(engine, date(2022, 3, 11))


def test_a_doubt_names_the_body_that_held_the_part_when_the_leader_was_told(
    engine: Engine, clock: FrozenClock, tmp_path: Path
) -> None:
    """Told on 24/02 of Sở TT&TT's part; the part passed to Sở Nội vụ on 01/03: the digest of 10/03
    names Sở TT&TT, the body the chair heard of, not one it never heard of."""
    settings, part = _escalated(engine, clock, tmp_path)
    clock.set(_at(date(2022, 3, 10), 7))
    with Session(engine) as session:
        load_min_catalog(session, clock.now(), _catalog(tmp_path, "b", _notice(same=DONE_ELSEWHERE), with_plan=True))
        old = session.exec(select(Agency).where(Agency.code == "so-tttt")).one()
        new = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
        assignment = session.get(Assignment, part)
        assert assignment is not None
        assignment.agency_id = new.id or 0
        session.add(assignment)
        session.add(
            AgencyTransfer(
                assignment_id=part,
                succession_key="test-absorb",
                from_agency_id=old.id or 0,
                to_agency_id=new.id,
                effective_on=date(2022, 3, 1),
                passed_on=date(2022, 3, 1),
                recorded_at=_at(date(2022, 3, 1), 8),
                status="done",
            )
        )
        session.commit()
    _day(engine, clock, settings, date(2022, 3, 10))
    text = " ".join((_leader_digests(engine, date(2022, 3, 10))["chair"].body_text or "").split())
    assert f"{ITEM} — Ban hành quy chế; Sở Thông tin và Truyền thông; thông tin cập nhật ngày 10/03/2022: " in text
    assert "Sở Nội vụ" not in text
