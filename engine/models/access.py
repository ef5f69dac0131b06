"""Access grants behind the signed links sent to agencies and leaders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from dondoc.engine.models.types import AwareDateTime


class AccessGrant(SQLModel, table=True):
    """The current generation of links for one subject (``agency:so-tttt``, ``leader:chair``).

    A link carries the generation it was issued under; re-issuing bumps the generation,
    which revokes every older link, and ``revoked_at`` revokes them all.
    """

    __tablename__ = "access_grant"
    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(unique=True, index=True, max_length=96)
    generation: int = 1
    issued_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(AwareDateTime()))


class SweepRun(SQLModel, table=True):
    """One finished sweep pass: the next pass looks back to here, so a pause loses nothing."""

    __tablename__ = "sweep_run"
    id: int | None = Field(default=None, primary_key=True)
    now: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False, index=True))
    policy_version: str = Field(max_length=64)
    calendar_version: str = Field(default="", max_length=64)  # a change re-examines every row
    decisions: int = 0
