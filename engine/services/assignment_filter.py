"""The filter every assignment list of the web shares: search box, plan, agency or group, role,
state, category, due range, priority. It is read from a URL's query string (so a view can be
bookmarked), checked here with a Vietnamese message naming the bad field, and turned into SQL
conditions over ``engine.services.queries.base_query``'s joins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import or_
from sqlmodel import Session, col, select

from dondoc.engine.clock import LocalDays
from dondoc.engine.errors import InvalidInput
from dondoc.engine.models import Agency, AgencyGroup, AgencyGroupMember, Assignment, Plan, PlanItem, Role, State
from dondoc.engine.models.assignments import ROLE_LABELS_VI
from dondoc.engine.status import Category, category_sql
from dondoc.engine.textfold import search_words

FIELDS = ("q", "plan", "agency", "group", "role", "state", "category", "due_from", "due_to", "priority")
_FIELD_LABELS_VI = {"due_from": "Hạn từ ngày", "due_to": "Hạn đến ngày"}


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
        status = (params.get("status") or "").strip()
        if status and status in {s.value for s in State}:
            values["state"] = values["state"] or status
        elif status:
            values["category"] = values["category"] or status
        return cls(**values)

    def query_string(self, **override: str) -> str:
        """This filter as a query string (only the fields set), for links and exports."""
        values = {k: v for k, v in asdict(replace(self, **override)).items() if v}
        return urlencode(values)

    @property
    def active(self) -> bool:
        return any(asdict(self).values())

    def conditions(self, session: Session, now: datetime, local: LocalDays) -> list[Any]:
        """SQL conditions over assignment ⋈ milestone ⋈ item ⋈ plan ⋈ agency; refuses bad values
        with InvalidInput (one Vietnamese sentence naming the field), nothing read further."""
        found: list[Any] = [_word(w) for w in search_words(self.q)]
        if self.plan:
            _exists(session, select(Plan.id).where(Plan.number == self.plan), f'Không có kế hoạch "{self.plan}".')
            found.append(Plan.number == self.plan)
        if self.agency:
            _exists(
                session, select(Agency.id).where(Agency.code == self.agency), f'Không có cơ quan mã "{self.agency}".'
            )
            found.append(Agency.code == self.agency)
        if self.group:
            group_id = session.exec(select(AgencyGroup.id).where(AgencyGroup.code == self.group)).first()
            if group_id is None:
                raise InvalidInput(f'Không có nhóm cơ quan mã "{self.group}".')
            members = select(AgencyGroupMember.agency_id).where(AgencyGroupMember.group_id == group_id)
            found.append(col(Assignment.agency_id).in_(members))
        if self.role:
            if self.role not in {r.value for r in Role}:
                raise InvalidInput(f'Vai trò "{self.role}" không hợp lệ; chọn: {", ".join(ROLE_LABELS_VI.values())}.')
            found.append(Assignment.role == self.role)
        if self.state:
            if self.state not in {s.value for s in State}:
                raise InvalidInput(f'Trạng thái "{self.state}" không hợp lệ.')
            found.append(Assignment.state == self.state)
        if self.category:
            if self.category not in {c.value for c in Category}:
                raise InvalidInput(f'Phân loại "{self.category}" không hợp lệ.')
            found.append(category_sql(now) == self.category)
        if self.due_from:
            day = _day(self.due_from, "due_from")
            found.append(col(Assignment.due_at) > local.end_of_day(day - timedelta(days=1)))
        if self.due_to:
            found.append(col(Assignment.due_at) <= local.end_of_day(_day(self.due_to, "due_to")))
        if self.priority:
            if self.priority not in ("1", "0"):
                raise InvalidInput(f'Trọng tâm "{self.priority}" không hợp lệ; dùng 1 (chỉ nhiệm vụ trọng tâm) hoặc 0.')
            found.append(PlanItem.priority == (self.priority == "1"))
        return found

    def item_conditions(self, session: Session) -> list[Any]:
        """The conditions that apply to plan items alone (the queue of items to name agencies for)."""
        found: list[Any] = [col(PlanItem.search_text).like(_pattern(w), escape="\\") for w in search_words(self.q)]
        if self.plan:
            _exists(session, select(Plan.id).where(Plan.number == self.plan), f'Không có kế hoạch "{self.plan}".')
            found.append(Plan.number == self.plan)
        if self.priority:
            if self.priority not in ("1", "0"):
                raise InvalidInput(f'Trọng tâm "{self.priority}" không hợp lệ; dùng 1 (chỉ nhiệm vụ trọng tâm) hoặc 0.')
            found.append(PlanItem.priority == (self.priority == "1"))
        return found


def _pattern(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _word(word: str) -> Any:
    """One folded word in the item's code or title, or in the agency's code or names."""
    pattern = _pattern(word)
    return or_(col(PlanItem.search_text).like(pattern, escape="\\"), col(Agency.search_text).like(pattern, escape="\\"))


def _exists(session: Session, statement: Any, message: str) -> None:
    if session.exec(statement).first() is None:
        raise InvalidInput(message)


def _day(text: str, field: str) -> date:
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    label = _FIELD_LABELS_VI.get(field, field)
    raise InvalidInput(f'{label}: "{text}" không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd).')
