"""dondoc import names each target figure by its own words: the figure's subject, never the intro
sentence of a list nor the subject of the figure before it.

Vietnamese puts the subject after a percentage ("60% hồ sơ công việc tại cấp huyện"): the words
between two figures are the first figure's subject, not the second's. The sentences are the seeds'."""

from __future__ import annotations

import pytest

from dondoc.importer.targets import find_targets


def _named(text: str) -> list[tuple[float | list[float] | None, str]]:
    return [(i.get("target", i.get("target_range")), i["name"]) for i in find_targets(text)]


@pytest.mark.parametrize(
    ("text", "own", "not_own"),
    [
        (  # 61/KH-UBND line 35: three levels, three subjects after their figures
            "tối thiểu 80% hồ sơ công việc tại các sở, ban ngành, Ủy ban nhân dân các huyện, thành phố, 60% hồ sơ "
            "công việc tại cấp huyện và 30% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng (không bao "
            "gồm hồ sơ xử lý công việc có nội dung mật).",
            {80.0: "các sở", 60.0: "cấp huyện", 30.0: "cấp xã"},
            {60.0: "các sở", 30.0: "cấp huyện"},
        ),
        (  # 04/KH-BCĐ line 102: the 100 % is of the villages covered, not of the households on fibre
            "Đẩy mạnh phổ cập cáp quang băng rộng: Đạt tối thiểu 70% hộ gia đình có cáp quang, phủ sóng băng rộng "
            "di động tới 100% thôn/bản.",
            {70.0: "hộ gia đình có cáp quang", 100.0: "phủ sóng băng rộng di động tới 100% thôn/bản"},
            {100.0: "hộ gia đình"},
        ),
        (  # 117/KH-UBND line 230
            "Phân đầu đến hết năm 2022, có 50% trường học, cơ sở giáo dục và 50% bệnh viện, cơ sở y tế trên địa bàn "
            "tỉnh sử dụng các phương thức thanh toán không dùng tiền mặt.",
            {50.0: "bệnh viện"},
            {},
        ),
        (  # 61/KH-UBND line 57
            "đến cuối năm 2025, phần đầu 100% cấp tỉnh, 80% cấp huyện thực hiện họp thông qua hệ thống tại các "
            "cuộc họp của Ủy ban nhân dân.",
            {100.0: "cấp tỉnh", 80.0: "cấp huyện"},
            {80.0: "cấp tỉnh"},
        ),
    ],
)
def test_a_figure_is_named_by_the_subject_that_follows_it(
    text: str, own: dict[float, str], not_own: dict[float, str]
) -> None:
    named = _named(text)
    last = dict(named)  # of two equal figures, the later one is checked
    for figure, words in own.items():
        assert words in last[figure], named
    for figure, words in not_own.items():
        assert words not in last[figure], named


def test_the_second_of_two_levels_is_named_by_its_own_level() -> None:
    """117/KH-UBND line 69: the third 100 % was named "đối với … cấp huyện vào tháng 12/2022 và"."""
    text = (
        "Về cung cấp chứng thư số: 100% đối với công chức Bộ phận Một cửa tỉnh vào tháng 6/2022; 100% đối với "
        "công chức Bộ phận Một cửa cấp huyện vào tháng 12/2022 và 100% đối với công chức Bộ phận Một cửa cấp xã "
        "vào tháng 6/2023."
    )
    names = [name for _, name in _named(text)]
    assert "cấp xã" in names[-1] and "cấp huyện" not in names[-1], names
    assert names[0] == "Về cung cấp chứng thư số"


@pytest.mark.parametrize(
    "text",
    [
        # 1834/UBND-KGVX item 2 as the prose reader joins it: the intro, then "- " bullets
        "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ban ngành, địa phương trên địa bàn tỉnh đẩy mạnh "
        "triển khai đảm bảo hoàn thành các mục tiêu, chỉ tiêu về Phát triển hạ tầng số sau đây: - Tỷ lệ dân số "
        "trưởng thành có điện thoại thông minh đạt 80%. - Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng "
        "đạt 65%.",
        # 117/KH-UBND II.5 as the labelled reader keeps it: the intro, then "+" lines
        "Trong năm 2022, tỉnh Quảng Ngãi triển khai, đạt các chỉ tiêu sau đây:\n\n+ Tỷ lệ dân số trưởng thành có điện "
        "thoại thông minh đạt 80%.\n\n+ Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng đạt 65%.",
    ],
)
def test_the_intro_of_a_list_names_no_figure(text: str) -> None:
    assert _named(text) == [
        (80.0, "Tỷ lệ dân số trưởng thành có điện thoại thông minh"),
        (65.0, "Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng"),
    ]


def test_a_lettered_heading_line_names_no_figure() -> None:
    """04/KH-BCĐ II.11: the first figure was named "a) Chỉ tiêu, nhiệm vụ trọng tâm:\\n\\nĐẩy mạnh …"."""
    text = (
        "a) Chỉ tiêu, nhiệm vụ trọng tâm:\nĐẩy mạnh phổ cập danh tính số toàn dân: Đạt trên 30% người dân sử dụng "
        "ứng dụng định danh số."
    )
    [(figure, name)] = _named(text)
    assert figure == 30.0 and "Chỉ tiêu" not in name and "người dân sử dụng ứng dụng định danh số" in name


def test_per_group_figures_stay_one_target() -> None:
    """The readings kept: "… đạt 100%, của … đạt 90% và của … đạt 70%" and "30% đối với …, 20% đối với …"
    are one target with the other levels noted (117/KH-UBND II.1.d, II.1.c)."""
    d = find_targets(
        "Tỷ lệ xử lý văn bản, hồ sơ công việc (trừ hồ sơ mật) trên môi trường mạng của các sở, ban ngành đạt 100%, "
        "của các phòng, ban, đơn vị thuộc UBND cấp huyện đạt 90% và của UBND cấp xã đạt 70%."
    )
    assert [(i["target"], i.get("notes", "")[-8:]) for i in d] == [(100.0, "90%, 70%")]
    c = find_targets(
        "Hồ sơ TTHC thực hiện dịch vụ công trực tuyến mức độ 3, mức độ 4 phải đạt tỷ lệ tối thiểu 30% đối với cơ quan "
        "chuyên môn cấp tỉnh, 20% đối với các huyện: Bình Sơn, Sơn Tịnh và 10% đối với các huyện còn lại."
    )
    assert [(i["name"], i["target"]) for i in c] == [
        ("Hồ sơ TTHC thực hiện dịch vụ công trực tuyến mức độ 3, mức độ 4", 30.0)
    ]
