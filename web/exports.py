"""The board and any filtered list as a table to take away: CSV (UTF-8 with BOM, so Excel reads
the diacritics) and XLSX (dates as date cells, numbers as numbers: engine.reports.sheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from openpyxl import Workbook

from dondoc.engine.clock import DEFAULT_DAYS, local_date
from dondoc.engine.date_notes import date_note
from dondoc.engine.reports.counted import guessed_cell
from dondoc.engine.reports.sheets import write_table
from dondoc.engine.services.inferred_parts import Guess
from dondoc.engine.services.overdue_lists import OverdueRow
from dondoc.engine.services.queues import Queue, QueueRow
from dondoc.engine.services.web_queries import BoardSummary
from dondoc.engine.status import CATEGORY_LABELS_VI, Category, given_after_due
from dondoc.engine.vi_format import percent_tenths, shown_code, vn_date
from dondoc.engine.views import AssignmentView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
    "Mã cơ quan",
    "Cơ quan",
    *(CATEGORY_LABELS_VI[c] for c in Category),
    "Được giao",
    # the board's rate, the rates' (engine.reports.counted), not a ratio of the columns before it: the
    # tasks due by the board's instant, of every year and role, the periodic reports apart; and its counts
    # parts, not tasks (a body × a deadline: 2 for Ban Dân tộc, of one task): the columns count parts
    "Tỷ lệ đúng hạn (%) (phần việc đã đến hạn, cộng dồn; tính như báo cáo định kỳ)",
    "Số phần việc tính tỷ lệ",
    "Trong đó hoàn thành đúng hạn",
    # due and decided, but given through an inferred group not confirmed (engine.reports.counted): not in the rate
    "Chưa xác nhận giao, không tính tỷ lệ",
]
# a part given through an inferred group the secretariat has not confirmed: listed, marked (the group's
# name; of a part its holder received from the body the guess was about, that body: counted.guessed_cell)
UNCONFIRMED_HEADER = "Chưa xác nhận giao (giao theo cách hiểu của Tổ giúp việc về nhóm)"
OVERDUE_HEADERS = [
    "Nhóm",  # the board's two groups, in its order: this year's work first, then earlier years'
    "Mã",
    "Nhiệm vụ",
    "Mốc",
    "Kế hoạch",
    "Cơ quan",
    "Vai trò",
    "Hạn",
    "Thời hạn theo văn bản",
    "Ghi chú về thời hạn",  # extended since, or moved off a day off: as the board's list says it
    "Số ngày làm việc quá hạn",
    "Số ngày làm việc kể từ ngày giao",  # work given after its own date (the board says it beside)
    "Trạng thái",
    # a partner's part whose leads all finished: what its page and the board's row say (lead_done.unwaited_of)
    "Phối hợp không còn được chờ",
    UNCONFIRMED_HEADER,
]
STANDING_HEADER = "Nhiệm vụ thường xuyên, áp dụng từ ngày"
LIST_HEADERS = [
    "Mã nhiệm vụ",
    "Nhiệm vụ",
    "Mốc",  # the page's "(label)": one body's three milestones of an item were three like rows
    "Kế hoạch",
    "Cơ quan",
    "Vai trò",
    "Hạn",
    # a standing duty ("kể từ ngày …") has no due date: the page's "từ 01/07/2022", not an empty "Hạn"
    STANDING_HEADER,
    "Trạng thái",
    "Phân loại",
    "Số ngày làm việc quá hạn",
    "Tiến độ (%)",
    "Trọng tâm",
    "Ngày giao",
    "Giao sau thời hạn",  # the page's "giao ngày …, sau thời hạn": it could not be done on time
    # open work given after its own date: the page's first figure ("Quá hạn 55 ngày làm việc kể từ
    # ngày giao …"), beside the days from the date (74); the sheet had read 74 alone
    "Số ngày làm việc kể từ ngày giao",
    UNCONFIRMED_HEADER,
]


def _rows(summary: BoardSummary) -> Iterator[list[object]]:
    for row in summary.agencies:
        rate = None if row.on_time_rate is None else float(percent_tenths(row.on_time_rate))
        yield [
            row.code,
            row.name,
            *(row.counts[c] for c in Category),
            row.assigned,
            rate,
            row.rated_due,
            row.rated_on_time,
            row.unconfirmed,
        ]
    yield [
        "",
        "Tổng cộng",
        *(summary.totals[c] for c in Category),
        sum(row.assigned for row in summary.agencies),  # given by now, as each line counts it
        None,
        sum(row.rated_due for row in summary.agencies),
        sum(row.rated_on_time for row in summary.agencies),
        sum(row.unconfirmed for row in summary.agencies),
    ]


def _safe(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(headers: list[str], rows: Iterable[list[object]]) -> bytes:
    """A table as CSV: UTF-8 with BOM, dates written dd/mm/yyyy, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else vn_date(v) if isinstance(v, date) else _safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(title: str, headers: list[str], rows: list[list[object]]) -> bytes:
    """A table as a workbook of one sheet (engine.reports.sheets: date cells, numbers as numbers)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet's name
    _sheet(sheet, headers, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def board_csv(summary: BoardSummary) -> bytes:
    return _csv(HEADERS, _rows(summary))


def board_xlsx(
    summary: BoardSummary,
    overdue: list[OverdueRow],
    year: int,
    guessed: dict[int, Guess],
    unwaited: dict[int, str] | None = None,
) -> bytes:
    """Two sheets: the per-agency table and the overdue list, in the board's order and groups
    (engine.services.overdue_lists: ``year``'s work first, then by working days late), a part not
    confirmed marked with its group's name (``guessed``: engine.services.inferred_parts.unconfirmed_of),
    a partner's part nobody waits for any more said so (``unwaited``: escalation.lead_done.unwaited_of)."""
    unwaited = unwaited or {}
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo cơ quan"
    _sheet(sheet, HEADERS, list(_rows(summary)))
    late = book.create_sheet("Quá hạn")
    _sheet(
        late,
        OVERDUE_HEADERS,
        [
            [
                f"Hạn trong năm {year}" if r.this_year else "Hạn từ các năm trước",
                shown_code(r.view.item_code),
                r.view.item_title,
                r.view.milestone_label or "",
                shown_code(r.view.plan_number),
                r.view.agency_name,
                r.view.role_label,
                local_date(r.view.due_at) if r.view.due_at else None,
                r.view.deadline_phrase or "",
                date_note(*_dates(r.view)) or "",
                r.working_days_late,
                r.working_days_since_given,
                r.view.state_label,
                unwaited.get(r.view.id, ""),
                _guessed(guessed, r.view),
            ]
            for r in overdue
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _dates(v: AssignmentView) -> tuple[str | None, datetime | None, datetime | None, date | None]:
    return v.deadline_phrase, v.due_at, v.original_due_at, v.written_due


def _sheet(sheet, headers: list[str], rows: list[list[object]]) -> None:  # type: ignore[no-untyped-def]
    write_table(sheet, headers, rows, escape=True)


def _guessed(guessed: dict[int, Guess], v: AssignmentView) -> str:
    """The cell under UNCONFIRMED_HEADER: the group's name of a part not confirmed, and the body the
    guess was about when ``v``'s holder received it from that body (counted.guessed_cell)."""
    guess = guessed.get(v.id)
    return guessed_cell(guess.group, guess.about(v.agency_name)) if guess else ""


def _list_row(v: AssignmentView, guessed: dict[int, Guess]) -> list[object]:
    due = local_date(v.due_at) if v.due_at else None
    return [
        shown_code(v.item_code),
        v.item_title,
        v.milestone_label or "",
        shown_code(v.plan_number),
        v.agency_name,
        v.role_label,
        due,
        v.standing_since,
        v.state_label,
        v.category_label,
        v.days_late,
        v.progress,
        "x" if v.priority else "",
        local_date(v.assigned_at),
        "x" if given_after_due(v.due_at, v.assigned_at, DEFAULT_DAYS.tz) else "",
        v.days_since_given if v.overdue else None,  # open work only, as the column's header says
        _guessed(guessed, v),
    ]


def assignments_csv(rows: list[AssignmentView], guessed: dict[int, Guess]) -> bytes:
    """A filtered list as CSV, dates written dd/mm/yyyy (``guessed``: as :func:`board_xlsx`)."""
    return _csv(LIST_HEADERS, (_list_row(v, guessed) for v in rows))


def assignments_xlsx(rows: list[AssignmentView], guessed: dict[int, Guess]) -> bytes:
    """A filtered list as one sheet, with date cells for the due dates (``guessed``: as :func:`board_xlsx`)."""
    return _xlsx("Nhiệm vụ", LIST_HEADERS, [_list_row(v, guessed) for v in rows])


def queue_headers(queue: Queue) -> list[str]:
    """A queue's columns, as its page shows them."""
    return ["Mã", "Nhiệm vụ", "Mốc", queue.who_label, "Kế hoạch", queue.since_label, "Số ngày làm việc chờ", "Ghi chú"]


def _queue_row(row: QueueRow) -> list[object]:
    return [row.code, row.title, row.milestone or "", row.agency, row.plan, row.since, row.days_waiting, row.detail]


def queue_csv(queue: Queue, rows: list[QueueRow]) -> bytes:
    """A queue's filtered rows as CSV, dates written dd/mm/yyyy."""
    return _csv(queue_headers(queue), (_queue_row(r) for r in rows))


def queue_xlsx(queue: Queue, rows: list[QueueRow]) -> bytes:
    """A queue's filtered rows as one sheet: the day it waits from a date cell, the days a number."""
    return _xlsx(queue.title, queue_headers(queue), [_queue_row(r) for r in rows])
