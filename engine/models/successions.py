"""Successions of agencies (tasks_catalog/successions.yaml) and the transfers of open work they cause."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Index, String, false
from sqlmodel import Field, SQLModel

from dondoc.engine.models.types import AwareDateTime


class Succession(SQLModel, table=True):
    """One succession as loaded from the catalog: kind, date, predecessors, successors, legal source."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=64)
    kind: str = Field(max_length=16)  # rename | merge | split | absorb | dissolve
    effective_on: date
    from_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # [{"agency": code, "functions": [...]}, …]
    successors: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source: str
    confirmed: bool = True
    loaded_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class TransferStatus(StrEnum):
    DONE = "done"  # the assignment is with its successor
    PENDING = "pending"  # in the secretariat's queue "Cần phân công lại"
    CLOSED = "closed"  # cancelled while it waited: no body takes it over


class AgencyTransfer(SQLModel, table=True):
    """An assignment passing from a body that ended to its successor (or waiting for the decision)."""

    __tablename__ = "agency_transfer"
    __table_args__ = (
        Index("ix_agency_transfer_status", "status", "assignment_id"),
        # the transfers done after a day, with what held_then reads (migrations 0027, 0028)
        Index("ix_agency_transfer_done_on", "status", "passed_on", "assignment_id", "from_agency_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    succession_key: str = Field(max_length=64)
    from_agency_id: int = Field(foreign_key="agency.id")
    to_agency_id: int | None = Field(default=None, foreign_key="agency.id")
    effective_on: date  # the succession's date
    # the day the work passed to its successor (done transfers only): the succession's date, or for
    # work that waited in "Cần phân công lại", the local day of the secretariat's decision (migration 0028)
    passed_on: date | None = None
    recorded_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    status: TransferStatus = Field(sa_type=String(16))
    reason: str | None = None  # why it waits for a decision
    # the part's giving day (``Assignment.assigned_at``) came on or after the succession's date: the
    # body that ended was never given it, and nobody is until the secretariat decides (a quarter's
    # report of a body dissolved on the quarter's first day; engine.status.held_back_sql; migration 0029)
    never_given: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime(), nullable=True))
