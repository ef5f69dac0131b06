"""The three kinds of users through their pages: agency, secretariat, leaders."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, Event, Milestone, Notification
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.web import DONE, ITEM, PDF, WAITING, WebEnv, agency_act, shown_count


def board_act(web: WebEnv, assignment: int, data: dict[str, str]) -> int:
    page = f"/board/assignments/{assignment}"
    return web.client.post(f"{page}/act", data={**web.form(page), **data}).status_code


def _version(web: WebEnv, assignment: int) -> int:
    """The assignment's version now (a post made by hand, for work no page offers the form of)."""
    with Session(web.engine) as session:
        return session.get_one(Assignment, assignment).version


def tile(html: str, category: str) -> int:
    marker = f'data-category="{category}">'
    return shown_count(html.split(marker, 1)[1].split("<", 1)[0])


def test_agency_reports_and_secretariat_verifies(web: WebEnv) -> None:
    web.login()
    before = web.client.get("/board").text
    token = web.link("agency:so-noi-vu")
    target = web.assignment(ITEM, "so-noi-vu")
    home = web.client.get(f"/a/{token}")
    assert home.status_code == 200 and "Nhiệm vụ của Sở Nội vụ" in home.text and "Thực hiện" in home.text
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    assert agency_act(web, token, target, {"action": "progress", "percent": "40", "comment": "Đang rà soát"}) == 303
    files = [("files", ("Báo cáo kết quả.pdf", PDF, "application/pdf"))]
    # a file and no words: refused, and nothing is left on disk (the file was removed, its folder left)
    assert agency_act(web, token, target, {"action": "report", "comment": " \u200b "}, files) == 422
    assert not web.attachments.exists() or not any(web.attachments.iterdir())
    assert agency_act(web, token, target, {"action": "report", "comment": "Đã phê duyệt cấp độ"}, files) == 303
    page = web.client.get(f"/a/{token}/assignments/{target}")
    assert "Đã báo cáo" in page.text and "Báo cáo kết quả.pdf" in page.text
    files = page.text.split('<ul class="files">', 1)[1].split("</ul>", 1)[0]
    assert ", Sở Nội vụ, " in files and "so-noi-vu" not in files  # who sent it, by name

    listed = web.client.get("/board/assignments?status=reported")
    assert f"/board/assignments/{target}" in listed.text
    detail = web.client.get(f"/board/assignments/{target}")
    assert "Đã phê duyệt cấp độ" in detail.text and "Xác nhận hoàn thành" in detail.text
    attachment_id = int(detail.text.split("/board/attachments/", 1)[1].split('"', 1)[0])
    download = web.client.get(f"/board/attachments/{attachment_id}")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-disposition"].startswith("attachment;")
    assert board_act(web, target, {"action": "verify"}) == 303
    after = web.client.get("/board").text
    assert tile(after, "hoan_thanh_dung_han") == tile(before, "hoan_thanh_dung_han") + 1
    assert tile(after, "dang_thuc_hien_trong_han") == tile(before, "dang_thuc_hien_trong_han") - 1
    history = web.client.get(f"/board/assignments/{target}").text
    for label in ("Tiếp nhận", "Cập nhật tiến độ", "Báo cáo kết quả", "Xác nhận hoàn thành"):
        assert label in history


def test_a_lead_reads_the_file_its_partner_sent_and_no_other_body_does(web: WebEnv) -> None:
    """A partner's input sent as a file reached no one: the lead's page listed no file and its
    download was refused as "tệp thuộc phần việc của cơ quan khác"."""
    partner = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == partner).values(role="partner"))
        session.commit()
    token = web.link("agency:so-noi-vu")
    files = [("files", ("Ý kiến Sở Nội vụ.pdf", PDF, "application/pdf"))]
    assert agency_act(web, token, partner, {"action": "acknowledge"}) == 303
    own = html.unescape(web.client.get(f"/a/{token}/assignments/{partner}").text)
    assert "Gửi kết quả phối hợp cho cơ quan chủ trì (Sở Thông tin và Truyền thông)" in own  # named where it goes
    assert agency_act(web, token, partner, {"action": "report", "comment": "Ý kiến phối hợp"}, files) == 303
    told = html.unescape(web.client.get(f"/a/{token}/assignments/{partner}?done=report").text)
    assert "Đã ghi nhận: đã gửi kết quả phối hợp cho cơ quan chủ trì (Sở Thông tin và Truyền thông)" in told
    lead_token, lead = web.link("agency:so-tttt"), web.assignment(ITEM, "so-tttt")
    page = web.client.get(f"/a/{lead_token}/assignments/{lead}").text
    row = page.split('id="partners"', 1)[1].split("</table>", 1)[0]
    link = re.search(rf'href="(/a/{re.escape(lead_token)}/attachments/\d+)">Ý kiến Sở Nội vụ.pdf</a>', row)
    assert link, row
    download = web.client.get(link.group(1))
    assert download.status_code == 200 and download.content == PDF
    other = web.link("agency:ubnd-binh-son")  # not its lead: refused, as before
    path = link.group(1).replace(lead_token, other)
    assert web.client.get(path).status_code == 403


def _returned(web: WebEnv, *before_report: dict[str, str]) -> tuple[str, int]:
    """VP UBND's part acknowledged, given ``before_report``'s steps, reported, and its report returned by
    the secretariat ("Thiếu quyết định phê duyệt"), logged in: its link's token and the part."""
    token = web.link("agency:vp-ubnd")
    target = web.assignment(ITEM, "vp-ubnd")
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    for step in before_report:
        assert agency_act(web, token, target, step) == 303
    assert agency_act(web, token, target, {"action": "report", "comment": "xong"}) == 303
    web.login()
    assert board_act(web, target, {"action": "return", "comment": "Thiếu quyết định phê duyệt"}) == 303
    return token, target


def test_secretariat_returns_extends_sets_due_snoozes_and_cancels(web: WebEnv) -> None:
    token, target = _returned(web)
    assert (
        agency_act(web, token, target, {"action": "request_extension", "due": "2022-07-31", "comment": "Chờ thẩm định"})
        == 303
    )
    assert board_act(web, target, {"action": "extend", "due": "2022-07-29"}) == 303
    assert board_act(web, target, {"action": "snooze", "due": "2022-04-01"}) == 303
    detail = web.client.get(f"/board/assignments/{target}").text
    assert (
        "Thiếu quyết định phê duyệt" in detail
        and '29/07/2022 <span class="muted extended">(đã gia hạn; thời hạn ban đầu:' in detail
    )
    assert "tạm dừng nhắc đến 01/04/2022" in detail
    waiting = web.assignment(WAITING, "vp-ubnd")
    assert "Đặt thời hạn" in web.client.get(f"/board/assignments/{waiting}").text
    assert board_act(web, waiting, {"action": "extend", "due": "2022-12-30"}) == 303
    assert "30/12/2022" in web.client.get(f"/board/assignments/{waiting}").text
    # the notice after an extension says the date written, and why it is not the day asked (a Saturday)
    assert board_act(web, waiting, {"action": "extend", "due": "2023-01-07"}) == 303
    notice = web.client.get(f"/board/assignments/{waiting}?done=extend").text.split('class="flash ok">', 1)[1]
    assert notice.startswith(
        "Đã ghi nhận: Gia hạn; thời hạn nay là 09/01/2023 (ngày 07/01/2023 là ngày nghỉ (Thứ Bảy): hạn chuyển sang ngày"
    ), notice[:200]
    assert board_act(web, waiting, {"action": "cancel", "comment": "Trung ương chưa hướng dẫn"}) == 303
    assert "Đã hủy" in web.client.get(f"/board/assignments/{waiting}").text


def test_a_condition_its_deadline_phrase_says_is_said_once(web: WebEnv) -> None:
    """The page showed "Theo lộ trình, hướng dẫn của các cơ quan Trung ương" as the deadline's words
    and again as "Điều kiện kèm theo"."""
    web.login()
    page = html.unescape(web.client.get(f"/board/assignments/{web.assignment(WAITING, 'vp-ubnd')}").text)
    due = page.split("<dt>Thời hạn</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Theo lộ trình, hướng dẫn của các cơ quan Trung ương" in due
    assert "Điều kiện kèm theo" not in page


def test_a_date_the_day_off_rule_moved_says_why_on_the_page(web: WebEnv) -> None:
    """The page read "03/01/2023 “Trong năm 2022”" and left the reader to guess why (the mails said it);
    so did the overdue lists of the board and the leaders' page, under "the years before", and the list."""
    row = web.assignment(ITEM, "so-noi-vu")
    end = datetime(2023, 1, 3, 23, 59, 59, tzinfo=LOCAL_TZ)
    with Session(web.engine) as session:
        milestone = session.exec(select(Assignment.milestone_id).where(Assignment.id == row)).one()
        session.execute(update(Milestone).where(col(Milestone.id) == milestone).values(due_date=date(2022, 12, 31)))
        session.execute(update(Assignment).where(col(Assignment.id) == row).values(due_at=end, original_due_at=None))
        session.commit()
    web.login()
    said = "ngày 31/12/2022 là ngày nghỉ (Thứ Bảy): hạn chuyển sang ngày làm việc kế tiếp"
    assert said in html.unescape(web.client.get(f"/board/assignments/{row}").text)
    web.clock.set(datetime(2023, 2, 1, 9, 0, tzinfo=LOCAL_TZ))  # overdue: on both overdue lists
    board = html.unescape(web.client.get("/board?qua-han=tat-ca").text).split('id="overdue"', 1)[1]
    assert board.count(said) == 1
    leaders = html.unescape(web.client.get(f"/leaders/{web.link('leader:chair')}?qua-han=tat-ca").text)
    assert leaders.split('id="overdue"', 1)[1].count(said) == 1
    listed = html.unescape(web.client.get("/board/assignments?agency=so-noi-vu").text)
    assert listed.count(said) == 1
    sheet = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))["Quá hạn"]
    notes = [row[9].value for row in sheet.iter_rows(min_row=2) if row[5].value == "Sở Nội vụ"]
    assert notes.count(said + " (Bộ luật Dân sự 2015, Điều 148)") == 1  # the workbook says it too
    with Session(web.engine) as session:  # the text's day is a working day: nothing to say
        session.execute(update(Milestone).where(col(Milestone.id) == milestone).values(due_date=date(2023, 1, 3)))
        session.commit()
    assert "là ngày nghỉ" not in web.client.get(f"/board/assignments/{row}").text


def test_errors_are_vietnamese_pages_not_500(web: WebEnv) -> None:
    web.login()
    missing = web.client.get("/board/assignments/999999")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.text
    target = web.assignment(ITEM, "so-noi-vu")
    page = f"/board/assignments/{target}"
    wrong_state = web.client.post(f"{page}/act", data={**web.form(page), "action": "verify"})
    assert wrong_state.status_code == 409 and "Thao tác không phù hợp" in wrong_state.text
    stale = web.client.post(
        f"{page}/act", data={**web.form(page), "action": "snooze", "due": "2022-04-01", "version": "0"}
    )
    # version 0: no page showed it (a part begins at 1), so nobody changed it since
    assert stale.status_code == 409 and "Phiên bản gửi lên không khớp" in stale.text and "người khác" not in stale.text
    bad = web.client.post(f"{page}/act", data={**web.form(page), "action": "return"})
    assert bad.status_code == 409  # still assigned: return is not allowed from here
    no_reason = web.client.post(f"{page}/act", data={**web.form(page), "action": "cancel"})
    assert no_reason.status_code == 422 and "Dữ liệu không hợp lệ" in no_reason.text


def test_leader_asks_for_an_explanation_and_the_agency_answers(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ))  # II.1 milestone 1 is now overdue
    target = web.assignment(ITEM, "ubnd-ly-son")
    chair = web.link("leader:chair")
    board = web.client.get(f"/leaders/{chair}")
    assert board.status_code == 200 and "Yêu cầu giải trình" in board.text and "UBND huyện Lý Sơn" in board.text
    assert "Đã gửi yêu cầu" not in web.client.get(f"/leaders/{chair}?done=request_explanation&id={target}").text
    asked = web.client.post(
        f"/leaders/{chair}/assignments/{target}/explanation",
        data={**web.form(f"/leaders/{chair}", target), "comment": "Vì sao chậm?"},
    )
    assert asked.status_code == 303
    said = web.client.get(asked.headers["location"]).text
    assert f'Đã gửi yêu cầu giải trình: {ITEM} <span class="muted">(Phê duyệt cấp độ)</span> (UBND Lý Sơn).' in said
    # the id in Arabic-Indic digits ("٣" is a digit to str.isdigit) is no id: no notice, as for any malformed one
    other_digits = str(target).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    elsewhere = web.client.get(f"/leaders/{chair}?done=request_explanation&id={other_digits}")
    assert elsewhere.status_code == 200 and "Đã gửi yêu cầu" not in elsewhere.text
    not_late = web.assignment(ITEM, "ubnd-ly-son", seq=2)
    refused = web.client.post(
        f"/leaders/{chair}/assignments/{not_late}/explanation",
        data={"csrf": web.csrf(f"/leaders/{chair}"), "version": str(_version(web, not_late)), "comment": "?"},
    )
    assert refused.status_code == 409 and "quá hạn" in refused.text  # the engine's condition, not a page's check
    token = web.link("agency:ubnd-ly-son")
    assert "Cần giải trình" in web.client.get(f"/a/{token}").text
    assert "Vì sao chậm?" in web.client.get(f"/a/{token}/assignments/{target}").text
    assert agency_act(web, token, target, {"action": "explain", "comment": "Thiếu nhân lực"}) == 303
    with Session(web.engine) as session:
        history = select(Event).where(Event.assignment_id == target).order_by(col(Event.id))
        actions = [e.action for e in session.exec(history)]
    assert actions[-2:] == ["request_explanation", "explain"]
    assert "Cần giải trình" not in web.client.get(f"/a/{token}").text
    # the exchange names who asked and who answered as people know them, not by their codes
    exchange = web.client.get(f"/a/{token}/assignments/{target}").text.split('id="requests"', 1)[1].split("</table>")[0]
    assert '<td data-label="Người yêu cầu">Trưởng Ban Chỉ đạo</td>' in exchange and "(UBND huyện Lý Sơn, " in exchange
    assert "ubnd-ly-son" not in exchange and "chair" not in exchange


def test_lead_sees_partners_inputs(web: WebEnv) -> None:
    token = web.link("agency:so-tttt")
    lead = web.assignment(DONE, "so-tttt")
    page = web.client.get(f"/a/{token}/assignments/{lead}")
    assert page.status_code == 200 and "Các cơ quan phối hợp" in page.text and "Sở Nội vụ" in page.text


def test_lead_sees_the_implementers_and_who_is_late(web: WebEnv) -> None:
    """The lead is told when an implementer is late (the ladder's "qua-han" rung): its page of the
    item lists the implementers, each with its state, the late ones marked with their working days."""
    web.clock.set(datetime(2022, 7, 15, 9, 0, tzinfo=LOCAL_TZ))  # the first milestone, due 30/06, is late
    token, lead = web.link("agency:so-tttt"), web.assignment(ITEM, "so-tttt")
    page = web.client.get(f"/a/{token}/assignments/{lead}")
    assert page.status_code == 200 and "Các cơ quan thực hiện" in page.text
    table = page.text.split('id="implementers"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr")[2:]  # after the header
    assert sorted(r.split('<td data-label="Cơ quan">', 1)[1].split("<", 1)[0] for r in rows) == [
        "Sở Nội vụ",
        "UBND huyện Bình Sơn",
        "UBND huyện Lý Sơn",
        "Văn phòng UBND tỉnh",
    ]
    assert all("Quá hạn 11 ngày làm việc" in r and "overdue" in r.split(">", 1)[0] for r in rows)


def test_exports_and_calendar(web: WebEnv) -> None:
    web.login()
    exported = web.client.get("/board/export.csv")
    assert exported.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã cơ quan", "Cơ quan"] and rows[-1][1] == "Tổng cộng"
    assert {r[0] for r in rows[1:-1]} == {"so-tttt", "so-noi-vu", "vp-ubnd", "ubnd-binh-son", "ubnd-ly-son"}
    book = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))
    assert book.sheetnames == ["Theo cơ quan", "Quá hạn"] and book["Theo cơ quan"]["B1"].value == "Cơ quan"
    # the rate's counts are parts (a body × a deadline), as the board's columns: it said "Số nhiệm vụ"
    headers = [cell.value for cell in book["Theo cơ quan"][1]]
    assert "Số phần việc tính tỷ lệ" in headers and not any("nhiệm vụ" in str(h) for h in headers if "Tỷ lệ" in str(h))
    assert "trên các phần việc đã đến hạn đến" in web.client.get("/board").text
    token = web.link("agency:ubnd-binh-son")
    feed = web.client.get(f"/a/{token}/calendar.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    ids = {web.assignment(ITEM, "ubnd-binh-son", s) for s in (1, 2)}
    assert {int(str(e["uid"]).split("-")[1].split("@")[0]) for e in events} == ids
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == ["2022-06-30", "2022-11-15"]
    # each event says what the part's page says beside its date: the body's part, the text's own phrase
    # and the secretariat's reading of it (the day is the 30th, "trước ngày 30/6" by the text is the 29th)
    first = min(events, key=lambda e: e.decoded("dtstart"))
    said = str(first["description"]).splitlines()
    assert said[:4] == [
        "99/KH-TEST — vai trò của cơ quan: Thực hiện",
        "Thời hạn theo văn bản: “trước ngày 30/6/2022”",
        "Tổ giúp việc tính cả ngày 30/06/2022",
        "Mốc: Phê duyệt cấp độ",
    ], said
    # and it links to the part's own page, not the body's list
    part = f"http://testserver/a/{token}/assignments/{int(str(first['uid']).split('-')[1].split('@')[0])}"
    assert said[4].startswith("Tình trạng lúc ") and said[-1] == part and str(first["url"]) == part, said


def test_outbox_shows_failures(web: WebEnv) -> None:
    now = web.clock.now()
    with Session(web.engine) as session:
        session.add(
            Notification(
                dedupe_key="t1",
                kind="overdue",
                recipient_role="agency",
                recipient_email="so-noi-vu@dondoc.example",
                subject="Nhiệm vụ quá hạn",
                status="failed",
                attempts=5,
                created_at=now,
                next_attempt_at=now,
                last_error="550 mailbox unavailable",
            )
        )
        session.commit()
    web.login()
    page = web.client.get("/board/outbox?status=failed")
    assert page.status_code == 200 and "550 mailbox unavailable" in page.text and "Lỗi (1)" in page.text
    row = html.unescape(page.text).split('<tr class="st-failed">', 1)[1].split("</tr>", 1)[0]
    assert "<td>Quá hạn</td>" in row and "(cơ quan được giao)" in row  # the kind and the role in words
    assert "(agency)" not in row and ">overdue</td>" not in row


def test_catalog_pages(web: WebEnv) -> None:
    web.login()
    plans = web.client.get("/board/plans")
    assert "99/KH-TEST" in plans.text
    plan_id = int(plans.text.split("/board/plans/", 1)[1].split('"', 1)[0])
    plan = web.client.get(f"/board/plans/{plan_id}")
    assert plan.status_code == 200 and "Phân loại hệ thống thông tin" in plan.text
    item_id = int(plan.text.split("/board/items/", 1)[1].split('"', 1)[0])
    item = web.client.get(f"/board/items/{item_id}")
    assert item.status_code == 200 and "Thời điểm" in item.text and "Sở Nội vụ" in item.text


def test_the_plans_given_column_counts_work_given_by_now_and_not_cancelled(web: WebEnv) -> None:
    """ "Được giao" counted a later quarter's report not yet handed out, and cancelled work."""

    def given() -> int:
        row = web.client.get("/board/plans").text.split("99/KH-TEST</a>", 1)[1].split("</tr>", 1)[0]
        return shown_count(re.findall(r'<td class="num">([\d.]+)</td>', row)[1])  # after "Nhiệm vụ"

    web.login()
    with Session(web.engine) as session:
        every = len(session.exec(select(Assignment)).all())
    assert given() == every
    later, dropped = web.assignment(ITEM, "so-noi-vu"), web.assignment(ITEM, "vp-ubnd")
    with Session(web.engine) as session:
        session.execute(
            update(Assignment).where(Assignment.id == later).values(assigned_at=web.clock.now() + timedelta(days=3))
        )
        act(session, dropped, Request(Action.CANCEL, SECRETARIAT, comment="Trùng"), now=web.clock.now())
        session.commit()
    assert given() == every - 2


def test_an_item_or_plan_page_cut_at_its_limit_says_so(web: WebEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    """61/KH-UBND's quarterly report item showed 500 of its 867 parts, two overdue ones among
    those left out, and said nothing of it."""
    from dondoc.web.routers import catalog

    web.login()
    plans = web.client.get("/board/plans").text
    plan_id = int(plans.split("/board/plans/", 1)[1].split('"', 1)[0])
    plan = web.client.get(f"/board/plans/{plan_id}").text
    item_id = int(plan.split("/board/items/", 1)[1].split('"', 1)[0])
    whole = web.client.get(f"/board/items/{item_id}").text
    parts = whole.count('<details class="assignment')
    assert parts >= 3 and 'id="cut"' not in whole and 'id="cut"' not in plan
    monkeypatch.setattr(catalog, "PAGE_ROWS", parts - 1)
    cut = web.client.get(f"/board/items/{item_id}").text
    assert cut.count('<details class="assignment') == parts - 1
    assert f"Trang này chỉ hiện {parts - 1} phần việc đầu tiên" in cut and "/board/assignments?q=" in cut
    assert 'id="cut"' in web.client.get(f"/board/plans/{plan_id}").text


def test_link_expires_with_the_clock(web: WebEnv) -> None:
    token = web.link("agency:so-noi-vu", days=7)
    assert web.client.get(f"/a/{token}").status_code == 200
    web.clock.advance(timedelta(days=8))
    expired = web.client.get(f"/a/{token}")
    assert expired.status_code == 403 and "hết hạn" in expired.text


def test_a_returned_report_is_said_beside_the_parts_state_and_progress(web: WebEnv) -> None:
    """After the secretariat returned Sở Nội vụ's report, its page read "Đang thực hiện … Tiến độ 100 %",
    as if the work were finished: the 100 % is the body's figure of the report sent back."""
    token, target = _returned(web, {"action": "progress", "percent": "100", "comment": "xong"})
    said = "Tổ giúp việc trả lại ngày"
    for page in (f"/a/{token}", f"/a/{token}/assignments/{target}", f"/board/assignments/{target}"):
        text = web.client.get(page).text
        assert said in text and "«Thiếu quyết định phê duyệt»" in text, page
        assert '100 % <span class="muted">(theo báo cáo đã được trả lại)</span>' in text, page
    assert agency_act(web, token, target, {"action": "report", "comment": "Đã bổ sung."}) == 303
    assert said not in web.client.get(f"/a/{token}").text  # sent again: no longer returned


def test_a_returned_report_of_work_cancelled_since_is_not_said_to_wait(web: WebEnv) -> None:
    """A part cancelled after its report was returned waits for no report: its row says "Đã hủy" alone."""
    token, target = _returned(web)
    assert "Tổ giúp việc trả lại ngày" in web.client.get(f"/a/{token}").text
    assert board_act(web, target, {"action": "cancel", "comment": "Không còn phù hợp"}) == 303
    for page in (f"/a/{token}?all=1", f"/a/{token}/assignments/{target}"):
        assert "Tổ giúp việc trả lại ngày" not in web.client.get(page).text, page
