"""The installation: facts about this dondoc as a whole, one row."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from dondoc.engine.models.types import AwareDateTime


class Installation(SQLModel, table=True):
    """The day the committee started to track its plans with dondoc (``dondoc init --tracking-start``).

    A milestone due before it, of a plan issued before it, is "trước khi theo dõi": shown, never
    escalated, counted apart, unless the plan is opted in (``Plan.tracked``). No row: everything
    is tracked. ``tracking_from`` is the start of that day in the installation's zone, so SQL
    compares due instants with it directly."""

    id: int | None = Field(default=None, primary_key=True)
    tracking_start: date
    tracking_from: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))


class ReplayMark(SQLModel, table=True):
    """This database is a replay (``dondoc simulate``, ``serve --demo``): commands may write at a
    ``--now`` in the past. One row or none; a live database has none, and the command line refuses
    a past ``--now`` for any command that writes to it. Kept apart from :class:`Installation`, whose
    row means "a tracking start is set"."""

    __tablename__ = "replay_mark"
    id: int | None = Field(default=None, primary_key=True)
    marked_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    fingerprint: str | None = Field(default=None, max_length=64)  # what a demo replay was built from
