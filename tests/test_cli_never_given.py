"""`dondoc assignments list|show|act` say of work never given to a body that ended what its page
says: "Chưa giao (chờ Tổ giúp việc phân công lại)", and its history "Chưa giao: đến ngày … mới giao,
khi … đã không còn" (engine.services.successions.never_given_to), not "Đã giao" — on a real start
the CLI had listed 555 such parts of 2025 as "Đã giao"."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from tests.support.cli import dondoc, ok
from tests.support.successions import apply, at, load
from tests.test_succession_never_given import _catalog, _quarter


def test_the_cli_says_work_never_given_is_not_given(db_url: str, session: Session, tmp_path: Path) -> None:
    load(session, _catalog(tmp_path, "2022-07-01"), at("2022-03-02"))
    q3 = str(_quarter(session, "ubnd-binh-son", "2022-Q3").id)
    apply(session, at("2022-07-01", 7))
    session.commit()
    waiting = "Chưa giao (chờ Tổ giúp việc phân công lại)"
    listed = ok(dondoc(db_url, "assignments", "list", "--agency", "ubnd-binh-son", now="2022-07-04T09:00"))
    (row,) = [line for line in listed.splitlines() if line.startswith(q3 + " ")]
    assert waiting in row and "Đã giao" not in row, row
    shown = ok(dondoc(db_url, "assignments", "show", q3, now="2022-07-04T09:00"))
    assert f"Trạng thái: {waiting}" in shown, shown
    assert "Chưa giao: đến ngày 01/07/2022 mới giao, khi UBND huyện Bình Sơn đã không còn" in shown, shown
    assert "Đã giao" not in shown, shown
    done = ok(
        dondoc(
            db_url,
            "assignments",
            "act",
            q3,
            "cancel",
            "--as",
            "secretariat",
            "--comment",
            "Cấp huyện kết thúc",
            now="2022-07-04T10:00",
        )
    )
    assert "nay Đã hủy" in done, done
    shown = ok(dondoc(db_url, "assignments", "show", q3, now="2022-07-04T11:00"))
    (cancel,) = [line for line in shown.splitlines() if "Cấp huyện kết thúc" in line]
    assert "Chưa giao  " in cancel and "Đã hủy" in cancel and "Đã giao" not in shown, shown
