"""Indicators (chỉ tiêu): who answers for which target, reporting actuals, progress against target.

Who answers for an indicator: the agencies of its per-group targets (``IndicatorTarget``,
117/KH-UBND II.1.c: each district its own figure); an indicator without them is answered by
the item's lead agencies (chủ trì) against the indicator's single target. Both follow the work: a
target of a body whose work passed to a successor (engine.services.successions, ``AgencyTransfer``)
is answered by the body that holds it now, as the leads are, unless that body answers one of its
own there; the figures its predecessor sent count for it until it sends its own (:func:`successor_links`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor, ActorKind
from dondoc.engine.clock import FIRST_YEAR, LAST_YEAR, local_date
from dondoc.engine.deadlines import DeadlineKind
from dondoc.engine.errors import InvalidInput, NotFound, PermissionDenied
from dondoc.engine.models import (
    Agency,
    AgencyGroup,
    AgencyTransfer,
    Assignment,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Milestone,
    PlanItem,
    Role,
    Succession,
    TransferStatus,
)
from dondoc.engine.services.permissions import actor_words
from dondoc.engine.text_limits import text_problem
from dondoc.engine.vi_format import vn_date, vn_number
from dondoc.tasks_catalog.cycles import PeriodError, parse_period, period_span, periods_within

Progress = Literal["green", "late", "late_figure", "amber", "red", "not_assessable", "not_applicable"]
PROGRESS_LABELS_VI: dict[str, str] = {
    "green": "Đạt",
    "late": "Đạt sau thời hạn",  # the figure of the target's date (its quarter) fell short
    "late_figure": "Đạt theo số liệu sau thời hạn",  # none told where things stood on the date
    "amber": "Gần đạt",
    "red": "Chưa đạt",
    "not_assessable": "Chưa đánh giá được",
    "not_applicable": "Chưa áp dụng",  # a standing target before the day it applies from
}
TOLERANCE_RUNNING = 0.25  # while the target's period runs: within 25 % of the target is amber
TOLERANCE_OVER = 0.10  # once it is over: within 10 % is amber ("gần đạt"), beyond is red
Target = float | tuple[float, float] | None
# the judgements by dondoc's own tolerances, which no text sets: said wherever they are shown (progress_legend)
JUDGED_BY_TOLERANCE = frozenset({"amber", "red"})
# the statuses that judge a figure against its target (the others: no figure to judge, or not applying yet)
JUDGED: frozenset[str] = frozenset({"green", "late", "late_figure", *JUDGED_BY_TOLERANCE})


def progress_legend() -> str:
    """What «Gần đạt» and «Chưa đạt» mean (:func:`progress`): the tolerances are dondoc's, not the texts',
    so a reader who sees a figure called "Gần đạt" is told how near that is. Without a final stop."""
    running, over = (f"{round(share * 100)} %" for share in (TOLERANCE_RUNNING, TOLERANCE_OVER))
    return (
        f"«{PROGRESS_LABELS_VI['amber']}»: số liệu chênh so với chỉ tiêu không quá {running} mức chỉ tiêu khi chưa đến"
        f" thời hạn đạt, không quá {over} từ thời hạn đạt hoặc với chỉ tiêu áp dụng thường xuyên; chênh nhiều hơn:"
        f" «{PROGRESS_LABELS_VI['red']}». Các mức này do hệ thống đôn đốc quy ước, văn bản không quy định"
    )


@dataclass(frozen=True)
class ScopeNames:
    """What an answer's scope is called: a group by its name, a body by its short name (:meth:`of`)."""

    groups: dict[str, str]  # "@so-ban-nganh" → "Các sở, ban, ngành"
    shorts: dict[str, str]  # "ubnd-binh-son" → "UBND Bình Sơn"

    @classmethod
    def read(cls, session: Session) -> ScopeNames:
        groups = {f"@{code}": name for code, name in session.exec(select(AgencyGroup.code, AgencyGroup.name))}
        return cls(groups, {code: short for code, short in session.exec(select(Agency.code, Agency.short))})

    def of(self, scope: str) -> str:
        """An answer's scope as people read it: a group by its name ("Các sở, ban, ngành"), bodies by
        their short names ("UBND Bình Sơn, UBND Sơn Tịnh"), not the catalog's codes ("@so-ban-nganh",
        "ubnd-binh-son,ubnd-son-tinh"); a code the catalog does not know is shown as it is. The report,
        its workbook and the agency's pages (where a body files its figure under one) say it alike."""
        if scope in self.groups:
            return self.groups[scope]
        # a body and a group ("vp-ubnd,@so-ban-nganh": 117/KH-UBND II.1.b): each named; a group's name
        # has commas of its own, so the parts are set apart with a semicolon then
        codes = [code.strip() for code in scope.split(",") if code.strip()]
        parts = [self.groups.get(code) or self.shorts.get(code, code) for code in codes]
        return ("; " if any(code in self.groups for code in codes) else ", ").join(parts)


@dataclass(frozen=True)
class Answer:
    """One target an agency answers for: ``scope`` as in IndicatorTarget ("" = the item's own)."""

    indicator_id: int
    agency_id: int
    scope: str
    target: Target


def _target(target: float | None, low: float | None, high: float | None) -> Target:
    return (low, high) if low is not None and high is not None else target


def answers(session: Session, indicator: Indicator) -> list[Answer]:
    """The (agency, scope, target) triples of ``indicator``; see the module docstring."""
    return answers_of(session, [indicator])[indicator.id or 0]


def answers_of(session: Session, indicators: Sequence[Indicator]) -> dict[int, list[Answer]]:
    """:func:`answers` of each of ``indicators`` (by id), read in two queries whatever their number:
    the per-group targets in the order they were stored, else the item's lead agencies by id."""
    targets, holders = _targets(session, indicators)
    leads: dict[int, set[int]] = defaultdict(set)
    items = {i.item_id for i in indicators if not targets.get(i.id or 0)}
    if items:
        for item_id, agency_id in session.exec(
            select(Milestone.item_id, Assignment.agency_id)
            .distinct()
            .join(Milestone, Assignment.milestone_id == Milestone.id)  # type: ignore[arg-type]
            .where(col(Milestone.item_id).in_(items), Assignment.role == Role.LEAD.value)
        ):
            leads[item_id].add(agency_id)
    found: dict[int, list[Answer]] = {}
    for indicator in indicators:
        key = indicator.id or 0
        rows = targets.get(key)
        if rows:
            found[key] = [answer for answer, _ in _held(rows, holders, indicator.item_id)]
        else:
            own = _target(indicator.target, indicator.target_min, indicator.target_max)
            found[key] = [Answer(key, agency_id, "", own) for agency_id in sorted(leads[indicator.item_id])]
    return found


NOBODY = 0  # (_holders) a target's body ended and its part there was closed: no answer


def _targets(
    session: Session, indicators: Sequence[Indicator]
) -> tuple[dict[int, list[IndicatorTarget]], dict[tuple[int, int], int]]:
    """The per-group target rows of each of ``indicators`` (by id, in the order stored), and the bodies
    holding their agencies' work on their items now (:func:`_holders`)."""
    targets: dict[int, list[IndicatorTarget]] = defaultdict(list)
    statement = select(IndicatorTarget).where(col(IndicatorTarget.indicator_id).in_([i.id or 0 for i in indicators]))
    for row in session.exec(statement.order_by(col(IndicatorTarget.id))):
        targets[row.indicator_id].append(row)
    item_ids = {i.id or 0: i.item_id for i in indicators}
    holders = _holders(session, {(r.agency_id, item_ids[r.indicator_id]) for rows in targets.values() for r in rows})
    return targets, holders


def _held(
    rows: list[IndicatorTarget], holders: dict[tuple[int, int], int], item_id: int
) -> list[tuple[Answer, list[int]]]:
    """The answers of an indicator's target rows, each by the body that holds its agency's work on
    the item now, with the agencies whose rows it stands for; a successor that has a target of its own
    in the same scope answers that one only (a body merged into one with its own 90 % does not add a
    second), and one body answers a scope once."""
    own = {(r.agency_id, r.scope) for r in rows}
    found: list[Answer] = []
    answered: set[tuple[int, str]] = set()
    sources: dict[tuple[int, str], list[int]] = defaultdict(list)
    for r in rows:
        holder = holders.get((r.agency_id, item_id), r.agency_id)
        if holder == NOBODY:
            continue
        sources[(holder, r.scope)].append(r.agency_id)
        if (holder != r.agency_id and (holder, r.scope) in own) or (holder, r.scope) in answered:
            continue
        answered.add((holder, r.scope))
        found.append(Answer(r.indicator_id, holder, r.scope, _target(r.target, r.target_min, r.target_max)))
    return [(answer, sources[(answer.agency_id, answer.scope)]) for answer in found]


def _holders(session: Session, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(agency, item) -> the body that holds that agency's work on the item now, for agencies whose
    succession has been applied (``AgencyTransfer`` rows): the one its parts on the item went to,
    else its succession's one successor (a merger, an absorption, a renaming: its part there may have
    been closed as a duplicate of the successor's own); followed along a chain of successions.
    Absent: the agency itself, or no single successor (a split or a dissolution: the work waits for
    the secretariat, part by part). :data:`NOBODY` where its parts on the item were all closed with no
    one successor (cancelled while they waited): nobody answers its target there."""
    if not pairs:
        return {}
    moved = session.execute(
        core_select(
            col(AgencyTransfer.from_agency_id),
            col(AgencyTransfer.to_agency_id),
            col(AgencyTransfer.status),
            col(AgencyTransfer.succession_key),
            col(Milestone.item_id),
        )
        .join(Assignment, col(Assignment.id) == col(AgencyTransfer.assignment_id))
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
    ).all()
    if not moved:
        return {}
    on_item: dict[tuple[int, int], set[int]] = defaultdict(set)
    keys: dict[int, set[str]] = defaultdict(set)
    closed: set[tuple[int, int]] = set()
    waiting: set[tuple[int, int]] = set()
    for old, new, status, key, item in moved:
        keys[old].add(key)
        if status == TransferStatus.DONE.value and new is not None:
            on_item[(old, item)].add(new)
        elif status == TransferStatus.CLOSED.value:
            closed.add((old, item))
        else:
            waiting.add((old, item))
    sole = _sole_successors(session, {key for found in keys.values() for key in found})

    def step(agency: int, item: int) -> int | None:
        went = on_item.get((agency, item)) or {s for key in keys.get(agency, ()) if (s := sole.get(key))}
        return next(iter(went)) if len(went) == 1 else None

    found: dict[tuple[int, int], int] = {}
    for agency, item in pairs:
        holder, seen = agency, {agency}
        while (nxt := step(holder, item)) is not None and nxt not in seen:
            holder = nxt
            seen.add(holder)
        if holder != agency:
            found[(agency, item)] = holder
        elif (agency, item) in closed and (agency, item) not in waiting:
            found[(agency, item)] = NOBODY  # Sở LĐ-TB&XH split: its part closed, its successors their own
    return found


def _sole_successors(session: Session, keys: set[str]) -> dict[str, int]:
    """succession key -> the agency id of its one successor, for the successions that have one."""
    found: dict[str, int] = {}
    for succession in session.exec(select(Succession).where(col(Succession.key).in_(keys))):
        codes = [str(s.get("agency", "")) for s in succession.successors]
        if len(codes) == 1:
            agency = session.exec(select(col(Agency.id)).where(col(Agency.code) == codes[0])).first()
            if agency is not None:
                found[succession.key] = agency
    return found


def successor_links(session: Session, indicators: Sequence[Indicator]) -> dict[AnswerKey, list[AnswerKey]]:
    """(indicator, predecessor, scope) -> [(indicator, successor, scope)] for each target now answered
    by the body its agency's work passed to: the figures the predecessor sent count for the successor
    until it sends its own (a report of the quarter before the merger still finds them)."""
    targets, holders = _targets(session, indicators)
    links: dict[AnswerKey, list[AnswerKey]] = {}
    if not holders:
        return links
    for indicator in indicators:
        for answer, agencies in _held(targets.get(indicator.id or 0, []), holders, indicator.item_id):
            # one predecessor's row alone: its figures are the successor's until it sends its own; a
            # successor's own row among them, or two bodies' rows merged into one answer, and none stands
            # for it (the 5 % of a body merged into Sở Nội vụ had replaced its own 50 %)
            if len(agencies) == 1 and agencies[0] != answer.agency_id:
                key = (answer.indicator_id, answer.agency_id, answer.scope)
                links[(answer.indicator_id, agencies[0], answer.scope)] = [key]
    return links


def _check_value(indicator: Indicator, value: float) -> None:
    where = f'cho chỉ tiêu "{indicator.name}"'
    if not math.isfinite(value):
        raise InvalidInput(f"giá trị {value} không hợp lệ {where}: phải là một số")
    if indicator.unit.strip() == "%" and not 0 <= value <= 100:
        raise InvalidInput(f"giá trị {vn_number(value)} % không hợp lệ {where}: tỷ lệ phải từ 0 đến 100")
    if value < 0:
        raise InvalidInput(f"giá trị {vn_number(value)} {indicator.unit} không hợp lệ {where}: không được âm")


def current_periods(now: datetime) -> list[str]:
    """The periods an agency's page offers at ``now``: the half-year and the year containing it."""
    today = local_date(now)
    return [f"{today.year}-H{1 if today.month <= 6 else 2}", str(today.year)]


def open_periods(now: datetime) -> list[str]:
    """The periods that take values at ``now``: those the page offers, and the quarter containing it
    (61/KH-UBND's duties are quarterly; the secretariat and the CLI report them)."""
    today = local_date(now)
    return [*current_periods(now), f"{today.year}-Q{(today.month + 2) // 3}"]


def report_actual(
    session: Session,
    *,
    indicator_id: int,
    agency_code: str,
    period_code: str,
    value: float,
    note: str | None,
    actor: Actor,
    now: datetime,
    scope: str | None = None,
    attachment_path: str | None = None,
) -> IndicatorActual:
    """Record one actual value; validated, checked for permission, appended (never updated).

    Only the periods open at ``now`` (:func:`open_periods`) take values, whoever reports.

    ``scope`` is needed only when the agency answers for the indicator in several scopes
    (a district for its own offices and for its communes). Flushes, never commits.
    """
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFound("indicator", indicator_id)
    agency = session.exec(select(Agency).where(Agency.code == agency_code)).first()
    if agency is None:
        raise NotFound("agency", agency_code)
    if actor.kind is not ActorKind.SECRETARIAT and not (
        actor.kind is ActorKind.AGENCY and actor.agency_code == agency_code
    ):
        raise PermissionDenied(
            actor_words(session, actor), "báo cáo số liệu này", f"chỉ {agency.name} hoặc Tổ giúp việc được báo cáo"
        )
    problem = text_problem(note) if note else None
    if problem:  # the forms refuse it as they read it; the command line meets it here
        raise InvalidInput(f"Ghi chú {problem}.")
    try:
        parse_period(period_code)
    except PeriodError as exc:
        raise InvalidInput(str(exc)) from None
    if period_code not in open_periods(now):
        raise InvalidInput(
            f'Kỳ báo cáo "{period_code}" không mở để báo cáo: chỉ báo cáo cho kỳ {" hoặc ".join(open_periods(now))}.'
        )
    _check_value(indicator, value)
    chosen = _scope(session, indicator, agency, scope)
    row = IndicatorActual(
        indicator_id=indicator_id,
        agency_id=agency.id or 0,
        scope=chosen,
        period_code=period_code,
        value=float(value),
        note=note,
        attachment_path=attachment_path,
        reported_at=now,
        reported_by=actor.label,
    )
    session.add(row)
    session.flush()
    return row


def _scope(session: Session, indicator: Indicator, agency: Agency, scope: str | None) -> str:
    scopes = [a.scope for a in answers(session, indicator) if a.agency_id == agency.id]
    if not scopes:
        raise InvalidInput(f'{agency.short} không được giao chỉ tiêu "{indicator.name}"')
    if scope is None:
        if len(scopes) > 1:
            raise InvalidInput(
                f'{agency.short} trả lời chỉ tiêu "{indicator.name}" ở nhiều phạm vi ({", ".join(scopes)}): chọn một'
            )
        return scopes[0]
    if scope not in scopes:
        raise InvalidInput(f'phạm vi "{scope}" không áp dụng cho {agency.short} ở chỉ tiêu "{indicator.name}"')
    return scope


def latest_actuals(
    session: Session,
    period_codes: list[str],
    *,
    known_by: datetime | None = None,
    twins: dict[AnswerKey, list[AnswerKey]] | None = None,
) -> dict[tuple[int, int, str], IndicatorActual]:
    """The value that counts per (indicator, agency, scope): the latest period, then the latest report
    (of the indicator or of the same target in another plan, ``Indicator.same_as_id``);
    of the values reported by ``known_by`` when given (a report of a past instant does not show a
    figure sent after it). ``twins``: :func:`same_target_twins`, when the caller has read them."""
    rows = _actuals(session, period_codes, known_by)
    rank = {code: index for index, code in enumerate(period_codes)}  # period_codes: oldest first
    twins = same_target_twins(session) if twins is None else twins
    return _best(rows, lambda row: rank[row.period_code], twins)


def _actuals(session: Session, period_codes: Sequence[str], known_by: datetime | None) -> Sequence[IndicatorActual]:
    """The figures of ``period_codes`` reported by ``known_by`` (any time when None), in the order
    they were reported."""
    statement = select(IndicatorActual).where(col(IndicatorActual.period_code).in_(period_codes))
    if known_by is not None:
        statement = statement.where(col(IndicatorActual.reported_at) <= known_by)
    return session.exec(statement.order_by(col(IndicatorActual.reported_at), col(IndicatorActual.id))).all()


def _best(
    rows: Sequence[IndicatorActual],
    rank: Callable[[IndicatorActual], Any],
    twins: dict[AnswerKey, list[AnswerKey]],
) -> dict[AnswerKey, IndicatorActual]:
    """Per answer, the row of the highest ``rank``; of equal ranks the last (``rows`` come in the
    order they were reported). The same target in two plans (Indicator.same_as_id): a figure sent
    for either is the other's too."""
    best: dict[AnswerKey, IndicatorActual] = {}
    for row in rows:
        own = (row.indicator_id, row.agency_id, row.scope)
        for key in (own, *twins.get(own, ())):
            known = best.get(key)
            if known is None or rank(row) >= rank(known):
                best[key] = row
    return best


def stood_on(actual: IndicatorActual) -> date:
    """The day a figure tells where things stood: its period's last day, or the day it was sent
    while its period ran (a figure "Năm 2022" sent in June is the year so far)."""
    return min(period_span(actual.period_code)[1], local_date(actual.reported_at))


AnswerKey = tuple[int, int, str]  # (indicator, agency, scope)


def same_target_twins(session: Session) -> dict[AnswerKey, list[AnswerKey]]:
    """Each answer -> the answers whose figure is its figure: of the same measure (:func:`measure_twins`),
    and, one way, the target its body now answers as its predecessor's successor (:func:`successor_links`)."""
    twins: dict[AnswerKey, list[AnswerKey]] = defaultdict(list)
    targeted = session.exec(
        select(Indicator).where(col(Indicator.id).in_(select(col(IndicatorTarget.indicator_id)).distinct()))
    ).all()
    for key, successors in successor_links(session, targeted).items():  # one way: a successor's figure is its own
        twins[key] += successors
    for key, others in measure_twins(session).items():
        twins[key] += others
    return twins


def measure_twins(session: Session) -> dict[AnswerKey, list[AnswerKey]]:
    """Each answer -> the other answers of the same measure for the same body, whose figure is one: the
    same target or measure stated by another document (the catalog's ``same_as``, ``same_measure_as``:
    Indicator.same_as_id, same_measure_id), and a target an item states once for its several leads
    (117/KH-UBND II.1.d: VP UBND and Sở TT&TT, "tỷ lệ báo cáo … trực tuyến" of the province). Across
    documents, the answer of the same scope, else its only one when it has one on each side (117/KH-UBND
    II.6.1 asks Sở KH&ĐT as the item's lead, 1834/UBND-KGVX 4 as a group of one); a body with several
    scopes on one side and none alike on the other has no twin: its figures are not guessed across.
    The targets may differ (04/KH-BCĐ II.11's 70 % fibre, 1834/UBND-KGVX 2's 65 %): each is judged apart."""
    indicators = session.exec(select(Indicator)).all()
    answered = answers_of(session, indicators)
    targeted = set(session.exec(select(col(IndicatorTarget.indicator_id)).distinct()).all())
    scopes: dict[tuple[int, int], list[str]] = defaultdict(list)
    for found in answered.values():
        for answer in found:
            scopes[(answer.indicator_id, answer.agency_id)].append(answer.scope)
    joined = _Joined()
    for indicator in indicators:
        mine = indicator.id or 0
        for theirs in (indicator.same_as_id, indicator.same_measure_id):
            if theirs is None:
                continue
            for answer in answered.get(mine, []):
                here, there = scopes[(mine, answer.agency_id)], scopes.get((theirs, answer.agency_id), [])
                if answer.scope in there:
                    joined.join((mine, answer.agency_id, answer.scope), (theirs, answer.agency_id, answer.scope))
                elif len(here) == 1 and len(there) == 1:
                    joined.join((mine, answer.agency_id, answer.scope), (theirs, answer.agency_id, there[0]))
        leads = [] if mine in targeted else answered.get(mine, [])  # the item's leads, its one target
        for other in leads[1:]:
            joined.join((mine, leads[0].agency_id, ""), (mine, other.agency_id, ""))
    return joined.twins()


class _Joined:
    """Answers joined into groups of the same measure (a union-find over their keys)."""

    def __init__(self) -> None:
        self.parent: dict[AnswerKey, AnswerKey] = {}

    def root(self, key: AnswerKey) -> AnswerKey:
        while (up := self.parent.setdefault(key, key)) != key:
            self.parent[key] = self.parent.setdefault(up, up)
            key = up
        return key

    def join(self, one: AnswerKey, other: AnswerKey) -> None:
        self.parent[self.root(one)] = self.root(other)

    def twins(self) -> dict[AnswerKey, list[AnswerKey]]:
        groups: dict[AnswerKey, list[AnswerKey]] = defaultdict(list)
        for key in sorted(self.parent):
            groups[self.root(key)].append(key)
        return {key: [k for k in group if k != key] for group in groups.values() if len(group) > 1 for key in group}


@dataclass(frozen=True)
class TargetDates:
    """When a target is to be met: ``due``, the day it names; or, for a standing target that binds
    from a day and names no date ("100 % … từ ngày 01/6/2022"), ``due`` None and ``starts``, the days
    it applies from, earliest first (117/KH-UBND II.1.b: province 01/6/2022 … communes 01/6/2023).
    ``unsaid``: the text gives the target no date, ``due`` is the plan year's end, dondoc's reading
    (1834/UBND-KGVX 3's "đạt trên 50%"), said as such beside it (:attr:`words`)."""

    due: date | None
    starts: tuple[date, ...] = ()
    unsaid: bool = False

    @property
    def applies_from(self) -> date | None:
        """The day a standing target starts to apply (its earliest), else None."""
        return self.starts[0] if self.starts else None

    def in_force(self, day: date) -> bool:
        """Whether the target binds on ``day``: a standing one not before its first day."""
        return self.applies_from is None or day >= self.applies_from

    @property
    def words(self) -> str:
        """The date as the text gives it: "31/12/2022", or "áp dụng từ ngày 01/06/2022" (no date:
        the text sets none, a standing target is not due at the year's end), with its later stages;
        the plan year's end where the text gives none, said as a reading: "31/12/2022 (văn bản không
        ghi thời hạn đạt; tính đến hết năm 2022)", not as the text's date."""
        if self.due is not None and self.unsaid:
            return f"{vn_date(self.due)} (văn bản không ghi thời hạn đạt; tính đến hết năm {self.due.year})"
        if self.due is not None:
            return vn_date(self.due)
        if not self.starts:
            return "—"
        later = f" (theo lộ trình: {', '.join(vn_date(d) for d in self.starts)})" if len(self.starts) > 1 else ""
        return f"áp dụng từ ngày {vn_date(self.starts[0])}{later}"


def target_dates(session: Session, indicator: Indicator, plan_year: int) -> TargetDates:
    """When the target is to be met: the date of the milestone the catalog binds it to (none bound:
    the item's last dated milestone); a milestone that opens a duty ("kể từ ngày 01/12/2022":
    DeadlineKind.FROM_DATE) names no date: a standing target, in force from its start (none bound:
    the item's starts, when none of its milestones is dated). Else the plan year's end (a milestone
    with no date, or 0: ``unsaid``). The one rule the report, the agency's page and the exports read."""
    year_end = date(plan_year, 12, 31)
    if indicator.milestone_seq == 0:
        return TargetDates(year_end, unsaid=True)
    statement = select(col(Milestone.kind), col(Milestone.start_date), col(Milestone.due_date)).where(
        col(Milestone.item_id) == indicator.item_id
    )
    if indicator.milestone_seq is not None:
        statement = statement.where(col(Milestone.seq) == indicator.milestone_seq)
    rows = session.exec(statement).all()
    dated = [due for _, _, due in rows if due is not None]
    if dated:
        return TargetDates(max(dated))
    starts = sorted({start for kind, start, _ in rows if kind == DeadlineKind.FROM_DATE.value and start is not None})
    return TargetDates(None, tuple(starts)) if starts else TargetDates(year_end, unsaid=True)


def _untold(actual: IndicatorActual | None, day: date | None, unit: str, comparison: str) -> bool:
    """Whether ``actual``, of a period that began before ``day``, says nothing of a target applying
    from ``day``: a share over the whole period says nothing of its part from that day, unless it is
    100 % (then every part of the period was: the year 2022's 100 % meets "100 % từ ngày 01/12/2022")."""
    if actual is None or day is None or period_span(actual.period_code)[0] >= day:
        return False
    return not (unit.strip() == "%" and comparison in (">=", ">") and actual.value >= 100)


SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def target_text(target: Target, comparison: str, unit: str, since: date | None = None) -> str:
    """ "≥ 30 %", "65–70 %", "100 % từ ngày 01/12/2022" (a standing target, TargetDates.applies_from):
    the target as people read it, in the report and on the agency's page; "—" for none."""
    first = f" từ ngày {vn_date(since)}" if since else ""
    if isinstance(target, tuple):
        return f"{vn_number(target[0])}–{vn_number(target[1])} {unit}{first}"
    if target is None:
        return "—"
    if comparison == ">=" and target == 100 and unit.strip() == "%":
        return f"{vn_number(target)} {unit}{first}"  # "đạt 100%": a share has nothing above it ("≥ 100 %" read oddly)
    return f"{SIGNS.get(comparison, comparison)} {vn_number(target)} {unit}{first}"


def _gap(target: Target, comparison: str, actual: float) -> float:
    """How far ``actual`` is from meeting ``target``, as a share of the target (0 = met)."""
    if isinstance(target, tuple):
        low, high = target
        if comparison in ("<=", "<"):
            return max(0.0, actual - high) / high if high else 0.0
        if comparison == "=" and actual > high:
            return (actual - high) / high if high else 0.0
        return max(0.0, low - actual) / low if low else 0.0  # "đạt từ 65 - 70%": met from 65
    assert target is not None
    met = {
        ">=": actual >= target,
        ">": actual > target,
        "<=": actual <= target,
        "<": actual < target,
        "=": math.isclose(actual, target),
    }[comparison]
    if met:
        return 0.0
    scale = abs(target) or 1.0
    return max(abs(actual - target), 1e-9) / scale


def progress(target: Target, comparison: str, actual: float | None, period_end: date | None, now: datetime) -> Progress:
    """Green (met), amber (close), red (far), or not assessable.

    Not assessable: no actual, no target, or — unless already met — a target whose year has
    run less than a quarter at ``now`` (a yearly target early in the year; a 2025 target in
    2022). While the target's period runs, within 25 % of the target is amber; once it is
    over, within 10 %. A standing target (``period_end`` None, :class:`TargetDates`) binds now:
    within 10 %.
    """
    if actual is None or target is None:
        return "not_assessable"
    gap = _gap(target, comparison, actual)
    if gap == 0.0:
        return "green"
    if period_end is None:
        return "amber" if gap <= TOLERANCE_OVER else "red"
    today = local_date(now)
    year_start = date(period_end.year, 1, 1)
    elapsed = (today - year_start).days / max(1, (period_end - year_start).days + 1)
    if elapsed < 0.25:
        return "not_assessable"
    tolerance = TOLERANCE_OVER if today >= period_end else TOLERANCE_RUNNING
    return "amber" if gap <= tolerance else "red"


def progress_on_time(
    target: Target,
    comparison: str,
    counted: IndicatorActual | None,
    by_date: Callable[[], IndicatorActual | None],
    dates: TargetDates,
    now: datetime,
    unit: str = "",
) -> Progress:
    """:func:`progress` of the figure that counts (``counted``), told apart when the target was met
    only after its date. "Đạt" says the target was met by the date it names ("≥ 50 % đến tháng
    9/2022"). A figure that tells where things stood after that date (:func:`stood_on`: the year
    2022's 58,3 %, sent on 29/12) meets it on time when the latest figure by the date
    (``by_date()``, read only then: :func:`figures_by`) met it too; late, "Đạt sau thời hạn", when
    that figure fell short and tells where things stood in the date's own quarter (the third
    quarter's, or the year so far sent in it, for 30/9); otherwise whether it was met by then is
    not known, "Đạt theo số liệu sau thời hạn": the first half's 49,9 %, sent on 21/06, does not
    say where things stood on 30/9.

    From the date's own day (the last second of 31/12 is when the year's report judges a target of
    the year's end; the tolerance counts that day as the date's too), a figure that falls short and
    tells a day before the date's quarter says nothing of the date ("Chưa đánh giá được"). A standing
    target (``dates.due`` None) is "Chưa áp dụng" before its first day, and judged on the latest
    figure from then (no date to be late against), except a figure of a period that began before that
    day, which does not tell its part from that day ("Chưa đánh giá được"; a share of 100 % tells every
    part: :func:`_untold`)."""
    if not dates.in_force(local_date(now)):
        return "not_applicable"
    if _untold(counted, dates.applies_from, unit, comparison):
        return "not_assessable"
    value = counted.value if counted else None
    period_end = dates.due
    status = progress(target, comparison, value, period_end, now)
    if period_end is None:
        return status
    if (
        status in ("amber", "red")
        and counted is not None
        and period_end <= local_date(now)
        and stood_on(counted) < _quarter_start(period_end)
    ):
        # the date has come (the year's report judges 31/12's targets on 31/12) and the figure tells a
        # day before its quarter (as "late" reads a figure of the date's own quarter as telling the
        # date): whether the target was met by then is not
        # known ("≥ 2 hội thảo" in 2022 was "Chưa đạt" in the year's report on the one held by June)
        return "not_assessable"
    if status != "green" or counted is None or stood_on(counted) <= period_end:
        return status
    stood = by_date()
    if _untold(stood, dates.applies_from, unit, comparison):
        stood = None  # it tells nothing of the target
    if stood is not None and _gap(target, comparison, stood.value) == 0.0:
        return "green"
    if stood is not None and stood_on(stood) >= _quarter_start(period_end):
        return "late"
    return "late_figure"


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def figures_by(
    session: Session,
    day: date,
    *,
    known_by: datetime | None = None,
    twins: dict[AnswerKey, list[AnswerKey]] | None = None,
) -> dict[AnswerKey, IndicatorActual]:
    """The figure that stood on ``day`` per answer, as known by ``known_by``: of the figures of
    ``day``'s year and the year before that tell where things stood by then (:func:`stood_on`),
    the latest."""
    codes = [
        code
        for year in (day.year - 1, day.year)
        if FIRST_YEAR <= year <= LAST_YEAR
        for code in periods_within(str(year))
    ]
    rows = _actuals(session, codes, known_by)
    twins = same_target_twins(session) if twins is None else twins
    return _best([row for row in rows if stood_on(row) <= day], stood_on, twins)


def item_of(session: Session, indicator: Indicator) -> PlanItem:
    """The plan item an indicator belongs to."""
    item = session.get(PlanItem, indicator.item_id)
    assert item is not None, "indicator.item_id is a foreign key"
    return item
