"""An item whose "- " bullets are obligations of their own (1834/UBND-KGVX item 2): a start in one bullet
("… tiếp nhận tại Bộ phận một cửa cấp tỉnh từ ngày 01/6/2022") opens a standing duty: a milestone of its
own, read as a start (no due date), given to its level's bodies; the deadline of another ("đến tháng
9/2022") is that bullet's milestone; and the "nhiệm vụ trọng tâm" its words flag is that milestone's, not
the whole item's nor the starts'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dondoc.importer.draft import build_draft
from dondoc.importer.model import GUESSED
from dondoc.importer.reading import read_document
from dondoc.importer.writing import render

TODAY = date(2026, 12, 1)

HEAD = """Số: 1834/UBND-KGVX
V/v triển khai thực hiện kế hoạch chuyển đổi số năm 2022

Quảng Ngãi, ngày 22 tháng 4 năm 2022

Chủ tịch UBND tỉnh có ý kiến như sau:

"""

ITEM = (
    "\n\n".join(
        [
            "2. Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ban ngành, địa phương trên địa bàn tỉnh"
            " đẩy mạnh triển khai đảm bảo hoàn thành các chỉ tiêu sau đây:",
            "- Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 100% (đối với thủ tục hành chính tiếp"
            " nhận tại Bộ phận một cửa cấp tỉnh từ ngày 01/6/2022; đối với thủ tục hành chính tiếp nhận tại Bộ phận"
            " một cửa cấp huyện từ ngày 01/12/2022).",
            "- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 80%.",
            "- Triển khai ứng dụng nền tảng phát thanh số trên địa bàn tỉnh, đảm bảo đến tháng 9/2022 có ít nhất 50%"
            " số xã, phường, thị trấn áp dụng nền tảng này (nhiệm vụ trọng tâm thuộc diện Ủy ban Quốc gia về chuyển"
            " đổi số theo dõi, đôn đốc ưu tiên triển khai).",
        ]
    )
    + "\n"
)


def _draft(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding="utf-8")
    return build_draft(read_document(path), today=TODAY)


def test_starts_in_bullets_are_start_milestones_and_the_deadline_its_bullet_s(tmp_path: Path) -> None:
    draft = _draft(tmp_path, HEAD + ITEM)
    item = draft.items[0]
    assert item.deadline is None
    assert [m["deadline"] for m in item.milestones] == ["từ ngày 01/6/2022", "từ ngày 01/12/2022", "đến tháng 9/2022"]
    assert item.milestones[2]["label"].startswith("Triển khai ứng dụng nền tảng phát thanh số")
    assert "đọc là bắt đầu từ ngày 01/12/2022, không có ngày hạn" in item.trace["deadline"].note
    assert not any("không phải thời hạn" in note for note in item.notes), item.notes
    assert item.trace["deadline"].confidence == GUESSED
    said = render(draft)
    assert "cần tách mốc" not in said and "nhiều mốc" not in said, said


def test_bullets_that_only_start_duties_propose_a_start_milestone_each(tmp_path: Path) -> None:
    """They had proposed nothing ("nội dung chỉ nêu thời gian bắt đầu"), the starts a note: the day each
    level's requirement holds from, which the catalog writes as a milestone, was lost."""
    text = HEAD + ITEM.split("\n- Tỷ lệ dân số")[0] + "\n- Tỷ lệ văn bản điện tử đạt 90% từ ngày 01/7/2022.\n"
    draft = _draft(tmp_path, text)
    item = draft.items[0]
    assert item.deadline is None
    assert [(m["deadline"], m.get("partners")) for m in item.milestones] == [
        ("từ ngày 01/6/2022", ["@so-ban-nganh"]),
        ("từ ngày 01/12/2022", ["@ubnd-cap-huyen"]),
        ("từ ngày 01/7/2022", None),  # names no level: every partner's
    ]
    assert item.milestones[2]["label"] == "Tỷ lệ văn bản điện tử đạt 90%"
    assert not any(u.startswith("Mục 2:") for u in draft.unread), draft.unread


def test_a_key_task_flag_in_one_bullet_marks_that_bullet_s_milestone_only(tmp_path: Path) -> None:
    item = _draft(tmp_path, HEAD + ITEM).items[0]
    assert item.priority is False
    assert [m.get("priority") for m in item.milestones] == [None, None, True]
    trace = item.trace["priority"]
    assert trace.confidence == GUESSED and trace.ref == "dòng 14", trace
    assert "chỉ ghi nhiệm vụ trọng tâm ở ý “Triển khai ứng dụng nền tảng phát thanh số" in trace.note
    assert "không phải cả mục" in trace.note


def test_a_key_task_flag_in_a_bullet_with_no_milestone_marks_nothing_and_says_where(tmp_path: Path) -> None:
    text = HEAD + ITEM.replace("đảm bảo đến tháng 9/2022 có", "đảm bảo có")
    item = _draft(tmp_path, text).items[0]
    assert item.priority is False and not any(m.get("priority") for m in item.milestones)
    assert "Tổ giúp việc tách ý đó thành mốc" in item.trace["priority"].note


def test_a_key_task_flag_in_the_item_s_own_sentence_marks_the_item(tmp_path: Path) -> None:
    text = HEAD + (
        "2. Sở Thông tin và Truyền thông chủ trì triển khai nền tảng phát thanh số (nhiệm vụ trọng tâm thuộc "
        "diện Ủy ban Quốc gia về chuyển đổi số theo dõi, đôn đốc ưu tiên triển khai).\n"
    )
    item = _draft(tmp_path, text).items[0]
    assert item.priority is True and item.trace["priority"].note == "văn bản ghi nhiệm vụ trọng tâm"


def test_targets_listed_under_the_bodies_they_are_given_to_are_tied_to_them(tmp_path: Path) -> None:
    """1834/UBND-KGVX item 4 (lines 49–57): "- Sở Công Thương: Tỷ trọng … đạt 7%; tỷ lệ … đạt 50%" gives
    each target to the body its line opens with; the draft had tied none and named them "Sở …: Tỷ lệ …"."""
    text = HEAD + "\n\n".join(
        [
            "4. Các sở, ngành, cơ quan, đơn vị sau đây có trách nhiệm chủ trì, phối hợp với các cơ quan, đơn vị"
            " liên quan đẩy mạnh triển khai, đảm bảo hoàn thành các mục tiêu về Phát triển kinh tế số, cụ thể:",
            "- Sở Kế hoạch và Đầu tư: Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số đạt 30%.",
            "- Sở Công Thương: Tỷ trọng doanh thu thương mại điện tử trong tổng mức bán lẻ đạt 7%; tỷ lệ doanh"
            " nghiệp sử dụng hợp đồng điện tử đạt 50%.",
            "- Cục Thuế tỉnh: Tỷ lệ người dân có tài khoản giao dịch đạt từ 65 - 70%.",
        ]
    )
    draft = _draft(tmp_path, text + "\n")
    item = draft.items[0]
    assert set(item.lead) == {"so-khdt", "so-cong-thuong", "cuc-thue"}
    tied = [(i["target"] if "target" in i else i["target_range"], i["by_group"]) for i in item.indicators]
    assert tied == [
        (30.0, [{"agencies": ["so-khdt"], "target": 30.0}]),
        (7.0, [{"agencies": ["so-cong-thuong"], "target": 7.0}]),
        (50.0, [{"agencies": ["so-cong-thuong"], "target": 50.0}]),
        ([65.0, 70.0], [{"agencies": ["cuc-thue"], "target_range": [65.0, 70.0]}]),
    ]
    assert not any(i["name"].startswith("Sở") for i in item.indicators)
    assert "by_group" in item.trace["indicators"].note and "&id" not in render(draft)


def test_starts_a_clause_cannot_split_are_said_as_starts(tmp_path: Path) -> None:
    """Several starts in one clause ("90% từ ngày 01/7/2022, 100% từ ngày 01/01/2023") are left to the
    secretariat as starts: not called deadlines to split."""
    text = HEAD + ITEM.split("\n- Tỷ lệ dân số")[0].replace(
        "(đối với thủ tục hành chính tiếp nhận tại Bộ phận một cửa cấp tỉnh từ ngày 01/6/2022; đối với thủ tục hành"
        " chính tiếp nhận tại Bộ phận một cửa cấp huyện từ ngày 01/12/2022)",
        "90% từ ngày 01/7/2022, 100% từ ngày 01/01/2023",
    )
    draft = _draft(tmp_path, text)
    item = draft.items[0]
    assert item.deadline is None and not item.milestones
    said = "nội dung nêu nhiều thời điểm bắt đầu (không phải thời hạn), chưa tách được thành mốc"
    assert item.trace["deadline"].note.startswith(said), item.trace["deadline"].note
    assert any(said in u and "“từ ngày 01/01/2023”" in u for u in draft.unread), draft.unread
