"""Agencies, agency groups and the committee roster."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dondoc.engine.actors import Recipient
from dondoc.engine.textfold import agency_search_text, keep_folded


class Agency(SQLModel, table=True):
    """A sở, ban, ngành, UBND huyện … that can be given tasks."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str
    short: str
    kind: str = Field(max_length=32)
    email: str | None = None
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    valid_from: date | None = None
    valid_to: date | None = None
    # the province it belongs to, as the catalog names it ("tỉnh Kon Tum"); None: the committee's own.
    # A plan's work goes only to bodies of the plan's province (engine.provinces)
    province: str | None = Field(default=None, max_length=64)
    # code and names folded (engine.textfold), kept by the ORM on every write; the search boxes match it
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


keep_folded(Agency, lambda row: agency_search_text(row.code, row.name, row.short, row.aliases or ()))


class AgencyGroup(SQLModel, table=True):
    """A named set of agencies ("các sở, ban, ngành")."""

    __tablename__ = "agency_group"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class AgencyGroupMember(SQLModel, table=True):
    """Expanded membership: every agency a group reaches, nested groups flattened."""

    __tablename__ = "agency_group_member"
    __table_args__ = (UniqueConstraint("group_id", "agency_id"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="agency_group.id", index=True, ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agency.id", index=True)


class CommitteeRole(StrEnum):
    """A seat on the roster: the three that receive mail are spelled as recipients (engine.actors)."""

    CHAIR = Recipient.CHAIR.value
    VICE_CHAIR = Recipient.VICE_CHAIR.value
    SECRETARIAT = Recipient.SECRETARIAT.value
    MEMBER = "member"


class CommitteeMember(SQLModel, table=True):
    """A seat on the Ban Chỉ đạo: who receives escalations and digests."""

    __tablename__ = "committee_member"
    __table_args__ = (UniqueConstraint("role", "agency_id", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    role: CommitteeRole = Field(sa_type=String(32), index=True)
    title: str
    name: str | None = None
    email: str | None = None
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    # the period the seat is held (None: open); an escalation goes to the holder on the day decided
    valid_from: date | None = None
    valid_to: date | None = None
