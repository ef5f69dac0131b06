"""The filter of a list page as the query string carries it, and the choices its form offers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from sqlalchemy import and_, bindparam, exists, or_
from sqlmodel import Session, col, select

from dondoc.engine.clock import LocalDays
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import PLAN_ORDER, Agency, AgencyGroup, AgencyGroupMember, Assignment, Plan
from dondoc.engine.reports.history import Then, created_after_sql, plans_then, plans_then_sql
from dondoc.engine.role_words import lead_words, role_choices
from dondoc.engine.services.assignment_filter import FIELD_LABELS_VI, AssignmentFilter, BoundFilter
from dondoc.engine.services.board_then import board_then
from dondoc.engine.services.queues import Queue, counted_later
from dondoc.engine.services.transfer_origins import held_by_sql
from dondoc.engine.services.web_queries import Rewritten, filtered_rewritten
from dondoc.engine.status import NOW, TODAY
from dondoc.engine.textfold import vi_sort_key
from dondoc.web.api_query import refuse_query_names
from dondoc.web.context import WebContext, ctx
from dondoc.web.inputs import row_number
from dondoc.web.principal import let_in_first

# The query names a list reads besides its filter: the page (page_of), the notice after a step (the
# action and the assignment it was taken on: web.actions.recorded_step).
NOT_FILTERS = frozenset({"page", "done", "id"})


def filter_of(
    request: Request, fields: Collection[str] | None = None, own: Collection[str] = (), exported: bool = False
) -> AssignmentFilter:
    """The filter in the request's query string (a bookmark, a shared link). ``fields``: those the
    list can be filtered by (``status`` goes with ``state`` and ``category``), every one if None;
    ``own``: query names the page reads itself beside its filter (a queue's ``?ton-dong=1``).
    A field the list does not take, or given twice, is refused in one sentence rather than
    ignored: a list that says it is filtered by an agency shows that agency's rows or nothing.
    ``exported``: the filter of an export, which is every row of the list: the page's own names
    (NOT_FILTERS: its page number, its notice) are refused too ("?page=2" exported every page)."""
    taken = set(FIELD_LABELS_VI) if fields is None else set(fields)
    if {"state", "category"} <= taken:
        taken.add("status")
    # read elsewhere: the page number, a notice after a step (not by an export), the page's own switch
    read = set(own) if exported else set(own) | NOT_FILTERS

    def unknown(name: str) -> str:
        if name not in FIELD_LABELS_VI:  # a misspelt field ("agnecy") would show every row as if filtered
            offered = ", ".join(f"{FIELD_LABELS_VI[f]} ({f})" for f in FIELD_LABELS_VI if f in taken)
            return f'Danh sách này không có tham số "{name}"; lọc được theo: {offered}.'
        offered = ", ".join(FIELD_LABELS_VI[f] for f in FIELD_LABELS_VI if f in taken)
        return f'Danh sách này không lọc theo "{FIELD_LABELS_VI[name]}" ({name}); lọc được theo: {offered}.'

    refuse_query_names(request, taken | read, unknown, _twice)
    return AssignmentFilter.from_query(dict(request.query_params))


def _twice(name: str, given: int, label: str | None = None) -> str:
    """The sentence refusing ``?name=`` given ``given`` times, by its label when it has one."""
    label = label or FIELD_LABELS_VI.get(name)
    what = f'"{label}" ({name})' if label else f'Tham số "{name}"'
    return f"{what} chỉ nhận một giá trị, nhận được {given}."


def _one_value(request: Request, name: str, label: str) -> str:
    """The one value of ``?name=`` ("" when absent); given twice, refused in one sentence."""
    given = request.query_params.getlist(name)
    if len(given) > 1:
        raise InvalidInput(_twice(name, len(given), label))
    return given[0] if given else ""


def choice_of(request: Request, name: str, choices: dict[str, str], what: str) -> str | None:
    """The value of ``?name=`` if it is one of ``choices`` (value → label), None when absent or
    empty; any other value is refused in one sentence naming what the page offers, rather than
    ignored (a list that says "failed" shows the failed mails, or nothing)."""
    value = _one_value(request, name, what).strip()
    if not value:
        return None
    if value not in choices:
        offered = ", ".join(f"{key} ({label})" for key, label in choices.items())
        raise InvalidInput(f'"{what}" ({name}) không nhận giá trị "{value}"; chọn một trong: {offered}.')
    return value


def reads(*names: str) -> Any:
    """The query names a page route reads, declared with the route (``dependencies=[reads("done")]``):
    another name, or one of them given twice, is refused in one sentence naming it and those the page
    reads. A misspelt "?statut=failed" had shown every mail as if nothing had been typed; the filtered
    lists refuse it in :func:`filter_of`. The look-back is the clock, not a query name. Only to a visitor
    the page lets in (web.principal.let_in_first): another is answered as without the name."""

    offered = f"; dùng được: {', '.join(names)}" if names else " (trang không nhận tham số nào)"

    def check(request: Request, context: Annotated[WebContext, Depends(ctx)]) -> None:
        try:
            refuse_query_names(
                request,
                names,
                lambda name: f'Trang này không có tham số "{name}"{offered}.',
                'Tham số "{name}" chỉ nhận một giá trị, nhận được {given}.',
            )
        except InvalidInput:
            # a route's declared dependencies run before its own: the visitor is checked first, or one
            # not logged in learns the page's names instead of being sent to log in
            let_in_first(request, context)
            raise

    return Depends(check)


# A queue that keeps the pre-tracking backlog apart (Queue.apart) lists the tracked work, and the
# backlog at ?ton-dong=1: its page, its pager, its filter form and its exports keep the switch.
BACKLOG = "ton-dong"
_BACKLOG_CHOICES = {"1": "việc tồn đọng trước ngày bắt đầu theo dõi"}


def queue_filter(request: Request, queue: Queue, exported: bool = False) -> tuple[AssignmentFilter, bool | None]:
    """A queue page's (or export's) filter, and the part of the queue the URL asks for (Queue.fetch's
    ``backlog``): for a queue that keeps the backlog apart, False (the tracked work) unless
    ``?ton-dong=1``; None for any other queue (its page takes no such switch, and refuses it).
    ``exported``: an export's (:func:`filter_of`)."""
    if not queue.apart:
        return filter_of(request, queue.fields, exported=exported), None
    where = filter_of(request, queue.fields, own=(BACKLOG,), exported=exported)
    return where, choice_of(request, BACKLOG, _BACKLOG_CHOICES, "Việc tồn đọng") is not None


PAGE_SIZE = 100


def page_of(request: Request) -> int:
    """The page asked for (``?page=2``), from 1; a bad value is refused in one sentence."""
    text = (request.query_params.get("page") or "1").strip()
    number = row_number(text)
    if number is None:
        raise InvalidInput(f'Số trang "{text}" không hợp lệ: dùng 1, 2, 3, …')
    return number


def pager(page: int, total: int | None, shown: int, query: str, size: int = PAGE_SIZE) -> dict[str, Any]:
    """What the page links need: this page, the last page (from the total when known, else one
    more while a page came back full plus one), and the query string of the filter."""
    last = max(1, -(-total // size)) if total is not None else (page + 1 if shown > size else page)
    # a page past the last (a bookmark kept while the list shrank): no row on it says nothing of the filter
    past_end = page > last and bool(total)
    return {"page": page, "last": last, "query": query, "first_row": (page - 1) * size + 1, "past_end": past_end}


# The filter form's lists, read with every page (never kept: a plan or agency added a moment ago is
# offered at once); the statements themselves are built once (they depend on nothing else).
_PLANS = select(Plan.number, Plan.title).order_by(*PLAN_ORDER)


# a body not yet set up on the page's day is not offered (the 2025 bodies on a 2022 board), nor one
# that holds no work (Kon Tum's bodies, in the directory for the 2025 merger, on a 2022 board: a list
# of work names nobody a filter by it would find); one that ended is, for the work it held; and the
# one the filter names always is (a link may name any body: the form keeps it, or "Lọc" would drop it)
def _offered(agency: Any, written: Any = None, held: bool = False) -> Any:
    """Whether the filter form offers the body ``agency`` (a table or an alias of it): the one rule
    for the agency list and the group list (a group is offered for a member it offers). ``written``:
    a condition on the work it holds (at a look-back, written by then); ``held``: the work it held
    on the bound TODAY (transfer_origins.held_by_sql, the one rule), not the work it holds now — the
    desk's list at a look-back before a transfer selects by that body (web_queries.held_at)."""
    if held:
        work = exists().where(held_by_sql(TODAY, lambda body: body == col(agency.id)))
    else:
        work = exists().where(col(Assignment.agency_id) == col(agency.id))
    work = work if written is None else work.where(written)
    return and_(or_(col(agency.valid_from).is_(None), col(agency.valid_from) <= bindparam("today")), work)


def _lists(then: bool, held: bool = False) -> dict[str, tuple[str, Any]]:
    """The filter form's statements (plans, agencies, groups), by the field each is offered for; with
    ``then``, read at a look-back: only what existed at the bound NOW (a plan some of whose work did,
    or issued by then, engine.reports.history.plans_then_sql; a body that held work then: with
    ``held``, the work it held on that day, whoever holds it now)."""
    # the plan the filter names always is, as a body is (_offered): "Lọc" would drop it without a word
    chosen = col(Plan.number) == bindparam("chosen_plan")
    plans = _PLANS.where(or_(col(Plan.id).in_(plans_then_sql(NOW, TODAY)), chosen)) if then else _PLANS
    written = col(Assignment.id).not_in(created_after_sql(NOW)) if then else None
    # both lists are ordered by filter_choices, by name as a Vietnamese reader orders them
    agencies = select(Agency.code, Agency.short).where(
        or_(_offered(Agency, written, held), col(Agency.code) == bindparam("chosen"))
    )
    # a group is offered for a member the agency list offers (Kon Tum's groups held no work in 2023), or
    # when the filter names it; one statement, as before
    groups = select(AgencyGroup.code, AgencyGroup.name).where(
        or_(
            exists()
            .where(col(AgencyGroupMember.group_id) == col(AgencyGroup.id))
            .where(col(Agency.id) == col(AgencyGroupMember.agency_id), _offered(Agency, written, held)),
            col(AgencyGroup.code) == bindparam("chosen"),
        )
    )
    return {"plans": ("plan", plans), "agencies": ("agency", agencies), "groups": ("group", groups)}


# built once each: today's, a look-back's, and a look-back's before a transfer (the desk's list)
_LISTS, _LISTS_THEN, _LISTS_HELD = _lists(False), _lists(True), _lists(True, held=True)


def filter_choices(
    session: Session,
    now: datetime,
    local: LocalDays,
    fields: Collection[str] = ("plan", "agency", "group", "role"),
    chosen: str = "",
    chosen_group: str = "",
    then: Then | None = None,
    chosen_plan: str = "",
    as_then: bool = True,
    held: bool = False,
) -> dict[str, Any]:
    """Plans, agencies (those set up by ``now``'s day that hold work, and ``chosen``, the one the
    filter names) and agency groups (those with such a member, and ``chosen_group``) for the filter
    form's lists: those of ``fields`` (the fields the form shows; a list it does not show is not read).
    Rows of two columns, read on the session's connection: no ORM entities to make. And the roles,
    each said as the filter takes it (engine.role_words.role_choices: the lead's choice names the
    texts' other headings for it, read now). At a look-back before work the catalog wrote since
    (engine.reports.history.plans_then: one probe, none when the page read ``then`` already), only
    the plans, bodies and headings of then, and the plan the filter names (``chosen_plan``); not with
    ``as_then`` False (a queue's page, whose rows are today's at a look-back too: :func:`counted_on`).
    ``held``: the list selects by the body that held each part at ``now``, a transfer having passed
    work on since (engine.services.web_queries.held_at: the desk's list): the bodies that held work
    then, as its filter selects and the board's table at that instant counts them (UBND Lý Sơn before
    its absorption, not Sở KH&CN, which held nothing then)."""
    connection = session.connection()
    today = local.local_date(now)
    existed = plans_then(session, now, then) if as_then else None
    at: dict[str, Any] = {"now": now, "today": today}
    values: dict[str, dict[str, Any]] = {
        "plan": at | {"chosen_plan": chosen_plan},
        "agency": at | {"chosen": chosen},
        "group": at | {"chosen": chosen_group},
    }
    lists = {
        name: connection.execute(statement, values[field]).all() if field in fields else []
        for name, (field, statement) in (_LISTS_HELD if held else _LISTS if existed is None else _LISTS_THEN).items()
    }
    # bodies and groups by their names as a Vietnamese reader orders them, as the board's table by
    # body: the database's order put "BHXH tỉnh" before "Ban Dân tộc" and "Đài PTTH" after "VP UBND tỉnh"
    for name in ("agencies", "groups"):
        lists[name] = sorted(lists[name], key=lambda row: vi_sort_key(row[1]))
    return {
        **lists,
        "roles": role_choices(lead_words(session, existed)) if "role" in fields else (),
    }


def counted_on(session: Session, now: datetime, local: LocalDays) -> date | None:
    """At a look-back, the day the database was last written (engine.services.queues.counted_later):
    the queues count and list each row as it is then, not as it stood at ``now``, and the board and
    every queue's page say so (templates/_counted_later.html); None at today's instant."""
    later = counted_later(session, now)
    return local.local_date(later) if later is not None else None


def queue_page(
    session: Session,
    queue: Queue,
    where: AssignmentFilter,
    page: int,
    count: int,
    shown: int,
    now: datetime,
    local: LocalDays,
    backlog: bool | None = None,
) -> dict[str, Any]:
    """What every queue's page gives its template beside its rows: the count of all its rows (of the
    part ``backlog`` names: queue_filter), the pager, the filter in the URL and its form (the fields
    the queue can be filtered by, their lists), each keeping the part in the URL; at a look-back, the
    day its rows are of (:func:`counted_on`)."""
    kept = {BACKLOG: "1"} if backlog else {}
    query = "&".join(part for part in (where.query_string(), urlencode(kept)) if part)
    return {
        "now": now,
        "counted_on": counted_on(session, now, local),
        "count": count,
        "pages": pager(page, count, shown, query, PAGE_SIZE),
        "f": where,
        "fields": queue.fields,
        "kept": kept,  # the filter form sends them again, and "Bỏ lọc" keeps them
        "action": f"/board/{queue.slug}",
        "export": f"/board/{queue.slug}",  # + .csv / .xlsx and the filter: the rows of every page
        # the lists of today, as its rows are: at a look-back, those of then offered none of a later
        # plan's work the page lists (nor its bodies)
        **filter_choices(session, now, local, queue.fields, where.agency, where.group, as_then=False),
    }


@dataclass(frozen=True)
class ListReading:
    """What a filtered list of parts (the desk's, a plan's page) reads at its instant beside its rows:
    at a look-back, the rows rewritten since (``then``) and those of them it lists as they stood then
    (``rewritten``), and its filter's menus as they stood then (``choices``)."""

    then: Then
    rewritten: Rewritten | None
    choices: dict[str, Any]


def list_reading(
    session: Session, now: datetime, local: LocalDays, where: AssignmentFilter, bound: BoundFilter
) -> ListReading:
    """:class:`ListReading` of a list filtered by ``where`` (bound as ``bound``: over the holder then
    at a look-back before a transfer, web_queries.held_at): one rule for every such list."""
    then = board_then(session, now, local)
    rewritten = filtered_rewritten(session, now, bound, then)
    choices = filter_choices(
        session,
        now,
        local,
        chosen=where.agency,
        chosen_group=where.group,
        then=then,
        chosen_plan=where.plan,
        held=bound.held,
    )
    return ListReading(then, rewritten, choices)
