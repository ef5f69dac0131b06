"""The sweep, replayed day by day with the clock: which rung fires when, and never twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.escalation.policy import Policy, PolicyInvalid, Rule, Trigger, load_policy
from dondoc.engine.escalation.recheck import skip_reason
from dondoc.engine.escalation.sweep import _latest_rungs, sweep
from dondoc.engine.models import Agency, Assignment, CommitteeMember, CommitteeRole, Notification, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications.delivery import deliver
from dondoc.notifications.outbox import MailSpec, rendered_columns
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG, shared_task_catalog
from tests.support.sweep import CALENDAR, POLICY, recording_enqueue, run_sweep, rungs_of


def replay(session: Session, clock: FrozenClock, until: date, on_day: Callable[[date], None] | None = None) -> dict:
    """Sweep every day at 08:00 up to ``until``; return {dedupe_key: day decided}."""
    decided: dict[str, date] = {}
    while clock.now().date() <= until:
        if on_day:
            on_day(clock.now().date())
        for decision in run_sweep(session, clock.now()):
            assert decision.dedupe_key not in decided, f"decided twice: {decision.dedupe_key}"
            decided[decision.dedupe_key] = clock.now().date()
        clock.advance(timedelta(days=1))
    return decided


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> int:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    session.execute(update(PlanItem).values(priority=False))  # the normal ladder
    session.commit()
    return assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu").id


def test_the_default_ladder_fires_on_the_right_days(session: Session, clock: FrozenClock, loaded: int) -> None:
    decided = replay(session, clock, date(2022, 7, 20))
    # Plan issued Tue 01/03/2022; milestone due Thu 30/06/2022; nobody acts.
    assert rungs_of(decided, loaded) == {
        ("chua-tiep-nhan-3", "agency", date(2022, 3, 4)),
        ("chua-tiep-nhan-5", "agency", date(2022, 3, 8)),
        ("chua-tiep-nhan-5", "secretariat", date(2022, 3, 8)),
        ("nhac-truoc-7", "agency", date(2022, 6, 21)),
        ("nhac-truoc-1", "agency", date(2022, 6, 29)),
        ("qua-han", "agency", date(2022, 7, 1)),
        ("qua-han", "lead", date(2022, 7, 1)),
        ("qua-han", "secretariat", date(2022, 7, 1)),
        ("qua-han-3", "vice-chair", date(2022, 7, 5)),
        ("qua-han-7", "chair", date(2022, 7, 11)),
    }
    new = [k for k in decided if k.startswith("giao-moi:") and k.endswith(":so-noi-vu")]
    assert len(new) == 1 and decided[new[0]] == date(2022, 3, 2)
    notice = session.exec(select(Notification).where(Notification.dedupe_key == new[0])).one()
    assert len(notice.data["assignment_ids"]) == 2  # both milestones of II.1, in one mail
    held = session.exec(
        select(Notification).where(Notification.assignment_id == loaded, Notification.status == "held")
    ).all()
    assert {n.recipient_role for n in held} == {"secretariat", "vice-chair", "chair"}
    assert {n.policy_version for n in held} == {POLICY.version}


def _given_on_saturday(session: Session, clock: FrozenClock) -> None:
    """Sở Nội vụ's work given on Saturday 01/10/2022 (a quarter's first day); the clock before it."""
    agency = session.exec(select(Agency.id).where(Agency.code == "so-noi-vu")).one()
    saturday = datetime(2022, 10, 1, 0, 0, tzinfo=LOCAL_TZ)
    session.execute(update(Assignment).where(col(Assignment.agency_id) == agency).values(assigned_at=saturday))
    session.commit()
    clock.set(datetime(2022, 9, 29, 8, 0, tzinfo=LOCAL_TZ))


def test_work_given_on_a_day_off_is_announced_on_the_next_working_day(
    session: Session, clock: FrozenClock, loaded: int
) -> None:
    """A quarter's reports given on Saturday 01/10/2022 (or on New Year's Day) were mailed that day."""
    _given_on_saturday(session, clock)
    decided = replay(session, clock, date(2022, 10, 4))
    new = [k for k in decided if k.startswith("giao-moi:") and k.endswith(":so-noi-vu")]
    assert new and {decided[k] for k in new} == {date(2022, 10, 3)}  # Monday, not Saturday


def test_work_given_on_a_day_off_waits_from_its_notice_day(session: Session, clock: FrozenClock, loaded: int) -> None:
    """Work given on Saturday 01/10/2022 and announced on Monday had its "3 working days, not
    acknowledged" on Wednesday, two working days after the notice (three for Friday's work); its
    rungs now count from the Monday, and the mail says so."""
    _given_on_saturday(session, clock)
    decided = replay(session, clock, date(2022, 10, 11))
    unacknowledged = {(rule, who, day) for rule, who, day in rungs_of(decided, loaded) if rule.startswith("chua-tiep")}
    assert unacknowledged == {
        ("chua-tiep-nhan-3", "agency", date(2022, 10, 6)),  # Thursday: Tue, Wed, Thu after Monday's notice
        ("chua-tiep-nhan-5", "agency", date(2022, 10, 10)),
        ("chua-tiep-nhan-5", "secretariat", date(2022, 10, 10)),
    }
    mail = session.exec(
        select(Notification).where(
            Notification.assignment_id == loaded,
            col(Notification.dedupe_key).startswith("chua-tiep-nhan-3:"),
        )
    ).one()
    assert (
        mail.data["working_days_waiting"] == 3 and mail.data["counted_from"] == "2022-10-03"
    )  # the mail says so (test_notifications_render)


def _pass_on(session: Session, clock: FrozenClock, day: date) -> dict[str, date]:
    clock.set(datetime(day.year, day.month, day.day, 8, 0, tzinfo=LOCAL_TZ))
    return {decision.dedupe_key: day for decision in run_sweep(session, clock.now())}


def _unacknowledged(decided: dict[str, date], assignment_id: int) -> set[tuple[str, str, date]]:
    return {rung for rung in rungs_of(decided, assignment_id) if rung[0].startswith("chua-tiep-nhan")}


@pytest.mark.parametrize(
    ("priority", "resumed", "latest"),
    [
        (True, date(2022, 3, 7), "chua-tiep-nhan-3"),  # rungs Thu 03/03 (agency) and Fri 04/03 (agency, secretariat)
        (False, date(2022, 3, 9), "chua-tiep-nhan-5"),  # rungs Fri 04/03 (agency) and Tue 08/03 (agency, secretariat)
    ],
)
def test_a_pass_after_a_gap_tells_the_body_the_latest_unacknowledged_rung_once(
    session: Session, clock: FrozenClock, loaded: int, priority: bool, resumed: date, latest: str
) -> None:
    """The sweep stopped after the notice; the pass that resumed it mailed Sở Nội vụ "chưa tiếp nhận"
    for both rungs that came meanwhile, the same words twice (the mail counts the days waited when
    it is rendered). The latest rung stands for the earlier (sweep._latest_rungs, as for countdowns);
    the secretariat's rung, a line of its digest, is kept; the earlier rung never comes later."""
    session.execute(update(PlanItem).values(priority=priority))
    session.commit()
    decided = _pass_on(session, clock, date(2022, 3, 2))  # the notice; then no pass until ``resumed``
    decided |= _pass_on(session, clock, resumed)
    expected = {(latest, "agency", resumed), (latest, "secretariat", resumed)}
    assert _unacknowledged(decided, loaded) == expected
    # judged again within the look-back (any change resets the row's moment), and the passes after
    session.execute(update(Assignment).where(col(Assignment.id) == loaded).values(version=Assignment.version + 1))
    session.commit()
    for day in (resumed, resumed + timedelta(days=1), resumed + timedelta(days=2)):
        decided |= _pass_on(session, clock, day)
    assert _unacknowledged(decided, loaded) == expected
    of_latest = col(Notification.dedupe_key).startswith(f"{latest}:")
    kept = session.exec(select(Notification).where(Notification.assignment_id == loaded, of_latest)).all()
    assert {(n.recipient_role, n.status) for n in kept} == {("agency", "pending"), ("secretariat", "held")}


def test_the_latest_rung_stands_for_a_body_never_for_a_digest_line() -> None:
    """Of two unacknowledged rungs in one pass, the earlier is dropped for the body the later one
    reaches; a row held for a digest (the secretariat's) is a line, not a mail: both are kept."""
    to = ("agency", "secretariat")
    early, late = (Rule(name=f"r-{k}", trigger=Trigger.UNACKNOWLEDGED, working_days=k, to=to) for k in (2, 3))
    day = date(2022, 3, 1)
    assert _latest_rungs([(early, day, early.to), (late, day, late.to)]) == (
        (early, day, ("secretariat",)),
        (late, day, late.to),
    )


def test_one_mail_per_mailbox_a_rung(session: Session, clock: FrozenClock, loaded: int) -> None:
    """An agency sharing the secretariat's mailbox (its own Tổ giúp việc) hears of a rung once."""
    secretariat = session.exec(select(CommitteeMember).where(CommitteeMember.role == CommitteeRole.SECRETARIAT)).one()
    session.execute(update(Agency).where(col(Agency.code) == "so-noi-vu").values(email=secretariat.email.upper()))
    session.commit()
    decided = replay(session, clock, date(2022, 7, 2))
    overdue = {(rule, recipient) for rule, recipient, _ in rungs_of(decided, loaded) if rule == "qua-han"}
    assert overdue == {("qua-han", "agency"), ("qua-han", "lead")}
    unacknowledged = {r for rule, r, _ in rungs_of(decided, loaded) if rule == "chua-tiep-nhan-5"}
    assert unacknowledged == {"agency"}


def test_a_second_pass_at_the_same_time_decides_nothing(session: Session, clock: FrozenClock, loaded: int) -> None:
    clock.set(datetime(2022, 7, 12, 8, 0, tzinfo=LOCAL_TZ))
    first = run_sweep(session, clock.now())
    assert first
    count = session.exec(select(func.count()).select_from(Notification)).one()
    assert run_sweep(session, clock.now()) == []
    assert session.exec(select(func.count()).select_from(Notification)).one() == count


def test_a_crashed_pass_loses_nothing(session: Session, clock: FrozenClock, loaded: int) -> None:
    clock.set(datetime(2022, 7, 12, 8, 0, tzinfo=LOCAL_TZ))
    enqueue = recording_enqueue(session, clock.now())
    sweep(session, clock.now(), policy=POLICY, calendar=CALENDAR, enqueue=enqueue)
    session.rollback()  # the process died before commit
    assert session.exec(select(func.count()).select_from(Notification)).one() == 0
    again = run_sweep(session, clock.now() + timedelta(hours=1))
    assert any(d.kind == "escalation" and d.recipient_role == "chair" for d in again)


def test_a_pause_is_caught_up(session: Session, clock: FrozenClock, loaded: int) -> None:
    clock.set(datetime(2022, 6, 1, 8, 0, tzinfo=LOCAL_TZ))
    run_sweep(session, clock.now())
    clock.set(datetime(2022, 7, 25, 8, 0, tzinfo=LOCAL_TZ))  # 54 days without a sweep
    rungs = {
        (d.dedupe_key.split(":")[0], d.recipient_role)
        for d in run_sweep(session, clock.now())
        if d.assignment_id == loaded
    }
    assert {("qua-han", "agency"), ("qua-han-3", "vice-chair"), ("qua-han-7", "chair")} <= rungs
    assert not any(rule.startswith("nhac-truoc") for rule, _ in rungs)  # stale once the date has passed


def test_reporting_stops_therungs_of(session: Session, clock: FrozenClock, loaded: int) -> None:
    own = Actor.agency("so-noi-vu")

    def agency_acts(day: date) -> None:
        if day == date(2022, 3, 3):
            act(session, loaded, Request(Action.ACKNOWLEDGE, own), now=clock.now())
        if day == date(2022, 7, 2):
            act(session, loaded, Request(Action.REPORT, own, comment="Đã hoàn thành."), now=clock.now())
        session.commit()

    decided = replay(session, clock, date(2022, 7, 20), agency_acts)
    rules = {rule for rule, _, _ in rungs_of(decided, loaded)}
    assert "chua-tiep-nhan-3" not in rules  # acknowledged in time
    assert "qua-han" in rules and "qua-han-3" not in rules and "qua-han-7" not in rules


def test_an_extension_restarts_the_ladder_from_the_new_date(session: Session, clock: FrozenClock, loaded: int) -> None:
    def secretariat_extends(day: date) -> None:
        if day == date(2022, 7, 6):
            act(
                session,
                loaded,
                Request(Action.EXTEND, Actor.parse("secretariat"), due=date(2022, 7, 29)),
                now=clock.now(),
                calendar=CALENDAR,
            )
            session.commit()

    decided = replay(session, clock, date(2022, 8, 15), secretariat_extends)
    ladder = rungs_of(decided, loaded)
    assert ("qua-han-3", "vice-chair", date(2022, 7, 5)) in ladder  # before the extension
    assert not any(rule == "qua-han-7" and day < date(2022, 8, 1) for rule, _, day in ladder)
    assert ("nhac-truoc-1", "agency", date(2022, 7, 28)) in ladder
    assert ("qua-han", "agency", date(2022, 8, 1)) in ladder  # due Fri 29/07: the first notice on Mon 01/08
    assert ("qua-han-7", "chair", CALENDAR.add_working_days(date(2022, 7, 29), 7)) in ladder


def test_snooze_holds_reminders_until_its_date(session: Session, clock: FrozenClock, loaded: int) -> None:
    def snooze(day: date) -> None:
        if day == date(2022, 6, 20):
            act(
                session,
                loaded,
                Request(Action.SNOOZE, Actor.parse("secretariat"), due=date(2022, 7, 3)),
                now=clock.now(),
            )
            session.commit()

    decided = replay(session, clock, date(2022, 7, 20), snooze)
    rules = {rule for rule, _, _ in rungs_of(decided, loaded)}
    assert "nhac-truoc-7" not in rules and "nhac-truoc-1" not in rules
    assert "qua-han-3" in rules  # 05/07, after the snooze ended


def test_priority_items_escalate_faster(session: Session, clock: FrozenClock, loaded: int) -> None:
    session.execute(update(PlanItem).where(PlanItem.code == "99/KH-TEST:II.1").values(priority=True))
    session.commit()
    decided = replay(session, clock, date(2022, 7, 20))
    ladder = rungs_of(decided, loaded)
    assert ("qua-han-1", "vice-chair", date(2022, 7, 1)) in ladder
    assert ("qua-han-3", "chair", date(2022, 7, 5)) in ladder


def test_waiting_and_done_assignments_are_left_alone(session: Session, clock: FrozenClock, loaded: int) -> None:
    waiting = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd").id
    done = assignment_for(session, "99/KH-TEST:II.3", "so-noi-vu").id
    decided = replay(session, clock, date(2022, 12, 31))
    assert {r for r, _, _ in rungs_of(decided, waiting)} == {"chua-tiep-nhan-3", "chua-tiep-nhan-5"}
    assert rungs_of(decided, done) == set()


def _with_partner(session: Session, clock: FrozenClock, tmp_path: Path, leads: str = "vp-ubnd") -> None:
    copy = shared_task_catalog(tmp_path, leads=leads, partners=("ubnd-ly-son",))
    load_min_catalog(session, clock.now(), copy)
    session.execute(update(PlanItem).values(priority=False))
    session.commit()


def test_partner_input_reminder_goes_to_partner_and_lead(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    _with_partner(session, clock, tmp_path)
    partner = assignment_for(session, "99/KH-TEST:II.2", "ubnd-ly-son").id
    decided = replay(session, clock, date(2022, 7, 29))
    fired = {
        (rule, recipient, day) for rule, recipient, day in rungs_of(decided, partner) if rule.startswith("phoi-hop")
    }
    day = CALENDAR.add_working_days(date(2022, 7, 29), -5)
    assert fired == {("phoi-hop-5", "partner", day), ("phoi-hop-5", "lead", day)}


def test_a_partners_mail_names_every_lead_as_the_assignment_page_lists_them(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """An item led by two bodies: the partner is asked for its input for both, by name, as its
    assignment's page lists the leads, each of which hears of it in a mail of its own. The mail had
    named one of them, whichever the database gave first."""
    _with_partner(session, clock, tmp_path, leads="vp-ubnd, so-noi-vu")
    partner = assignment_for(session, "99/KH-TEST:II.2", "ubnd-ly-son").id
    replay(session, clock, date(2022, 7, 29))
    asked = session.exec(
        select(Notification).where(
            Notification.assignment_id == partner,
            Notification.kind == "partner_input",
            Notification.recipient_role == "partner",
        )
    ).one()
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path / "drop")  # type: ignore[call-arg]
    text = rendered_columns(session, MailSpec.of_row(asked, asked.data), now=clock.now(), settings=settings)
    leads = "Sở Nội vụ, Văn phòng UBND tỉnh"
    assert f"cho cơ quan chủ trì ({leads})" in text["body_text"], text["body_text"]
    assert f"{leads} (cơ quan chủ trì) cũng nhận, mỗi cơ quan một thư riêng" in text["body_text"]
    told = session.exec(
        select(Notification.recipient_email).where(
            Notification.assignment_id == partner,
            Notification.kind == "partner_input",
            Notification.recipient_role == "lead",
        )
    ).all()
    assert sorted(told) == ["so-noi-vu@dondoc.example", "vp-ubnd@dondoc.example"]


@pytest.mark.parametrize("returned", [False, True])
def test_no_partner_is_asked_for_input_the_lead_no_longer_waits_for(
    session: Session, clock: FrozenClock, tmp_path: Path, returned: bool
) -> None:
    """Four partners were asked for their input after the lead's part was verified (through the same
    work in another document), and six were told they were overdue, their lead asked to chase them,
    after the lead's report was verified. Once the lead has reported, nobody waits for a partner's
    input; a report returned to the lead opens the question again."""
    _with_partner(session, clock, tmp_path)
    partner = assignment_for(session, "99/KH-TEST:II.2", "ubnd-ly-son").id
    lead = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd").id or 0
    rung = CALENDAR.add_working_days(date(2022, 7, 29), -5)

    def steps(day: date) -> None:
        at = datetime.combine(day, datetime.min.time(), LOCAL_TZ).replace(hour=7)
        if day == rung - timedelta(days=3):  # the lead reports before the partner's rung
            for action in (Action.ACKNOWLEDGE, Action.REPORT):
                act(session, lead, Request(action, Actor.agency("vp-ubnd"), comment="Đã xong."), now=at)
            session.commit()
        if returned and day == rung + timedelta(days=2):  # after the rung: the partner row must be looked at again
            act(session, lead, Request(Action.RETURN, Actor.parse("secretariat"), comment="Thiếu số liệu."), now=at)
            session.commit()

    decided = replay(session, clock, date(2022, 8, 3), on_day=steps)
    fired = {(rule, to, day) for rule, to, day in rungs_of(decided, partner) if rule.startswith("phoi-hop")}
    again = rung + timedelta(days=3)  # returned on Sunday 24/07: asked on Monday, not days later
    assert fired == ({("phoi-hop-5", "partner", again), ("phoi-hop-5", "lead", again)} if returned else set())
    # nor reminded of its date to coordinate with a lead that has reported (nhac-truoc-7 came before)
    reminded = {rule for rule, _, _ in rungs_of(decided, partner) if rule.startswith("nhac-truoc")}
    assert reminded == ({"nhac-truoc-7", "nhac-truoc-1"} if returned else set())  # 20/07 and 28/07
    # nor told it is overdue the working day after its date, nor its lead asked to chase it (Monday 01/08)
    overdue = {(rule, to, day) for rule, to, day in rungs_of(decided, partner) if rule.startswith("qua-han")}
    late = date(2022, 8, 1)
    everyone = {("qua-han", "agency", late), ("qua-han", "lead", late), ("qua-han", "secretariat", late)}
    assert overdue == (everyone if returned else set())


def test_a_queued_partner_input_is_skipped_once_the_lead_has_reported(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The sweep asks a partner for its input while the lead has not reported; a mail decided
    before the lead reported, still queued after, is not sent (the pre-send re-check reads the same
    rule, TriggerSpec.while_lead_open), neither to the partner nor its copy to the lead."""
    _with_partner(session, clock, tmp_path)
    partner = assignment_for(session, "99/KH-TEST:II.2", "ubnd-ly-son").id
    lead = assignment_for(session, "99/KH-TEST:II.2", "vp-ubnd").id or 0
    rung = CALENDAR.add_working_days(date(2022, 7, 29), -5)
    replay(session, clock, rung)  # decided on the rung's day, not delivered
    queued = session.exec(
        select(Notification).where(Notification.assignment_id == partner, Notification.kind == "partner_input")
    ).all()
    assert {n.recipient_role for n in queued} == {"partner", "lead"}
    at = clock.now()
    assert all(skip_reason(session, n, at) is None for n in queued)
    for action in (Action.ACKNOWLEDGE, Action.REPORT):
        act(session, lead, Request(action, Actor.agency("vp-ubnd"), comment="Đã xong."), now=at)
    session.commit()
    later = at + timedelta(minutes=5)
    reasons = {skip_reason(session, n, later) for n in queued}
    assert reasons == {"Cơ quan chủ trì đã báo cáo: không còn ai chờ ý kiến phối hợp."}
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path / "drop")  # type: ignore[call-arg]
    deliver(session.get_bind(), now=later, settings=settings)  # the delivery worker's own re-check
    session.expire_all()
    sent = session.exec(select(Notification).where(col(Notification.id).in_([n.id for n in queued]))).all()
    assert {n.status for n in sent} == {"skipped"}, [(n.status, n.last_error) for n in sent]


def test_a_bad_policy_is_refused_whole_with_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "version: x\nrules:\n  - {name: a, trigger: before_due, working_days: 7, to: [agency]}\n"
        "  - {name: b, trigger: overdue, working_days: -1, to: [chair]}\n"
        "  - {name: c, trigger: overdue, working_days: 3, to: [mayor]}\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(path)
    message = str(caught.value)
    assert "line 4, rules.1.working_days" in message and "line 5, rules.2.to.0" in message
    path.write_text("version: x\nrules: [\n", encoding="utf-8")
    with pytest.raises(PolicyInvalid, match="malformed YAML"):
        load_policy(path)


def test_policy_version_follows_the_file(tmp_path: Path) -> None:
    from dondoc.tasks_catalog.loader import default_catalog_dir

    text = (default_catalog_dir() / "policy.yaml").read_text(encoding="utf-8")
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_policy(path).version == POLICY.version
    path.write_text(text.replace("working_days: 7, to: [chair]", "working_days: 6, to: [chair]"), encoding="utf-8")
    edited = load_policy(path)
    assert edited.version != POLICY.version and edited.version.startswith("2022.1@")


def test_a_policy_with_no_rung_to_the_leaders_has_them_count_every_role(tmp_path: Path) -> None:
    """Without a rule to the vice-chair or the chair, leader_roles() was (): the leaders' page and the
    periodic report then counted no overdue work at all ("quá hạn: 0")."""
    from dondoc.engine.reports.rates import ToCome
    from dondoc.report_job import summary
    from dondoc.tasks_catalog.loader import default_catalog_dir

    text = (default_catalog_dir() / "policy.yaml").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if "to: [vice-chair]" not in line and "to: [chair]" not in line]
    path = tmp_path / "policy.yaml"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert load_policy(path).leader_roles() is None
    assert POLICY.leader_roles() == ("lead", "implementer")  # the shipped policy names them
    counts = {"dang_thuc_hien_qua_han": 2, "hoan_thanh_dung_han": 0, "hoan_thanh_qua_han": 0}
    late = [
        SimpleNamespace(
            agency_name="A",
            role=role,
            item_code=code,
            agency_code="a",
            milestone_label=None,
            unconfirmed_group=None,
            received_from=None,  # held by the body it was given to
            received_date=None,
        )
        for role, code in (("partner", "X:1"), ("lead", "X:2"))
    ]
    data = SimpleNamespace(
        by_agency=[SimpleNamespace(name="A", counts=counts, rates=SimpleNamespace(reports_before_tracking=0))],
        totals=SimpleNamespace(counts=counts),
        overdue=late,
        indicators=[],
        duties=[],
        unconfirmed_groups=[],
        window=None,  # a period without a data cut-off window
        windowed=False,
        duty_periods=[],  # no periodic report due in it (labels.no_duties_words)
        duty_periods_before=[],
        reports_followed=0,
        reports_due_later=ToCome(),  # none of them still to come (labels.no_duties_words)
        tracking_start=None,
        earlier_duties=[],
        own_duties=[],
        own_as_of=None,
    )
    assert summary(data, load_policy(path).leader_roles(), rates=[])["overdue"] == 2


def test_a_leaders_digest_says_from_how_late_it_tells(tmp_path: Path) -> None:
    """The chair's and the vice-chair's digests said the same "cần báo cáo Lãnh đạo" with two totals:
    each now says its rungs (policy.leader_thresholds); none where a rule of another kind reaches it,
    in either set (a figure some rows do not meet would be false)."""
    assert (POLICY.leader_thresholds("vice-chair"), POLICY.leader_thresholds("chair")) == ((3, 1), (7, 3))
    assert POLICY.leader_thresholds("secretariat") is None  # not a rung of overdue work alone
    from dondoc.tasks_catalog.loader import default_catalog_dir

    text = (default_catalog_dir() / "policy.yaml").read_text(encoding="utf-8")

    def edited(old: str, new: str) -> Policy:
        assert text.count(old) == 1, old
        path = tmp_path / "policy.yaml"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return load_policy(path)

    vice_at_0 = edited(
        "  - {name: qua-han-3, trigger: overdue, working_days: 3, to: [vice-chair], roles: [lead, implementer]}\n",
        "  - {name: qua-han-3, trigger: overdue, working_days: 0, to: [vice-chair], roles: [lead, implementer]}\n",
    )
    # a rung at 0 fires on the first working day after the date: 1 day late
    assert vice_at_0.leader_thresholds("vice-chair") == (1, 1)
    # a priority rung of another kind to the chair: its priority rows may be any days late, so no figure
    other_kind = edited(
        "  - {name: qua-han-3, trigger: overdue, working_days: 3, to: [chair], roles: [lead, implementer]}\n",
        "  - {name: qua-han-3, trigger: unacknowledged, working_days: 3, to: [chair]}\n",
    )
    assert other_kind.leader_thresholds("chair") is None and other_kind.leader_thresholds("vice-chair") == (3, 1)


def test_the_leaders_hear_of_the_bodies_that_owe_the_result_not_of_partners(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """A partner (phối hợp) whose input is missing is chased by the lead and the secretariat; the
    vice-chair and the chair are told of the lead and the implementers (policy rule ``roles``)."""
    from tests.support.catalogs import copy_catalog, edit

    catalog = copy_catalog(tmp_path)
    edit(
        catalog,
        "plans/test-plan.yaml",
        '    implementers: ["@so-ban-nganh", "@ubnd-cap-huyen"]\n',
        '    implementers: ["@so-ban-nganh", "@ubnd-cap-huyen"]\n    partners: [vp-ubnd]\n',
    )
    load_min_catalog(session, clock.now(), catalog)
    partner, implementer = (assignment_for(session, "99/KH-TEST:II.1", code) for code in ("vp-ubnd", "so-noi-vu"))
    assert (partner.role, implementer.role) == ("partner", "implementer")
    decided = replay(session, clock, date(2022, 7, 20))
    partner_heard, implementer_heard = (
        {(rule, recipient) for rule, recipient, _ in rungs_of(decided, row.id or 0)} for row in (partner, implementer)
    )
    assert {("qua-han", "lead"), ("qua-han", "secretariat")} <= partner_heard
    assert not {recipient for _, recipient in partner_heard} & {"vice-chair", "chair"}
    assert {"vice-chair", "chair"} <= {recipient for _, recipient in implementer_heard}  # II.1: a priority item


def test_a_rule_for_a_role_no_assignment_has_is_refused(tmp_path: Path) -> None:
    from dondoc.tasks_catalog.loader import default_catalog_dir

    text = (default_catalog_dir() / "policy.yaml").read_text(encoding="utf-8")
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace("roles: [lead, implementer]", "roles: [chu-tri]", 1), encoding="utf-8")
    with pytest.raises(PolicyInvalid) as refused:
        load_policy(path)
    assert ".roles.0" in str(refused.value)
