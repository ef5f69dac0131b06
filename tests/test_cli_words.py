"""What the command line tells a person is Vietnamese, one line for an error, and true."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.support.cli import dondoc, ok


def test_deliver_without_smtp_says_where_mail_goes_in_vietnamese(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """It said "SMTP not configured: mail goes to var/maildrop" (on stderr, Python's last-resort
    handler: the command configures no logging; pytest's own handler stands in for it here)."""
    drop = tmp_path / "drop"
    env = {"DONDOC_MAILDROP_DIR": str(drop), "DONDOC_BASE_URL": "http://dondoc.test", "DONDOC_SMTP_HOST": None}
    with caplog.at_level(logging.WARNING, logger="dondoc.notifications"):
        ok(dondoc(db_url, "deliver", now="2022-03-03T09:00", env=env))
    said = [r.getMessage() for r in caplog.records if r.name == "dondoc.notifications"]
    assert said == [f"Chưa cấu hình SMTP (DONDOC_SMTP_HOST): thư được ghi vào thư mục {drop}"], said
