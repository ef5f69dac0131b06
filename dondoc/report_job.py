"""The secretariat's periodic report, mailed to the chair and the standing vice-chair on its due date.

A *summary duty* is a report obligation (an item of kind "report") held by the secretariat's
agency (Sở TT&TT) alone — not a members' report it owes as one member among others: the
6-month and annual reports of 1834/UBND-KGVX and of the Thông báo, the
summary of 04/KH-BCĐ (15/12/2022), the province's quarterly report of 61/KH-UBND. On the day
such an obligation is due (its ``due_at``, so a day off moves it), the report of its period
is rendered as XLSX and one mail per leader is queued, with the workbook attached
(``Notification.data["attachment"]``) and a short summary in the body. The dedupe key
``periodic_report:<period>:<role>`` makes a rerun, or a second worker, send nothing twice.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dondoc.engine.actors import Leader, Recipient
from dondoc.engine.clock import LocalDays, local_date, start_of_day
from dondoc.engine.db import transaction
from dondoc.engine.escalation.policy import Policy, load_policy
from dondoc.engine.escalation.recipients import committee_addresses, seat_mailbox, secretariat_agency_id
from dondoc.engine.models import Assignment, ItemKind, Milestone, Notification, PlanItem
from dondoc.engine.models.assignments import Role
from dondoc.engine.reports.counted import CONVENTION_CHASED, convention_due, convention_words
from dondoc.engine.reports.data import DutyRow, OverdueRow, ReportData, build_report
from dondoc.engine.reports.labels import (
    FOLLOWED_ONLY,
    as_of_words,
    file_name,
    no_duties_words,
    own_reports_words,
    reports_of,
    reports_scope,
    unfollowed_words,
)
from dondoc.engine.reports.rates import AgencyRates, ToCome, agency_rates, due_later
from dondoc.engine.reports.render import render
from dondoc.engine.reports.window import report_window
from dondoc.engine.role_words import lead_words, roles_words
from dondoc.engine.services.indicators import JUDGED, PROGRESS_LABELS_VI
from dondoc.engine.settings import Settings
from dondoc.engine.textfold import vi_sort_key
from dondoc.engine.vi_format import vn_count, vn_date, vn_percent
from dondoc.tasks_catalog.cycles import period_label, previous_period


def dedupe_key(period_code: str, role: str) -> str:
    """``periodic_report:<period>:<recipient role>``."""
    return f"periodic_report:{period_code}:{role}"


# The report obligations due in [start, end), whoever owes them: none on most days, and then who
# holds the secretariat's seat is not asked. Read from the few report milestones (the subquery lets
# SQLite search the assignments by milestone instead of scanning them all every day). Built once:
# it names only the schema, the day comes as parameters.
_DUE_REPORTS = (
    select(Milestone.id, Milestone.period_code, Assignment.due_at, Assignment.agency_id)
    .join(Milestone, Assignment.milestone_id == Milestone.id)  # type: ignore[arg-type]
    .where(
        col(Assignment.milestone_id).in_(
            select(Milestone.id)
            .join(PlanItem, Milestone.item_id == PlanItem.id)  # type: ignore[arg-type]
            .where(PlanItem.kind == ItemKind.REPORT.value)
        )
    )
    .where(col(Assignment.due_at) >= bindparam("start"), col(Assignment.due_at) < bindparam("end"))
)


def periods_due_today(session: Session, today: date, settings: Settings) -> list[str]:
    """Period codes of the secretariat's report obligations due today (a one-off: its year)."""
    start = start_of_day(today, settings.tz)
    due = session.exec(_DUE_REPORTS, params={"start": start, "end": start + timedelta(days=1)}).all()
    if not due:
        return []
    secretariat = secretariat_agency_id(session, today)  # the dated roster: who holds the seat today
    if secretariat is None:
        return []
    rows = [(mid, code, due_at) for mid, code, due_at, agency_id in due if agency_id == secretariat]
    # the secretariat's own summary, not a members' report it owes as one member among others
    sole = {
        milestone_id
        for milestone_id, n in session.exec(
            select(Assignment.milestone_id, func.count())
            .where(col(Assignment.milestone_id).in_([r[0] for r in rows]))
            .group_by(col(Assignment.milestone_id))
        )
        if n == 1
    }
    codes = [
        code or str(local_date(due, settings.tz).year) for mid, code, due in rows if due is not None and mid in sole
    ]
    return sorted(set(codes))


TOP_OVERDUE = 5  # the agencies with the most overdue work the report's mail names (and any tied with the last)


def figures(rates: Sequence[AgencyRates]) -> dict[str, Any]:
    """The bodies' task figures summed, as the mail words them: what fell due (counted in the rate),
    done on time, done late, not done; and apart, not counted: given after their date, due before
    tracking began."""
    due, on_time = sum(r.tasks_due for r in rates), sum(r.tasks_on_time for r in rates)
    return {
        "due": due,
        "done_on_time": on_time,
        "on_time_rate": vn_percent(on_time / due if due else None),
        "done_late": sum(r.tasks_late for r in rates),
        "overdue_in_period": sum(r.tasks_overdue for r in rates),
        "given_late": sum(r.tasks_given_late for r in rates),
        "before_tracking": sum(r.tasks_before_tracking for r in rates),
        # given through an inferred group the secretariat has not confirmed: in no rate (counted.py)
        "unconfirmed": sum(r.tasks_unconfirmed for r in rates),
    }


def summary(
    data: ReportData,
    roles: tuple[str, ...] | None = None,
    rates: Sequence[AgencyRates] | None = None,
    to_come: ToCome | None = None,
    lead_words: Sequence[str] = (),
    reports_to_come: ToCome | None = None,
    rated_convention: int = 0,
) -> dict[str, Any]:
    """The few figures the mail body shows (JSON-able). ``roles``: the roles whose lateness reaches
    the leaders (``Policy.leader_roles``): the overdue work and the bodies most behind are counted
    of those, as the leaders' digest and page count them; the partners' overdue parts apart.

    The work done is the period's: what fell due in it and how it went (``rates``: each body's,
    of those roles; default the report's own, of every role), as the workbook's sheet by body
    counts it. The mail had said "Hoàn thành đúng hạn: 225" of Quý IV/2022, the count since
    tracking began, while the year's own mail said 192 and the quarter's workbook 24.

    ``to_come``: the parts of the period whose date is still to come (rates.due_later), said
    beside the figures that leave them out, with how many of them are done already. ``lead_words``:
    the texts' other headings for the lead (04/KH-BCĐ's "tham mưu"), named beside "chủ trì".
    ``rated_convention``: the period's tasks of ``roles`` due on the secretariat's convention, which
    ``rates`` leave out (counted.convention_due), said beside them; with ``roles``, such a part is in
    no figure of the mail's either, overdue or report, and names no body (policy.withheld_why): how
    many are left out is said, in the words of the leaders' page (counted.convention_words)."""
    statuses = Counter(i.status for i in data.indicators)
    period = rates if rates is not None else [a.rates for a in data.by_agency]
    to_come = to_come or ToCome()
    if roles is None:
        per_agency = Counter({a.name: a.counts["dang_thuc_hien_qua_han"] for a in data.by_agency})
        overdue, others = data.totals.counts["dang_thuc_hien_qua_han"], None
    else:
        # the leaders are not told of a part given on a guess, nor of lateness against a date the
        # secretariat's convention set (policy.withheld_why, told_while_withheld): neither counted nor
        # a reason to name its body among those most behind; how many, said apart
        sure = [r for r in data.overdue if not r.unconfirmed_group and not r.by_convention]
        per_agency = Counter(r.agency_name for r in sure if r.role in roles)
        overdue = sum(per_agency.values())
        others = len(sure) - overdue
    guessed = [r for r in data.overdue if r.unconfirmed_group] if roles is not None else []
    # a part both is said unconfirmed (policy.withheld_why)
    convention = [r for r in data.overdue if r.by_convention and not r.unconfirmed_group] if roles is not None else []
    counted = {
        (r.item_code, r.agency_code, r.milestone_label)
        for r in data.overdue
        if roles is None or (r.role in roles and not r.unconfirmed_group and not r.by_convention)
    }
    told = [r for r in Role if roles is not None and r.value in roles]  # the roles counted, and the others
    apart = [r for r in Role if roles is not None and r.value not in roles]
    # with roles, the reports due by convention apart too (a report both is said unconfirmed)
    convention_duties = _by_convention(data.duties, roles)
    sure_duties = [d for d in data.duties if _counted_duty(d, roles)]
    # a quarter judged on the text's data cut-off window (61/KH-UBND VI.7: 15/12–14/03 for the first):
    # the reports due in it are the previous quarter's (due on the 20th of its last month), the
    # period's own fall due after it, judged at the reading (data.own_duties); the mail names whose they are
    windowed = data.windowed
    missing_duties = [d for d in sure_duties if d.status == "missing"]
    # the earlier periods' reports not sent (data.earlier_duties): overdue work, among the figure above
    # when their role is counted; the subject says how many of it are reports, of which periods, and
    # not "trong đó 6 báo cáo" of 42 parts of which 14 were reports (the 2022 replay's Quý IV/2022 mail)
    earlier = [d for d in data.earlier_duties if _counted_duty(d, roles)]
    # the period's own reports due after its cut-off window, judged at the reading (data.own_duties)
    own = [d for d in data.own_duties if _counted_duty(d, roles)]
    own_apart = _missing_apart(data.own_duties, _by_convention(data.own_duties, roles))
    unfollowed = unfollowed_words(data)  # the reports due before the tracking start (None: none)
    # the parts each body counted received from another after their date (OverdueRow.received_from):
    # said beside its figure, as the digests say it of each row; the lateness began with the body before
    listed = data.overdue if roles is None else [r for r in sure if r.role in roles]
    received = _received_by_body(listed)
    top = sorted(((name, n) for name, n in per_agency.items() if n), key=lambda pair: (-pair[1], vi_sort_key(pair[0])))
    if len(top) > TOP_OVERDUE:  # the fifth's equals are listed too: a cut through a tie names some and not others
        top = [pair for pair in top if pair[1] >= top[TOP_OVERDUE - 1][1]]
    return {
        "overdue": overdue,
        # the roles counted (None: every role), and the other roles' overdue parts (the partners')
        "roles": None if roles is None else roles_words([r.value for r in told], lead_words),
        "overdue_other_roles": others,
        # overdue parts given through an inferred group, not confirmed: not in the figures above
        "overdue_unconfirmed": len(guessed),
        "unconfirmed_groups": sorted({str(r.unconfirmed_group) for r in guessed} | set(data.unconfirmed_groups)),
        "other_roles": None if roles is None else roles_words([r.value for r in apart], lead_words),
        # overdue parts due on the secretariat's convention: not in the figures above, nor among the
        # bodies named; said as the leaders' page says it (counted.convention_words)
        "overdue_convention": len(convention),
        "overdue_convention_words": convention_words(len(convention), "phần việc quá hạn", CONVENTION_CHASED),
        **figures(period),
        # the period's tasks due on the secretariat's convention, out of the rate (engine.reports.rates)
        "rated_convention_words": convention_words(rated_convention, "phần việc đến hạn trong kỳ", ", vào tỷ lệ"),
        # the period's, their date still to come on the report's day: not counted above; and of them done
        "due_later": to_come.total,
        "due_later_done": to_come.done,
        # the period's reports whose date is still to come (rates.reports_due_later): not late, not yet sent
        "reports_due_later": (reports_to_come or ToCome()).total,
        "reports_due_later_sent": (reports_to_come or ToCome()).done,
        # the reports owed on a guess (an inferred group not confirmed) apart, as the workbook's
        # columns by body count them: the year's mail had said 44 not sent where they summed to 25
        "reports_late": sum(1 for d in sure_duties if d.status == "late"),
        "reports_missing": len(missing_duties),
        # whose reports the two figures above count: the period's ("của kỳ"), or on a data cut-off
        # window, those due in it, named by their periods (the first quarter's mail of 2025 had said
        # "Báo cáo định kỳ của kỳ: 3 gửi trễ, 4 quá hạn chưa gửi" of the fourth quarter's of 2024)
        # (with none counted but some apart, the periods of those: the reports due in the window all the same)
        "reports_scope": reports_scope(_periods_of(sure_duties or data.duties) if windowed else [], windowed),
        # no report sent late or not sent at all: the line says what section IV says instead of
        # "0 gửi trễ, 0 quá hạn chưa gửi" (whose reports, or that none fell due, or that those due were
        # never followed: labels.no_duties_words); the 2025 replay's Quý IV/2024 mail had read "Báo cáo
        # định kỳ có hạn trong thời gian chốt số liệu: 0 gửi trễ, 0 quá hạn chưa gửi", naming no period,
        # of 33 reports of Quý III/2024 due before tracking began
        "reports_none": None if data.duties else no_duties_words(data, "trong tóm tắt này", later=False),
        # whose reports the subject says are not sent: the missing ones', or with none missing, every
        # report's due in the window (data.duty_periods, as section IV names them): the Quý IV/2024 mail
        # of the 2025 replay had said "không có báo cáo định kỳ quá hạn chưa gửi", naming no period
        "reports_missing_of": reports_of(
            (_periods_of(missing_duties) if missing_duties else data.duty_periods) if windowed else [], windowed
        ),
        # the reports due before the tracking start, never followed (labels.unfollowed_words): the
        # subject says them instead of "không có … quá hạn chưa gửi" of them (that Quý IV/2024 mail's 33,
        # four never sent), and "không có" only of those followed (reports_followed), "trong số được theo dõi"
        "reports_unfollowed": unfollowed,
        "reports_followed": data.reports_followed,
        "reports_followed_only": FOLLOWED_ONLY if unfollowed else None,
        # and the summary's line, with rows counted above it, says them beside it (with none, reports_none does)
        "reports_unfollowed_apart": unfollowed_words(data, "ở dòng trên") if data.duties else None,
        "reports_unconfirmed": sum(1 for d in data.duties if d.unconfirmed_group),
        # the reports not sent that the figures leave out (owed on a guess, or due on the convention): a
        # subject saying none is missing says so of the rest only, and names them beside it
        "reports_missing_apart": _missing_apart(data.duties, convention_duties),
        # those due on the secretariat's convention, sent late or not sent: not in the two figures above
        "reports_convention_words": convention_words(len(convention_duties), "báo cáo định kỳ gửi trễ hoặc chưa gửi"),
        # of them, those among the overdue parts counted above (all, when the leaders are told of the
        # reporters' role): the subject says "trong đó", not two figures to be added
        "reports_missing_counted": sum(
            1 for d in sure_duties if d.status == "missing" and (d.item_code, d.agency_code, d.period_label) in counted
        ),
        # of the overdue parts counted above, the reports of earlier periods not sent (data.earlier_duties),
        # and their periods; the subject says both figures of reports among the overdue parts
        "reports_among": _reports_among(
            [d for d in missing_duties if (d.item_code, d.agency_code, d.period_label) in counted],
            [d for d in earlier if (d.item_code, d.agency_code, d.period_label) in counted],
            windowed,
        ),
        "reports_earlier": len(earlier),
        # those the figure leaves out (owed on a guess, due on the convention), as section IV lists them
        "reports_earlier_apart": _missing_apart(data.earlier_duties, _by_convention(data.earlier_duties, roles)),
        "reports_earlier_of": ", ".join(dict.fromkeys(_periods_of(earlier))),
        # on a cut-off window, the period's own reports as the reading finds them (labels.own_reports_words)
        "own_reports": own_reports_words(
            data,
            sum(1 for d in own if d.status == "late"),
            sum(1 for d in own if d.status == "missing"),
            own_apart,
        ),
        "own_missing": sum(1 for d in own if d.status == "missing"),
        "own_period": data.own_period if data.own_as_of is not None else None,
        "own_as_of": as_of_words(data.own_as_of) if data.own_as_of is not None else None,
        "indicators": {s: statuses.get(s, 0) for s in PROGRESS_LABELS_VI},  # every status, none left out
        "indicators_earlier": _judged_on_earlier_figures(data),
        "top_overdue": [{"name": name, "overdue": n, "received": received.get(name)} for name, n in top],
    }


def _judged_on_earlier_figures(data: ReportData) -> dict[str, Any] | None:
    """Of the measures the summary counts as judged (met, nearly, not), those judged on a figure of a
    period that ended before the report's, none of its own having come (``IndicatorRow.awaited_period``):
    how many, of which periods, and the period awaited. The year's mail of 15/12/2022 said "Chỉ tiêu: 6
    đạt, … 10 gần đạt, 4 chưa đạt" on the first half's figures, which only its workbook said."""
    earlier = [i for i in data.indicators if i.awaited_period and i.status in JUDGED and i.actual_period]
    if not earlier:
        return None
    periods = ", ".join(_lowered(period_label(p)) for p in sorted({i.actual_period or "" for i in earlier}))
    awaited = _lowered(period_label(earlier[0].awaited_period or ""))
    said = (
        f"Đánh giá của {vn_count(len(earlier))} chỉ tiêu ở dòng trên dựa trên số liệu {periods}:"
        f" chưa có số liệu đến hết {awaited}."
    )
    return {"count": len(earlier), "said": said}


def _lowered(label: str) -> str:
    """A period's label inside a sentence: "năm 2022", "6 tháng đầu năm 2022", "quý III/2022"."""
    return label[:1].lower() + label[1:]


def _received_by_body(rows: Sequence[OverdueRow]) -> dict[str, str]:
    """body name -> "1 phần việc nhận chuyển giao sau thời hạn từ Sở Thông tin và Truyền thông ngày
    01/03/2025": of ``rows``, those their body received from another after their date, by whom from
    and when (the 2025 replay's Quý I/2025 mail named Sở KH&CN among the bodies most behind for a
    report Sở TT&TT had not sent on 25/12/2024, passed on in 03/2025, with no word of it)."""
    by_body: dict[str, Counter[tuple[date, str]]] = {}
    for row in rows:
        if row.received_from is not None and row.received_date is not None:
            by_body.setdefault(row.agency_name, Counter())[(row.received_date, row.received_from)] += 1
    return {
        name: "; ".join(
            f"{vn_count(n)} phần việc nhận chuyển giao sau thời hạn từ {whom} ngày {vn_date(day)}"
            for (day, whom), n in sorted(passed.items())
        )
        for name, passed in by_body.items()
    }


def _reports_among(inside: Sequence[DutyRow], earlier: Sequence[DutyRow], windowed: bool) -> str | None:
    """ "14 báo cáo định kỳ quá hạn chưa gửi (6 có hạn trong thời gian chốt số liệu: Quý III/2022, Năm
    2022; 8 của các kỳ trước: Quý I/2022, Quý II/2022)": the reports among the overdue parts the mail
    counts, the window's (``inside``) and the earlier periods' (``earlier``), when there are earlier
    ones (else the subject names the window's alone, as before); None otherwise."""
    if not earlier:
        return None
    periods = ", ".join(dict.fromkeys(_periods_of(inside)))
    scope = "có hạn trong thời gian chốt số liệu" if windowed else "của kỳ"
    named = f": {periods}" if windowed and periods else ""
    before = ", ".join(dict.fromkeys(_periods_of(earlier)))
    return (
        f"{vn_count(len(inside) + len(earlier))} báo cáo định kỳ quá hạn chưa gửi ({vn_count(len(inside))} "
        f"{scope}{named}; {vn_count(len(earlier))} của các kỳ trước: {before})"
    )


def _by_convention(duties: Sequence[DutyRow], roles: tuple[str, ...] | None) -> list[DutyRow]:
    """Of ``duties``, those due on the secretariat's convention that a mail to the leaders (``roles``)
    leaves out of its figures and says apart (a report both is said unconfirmed)."""
    return [d for d in duties if d.by_convention and not d.unconfirmed_group and roles is not None]


def _counted_duty(duty: DutyRow, roles: tuple[str, ...] | None) -> bool:
    """Whether the mail's figures count ``duty``: not owed on a guess, nor (told to the leaders,
    ``roles``) due on the secretariat's convention (policy.withheld_why)."""
    return not duty.unconfirmed_group and not (roles is not None and duty.by_convention)


def _periods_of(duties: Sequence[DutyRow]) -> list[str]:
    """The periods of ``duties`` as people read them ("Quý IV/2024"), by due date."""
    return [d.period_text for d in sorted(duties, key=lambda d: (d.due_date or date.min, d.period_text))]


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, path)


def _recipients(session: Session, today: date) -> list[tuple[str, str, str | None]]:
    """(role, email, name) of each leader on the roster on ``today``: the chair, then the vice-chair.
    A seat nobody holds with an address that day has its mail all the same, to nobody
    (recipients.seat_mailbox): written failed, in words, in "Thư gửi lỗi" and the secretariat's digest,
    sent once the roster has the address; it had been skipped, and nobody told the leader had no report."""
    committee = committee_addresses(session, today)
    seats = [seat_mailbox(committee, Recipient(leader.value)) for leader in Leader]
    return [(person.key, person.email, person.name) for person in seats]


def _left_to_come(
    session: Session, period: str, *, now: datetime, local: LocalDays, roles: tuple[str, ...] | None
) -> dict[str, Any] | None:
    """What the previous period's mail (of the same kind: Quý IV/2022 for Quý I/2023) left to come,
    as it stands now: its tasks (of ``roles``) whose date fell after that mail was queued; every one
    of its tasks if it had no mail. Each part is then told in one mail of the kind: by its own
    period's, or by the next one's. The year-end parts ("Năm 2022", due 31/12, moved to 03/01/2023)
    had been told by no mail at all: the year's and the fourth quarter's went before them, and the
    next quarter's counted from 1/1/2023."""
    previous = previous_period(period)
    if previous is None:
        return None
    keys = [dedupe_key(previous, leader.value) for leader in Leader]
    sent = session.exec(select(func.min(Notification.created_at)).where(col(Notification.dedupe_key).in_(keys))).one()
    window = report_window(session, previous)  # its days: the text's data cut-off window, where one is fixed
    first, last = window.start, window.end
    since = sent or local.start_of_day(first) - timedelta(microseconds=1)  # no mail: the whole period
    told = figures(agency_rates(session, start=first, end=last, now=now, local=local, roles=roles, due_after=since))
    if not told["due"] and not told["given_late"]:
        return None
    return {"label": period_label(previous), "sent": vn_date(sent, local.tz) if sent else None, **told}


def _missing_apart(duties: Sequence[DutyRow], convention: Sequence[DutyRow]) -> str | None:
    """ "không kể 1 báo cáo chưa gửi giao theo cách hiểu của Tổ giúp việc, chưa xác nhận giao": the
    reports of ``duties`` not sent that the summary's figures leave out, the body's words for each
    kind (those owed on a guess; those due on the secretariat's convention, ``convention``); None if none."""
    guessed = sum(1 for d in duties if d.status == "missing" and d.unconfirmed_group)
    by_convention = sum(1 for d in convention if d.status == "missing")
    parts = []
    if guessed:
        parts.append(f"{vn_count(guessed)} báo cáo chưa gửi giao theo cách hiểu của Tổ giúp việc, chưa xác nhận giao")
    if by_convention:
        parts.append(f"{vn_count(by_convention)} báo cáo chưa gửi có thời hạn do Tổ giúp việc quy ước")
    return f"không kể {'; '.join(parts)}" if parts else None


def run_periodic_reports(
    engine: Engine,
    *,
    now: datetime,
    settings: Settings,
    reports_dir: Path | None = None,
    policy: Policy | None = None,
) -> list[str]:
    """Queue today's periodic report mails; return the dedupe keys of the rows created.

    The workbook goes to ``reports_dir`` (default ``DONDOC_REPORTS_DIR``, ``var/reports``), named by
    its period in words (``labels.file_name``: ``bao-cao-quy-iii-2022.xlsx``); its sheet by body rates
    the roles the leaders' page rates (``policy``), the rates of every role beside them, so named.
    The mail's figures of overdue work count the roles whose lateness reaches the leaders
    (``policy``, default the configured one), as their digest and page do. Owns its transaction,
    like the other jobs.
    """
    from dondoc.notifications.outbox import MailSpec, enqueue, exists

    directory = reports_dir or settings.reports_dir
    policy = policy or load_policy(settings.policy_file)
    roles = policy.leader_roles()
    created: list[str] = []
    with transaction(engine) as session:
        today = local_date(now, settings.tz)
        periods = periods_due_today(session, today, settings)
        recipients = _recipients(session, today) if periods else []  # the roster read on a due day only
        for period in periods:
            missing = [r for r in recipients if not exists(session, dedupe_key(period, r[0]))]
            if not missing:
                continue
            local = LocalDays(settings.tz)
            data = build_report(session, period_code=period, now=now, local=local, policy=policy)
            rates = agency_rates(session, start=data.start, end=data.end, now=now, local=local, roles=roles)
            later = due_later(session, start=data.start, end=data.end, now=now, local=local, roles=roles)
            path = directory / file_name(period, "xlsx")
            _write_atomically(path, render(data, "xlsx"))
            facts = {
                "period_code": period,
                "period_label": data.period_label,
                # "07:00 ngày 20/06/2022" for a report mailed within its period's day: its figures are of that hour
                "as_of": as_of_words(data.as_of, settings.tz),
                # the data cut-off window a text fixes for the period (61/KH-UBND's quarters), said with it
                "cutoff": data.window.cutoff_words if data.window else None,
                "attachment": str(path.resolve()),
                "attachment_name": path.name,
                "summary": summary(
                    data,
                    roles,
                    rates,
                    later,
                    lead_words(session),
                    data.reports_due_later,
                    convention_due(
                        session,
                        now,
                        local.start_of_day(data.start),
                        local.end_of_day(data.end),
                        roles,
                        ItemKind.TASK.value,
                    )
                    if roles is not None
                    else 0,
                ),
                # the day the mail is sent: the lines judged then (what is still to come, the previous period's)
                "sent_on": vn_date(now, settings.tz),
                # the day tracking began, said beside the period's work due before it (not counted)
                "tracking_start": vn_date(data.tracking_start) if data.tracking_start else None,
                "earlier": _left_to_come(session, period, now=now, local=local, roles=roles),
            }
            for role, email, name in missing:
                spec = MailSpec(
                    dedupe_key(period, role), "periodic_report", role, email, name, None, None, held=False, data=facts
                )
                row: Notification | None = enqueue(session, spec, now=now, settings=settings)
                if row is not None:
                    created.append(spec.dedupe_key)
    return created
