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

# The naming convention must be set before the tables below are declared.
from dondoc.engine.models.access import AccessGrant, SweepRun  # noqa: E402
from dondoc.engine.models.agencies import Agency, AgencyGroup, AgencyGroupMember, CommitteeMember, CommitteeRole  # noqa: E402
from dondoc.engine.models.assignments import (  # noqa: E402
    COMPLETED_STATE_VALUES,
    COMPLETED_STATES,
    OPEN_STATE_VALUES,
    OPEN_STATES,
    TERMINAL_STATE_VALUES,
    TERMINAL_STATES,
    Assignment,
    Role,
    State,
)
from dondoc.engine.models.events import Event  # noqa: E402
from dondoc.engine.models.indicators import Indicator, IndicatorTarget  # noqa: E402
from dondoc.engine.models.installation import Installation, ReplayMark  # noqa: E402
from dondoc.engine.models.notifications import Notification, NotificationStatus  # noqa: E402
from dondoc.engine.models.plans import (  # noqa: E402
    ITEM_ORDER,
    PLAN_BLOCK,
    PLAN_ORDER,
    ItemKind,
    Milestone,
    Plan,
    PlanItem,
    PlanKind,
    SameWorkLink,
)
from dondoc.engine.models.successions import AgencyTransfer, Succession, TransferStatus  # noqa: E402

__all__ = [
    "ITEM_ORDER",
    "PLAN_BLOCK",
    "PLAN_ORDER",
    "AgencyTransfer",
    "Succession",
    "TransferStatus",
    "AccessGrant",
    "SweepRun",
    "Agency",
    "AgencyGroup",
    "AgencyGroupMember",
    "CommitteeMember",
    "CommitteeRole",
    "Assignment",
    "Role",
    "State",
    "OPEN_STATES",
    "COMPLETED_STATES",
    "TERMINAL_STATES",
    "OPEN_STATE_VALUES",
    "COMPLETED_STATE_VALUES",
    "TERMINAL_STATE_VALUES",
    "Event",
    "Indicator",
    "IndicatorTarget",
    "Installation",
    "ReplayMark",
    "Notification",
    "NotificationStatus",
    "Milestone",
    "Plan",
    "PlanItem",
    "PlanKind",
    "SameWorkLink",
    "ItemKind",
]
from dondoc.engine.models.accounts import ApiToken, Attachment, LoginFailure, UserAccount  # noqa: E402  (web: accounts, tokens, files)  # noqa: E402

__all__ += ["ApiToken", "Attachment", "LoginFailure", "UserAccount"]
from dondoc.engine.models.reports import IndicatorActual  # noqa: E402  (reports: indicator actuals)  # noqa: E402

__all__ += ["IndicatorActual"]
