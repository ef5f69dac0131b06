"""Open work follows a succession, on both databases: state, due date, ladder and history survive;
nothing is escalated to a body that no longer exists; no open assignment is left with a dissolved
body without a decision waiting in "Cần phân công lại"."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from dondoc.engine.actors import SECRETARIAT, Actor, Recipient
from dondoc.engine.errors import (
    ConditionNotMet,
    Conflict,
    InvalidInput,
    PermissionDenied,
    TransitionNotAllowed,
)
from dondoc.engine.escalation.recipients import Directory, Person, committee_addresses
from dondoc.engine.models import (
    TERMINAL_STATE_VALUES,
    Agency,
    AgencyTransfer,
    Assignment,
    CommitteeMember,
    Event,
    Notification,
    State,
)
from dondoc.engine.services import successions
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import (
    apply_due_successions,
    pending_assignment_ids,
    waiting_transfers,
)
from dondoc.engine.services.transfer_origins import holders_on
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.jobs import run_successions
from dondoc.notifications import build_digests
from dondoc.notifications.outbox import build_context
from dondoc.notifications.refresh import rerendered
from dondoc.notifications.render import render
from tests.factories import assignment_for
from tests.support.databases import act_behind
from tests.support.successions import SOURCE, apply, at, load, succession_catalog, successions_yaml
from tests.support.sweep import run_sweep

II_1 = "99/KH-TEST:II.1"


def _snapshot(row: Assignment) -> tuple:
    return (row.milestone_id, row.role, row.state, row.due_at, row.original_due_at, row.assigned_at, row.progress)


def _history(session: Session, assignment_id: int) -> list[tuple]:
    events = session.exec(select(Event).where(Event.assignment_id == assignment_id).order_by(col(Event.id))).all()
    return [(e.action, e.at, e.from_state, e.to_state) for e in events]


def _code(session: Session, agency_id: int) -> str:
    agency = session.get(Agency, agency_id)
    assert agency is not None
    return agency.code


def _open_with(session: Session, code: str) -> list[Assignment]:
    agency = session.exec(select(Agency).where(Agency.code == code)).one()
    return list(
        session.exec(
            select(Assignment).where(
                Assignment.agency_id == agency.id, col(Assignment.state).not_in(TERMINAL_STATE_VALUES)
            )
        )
    )


def _start(session: Session, tmp_path: Path, kind: str) -> Path:
    catalog = succession_catalog(tmp_path, successions_yaml(kind))
    load(session, catalog, at("2022-03-02"))
    return catalog


@pytest.mark.parametrize(
    ("kind", "old", "new"), [("rename", "vp-ubnd", "vp-ubnd-moi"), ("absorb", "ubnd-ly-son", "so-khcn")]
)
def test_automatic_kinds_pass_the_work_and_keep_everything(
    session: Session, tmp_path: Path, kind: str, old: str, new: str
) -> None:
    catalog = _start(session, tmp_path, kind)
    row = assignment_for(session, II_1, old, seq=2)
    act(session, row.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(old), comment=None), now=at("2022-04-01"))
    session.commit()
    session.refresh(row)
    before, history = _snapshot(row), _history(session, row.id or 0)
    assert apply(session, at("2022-07-31")).transferred == []  # not before its date
    report = apply(session, at("2022-08-01"))
    assert (row.id, old, new, f"test-{kind}") in report.transferred
    session.refresh(row)
    assert _code(session, row.agency_id) == new
    assert _snapshot(row) == before and row.state == State.IN_PROGRESS  # state, due date, ladder anchor
    after = _history(session, row.id or 0)
    assert after[: len(history)] == history and after[-1][0] == "agency_transfer"
    event = session.exec(select(Event).where(Event.assignment_id == row.id).order_by(col(Event.id).desc())).first()
    assert event is not None
    assert event.data["from"] == old and event.data["to"] == new and event.data["source"] == SOURCE
    assert event.data["decided_by"] == "catalog" and event.data["effective_on"] == "2022-08-01"
    assert _open_with(session, old) == []
    # idempotent, and a reload of the catalog neither recreates the old body's row nor orphans the new one
    assert apply(session, at("2022-08-02")).transferred == []
    reload = load(session, catalog, at("2022-08-03"))
    assert reload.created.get("assignment", 0) == 0 and not [
        o for o in reload.orphaned if f"(nhiệm vụ {II_1}, mốc 2," in o
    ]
    # the new holder acts on it
    act(session, row.id or 0, Request(Action.REPORT, Actor.agency(new), comment="Đã hoàn thành."), now=at("2022-08-04"))
    session.commit()
    # the periodic report of the past still finds the body as it was
    assert holders_on(session, [row.id or 0], date(2022, 6, 30)) == {
        row.id: session.get(Agency, before_agency(session, old)).id
    }  # type: ignore[union-attr]


def test_a_successor_is_told_which_inherited_work_is_backlog_never_chased(session: Session, tmp_path: Path) -> None:
    """The 2025 replay's inherited-work mails listed 2019 work ("Thời hạn: trước ngày 20/12/2019 –
    Tình trạng: Đã giao") among the work to take over and report, without a word that work due before
    the tracking start is never chased."""
    from dondoc.engine.clock import DEFAULT_DAYS
    from dondoc.engine.services.tracking import set_tracking_start
    from dondoc.notifications.inherited import apply_successions

    _start(session, tmp_path, "absorb")  # UBND Lý Sơn → Sở KH&CN on 01/08/2022
    set_tracking_start(session, date(2022, 7, 15))  # II.1's first milestone, due 30/06/2022: before it
    session.commit()
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    apply_successions(session, now=at("2022-08-01"), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    (told,) = session.exec(select(Notification).where(Notification.kind == "inherited_work")).all()
    text = " ".join((told.body_text or "").split())
    backlog, current = (assignment_for(session, II_1, "so-khcn", seq=n) for n in (1, 2))
    facts = text.split("- Nhiệm vụ: ")[1:]
    (old,) = [f for f in facts if "30/06/2022" in f]
    assert "việc tồn đọng: hạn trước ngày bắt đầu theo dõi (15/07/2022), không nhắc hạn, không báo quá hạn" in old
    assert all("việc tồn đọng" not in f for f in facts if f is not old) and len(facts) > 1
    assert backlog.id in told.data["assignment_ids"] and current.id in told.data["assignment_ids"]
    # cancelled, it is nobody's backlog: its mail does not say "việc tồn đọng … quyết định hủy"
    act(session, backlog.id or 0, Request(Action.CANCEL, SECRETARIAT, comment="Không còn cần."), now=at("2022-08-02"))
    session.commit()
    (cancelled,) = session.exec(
        select(Notification).where(
            Notification.assignment_id == backlog.id, Notification.kind == "assignment_cancelled"
        )
    ).all()
    spec, _ = rerendered(session, cancelled, now=at("2022-08-02"), settings=settings)
    assert spec is not None
    text = render(spec.kind, build_context(session, spec, now=at("2022-08-02"), settings=settings)).text
    assert "Tình trạng: Đã hủy" in text and "việc tồn đọng" not in text


def before_agency(session: Session, code: str) -> int:
    return session.exec(select(Agency.id).where(Agency.code == code)).one() or 0


def test_merge_passes_one_and_queues_the_duplicate(session: Session, tmp_path: Path) -> None:
    _start(session, tmp_path, "merge")
    first = assignment_for(session, II_1, "so-noi-vu", seq=2)
    second = assignment_for(session, II_1, "vp-ubnd", seq=2)
    report = apply(session, at("2022-08-01"))
    session.refresh(first)
    session.refresh(second)
    assert _code(session, first.agency_id) == "so-moi"
    # the successor already holds this milestone: the secretariat decides for the second
    assert _code(session, second.agency_id) == "vp-ubnd" and second.id in pending_assignment_ids(session)
    assert (second.id, "vp-ubnd", "test-merge") in report.queued


def _half_year_figures(session: Session, indicator_id: int, sent: tuple[tuple[str, float, str], ...]) -> None:
    """Each (agency, value, day): the agency's figure for 2022-H1 of the indicator, sent that day."""
    from dondoc.engine.services import indicators as ind

    for code, value, day in sent:
        ind.report_actual(
            session, indicator_id=indicator_id, agency_code=code, period_code="2022-H1", value=value,
            note=None, actor=Actor.agency(code), now=at(day),
        )  # fmt: skip
    session.commit()


def test_a_target_follows_the_work_to_the_successor(session: Session, tmp_path: Path) -> None:
    """The 2025 replay's quarterly report still listed "> 90 %" for eight bodies that had ended, and
    their successors, told they inherited the work, were refused: "không được giao chỉ tiêu"."""
    from dondoc.engine.models import Indicator
    from dondoc.engine.services import indicators as ind

    _start(session, tmp_path, "absorb")  # UBND Lý Sơn (its own 10 %) → Sở KH&CN on 01/08/2022
    indicator = session.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    ly_son, khcn = (before_agency(session, code) for code in ("ubnd-ly-son", "so-khcn"))
    ind.report_actual(
        session, indicator_id=indicator.id or 0, agency_code="ubnd-ly-son", period_code="2022-H1", value=8.0,
        note=None, actor=Actor.agency("ubnd-ly-son"), now=at("2022-06-20"),
    )  # fmt: skip
    session.commit()
    assert {(a.agency_id, a.target) for a in ind.answers(session, indicator)} >= {(ly_son, 10)}
    apply(session, at("2022-08-01"))
    answers = {a.agency_id: a for a in ind.answers(session, indicator)}
    assert ly_son not in answers and answers[khcn].target == 10 and answers[khcn].scope == "ubnd-ly-son"
    # its predecessor's figure stands for it until it sends its own, and it may send one
    latest = ind.latest_actuals(session, ["2022-H1"])
    assert latest[(indicator.id or 0, khcn, "ubnd-ly-son")].value == 8.0
    sent = ind.report_actual(
        session, indicator_id=indicator.id or 0, agency_code="so-khcn", period_code="2022-H2", value=12.0,
        note=None, actor=Actor.agency("so-khcn"), now=at("2022-08-05"),
    )  # fmt: skip
    assert sent.scope == "ubnd-ly-son"


def test_a_successor_with_its_own_target_keeps_its_own_figures(session: Session, tmp_path: Path) -> None:
    """VP UBND absorbed into Sở Nội vụ, each "@so-ban-nganh": 30 %. Sở Nội vụ had sent 50 % for the
    half-year, VP UBND 5 % ten days later: after the absorption the report gave Sở Nội vụ 5 %."""
    from dondoc.engine.models import Indicator
    from dondoc.engine.services import indicators as ind

    text = successions_yaml("absorb", body="from: [vp-ubnd]\n    to: [{agency: so-noi-vu}]")
    load(session, succession_catalog(tmp_path, text), at("2022-03-02"))
    indicator = session.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    _half_year_figures(session, indicator.id or 0, (("so-noi-vu", 50.0, "2022-06-10"), ("vp-ubnd", 5.0, "2022-06-20")))
    apply(session, at("2022-08-01"))
    noi_vu = before_agency(session, "so-noi-vu")
    assert ind.latest_actuals(session, ["2022-H1"])[(indicator.id or 0, noi_vu, "@so-ban-nganh")].value == 50.0
    assert [(a.agency_id, a.scope) for a in ind.answers(session, indicator)].count((noi_vu, "@so-ban-nganh")) == 1


def test_a_target_follows_a_chain_of_successions_through_a_duplicate(session: Session, tmp_path: Path) -> None:
    """UBND Lý Sơn (10 %) absorbed into Sở KH&CN, which held a part of II.1 already (Lý Sơn's waited as
    duplicates), then Sở KH&CN merged into Sở HN: the target stayed with Sở KH&CN, a body that had
    ended, and Sở HN was refused "không được giao chỉ tiêu"."""
    from dondoc.engine.models import Indicator
    from dondoc.engine.services import indicators as ind
    from tests.support.catalogs import edit
    from tests.support.successions import PLAN

    second = successions_yaml("merge", body="from: [so-khcn]\n    to: [{agency: so-moi}]", on="2022-09-01", key="m2")
    text = successions_yaml("absorb") + second[len("successions:\n") :]
    catalog = succession_catalog(tmp_path, text)
    edit(
        catalog,
        PLAN,
        'implementers: ["@so-ban-nganh", "@ubnd-cap-huyen"]',
        'implementers: ["@so-ban-nganh", "@ubnd-cap-huyen", so-khcn]',
    )
    load(session, catalog, at("2022-03-02"))
    indicator = session.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    apply(session, at("2022-08-01"))
    apply(session, at("2022-09-01"))
    merged = before_agency(session, "so-moi")
    assert (merged, "ubnd-ly-son", 10) in {(a.agency_id, a.scope, a.target) for a in ind.answers(session, indicator)}
    sent = ind.report_actual(
        session, indicator_id=indicator.id or 0, agency_code="so-moi", period_code="2022-H2", value=9.0,
        note=None, actor=Actor.agency("so-moi"), now=at("2022-09-05"),
    )  # fmt: skip
    assert sent.scope == "ubnd-ly-son"


def test_two_holders_merged_into_one_answer_lend_it_neither_figure(session: Session, tmp_path: Path) -> None:
    """Sở Nội vụ (50 %) and VP UBND (5 %, sent later), each "@so-ban-nganh", merge into Sở HN: the later
    5 % had become Sở HN's figure. Two bodies' figures are not one's: none stands for it."""
    from dondoc.engine.models import Indicator
    from dondoc.engine.services import indicators as ind

    _start(session, tmp_path, "merge")
    indicator = session.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    _half_year_figures(session, indicator.id or 0, (("so-noi-vu", 50.0, "2022-06-10"), ("vp-ubnd", 5.0, "2022-06-20")))
    apply(session, at("2022-08-01"))
    merged = before_agency(session, "so-moi")
    assert (indicator.id or 0, merged, "@so-ban-nganh") not in ind.latest_actuals(session, ["2022-H1"])


def test_a_target_of_a_body_whose_part_was_closed_is_nobodys(session: Session, tmp_path: Path) -> None:
    """Sở LĐ-TB&XH, split in 2025, had its part of the item cancelled while it waited: the quarterly
    report to the chair still listed its "> 90 %", "Chưa đánh giá được", for a body that had ended."""
    from dondoc.engine.models import Indicator
    from dondoc.engine.services import indicators as ind

    _start(session, tmp_path, "dissolve")  # UBND Bình Sơn (its own 20 %) ends; its parts wait
    indicator = session.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    apply(session, at("2022-08-01"))
    binh_son = before_agency(session, "ubnd-binh-son")
    assert binh_son in {a.agency_id for a in ind.answers(session, indicator)}  # waiting: still its, for now
    for assignment_id in pending_assignment_ids(session):
        act(
            session,
            assignment_id,
            Request(Action.CANCEL, SECRETARIAT, comment="Cấp huyện kết thúc"),
            now=at("2022-08-03"),
        )
    session.commit()
    assert binh_son not in {a.agency_id for a in ind.answers(session, indicator)}


def test_merged_bodies_answer_a_shared_target_once(session: Session, tmp_path: Path) -> None:
    """Sở Nội vụ and VP UBND (each "@so-ban-nganh": 30 %) merge into Sở Hợp nhất: one answer, not two."""
    from dondoc.engine.models import Indicator
    from dondoc.engine.services import indicators as ind

    _start(session, tmp_path, "merge")
    indicator = session.exec(select(Indicator).where(Indicator.code == "dvctt")).one()
    apply(session, at("2022-08-01"))
    merged = before_agency(session, "so-moi")
    held = [(a.agency_id, a.scope) for a in ind.answers(session, indicator)]
    assert held.count((merged, "@so-ban-nganh")) == 1
    assert not {before_agency(session, c) for c in ("so-noi-vu", "vp-ubnd")} & {a for a, _ in held}


@pytest.mark.parametrize(("kind", "old"), [("split", "so-tttt"), ("dissolve", "ubnd-binh-son")])
def test_split_and_dissolve_wait_for_the_secretariat(session: Session, tmp_path: Path, kind: str, old: str) -> None:
    _start(session, tmp_path, kind)
    row = assignment_for(session, II_1, old, seq=2)
    before = _snapshot(row)
    report = apply(session, at("2022-08-01"))
    assert (row.id, old, f"test-{kind}") in report.queued
    # no open assignment is left with the body that ended without a decision waiting
    waiting = pending_assignment_ids(session)
    assert all(a.id in waiting for a in _open_with(session, old))
    queue = waiting_transfers(session, at("2022-08-01"))
    (entry,) = [w for w in queue if w.assignment_id == row.id]
    assert entry.from_code == old and entry.kind == kind and entry.source == SOURCE
    if kind == "split":
        assert [c[0] for c in entry.candidates] == ["so-khcn", "so-vhttdl"]
        assert entry.candidates[0][2] == ["chuyển đổi số"]
    # nothing is escalated to the body that ended: its ladder goes to the secretariat
    for day in range(0, 140, 4):
        run_sweep(session, at("2022-08-02") + timedelta(days=day))
    mails = session.exec(select(Notification).where(Notification.assignment_id == row.id)).all()
    late = [n for n in mails if n.created_at >= at("2022-08-01")]
    assert late, "the ladder kept running for the waiting assignment"
    assert all(n.recipient_email != f"{old}@dondoc.example" for n in late)
    assert not {n.recipient_role for n in late} & {"agency", "partner"}  # the body itself is never addressed
    assert "secretariat" in {n.recipient_role for n in late}

    # the decision (the table's reassign): only the secretariat, only an agency that exists, then the work moves on
    def reassign(agency: str, actor: Actor = SECRETARIAT, account: str | None = None) -> None:
        request = Request(Action.REASSIGN, actor, agency=agency, account=account)
        act(session, row.id or 0, request, now=at("2022-12-20"))

    with pytest.raises(PermissionDenied):
        reassign("so-khcn", Actor.agency("so-noi-vu"))
    with pytest.raises(InvalidInput, match='không có cơ quan mã "khong-co"'):
        reassign("khong-co")
    with pytest.raises(InvalidInput, match=r"đã kết thúc hoạt động \(ngày 31/07/2022\)\.$"):
        reassign(old)
    with pytest.raises(InvalidInput, match="cần mã cơ quan"):
        reassign(" ")
    session.rollback()
    reassign("so-khcn", account="tgv1")
    session.commit()
    with pytest.raises(ConditionNotMet, match="không chờ phân công lại"):  # decided: the table refuses a second
        reassign("so-vhttdl")
    session.rollback()
    session.refresh(row)
    assert _code(session, row.agency_id) == "so-khcn" and _snapshot(row) == before
    assert row.id not in pending_assignment_ids(session)
    event = session.exec(select(Event).where(Event.assignment_id == row.id).order_by(col(Event.id).desc())).first()
    assert event is not None and event.action == "agency_transfer"
    assert event.data["decided_by"] == "secretariat" and event.actor_account == "tgv1"
    transfer = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == row.id)).one()
    assert transfer.status == "done" and transfer.effective_on == date(2022, 8, 1)
    # the body named hears of its new work, in the same words as an automatic successor, once
    (told,) = session.exec(
        select(Notification).where(Notification.assignment_id == row.id, Notification.kind == "inherited_work")
    ).all()
    assert (told.recipient_role, told.recipient_email) == ("agency", "so-khcn@dondoc.example")
    assert told.dedupe_key == f"request:{event.id}:agency" and told.data["decided_by"] == "secretariat"
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    spec, _ = rerendered(session, told, now=at("2022-12-20"), settings=settings)
    assert spec is not None
    text = render(spec.kind, build_context(session, spec, now=at("2022-12-20"), settings=settings)).text
    assert "Tổ giúp việc phân công quý cơ quan nhận chuyển giao nhiệm vụ dưới đây, giữ nguyên tình trạng" in text
    assert (
        f"Từ ngày 01/08/2022, {session.exec(select(Agency.name).where(Agency.code == old)).one()} không còn" in text
        and SOURCE in text
    )


def test_a_dissolution_is_said_in_one_pair_of_brackets(session: Session, tmp_path: Path) -> None:
    """The successor named for a dissolved body's work read "UBND huyện Bình Sơn không còn (giải thể
    (không có cơ quan kế nhiệm cùng loại); căn cứ: …)": brackets in brackets, in the mail and in the
    history. The kind is said as a clause of the one bracket."""
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    apply(session, at("2022-08-01"))
    act(session, row.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-08-05"))
    session.commit()
    (told,) = session.exec(
        select(Notification).where(Notification.assignment_id == row.id, Notification.kind == "inherited_work")
    ).all()
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    spec, _ = rerendered(session, told, now=at("2022-08-05"), settings=settings)
    assert spec is not None
    mail = render(spec.kind, build_context(session, spec, now=at("2022-08-05"), settings=settings))
    name = session.exec(select(Agency.name).where(Agency.code == "ubnd-binh-son")).one()
    said = f"Từ ngày 01/08/2022, {name} không còn (giải thể, không có cơ quan kế nhiệm cùng loại; căn cứ: {SOURCE})."
    for text in (mail.text, mail.html):
        assert said in " ".join(text.split()), text
    event = session.exec(select(Event).where(Event.assignment_id == row.id).order_by(col(Event.id).desc())).first()
    assert event is not None and event.comment == (
        f"Chuyển từ {name} sang {session.exec(select(Agency.name).where(Agency.code == 'so-khcn')).one()} "
        f"(giải thể, không có cơ quan kế nhiệm cùng loại, hiệu lực từ 01/08/2022; căn cứ: {SOURCE})."
    )


def test_a_succession_loaded_late_is_recorded_when_loaded(session: Session, tmp_path: Path) -> None:
    catalog = succession_catalog(tmp_path)  # no successions yet
    load(session, catalog, at("2022-03-02"))
    row = assignment_for(session, II_1, "vp-ubnd", seq=2)
    act(session, row.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency("vp-ubnd"), comment=None), now=at("2022-09-10"))
    session.commit()
    (catalog / "successions.yaml").write_text(successions_yaml("rename"), encoding="utf-8")
    load(session, catalog, at("2022-10-05"))
    report = apply(session, at("2022-10-05"))
    assert report.late == ["test-rename"]
    history = _history(session, row.id or 0)
    assert [h[1] for h in history] == sorted(h[1] for h in history)  # never backdated
    assert history[-1][0] == "agency_transfer" and history[-1][1] == at("2022-10-05")
    event = session.exec(select(Event).where(Event.assignment_id == row.id).order_by(col(Event.id).desc())).first()
    assert event is not None and event.data["effective_on"] == "2022-08-01"


ROSTER = """  roster:
    - {role: secretariat, agency: so-khcn, title: "Cơ quan thường trực mới", email: "thuong-truc@dondoc.example",
       valid_from: 2022-09-01}
"""


def test_the_roster_is_dated(session: Session, tmp_path: Path) -> None:
    catalog = succession_catalog(tmp_path, roster=ROSTER)
    text = (catalog / "agencies.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'email: "to-giup-viec@dondoc.example"}', 'email: "to-giup-viec@dondoc.example", valid_to: 2022-08-31}'
    )
    (catalog / "agencies.yaml").write_text(text, encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    from dondoc.engine.actors import Recipient

    before = committee_addresses(session, date(2022, 8, 31))[Recipient.SECRETARIAT]
    after = committee_addresses(session, date(2022, 9, 1))[Recipient.SECRETARIAT]
    assert before.email == "to-giup-viec@dondoc.example" and after.email == "thuong-truc@dondoc.example"
    # escalations decided on either side of the hand-over go to different standing agencies
    row = assignment_for(session, II_1, "so-noi-vu", seq=1)
    assert Directory(session, date(2022, 8, 31)).resolve("secretariat", row.agency_id, row.milestone_id)[0] == before
    assert Directory(session, date(2022, 9, 1)).resolve("secretariat", row.agency_id, row.milestone_id)[0] == after


def test_a_past_period_shows_the_body_as_it_was_and_the_board_the_holder_now(session: Session, tmp_path: Path) -> None:
    from dondoc.engine.reports import build_report
    from dondoc.engine.services.queries import category_counts

    _start(session, tmp_path, "rename")
    apply(session, at("2022-08-01"))
    now = at("2022-12-01")
    first_half = build_report(session, period_code="2022-H1", now=now)
    rows = {r.code: r for r in first_half.by_agency}
    assert rows["vp-ubnd"].rates.tasks_due == 2 and "vp-ubnd-moi" not in rows  # no work of its own in H1
    assert "vp-ubnd-moi" not in {r.agency_code for r in first_half.overdue}
    # a later period: the new body holds the overdue milestone
    third = build_report(session, period_code="2022-Q3", now=now)
    assert {r.agency_code for r in third.overdue if r.item_code == II_1} >= {"vp-ubnd-moi"}
    # the board now: the open work is with the current holder; the work done before stays with the old body
    board = {r.key: r.total for r in category_counts(session, now, by="agency")}
    assert board.get("vp-ubnd-moi") == 3 and board.get("vp-ubnd") == 1


def test_nobody_asks_a_body_that_ended_for_an_explanation(session: Session, tmp_path: Path) -> None:
    """The chair asked Sở Ngoại vụ, ended on 01/03/2025, to explain a delay: the request went to the
    secretariat as "đề nghị quý cơ quan giải trình", which only an agency may answer, with a link to a
    form it does not have. Work waiting in "Cần phân công lại" has nobody to ask until it is reassigned
    (the rule book's condition not_waiting_transfer); nothing is written."""
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    apply(session, at("2022-08-01"))
    before = session.exec(select(func.count()).select_from(Notification)).one()
    asked = Request(Action.REQUEST_EXPLANATION, Actor.parse("chair"), comment="Vì sao chậm?")
    with pytest.raises(ConditionNotMet, match="đang chờ Tổ giúp việc phân công lại"):
        act(session, row.id or 0, asked, now=at("2022-12-20"))
    session.rollback()
    assert session.exec(select(func.count()).select_from(Notification)).one() == before


def test_a_report_of_a_body_that_ended_is_not_sent_back_to_it(session: Session, tmp_path: Path) -> None:
    """Sent back after the body ended, its report went to the secretariat as "trả lại báo cáo kết quả
    của quý cơ quan … Bổ sung và gửi lại báo cáo", a form only an agency has, and the work could
    then be neither reported nor verified. Waiting in "Cần phân công lại", it has nobody to send it
    back to (not_waiting_transfer): the secretariat verifies, cancels or reassigns it."""
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    act(session, row.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son")), now=at("2022-04-01"))
    done = Request(Action.REPORT, Actor.agency("ubnd-binh-son"), comment="Đã hoàn thành.")
    act(session, row.id or 0, done, now=at("2022-07-20"))
    session.commit()
    apply(session, at("2022-08-01"))
    with pytest.raises(ConditionNotMet, match="đang chờ Tổ giúp việc phân công lại"):
        act(session, row.id or 0, Request(Action.RETURN, SECRETARIAT, comment="Đề nghị làm rõ"), now=at("2022-12-20"))
    session.rollback()
    # where the sweep sends an ended body's ladder, the one rule (recipients.agency_mailbox)
    secretariat = committee_addresses(session, date(2022, 12, 20))
    directory = Directory(session, date(2022, 12, 20))
    assert directory.resolve("agency", row.agency_id, row.milestone_id) == [secretariat[Recipient.SECRETARIAT]]


def test_an_ended_body_s_ladder_is_said_to_nobody_when_the_secretariat_has_no_address(
    session: Session, tmp_path: Path
) -> None:
    """The secretariat answers for a body that ended; its seat with no address on the roster, the sweep's
    mail to the body had resolved to nobody and was dropped without a word (recipients.agency_mailbox
    gave no mailbox). It is the seat now, with no address: its row is held, its digest written failed."""
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    apply(session, at("2022-08-01"))
    seat = session.exec(select(CommitteeMember).where(CommitteeMember.role == "secretariat")).one()
    seat.email = None
    session.add(seat)
    session.commit()
    directory = Directory(session, date(2022, 12, 20))
    nobody = Person("secretariat", "", "Tổ giúp việc")
    assert directory.resolve("agency", row.agency_id, row.milestone_id) == [nobody]  # before: []


@pytest.mark.parametrize("action", [Action.CANCEL, Action.EXTEND])
def test_the_secretariat_is_not_told_of_its_own_decision_on_a_body_that_ended(
    session: Session, tmp_path: Path, action: Action
) -> None:
    """Cancelling an ended body's work mailed the Tổ giúp việc "Tổ giúp việc đã hủy phần việc dưới
    đây của quý cơ quan: quý cơ quan không còn phải thực hiện …": its own decision, about work that
    was never its own. A decision that asks for nothing is not redirected to the one who took it."""
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    apply(session, at("2022-08-01"))
    decided_at = at("2022-12-20")
    step = Request(action, SECRETARIAT, comment="Cấp huyện kết thúc", due=date(2023, 1, 31))
    act(session, row.id or 0, step, now=decided_at)
    session.commit()
    assert session.exec(select(Event).where(Event.assignment_id == row.id, Event.action == action.value)).one()
    mails = session.exec(
        select(Notification).where(Notification.assignment_id == row.id, Notification.created_at == decided_at)
    ).all()
    assert mails == []


def test_cancelling_waiting_work_takes_it_out_of_the_queue(session: Session, tmp_path: Path) -> None:
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    apply(session, at("2022-08-01"))
    assert row.id in pending_assignment_ids(session)
    why = "Cấp huyện kết thúc: nhiệm vụ do cấp xã thực hiện"
    act(session, row.id or 0, Request(Action.CANCEL, SECRETARIAT, comment=why), now=at("2022-08-04"))
    session.commit()
    assert row.id not in pending_assignment_ids(session)
    assert all(w.assignment_id != row.id for w in waiting_transfers(session, at("2022-08-04")))
    transfer = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == row.id)).one()
    assert (transfer.status, transfer.decided_by, transfer.to_agency_id) == ("closed", "secretariat", None)
    # and the transition table no longer offers the decision
    with pytest.raises(TransitionNotAllowed):
        act(session, row.id or 0, Request(Action.REASSIGN, SECRETARIAT, agency="so-khcn"), now=at("2022-08-05"))


def test_the_secretariat_hears_every_day_of_the_work_waiting_for_its_decision(session: Session, tmp_path: Path) -> None:
    """On 01/03/2025 the replay put 398 parts of bodies that ended in "Cần phân công lại", nobody to
    chase for them, and no mail told the secretariat until its digest with other news, on 17/03."""
    _start(session, tmp_path, "dissolve")
    apply(session, at("2022-08-01"))
    waiting = pending_assignment_ids(session)
    assert waiting
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    (digest,) = [
        d for d in build_digests(session, now=at("2022-08-02"), settings=settings) if d.recipient_role == "secretariat"
    ]
    assert digest.data["counts"]["reassign"] == len(waiting)
    listed = digest.data["reassignments"]
    assert len(listed) == min(len(waiting), 20) and {r["agency_name"] for r in listed} == {"UBND huyện Bình Sơn"}
    text = " ".join(digest.body_text.split())
    assert f"Phần việc chờ phân công lại ({len(waiting)}; cũ nhất lên trước)" in text
    assert f"- Phần việc chờ phân công lại: {len(waiting)} - Thư không gửi được" in text  # among the counts
    # the body that will take the work over, not "tiếp nhận" (a body acknowledging its own work)
    decide = "cho đến khi Tổ giúp việc chọn cơ quan nhận phần việc hoặc hủy, tại danh sách"
    assert decide in text and decide in " ".join((digest.body_html or "").split())
    assert "tiếp nhận hoặc hủy" not in text
    assert "ghi nhận ngày 01/08/2022; chờ 1 ngày làm việc" in text, text
    assert all(r["milestone_label"] for r in listed)  # II.1's two milestones are two lines: which is which
    assert "(mốc: Triển khai phương án); UBND huyện Bình Sơn (" in text
    assert f"{len(waiting)} phần việc chờ phân công lại" in digest.subject
    # decided, the work leaves the queue, and a day with nothing else to say has no digest
    for assignment_id in waiting:
        why = "Cấp huyện kết thúc"
        act(session, assignment_id, Request(Action.CANCEL, SECRETARIAT, comment=why), now=at("2022-08-03"))
    session.commit()
    later = [
        d for d in build_digests(session, now=at("2022-08-04"), settings=settings) if d.recipient_role == "secretariat"
    ]
    assert later == []  # nothing else to say that day: no digest


def test_a_lead_is_not_told_of_a_cancelled_part_of_a_body_that_ended(session: Session, tmp_path: Path) -> None:
    """The 2025 replay's secretariat cancelled the parts merged bodies had left waiting, each beside
    its successor's own: 256 leads were mailed "Để biết: phần việc phối hợp của … được hủy" in one
    morning, of bodies that no longer existed. A living partner's cancellation is told (test_request_mails)."""
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    row.role = "partner"
    session.add(row)
    session.commit()
    apply(session, at("2022-08-01"))
    why = "Cấp huyện kết thúc: nhiệm vụ do cấp xã thực hiện"
    act(session, row.id or 0, Request(Action.CANCEL, SECRETARIAT, comment=why), now=at("2022-08-04"))
    session.commit()
    told = session.exec(
        select(Notification).where(Notification.assignment_id == row.id, Notification.kind == "assignment_cancelled")
    ).all()
    assert [n.recipient_role for n in told] == []  # the body is gone, the secretariat decided it: nobody


def test_a_lead_is_asked_to_compile_when_the_last_input_awaited_was_a_body_that_ended(
    session: Session, tmp_path: Path
) -> None:
    """VP UBND had sent its input; UBND Bình Sơn, the other partner, ended with the district level and
    its part was cancelled: the lead is told the rest are in (nothing else would ask it)."""
    _start(session, tmp_path, "dissolve")
    lead = assignment_for(session, II_1, "so-tttt", seq=2)
    parts = session.exec(
        select(Assignment).where(Assignment.milestone_id == lead.milestone_id, Assignment.id != lead.id)
    ).all()
    for part in parts:  # two partners, UBND Bình Sơn and VP UBND; nobody else takes part
        if _code(session, part.agency_id) in ("ubnd-binh-son", "vp-ubnd"):
            part.role = "partner"
        else:
            part.state = State.CANCELLED
        session.add(part)
    session.commit()
    vp = assignment_for(session, II_1, "vp-ubnd", seq=2)
    act(session, vp.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency("vp-ubnd")), now=at("2022-07-20"))
    act(session, vp.id or 0, Request(Action.REPORT, Actor.agency("vp-ubnd"), comment="Ý kiến VP"), now=at("2022-07-21"))
    session.commit()
    apply(session, at("2022-08-01"))
    gone = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    act(session, gone.id or 0, Request(Action.CANCEL, SECRETARIAT, comment="Cấp huyện kết thúc"), now=at("2022-08-04"))
    session.commit()
    (told,) = session.exec(
        select(Notification).where(Notification.assignment_id == gone.id, Notification.kind == "assignment_cancelled")
    ).all()
    assert (told.recipient_role, told.recipient_email, told.data["partners_all_in"]) == (
        "lead",
        "so-tttt@dondoc.example",
        True,
    )


def test_verifying_waiting_work_takes_it_out_of_the_queue(session: Session, tmp_path: Path) -> None:
    """Work reported before its body ended is verified while it waits: nothing is left to hand over."""
    _start(session, tmp_path, "dissolve")
    row = assignment_for(session, II_1, "ubnd-binh-son", seq=2)
    for step, day in ((Action.ACKNOWLEDGE, "2022-07-19"), (Action.REPORT, "2022-07-20")):
        act(session, row.id or 0, Request(step, Actor.agency("ubnd-binh-son"), comment="Đã hoàn thành."), now=at(day))
    session.commit()
    apply(session, at("2022-08-01"))
    assert row.id in pending_assignment_ids(session)
    act(session, row.id or 0, Request(Action.VERIFY, SECRETARIAT, comment=None), now=at("2022-08-02"))
    session.commit()
    assert row.id not in pending_assignment_ids(session)
    assert all(w.assignment_id != row.id for w in waiting_transfers(session, at("2022-08-04")))
    transfer = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == row.id)).one()
    assert (transfer.status, transfer.decided_by) == ("closed", "secretariat")


def _reported_with_dissolving_body(engine: Engine, tmp_path: Path) -> int:
    """An assignment of ubnd-binh-son (dissolved on 2022-08-01), reported before its body ended."""
    with Session(engine, expire_on_commit=False) as setup:
        _start(setup, tmp_path, "dissolve")
        row = assignment_for(setup, II_1, "ubnd-binh-son", seq=2)
        for step, day in ((Action.ACKNOWLEDGE, "2022-07-19"), (Action.REPORT, "2022-07-20")):
            act(setup, row.id or 0, Request(step, Actor.agency("ubnd-binh-son"), comment="Đã hoàn thành."), now=at(day))
        setup.commit()
        return row.id or 0


@pytest.mark.postgres
def test_queueing_holds_the_row_against_a_verification_under_way(pg_engine: Engine, tmp_path: Path) -> None:
    """The pass queues the work while the secretariat verifies it: the verification waits for the
    pass, then is refused (it read the row before the queueing), instead of leaving a verified task
    waiting in "Cần phân công lại" that its own check for a pending transfer could not see."""
    target = _reported_with_dissolving_body(pg_engine, tmp_path)
    verify = Request(Action.VERIFY, SECRETARIAT, comment=None)
    with Session(pg_engine) as job:
        assert target in [queued[0] for queued in apply_due_successions(job, now=at("2022-08-01")).queued]
        refused = act_behind(job, pg_engine, target, verify, at("2022-08-01", 9))  # waits for the pass
    assert isinstance(refused, Conflict)
    with Session(pg_engine) as check:
        assert target in pending_assignment_ids(check)  # it waits, and is still to verify
        act(check, target, verify, now=at("2022-08-01", 10))
        check.commit()
        assert target not in pending_assignment_ids(check)


def test_the_pass_runs_again_when_someone_changed_a_row_meanwhile(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A focal point acts on the work between the pass's reading and its writing: the pass's first
    attempt is refused and written off whole, and the next one queues the work as it now stands;
    the sweep after it is not lost to the race."""
    with Session(engine, expire_on_commit=False) as setup:
        _start(setup, tmp_path, "dissolve")
        target = assignment_for(setup, II_1, "ubnd-binh-son", seq=2).id or 0
    read = successions._pending_ids
    attempts: list[list[int]] = []

    def racing(session: Session, ids: list[int]) -> set[int]:
        if not attempts:  # the first pass has read the row; the focal point acknowledges it now
            with Session(engine) as focal_point:
                act(
                    focal_point,
                    target,
                    Request(Action.ACKNOWLEDGE, Actor.agency("ubnd-binh-son")),
                    now=at("2022-07-29"),
                )
                focal_point.commit()
        attempts.append(ids)
        return read(session, ids)

    monkeypatch.setattr(successions, "_pending_ids", racing)
    report = run_successions(engine, now=at("2022-08-01"), settings=Settings(_env_file=None))  # type: ignore[call-arg]
    assert len(attempts) == 2 and target in [queued[0] for queued in report.queued]
    with Session(engine) as check:
        row = check.get(Assignment, target)
        assert row is not None and row.state == State.IN_PROGRESS
        assert [a for a, *_ in _history(check, target)][-2:] == ["acknowledge", "transfer_pending"]
        assert (
            check.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == target)).one().status == "pending"
        )


def test_the_periodic_report_says_whom_overdue_work_was_received_from(session: Session, tmp_path: Path) -> None:
    """The 2025 replay's Quý I/2025 report, its overdue sheet and its mail's bodies most behind, named
    Sở KH&CN for a report Sở TT&TT had not sent on 25/12/2024, passed on in the 03/2025 merger, with no
    word that the lateness began with the body before, where the digests say "nhận chuyển giao từ …".
    Counted once, under its holder; said in the digests' words (engine.status.given_late_words)."""
    import io

    from openpyxl import load_workbook

    from dondoc.engine.reports import build_report
    from dondoc.engine.reports import render as render_report
    from dondoc.engine.role_words import lead_words
    from dondoc.notifications.context import common_context
    from dondoc.report_job import summary

    _start(session, tmp_path, "rename")
    apply(session, at("2022-08-01"))  # VP UBND's work due 30/06, passed on under its new name
    data = build_report(session, period_code="2022-Q3", now=at("2022-12-01"))
    (received,) = [r for r in data.overdue if r.agency_code == "vp-ubnd-moi"]
    said = (
        f"quá hạn {received.days_since_received} ngày làm việc kể từ ngày nhận chuyển giao 01/08/2022 "
        f"(nhận chuyển giao từ Văn phòng UBND tỉnh; {received.days_late} ngày làm việc kể từ thời hạn)"
    )
    assert received.received_words == said and received.days_since_received < received.days_late
    assert all(r.received_words is None for r in data.overdue if r is not received)  # held by their date
    for fmt in ("html", "md"):
        assert said in render_report(data, fmt).decode("utf-8")
    # the figure it leads with is the body's: since it received the work, as the pages say it
    assert received.lateness == received.days_since_received
    lead = f'<td class="n">{received.days_since_received}<br><span class="note">{said}</span>'
    assert lead in render_report(data, "html").decode("utf-8")
    assert f"| {received.days_since_received} ({said}) |" in render_report(data, "md").decode("utf-8")
    sheet = load_workbook(io.BytesIO(render_report(data, "xlsx")))["Quá hạn"]
    column = [cell.value for cell in sheet[1]].index("Nhận chuyển giao sau thời hạn")
    assert said in [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    roles = ("lead", "implementer")
    told = summary(data, roles, None, None, lead_words(session))
    (top,) = [row for row in told["top_overdue"] if row["name"] == received.agency_name]
    assert top["overdue"] == 1  # counted once, under its holder
    assert top["received"] == "1 phần việc nhận chuyển giao sau thời hạn từ Văn phòng UBND tỉnh ngày 01/08/2022"
    assert all(row["received"] is None for row in told["top_overdue"] if row is not top)
    facts = {
        "period_label": data.period_label,
        "as_of": "30/09/2022",
        "cutoff": None,
        "attachment_name": "bao-cao-quy-iii-2022.xlsx",
        "summary": told,
        "sent_on": "30/09/2022",
        "tracking_start": None,
        "earlier": None,
    }
    context = {**common_context("chair", None, settings=Settings(demo=True)), **facts, "link": "https://x"}
    mail = render("periodic_report", context)
    line = f"{received.agency_name}: 1 phần việc (trong đó {top['received']})"
    assert line in " ".join(mail.text.split()) and line in mail.html


def _q3_passed_late(session: Session, tmp_path: Path) -> Any:
    """VP UBND renamed on 26/09/2022, its report of Quý III (the quarter's own days: due 20/09), not
    sent, passed on after its date; the report of Quý III read on 10/10."""
    from dondoc.engine.reports import build_report
    from tests.support.catalogs import edit, report_catalog
    from tests.support.successions import NEW_AGENCIES

    catalog = report_catalog(tmp_path, cutoff=False)
    edit(catalog, "agencies.yaml", "agencies:\n", NEW_AGENCIES)
    (catalog / "successions.yaml").write_text(successions_yaml("rename", on="2022-09-26"), encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    apply(session, at("2022-09-26"))
    return build_report(session, period_code="2022-Q3", now=at("2022-10-10"))


def test_section_four_says_whom_a_report_not_sent_was_received_from(session: Session, tmp_path: Path) -> None:
    """The 2025 replay's Quý I/2025 report named Sở KH&CN in its section IV, "Chưa báo cáo (quá hạn),
    51", for the report Sở TT&TT had not sent by 25/12/2024, passed on in the 05/03/2025 merger, with
    no word of it, where its section V and its sheet said "nhận chuyển giao từ Sở Thông tin và Truyền
    thông". A report the predecessor had not sent by its date is said so in section IV too, in the same
    words (engine.status.given_late_words), not sent yet or sent late by the body that received it."""
    import io

    from openpyxl import load_workbook

    from dondoc.engine.reports import build_report
    from dondoc.engine.reports import render as render_report
    from tests.support.catalogs import QUARTERLY

    data = _q3_passed_late(session, tmp_path)
    (missing,) = [d for d in data.duties if d.agency_code == "vp-ubnd-moi"]
    assert missing.status == "missing" and missing.period_text == "Quý III/2022"
    said = (
        f"quá hạn {missing.days_since_received} ngày làm việc kể từ ngày nhận chuyển giao 26/09/2022 "
        f"(nhận chuyển giao từ Văn phòng UBND tỉnh; {missing.days_late} ngày làm việc kể từ thời hạn)"
    )
    assert missing.received_words == said and 0 < missing.days_since_received < missing.days_late
    assert all(d.received_words is None for d in data.duties if d is not missing)  # held by their date
    (overdue,) = [o for o in data.overdue if o.agency_code == "vp-ubnd-moi" and o.milestone_words == "Quý III/2022"]
    assert overdue.received_words == said  # section V says it alike
    html, md = (render_report(data, fmt).decode("utf-8") for fmt in ("html", "md"))
    section_iv = html.split("<h2>IV.")[1].split("<h2>V.")[0]
    assert said in section_iv and said in md.split("## IV.")[1].split("## V.")[0]
    # sent late by the body that received it: the row says since when it had it, to the day sent
    report = assignment_for(session, QUARTERLY, "vp-ubnd-moi", seq=3).id or 0
    act(session, report, Request(Action.ACKNOWLEDGE, Actor.agency("vp-ubnd-moi")), now=at("2022-09-27"))
    act(session, report, Request(Action.REPORT, Actor.agency("vp-ubnd-moi"), comment="Đã gửi."), now=at("2022-09-28"))
    session.commit()
    data = build_report(session, period_code="2022-Q3", now=at("2022-10-10"))
    (late,) = [d for d in data.duties if d.agency_code == "vp-ubnd-moi"]
    assert late.status == "late" and late.days_since_received == 2 and late.days_late == 6
    said = (
        "quá hạn 2 ngày làm việc kể từ ngày nhận chuyển giao 26/09/2022 "
        "(nhận chuyển giao từ Văn phòng UBND tỉnh; 6 ngày làm việc kể từ thời hạn)"
    )
    assert late.received_words == said
    html, md = (render_report(data, fmt).decode("utf-8") for fmt in ("html", "md"))
    assert said in html.split("<h2>IV.")[1] and said in md.split("## IV.")[1].split("## V.")[0]
    # the workbook lists them on section IV's sheet
    sheet = load_workbook(io.BytesIO(render_report(data, "xlsx")))["Báo cáo định kỳ"]
    column = [cell.value for cell in sheet[1]].index("Nhận chuyển giao sau thời hạn")
    assert said in [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_section_four_leads_with_the_days_since_a_report_was_received(session: Session, tmp_path: Path) -> None:
    """The 2022 replay with Sở TN&MT merged into Sở NN&MT on 01/10/2022: the year's report said in
    section IV "Sở Nông nghiệp và Môi trường … Chưa báo cáo (quá hạn) | 199 (quá hạn 65 ngày làm việc
    kể từ ngày nhận chuyển giao 01/10/2022 …)" of Sở TN&MT's report of Quý I, where section V led the
    same part with 65: 199 is its predecessor's lateness, not the body's. Both lead with the body's
    own figure (OverdueRow.lateness), the days since the date in the words beside it."""
    import io

    from openpyxl import load_workbook

    from dondoc.engine.reports import render as render_report

    data = _q3_passed_late(session, tmp_path)
    (missing,) = [d for d in data.duties if d.agency_code == "vp-ubnd-moi"]
    (overdue,) = [o for o in data.overdue if o.agency_code == "vp-ubnd-moi" and o.milestone_words == "Quý III/2022"]
    since, said = missing.days_since_received or 0, missing.received_words
    assert 0 < since < missing.days_late and missing.lateness == since == overdue.lateness
    html, md = (render_report(data, fmt).decode("utf-8") for fmt in ("html", "md"))
    assert f"| Chưa báo cáo (quá hạn) | {since} ({said}) |" in md.split("## IV.")[1].split("## V.")[0]
    section_iv = html.split("<h2>IV.")[1].split("<h2>V.")[0]
    assert f'<td class="n">{since}<br><span class="note">{said}</span>' in section_iv, section_iv
    sheet = load_workbook(io.BytesIO(render_report(data, "xlsx")))["Báo cáo định kỳ"]
    header = [cell.value for cell in sheet[1]]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    # (its reports of earlier quarters, not sent either, are listed beside it: ReportData.earlier_duties)
    (row,) = [
        r
        for r in rows
        if r[header.index("Cơ quan")] == missing.agency_words and r[header.index("Kỳ")] == missing.period_text
    ]
    assert row[header.index("Số ngày làm việc trễ")] == since
    assert row[header.index("Nhận chuyển giao sau thời hạn")] == said
