"""The same work in two documents, told: UBND Lý Sơn got two reminders on 16/09/2022, one for
1834/UBND-KGVX:2's radio milestone ("Phối hợp") and one for 117/KH-UBND:II.4.c ("Thực hiện"), with
no word that they are one piece of work, which one report answers. Each mail about an assignment
now names its same work and says which report counts where, as engine.services.same_work moves it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock
from dondoc.engine.models import Assignment, State
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.same_work import Counterpart, counterparts
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications.outbox import MailSpec, build_context
from dondoc.notifications.render import render
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import edit
from tests.support.web import WebEnv
from tests.test_catalog_same_work import OTHER, _linked_catalog

SETTINGS = Settings(_env_file=None, base_url="http://testserver", demo=True)  # type: ignore[call-arg]
FOLLOWER = "98/TB-TEST:2"  # its second milestone names 99/KH-TEST:II.1 (two milestones)
NAMED = "99/KH-TEST:II.1"
LABEL = "Việc chưa xong ở kế hoạch kia"


def _of(session: Session, row: Assignment) -> list[Counterpart]:
    return counterparts(session.connection(), row.id or 0, row.milestone_id, row.agency_id)


def _mail(session: Session, clock: FrozenClock, row: Assignment) -> tuple[str, str]:
    spec = MailSpec("t", "reminder", "agency", "so-tttt@example", "Sở TT&TT", row.id, None, held=False, data={})
    mail = render("reminder", build_context(session, spec, now=clock.now(), settings=SETTINGS))
    return mail.text, mail.html or ""


def _report(session: Session, clock: FrozenClock, row: Assignment) -> None:
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        clock.advance(timedelta(hours=1))
        act(session, row.id or 0, Request(action, Actor.agency("so-tttt"), comment="Đã hoàn thành."), now=clock.now())
    session.commit()


def _state(session: Session, row: Assignment) -> str:
    found = session.get(Assignment, row.id, populate_existing=True)
    assert found is not None
    return found.state


def test_each_side_names_the_other_and_which_report_counts_where(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    follower = assignment_for(session, FOLLOWER, "so-tttt", seq=2)
    first, second = (assignment_for(session, NAMED, "so-tttt", seq=s) for s in (1, 2))
    # the milestone that names the item: a report here counts there at once; a report there counts
    # here once both of the item's milestones are reported
    assert _of(session, follower) == [Counterpart(NAMED, parts=2)]
    follower_mail = _mail(session, clock, follower)[0]
    assert (
        f"- Cùng nội dung với: {NAMED} — báo cáo ở nhiệm vụ này được ghi nhận cho {NAMED}; báo cáo ở {NAMED}"
        " (đủ 2 mốc) được ghi nhận cho nhiệm vụ này\n"
    ) in follower_mail
    # the item's first milestone: a report on the follower counts here; a report here counts there
    # once the item's second milestone is reported too
    assert _of(session, first) == [Counterpart(FOLLOWER, LABEL, needs_there=(f"{NAMED} (mốc: Triển khai phương án)",))]
    assert _of(session, assignment_for(session, FOLLOWER, "so-tttt", seq=1)) == [Counterpart("99/KH-TEST:II.3")]
    assert _of(session, assignment_for(session, NAMED, "so-noi-vu")) == []  # not on the follower

    text, html = _mail(session, clock, first)
    said = (
        f"Cùng nội dung với: {FOLLOWER} (mốc: {LABEL}) — báo cáo ở nhiệm vụ này được ghi nhận cho {FOLLOWER}"
        f" khi đã báo cáo cả {NAMED} (mốc: Triển khai phương án); báo cáo ở {FOLLOWER} được ghi nhận cho"
        " nhiệm vụ này"
    )
    assert f"- {said}\n" in text and said.replace("Cùng nội dung với: ", "Cùng nội dung với</th><td>") in html

    # what the mail says is what the engine does: the first milestone's report moves nothing...
    _report(session, clock, first)
    assert _state(session, follower) == State.ASSIGNED
    # ...and the mail about the second, read now, says its own report is the last one needed
    text, _ = _mail(session, clock, second)
    assert f"{FOLLOWER} (mốc: {LABEL}) — báo cáo ở một trong hai nhiệm vụ được ghi nhận cho cả hai\n" in text
    _report(session, clock, second)
    assert _state(session, follower) == State.REPORTED


def test_one_to_one_says_one_report_answers_both(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """1834/UBND-KGVX:2's radio milestone and 117/KH-UBND:II.4.c: one milestone, one item of one milestone."""
    catalog = _linked_catalog(tmp_path)
    edit(  # the first milestone names nothing here: two milestones of one item naming II.3 are two parts of it
        catalog,
        OTHER,
        '"Việc đã xong ở kế hoạch kia", deadline: "trước ngày 15/02/2022", same_work_as: ["99/KH-TEST:II.3"]}',
        '"Việc đã xong ở kế hoạch kia", deadline: "trước ngày 15/02/2022"}',
    )
    edit(
        catalog,
        OTHER,
        f'same_work_as: ["{NAMED}"]',
        'same_work_as: ["99/KH-TEST:II.3"]',  # II.3: one milestone; so-tttt's, reopened below
    )
    edit(
        catalog, "plans/test-plan.yaml", '    deadline: "Tháng 02/2022 (đã hoàn thành)"\n    done_at_issue: true\n', ""
    )
    edit(
        catalog,
        "plans/test-plan.yaml",
        '    source: "Mục II.3"\n',
        '    source: "Mục II.3"\n    deadline: "Tháng 6/2022"\n',
    )
    load_min_catalog(session, clock.now(), catalog)
    item = assignment_for(session, "99/KH-TEST:II.3", "so-tttt")
    both = "báo cáo ở một trong hai nhiệm vụ được ghi nhận cho cả hai"
    assert f"- Cùng nội dung với: {FOLLOWER} (mốc: " in _mail(session, clock, item)[0]
    assert both in _mail(session, clock, item)[0]
    assert (
        f"- Cùng nội dung với: 99/KH-TEST:II.3 — {both}\n"
        in _mail(session, clock, assignment_for(session, FOLLOWER, "so-tttt", seq=2))[0]
    )
    plain = assignment_for(session, "98/TB-TEST:1", "ubnd-ly-son")  # II.3 is not Lý Sơn's: nothing said
    assert _of(session, plain) == []


def test_the_assignment_page_says_it_too(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _linked_catalog(tmp_path))
        session.commit()
        first = assignment_for(session, NAMED, "so-tttt", seq=1)
        said = _of(session, first)[0].said
        plain = assignment_for(session, NAMED, "so-noi-vu")
    page = web.client.get(f"/a/{web.link('agency:so-tttt')}/assignments/{first.id}").text
    assert f'<dt>Cùng nội dung với</dt><dd class="same-work">{said}</dd>' in page
    assert said.startswith(f"{FOLLOWER} (mốc: {LABEL}) — ")
    assert "Cùng nội dung với" not in web.client.get(f"/a/{web.link('agency:so-noi-vu')}/assignments/{plain.id}").text


def test_cancelled_work_it_waits_for_is_said_to_block(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    """The rule waits for all of the body's work on the items a milestone names, cancelled work
    included (never done): the line had said "một trong hai … cả hai" all the same."""
    from sqlalchemy import update

    load_min_catalog(session, clock.now(), _linked_catalog(tmp_path))
    follower = assignment_for(session, FOLLOWER, "so-tttt", seq=2)
    first, second = (assignment_for(session, NAMED, "so-tttt", seq=s) for s in (1, 2))
    session.execute(update(Assignment).where(Assignment.id == second.id).values(state=State.CANCELLED.value))
    session.commit()
    assert _of(session, follower)[0].said == (
        f"{NAMED} — báo cáo ở nhiệm vụ này được ghi nhận cho {NAMED}; "
        f"báo cáo ở {NAMED} không được ghi nhận cho nhiệm vụ này vì có phần việc đã hủy"
    )
    assert _of(session, first)[0].said == (
        f"{FOLLOWER} (mốc: {LABEL}) — báo cáo ở nhiệm vụ này không được ghi nhận cho {FOLLOWER} vì có phần việc"
        f" đã hủy; báo cáo ở {FOLLOWER} được ghi nhận cho nhiệm vụ này"
    )
    _report(session, clock, first)  # what the engine does: the follower stays
    assert _state(session, follower) == State.ASSIGNED


def test_a_lead_told_of_another_bodys_part_is_not_told_of_that_bodys_same_work(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The line speaks of "báo cáo ở nhiệm vụ này": in a mail to the lead about a partner's or an
    implementer's part, it read as the lead's own report."""
    catalog = _linked_catalog(tmp_path)
    edit(
        catalog,
        OTHER,
        '    lead: [so-tttt]\n    deadline: "trước ngày 15/02/2022"\n    milestones:',
        ('    lead: [so-tttt]\n    implementers: [so-noi-vu]\n    deadline: "trước ngày 15/02/2022"\n    milestones:'),
    )
    load_min_catalog(session, clock.now(), catalog)
    part = assignment_for(session, NAMED, "so-noi-vu")  # Sở Nội vụ's part of II.1, whose lead is Sở TT&TT
    assert _of(session, part)  # it has same work under 98/TB-TEST:2

    def told(role: str, email: str) -> str:
        spec = MailSpec("t", "overdue", role, email, "x", part.id, None, held=False, data={})
        return render("overdue", build_context(session, spec, now=clock.now(), settings=SETTINGS)).text

    assert "Cùng nội dung với" in told("agency", "so-noi-vu@example")
    assert "Cùng nội dung với" not in told("lead", "so-tttt@example")
