"""A mail about one part of an item with several milestones names the milestone in its subject.

Sở Nội vụ's reminders of 117/KH-UBND:II.1.b's four milestones (three "kể từ ngày …" and one "từ ngày
01/7/2022") came as "[Đôn đốc] Chưa tiếp nhận nhiệm vụ 117/KH-UBND:II.1.b — Sở Nội vụ" twice the same
morning: only the body's "Mốc:" line told them apart, and in an inbox they read as one mail sent twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from dondoc.engine.clock import FrozenClock
from dondoc.engine.settings import Settings
from dondoc.notifications.context import milestone_in_subject
from dondoc.notifications.outbox import MailSpec, enqueue
from dondoc.notifications.render import KINDS
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

ITEM = "99/KH-TEST:II.1"  # two milestones: "Phê duyệt cấp độ" (30/6/2022), "Triển khai phương án" (15/11/2022)
ONE = "99/KH-TEST:II.2"  # one milestone (VP UBND tỉnh's)
PER_PART = [k for k in KINDS if not k.startswith("digest_")]
ROLE_OF = {
    "report_unverified": "secretariat",
    "escalation": "vice-chair",
    "partner_input": "partner",
    "explanation_answer": "secretariat",
    "extension_request": "secretariat",
}
EMAIL = {
    "agency": "so-noi-vu@dondoc.example",
    "partner": "so-noi-vu@dondoc.example",
    "secretariat": "to-giup-viec@dondoc.example",
    "vice-chair": "pho-truong-ban@dondoc.example",
}
DATA = {
    "days_before_due": 7,
    "working_days_overdue": 3,
    "working_days_waiting": 5,
    "comment": "Đề nghị làm rõ.",
    "requested_due": "2022-12-30",
    "requested_due_vi": "30/12/2022",
    "to_due_vi": "30/12/2022",
}


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]


def _subject(
    session: Session, clock: FrozenClock, tmp_path: Path, kind: str, item: str, seq: int, agency: str = "so-noi-vu"
) -> str:
    a = assignment_for(session, item, agency, seq)
    role = ROLE_OF.get(kind, "agency")
    data: dict[str, Any] = {"due_at": a.due_at.isoformat() if a.due_at else None, **DATA}
    spec = MailSpec(f"{kind}:{role}:{a.id}", kind, role, EMAIL[role], None, a.id, "test-1", False, data)
    row = enqueue(session, spec, now=clock.now(), settings=_settings(tmp_path))
    assert row is not None
    return row.subject


@pytest.mark.parametrize("kind", PER_PART)
def test_each_milestone_has_its_own_subject(session: Session, clock: FrozenClock, tmp_path: Path, kind: str) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    first = _subject(session, clock, tmp_path, kind, ITEM, 1)
    second = _subject(session, clock, tmp_path, kind, ITEM, 2)
    assert first != second, first
    end = "; gửi sau cùng: Sở Nội vụ)" if kind == "partner_input_received" else ")"
    assert f"{ITEM} (mốc: Phê duyệt cấp độ{end}" in first, first
    assert f"{ITEM} (mốc: Triển khai phương án{end}" in second, second
    # the subject's other parts stay: the prefix, the body's short name, the lateness words
    for subject in (first, second):
        assert subject.startswith("[Đôn đốc] ") and "Sở Nội vụ" in subject and subject.count("(mốc:") == 1
    if kind == "overdue":
        assert first.startswith("[Đôn đốc] Quá hạn 3 ngày làm việc: 99/KH-TEST:II.1 (mốc: Phê duyệt cấp độ) — ")
    if kind == "reminder":
        assert first.startswith("[Đôn đốc] Nhắc hạn: còn 7 ngày làm việc — 99/KH-TEST:II.1 (mốc: Phê duyệt cấp độ)")


@pytest.mark.parametrize("kind", ["reminder", "overdue", "unacknowledged", "escalation"])
def test_an_item_with_one_milestone_says_no_milestone(
    session: Session, clock: FrozenClock, tmp_path: Path, kind: str
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    subject = _subject(session, clock, tmp_path, kind, ONE, 1, agency="vp-ubnd")
    assert ONE in subject and "mốc" not in subject, subject


# The catalog's items with several milestones, as the replayed year mails them
TB_II_3_B = [
    (1, "Hoàn thiện, trình ban hành Quy chế hoạt động của Ban Chỉ đạo Chuyển đổi số tỉnh", "trước ngày 15/02/2022"),
    (2, "Thành lập Tổ Giúp việc thuộc Ban Chỉ đạo", "trước ngày 15/02/2022"),
    (3, "Ban hành Kế hoạch hoạt động của Ban Chỉ đạo Chuyển đổi số năm 2022", "trước ngày 15/02/2022"),
]
II_2_D = [
    (1, "Phân loại, xác định và phê duyệt đề xuất cấp độ hệ thống thông tin", "trước ngày 30/6/2022"),
    (
        2,
        "Triển khai đầy đủ phương án bảo đảm an toàn hệ thống thông tin theo cấp độ các hệ thống thông tin "
        "đang vận hành",
        "trước ngày 15/11/2022",
    ),
]
II_1_D = [
    (1, "100% công chức Bộ phận Một cửa tỉnh được cung cấp chứng thư số", "tháng 6/2022"),
    (2, "100% công chức Bộ phận Một cửa cấp huyện được cung cấp chứng thư số", "tháng 12/2022"),
    (3, "100% công chức Bộ phận Một cửa cấp xã được cung cấp chứng thư số", "tháng 6/2023"),
]
QUARTERS = [(1, "Quý I/2022", "trước ngày 20/03/2022"), (2, "Quý II/2022", "trước ngày 20/06/2022")]


def _said(milestones: list[tuple[int, str | None, str | None]]) -> list[str | None]:
    return [milestone_in_subject(seq, milestones) for seq, _, _ in milestones]


def test_a_short_label_is_said_whole() -> None:
    assert _said(QUARTERS) == ["Quý I/2022", "Quý II/2022"]
    assert _said(TB_II_3_B)[1] == "Thành lập Tổ Giúp việc thuộc Ban Chỉ đạo"


def test_long_labels_give_way_to_the_deadline_phrase_when_it_tells_them_apart() -> None:
    assert _said(II_2_D) == ["trước ngày 30/6/2022", "trước ngày 15/11/2022"]
    assert _said(II_1_D) == ["tháng 6/2022", "tháng 12/2022", "tháng 6/2023"]


def test_long_labels_of_one_date_are_shortened_at_a_word_and_stay_apart() -> None:
    said = _said(TB_II_3_B)
    # at a phrase's end, never inside "Ban Chỉ đạo"
    assert said == [
        "Hoàn thiện, trình ban hành Quy chế hoạt động…",
        "Thành lập Tổ Giúp việc thuộc Ban Chỉ đạo",
        "Ban hành Kế hoạch hoạt động…",
    ]
    two = [
        (1, "Rà soát, đánh giá lại nhiệm vụ, kinh phí; đề xuất, kiến nghị gửi Sở Thông tin và Truyền thông", "x"),
        (2, "Tổng hợp, phối hợp với Sở Tài chính, trình UBND tỉnh", "x"),
    ]
    assert _said(two) == ["Rà soát, đánh giá lại nhiệm vụ, kinh phí…", "Tổng hợp, phối hợp với Sở Tài chính…"]
    # a cut that would leave two alike goes on to the word that differs
    alike = [
        (1, "Số hóa 100% hồ sơ, kết quả giải quyết TTHC tiếp nhận tại Bộ phận một cửa cấp tỉnh", "năm 2022"),
        (2, "Số hóa 100% hồ sơ, kết quả giải quyết TTHC tiếp nhận tại Bộ phận một cửa cấp huyện", "năm 2022"),
    ]
    assert _said(alike) == [
        "Số hóa 100% hồ sơ, kết quả giải quyết TTHC tiếp nhận tại Bộ phận một cửa cấp tỉnh",
        "Số hóa 100% hồ sơ, kết quả giải quyết TTHC tiếp nhận tại Bộ phận một cửa cấp huyện",
    ]


def test_one_milestone_is_not_named_and_the_convention_note_is_left_to_the_body() -> None:
    assert milestone_in_subject(1, [(1, "Phê duyệt cấp độ", "trước ngày 30/6/2022")]) is None
    noted = [(1, "Năm 2022 (ngày do Tổ giúp việc quy ước)", "định kỳ"), (2, "Năm 2023", "định kỳ")]
    assert _said(noted) == ["Năm 2022", "Năm 2023"]
    unnamed = [(1, None, "trước ngày 30/6/2022"), (2, None, None)]
    assert _said(unnamed) == ["trước ngày 30/6/2022", "mốc 2"]
