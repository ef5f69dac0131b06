"""Vietnamese wording shared by the renderers: column titles and categories (dates and numbers:
engine.vi_format)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.models.assignments import ROLE_LABELS_VI, Role
from dondoc.engine.reports.counted import Counted, convention_words, unconfirmed_words
from dondoc.engine.reports.rates import AgencyRates, ToCome
from dondoc.engine.status import CATEGORY_LABELS_VI, Category
from dondoc.engine.textfold import fold
from dondoc.engine.vi_format import vn_count, vn_date
from dondoc.tasks_catalog.cycles import period_in_sentence, period_label

if TYPE_CHECKING:
    from dondoc.engine.reports.data import ReportData

CATEGORIES = [c for c in Category if c is not Category.CANCELLED]  # columns of the count tables
CATEGORY_HEADERS = [CATEGORY_LABELS_VI[c] for c in CATEGORIES]
DUTY_STATUS_VI = {"late": "Báo cáo trễ hạn", "missing": "Chưa báo cáo (quá hạn)"}

# Section I counts every task given until the report's day, not the period's: said beside it, in each format
# and it counts parts (one body's share of one milestone: an item of 27 bodies is 27), not items
SUMMARY_SCOPE = (
    "Bảng tổng hợp chung đếm phần việc (phần của mỗi cơ quan ở mỗi mốc của một nhiệm vụ: một nhiệm vụ giao "
    "27 cơ quan là 27 phần việc), mọi phần việc đã giao đến ngày số liệu (cả các kỳ trước), không riêng của kỳ"
)
PERIOD_FIGURES = "số liệu riêng của kỳ (phần việc đến hạn trong kỳ, tỷ lệ đúng hạn) ở phần theo cơ quan, đơn vị"


# what the period's notes say they are left out of: the sheet by body's counted columns
LEFT_OUT = "số phần việc đến hạn trong kỳ và tỷ lệ hoàn thành đúng hạn ở phần theo cơ quan, đơn vị"


def as_of_words(as_of: datetime, tz: ZoneInfo = DEFAULT_DAYS.tz) -> str:
    """The instant a report's figures are judged at, in words: "20/06/2022" at a day's end (a period
    read after it), "07:00 ngày 20/06/2022" within a day (a report mailed on a morning: its figures
    are of that hour, not of the whole day)."""
    local = as_of.astimezone(tz)
    if (local.hour, local.minute) == (23, 59):
        return vn_date(local)
    return f"{local:%H:%M} ngày {vn_date(local)}"


def file_name(period_code: str, fmt: str) -> str:
    """The report's file, named by its period in words without marks, as the mail that attaches it and
    the page that downloads it say it: "bao-cao-quy-iii-2022.xlsx", "bao-cao-6-thang-dau-nam-2022.xlsx"
    (it was "bao-cao-2022-Q3.xlsx", the period's code, "Q" and "H" quoted to the chair)."""
    words = re.sub(r"[^0-9a-z]+", "-", fold(period_label(period_code))).strip("-")
    return f"bao-cao-{words}.{fmt}"


def mailed_words(data: ReportData) -> str | None:
    """What a reading of a period says of the report of it mailed to the leaders, when its figures are
    judged at another instant: the six-month report of 2022 was mailed with its figures of 07:00 on
    20/06 ("0 phần việc quá hạn"), and read in July to 30/06 (9) under the same title, with no word of
    the other. None when it was not mailed, or its figures are the mailed ones'."""
    if data.mailed_at is None or data.mailed_as_of is None or data.mailed_as_of == data.as_of:
        return None
    period = period_in_sentence(data.period_label)
    return (
        f"Báo cáo {period} đã gửi Lãnh đạo ngày {vn_date(data.mailed_at)} với số liệu đến "
        f"{as_of_words(data.mailed_as_of)}; bản này tính số liệu đến {as_of_words(data.as_of)}, "
        "nên số liệu có thể khác bản đã gửi (bản đã gửi tải được ở trang Báo cáo định kỳ)."
    )


def still_to_come(to_come: ToCome) -> str | None:
    """The sentence for a report judged before its period's tasks are all due (a quarter's on the
    25th of its last month): how many the rates by body leave out; None when none."""
    if not to_come.total:
        return None
    done = f"; {vn_count(to_come.done)} trong số đó đã báo cáo hoàn thành" if to_come.done else ""
    return (
        f"{vn_count(to_come.total)} phần việc của kỳ (mọi vai trò{done}) có thời hạn sau thời điểm số liệu, "
        "chưa tính vào " + LEFT_OUT
    )


def before_tracking(n: int, day: date | None, reports: int = 0, whose: str = "của kỳ") -> str | None:
    """The sentence for the period's tasks (``n``) and periodic reports owed (``reports``, ``whose``:
    :func:`reports_before`) due before the installation's tracking start: never followed here, so not
    in the rates by body; None when none."""
    if not n and not reports:
        return None
    said = []
    if n:
        said.append(
            f"{vn_count(n)} phần việc của kỳ (mọi vai trò) đến hạn trước ngày bắt đầu theo dõi ({vn_date(day)}), "
            "không tính vào " + LEFT_OUT
        )
    if reports:
        when = "đó" if n else f"bắt đầu theo dõi ({vn_date(day)})"
        said.append(
            f"{reports_before(reports, whose, when)}, không tính vào số báo cáo "
            "đến hạn và tỷ lệ báo cáo đúng hạn ở phần theo cơ quan, đơn vị"
        )
    return "; ".join(said)


def reports_before(n: int, whose: str, when: str) -> str:
    """ "4 lần báo cáo định kỳ Quý III/2024 đến hạn trước ngày bắt đầu theo dõi (01/10/2024)": the
    periodic reports due before the tracking start, in the words every part of the report says them;
    ``whose``: "của kỳ", or the periods they are of (:func:`reports_whose`); ``when``: the day."""
    return f"{vn_count(n)} lần báo cáo định kỳ {whose} đến hạn trước ngày {when}"


def reports_whose(periods: Sequence[str], windowed: bool) -> str:
    """Whose periodic reports: "của kỳ", or on a data cut-off window (61/KH-UBND VI.7) the periods
    they are of ("Quý IV/2024"), the previous quarter's: the period's own fall due after the window."""
    if not windowed:
        return "của kỳ"
    return ", ".join(dict.fromkeys(periods)) or "có hạn trong thời gian chốt số liệu"


def reports_scope(periods: Sequence[str], windowed: bool) -> str:
    """What a line on the periodic reports counts: "của kỳ", or on a data cut-off window "có hạn trong
    thời gian chốt số liệu (Quý IV/2024)": the reports due in the window, not the period's own."""
    if not windowed:
        return "của kỳ"
    named = ", ".join(dict.fromkeys(periods))
    return "có hạn trong thời gian chốt số liệu" + (f" ({named})" if named else "")


def reports_of(periods: Sequence[str], windowed: bool) -> str:
    """Whose reports the mail's subject says are not sent: "của kỳ", or on a data cut-off window
    "định kỳ Quý IV/2024" (``periods``), "định kỳ" when there are none."""
    if not windowed:
        return "của kỳ"
    named = ", ".join(dict.fromkeys(periods))
    return f"định kỳ {named}" if named else "định kỳ"


def no_duties_words(data: ReportData, here: str = "ở phần này", *, later: bool = True) -> str:
    """What section IV says when it lists no report sent late or not sent: whose reports (the period's,
    or on a cut-off window those due in it, the previous period's: :func:`reports_scope`), and never
    "đầy đủ" of those due before the tracking start, which nobody followed (the 2024 replay's Quý IV
    said "Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo của kỳ" of 4 reports of Quý III/2024 never sent).
    ``here``: where they are not counted (the mail's summary says it of itself, in the same words).
    Nor "đầy đủ" of reports whose date is still to come (the six-month report read on the morning of
    20/06/2022 said it with the evening's reports of its second quarter not sent): of those due by
    the report's instant, and (``later``: the mail says them on a line of its own) how many are to come."""
    whose = reports_scope(data.duty_periods, data.windowed)
    unknown = unfollowed_words(data, here)
    if unknown is None:
        to_come = data.reports_due_later
        if data.reports_followed and to_come.total:
            when = as_of_words(data.as_of)
            said = f"Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo định kỳ {whose} đã đến hạn (đến {when})"
            if later:
                said += (
                    f"; {vn_count(to_come.total)} lần báo cáo định kỳ {whose} có hạn sau thời điểm đó "
                    f"({vn_count(to_come.done)} đã gửi), không tính {here}"
                )
            return said + "."
        if data.reports_followed:
            return f"Các cơ quan đã gửi đầy đủ, đúng hạn báo cáo định kỳ {whose}."
        if data.windowed:
            return "Không có báo cáo định kỳ nào có hạn trong thời gian chốt số liệu."
        return "Không có báo cáo định kỳ nào của kỳ đã đến hạn."
    if data.reports_followed:
        return f"Không có báo cáo định kỳ {whose} gửi trễ hoặc quá hạn chưa gửi {FOLLOWED_ONLY}; {unknown}."
    return f"Không có báo cáo định kỳ {whose} được theo dõi: {unknown}."


def duties_scope(data: ReportData) -> str | None:
    """What section IV lists, when it lists more than the reports due in the window (or the period):
    the earlier periods' reports still not sent (section V lists them too), and on a data cut-off
    window the period's own reports, judged at the reading (a report due after it is not late yet,
    only counted). The 2022 replay's Quý IV/2022 report listed 19 rows, none of the eight reports of
    Quý I and Quý II never sent; its Quý III none of the nine agencies' Quý III reports due on 20/09.
    None when it lists only the window's."""
    if not data.earlier_duties and data.own_as_of is None:
        return None
    when = as_of_words(data.as_of)
    whose = reports_scope(data.duty_periods, data.windowed)
    parts = [f"báo cáo định kỳ {whose} gửi trễ hoặc chưa gửi, tính đến {when}"]
    if data.earlier_duties:
        periods = ", ".join(dict.fromkeys(d.period_text for d in data.earlier_duties))
        parts.append(f"báo cáo định kỳ của các kỳ trước ({periods}) vẫn chưa gửi, tính đến {when} (cũng ở phần V)")
    if data.own_as_of is not None:
        later = data.own_due_later
        to_come = (
            f" ({vn_count(later.total)} lần báo cáo có hạn sau thời điểm đó, chưa quá hạn, không liệt kê)"
            if later.total
            else ""
        )
        parts.append(f"{own_reports(data)} gửi trễ hoặc chưa gửi, tính đến {as_of_words(data.own_as_of)}{to_come}")
    return "Phần này liệt kê " + "; ".join(parts) + "."


def own_reports(data: ReportData) -> str:
    """ "báo cáo định kỳ Quý III/2022 của các cơ quan (có hạn sau thời gian chốt số liệu)"."""
    return f"báo cáo định kỳ {data.own_period} của các cơ quan (có hạn sau thời gian chốt số liệu)"


def own_reports_words(data: ReportData, late: int, missing: int, apart: str | None = None) -> str | None:
    """The mail's line of the period's own reports due after its cut-off window, judged at the
    reading (:attr:`ReportData.own_duties`): "Báo cáo định kỳ Quý III/2022 của các cơ quan (có hạn
    sau thời gian chốt số liệu), tình hình đến 07:00 ngày 26/09/2022: 0 gửi trễ, 9 quá hạn chưa gửi;
    1 lần báo cáo có hạn sau thời điểm đó, chưa quá hạn (0 đã gửi)"; ``late``, ``missing``: those the
    mail counts, ``apart``: what it leaves out ("không kể …"). None off a cut-off window."""
    if data.own_as_of is None:
        return None
    if late or missing:
        said = f"{vn_count(late)} gửi trễ, {vn_count(missing)} quá hạn chưa gửi"
    elif data.own_due:
        said = "các cơ quan đã gửi đầy đủ, đúng hạn các báo cáo đã đến hạn"
    else:
        said = "chưa có báo cáo nào đến hạn"
    said += f" ({apart})" if apart else ""
    later = data.own_due_later
    if later.total:
        sent = f"{vn_count(later.done)} đã gửi"
        said += f"; {vn_count(later.total)} lần báo cáo có hạn sau thời điểm đó, chưa quá hạn ({sent})"
    own = own_reports(data)
    return f"{own[:1].upper()}{own[1:]}, tình hình đến {as_of_words(data.own_as_of)}: {said}"


def duties_under(data: ReportData, here: str = "ở phần này") -> str | None:
    """What section IV says under its rows, in every format: of the window's reports, with none of
    them listed, whose and what it does not know (:func:`no_duties_words`), else those nobody
    followed (:func:`duties_note`). (Which reports it lists: :func:`duties_scope`, under its title.)"""
    return duties_note(data, here) if data.duties else no_duties_words(data, here)


# what a statement of the reports owed holds of, when some were due before the tracking start
FOLLOWED_ONLY = "trong số được theo dõi"


def duties_note(data: ReportData, here: str = "ở phần này") -> str | None:
    """What section IV says under its rows of the period's reports due before the tracking start,
    which it never lists (nobody followed them): the 2022 replay's six-month report listed ten reports
    of Quý II and said nothing of eight of Quý I never sent, its only word of them scoped to section
    II. None when the section has no row (:func:`no_duties_words` says it then) or there are none.
    ``here``: where the rows are (the workbook's sheet «Báo cáo định kỳ»: "ở trang này")."""
    unknown = unfollowed_words(data, here) if data.duties else None
    return f"{unknown[:1].upper()}{unknown[1:]}." if unknown else None


def overdue_words(data: ReportData, here: str = "ở phần này") -> tuple[str | None, str | None]:
    """Section V's words: what it says with no row (never a bare "Không có nhiệm vụ quá hạn": the 2021
    report said it of a year whose 1,216 parts were all due before the tracking start, many open past
    their dates), and the note under it of the work due before the tracking start, which it never
    lists (nobody followed it), when there is any: (empty, note)."""
    before = data.totals.counts.get(Category.BEFORE_TRACKING.value, 0)
    note = None
    if before and data.tracking_start is not None:
        note = (
            f"{vn_count(before)} phần việc có hạn trước ngày bắt đầu theo dõi ({vn_date(data.tracking_start)}), "
            f"xong hay chưa, không được theo dõi, không liệt kê {here} (cột «Trước khi theo dõi» ở mục I)."
        )
    if data.overdue:
        return None, note
    return (
        "Không có phần việc quá hạn trong các phần việc được theo dõi." if note else "Không có phần việc quá hạn."
    ), note


def unfollowed_words(data: ReportData, here: str | None = None) -> str | None:
    """ "33 lần báo cáo định kỳ Quý III/2024 đến hạn trước ngày bắt đầu theo dõi (01/10/2024): không được
    theo dõi": the periodic reports of ``data`` due before the tracking start, whatever became of them
    (nobody followed them: four of those of the 2025 replay's Quý IV/2024 were never sent), in the words
    section IV says them (:func:`no_duties_words`) and the mail's subject, shortened (``here``: where
    they are not counted; None: not said); None when none."""
    before = sum(a.rates.reports_before_tracking for a in data.by_agency)
    if not before:
        return None
    unknown = reports_before(
        before,
        reports_whose(data.duty_periods_before, data.windowed),
        f"bắt đầu theo dõi ({vn_date(data.tracking_start)})",
    )
    return f"{unknown}: không được theo dõi" + (f", không tính {here}" if here else "")


def period_notes(data: ReportData) -> list[str]:
    """What section I counts twice, and what the period's rates by body leave out (and count that the
    leaders' ranking leaves out), said under section I in every format."""
    earlier = before_tracking(
        sum(a.rates.tasks_before_tracking for a in data.by_agency),
        data.tracking_start,
        sum(a.rates.reports_before_tracking for a in data.by_agency),
        reports_whose(data.duty_periods_before, data.windowed),
    )
    notes = (
        EVERY_ROLE if data.by_agency else "",
        twice(data.counted_twice),
        given_late(data.given_late),
        still_to_come(data.due_later),
        earlier,
        judged_later(data.judged_later),
        unconfirmed(data),
        day_unknown(data),
        by_convention(data),
        held_on_their_dates(data),
        ended_bodies(data.ended),
    )
    return [note for note in notes if note]


def held_on_their_dates(data: ReportData) -> str:
    """The period's parts a succession passed on after their date: the body that holds them at the
    period's end has them in its columns, the body that held each on its date in its rates
    (engine.reports.rates.DueRow.counted_for), or, those no rate counts (due before the tracking
    start, given after their date, given on a guess, done on a day no text gives), among its parts
    set apart as any body's are (AgencyRates.received_late_apart). Without a word a reader of a
    successor's row saw an overdue report in its columns that its rate did not count; and the note
    had counted only those the rates count, the others moving to the earlier body's count apart
    unsaid."""
    n = sum(a.rates.received_late for a in data.by_agency)
    apart: dict[str, int] = {}
    for a in data.by_agency:
        for how, k in a.rates.received_late_apart.items():
            apart[how] = apart.get(how, 0) + k
    set_apart = sum(apart.values())
    if not n and not set_apart:
        return ""
    columns = "các cột theo tình hình thực hiện xếp các phần việc này theo cơ quan giữ phần việc vào ngày số liệu"
    if not set_apart:
        return (
            f"{vn_count(n)} phần việc đến hạn trong kỳ được chuyển giao sau thời hạn (do tổ chức lại cơ quan) tính "
            "vào số đến hạn và các tỷ lệ của cơ quan được giao vào ngày đến hạn, không của cơ quan nhận chuyển giao; "
            + columns
        )
    why = "; ".join(f"{vn_count(apart[how.value])} {words}" for how, words in _APART_WORDS if apart.get(how.value))
    counted = f"{vn_count(n)} phần việc vào số đến hạn và các tỷ lệ của cơ quan đó; " if n else ""
    return (
        f"{vn_count(n + set_apart)} phần việc đến hạn trong kỳ được chuyển giao sau thời hạn (do tổ chức lại cơ "
        "quan) được tính cho cơ quan được giao vào ngày đến hạn, không cho cơ quan nhận chuyển giao: "
        f"{counted}{vn_count(set_apart)} phần việc không tính tỷ lệ, để riêng như mọi phần việc cùng loại ({why}); "
        + columns
    )


# Why a part passed on after its date is in no rate (engine.reports.counted.Counted), in the order said
_APART_WORDS = (
    (Counted.BEFORE_TRACKING, "có hạn trước ngày bắt đầu theo dõi"),
    (Counted.GIVEN_LATE, "được giao khi đã quá thời hạn của phần việc"),
    (Counted.UNCONFIRMED, "giao theo danh sách nhóm suy đoán, chưa được xác nhận giao"),
    (Counted.DAY_UNKNOWN, "không xác định được hoàn thành đúng hạn hay quá hạn (văn bản không ghi ngày hoàn thành)"),
)


def unconfirmed(data: ReportData) -> str:
    """The period's parts the rates by body leave out, given through an inferred group the secretariat
    has not confirmed (engine.reports.counted.Counted.UNCONFIRMED); sections IV (periodic reports) and V
    (overdue parts) mark those they list."""
    n = sum(a.rates.tasks_unconfirmed + a.rates.reports_unconfirmed for a in data.by_agency)
    why = (
        " (kể cả báo cáo định kỳ), vào số đến hạn và các tỷ lệ ở phần theo cơ quan, đơn vị; bảng tổng hợp chung "
        "và các cột lũy kế vẫn xếp các phần việc này theo tình hình thực hiện, "
        "phần IV (báo cáo định kỳ) và phần V (phần việc quá hạn) ghi rõ phần việc chưa xác nhận giao "
        "trong danh sách của mình"
    )
    return unconfirmed_words(n, data.unconfirmed_groups, why=why).removesuffix(".")


def day_unknown(data: ReportData) -> str:
    """The period's parts done on a day no text gives, their date inside the window the text does give
    (engine.status.done_day_unknown: the Thông báo's "trước ngày 15/02/2022" for work 04/KH-BCĐ records
    "Tháng 02/2022 (đã hoàn thành)"): in the table's "Hoàn thành đúng hạn", in no rate."""
    n = sum(a.rates.tasks_day_unknown + a.rates.reports_day_unknown for a in data.by_agency)
    if not n:
        return ""
    return (
        f"{vn_count(n)} phần việc đến hạn trong kỳ được văn bản ghi là đã hoàn thành trong một khoảng thời gian (như "
        "«Tháng 02/2022 (đã hoàn thành)») mà không ghi ngày, thời hạn của phần việc lại nằm trong khoảng đó: không "
        "xác định được đúng hạn hay quá hạn, nên không tính vào số đến hạn và các tỷ lệ ở phần theo cơ quan, đơn vị; "
        "bảng tổng hợp chung xếp các phần việc này ở cột «Hoàn thành đúng hạn» (không có gì cho thấy quá hạn)"
    )


def by_convention(data: ReportData) -> str:
    """:func:`convention_counted` of the period's rates by body, said under section I."""
    return convention_counted([a.rates for a in data.by_agency], "ở phần theo cơ quan, đơn vị")


def convention_counted(rates: Iterable[AgencyRates], where: str) -> str:
    """The parts rates of every role count (the report's by body, the rates page: engine.reports.rates
    .AgencyRates.tasks_convention) whose date is the secretariat's convention, no document's: counted
    there, left out of the leaders' ranking (their page says so too). Without a word the 2022 report
    rated Sở TT&TT's periodic reports 75,0 % with its six-month report counted late against 20/06/2022,
    a day no text gives. ``where``: the rates' place ("ở phần theo cơ quan, đơn vị")."""
    counts = [(r.tasks_convention, r.reports_convention) for r in rates]
    tasks, reports = sum(t for t, _ in counts), sum(r for _, r in counts)
    n = tasks + reports
    if not n:
        return ""
    what, these = ("báo cáo định kỳ", "các báo cáo này") if not tasks else ("phần việc", "các phần việc này")
    which = " (kể cả báo cáo định kỳ)" if tasks and reports else ""
    why = f", vào số đến hạn và các tỷ lệ {where}{which}; bảng xếp hạng trên trang Lãnh đạo không tính {these}"
    return convention_words(n, what, why, "Có tính").removesuffix(".")


# The rates by body count the parts of every role (data._agencies: agency_rates without roles), the
# partners' too; the leaders' mail, and their page, count the lead's and the implementers' only, and
# say so. Without a word the mailed annual report read 83 parts due where its attachment summed 136.
EVERY_ROLE = (
    "Tỷ lệ ở phần theo cơ quan, đơn vị tính phần việc của mọi vai trò, kể cả phần phối hợp (phần phối hợp "
    "hoàn thành đúng hạn khi ý kiến, kết quả phối hợp được gửi trong thời hạn)"
)


# The heading words of a rate of every role, where a sheet states one beside the leaders' (the
# workbook's sheet by body): the same words "Tỷ lệ hoàn thành đúng hạn" had read two figures.
EVERY_ROLE_HEADING = "mọi vai trò, kể cả phối hợp và hạn theo quy ước"


def other_roles_words(roles: Sequence[str] | None) -> str:
    """The roles the leaders' rates leave out (``roles``: those they count, policy.leader_roles), in
    lower case as a heading says them: "phối hợp" under the shipped policy."""
    left = [ROLE_LABELS_VI[r].lower() for r in Role if roles is not None and r.value not in roles]
    return ", ".join(left) if left else "của vai trò khác"


def leaders_basis_words(roles_said: str | None, others: str, here: str = "ở trang này") -> str:
    """What the workbook's sheet by body rates, said under its table and among the summary's notes:
    the leaders' page's basis (engine.reports.rates.leaders_leave_out), what it leaves out and where
    that is counted. ``roles_said``: the roles counted in words, as the page says them (None: every
    role); ``here``: the sheet's place ("ở trang «Theo cơ quan»" from another sheet)."""
    whose = f"phần việc của cơ quan {roles_said}" if roles_said else "phần việc của mọi vai trò"
    return (
        f"«Tỷ lệ hoàn thành đúng hạn» và «Tỷ lệ báo cáo đúng hạn» {here} tính như trang Lãnh đạo: {whose}, "
        "không tính phần việc có thời hạn do Tổ giúp việc quy ước (văn bản không ấn định ngày)"
        + ("" if not roles_said else f" và phần việc {others}")
        + "; số phần việc không tính ghi ở cột riêng. Hai cột cuối tính mọi vai trò, kể cả phối hợp và hạn theo "
        "quy ước, như phần theo cơ quan, đơn vị của báo cáo (HTML, Markdown)."
    )


def twice(n: int) -> str:
    """The parts section I's total counts once under each document that writes the same work (same_work_as)."""
    if not n:
        return ""
    return (
        f"{vn_count(n)} phần việc là cùng một việc với phần việc của cùng cơ quan ở văn bản khác (một báo cáo được ghi "
        "nhận cho mọi văn bản ghi việc đó): mỗi văn bản tính phần của mình, nên dòng Tổng cộng của bảng tổng hợp "
        f"chung tính mỗi việc ấy một lần ở mỗi văn bản; tỷ lệ ở phần theo cơ quan, đơn vị tính mỗi việc một lần"
    )


def given_late(counts: Mapping[str, int]) -> str:
    """Section I's late work that was given after its own date: late from the day it was given."""
    parts = [
        f"{vn_count(counts[c.value])} phần việc “{CATEGORY_LABELS_VI[c]}”"
        for c in (Category.DONE_LATE, Category.OVERDUE)
        if counts.get(c.value)
    ]
    if not parts:
        return ""
    return (
        f"Trong bảng tổng hợp chung, {' và '.join(parts)} được giao sau thời hạn của chính phần việc đó (văn bản "
        "ban hành sau thời hạn, hoặc cơ quan được phân công sau thời hạn): quá hạn ngay từ ngày giao; phần "
        "đến hạn trong kỳ của số đó được ghi riêng (giao sau thời hạn) ở phần theo cơ quan, đơn vị, không tính "
        "vào tỷ lệ"
    )


def judged_later(days: list[tuple[date, int]]) -> str:
    """The parts the day-off rule moved past the period's last day: judged on their date."""
    if not days:
        return ""
    told = "; ".join(f"{vn_count(count)} phần việc, sang ngày {vn_date(day)}" for day, count in days)
    return (
        "Các phần việc có thời hạn trong kỳ theo văn bản nhưng thời hạn rơi vào ngày nghỉ được chuyển hạn "
        f"sang ngày làm việc kế tiếp, sau ngày cuối kỳ ({told}): tỷ lệ hoàn thành đúng hạn của kỳ đánh giá "
        "chúng theo hạn đã chuyển; bảng tổng hợp chung tính chúng như tại ngày số liệu"
    )


def ended_bodies(ended: list[tuple[str, date, int, int]]) -> str:
    """The bodies that ended before the period and still hold work: not in the table by body, every
    part of theirs that section I counts said, those due before the tracking start among them."""
    if not ended:
        return ""

    def parts(count: int, before: int) -> str:
        among = f", trong đó {vn_count(before)} có hạn trước ngày bắt đầu theo dõi" if before else ""
        return f"{vn_count(count)} phần việc{among}"

    named = "; ".join(
        f"{name} (hoạt động đến hết ngày {vn_date(last)}): {parts(count, before)}"
        for name, last, count, before in ended
    )
    return (
        "Phần theo cơ quan, đơn vị không liệt kê cơ quan đã không còn trước kỳ báo cáo mà vẫn đứng tên "
        f"phần việc (tính trong bảng tổng hợp chung): {named}"
    )
