"""What dondoc import tells the secretariat it could not decide: a task with no deadline is listed under
"Chưa đọc được", a due day that falls on a day off is said beside the date, and a task whose sentence
ends in a report is drafted as a task beside its reporting duty (tests.support.import_docs.TOLD)."""

from __future__ import annotations

from pathlib import Path

from dondoc.importer.draft import build_draft
from dondoc.importer.reading import read_document
from dondoc.importer.writing import render
from tests.support.import_docs import TOLD


def _draft(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "told.txt"
    path.write_text(TOLD, encoding="utf-8")
    return build_draft(read_document(path))


def test_a_task_with_no_deadline_is_listed_with_where_it_is(tmp_path: Path) -> None:
    """II.2 names no deadline: its field was marked "không tìm thấy" but "Chưa đọc được" said nothing,
    so a task with no date reached the catalog unless someone opened every item. Not one done when the
    plan was issued (II.5: nothing left to date)."""
    draft = _draft(tmp_path)
    assert "Mục II.2: không tìm thấy thời hạn (dòng 17)." in draft.unread, draft.unread
    assert not [line for line in draft.unread if line.startswith(("Mục II.3:", "Mục II.4:", "Mục II.5:"))]
    assert "#   - Mục II.2: không tìm thấy thời hạn (dòng 17)." in render(draft)  # the CLI's draft says it too


def test_several_dates_in_the_wording_are_listed_as_no_deadline_with_why(tmp_path: Path) -> None:
    text = TOLD.replace("lưu trữ.", "lưu trữ trước ngày 30/6/2022, hoàn thiện trước ngày 30/9/2022.")
    path = tmp_path / "dates.txt"
    path.write_text(text, encoding="utf-8")
    unread = build_draft(read_document(path)).unread
    assert [line for line in unread if line.startswith("Mục II.2:")] == [
        "Mục II.2: không tìm thấy thời hạn — nhiều mốc: trước ngày 30/6/2022; trước ngày 30/9/2022 (dòng 17)."
    ]
