"""A partner (phối hợp) asking to move its date: its extension form, the secretariat's queue row and
the decision form on the part's page say the lead's date in force, and say so when the day asked for
is after it (a warning: the secretariat decides). UBND huyện Bình Sơn, partner of 117/KH-UBND:II.6.5,
asked for 15/02/2023 while the lead's date was 03/01/2023, and nobody was told."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, update

from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.models import Assignment
from dondoc.engine.services.partner_dates import LeadDate, after_leads_words, lead_dates_words
from tests.support.web import ITEM, WebEnv, agency_act

LEAD_DATE = "Phối hợp — thời hạn của cơ quan chủ trì (Sở Thông tin và Truyền thông): 30/06/2022"
AFTER = "Ngày đề nghị 15/07/2022 sau thời hạn của cơ quan chủ trì Sở Thông tin và Truyền thông (30/06/2022)"


def _partner(web: WebEnv) -> int:
    """Văn phòng UBND tỉnh made a partner of the item's first milestone, whose lead (Sở TT&TT) is due 30/06/2022."""
    partner = web.assignment(ITEM, "vp-ubnd")
    with Session(web.engine) as session:
        session.execute(update(Assignment).where(col(Assignment.id) == partner).values(role="partner"))
        session.commit()
    return partner


def _row(html: str, assignment_id: int) -> str:
    return html.split(f'<tr data-id="{assignment_id}"', 1)[1].split("</tr>", 1)[0]


def test_a_partners_extension_names_its_leads_date_and_a_day_asked_after_it(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    partner, implementer = _partner(web), web.assignment(ITEM, "so-noi-vu")
    token = web.link("agency:vp-ubnd")
    page = f"/a/{token}/assignments/{partner}"
    form = web.client.get(page).text.split('id="form-extension"', 1)[1].split("</form>", 1)[0]
    assert LEAD_DATE in form  # before asking: the date its input is due at the lead

    data = {"action": "request_extension", "due": "2022-07-15", "comment": "Chờ số liệu."}
    assert agency_act(web, token, partner, data) == 303  # a warning, never a refusal
    assert AFTER in web.client.get(page).text  # the body is told once it has asked
    other = {"action": "request_extension", "due": "2022-07-15", "comment": "Chờ kinh phí."}
    assert agency_act(web, web.link("agency:so-noi-vu"), implementer, other) == 303

    web.login()
    queue = web.client.get("/board/de-nghi-gia-han").text
    row = _row(queue, partner)
    assert LEAD_DATE in row and AFTER in row
    plain = _row(queue, implementer)  # an implementer's request: no lead's date to follow
    assert "Phối hợp" not in plain and "sau thời hạn của cơ quan" not in plain
    decision = web.client.get(f"/board/assignments/{partner}").text.split('id="form-extend"', 1)[1]
    decision = decision.split("</form>", 1)[0]
    assert LEAD_DATE in decision and AFTER in decision


def test_a_day_asked_on_or_before_the_leads_date_is_not_warned(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    partner = _partner(web)
    with Session(web.engine) as session:  # its own date earlier than the lead's
        row = session.get_one(Assignment, partner)
        session.execute(
            update(Assignment)
            .where(col(Assignment.id) == partner)
            .values(due_at=datetime(2022, 6, 20, 23, 59, 59, tzinfo=LOCAL_TZ), version=row.version + 1)
        )
        session.commit()
    token = web.link("agency:vp-ubnd")
    data = {"action": "request_extension", "due": "2022-06-30", "comment": "Chờ số liệu."}
    assert agency_act(web, token, partner, data) == 303
    web.login()
    row = _row(web.client.get("/board/de-nghi-gia-han").text, partner)
    assert LEAD_DATE in row and "sau thời hạn của cơ quan" not in row


def test_several_leads_are_each_said_with_their_date_and_only_those_before_the_day_warned() -> None:
    leads = [
        LeadDate("Sở Thông tin và Truyền thông", datetime(2023, 1, 3, 23, 59, 59, tzinfo=LOCAL_TZ)),
        LeadDate("UBND huyện Bình Sơn", datetime(2023, 3, 31, 23, 59, 59, tzinfo=LOCAL_TZ)),
        LeadDate("Sở Nội vụ", None),  # waiting for its condition: no date yet
    ]
    assert lead_dates_words(leads, "tham mưu", DEFAULT_DAYS) == (
        "Phối hợp — thời hạn của cơ quan tham mưu (Sở Thông tin và Truyền thông): 03/01/2023; "
        "(UBND huyện Bình Sơn): 31/03/2023; (Sở Nội vụ): chưa có thời hạn"
    )
    assert after_leads_words(date(2023, 2, 15), leads, "tham mưu", DEFAULT_DAYS) == (
        "Ngày đề nghị 15/02/2023 sau thời hạn của cơ quan tham mưu Sở Thông tin và Truyền thông (03/01/2023)"
    )
    assert after_leads_words(date(2023, 1, 3), leads, "tham mưu", DEFAULT_DAYS) is None  # on the day: not after
