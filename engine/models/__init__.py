"""The tables. Importing this package registers every table on ``SQLModel.metadata``."""

from sqlmodel import SQLModel

# Named constraints, so later migrations (batch mode on SQLite) can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from engine.models.access import AccessGrant, SweepRun
from engine.models.agencies import Agency, AgencyGroup, AgencyGroupMember, CommitteeMember, CommitteeRole
from engine.models.assignments import (
    COMPLETED_STATES,
    OPEN_STATES,
    TERMINAL_STATES,
    Assignment,
    Role,
    State,
)
from engine.models.events import Event
from engine.models.indicators import Indicator, IndicatorTarget
from engine.models.notifications import Notification, NotificationStatus
from engine.models.plans import ItemKind, Milestone, Plan, PlanItem, PlanKind

__all__ = [
    "AccessGrant", "SweepRun",
    "Agency", "AgencyGroup", "AgencyGroupMember", "CommitteeMember", "CommitteeRole",
    "Assignment", "Role", "State", "OPEN_STATES", "COMPLETED_STATES", "TERMINAL_STATES",
    "Event", "Indicator", "IndicatorTarget", "Notification", "NotificationStatus",
    "Milestone", "Plan", "PlanItem", "PlanKind", "ItemKind",
]
from engine.models.accounts import ApiToken, Attachment, UserAccount  # noqa: E402  (web: accounts, tokens, files)

__all__ += ["ApiToken", "Attachment", "UserAccount"]
from engine.models.reports import IndicatorActual  # noqa: E402  (reports: indicator actuals)

__all__ += ["IndicatorActual"]
