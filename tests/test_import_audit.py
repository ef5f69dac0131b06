"""What an audit of the five seeds found the import reading against the catalog's meaning: a province's plan
to submit given to every implementer with its date, and the undated bullet of the implementers' own work
dropped (117/KH-UBND II.4.d); milestones due before the plan's issue not flagged when guessed (II.1.đ);
a "Ghi chú" condition kept as a note while the column's date stayed certain (61/KH-UBND PL.I.2); reports
with no last period (61/KH-UBND's quarters of 2020–2025 lost, 1834/UBND-KGVX's phantom second half-year);
the communes' milestone given to every partner ("số xã, phường, thị trấn"). Each test names its reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from dondoc.importer.draft import build_draft
from dondoc.importer.model import CERTAIN, GUESSED
from dondoc.importer.reading import read_document
from dondoc.importer.review import plan_yaml, to_state
from dondoc.tasks_catalog.schema import PlanFile

TODAY = date(2026, 12, 1)


def _head(number: str, day: str, title: str) -> str:
    return f"Số: {number}\n\nQuảng Ngãi, {day}\n\nKẾ HOẠCH\n\n{title}\n\n"


def _draft(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "kh.txt"
    path.write_text(text, encoding="utf-8")
    document = read_document(path)
    return build_draft(document, today=TODAY), document


def _plan(draft, document) -> PlanFile:  # type: ignore[no-untyped-def]
    return PlanFile.model_validate(yaml.safe_load(plan_yaml(to_state(draft, document))))


CLOUD = _head("117/KH-UBND", "ngày 27 tháng 7 năm 2022", "Bổ sung nhiệm vụ chuyển đổi số năm 2022") + "\n\n".join(
    [
        "II. NỘI DUNG",
        "4. Triển khai các nền tảng số",
        "d) Sử dụng nền tảng điện toán đám mây",
        "- Nội dung:",
        "+ Trình ban hành Kế hoạch chuyển đổi sang sử dụng nền tảng điện toán đám mây giai đoạn 2023-2025 trên địa"
        " bàn tỉnh Quảng Ngãi: Hoàn thành trong Quý IV/2022.",
        "+ Triển khai theo kế hoạch hàng năm sử dụng hoặc dịch chuyển lên nền tảng điện toán đám mây, trong đó đặc"
        " biệt chú trọng tới việc bảo đảm an toàn thông tin; ưu tiên hình thức thuê dịch vụ chuyên nghiệp.",
        "- Cơ quan chủ trì: Sở Thông tin và Truyền thông.",
        "- Cơ quan thực hiện: Các sở, ban, ngành, UBND các huyện, thị xã, thành phố.",
    ]
)


def test_the_province_s_plan_is_the_lead_s_and_the_undated_bullet_a_milestone_of_its_own(tmp_path: Path) -> None:
    """117/KH-UBND II.4.d: one milestone "Trình ban hành Kế hoạch … Quý IV/2022" had been every implementer's
    (~33 bodies told of a deadline that is the lead's), and the implementers' bullet "+ Triển khai theo kế
    hoạch hàng năm …" dropped."""
    draft, document = _draft(tmp_path, CLOUD)
    item = draft.items[0]
    assert item.implementers == ["@so-ban-nganh", "@ubnd-cap-huyen"]
    assert [m["deadline"] for m in item.milestones] == ["Hoàn thành trong Quý IV/2022", "Theo kế hoạch hàng năm"]
    first, second = item.milestones
    assert first["implementers"] == []  # the lead's alone
    assert "implementers" not in second  # every body of the item
    assert second["label"].startswith("Triển khai theo kế hoạch hàng năm")
    trace = item.trace["deadline"]
    assert trace.confidence == GUESSED
    assert "chỉ cơ quan chủ trì" in trace.note and "ý không ghi thời hạn" in trace.note, trace.note
    plan = _plan(draft, document)
    assert [m.implementers for m in plan.items[0].milestones] == [[], None]


def test_a_bullet_with_no_date_gets_no_invented_date(tmp_path: Path) -> None:
    """An undated bullet that names no manner of time is a standing duty, said for the secretariat to date."""
    text = CLOUD.replace("Triển khai theo kế hoạch hàng năm sử dụng", "Triển khai sử dụng")
    draft, document = _draft(tmp_path, text)
    second = draft.items[0].milestones[1]
    assert second["deadline"] == "Thường xuyên"
    assert "Thường xuyên" in draft.items[0].trace["deadline"].note
    _plan(draft, document)


def test_a_plan_the_implementers_submit_of_their_own_stays_theirs(tmp_path: Path) -> None:
    text = CLOUD.replace("+ Trình ban hành Kế hoạch", "+ Xây dựng Kế hoạch").replace(
        "trên địa bàn tỉnh Quảng Ngãi", "của cơ quan, đơn vị"
    )
    draft, _ = _draft(tmp_path, text)
    assert "implementers" not in draft.items[0].milestones[0]


LEVELS = _head("117/KH-UBND", "ngày 27 tháng 7 năm 2022", "Bổ sung nhiệm vụ chuyển đổi số năm 2022") + "\n\n".join(
    [
        "II. NỘI DUNG",
        "1. Thủ tục hành chính",
        "đ) Thúc đẩy cung cấp chứng thư số",
        "- Nội dung: 100% đối với công chức Bộ phận Một cửa tỉnh vào tháng 6/2022; 100% đối với công chức Bộ phận"
        " Một cửa cấp huyện vào tháng 12/2022.",
        "- Cơ quan chủ trì: Sở Thông tin và Truyền thông.",
        "- Cơ quan thực hiện: Các sở, ban, ngành, UBND các huyện, thị xã, thành phố.",
    ]
)


def test_a_guessed_milestone_before_the_issue_is_flagged(tmp_path: Path) -> None:
    """117/KH-UBND II.1.đ (issued 27/07/2022): "vào tháng 6/2022", guessed from the content, had no word
    that it is overdue the day it is given (the check ran on certain deadlines only)."""
    draft, _ = _draft(tmp_path, LEVELS)
    note = draft.items[0].trace["deadline"].note
    said = note.split("quá hạn ngay khi giao: ")[1]
    assert said.startswith("mốc “100% đối với công chức Bộ phận Một cửa tỉnh” (tháng 6/2022, hạn 30/06/2022);"), note
    assert note.count("quá hạn ngay khi giao") == 1  # tháng 12/2022 is not early


NOTED = _head("61/KH-UBND", "ngày 10 tháng 4 năm 2019", "Thực hiện Nghị quyết 17/NQ-CP") + "\n".join(
    [
        "II. NHIỆM VỤ",
        "",
        "| TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Ghi chú |",
        "|---|---|---|---|---|---|",
        "| 1 | Hướng dẫn thuê dịch vụ CNTT | Sở Thông tin và Truyền thông | Sở Tài chính | Quý IV/2019 |"
        " Khi có hướng dẫn của Bộ Thông tin và Truyền thông. |",
        "| 2 | Áp dụng mã định danh điện tử | Sở Thông tin và Truyền thông | Sở Tài chính | Năm 2020 |"
        " Sau khi Thủ tướng Chính phủ ban hành |",
        "| 3 | Kết nối trục liên thông | Văn phòng UBND tỉnh | Sở Tài chính | Năm 2020 |"
        " Theo hướng dẫn của Văn phòng Chính phủ |",
        "",
    ]
)


def test_a_note_s_condition_is_the_item_s_precondition_and_the_date_a_guess(tmp_path: Path) -> None:
    """61/KH-UBND PL.I.2, PL.I.4: the "Ghi chú" condition had gone to the notes only, the column's date
    kept certain; the catalog writes it as ``precondition:`` (shown with the date)."""
    draft, document = _draft(tmp_path, NOTED)
    first, second, third = draft.items
    assert first.precondition == "Khi có hướng dẫn của Bộ Thông tin và Truyền thông."
    assert first.deadline == "Quý IV/2019"
    assert first.trace["deadline"].confidence == GUESSED and "điều kiện" in first.trace["deadline"].note
    assert second.precondition == "Sau khi Thủ tướng Chính phủ ban hành"
    assert third.precondition is None  # "theo hướng dẫn": how, not when
    assert third.trace["deadline"].confidence == CERTAIN
    plan = _plan(draft, document)
    assert [i.precondition for i in plan.items] == [first.precondition, second.precondition, None]


REPORTS = _head(
    "61/KH-UBND",
    "ngày 10 tháng 4 năm 2019",
    "Thực hiện Nghị quyết 17/NQ-CP giai đoạn 2019 - 2020, định hướng đến 2025 của tỉnh Quảng Ngãi",
) + "\n\n".join(
    [
        "II. NHIỆM VỤ",
        "1. Sở Y tế chủ trì triển khai hồ sơ sức khỏe điện tử, hoàn thành trước ngày 30/9/2019.",
        "2. Các sở, ban ngành báo cáo hằng quý về Sở Thông tin và Truyền thông trước ngày 20 của tháng cuối quý.",
        "",
    ]
)


def test_a_multi_year_plan_s_reports_run_to_its_horizon(tmp_path: Path) -> None:
    """61/KH-UBND: quarterly reports with no last period scheduled 2019's quarters only; "định hướng đến
    2025" is the plan's horizon, proposed and guessed."""
    draft, _ = _draft(tmp_path, REPORTS)
    (report,) = draft.reporting
    entry = draft.reporting_entries()[0]
    assert (entry["first_period"], entry["last_period"]) == ("2019-Q2", "2025-Q4")
    assert report.trace["last_period"].confidence == GUESSED and "2025" in report.trace["last_period"].note


def test_no_horizon_no_last_period_and_said(tmp_path: Path) -> None:
    text = REPORTS.replace(" giai đoạn 2019 - 2020, định hướng đến 2025 của tỉnh Quảng Ngãi", "")
    draft, _ = _draft(tmp_path, text)
    assert "last_period" not in draft.reporting_entries()[0]
    assert any("kỳ cuối chưa xác định" in said for said in draft.unread), draft.unread


PAIR = """Số: 1834/UBND-KGVX
V/v triển khai thực hiện kế hoạch chuyển đổi số năm 2022

Quảng Ngãi, ngày 22 tháng 4 năm 2022

Chủ tịch UBND tỉnh có ý kiến như sau:

2. Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ban ngành, địa phương trên địa bàn tỉnh \
đẩy mạnh triển khai đảm bảo hoàn thành các chỉ tiêu sau đây:

- Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 100% (đối với thủ tục hành chính tiếp nhận \
tại Bộ phận một cửa cấp tỉnh từ ngày 01/6/2022; đối với thủ tục hành chính tiếp nhận tại Bộ phận một cửa cấp huyện \
từ ngày 01/12/2022).

- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 80%.

- Triển khai ứng dụng nền tảng phát thanh số trên địa bàn tỉnh, đảm bảo đến tháng 9/2022 có ít nhất 50% số xã, \
phường, thị trấn áp dụng nền tảng này.

- Định kỳ 6 tháng, 1 năm báo cáo UBND tỉnh việc thực hiện các chỉ tiêu tại Công văn này.
"""


def test_the_half_year_report_of_a_six_month_and_year_pair_is_the_first_half(tmp_path: Path) -> None:
    """1834/UBND-KGVX item 2: the half-year entry scheduled 2022-H2 too, a phantom report due the day of the
    annual one; the catalog's last_period 2022-H1."""
    draft, _ = _draft(tmp_path, PAIR)
    bounds = {e["period"]: (e.get("first_period"), e.get("last_period")) for e in draft.reporting_entries()}
    assert bounds == {"half_year": ("2022-H1", "2022-H1"), "year": ("2022", "2022")}


def test_the_communes_milestone_goes_to_the_communes(tmp_path: Path) -> None:
    """1834/UBND-KGVX item 2: "… có ít nhất 50% số xã, phường, thị trấn áp dụng" had been every partner's
    (~20 sở and the districts)."""
    draft, _ = _draft(tmp_path, PAIR)
    radio = draft.items[0].milestones[-1]
    assert radio["deadline"] == "đến tháng 9/2022"
    assert radio["partners"] == ["@ubnd-cap-xa"]


PARTNERING = _head("61/KH-UBND", "ngày 10 tháng 4 năm 2019", "Thực hiện Nghị quyết 17/NQ-CP") + "\n\n".join(
    [
        "VI. TỔ CHỨC THỰC HIỆN",
        "4. Sở Nội vụ:",
        "a) Chủ trì, phối hợp với Sở Thông tin và Truyền thông đẩy mạnh ứng dụng công nghệ thông tin trong cải cách"
        " hành chính; Phối hợp với Sở Thông tin và Truyền thông triển khai công tác đào tạo, bồi dưỡng nguồn nhân lực.",
        "6. Sở Tài chính:",
        "a) Chủ trì, phối hợp với Sở Kế hoạch và Đầu tư bố trí kinh phí chi thường xuyên.",
        "b) Phối hợp với Sở Thông tin và Truyền thông, Sở Kế hoạch và Đầu tư ban hành cơ chế chi ngân sách cho sự"
        " nghiệp ứng dụng công nghệ thông tin.",
        "",
    ]
)


def test_a_sentence_opening_with_partnering_names_no_lead_for_certain(tmp_path: Path) -> None:
    """61/KH-UBND VI.6.b ("Phối hợp với Sở Thông tin và Truyền thông, Sở Kế hoạch và Đầu tư ban hành …" under
    "Sở Tài chính:") and VI.4.a's second sentence: read as the heading's body leading, certain."""
    draft, _ = _draft(tmp_path, PARTNERING)
    items = {item.section: item for item in draft.items}
    assert items["VI.6.a"].trace["lead"].confidence == CERTAIN
    partnering = items["VI.6.b"]
    assert partnering.lead == ["so-tai-chinh"] and partnering.partners == ["so-tttt", "so-khdt"]
    assert partnering.trace["lead"].confidence == GUESSED
    assert "có thể chỉ là cơ quan phối hợp" in partnering.trace["lead"].note
    both = items["VI.4.a"]
    assert both.lead == ["so-noi-vu"] and both.trace["lead"].confidence == GUESSED
    assert "xem có tách nhiệm vụ" in both.trace["lead"].note
