"""Target figures (chỉ tiêu) of plan items, with per-agency targets."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Indicator(SQLModel, table=True):
    """ "Tỷ lệ … đạt 80%": a target value or range, compared as the text says."""

    __table_args__ = (UniqueConstraint("item_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="plan_item.id", index=True)
    code: str = Field(max_length=64)
    name: str
    unit: str = Field(max_length=32)
    comparison: str = Field(default=">=", max_length=2)
    target: float | None = None
    target_min: float | None = None
    target_max: float | None = None
    # the item's milestone whose date the target is to be met by (1, 2, …); 0: none, the text gives
    # the target no date (the plan year's end); None: the item's last dated milestone
    milestone_seq: int | None = None
    # the same target stated by another plan (the catalog's ``same_as``): a figure reported for either
    # counts for both (engine.services.indicators.latest_actuals)
    same_as_id: int | None = Field(default=None, foreign_key="indicator.id")
    # the same measure with another target, stated by another document (the catalog's
    # ``same_measure_as``: 04/KH-BCĐ II.11's 70 % fibre, 1834/UBND-KGVX 2's 65 %): one figure, a verdict per target
    same_measure_id: int | None = Field(default=None, foreign_key="indicator.id")


class IndicatorTarget(SQLModel, table=True):
    """The target one agency answers for, where it differs by agency group (117/KH-UBND II.1.c).

    ``scope`` is the group the target was set for: a district answers both for its own
    offices ("@ubnd-cap-huyen": 90 %) and for its communes ("@ubnd-cap-xa": 70 %).
    """

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("indicator_id", "agency_id", "scope"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    agency_id: int = Field(foreign_key="agency.id")
    scope: str = Field(default="", max_length=512)  # a list of agency codes can be long (117/KH-UBND II.1.c)
    target: float | None = None
    target_min: float | None = None
    target_max: float | None = None
