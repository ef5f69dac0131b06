"""What dondoc import tells the secretariat it could not decide: a task with no deadline is listed under
"Chưa đọc được", a due day that falls on a day off is said beside the date, and a task whose sentence
ends in a report is drafted as a task beside its reporting duty (tests.support.import_docs.TOLD)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dondoc.engine.status import day_off_words
from dondoc.importer.agencies import AgencyDirectory
from dondoc.importer.draft import REPORTING_VI, build_draft
from dondoc.importer.fields import set_deadline, set_role
from dondoc.importer.joined_work import task_clause
from dondoc.importer.model import GUESSED, Proposal
from dondoc.importer.reading import read_document
from dondoc.importer.writing import render
from tests.support.import_docs import HEADER, TOLD

TODAY = date(2026, 12, 1)  # the reading day: the year of a document with no issue date


def _draft(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "told.txt"
    path.write_text(TOLD, encoding="utf-8")
    return build_draft(read_document(path), today=TODAY)


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
    unread = build_draft(read_document(path), today=TODAY).unread
    assert [line for line in unread if line.startswith("Mục II.2:")] == [
        "Mục II.2: không tìm thấy thời hạn — nhiều mốc: trước ngày 30/6/2022; trước ngày 30/9/2022 (dòng 17)."
    ]


def test_a_deadline_on_a_day_off_is_said_beside_the_date(tmp_path: Path) -> None:
    """ "hoàn thành trước ngày 30/10/2022", a Sunday: the draft said "hạn 30/10/2022" and the work was
    then tracked as due on Monday 31/10 with no word of why. Said in the product's words for a due day
    moved off a day off (engine.status.day_off_words), in the field's trace and the CLI's draft."""
    draft = _draft(tmp_path)
    items = {item.section: item for item in draft.items}
    words = day_off_words(date(2022, 10, 30))
    assert items["II.3"].trace["deadline"].note == f"đọc là một ngày, hạn 30/10/2022; {words}"
    assert items["II.4"].trace["deadline"].note == "đọc là một ngày, hạn 30/09/2022"  # a Friday
    assert (
        f"deadline: hoàn thành trước ngày 30/10/2022  # dòng 19 · đoán · đọc là một ngày, hạn 30/10/2022; {words}"
        in render(draft)
    )


def test_a_milestone_on_a_day_off_is_said_beside_the_milestones() -> None:
    item = Proposal(section="1", title="", content="", ref="")
    set_deadline(item, "Khảo sát trước ngày 15/5/2022; hoàn thành trước ngày 30/9/2022", "dòng 3", 2022)
    assert len(item.milestones) == 2
    assert item.trace["deadline"].note == f"tách thành 2 mốc; {day_off_words(date(2022, 5, 15))}"


def test_a_phase_milestone_on_a_day_off_is_said(tmp_path: Path) -> None:
    """A date per phase of a table ("Tháng 6/2019", ending on Sunday 30/06/2019): said as for a deadline."""
    path = tmp_path / "phases.md"
    table = """| TT | Nội dung | Chủ trì | Thời gian thực hiện | |
|---|---|---|---|---|
| | | | 2019-2020 | 2021-2025 |
| 1 | Xây dựng cơ sở dữ liệu | Sở Nội vụ | Tháng 6/2019 | 2021-2025 |
"""
    path.write_text(TOLD.split("I. MỤC ĐÍCH")[0] + table, encoding="utf-8")
    (item,) = build_draft(read_document(path), today=TODAY).items
    assert len(item.milestones) == 2
    words = day_off_words(date(2019, 6, 30))
    # (and, the plan issued in 2022, that the phase of 2019 is overdue the day it is given)
    assert item.trace["deadline"].note.startswith(f"tách thành 2 mốc theo các giai đoạn của bảng; {words}; ")


def test_a_task_sentence_ending_in_a_report_keeps_the_task_and_the_duty(tmp_path: Path) -> None:
    """ "Công an tỉnh chủ trì, phối hợp với Sở TT&TT triển khai Đề án 06, báo cáo hằng quý …" was
    drafted as the quarterly report only: the item was dropped and the task lost. A report alone (II.6,
    "Sở Nội vụ tổng hợp, báo cáo …") is still the duty and no task."""
    draft = _draft(tmp_path)
    items = {item.section: item for item in draft.items}
    task = items["II.1"]
    assert task.lead == ["cong-an"] and task.partners == ["so-tttt"] and "Đề án 06" in task.content
    # the page's words for where the duty went, not the draft file's key ("đã lập ở mục reporting:")
    assert (
        task.trace["content"].note
        == "câu còn đặt nghĩa vụ báo cáo: đã lập riêng, ở “Nghĩa vụ báo cáo sẽ lập khi công bố”"
    )
    assert draft.reporting[0].recipient == "vp-ubnd"  # "báo cáo hằng quý về UBND tỉnh" (it was "không tìm thấy")
    assert [(r.section, r.period, r.reporters) for r in draft.reporting] == [
        ("II.1", "quarter", ["cong-an"]),
        ("II.6", "quarter", ["so-noi-vu"]),
    ]
    assert "II.6" not in items
    (alone,) = [line for line in draft.unread if line.startswith("Mục II.6:") and "kỳ cuối" not in line]
    assert alone.startswith("Mục II.6: đọc là nghĩa vụ báo cáo, ở “Nghĩa vụ báo cáo sẽ lập khi công bố”, không lập")
    assert not [line for line in draft.unread if "reporting:" in line]  # the draft file's key, not the page's
    assert not [line for line in draft.unread if line.startswith("Mục II.1: đọc là nghĩa vụ báo cáo")]


@pytest.fixture(scope="module")
def agencies() -> AgencyDirectory:
    return AgencyDirectory.load()


@pytest.mark.parametrize(
    ("sentence", "task", "known"),
    [
        (
            "Sở Y tế chủ trì triển khai bệnh án điện tử, báo cáo hằng quý về Sở Nội vụ.",
            "Sở Y tế chủ trì triển khai bệnh án điện tử",
            True,
        ),
        ("Sở Nội vụ xây dựng quy chế và báo cáo UBND tỉnh định kỳ 6 tháng.", "Sở Nội vụ xây dựng quy chế", True),
        ("Sở Nội vụ tổng hợp, báo cáo UBND tỉnh hằng quý.", None, None),  # the gathering a report needs
        ("Các sở thực hiện tốt chế độ thông tin, báo cáo hằng quý.", None, None),  # a reporting regime
        ("Các sở, ngành định kỳ hằng quý báo cáo kết quả triển khai, gửi Sở Nội vụ.", None, None),  # work after it
        ("Công an tỉnh (thường trực Tổ triển khai Đề án 06) theo dõi, báo cáo hằng quý.", None, None),  # a name
        # verbs of work the list missed: the task was dropped
        (
            "Sở Y tế kết nối phần mềm bệnh viện với Cổng dịch vụ công, báo cáo hằng quý về UBND tỉnh.",
            "Sở Y tế kết nối phần mềm bệnh viện với Cổng dịch vụ công",
            True,
        ),
        (
            "Sở Nội vụ bồi dưỡng kỹ năng số cho cán bộ, công chức, định kỳ hằng quý báo cáo UBND tỉnh.",
            "Sở Nội vụ bồi dưỡng kỹ năng số cho cán bộ, công chức",
            True,
        ),
        (
            "Sở Tài chính chủ trì, phối hợp với các sở, ngành bố trí kinh phí, báo cáo hằng quý.",
            "Sở Tài chính chủ trì, phối hợp với các sở, ngành bố trí kinh phí",
            True,
        ),
        ("Sở Nội vụ số hóa hồ sơ lưu trữ, báo cáo hằng quý.", "Sở Nội vụ số hóa hồ sơ lưu trữ", True),
        (
            "UBND các huyện, thị xã, thành phố chỉ đạo UBND cấp xã tuyên truyền, báo cáo hằng quý.",
            "UBND các huyện, thị xã, thành phố chỉ đạo UBND cấp xã tuyên truyền",
            True,
        ),
        # a verb known neither way: kept, for the secretariat to say
        (
            "Sở Thông tin và Truyền thông hướng dẫn các cơ sở y tế, báo cáo hằng quý về UBND tỉnh.",
            "Sở Thông tin và Truyền thông hướng dẫn các cơ sở y tế",
            False,
        ),
        (
            "Sở Y tế đánh giá kỹ năng số của viên chức, báo cáo hằng quý.",
            "Sở Y tế đánh giá kỹ năng số của viên chức",
            False,
        ),
        # what the gathering is about is no work ("kết quả triển khai"), nor the monitoring of the plan
        ("Sở Nội vụ tổng hợp kết quả triển khai Kế hoạch, báo cáo UBND tỉnh hằng quý.", None, None),
        ("Trực tiếp theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch, định kỳ báo cáo hằng quý.", None, None),
        ("Sở Tài chính phối hợp với Sở Kế hoạch và Đầu tư, báo cáo hằng quý.", None, None),  # "Đầu tư": a name
        ("Định kỳ 6 tháng, 1 năm báo cáo UBND tỉnh việc thực hiện các chỉ tiêu.", None, None),
    ],
)
def test_the_work_a_report_sentence_also_gives(
    agencies: AgencyDirectory, sentence: str, task: str | None, known: bool | None
) -> None:
    found = task_clause(sentence, agencies)
    assert ((found.words, found.known) if found else (None, None)) == (task, known)


WORK_BEFORE_REPORTS = (
    HEADER
    + """II. NHIỆM VỤ

1. Sở Y tế chủ trì rà soát định mức; hoàn thành trước ngày 30/6/2022.

2. Sở Y tế kết nối phần mềm bệnh viện với Cổng dịch vụ công, báo cáo hằng quý về UBND tỉnh trước ngày 20 tháng \
cuối quý.

3. Sở Thông tin và Truyền thông hướng dẫn các cơ sở y tế, báo cáo hằng quý về UBND tỉnh trước ngày 20 tháng cuối quý.

4. Sở Nội vụ tổng hợp, báo cáo UBND tỉnh hằng quý trước ngày 25 tháng cuối quý.

Nơi nhận:
- Như trên;
"""
)


def test_work_before_a_report_is_kept_or_listed_never_dropped(tmp_path: Path) -> None:
    """ "Sở Y tế kết nối …, báo cáo hằng quý …": "kết nối" was not among the verbs of work, so the task was
    dropped and only said as "đọc là nghĩa vụ báo cáo". A verb known neither way ("hướng dẫn") keeps the
    item and lists it under "Chưa đọc được"; the report alone (II.4) is still the duty and no task."""
    path = tmp_path / "work.txt"
    path.write_text(WORK_BEFORE_REPORTS, encoding="utf-8")
    draft = build_draft(read_document(path), today=TODAY)
    items = {item.section: item for item in draft.items}
    assert sorted(items) == ["II.1", "II.2", "II.3"]
    assert [(r.section, r.period) for r in draft.reporting] == [
        ("II.2", "quarter"),
        ("II.3", "quarter"),
        ("II.4", "quarter"),
    ]
    assert items["II.2"].trace["content"].note == f"câu còn đặt nghĩa vụ báo cáo: đã lập riêng, ở “{REPORTING_VI}”"
    assert items["II.3"].trace["content"].confidence == GUESSED
    assert (
        "Mục II.3: chưa rõ “Sở Thông tin và Truyền thông hướng dẫn các cơ sở y tế” là nhiệm vụ riêng hay việc chuẩn bị "
        f"báo cáo (nghĩa vụ báo cáo đã lập riêng, ở “{REPORTING_VI}”): đã giữ làm nhiệm vụ, "
        "Tổ giúp việc xem lại (dòng 15)."
    ) in draft.unread
    assert not [line for line in draft.unread if line.startswith(("Mục II.2: đọc là", "Mục II.3: đọc là"))]
    assert f"Mục II.4: đọc là nghĩa vụ báo cáo, ở “{REPORTING_VI}”, không lập nhiệm vụ (dòng 17)." in draft.unread


# 04/KH-BCĐ II.7's partners (tasks_catalog/plans/04-KH-BCD.yaml)
II7_PARTNERS = (
    "Các sở, ban ngành, UBND các huyện, thị xã, thành phố có thành viên tham gia Đội ứng cứu sự cố an toàn "
    "thông tin mạng theo Quyết định số 1439/QĐ-UBND ngày 16/9/2021."
)


def test_a_phrase_naming_no_known_body_is_quoted_in_the_documents_own_words() -> None:
    """What names no body the directory knows is quoted as the document writes it (the review page's
    notes, the draft's comments, "Chưa đọc được"), not as the matcher's key: 04/KH-BCĐ II.7 was said
    "…theo quyết định số 1439/qđ ubnd…", lowercased and its hyphen dropped."""
    directory = AgencyDirectory.load()
    item = Proposal(section="II.7", title="", content="", ref="dòng 71")
    set_role(item, "partner", II7_PARTNERS, "dòng 71", directory)
    words = (
        "có thành viên tham gia Đội ứng cứu sự cố an toàn thông tin mạng theo Quyết định số 1439/QĐ-UBND ngày 16/9/2021"
    )
    # (the groups it narrows name nobody: test_import_meaning, a group narrowed by a clause)
    assert f"“{words}”" in item.trace["partners"].note
    # the key spells "&" as "và" and hyphens as spaces: the document's own spelling is quoted
    assert directory.resolve("Sở Nội vụ; Ban XYZ-ABC & Hội Nông dân").unknown == ["Ban XYZ-ABC", "Hội Nông dân"]
