"""dondoc import of a Thông báo kết luận and of a plan's labelled items says what the text gives and
marks what it does not: a blank issue day, a partner the text only describes, a "Nhiệm vụ trọng tâm"
heading, the body that compiles what others send it, a "Mục tiêu:" line.

The documents are small ones in the shape of the seeds' Thông báo kết luận (003) and 04/KH-BCĐ (004),
with their sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from dondoc.importer.draft import build_draft
from dondoc.importer.model import CERTAIN, GUESSED
from dondoc.importer.reading import read_document
from dondoc.importer.writing import render
from dondoc.tasks_catalog.schema import PlanMeta
from tests.support.import_docs import ACTIVITIES, CONCLUSION

TODAY = date(2026, 12, 1)


def _draft(tmp_path: Path, text: str, name: str = "tb.md"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_draft(read_document(path), today=TODAY)


def _items(draft) -> dict:  # type: ignore[no-untyped-def]
    return {item.section: item for item in draft.items}


def test_a_blank_issue_day_is_no_earlier_than_the_meeting_the_text_dates(tmp_path: Path) -> None:
    """ "ngày tháng 01 năm 2022" (the day left blank) was drafted 2022-01-01, "đoán · thiếu ngày":
    eighteen days before the meeting of 19/01/2022 the notice reports (line 11) — a Thông báo kết
    luận is not issued before its meeting, and "01" is a day the text never gives. The earliest day
    the text allows, said as such; the date as written kept for the pages; listed for the secretariat."""
    draft = _draft(tmp_path, CONCLUSION)
    assert draft.header.issued == date(2022, 1, 19)
    trace = draft.header.trace["issued"]
    assert trace.confidence == GUESSED
    assert "ngày tháng 01 năm 2022" in trace.note and "19/01/2022" in trace.note, trace.note
    plan = draft.plan_dict()["plan"]
    assert plan["issued"] == date(2022, 1, 19)
    assert plan["issued_as_written"] == "ngày … tháng 01 năm 2022"
    PlanMeta.model_validate(plan)  # the catalog takes it as it stands
    assert any(line.startswith("Ngày ban hành:") and "19/01/2022" in line for line in draft.unread), draft.unread
    rendered = yaml.safe_load(render(draft))["plan"]
    assert rendered["issued"] == date(2022, 1, 19) and rendered["issued_as_written"] == "ngày … tháng 01 năm 2022"


def test_a_blank_issue_day_with_no_earlier_date_in_the_month_is_the_month_s_first_said(tmp_path: Path) -> None:
    """With no dated event of the month before the sections, the first of the month is the earliest day:
    still a reading, said so, never a day the text gives."""
    text = CONCLUSION.replace("Ngày 19/01/2022, ", "Ngày 19/12/2021, ")
    draft = _draft(tmp_path, text)
    assert draft.header.issued == date(2022, 1, 1)
    trace = draft.header.trace["issued"]
    assert trace.confidence == GUESSED and "ngày tháng 01 năm 2022" in trace.note
    assert draft.plan_dict()["plan"]["issued_as_written"] == "ngày … tháng 01 năm 2022"


def test_a_whole_issue_date_is_certain_and_not_rewritten(tmp_path: Path) -> None:
    draft = _draft(tmp_path, ACTIVITIES, "kh.md")
    assert draft.header.issued == date(2022, 3, 10) and draft.header.trace["issued"].confidence == CERTAIN
    assert "issued_as_written" not in draft.plan_dict()["plan"]
    assert not [line for line in draft.unread if line.startswith("Ngày ban hành")]


def test_a_partner_the_text_only_describes_is_kept_unnamed_and_said(tmp_path: Path) -> None:
    """ "Chủ trì phối hợp với các doanh nghiệp lớn, có uy tín, được Bộ Thông tin và Truyền thông xác định
    là vai trò dẫn dắt về chuyển đổi số thực hiện …" (003 II.3.d): the partners vanished, no `unnamed:`
    and no word; the catalog keeps the phrase under unnamed ("chưa xác định cơ quan") for the
    secretariat to name. Not Bộ TT&TT, which is only who named the enterprises."""
    draft = _draft(tmp_path, CONCLUSION)
    item = _items(draft)["II.2.b"]
    assert item.lead == ["so-tttt"] and item.partners == []
    assert item.unnamed == [
        {
            "role": "partner",
            "phrase": "các doanh nghiệp lớn, có uy tín, được Bộ Thông tin và Truyền thông xác định là vai trò "
            "dẫn dắt về chuyển đổi số",
        }
    ]
    assert item.trace["partners"].confidence == GUESSED
    assert any(line.startswith("Mục II.2.b:") and "doanh nghiệp lớn" in line for line in draft.unread), draft.unread
    # a partner the directory reads is unchanged: "các cơ quan, đơn vị" names nobody, as before
    assert _items(draft)["II.2.a"].unnamed == [{"role": "partner", "phrase": "các cơ quan, đơn vị"}]


def test_tasks_under_a_nhiem_vu_trong_tam_heading_are_priority_guessed(tmp_path: Path) -> None:
    """ "Nhiệm vụ trọng tâm của các sở, ban ngành; UBND cấp huyện …" (003 II.2) and "a) Chỉ tiêu, nhiệm vụ
    trọng tâm:" (004 II.11): priority was false with no mark, though the text heads the tasks so (the
    catalog flags both). Read from the heading, marked "đoán". Not a task whose own sentence funds
    "một số nhiệm vụ trọng tâm" (003 II.3.c): the words name the projects, not the task."""
    items = _items(_draft(tmp_path, CONCLUSION))
    for section in ("II.1.a", "II.1.b"):
        assert items[section].priority is True, section
        trace = items[section].trace["priority"]
        assert trace.confidence == GUESSED and "Nhiệm vụ trọng tâm" in trace.note, trace.note
    assert items["II.2.a"].priority is False and "priority" not in items["II.2.a"].trace
    assert items["II.2.b"].priority is False and items["II.3"].priority is False
    plan = _items(_draft(tmp_path, ACTIVITIES, "kh.md"))
    assert plan["II.2"].priority is True and plan["II.2"].trace["priority"].confidence == GUESSED
    assert plan["II.1"].priority is False and plan["II.3"].priority is False


def test_the_body_sent_the_proposals_to_compile_and_submit_leads_with_its_partner(tmp_path: Path) -> None:
    """ "…, gửi Sở Thông tin và Truyền thông tổng hợp, phối hợp với Sở Tài chính, trình UBND tỉnh xem xét"
    (003 II.2.b): "không tìm thấy cơ quan chủ trì" and no partner, though the text names who compiles and
    submits and with whom (the catalog: lead Sở TT&TT, partner Sở Tài chính). Read so, marked "đoán";
    the group of the heading still does its review."""
    item = _items(_draft(tmp_path, CONCLUSION))["II.1.b"]
    assert item.lead == ["so-tttt"] and item.partners == ["so-tai-chinh"]
    assert item.implementers == ["@so-ban-nganh", "@ubnd-cap-huyen"]
    assert item.trace["lead"].confidence == GUESSED and item.trace["partners"].confidence == GUESSED
    assert "tổng hợp" in item.trace["lead"].note
    # a body only sent reports to ("báo cáo … gửi Sở X tổng hợp, báo cáo UBND tỉnh") leads nothing
    text = CONCLUSION.replace("phối hợp với Sở Tài chính, trình UBND tỉnh xem xét, chỉ đạo", "báo cáo UBND tỉnh")
    other = _items(_draft(tmp_path, text))["II.1.b"]
    assert other.lead == [] and other.partners == []


def test_a_goal_line_of_a_labelled_item_stays_in_its_content(tmp_path: Path) -> None:
    """ "- Mục tiêu: Đẩy mạnh công tác phát triển chuyển đổi số …" (004 II.8, II.9): dropped, the content
    was the heading alone. Kept after the heading, as the catalog has it; a "Nội dung:" item is unchanged."""
    items = _items(_draft(tmp_path, ACTIVITIES, "kh.md"))
    assert items["II.1"].content == (
        "Phân công thành viên Ban Chỉ đạo chịu trách nhiệm và theo dõi, thúc đẩy thực hiện các chỉ số chuyển đổi"
        " số (DTI) trên địa bàn tỉnh\n"
        "Mục tiêu: Đẩy mạnh công tác phát triển chuyển đổi số và nâng cao thứ hạng đánh giá về chuyển đổi số"
        " tỉnh Quảng Ngãi trong năm 2022."
    )
    assert items["II.1"].deadline == "Tháng 4/2022" and items["II.1"].lead == ["so-tttt"]
    assert items["II.3"].content == "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức."
