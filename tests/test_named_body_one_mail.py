"""The body the secretariat names for work never given to a body that ended hears of each part once.

Bình Sơn is dissolved on 01/07/2022, the day the quarter's reports are given: its third-quarter
report was never given to it and waits in "Cần phân công lại". The secretariat names Sở KH&CN for
the waiting parts that morning (the queue's bulk decision): the third-quarter report is given to it
by that decision. Its mailbox had two mails about that part, the decision's "Tiếp nhận nhiệm vụ …
từ UBND huyện Bình Sơn" saying the work was "đang thực hiện … giữ nguyên tình trạng" (it had never
been given to anyone) and the sweep's "Giao nhiệm vụ" an hour later. One mail now: the decision's,
saying the part was never given to the body that ended and is given to the named body that day."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.models import Notification
from dondoc.engine.settings import Settings
from dondoc.notifications.outbox import build_context
from dondoc.notifications.refresh import rerendered
from dondoc.notifications.render import render
from tests.support.successions import apply, at, load
from tests.support.sweep import run_sweep
from tests.support.web import WebEnv, csrf_of
from tests.test_succession_never_given import _catalog, _quarter

BOX = re.compile(r'name="id" value="(\d+):(\d+)" form="bulk-reassign"')
NAMED = "so-khcn@dondoc.example"


GIVING = ("inherited_work", "new_assignment")  # the mails that tell a body of work it is given


def _heard(session: Session) -> Counter[tuple[str, int]]:
    """How many mails telling of work given each (mailbox, assignment) has: a grouped notice counts
    for each part it lists. (A part already late is also told it is overdue, the next working day
    after its date: another step, which the body named must hear.)"""
    heard: Counter[tuple[str, int]] = Counter()
    for mail in session.exec(select(Notification).where(col(Notification.kind).in_(GIVING))).all():
        about = [mail.assignment_id] if mail.assignment_id is not None else mail.data.get("assignment_ids", [])
        heard.update((mail.recipient_email.casefold(), int(i)) for i in about)
    return heard


def test_the_named_body_hears_once_of_work_given_by_the_decision(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load(session, _catalog(tmp_path, "2022-07-01"), at("2022-03-02"))
        q3 = _quarter(session, "ubnd-binh-son", "2022-Q3").id or 0
        # the daily job on 01/07: the succession, then the sweep (the quarter's reports are given)
        apply(session, at("2022-07-01", 0))
        run_sweep(session, at("2022-07-01", 0))
    # 10:00, the secretariat names Sở KH&CN for every waiting part at once
    web.clock.set(at("2022-07-01", 10))
    web.login()
    page = web.client.get("/board/can-phan-cong-lai").text
    ticked = [f"{i}:{v}" for i, v in BOX.findall(page)]
    assert str(q3) in {t.split(":")[0] for t in ticked}
    form = {"csrf": csrf_of(page), "action": "reassign", "back": "/board/can-phan-cong-lai", "id": ticked}
    assert web.client.post("/board/bulk", data={**form, "agency": "so-khcn"}).status_code == 200
    with Session(web.engine) as session:
        for day, hour in (("2022-07-01", 11), ("2022-07-04", 7), ("2022-07-05", 7)):
            run_sweep(session, at(day, hour))
        heard = _heard(session)
        decided = [int(t.split(":")[0]) for t in ticked]
        assert {i: heard[NAMED, i] for i in decided} == dict.fromkeys(decided, 1)
        (told,) = session.exec(
            select(Notification).where(Notification.assignment_id == q3, Notification.recipient_email == NAMED)
        ).all()
        assert told.kind == "inherited_work"
        settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
        spec, _ = rerendered(session, told, now=at("2022-07-01", 12), settings=settings)
        assert spec is not None
        rendered = render(spec.kind, build_context(session, spec, now=at("2022-07-01", 12), settings=settings))
        text = " ".join(rendered.text.split())
    # never given to the body that ended: nothing passed on from it ("nhận chuyển giao"), given in its place
    assert rendered.subject.startswith("[Đôn đốc] Giao nhiệm vụ "), rendered.subject
    assert " thay UBND huyện Bình Sơn — " in rendered.subject and "chuyển giao" not in rendered.subject
    assert "chưa giao cho UBND huyện Bình Sơn" in text, text
    assert "giao quý cơ quan từ ngày 01/07/2022" in text, text
    assert "đang thực hiện" not in text and "giữ nguyên tình trạng" not in text, text
