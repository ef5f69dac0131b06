"""Work whose giving day comes on or after a body's end is never given to it, on both databases.

On 01/07/2025 the 13 district-level units of Quảng Ngãi, dissolved that day, were handed the reports
of the third quarter: the board counted them as given to the bodies that had ended ("Được giao" 55
to 56), the sweep announced them to the secretariat in their place ("UBND tỉnh giao quý cơ quan …
Đã giao"), chased their acknowledgement three working days later, and its digest listed them as
"đã giao, chưa được tiếp nhận — đã đôn đốc". Such a part waits in "Cần phân công lại", saying why,
and is nobody's until the secretariat names a body; no rung that needs a holder fires while work
waits there; and no held row is made of a kind no digest tells."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT, Recipient
from dondoc.engine.escalation.policy import HELD_KINDS, PolicyInvalid, carried, load_policy
from dondoc.engine.mail_labels import mail_state_label
from dondoc.engine.models import (
    Agency,
    AgencyTransfer,
    Assignment,
    Event,
    Milestone,
    Notification,
    NotificationStatus,
    PlanItem,
)
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.queries import get_assignment
from dondoc.engine.services.successions import never_given_to, waiting_transfers
from dondoc.engine.services.web_queries import board_summary, unacknowledged
from dondoc.engine.status import Category
from dondoc.engine.workflow import Action
from tests.factories import assignment_for
from tests.support.catalogs import QUARTERLY, REPORTING
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml
from tests.support.sweep import run_sweep
from tests.support.web import ITEM, WebEnv

II_1 = "99/KH-TEST:II.1"


def _catalog(tmp_path: Path, on: str) -> Path:
    """The succession catalog, Bình Sơn dissolved on ``on``, with the quarterly reports of 2022."""
    catalog = succession_catalog(tmp_path, successions_yaml("dissolve", on=on))
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + REPORTING, encoding="utf-8")
    return catalog


def _quarter(session: Session, agency: str, period: str) -> Assignment:
    return session.exec(
        select(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .where(PlanItem.code == QUARTERLY, Agency.code == agency, Milestone.period_code == period)
    ).one()


def _given(session: Session, code: str, day: str) -> int:
    """The board's "Được giao" of ``code`` at noon on ``day``."""
    (row,) = [r for r in board_summary(session, at(day, 12)).agencies if r.code == code]
    return row.assigned


def _mails(session: Session, assignment_id: int, kind: str) -> list[Notification]:
    rows = session.exec(select(Notification).where(Notification.kind == kind)).all()
    return [n for n in rows if n.assignment_id == assignment_id or assignment_id in n.data.get("assignment_ids", [])]


def test_a_quarter_that_begins_after_the_body_ended_is_never_given_to_it(session: Session, tmp_path: Path) -> None:
    load(session, _catalog(tmp_path, "2022-07-01"), at("2022-03-02"))
    q3 = _quarter(session, "ubnd-binh-son", "2022-Q3")
    q2 = _quarter(session, "ubnd-binh-son", "2022-Q2")
    before = {code: _given(session, code, "2022-06-30") for code in ("ubnd-binh-son", "ubnd-ly-son")}
    # 01/07, the quarter's first day and Bình Sơn's first day gone: the job's succession, then its sweep
    apply(session, at("2022-07-01", 0))
    run_sweep(session, at("2022-07-01", 0))
    transfer = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == q3.id)).one()
    assert transfer.never_given and transfer.status == "pending"
    assert not session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == q2.id)).one().never_given
    # the queue and the history say why it waits, and that it was never given to the body that ended
    (entry,) = [w for w in waiting_transfers(session, at("2022-07-01", 9)) if w.assignment_id == q3.id]
    why = "Phần việc này đến ngày 01/07/2022 mới giao, khi UBND huyện Bình Sơn đã không còn: chưa giao cho cơ quan nào"
    assert entry.reason.startswith(why), entry.reason
    event = session.exec(select(Event).where(Event.assignment_id == q3.id).order_by(col(Event.id).desc())).first()
    assert event is not None and event.action == "transfer_pending" and why in (event.comment or "")
    # nobody's: not given, not "Đã giao", not counted as given to the body that ended, not "chưa tiếp nhận"
    view = get_assignment(session, q3.id or 0, at("2022-07-01", 9))
    assert (view.given, view.category) == (False, Category.NOT_YET_DUE.value)
    assert view.state_label == "Chưa giao (chờ Tổ giúp việc phân công lại)"
    assert _given(session, "ubnd-binh-son", "2022-07-01") == before["ubnd-binh-son"]
    assert _given(session, "ubnd-ly-son", "2022-07-01") == before["ubnd-ly-son"] + 1  # Lý Sơn's own Q3 is given
    lys = _quarter(session, "ubnd-ly-son", "2022-Q3")
    quarter = session.exec(select(Assignment).where(Assignment.milestone_id == q3.milestone_id)).all()
    chased = unacknowledged(session, at("2022-07-01", 9)) - unacknowledged(session, at("2022-06-30", 9))
    assert chased == len(quarter) - 1  # every other body's Q3 report, given that morning
    assert _mails(session, lys.id or 0, "new_assignment")  # Lý Sơn is told of its own
    # no notice of it, no acknowledgement chased, in the days it waits
    for day in ("2022-07-04", "2022-07-05", "2022-07-06", "2022-07-07", "2022-07-08"):
        run_sweep(session, at(day, 7))
    assert not _mails(session, q3.id or 0, "new_assignment")
    assert not _mails(session, q3.id or 0, "unacknowledged")
    # the secretariat names a body on 11/07: it is given the work that day, its ladder counted from then
    act(session, q3.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-07-11", 10))
    session.commit()
    session.refresh(q3)
    assert q3.assigned_at == at("2022-07-11", 10)
    assert get_assignment(session, q3.id or 0, at("2022-07-08", 12)).given is False  # a look-back: nobody's then
    assert get_assignment(session, q3.id or 0, at("2022-07-11", 12)).state_label == "Đã giao"
    for day in ("2022-07-11", "2022-07-12", "2022-07-13"):
        run_sweep(session, at(day, 11))
    # told by the decision's own mail, that it was given that day (tests/test_named_body_one_mail.py)
    assert not _mails(session, q3.id or 0, "new_assignment")
    (told,) = _mails(session, q3.id or 0, "inherited_work")
    assert told.recipient_email == "so-khcn@dondoc.example"
    assert (told.data["never_given_on"], told.data["given_on"]) == ("01/07/2022", "11/07/2022")
    assert not _mails(session, q3.id or 0, "unacknowledged")  # three working days from 11/07, not from 01/07


def test_its_page_and_the_queue_say_it_was_never_given(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load(session, _catalog(tmp_path, "2022-07-01"), at("2022-03-02"))
        q3 = _quarter(session, "ubnd-binh-son", "2022-Q3").id
        q2 = _quarter(session, "ubnd-binh-son", "2022-Q2").id
        apply(session, at("2022-07-01", 7))
    web.clock.set(at("2022-07-04", 9))
    web.login()
    page = " ".join(web.client.get(f"/board/assignments/{q3}").text.split())
    assert "Chưa giao (chờ Tổ giúp việc phân công lại)" in page
    assert "Chưa giao: đến ngày 01/07/2022 mới giao, khi UBND huyện Bình Sơn đã không còn" in page
    assert "Đã giao từ ngày" not in page
    given = " ".join(web.client.get(f"/board/assignments/{q2}").text.split())  # waiting too, given on 01/04
    assert "→ Đã giao từ ngày 01/04/2022" in given and "mới giao" not in given
    queue = " ".join(web.client.get("/board/can-phan-cong-lai").text.split())
    assert "mới giao, khi UBND huyện Bình Sơn đã không còn: chưa giao" in queue
    listed = " ".join(web.client.get("/board/assignments?agency=ubnd-binh-son").text.split())
    assert "Chưa giao (chờ Tổ giúp việc phân công lại)" in listed
    with Session(web.engine) as session:
        act(session, q3, Request(Action.CANCEL, SECRETARIAT, comment="Cấp huyện kết thúc"), now=at("2022-07-04", 10))
        session.commit()
    web.clock.set(at("2022-07-04", 11))
    page = " ".join(web.client.get(f"/board/assignments/{q3}").text.split())
    assert "Chưa giao → Đã hủy" in page and "Đã giao" not in page


def test_a_history_written_before_the_mark_says_it_too() -> None:
    """A queueing recorded before migration 0029 carries no mark: its succession's date against the
    part's giving day says it (the 2025 replay's 13 parts of 01/07/2025)."""
    pending = SimpleNamespace(
        action="transfer_pending", at=at("2025-07-01", 7), data={"effective_on": "2025-07-01", "from_name": "UBND X"}
    )
    cancelled = SimpleNamespace(action="cancel", at=at("2025-07-04", 16), data={})
    found = never_given_to([pending, cancelled], at("2025-07-01", 0))
    assert found is not None and (found.day, found.from_name, found.until) == (date(2025, 7, 1), "UBND X", cancelled.at)
    assert found.unheld(at("2025-07-04", 16)) and not found.unheld(at("2025-07-04", 17))
    assert never_given_to([pending], at("2025-06-30", 23)) is None  # given the day before the body ended


def test_a_part_cancelled_while_it_waited_was_never_anybodys(session: Session, tmp_path: Path) -> None:
    load(session, _catalog(tmp_path, "2022-07-01"), at("2022-03-02"))
    q3 = _quarter(session, "ubnd-binh-son", "2022-Q3")
    apply(session, at("2022-07-01", 7))
    act(session, q3.id or 0, Request(Action.CANCEL, SECRETARIAT, comment="Cấp huyện kết thúc"), now=at("2022-07-06"))
    session.commit()
    assert get_assignment(session, q3.id or 0, at("2022-07-04", 12)).category == Category.NOT_YET_DUE.value
    assert get_assignment(session, q3.id or 0, at("2022-07-06", 12)).category == Category.CANCELLED.value
    assert _given(session, "ubnd-binh-son", "2022-07-04") == _given(session, "ubnd-binh-son", "2022-06-30")


def test_work_never_given_is_not_late_while_it_waits(session: Session, tmp_path: Path) -> None:
    """Nobody's, it is neither reminded of nor late, by the sweep as by the board, until a body is named."""
    load(session, _catalog(tmp_path, "2022-07-01"), at("2022-03-02"))
    q3 = _quarter(session, "ubnd-binh-son", "2022-Q3")
    apply(session, at("2022-07-01", 7))
    day = at("2022-07-01", 8)
    while day < at("2022-10-01"):
        run_sweep(session, day)
        day += timedelta(days=3)
    assert not session.exec(select(Notification).where(Notification.assignment_id == q3.id)).all()
    assert get_assignment(session, q3.id or 0, at("2022-09-30")).category == Category.NOT_YET_DUE.value
    assert _mails(session, _quarter(session, "ubnd-ly-son", "2022-Q3").id or 0, "overdue")  # a body's own is


def test_waiting_work_is_never_chased_for_its_acknowledgement(session: Session, tmp_path: Path) -> None:
    """Bình Sơn, given II.1 on 01/03 and dissolved on 03/03 before acknowledging it: nobody can
    acknowledge it while it waits, and nobody is told it was given."""
    load(session, _catalog(tmp_path, "2022-03-03"), at("2022-03-02"))
    parts = [assignment_for(session, II_1, "ubnd-binh-son", seq) for seq in (1, 2)]
    apply(session, at("2022-03-03", 7))
    day = at("2022-03-03", 8)
    while day < at("2022-03-20"):
        run_sweep(session, day)
        day += timedelta(days=1)
    for part in parts:
        assert not _mails(session, part.id or 0, "unacknowledged")
        assert not _mails(session, part.id or 0, "new_assignment")
    assert _mails(session, assignment_for(session, II_1, "ubnd-ly-son", 1).id or 0, "unacknowledged")  # Lý Sơn is


def test_no_held_row_is_of_a_kind_no_digest_tells(session: Session, tmp_path: Path) -> None:
    """Bình Sơn's II.1 of 15/11, waiting from 01/08: its reminders had been held for the secretariat,
    a kind its digest never tells, and the outbox called them "gửi trong bản tổng hợp"."""
    load(session, _catalog(tmp_path, "2022-08-01"), at("2022-03-02"))
    row = assignment_for(session, II_1, "ubnd-binh-son", 2)
    apply(session, at("2022-08-01", 7))
    day = at("2022-08-01", 8)
    while day < at("2022-11-25"):
        run_sweep(session, day)
        day += timedelta(days=2)
    held = session.exec(select(Notification).where(Notification.status == "held")).all()
    assert held and all(carried(n.kind, n.recipient_role) for n in held), {(n.kind, n.recipient_role) for n in held}
    assert {n.kind for n in _mails(session, row.id or 0, "overdue")} == {"overdue"}  # the secretariat hears it is late
    assert not _mails(session, row.id or 0, "reminder")


def test_the_outbox_says_what_becomes_of_a_held_row(web: WebEnv) -> None:
    """Row 544 of the 2025 replay, a new task for a body that had ended held for the secretariat: the
    outbox said "Giữ lại (gửi trong bản tổng hợp)" of a kind no digest tells."""
    now = web.clock.now()
    assignment = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        for key, kind in (("orphan", "new_assignment"), ("waits", "unacknowledged")):
            session.add(
                Notification(
                    dedupe_key=key,
                    kind=kind,
                    assignment_id=assignment,
                    recipient_role="secretariat",
                    recipient_email="to-giup-viec@dondoc.example",
                    created_at=now,
                    next_attempt_at=now,
                    status=NotificationStatus.HELD,
                    data={},
                )
            )
        session.commit()
    web.login()
    for url in ("/board/outbox?status=held", f"/board/assignments/{assignment}"):
        page = web.client.get(url)
        assert page.status_code == 200
        assert "Giữ lại, không bản tổng hợp nào báo loại thư này" in page.text
        assert "Giữ lại cho bản tổng hợp, chưa báo" in page.text
        assert "gửi trong bản tổng hợp" not in page.text


def test_the_outbox_says_what_becomes_of_each_kind_of_held_row() -> None:
    assert set(HELD_KINDS[Recipient.SECRETARIAT]) >= {"unacknowledged", "overdue"}
    assert mail_state_label("held", "overdue", "secretariat", 599) == "Đã báo trong bản tổng hợp #599"
    assert mail_state_label("held", "overdue", "secretariat", None) == "Giữ lại cho bản tổng hợp, chưa báo"
    assert mail_state_label("held", "escalation", "chair", None) == "Giữ lại cho bản tổng hợp, chưa báo"
    # row 544 of the 2025 replay, decided before the sweep knew better
    orphan = mail_state_label("held", "new_assignment", "secretariat", None)
    assert orphan == "Giữ lại, không bản tổng hợp nào báo loại thư này"
    assert mail_state_label("sent", "new_assignment", "agency", None) == "Đã gửi"


def test_a_policy_cannot_hold_a_row_for_a_digest_that_never_tells_it(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "version: x\nrules:\n  - {name: a, trigger: overdue, working_days: 0, to: [agency, secretariat]}\n"
        "  - {name: b, trigger: before_due, working_days: 7, to: [agency, secretariat]}\n"
        "  - {name: c, trigger: unacknowledged, working_days: 3, to: [chair]}\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyInvalid) as refused:
        load_policy(path)
    message = str(refused.value)
    assert 'line 4, rules.1: Value error, no digest of "secretariat" tells of reminder mails' in message, message
    assert "rules.2" not in message  # the leaders hear any rung as an escalation, which their digest tells
