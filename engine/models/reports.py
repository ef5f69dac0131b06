"""Reported actual values of indicators (chỉ tiêu): an append-only history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from dondoc.engine.models.types import AwareDateTime


class IndicatorActual(SQLModel, table=True):
    """One reported value of an indicator, for one agency, scope and period.

    Never updated: a correction is a new row, and the latest row per
    (indicator, agency, scope, period) is the value that counts; older rows are the history.
    """

    __tablename__ = "indicator_actual"
    __table_args__ = (
        Index("ix_indicator_actual_latest", "indicator_id", "agency_id", "scope", "period_code", "reported_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    agency_id: int = Field(foreign_key="agency.id", index=True)
    scope: str = Field(default="", max_length=512, description="the group the target was set for, as IndicatorTarget")
    period_code: str = Field(max_length=16, index=True, description="2022-Q1 | 2022-H1 | 2022")
    value: float
    note: str | None = Field(default=None, sa_column=Column(Text))
    attachment_path: str | None = Field(default=None, max_length=512)
    reported_at: datetime = Field(sa_column=Column(AwareDateTime(), nullable=False))
    reported_by: str = Field(max_length=64, description="the actor label: an agency code or 'secretariat'")
