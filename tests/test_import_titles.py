"""Titles in a draft are whole or say they are not: a công văn's trích yếu wrapped over several lines
(1834/UBND-KGVX lines 10–13) had been cut at "… của Ủy ban" and marked certain, and an item's title
taken from a long first sentence had been cut mid-word ("… và Phát triển ") with nothing to show it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dondoc.importer.draft import build_draft
from dondoc.importer.model import CERTAIN, GUESSED
from dondoc.importer.reading import read_document
from tests.support.documents import to_docx

TODAY = date(2026, 12, 1)

LETTER = """Số: 1834/UBND-KGVX
V/v triển khai thực hiện kế
hoạch hoạt động của Ủy ban
Quốc gia về chuyển đổi số
năm 2022

Quảng Ngãi, ngày 22 tháng 4 năm 2022

Kính gửi:

- Các sở, ban ngành, đơn vị;
- UBND các huyện, thị xã, thành phố.

Chủ tịch UBND tỉnh có ý kiến như sau:

{ONE}

{TWO}

- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 80%.
""".format(
    ONE="1. Sở Tài nguyên và Môi trường chủ trì, phối hợp với Sở Thông tin và Truyền thông thực hiện kết nối"
    " Cơ sở dữ liệu quốc gia về đất đai.",
    TWO="2. Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ban ngành, địa phương trên địa bàn tỉnh"
    " đẩy mạnh triển khai đảm bảo hoàn thành các mục tiêu, chỉ tiêu về Phát triển hạ tầng số và Phát triển"
    " chính phủ số sau đây:",
)


def _draft(tmp_path: Path, text: str, kind: str = "txt"):  # type: ignore[no-untyped-def]
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding="utf-8")
    if kind == "docx":
        path = to_docx(text, tmp_path / "cv.docx")
    return build_draft(read_document(path), today=TODAY)


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_a_trich_yeu_wrapped_over_lines_is_joined_whole_and_certain(tmp_path: Path, kind: str) -> None:
    draft = _draft(tmp_path, LETTER, kind)
    title = "V/v triển khai thực hiện kế hoạch hoạt động của Ủy ban Quốc gia về chuyển đổi số năm 2022"
    assert draft.header.title == title
    trace = draft.header.trace["title"]
    assert trace.confidence == CERTAIN and "xuống dòng" in trace.note, trace


def test_a_title_whose_end_the_reader_cannot_see_is_guessed(tmp_path: Path) -> None:
    """Lines that might still be the title, with no date line or preamble after them: not certain."""
    lines = ["Số: 7/UBND-KGVX", "V/v triển khai", "Kế hoạch chuyển đổi số", "Quốc gia", "Tỉnh Quảng Ngãi"]
    text = "\n".join(lines + ["Hội đồng", "Ban Chỉ đạo", ""]) + LETTER.split("\n", 5)[5]
    trace = _draft(tmp_path, text).header.trace["title"]
    assert trace.confidence == GUESSED and "không chắc đã đủ trích yếu" in trace.note, trace


def test_a_one_line_title_followed_by_the_preamble_stays_certain(tmp_path: Path) -> None:
    text = "Số: 12/KH-UBND\n\nQuảng Ngãi, ngày 05 tháng 3 năm 2022\n\nKẾ HOẠCH\n\nThử nghiệm nhập văn bản\n––––––\n\n"
    text += "Căn cứ Quyết định số 27/QĐ-UBQGCĐS ngày 15/3/2022, UBND tỉnh ban hành Kế hoạch như sau:\n\n"
    text += LETTER.split("như sau:\n\n", 1)[1]
    draft = _draft(tmp_path, text)
    assert draft.header.title == "Thử nghiệm nhập văn bản"
    assert draft.header.trace["title"].confidence == CERTAIN and not draft.header.trace["title"].note


def test_an_item_title_cut_from_a_long_sentence_ends_on_a_word_and_says_so(tmp_path: Path) -> None:
    items = {item.section: item for item in _draft(tmp_path, LETTER).items}
    title = items["2"].title
    assert len(title) <= 200 and title.endswith("…") and not title.endswith(" …"), title
    assert "Phát triển hạ tầng số và" in title and items["2"].content.startswith(title[:-1])
    assert items["2"].trace["title"].confidence == GUESSED and "rút gọn" in items["2"].trace["title"].note
    assert not items["1"].title.endswith("…") and "rút gọn" not in items["1"].trace["title"].note
