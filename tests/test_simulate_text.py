"""What ``dondoc simulate`` prints for people: Vietnamese, dates dd/mm/yyyy, leaders by their titles;
``--json`` keeps its keys (tests/test_replayed_year.py, tests/test_simulate_reorg.py read them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dondoc.cli.simulate_text import echo_summary
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok

_LADDER_QUIET = {"escalations": 0, "to_agencies": 0, "held_for_secretariat": 0, "secretariat_mailboxes": []}
RESULT = {
    "from": "2025-02-20",
    "to": "2025-03-12",
    "seed": 7,
    "sweeps": 21,
    "actions": {"acknowledge": 30, "report": 12, "verify": 11, "indicator_actual": 2},
    "delivered": 124,
    "mails": 120,  # a lead's list carries several notifications in one mail
    "duplicates": {"same_dedupe_key": 0, "same_decision": 1, "same_message_delivered": 2},
    "escalations": [
        {
            "date": "2025-02-24",
            "to": "vice-chair",
            "item": "61/KH-UBND:VI.1",
            "milestone": 13,
            "agency": "so-khdt",
            "due": "2025-02-17",
            "reported": None,
        },
        {
            "date": "2025-02-28",
            "to": "chair",
            "item": "61/KH-UBND:VI.1",
            "milestone": 13,
            "agency": "so-khdt",
            "due": "2025-02-17",
            "reported": "2025-03-04",
            "told": True,
        },
        {  # decided, then no longer true when the digest was built: not told, not listed
            "date": "2025-03-03",
            "to": "chair",
            "item": "61/KH-UBND:VI.3.e",
            "milestone": 9,
            "agency": "so-tttt",
            "due": "2024-12-25",
            "reported": None,
            "told": False,
        },
    ],
    "final_counts": {
        "chua_den_han": 9,
        "dang_thuc_hien_trong_han": 8,
        "dang_thuc_hien_qua_han": 7,
        "hoan_thanh_dung_han": 6,
        "hoan_thanh_qua_han": 5,
        "cho_dieu_kien": 4,
        "thuong_xuyen": 3,
        "thuong_xuyen_chua_ap_dung": 0,
        "da_huy": 2,
        "truoc_khi_theo_doi": 1,
    },
    "reorganisation": {
        "transferred": [
            {"succession": "2025-03-khdt-vao-tai-chinh", "from": "so-khdt", "to": "so-tai-chinh", "assignments": 7}
        ],
        "transferred_total": 7,
        "decided_by_secretariat": 2,
        "cancelled_while_waiting": 3,
        "waiting": [{"succession": "2025-03-tttt-tach", "from": "so-tttt", "assignments": 4}],
        "waiting_total": 4,
        "ladder": [
            {
                "date": "2025-03-01",
                "before": _LADDER_QUIET,
                "after": {
                    "escalations": 1,
                    "to_agencies": 119,
                    "held_for_secretariat": 5,
                    "secretariat_mailboxes": ["a@dondoc.example", "b@dondoc.example"],
                },
            },
        ],
        "mails_to_gone_bodies": 0,
    },
}

EXPECTED = """\
Đã diễn lại 20/02/2025–12/03/2025 (seed 7): 21 lần quét nhắc việc và chuyển cấp; thao tác: Tiếp nhận 30, \
Báo cáo kết quả 12, Xác nhận hoàn thành 11, Báo cáo số liệu thực hiện 2; 124 thông báo trong 120 thư ghi vào thư mục \
lưu thư maildrop
Trùng lặp (phải bằng 0): 0 khóa chống trùng dùng hai lần, 1 quyết định gửi thư lặp lại, 2 thư gửi hai lần

Báo cáo Lãnh đạo (chuyển cấp đến Phó Trưởng ban Thường trực và Trưởng Ban Chỉ đạo):
Ngày        Gửi đến                     Nhiệm vụ         Mốc  Cơ quan  Hạn         Đã báo cáo
----------  --------------------------  ---------------  ---  -------  ----------  ----------
24/02/2025  Phó Trưởng ban Thường trực  61/KH-UBND:VI.1  13   so-khdt  17/02/2025  —
28/02/2025  Trưởng Ban Chỉ đạo          61/KH-UBND:VI.1  13   so-khdt  17/02/2025  04/03/2025
Không kể 1 quyết định chuyển cấp không có trong bản tổng hợp nào gửi Lãnh đạo: không còn đúng khi lập bản tổng \
hợp (đã báo cáo, đã gia hạn, phần việc chờ phân công lại…), hoặc chưa đến bản tổng hợp kế tiếp

Tổ chức lại: 7 phần việc đã chuyển cho cơ quan kế nhiệm, trong đó 2 do Tổ giúp việc phân công lại; \
3 phần việc bị hủy sau khi chờ ở "Cần phân công lại" (Tổ giúp việc quyết định vào ngày làm việc thứ 3 \
kể từ khi phần việc vào danh sách chờ); 4 phần việc còn chờ; 0 thư gửi cho cơ quan đã không còn
Lần tổ chức lại             Cơ quan cũ  Cơ quan kế nhiệm  Phần việc
--------------------------  ----------  ----------------  ---------
2025-03-khdt-vao-tai-chinh  so-khdt     so-tai-chinh      7
2025-03-tttt-tach           so-tttt     (chờ quyết định)  4
Nhắc việc và chuyển cấp quanh ngày 01/03/2025: trước ngày này 0 lần báo cáo Lãnh đạo (trong bản tổng hợp), \
0 thư gửi cơ quan, 0 thư gửi Tổ giúp việc; từ ngày này 1 lần báo cáo Lãnh đạo (trong bản tổng hợp), 119 thư gửi \
cơ quan, 5 thư gửi Tổ giúp việc \
(a@dondoc.example, b@dondoc.example)

Số phần việc theo phân loại đến hết ngày 12/03/2025:
Phân loại                                    Số phần việc
-------------------------------------------  ------------
Chưa đến hạn                                 9
Đang thực hiện trong hạn                     8
Đang thực hiện quá hạn                       7
Hoàn thành đúng hạn                          6
Hoàn thành quá hạn                           5
Chờ điều kiện hoặc chưa có thời hạn          4
Nhiệm vụ thường xuyên                        3
Nhiệm vụ thường xuyên chưa đến ngày áp dụng  0
Đã hủy                                       2
Trước khi theo dõi                           1
"""


def test_the_summary_is_in_vietnamese_with_its_dates_and_leaders_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    echo_summary(RESULT, maildrop=Path("maildrop"))
    assert capsys.readouterr().out == EXPECTED


def test_no_escalation_is_said_in_words_and_no_reorganisation_is_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    quiet = {k: v for k, v in RESULT.items() if k != "reorganisation"} | {"escalations": [], "actions": {}}
    echo_summary(quiet, maildrop=Path("maildrop"))
    out = capsys.readouterr().out
    assert "thao tác: không có;" in out
    assert "\nBáo cáo Lãnh đạo (chuyển cấp đến Phó Trưởng ban Thường trực và Trưởng Ban Chỉ đạo): không có\n" in out
    assert "Ngày " not in out and "Tổ chức lại" not in out


_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_ENGLISH = re.compile(r"\b(replayed|sweeps|actions|mails|duplicates|escalations|vice-chair|chair|final counts)\b")


def test_a_replay_prints_its_summary_in_vietnamese(db_url: str, tmp_path: Path) -> None:
    """The command itself, on the small catalog: the ladder reaches both leaders in the window."""
    env = {"DONDOC_CATALOG_DIR": str(MIN_CATALOG), "DONDOC_MAILDROP_DIR": str(tmp_path / "drop")}
    out = ok(dondoc(db_url, "simulate", "--from", "2022-06-20", "--to", "2022-07-06", env=env))
    assert out.startswith("Đã diễn lại 20/06/2022–06/07/2022 (seed 1): 17 lần quét nhắc việc và chuyển cấp; ")
    assert "\nBáo cáo Lãnh đạo (chuyển cấp đến Phó Trưởng ban Thường trực và Trưởng Ban Chỉ đạo):\n" in out
    rows = [line for line in out.splitlines() if "99/KH-TEST:II.1" in line]
    assert {line.split("  ")[1].strip() for line in rows} == {"Phó Trưởng ban Thường trực", "Trưởng Ban Chỉ đạo"}
    assert all(re.match(r"\d{2}/\d{2}/\d{4}  ", line) for line in rows)
    assert "\nSố phần việc theo phân loại đến hết ngày 06/07/2022:\n" in out
    # the mails said written are the files in the mail drop: the 2022 replay said 3151 "thư" of 3013 files,
    # counting the notifications a lead's list carries inside another's mail
    said = re.search(r"; (\d+) thông báo trong (\d+) thư ghi vào thư mục lưu thư ", out)
    assert said is not None, out
    assert int(said.group(2)) == len(list((tmp_path / "drop").glob("*.eml"))) > 0
    assert not _ISO_DAY.search(out) and not _ENGLISH.search(out), out
