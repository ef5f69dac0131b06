"""What a person is told, in words they read: a refused step names the part as the pages do (the
item's code and the body: "phần việc 3765" named nothing anyone can find), a second "Tiếp nhận" says
the part was acknowledged already and on which day, and a cancelled part says "Đã hủy" once."""

from __future__ import annotations

import html
from datetime import datetime

import pytest
from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT, Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.errors import Backdated, ConditionNotMet, PermissionDenied, TransitionNotAllowed
from dondoc.engine.models import Assignment
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog, step
from tests.support.catalogs import MIN_CATALOG
from tests.support.web import ITEM, WebEnv


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> Assignment:
    """Sở Nội vụ's part of II.1's first milestone, the minimal catalog loaded."""
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return assignment_for(session, ITEM, "so-noi-vu")


PART = "phần việc của Sở Nội vụ ở nhiệm vụ 99/KH-TEST:II.1 (Phê duyệt cấp độ)"


def test_a_refused_step_names_the_part_by_its_item_and_body(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    ours = Actor.agency("so-noi-vu")
    with pytest.raises(ConditionNotMet) as refused:
        act(session, loaded.id or 0, Request(Action.REFUSE_EXTENSION, SECRETARIAT, comment="Không."), now=clock.now())
    said = str(refused.value)
    assert f'Không thể "Từ chối gia hạn" đối với {PART}:' in said and f"phần việc {loaded.id}" not in said
    other = assignment_for(session, ITEM, "vp-ubnd")
    with pytest.raises(PermissionDenied) as denied:
        act(session, other.id or 0, Request(Action.ACKNOWLEDGE, ours), now=clock.now())
    said = str(denied.value)
    assert "phần việc của Văn phòng UBND tỉnh ở nhiệm vụ 99/KH-TEST:II.1 (Phê duyệt cấp độ) thuộc cơ quan khác" in said
    assert f"phần việc {other.id}" not in said
    step(session, clock, loaded, Action.ACKNOWLEDGE, ours)
    step(session, clock, loaded, Action.REPORT, ours, comment="Đã xong.")
    with pytest.raises(TransitionNotAllowed) as refused_state:
        act(session, loaded.id or 0, Request(Action.PROGRESS, ours, percent=50), now=clock.now())
    said = str(refused_state.value)
    assert said.startswith(f'P{PART[1:]} đang ở trạng thái "Đã báo cáo"') and f"{loaded.id}" not in said


def test_a_second_acknowledgement_says_it_was_acknowledged_and_when(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    ours = Actor.agency("so-noi-vu")
    clock.set(datetime(2022, 3, 7, 9, 0, tzinfo=LOCAL_TZ))
    step(session, clock, loaded, Action.ACKNOWLEDGE, ours)
    with pytest.raises(TransitionNotAllowed) as again:
        act(session, loaded.id or 0, Request(Action.ACKNOWLEDGE, ours), now=clock.now())
    said = str(again.value)
    assert "đã được tiếp nhận ngày 07/03/2022" in said and 'không thể "Tiếp nhận"' not in said, said


def test_a_cancelled_part_says_cancelled_once(web: WebEnv) -> None:
    web.clock.set(datetime(2022, 6, 10, 9, 0, tzinfo=LOCAL_TZ))
    target = web.assignment(ITEM, "so-noi-vu")
    with Session(web.engine) as session:
        act(session, target, Request(Action.CANCEL, SECRETARIAT, comment="Không còn phù hợp."), now=web.clock.now())
        session.commit()
    token = web.link("agency:so-noi-vu")
    page = html.unescape(web.client.get(f"/a/{token}/assignments/{target}").text)
    state = page.split('id="state">', 1)[1].split("</dd>", 1)[0]
    assert state.count("Đã hủy") == 1, state


def test_a_step_dated_before_the_last_names_the_part(session: Session, clock: FrozenClock, loaded: Assignment) -> None:
    ours = Actor.agency("so-noi-vu")
    step(session, clock, loaded, Action.ACKNOWLEDGE, ours)
    with pytest.raises(Backdated) as refused:
        act(
            session,
            loaded.id or 0,
            Request(Action.PROGRESS, ours, percent=10),
            now=datetime(2022, 3, 1, tzinfo=LOCAL_TZ),
        )
    assert f"vào {PART}:" in str(refused.value) and f"phần việc {loaded.id}" not in str(refused.value)
