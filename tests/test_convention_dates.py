"""A date no document gives (the secretariat's convention: catalog ``dates: convention``,
conventions.yaml ``report_days``) is the secretariat's to chase: the body's reminders and overdue
notice, the secretariat's rungs, its digest and board all go, but the standing vice-chair and the
chair are never told that a body is late against it (policy.withheld_why, told_while_withheld);
the secretariat is told why. A document-dated part of the same plan, due the same day, escalates.

2022 replay: Sở Tài chính's annual report under /TB-UBND II.4 ("định kỳ hàng năm", no day) reached
the vice-chair on 23/12 and the chair on 29/12 as late against the convention's 20/12."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.escalation.policy import Withheld
from dondoc.engine.escalation.recheck import skip_reason
from dondoc.engine.models import Assignment, Milestone, Notification, NotificationStatus
from dondoc.engine.reports.counted import done_on_time
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.overdue_lists import overdue_now, withheld_count
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import build_digests
from dondoc.tasks_catalog.conventions import CONVENTION_NOTE
from dondoc.web.pages import leaders_context
from dondoc.web.trend_cache import TrendCache
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.sweep import CALENDAR, POLICY, rungs_mailed, swept_daily
from tests.support.web import WebEnv

BY_CONVENTION = "99/KH-TEST:VI.bao-cao-6-thang"  # the text: "Định kỳ 6 tháng"; the day: the convention's
BY_TEXT = "99/KH-TEST:VI.bao-cao-quy"  # the text: "trước ngày 20 tháng cuối quý"
LEADERS = {"vice-chair", "chair"}
WHY = "vì thời hạn do Tổ giúp việc quy ước, văn bản không ấn định ngày"

REPORTING = """
reporting:
  - code: "99/KH-TEST:VI.bao-cao-6-thang"
    title: "Báo cáo 6 tháng"
    source: "Mục VI"
    reporters: [so-tttt]
    period: half_year
    dates: convention
    deadline: "Định kỳ 6 tháng"
    first_period: "2022-H1"
    last_period: "2022-H1"
  - code: "99/KH-TEST:VI.bao-cao-quy"
    title: "Báo cáo quý"
    source: "Mục VI"
    reporters: [so-tttt]
    period: quarter
    due_day: 20
    first_period: "2022-Q2"
    last_period: "2022-Q2"
"""
CONVENTIONS = """before_date_means: end_of_day
report_days: {due_day: 20, cutoff_start_day: 15, cutoff_end_day: 14, basis: "quy ước thử"}
"""


# periodic work with no span in the text: the plan year's end is the sync's default, no document's date
YEARLY = "99/KH-TEST:II.9"
YEARLY_ITEM = """items:
  - code: "99/KH-TEST:II.9"
    section: "II.9"
    title: "Rà soát danh mục hằng năm"
    content: "Rà soát, cập nhật danh mục định kỳ hằng năm."
    source: "Mục II.9"
    lead: [so-tttt]
    deadline: "Hằng năm"
"""


def _catalog(tmp_path: Path) -> Path:
    directory = copy_catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("items:\n", YEARLY_ITEM, 1)
    plan.write_text(text + REPORTING, encoding="utf-8")
    (directory / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    return directory


@pytest.fixture
def loaded(session: Session, clock: FrozenClock, tmp_path: Path) -> dict[str, int]:
    """Both reports of Sở TT&TT, due Monday 20/06/2022 (one by convention, one by the text)."""
    load_min_catalog(session, clock.now(), _catalog(tmp_path))
    return {code: assignment_for(session, code, "so-tttt").id or 0 for code in (BY_CONVENTION, BY_TEXT)}


def _replay(session: Session, clock: FrozenClock, start: date, until: date) -> dict[str, Notification]:
    """Sweep every day at 08:00 from ``start`` to ``until``; the decisions made, by dedupe key."""
    clock.set(datetime(start.year, start.month, start.day, 8, 0, tzinfo=LOCAL_TZ))
    return swept_daily(session, clock, until)


def _settings() -> Settings:
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test")  # type: ignore[call-arg]


def test_the_catalog_load_makes_the_convention_a_fact_of_the_milestone(
    session: Session, loaded: dict[str, int]
) -> None:
    flags = {
        m.label: m.due_by_convention
        for m in session.exec(select(Milestone).where(col(Milestone.period_code).in_(["2022-H1", "2022-Q2"])))
    }
    assert flags == {f"6 tháng đầu năm 2022 {CONVENTION_NOTE}": True, "Quý II/2022": False}


def test_periodic_work_with_no_day_is_due_by_convention_and_never_told_to_the_leaders(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """ "Hằng năm" and no day: the sync gives it the plan year's end, a date no document gives. The
    milestone says so (its label, as the conventions' do; the text's words stay its phrase) and is
    kept from the leaders by the same rule: the secretariat is told in their place, and why."""
    yearly = assignment_for(session, YEARLY, "so-tttt")
    milestone = session.get(Milestone, yearly.milestone_id)
    assert milestone is not None and milestone.due_by_convention
    assert milestone.label == f"Năm 2022 {CONVENTION_NOTE}" and milestone.phrase == "Hằng năm"
    assert milestone.due_date == date(2022, 12, 31)
    mails = _replay(session, clock, date(2022, 12, 26), date(2023, 1, 20))  # nobody acts
    rungs = rungs_mailed(mails, yearly.id or 0)
    assert {who for _, who, _ in rungs} & LEADERS == set()
    assert {"agency", "secretariat"} <= {who for _, who, _ in rungs}
    told = {
        (m.data.get("withheld_from"), m.data.get("withheld_why"))
        for m in mails.values()
        if m.assignment_id == yearly.id
    }
    assert {("vice-chair", Withheld.CONVENTION.value), ("chair", Withheld.CONVENTION.value)} <= told


def test_a_partners_part_due_by_convention_is_not_said_kept_from_the_leaders(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """No rung to the leaders fires for a partner (policy.yaml ``roles: [lead, implementer]``): its
    overdue part due on the convention's date is listed in the secretariat's digest (its milestone's
    label names the convention) without "không báo cáo Lãnh đạo Ban Chỉ đạo vì thời hạn do Tổ giúp việc
    quy ước", which is said of the lead's part of the same milestone alone."""
    directory = _catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    sole = '    lead: [so-tttt]\n    deadline: "Hằng năm"\n'
    text = plan.read_text(encoding="utf-8")
    assert sole in text
    plan.write_text(
        text.replace(sole, sole.replace("    deadline", "    partners: [so-noi-vu]\n    deadline")), encoding="utf-8"
    )
    load_min_catalog(session, clock.now(), directory)
    partner = assignment_for(session, YEARLY, "so-noi-vu")
    assert partner.role == "partner"
    _replay(session, clock, date(2022, 12, 26), date(2023, 1, 20))  # due Sat 31/12/2022; nobody acts
    made = {
        d.recipient_role: d for d in build_digests(session, now=clock.now(), settings=_settings(), calendar=CALENDAR)
    }
    lines = [line for line in made["secretariat"].body_text.splitlines() if YEARLY in line]
    lead = [line for line in lines if "Sở Thông tin và Truyền thông" in line]
    partners = [line for line in lines if "Sở Nội vụ" in line]
    assert lead and all(WHY in line for line in lead)
    assert partners and not [line for line in partners if WHY in line or "Lãnh đạo" in line or "báo cáo" in line]
    assert all(CONVENTION_NOTE in line for line in partners)  # its milestone's label says whose date it is


def test_the_leaders_are_never_told_of_lateness_against_a_convention_date(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    mails = _replay(session, clock, date(2022, 6, 1), date(2022, 7, 7))  # due Mon 20/06/2022; nobody acts
    convention, text = loaded[BY_CONVENTION], loaded[BY_TEXT]
    assert {who for _, who, _ in rungs_mailed(mails, convention)} & LEADERS == set()
    assert {
        ("nhac-truoc-7", "agency", date(2022, 6, 9)),  # the reminders before the date go
        ("qua-han", "agency", date(2022, 6, 21)),  # the body's overdue notice goes
        ("qua-han", "secretariat", date(2022, 6, 21)),
        ("qua-han-3", "secretariat", date(2022, 6, 23)),  # in the vice-chair's place
        ("qua-han-7", "secretariat", date(2022, 6, 29)),  # in the chair's place
    } <= rungs_mailed(mails, convention)
    told = {
        (m.data.get("withheld_from"), m.data.get("withheld_why"))
        for m in mails.values()
        if m.assignment_id == convention
    }
    assert {("vice-chair", Withheld.CONVENTION.value), ("chair", Withheld.CONVENTION.value)} <= told
    # the document's own date, the same day, in the same plan: escalated as ever
    assert {("qua-han-3", "vice-chair", date(2022, 6, 23)), ("qua-han-7", "chair", date(2022, 6, 29))} <= rungs_mailed(
        mails, text
    )
    # the digests: the leaders' carry the text-dated part alone; the secretariat's says why it did not tell them
    made = {
        d.recipient_role: d for d in build_digests(session, now=clock.now(), settings=_settings(), calendar=CALENDAR)
    }
    for leader in LEADERS:
        listed = {row["assignment_id"] for g in made[leader].data["groups"] for row in g["rows"]}
        assert text in listed and convention not in listed
    lines = [line for line in made["secretariat"].body_text.splitlines() if BY_CONVENTION in line]
    assert lines and all(WHY in line for line in lines)
    assert any(f"chưa báo cáo Trưởng Ban Chỉ đạo {WHY}" in line for line in lines)
    assert not [line for line in made["secretariat"].body_text.splitlines() if BY_TEXT in line and WHY in line]
    assert WHY in (made["secretariat"].body_html or "")


def test_the_leaders_page_leaves_a_convention_part_out_and_says_so(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    clock.set(datetime(2022, 7, 8, 10, 0, tzinfo=LOCAL_TZ))
    convention, text = loaded[BY_CONVENTION], loaded[BY_TEXT]
    roles = POLICY.leader_roles()
    board = {r.view.id for r in overdue_now(session, clock.now(), CALENDAR, limit=500)}
    leaders = {r.view.id for r in overdue_now(session, clock.now(), CALENDAR, roles=roles, limit=500)}
    assert {convention, text} <= board  # the secretariat's board lists it: it is the secretariat's to chase
    assert text in leaders and convention not in leaders
    assert withheld_count(session, clock.now(), Withheld.CONVENTION, local=clock, roles=roles) == 1
    assert withheld_count(session, clock.now(), Withheld.UNCONFIRMED, local=clock, roles=roles) == 0
    page = leaders_context(session, clock.now(), CALENDAR, clock, TrendCache(), POLICY)
    assert {r.view.id for r in page["overdue"]} >= {text} and convention not in {r.view.id for r in page["overdue"]}
    assert page["overdue_convention"] == (
        "Không nêu 1 phần việc quá hạn có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày): "
        "Tổ giúp việc đôn đốc các phần việc này, không báo cáo Lãnh đạo."
    )
    assert page["ranking_convention"].startswith("Không tính 1 phần việc đến hạn có thời hạn do Tổ giúp việc quy ước")
    assert page["overdue_unconfirmed"] == ""


def test_an_escalation_decided_before_the_catalog_marked_the_date_is_not_told(
    session: Session, clock: FrozenClock, loaded: dict[str, int], tmp_path: Path
) -> None:
    """A database from before the flag: its leaders' rows on a convention part are held or queued.
    The next catalog load marks the milestone; the digests and the pre-send re-check then drop them."""
    convention = loaded[BY_CONVENTION]
    session.execute(update(Milestone).values(due_by_convention=False))
    session.commit()
    mails = _replay(session, clock, date(2022, 6, 20), date(2022, 6, 29))
    assert {("qua-han-3", "vice-chair"), ("qua-han-7", "chair")} <= {
        (r, who) for r, who, _ in rungs_mailed(mails, convention)
    }
    report = load_min_catalog(session, clock.now(), _catalog(tmp_path / "again"))
    assert any("thời hạn do Tổ giúp việc quy ước" in change for change in report.changes)
    made = {
        d.recipient_role: d for d in build_digests(session, now=clock.now(), settings=_settings(), calendar=CALENDAR)
    }
    for leader in LEADERS:
        assert convention not in {row["assignment_id"] for g in made[leader].data["groups"] for row in g["rows"]}
    held = session.exec(
        select(Notification).where(
            Notification.assignment_id == convention, col(Notification.recipient_role).in_(LEADERS)
        )
    ).all()
    assert held and all(n.status == NotificationStatus.HELD.value for n in held)
    assert skip_reason(session, held[0], clock.now()) == (
        "Thời hạn do Tổ giúp việc quy ước, văn bản không ấn định ngày: không báo cáo Lãnh đạo Ban Chỉ đạo."
    )


def test_the_leaders_periodic_report_mail_neither_counts_nor_names_a_convention_part(
    session: Session, loaded: dict[str, int]
) -> None:
    """The periodic report's mail to the leaders (report_job.summary): an overdue part due on the
    convention's day is flagged in the report, in no figure of the mail (overdue, reports not sent)
    and no reason to name its body among those most behind; the mail says how many it left out and
    why, in the words of the leaders' page."""
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.reports.rates import agency_rates
    from dondoc.engine.role_words import lead_words
    from dondoc.notifications.context import common_context
    from dondoc.notifications.render import render
    from dondoc.report_job import summary

    session.execute(  # the text-dated report sent on time: the convention's is the body's only overdue part
        update(Assignment).where(col(Assignment.id) == loaded[BY_TEXT]).values(state="cancelled")
    )
    now = datetime(2022, 7, 8, 10, 0, tzinfo=LOCAL_TZ)
    roles = POLICY.leader_roles()
    data = build_report(session, period_code="2022-H1", now=now)
    flagged = [r for r in data.overdue if r.by_convention]
    assert [(r.item_code, r.agency_code) for r in flagged] == [(BY_CONVENTION, "so-tttt")]
    assert [d.by_convention for d in data.duties if d.item_code == BY_CONVENTION] == [True]
    rates = agency_rates(session, start=data.start, end=data.end, now=now, roles=roles)
    told = summary(data, roles, rates, None, lead_words(session))
    assert told["overdue"] == sum(1 for r in data.overdue if r.role in roles and not r.by_convention)
    body = next(r.agency_name for r in flagged)  # Sở TT&TT: late on II.1 too, named for that alone
    named = {row["name"]: row["overdue"] for row in told["top_overdue"]}
    assert named.get(body, 0) == sum(
        1 for r in data.overdue if r.agency_name == body and r.role in roles and not r.by_convention
    )
    assert told["overdue_convention"] == 1 and told["reports_missing"] == 0
    context = {
        **common_context("chair", None, settings=_settings()),
        "period_label": data.period_label,
        "as_of": "08/07/2022",
        "cutoff": None,
        "attachment_name": "bao-cao-6-thang-dau-nam-2022.xlsx",
        "summary": told,
        "sent_on": "08/07/2022",
        "tracking_start": None,
        "earlier": None,
        "link": "https://x",
    }
    text = " ".join(render("periodic_report", context).text.split())
    assert (
        "Không tính 1 phần việc quá hạn có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày): "
        "Tổ giúp việc đôn đốc các phần việc này, không báo cáo Lãnh đạo."
    ) in text
    assert "Không tính 1 báo cáo định kỳ gửi trễ hoặc chưa gửi có thời hạn do Tổ giúp việc quy ước" in text


def test_the_chairs_trend_counts_no_convention_part_done_on_time_now_as_in_its_past_weeks(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """Both reports done before their day: the trend's past weeks leave the convention's out of the
    on-time line (engine.services.inferred_parts.told_of_roles), and so does its point of now; the
    line stayed flat since, and its last point rose by the convention's part (the 2022 demo: 80,
    then 82 with nothing done in the week, from Sở TT&TT's two six-month reports)."""
    for part in loaded.values():
        for day, action in ((13, Action.ACKNOWLEDGE), (15, Action.REPORT)):
            clock.set(datetime(2022, 6, day, 9, 0, tzinfo=LOCAL_TZ))
            request = Request(action, Actor.agency("so-tttt"), comment="Đã gửi báo cáo.")
            act(session, part, request, now=clock.now(), calendar=CALENDAR)
            session.commit()
    clock.set(datetime(2022, 7, 8, 10, 0, tzinfo=LOCAL_TZ))
    page = leaders_context(session, clock.now(), CALENDAR, clock, TrendCache(), POLICY)
    *weeks, now = page["trend_points"]
    assert now.at == clock.now() and weeks[-1].at.date() == date(2022, 7, 3)
    assert now.on_time == weeks[-1].on_time  # nothing done since 03/07: the line is flat
    every = done_on_time(session, clock.now(), local=clock)  # the board's count: the convention's part in it
    assert every > now.on_time


def test_the_periodic_report_says_beside_a_date_what_the_board_says(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """The report listed the quarter's report "trước ngày 20 tháng cuối quý" as due "20/06/2022", bare,
    where the board, the leaders' page and the mails say the secretariat counts the 20th in; it now says
    beside the date what they say (engine.date_notes), in each form."""
    import io

    from openpyxl import load_workbook

    from dondoc.engine.reports.data import build_report
    from dondoc.engine.reports.render import render
    from dondoc.engine.services.queries import get_assignment

    catalog = _catalog(tmp_path)
    plan = catalog / "plans" / "test-plan.yaml"  # the quarter's report "trước ngày 20 tháng cuối quý"
    text = plan.read_text(encoding="utf-8").replace("    due_day: 20\n", "    due_day: 20\n    due_before: true\n")
    plan.write_text(text, encoding="utf-8")
    load_min_catalog(session, clock.now(), catalog)
    part = assignment_for(session, BY_TEXT, "so-tttt")
    clock.set(datetime(2022, 7, 8, 10, 0, tzinfo=LOCAL_TZ))
    view = get_assignment(session, part.id or 0, clock.now())
    assert view.deadline_phrase == "trước ngày 20/06/2022"  # the board's "(Tổ giúp việc tính cả ngày …)"
    data = build_report(session, period_code="2022-H1", now=clock.now(), local=clock)
    (row,) = [d for d in data.duties if d.item_code == BY_TEXT]
    said = "Tổ giúp việc tính cả ngày 20/06/2022"
    assert row.due_date == date(2022, 6, 20) and row.due_note == said
    assert said in render(data, "html").decode("utf-8") and said in render(data, "md").decode("utf-8")
    sheet = load_workbook(io.BytesIO(render(data, "xlsx")))["Báo cáo định kỳ"]
    header = [c.value for c in sheet[1]]
    notes = [r[header.index("Ghi chú về thời hạn")] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    assert said in notes


def test_a_mail_says_a_convention_day_is_the_secretariats_beside_the_texts_words(
    session: Session, clock: FrozenClock, loaded: dict[str, int]
) -> None:
    """The six-month report's reminder read "Thời hạn: Định kỳ 6 tháng (hạn cuối ngày 20/06/2022)":
    the text's words, and beside them a day the text never gives, as if it were the text's. It now says
    whose day it is; the quarter's report, whose day the text gives, says nothing of the kind."""
    from dondoc.notifications.outbox import MailSpec, rendered_columns

    decided = _replay(session, clock, date(2022, 6, 13), date(2022, 6, 21))  # nobody acts
    said = "(hạn cuối ngày 20/06/2022, ngày do Tổ giúp việc quy ước, văn bản không ấn định ngày)"

    def rendered(m: Notification) -> tuple[str, str, str]:  # as delivery renders a decided row
        spec = MailSpec(
            m.dedupe_key, m.kind, m.recipient_role, m.recipient_email, m.recipient_name,
            m.assignment_id, m.policy_version, False, m.data,
        )  # fmt: skip
        columns = rendered_columns(session, spec, now=clock.now(), settings=_settings())
        return m.kind, columns["body_text"], columns["body_html"] or ""

    by_part = {
        part: [rendered(m) for m in decided.values() if m.assignment_id == part and m.recipient_role == "agency"]
        for part in loaded.values()
    }
    convention, text = by_part[loaded[BY_CONVENTION]], by_part[loaded[BY_TEXT]]
    assert convention and text
    for kind, body, html in convention:
        assert said in body and said.replace("20/06/2022", "<strong>20/06/2022</strong>") in html, kind
    assert not [body for _, body, _ in text if "quy ước" in body]


def test_the_reports_rates_by_body_count_a_convention_part_and_say_so(session: Session, loaded: dict[str, int]) -> None:
    """The periodic report's rates by body (every role) count a part due on the convention's day,
    as the secretariat's figures do; the leaders' ranking does not (due_rows with roles), so the
    report says how many it counts and that the leaders' ranking leaves them out (the 2022 report
    rated Sở TT&TT's reports 75,0 % with its six-month report counted late against 20/06, unsaid)."""
    from dondoc.engine.reports.data import build_report
    from dondoc.engine.reports.labels import period_notes
    from dondoc.engine.reports.rates import agency_rates

    now = datetime(2022, 7, 8, 10, 0, tzinfo=LOCAL_TZ)  # both reports overdue: the convention's and the text's
    data = build_report(session, period_code="2022-H1", now=now)
    body = next(a.rates for a in data.by_agency if a.rates.agency_code == "so-tttt")
    assert (body.reports_due, body.reports_missing, body.reports_convention) == (2, 2, 1)
    ranked = agency_rates(session, start=data.start, end=data.end, now=now, roles=POLICY.leader_roles())
    leaders = next(r for r in ranked if r.agency_code == "so-tttt")
    assert (leaders.reports_due, leaders.reports_convention) == (1, 0)
    said = [note for note in period_notes(data) if "Tổ giúp việc quy ước" in note]
    assert said == [
        "Có tính 1 báo cáo định kỳ có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày), vào số đến "
        "hạn và các tỷ lệ ở phần theo cơ quan, đơn vị; bảng xếp hạng trên trang Lãnh đạo không tính các báo cáo này"
    ]


@pytest.mark.parametrize(
    ("tasks", "reports", "said"),
    [
        (0, 0, ""),
        (
            2,
            0,
            "Có tính 2 phần việc có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày), vào số đến "
            "hạn và các tỷ lệ ở đây; bảng xếp hạng trên trang Lãnh đạo không tính các phần việc này",
        ),
        (
            1,
            1,
            "Có tính 2 phần việc có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày), vào số đến "
            "hạn và các tỷ lệ ở đây (kể cả báo cáo định kỳ); bảng xếp hạng trên trang Lãnh đạo không tính các "
            "phần việc này",
        ),
    ],
)
def test_the_convention_note_names_tasks_and_reports_as_they_are(tasks: int, reports: int, said: str) -> None:
    from dondoc.engine.reports.labels import convention_counted
    from dondoc.engine.reports.rates import AgencyRates

    rates = [AgencyRates("a", "A", tasks_convention=tasks), AgencyRates("b", "B", reports_convention=reports)]
    assert convention_counted(rates, "ở đây") == said


def test_the_rates_page_says_it_counts_a_convention_part_the_leaders_ranking_leaves_out(
    web: WebEnv, tmp_path: Path
) -> None:
    """The secretariat's rates page (every role, as the report by body): the same note, its place
    named as the page's table."""
    with Session(web.engine) as session:  # the test plan with its two reports, loaded over the fixture's
        load_min_catalog(session, web.clock.now(), _catalog(tmp_path))
    web.clock.set(datetime(2022, 7, 8, 10, 0, tzinfo=LOCAL_TZ))
    web.login()
    page = web.client.get("/board/reports?start=2022-01-01&end=2022-06-30").text
    note = page.split('id="rates-convention">', 1)[1].split("</p>", 1)[0]
    assert note == (
        "Có tính 1 báo cáo định kỳ có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày), vào số đến "
        "hạn và các tỷ lệ ở bảng này; bảng xếp hạng trên trang Lãnh đạo không tính các báo cáo này."
    )
