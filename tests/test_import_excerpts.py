"""Two readings of the seeds a careful civil servant would not accept, each on the seed's own lines
(tests/fixtures/import_excerpts/, verbatim):

- 61/KH-UBND VI.1 ("Ban Chỉ đạo … trực tiếp chỉ đạo công tác …; Trưởng Ban Chỉ đạo có Tổ công tác giúp
  việc, đóng vai trò là …; Sở Thông tin và Truyền thông là cơ quan thường trực …") says what the steering
  committee is and who serves it; it gives nobody work. It was drafted as a task led by the committee.
- 1834/UBND-KGVX item 2 ("… đạt 100% (đối với thủ tục hành chính tiếp nhận tại Bộ phận một cửa cấp tỉnh
  từ ngày 01/6/2022; … cấp huyện từ ngày 01/12/2022)"): each level's requirement holds from its day on.
  The starts were a note only, where the catalog has a milestone each (read as a start: no due date),
  the one its level's target is judged from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dondoc.engine.deadlines import DeadlineKind, parse_deadline
from dondoc.importer.draft import build_draft
from dondoc.importer.model import GUESSED
from dondoc.importer.reading import read_document

TODAY = date(2026, 12, 1)
EXCERPTS = Path(__file__).parent / "fixtures" / "import_excerpts"


def _draft(tmp_path: Path, name: str, edit: tuple[str, str] | None = None):  # type: ignore[no-untyped-def]
    text = (EXCERPTS / name).read_text(encoding="utf-8")
    if edit:
        assert edit[0] in text
        text = text.replace(*edit)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_draft(read_document(path), today=TODAY)


def test_a_section_that_describes_the_committee_and_its_staff_is_no_task_and_is_said(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "61-KH-UBND-muc-VI.txt")
    items = {item.section: item for item in draft.items}
    assert "VI.1" not in items, items["VI.1"]
    assert items["VI.2"].lead == ["vp-ubnd"] and items["VI.3.a"].lead == ["so-tttt"]  # the sections that do give work
    said = [line for line in draft.unread if line.startswith("Mục VI.1:")]
    assert len(said) == 1, draft.unread
    assert "mô tả vai trò" in said[0] and "không lập nhiệm vụ" in said[0] and "(dòng 13)" in said[0], said
    assert "Tổ giúp việc" in said[0]  # the secretariat decides whether it gives work after all


@pytest.mark.parametrize(
    "work",
    [
        "Sở Thông tin và Truyền thông chủ trì tổng hợp danh mục nhiệm vụ trước ngày 30/6/2019. Trong đó, Sở "
        "Thông tin và Truyền thông là cơ quan thường trực",
        # a role that is work all the same: follow up and urge the others
        "Trong đó, Sở Thông tin và Truyền thông là cơ quan thường trực, giúp Ban Chỉ đạo theo dõi, đôn đốc việc "
        "thực hiện Kế hoạch; Sở Thông tin và Truyền thông là cơ quan thường trực",
    ],
)
def test_a_described_body_that_is_also_given_work_keeps_its_task(tmp_path: Path, work: str) -> None:
    edit = ("Trong đó, Sở Thông tin và Truyền thông là cơ quan thường trực", work)
    items = {item.section: item for item in _draft(tmp_path, "61-KH-UBND-muc-VI.txt", edit).items}
    assert "VI.1" in items


def test_starts_of_standing_duties_per_level_are_start_milestones_given_to_their_level(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "1834-UBND-KGVX-muc-2.txt")
    item = next(item for item in draft.items if item.section == "2")
    assert item.deadline is None
    assert [m["deadline"] for m in item.milestones] == ["từ ngày 01/6/2022", "từ ngày 01/12/2022", "đến tháng 9/2022"]
    province, district, radio = item.milestones
    for milestone, day in ((province, date(2022, 6, 1)), (district, date(2022, 12, 1))):
        reading = parse_deadline(milestone["deadline"], default_year=2022)
        assert reading.kind is DeadlineKind.FROM_DATE and reading.start == day and reading.due is None  # a start
        assert milestone["label"].startswith("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 100%")
        assert milestone["label"].count("(") == milestone["label"].count(")"), milestone["label"]
        assert not milestone.get("priority")  # only the radio bullet is a key task
    assert "Bộ phận một cửa cấp tỉnh" in province["label"] and "cấp huyện" not in province["label"]
    assert "Bộ phận một cửa cấp huyện" in district["label"]
    assert province["partners"] == ["@so-ban-nganh"] and district["partners"] == ["@ubnd-cap-huyen"]
    assert radio["priority"] is True and radio["label"].startswith("Triển khai ứng dụng nền tảng phát thanh số")
    trace = item.trace["deadline"]
    assert trace.confidence == GUESSED
    assert "“từ ngày 01/6/2022”: đọc là bắt đầu từ ngày 01/06/2022, không có ngày hạn" in trace.note, trace.note
    assert "“đến tháng 9/2022”: đọc là một kỳ, hạn 30/09/2022 (ngày cuối kỳ)" in trace.note
    assert not any("không phải thời hạn" in note and "01/6/2022" in note for note in item.notes), item.notes
    assert not any(line.startswith("Mục 2:") for line in draft.unread), draft.unread


def test_each_target_is_bound_to_the_milestone_of_its_own_bullet(tmp_path: Path) -> None:
    """The item's targets had no ``milestone``: read "none bound: the item's last dated milestone"
    (engine.services.indicators.target_dates), every figure of item 2 was due with the radio bullet's
    30/09/2022, which the text says of the radio only; and the one-stop shops' 100 % was one target, from
    no day, where the text gives each level its own day. Now the 100 % is one target per level, bound to
    the milestone that opens it and answered by that level's bodies; a figure whose bullet gives no date
    is bound to none (0: the plan year's end); the radio's figure to the radio's milestone."""
    item = next(i for i in _draft(tmp_path, "1834-UBND-KGVX-muc-2.txt").items if i.section == "2")
    got = [(i["name"], i["target"], i.get("milestone"), i.get("by_group")) for i in item.indicators]
    one_stop = "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đối với thủ tục hành chính tiếp nhận tại"
    assert got == [
        (f"{one_stop} Bộ phận một cửa cấp tỉnh", 100.0, 1, [{"agencies": ["@so-ban-nganh"], "target": 100.0}]),
        (f"{one_stop} Bộ phận một cửa cấp huyện", 100.0, 2, [{"agencies": ["@ubnd-cap-huyen"], "target": 100.0}]),
        ("Tỷ lệ dân số trưởng thành có điện thoại thông minh", 80.0, 0, None),
        ("Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng", 65.0, 0, None),
        ("Tỷ lệ cơ quan nhà nước cung cấp dữ liệu mở đầy đủ theo danh mục", 50.0, 0, None),
        (item.indicators[5]["name"], 50.0, 3, None),
    ], got
    assert len({i["code"] for i in item.indicators}) == 6
    note = item.trace["indicators"].note
    assert item.trace["indicators"].confidence == GUESSED
    assert "mỗi chỉ tiêu gắn với mốc của ý nêu nó" in note and "cuối năm kế hoạch" in note, note
