"""The data of one periodic report: plain dataclasses the renderers (HTML, XLSX, MD) share.

Everything is judged at ``as_of``: the period's last second, or now while the period runs; work is
classed a microsecond later (rates.closing: a date that is the period's last instant is past).
Category counts are those of :func:`engine.services.queries.category_counts` at that instant. A past
period's work rewritten since its close (a report returned, a date extended) is judged from its
history as it stood then (engine.reports.history), in the counts, the lists and the rates alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.date_notes import date_note
from dondoc.engine.db import id_batches
from dondoc.engine.errors import InvalidInput
from dondoc.engine.escalation.policy import Policy, load_policy
from dondoc.engine.models import (
    ITEM_ORDER,
    PLAN_ORDER,
    Agency,
    Assignment,
    Indicator,
    IndicatorActual,
    Milestone,
    Plan,
    PlanItem,
)
from dondoc.engine.reports.counted import Counted, guessed_groups, guessed_mark, how_counted
from dondoc.engine.reports.history import Then, changed_after
from dondoc.engine.reports.labels import CATEGORIES
from dondoc.engine.reports.rates import (
    AgencyRates,
    DueRow,
    ToCome,
    agency_rates,
    as_of,
    closing,
    counted_to_come,
    due_later,
    due_rows,
    reports_due_later,
)
from dondoc.engine.reports.sent import mailed_at
from dondoc.engine.reports.window import Window, report_window
from dondoc.engine.role_words import lead_words, roles_words
from dondoc.engine.services import indicators as ind
from dondoc.engine.services.inferred_parts import Predecessor, by_convention_of, unconfirmed_of
from dondoc.engine.services.queries import base_query, category_counts, list_assignments
from dondoc.engine.services.queries import views as as_views
from dondoc.engine.services.same_work import counted_twice
from dondoc.engine.services.tracking import tracking_from, tracking_start
from dondoc.engine.services.transfer_origins import holders_on, received_late
from dondoc.engine.status import (
    Category,
    day_off_words,
    days_late,
    given_after_due,
    given_late_words,
    issued_after_due,
    moved_off_day,
)
from dondoc.engine.vi_format import shown_code, vn_date
from dondoc.engine.views import CategoryCounts
from dondoc.tasks_catalog.cycles import PeriodError, period_label, period_span, periods_as_of


@dataclass(frozen=True)
class CountsRow:
    key: str | None
    label: str | None
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class AgencyRow:
    code: str
    short: str
    name: str
    counts: dict[str, int]
    total: int
    rates: AgencyRates  # of every role, the partners' too (the secretariat chases them all)
    # the leaders' rates of the same period (agency_rates with the policy's leader roles: their page's
    # basis, rates.leaders_leave_out), with what they leave out counted apart: the workbook's sheet by
    # body states these under the words the leaders' page gives them
    leaders: AgencyRates


class _MovedDue:
    """A row whose due day a day off may have moved from the text's own day (``moved_from``), and what
    the lists say beside its date (``date_note``: engine.date_notes, the one rule of it)."""

    moved_from: date | None
    date_note: str | None

    @property
    def due_note(self) -> str | None:
        """What is said beside the date, as the board's lists and workbook say it: extended since, with
        the first date; "trước ngày X" counted through X; a day off moved it (engine.date_notes); None
        when none is so. The report had said none but the last, where the board and the mails said
        "20/06/2022 “trước ngày 20/06/2022” (Tổ giúp việc tính cả ngày 20/06/2022)"."""
        if self.date_note:
            return self.date_note
        return day_off_words(self.moved_from) if self.moved_from else None


class _ReceivedLate:
    """A row of work its body received from another (a succession) after its date
    (engine.status.received_after_due, transfer_origins.received_late): from whom, on which day, and
    the working days since; the lateness began with the body before, as the digests say (the 2025
    replay's Quý I/2025 report named Sở KH&CN for a report Sở TT&TT had not sent on 25/12/2024,
    passed on in 03/2025, with no word of it)."""

    days_late: int
    received_from: str | None
    received_date: date | None
    days_since_received: int | None

    @property
    def received_words(self) -> str | None:
        """ "quá hạn 8 ngày làm việc kể từ ngày nhận chuyển giao 01/03/2025 (nhận chuyển giao từ Sở
        Thông tin và Truyền thông; 55 ngày làm việc kể từ thời hạn)": engine.status.given_late_words,
        the words of the digests and the pages; None for work its body held by its date."""
        if self.received_from is None or self.received_date is None:
            return None
        return given_late_words(
            self.days_since_received,
            vn_date(self.received_date),
            self.days_late,
            plan_after_due=False,
            received_from=self.received_from,
        )

    def _own_days(self, otherwise: int) -> int:
        """The working days a row leads with: since its body received the work, when that came after
        its date (its predecessor's days are said in :attr:`received_words`); else ``otherwise``."""
        return (self.days_since_received or 0) if self.received_words is not None else otherwise


@dataclass(frozen=True)
class OverdueRow(_MovedDue, _ReceivedLate):
    plan_number: str
    item_code: str
    item_title: str
    milestone_label: str | None
    agency_code: str
    agency_name: str
    role_label: str
    due_date: date | None
    days_late: int
    priority: bool
    role: str = ""  # lead | implementer | partner (role_label says it in words)
    # the day the body was given the work, when that came after its date (engine.status.given_after_due):
    # its days late are counted from the date, and the reader is told since when the body has had it
    given_date: date | None = None
    # then, the working days late counted from that day (days_late counts from the date, before
    # the body had the work): said beside them, as the pages and the digests say it
    days_since_given: int | None = None
    deadline_phrase: str | None = None  # the text's words of the date
    # the inferred group's name when the body holds the part through it and the secretariat has not
    # confirmed it (engine.reports.counted.guessed_sql): listed, marked, and in no rate
    unconfirmed_group: str | None = None
    # the text's own date, when a day off moved the due day from it ("chậm nhất vào ngày 25 tháng
    # cuối quý": 25/09/2022, a Sunday, due 26/09): said beside the date (engine.status.moved_off_day)
    moved_from: date | None = None
    # its date is the secretariat's convention, no document's (Milestone.due_by_convention; its label
    # says so): listed, and in no figure of the leaders' mail (policy.withheld_why)
    by_convention: bool = False
    # its body received it from another after its date: from whom, when, the working days since
    # (_ReceivedLate.received_words says it)
    received_from: str | None = None
    received_date: date | None = None
    days_since_received: int | None = None
    date_note: str | None = None  # beside its date, as the lists say it (_MovedDue.due_note)
    # given after its date because its plan was issued after it, on the issue day: late from the
    # plan's issue, as the digests say it (engine.status.issued_after_due)
    plan_after_due: bool = False
    # of a part not confirmed its body received from another: the body first given it, the one the
    # group's guess was about (engine.services.inferred_parts.Guess.about)
    guessed_member: Predecessor | None = None
    # the item's kind ("task" | "report") and its milestone's period: a periodic report not sent is
    # overdue work too, and the mail says how many of the overdue parts are reports, of which periods
    kind: str = "task"
    period_code: str | None = None

    @property
    def role_words(self) -> str:
        """The role, and the mark of a part not confirmed (:attr:`unconfirmed_group`)."""
        if not self.unconfirmed_group:
            return self.role_label
        return f"{self.role_label}; {guessed_mark(self.unconfirmed_group, self.guessed_member)}"

    @property
    def lateness(self) -> int:
        """The working days its body has been late with it, the figure the report leads with, as the
        board's lists and the mails do: since the body received it or was given it, when that came
        after its date (the 2022 report led with 74 for 117/KH-UBND II.1.đ, given on 27/07 for a date of
        30/06, where the chair's page says 55 since it was given); else since its date."""
        return self._own_days(self.days_late if self.days_since_given is None else self.days_since_given)

    @property
    def given_words(self) -> str | None:
        """ "quá hạn 55 ngày làm việc kể từ ngày giao 04/07/2022 (giao sau thời hạn; 74 ngày làm việc
        kể từ thời hạn)", or of a plan issued after its date "… kể từ ngày ban hành kế hoạch 27/07/2022
        (thời hạn ghi trong kế hoạch đã qua trước ngày ban hành; …)": engine.status.given_late_words,
        as the pages and the digests say it, for work given after its date (not received from another
        body: :attr:`received_words`); else None."""
        if self.received_words is not None or self.given_date is None or self.days_since_given is None:
            return None
        return given_late_words(
            self.days_since_given, vn_date(self.given_date), self.days_late, plan_after_due=self.plan_after_due
        )

    @property
    def milestone_words(self) -> str | None:
        """The milestone as the report names it: its label, else the text's words ("Năm 2022"): the
        first quarter of 2023's report listed 2022's work, moved to 03/01/2023 by the day-off rule,
        with no sign it was 2022's. (``milestone_label`` stays the key the mail matches duties by.)"""
        return self.milestone_label or self.deadline_phrase


@dataclass(frozen=True)
class IndicatorRow:
    plan_number: str
    item_code: str
    code: str
    name: str
    unit: str
    comparison: str
    agency_code: str
    agency_short: str
    scope: str
    target: float | tuple[float, float] | None
    target_period_end: date | None  # None: a standing target, no date (indicators.TargetDates)
    actual: float | None
    actual_period: str | None
    reported_at: datetime | None
    note: str | None
    status: str
    scope_label: str = ""  # the scope as people read it: a group by its name ("Các sở, ban, ngành")
    # a standing target's first day ("kể từ ngày 01/12/2022"): said with the target, which a figure of
    # a period begun before it does not judge (indicators.applies_from)
    applies_from: date | None = None
    # the report's period, when the figure is of one that ended before it: the year's report judged
    # 04/KH-BCĐ II.11 "Chưa đạt" on the first half's 42,4 % and said nothing of the year's figure
    awaited_period: str | None = None

    @property
    def actual_period_text(self) -> str:
        """The period the figure is of, as people read it ("6 tháng đầu năm 2022"), or "—"; with the
        report's period when no figure of it has come ("chưa có số liệu đến hết năm 2022")."""
        if not self.actual_period:
            return "—"
        said = period_label(self.actual_period)
        if not self.awaited_period:
            return said
        awaited = period_label(self.awaited_period)
        return (
            f"{said} (chưa có số liệu đến hết {awaited[:1].lower()}{awaited[1:]})"  # "quý III/2022": the numeral kept
        )

    # a standing target's days after its first ("theo lộ trình": 117/KH-UBND II.1.b's districts, communes)
    later_starts: tuple[date, ...] = ()
    # the text gives the target no date: the plan year's end is dondoc's reading (indicators.TargetDates)
    date_unsaid: bool = False

    @property
    def target_text(self) -> str:
        """ "≥ 30 %", "65–70 %", "> 50 %": the target as people read it (indicators.target_text)."""
        return ind.target_text(self.target, self.comparison, self.unit, self.applies_from)

    @property
    def dates(self) -> ind.TargetDates:
        """When the target is to be met, or applies from (indicators.target_dates)."""
        first = (self.applies_from,) if self.applies_from and self.target_period_end is None else ()
        return ind.TargetDates(self.target_period_end, first + self.later_starts, self.date_unsaid)

    @property
    def deadline_text(self) -> str:
        """ "31/12/2022", or "áp dụng từ ngày 01/06/2022": a standing target has no date."""
        return self.dates.words

    @property
    def status_label(self) -> str:
        return ind.PROGRESS_LABELS_VI[self.status]


@dataclass(frozen=True)
class DutyRow(_MovedDue, _ReceivedLate):
    """A report obligation of the period that is late or missing."""

    item_code: str
    item_title: str
    period_label: str | None
    agency_code: str
    agency_name: str
    due_date: date | None
    reported_at: datetime | None
    status: str  # "late" | "missing"
    days_late: int
    period_code: str | None = None  # the milestone's period (2022-H1), when it is a period's report
    moved_from: date | None = None  # the text's own date, when a day off moved the due day (OverdueRow)
    # the inferred group's name when the body owes the report through it, not confirmed (OverdueRow):
    # listed, marked, and in no count of the rates nor of the leaders' mail
    unconfirmed_group: str | None = None
    by_convention: bool = False  # its date is the secretariat's convention (OverdueRow)
    # its body received it from another after its date (OverdueRow): a report its predecessor had not
    # sent by then; the 2025 replay's Quý I/2025 section IV named Sở KH&CN for Sở TT&TT's report of
    # 25/12/2024, passed on 05/03/2025, with no word of it, where section V said so
    received_from: str | None = None
    received_date: date | None = None
    days_since_received: int | None = None
    date_note: str | None = None  # beside its date, as the lists say it (_MovedDue.due_note)
    guessed_member: Predecessor | None = None  # the body the guess was about, when another (OverdueRow)

    @property
    def lateness(self) -> int:
        """The working days late the row leads with, the body's own, as section V's
        (:attr:`OverdueRow.lateness`): the 2022 report led Sở NN&MT's row of Sở TN&MT's report of
        Quý I, passed on 01/10/2022, with 199, its section V with 65."""
        return self._own_days(self.days_late)

    @property
    def agency_words(self) -> str:
        """The body, and the mark of a report it owes on a guess (:attr:`unconfirmed_group`)."""
        if not self.unconfirmed_group:
            return self.agency_name
        return f"{self.agency_name}; {guessed_mark(self.unconfirmed_group, self.guessed_member)}"

    @property
    def period_text(self) -> str:
        """The period as people read it: the milestone's label, else its period's name
        ("Năm 2022", not "—"), else "Một lần": a one-off report whose text names no period (the
        catalog's label names it where the text does: 04/KH-BCĐ III.2's "báo cáo năm", "Năm 2022"),
        where "—" would read as a period not known."""
        return period_text(self.period_label, self.period_code)


def period_text(label: str | None, code: str | None) -> str:
    """A report obligation's period as people read it (:attr:`DutyRow.period_text`)."""
    return label or (period_label(code) if code else "Một lần")


@dataclass
class ReportData:
    period_code: str
    period_label: str
    start: date
    end: date
    as_of: datetime
    generated_at: datetime
    totals: CountsRow
    by_plan: list[CountsRow] = field(default_factory=list)
    by_agency: list[AgencyRow] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    duties: list[DutyRow] = field(default_factory=list)
    # the period's tasks (every role) whose date is still to come when judged: left out of its rates
    due_later: ToCome = field(default_factory=ToCome)
    tracking_start: date | None = None  # the installation's: work due before it is never followed here
    # bodies that ended before the period began and still hold work counted in section I: (name, last
    # day, parts, of them due before the tracking start): not in the table by body (they are not bodies
    # of the period), said in a note, the parts it leaves out all counted (the 2022 reports said 7 of
    # UBND Tây Trà's 13: those due before the tracking start, unfinished too, were not)
    ended: list[tuple[str, date, int, int]] = field(default_factory=list)
    # the parts of section I that are the same work as parts under another document (same_work):
    # each document counts its own, so the total counts them twice, said beside it
    counted_twice: int = 0
    # of section I's late work (done late, overdue), how much was given after its own date (a plan
    # issued after it, a body named after it): late from the day it was given, not by its holder
    given_late: dict[str, int] = field(default_factory=dict)
    # the period's parts whose date the day-off rule moved past its last day, judged on that date
    # in the rates: (the day, how many)
    judged_later: list[tuple[date, int]] = field(default_factory=list)
    # one line per measure listed under several targets or bodies, its figure one (data._measure_notes)
    indicator_notes: list[str] = field(default_factory=list)
    # start–end as a window: the period's days, or the data cut-off a text fixes (window.report_window)
    window: Window | None = None
    # the period's report mailed to the leaders (engine.reports.sent): when it was built, and the
    # instant its figures were judged at; a reading judged at another says so (labels.mailed_words)
    mailed_at: datetime | None = None
    mailed_as_of: datetime | None = None
    # the names of the inferred groups the parts its rates leave out rest on (counted.guessed_groups)
    unconfirmed_groups: list[str] = field(default_factory=list)
    # the periods of the periodic reports due in the window, whatever became of them ("Quý III/2024"),
    # by due date, each once; and of those due before the tracking start (counted.how_counted), which
    # no figure counts and section IV does not list; and how many were due since, followed: section
    # IV, with no row, says whose reports it speaks of and what it does not know (labels.no_duties_words)
    duty_periods: list[str] = field(default_factory=list)
    duty_periods_before: list[str] = field(default_factory=list)
    reports_followed: int = 0
    # the periodic reports of the window whose date is still to come when judged (rates.reports_due_later),
    # and how many are sent already: section IV says "đầy đủ" only of those due by then
    reports_due_later: ToCome = field(default_factory=ToCome)
    # the periodic reports due before the window (or the period) and still not sent at its end:
    # overdue work, in section V and in the mail's overdue figure; section IV lists them too, beside
    # the window's (the 2022 replay's Quý IV/2022 mail said "trong đó 6 báo cáo" of 42 overdue parts of
    # which 14 were reports, eight of Quý I and Quý II never sent, and its section IV listed none of them)
    earlier_duties: list[DutyRow] = field(default_factory=list)
    # on a data cut-off window, the period's own reports (due after the window's end: the agencies'
    # quarterly reports of 61/KH-UBND, "trước ngày 20 tháng cuối quý", which the province's report is
    # built from), sent late or not sent as judged at the reading (``own_as_of``: the report's build);
    # how many of them fell due by then and are followed (``own_due``); those still to come then
    # (not late yet). The 2022 replay's Quý III/2022 mail of 26/09 listed Quý II's and said nothing of
    # the nine agencies whose Quý III report, due on 20/09, had not come.
    own_duties: list[DutyRow] = field(default_factory=list)
    own_as_of: datetime | None = None
    own_due: int = 0
    own_due_later: ToCome = field(default_factory=ToCome)

    # the roles the leaders' rates count (policy.leader_roles; None: every role): AgencyRow.leaders
    leader_roles: tuple[str, ...] | None = None
    leader_roles_words: str | None = None  # those in words, as the leaders' page says them

    @property
    def listed_duties(self) -> list[DutyRow]:
        """Section IV's rows: the window's reports sent late or not sent, the earlier periods' not
        sent, the period's own sent late or not sent by the reading (labels.duties_scope says which)."""
        return [*self.duties, *self.earlier_duties, *self.own_duties]

    @property
    def own_period(self) -> str | None:
        """The period whose own reports are judged at the reading ("Quý III/2022"), or None."""
        return self.period_label if self.own_as_of is not None else None

    @property
    def windowed(self) -> bool:
        """Judged on a data cut-off window a text fixes (61/KH-UBND VI.7), not the period's own days:
        the reports due in it are the previous period's."""
        return self.window is not None and self.window.source is not None

    @property
    def window_words(self) -> str:
        """ "Kỳ báo cáo từ 01/07/2022 đến 30/09/2022", or the text's cut-off window (Window.words)."""
        return (self.window or Window(self.start, self.end)).words(self.period_label)


def _shown_total(counts: Mapping[str, int]) -> int:
    """A count table's "Tổng": the sum of the columns it shows (cancelled work has none)."""
    return sum(counts[c.value] for c in CATEGORIES)


def _rows(rows: Sequence[CategoryCounts]) -> list[CountsRow]:
    return [CountsRow(r.key, r.label, dict(r.counts), _shown_total(r.counts)) for r in rows]


def build_report(
    session: Session,
    *,
    period_code: str,
    now: datetime,
    local: LocalDays = DEFAULT_DAYS,
    policy: Policy | None = None,
) -> ReportData:
    """Everything the report of ``period_code`` (2022-H1 | 2022 | 2022-Q3) shows, judged at ``as_of``
    (days of ``local``, the configured zone); ``policy``: the one the scheduler runs (default the
    shipped one), whose leader roles the leaders' rates by body count (AgencyRow.leaders)."""
    try:
        period_span(period_code)
        label = period_label(period_code)
    except PeriodError as exc:
        raise InvalidInput(str(exc)) from None
    # the days its figures cover: the data cut-off window a text fixes for the period (61/KH-UBND's
    # quarters: 15/06–14/09 for the third), else the period; judged at the window's end
    window = report_window(session, period_code)
    start, end = window.start, window.end
    judged = as_of(end, now, local)
    closed = closing(end, now, local)  # what the figures class work at: past the last instant
    # the plans issued by the report's day: a report of June does not count a plan of July (a
    # catalog loaded before a plan's issue; June's listed 117/KH-UBND's 585 tasks as not yet due)
    day = local.local_date(judged)
    # a past period: the work changed since its close counted as its history says it stood then (a
    # report returned since, an extension granted since), the rest as its row says (engine.reports.history)
    then = changed_after(session, closed, local)
    # the work given by then: a later quarter's report, not yet handed out, is nobody's yet
    counts = partial(category_counts, session, closed, issued_by=day, given_only=True, then=then)
    (totals,) = _rows(counts())
    by_plan = _rows(counts(by="plan"))
    data = ReportData(period_code, label, start, end, judged, now, totals, by_plan, window=window)
    data.mailed_at = mailed_at(session, period_code)
    data.mailed_as_of = as_of(end, data.mailed_at, local) if data.mailed_at is not None else None
    data.counted_twice = counted_twice(session.connection(), given_by=closed, issued_by=day)
    (given_late,) = counts(given_late_only=True)
    data.given_late = {c: given_late.counts.get(c, 0) for c in (Category.DONE_LATE.value, Category.OVERDUE.value)}
    data.leader_roles = (policy or load_policy()).leader_roles()
    if data.leader_roles is not None:
        data.leader_roles_words = roles_words(data.leader_roles, lead_words(session))
    data.by_agency, data.ended = _agencies(session, start, end, now, local, then, data.leader_roles)
    data.overdue = _overdue(session, closed, judged, local, then)
    # the targets of the period's year (a first quarter's window begins in December of the year before)
    year_start = period_span(period_code)[0]
    data.indicators, data.indicator_notes = _indicators(session, period_code, year_start, judged, issued_by=day)
    if any(i.status in ind.JUDGED_BY_TOLERANCE for i in data.indicators):
        data.indicator_notes.append(ind.progress_legend())
    due = due_rows(session, start=start, end=end, now=now, local=local, then=then)  # read once, for both
    data.duties = _duties(session, due, end, now, local)
    data.duty_periods, data.duty_periods_before, data.reports_followed = _duty_periods(session, due)
    # the reports of earlier periods still not sent: overdue at the window's end, due before it
    data.earlier_duties = [_unsent(o) for o in data.overdue if o.kind == "report" and (o.due_date or start) < start]
    if data.windowed:
        _own_duties(session, data, now, local)
    data.judged_later = _judged_later(due)
    data.due_later = due_later(session, start=start, end=end, now=now, local=local)
    data.reports_due_later = reports_due_later(session, start=start, end=end, now=now, local=local)
    data.tracking_start = tracking_start(session)
    if any(a.rates.tasks_unconfirmed or a.rates.reports_unconfirmed for a in data.by_agency):
        data.unconfirmed_groups = guessed_groups(session)
    return data


def _agencies(
    session: Session, start: date, end: date, now: datetime, local: LocalDays, then: Then, roles: tuple[str, ...] | None
) -> tuple[list[AgencyRow], list[tuple[str, date, int, int]]]:
    """Every body with work in the report: one with none (a body of 2025, or of Kon Tum, in a 2022
    report) is not listed; nor is one that ended before the period began (UBND Tây Trà, merged
    into Trà Bồng in 2020, in a 2022 report), named apart with what it still holds."""
    day = local.local_date(as_of(end, now, local))
    closed = closing(end, now, local)
    counts = {
        r.key: r
        for r in category_counts(
            session, closed, by="agency", holders_on=day, issued_by=day, given_only=True, then=then
        )
    }
    names: dict[str, tuple[str, date | None]] = {
        code: (name, last)
        for code, name, last in session.execute(select(col(Agency.code), col(Agency.name), col(Agency.valid_to)))
    }
    empty = {c.value: 0 for c in Category}
    rated = partial(agency_rates, session, start=start, end=end, now=now, local=local, then=then)
    leaders = {r.agency_code: r for r in rated(roles=roles)}  # the leaders' page's basis, read once
    rows = [
        AgencyRow(
            rates.agency_code,
            rates.agency_short,
            names[rates.agency_code][0],
            dict(counts[rates.agency_code].counts) if rates.agency_code in counts else dict(empty),
            _shown_total(counts[rates.agency_code].counts) if rates.agency_code in counts else 0,
            rates,
            leaders[rates.agency_code],
        )
        for rates in rated()
    ]
    kept: list[AgencyRow] = []
    gone: list[tuple[str, date, int, int]] = []
    for row in rows:
        if not (row.total or row.rates.tasks_due or row.rates.reports_due):
            continue
        last = names[row.code][1]
        if last is None or last >= start:  # a body of the period
            kept.append(row)
        elif row.total:  # what section I counts of it, the table by body leaves out
            gone.append((row.name, last, row.total, row.counts[Category.BEFORE_TRACKING.value]))
    return kept, gone


def _overdue(session: Session, closed: datetime, judged: datetime, local: LocalDays, then: Then) -> list[OverdueRow]:
    """Work overdue when the period closes, its working days late counted to the report's day (0 for
    a date that was the period's last); the work changed since, as its history says it stood (``then``)."""
    views = [v for v in list_assignments(session, closed, status=Category.OVERDUE.value) if v.id not in then]
    if then:
        changed = base_query(closed).where(col(Assignment.id).in_(then.ids))
        views += [v for v in as_views(session, changed, closed) if then.category(v.id) is Category.OVERDUE]
    held = _as_it_was(session, [v.id for v in views], local.local_date(judged))
    dues = {v.id: then.facts(v.id).due_at if v.id in then else v.due_at for v in views}  # the dates in force then
    # how the body that held it then (``held``) came to hold it, when that came after its date
    passed = received_late(session, list(dues.items()), local.local_date(judged), local.tz)
    guessed = unconfirmed_of(session, [v.id for v in views])  # listed, marked (in no rate)
    convention = by_convention_of(session, [v.id for v in views])  # listed, flagged (in no leaders' figure)
    kinds = _kinds(session, [v.id for v in views])
    rows = []
    for v in views:
        due = dues[v.id]
        given_late = given_after_due(due, v.assigned_at, local.tz)
        took = passed.get(v.id)
        name = held[v.id].name if v.id in held else v.agency_name
        guess = guessed.get(v.id)
        rows.append(
            OverdueRow(
                v.plan_number,
                v.item_code,
                v.item_title,
                v.milestone_label,
                held[v.id].code if v.id in held else v.agency_code,
                name,
                v.role_label,
                local.local_date(due) if due else None,
                days_late(due, None, judged),
                v.priority,
                v.role,
                local.local_date(v.assigned_at) if given_late else None,
                days_late(v.assigned_at, None, judged) if given_late else None,
                v.deadline_phrase,
                guess.group if guess else None,
                moved_off_day(v.written_due, v.original_due_at, due, local.tz),
                v.id in convention,
                took.from_name if took else None,
                took.on if took else None,
                days_late(local.start_of_day(took.on), None, judged) if took else None,
                date_note(v.deadline_phrase, due, v.original_due_at, v.written_due),
                issued_after_due(due, v.assigned_at, v.plan_issued, local.tz),
                guess.about(name) if guess else None,
                *kinds.get(v.id, ("task", None)),
            )
        )
    return sorted(rows, key=lambda r: (-r.days_late, r.item_code, r.agency_code))


def _kinds(session: Session, assignment_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """assignment id -> (its item's kind, its milestone's period code)."""
    found: dict[int, tuple[str, str | None]] = {}
    for batch in id_batches(assignment_ids):
        statement = (
            select(col(Assignment.id), col(PlanItem.kind), col(Milestone.period_code))
            .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
            .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
            .where(col(Assignment.id).in_(batch))
        )
        found |= {i or 0: (str(kind), code) for i, kind, code in session.exec(statement)}
    return found


def _as_it_was(session: Session, assignment_ids: list[int], day: date) -> dict[int, Agency]:
    """assignment id -> the agency that held it on ``day``, for those a later succession moved."""
    held = holders_on(session, assignment_ids, day)
    agencies = {a.id: a for a in session.exec(select(Agency).where(col(Agency.id).in_(set(held.values()))))}
    return {assignment_id: agencies[agency_id] for assignment_id, agency_id in held.items()}


def _indicators(
    session: Session, period_code: str, start: date, judged: datetime, *, issued_by: date
) -> tuple[list[IndicatorRow], list[str]]:
    """Indicators whose target falls in the period's year or later, of the plans issued by
    ``issued_by`` (the report's day, as the counts: June's report listed 117/KH-UBND's 86 targets,
    a plan of 27/07), per answering agency."""
    end = period_span(period_code)[1]
    # the year's figures in Q4's report, as they were known at the report's instant
    twins = ind.same_target_twins(session)  # read once: the figures and the rows listed once
    latest = ind.latest_actuals(session, periods_as_of(period_code), known_by=judged, twins=twins)
    agencies = {a.id: a for a in session.exec(select(Agency))}
    names = ind.ScopeNames.read(session)
    statement = (
        select(Indicator, PlanItem, Plan)
        .join(PlanItem, col(Indicator.item_id) == col(PlanItem.id))
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .order_by(*PLAN_ORDER, *ITEM_ORDER, col(Indicator.id))
    )
    rows: list[IndicatorRow] = []
    keys: list[ind.AnswerKey] = []  # each row's (indicator, agency, scope)
    same: dict[int, int] = {}  # indicator -> the same target in another plan (Indicator.same_as_id)
    by_date: dict[date, dict[ind.AnswerKey, IndicatorActual]] = {}  # the figures as they stood on a target's date

    def stood(day: date, key: ind.AnswerKey) -> IndicatorActual | None:
        if day not in by_date:
            by_date[day] = ind.figures_by(session, day, known_by=judged, twins=twins)
        return by_date[day].get(key)

    for indicator, item, plan in session.exec(statement):
        if plan.issued > issued_by:
            continue  # not issued yet at the report's day
        dates = ind.target_dates(session, indicator, plan.year)
        period_end = dates.due
        if period_end is not None and period_end < date(start.year, 1, 1):
            # a target of an earlier year (61/KH-UBND: 2020) is history, not this report; one of an earlier
            # quarter of the year stays (the fourth quarter's dropped "phát thanh số ≥ 50 % đến 30/09/2022",
            # not met: the chair was told of it no more)
            continue
        since = dates.applies_from
        if indicator.same_as_id is not None:
            same[indicator.id or 0] = indicator.same_as_id
        for answer in ind.answers(session, indicator):
            key = (indicator.id or 0, answer.agency_id, answer.scope)
            # none of the report's periods: the latest sent before its end, said as such (awaited_period);
            # the third quarter's report read "—" beside the first half's 21,7 % sent on 23/06
            actual = latest.get(key) or _of_year(stood(end, key), start.year)
            value = actual.value if actual else None
            agency = agencies[answer.agency_id]
            keys.append(key)
            rows.append(
                IndicatorRow(
                    plan.number,
                    item.code,
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    indicator.comparison,
                    agency.code,
                    agency.short,
                    answer.scope,
                    answer.target,
                    period_end,
                    value,
                    actual.period_code if actual else None,
                    actual.reported_at if actual else None,
                    actual.note if actual else None,
                    ind.progress_on_time(
                        answer.target,
                        indicator.comparison,
                        actual,
                        partial(stood, period_end or end, key),
                        dates,
                        judged,
                        indicator.unit,
                    ),
                    names.of(answer.scope),
                    applies_from=since,
                    later_starts=dates.starts[1:],
                    date_unsaid=dates.unsaid,
                    awaited_period=period_code if actual and _earlier(actual.period_code, end, period_end) else None,
                )
            )
    return _once(rows, keys, same, twins)


def _earlier(figure_period: str, end: date, target_end: date | None) -> bool:
    """Whether a figure of ``figure_period`` is of a period that ended before both the report's end
    and the target's own date: judged on it, the verdict waits for a later figure (awaited_period).
    A target dated 30/09/2022 judged on its third quarter's figure is judged on its own period's: the
    year's mail had called it provisional ("chưa có số liệu đến hết năm 2022")."""
    until = min(end, target_end) if target_end is not None else end
    return period_span(figure_period)[1] < until


def _of_year(actual: IndicatorActual | None, year: int) -> IndicatorActual | None:
    """``actual`` if it is a figure of ``year``: the first quarter's report of 2023 judged 28 targets
    "Đạt" on 2022's figures, which say nothing of a count of 2023."""
    return actual if actual is not None and period_span(actual.period_code)[0].year == year else None


def _once(
    rows: list[IndicatorRow],
    keys: list[ind.AnswerKey],
    same: dict[int, int],
    twins: dict[ind.AnswerKey, list[ind.AnswerKey]],
) -> tuple[list[IndicatorRow], list[str]]:
    """Each target once: a body's row of an indicator that restates another plan's target (117/KH-UBND
    II.5's 65 % fibre is 1834/UBND-KGVX 2's) is left out when that one's row is listed, which names
    both items (their figure is one: latest_actuals); it had been listed twice, "Chưa đạt" under
    one and "Chưa đánh giá được" under the other. With the notes of the measures listed under
    several targets or bodies (:func:`_measure_notes`)."""
    at = {key: index for index, key in enumerate(keys)}
    kept = list(rows)
    dropped: set[int] = set()
    for index, key in enumerate(keys):
        if key[0] not in same:
            continue  # the one named, or a target of one plan only
        other = next(
            (
                at[twin]
                for twin in twins.get(key, ())
                if twin in at
                and (twin[0], twin[1]) == (same[key[0]], key[1])  # the same body's, in the plan it restates
                and rows[at[twin]].target == rows[index].target
            ),
            None,
        )
        if other is None:
            continue  # its twin is not in this report (judged in another period) or has none
        dropped.add(index)
        kept[other] = replace(
            kept[other],
            item_code=f"{kept[other].item_code}, {rows[index].item_code}",
            # one of the two texts dates it (117/KH-UBND II.5 "Trong năm 2022" restating 1834/UBND-KGVX 2)
            date_unsaid=kept[other].date_unsaid and rows[index].date_unsaid,
        )
    listed = [index for index in range(len(kept)) if index not in dropped]
    return [kept[index] for index in listed], _measure_notes(
        [kept[index] for index in listed], [keys[index] for index in listed], twins
    )


def _measure_notes(
    rows: list[IndicatorRow], keys: list[ind.AnswerKey], twins: dict[ind.AnswerKey, list[ind.AnswerKey]]
) -> list[str]:
    """One line per measure whose one figure stands on several rows (indicators.measure_twins): the
    documents set it different targets (04/KH-BCĐ II.11's 70 % of households on fibre, 1834/UBND-KGVX
    2's 65 %: the third quarter's report had shown 42,1 under one and 63,8 under the other), or an item
    sets one target for its several leads (117/KH-UBND II.1.d: VP UBND and Sở TT&TT)."""
    at = {key: index for index, key in enumerate(keys)}
    notes: list[str] = []
    told: set[int] = set()
    for index, key in enumerate(keys):
        group = sorted({index, *(at[twin] for twin in twins.get(key, ()) if twin in at)})
        if len(group) < 2 or index in told:
            continue
        told.update(group)
        listed = [rows[i] for i in group]
        name = listed[0].name
        if len({r.agency_code for r in listed}) > 1:
            bodies = ", ".join(dict.fromkeys(r.agency_short for r in listed))
            item = min((r.item_code for r in listed), key=len)  # the item that names them all
            notes.append(
                f"{name}: một chỉ tiêu chung của {bodies} (cùng chủ trì {shown_code(item)}), "
                "một số liệu do một trong các cơ quan gửi tính cho mọi cơ quan"
            )
        else:
            targets = "; ".join(f"{shown_code(r.item_code)}: {r.target_text}" for r in listed)
            notes.append(
                f"{name} ({listed[0].agency_short}): cùng một số đo, các văn bản giao chỉ tiêu khác nhau "
                f"({targets}); một số liệu, đánh giá theo từng chỉ tiêu"
            )
    return notes


def _duties(session: Session, due: list[DueRow], end: date, now: datetime, local: LocalDays) -> list[DutyRow]:
    """The period's reports (``due``: its due rows) sent late or not sent, as the report's instant knew them."""
    judged = as_of(end, now, local)
    # the date and the report as the rates judged them: a past period's from the history, for a row
    # changed since (a report returned after the period had read "Chưa báo cáo" beside its body)
    wanted = {
        r.assignment_id: r
        for r in due
        if r.kind == "report" and r.category in (Category.DONE_LATE.value, Category.OVERDUE.value)
    }
    if not wanted:
        return []
    statement = (
        select(Assignment, Milestone, PlanItem, Agency)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .where(col(Assignment.id).in_(list(wanted)))
    )
    guessed = unconfirmed_of(session, list(wanted))  # listed, marked (in no count)
    convention = by_convention_of(session, list(wanted))  # listed, flagged (in no leaders' figure)
    # received from another body after its date, as section V says it of the same part (_overdue)
    passed = received_late(session, [(i, r.due_at) for i, r in wanted.items()], local.local_date(judged), local.tz)
    rows = []
    for a, milestone, item, agency in _held_then(session, list(session.exec(statement)), local.local_date(judged)):
        row = wanted[a.id or 0]
        reported = _reported_by(row.reported_at, judged)
        took = passed.get(a.id or 0)
        guess = guessed.get(a.id or 0)
        rows.append(
            DutyRow(
                item.code,
                item.title,
                milestone.label,
                agency.code,
                agency.name,
                local.local_date(row.due_at) if row.due_at else None,
                reported,
                "late" if row.category == Category.DONE_LATE.value else "missing",
                days_late(row.due_at, reported, judged),
                milestone.period_code,
                moved_off_day(milestone.due_date, a.original_due_at, row.due_at, local.tz),
                guess.group if guess else None,
                (a.id or 0) in convention,
                took.from_name if took else None,
                took.on if took else None,
                days_late(local.start_of_day(took.on), reported, judged) if took else None,
                date_note(milestone.phrase, row.due_at, a.original_due_at, milestone.due_date),
                guess.about(agency.name) if guess else None,
            )
        )
    # then by due date: one body's Q1 and Q3 reports of an item, as late as each other, had kept the
    # database's order (no ORDER BY), and the mailed report and its download could list them otherwise
    return sorted(
        rows,
        key=lambda r: (r.status != "missing", -r.days_late, r.item_code, r.agency_code, r.due_date or date.max),
    )


def _unsent(row: OverdueRow) -> DutyRow:
    """An overdue periodic report (section V's row) as section IV lists it: not sent."""
    return DutyRow(
        row.item_code,
        row.item_title,
        row.milestone_label,
        row.agency_code,
        row.agency_name,
        row.due_date,
        None,
        "missing",
        row.days_late,
        row.period_code,
        row.moved_from,
        row.unconfirmed_group,
        row.by_convention,
        row.received_from,
        row.received_date,
        row.days_since_received,
        row.date_note,
        row.guessed_member,
    )


def _own_duties(session: Session, data: ReportData, now: datetime, local: LocalDays) -> None:
    """The period's own reports due after its cut-off window (:attr:`ReportData.own_duties`): those
    sent late or not sent, judged at ``now`` (the reading: a report due after it is not late yet,
    counted apart in ``own_due_later``), whatever the window's end."""
    first = data.end + timedelta(days=1)
    period_end = period_span(data.period_code)[1]
    last = max(period_end, local.local_date(now))
    mine = partial(_of_period, session, data.period_code)
    due = mine(due_rows(session, start=first, end=last, now=now, local=local))
    data.own_duties = _duties(session, due, last, now, local)
    data.own_as_of = as_of(last, now, local)
    data.own_due = sum(1 for r in due if r.category != Category.BEFORE_TRACKING.value)
    data.own_due_later = counted_to_come(
        session, mine(due_rows(session, start=first, end=last, now=now, local=local, to_come=True))
    )


def _of_period(session: Session, period_code: str, rows: list[DueRow]) -> list[DueRow]:
    """The periodic reports among ``rows`` whose milestone is of ``period_code``."""
    reports = [r for r in rows if r.kind == "report"]
    ids = {r.milestone_id for r in reports}
    of = set()
    for batch in id_batches(ids):
        of |= set(
            session.exec(
                select(col(Milestone.id)).where(col(Milestone.id).in_(batch), col(Milestone.period_code) == period_code)
            )
        )
    return [r for r in reports if r.milestone_id in of]


def _duty_periods(session: Session, due: list[DueRow]) -> tuple[list[str], list[str], int]:
    """The periods of the periodic reports among ``due`` (by due date, each once), those of the ones
    due before the tracking start (the one rule: counted.how_counted), and how many the others are."""
    reports = sorted((r for r in due if r.kind == "report"), key=lambda r: (r.due_at is None, r.due_at))
    if not reports:
        return [], [], 0
    ids = {r.milestone_id for r in reports}
    periods = {
        milestone_id: period_text(label, code)
        for milestone_id, label, code in session.execute(
            select(col(Milestone.id), col(Milestone.label), col(Milestone.period_code)).where(
                col(Milestone.id).in_(ids)
            )
        )
    }
    started = tracking_from(session)
    before = [
        r
        for r in reports
        if how_counted(r.category, r.due_at, r.given_after_due, started, guessed=r.guessed, day_unknown=r.day_unknown)
        is Counted.BEFORE_TRACKING
    ]
    return (
        list(dict.fromkeys(periods[r.milestone_id] for r in reports)),
        list(dict.fromkeys(periods[r.milestone_id] for r in before)),
        len(reports) - len(before),
    )


def _judged_later(due: list[DueRow]) -> list[tuple[date, int]]:
    """The period's parts (``due``) whose date the day-off rule moved past its last day ("Năm 2022":
    31/12, a Saturday, due 03/01/2023) and which its rates judge on that date: per day, how many."""
    days: dict[date, int] = {}
    for row in due:
        if row.judged_on is not None:
            days[row.judged_on] = days.get(row.judged_on, 0) + 1
    return sorted(days.items())


def _reported_by(reported_at: datetime | None, judged: datetime) -> datetime | None:
    """A report as the report's instant knew it: one sent after it is not yet sent (a quarter's
    report asked for later had said "Chưa báo cáo" beside a sending day, and counted its days late
    up to it: 16 working days where its section V said 8)."""
    return reported_at if reported_at is not None and reported_at <= judged else None


def _held_then(session: Session, rows: list[Any], day: date) -> list[Any]:
    """(assignment, milestone, item, agency) rows with the agency as it was on ``day``."""
    then = _as_it_was(session, [a.id or 0 for a, *_ in rows], day)
    return [(a, m, i, then.get(a.id or 0, agency)) for a, m, i, agency in rows]
