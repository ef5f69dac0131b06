"""Page models shared by the secretariat's, the leaders' and the agencies' pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import DEFAULT_DAYS, LocalDays
from dondoc.engine.escalation.lead_done import unwaited_of
from dondoc.engine.escalation.policy import Policy, Withheld
from dondoc.engine.models import Assignment, Milestone, Plan, Role
from dondoc.engine.models.assignments import OPEN_STATE_VALUES
from dondoc.engine.reports.counted import (
    CONVENTION_CHASED,
    WAITING_NAMED,
    convention_due,
    convention_words,
    guessed_groups,
    guessed_mark,
    unconfirmed_words,
    waiting_words,
)
from dondoc.engine.reports.history import plans_then
from dondoc.engine.reports.ranking import agency_ranking
from dondoc.engine.reports.rates import agency_rates
from dondoc.engine.role_words import lead_words, roles_words
from dondoc.engine.services.actor_names import actor_names as names_of
from dondoc.engine.services.asked_of import handed_on_askers, open_asked_of
from dondoc.engine.services.board_then import board_then, state_then
from dondoc.engine.services.ended_names import ended_name_notes
from dondoc.engine.services.explanations import (
    extension_waiting,
    extension_waiting_words,
    latest_explanations,
    open_explanation_requests,
    open_extension_requests,
)
from dondoc.engine.services.inferred_parts import unconfirmed_of
from dondoc.engine.services.leads_named import leads_named
from dondoc.engine.services.overdue_lists import (
    OverdueRow,
    overdue_count,
    overdue_now,
    overdue_per_agency,
    pretracking_backlog,
    pretracking_count,
    waiting_count,
    withheld_count,
)
from dondoc.engine.services.partner_dates import after_leads_words, lead_dates_words, partners_lead_dates
from dondoc.engine.services.permissions import allowed_now, verdicts_for_many
from dondoc.engine.services.queries import assignment_held, held_on
from dondoc.engine.services.returned import returned_said
from dondoc.engine.services.same_work import Part, copies, counterparts, links_of
from dondoc.engine.services.same_work_moved import MOVES_SAME_WORK, moved_with, moved_words
from dondoc.engine.services.snoozes import snooze_note, snoozed_at, snoozed_words
from dondoc.engine.services.successions import offered_ways, reassign_choices
from dondoc.engine.services.tracking import tracking_start
from dondoc.engine.services.transfer_origins import holders_on, received_late
from dondoc.engine.services.web_queries import (
    BoardSummary,
    attachments_of,
    board_summary,
    ended_bodies,
    fellow_assignments,
    role_holders,
)
from dondoc.engine.status import Category
from dondoc.engine.vi_format import vn_date, vn_percent
from dondoc.engine.views import EventView
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import ACTION_LABELS_VI, FILE_ACTIONS, Action
from dondoc.web.charts import board_chart
from dondoc.web.principal import Principal
from dondoc.web.reassignment_rows import held_lines
from dondoc.web.trend_cache import TrendCache
from dondoc.web.trend_chart import trend_chart


def copies_listed(session: Session, rows: Iterable[Any]) -> dict[int, str]:
    """The rows of a list (OverdueRow) that are one piece of work with a row of the same agency in
    that same list under another document, and not the row it is counted by (engine.services.same_work.copies:
    the one with the earliest date in force), with the code of that row: one piece of work under
    two documents (1834/UBND-KGVX item 2 and 117/KH-UBND II.4.c) read as two late tasks."""
    listed = list(rows)
    links = links_of(session.connection()) if listed else {}
    if not links:
        return {}
    ids = [r.view.id for r in listed]
    milestone_of = dict(
        session.exec(select(Assignment.id, Assignment.milestone_id).where(col(Assignment.id).in_(ids))).all()
    )
    parts = (
        # given after its own date: the list counts the working days since it was given (overdue_lists)
        Part(v.id, v.agency_code, v.item_code, milestone_of[v.id], v.due_at, r.working_days_since_given is not None)
        for r in listed
        for v in (r.view,)
    )
    return copies(links, parts)


def board_context(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    *,
    overdue_limit: int = 50,
    backlog: bool = True,
    roles: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Counts, the per-agency table with its chart, the overdue list (this year's work first, then
    by working days late; of ``roles`` only, when given) and, apart, the backlog from before
    tracking began."""
    # at a look-back, the rows rewritten since, counted and listed as they stood (engine.services.board_then)
    then = board_then(session, now)
    summary = board_summary(session, now, then=then)
    overdue = overdue_now(session, now, calendar, limit=overdue_limit, roles=roles, then=then)
    # what each body owes of those roles (the leaders' ranking reads it too), counted once
    owed = None if roles is None else overdue_per_agency(session, now, roles=roles, then=then)
    # a list cut at its limit says how many it is a part of: the board's own overdue count (the
    # same rule: tests/test_web_chair.py holds overdue_count to it), read with the summary
    overdue_total = len(overdue)
    if len(overdue) >= overdue_limit:
        overdue_total = summary.totals[Category.OVERDUE.value] if owed is None else sum(owed.values())
    backlog_count, backlog_rows = pretracking_backlog(session, now, limit=overdue_limit) if backlog else (0, [])
    chart = board_chart(summary.agencies, {r.code: vn_percent(r.on_time_rate) for r in summary.agencies})
    # what waited at ``now`` (at a look-back, a request answered since still waited; one asked since, not yet)
    pending = open_explanation_requests(session, [r.view.id for r in overdue], by=now)
    return {
        "summary": summary,
        "ended": ended_bodies(session, summary, now, then),  # bodies that no longer exist and still hold work
        "then": then,  # read once for the page's other lists (leaders_context)
        "overdue": overdue,
        "overdue_total": overdue_total,
        "copies": copies_listed(session, overdue),
        # a partner's row whose lead(s) all finished: what its page and the queue "Phối hợp không còn
        # được chờ" say (the secretariat decides it there; counted here all the same)
        # (engine.escalation.lead_done.unwaited_at: the one rule, its leads named by their bodies of that day)
        "unwaited": unwaited_of(session, [r.view for r in overdue], now, DEFAULT_DAYS.local_date(now), then=then),
        # a part given through an inferred group not confirmed: marked on its row, as the report marks it
        "guessed": _guessed_marks(session, summary, overdue, roles),
        "owed": owed,  # per agency code, of ``roles`` (None: no roles given)
        "backlog": backlog_rows,
        "backlog_count": backlog_count,
        "chart": chart,
        "explanations": pending,
        "now": now,
        # the table's rate counts from it (engine.reports.counted), as its note says
        "tracking_from": tracking_start(session),
        # what the table's rate leaves out on a guess (engine.reports.counted.Counted.UNCONFIRMED), said
        "rate_unconfirmed": unconfirmed_words(
            sum(r.unconfirmed for r in summary.agencies), summary.unconfirmed_groups, why=", vào tỷ lệ đúng hạn"
        ),
        # what the overdue column and tile count all the same of those parts (the secretariat's to confirm)
        "overdue_unconfirmed": unconfirmed_words(
            sum(r.overdue_unconfirmed for r in summary.agencies),
            summary.overdue_unconfirmed_groups,
            what="phần việc quá hạn",
            verb='Cột "Đang quá hạn" và ô "Đang thực hiện quá hạn" có tính',
            why=' (xác nhận hoặc hủy ở mục "Chờ xác nhận giao")',
        ),
    }


def _guessed_marks(
    session: Session, summary: BoardSummary, overdue: list[OverdueRow], roles: tuple[str, ...] | None
) -> dict[int, str]:
    """The mark of each listed overdue part given through an inferred group not confirmed, in the
    periodic report's words (engine.reports.counted.guessed_mark): read only when the board counts
    such a part overdue (its note says how many: AgencyRow.overdue_unconfirmed), never for the lists
    of what the leaders are told of (``roles``: inferred_parts.told_of_roles leaves them out)."""
    if roles is not None or not any(r.overdue_unconfirmed for r in summary.agencies):
        return {}
    guessed = unconfirmed_of(session, [r.view.id for r in overdue])
    return {
        r.view.id: guessed_mark(g.group, g.about(r.view.agency_name))
        for r in overdue
        if (g := guessed.get(r.view.id)) is not None
    }


def assignment_context(session: Session, principal: Principal, assignment_id: int, now: datetime) -> dict[str, Any]:
    """One assignment with history, files, partners (for its lead) and what this principal may do.
    At a look-back before a transfer (``held``: queries.held_on, one probe), what it says of the
    bodies around the part (its body, its fellows, its leads, its same work, whom a request was asked
    of) it says of those that held the work then (transfer_origins.held_then)."""
    held = held_on(session, now)
    detail = assignment_held(session, assignment_id, now, held)
    principal.check_can_see(detail)
    fellows = fellow_assignments(session, now, assignment_id, held) if detail.role == "lead" else []
    partners = [f for f in fellows if f.role == "partner"]
    files = attachments_of(session, [detail.id, *(p.id for p in partners)])  # a lead reads its partners' too
    # the request open at the page's instant, and whom it was asked of (engine.services.asked_of)
    asked = open_asked_of(session, detail.id, now, held)
    possible = [a.value for a in allowed_now(session, assignment_id, principal.actor, now=now)]
    extension = open_extension_requests(session, [detail.id], by=now).get(detail.id)
    named, existing = (
        reassign_choices(session, assignment_id, DEFAULT_DAYS.local_date(now))
        if Action.REASSIGN.value in possible
        else ([], [])
    )
    # beside the choice, what each body offered already holds of the milestone (the queue's words)
    ways = (
        offered_ways(
            session, assignment_id, [str(body[0]) for body in (*named, *existing)], DEFAULT_DAYS.local_date(now)
        )
        if named or existing
        else {}
    )
    return {
        "a": detail,
        "partners": partners,
        # the bodies that carry out the item beside the lead: it is told when they are late
        "implementers": [f for f in fellows if f.role == "implementer"],
        "files": files.get(detail.id, []),
        "partner_reports": _partner_inputs(session, partners, now, held),
        "partner_files": {p.id: files.get(p.id, []) for p in partners},
        "possible": possible,  # what the engine would accept from this principal now: the forms shown
        "with_files": [a.value for a in FILE_ACTIONS],
        "explanation": asked[0].comment if asked else None,
        # asked of the body that held the part before a succession passed it on (engine.services.asked_of)
        "explanation_asked_of": asked[1] if asked else None,
        "extension": extension,
        # a partner's: its leads' dates in force, on its extension form and the secretariat's decision
        # form, and the day it asked for said when it comes after one (the secretariat decides)
        **_lead_dates(session, detail, extension),
        "Action": Action,
        "reassign_named": named,  # the bodies the succession names, then every agency that exists today
        "reassign_existing": existing,
        "reassign_held": held_lines(ways, [*named, *existing], detail.lead_label.lower()),
        "actor_names": actor_names(session, [detail.history]),
        "same_work": _same_work(session, assignment_id, now, held),
        # the body's same work the rule moved with its last step: said with the notice of that step
        # (engine.services.same_work_moved), which had said "đã gửi kết quả phối hợp" and nothing of it
        "same_work_moved": _moved_with(session, detail),
        # beneath the document's wording (title, content), kept as written: a note on each body it
        # names that has ended by today (engine.services.ended_names, as the mails say it)
        "ended_notes": quoted_notes(session, detail.plan_number, (detail.item_title, detail.content), now),
        # a partner's input goes to its milestone's lead(s): named where it is sent, not "đơn vị chủ trì" alone
        "leads": _leads_of(session, assignment_id, held) if detail.role == Role.PARTNER.value else [],
        # every lead done by now: nobody waits for this partner's input (the queue "Phối hợp không còn
        # được chờ"), said on its page too, which had asked for it with its days late and nothing else
        "unwaited": _unwaited(session, detail, now, held),
        # reminders the secretariat paused, in force at ``now`` on open work: said to the secretariat
        # and the leaders (the body's own page does not chase it), with whether it outlasts the date
        "snoozed": _snooze_said(session, detail, now) if not principal.is_agency else None,
        # received from another body (a succession) after its date: the page says from whom and since
        # when, beside the days counted from the date, as the leaders' page and the mails do
        "received": received_late(
            session, [(detail.id, detail.due_at)], DEFAULT_DAYS.local_date(now), DEFAULT_DAYS.tz
        ).get(detail.id),
        # its report sent back to complete: said beside its state and its progress (the body's 100 %
        # stays its own figure, of the report returned), as the leaders' digest and page say it
        "returned": returned_said(session, [detail.id], now=now, tz=DEFAULT_DAYS.tz).get(detail.id)
        if detail.state in OPEN_STATE_VALUES
        else None,
    }


def _lead_dates(session: Session, detail: Any, extension: Any) -> dict[str, str | None]:
    """A partner's leads' dates in force (partner_dates.lead_dates_words) and its open request's day
    said when it comes after one (partner_dates.after_leads_words); nothing of another role's part."""
    leads = partners_lead_dates(session, [detail.id]).get(detail.id, []) if detail.role == Role.PARTNER.value else []
    if not leads:
        return {"lead_dates": None, "after_lead": None}
    word = detail.lead_label.lower()
    asked = extension.requested_due if extension is not None else None
    return {
        "lead_dates": lead_dates_words(leads, word, DEFAULT_DAYS),
        "after_lead": after_leads_words(asked, leads, word, DEFAULT_DAYS),
    }


def _unwaited(session: Session, detail: Any, now: datetime, held: date | None) -> str | None:
    if detail.state not in OPEN_STATE_VALUES:
        return None
    return unwaited_of(session, [detail], now, held).get(detail.id)


def _snooze_said(session: Session, detail: Any, now: datetime) -> str | None:
    if detail.state not in OPEN_STATE_VALUES:
        return None
    until = snoozed_at(session, [detail.id], now).get(detail.id)
    return snooze_note(until, detail.due_at, DEFAULT_DAYS.tz) if until is not None else None


def quoted_notes(session: Session, plan_number: str, texts: tuple[str, ...], now: datetime) -> list[str]:
    """The notes beneath a plan's wording quoted on a page read at ``now`` (engine.services.ended_names)."""
    issued = session.exec(select(col(Plan.issued)).where(Plan.number == plan_number)).first()
    return ended_name_notes(session, DEFAULT_DAYS.local_date(now), texts, issued)


def _leads_of(session: Session, assignment_id: int, held: date | None = None) -> list[str]:
    """The names of the leads of the milestone ``assignment_id`` is on; with ``held`` (queries.held_on),
    of the bodies that held them that day (engine.services.leads_named, as its mails name them)."""
    return leads_named(session.connection(), [assignment_id], held)[assignment_id]


def _moved_with(session: Session, detail: Any) -> str | None:
    last = detail.history[-1] if detail.history else None
    if last is None or last.action not in MOVES_SAME_WORK:
        return None
    return moved_words(moved_with(session, detail.id, last.at))


def _same_work(session: Session, assignment_id: int, now: datetime, held: date | None = None) -> list[str]:
    """The body's same work under another document's item, as its mails say it (same_work.counterparts),
    what of it was open at ``now``; with ``held`` (queries.held_on), the work of the body that held the
    part that day."""
    row = session.get(Assignment, assignment_id)
    assert row is not None, "get_assignment found it"
    replayed = cache(lambda: board_then(session, now))  # read once, only of a part rewritten since
    stood = lambda part: state_then(replayed(), part)  # noqa: E731
    body = (
        row.agency_id if held is None else holders_on(session, [assignment_id], held).get(assignment_id, row.agency_id)
    )
    return [c.said for c in counterparts(session.connection(), assignment_id, row.milestone_id, body, held, now, stood)]


def actor_names(session: Session, histories: Iterable[Iterable[EventView]]) -> dict[str, str]:
    """The names of the agencies that acted in ``histories`` (engine.services.actor_names): a history
    row says "Sở Nội vụ", not "so-noi-vu"."""
    return names_of(session, (e.actor for events in histories for e in events))


def _partner_inputs(session: Session, partners: list[Any], now: datetime, held: date | None) -> dict[int, str]:
    """The last comment each partner sent with a report or progress update (its input to the lead),
    by ``now`` (``held``: queries.held_on of ``now``, read by the page)."""
    found: dict[int, str] = {}
    for partner in partners:
        for event in reversed(assignment_held(session, partner.id, now, held).history):
            if event.action in ("report", "progress") and event.comment:
                found[partner.id] = event.comment
                break
    return found


# The overdue lists of the board and the leaders' page: the first rows, or (``?qua-han=tat-ca``) every
# row up to the second number, each with how many there are in all.
LEADERS_OVERDUE = (50, 5000)
EVERY_OVERDUE = {"tat-ca": "toàn bộ, không chỉ 50 dòng đầu"}  # ?qua-han=tat-ca


def overdue_limit(every: bool) -> int:
    return LEADERS_OVERDUE[1] if every else LEADERS_OVERDUE[0]


PRIORITY_OVERDUE = 100


def leaders_context(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    local: LocalDays,
    trends: TrendCache,
    policy: Policy,
    *,
    every_overdue: bool = False,
) -> dict[str, Any]:
    """The chair's questions in order: which key tasks are late, who is worst, is it getting better.

    The board's page model, plus the overdue priority items (nhiệm vụ trọng tâm), agencies ranked by
    overdue work and this year's published on-time rate, and the year's weekly trend."""
    limit = overdue_limit(every_overdue)
    # what the leaders are told of (the policy's rungs to them: the bodies that owe the result, not
    # the partners, whose input the lead and the secretariat chase): shown and ranked, as in their digest
    roles = policy.leader_roles()
    page = board_context(
        session, now, calendar, overdue_limit=limit, backlog=False, roles=roles
    )  # no backlog: the secretariat's
    year = local.local_date(now).year
    rates = agency_rates(session, start=date(year, 1, 1), end=date(year, 12, 31), now=now, local=local, roles=roles)
    lists = {"local": local, "roles": roles, "then": page["then"]}  # the board's look-back, read once
    priority = overdue_now(session, now, calendar, limit=PRIORITY_OVERDUE, priority_only=True, **lists)
    priority_total = (
        overdue_count(session, now, priority_only=True, **lists) if len(priority) >= PRIORITY_OVERDUE else len(priority)
    )
    page["explanations"] |= open_explanation_requests(session, [r.view.id for r in priority], by=now)
    # when the latest explanation asked was given: the row says an answer is there to read (once
    # answered, it showed the bare "Yêu cầu giải trình" button again, as on a row nobody had asked about)
    latest = latest_explanations(session, [r.view.id for r in (*page["overdue"], *priority)], by=now)
    page["explained"] = {i: x.answered_at for i, x in latest.items() if x.answer is Action.EXPLAIN}
    # the body's request for more time the secretariat has not decided at the page's instant, said as
    # the leaders' digest says it (a row read "Quá hạn 35 ngày làm việc" alone; the digest, that it waited)
    today = local.local_date(now)
    asked = open_extension_requests(session, [r.view.id for r in (*page["overdue"], *priority)], by=now)
    # asked by the body that held the part before a succession; at a look-back before it (an event after
    # the instant: then.later), by a body other than the one the row stands under then
    handed = handed_on_askers(session, asked, today if page["then"].later else None)
    page["extensions"] = {
        i: extension_waiting_words(extension_waiting(x, today, calendar, local.tz, handed.get(i)))
        for i, x in asked.items()
    }
    # the secretariat paused the body's reminders on the row at the page's instant, said as the leaders'
    # digest says it (the mail marked a row the page did not: the same chair read both)
    paused = snoozed_at(session, [r.view.id for r in (*page["overdue"], *priority)], now)
    page["snoozed"] = {i: snoozed_words(vn_date(until, local.tz)) for i, until in paused.items()}
    # late work its body reported and the secretariat returned to complete, said as the leaders' digest
    # says it: in progress again, the row had read as work never reported
    page["returned"] = returned_said(session, [r.view.id for r in (*page["overdue"], *priority)], now=now, tz=local.tz)
    # the overdue parts the lists and the ranking's count leave out (the leaders are not told of work
    # given on a guess, nor of lateness against a date the secretariat's convention set,
    # policy.withheld_why): how many, and why, at the page's instant
    withheld = withheld_count(session, now, Withheld.UNCONFIRMED, local=local, roles=roles)
    withheld_priority = (
        withheld_count(session, now, Withheld.UNCONFIRMED, priority_only=True, local=local, roles=roles)
        if withheld
        else 0
    )
    by_convention = withheld_count(session, now, Withheld.CONVENTION, local=local, roles=roles)
    by_convention_priority = (
        withheld_count(session, now, Withheld.CONVENTION, priority_only=True, local=local, roles=roles)
        if by_convention
        else 0
    )
    # the overdue parts waiting in "Cần phân công lại" at the page's instant (their body ended, the
    # secretariat has not named another: nobody is late with them, their digest does not tell them
    # either), left out of the lists and the ranking's count (overdue_lists.waiting_count)
    waiting = waiting_count(session, now, local=local, roles=roles)
    waiting_priority = waiting_count(session, now, priority_only=True, local=local, roles=roles) if waiting else 0
    overdue_parts = "phần việc quá hạn"
    year_bounds = (local.start_of_day(date(year, 1, 1)), local.end_of_day(date(year, 12, 31)))
    convention_rated = convention_due(session, now, *year_bounds, roles) if roles is not None else 0
    groups = guessed_groups(session) if withheld else []
    why = ": Tổ giúp việc đang xác nhận các phần việc này; khi được xác nhận, phần việc được nêu như mọi phần việc khác"
    guessed = sum(r.tasks_unconfirmed + r.reports_unconfirmed for r in rates)
    trend = trends.points(session, page["summary"], year=year, now=now, local=local, roles=roles, then=page["then"])
    previous = trends.year_rates(session, year=year - 1, now=now, local=local, roles=roles)
    return page | {
        "priority_overdue": priority,
        "priority_total": priority_total,
        "priority_copies": copies_listed(session, priority),  # each list its own: "cũng trong danh sách"
        # the key tasks' parts due before tracking began, still open: not overdue here, not left unsaid
        "priority_before_tracking": pretracking_count(session, now, priority_only=True, roles=roles),
        # every such part (of the roles shown): the ranking's "Đang quá hạn" counts none of them, and says so
        "before_tracking": pretracking_count(session, now, roles=roles),
        # the overdue parts given on a guess, not listed: said where each list is
        "overdue_unconfirmed": unconfirmed_words(withheld, groups, "phần việc quá hạn", why, "Không nêu"),
        "priority_unconfirmed": unconfirmed_words(withheld_priority, groups, "phần việc quá hạn", why, "Không nêu"),
        # the year's rates leave out the parts given on a guess (engine.reports.counted), said under the ranking
        "ranking_unconfirmed": unconfirmed_words(
            guessed, guessed_groups(session) if guessed else (), why=f", vào tỷ lệ năm {year}"
        ),
        # the overdue parts due on the secretariat's convention, not listed, and the year's parts of that
        # kind the ranking leaves out (engine.reports.rates): said where each list is, and under the ranking
        "overdue_convention": convention_words(by_convention, overdue_parts, CONVENTION_CHASED, "Không nêu"),
        "priority_convention": convention_words(by_convention_priority, overdue_parts, CONVENTION_CHASED, "Không nêu"),
        "ranking_convention": convention_words(convention_rated, "phần việc đến hạn", f", vào tỷ lệ năm {year}"),
        # the overdue parts waiting for the secretariat to name a body, not listed: said where each list is
        "overdue_waiting": waiting_words(waiting, overdue_parts, WAITING_NAMED, "Không nêu"),
        "priority_waiting": waiting_words(waiting_priority, overdue_parts, WAITING_NAMED, "Không nêu"),
        # ranked: the bodies with something to compare in those roles; then the others, unranked
        "ranking": agency_ranking(
            page["summary"].agencies,
            rates,
            page["owed"],
            previous,
            None if roles is None else role_holders(session, roles, now),
        ),
        # the year before, when any of its work was followed (a column of "—" before the tracking start says nothing)
        "previous_year": (
            year - 1 if any(r.tasks_due or r.tasks_given_late or r.reports_due for r in previous) else None
        ),
        "leader_roles": roles,
        # the roles in words, as the page's notes say them, the lead by every heading the texts give it
        # ("chủ trì, tham mưu, thực hiện"), as the periodic report's mail does; None: every role
        "leader_roles_words": None
        if roles is None
        else roles_words(roles, lead_words(session, plans_then(session, now, page["then"]))),
        # the tracking start: the trend's weeks before it have no point (none at all before it), and
        # its on-time line is a running total from it
        "tracking_from": (started := tracking_start(session)),
        "trend": trend_chart(trend, local.tz, started),
        "trend_points": trend,
        "trend_year": year,
        "trend_from": started if started and started.year == year else None,
    }


def explanation_refusals(session: Session, rows: Iterable[OverdueRow], actor: Actor, now: datetime) -> dict[int, str]:
    """The listed rows on which ``actor`` may not ask for an explanation now, each with why, as the
    rule book says it (permissions.verdicts_for_many): the click on a form there would be refused
    with that reason. The leaders' page drew the form on every overdue row, and then said of every
    row without one that its body had been reorganised: of work reported, verified or cancelled
    since a past instant, too."""
    ids = [r.view.id for r in rows]
    if not ids:
        return {}
    pairs = session.exec(
        select(Assignment, Milestone)
        .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
        .where(col(Assignment.id).in_(ids))
    ).all()
    judged = verdicts_for_many(session, list(pairs), actor, now=now, actions=[Action.REQUEST_EXPLANATION])
    label = ACTION_LABELS_VI[Action.REQUEST_EXPLANATION]
    return {
        assignment_id: f'Không thể "{label}": {refusal.reason or refusal}.'
        for assignment_id, (verdict,) in judged.items()
        if (refusal := verdict.refusal) is not None
    }
