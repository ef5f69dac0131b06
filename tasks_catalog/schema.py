"""The shapes of the catalog files (see SCHEMA.md), validated with pydantic."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from dondoc.engine.actors import OLD_SPELLINGS, Leader
from dondoc.engine.deadlines import BeforeDateMeans

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
    # the province it belongs to ("tỉnh Kon Tum"); unset: the committee's own (engine.provinces)
    province: str | None = Field(default=None, min_length=1, max_length=64)
    # the body it exists for (a committee's working group): it ends with that body (loader: valid_to)
    part_of: str | None = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")


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


class Inferred(_Strict):
    """A group whose members the texts do not list: the catalog's reading of who they are, and why."""

    reason: str = Field(min_length=1)


class GroupEntry(_Strict):
    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    aliases: list[str] = []
    members: list[Code | MemberEntry] = Field(min_length=1)
    # set when the member list is the catalog's inference, not a list the texts give: a body reached
    # only through such a group is given the work unconfirmed (Assignment.inferred_group), and the
    # leaders are not told of its lateness until the secretariat confirms it (policy.told_while_withheld)
    inferred: Inferred | None = None
    notes: str | None = None


class Person(_Strict):
    title: str
    name: str | None = None
    email: str | None = None
    agency: str | None = None
    # the period this person or body holds the seat (the roster is dated: engine.escalation.recipients)
    valid_from: date | None = None
    valid_to: date | None = None


class Seat(Person):
    """A later holder of a seat on the roster (``committee.roster``), with its legal source."""

    role: Literal["chair", "vice-chair", "secretariat"]
    source: str | None = None
    confirmed: bool = True


class Committee(_Strict):
    name: str
    chair: Person
    # Written "vice-chair:"; the key's older spellings are read too.
    vice_chair: Person = Field(validation_alias=AliasChoices(Leader.VICE_CHAIR.value, *OLD_SPELLINGS))
    secretariat: Person
    # later holders of the three seats, each from its date (the seats above hold until then)
    roster: list[Seat] = []
    members: list[str] = []
    notes: str | None = None


class Directory(_Strict):
    agencies: list[AgencyEntry]
    groups: list[GroupEntry] = []
    committee: Committee


SuccessionKind = Literal["rename", "merge", "split", "absorb", "dissolve"]


class SuccessorEntry(_Strict):
    agency: str
    functions: list[str] = []  # a split: which functions go to this successor


class ShapeError(ValueError):
    """A succession of the wrong shape: said in English (catalog validate) and in Vietnamese (``vi``:
    the secretariat's page, the CLI that records one)."""

    def __init__(self, message: str, vi: str) -> None:
        super().__init__(message)
        self.vi = vi


class SuccessionEntry(_Strict):
    """What happened to one or more agencies on one date (successions.yaml, SCHEMA.md)."""

    key: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    kind: SuccessionKind
    on: date = Field(alias="date")  # the first day the successors hold the work
    from_: list[str] = Field(alias="from", min_length=1)
    to: list[SuccessorEntry] = []
    source: str = Field(min_length=1)  # the legal source
    confirmed: bool = True  # False: the source could not be checked (README says which)
    notes: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> SuccessionEntry:
        n_from, n_to = len(self.from_), len(self.to)
        if self.kind == "dissolve" and n_to:
            raise ShapeError(
                "a dissolution has no successor (to: must be empty)", "giải thể thì không có cơ quan kế nhiệm"
            )
        if self.kind in ("rename", "absorb") and (n_from, n_to) != (1, 1):
            vi = "đổi tên" if self.kind == "rename" else "sáp nhập"
            raise ShapeError(
                f"a {self.kind} takes one agency to one successor", f"{vi}: một cơ quan cũ và đúng một cơ quan kế nhiệm"
            )
        if self.kind == "merge" and n_to != 1:
            raise ShapeError("a merge has exactly one successor", "hợp nhất: đúng một cơ quan kế nhiệm")
        if self.kind == "split":
            if n_from != 1 or n_to < 2:
                raise ShapeError(
                    "a split takes one agency to two or more successors",
                    "tách theo chức năng: một cơ quan cũ và từ hai cơ quan kế nhiệm trở lên",
                )
            if any(not t.functions for t in self.to):
                raise ShapeError(
                    "a split names the functions each successor takes (to[].functions)",
                    "tách theo chức năng: ghi các chức năng mỗi cơ quan kế nhiệm nhận",
                )
        return self


class SuccessionsFile(_Strict):
    successions: list[SuccessionEntry] = []


class PlanMeta(_Strict):
    number: str
    kind: Literal["ke_hoach", "cong_van", "thong_bao"]
    issued: date
    # the date as the text writes it, when it gives no whole day ("ngày … tháng 01 năm 2022": the
    # day left blank): pages show it, with ``issued`` as the day counted from
    issued_as_written: str | None = None
    issuer: str
    title: str
    source_file: str | None = None
    year: int
    notes: str | None = None
    # the province whose plan it is, as its bodies' ``province``; unset: the committee's own
    province: str | None = Field(default=None, min_length=1, max_length=64)


class MilestoneEntry(_Strict):
    label: str | None = None
    deadline: str
    # a condition the text sets next to the date ("Khi có hướng dẫn của Bộ …"): the date is kept
    precondition: str | None = None
    # item codes of another plan that describe this very obligation: when one is done for an agency,
    # this milestone is too (overrides the item's ``same_work_as`` for this milestone)
    same_work_as: list[str] | None = None
    # the number of a plan in the catalog whose issue is this milestone's work (the Thông báo's "ban
    # hành Kế hoạch hoạt động … năm 2022" is 04/KH-BCĐ itself): done on that plan's issue day, the
    # plan its source, once that plan is loaded (engine.services.catalog_sync)
    done_by_issue_of: str | None = None
    # the item's implementers (partners) this milestone concerns, where its words narrow them ("Bộ
    # phận Một cửa tỉnh": the province's bodies, not the district committees): each one of the
    # item's own, or a member of a group it names; never another body (the text names them for the item)
    implementers: list[str] | None = None
    partners: list[str] | None = None
    # the text's "nhiệm vụ trọng tâm" for this milestone alone, where it differs from the item's
    # ``priority`` (1834/UBND-KGVX item 2 flags its radio bullet only); unset: the item's
    priority: bool | None = None


class GroupTarget(_Strict):
    agencies: list[Code] = Field(min_length=1)
    target: float | None = None
    target_range: tuple[float, float] | None = None
    notes: str | None = None


class SameTarget(_Strict):
    """The same target stated by another plan (its item's code and the indicator's code there)."""

    item: str
    indicator: str


class IndicatorEntry(_Strict):
    code: str
    name: str
    unit: str
    target: float | None = None
    target_range: tuple[float, float] | None = None
    comparison: Literal[">=", ">", "<=", "<", "="] = ">="
    by_group: list[GroupTarget] = []
    # the item's milestone whose date the target is to be met by (1, 2, …); 0: the text gives the
    # target no date (the plan year's end); absent: the item's last dated milestone
    milestone: int | None = Field(default=None, ge=0)
    # the same target in another plan (117/KH-UBND II.5's 65 % fibre is 1834/UBND-KGVX 2's): a figure
    # a body reports for either counts for both, and a report lists the target once
    # (engine.services.indicators.latest_actuals); same unit, comparison and target, checked at load
    same_as: SameTarget | None = None
    # the same measure stated by another document with another target (04/KH-BCĐ II.11's 70 % of
    # households on fibre, 1834/UBND-KGVX 2's 65 %): the figure is one, each target judged apart
    same_measure_as: SameTarget | None = None
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
    # the heading the text gives the lead when it is not "chủ trì" (04/KH-BCĐ: "Cơ quan tham mưu"):
    # the lead's part is shown in its word (engine.models.assignments.role_label)
    lead_heading: str | None = None
    implementers: str | None = None
    partners: str | None = None


class UnnamedEntry(_Strict):
    """A phrase in a role position that names nobody ("các cơ quan, đơn vị liên quan"): recorded as
    "chưa xác định cơ quan", it creates no assignment until the secretariat names the bodies."""

    role: Literal["lead", "implementer", "partner"]
    phrase: str = Field(min_length=1)


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
    unnamed: list[UnnamedEntry] = []  # "chưa xác định cơ quan": phrases that name nobody, as written
    deadline: str | None = None
    milestones: list[MilestoneEntry] = []
    # a condition the text sets next to the date, for every milestone (61/KH-UBND PL.I.2: "Quý
    # IV/2019" with the note "Khi có hướng dẫn của Bộ TT&TT"): the date is kept, the condition shown
    precondition: str | None = None
    priority: bool = False
    done_at_issue: bool = False
    # item codes of another plan that describe the same work (or supersede this item): an agency's
    # assignment follows its done (verified) work there (engine.services.catalog_sync)
    same_work_as: list[str] = []
    indicators: list[IndicatorEntry] = []
    notes: str | None = None


class ReportingEntry(_Strict):
    code: str
    title: str
    content: str | None = None
    source: str
    reporters: list[Code] = Field(min_length=1)
    # the reporters' part as the text words it, where it gives one: ``lead`` (the body as written)
    # makes them the duty's lead, shown "Chủ trì" (1834/UBND-KGVX 2: "Sở Thông tin và Truyền thông
    # chủ trì") or in ``lead_heading``'s word (61/KH-UBND VI.3.e: "Tham mưu để UBND tỉnh báo cáo");
    # without it they do the report: "Thực hiện"
    roles_as_written: RolesAsWritten = RolesAsWritten()
    recipient: str | None = None
    period: Literal["quarter", "half_year", "year", "once"]
    # "text": the days below are the document's; "convention": the text gives none, the days come
    # from conventions.yaml (report_days) and are labelled as the secretariat's convention
    dates: Literal["text", "convention"] = "text"
    # the text words the due day "trước ngày <due_day>": read as conventions.yaml before_date_means says
    due_before: bool = False
    due_day: int | None = Field(default=None, ge=1, le=31)
    # months after the period's last month; negative: before it ends (a yearly report due "trước ngày
    # 15/10 hằng năm", October of the year it reports on: −2)
    due_month_offset: int = Field(default=0, ge=-11, le=12)
    cutoff_start_day: int | None = Field(default=None, ge=1, le=31)
    cutoff_end_day: int | None = Field(default=None, ge=1, le=31)
    first_period: str | None = None
    last_period: str | None = None
    deadline: str | None = None
    # a one-off report's period as the text names it, its milestone's label (04/KH-BCĐ III.2's "báo
    # cáo năm trước ngày 30/11/2022": "Năm 2022"); a recurring report's periods label themselves
    label: str | None = None
    same_work_as: list[str] = []  # as for items: the same report, required by another plan
    notes: str | None = None

    @model_validator(mode="after")
    def _reporters_part(self) -> ReportingEntry:
        written = self.roles_as_written
        if written.implementers is not None or written.partners is not None:
            raise ValueError("a report duty's roles_as_written gives the reporters' part: lead (and lead_heading)")
        if written.lead_heading is not None and written.lead is None:
            raise ValueError("roles_as_written.lead_heading is the lead's word: give roles_as_written.lead too")
        return self

    @model_validator(mode="after")
    def _once_has_deadline(self) -> ReportingEntry:
        months = MONTHS_PER_PERIOD.get(self.period)
        if months is not None and self.due_month_offset <= -months:
            raise ValueError(
                f"due_month_offset {self.due_month_offset} puts the due day before the {self.period} begins "
                f"(at least {1 - months})"
            )
        if self.period == "once" and not self.deadline:
            raise ValueError('a one-off report ("period: once") needs a deadline phrase')
        if self.label is not None and self.period != "once":
            raise ValueError(
                'label is for a one-off report ("period: once"): each period of a recurring one has its own'
            )
        if self.dates == "convention":
            given = [f for f in _REPORT_DAYS if f in self.model_fields_set]
            if given:
                raise ValueError(
                    f"dates: convention takes the days from conventions.yaml (report_days); remove {', '.join(given)}"
                )
            if self.period == "once":
                raise ValueError('dates: convention is for a recurring report, not "period: once"')
            if not self.deadline:
                raise ValueError(
                    'dates: convention needs deadline: the text\'s own words (e.g. "Định kỳ 6 tháng, 1 năm")'
                )
        return self


_REPORT_DAYS = ("due_day", "due_month_offset", "cutoff_start_day", "cutoff_end_day")
MONTHS_PER_PERIOD = {"quarter": 3, "half_year": 6, "year": 12}


class ReportDays(_Strict):
    """The days of a periodic report whose text gives none (conventions.yaml ``report_days``)."""

    due_day: int = Field(ge=1, le=31)
    due_month_offset: int = Field(default=0, ge=0, le=12)
    cutoff_start_day: int | None = Field(default=None, ge=1, le=31)
    cutoff_end_day: int | None = Field(default=None, ge=1, le=31)
    basis: str


class Conventions(_Strict):
    """conventions.yaml: what the secretariat sets where the documents are silent. One place."""

    before_date_means: BeforeDateMeans = BeforeDateMeans.END_OF_DAY
    report_days: ReportDays | None = None


class PlanFile(_Strict):
    plan: PlanMeta
    items: list[ItemEntry] = []
    reporting: list[ReportingEntry] = []
