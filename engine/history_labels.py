"""How pages, the command line and exports name what a history holds (shown to users: Vietnamese):
each event's action, and each actor that is not an agency."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dondoc.engine.actors import RECIPIENT_LABELS_VI
from dondoc.engine.clock import DEFAULT_DAYS, local_date
from dondoc.engine.status import day_off_words
from dondoc.engine.vi_format import vn_date
from dondoc.engine.workflow import ACTION_LABELS_VI

# The history's events that are not actions of the rule book, and its actors that are not agencies.
EVENT_LABELS_VI = {
    **{action.value: label for action, label in ACTION_LABELS_VI.items()},
    "assign": "Giao nhiệm vụ",
    # work the text records as done when it was issued ("(đã hoàn thành)"): the text vouches for it, of
    # any date (04/KH-BCĐ II.1, due 28/02/2022, followed from 01/01/2022, is no "trước khi theo dõi")
    "import_done": "Ghi nhận đã hoàn thành theo văn bản",
    "catalog_due_changed": "Văn bản điều chỉnh hạn",
    "catalog_same_work": "Theo nhiệm vụ cùng nội dung ở văn bản khác",  # reported, verified or back to work with it
    # the work is the issue of a plan of the catalog (done_by_issue_of): done on its issue day
    "catalog_done_by_issue": "Hoàn thành theo ngày ban hành văn bản",
    "agency_transfer": "Chuyển cho cơ quan kế nhiệm",
    "transfer_pending": "Chờ phân công lại (cơ quan được giao đã không còn)",
    # a part a catalog load found resting on an inferred group alone, or named surely at last
    "catalog_membership_inferred": "Danh mục: giao theo danh sách thành viên nhóm do suy đoán, chờ xác nhận giao",
    "catalog_membership_confirmed": "Danh mục nêu rõ cơ quan: đã xác nhận giao",
}
ACTOR_LABELS_VI = {
    "secretariat": "Tổ giúp việc",
    "catalog": "Danh mục văn bản",
    "system": "Hệ thống",
    **RECIPIENT_LABELS_VI,
}


def date_set(data: Mapping[str, Any]) -> bool:
    """Whether an extension's event gave the part its first date rather than moving one (the document
    gave none: engine.workflow lets the secretariat set it by extending): its ``from_due`` is recorded
    empty. Its mail says "Đã đặt thời hạn", its history "đặt thời hạn", not "gia hạn", "hạn mới"."""
    return "from_due" in data and not data["from_due"]


def event_notes(data: Mapping[str, Any]) -> list[str]:
    """What a history line says beside its comment, of the figures and dates its event holds: the
    progress ("60 %"), a date set or moved ("hạn mới 18/07/2022", and why it is not the day asked:
    "đề nghị ngày 16/07/2022 là ngày nghỉ …"), the day a body asks for, the day reminders pause to.
    The part's page (each a tag) and ``dondoc assignments show`` say them alike: the command line had
    printed an extension's line with no date at all."""
    notes = []
    if data.get("percent") is not None:
        notes.append(f"{data['percent']} %")
    if data.get("to_due"):
        notes.append(f"{'đặt thời hạn' if date_set(data) else 'hạn mới'} {_day(data['to_due'])}")
        if data.get("asked_due"):
            notes.append(f"đề nghị {day_off_words(date.fromisoformat(str(data['asked_due'])[:10]))}")
    if data.get("requested_due"):
        notes.append(f"đề nghị hạn {_day(data['requested_due'])}")
    if data.get("snoozed_until"):
        notes.append(f"tạm dừng nhắc đến {_day(data['snoozed_until'])}")
    return notes


def _day(text: Any) -> str:
    """A day or instant an event's data holds as ISO text, as dd/mm/yyyy: the day as written."""
    return vn_date(date.fromisoformat(str(text)[:10]))


def given_apart(
    action: str, at: datetime, given_at: datetime | None, tz: ZoneInfo = DEFAULT_DAYS.tz
) -> tuple[Literal["from", "as_written"], date] | None:
    """The giving line of a part's history recorded on another day than its body is given it: "from"
    and the day when the body is given it from a later day (a later period's report, loaded with the
    catalog: "Đã giao từ ngày 01/01/2023"); "as_written" and the day when the text gave it before the
    line was recorded (a plan loaded after its issue: "ngày giao theo văn bản: 10/04/2019"); None
    for any other line. The part's page and the command line say it alike."""
    if action != "assign" or given_at is None:
        return None
    day = local_date(given_at, tz)
    if day == local_date(at, tz):
        return None
    return ("from", day) if given_at > at else ("as_written", day)
