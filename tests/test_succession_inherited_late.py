"""A successor is told, in its one mail of the work it inherited, which parts are already late and by
how much, counted as the mail is rendered.

Văn phòng UBND tỉnh renamed on Saturday 01/10/2022: its report of the third quarter, due 20/09/2022
and still open, passed to the new office listed "Tình trạng: Đã giao" with its date, and nothing said
it was 8 working days late (21–23, 26–30/09), as every mail about one part says ("Số ngày làm việc
quá hạn", engine.escalation.facts.lateness). The mail's data holds no such figure per part: each
part overdue at the rendering instant (engine.status.category, the one rule) has it counted then, so
the mail left undelivered until Saturday 08/10 says 13 (03–07/10 added). Work waiting for its
condition, work due before the tracking start and work not yet due say nothing of it."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.escalation.hearing import HEARD_STATUSES
from dondoc.engine.escalation.recheck import WAITING_TRANSFER_VI, skip_reason
from dondoc.engine.models import Agency, Assignment, Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import apply_due_successions, waiting_for_transfer
from dondoc.engine.services.tracking import set_tracking_start
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import MailSpec, build_digests, enqueue
from dondoc.notifications.claims import prepare
from dondoc.notifications.delivery import deliver
from dondoc.notifications.inherited import apply_successions
from tests.factories import assignment_for, load_min_catalog
from tests.support.successions import ON, at, succession_catalog, successions_yaml
from tests.support.web import ITEM, WebEnv
from tests.test_digest_reading import _hold
from tests.test_succession_gives_once import _start
from tests.test_succession_never_given import _mails, _quarter

NEW = "vp-ubnd-moi"


# "trước ngày X" due at the end of X: the digest's row says the text's words and whose reading the date is
KEPT_JUNE = "(văn bản ghi “trước ngày 30/6/2022”; Tổ giúp việc tính cả ngày 30/06/2022)"
KEPT_NOVEMBER = "(văn bản ghi “trước ngày 15/11/2022”; Tổ giúp việc tính cả ngày 15/11/2022)"


def _renamed(session: Session, tmp_path: Path) -> tuple[Notification, Settings]:
    """The rename of 01/10/2022 applied that night; Q1 due before a tracking start of 01/04/2022,
    Q2 marked as waiting for its condition, the others as the catalog gives them."""
    settings = _start(session, tmp_path, successions_yaml("rename", on="2022-10-01"))
    set_tracking_start(session, date(2022, 4, 1))
    parts = {q: _quarter(session, "vp-ubnd", f"2022-{q}") for q in ("Q1", "Q2", "Q3", "Q4")}
    parts["Q2"].waiting_condition_since = datetime(2022, 6, 1, tzinfo=LOCAL_TZ)
    session.commit()
    apply_successions(session, now=at("2022-10-01", 0), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    (told,) = _mails(session, _quarter(session, NEW, "2022-Q3").id or 0, "inherited_work")
    return told, settings


def _part(body: str, label: str) -> str:
    (part,) = [p for p in body.split("\n- Nhiệm vụ: ") if f"- Mốc: {label}\n" in p]
    return part


def _html_part(body: str, label: str) -> str:
    (part,) = [p for p in " ".join(body.split()).split("<table") if f"<td>{label}</td>" in p]
    return part


@pytest.mark.parametrize(("sent_on", "late"), [("2022-10-01", 8), ("2022-10-08", 13)])
def test_a_part_inherited_past_its_date_says_how_late_it_is_when_the_mail_leaves(
    session: Session, engine: Engine, tmp_path: Path, sent_on: str, late: int
) -> None:
    told, settings = _renamed(session, tmp_path)
    assert "working_days_overdue" not in told.data  # never copied from the succession day
    assert deliver(engine, now=at(sent_on), settings=settings).sent == 1
    session.refresh(told)
    assert told.status == NotificationStatus.SENT
    text, html = told.body_text or "", told.body_html or ""
    q3 = _part(text, "Quý III/2022")
    assert f"\n- Tình trạng: Đã giao\n- Số ngày làm việc quá hạn: {late}\n" in q3, q3
    assert f'<th align="left">Quá hạn</th><td>{late} ngày làm việc</td>' in _html_part(html, "Quý III/2022")
    # not yet due (Q4), waiting for its condition (Q2), backlog before the tracking start (Q1): nothing
    for label in ("Quý IV/2022", "Quý II/2022", "Quý I/2022"):
        assert "quá hạn:" not in _part(text, label) and "Quá hạn</th>" not in _html_part(html, label), label
    assert "việc tồn đọng" in _part(text, "Quý I/2022")
    # II.1's approval, due 30/06/2022, is late too; its implementation (15/11/2022) and II.2 (no date) not
    opening = " ".join(text.split("\n- Nhiệm vụ: ")[0].split())
    said = "Trong số các nhiệm vụ dưới đây, có 2 nhiệm vụ đã quá hạn; số ngày làm việc quá hạn ghi ở từng nhiệm vụ."
    assert said in opening and said in " ".join(html.split()), opening
    assert text.count("- Số ngày làm việc quá hạn: ") == 2


def test_work_given_after_its_own_date_says_both_counts(session: Session, tmp_path: Path) -> None:
    """Q3's report given to Văn phòng UBND tỉnh on 26/09, after its date (20/09): the mail says the
    days past the text's date and those since it was given (27–30/09), as a mail about one part does."""
    settings = _start(session, tmp_path, successions_yaml("rename", on="2022-10-01"))
    _quarter(session, "vp-ubnd", "2022-Q3").assigned_at = datetime(2022, 9, 26, 9, tzinfo=LOCAL_TZ)
    session.commit()
    apply_successions(session, now=at("2022-10-01", 0), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    (told,) = _mails(session, _quarter(session, NEW, "2022-Q3").id or 0, "inherited_work")
    q3 = _part(told.body_text or "", "Quý III/2022")
    said = "quá hạn 4 ngày làm việc kể từ ngày giao 26/09/2022 (giao sau thời hạn; 8 ngày làm việc kể từ thời hạn)"
    assert "- Ngày giao: 26/09/2022 (sau thời hạn)\n" in q3 and f"- Quá hạn: {said}\n" in q3, q3
    html = _html_part(told.body_html or "", "Quý III/2022")
    assert f"<td>{said}</td>" in html


def test_a_part_past_its_date_by_less_than_a_working_day_is_said_late(session: Session, tmp_path: Path) -> None:
    """A succession whose date is a Saturday (01/10/2022, as the shipped 01/03/2025 is): Văn phòng UBND
    tỉnh's report of Quý III, its date in force Friday 30/09/2022, passed on that morning past its date.
    The mail listed it "Tình trạng: Đã giao" with no word of lateness and its opening counted only the
    parts late by a whole working day, while the board counts it overdue from 01/10 and the successor's
    overdue notice of Monday 03/10 says it was late from the day received."""
    settings = _start(session, tmp_path, successions_yaml("rename", on="2022-10-01"))
    q3 = _quarter(session, "vp-ubnd", "2022-Q3")
    q3.due_at = datetime(2022, 9, 30, 23, 59, 59, tzinfo=LOCAL_TZ)  # extended from 20/09
    session.commit()
    apply_successions(session, now=at("2022-10-01", 0), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    (told,) = _mails(session, _quarter(session, NEW, "2022-Q3").id or 0, "inherited_work")
    text, page = told.body_text or "", told.body_html or ""
    part = _part(text, "Quý III/2022")
    assert "\n- Số ngày làm việc quá hạn: dưới 1\n" in part, part
    assert '<th align="left">Quá hạn</th><td>dưới 1 ngày làm việc</td>' in _html_part(page, "Quý III/2022")
    late = text.count("\n- Số ngày làm việc quá hạn: ")
    opening = " ".join(text.split("\n- Nhiệm vụ: ")[0].split())
    said = (
        f"Trong số các nhiệm vụ dưới đây, có {late} nhiệm vụ đã quá hạn; "
        + "số ngày làm việc quá hạn ghi ở từng nhiệm vụ."
    )
    assert said in opening and said in " ".join(page.split()), opening


# The leaders read of work a successor received after its date: from whom, on which day, and the days
# since first (the chair read "quá hạn 174 ngày làm việc" of a body created two days before). Văn phòng
# UBND tỉnh renamed on Monday 01/08/2022: II.1's approval (due 30/06) passed to the new office late,
# its implementation (due 15/11) in time. On Tuesday 22/11/2022: 79 working days since 01/08, 101
# since 30/06 (01–02/09 off), 5 since 15/11.
RECEIVED = (
    "quá hạn 79 ngày làm việc kể từ ngày nhận chuyển giao 01/08/2022 "
    "(nhận chuyển giao từ Văn phòng UBND tỉnh; 101 ngày làm việc kể từ thời hạn)"
)
READ_ON = "2022-11-22"


def _renamed_on_the_first_of_august(session: Session, tmp_path: Path, now: datetime) -> tuple[int, int]:
    """The rename applied at midnight on 01/08/2022: the new office's two parts of II.1 (late, in time)."""
    load_min_catalog(session, now, succession_catalog(tmp_path, successions_yaml("rename")))
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    return assignment_for(session, ITEM, NEW).id or 0, assignment_for(session, ITEM, NEW, seq=2).id or 0


def test_the_chairs_digest_says_whom_late_work_was_received_from_and_since_when(
    session: Session, tmp_path: Path
) -> None:
    late, in_time = _renamed_on_the_first_of_august(session, tmp_path, at("2022-03-02"))
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    for a in (late, in_time):
        _hold(session, settings, session.get_one(Assignment, a), "escalation", "chair", at(READ_ON, 7))
    session.commit()
    (digest,) = [d for d in build_digests(session, now=at(READ_ON), settings=settings) if d.recipient_role == "chair"]
    text = digest.body_text or ""
    (row,) = [line for line in text.splitlines() if f"; hạn 30/06/2022 {KEPT_JUNE};" in line]
    assert row.endswith(f"; hạn 30/06/2022 {KEPT_JUNE}; {RECEIVED}; vai trò: thực hiện"), row
    assert RECEIVED in " ".join((digest.body_html or "").split())
    (held,) = [
        line for line in text.splitlines() if f"; hạn 15/11/2022 {KEPT_NOVEMBER};" in line
    ]  # held before its date
    assert held.endswith(f"; hạn 15/11/2022 {KEPT_NOVEMBER}; quá hạn 5 ngày làm việc; vai trò: thực hiện"), held


# The chair's digest opened "… quá hạn từ 7 ngày làm việc trở lên, là ngưỡng phải báo cáo Lãnh đạo …
# Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc." above a row "quá hạn 1 ngày làm việc kể từ ngày tiếp
# nhận 05/03/2025 (tiếp nhận từ Sở Thông tin và Truyền thông; 45 ngày làm việc kể từ thời hạn)": every
# reminder of that part had gone to the body that ended (2025 replay, 206 digests). The opening says
# the figure counts from the date, and which rows' bodies were not reminded since they received them.
NOT_REMINDED = (
    "Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc, trừ 1 phần việc cơ quan nhận chuyển giao sau thời hạn từ cơ "
    "quan đã thôi hoạt động (Tổ giúp việc chưa nhắc cơ quan kể từ ngày nhận chuyển giao; ghi rõ ở từng dòng)."
)
FROM_THE_DATE = (
    "có 2 phần việc (của 1 nhiệm vụ) quá hạn từ 7 ngày làm việc trở lên "
    "(nhiệm vụ trọng tâm: từ 3 ngày làm việc trở lên), tính từ thời hạn, là ngưỡng phải báo cáo Lãnh đạo"
)


def _remind(session: Session, settings: Settings, a: int, body: str, now: datetime) -> None:
    """The overdue reminder of part ``a`` to ``body`` (an agency code), queued at ``now``, as the sweep writes it."""
    part = session.get_one(Assignment, a)
    facts = {"due_at": part.due_at.isoformat() if part.due_at else None, "recipient_agency": body}
    spec = MailSpec(
        f"qua-han:{a}:{body}:{now.date()}", "overdue", "agency", f"{body}@x.example", None, a, "t", False, facts
    )
    assert enqueue(session, spec, now=now, settings=settings) is not None


def _reminded_all(session: Session, settings: Settings, part: int, body: str, when: datetime, day: str) -> Notification:
    """The chair's digest of ``day`` after ``body`` was reminded of ``part`` at ``when``: its opening says
    the secretariat reminded every body, with no exception."""
    _remind(session, settings, part, body, when)
    session.commit()
    (digest,) = [d for d in build_digests(session, now=at(day), settings=settings) if d.recipient_role == "chair"]
    for opening in _opening(digest):
        assert "Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc. " in opening and "trừ" not in opening, opening
    return digest


def _opening(digest: Notification) -> list[str]:
    """The digest's opening sentence block, in its text and its html, white space folded."""
    text = next(line for line in (digest.body_text or "").splitlines() if "Kính báo cáo Lãnh đạo" in line)
    page = " ".join(html.unescape(digest.body_html or "").split())
    return [text, re.sub("<[^>]+>", "", page.split("Kính báo cáo Lãnh đạo", 1)[1].split("</p>", 1)[0])]


def test_the_chairs_digest_does_not_say_a_body_was_reminded_of_work_it_received_after_its_date(
    session: Session, tmp_path: Path
) -> None:
    late, in_time = _renamed_on_the_first_of_august(session, tmp_path, at("2022-03-02"))
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    held = {
        a: _hold(session, settings, session.get_one(Assignment, a), "escalation", "chair", at(READ_ON, 7))
        for a in (late, in_time)
    }
    _remind(session, settings, late, "vp-ubnd", at("2022-07-01", 7))  # the body that ended, before the rename
    session.commit()
    assert not session.exec(select(Notification).where(Notification.kind == "inherited_work")).all()  # none told it
    (digest,) = [d for d in build_digests(session, now=at(READ_ON), settings=settings) if d.recipient_role == "chair"]
    for opening in _opening(digest):
        assert FROM_THE_DATE in opening and NOT_REMINDED in opening, opening
    lines = (digest.body_text or "").splitlines()
    row = next(i for i, line in enumerate(lines) if RECEIVED in line)
    assert lines[row + 1] == "     Tổ giúp việc chưa nhắc cơ quan kể từ ngày nhận chuyển giao.", lines[row : row + 2]
    # said of that row alone (and in the opening), not of the part held before its date
    assert (digest.body_text or "").count("Tổ giúp việc chưa nhắc cơ quan kể từ ngày nhận chuyển giao.") == 1
    page = " ".join(html.unescape(digest.body_html or "").split())
    assert page.count("<br><small>Tổ giúp việc chưa nhắc cơ quan kể từ ngày nhận chuyển giao.</small>") == 1
    # the escalation's own body (the outbox page shows it) says it alike, by the same rule
    said = (
        "Tổ giúp việc chưa nhắc cơ quan kể từ ngày nhận chuyển giao 01/08/2022 "
        "(nhận chuyển giao sau thời hạn từ Văn phòng UBND tỉnh)."
    )
    for body in (held[late].body_text or "", html.unescape(held[late].body_html or "")):
        assert said in body and "đã nhắc cơ quan" not in body, body
    assert "Tổ giúp việc đã nhắc cơ quan theo lịch nhắc việc." in (held[in_time].body_text or "")
    # the new office reminded on 02/08: the next digest says the secretariat reminded every body
    digest = _reminded_all(session, settings, late, NEW, at("2022-08-02", 7), "2022-11-23")
    for opening in _opening(digest):
        assert " trở lên), tính từ thời hạn, là ngưỡng" in opening  # its row still counts from the day received first
    assert "chưa nhắc cơ quan" not in (digest.body_text or "") + (digest.body_html or "")


# The 2025 replay's reviewer: Sở KH&CN had, on 05/03/2025, the mail "Tiếp nhận nhiệm vụ" telling it
# the part was late and by how many working days; "chưa nhắc" was true but misleading. That mail is,
# for work received late, the one notice "overdue at issue" of a plan issued after its date: said so.
TOLD_ON_RECEIPT = (
    "Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc, trừ 1 phần việc cơ quan nhận chuyển giao sau thời hạn từ cơ "
    "quan đã thôi hoạt động (Tổ giúp việc mới báo cơ quan khi chuyển giao, chưa nhắc lại; ghi rõ ở từng dòng)."
)


def _told_on_receipt(session: Session, settings: Settings, how: str) -> tuple[int, int, str, str]:
    """A part received after its date with the mail telling its new holder of it: the rename of
    01/08/2022 (its successor's "inherited_work", notifications.inherited), or the secretariat naming
    Sở KH&CN on 03/08/2022 for the parts of a district dissolved on 01/08 (its decision's mails). The
    part received late, the one received before its date, the day received, the body received from."""
    if how == "succession":
        load_min_catalog(
            session, at("2022-03-02"), succession_catalog(settings.maildrop_dir, successions_yaml("rename"))
        )
        apply_successions(session, now=at(ON, 0), local=DEFAULT_DAYS, settings=settings)
        session.commit()
        late, in_time = assignment_for(session, ITEM, NEW), assignment_for(session, ITEM, NEW, seq=2)
        return late.id or 0, in_time.id or 0, "01/08/2022", "Văn phòng UBND tỉnh"
    load_min_catalog(session, at("2022-03-02"), succession_catalog(settings.maildrop_dir, successions_yaml("dissolve")))
    parts = [assignment_for(session, ITEM, DISSOLVED).id or 0, assignment_for(session, ITEM, DISSOLVED, seq=2).id or 0]
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    for part in parts:  # due 30/06/2022, 15/11/2022
        act(session, part, Request(Action.REASSIGN, SECRETARIAT, agency=CHOSEN), now=at("2022-08-03", 9))
    session.commit()
    return parts[0], parts[1], "03/08/2022", "UBND huyện Bình Sơn"


@pytest.mark.parametrize("how", ["succession", "decision"])
def test_the_chairs_digest_says_a_body_was_told_on_receipt_of_work_received_after_its_date(
    session: Session, tmp_path: Path, how: str
) -> None:
    """The mail telling the body of the work it received (a succession's, the secretariat's decision's)
    is said, with its day, in place of "chưa nhắc"; a failed one told nobody; a reminder since, nothing."""
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    late, in_time, day, whence = _told_on_receipt(session, settings, how)
    (receipt,) = [
        n
        for n in session.exec(select(Notification)).all()
        if n.kind == "inherited_work" and late in [n.assignment_id, *n.data.get("assignment_ids", [])]
    ]
    assert receipt.status in HEARD_STATUSES, receipt
    held = {
        a: _hold(session, settings, session.get_one(Assignment, a), "escalation", "chair", at(READ_ON, 7))
        for a in (late, in_time)
    }
    session.commit()
    (digest,) = [d for d in build_digests(session, now=at(READ_ON), settings=settings) if d.recipient_role == "chair"]
    for opening in _opening(digest):
        assert TOLD_ON_RECEIPT in opening and "chưa nhắc kể từ" not in opening, opening
    row = f"Tổ giúp việc mới báo cơ quan khi chuyển giao (ngày {day}), chưa nhắc lại."
    text, page = digest.body_text or "", " ".join(html.unescape(digest.body_html or "").split())
    assert text.count(f"\n     {row}\n") == 1 and "chưa nhắc cơ quan" not in text, text
    assert page.count(f"<br><small>{row}</small>") == 1, page
    said = (
        f"Tổ giúp việc mới báo cơ quan khi chuyển giao (ngày {day}; nhận chuyển giao sau thời hạn từ {whence}), "
        "chưa nhắc lại."
    )
    for body in (held[late].body_text or "", html.unescape(held[late].body_html or "")):
        assert said in body and "nhắc cơ quan theo lịch nhắc việc" not in body and "chưa nhắc cơ quan" not in body, body
    # received before its date
    assert "Tổ giúp việc đã nhắc cơ quan theo lịch nhắc việc." in (held[in_time].body_text or "")
    # a receipt mail that failed told nobody: today's words
    receipt.status = NotificationStatus.FAILED
    session.commit()
    (digest,) = [
        d for d in build_digests(session, now=at("2022-11-23"), settings=settings) if d.recipient_role == "chair"
    ]
    assert "     Tổ giúp việc chưa nhắc cơ quan kể từ ngày nhận chuyển giao.\n" in (digest.body_text or "")
    assert "mới báo cơ quan khi chuyển giao" not in (digest.body_text or "")
    # reminded since: nothing special said
    receipt.status = NotificationStatus.SENT
    holder = session.exec(select(Agency.code).where(Agency.id == session.get_one(Assignment, late).agency_id)).one()
    digest = _reminded_all(session, settings, late, holder, at("2022-08-10", 7), "2022-11-24")
    assert "khi chuyển giao" not in (digest.body_text or "") + (digest.body_html or "")


def test_the_leaders_page_says_whom_late_work_was_received_from_and_since_when(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        late, in_time = _renamed_on_the_first_of_august(session, tmp_path, web.clock.now())
    web.clock.set(at(READ_ON, 9))
    page = html.unescape(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
    row = page.split(f'data-id="{late}"', 1)[1].split("</tr>", 1)[0]
    assert f">Q{RECEIVED[1:]}</span>" in row, row  # the body's name as written, not lowered
    other = page.split(f'data-id="{in_time}"', 1)[1].split("</tr>", 1)[0]
    assert "Quá hạn 5 ngày làm việc</span>" in other and "chuyển giao" not in other, other


# UBND huyện Bình Sơn dissolved on Monday 01/08/2022 (no successor named by the catalog): its part of
# II.1, due 30/06/2022, waits in "Cần phân công lại". The 2025 replay told the leaders every day from
# 01/07 that the UBND huyện bodies ended on 30/06 "chưa hoàn thành … quá hạn 10 ngày", the count
# growing after the body had ended: nobody holds the work, it is the secretariat's to decide.
DISSOLVED = "ubnd-binh-son"
CHOSEN = "so-khcn"


def _digests(session: Session, settings: Settings, day: str) -> dict[str, Notification]:
    """The digests of ``day``, by recipient role."""
    built = {d.recipient_role: d for d in build_digests(session, now=at(day), settings=settings)}
    session.commit()
    return built


def _chairs_rows(digests: dict[str, Notification]) -> dict[int, str]:
    """assignment id -> its line, as the chair's digest lists them (none: no digest)."""
    digest = digests.get("chair")
    if digest is None:
        return {}
    lines = (digest.body_text or "").splitlines()
    rows = [r["assignment_id"] for g in digest.data["groups"] for r in g["rows"]]
    return {a: next(line for line in lines if f"; hạn 30/06/2022 {KEPT_JUNE};" in line) for a in rows}


def test_the_leaders_are_not_told_of_work_waiting_for_the_secretariat_until_a_body_is_named(
    session: Session, tmp_path: Path
) -> None:
    load_min_catalog(session, at("2022-03-02"), succession_catalog(tmp_path, successions_yaml("dissolve")))
    part = assignment_for(session, ITEM, DISSOLVED)
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    # 18 working days late on 26/07, while the body still was: the chair's rung, held for the digest
    _hold(session, settings, part, "escalation", "chair", at("2022-07-26", 7))
    session.commit()
    assert part.id in _chairs_rows(_digests(session, settings, "2022-07-29"))
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    assert waiting_for_transfer(session, part.id or 0)
    # waiting for the secretariat: no body to be late, nothing for the leaders
    assert part.id not in _chairs_rows(_digests(session, settings, ON))
    digests = _digests(session, settings, "2022-08-02")
    assert part.id not in _chairs_rows(digests)
    # the secretariat's digest lists it in "Cần phân công lại"
    secretariat = digests["secretariat"]
    assert part.id and secretariat.data["counts"]["reassign"] >= 1
    assert any(r["agency_name"] == "UBND huyện Bình Sơn" for r in secretariat.data["reassignments"])
    # the secretariat names Sở KH&CN on 03/08: its work now, late since it received it
    act(session, part.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency=CHOSEN), now=at("2022-08-03", 9))
    session.commit()
    row = _chairs_rows(_digests(session, settings, "2022-08-04"))[part.id or 0]
    received = (
        "quá hạn 1 ngày làm việc kể từ ngày nhận chuyển giao 03/08/2022 (nhận chuyển giao từ UBND huyện Bình Sơn;"
    )
    assert received in row, row


def test_the_delivery_rechecks_a_waiting_part_as_the_digest_does(session: Session, tmp_path: Path) -> None:
    """The three readers of the pre-send re-check (recheck.skip_reason, the delivery's one query:
    notifications.claims.prepare, and the digests) read the same facts (recheck.FACTS): an
    escalation of a part waiting in "Cần phân công lại", were one ever sent on its own, is skipped
    by the delivery for the reason the digest leaves it out."""
    load_min_catalog(session, at("2022-03-02"), succession_catalog(tmp_path, successions_yaml("dissolve")))
    part = assignment_for(session, ITEM, DISSOLVED)
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    row = _hold(session, settings, part, "escalation", "chair", at("2022-07-26", 7))
    row.status, row.claimed_by = NotificationStatus.PENDING.value, "worker-1"
    session.commit()
    engine, now = session.get_bind(), at("2022-08-02", 8)
    assert isinstance(engine, Engine)
    before = prepare(engine, row.id or 0, worker_id="worker-1", now=now, settings=settings)
    assert before is not None and before.skip is None  # the body still holds it: still true
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    assert waiting_for_transfer(session, part.id or 0)
    prepared = prepare(engine, row.id or 0, worker_id="worker-1", now=now, settings=settings)
    assert prepared is not None and prepared.skip == f"{WAITING_TRANSFER_VI}: không báo cáo Lãnh đạo Ban Chỉ đạo."
    assert skip_reason(session, row, now) == prepared.skip


def test_the_secretariat_is_told_once_that_late_work_of_an_ended_body_is_in_both_its_lists(
    session: Session, tmp_path: Path
) -> None:
    """The 2025 replay's secretariat digest listed 4 parts both among the overdue work chased and under
    "Phần việc chờ phân công lại", counted in both figures, with nothing said: the overdue list now
    says how many of its rows wait there too, once."""
    load_min_catalog(session, at("2022-03-02"), succession_catalog(tmp_path, successions_yaml("dissolve")))
    part = assignment_for(session, ITEM, DISSOLVED)
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    _hold(session, settings, part, "overdue", "secretariat", at("2022-07-26", 7))
    session.commit()
    said = "cũng ở mục «Phần việc chờ phân công lại» dưới đây"
    before = _digests(session, settings, "2022-07-29")["secretariat"]
    assert said not in (before.body_text or "")  # the body still holds it
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    digest = _digests(session, settings, "2022-08-02")["secretariat"]
    (overdue,) = [s for s in digest.data["sections"] if s["kind"] == "overdue"]
    assert [r["assignment_id"] for r in overdue["rows"]] == [part.id]
    assert any(r["agency_name"] == "UBND huyện Bình Sơn" for r in digest.data["reassignments"])
    for body in (" ".join((digest.body_text or "").split()), " ".join(html.unescape(digest.body_html or "").split())):
        every = "mỗi phần việc được tính trong số của mọi danh sách có nó"
        both = f"(1; trong đó 1 phần việc của cơ quan đã thôi hoạt động {said}; {every}"
        assert f"{both}; 4 phần việc quá hạn khác chưa có" in body, body
        assert body.count(said) == 1


def test_a_mail_about_one_part_received_late_says_whom_from_and_since_when(session: Session, tmp_path: Path) -> None:
    """The facts every mail about one part carries (notifications/templates/_facts.*): the new office's
    overdue reminder of 22/11/2022 says the days since it received II.1's approval first, whom from,
    and the days since the text's date, as the chair's digest and page say it."""
    late, in_time = _renamed_on_the_first_of_august(session, tmp_path, at("2022-03-02"))
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    mails = {}
    for a, days in ((late, 101), (in_time, 5)):
        part = session.get_one(Assignment, a)
        facts = {"due_at": part.due_at.isoformat() if part.due_at else None, "working_days_overdue": days}
        spec = MailSpec(f"overdue:agency:{a}", "overdue", "agency", "vp@dondoc.example", None, a, "t", False, facts)
        mails[a] = enqueue(session, spec, now=at(READ_ON, 7), settings=settings)
    session.commit()
    text, page = mails[late].body_text or "", " ".join(html.unescape(mails[late].body_html or "").split())
    assert f"\n- Quá hạn: {RECEIVED}\n" in text, text
    assert f"<td>{RECEIVED}</td>" in page, page
    # given to the new office before its date: its lateness is its own, nothing said of receiving it
    other = mails[in_time].body_text or ""
    assert "\n- Số ngày làm việc quá hạn: 5\n" in other and "nhận chuyển giao từ" not in other
    # the subject says the body's own lateness, as the facts say it first: not the 101 days of its predecessor
    received = "[Đôn đốc] Quá hạn 79 ngày làm việc kể từ ngày nhận chuyển giao"
    assert mails[late].subject == f"{received}: {ITEM} (mốc: Phê duyệt cấp độ) — VP mới"
    # (its part is II.1's second milestone: the subject names it, as the first's names its own)
    assert mails[in_time].subject == f"[Đôn đốc] Quá hạn 5 ngày làm việc: {ITEM} (mốc: Triển khai phương án) — VP mới"


def test_the_secretariat_is_told_which_unacknowledged_work_of_an_ended_body_waits_for_it(
    session: Session, tmp_path: Path
) -> None:
    """The 2025 replay's "chưa được tiếp nhận: 92" held 34 parts of districts ended on 30/06, all
    waiting in "Cần phân công lại": one listed as chased with nothing said, 33 told as "giao từ trước
    khi hệ thống bắt đầu đôn đốc". Its list now says how many of its rows wait there too, once, and
    its rest says those apart first: nobody is chased for them until the secretariat decides."""
    load_min_catalog(session, at("2022-03-02"), succession_catalog(tmp_path, successions_yaml("dissolve")))
    chased, other = assignment_for(session, ITEM, DISSOLVED, seq=2), assignment_for(session, ITEM, DISSOLVED)
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    _hold(session, settings, chased, "unacknowledged", "secretariat", at("2022-07-26", 7))
    other.snoozed_until = at("2022-09-01")  # its waiting is said first, whatever else is true of it
    session.commit()
    said = "cũng ở mục «Phần việc chờ phân công lại» dưới đây"
    rest = "1 phần việc khác của cơ quan đã thôi hoạt động, chờ phân công lại (mục dưới)"
    before = _digests(session, settings, "2022-07-29")["secretariat"]
    assert said not in (before.body_text or "") and rest not in (before.body_text or "")  # the body still holds them
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    assert waiting_for_transfer(session, chased.id or 0) and waiting_for_transfer(session, other.id or 0)
    digest = _digests(session, settings, "2022-08-02")["secretariat"]
    (section,) = [s for s in digest.data["sections"] if s["kind"] == "unacknowledged"]
    assert [r["assignment_id"] for r in section["rows"]] == [chased.id]
    assert section["also_reassign"] == 1 and section["rest"]["reassign"] == 1
    assert digest.data["counts"]["reassign"] == 2  # both counted there too
    for body in (" ".join((digest.body_text or "").split()), " ".join(html.unescape(digest.body_html or "").split())):
        title = "Phần việc đã giao, chưa được tiếp nhận — đã đôn đốc"
        assert (
            f"{title} (1; trong đó 1 phần việc của cơ quan đã thôi hoạt động {said}; mỗi phần việc được tính trong "
            f"số của mọi danh sách có nó; {rest}" in body
        ), body
        assert body.count(rest) == 1


def test_a_row_decided_before_its_part_passed_on_says_so(session: Session, tmp_path: Path) -> None:
    """06/03/2025: Sở KH&CN, named by the secretariat on 05/03, was listed under "chưa được tiếp nhận —
    đã đôn đốc" for a rung of October 2024 that had chased Sở TT&TT. The row now says that the
    secretariat was told of it while the part was with the body before, and whom it was received from
    when; a row decided after the part passed says nothing of it."""
    load_min_catalog(session, at("2022-03-02"), succession_catalog(tmp_path, successions_yaml("dissolve")))
    part = assignment_for(session, ITEM, DISSOLVED, seq=2)
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    _hold(session, settings, part, "unacknowledged", "secretariat", at("2022-07-26", 7))
    session.commit()
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    act(session, part.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency=CHOSEN), now=at("2022-08-03", 9))
    session.commit()
    digest = _digests(session, settings, "2022-08-04")["secretariat"]
    (section,) = [s for s in digest.data["sections"] if s["kind"] == "unacknowledged"]
    (row,) = section["rows"]
    assert row["agency_name"] == "Sở Khoa học và Công nghệ"
    assert row["passed_after"] == {"told": "26/07/2022", "from": "UBND huyện Bình Sơn", "on": "03/08/2022"}
    said = (
        "Tổ giúp việc được báo ngày 26/07/2022, khi phần việc còn ở cơ quan trước; "
        "nhận chuyển giao từ UBND huyện Bình Sơn ngày 03/08/2022"
    )
    text = " ".join((digest.body_text or "").split())
    assert f"; Sở Khoa học và Công nghệ ({said}); hạn 15/11/2022" in text, text
    assert f"Sở Khoa học và Công nghệ<br><small>{said}</small>" in html.unescape(digest.body_html or "")
    # decided after it passed (its holder's own rung): nothing said
    session.delete(session.get_one(Notification, row["notification_id"]))
    _hold(session, settings, part, "unacknowledged", "secretariat", at("2022-08-04", 7))
    session.commit()
    later = _digests(session, settings, "2022-08-05")["secretariat"]
    (section,) = [s for s in later.data["sections"] if s["kind"] == "unacknowledged"]
    (row,) = section["rows"]
    assert row["passed_after"] is None and "khi phần việc còn ở cơ quan trước" not in (later.body_text or "")


def test_the_leaders_digest_says_how_many_parts_it_leaves_out_as_waiting_for_a_body(
    session: Session, tmp_path: Path
) -> None:
    """The 2025 replay's chair read 4 parts on 28/02 and 3 on 03/03 with nothing said: the fourth's body
    had ended and it waited in "Cần phân công lại". The digest says how many it leaves out, in the words
    of the leaders' page (counted.waiting_words), and nothing once none is left out."""
    load_min_catalog(session, at("2022-03-02"), succession_catalog(tmp_path, successions_yaml("dissolve")))
    part, other = assignment_for(session, ITEM, DISSOLVED), assignment_for(session, ITEM, "so-noi-vu")
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    for a in (part, other):
        _hold(session, settings, a, "escalation", "chair", at("2022-07-26", 7))
    session.commit()
    said = "Không nêu 1 phần việc quá hạn của cơ quan đã không còn, đang chờ Tổ giúp việc phân công lại"
    before = _digests(session, settings, "2022-07-29")["chair"]
    assert said not in (before.body_text or "")
    apply_due_successions(session, now=at(ON, 0))
    session.commit()
    digest = _digests(session, settings, "2022-08-02")["chair"]
    assert set(_chairs_rows({"chair": digest})) == {other.id}
    for body in (" ".join((digest.body_text or "").split()), " ".join(html.unescape(digest.body_html or "").split())):
        assert body.count(f"{said} (mục «Cần phân công lại»).") == 1, body


def test_a_subject_says_the_bodys_own_lateness() -> None:
    """engine.status.lateness_in_subject, the overdue and escalation subjects' figure: a successor
    told on the day it received the part (Sở Tài chính, 16/01/2023, 117/KH-UBND:II.6.4 due 03/01:
    9 working days since the date) is late from that very day, not by its predecessor's 9 days."""
    from dondoc.engine.status import lateness_in_subject

    assert lateness_in_subject(9, 0, received=True) == "quá hạn ngay từ ngày nhận chuyển giao"
    assert lateness_in_subject(9, 2, received=True) == "quá hạn 2 ngày làm việc kể từ ngày nhận chuyển giao"
    assert lateness_in_subject(26, 7, given=True) == "quá hạn 7 ngày làm việc kể từ ngày giao"
    assert lateness_in_subject(26, 7, given=True, plan_after_due=True).endswith("kể từ ngày ban hành kế hoạch")
    assert lateness_in_subject(1234) == "quá hạn 1.234 ngày làm việc"
    assert lateness_in_subject(0) == ""  # past its date by less than a working day: no figure
