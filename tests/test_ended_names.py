"""A document's wording quoted after a body it names has ended: a note beneath it, the wording kept.

The 2025 replay mailed 165 times, after 01/03/2025, 61/KH-UBND's "báo cáo … gửi về Sở Thông tin và
Truyền thông" (the quarterly-report mails of 01/04 and 01/07 among them) without a word that Sở TT&TT
had ended on 28/02/2025, nor who receives the report now: a careful reader would have sent it to a
body that no longer exists. Here with the test successions (tests/support/successions.py): Sở TT&TT
splits on 01/08/2022, Sở KH&CN becoming the committee's standing agency that day.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.models import Notification, PlanItem
from dondoc.engine.services.ended_names import ended_name_notes
from dondoc.engine.settings import Settings
from dondoc.notifications import MailSpec, build_digests, deliver, enqueue
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer
from tests.support.catalogs import edit
from tests.support.successions import PLAN, apply, at, load, succession_catalog, successions_yaml
from tests.support.web import ITEM, WebEnv

CONTENT = "Phân loại, xác định và phê duyệt đề xuất cấp độ; báo cáo kết quả gửi về Sở Thông tin và Truyền thông."
TITLE = "Phân loại hệ thống thông tin theo cấp độ (các sở gửi Sở TT&TT)"
# the seat of the committee's standing agency passes from Sở TT&TT to Sở KH&CN with the split
ROSTER = """  roster:
    - {role: secretariat, agency: so-khcn, title: "Cơ quan Thường trực Ban Chỉ đạo (Sở KH&CN)",
       email: "thuong-truc@dondoc.example", valid_from: 2022-08-01}
"""
SPLIT = (
    "Ghi chú: Sở Thông tin và Truyền thông không còn từ ngày 01/08/2022 (tách theo chức năng); nhiệm vụ của"
    " cơ quan này nay do Sở Khoa học và Công nghệ (chuyển đổi số) và Sở Văn hóa, Thể thao và Du lịch (báo chí)"
    " đảm nhận"
)
SENT = (
    "; báo cáo, văn bản gửi Sở Thông tin và Truyền thông nay gửi Sở Khoa học và Công nghệ"
    " (Cơ quan Thường trực Ban Chỉ đạo)."
)


def _catalog(tmp_path: Path, kind: str = "split", content: str = CONTENT) -> Path:
    catalog = succession_catalog(tmp_path, successions_yaml(kind), roster=ROSTER)
    edit(
        catalog,
        "agencies.yaml",
        'email: "to-giup-viec@dondoc.example"}',
        'email: "to-giup-viec@dondoc.example", valid_to: 2022-07-31}',
    )
    edit(catalog, PLAN, 'content: "Phân loại, xác định và phê duyệt đề xuất cấp độ."', f'content: "{content}"')
    edit(catalog, PLAN, 'title: "Phân loại hệ thống thông tin theo cấp độ"', f'title: "{TITLE}"')
    return catalog


def _settings(tmp_path: Path, port: int) -> Settings:
    extra = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none", "smtp_timeout": 5}
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path / "drop", **extra)  # type: ignore[arg-type]


def _reminder(session: Session, settings: Settings, now: datetime, key: str) -> None:
    row = assignment_for(session, ITEM, "so-noi-vu", seq=2)
    data = {"due_at": row.due_at.isoformat() if row.due_at else None, "days_before_due": 7}
    spec = MailSpec(key, "reminder", "agency", "so-noi-vu@dondoc.example", "Sở Nội vụ", row.id, "t", False, data)
    assert enqueue(session, spec, now=now, settings=settings) is not None
    session.commit()


def test_a_mail_read_after_the_split_notes_it_beneath_the_wording_and_names_the_standing_agency(
    session: Session, engine: Engine, tmp_path: Path, smtp: SmtpServer
) -> None:
    load(session, _catalog(tmp_path), at("2022-03-02"))
    settings = _settings(tmp_path, smtp.port)
    _reminder(session, settings, at("2022-07-29"), "before")  # Sở TT&TT still exists: nothing to note
    assert deliver(engine, now=at("2022-07-29"), settings=settings).sent == 1
    _reminder(session, settings, at("2022-08-02"), "after")
    assert deliver(engine, now=at("2022-08-02"), settings=settings).sent == 1
    assert smtp.handler.wait_for(2)
    mails = {}
    for received in smtp.handler.received:
        key = received.message["X-Dondoc-Dedupe-Key"]
        mails[key] = (
            received.message.get_body(("plain",)).get_content(),
            received.message.get_body(("html",)).get_content(),
        )
    before, after = mails["before"], mails["after"]
    for text, page in (before, after):  # the wording quoted as written, every time
        assert f"- Nhiệm vụ: {ITEM} — {TITLE}" in text and f"- Nội dung: {CONTENT}\n" in text
        assert html.escape(CONTENT) in page
    assert "Ghi chú" not in before[0] and "Ghi chú" not in before[1]
    text, page = after
    # beneath the quote, one note per body: when, how, who does its work, where its reports go now
    assert f"- Nội dung: {CONTENT}\n  {SPLIT}{SENT}\n- Văn bản: " in text, text
    assert text.count("Ghi chú:") == 1
    assert f"<br><small><em>{html.escape(SPLIT + SENT)}</em></small></td>" in page


def test_the_notes_say_each_kind_and_read_only_what_names_a_body(session: Session, tmp_path: Path) -> None:
    """A dissolution has no successor: the secretariat decides; a merge names its successor; a body
    named without anything sent to it gets no word of the standing agency; a place, a lower-case
    phrase and a document written after the end are no mention of the body."""
    body = "UBND huyện Bình Sơn, Văn phòng UBND tỉnh và Sở Nội vụ phối hợp với Sở TT&TT"
    catalog = _catalog(tmp_path, "dissolve", body)
    merge = "\n  - key: test-merge\n    kind: merge\n    date: 2022-08-01\n    from: [so-noi-vu, vp-ubnd]\n"
    (catalog / "successions.yaml").write_text(
        successions_yaml("dissolve") + merge + '    to: [{agency: so-moi}]\n    source: "NĐ"\n', encoding="utf-8"
    )
    load(session, catalog, at("2022-03-02"))
    day = date(2022, 8, 1)
    notes = ended_name_notes(session, day, [body])
    assert notes == [
        "Ghi chú: UBND huyện Bình Sơn không còn từ ngày 01/08/2022 (giải thể); không có cơ quan kế nhiệm cùng loại:"
        " Tổ giúp việc quyết định cơ quan nhận nhiệm vụ của cơ quan này.",
        "Ghi chú: Văn phòng UBND tỉnh không còn từ ngày 01/08/2022 (hợp nhất); nhiệm vụ của cơ quan này nay do Sở"
        " Hợp nhất đảm nhận.",
        "Ghi chú: Sở Nội vụ không còn từ ngày 01/08/2022 (hợp nhất); nhiệm vụ của cơ quan này nay do Sở Hợp nhất"
        " đảm nhận.",
    ]  # Sở TT&TT goes on: no note
    assert ended_name_notes(session, date(2022, 7, 31), [body]) == []  # read the day before: nothing has ended
    assert ended_name_notes(session, day, [body], date(2022, 8, 1)) == []  # written after: another body
    assert ended_name_notes(session, day, ["xây dựng trụ sở nội vụ", "xã Bình Sơn"]) == []


def test_a_catalog_load_in_the_same_session_is_read_at_once(session: Session, tmp_path: Path) -> None:
    """What has ended is read once per session and day (mails are rendered in batches): a catalog load
    that records a succession in that session is read by the next note."""
    catalog = _catalog(tmp_path)
    (catalog / "successions.yaml").write_text("successions: []\n", encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    day = date(2022, 8, 2)
    assert ended_name_notes(session, day, [CONTENT]) == []
    (catalog / "successions.yaml").write_text(successions_yaml("split"), encoding="utf-8")
    load(session, catalog, at("2022-08-02"))
    assert ended_name_notes(session, day, [CONTENT]) == [SPLIT + SENT]


def test_a_digest_quoting_a_title_notes_the_body_once(session: Session, tmp_path: Path) -> None:
    load(session, _catalog(tmp_path), at("2022-03-02"))
    apply(session, at("2022-08-01"))  # Sở TT&TT's parts of II.1 wait in "Cần phân công lại"
    settings = Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]
    (digest,) = [
        d for d in build_digests(session, now=at("2022-08-02"), settings=settings) if d.recipient_role == "secretariat"
    ]
    assert digest.body_text.count(f"{ITEM} — {TITLE}") == 2  # the title quoted as written, for both milestones
    note = SPLIT + SENT
    assert digest.body_text.count(note) == 1 and f"\n\n{note}\n" in digest.body_text
    assert digest.body_html is not None and f"<p><small><em>{html.escape(note)}</em></small></p>" in digest.body_html
    assert session.exec(select(Notification).where(Notification.id == digest.id)).one().body_text == digest.body_text


def test_the_assignment_and_item_pages_note_it_beneath_the_content(web: WebEnv, tmp_path: Path) -> None:
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _catalog(tmp_path))
        item_id = session.exec(select(PlanItem.id).where(PlanItem.code == ITEM)).one()
    row = web.assignment(ITEM, "so-noi-vu", seq=2)
    web.login()
    pages = (f"/a/{web.link('agency:so-noi-vu', days=365)}/assignments/{row}", f"/board/items/{item_id}")
    note = html.escape(SPLIT + SENT)
    for url in pages:
        assert "Ghi chú" not in web.client.get(url).text
    web.clock.set(at("2022-08-02"))
    for url in pages:
        shown = web.client.get(url).text
        content, source = shown.index(f'<p class="content">{html.escape(CONTENT)}</p>'), shown.index("Nguồn: Mục II.1")
        assert content < shown.index(f'<p class="note warn ended-note">{note}</p>') < source, url
        assert shown.count("Ghi chú:") == 1
