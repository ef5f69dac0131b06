"""Small synthetic documents for the import tests (Vietnamese, in the shapes the real plans use)."""

from __future__ import annotations

from pathlib import Path

HEADER = """Số: 12/KH-UBND

Quảng Ngãi, ngày 05 tháng 3 năm 2022

KẾ HOẠCH

Thử nghiệm nhập văn bản

"""

PROSE = (
    HEADER
    + """I. MỤC ĐÍCH, YÊU CẦU

- Các sở, ban, ngành thực hiện nghiêm túc.

II. NỘI DUNG

1. Số hóa hồ sơ

a) Xây dựng kho dữ liệu

- Nội dung: Xây dựng kho dữ liệu dùng chung. Tỷ lệ hồ sơ được số hóa đạt 80%.

- Thời hạn hoàn thành: Tháng 9/2022.

- Cơ quan chủ trì: Sở Thông tin và Truyền thông.

- Cơ quan phối hợp: Sở Tài chính, các cơ quan, đơn vị liên quan.

b) Triển khai IPv6

- Cơ quan chủ trì: Văn phòng UBND tỉnh.

- Cơ quan thực hiện: Các sở, ban, ngành, UBND các huyện, thị xã, thành phố.

- Thời gian hoàn thành: Quý IV/2022 (đã hoàn thành).

2. Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư bố trí kinh phí; hoàn thành trước ngày 15/11/2022.

Nơi nhận:
- Như trên;
"""
)


def table_text(order: tuple[str, ...]) -> str:
    """A pipe table of two groups and three tasks, columns in ``order`` (names of the columns below)."""
    columns = {
        "tt": "TT",
        "content": "Nội dung nhiệm vụ",
        "lead": "Cơ quan chủ trì",
        "partner": "Cơ quan phối hợp",
        "deadline": "Thời gian hoàn thành",
    }
    rows = [
        {"tt": "I", "content": "Hạ tầng số", "lead": "", "partner": "", "deadline": ""},
        {
            "tt": "1",
            "content": "Nâng cấp mạng",
            "lead": "Sở Y tế",
            "partner": "Sở Tài chính",
            "deadline": "Tháng 12/2022",
        },
        {
            "tt": "2",
            "content": "Xây dựng trục",
            "lead": "Công an tỉnh",
            "partner": "Các sở, ban ngành",
            "deadline": "2021-2025",
        },
        {"tt": "", "content": "liên thông văn bản", "lead": "", "partner": "", "deadline": ""},
        {"tt": "II", "content": "Nhân lực", "lead": "", "partner": "", "deadline": ""},
        {"tt": "1", "content": "Tập huấn", "lead": "Sở Nội vụ", "partner": "", "deadline": "Quý IV/2022"},
    ]
    lines = ["| " + " | ".join(columns[c] for c in order) + " |", "|" + "---|" * len(order)]
    lines += ["| " + " | ".join(row[c] for c in order) + " |" for row in rows]
    return HEADER + "DANH MỤC NHIỆM VỤ\n\n" + "\n".join(lines) + "\n"


def merged_docx(path: Path) -> Path:
    """A DOCX task table with a group row merged across the row and a lead cell merged down two rows."""
    import docx

    document = docx.Document()
    for line in HEADER.strip().splitlines():
        if line.strip():
            document.add_paragraph(line)
    table = document.add_table(rows=5, cols=4)
    for c, text in enumerate(["STT", "Cơ quan chủ trì", "Nhiệm vụ", "Thời hạn"]):
        table.cell(0, c).text = text
    group = table.cell(1, 0).merge(table.cell(1, 3))
    group.text = "I"
    table.cell(1, 0).text = "I"
    for r, (tt, task, when) in enumerate(
        [("1", "Số hóa hồ sơ", "Tháng 6/2022"), ("2", "Cấp chứng thư số", "Tháng 12/2022")], 2
    ):
        table.cell(r, 0).text = tt
        table.cell(r, 2).text = task
        table.cell(r, 3).text = when
    lead = table.cell(2, 1).merge(table.cell(3, 1))
    lead.text = "Sở Thông tin và Truyền thông"
    table.cell(4, 0).text = "3"
    table.cell(4, 1).text = "Sở Y tế"
    table.cell(4, 2).text = "Bệnh án điện tử"
    table.cell(4, 3).text = "Năm 2022"
    document.save(str(path))
    return path


def numbered_docx(path: Path) -> Path:
    """A DOCX whose section numbers are Word's automatic numbering (style "List Number")."""
    import docx

    document = docx.Document()
    for line in HEADER.strip().splitlines():
        if line.strip():
            document.add_paragraph(line)
    for title, lead, when in [
        ("Xây dựng kho dữ liệu", "Sở Tài chính", "Tháng 6/2022"),
        ("Triển khai IPv6", "Sở Y tế", "Tháng 9/2022"),
    ]:
        document.add_paragraph(title, style="List Number")
        document.add_paragraph(f"Cơ quan chủ trì: {lead}.")
        document.add_paragraph(f"Thời hạn hoàn thành: {when}.")
    document.save(str(path))
    return path


def paged_pdf(path: Path, text: str) -> Path:
    """``text`` as a PDF of several pages with a running head and a page number on each page, and a
    sentence broken across the first page break."""
    from fpdf import FPDF

    from tests.support.documents import font_file

    class Paged(FPDF):
        def header(self) -> None:
            self.set_font("body", size=8)
            self.cell(0, 5, "UBND TỈNH QUẢNG NGÃI - KẾ HOẠCH THỬ NGHIỆM", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("body", size=8)
            self.cell(0, 5, f"- {self.page_no()} -", align="C")

    pdf = Paged(format="A5")
    pdf.add_font("body", fname=font_file())
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("body", size=10)
    for line in text.splitlines():
        if line.strip():
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


# a task sentence ending in its report (II.1), a task with no deadline (II.2), one due on a Sunday (II.3,
# 30/10/2022) beside one due on a Friday (II.4), one done when the plan was issued (II.5), and a
# report alone (II.6)
TOLD = (
    HEADER
    + """I. MỤC ĐÍCH, YÊU CẦU

- Bảo đảm thực hiện đúng tiến độ.

II. NHIỆM VỤ

1. Công an tỉnh chủ trì, phối hợp với Sở Thông tin và Truyền thông triển khai Đề án 06, báo cáo hằng quý \
về UBND tỉnh trước ngày 20 của tháng cuối quý.

2. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính xây dựng quy chế số hóa hồ sơ lưu trữ.

3. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí, hoàn thành trước ngày 30/10/2022.

4. Sở Y tế chủ trì triển khai hồ sơ sức khỏe điện tử, hoàn thành trước ngày 30/9/2022.

5. Văn phòng UBND tỉnh chủ trì nâng cấp Cổng thông tin điện tử tỉnh (đã hoàn thành).

6. Sở Nội vụ tổng hợp, báo cáo UBND tỉnh kết quả thực hiện Kế hoạch định kỳ hằng quý trước ngày 25 của tháng cuối quý.

Nơi nhận:
- Như trên;
"""
)

# Labelled tasks whose dates stand in their content, with no Thời hạn line (117/KH-UBND II.1.đ, II.4.c).
CONTENT_DATES = (
    HEADER
    + """II. NỘI DUNG

1. Chuyển đổi số

a) Triển khai nền tảng phát thanh số

- Nội dung: Triển khai nền tảng phát thanh số, đảm bảo đến tháng 9/2022 có ít nhất 50% số xã áp dụng.

- Cơ quan chủ trì: Sở Thông tin và Truyền thông.

b) Cấp chứng thư số

- Nội dung: 100% công chức Một cửa tỉnh vào tháng 6/2022; 100% công chức Một cửa huyện vào tháng 12/2022.
Trong đó, đến ngày 01/7/2022, cấp đủ chứng thư số.

- Cơ quan chủ trì: Sở Thông tin và Truyền thông.

c) Số hóa hồ sơ

- Nội dung: Số hóa hồ sơ tại Bộ phận Một cửa tỉnh kể từ ngày 01/6/2022.

- Cơ quan chủ trì: Văn phòng UBND tỉnh.

d) Chuyển đổi IPv6

- Nội dung: Chuyển đổi IPv6, hoàn thành trong tháng 10/2022.

- Thời hạn hoàn thành: Tháng 12/2022.

- Cơ quan chủ trì: Sở Thông tin và Truyền thông.

2. Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ban, ngành thực hiện các chỉ tiêu sau đây:

- Tỷ lệ số hóa hồ sơ đạt 100% (tại Bộ phận Một cửa tỉnh từ ngày 01/6/2022).

- Triển khai nền tảng phát thanh số, đảm bảo đến tháng 9/2022 có ít nhất 50% số xã áp dụng.

Nơi nhận:
- Như trên;
"""
)


# a Thông báo kết luận in the shape of the seeds' 003 (its day blank, its meeting dated), with its sentences
CONCLUSION = """Số: /TB-UBND

Quảng Ngãi, ngày tháng 01 năm 2022

THÔNG BÁO

Kết luận của Chủ tịch UBND tỉnh tại cuộc họp triển khai nhiệm vụ Ban Chỉ đạo năm 2022

Ngày 19/01/2022, Chủ tịch UBND tỉnh chủ trì cuộc họp triển khai nhiệm vụ Ban Chỉ đạo năm 2022; cùng dự họp có các thành viên Ban Chỉ đạo (thành lập tại Quyết định số 1742/QĐ-UBND ngày 08/11/2021 của Chủ tịch UBND tỉnh).

I. Đánh giá chung

Thời gian qua, tỉnh đã ban hành các văn bản chỉ đạo.

II. Phương hướng nhiệm vụ năm 2022

1. Nhiệm vụ trọng tâm của các sở, ban ngành; UBND cấp huyện trong thời gian đến

a) Chủ động, ưu tiên triển khai thực hiện nhiệm vụ xây dựng các cơ sở dữ liệu chuyên ngành, đáp ứng yêu cầu triển khai nhiệm vụ của mỗi cơ quan, đơn vị.

b) Thực hiện rà soát, đánh giá lại nhiệm vụ, kinh phí đã bố trí để phát triển chính quyền điện tử, chuyển đổi số và có đề xuất, kiến nghị những nhiệm vụ cụ thể cần ưu tiên làm trước trong năm 2022 và các năm tiếp theo, gửi Sở Thông tin và Truyền thông tổng hợp, phối hợp với Sở Tài chính, trình UBND tỉnh xem xét, chỉ đạo; hoàn thành trong tháng 02/2022.

2. Sở Thông tin và Truyền thông

a) Phối hợp với các cơ quan, đơn vị tham mưu đề xuất bổ sung kinh phí để thực hiện một số nhiệm vụ trọng tâm làm nền tảng cho phát triển chuyển đổi số của tỉnh trong thời gian tới như: nâng cấp, mở rộng Trung tâm dữ liệu tỉnh.

b) Chủ trì phối hợp với các doanh nghiệp lớn, có uy tín, được Bộ Thông tin và Truyền thông xác định là vai trò dẫn dắt về chuyển đổi số thực hiện hỗ trợ, tư vấn xây dựng Chiến lược chuyển đổi số tỉnh Quảng Ngãi đến năm 2030.

3. Sở Tài chính cân đối, tham mưu cấp có thẩm quyền bố trí từ nguồn vượt thu ngân sách năm 2021; định kỳ hàng năm báo cáo Ban Chỉ đạo.

Nơi nhận:
- Như trên;
"""  # noqa: E501

# labelled items in the shape of 04/KH-BCĐ II.8 and II.11, with their sentences
ACTIVITIES = """Số: 04/KH-BCĐ

Quảng Ngãi, ngày 10 tháng 3 năm 2022

KẾ HOẠCH

Hoạt động của Ban Chỉ đạo chuyển đổi số tỉnh Quảng Ngãi năm 2022

I. MỤC ĐÍCH, YÊU CẦU

- Bảo đảm thực hiện đúng tiến độ.

II. NHIỆM VỤ

1. Phân công thành viên Ban Chỉ đạo chịu trách nhiệm và theo dõi, thúc đẩy thực hiện các chỉ số chuyển đổi số (DTI) trên địa bàn tỉnh

- Cơ quan tham mưu: Sở Thông tin và Truyền thông.

- Cơ quan phối hợp: các sở, ban, ngành là thành viên Ban Chỉ đạo.

- Mục tiêu: Đẩy mạnh công tác phát triển chuyển đổi số và nâng cao thứ hạng đánh giá về chuyển đổi số tỉnh Quảng Ngãi trong năm 2022.

- Thời gian hoàn thành: Tháng 4/2022.

2. Chỉ đạo, theo dõi và đôn đốc việc triển khai thực hiện một số chỉ tiêu, nhiệm vụ trọng tâm về chuyển đổi số năm 2022 theo các kế hoạch đã ban hành

a) Chỉ tiêu, nhiệm vụ trọng tâm:

- Hỗ trợ doanh nghiệp nhỏ và vừa trên địa bàn tỉnh Quảng Ngãi thực hiện chuyển đổi số.

b) Chủ trì tham mưu: Sở Thông tin và Truyền thông.

c) Cơ quan phối hợp: Thành viên Ban Chỉ đạo; UBND các huyện, thị xã, thành phố.

d) Thời gian: Thường xuyên.

3. Tập huấn kỹ năng số

- Nội dung: Tổ chức tập huấn kỹ năng số cho cán bộ, công chức.

- Cơ quan chủ trì: Sở Nội vụ.

- Thời gian hoàn thành: Quý IV/2022.

Nơi nhận:
- Như trên;
"""  # noqa: E501


# a labelled task whose content dates each level of government apart (117/KH-UBND II.1.đ)
LEVELS = (
    HEADER
    + "\n\n".join(
        [
            "II. NỘI DUNG",
            "1. Thủ tục hành chính",
            "a) Thúc đẩy cung cấp chứng thư số",
            "- Nội dung: Về cung cấp chứng thư số: 100% đối với công chức Bộ phận Một cửa tỉnh vào tháng 6/2022;"
            " 100% đối với công chức Bộ phận Một cửa cấp huyện vào tháng 12/2022 và 100% đối với công chức Bộ phận"
            " Một cửa cấp xã vào tháng 6/2023. Trong đó, đến ngày 01/7/2022, cấp đủ 100% chứng thư số cho cán bộ"
            " trực tiếp liên quan đến số hóa 25 TTHC thiết yếu.",
            "- Cơ quan chủ trì: Sở Thông tin và Truyền thông.",
            "- Cơ quan thực hiện: Các sở, ban, ngành, UBND các huyện, thị xã, thành phố.",
        ]
    )
    + "\n"
)
