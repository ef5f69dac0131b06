"""A body that ends by its validity alone (``valid_to``, no succession recorded: UBND Tây Trà, 2020)
leaves its open work to the secretariat's "Cần phân công lại", on both databases.

Its work had no way out: only the body holding a part reports it, and only work waiting in "Cần
phân công lại" can be reassigned, so the secretariat could extend or cancel it, not give it to the
body that now does that job. The board told it "phân công lại, hủy từng phần việc", the chair's
digest "phần việc do Tổ giúp việc phân công lại hoặc hủy", and the reassignment was refused:
"nhiệm vụ không chờ phân công lại (không ở danh sách Cần phân công lại)". Here Sở Nội vụ's validity
ends on 31/07/2022; its part of II.1 (due 30/06/2022) is late, its part due 15/11/2022 open."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.errors import ConditionNotMet
from dondoc.engine.models import TERMINAL_STATE_VALUES, Agency, AgencyTransfer, Assignment, Event, Notification
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.permissions import allowed_now
from dondoc.engine.services.successions import pending_assignment_ids, waiting_for_transfer, waiting_transfers
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import build_digests
from dondoc.notifications.outbox import build_context
from dondoc.notifications.refresh import rerendered
from dondoc.notifications.render import render
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import edit
from tests.support.successions import SOURCE, apply, at, load, succession_catalog, successions_yaml
from tests.support.web import ITEM, WebEnv

BODY = "so-noi-vu"
GROUND = "danh mục cơ quan (hoạt động đến hết ngày 31/07/2022)"
KIND = "theo danh mục cơ quan, chưa ghi nhận cơ quan kế nhiệm"


def _ending_catalog(tmp_path: Path) -> Path:
    """The succession test catalog, no succession, Sở Nội vụ's validity ending on 31/07/2022."""
    catalog = succession_catalog(tmp_path)
    mailbox = f'email: "{BODY}@dondoc.example"}}'
    edit(catalog, "agencies.yaml", mailbox, mailbox[:-1] + ", valid_to: 2022-07-31}")
    return catalog


def _open_of(session: Session, code: str) -> set[int]:
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    statement = select(Assignment.id).where(
        Assignment.agency_id == agency.id, col(Assignment.state).not_in(TERMINAL_STATE_VALUES)
    )
    return {i for i in session.exec(statement) if i is not None}


def test_the_open_work_of_a_body_ended_by_its_validity_waits_for_the_secretariat_who_gives_it_on(
    session: Session, tmp_path: Path
) -> None:
    load(session, _ending_catalog(tmp_path), at("2022-03-02"))
    part = assignment_for(session, ITEM, BODY)
    act(session, part.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(BODY), comment=None), now=at("2022-04-01"))
    session.commit()
    held = _open_of(session, BODY)
    assert part.id in held
    assert apply(session, at("2022-07-31")).queued == []  # it still exists on its last day
    report = apply(session, at("2022-08-02"))  # the first pass after: recorded then, never backdated
    assert {(i, code) for i, code, _ in report.queued} == {(i, BODY) for i in held}
    assert held <= pending_assignment_ids(session) and apply(session, at("2022-08-03")).queued == []
    history = session.exec(select(Event).where(Event.assignment_id == part.id).order_by(col(Event.id))).all()
    assert [e.action for e in history][-2:] == ["acknowledge", "transfer_pending"]
    assert history[-1].at == at("2022-08-02") and history[-1].comment == (
        "Sở Nội vụ không còn từ 01/08/2022. Cơ quan cũ không còn theo danh mục cơ quan, "
        "chưa ghi nhận cơ quan kế nhiệm: Tổ giúp việc chọn cơ quan nhận."
    )
    (line,) = [w for w in waiting_transfers(session, at("2022-08-02")) if w.assignment_id == part.id]
    assert (line.from_code, line.source, line.candidates) == (BODY, GROUND, [])
    # the body that ended no longer acts; the secretariat may now give the part on (the rule book's reassign)
    with pytest.raises(ConditionNotMet):
        act(session, part.id or 0, Request(Action.REPORT, Actor.agency(BODY), comment="Xong."), now=at("2022-08-03"))
    session.rollback()
    assert Action.REASSIGN in allowed_now(session, part.id or 0, SECRETARIAT, now=at("2022-08-03"))
    act(session, part.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-08-03"))
    session.commit()
    session.refresh(part)
    assert part.agency_id == session.exec(select(Agency.id).where(Agency.code == "so-khcn")).one()
    assert part.state == "in_progress" and not waiting_for_transfer(session, part.id or 0)
    transfer = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == part.id)).one()
    assert (transfer.status, str(transfer.passed_on)) == ("done", "2022-08-03")
    event = session.exec(select(Event).where(Event.assignment_id == part.id).order_by(col(Event.id).desc())).first()
    assert event is not None and event.action == "agency_transfer" and event.at == at("2022-08-03")
    assert event.comment == (
        f"Chuyển từ Sở Nội vụ sang Sở Khoa học và Công nghệ ({KIND}, hiệu lực từ 01/08/2022; căn cứ: {GROUND})."
    )
    # the body named is told as every body named for waiting work is
    (told,) = session.exec(
        select(Notification).where(Notification.assignment_id == part.id, Notification.kind == "inherited_work")
    ).all()
    assert (told.recipient_role, told.recipient_email) == ("agency", "so-khcn@dondoc.example")
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    spec, _ = rerendered(session, told, now=at("2022-08-03"), settings=settings)
    assert spec is not None
    text = " ".join(
        render(spec.kind, build_context(session, spec, now=at("2022-08-03"), settings=settings)).text.split()
    )
    assert f"Từ ngày 01/08/2022, Sở Nội vụ không còn ({KIND}; căn cứ: {GROUND})." in text
    assert "Tổ giúp việc phân công quý cơ quan nhận chuyển giao nhiệm vụ dưới đây" in text


def test_the_secretariat_sees_it_in_its_queue_and_the_chair_is_not_told_of_it_as_the_ended_bodys(
    web: WebEnv, tmp_path: Path
) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _ending_catalog(tmp_path))
        part = assignment_for(session, ITEM, BODY).id or 0
    web.clock.set(at("2022-07-29", 7))
    token = web.link(f"agency:{BODY}")  # its focal point's link, from a mail before its end
    for day in ("2022-08-01", "2022-08-02", "2022-08-03", "2022-08-04", "2022-08-05", "2022-08-08"):
        web.clock.set(at(day, 7))
        jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        (chair,) = [
            d for d in build_digests(session, now=web.clock.now(), settings=web.settings) if d.recipient_role == "chair"
        ]
        waiting = len(_open_of(session, BODY))
    assert "Sở Nội vụ" not in {g["agency_name"] for g in chair.data["groups"]}
    # its old link says how it ended and where its work stands, as a succession's body's does
    gone = web.client.get(f"/a/{token}")
    assert gone.status_code == 410 and (
        f"Sở Nội vụ không còn từ ngày 01/08/2022 ({KIND}): công việc chưa hoàn thành khi đó: "
        f"{waiting} phần việc đang chờ Tổ giúp việc phân công lại. Căn cứ: {GROUND}."
    ) in html.unescape(gone.text)
    web.login()
    queue = html.unescape(web.client.get("/board/can-phan-cong-lai").text)
    assert f"/board/assignments/{part}" in queue and f"Căn cứ: {GROUND}" in queue
    page = web.client.get(f"/board/assignments/{part}").text
    assert 'value="reassign"' in page
    # its history says what happened, not a reorganisation no record names
    said = html.unescape(page)
    assert "Chờ phân công lại (cơ quan được giao đã không còn)" in said and "tổ chức lại" not in said


def test_a_succession_recorded_after_its_work_waits_is_what_the_queue_says(session: Session, tmp_path: Path) -> None:
    """UBND Tây Trà's work waits as "theo danh mục cơ quan, chưa ghi nhận cơ quan kế nhiệm"; the
    secretariat then records what became of it (merged into its neighbour). The queue kept saying no
    successor was recorded, and offered none: it now says the succession recorded, and its successor."""
    catalog = _ending_catalog(tmp_path)
    load(session, catalog, at("2022-03-02"))
    held = _open_of(session, BODY)
    apply(session, at("2022-08-02"))
    assert held and held <= pending_assignment_ids(session)
    merged = successions_yaml("absorb", "from: [so-noi-vu]\n    to: [{agency: so-moi}]", on="2022-08-01")
    (catalog / "successions.yaml").write_text(merged, encoding="utf-8")
    load(session, catalog, at("2022-08-03"))
    apply(session, at("2022-08-03"))
    lines = [w for w in waiting_transfers(session, at("2022-08-03")) if w.from_code == BODY]
    assert {w.assignment_id for w in lines} == held
    for line in lines:
        assert (line.kind, line.source) == ("absorb", SOURCE) and [c[0] for c in line.candidates] == ["so-moi"]
        assert "chưa ghi nhận" not in line.reason
    # the history keeps what was true when the work was put there
    first = min(held)
    pending = session.exec(select(Event).where(Event.assignment_id == first, Event.action == "transfer_pending")).one()
    assert "chưa ghi nhận cơ quan kế nhiệm" in (pending.comment or "")
