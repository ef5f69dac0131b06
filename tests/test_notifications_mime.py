"""The MIME stored at enqueue: assembled without the email package's generator, byte for byte
what the generator writes for the same message, and parsed back to the same headers and parts."""

from __future__ import annotations

import email
import email.policy
from email.header import decode_header, make_header
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.engine.settings import Settings
from dondoc.notifications.message import DEDUPE_HEADER, SMTP_POLICY, build_mime, render_mime

LONG_VI = (
    "[Đôn đốc] Nhắc hạn: nhiệm vụ II.1 - Xây dựng kế hoạch thực hiện Nghị quyết số 15 về chuyển đổi số "
    "của tỉnh, giai đoạn 2022–2025, tầm nhìn đến năm 2030 (lần thứ hai)"
)


def _settings(mail_from: str = "Ban Chỉ đạo CĐS <dondoc@dondoc.example>") -> Settings:
    return Settings(_env_file=None, mail_from=mail_from)  # type: ignore[call-arg]


def _row(**changes: Any) -> SimpleNamespace:
    row: dict[str, Any] = {
        "id": 7,
        "dedupe_key": "reminder:12:lead:2022-09-01",
        "recipient_email": "vanphong@sotc.gov.vn",
        "recipient_name": "Văn phòng Sở Tài chính",
        "subject": "[Đôn đốc] Nhắc hạn: nhiệm vụ II.1",
        "body_text": "Kính gửi Sở Tài chính,\n\nNhiệm vụ đến hạn ngày 30/09/2022.\n",
        "body_html": "<p>Kính gửi <b>Sở Tài chính</b>,</p>\n",
        "data": {},
        "mime": None,
    }
    return SimpleNamespace(**(row | changes))


def _reference(row: SimpleNamespace, settings: Settings) -> bytes:
    """What the email package's generator writes for the same message."""
    return build_mime(row, settings=settings).as_bytes(policy=SMTP_POLICY)


CASES = {
    "vietnamese": {},
    "long subject and name (folded encoded words)": {
        "subject": LONG_VI,
        "recipient_name": "Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi và các sở, ban, ngành liên quan",
    },
    "ascii only, long": {
        "subject": "[Dondoc] " + "reminder " * 20,
        "recipient_name": "Office of Finance",
        "dedupe_key": "digest_secretariat:" + "x" * 120,
    },
    "no name, spaces around the address": {"recipient_name": None, "recipient_email": "  a@b.vn "},
    "no html": {"body_html": None},
    "empty html": {"body_html": ""},
    "empty text": {"body_text": ""},
    "long body": {"body_text": ("Dòng dài: " + "đôn đốc " * 40 + "\n") * 30, "body_html": "<p>" + "ư" * 5000},
    "crlf and tabs in the body": {"body_text": "a\r\nb\tc\rd\n", "body_html": "x\r\n"},
    "quotes and commas in the name": {"recipient_name": 'Sở "Nội vụ", tỉnh'},
    "non-ascii dedupe key": {"dedupe_key": "yêu-cầu:12:đ"},
}


@pytest.mark.parametrize("changes", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("mail_from", ["Ban Chỉ đạo CĐS <dondoc@dondoc.example>", "dondoc@x.vn"])
def test_assembled_mime_is_what_the_generator_writes(changes: dict[str, Any], mail_from: str) -> None:
    row, config = _row(**changes), _settings(mail_from)
    assert render_mime(row, settings=config) == _reference(row, config)


@settings(max_examples=150, deadline=None)
@given(
    subject=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
    name=st.none() | st.text(max_size=80),
    text=st.text(max_size=500),
    html=st.none() | st.text(max_size=300),
    key=st.text(min_size=1, max_size=120),
)
def test_assembled_mime_equals_the_generator_for_any_text(
    subject: str, name: str | None, text: str, html: str | None, key: str
) -> None:
    surrogate = any(0xD800 <= ord(c) <= 0xDFFF for c in subject + (name or "") + text + (html or "") + key)
    row = _row(subject=subject, recipient_name=name, body_text=text, body_html=html, dedupe_key=key)
    config = _settings()
    if surrogate:  # not UTF-8: both refuse it
        with pytest.raises(UnicodeEncodeError):
            _reference(row, config)
        with pytest.raises(UnicodeEncodeError):
            render_mime(row, settings=config)
        return
    assert render_mime(row, settings=config) == _reference(row, config)


def _decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


@pytest.mark.parametrize("changes", CASES.values(), ids=CASES.keys())
def test_assembled_mime_parses_back_to_its_headers_and_parts(changes: dict[str, Any]) -> None:
    row = _row(**changes)
    data = render_mime(row, settings=_settings())
    assert b"\n" not in data.replace(b"\r\n", b"") and all(len(line) <= 998 for line in data.split(b"\r\n"))
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert " ".join(parsed["Subject"].split()) == " ".join(row.subject.split())
    # a key too long for one line is folded before it (compat32), which unfolds to one space
    assert _decoded(parsed[DEDUPE_HEADER]).strip() == row.dedupe_key
    assert parsed["To"].addresses[0].addr_spec == row.recipient_email.strip()
    assert parsed["To"].addresses[0].display_name == (row.recipient_name or "")
    assert parsed["From"].addresses[0].addr_spec == "dondoc@dondoc.example"
    assert parsed["Auto-Submitted"] == "auto-generated"
    parts = list(parsed.iter_parts())
    expected = [("text/plain", row.body_text)] + ([("text/html", row.body_html)] if row.body_html else [])
    assert [(p.get_content_type(), p.get_payload(decode=True).decode("utf-8")) for p in parts] == expected


def test_an_attachment_is_still_rendered_by_the_generator(tmp_path: Path) -> None:
    workbook = tmp_path / "báo cáo.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not really a workbook")
    row = _row(data={"attachment": str(workbook)})
    parsed = email.message_from_bytes(render_mime(row, settings=_settings()), policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/mixed"
    attachment = next(iter(parsed.iter_attachments()))
    assert attachment.get_filename() == "báo cáo.xlsx"
    assert attachment.get_content() == workbook.read_bytes()
