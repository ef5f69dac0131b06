"""The shapes of the catalog files (see SCHEMA.md), validated with pydantic."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from dondoc.engine.actors import OLD_SPELLINGS, Leader

Code = str  # an agency code, or "@group" for a group


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AgencyEntry(_Strict):
    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    short: str
    kind: Literal["so", "ban_nganh", "trung_uong", "doanh_nghiep", "doan_the", "huyen", "bcd", "khac"]
    aliases: list[str] = []
    email: str | None = Field(
        default=None, pattern=r"^[^@\s]+@([a-z0-9-]+\.)*(example|example\.(com|org|net)|test|invalid)$"
    )
    valid_from: date | None = None
    valid_to: date | None = None


class MemberEntry(_Strict):
    """A group member with the period it belongs to the group (``members:`` may mix these and bare codes)."""

    code: Code
    valid_from: date | None = None
    valid_to: date | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _forwards(self) -> MemberEntry:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(f"valid_from {self.valid_from} is after valid_to {self.valid_to}")
        return self


class GroupEntry(_Strict):
    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    aliases: list[str] = []
    members: list[Code | MemberEntry] = Field(min_length=1)
    notes: str | None = None


class Person(_Strict):
    title: str
    name: str | None = None
    email: str | None = None
    agency: str | None = None


class Committee(_Strict):
    name: str
    chair: Person
    # Written "vice-chair:"; the key's older spellings are read too.
    vice_chair: Person = Field(validation_alias=AliasChoices(Leader.VICE_CHAIR.value, *OLD_SPELLINGS))
    secretariat: Person
    members: list[str] = []
    notes: str | None = None


class Directory(_Strict):
    agencies: list[AgencyEntry]
    groups: list[GroupEntry] = []
    committee: Committee


class PlanMeta(_Strict):
    number: str
    kind: Literal["ke_hoach", "cong_van", "thong_bao"]
    issued: date
    issuer: str
    title: str
    source_file: str | None = None
    year: int
    notes: str | None = None


class MilestoneEntry(_Strict):
    label: str | None = None
    deadline: str


class GroupTarget(_Strict):
    agencies: list[Code] = Field(min_length=1)
    target: float | None = None
    target_range: tuple[float, float] | None = None
    notes: str | None = None


class IndicatorEntry(_Strict):
    code: str
    name: str
    unit: str
    target: float | None = None
    target_range: tuple[float, float] | None = None
    comparison: Literal[">=", ">", "<=", "<", "="] = ">="
    by_group: list[GroupTarget] = []
    notes: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> IndicatorEntry:
        if self.target is None and self.target_range is None and not self.by_group:
            raise ValueError("an indicator needs target, target_range or by_group")
        if self.target is not None and self.target_range is not None:
            raise ValueError("give target or target_range, not both")
        if self.target_range is not None and self.target_range[0] > self.target_range[1]:
            raise ValueError(f"target_range {list(self.target_range)} runs backwards")
        return self


class RolesAsWritten(_Strict):
    lead: str | None = None
    implementers: str | None = None
    partners: str | None = None


class ItemEntry(_Strict):
    code: str
    section: str
    title: str
    content: str
    source: str
    roles_as_written: RolesAsWritten = RolesAsWritten()
    lead: list[Code] = []
    implementers: list[Code] = []
    partners: list[Code] = []
    deadline: str | None = None
    milestones: list[MilestoneEntry] = []
    priority: bool = False
    done_at_issue: bool = False
    indicators: list[IndicatorEntry] = []
    notes: str | None = None


class ReportingEntry(_Strict):
    code: str
    title: str
    content: str | None = None
    source: str
    reporters: list[Code] = Field(min_length=1)
    recipient: str | None = None
    period: Literal["quarter", "half_year", "year", "once"]
    due_day: int | None = Field(default=None, ge=1, le=31)
    due_month_offset: int = Field(default=0, ge=0, le=12)
    cutoff_start_day: int | None = Field(default=None, ge=1, le=31)
    cutoff_end_day: int | None = Field(default=None, ge=1, le=31)
    first_period: str | None = None
    last_period: str | None = None
    deadline: str | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _once_has_deadline(self) -> ReportingEntry:
        if self.period == "once" and not self.deadline:
            raise ValueError('a one-off report ("period: once") needs a deadline phrase')
        return self


class PlanFile(_Strict):
    plan: PlanMeta
    items: list[ItemEntry] = []
    reporting: list[ReportingEntry] = []
