"""The filter every assignment list of the web shares: search box, plan, agency or group, role,
state, category, due range, priority. It is read from a URL's query string (so a view can be
bookmarked), checked here with a Vietnamese message naming the bad field, and turned into SQL
conditions over ``engine.services.queries.base_query``'s joins.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Boolean, bindparam, or_
from sqlmodel import Session, col, select

from dondoc.engine.clock import LocalDays
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency, AgencyGroup, AgencyGroupMember, Assignment, Plan, PlanItem, Role, State
from dondoc.engine.models.assignments import STATE_LABELS_VI
from dondoc.engine.models.plans import PRIORITY_SQL
from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.role_words import lead_words, role_choices
from dondoc.engine.services.transfer_origins import held_by_code_sql, held_by_sql
from dondoc.engine.status import (
    CATEGORY_LABELS_VI,
    TODAY,
    Category,
    at_now,
    category_at_now,
    state_at_now,
    state_then_sql,
)
from dondoc.engine.textfold import search_patterns
from dondoc.engine.vi_format import parse_day, vn_date

FIELDS = ("q", "plan", "agency", "group", "role", "state", "category", "due_from", "due_to", "priority")
# Each filter field as the filter form labels it (and ``status``, the board's tiles' state or category).
FIELD_LABELS_VI = {
    "q": "Tìm",
    "plan": "Kế hoạch",
    "agency": "Cơ quan",
    "group": "Nhóm cơ quan",
    "role": "Vai trò",
    "state": "Trạng thái",
    "category": "Phân loại",
    "due_from": "Hạn từ ngày",
    "due_to": "Hạn đến ngày",
    "priority": "Trọng tâm",
    "status": "Trạng thái hoặc phân loại",
}


# The values a state or a category filter takes, as a refusal lists them: the words, then the value.
_STATES_SAID = ", ".join(f"{STATE_LABELS_VI[s]} ({s.value})" for s in State)
_CATEGORIES_SAID = ", ".join(f"{CATEGORY_LABELS_VI[c]} ({c.value})" for c in Category)


@dataclass(frozen=True)
class AssignmentFilter:
    """What a list shows; empty strings mean "any"."""

    q: str = ""
    plan: str = ""  # plan number, "117/KH-UBND"
    agency: str = ""  # agency code
    group: str = ""  # agency group code: every member agency
    role: str = ""
    state: str = ""
    category: str = ""
    due_from: str = ""  # YYYY-MM-DD (or dd/mm/yyyy)
    due_to: str = ""
    priority: str = ""  # "1": priority items (nhiệm vụ trọng tâm) only

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> AssignmentFilter:
        """The filter a query string names; ``status`` (the board's tiles) is a state or a category."""
        values = {name: (params.get(name) or "").strip() for name in FIELDS}
        if values["q"] and (params.get("q") or "")[-1].isspace():  # its last word finished (search_patterns)
            values["q"] += " "
        status = (params.get("status") or "").strip()
        if status and status in {s.value for s in State}:
            values["state"] = values["state"] or status
        elif status and status in {c.value for c in Category}:
            values["category"] = values["category"] or status
        elif status:  # not "Phân loại "zz"", a field the reader never typed
            raise InvalidInput(
                f'{FIELD_LABELS_VI["status"]} "{status}" không hợp lệ; chọn một trạng thái ({_STATES_SAID}) '
                f"hoặc một phân loại ({_CATEGORIES_SAID})."
            )
        return cls(**values)

    def query_string(self, **override: str) -> str:
        """This filter as a query string (only the fields set), for links and exports."""
        shown = replace(self, **override) if override else self
        return urlencode({name: value for name in FIELDS if (value := getattr(shown, name))})

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FIELDS)

    def conditions(self, session: Session, now: datetime, local: LocalDays) -> list[Any]:
        """SQL conditions over assignment ⋈ milestone ⋈ item ⋈ plan ⋈ agency; refuses bad values
        with InvalidInput (one Vietnamese sentence naming the field), nothing read further.
        The conditions of :meth:`bound` with its values (and ``now``) set in them."""
        return self.bound(session, local).applied(now)

    def bound(self, session: Session, local: LocalDays) -> BoundFilter:
        """The conditions of :meth:`conditions` as built once per shape of filter (which fields are
        set, how many words), with the values to execute them with (and ``at_now``: a category is
        judged at the bound NOW); refuses bad values the same way."""
        words = search_patterns(self.q)
        values: dict[str, Any] = {f"filter_word_{i}": pattern for i, pattern in enumerate(words)}
        if self.plan:
            _exists(session, select(Plan.id).where(Plan.number == self.plan), f'Không có kế hoạch "{self.plan}".')
            values["filter_plan"] = self.plan
        if self.agency:
            _exists(
                session, select(Agency.id).where(Agency.code == self.agency), f'Không có cơ quan mã "{self.agency}".'
            )
            values["filter_agency"] = self.agency
        if self.group:
            group_id = session.exec(select(AgencyGroup.id).where(AgencyGroup.code == self.group)).first()
            if group_id is None:
                raise InvalidInput(f'Không có nhóm cơ quan mã "{self.group}".')
            values["filter_group"] = group_id
        if self.role:
            if self.role not in {r.value for r in Role}:
                said = "; ".join(f"{label} ({value})" for value, label in role_choices(lead_words(session)))
                raise InvalidInput(f'Vai trò "{self.role}" không hợp lệ; chọn: {said}.')
            values["filter_role"] = self.role
        if self.state:
            if self.state not in {s.value for s in State}:
                raise InvalidInput(f'Trạng thái "{self.state}" không hợp lệ; chọn: {_STATES_SAID}.')
            values["filter_state"] = self.state
        if self.category:
            if self.category not in {c.value for c in Category}:
                raise InvalidInput(f'Phân loại "{self.category}" không hợp lệ; chọn: {_CATEGORIES_SAID}.')
            values["filter_category"] = self.category
        first = _day(self.due_from, "due_from") if self.due_from else None
        last = _day(self.due_to, "due_to") if self.due_to else None
        if first is not None:
            values["filter_due_after"] = local.end_of_day(first - timedelta(days=1))
        if last is not None:
            values["filter_due_until"] = local.end_of_day(last)
        if first is not None and last is not None and first > last:
            # a range that selects nothing by its own words: said, not answered with an empty list
            raise InvalidInput(
                f"{FIELD_LABELS_VI['due_from']} ({vn_date(first)}) sau {FIELD_LABELS_VI['due_to'].lower()} "
                f"({vn_date(last)}): không có ngày nào trong khoảng này; đổi lại hai ngày."
            )
        if self.priority:
            values["filter_priority"] = _priority(self.priority)
        # the state chosen is of the shape (its conditions narrow by it first: engine.status.state_then_sql)
        chosen = [values.get("filter_state", False) if n == "state" else f"filter_{n}" in values for n in _NAMED]
        shape = (len(words), *chosen)
        return BoundFilter(shape, _assignment_conditions(shape), values)

    def item_conditions(self, session: Session) -> list[Any]:
        """The conditions that apply to plan items alone (the queue of items to name agencies for)."""
        bound = self.bound_items(session)
        return [condition.params(bound.values) for condition in bound.conditions]

    def bound_items(self, session: Session) -> BoundFilter:
        """:meth:`item_conditions` as built once per shape, with their values (see :meth:`bound`)."""
        words = search_patterns(self.q)
        values: dict[str, Any] = {f"filter_word_{i}": pattern for i, pattern in enumerate(words)}
        if self.plan:
            _exists(session, select(Plan.id).where(Plan.number == self.plan), f'Không có kế hoạch "{self.plan}".')
            values["filter_plan"] = self.plan
        if self.priority:
            values["filter_priority"] = _priority(self.priority)
        shape = ("items", len(words), "filter_plan" in values, "filter_priority" in values)
        return BoundFilter(shape, _item_conditions(shape), values)


@dataclass(frozen=True)
class BoundFilter:
    """A filter's conditions, built once per ``shape`` with bound parameters, and their ``values``.
    Statements made of them can be kept per shape too: nothing of a value is in them."""

    shape: tuple[Any, ...]
    conditions: tuple[Any, ...]
    values: dict[str, Any]
    # over the view of the body that held each part on the bound TODAY (queries.held_view_from), not
    # its holder now: a list read at a look-back before a transfer (web_queries.held_at)
    held: bool = False

    def applied(self, now: datetime) -> list[Any]:
        """These conditions with their values (and ``now``, ``now``'s day) set in them: for a statement
        built per call (engine.services.web_queries.assignments_where)."""
        values = self.values | at_now(now)
        return [condition.params(values) for condition in self.conditions]

    def steady(self) -> BoundFilter:
        """This filter without its conditions on what a rewrite changes (the state, the category, the
        date in force: ``_REWRITABLE``), which :meth:`admits` reads of a row as it stood then: what a
        look-back selects the rows rewritten since by in SQL (search, plan, body, role, priority)."""
        named = zip(_NAMED, self.shape[1:], strict=True)
        shape = (self.shape[0], *(part and name not in _REWRITABLE for name, part in named))
        return BoundFilter(shape, _assignment_conditions(shape, self.held), self.values, self.held)

    def as_held(self) -> BoundFilter:
        """This filter over the view of the body that held each part on the bound TODAY
        (queries.held_view_from): its body and group select by that body."""
        return BoundFilter(self.shape, _assignment_conditions(self.shape, True), self.values, True)

    def admits(self, row: Mapping[str, Any]) -> bool:
        """Whether a row whose state, category and date in force (``row``, by the view's field names)
        are these passes this filter's conditions on them (``_REWRITABLE``, as the SQL compares)."""
        for name, (_, field, compare, _) in _REWRITABLE.items():
            chosen = self.values.get(f"filter_{name}")
            if chosen is not None and (row[field] is None or not compare(row[field], chosen)):
                return False
        return True


_NAMED = ("plan", "agency", "group", "role", "state", "category", "due_after", "due_until", "priority")


# The conditions on what an event may rewrite after an instant (engine.reports.history.REWRITES: the
# state, the category, the date in force), in _NAMED's order: per field, the row's SQL expression
# (the state and the category as they stood at the bound NOW, as each line of a list says them),
# the view's field holding it, the comparison with the filter's value, the value's SQL type. The SQL
# conditions are made of them (_assignment_conditions), and a look-back's rows rewritten since are
# judged by them as they stood then (BoundFilter.admits): a NULL passes none.
_REWRITABLE: dict[str, tuple[Callable[[], Any], str, Callable[[Any, Any], Any], type[AwareDateTime] | None]] = {
    "state": (state_at_now, "state", operator.eq, None),
    "category": (category_at_now, "category", operator.eq, None),
    "due_after": (lambda: col(Assignment.due_at), "due_at", operator.gt, AwareDateTime),
    "due_until": (lambda: col(Assignment.due_at), "due_at", operator.le, AwareDateTime),
}


def _priority(text: str) -> bool:
    if text not in ("1", "0"):
        raise InvalidInput(f'Trọng tâm "{text}" không hợp lệ; dùng 1 (chỉ nhiệm vụ trọng tâm) hoặc 0.')
    return text == "1"


def conditions_of_shape(shape: tuple[Any, ...], held: bool = False) -> tuple[Any, ...]:
    """The bound conditions of a filter of ``shape`` (BoundFilter.shape), built once per shape."""
    return _item_conditions(shape) if shape[0] == "items" else _assignment_conditions(shape, held)


@lru_cache(maxsize=256)
def _assignment_conditions(shape: tuple[Any, ...], held: bool = False) -> tuple[Any, ...]:
    """The conditions of a filter of this shape over base_query's joins, values left bound; with
    ``held``, over queries.held_view_from's, whose agency is the holder then (a group by it too)."""
    words, plan, agency, group, role, state, category, due_after, due_until, priority = shape
    found: list[Any] = [_word(bindparam(f"filter_word_{i}")) for i in range(words)]
    if plan:
        found.append(col(Plan.number) == bindparam("filter_plan"))
    if agency:
        found.append(col(Agency.code) == bindparam("filter_agency"))
        if held:  # the joined body is the holder then: its rows found by it (two seeks, not every row's holder)
            found.append(held_by_code_sql(TODAY, bindparam("filter_agency")))
    if group:
        members = select(AgencyGroupMember.agency_id).where(AgencyGroupMember.group_id == bindparam("filter_group"))
        # over held_view_from, the body that held each row then (transfer_origins.held_by_sql)
        found.append(held_by_sql(TODAY, lambda a: a.in_(members)) if held else col(Assignment.agency_id).in_(members))
    if role:
        found.append(col(Assignment.role) == bindparam("filter_role"))
    for name, chosen in zip(_REWRITABLE, (state, category, due_after, due_until), strict=True):
        if name == "state" and chosen:  # the state then: the rows its state now may follow first
            found.append(state_then_sql(chosen, value=bindparam("filter_state")))
        elif chosen:
            read, _, compare, kind = _REWRITABLE[name]
            found.append(compare(read(), bindparam(f"filter_{name}", type_=kind() if kind else None)))
    if priority:  # the milestone's own flag, else the item's
        found.append(PRIORITY_SQL == bindparam("filter_priority", type_=Boolean()))
    return tuple(found)


@lru_cache(maxsize=64)
def _item_conditions(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    """The conditions of an item filter of this shape, values left bound."""
    _, words, plan, priority = shape
    found: list[Any] = [
        col(PlanItem.search_text).like(bindparam(f"filter_word_{i}"), escape="\\") for i in range(words)
    ]
    if plan:
        found.append(col(Plan.number) == bindparam("filter_plan"))
    if priority:
        found.append(col(PlanItem.priority) == bindparam("filter_priority", type_=Boolean()))
    return tuple(found)


def _word(pattern: Any) -> Any:
    """One search word (its LIKE pattern, engine.textfold.search_patterns) in the item's code or title,
    or in the agency's code or names."""
    return or_(col(PlanItem.search_text).like(pattern, escape="\\"), col(Agency.search_text).like(pattern, escape="\\"))


def _exists(session: Session, statement: Any, message: str) -> None:
    if session.exec(statement).first() is None:
        raise InvalidInput(message)


def _day(text: str, field: str) -> date:
    return parse_day(text, FIELD_LABELS_VI.get(field, field))
