"""The secretariat's desk: queues counted on the board, search and filters in the URL, exports of
exactly what is filtered, bulk actions through the rule book (issue 16)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import (
    Agency,
    AgencyGroup,
    AgencyGroupMember,
    Assignment,
    Event,
    Notification,
    SameWorkLink,
    State,
)
from dondoc.engine.services.queues import queue_by_slug
from dondoc.engine.textfold import fold
from tests.support.desk import header_backlog, header_counts, list_rows, queue_rows
from tests.support.heard import heard_step
from tests.support.web import ITEM, USER, WAITING, WebEnv, agency_act, csrf_of, shown_count

AFTER_FIRST_DUE = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)


def _ids(web: WebEnv, item: str, *agencies: str) -> list[str]:
    return [str(web.assignment(item, code)) for code in agencies]


def _report(web: WebEnv, agency: str, item: str = ITEM) -> int:
    token, target = web.link(f"agency:{agency}"), web.assignment(item, agency)
    assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
    assert agency_act(web, token, target, {"action": "report", "comment": "Đã xong"}) == 303
    return target


def _bulk(web: WebEnv, ids: list[str], **fields: str) -> tuple[int, str]:
    token = csrf_of(web.client.get("/board/assignments").text)
    response = web.client.post("/board/bulk", data={"csrf": token, "id": ids, **fields})
    return response.status_code, response.text


def test_fold_removes_diacritics_and_keeps_the_words() -> None:
    assert fold("Bảo đảm AN TOÀN hệ thống  Đắk Lắk") == "bao dam an toan he thong dak lak"


def test_search_finds_items_and_agencies_with_or_without_diacritics(web: WebEnv) -> None:
    web.login()
    bare = list_rows(web.client, "q=phan+loai+he+thong")
    marked = list_rows(web.client, "q=Phân+loại+hệ+thống")
    with Session(web.engine) as session:
        on_item = [str(a.id) for a in session.exec(select(Assignment)) if a.id and _item_of(session, a) == ITEM]
    assert sorted(bare) == sorted(marked) == sorted(on_item) and len(bare) == 10
    district = list_rows(web.client, "q=binh+son")
    assert district and set(district) <= {str(i) for i in _agency_ids(web, "ubnd-binh-son")}
    assert list_rows(web.client, "q=99/KH-TEST:II.2") == _ids(web, WAITING, "vp-ubnd")
    assert list_rows(web.client, "q=khong+co+gi+nhu+the") == []


def test_a_search_word_is_found_from_the_start_of_a_word_and_a_code_as_typed(web: WebEnv) -> None:
    """ "an toan he thong" listed items of "khoa học công nghệ" and "văn hóa, thể thao": "he" was
    found inside "nghe" and "the"."""
    web.login()
    on_item = sorted(list_rows(web.client, "q=phan+loai"))
    assert on_item and sorted(list_rows(web.client, "q=loai")) == on_item  # "loại": from its start
    assert list_rows(web.client, "q=oai") == [] and list_rows(web.client, "q=hong+tin") == []  # not inside a word
    assert sorted(list_rows(web.client, "q=thong")) == sorted(list_rows(web.client, "q=thông"))
    # a word with marks is the words it holds, in a row: a code, a part of one ("II.2" not "III.2")
    assert list_rows(web.client, "q=KH-TEST:II.2") == _ids(web, WAITING, "vp-ubnd")
    assert list_rows(web.client, "q=II.2") == _ids(web, WAITING, "vp-ubnd")
    assert list_rows(web.client, "q=I.2") == []  # II.2's "i 2" is no word of it
    assert sorted(list_rows(web.client, "q=99/KH-TEST")) == sorted(list_rows(web.client, ""))
    assert sorted(list_rows(web.client, "q=noi+vu")) == sorted(str(i) for i in _agency_ids(web, "so-noi-vu"))


def test_search_finds_an_agency_by_the_other_names_the_catalog_knows_it_by(web: WebEnv) -> None:
    """ "SNV", "STTTT", "VPUB": the catalog's aliases, a clerk's shorthand, found nothing."""
    web.login()
    with Session(web.engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == "so-noi-vu")).one()
        agency.aliases = ["Sở Nội vụ", "SNV"]  # the ORM folds them into its search text on write
        session.add(agency)
        session.commit()
    found = list_rows(web.client, "q=snv")
    assert found and sorted(found) == sorted(str(i) for i in _agency_ids(web, "so-noi-vu"))


def _item_of(session: Session, assignment: Assignment) -> str:
    from dondoc.engine.models import Milestone, PlanItem

    milestone = session.get(Milestone, assignment.milestone_id)
    assert milestone is not None
    item = session.get(PlanItem, milestone.item_id)
    assert item is not None
    return item.code


def _agency_ids(web: WebEnv, code: str) -> list[int]:
    from dondoc.engine.models import Agency

    with Session(web.engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == code)).one()
        return [a.id or 0 for a in session.exec(select(Assignment).where(Assignment.agency_id == agency.id))]


def test_filters_combine_in_the_url_and_bad_values_are_refused_in_vietnamese(web: WebEnv) -> None:
    web.login()
    districts = list_rows(web.client, "group=ubnd-cap-huyen&role=implementer")
    assert len(districts) == 4  # two districts × two milestones of II.1
    one = list_rows(web.client, "agency=ubnd-ly-son&due_from=2022-07-01&due_to=31/12/2022&priority=1")
    assert one == [str(web.assignment(ITEM, "ubnd-ly-son", seq=2))]
    page = web.client.get("/board/assignments?agency=ubnd-ly-son&role=implementer")
    assert 'value="ubnd-ly-son" selected' in page.text  # the form shows the filter it was given
    for query, message in [
        ("due_from=31/02/2022", "Hạn từ ngày"),
        ("agency=khong-co", "Không có cơ quan mã"),
        ("plan=1/KH-X", "Không có kế hoạch"),
        ("category=xyz", "Phân loại"),
        ("role=boss", "Vai trò"),
        ("group=nhom-la", "Không có nhóm cơ quan"),
        ("priority=maybe", "Trọng tâm"),
    ]:
        for url in (f"/board/assignments?{query}", f"/board/assignments.xlsx?{query}", f"/board/cho-xac-nhan?{query}"):
            response = web.client.get(url)
            assert response.status_code == 422, (url, response.status_code)
            assert message in response.text.replace("&#34;", '"'), url


def test_lists_page_through_every_row_and_refuse_a_bad_page(web: WebEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    import dondoc.web.routers.board as board_router
    import dondoc.web.routers.queues as queues_router

    web.login()
    everything = list_rows(web.client, "")
    monkeypatch.setattr(board_router, "PAGE_SIZE", 3)
    monkeypatch.setattr(queues_router, "PAGE_SIZE", 3)
    first = web.client.get("/board/assignments?group=ubnd-cap-huyen").text
    assert 'href="?group=ubnd-cap-huyen&amp;page=2" rel="next"' in first
    assert sorted(list_rows(web.client, "")) == sorted(everything) and len(everything) == 14
    assert len(list_rows(web.client, "group=ubnd-cap-huyen")) == 4
    for bad in ("0", "abc", "-1"):
        response = web.client.get(f"/board/assignments?page={bad}")
        assert response.status_code == 422 and "Số trang" in response.text


def test_exports_hold_exactly_the_filtered_rows_with_date_cells(web: WebEnv) -> None:
    web.login()
    web.clock.set(AFTER_FIRST_DUE)
    query = "agency=ubnd-binh-son&category=dang_thuc_hien_qua_han"
    shown = list_rows(web.client, query)
    assert len(shown) == 1
    page = web.client.get(f"/board/assignments?{query}").text
    assert f'href="/board/assignments.xlsx?{query.replace("&", "&amp;")}"' in page
    book = load_workbook(io.BytesIO(web.client.get(f"/board/assignments.xlsx?{query}").content))
    sheet = book["Nhiệm vụ"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(shown) and rows[0][0] == ITEM and rows[0][4] == "UBND huyện Bình Sơn"
    assert rows[0][2] == "Phê duyệt cấp độ"  # the milestone, as the page shows it: one body's two were alike
    due = sheet["G2"]
    assert due.is_date and due.value.date() == date(2022, 6, 30) and due.number_format == "dd/mm/yyyy"
    assert sheet["H2"].value is None  # not a standing duty, which gives its first day there
    assert isinstance(sheet["K2"].value, int) and sheet["K2"].value > 0  # days late, a number
    assert sheet["N2"].is_date and sheet["O2"].value is None  # the day given; given before its date
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Q2"
    text = web.client.get(f"/board/assignments.csv?{query}").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert len(lines) == 2 and lines[1][6] == "30/06/2022" and lines[1][2] == "Phê duyệt cấp độ"
    given = datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ)  # named after its date: could not be done on time
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == int(shown[0])).values(assigned_at=given))
        session.commit()
    late = list(csv.reader(io.StringIO(web.client.get(f"/board/assignments.csv?{query}").content.decode("utf-8-sig"))))
    assert late[1][13:15] == ["04/07/2022", "x"], late[1]  # given after its date
    # the page's first figure of such work, the days since it was given, beside the days from its date
    page = web.client.get(f"/board/assignments?{query}").text
    since = re.search(r"Quá hạn (\d+|dưới 1) ngày làm việc kể từ ngày giao 04/07/2022", page)
    assert since is not None and late[1][15] == since.group(1).replace("dưới 1", "0"), late[1]
    assert late[1][16] == "" and late[1][10] != late[1][15], late[1]  # unconfirmed: none; from its date
    everything = load_workbook(io.BytesIO(web.client.get("/board/assignments.xlsx").content))["Nhiệm vụ"]
    with Session(web.engine) as session:
        assert everything.max_row - 1 == len(session.exec(select(Assignment)).all())


def test_the_board_export_and_the_report_workbook_have_date_cells(web: WebEnv) -> None:
    web.login()
    web.clock.set(AFTER_FIRST_DUE)
    late = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))["Quá hạn"]
    assert late["H1"].value == "Hạn" and late["K1"].value == "Số ngày làm việc quá hạn"
    assert late["H2"].is_date and late["H2"].number_format == "dd/mm/yyyy" and late.auto_filter.ref
    assert isinstance(late["K2"].value, int) and late["I2"].value == "trước ngày 30/6/2022"
    web.clock.set(datetime(2022, 10, 25, 9, 0, tzinfo=LOCAL_TZ))
    report = web.client.get("/board/reports/download?period=2022-Q3&format=xlsx")
    assert report.status_code == 200
    overdue = load_workbook(io.BytesIO(report.content))["Quá hạn"]
    assert overdue.max_row > 1 and overdue.freeze_panes == "A2" and overdue.auto_filter.ref
    due = overdue["G2"]
    assert due.is_date and due.number_format == "dd/mm/yyyy" and isinstance(overdue["H2"].value, int)


def test_the_board_workbook_lists_the_overdue_work_as_the_board_does(web: WebEnv) -> None:
    """The workbook's "Quá hạn" sheet was ordered by due date alone: a part due this year, late by 4
    working days, came after last year's, where the board lists this year's work first."""
    recent = web.assignment(ITEM, "so-noi-vu", seq=2)
    with Session(web.engine) as session:
        session.get_one(Assignment, recent).due_at = datetime(2023, 1, 4, 17, 0, tzinfo=LOCAL_TZ)
        session.commit()
    web.login()
    web.clock.set(datetime(2023, 1, 10, 9, 0, tzinfo=LOCAL_TZ))
    board = web.client.get("/board?qua-han=tat-ca").text.split('id="overdue"', 1)[1].split("</table>", 1)[0]
    listed = [int(i) for i in re.findall(r'<tr class="cat-[^"]*" data-id="(\d+)"', board)]
    assert listed[0] == recent and len(listed) > 1
    sheet = load_workbook(io.BytesIO(web.client.get("/board/export.xlsx").content))["Quá hạn"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(listed)
    assert rows[0][0] == "Hạn trong năm 2023" and rows[0][3] == "Triển khai phương án" and rows[0][10] == 4
    assert {row[0] for row in rows[1:]} == {"Hạn từ các năm trước"}
    assert [row[10] for row in rows[1:]] == sorted((row[10] for row in rows[1:]), reverse=True)


def test_bulk_verify_applies_what_the_rule_book_allows_and_says_why_not(web: WebEnv) -> None:
    reported = [_report(web, code) for code in ("so-noi-vu", "ubnd-binh-son")]
    web.login()
    waiting = web.assignment(WAITING, "vp-ubnd")  # not reported: the rule book refuses to verify it
    assert sorted(queue_rows(web.client, "cho-xac-nhan")) == sorted(str(i) for i in reported)
    back = "/board/cho-xac-nhan?q=" + "+".join(["bao+cao+ket+qua+thuc+hien"] * 10)  # a long search: 270 characters
    status, page = _bulk(web, [str(i) for i in [*reported, waiting]], action="verify", back=back)
    assert status == 200 and f'href="{back}"' in page  # back to the list as it was filtered
    assert "đã thực hiện 2, bị từ chối 1" in page
    refused = page.split('id="bulk-refused"', 1)[1]
    assert "99/KH-TEST:II.2 — Văn phòng UBND tỉnh" in refused
    assert "Thao tác không phù hợp với trạng thái hiện tại" in refused
    with Session(web.engine) as session:
        states = {a.id: a.state for a in session.exec(select(Assignment))}
    assert [states[i] for i in reported] == [State.VERIFIED, State.VERIFIED] and states[waiting] == State.ASSIGNED
    assert queue_rows(web.client, "cho-xac-nhan") == []


def test_bulk_extend_and_snooze_and_bad_requests(web: WebEnv) -> None:
    web.login()
    ids = _ids(web, ITEM, "so-noi-vu", "ubnd-ly-son")
    status, page = _bulk(web, ids, action="extend", due="2022-08-15")
    assert status == 200 and "đã thực hiện 2, bị từ chối 0" in page
    with Session(web.engine) as session:
        for assignment_id in ids:
            row = session.get(Assignment, int(assignment_id))
            assert row is not None and row.due_at is not None
            assert row.due_at.astimezone(LOCAL_TZ).date() == date(2022, 8, 15)
    assert page.count("hạn mới 15/08/2022") == 2  # each line says the date written
    status, page = _bulk(web, ids, action="extend", due="2022-08-01")  # earlier than the new due date
    assert status == 200 and "bị từ chối 2" in page
    # a day off asked for (Saturday 10/09/2022): the civil-code rule moves it, and the summary and
    # the history say so, the day asked kept beside the day written
    status, page = _bulk(web, ids[:1], action="extend", due="10/09/2022")
    assert status == 200 and "đã thực hiện 1" in page
    assert "hạn mới 12/09/2022: ngày 10/09/2022 là ngày nghỉ (Thứ Bảy)" in page, page
    detail = web.client.get(f"/board/assignments/{ids[0]}").text
    assert "hạn mới 12/09/2022" in detail and "đề nghị ngày 10/09/2022 là ngày nghỉ" in detail
    assert "Giao nhiệm vụ" in detail and "Danh mục văn bản" in detail  # system events and actors in words
    status, page = _bulk(web, ids[:1], action="snooze", due="2022-03-20")
    assert status == 200 and "đã thực hiện 1" in page and "tạm dừng nhắc việc đến hết ngày 20/03/2022" in page
    assert _bulk(web, [], action="verify")[0] == 422
    assert _bulk(web, ids, action="cancel")[0] == 422  # not a bulk action
    assert _bulk(web, ["abc"], action="verify")[0] == 422
    response = web.client.post("/board/bulk", data={"id": ids, "action": "verify"})
    assert response.status_code == 403


def test_a_bulk_extension_to_another_day_than_a_body_asked_says_so(web: WebEnv) -> None:
    """A bulk "Gia hạn" to 20/12/2022 closes Sở Nội vụ's request for 17/12/2022: the summary said
    only "hạn mới 20/12/2022", as though the body had been given what it asked. It says the request
    was answered with another day, as the body's mail does; a row given the day asked says no such thing."""
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    asked, same = _ids(web, ITEM, "so-noi-vu", "vp-ubnd")
    for code, target, due in (("so-noi-vu", asked, "2022-12-17"), ("vp-ubnd", same, "2022-12-20")):
        data = {"action": "request_extension", "due": due, "comment": "Chờ bố trí kinh phí."}
        assert agency_act(web, web.link(f"agency:{code}"), int(target), data) == 303
    web.login()
    status, page = _bulk(web, [asked, same], action="extend", due="2022-12-20")
    assert status == 200 and "đã thực hiện 2, bị từ chối 0" in page
    page = html.unescape(page)
    assert "hạn mới 20/12/2022, không theo ngày đề nghị (đề nghị đến ngày 17/12/2022)" in page, page
    assert page.count("không theo ngày đề nghị") == 1  # vp-ubnd asked for 20/12: given what it asked
    with Session(web.engine) as session:  # and each body's mail says it as the summary does
        told = {
            n.assignment_id: n.data.get("other_than_asked", False)
            for n in session.exec(select(Notification).where(Notification.kind == "extension_granted"))
        }
    assert told == {int(asked): True, int(same): False}


def test_a_bulk_extension_that_gives_undated_work_its_first_date_says_it_was_set(web: WebEnv) -> None:
    """A bulk "Gia hạn" of an undated part ("Theo lộ trình, hướng dẫn …": the document gives no date)
    and a dated one: the summary said "hạn mới 30/11/2022" of both, a deadline moved that the first
    never had; its mail says "đặt thời hạn", and so does its line now."""
    web.login()
    undated = web.assignment(WAITING, "vp-ubnd")
    (dated,) = _ids(web, ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        assert session.get_one(Assignment, undated).due_at is None
    status, page = _bulk(web, [str(undated), dated], action="extend", due="2022-11-30")
    assert status == 200 and "đã thực hiện 2, bị từ chối 0" in page
    assert page.count("đặt thời hạn 30/11/2022 (trước đây chưa có thời hạn)") == 1
    assert page.count("hạn mới 30/11/2022") == 1
    history = web.client.get(f"/board/assignments/{undated}").text  # its history says the same
    assert "đặt thời hạn 30/11/2022" in history and "hạn mới 30/11/2022" not in history
    assert "hạn mới 30/11/2022" in web.client.get(f"/board/assignments/{dated}").text


def test_bulk_extend_of_a_lead_with_its_partner_extends_both_as_asked(web: WebEnv) -> None:
    """A lead's extension moves its partners behind it: ticked together (the lead first in the form),
    the partner was refused as "already at that day" by the row after its lead's."""
    web.login()
    lead, partner = _ids(web, ITEM, "so-tttt", "vp-ubnd")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == int(partner)).values(role="partner"))
        session.commit()
    status, page = _bulk(web, [lead, partner], action="extend", due="10/09/2022")  # a Saturday
    assert status == 200 and "đã thực hiện 2, bị từ chối 0" in page, page
    with Session(web.engine) as session:
        for assignment_id in (lead, partner):
            row = session.get(Assignment, int(assignment_id))
            assert row is not None and row.due_at is not None
            assert row.due_at.astimezone(LOCAL_TZ).date() == date(2022, 9, 12)
    # the lead's page lists its partners with their dates: the secretariat sees that they followed
    partners = web.client.get(f"/board/assignments/{lead}").text.split('id="partners"', 1)[1].split("</table>", 1)[0]
    assert "Văn phòng UBND tỉnh" in partners and "12/09/2022" in partners


def test_a_bulk_extension_names_the_partners_it_moved_with_their_lead(web: WebEnv) -> None:
    """A lead's extension moves its partners behind it, each by a step of its own (and a mail of its
    own): the summary said "đã thực hiện 1" of a selection that extended two."""
    web.login()
    lead, partner = _ids(web, ITEM, "so-tttt", "vp-ubnd")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == int(partner)).values(role="partner"))
        session.commit()
    status, page = _bulk(web, [lead], action="extend", due="2022-09-15")
    assert status == 200 and "đã thực hiện 1 (kéo theo 1 phần việc khác), bị từ chối 0" in page, page
    done = page.split('id="bulk-done"', 1)[1].split("</ul>", 1)[0]
    assert (
        f'Kéo theo: <a href="/board/assignments/{partner}">99/KH-TEST:II.1 (Phê duyệt cấp độ) — Văn phòng UBND tỉnh</a>'
        in done
    )
    assert "Theo thời hạn của cơ quan chủ trì Sở Thông tin và Truyền thông, nay là ngày 15/09/2022." in done, done


def test_a_partner_refused_then_moved_by_its_leads_extension_is_told_as_done(web: WebEnv) -> None:
    """Partners are tried first (_partners_first): one ticked at a version out of date was refused
    ("tải lại và thực hiện lại"), then moved to the day asked by its lead's extension, its body mailed
    the new date; the summary still called it refused, and counted the selection one short."""
    web.login()
    lead, partner = _ids(web, ITEM, "so-tttt", "vp-ubnd")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == int(partner)).values(role="partner"))
        session.commit()
        version = session.get_one(Assignment, int(partner)).version
    stale = f"{partner}:{version + 1}"  # the list showed another version than the row holds
    status, page = _bulk(web, [lead, stale], action="extend", due="2022-09-15")
    assert status == 200 and "đã thực hiện 2, bị từ chối 0" in page, page
    done = page.split('id="bulk-done"', 1)[1].split("<h2>", 1)[0]
    assert "Văn phòng UBND tỉnh</a>: đã thực hiện cùng lúc với 99/KH-TEST:II.1" in done, done
    with Session(web.engine) as session:
        moved = session.get_one(Assignment, int(partner)).due_at
    assert moved is not None and moved.astimezone(LOCAL_TZ).date() == date(2022, 9, 15)


def test_a_row_a_bulk_step_already_moved_is_told_as_done_with_the_row_that_moved_it(web: WebEnv) -> None:
    """The agency's same work in another document follows its verification: ticked too, it was
    refused as "already verified", and the summary said one of two was done."""
    web.login()
    here, there = web.assignment(WAITING, "vp-ubnd"), web.assignment(ITEM, "vp-ubnd")
    with Session(web.engine) as session:
        milestone = session.get(Assignment, there)
        assert milestone is not None
        session.add(SameWorkLink(milestone_id=milestone.milestone_id, linked_code=WAITING))
        session.commit()
    _report(web, "vp-ubnd", WAITING)  # its work on ITEM follows: reported
    ticks = _ticks(web, "/board/cho-xac-nhan")  # as the page writes them: the second moves, version and all
    status, page = _bulk(web, [ticks[str(here)], ticks[str(there)]], action="verify")
    assert status == 200 and "đã thực hiện 2, bị từ chối 0" in page, page  # the one moved was ticked: no other
    done = page.split('id="bulk-done"', 1)[1].split("<h2>", 1)[0]
    assert (
        "99/KH-TEST:II.1 (Phê duyệt cấp độ) — Văn phòng UBND tỉnh</a>: đã thực hiện cùng lúc với 99/KH-TEST:II.2"
        in done
    ), done
    assert "Cùng một nhiệm vụ với 99/KH-TEST:II.2 (đã hoàn thành, đã xác nhận)" in done
    with Session(web.engine) as session:
        assert {session.get(Assignment, i).state for i in (here, there)} == {State.VERIFIED}  # type: ignore[union-attr]


def _ticks(web: WebEnv, path: str) -> dict[str, str]:
    """The checkbox values a list page writes for its rows, by the row's id: what a browser sends."""
    found = re.findall(r'name="id" value="((\d+):\d+)"', web.client.get(path).text)
    return {row: value for value, row in found}


def test_a_row_changed_since_the_list_was_read_is_refused_not_acted_on_unseen(web: WebEnv) -> None:
    """Two clerks at the "Chờ xác nhận" queue: one sent UBND Bình Sơn's report back, the agency sent
    another, and the other clerk's bulk verification, ticked on the first report, verified the second
    unread. The page's ticks carry the version each row was shown at; a row changed since is refused."""
    reported = [_report(web, code) for code in ("so-noi-vu", "ubnd-binh-son")]
    web.login()
    ticks = _ticks(web, "/board/cho-xac-nhan")
    assert set(ticks) == {str(i) for i in reported}
    token, changed = web.link("agency:ubnd-binh-son"), reported[1]
    csrf = csrf_of(web.client.get(f"/board/assignments/{changed}").text)
    form = {"csrf": csrf, "action": "return", "comment": "Thiếu số liệu.", "version": ticks[str(changed)].split(":")[1]}
    assert web.client.post(f"/board/assignments/{changed}/act", data=form).status_code == 303
    assert agency_act(web, token, changed, {"action": "report", "comment": "Báo cáo lần hai"}) == 303
    status, page = _bulk(web, list(ticks.values()), action="verify")
    assert status == 200 and "đã thực hiện 1, bị từ chối 1" in page, page
    refused = page.split('id="bulk-refused"', 1)[1]
    assert (
        "99/KH-TEST:II.1 (Phê duyệt cấp độ) — UBND huyện Bình Sơn</a>: "
        "Phần việc này đã được người khác thay đổi sau khi trang được mở; thay đổi gần nhất: "
        "Báo cáo kết quả, do UBND huyện Bình Sơn lúc 02/03/2022 08:00; mở lại trang để xem tình trạng hiện tại."
    ) in refused, refused
    with Session(web.engine) as session:
        states = {i: session.get(Assignment, i).state for i in reported}  # type: ignore[union-attr]
    assert states == {reported[0]: State.VERIFIED, changed: State.REPORTED}  # the second report waits, unread
    # read again, the list shows the new version, and the tick verifies it
    status, page = _bulk(web, [_ticks(web, "/board/cho-xac-nhan")[str(changed)]], action="verify")
    assert status == 200 and "đã thực hiện 1, bị từ chối 0" in page
    assert _bulk(web, [f"{changed}:x"], action="verify")[0] == 422  # a version that is not a number
    assert _bulk(web, [f"{changed}:"], action="verify")[0] == 422


def test_what_is_wrong_for_every_row_is_refused_once_and_changes_nothing(web: WebEnv) -> None:
    web.clock.set(AFTER_FIRST_DUE)
    web.login()
    ids = _ids(web, ITEM, "ubnd-binh-son", "ubnd-ly-son")
    for fields, said in (
        ({"action": "snooze", "due": "2022-07-01"}, "Đến ngày: ngày 01/07/2022 đã qua."),
        ({"action": "extend", "due": "2040-01-01"}, "Đến ngày: ngày 01/01/2040 quá xa"),
        ({"action": "request_explanation", "comment": "  "}, "cần ghi rõ nội dung, lý do"),
    ):
        status, page = _bulk(web, ids, **fields)
        assert status == 422 and html.unescape(page).count(said) == 1, (fields, page)
    with Session(web.engine) as session:
        assert session.exec(select(func.count()).select_from(Event).where(col(Event.actor_account) == "tgv")).one() == 0


def test_an_id_that_names_nothing_is_refused_in_one_sentence_without_a_link(web: WebEnv) -> None:
    web.login()
    status, page = _bulk(web, ["999999"], action="verify")
    refused = page.split('id="bulk-refused"', 1)[1]
    assert status == 200 and "<li>#999999: Không tìm thấy phần việc 999999.</li>" in refused, refused


def test_every_queue_count_on_the_board_equals_its_page_rows(web: WebEnv) -> None:
    reported = _report(web, "so-noi-vu")
    web.clock.set(AFTER_FIRST_DUE)
    web.login()
    late = _ids(web, ITEM, "ubnd-binh-son", "ubnd-ly-son")
    status, page = _bulk(web, late, action="request_explanation", comment="Vì sao chậm?")
    assert status == 200 and "đã thực hiện 2" in page
    token = web.link("agency:ubnd-ly-son")
    assert agency_act(web, token, int(late[1]), {"action": "explain", "comment": "Thiếu kinh phí"}) == 303
    with Session(web.engine) as session:
        session.add(_failed_mail(web, int(late[0])))
        session.commit()
    board = web.client.get("/board").text
    counts = header_counts(board)
    assert set(counts) == {
        "cho-xac-nhan",
        "can-phan-cong",
        "cho-giai-trinh",
        "de-nghi-gia-han",
        "can-phan-cong-lai",
        "cho-xac-nhan-giao",
        "phoi-hop-khong-con-cho",
        "thu-loi",
    }
    backlog = header_backlog(board)
    for slug, count in counts.items():
        assert len(queue_rows(web.client, slug)) == count, slug
        if queue_by_slug(slug).apart:  # its backlog apart: the count said beside it (none: not said)
            assert len(queue_rows(web.client, slug, "ton-dong=1")) == backlog.get(slug, 0), slug
        # every queue is a filterable list: its form, showing the filter the URL holds
        filtered = web.client.get(f"/board/{slug}?q=abc").text
        assert f'<form method="get" action="/board/{slug}" class="filter" id="filter">' in filtered, slug
        assert 'name="q" value="abc"' in filtered, slug
    assert queue_rows(web.client, "cho-xac-nhan") == [str(reported)]
    assert queue_rows(web.client, "cho-giai-trinh") == [late[0]]
    # every queue exports what its page lists, filtered alike: CSV and XLSX (the day a date cell)
    for slug, count in counts.items():
        page = web.client.get(f"/board/{slug}").text
        assert f'href="/board/{slug}.csv"' in page and f'href="/board/{slug}.xlsx"' in page, slug
        exported = list(csv.reader(io.StringIO(web.client.get(f"/board/{slug}.csv").content.decode("utf-8-sig"))))
        assert len(exported) - 1 == count and exported[0][-2] == "Số ngày làm việc chờ", (slug, exported)
        sheet = load_workbook(io.BytesIO(web.client.get(f"/board/{slug}.xlsx").content)).active
        assert sheet.max_row - 1 == count, slug
        if count:
            assert isinstance(sheet.cell(2, 6).value, datetime) and isinstance(sheet.cell(2, 7).value, int), slug
    narrowed = web.client.get("/board/cho-giai-trinh.csv?agency=ubnd-ly-son").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(narrowed)))) == 1  # the header alone: the filter holds
    assert counts["thu-loi"] == 1
    page = html.unescape(web.client.get("/board/cho-giai-trinh").text)
    assert "Tổ giúp việc: «Vì sao chậm?»" in page and "05/07/2022" in page  # who asked, and the words
    assert queue_rows(web.client, "cho-giai-trinh", "agency=ubnd-ly-son") == []
    assert queue_rows(web.client, "cho-giai-trinh", "q=binh+son") == [late[0]]
    web.clock.advance(timedelta(days=7))  # a week later: five working days waiting
    assert '<td class="num">5</td>' in web.client.get("/board/cho-giai-trinh").text


def _failed_mail(web: WebEnv, assignment_id: int) -> Notification:
    now = web.clock.now()
    return Notification(
        dedupe_key=f"test-failed-{assignment_id}",
        kind="reminder",
        assignment_id=assignment_id,
        recipient_role="agency",
        recipient_email="ubnd-binh-son@dondoc.example",
        subject="Nhắc việc",
        status="failed",
        created_at=now,
        next_attempt_at=now,
        last_error="550 mailbox unavailable",
    )


def test_the_secretariat_sends_failed_mails_again_or_marks_them_dealt_with_from_their_queue(web: WebEnv) -> None:
    """ "Thư gửi lỗi" listed mails with no way out of the list; now the ticked ones are sent again or
    marked dealt with (a reason required), the page says what was done and what refused and why, and
    the header's count follows."""
    web.login()
    first, second = (web.assignment(ITEM, code) for code in ("so-noi-vu", "vp-ubnd"))
    with Session(web.engine) as session:
        mails = [_failed_mail(web, first), _failed_mail(web, second)]
        session.add_all(mails)
        session.commit()
        again, dealt = (m.id or 0 for m in mails)
    page = web.client.get("/board/thu-loi?agency=so-noi-vu").text
    assert f'name="id" value="{again}" form="mails"' in page and 'id="mails-resend"' in page
    assert "<th>Gửi đến</th>" in page and "<th>Cơ quan</th>" not in page.split('id="queue"', 1)[1]  # whom it went to
    exported = web.client.get("/board/thu-loi.csv").content.decode("utf-8-sig").splitlines()[0].split(",")
    assert exported[3] == "Gửi đến"
    token, back = csrf_of(page), "/board/thu-loi?agency=so-noi-vu"
    assert header_counts(web.client.get("/board").text)["thu-loi"] == 2

    def post(action: str, ids: list[int], reason: str = "") -> tuple[int, str]:
        data = {"csrf": token, "action": action, "reason": reason, "back": back, "id": [str(i) for i in ids]}
        response = web.client.post("/board/thu-loi", data=data)
        return response.status_code, html.unescape(response.text)

    status, said = post("resend", [again])
    assert status == 200 and "Gửi lại thư: <small>đã thực hiện 1, bị từ chối 0" in said and f'href="{back}"' in said
    # which mail it was, and where it goes: the address of the body whose work it is, not the one that failed
    assert "Nhắc hạn gửi so-noi-vu@dondoc.example: «[Đôn đốc]" in said and f"(thư số {again})" in said
    assert f"(thư số {again}): gửi tới địa chỉ hiện nay của người nhận, không gửi lại tới ubnd-binh-son@" in said
    assert header_counts(web.client.get("/board").text)["thu-loi"] == 1 and queue_rows(web.client, "thu-loi") == [
        str(dealt)
    ]
    status, said = post("dismiss", [dealt])
    assert status == 422 and "Thiếu lý do" in said
    status, said = post("dismiss", [dealt, again], "đã báo qua điện thoại")
    assert status == 200 and "đã thực hiện 1, bị từ chối 1" in said
    assert f"thư số {again} không còn gửi lỗi (đang chờ gửi)" in said
    assert header_counts(web.client.get("/board").text)["thu-loi"] == 0
    with Session(web.engine) as session:
        row = session.get_one(Notification, dealt)
        assert row.status == "skipped" and row.last_error is not None
        assert row.last_error.endswith(": đã báo qua điện thoại") and f"({USER})" in row.last_error
        assert session.get_one(Notification, again).status == "pending"
    assert post("fly", [dealt])[0] == 422 and post("resend", [])[0] == 422
    back = "/board/thu-loi?q=" + "+".join(["co+so+du+lieu+dat+dai"] * 12)  # a long search: 280 characters
    status, said = post("resend", [dealt])
    assert status == 200 and f'href="{back}"' in said and "không còn gửi lỗi" in said


def test_a_failed_mail_whose_mailbox_heard_its_step_leaves_the_queue_answered_by_that_mail(web: WebEnv) -> None:
    """Sent again, the mail of a body that has ended would tell the secretariat what its digest tells
    it: the page says it was not sent and which mail answered for it, and the queue is empty."""
    web.login()
    with Session(web.engine) as session:
        failed, held = heard_step(session, web.clock.now())
    web.clock.set(datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ))
    token = csrf_of(web.client.get("/board/thu-loi").text)
    data = {"csrf": token, "action": "resend", "back": "/board/thu-loi", "id": [str(failed)]}
    response = web.client.post("/board/thu-loi", data=data)
    said = html.unescape(response.text)
    assert response.status_code == 200
    assert "đã thực hiện 0, không gửi lại vì người nhận đã có thư cùng đợt 1, bị từ chối 0" in said
    answered = said.split('id="mails-answered"', 1)[1].split("</ul>", 1)[0]
    assert f"thư số {failed} không gửi lại: hộp thư to-giup-viec@dondoc.example đã có thư số {held}" in answered
    assert header_counts(web.client.get("/board").text)["thu-loi"] == 0


def test_a_failed_mail_about_no_one_assignment_names_its_kind_and_addressee_and_is_filtered_by_them(
    web: WebEnv,
) -> None:
    """ "Thư gửi lỗi" showed `new_assignment` as the code and "agency <so-tu-phap@…>" as the body; a
    filter by that body left the mail out (it reached mails through their assignment only)."""
    web.login()
    now = web.clock.now()
    with Session(web.engine) as session:
        for key, kind, role, email in (
            ("bundle", "new_assignment", "agency", "so-noi-vu@dondoc.example"),
            ("digest", "digest_leader", "chair", "truong-ban@dondoc.example"),
        ):
            session.add(
                Notification(
                    dedupe_key=key,
                    kind=kind,
                    recipient_role=role,
                    recipient_email=email,
                    subject="[Đôn đốc] Thư",
                    status="failed",
                    created_at=now,
                    next_attempt_at=now,
                    last_error="550 mailbox unavailable",
                )
            )
        session.commit()
        ids = {n.kind: str(n.id) for n in session.exec(select(Notification))}
    page = html.unescape(web.client.get("/board/thu-loi").text)
    assert "Giao nhiệm vụ mới — [Đôn đốc] Thư" in page and "new_assignment" not in page
    assert "<td>Sở Nội vụ <so-noi-vu@dondoc.example></td>" in page
    assert "Trưởng Ban Chỉ đạo <truong-ban@dondoc.example>" in page and "digest_leader" not in page
    assert queue_rows(web.client, "thu-loi", "agency=so-noi-vu") == [ids["new_assignment"]]
    assert queue_rows(web.client, "thu-loi", "q=noi+vu") == [ids["new_assignment"]]
    assert sorted(queue_rows(web.client, "thu-loi")) == sorted(ids.values())


def test_a_failed_mail_names_the_recipient_it_was_addressed_to_not_the_work_s_agency(web: WebEnv) -> None:
    """ "Thư gửi lỗi" showed "BQL KKT Dung Quất <to-giup-viec@…>": an extension request about that
    body's work, addressed to the secretariat, paired the work's agency with the secretariat's
    address. The line names the recipient (the seat, or the agency whose mailbox it is), and says
    whose work it is about in its note; the filter still finds it by that work's agency."""
    web.login()
    about = web.assignment(ITEM, "so-noi-vu")
    now = web.clock.now()
    with Session(web.engine) as session:
        for key, kind, role, email in (
            ("asked", "extension_request", "secretariat", "to-giup-viec@dondoc.example"),
            ("lead", "overdue", "lead", "vp-ubnd@dondoc.example"),
            ("own", "reminder", "agency", "so-noi-vu@dondoc.example"),
        ):
            session.add(
                Notification(
                    dedupe_key=key,
                    kind=kind,
                    assignment_id=about,
                    recipient_role=role,
                    recipient_email=email,
                    subject=f"[Đôn đốc] {key}",
                    status="failed",
                    created_at=now,
                    next_attempt_at=now,
                    last_error="550 mailbox unavailable",
                )
            )
        session.commit()
        ids = {n.dedupe_key: str(n.id) for n in session.exec(select(Notification))}
    page = html.unescape(web.client.get("/board/thu-loi").text)
    lines = {key: page.split(f'<tr data-id="{i}">', 1)[1].split("</tr>", 1)[0] for key, i in ids.items()}
    assert "<td>Tổ giúp việc <to-giup-viec@dondoc.example></td>" in lines["asked"]
    assert "<td>VP UBND tỉnh <vp-ubnd@dondoc.example></td>" in lines["lead"]
    assert "<td>Sở Nội vụ <so-noi-vu@dondoc.example></td>" in lines["own"]
    assert "Sở Nội vụ <to-giup-viec" not in page and "Sở Nội vụ <vp-ubnd" not in page
    for key in ("asked", "lead"):  # what it was about: the item and the work's agency
        assert f"{ITEM}</a>" not in lines[key] and ITEM in lines[key], key
        assert "<td>Phần việc của Sở Nội vụ. Lỗi: 550 mailbox unavailable</td>" in lines[key], key
    assert "<td>550 mailbox unavailable</td>" in lines["own"]
    assert sorted(queue_rows(web.client, "thu-loi", "agency=so-noi-vu")) == sorted(ids.values())
    exported = list(csv.reader(io.StringIO(web.client.get("/board/thu-loi.csv").content.decode("utf-8-sig"))))
    assert {r[3] for r in exported[1:]} == {
        "Tổ giúp việc <to-giup-viec@dondoc.example>",
        "VP UBND tỉnh <vp-ubnd@dondoc.example>",
        "Sở Nội vụ <so-noi-vu@dondoc.example>",
    }


def test_the_event_history_records_each_bulk_action_once(web: WebEnv) -> None:
    web.login()
    ids = _ids(web, ITEM, "so-noi-vu")
    _bulk(web, ids, action="snooze", due="2022-03-20")
    with Session(web.engine) as session:
        events = session.exec(select(Event).where(Event.assignment_id == int(ids[0]), Event.action == "snooze")).all()
    assert len(events) == 1 and events[0].actor_account == "tgv"


def test_a_plan_page_filters_its_items_and_assignments(web: WebEnv) -> None:
    from dondoc.engine.models import Plan

    web.login()
    with Session(web.engine) as session:
        plan_id = session.exec(select(Plan.id)).one()
    whole = web.client.get(f"/board/plans/{plan_id}").text
    assert "99/KH-TEST:II.2" in whole and "UBND huyện Bình Sơn" in whole
    narrowed = web.client.get(f"/board/plans/{plan_id}?q=binh+son").text
    assert "UBND huyện Bình Sơn" in narrowed and "Văn phòng UBND tỉnh</a>" not in narrowed
    assert ">99/KH-TEST:II.2</a>" not in narrowed  # an item with no matching row is left out
    assert web.client.get(f"/board/plans/{plan_id}?due_to=hôm+qua").status_code == 422


def test_a_plan_page_exports_its_assignments_as_filtered(web: WebEnv) -> None:
    web.login()
    page = web.client.get("/board/plans/1?agency=so-noi-vu").text
    link = re.search(r'id="plan-export"><a href="([^"]+)"', page)
    assert link, "the plan page offers its export"
    url = html.unescape(link.group(1))
    assert url.startswith("/board/assignments.csv?") and "agency=so-noi-vu" in url and "plan=" in url
    rows = list(csv.reader(io.StringIO(web.client.get(url).content.decode("utf-8-sig"))))[1:]
    with Session(web.engine) as session:
        expected = session.exec(
            select(func.count())
            .select_from(Assignment)
            .join(Agency, col(Assignment.agency_id) == col(Agency.id))
            .where(Agency.code == "so-noi-vu")
        ).one()
    assert len(rows) == expected > 0 and {r[4] for r in rows} == {"Sở Nội vụ"}


def test_the_list_says_how_many_it_selects_and_its_pager_how_many_pages(web: WebEnv) -> None:
    """The filtered list's total is every assignment the filter selects (not the page's rows), and
    its pager's last page follows from it (a page count read off one page said "Trang 1 / 2")."""
    web.login()
    with Session(web.engine) as session:
        every = session.exec(select(func.count()).select_from(Assignment)).one()
        mine = session.exec(
            select(func.count()).select_from(Assignment).join(Agency).where(Agency.code == "so-noi-vu")
        ).one()
    assert every > 1 and 0 < mine < every
    for query, expected in (("", every), ("?agency=so-noi-vu", mine)):
        page = web.client.get(f"/board/assignments{query}").text
        assert shown_count(re.search(r'<span id="total">([\d.]+)</span> phần việc', page).group(1)) == expected  # type: ignore[union-attr]
        assert ("page-next" in page) == (expected > 100)


def test_a_day_in_the_url_written_dd_mm_yyyy_stays_in_the_filter_form(web: WebEnv) -> None:
    """``due_from=01/06/2022`` filtered right, but the form wrote it back as the date field's value,
    which a browser shows empty: the next "Lọc" dropped the range."""
    web.login()
    page = web.client.get("/board/assignments?due_from=01/06/2022&due_to=2022-12-31").text
    assert 'name="due_from" value="2022-06-01"' in page and 'name="due_to" value="2022-12-31"' in page


def test_a_page_past_the_last_says_so_not_that_nothing_matches(web: WebEnv) -> None:
    """ "Trang 50 / 41" above "Không có nhiệm vụ nào khớp bộ lọc" on a list of 4,063 rows (a bookmark
    kept while the list shrank, a page number typed)."""
    _report(web, "so-noi-vu")
    web.login()
    for path, empty in (("/board/assignments", "Không có nhiệm vụ nào khớp"), ("/board/cho-xac-nhan", "Không có việc")):
        page = html.unescape(web.client.get(f"{path}?agency=so-noi-vu&page=7").text)
        assert "Trang 7 không có dòng nào: danh sách chỉ có 1 trang" in page and empty not in page, path
        assert 'href="?agency=so-noi-vu&page=1" id="page-last"' in page and "page-prev" not in page, path
    nothing = html.unescape(web.client.get("/board/cho-giai-trinh?page=3").text)  # an empty queue: nothing waits
    assert "Không có việc nào đang chờ." in nothing and "không có dòng nào" not in nothing


def test_the_agency_filter_offers_no_body_not_yet_set_up_nor_one_without_work(web: WebEnv) -> None:
    """The queues' agency list offered the bodies of 2025 (Sở NN&MT, Kon Tum's) on a 2023 board, and
    Kon Tum's 25 bodies on a 2022 board, where they hold no work of this committee's."""
    today = web.clock.now().date()
    with Session(web.engine) as session:
        for code, start in (("so-sau-nay", today + timedelta(days=30)), ("so-hom-nay", today), ("so-khac", None)):
            session.add(Agency(code=code, name=code, short=code, kind="so", valid_from=start))
        session.flush()
        today_id = session.exec(select(Agency.id).where(Agency.code == "so-hom-nay")).one()
        moved = web.assignment(ITEM, "so-noi-vu")
        session.execute(update(Assignment).where(col(Assignment.id) == moved).values(agency_id=today_id))
        session.commit()
    web.login()
    for page in ("/board/assignments", "/board/cho-xac-nhan"):
        listed = re.findall(r'<option value="([^"]+)"', web.client.get(page).text.split('name="agency"', 1)[1])
        assert "so-hom-nay" in listed and "so-noi-vu" in listed, page
        assert "so-sau-nay" not in listed and "so-khac" not in listed, page
        # named by the URL, it is offered and chosen: "Lọc" keeps the filter the link asked for
        named = web.client.get(f"{page}?agency=so-khac").text.split('name="agency"', 1)[1].split("</select>", 1)[0]
        assert '<option value="so-khac" selected' in named, page


def test_the_group_filter_offers_only_groups_with_a_member_the_agency_filter_offers(web: WebEnv) -> None:
    """Kon Tum's groups were offered on every 2023 queue though none of their members held work, as
    would be a group of bodies set up later: a group is offered for a member the agency list offers."""
    today = web.clock.now().date()
    with Session(web.engine) as session:
        later = Agency(code="so-sau-nay", name="so-sau-nay", short="so-sau-nay", kind="so", valid_from=today)
        idle = Agency(code="so-khac", name="so-khac", short="so-khac", kind="so")
        session.add_all([later, idle])
        session.flush()
        later.valid_from = today + timedelta(days=30)
        moved = session.get(Assignment, web.assignment(ITEM, "so-noi-vu"))
        assert moved is not None
        moved.agency_id = later.id or 0  # it holds work, but is not set up yet
        for code, member in (("nhom-sau-nay", later), ("nhom-khong-viec", idle)):
            group = AgencyGroup(code=code, name=code)
            session.add(group)
            session.flush()
            session.add(AgencyGroupMember(group_id=group.id or 0, agency_id=member.id or 0))
        session.commit()
    web.login()
    for page in ("/board/assignments", "/board/cho-xac-nhan", "/board/de-nghi-gia-han"):
        listed = re.findall(
            r'<option value="([^"]+)"', web.client.get(page).text.split('name="group"', 1)[1].split("</select>")[0]
        )
        assert "so-ban-nganh" in listed and "ubnd-cap-huyen" in listed, (page, listed)
        assert "nhom-sau-nay" not in listed and "nhom-khong-viec" not in listed, (page, listed)
        # named by the URL, it is offered and chosen: "Lọc" keeps the filter the link asked for
        named = web.client.get(f"{page}?group=nhom-khong-viec").text.split('name="group"', 1)[1].split("</select>")[0]
        assert '<option value="nhom-khong-viec" selected' in named, page


def test_a_form_of_too_many_fields_is_told_as_such_not_as_bad_json(web: WebEnv) -> None:
    """2,000 ticked rows were refused with "không đọc được nội dung gửi lên (JSON sai hoặc không phải
    UTF-8)" of a valid form; between 501 and ~997 the bulk form's own sentence was said."""
    web.login()
    status, page = _bulk(web, [str(n) for n in range(1, 2001)], action="verify")
    said = html.unescape(page)
    assert status == 400 and "biểu mẫu gửi lên có quá nhiều trường (tối đa 1000)" in said and "JSON" not in said
    assert "chọn tối đa 500 dòng mỗi lần" in said


def test_queue_rows_their_exports_and_the_bulk_summary_name_the_milestone(web: WebEnv) -> None:
    """One body's two milestones of an item were two identical rows in "Chờ xác nhận" (and "Chờ giải
    trình", "Thư gửi lỗi"), in their CSV/XLSX and in the bulk summary: the clerk could not tell which
    to verify. Each names its milestone, as the list and "Đề nghị gia hạn" do."""
    first, second = (web.assignment(ITEM, "so-noi-vu", seq) for seq in (1, 2))
    token = web.link("agency:so-noi-vu")
    for target in (first, second):
        assert agency_act(web, token, target, {"action": "acknowledge"}) == 303
        assert agency_act(web, token, target, {"action": "report", "comment": "Đã xong"}) == 303
    with Session(web.engine) as session:
        session.add(_failed_mail(web, first))
        session.commit()
    web.login()
    rows = web.client.get("/board/cho-xac-nhan").text.split('id="queue"', 1)[1]
    assert f'<a href="/board/assignments/{first}">{ITEM}</a>' in rows
    cells = {i: rows.split(f'<tr data-id="{i}">', 1)[1].split("</tr>", 1)[0] for i in (first, second)}
    assert '<span class="muted">(Phê duyệt cấp độ)</span>' in cells[first]
    assert '<span class="muted">(Triển khai phương án)</span>' in cells[second]
    exported = list(csv.reader(io.StringIO(web.client.get("/board/cho-xac-nhan.csv").content.decode("utf-8-sig"))))
    assert exported[0][2] == "Mốc" and [r[2] for r in exported[1:]] == ["Phê duyệt cấp độ", "Triển khai phương án"]
    sheet = load_workbook(io.BytesIO(web.client.get("/board/cho-xac-nhan.xlsx").content)).active
    assert [sheet.cell(n, 3).value for n in (1, 2, 3)] == ["Mốc", "Phê duyệt cấp độ", "Triển khai phương án"]
    mails = web.client.get("/board/thu-loi").text.split('id="queue"', 1)[1]
    assert '<span class="muted">(Phê duyệt cấp độ)</span>' in mails
    status, page = _bulk(web, [str(first), str(second)], action="verify")
    done = html.unescape(page).split('id="bulk-done"', 1)[1].split("</ul>", 1)[0]
    assert status == 200
    assert f"{ITEM} (Phê duyệt cấp độ) — Sở Nội vụ" in done and f"{ITEM} (Triển khai phương án) — Sở Nội vụ" in done


def _spans_and_columns(page: str) -> list[tuple[str, int, list[int]]]:
    """Each table of ``page``: its id, its heading's columns, and every colspan of its body."""
    found = []
    for table in re.findall(r"<table[^>]*>.*?</table>", page, flags=re.S):
        head = table.split("</thead>", 1)[0]
        name = re.search(r'id="([^"]+)"', table.split(">", 1)[0])
        spans = [int(n) for n in re.findall(r'colspan="(\d+)"', table.split("</thead>", 1)[-1])]
        found.append((name.group(1) if name else "", len(re.findall(r"<th[ >]", head)), spans))
    return found


def test_group_and_empty_rows_span_the_table_and_overdue_rows_are_marked(web: WebEnv) -> None:
    """Group and empty rows spanned 7 columns of 6-column tables (the board's overdue list, the queues
    without a bulk checkbox); the list's overdue rows said "Quá hạn N ngày làm việc" without the
    `overdue` class the plan pages give them."""
    web.clock.set(AFTER_FIRST_DUE)
    web.login()
    pages = ["/board", "/board/assignments", "/board/assignments?q=khongcogica"]
    pages += [f"/board/{slug}" for slug in ("cho-xac-nhan", "can-phan-cong", "cho-giai-trinh", "thu-loi")]
    pages += [f"/leaders/{web.link('leader:chair')}"]
    checked = 0
    for path in pages:
        for table, columns, spans in _spans_and_columns(web.client.get(path).text):
            assert all(span == columns for span in spans), (path, table, columns, spans)
            checked += len(spans)
    assert checked >= 6  # the overdue list's group row, the empty queues' rows
    listed = web.client.get("/board/assignments?category=dang_thuc_hien_qua_han").text.split('id="assignments"', 1)[1]
    rows = re.findall(r"<tr data-id=\"\d+\"[^>]*>.*?</tr>", listed, flags=re.S)
    assert rows and all('class="cat-dang_thuc_hien_qua_han overdue"' in row and "Quá hạn" in row for row in rows)
    other = web.client.get("/board/assignments?category=dang_thuc_hien_trong_han").text.split('id="assignments"', 1)[1]
    assert 'class="cat-dang_thuc_hien_trong_han"' in other and ' overdue"' not in other


def test_the_board_charts_caption_states_no_formula_its_rates_do_not_follow(web: WebEnv) -> None:
    """The chart's caption said "tỷ lệ đúng hạn = hoàn thành đúng hạn / (hoàn thành đúng hạn + hoàn
    thành quá hạn + đang quá hạn)" beside bars whose rate follows the table's rule (work due by now,
    of the tracked years, given in time, reports apart): Sở KH&CN's bar of 4 on time, 1 late and 3
    overdue read 100,0 %. It now sends the reader to the one statement of the rule, under the table."""
    web.login()
    answer = web.client.get("/board")
    assert answer.status_code == 200, answer.text
    page = answer.text
    caption = page.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
    assert "tỷ lệ đúng hạn =" not in caption and 'href="#rate-note"' in caption, caption
    assert 'id="rate-note"' in page and "không phải là cột" in page.split('id="rate-note"', 1)[1]
