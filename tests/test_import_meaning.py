"""dondoc import reads a plan as its author meant it: who is named, when work starts, what it could not read.

Small plans in the seeds' style (a task table after the prose, "các đơn vị", a start in the column of
completion, a report day of every quarter); each test names the reading it guards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dondoc.importer.draft import build_draft
from dondoc.importer.model import GUESSED
from dondoc.importer.reading import read_document
from tests.support.import_docs import HEADER

TODAY = date(2026, 12, 1)  # the reading day: the year of a document with no issue date

PLAN = (
    HEADER
    + """I. MỤC ĐÍCH, YÊU CẦU

- Bảo đảm thực hiện đúng tiến độ.

II. NHIỆM VỤ

1. Văn phòng UBND tỉnh chủ trì, phối hợp với các đơn vị hoàn thiện Cổng Dịch vụ công, hoàn thành trước ngày 30/9/2022.

2. Các đơn vị chủ động rà soát, cập nhật dữ liệu ngành; thời gian thực hiện: thường xuyên.

3. Sở Tài chính tổng hợp, báo cáo UBND tỉnh kết quả thực hiện Kế hoạch trước ngày 15/12/2022.

PHỤ LỤC

DANH MỤC NHIỆM VỤ

| TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Vận hành Mạng truyền số liệu chuyên dùng | Sở Thông tin và Truyền thông | Các đơn vị | Từ ngày 01/6/2022 |
| 2 | Số hóa hồ sơ lưu trữ | Sở Nội vụ | Sở Tài chính; các cơ quan | Bắt đầu từ ngày 15/10/2022 |
| 3 | Báo cáo chia sẻ dữ liệu | Sở Thông tin và Truyền thông | Sở Y tế | Hằng quý, trước ngày 20 của tháng cuối quý |
| 4 | Tập huấn kỹ năng số | Sở Nội vụ | | Quý IV/2022 |

Nơi nhận:
- Như trên;
"""
)


def _draft(tmp_path: Path, text: str = PLAN):  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.md"
    path.write_text(text, encoding="utf-8")
    return build_draft(read_document(path), today=TODAY)


def test_a_bare_cac_don_vi_names_nobody_and_waits_for_the_secretariat(tmp_path: Path) -> None:
    """ "Các đơn vị" in a partner cell was "không tìm thấy" and no `unnamed:` (published, nobody was asked
    to name the partners); "phối hợp với các đơn vị hoàn thiện …" in a sentence drafted no partner and
    no mark at all."""
    items = {item.section: item for item in _draft(tmp_path).items}
    assert items["PL.1"].partners == []
    assert items["PL.1"].unnamed == [{"role": "partner", "phrase": "Các đơn vị"}]
    assert items["PL.2"].partners == ["so-tai-chinh"]
    assert items["PL.2"].unnamed == [{"role": "partner", "phrase": "các cơ quan"}]
    assert items["II.1"].lead == ["vp-ubnd"] and items["II.1"].partners == []
    assert items["II.1"].unnamed == [{"role": "partner", "phrase": "các đơn vị"}]


def test_a_dated_task_of_the_prose_that_names_nobody_is_said_beside_a_table(tmp_path: Path) -> None:
    """A plan whose tasks are in a table narrates them in its prose, so the prose's unread sections were
    all left unsaid: "Các đơn vị chủ động rà soát …; thời gian thực hiện: thường xuyên" vanished from
    the draft without a word. A dated one is a task: said."""
    draft = _draft(tmp_path)
    assert "II.2" not in {item.section for item in draft.items}
    assert any(line.startswith("Mục II.2: có câu giao việc") for line in draft.unread), draft.unread


def test_a_start_in_the_column_of_completion_is_a_start_and_is_guessed(tmp_path: Path) -> None:
    """ "Bắt đầu từ ngày 15/10/2022" was not understood at all; "Từ ngày 01/6/2022" was a from_date
    marked "chắc chắn" though the text gives no end: a standing duty or a deadline left out, the
    secretariat's to say."""
    items = {item.section: item for item in _draft(tmp_path).items}
    for section, start in (("PL.1", "01/06/2022"), ("PL.2", "15/10/2022")):
        trace = items[section].trace["deadline"]
        assert trace.confidence == GUESSED, section
        assert trace.note == f"đọc là bắt đầu từ ngày {start}, không ghi hạn hoàn thành", section


def test_a_deadline_the_parser_refuses_for_a_known_reason_is_listed(tmp_path: Path) -> None:
    """Only the parser's catch-all refusal reached "Chưa đọc được"; one with a reason (a day of every
    quarter, several dates, a range ending before it starts) was marked on the field only."""
    draft = _draft(tmp_path)
    assert any(line.startswith("Mục PL.3: bộ đọc hạn không hiểu: một ngày của mỗi quý") for line in draft.unread)


def test_an_appendix_heading_joins_no_section(tmp_path: Path) -> None:
    """ "PHỤ LỤC" and its caption, with no "Nơi nhận" before them, joined the last section: II.3's
    report sentence ended in "PHỤ LỤC DANH MỤC NHIỆM VỤ" and was drafted as a task beside its duty."""
    draft = _draft(tmp_path)
    assert "II.3" not in {item.section for item in draft.items}
    assert [r.section for r in draft.reporting] == ["II.3"]
    assert all("PHỤ LỤC" not in item.content for item in draft.items)
    # the appendix's own numbered sections are still read
    task = "1. Sở Y tế chủ trì triển khai bệnh án điện tử trong Quý IV/2022.\n\n"
    prose_appendix = PLAN.replace("| TT | Nội dung", task + "| TT | Nội dung")
    items = {item.section: item for item in _draft(tmp_path, prose_appendix).items}
    assert items["1"].lead == ["so-y-te"] and items["1"].deadline == "trong Quý IV/2022"


NOTES_COLUMN = (
    HEADER.replace("ngày 05 tháng 3 năm 2022", "ngày 26 tháng 9 năm 2022")
    + """II. NHIỆM VỤ CỤ THỂ

| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian | Ghi chú |
|---|---|---|---|---|
| 1 | Cấp chứng thư số cho công chức Bộ phận Một cửa | Sở Thông tin và Truyền thông | Tháng 4/2022 | Đã hoàn thành |
| 2 | Đánh giá an toàn thông tin | Sở Thông tin và Truyền thông | Năm 2022 | Hoàn thành trước ngày 30/11/2022 |
| 3 | Thống kê hộ gia đình có cáp quang | Sở Thông tin và Truyền thông | Tháng 10/2022 | Doanh nghiệp cung cấp số liệu |
| 4 | Tổng hợp đề xuất kinh phí | Sở Tài chính | Chậm nhất ngày 31/5/2022 | |
| 5 | Rà soát danh mục dịch vụ công | Sở Nội vụ | Chưa hoàn thành | |

Nơi nhận:
- Như trên;
"""
)


def test_the_notes_column_and_a_date_before_the_issue_are_weighed_and_marked(tmp_path: Path) -> None:
    """A plan issued 26/09/2022: its "Ghi chú" cell had been kept as a note alone, so a task "Tháng
    4/2022 | Đã hoàn thành" stayed open with a certain date (overdue the day the plan was issued, every
    body told so) and "Năm 2022 | Hoàn thành trước ngày 30/11/2022" kept 31/12 as certain; a date with
    its own year before the issue ("Chậm nhất ngày 31/5/2022") was certain too. Each is now read and
    marked for the secretariat; a note that gives neither changes nothing."""
    items = {item.section: item for item in _draft(tmp_path, NOTES_COLUMN).items}
    done = items["PL.1"]
    assert done.done_at_issue and done.trace["done_at_issue"].confidence == GUESSED
    assert "Đã hoàn thành" in done.trace["done_at_issue"].note
    tighter = items["PL.2"].trace["deadline"]
    assert tighter.confidence == GUESSED and "hạn 30/11/2022), khác cột thời gian (hạn 31/12/2022)" in tighter.note
    plain = items["PL.3"]
    assert plain.trace["deadline"].confidence != GUESSED and not plain.done_at_issue
    early = items["PL.4"].trace["deadline"]
    assert early.confidence == GUESSED and "trước ngày ban hành 26/09/2022" in early.note
    assert not items["PL.5"].done_at_issue  # "chưa hoàn thành" is not done


def test_a_partner_dropped_as_the_lead_is_marked_when_the_lead_is_a_guess(tmp_path: Path) -> None:
    """A body missing from the directory ("Sở Thông tin và Truyền thông tỉnh Kon Tum") is guessed as
    Quảng Ngãi's; its partner, Quảng Ngãi's own, was then dropped as "the lead itself" and the empty
    partner list marked "chắc chắn": nothing told the reviewer a body was left out."""
    text = (
        HEADER
        + """II. NHIỆM VỤ

| TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Chia sẻ kinh nghiệm | Sở Thông tin và Truyền thông tỉnh Kon Tum | Sở Thông tin và Truyền thông | Quý IV/2022 |
| 2 | Vận hành Cổng | Sở Thông tin và Truyền thông | Sở Thông tin và Truyền thông; Sở Nội vụ | Quý IV/2022 |

Nơi nhận:
- Như trên;
"""
    )
    items = {item.section: item for item in _draft(tmp_path, text).items}
    guessed = items["PL.1"]
    assert guessed.trace["lead"].confidence == GUESSED
    assert (
        guessed.trace["partners"].confidence == GUESSED
        and "trùng cơ quan chủ trì đã đoán" in guessed.trace["partners"].note
    )
    certain = items["PL.2"]  # a lead read for sure: it does not partner with itself, as before
    assert certain.partners == ["so-noi-vu"] and "trùng" not in certain.trace["partners"].note


def test_a_group_narrowed_by_a_clause_names_nobody(tmp_path: Path) -> None:
    """04/KH-BCĐ II.7 (line 71): "Các sở, ban ngành, UBND các huyện, thị xã, thành phố có thành viên tham
    gia Đội ứng cứu sự cố …" names only the bodies with a member in the team, and the text does not say
    which: the draft gave the task to both whole groups (32 bodies), as a guess. It names nobody: no
    body, the phrase under `unnamed:` for the secretariat, the field marked. A bare group stays the group."""
    text = (
        HEADER
        + """II. NỘI DUNG

1. Chỉ đạo, điều phối hoạt động ứng cứu sự cố an toàn thông tin mạng

- Cơ quan chủ trì: Sở Thông tin và Truyền thông.

- Cơ quan phối hợp: Các sở, ban ngành, UBND các huyện, thị xã, thành phố có thành viên tham gia Đội ứng cứu sự \
cố an toàn thông tin mạng theo Quyết định số 1439/QĐ-UBND ngày 16/9/2021.

- Thời gian: Nhiệm vụ thường xuyên.

2. Ký kết chương trình hợp tác

- Cơ quan chủ trì: Sở Thông tin và Truyền thông.

- Cơ quan phối hợp: Sở Y tế; các sở, ban ngành thuộc khối văn xã.

- Thời gian: Quý IV/2022.

3. Ký kết Chiến lược

- Cơ quan chủ trì: Sở Thông tin và Truyền thông.

- Cơ quan phối hợp: Các sở, ban ngành; UBND các huyện, thị xã, thành phố.

- Thời gian: Quý III năm 2022.

Nơi nhận:
- Như trên;
"""
    )
    draft = _draft(tmp_path, text)
    items = {item.section: item for item in draft.items}
    team = items["II.1"]
    assert team.partners == []
    assert [u["role"] for u in team.unnamed] == ["partner"]
    assert team.unnamed[0]["phrase"].startswith("Các sở, ban ngành, UBND các huyện")
    assert "1439/QĐ-UBND" in team.unnamed[0]["phrase"]
    assert team.trace["partners"].confidence == GUESSED
    assert any(line.startswith("Mục II.1: nhóm @so-ban-nganh, @ubnd-cap-huyen bị giới hạn") for line in draft.unread)
    some = items["II.2"]  # a named body stays named; the narrowed group does not
    assert some.partners == ["so-y-te"]
    assert some.unnamed == [{"role": "partner", "phrase": "các sở, ban ngành thuộc khối văn xã"}]
    assert items["II.3"].partners == ["@so-ban-nganh", "@ubnd-cap-huyen"]


def test_a_body_whose_name_holds_a_bare_word_is_read_whole() -> None:
    """61/KH-UBND VI.1 (line 125): "Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh" is bcd-cqdt, a body of
    the directory; its "xây dựng" was blanked as the bare name of Sở Xây dựng written as a verb, and the
    rest was read as "Ban Chỉ đạo", the 2021 committee bcd-cds: another body. And "… Báo Quảng Ngãi xây
    dựng các chuyên trang" (TB kết luận II.6) quoted the verb as part of the bodies written."""
    from dondoc.importer.agencies import AgencyDirectory
    from dondoc.importer.prose import agency_prefix

    directory = AgencyDirectory.load()
    assert directory.resolve("Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh").codes == ["bcd-cqdt"]
    head = agency_prefix("Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh trực tiếp chỉ đạo công tác", directory)
    assert head is not None and head[0] == "Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh"
    head = agency_prefix("Đài Phát thanh và Truyền hình tỉnh, Báo Quảng Ngãi xây dựng các chuyên trang", directory)
    assert head is not None and head[0] == "Đài Phát thanh và Truyền hình tỉnh, Báo Quảng Ngãi"
    # the bare words written as words stay no body: "cơ sở y tế" is no Sở Y tế, "xây dựng" no Sở Xây dựng
    assert "so-y-te" not in directory.resolve("các cơ sở y tế trên địa bàn tỉnh").codes
    assert directory.resolve("Sở Tài chính xây dựng").codes == ["so-tai-chinh"]
