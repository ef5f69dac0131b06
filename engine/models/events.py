"""The append-only history (nhật ký) of every assignment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from dondoc.engine.models.types import AwareDateTime


class Event(SQLModel, table=True):
    """Something that happened to an assignment: who, when, from, to, why.

    Rows are only ever inserted; the database refuses UPDATE and DELETE (see the migration).
    """

    __table_args__ = (
        Index("ix_event_assignment_at", "assignment_id", "at", "id"),
        # the latest request for an explanation and answer per assignment (the queue "Chờ giải trình")
        Index("ix_event_action", "action", "assignment_id", "id"),
        # the rows an event rewrote after an instant (engine.reports.history.changed_after_sql): the
        # board asks it at every instant it is read at, and at today's finds none by a seek per action
        Index("ix_event_action_at", "action", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    actor: str = Field(max_length=64)
    # The account that acted for a role (the secretariat clerk's login, an API token's name), if known.
    actor_account: str | None = Field(default=None, max_length=64)
    action: str = Field(max_length=32)
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str | None = Field(default=None, max_length=16)
    comment: str | None = Field(default=None, sa_column=Column(Text))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
