"""The page of a body that ended says where its work stands at the instant it is read.

Sở Thông tin và Truyền thông was split by function on 01/03/2025; on 03/03 all 90 of its parts
waited in "Cần phân công lại", yet its old link's page said its work "đã chuyển cho Sở Khoa học và
Công nghệ, Sở Văn hóa, Thể thao và Du lịch" (the successors by the catalog, whatever the transfers'
state); 55 went later to Sở KH&CN, 35 were closed, none to Sở VH-TT&DL. Now the sentence counts the
transfers as they stood then (engine.services.successions.succeeded_vi): passed to whom, waiting,
closed; a look-back before the decision still says waiting."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Agency, AgencyTransfer, TransferStatus
from dondoc.engine.services.successions import close_waiting
from tests.support.web import WebEnv
from tests.test_web_successions import _split

SPLIT_PAGE = (
    "Sở Thông tin và Truyền thông không còn từ ngày 01/08/2022 (tách theo chức năng): "
    "công việc chưa hoàn thành khi đó: "
)
WAITS = "phần việc đang chờ Tổ giúp việc phân công lại. Căn cứ: Nghị định 99/2022/NĐ-TEST."


def _on(day: int, hour: int = 10) -> datetime:
    return datetime(2022, 8, day, hour, 0, tzinfo=LOCAL_TZ)


def _said(web: WebEnv, link: str) -> str:
    page = web.client.get(f"/a/{link}")
    assert page.status_code == 410
    return html.unescape(page.text)


def _waiting(web: WebEnv) -> list[int]:
    with Session(web.engine) as session:
        old = session.exec(select(Agency.id).where(Agency.code == "so-tttt")).one()
        return sorted(
            session.exec(
                select(AgencyTransfer.assignment_id).where(
                    AgencyTransfer.from_agency_id == old, col(AgencyTransfer.status) == TransferStatus.PENDING.value
                )
            ).all()
        )


def test_the_page_says_the_work_waits_then_where_it_went_and_a_look_back_what_stood(
    web: WebEnv, tmp_path: Path
) -> None:
    old_link = web.link("agency:so-tttt", days=365)  # issued before the split
    _split(web, tmp_path)  # applied on 01/08/2022 09:00: a split by function queues all its work
    waiting = _waiting(web)
    assert len(waiting) >= 2
    web.clock.set(_on(2))
    said = _said(web, old_link)
    assert f"{SPLIT_PAGE}{len(waiting)} {WAITS}" in said, said
    assert "đã chuyển" not in said and "Sở Khoa học" not in said and "Sở Văn hóa" not in said, said
    # 03/08: the secretariat gives one part to Sở KH&CN and closes the others as they wait
    web.clock.set(_on(3))
    web.login()
    url = f"/board/can-phan-cong-lai/{waiting[0]}"
    done = web.client.post(url, data={**web.form("/board/can-phan-cong-lai", waiting[0]), "agency": "so-khcn"})
    assert done.status_code == 303
    with Session(web.engine) as session:
        for assignment_id in waiting[1:]:
            close_waiting(session, assignment_id, decided_by="Tổ giúp việc", now=web.clock.now())
        session.commit()
    web.clock.set(_on(4))
    said = _said(web, old_link)
    assert (
        f"{SPLIT_PAGE}1 phần việc đã chuyển cho Sở Khoa học và Công nghệ; {len(waiting) - 1} phần việc đã đóng "
        "khi chờ (hủy hoặc hoàn thành), không chuyển cho cơ quan nào. Căn cứ:"
    ) in said, said
    assert "Sở Văn hóa" not in said and "đang chờ" not in said, said
    # a look-back to 02/08: the decision of 03/08 had not been taken
    web.clock.set(_on(2))
    said = _said(web, old_link)
    assert f"{SPLIT_PAGE}{len(waiting)} {WAITS}" in said, said
    assert "đã chuyển" not in said, said
