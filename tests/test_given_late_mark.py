"""The mark beside late work on the item, plan and agency pages: work given after its own date says
so beside its days late, whether it is still open or was done late, as the assignment list says it."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from dondoc.web.templating import templates

DUE = datetime(2022, 6, 30, 16, 59, 59, tzinfo=UTC)  # 30/06/2022, the end of its day in Việt Nam
GIVEN = datetime(2022, 7, 27, 0, 0, tzinfo=UTC)  # 117/KH-UBND, issued 27/07/2022


def _mark(category: str, lateness: str, assigned_at: datetime, since_given: int | None = None) -> str:
    view = SimpleNamespace(
        category=category,
        overdue=category == "dang_thuc_hien_qua_han",
        lateness=lateness,
        due_at=DUE,
        assigned_at=assigned_at,
        days_since_given=since_given,  # AssignmentView's: open work given after its date
    )
    return str(templates.env.get_template("_marks.html").module.overdue_mark(view))  # type: ignore[attr-defined]


def test_work_done_late_that_was_given_after_its_date_says_so() -> None:
    """Sở LĐ-TB&XH reported 117/KH-UBND:II.2.d on 27/07/2022, the day it was given: the item page
    said "Trễ 19 ngày làm việc" alone, the list said "giao ngày 27/07/2022, sau thời hạn" beside it."""
    done = _mark("hoan_thanh_qua_han", "Trễ 19 ngày làm việc", GIVEN)
    assert "Trễ 19 ngày làm việc" in done
    assert '<span class="given-late">giao ngày 27/07/2022, sau thời hạn</span>' in done
    # still open, its lateness says since when first (engine.status.lateness), and nothing is said twice
    said = "Quá hạn 55 ngày làm việc kể từ ngày giao 27/07/2022 (giao sau thời hạn; 74 ngày làm việc kể từ thời hạn)"
    still_open = _mark("dang_thuc_hien_qua_han", said, GIVEN, since_given=55)
    assert said in still_open and "given-late" not in still_open


def test_work_given_in_time_or_not_late_says_nothing_of_its_giving() -> None:
    in_time = datetime(2022, 6, 1, 0, 0, tzinfo=UTC)
    assert "sau thời hạn" not in _mark("hoan_thanh_qua_han", "Trễ 3 ngày làm việc", in_time)
    assert _mark("hoan_thanh_dung_han", "", in_time).strip() == ""
