"""Plans, their items and the items' milestones."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Text, UniqueConstraint, false, func
from sqlmodel import Field, SQLModel, col

from dondoc.engine.models.types import AwareDateTime
from dondoc.engine.textfold import item_search_text, keep_folded


class PlanKind(StrEnum):
    KE_HOACH = "ke_hoach"
    CONG_VAN = "cong_van"
    THONG_BAO = "thong_bao"


class Plan(SQLModel, table=True):
    """One official document (Kế hoạch, Công văn, Thông báo)."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=64)
    kind: PlanKind = Field(sa_type=String(16))
    issued: date
    # the date as the text writes it, when it gives no whole day (catalog ``issued_as_written``)
    issued_as_written: str | None = Field(default=None, sa_column=Column(Text))
    issuer: str
    title: str = Field(sa_column=Column(Text, nullable=False))
    # the province whose plan it is (catalog ``province``); None: the committee's own (engine.provinces)
    province: str | None = Field(default=None, max_length=64)
    year: int
    source_file: str | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text))
    # Opted in by the secretariat: its milestones due before the tracking start are tracked too.
    tracked: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))


# The order plans are listed in, for choosing (the filter's plan list) or reading (the plans page, the
# report's table by plan and its indicators, an agency's indicators, ``dondoc assignments list``): by
# issue date, then number. Their numbers as text put 1834/UBND-KGVX (April 2022) after 117/KH-UBND (July).
PLAN_ORDER = (col(Plan.issued), col(Plan.number))
# The plans' order in an item's position (PlanItem.position), which the desk's list reads alone: the
# latest issued first (the year's work before older plans' backlog: what the desk works on now; a
# search for "an toan he thong" had 61/KH-UBND's 2019 rows fill the page before 117/KH-UBND's II.2.d),
# then by number. A list that orders by PLAN_ORDER first reads the plans oldest first, as ever.
LATEST_FIRST = (col(Plan.issued).desc(), col(Plan.number))


class ItemKind(StrEnum):
    TASK = "task"
    REPORT = "report"


class PlanItem(SQLModel, table=True):
    """One nhiệm vụ of a plan, with a stable code such as ``117/KH-UBND:II.2.d``."""

    __tablename__ = "plan_item"
    # the items in ITEM_ORDER, walked in that order by a list of 100 (one column first: PostgreSQL
    # walked (plan_id, position) through the plan's key and sorted every row, 4 ms -> 130 ms)
    __table_args__ = (Index("ix_plan_item_position", "position", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str = Field(index=True, unique=True, max_length=128)
    # its place: its plan's rank in LATEST_FIRST × PLAN_BLOCK plus its place in the plan's text, from 1
    # (by the line its source names: tasks_catalog.places; catalog_sync writes both on every load).
    # The codes misorder them ("PL.II.10" before "PL.II.2", "II.1.e" before "II.1.đ", and the
    # targets' codes are names).
    position: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    kind: ItemKind = Field(default=ItemKind.TASK, sa_type=String(16))
    section: str = Field(max_length=64)
    title: str = Field(sa_column=Column(Text, nullable=False))
    content: str = Field(sa_column=Column(Text, nullable=False))
    source: str
    roles_as_written: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    priority: bool = False
    done_at_issue: bool = False
    notes: str | None = Field(default=None, sa_column=Column(Text))
    # "chưa xác định cơ quan": [{"role", "phrase"}] of each role phrase that names nobody (catalog)
    unnamed: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # when and by whom the secretariat named the bodies (engine.services.naming); never the catalog
    named_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime(timezone=True), nullable=True))
    named_by: str | None = Field(default=None, max_length=128)
    # code and title folded (engine.textfold), kept by the ORM on every write; the search boxes match it
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


keep_folded(PlanItem, lambda row: item_search_text(row.code, row.title))

# The order items are read in: plan by plan (LATEST_FIRST), each plan's as its text has them, then by
# code (items of one place: none the catalog loads). Every list of items or of their work orders by
# it, after PLAN_ORDER where the plans are listed oldest first (the plans page, the CLI, the reports).
ITEM_ORDER = (col(PlanItem.position), col(PlanItem.code))
PLAN_BLOCK = 100_000  # an item's position: its plan's rank × PLAN_BLOCK + its place in the plan (PlanItem)

# The heading the text gives an item's lead when it is not "chủ trì" (04/KH-BCĐ's "Cơ quan tham mưu"),
# read by the database from the catalog's roles_as_written: every statement that shows a role reads it
# (engine.models.assignments.role_label says the word).
LEAD_HEADING = col(PlanItem.roles_as_written)["lead_heading"].as_string().label("lead_heading")


class Milestone(SQLModel, table=True):
    """A dated obligation of an item; an item may have several (II.2.d: 30/6 and 15/11)."""

    __table_args__ = (UniqueConstraint("item_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="plan_item.id", index=True)
    seq: int
    label: str | None = None
    phrase: str | None = Field(default=None, description="the deadline phrase verbatim")
    kind: str = Field(max_length=16, description="engine.deadlines.DeadlineKind, or 'none'")
    start_date: date | None = None
    due_date: date | None = Field(default=None, description="as the text says; None = waiting for a condition")
    recurrence: str | None = None
    condition: str | None = None
    # a period of a recurring report (tasks_catalog.cycles): "2022-Q1", and its data cut-off window
    period_code: str | None = Field(default=None, max_length=16, index=True)
    cutoff_start: date | None = None
    cutoff_end: date | None = None
    # the text's "nhiệm vụ trọng tâm" for this milestone alone, where it differs from its item's
    # (1834/UBND-KGVX item 2 flags its radio bullet, not its other targets); None: the item's (PRIORITY)
    priority: bool | None = None
    # the date is the secretariat's convention (catalog ``dates: convention``, conventions.yaml
    # ``report_days``; the plan year's end given periodic work with no span, catalog_sync
    # ._year_end_default): no document gives it. Written by each catalog load; the label says it too
    # (tasks_catalog.conventions.CONVENTION_NOTE). The leaders are not told of lateness against it
    # (engine.escalation.policy.withheld_why).
    due_by_convention: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))


# Whether an assignment's work is a priority ("nhiệm vụ trọng tâm"): its milestone's flag where the
# catalog gives one, else its item's. Every statement that shows or acts on priority reads this.
PRIORITY_SQL = func.coalesce(col(Milestone.priority), col(PlanItem.priority))
PRIORITY = PRIORITY_SQL.label("priority")


class SameWorkLink(SQLModel, table=True):
    """A milestone that is the same work as an item of another plan (the catalog's
    ``same_work_as``), written by each catalog load: an agency's assignment on the milestone follows
    the agency's verified work on that item, at the load and after each verification
    (engine.services.same_work). By the item's code, so that a plan loaded later is linked all the same."""

    __tablename__ = "same_work_link"
    milestone_id: int = Field(foreign_key="milestone.id", primary_key=True)
    linked_code: str = Field(primary_key=True, index=True, max_length=128)
