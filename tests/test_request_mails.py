"""Requests between people are mailed at once (issue 13): explanation, extension, return.

The rows are written with the event, in one transaction, and delivered to a real SMTP server
(aiosmtpd); their dedupe keys come from the event, so nothing goes out twice.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ, FrozenClock
from dondoc.engine.errors import ConditionNotMet
from dondoc.engine.models import Agency, Assignment, Notification, NotificationStatus
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.explanations import open_extension_requests
from dondoc.engine.services.queues import QUEUES
from dondoc.engine.services.request_mails import write_request_mails
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.jobs import run_sweep
from dondoc.notifications import deliver
from tests.factories import assignment_for, load_min_catalog, step
from tests.smtp_server import SmtpServer, delivering_to
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok

ITEM = "99/KH-TEST:II.1"
FIRST = " (mốc: Phê duyệt cấp độ)"  # the subject names II.1's milestone: it has two
AGENCY = Actor.agency("so-noi-vu")
CHAIR = Actor.parse("chair")


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return delivering_to(smtp, tmp_path / "drop")


@pytest.fixture
def overdue(session: Session, clock: FrozenClock) -> Assignment:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    a = assignment_for(session, ITEM, "so-noi-vu")
    clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))  # due 30/06/2022: overdue
    session.commit()
    return a


def _rows(session: Session, kind: str) -> list[Notification]:
    statement = select(Notification).where(Notification.kind == kind).order_by(Notification.id)  # type: ignore[arg-type]
    return list(session.exec(statement.execution_options(populate_existing=True)))


def _the_one_mail(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    settings: Settings,
    smtp: SmtpServer,
    kind: str,
    role: str,
    agency: str,
) -> tuple[Any, str]:
    """The one row of ``kind``, to ``agency``'s mailbox as ``role``, delivered: the message and its
    plain text on one line."""
    (told,) = _rows(session, kind)
    assert (told.recipient_role, told.recipient_email) == (role, f"{agency}@dondoc.example")
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    mail = smtp.handler.received[0].message
    return mail, " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]


def _with_vp_ubnd_as_partner(session: Session, overdue: Assignment) -> Assignment:
    """Sở Nội vụ (``overdue``) and VP UBND made the two partners of II.1, its lead Sở TT&TT: VP UBND's part."""
    vp = assignment_for(session, ITEM, "vp-ubnd")
    for partner in (overdue, vp):
        partner.role = "partner"
        session.add(partner)
    session.commit()
    return vp


def test_an_explanation_goes_round_by_mail(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Vì sao chậm phê duyệt cấp độ?")
    (asked,) = _rows(session, "explanation_request")
    assert (asked.recipient_role, asked.recipient_email, asked.status) == (
        "agency",
        "so-noi-vu@dondoc.example",
        NotificationStatus.PENDING,
    )
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    mail = smtp.handler.received[0].message
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Vì sao chậm phê duyệt cấp độ?" in body and mail["Subject"].startswith("[Đôn đốc] Yêu cầu giải trình")
    assert "Trưởng Ban Chỉ đạo đề nghị quý cơ quan giải trình" in body  # who asks is said
    # how late, counted when sent: 01/07 and the two weeks to 15/07 (due 30/06/2022)
    assert "- Số ngày làm việc quá hạn: 11\n" in body
    assert re.search(r"http://dondoc\.test/a/\S+/assignments/\d+#form-explain", body)

    step(session, clock, overdue, Action.EXPLAIN, AGENCY, comment="Chờ hướng dẫn của Bộ.")
    answers = _rows(session, "explanation_answer")
    assert sorted(r.recipient_role for r in answers) == ["chair", "secretariat"]
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2
    assert smtp.handler.wait_for(3)
    to_chair = next(r.message for r in smtp.handler.received if r.rcpt_tos == ["truong-ban@dondoc.example"])
    text = to_chair.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Chờ hướng dẫn của Bộ." in text and "Vì sao chậm phê duyệt cấp độ?" in text


def test_an_answer_to_a_leader_leads_to_the_part_it_answers(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """The chair's copy of Sở Tài chính's answer (/TB-UBND:II.2.b, 2022 replay) linked the leaders'
    list alone, where the part, extended, was no longer listed; the secretariat's copy linked the
    part. Each copy leads to the part: the chair's to its leaders' page, the secretariat's to the board."""
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Vì sao chậm?")
    step(session, clock, overdue, Action.EXPLAIN, AGENCY, comment="Chờ số liệu.")
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2  # the two answers (the request: answered)
    assert smtp.handler.wait_for(2)
    mails = {r.rcpt_tos[0]: r.message for r in smtp.handler.received}
    chair, secretariat = mails["truong-ban@dondoc.example"], mails["to-giup-viec@dondoc.example"]
    text = chair.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = chair.get_body(("html",)).get_content()  # type: ignore[union-attr]
    part = f"/assignments/{overdue.id}"
    found = re.search(r"(http://dondoc\.test/leaders/[^\s/]+)(/assignments/\d+)\n", text)
    assert found is not None and found.group(2) == part, text
    assert f'href="{found.group(1)}{part}"' in html
    assert f"{found.group(1)}\n" in text  # the leaders' list as well, under it
    board = secretariat.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"http://dondoc.test/board{part}\n" in board


def test_work_reported_before_the_mail_leaves_is_told_as_late_no_more(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """The days late are counted when the mail is rendered: work reported in between is late no more."""
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Vì sao chậm?")
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Đã xong.")
    assert deliver(engine, now=clock.now(), settings=settings).sent >= 1
    assert smtp.handler.wait_for(1)
    asked = next(r.message for r in smtp.handler.received if "Yêu cầu giải trình" in r.message["Subject"])
    body = asked.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Tình trạng: Đã báo cáo" in body and "Số ngày làm việc quá hạn" not in body
    reported = f"{clock.now():%d/%m/%Y}"
    assert f"Quý cơ quan đã báo cáo kết quả nhiệm vụ dưới đây ngày {reported}, sau thời hạn." in body
    assert "đang quá hạn" not in body


def test_a_request_for_an_explanation_is_answered_after_a_report_and_reaches_who_asked(
    session: Session, clock: FrozenClock, overdue: Assignment
) -> None:
    """The chair asked UBND Nghĩa Hành why it was late; the agency reported without answering, and
    could answer no more: the request read "Đang chờ trả lời" on every page, left "Chờ giải trình",
    and the chair never heard. The delay happened all the same: it is answered reported or verified."""
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Vì sao chậm?")
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Đã xong.")
    step(session, clock, overdue, Action.VERIFY, SECRETARIAT)
    explanations = next(q for q in QUEUES if q.slug == "cho-giai-trinh")
    waiting = explanations.rows(session, clock.now(), WorkCalendar.default(), DEFAULT_DAYS, AssignmentFilter())
    assert [r.id for r in waiting] == [overdue.id]  # still owed, still listed
    step(session, clock, overdue, Action.EXPLAIN, AGENCY, comment="Chờ ý kiến của Bộ nên chậm.")
    assert [r.recipient_role for r in _rows(session, "explanation_answer")] == ["chair", "secretariat"]
    assert explanations.count(session, clock.now(), DEFAULT_DAYS, AssignmentFilter()) == 0
    with pytest.raises(ConditionNotMet, match="không có yêu cầu giải trình"):
        act(session, overdue.id or 0, Request(Action.EXPLAIN, AGENCY, comment="Lần nữa."), now=clock.now())


def test_a_secretariat_request_is_answered_to_the_secretariat_only(
    session: Session, clock: FrozenClock, overdue: Assignment
) -> None:
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, SECRETARIAT, comment="Đề nghị giải trình.")
    step(session, clock, overdue, Action.EXPLAIN, AGENCY, comment="Đang trình ký.")
    assert [r.recipient_role for r in _rows(session, "explanation_answer")] == ["secretariat"]


def test_an_extension_request_and_its_refusal(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    with pytest.raises(ConditionNotMet, match="không có đề nghị gia hạn"):
        act(session, overdue.id or 0, Request(Action.REFUSE_EXTENSION, SECRETARIAT, comment="x"), now=clock.now())
    session.rollback()
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 9, 30))
    (asked,) = _rows(session, "extension_request")
    assert asked.recipient_email == "to-giup-viec@dondoc.example"
    assert open_extension_requests(session, [overdue.id or 0])[overdue.id or 0].requested_due == date(2022, 9, 30)
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1  # the request, while it waits
    step(session, clock, overdue, Action.REFUSE_EXTENSION, SECRETARIAT, comment="Đã quá hạn lâu.")
    (refused,) = _rows(session, "extension_refused")
    assert refused.recipient_role == "agency" and refused.data["requested_due_vi"] == "30/09/2022"
    assert open_extension_requests(session, [overdue.id or 0]) == {}
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(2)
    subjects = sorted(r.message["Subject"] for r in smtp.handler.received)
    assert subjects[0].startswith("[Đôn đốc] Không đồng ý gia hạn") and "30/09/2022" in subjects[1]
    # the body is told its work is late, as its request said: refused, the date stands and it is past
    (told,) = [r.message for r in smtp.handler.received if r.message["Subject"].startswith("[Đôn đốc] Không đồng ý")]
    assert "- Số ngày làm việc quá hạn: 11\n" in told.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_an_extension_granted_and_a_return_reach_the_agency(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 9, 30))
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    (granted,) = _rows(session, "extension_granted")
    assert granted.data["to_due_vi"] == "30/09/2022" and granted.data["asked_comment"] == "Chờ kinh phí."
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Đã xong.")
    step(session, clock, overdue, Action.RETURN, SECRETARIAT, comment="Thiếu quyết định phê duyệt.")
    (returned,) = _rows(session, "report_returned")
    assert returned.recipient_email == "so-noi-vu@dondoc.example"
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.skipped) == (2, 1)  # the request was granted before the mail left: not sent
    assert smtp.handler.wait_for(2)
    bodies = [r.message.get_body(("plain",)).get_content() for r in smtp.handler.received]  # type: ignore[union-attr]
    assert any("Thiếu quyết định phê duyệt." in b for b in bodies)
    (told,) = [b for b in bodies if "hết ngày 30/09/2022" in b]
    # the new date is the deadline; the document's words are named as the first one, not beside the new date
    assert re.search(r"- Thời hạn: 30/09/2022 \(đã gia hạn; thời hạn ban đầu: .+, hạn cuối ngày 30/06/2022\)\n", told)


def test_nothing_twice_and_nothing_lost_after_a_crash_between_decision_and_send(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """The decision commits with its mail; the process dies before delivery; a second write of
    the same decision, two sweeps and two deliveries later, exactly one mail went out."""
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 9, 30))
    session.close()  # the process that decided is gone: only the database remains
    with Session(engine) as fresh:
        a = fresh.get(Assignment, overdue.id)
        assert a is not None
        assert write_request_mails(fresh, a, Action.REQUEST_EXTENSION, now=clock.now()) == 0  # decided once
        fresh.commit()
    for minutes in (0, 1):  # two sweeps and two deliveries, as the scheduler would run them
        later = clock.now() + timedelta(minutes=minutes)
        run_sweep(engine, now=later, settings=settings)
        deliver(engine, now=later, settings=settings)
    with Session(engine) as check:
        sent = check.exec(select(Notification).where(Notification.status == NotificationStatus.SENT)).all()
    # one message per mail: a lead's copies of one delivery share one (notifications.claims.LISTED_FOR_LEAD)
    assert smtp.handler.wait_for(len({r.message_id for r in sent}))
    asked = [r for r in smtp.handler.received if r.message["Subject"].startswith("[Đôn đốc] Đề nghị gia hạn")]
    assert len(asked) == 1 and asked[0].rcpt_tos == ["to-giup-viec@dondoc.example"]


def test_a_mail_about_a_cancelled_assignment_is_skipped(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, overdue: Assignment
) -> None:
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 9, 30))
    step(session, clock, overdue, Action.CANCEL, SECRETARIAT, comment="Không còn phù hợp.")
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.skipped) == (1, 1)  # the cancellation is told; the request is no one's now
    (row,) = _rows(session, "extension_request")
    assert row.status == NotificationStatus.SKIPPED and "«Đã hủy»" in (row.last_error or "")


def test_a_cancellation_is_told_to_the_agency_with_its_reason(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """UBND Sơn Tây's reported work was cancelled with a reason, and no mail said so: the body learnt
    of it only if it opened its page."""
    step(session, clock, overdue, Action.CANCEL, SECRETARIAT, comment="Nhiệm vụ đã được giao cho cơ quan khác.")
    mail, body = _the_one_mail(session, engine, clock, settings, smtp, "assignment_cancelled", "agency", "so-noi-vu")
    # its part, in its role: a body that implements (or partners) an item is not told the item is cancelled
    assert mail["Subject"].startswith("[Đôn đốc] Hủy phần việc thực hiện: 99/KH-TEST:II.1")
    assert "Tổ giúp việc đã hủy phần việc dưới đây của quý cơ quan" in body
    assert "Lý do: «Nhiệm vụ đã được giao cho cơ quan khác.»" in body and "Tình trạng: Đã hủy" in body
    # its HTML's title too: it had read "Hủy nhiệm vụ: …", the whole task cancelled
    (row,) = _rows(session, "assignment_cancelled")
    title = (row.body_html or "").split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.strip() == row.subject, title


def test_a_mail_asking_to_answer_a_request_already_answered_is_not_sent(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Three mails reached the secretariat saying "Quyết định gia hạn hoặc từ chối …" about requests
    it had granted or refused before the delivery ran: rendered at sending time, they were still sent."""
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, SECRETARIAT, comment="Vì sao chậm?")
    step(session, clock, overdue, Action.EXPLAIN, AGENCY, comment="Chờ ý kiến của Bộ.")  # seen on its page
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 9, 30))
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Thêm thời gian.", due=date(2022, 10, 31))
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.skipped) == (3, 2)  # the answer, the grant, the request still waiting
    first, second = _rows(session, "extension_request")
    assert first.status == NotificationStatus.SKIPPED and "đã được trả lời trước khi thư đi" in (first.last_error or "")
    assert second.status == NotificationStatus.SENT  # the request still waiting is asked about
    assert [r.status for r in _rows(session, "explanation_request")] == [NotificationStatus.SKIPPED]
    assert {r.status for r in _rows(session, "extension_granted")} == {NotificationStatus.SENT}
    assert {r.status for r in _rows(session, "explanation_answer")} == {NotificationStatus.SENT}


def test_the_lead_is_told_when_every_partners_input_is_in(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """UBND Minh Long sent its input to the lead through "Gửi kết quả phối hợp cho đơn vị chủ trì" and
    the lead (Sở Tài chính) got no mail: the inputs appeared only on the lead's page. The lead hears
    once, when the last partner's input is in (one mail per partner was 961 in four months)."""
    partners = [overdue, _with_vp_ubnd_as_partner(session, overdue)]
    step(session, clock, partners[1], Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"))
    step(session, clock, partners[1], Action.REPORT, Actor.agency("vp-ubnd"), comment="Ý kiến của VP.")
    assert _rows(session, "partner_input_received") == []  # Sở Nội vụ's is still to come
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Đã rà soát 12 hệ thống, danh sách kèm theo.")
    mail, body = _the_one_mail(session, engine, clock, settings, smtp, "partner_input_received", "lead", "so-tttt")
    assert mail["Subject"] == (
        "[Đôn đốc] Đã đủ ý kiến phối hợp: 99/KH-TEST:II.1 (mốc: Phê duyệt cấp độ; gửi sau cùng: Sở Nội vụ)"
    )
    assert "Các cơ quan phối hợp đã gửi đủ ý kiến, kết quả phối hợp cho quý cơ quan (cơ quan chủ trì)" in body
    assert "Cơ quan gửi sau cùng: Sở Nội vụ, với nội dung: «Đã rà soát 12 hệ thống, danh sách kèm theo.»" in body
    lead = assignment_for(session, ITEM, "so-tttt")
    assert f"/assignments/{lead.id}" in body  # the lead's own page, where every body's part is listed


def test_a_lead_that_has_reported_is_not_asked_to_put_the_inputs_together(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """33 of the replay's 40 "Đã đủ ý kiến phối hợp … đề nghị quý cơ quan tổng hợp, báo cáo kết quả"
    went to a lead verified weeks before; every one quoted «» when the last partner wrote nothing."""
    overdue.role = "partner"  # Sở Nội vụ, the one partner of II.1; its lead: Sở TT&TT
    session.add(overdue)
    session.commit()
    lead = assignment_for(session, ITEM, "so-tttt")
    step(session, clock, lead, Action.ACKNOWLEDGE, Actor.agency("so-tttt"))
    step(session, clock, lead, Action.REPORT, Actor.agency("so-tttt"), comment="Báo cáo của Sở.")
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Đã hoàn thành.")
    assert _rows(session, "partner_input_received") == []  # the lead had reported: nothing to ask of it
    # sent back, the lead learns that the inputs it has to put together are in (it was not told before)
    step(session, clock, lead, Action.RETURN, SECRETARIAT, comment="Thiếu ý kiến của Sở Nội vụ.")
    _, returned = _the_one_mail(session, engine, clock, settings, smtp, "report_returned", "agency", "so-tttt")
    assert "Các cơ quan phối hợp đã gửi đủ ý kiến, kết quả phối hợp (xem tại trang nhiệm vụ)" in returned
    step(session, clock, overdue, Action.RETURN, SECRETARIAT, comment="Bổ sung danh sách.")  # a partner's: not said
    # the partner's, and the lead's copy (still to report, it hears its partner's input went back)
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2 and smtp.handler.wait_for(3)
    (partner,) = [r.message for r in smtp.handler.received if r.rcpt_tos == ["so-noi-vu@dondoc.example"]]
    assert "đã gửi đủ ý kiến" not in partner.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    smtp.handler.received.clear()  # the returns' mails
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Đã bổ sung danh sách.")  # the lead works again
    _, body = _the_one_mail(session, engine, clock, settings, smtp, "partner_input_received", "lead", "so-tttt")
    assert "Cơ quan gửi sau cùng: Sở Nội vụ, với nội dung: «Đã bổ sung danh sách.»" in body


def test_a_lead_hears_when_its_partner_is_given_a_date_after_its_own(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """The secretariat gave a lead until 28/04 and its partner until 15/05: only the partner was
    mailed, and the lead, which puts the inputs together by 28/04, heard nothing."""
    overdue.role = "partner"  # Sở Nội vụ, the one partner of II.1; its lead: Sở TT&TT, due 30/06/2022
    session.add(overdue)
    session.commit()
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    told = {r.recipient_role: r for r in _rows(session, "extension_granted")}
    assert set(told) == {"agency", "lead"} and told["lead"].recipient_email == "so-tttt@dondoc.example"
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2
    assert smtp.handler.wait_for(2)
    (mail,) = [r.message for r in smtp.handler.received if r.rcpt_tos == ["so-tttt@dondoc.example"]]
    body = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert mail["Subject"] == (
        "[Đôn đốc] Để biết: Sở Nội vụ (phối hợp) được gia hạn đến 30/09/2022, "
        f"sau thời hạn của quý cơ quan: {ITEM}{FIRST}"
    )
    assert "sau thời hạn của quý cơ quan (cơ quan chủ trì)" in body and "Thời hạn mới" not in body
    lead = assignment_for(session, ITEM, "so-tttt")
    assert f"/assignments/{lead.id}" in body  # its own page, which lists its partners
    # a partner whose date follows its lead's extension (not after it): the lead is told nothing more
    clock.advance(timedelta(minutes=5))
    step(session, clock, lead, Action.EXTEND, SECRETARIAT, due=date(2022, 12, 30))
    latest = max(_rows(session, "extension_granted"), key=lambda r: r.id or 0)
    assert {r.recipient_role for r in _rows(session, "extension_granted") if r.created_at == latest.created_at} == {
        "agency"
    }


def test_a_leads_copy_of_its_partners_extension_is_not_sent_once_the_lead_is_given_as_long(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """A bulk extension of a lead and its partner to 30/11 extends the partner first (web.routers.bulk):
    the lead's copy, decided then, told the lead on the 2022 replay's board "Sở Tài chính (phối hợp)
    được gia hạn đến 30/11/2022, sau thời hạn của quý cơ quan" when it left, though the lead's own date
    was by then 30/11/2022 too (its own mail, sent beside it, said so). Nor is a lead that has reported
    since told the input may come after it must put them together."""
    overdue.role = "partner"  # Sở Nội vụ, the one partner of II.1; its lead: Sở TT&TT, due 30/06/2022
    session.add(overdue)
    session.commit()
    lead = assignment_for(session, ITEM, "so-tttt")
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    step(session, clock, lead, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))  # as long: not before it
    (copy,) = [r for r in _rows(session, "extension_granted") if r.recipient_role == "lead"]
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.skipped) == (2, 1)  # the partner's own mail and the lead's own
    session.expire_all()
    copy = session.get_one(Notification, copy.id)
    assert copy.status == NotificationStatus.SKIPPED
    assert "không còn trước thời hạn mới của cơ quan phối hợp" in (copy.last_error or "")
    assert smtp.handler.wait_for(2)
    subjects = [r.message["Subject"] for r in smtp.handler.received]
    assert not any("sau thời hạn của quý cơ quan" in s for s in subjects), subjects
    # given a date after the lead's again, the lead is told; then it reports before the copy leaves
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 10, 14))
    step(session, clock, lead, Action.ACKNOWLEDGE, Actor.agency("so-tttt"))
    step(session, clock, lead, Action.REPORT, Actor.agency("so-tttt"), comment="Báo cáo của Sở.")
    (later,) = [r for r in _rows(session, "extension_granted") if r.recipient_role == "lead" and r.id != copy.id]
    deliver(engine, now=clock.now(), settings=settings)
    session.expire_all()
    later = session.get_one(Notification, later.id)
    assert later.status == NotificationStatus.SKIPPED and "đã báo cáo trước khi thư đi" in (later.last_error or "")


def test_a_date_set_where_the_document_gave_none_is_not_told_as_an_extension(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """A bulk "Gia hạn" to 30/11/2022 on the 2022 replay's board gave 04/KH-BCĐ:II.5 ("Theo chương
    trình, kế hoạch của Trung ương và các tỉnh": no date) its first date; Sở TT&TT was mailed "Đã gia
    hạn đến 30/11/2022 … Tổ giúp việc gia hạn nhiệm vụ dưới đây. Thời hạn mới: …", a deadline moved that
    it never had. It is told the secretariat set one, as the facts line beneath says ("do Tổ giúp việc đặt")."""
    waiting = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd")  # "Theo lộ trình, hướng dẫn …": no date
    assert waiting.due_at is None
    step(session, clock, waiting, Action.EXTEND, SECRETARIAT, due=date(2022, 11, 30))
    mail, body = _the_one_mail(session, engine, clock, settings, smtp, "extension_granted", "agency", "vp-ubnd")
    assert mail["Subject"] == "[Đôn đốc] Đã đặt thời hạn 30/11/2022: 99/KH-TEST:II.2 — VP UBND tỉnh"
    said = (
        "Tổ giúp việc đặt thời hạn cho nhiệm vụ dưới đây (trước đây chưa có thời hạn). Thời hạn: hết ngày 30/11/2022."
    )
    assert said in body
    assert "gia hạn" not in body.replace("Đề nghị gia hạn", "").lower() and "Thời hạn mới" not in body
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "đặt thời hạn cho nhiệm vụ dưới đây" in html and "Thời hạn mới" not in html


def test_an_extension_whose_date_changed_again_before_its_mail_left_is_not_sent(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Extended to 28/04, then to 15/05 before the first mail left: it said "Thời hạn mới: hết ngày
    28/04/2023" above a facts line, read at sending, of "Thời hạn: 15/05/2023". The later mail says it."""
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 10, 14))
    first, second = sorted(_rows(session, "extension_granted"), key=lambda r: r.id or 0)
    report = deliver(engine, now=clock.now(), settings=settings)
    assert (report.sent, report.skipped) == (1, 1)
    session.expire_all()
    first, second = session.get_one(Notification, first.id), session.get_one(Notification, second.id)
    assert first.status == NotificationStatus.SKIPPED and "nay là 14/10/2022" in (first.last_error or "")
    assert second.status == NotificationStatus.SENT
    assert smtp.handler.wait_for(1)
    (mail,) = smtp.handler.received
    assert "hết ngày 14/10/2022" in mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_an_extension_to_another_day_than_asked_is_not_told_as_agreed(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """A bulk extension to one day for many rows answered a request for another day with "Tổ giúp việc
    đồng ý đề nghị gia hạn … (đề nghị đến ngày 30/09/2022)" above "Thời hạn mới: hết ngày 31/10/2022"."""
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 9, 30))
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 10, 31))
    _, body = _the_one_mail(session, engine, clock, settings, smtp, "extension_granted", "agency", "so-noi-vu")
    assert (
        "Tổ giúp việc trả lời đề nghị gia hạn của quý cơ quan (đề nghị đến ngày 30/09/2022): gia hạn đến ngày "
        "31/10/2022, không theo ngày đề nghị."
    ) in body
    assert "đồng ý" not in body


def test_a_partner_whose_date_follows_its_lead_is_told_so_not_that_it_was_granted_a_request(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    overdue.role = "partner"  # Sở Nội vụ, partner of II.1; its lead: Sở TT&TT
    session.add(overdue)
    session.commit()
    step(session, clock, assignment_for(session, ITEM, "so-tttt"), Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2  # the lead's mail and the partner's
    assert smtp.handler.wait_for(2)
    (mail,) = [r.message for r in smtp.handler.received if r.rcpt_tos == ["so-noi-vu@dondoc.example"]]
    body = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert mail["Subject"] == "[Đôn đốc] Đã gia hạn đến 30/09/2022: 99/KH-TEST:II.1 (mốc: Phê duyệt cấp độ) — Sở Nội vụ"
    assert (
        "Thời hạn của cơ quan chủ trì (Sở Thông tin và Truyền thông) nay là ngày 30/09/2022; thời hạn gửi ý kiến, "
        "kết quả phối hợp của quý cơ quan (cơ quan phối hợp) được điều chỉnh theo, để cơ quan chủ trì tổng hợp, "
        "báo cáo đúng hạn."
    ) in body
    assert "Thời hạn mới: hết ngày 30/09/2022 (thời hạn trước: 30/06/2022)." in body
    assert "đồng ý" not in body and "Ghi chú" not in body  # it asked for nothing; the words are not a quote
    (lead_mail,) = [r.message for r in smtp.handler.received if r.rcpt_tos == ["so-tttt@dondoc.example"]]
    lead_body = " ".join(lead_mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert (
        "(thời hạn trước: 30/06/2022). Thời hạn gửi ý kiến, kết quả phối hợp của cơ quan phối hợp (Sở Nội vụ) "
        "được điều chỉnh theo."
    ) in lead_body


def test_a_partners_refused_request_is_told_with_the_day_asked_and_the_date_it_follows(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Refused after its lead was extended, a partner read "thời hạn giữ nguyên" above a date that had
    just followed the lead's, and the refusal lost the day it had asked for."""
    overdue.role = "partner"
    session.add(overdue)
    session.commit()
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ số liệu.", due=date(2022, 11, 30))
    step(session, clock, assignment_for(session, ITEM, "so-tttt"), Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    step(session, clock, overdue, Action.REFUSE_EXTENSION, SECRETARIAT, comment="Theo thời hạn của cơ quan chủ trì.")
    deliver(engine, now=clock.now(), settings=settings)
    assert smtp.handler.wait_for(3)
    to_partner = [r.message for r in smtp.handler.received if r.rcpt_tos == ["so-noi-vu@dondoc.example"]]
    bodies = {m["Subject"]: " ".join(m.get_body(("plain",)).get_content().split()) for m in to_partner}  # type: ignore[union-attr]
    (refused,) = [b for subject, b in bodies.items() if subject.startswith("[Đôn đốc] Không đồng ý gia hạn")]
    assert "Tổ giúp việc không đồng ý đề nghị gia hạn của quý cơ quan (đề nghị đến ngày 30/11/2022)." in refused
    assert "giữ nguyên" not in refused and "- Thời hạn: 30/09/2022" in refused
    (followed,) = [b for subject, b in bodies.items() if subject.startswith("[Đôn đốc] Đã gia hạn đến 30/09/2022")]
    assert "Thời hạn của cơ quan chủ trì (Sở Thông tin và Truyền thông) nay là ngày 30/09/2022" in followed


def test_assignments_show_lists_the_requests_and_the_mails(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", "so-noi-vu", "--json", now="2022-03-02")))
    target = str(next(r["id"] for r in rows if r["item_code"] == ITEM and r["milestone_seq"] == 1))
    ask = ["--as", "so-noi-vu", "--due", "2022-09-30", "--comment", "Chờ kinh phí"]
    ok(dondoc(db_url, "assignments", "act", target, "request_extension", *ask, now="2022-07-15T09:00"))
    refuse = ["--as", "secretariat", "--user", "tgv", "--comment", "Không có cơ sở"]
    ok(dondoc(db_url, "assignments", "act", target, "refuse_extension", *refuse, now="2022-07-15T10:00"))
    shown = json.loads(ok(dondoc(db_url, "assignments", "show", target, "--json", now="2022-07-15T11:00")))
    (request,) = shown["requests"]
    answered = (request["kind"], request["answer"], request["reply"])
    assert answered == ("request_extension", "refuse_extension", "Không có cơ sở")
    assert [(m["kind"], m["recipient_role"], m["delivered"]) for m in shown["mails"]] == [
        ("extension_request", "secretariat", False),
        ("extension_refused", "agency", False),
    ]
    text = ok(dondoc(db_url, "assignments", "show", target, now="2022-07-15T11:00"))
    assert "Từ chối gia hạn" in text and "to-giup-viec@dondoc.example" in text and "Chờ gửi" in text


def test_an_extension_to_a_day_off_says_why_the_date_is_the_next_working_day(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Asked for 21/01/2023 (a Saturday in Tết), granted 'hết ngày 27/01/2023' with no word of why:
    the agency read a date it had not asked for."""
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2023, 1, 21))
    request = Request(Action.EXTEND, SECRETARIAT, due=date(2023, 1, 21))
    act(session, overdue.id or 0, request, now=clock.now(), calendar=WorkCalendar.default())
    session.commit()
    (granted,) = _rows(session, "extension_granted")
    assert granted.data["to_due_vi"] == "27/01/2023" and granted.data["moved_from_vi"] == "21/01/2023"
    # the answer (the request's own mail is not sent: granted before the delivery ran)
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    assert smtp.handler.wait_for(1)
    bodies = [r.message.get_body(("plain",)).get_content() for r in smtp.handler.received]  # type: ignore[union-attr]
    (said,) = [" ".join(b.split()) for b in bodies if "Thời hạn mới" in b]
    assert "(đề nghị đến ngày 21/01/2023)" in said
    # one parenthesis: it read "(… ngày làm việc kế tiếp) (thời hạn trước: 30/06/2022)", two side by side
    moved = "(ngày 21/01/2023 là ngày nghỉ nên thời hạn là ngày làm việc kế tiếp; thời hạn trước: 30/06/2022)."
    assert f"Thời hạn mới: hết ngày 27/01/2023 {moved}" in said


def test_a_day_off_asked_for_and_granted_as_the_working_day_after_is_told_as_agreed(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Asked for Sunday 31/07/2022, whose request mail told the secretariat "nếu đồng ý, hạn là ngày làm
    việc kế tiếp, 01/08/2022"; the secretariat typed that Monday and the body read "gia hạn đến ngày
    01/08/2022, không theo ngày đề nghị" of the very day its request became. It is told as agreed, and why."""
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 7, 31))
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 8, 1))
    _, body = _the_one_mail(session, engine, clock, settings, smtp, "extension_granted", "agency", "so-noi-vu")
    assert "Tổ giúp việc đồng ý đề nghị gia hạn của quý cơ quan (đề nghị đến ngày 31/07/2022)." in body
    moved = "(ngày 31/07/2022 là ngày nghỉ nên thời hạn là ngày làm việc kế tiếp; thời hạn trước: 30/06/2022)."
    assert f"Thời hạn mới: hết ngày 01/08/2022 {moved}" in body and "không theo ngày đề nghị" not in body


def test_a_date_set_where_the_document_gave_none_is_said_to_be_the_secretariats(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """An extension of undated work ("Theo lộ trình …") was told as "Thời hạn: chưa xác định (hạn
    cuối ngày 30/09/2022)", and its note ran into the sentence before it ("….Ghi chú: «…»")."""
    undated = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd")
    assert undated.due_at is None and undated.original_due_at is None
    step(session, clock, undated, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30), comment="Theo chỉ đạo.")
    mail, body = _the_one_mail(session, engine, clock, settings, smtp, "extension_granted", "agency", "vp-ubnd")
    assert (
        "Thời hạn: 30/09/2022 (do Tổ giúp việc đặt; văn bản ghi: Theo lộ trình, hướng dẫn của các cơ quan Trung ương)"
    ) in body
    assert "chưa xác định" not in body
    assert "\nGhi chú: «Theo chỉ đạo.»" in mail.get_body(("plain",)).get_content()
    assert "Theo lộ trình, hướng dẫn của các cơ quan Trung ương" in mail.get_body(("html",)).get_content()
    assert "do Tổ giúp việc đặt" in mail.get_body(("html",)).get_content()


def test_a_body_that_no_longer_exists_is_not_mailed_and_the_secretariat_hears_what_asks_it_to_act(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, overdue: Assignment
) -> None:
    """UBND Tây Trà ended in 2020 by its validity alone (no succession recorded): a bulk extension of
    its open 2019 work was mailed to its old mailbox."""
    agency = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
    agency.valid_to = date(2022, 7, 1)
    session.add(agency)
    session.commit()
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Ai sẽ làm phần việc này?")
    (asked,) = _rows(session, "explanation_request")
    assert asked.recipient_role == "secretariat" and "so-noi-vu" not in asked.recipient_email
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    assert _rows(session, "extension_granted") == []  # the secretariat's own decision: nobody to tell


def test_a_report_returned_of_a_body_that_no_longer_exists_does_not_ask_the_secretariat_to_send_it_again(
    session: Session, clock: FrozenClock, overdue: Assignment
) -> None:
    """Reported by a body since ended by its validity alone, the part still held by it, the report
    returned: its mail was written to the Tổ giúp việc in the body's place, "Tổ giúp việc trả lại báo
    cáo kết quả của quý cơ quan … Bổ sung và gửi lại báo cáo", a report the rule book never lets the
    secretariat send (only the body: engine.workflow), about its own decision."""
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Đã hoàn thành.")
    agency = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
    agency.valid_to = date(2022, 7, 1)
    session.add(agency)
    session.commit()
    step(session, clock, overdue, Action.RETURN, SECRETARIAT, comment="Bổ sung số liệu quý II.")
    assert _rows(session, "report_returned") == []


def test_a_request_for_an_explanation_read_after_an_extension_does_not_say_the_work_is_late(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Rendered when it is delivered, the mail said "đang quá hạn" beside "Thời hạn: 30/09/2022 (đã
    gia hạn …)": the work had been extended in between."""
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Vì sao chậm?")
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 9, 30))
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2
    assert smtp.handler.wait_for(2)
    (mail,) = [r.message for r in smtp.handler.received if "giải trình" in r.message["Subject"]]
    body = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert (
        "Nhiệm vụ dưới đây đã quá hạn khi có yêu cầu giải trình; thời hạn nay đã được gia hạn đến ngày 30/09/2022."
    ) in body
    assert "đang quá hạn" not in body


def test_a_request_made_after_an_extension_on_a_day_off_says_the_work_is_late(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Extended to Friday 22/07, asked about on Saturday 23/07 (0 working days late): the mail said the
    work "đã quá hạn khi có yêu cầu giải trình; thời hạn nay đã được gia hạn đến ngày 22/07/2022"."""
    step(session, clock, overdue, Action.EXTEND, SECRETARIAT, due=date(2022, 7, 22))
    clock.set(datetime(2022, 7, 23, 10, 0, tzinfo=LOCAL_TZ))
    step(session, clock, overdue, Action.REQUEST_EXPLANATION, CHAIR, comment="Vì sao chậm?")
    (asked,) = _rows(session, "explanation_request")
    assert deliver(engine, now=clock.now(), settings=settings).sent >= 1
    assert smtp.handler.wait_for(1)
    (mail,) = [r.message for r in smtp.handler.received if "giải trình" in r.message["Subject"]]
    body = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "Nhiệm vụ dưới đây đang quá hạn." in body and "thời hạn nay đã được gia hạn" not in body


def test_the_inputs_in_mail_is_not_sent_to_a_lead_that_reported_before_it_left(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Decided when the last partner reported, the mail asked the lead to "tổng hợp, báo cáo kết quả"
    even when the lead had reported by the time it was sent."""
    overdue.role = "partner"  # Sở Nội vụ, the one partner of II.1; its lead: Sở TT&TT
    session.add(overdue)
    session.commit()
    lead = assignment_for(session, ITEM, "so-tttt")
    step(session, clock, lead, Action.ACKNOWLEDGE, Actor.agency("so-tttt"))
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Ý kiến của Sở Nội vụ.")
    (told,) = _rows(session, "partner_input_received")
    step(session, clock, lead, Action.REPORT, Actor.agency("so-tttt"), comment="Báo cáo của Sở.")
    deliver(engine, now=clock.now(), settings=settings)
    (told,) = _rows(session, "partner_input_received")
    assert told.status == NotificationStatus.SKIPPED and "đã báo cáo trước khi thư đi" in (told.last_error or "")
    assert not any(r.rcpt_tos == ["so-tttt@dondoc.example"] for r in smtp.handler.received)


def test_no_lead_is_asked_to_put_together_work_due_before_the_tracking_start(
    session: Session, engine: Engine, clock: FrozenClock, overdue: Assignment
) -> None:
    """The 2022 replay's first morning asked seven leads to "tổng hợp, báo cáo kết quả" of work due
    in 2019–2020: work before the tracking start is never chased, by a request either."""
    set_tracking_start(session, date(2022, 7, 1))  # II.1's first milestone (30/06/2022) comes before it
    session.commit()
    overdue.role = "partner"  # Sở Nội vụ, the one partner of II.1; its lead: Sở TT&TT
    session.add(overdue)
    session.commit()
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Ý kiến của Sở Nội vụ.")
    assert _rows(session, "partner_input_received") == []


def test_the_inputs_in_mail_is_not_sent_once_a_partners_input_was_sent_back(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """The last partner reported at 09:05, the secretariat sent its report back at 09:10, and the
    mail that left at 09:30 still told the lead "Các cơ quan phối hợp đã gửi đủ ý kiến … đề nghị
    quý cơ quan tổng hợp, báo cáo kết quả"."""
    overdue.role = "partner"  # Sở Nội vụ, the one partner of II.1; its lead: Sở TT&TT
    session.add(overdue)
    session.commit()
    step(session, clock, overdue, Action.ACKNOWLEDGE, AGENCY)
    step(session, clock, overdue, Action.REPORT, AGENCY, comment="Ý kiến của Sở Nội vụ.")
    (told,) = _rows(session, "partner_input_received")
    step(session, clock, overdue, Action.RETURN, SECRETARIAT, comment="Thiếu số liệu.")
    deliver(engine, now=clock.now(), settings=settings)
    session.expire_all()
    told = next(r for r in _rows(session, "partner_input_received") if r.id == told.id)
    assert told.status == NotificationStatus.SKIPPED and "báo cáo bị trả lại" in (told.last_error or "")
    # the lead hears that the input was sent back, instead of being asked to put it together
    assert {r.recipient_role for r in _rows(session, "report_returned")} == {"agency", "lead"}
    assert smtp.handler.wait_for(2)
    to_lead = [r.message for r in smtp.handler.received if r.rcpt_tos == ["so-tttt@dondoc.example"]]
    assert [m["Subject"] for m in to_lead] == [
        f"[Đôn đốc] Để biết: ý kiến phối hợp của Sở Nội vụ được trả lại để bổ sung: {ITEM}{FIRST}"
    ]
    body = " ".join(to_lead[0].get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "Lý do: «Thiếu số liệu.»" in body and "(cơ quan chủ trì) để biết" in body


def test_a_lead_hears_when_the_partner_it_waits_for_is_cancelled_and_that_the_rest_are_in(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """VP UBND had sent its input; the secretariat cancelled Sở Nội vụ's part, the one still awaited.
    Only Sở Nội vụ was mailed: no partner's report was left to say "Đã đủ ý kiến phối hợp", and the
    lead waited on for an input that would never come."""
    partners = [overdue, _with_vp_ubnd_as_partner(session, overdue)]
    step(session, clock, partners[1], Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"))
    step(session, clock, partners[1], Action.REPORT, Actor.agency("vp-ubnd"), comment="Ý kiến của VP.")
    step(session, clock, overdue, Action.CANCEL, SECRETARIAT, comment="Nội dung đã do VP UBND bảo đảm.")
    told = {r.recipient_role: r for r in _rows(session, "assignment_cancelled")}
    assert set(told) == {"agency", "lead"} and told["lead"].recipient_email == "so-tttt@dondoc.example"
    assert deliver(engine, now=clock.now(), settings=settings).sent == 2 and smtp.handler.wait_for(2)
    (mail,) = [r.message for r in smtp.handler.received if r.rcpt_tos == ["so-tttt@dondoc.example"]]
    body = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert mail["Subject"] == (
        f"[Đôn đốc] Để biết: phần việc phối hợp của Sở Nội vụ được hủy, đã đủ ý kiến phối hợp: {ITEM}{FIRST}"
    )
    assert "(cơ quan chủ trì) để biết: không chờ ý kiến của cơ quan này nữa" in body
    raw = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "\nLý do: «Nội dung đã do VP UBND" in raw  # on its own line, after the sentence
    assert re.search(r"\n- Tình trạng: [^\n]+\n", raw), raw  # the facts' lines are not run together
    assert "Các cơ quan phối hợp còn lại đã gửi đủ ý kiến" in body and "Lý do: «Nội dung đã do VP UBND" in body
    lead = assignment_for(session, ITEM, "so-tttt")
    assert f"/assignments/{lead.id}" in body  # its own page, not the cancelled part's
    assert f"/assignments/{overdue.id}" not in body


def test_a_cancelled_partners_copy_says_what_is_true_when_it_leaves_and_not_to_a_lead_that_reported(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """With the rest "đã đủ ý kiến", the copy asks the lead to put them together: as it stands when it
    leaves (the other partner's input sent back meanwhile, it tells the cancellation and asks nothing;
    it had been dropped whole, and the lead never heard of it); not at all once the lead has reported."""
    vp = _with_vp_ubnd_as_partner(session, overdue)
    step(session, clock, vp, Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"))
    step(session, clock, vp, Action.REPORT, Actor.agency("vp-ubnd"), comment="Ý kiến của VP.")
    step(session, clock, overdue, Action.CANCEL, SECRETARIAT, comment="Không còn cần.")
    (copy,) = [r for r in _rows(session, "assignment_cancelled") if r.recipient_role == "lead"]
    assert copy.data["partners_all_in"] is True  # as decided: VP UBND's input was in
    step(session, clock, vp, Action.RETURN, SECRETARIAT, comment="Thiếu số liệu.")
    deliver(engine, now=clock.now(), settings=settings)
    session.expire_all()
    copy = next(r for r in _rows(session, "assignment_cancelled") if r.id == copy.id)
    assert copy.status == NotificationStatus.SENT
    body = " ".join((copy.body_text or "").split())
    assert "không chờ ý kiến của cơ quan này nữa" in body and "còn lại đã gửi đủ ý kiến" not in body
    assert "đã đủ ý kiến" not in (copy.subject or "")
    # the lead's report in before a second cancellation's copy left: the lead that reported hears nothing
    third = assignment_for(session, ITEM, "ubnd-binh-son")
    third.role = "partner"
    session.add(third)
    session.commit()
    lead = assignment_for(session, ITEM, "so-tttt")
    step(session, clock, lead, Action.ACKNOWLEDGE, Actor.agency("so-tttt"))
    step(session, clock, third, Action.CANCEL, SECRETARIAT, comment="Giao nhầm.")
    (later,) = [r for r in _rows(session, "assignment_cancelled") if r.recipient_role == "lead" and r.id != copy.id]
    step(session, clock, lead, Action.REPORT, Actor.agency("so-tttt"), comment="Báo cáo của Sở.")
    deliver(engine, now=clock.now(), settings=settings)
    session.expire_all()
    later = next(r for r in _rows(session, "assignment_cancelled") if r.id == later.id)
    assert later.status == NotificationStatus.SKIPPED and "đã báo cáo" in (later.last_error or "")


def test_a_cancelled_partners_copy_does_not_ask_twice_what_the_last_input_asks(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """Sở Nội vụ's part cancelled while VP UBND's input was still awaited; VP UBND sent it before the copy
    left: "Đã đủ ý kiến phối hợp" asks the lead to compile, and the copy, re-read, had asked it again."""
    vp = _with_vp_ubnd_as_partner(session, overdue)
    step(session, clock, overdue, Action.CANCEL, SECRETARIAT, comment="Không còn cần.")
    step(session, clock, vp, Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"))
    step(session, clock, vp, Action.REPORT, Actor.agency("vp-ubnd"), comment="Ý kiến của VP.")
    assert deliver(engine, now=clock.now(), settings=settings).sent >= 2
    session.expire_all()
    (copy,) = [r for r in _rows(session, "assignment_cancelled") if r.recipient_role == "lead"]
    assert copy.status == NotificationStatus.SENT and "đã gửi đủ ý kiến" not in (copy.body_text or "")
    assert [r.status for r in _rows(session, "partner_input_received")] == [NotificationStatus.SENT]


def test_a_copy_decided_all_in_is_no_second_ask_once_the_input_was_sent_again(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """VP UBND's input in, Sở Nội vụ's part cancelled (the copy: "đã đủ ý kiến"), VP UBND's input sent back
    and sent again before the copy left: the lead got "đã đủ ý kiến" twice, from the copy and from the
    partner's own mail."""
    vp = _with_vp_ubnd_as_partner(session, overdue)
    step(session, clock, vp, Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"))
    step(session, clock, vp, Action.REPORT, Actor.agency("vp-ubnd"), comment="Ý kiến của VP.")
    step(session, clock, overdue, Action.CANCEL, SECRETARIAT, comment="Không còn cần.")
    step(session, clock, vp, Action.RETURN, SECRETARIAT, comment="Thiếu số liệu.")
    step(session, clock, vp, Action.REPORT, Actor.agency("vp-ubnd"), comment="Ý kiến bổ sung.")
    deliver(engine, now=clock.now(), settings=settings)
    session.expire_all()
    (copy,) = [r for r in _rows(session, "assignment_cancelled") if r.recipient_role == "lead"]
    assert copy.status == NotificationStatus.SENT and "đủ ý kiến" not in (copy.subject or "")
    assert [r.status for r in _rows(session, "partner_input_received")] == [NotificationStatus.SENT]


def test_a_day_off_asked_for_is_said_to_the_secretariat_with_the_day_it_would_become(
    session: Session, engine: Engine, clock: FrozenClock, settings: Settings, smtp: SmtpServer, overdue: Assignment
) -> None:
    """A request "đến ngày 10/09/2022" (a Saturday) read as if that day would be the date: only the
    grant said, later, that it became 12/09."""
    step(session, clock, overdue, Action.REQUEST_EXTENSION, AGENCY, comment="Chờ kinh phí.", due=date(2022, 9, 10))
    _, body = _the_one_mail(session, engine, clock, settings, smtp, "extension_request", "secretariat", "to-giup-viec")
    assert "đến ngày 10/09/2022 (ngày nghỉ: Thứ Bảy; nếu đồng ý, hạn là ngày làm việc kế tiếp, 12/09/2022)." in body, (
        body
    )
