"""The read side: lists, details and roll-ups in the official categories."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import Integer, bindparam, func, true
from sqlalchemy.orm import Bundle
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from dondoc.engine.errors import InvalidInput, NotFound
from dondoc.engine.models import (
    Agency,
    Assignment,
    Installation,
    Milestone,
    Notification,
    NotificationStatus,
    Plan,
    PlanItem,
    State,
)
from dondoc.engine.services.assignments import history
from dondoc.engine.services.explanations import exchanges
from dondoc.engine.services.transfer_origins import holder_sql
from dondoc.engine.status import (
    CATEGORY_LABELS_VI,
    Category,
    before_tracking,
    category,
    category_at_now,
    category_sql,
    days_late,
)
from dondoc.engine.views import AssignmentDetail, AssignmentView, CategoryCounts, EventView, MailView, RequestView

GroupBy = Literal["agency", "plan", "item"]
# One row of base_query: the assignment with its milestone, item, plan, agency, the installation
# row (its tracking start; None before `dondoc init` wrote one) and the category.
AssignmentRow = tuple[Assignment, Milestone, PlanItem, Plan, Agency, Installation | None, str]
AssignmentQuery = Select[Assignment, Milestone, PlanItem, Plan, Agency, Installation | None, str]


def base_query(now: datetime) -> AssignmentQuery:
    """Assignments joined to milestone, item, plan, agency (and the one installation row, if
    any), with the category at ``now``."""
    return _joined(category_sql(now))


# A page of rows, as bound parameters: a list's statement is then built once, whole.
LIMIT, OFFSET = bindparam("limit", type_=Integer()), bindparam("offset", type_=Integer())


@cache
def base_query_at_now() -> Any:
    """:func:`base_query`'s rows with the category judged at the bound NOW and TODAY
    (engine.status): built once, executed with ``params=at_now(now)``. Each of the six is the
    columns :func:`to_view` (and the rule book's checks, engine.services.permissions) read, as a
    row with the entity's attribute names, read without the ORM's identity map: for a list's
    100 rows about three times cheaper than loading entities. Nothing is kept between requests."""
    return _joined(category_at_now(), _VIEW_COLUMNS)


class _Columns(Bundle[Any]):
    """Columns of one table read as one row named like the entity's attributes; ``optional``: None
    when an outer join found no row (the installation row, as the entity would be)."""

    def __init__(self, model: Any, names: str, *, optional: bool = False) -> None:
        super().__init__(model.__name__, *(model.__table__.c[name] for name in names.split()))
        self.optional = optional

    def create_row_processor(self, query: Any, procs: Any, labels: Any) -> Any:
        make = super().create_row_processor(query, procs, labels)
        if not self.optional:
            return make

        def row(values: Any) -> Any:
            found = make(values)
            return None if all(value is None for value in found) else found

        return row


_VIEW_COLUMNS = (
    _Columns(
        Assignment,
        "id version milestone_id agency_id role state due_at original_due_at assigned_at acknowledged_at"
        " reported_at verified_at closed_at waiting_condition_since progress",
    ),
    _Columns(Milestone, "id item_id seq label phrase kind condition start_date"),
    _Columns(PlanItem, "id plan_id code title priority"),
    _Columns(Plan, "id number issued tracked"),
    _Columns(Agency, "id code name"),
    _Columns(Installation, "tracking_start tracking_from", optional=True),
)


def _joined(category: Any, selected: tuple[Any, ...] = ()) -> AssignmentQuery:
    # Select(...) is what sqlmodel's select() builds for several entities; it types at most four.
    entities = selected or (Assignment, Milestone, PlanItem, Plan, Agency, Installation)
    statement: AssignmentQuery = Select(*entities, category.label("category"))
    if selected:
        statement = statement.select_from(Assignment)
    return (
        statement.join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .join(Agency, col(Assignment.agency_id) == col(Agency.id))
        .outerjoin(Installation, true())
    )


def _filter_status(statement: AssignmentQuery, status: str, now: datetime) -> AssignmentQuery:
    """``status`` is a state (``reported``) or a category (``dang_thuc_hien_qua_han``)."""
    if status in {s.value for s in State}:
        return statement.where(Assignment.state == status)
    if status in {c.value for c in Category}:
        return statement.where(category_sql(now) == status)
    raise unknown_status(status)


def unknown_status(status: str) -> InvalidInput:
    """The error for a status filter that is neither a state nor a category, naming both lists."""
    known = ", ".join([s.value for s in State] + [c.value for c in Category])
    return InvalidInput(f'Không có trạng thái "{status}"; dùng một trạng thái hoặc một nhóm: {known}')


def check_filters(
    session: Session, *, agency: str | None = None, plan: str | None = None, status: str | None = None
) -> None:
    """Refuse a filter word that names nothing (InvalidInput naming it): the command line and
    the API list the same way, so an unknown agency is an error, not an empty list."""
    if agency and session.exec(select(Agency.id).where(Agency.code == agency)).first() is None:
        raise InvalidInput(f'Không có cơ quan "{agency}"')
    if plan and session.exec(select(Plan.id).where(Plan.number == plan)).first() is None:
        raise InvalidInput(f'Không có kế hoạch "{plan}"')
    if status and status not in {s.value for s in State} | {c.value for c in Category}:
        raise unknown_status(status)


def list_assignments(
    session: Session,
    now: datetime,
    *,
    agency: str | None = None,
    plan: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[AssignmentView]:
    """Assignments in plan, item, milestone and agency order, filtered as asked."""
    check_filters(session, agency=agency, plan=plan, status=status)
    statement = base_query(now)
    if agency:
        statement = statement.where(Agency.code == agency)
    if plan:
        statement = statement.where(Plan.number == plan)
    if status:
        statement = _filter_status(statement, status, now)
    statement = statement.order_by(Plan.number, PlanItem.code, col(Milestone.seq), Agency.code).limit(limit)
    return [to_view(row, now) for row in session.exec(statement)]


def get_assignment(session: Session, assignment_id: int, now: datetime) -> AssignmentDetail:
    row = session.exec(base_query(now).where(Assignment.id == assignment_id)).first()
    if row is None:
        raise NotFound("assignment", assignment_id)
    view = to_view(row, now)
    found = history(session, assignment_id)
    events = [EventView.model_validate(e, from_attributes=True) for e in found]
    requests = [RequestView.model_validate(x, from_attributes=True) for x in exchanges(found)]
    item = row[2]
    return AssignmentDetail(
        **view.model_dump(),
        content=item.content,
        source=item.source,
        history=events,
        requests=requests,
        mails=mails_about(session, assignment_id),
    )


def mails_about(session: Session, assignment_id: int) -> list[MailView]:
    """The mails sent or queued about one assignment, oldest decision first."""
    rows = session.exec(
        select(Notification)
        .where(Notification.assignment_id == assignment_id)
        .order_by(col(Notification.created_at), col(Notification.id))
    )
    return [
        MailView(
            id=n.id or 0,
            kind=n.kind,
            recipient_role=n.recipient_role,
            recipient_email=n.recipient_email,
            decided_at=n.created_at,
            status=str(n.status),
            sent_at=n.sent_at,
            carried_by_id=n.carried_by_id,
            delivered=n.status == NotificationStatus.SENT or n.carried_by_id is not None,
        )
        for n in rows
    ]


def to_view(row: AssignmentRow, now: datetime) -> AssignmentView:
    """One row of :func:`base_query` as what may be shown."""
    assignment, milestone, item, plan, agency, installation, _ = row
    cat = category(
        assignment.state,
        assignment.due_at,
        assignment.reported_at,
        milestone.start_date,
        now,
        assignment.closed_at,
        untracked=before_tracking(assignment.due_at, plan.issued, plan.tracked, installation),
        waiting_since=assignment.waiting_condition_since,
    )
    return AssignmentView(
        id=assignment.id,
        version=assignment.version,
        item_code=item.code,
        item_title=item.title,
        plan_number=plan.number,
        milestone_seq=milestone.seq,
        milestone_label=milestone.label,
        deadline_phrase=milestone.phrase,
        deadline_kind=milestone.kind,
        condition=milestone.condition,
        agency_code=agency.code,
        agency_name=agency.name,
        role=assignment.role,
        state=assignment.state,
        category=cat.value,
        category_label=CATEGORY_LABELS_VI[cat],
        due_at=assignment.due_at,
        original_due_at=assignment.original_due_at,
        start_date=milestone.start_date,
        assigned_at=assignment.assigned_at,
        acknowledged_at=assignment.acknowledged_at,
        reported_at=assignment.reported_at,
        verified_at=assignment.verified_at,
        days_late=days_late(assignment.due_at, assignment.reported_at, now),
        priority=item.priority,
        progress=assignment.progress,
    )


def category_counts(
    session: Session, now: datetime, *, by: GroupBy | None = None, holders_on: date | None = None
) -> list[CategoryCounts]:
    """Counts per category: one total row, or one row per agency, plan or item. ``holders_on``: count
    each assignment under the agency that held it that day (a past period's report), not today's."""
    cat = category_sql(now).label("category")
    key_columns: dict[str, tuple[Any, Any]] = {
        "agency": (Agency.code, Agency.short),
        "plan": (Plan.number, Plan.title),
        "item": (PlanItem.code, PlanItem.title),
    }
    columns = list(key_columns[by]) if by else []
    counted: Select[*tuple[Any, ...]] = Select(*columns, cat, func.count())  # what select() builds
    statement = (
        counted.select_from(Assignment)
        .join(Milestone, col(Assignment.milestone_id) == col(Milestone.id))
        .join(PlanItem, col(Milestone.item_id) == col(PlanItem.id))
        .join(Plan, col(PlanItem.plan_id) == col(Plan.id))
        .join(Agency, (holder_sql(holders_on) if holders_on else col(Assignment.agency_id)) == col(Agency.id))
        .group_by(*columns, cat)
    )
    grouped: dict[tuple[str | None, str | None], dict[str, int]] = {}
    for row in session.exec(statement):
        key, label = (row[0], row[1]) if by else (None, None)
        grouped.setdefault((key, label), {c.value: 0 for c in Category})[row[-2]] = row[-1]
    if not by and not grouped:
        grouped[(None, None)] = {c.value: 0 for c in Category}
    return [
        CategoryCounts(key=key, label=label, counts=counts, total=sum(counts.values()))
        for (key, label), counts in sorted(grouped.items(), key=lambda kv: kv[0][0] or "")
    ]
