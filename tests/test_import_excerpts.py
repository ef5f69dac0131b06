"""Readings of the seeds a careful civil servant would not accept, each on the seed's own lines
(tests/fixtures/import_excerpts/, verbatim):

- 1834/UBND-KGVX item 2 ("… đạt 100% (đối với thủ tục hành chính tiếp nhận tại Bộ phận một cửa cấp tỉnh
  từ ngày 01/6/2022; … cấp huyện từ ngày 01/12/2022)"): each level's requirement holds from its day on.
  The starts were a note only, where the catalog has a milestone each (read as a start: no due date),
  the one its level's target is judged from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
