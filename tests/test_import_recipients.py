"""Where a report goes, read as the documents write it (importer.reporting): "gửi (về) X", "báo cáo X",
"báo cáo hằng quý về X", "báo cáo … qua X để tổng hợp, báo cáo UBND tỉnh" (X receives it and reports up);
"về" in "báo cáo về tình hình …" says what the report is about, not where it goes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dondoc.importer.draft import build_draft
from dondoc.importer.model import CERTAIN, GUESSED, NOT_FOUND
from dondoc.importer.reading import read_document
from tests.support.import_docs import HEADER

TODAY = date(2026, 12, 1)  # the reading day: the year of a document with no issue date

_PROVINCE = "báo cáo UBND tỉnh: Văn phòng UBND tỉnh nhận"
_VIA_NOI_VU = "“qua Sở Nội vụ”: cơ quan này nhận, tổng hợp, báo cáo tiếp"


def _report(tmp_path: Path, sentence: str):  # type: ignore[no-untyped-def]
    text = (
        HEADER
        + "II. NHIỆM VỤ\n\n1. Sở Y tế chủ trì rà soát định mức; hoàn thành trước ngày 30/6/2022.\n\n"
        + f"2. {sentence}\n\nNơi nhận:\n- Như trên;\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (report,) = build_draft(read_document(path), today=TODAY).reporting
    return report


@pytest.mark.parametrize(
    ("sentence", "recipient", "confidence", "note"),
    [
        # "về" after the report and its period: the gap found ("không tìm thấy")
        ("Công an tỉnh báo cáo hằng quý về UBND tỉnh trước ngày 20 tháng cuối quý.", "vp-ubnd", GUESSED, _PROVINCE),
        ("Sở Tư pháp định kỳ hằng quý báo cáo kết quả thực hiện về UBND tỉnh.", "vp-ubnd", GUESSED, _PROVINCE),
        ("Sở Tư pháp định kỳ hằng quý báo cáo kết quả về Sở Thông tin và Truyền thông.", "so-tttt", CERTAIN, ""),
        ("Sở Tư pháp định kỳ hằng quý gửi báo cáo đến Sở Nội vụ.", "so-noi-vu", CERTAIN, ""),
        # through a department that gathers and reports up: the department receives it
        (
            "Sở Tư pháp định kỳ hằng quý báo cáo kết quả qua Sở Nội vụ để tổng hợp, báo cáo UBND tỉnh.",
            "so-noi-vu",
            CERTAIN,
            _VIA_NOI_VU,
        ),
        ("Sở Tư pháp định kỳ hằng quý báo cáo Chủ tịch UBND tỉnh (qua Sở Nội vụ).", "so-noi-vu", CERTAIN, _VIA_NOI_VU),
        (
            "Sở Tư pháp báo cáo hằng quý về Sở Nội vụ để tổng hợp, báo cáo UBND tỉnh trước ngày 20 tháng cuối quý.",
            "so-noi-vu",
            CERTAIN,
            "",
        ),
        # the forms read before, as they were
        ("Sở Tư pháp định kỳ hằng quý báo cáo UBND tỉnh kết quả thực hiện.", "vp-ubnd", GUESSED, _PROVINCE),
        ("Sở Tư pháp định kỳ hằng quý gửi về Sở Nội vụ để tổng hợp, báo cáo UBND tỉnh.", "so-noi-vu", CERTAIN, ""),
        ("Sở Tư pháp định kỳ hằng quý báo cáo Ban Chỉ đạo để tham mưu UBND tỉnh.", "bcd-cds", CERTAIN, ""),
    ],
)
def test_where_a_report_goes(tmp_path: Path, sentence: str, recipient: str, confidence: str, note: str) -> None:
    report = _report(tmp_path, sentence)
    assert report.recipient == recipient
    assert (report.trace["recipient"].confidence, report.trace["recipient"].note) == (confidence, note)


@pytest.mark.parametrize(
    ("sentence", "recipient", "confidence"),
    [
        # "về tình hình …" is what the report is about: the body named in it does not receive the report
        ("Sở Xây dựng định kỳ hằng quý báo cáo về tình hình phối hợp với Công an tỉnh.", None, NOT_FOUND),
        ("Sở Xây dựng định kỳ hằng quý báo cáo về kết quả cải cách hành chính của Sở Tư pháp.", None, NOT_FOUND),
        ("Sở Y tế định kỳ hằng quý báo cáo UBND tỉnh về tình hình triển khai bệnh án điện tử.", "vp-ubnd", GUESSED),
        ("Sở Y tế định kỳ hằng quý báo cáo về tình hình chuyển đổi số, gửi Sở Nội vụ.", "so-noi-vu", CERTAIN),
        ("Sở Y tế định kỳ hằng quý báo cáo các việc liên quan đến Công an tỉnh, gửi Sở Nội vụ.", "so-noi-vu", CERTAIN),
        # "về" inside a body's name
        ("Sở Thông tin và Truyền thông định kỳ 6 tháng báo cáo Ủy ban Quốc gia về chuyển đổi số.", "ubqg-cds", CERTAIN),
    ],
)
def test_about_is_not_to(tmp_path: Path, sentence: str, recipient: str | None, confidence: str) -> None:
    report = _report(tmp_path, sentence)
    assert (report.recipient, report.trace["recipient"].confidence) == (recipient, confidence)


def test_a_report_with_no_recipient_after_a_clause_with_no_report(tmp_path: Path) -> None:
    """ "a) Rà soát quy chế; báo cáo sơ kết 6 tháng trước ngày 20/6/2022." under "Sở Tư pháp:": the
    recipient was sought in the clause before, which has no report, and the reader failed on it: the
    whole document was refused ("bộ đọc gặp lỗi ở cấu trúc của văn bản")."""
    text = (
        HEADER
        + "II. NHIỆM VỤ\n\n1. Sở Y tế chủ trì rà soát định mức; hoàn thành trước ngày 30/6/2022.\n\n"
        + "2. Sở Tư pháp:\n\na) Rà soát quy chế; báo cáo sơ kết 6 tháng trước ngày 20/6/2022.\n\n"
        + "Nơi nhận:\n- Như trên;\n"
    )
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    draft = build_draft(read_document(path), today=TODAY)
    (report,) = draft.reporting
    assert (report.section, report.reporters, report.recipient) == ("II.2.a", ["so-tu-phap"], None)
    assert report.trace["recipient"].confidence == NOT_FOUND
    assert [item.section for item in draft.items] == ["II.1", "II.2.a"]
