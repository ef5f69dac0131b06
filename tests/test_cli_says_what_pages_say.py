"""`dondoc assignments list|show` say what the part's page says: the lists' lateness (counted from
the day given for work given after its date: the list had printed 74 days from a date the body never
had, where the page says 55 since it was given), the role in the text's word ("Tham mưu" under
"Cơ quan tham mưu", not "Chủ trì"), a part with no date as such ("hạn — (theo văn bản: —)"), and
a giving line recorded on another day than the body is given the work (a later period's report:
"Đã giao từ ngày …"; a plan loaded after its issue: "ngày giao theo văn bản: …")."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, Event, PlanItem
from dondoc.engine.services.actor_names import actor_names, actor_words
from dondoc.engine.vi_format import vn_datetime
from dondoc.web import templating
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok
from tests.support.web import ITEM, WAITING, WebEnv, agency_act

LOADED = datetime(2022, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


def _line(listed: str, part: int) -> str:
    (line,) = [line for line in listed.splitlines() if line.lstrip().startswith(f"{part} ")]
    return line


def test_work_given_after_its_date_is_late_from_the_day_given_on_the_list_and_the_part(
    db_url: str, session: Session
) -> None:
    load_min_catalog(session, LOADED, MIN_CATALOG)
    part = assignment_for(session, ITEM, "ubnd-binh-son").id or 0
    given = datetime(2022, 7, 4, 9, 0, tzinfo=LOCAL_TZ)  # named after its date, 30/06/2022
    session.execute(update(Assignment).where(col(Assignment.id) == part).values(assigned_at=given))
    session.commit()
    now = "2022-08-01T09:00"
    line = _line(ok(dondoc(db_url, "assignments", "list", "--agency", "ubnd-binh-son", now=now)), part)
    assert "kể từ ngày giao 04/07/2022" in line and "giao sau thời hạn" in line, line
    shown = ok(dondoc(db_url, "assignments", "show", str(part), now=now))
    assert "kể từ ngày giao 04/07/2022" in shown, shown


def test_the_lead_is_named_in_the_texts_word_and_a_part_with_no_date_says_so(db_url: str, session: Session) -> None:
    load_min_catalog(session, LOADED, MIN_CATALOG)
    item = session.exec(select(PlanItem).where(PlanItem.code == ITEM)).one()
    item.roles_as_written = {**item.roles_as_written, "lead_heading": "Cơ quan tham mưu"}
    session.add(item)
    session.commit()
    lead = assignment_for(session, ITEM, "so-tttt").id or 0
    line = _line(ok(dondoc(db_url, "assignments", "list", "--agency", "so-tttt", now="2022-03-02T10:00")), lead)
    assert "Tham mưu" in line and "Chủ trì" not in line, line
    assert "vai trò: Tham mưu" in ok(dondoc(db_url, "assignments", "show", str(lead), now="2022-03-02T10:00"))
    waiting = assignment_for(session, WAITING, "vp-ubnd").id or 0
    shown = ok(dondoc(db_url, "assignments", "show", str(waiting), now="2022-03-02T10:00"))
    assert "chưa có thời hạn (theo văn bản: Theo lộ trình" in shown and "hạn —" not in shown, shown


def test_a_giving_line_recorded_on_another_day_says_the_day_given(db_url: str, session: Session) -> None:
    load_min_catalog(session, LOADED, MIN_CATALOG)
    later = assignment_for(session, ITEM, "so-noi-vu").id or 0
    earlier = assignment_for(session, ITEM, "vp-ubnd").id or 0
    values = {later: datetime(2022, 4, 1, 7, 0, tzinfo=LOCAL_TZ), earlier: datetime(2022, 2, 10, 7, 0, tzinfo=LOCAL_TZ)}
    for part, given in values.items():
        session.execute(update(Assignment).where(col(Assignment.id) == part).values(assigned_at=given))
    session.commit()
    shown = ok(dondoc(db_url, "assignments", "show", str(later), now="2022-05-02T10:00"))
    assert "Đã giao từ ngày 01/04/2022" in shown, shown
    shown = ok(dondoc(db_url, "assignments", "show", str(earlier), now="2022-05-02T10:00"))
    assert "ngày giao theo văn bản: 10/02/2022" in shown, shown


def test_the_indicators_list_says_whose_period_a_figure_is_and_names_the_periods(db_url: str) -> None:
    """`indicators list` had printed "Kỳ 2022 | Thực hiện 77,8" for a first half's figure, and codes
    ("2022-H1", "@ubnd-cap-huyen") where the agency's page has words; it says what the page says."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    listed = json.loads(
        ok(dondoc(db_url, "indicators", "list", "--agency", "ubnd-binh-son", "--json", now="2022-06-20"))
    )
    report = ["indicators", "report", str(listed[0]["indicator_id"]), "--agency", "ubnd-binh-son"]
    ok(dondoc(db_url, *report, "--period", "2022-H1", "--value", "12", now="2022-06-20"))
    shown = ok(dondoc(db_url, "indicators", "list", "--agency", "ubnd-binh-son", now="2022-06-21"))
    year = [line for line in shown.splitlines() if "Năm 2022" in line]
    half = [line for line in shown.splitlines() if "6 tháng đầu năm 2022" in line and "Năm 2022" not in line]
    assert year and "12 (số liệu 6 tháng đầu năm 2022)" in year[0], shown
    assert half and "12" in half[0] and "(số liệu" not in half[0], shown
    assert "2022-H1" not in shown, shown


def test_the_history_and_requests_name_the_body_and_the_dates_the_page_names(db_url: str, session: Session) -> None:
    """`assignments show` had printed the acting body's code ("so-cong-thuong") where the page says
    "Sở Công Thương", an extension's line with no new date where the page says "hạn mới 17/10/2022"
    and why (the day asked was a Saturday), and the answered request as "Gia hạn: " with nothing
    after it, where the page says who answered and when."""
    load_min_catalog(session, LOADED, MIN_CATALOG)
    part = str(assignment_for(session, ITEM, "ubnd-binh-son").id)
    ok(dondoc(db_url, "assignments", "act", part, "acknowledge", "--as", "ubnd-binh-son", now="2022-03-02T09:00"))
    asked = ("--due", "2022-07-16", "--comment", "Chờ kinh phí")  # a Saturday: the next working day is 18/07
    ok(
        dondoc(
            db_url,
            "assignments",
            "act",
            part,
            "request_extension",
            "--as",
            "ubnd-binh-son",
            *asked,
            now="2022-03-03T09:00",
        )
    )
    granted = ("--due", "2022-07-16", "--user", "tgv")
    ok(dondoc(db_url, "assignments", "act", part, "extend", "--as", "secretariat", *granted, now="2022-03-04T09:00"))
    shown = ok(dondoc(db_url, "assignments", "show", part, now="2022-03-05T09:00"))
    assert "ubnd-binh-son " not in shown.split("Thư:")[0].split("\n", 2)[2], shown  # past the header's "[code]"
    assert "UBND huyện Bình Sơn" in _row(shown, "Tiếp nhận"), shown
    assert "đề nghị hạn 16/07/2022" in _row(shown, "Đề nghị gia hạn"), shown
    extended = _row(shown, "Gia hạn")
    assert "hạn mới 18/07/2022" in extended and "ngày 16/07/2022 là ngày nghỉ (Thứ Bảy)" in extended, extended
    request = _row(shown, "Đề nghị gia hạn: Chờ kinh phí")
    assert "UBND huyện Bình Sơn" in request and "Gia hạn (Tổ giúp việc, 04/03/2022 09:00)" in request, request
    assert "Gia hạn: " not in request, request


def _row(shown: str, action: str) -> str:
    """The first line of ``shown`` that holds ``action`` between two columns."""
    return next(line for line in shown.splitlines() if f"  {action}  " in line or f"  {action}" in line)


def _page_actors(page: str) -> list[str]:
    """The "Người thực hiện" cells of a part's history on its page, as a reader sees them."""
    table = page.split('class="grid history stack"', 1)[1].split("</table>", 1)[0]
    return [html.unescape(cell) for cell in re.findall(r'<td data-label="Người thực hiện">(.*?)</td>', table)]


def _history_actor(shown: str, when: str) -> str:
    """The actor column of the history line of ``shown`` (``assignments show``) at ``when``."""
    line = next(line for line in shown.splitlines() if line.strip().startswith(when))
    return re.split(r"\s{2,}", line.strip())[1]


def test_the_page_and_the_command_name_each_history_line_s_actor_alike(
    web: WebEnv, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The part's page built "actor (account)" in its template while ``assignments show`` and the
    conflict message read ``actor_names.actor_words``: two rules for one line. The page reads the one
    rule now, and both say the same words of the same events (the catalog, a body, a clerk's account)."""
    part = web.assignment(ITEM, "so-noi-vu")
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    assert agency_act(web, web.link("agency:so-noi-vu"), part, {"action": "acknowledge"}) == 303
    web.login()
    web.clock.set(datetime(2022, 6, 13, 10, 0, tzinfo=LOCAL_TZ))
    form = {**web.form(f"/board/assignments/{part}"), "action": "extend", "due": "2022-09-30"}
    assert web.client.post(f"/board/assignments/{part}/act", data=form).status_code == 303
    page = web.client.get(f"/board/assignments/{part}").text
    shown = ok(dondoc(db_url, "assignments", "show", str(part), now="2022-06-14T09:00"))
    with Session(web.engine) as session:
        events = session.exec(select(Event).where(Event.assignment_id == part).order_by(col(Event.id))).all()
        words = [actor_words(e.actor, e.actor_account, actor_names(session, [e.actor])) for e in events]
        stamps = [vn_datetime(e.at) for e in events]
    assert "Sở Nội vụ" in words and "Tổ giúp việc (tgv)" in words and "Danh mục văn bản" in words, words
    assert _page_actors(page) == words
    assert [_history_actor(shown, stamp) for stamp in stamps] == words, shown
    # the page's words are the rule's, not a copy of it in the template
    monkeypatch.setitem(templating._env.globals, "actor_words", lambda *args: f"«{actor_words(*args)}»")
    assert _page_actors(web.client.get(f"/board/assignments/{part}").text) == [f"«{w}»" for w in words]
