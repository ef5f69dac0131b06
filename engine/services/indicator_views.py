"""What an agency sees of its indicators (chỉ tiêu): target, latest actual and status per period, history.

The rules are those of the periodic report (engine/reports/data.py), reused, not restated:
who answers is :func:`engine.services.indicators.answers`; the value that counts for a
period is :func:`~engine.services.indicators.latest_actuals` over the periods inside it
(a 2022-Q2 figure counts for 2022-H1); a period is judged at its last second, or now while it
runs (:func:`engine.reports.rates.as_of`); a target whose period ended before this year is
history, not something to report on.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from dondoc.engine.errors import NotFound, PermissionDenied
from dondoc.engine.models import (
    ITEM_ORDER,
    PLAN_ORDER,
    Agency,
    AgencyTransfer,
    Assignment,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Milestone,
    Plan,
    PlanItem,
    Role,
    TransferStatus,
)
from dondoc.engine.reports.rates import as_of
from dondoc.engine.services import indicators as ind
from dondoc.engine.vi_format import shown_code, vn_number
from dondoc.tasks_catalog.cycles import period_label, period_span, periods_within


class PeriodStatus(BaseModel):
    """The value that counts for one period and how it stands against the target."""

    code: str  # "2022-H1"
    label: str  # "6 tháng đầu năm 2022"
    actual: float | None
    actual_period: str | None  # the period the counted value was reported for (2022-Q2 counts for 2022-H1)
    reported_at: datetime | None
    status: ind.Progress
    # the figure that counts is one another body sent, or one sent under another document's target of the
    # same measure (indicators.same_target_twins): whose and for what, since this body's history has it not
    sent_as: str | None = None

    @property
    def status_label(self) -> str:
        return ind.PROGRESS_LABELS_VI[self.status]

    @property
    def actual_text(self) -> str:
        return vn_number(self.actual)

    @property
    def actual_period_label(self) -> str:
        return period_label(self.actual_period) if self.actual_period else ""

    @property
    def sent_for(self) -> str:
        """The period the counted figure was sent for, where another's counts for this one ("số liệu
        6 tháng đầu năm 2022" under "Năm 2022"), said beside it on every surface; "" otherwise."""
        return f"số liệu {self.actual_period_label}" if self.actual_period and self.actual_period != self.code else ""


class ScopeTarget(BaseModel):
    """One target the agency answers for; ``scope`` as in IndicatorTarget ("" = the item's own)."""

    scope: str
    target: float | tuple[float, float] | None
    periods: list[PeriodStatus]
    scope_label: str = ""  # as people read it (indicators.ScopeNames): a group by its name, not "@ubnd-cap-huyen"


class ActualEntry(BaseModel):
    """One reported value, as the history shows it."""

    id: int
    scope: str
    period_code: str
    scope_label: str = ""  # as people read it (indicators.ScopeNames)
    period_label: str
    value: float
    note: str | None
    reported_at: datetime
    reported_by: str
    has_attachment: bool

    @property
    def value_text(self) -> str:
        return vn_number(self.value)


class AgencyIndicator(BaseModel):
    """An indicator an agency answers for, with the periods it can report for now and its history."""

    indicator_id: int
    plan_number: str
    item_code: str
    item_title: str
    code: str
    name: str
    unit: str
    comparison: str
    target_period_end: date | None  # None: a standing target, no date (indicators.TargetDates)
    in_force: bool  # False: the target's period ended before this year (shown, not reported on)
    targets: list[ScopeTarget]
    history: list[ActualEntry]  # newest first
    applies_from: date | None = None  # a standing target's first day (indicators.TargetDates)
    deadline_text: str = ""  # "31/12/2022", or "áp dụng từ ngày 01/06/2022" (TargetDates.words)

    def target_text(self, target: ScopeTarget) -> str:
        """ "≥ 30 %", "65–70 %", "100 % từ ngày 01/12/2022": the target as people read it (indicators.target_text)."""
        return ind.target_text(target.target, self.comparison, self.unit, self.applies_from)


def agency_indicators(session: Session, *, agency_id: int, now: datetime) -> list[AgencyIndicator]:
    """The indicators in force that ``agency_id`` answers for, by plan and item."""
    latest, names, origins = _latest(session, now), ind.ScopeNames.read(session), Origins(session)
    views = [_view(session, agency_id, row, latest, now, names, origins) for row in _candidates(session, agency_id)]
    return [v for v in views if v is not None and v.in_force]


def agency_indicator(session: Session, *, agency_id: int, indicator_id: int, now: datetime) -> AgencyIndicator:
    """One indicator of ``agency_id``; NotFound if there is none, PermissionDenied if it is not the agency's."""
    found = session.exec(_statement().where(Indicator.id == indicator_id)).first()
    if found is None:
        raise NotFound("indicator", indicator_id)
    view = _view(session, agency_id, found, _latest(session, now), now, ind.ScopeNames.read(session), Origins(session))
    if view is None:
        agency = session.get(Agency, agency_id)
        who = agency.name if agency else f"Cơ quan {agency_id}"
        raise PermissionDenied(who, "xem chỉ tiêu này", f'chỉ tiêu "{found[0].name}" không giao cho cơ quan này')
    return view


class Origins:
    """Whose figure counts for an answer when it is not the answer's own (:meth:`words`): the body's and
    the document's names, read once a page. The report says it in a note under its table
    (reports.data._measure_notes); the body's page had shown the figure with "Chưa có số liệu" in its
    own history beneath."""

    def __init__(self, session: Session) -> None:
        self._session = session
        # kept on the object, for its page only (functools.cache on a method would keep every page's
        # object, and its session, for the life of the process)
        self._codes: dict[int, str] = {}
        self._shorts: dict[int, str] = {}

    def _item_code(self, indicator_id: int) -> str:
        if indicator_id not in self._codes:
            found = self._session.exec(
                select(PlanItem.code)
                .join(Indicator, col(Indicator.item_id) == col(PlanItem.id))
                .where(Indicator.id == indicator_id)
            ).first()
            self._codes[indicator_id] = found or ""
        return self._codes[indicator_id]

    def _short(self, agency_id: int) -> str:
        if agency_id not in self._shorts:
            agency = self._session.get(Agency, agency_id)
            self._shorts[agency_id] = agency.short if agency is not None else ""
        return self._shorts[agency_id]

    def words(self, figure: IndicatorActual, indicator_id: int, agency_id: int) -> str | None:
        """ "số liệu do VP UBND tỉnh gửi cho chỉ tiêu của 1834/UBND-KGVX:3": the figure counts here (the
        same measure, or a predecessor's), though this body's history, which lists its own, has it not;
        None for the body's own figure of this target."""
        other_body, other_target = figure.agency_id != agency_id, figure.indicator_id != indicator_id
        if not other_body and not other_target:
            return None
        said = f"số liệu do {self._short(figure.agency_id)} gửi" if other_body else "số liệu của cơ quan gửi"
        if other_target:  # the same measure, another document's target (judged against this one's)
            return f"{said} cho chỉ tiêu của {shown_code(self._item_code(figure.indicator_id))}, cùng một số đo"
        return f"{said} cho cùng chỉ tiêu"  # a target stated once for several bodies, or a predecessor's


Row = tuple[Indicator, PlanItem, Plan]
Latest = dict[str, dict[tuple[int, int, str], IndicatorActual]]  # period code → the value that counts per answer


def _latest(session: Session, now: datetime) -> Latest:
    """The figures that count per period, as known at ``now``: looking back (``--now`` in the past)
    shows no figure reported after it ("2022 19,9 Gần đạt" on 20/12 for a figure sent on 22/12)."""
    twins = ind.same_target_twins(session)  # read once for every period
    return {
        code: ind.latest_actuals(session, periods_within(code), twins=twins, known_by=now)
        for code in ind.current_periods(now)
    }


def _statement() -> Select[Indicator, PlanItem, Plan]:
    return (
        select(Indicator, PlanItem, Plan)
        .join(PlanItem, col(Indicator.item_id) == col(PlanItem.id))
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .order_by(*PLAN_ORDER, *ITEM_ORDER, col(Indicator.id))
    )


def _candidates(session: Session, agency_id: int) -> list[Row]:
    """A cheap superset of the agency's indicators; :func:`ind.answers` has the last word."""
    # its own targets, and those of the bodies whose work passed to it (indicators.answers_of follows them)
    predecessors = select(col(AgencyTransfer.from_agency_id)).where(
        col(AgencyTransfer.to_agency_id) == agency_id, col(AgencyTransfer.status) == TransferStatus.DONE.value
    )
    targeted = select(IndicatorTarget.indicator_id).where(
        or_(col(IndicatorTarget.agency_id) == agency_id, col(IndicatorTarget.agency_id).in_(predecessors))
    )
    led_items = (
        select(Milestone.item_id)
        .join(Assignment, col(Assignment.milestone_id) == col(Milestone.id))
        .where(Assignment.agency_id == agency_id, Assignment.role == Role.LEAD.value)
    )
    has_targets = exists().where(col(IndicatorTarget.indicator_id) == col(Indicator.id))
    statement = _statement().where(
        or_(
            col(Indicator.id).in_(targeted),
            and_(col(Indicator.item_id).in_(led_items), ~has_targets),
        )
    )
    return list(session.exec(statement).all())


def _view(
    session: Session,
    agency_id: int,
    row: Row,
    latest: Latest,
    now: datetime,
    names: ind.ScopeNames,
    origins: Origins,
) -> AgencyIndicator | None:
    indicator, item, plan = row
    mine = [a for a in ind.answers(session, indicator) if a.agency_id == agency_id]
    if not mine:
        return None
    dates = ind.target_dates(session, indicator, plan.year)
    codes = list(latest)
    targets = [
        ScopeTarget(
            scope=a.scope,
            scope_label=names.of(a.scope),
            target=a.target,
            periods=[_period(session, indicator, a, code, latest, dates, now, origins) for code in codes],
        )
        for a in mine
    ]
    return AgencyIndicator(
        indicator_id=indicator.id or 0,
        plan_number=plan.number,
        item_code=item.code,
        item_title=item.title,
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        comparison=indicator.comparison,
        target_period_end=dates.due,
        # a standing target has no end: in force from its first day (shown, "Chưa áp dụng", before it)
        in_force=dates.due is None or dates.due >= period_span(codes[-1])[0],
        targets=targets,
        history=_history(session, indicator.id or 0, agency_id, names),
        applies_from=dates.applies_from,
        deadline_text=dates.words,
    )


def _period(
    session: Session,
    indicator: Indicator,
    answer: ind.Answer,
    code: str,
    latest_of: Latest,
    dates: ind.TargetDates,
    now: datetime,
    origins: Origins,
) -> PeriodStatus:
    key = (answer.indicator_id, answer.agency_id, answer.scope)
    latest = latest_of[code].get(key)
    judged = as_of(period_span(code)[1], now)

    def stood() -> IndicatorActual | None:  # the figure as it stood on the target's date
        assert dates.due is not None, "read only for a target with a date"
        return ind.figures_by(session, dates.due, known_by=judged).get(key)

    return PeriodStatus(
        code=code,
        label=period_label(code),
        sent_as=origins.words(latest, indicator.id or 0, answer.agency_id) if latest else None,
        actual=latest.value if latest else None,
        actual_period=latest.period_code if latest else None,
        reported_at=latest.reported_at if latest else None,
        status=ind.progress_on_time(answer.target, indicator.comparison, latest, stood, dates, judged, indicator.unit),
    )


def _history(session: Session, indicator_id: int, agency_id: int, names: ind.ScopeNames) -> list[ActualEntry]:
    rows = session.exec(
        select(IndicatorActual)
        .where(IndicatorActual.indicator_id == indicator_id, IndicatorActual.agency_id == agency_id)
        .order_by(col(IndicatorActual.reported_at).desc(), col(IndicatorActual.id).desc())
    ).all()
    return [
        ActualEntry(
            id=r.id or 0,
            scope=r.scope,
            scope_label=names.of(r.scope),
            period_code=r.period_code,
            period_label=period_label(r.period_code),
            value=r.value,
            note=r.note,
            reported_at=r.reported_at,
            reported_by=r.reported_by,
            has_attachment=bool(r.attachment_path),
        )
        for r in rows
    ]
