"""Rendering: every kind in Vietnamese, HTML escaped, headers that survive RFC 2047, signed links."""

from __future__ import annotations

import email.policy
import re
from dataclasses import replace
from datetime import date, datetime
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from jinja2 import UndefinedError
from sqlalchemy import update
from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.links import verify_token
from dondoc.engine.models import Assignment, Milestone, Plan, PlanItem
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import handover
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications.context import assignment_context, common_context, salutation
from dondoc.notifications.message import build_message
from dondoc.notifications.outbox import MailSpec, enqueue
from dondoc.notifications.render import KINDS, render
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG

BASE = "http://dondoc.test"
ITEM = "99/KH-TEST:II.1"
FIRST = " (mốc: Phê duyệt cấp độ)"  # the subject names II.1's milestone: it has two
ASSIGNMENT_KINDS = [k for k in KINDS if not k.startswith("digest_")]
DATA = {
    "days_before_due": 7,
    "working_days_overdue": 3,
    "rung": "overdue_3wd",
    "working_days_waiting": 5,
    # a request's facts (engine.services.request_mails)
    "comment": "Đề nghị làm rõ.",
    "requested_due": "2022-09-30",
    "requested_due_vi": "30/09/2022",
    "to_due_vi": "30/09/2022",
}
ROLE_OF = {
    "report_unverified": "secretariat",
    "escalation": "vice-chair",
    "partner_input": "partner",
    "explanation_answer": "secretariat",
    "extension_request": "secretariat",
}


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, demo=True, base_url=BASE, maildrop_dir=tmp_path)  # type: ignore[call-arg]


@pytest.fixture
def noi_vu(session: Session, clock: FrozenClock) -> Assignment:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return assignment_for(session, ITEM, "so-noi-vu")


def _spec(assignment: Assignment, kind: str, role: str = "agency", **data: Any) -> MailSpec:
    email, name = {
        "agency": ("so-noi-vu@dondoc.example", "Sở Nội vụ"),
        "partner": ("so-noi-vu@dondoc.example", "Sở Nội vụ"),
        "lead": ("so-tttt@dondoc.example", "Sở Thông tin và Truyền thông"),
        "secretariat": ("to-giup-viec@dondoc.example", "Tổ giúp việc"),
        "vice-chair": ("pho-truong-ban@dondoc.example", "Phó Trưởng ban Thường trực"),
        "chair": ("truong-ban@dondoc.example", "Trưởng Ban Chỉ đạo"),
    }[role]
    facts = {"due_at": assignment.due_at.isoformat() if assignment.due_at else None, **DATA, **data}
    return MailSpec(f"{kind}:{role}:{assignment.id}", kind, role, email, name, assignment.id, "test-1", False, facts)


@pytest.mark.parametrize("kind", ASSIGNMENT_KINDS)
def test_every_assignment_kind_renders_in_vietnamese(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path, kind: str
) -> None:
    row = enqueue(
        session, _spec(noi_vu, kind, ROLE_OF.get(kind, "agency")), now=clock.now(), settings=_settings(tmp_path)
    )
    assert row is not None
    assert row.subject.startswith("[Đôn đốc] ") and ITEM in row.subject and "Sở Nội vụ" in row.subject
    assert "\n" not in row.subject
    for body in (row.body_text, row.body_html or ""):
        assert "Kính gửi" in body and "Phân loại hệ thống thông tin theo cấp độ" in body
        assert "30/06/2022" in body and "trước ngày 30/6/2022" in body and "Trân trọng" in body
    assert "Thực hiện" in row.body_text  # the role, in Vietnamese
    assert _run_together(row.body_text) == []


def _run_together(text: str) -> list[str]:
    """Sentences a template wrote with no space or line between them ("…đang thực hiện.Lý do: …": a
    block tag at a line's end takes its line break with it, trim_blocks)."""
    return [m.group(0) for m in re.finditer(r"\w[.!?»]([^\W\d_])", text) if m.group(1).isupper()]


def test_facts_from_the_decision_show(session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    reminder = enqueue(session, _spec(noi_vu, "reminder", days_before_due=1), now=clock.now(), settings=settings)
    overdue = enqueue(session, _spec(noi_vu, "overdue", working_days_overdue=4), now=clock.now(), settings=settings)
    assert reminder is not None and "còn 1 ngày làm việc" in reminder.subject
    assert overdue is not None and "Quá hạn 4 ngày làm việc" in overdue.subject
    # each fact on its own line: "- Tình trạng: Đang thực hiện- Số ngày làm việc quá hạn: 4" ran together
    assert re.search(r"\n- Tình trạng: [^\n]+\n- Số ngày làm việc quá hạn: 4\n", overdue.body_text), overdue.body_text
    cc = enqueue(
        session, _spec(noi_vu, "partner_input", "partner", cc_lead="so-tttt"), now=clock.now(), settings=settings
    )
    # the lead is told in a mail of its own, not copied on this one: never "Thư này đồng gửi"
    said = "Sở Thông tin và Truyền thông (cơ quan chủ trì) cũng nhận một thư riêng về việc này"
    assert cc is not None and said in cc.body_text and said in (cc.body_html or "") and "đồng gửi" not in cc.body_text
    # a policy whose rung mails the partner alone: the partner is not told of a mail the lead never gets
    alone = _spec(noi_vu, "partner_input", "partner", cc_lead="so-tttt", lead_told=False)
    alone = replace(alone, dedupe_key=alone.dedupe_key + ":alone")
    lone = enqueue(session, alone, now=clock.now(), settings=settings)
    assert lone is not None and "thư riêng" not in lone.body_text + (lone.body_html or "")
    assert "cho cơ quan chủ trì (Sở Thông tin và Truyền thông)" in lone.body_text  # still named: input goes there
    # work given on a day off: its days waited count from the next working day, and the mail says so
    waited = "sau 5 ngày làm việc kể từ khi được giao"
    day_off = " (việc giao vào ngày nghỉ nên tính từ ngày làm việc kế tiếp, 03/10/2022)"
    for role in ("agency", "secretariat"):
        plain = enqueue(session, _spec(noi_vu, "unacknowledged", role), now=clock.now(), settings=settings)
        noticed = _spec(noi_vu, "unacknowledged", role, counted_from="2022-10-03")
        noticed = replace(noticed, dedupe_key=noticed.dedupe_key + ":day-off")
        moved = enqueue(session, noticed, now=clock.now(), settings=settings)
        assert plain is not None and moved is not None
        for body in (plain.body_text, plain.body_html or ""):
            assert waited + "." in body and day_off not in body
        for body in (moved.body_text, moved.body_html or ""):
            assert waited + day_off + "." in body


# one overdue row of a digest, as the digests' builders write it
DIGEST_ROW = {
    "item_code": ITEM,
    "item_title": "Phân loại",
    "agency_name": "Sở Nội vụ",
    "due_date": "30/06/2022",
    "working_days_overdue": 7,
}


def _leader_digest(common: dict[str, Any], row: dict[str, Any]) -> Any:
    """The chair's digest of 12/07/2022 with one row, of Sở Nội vụ."""
    groups = [{"agency_name": "Sở Nội vụ", "count": 1, "rows": [row]}]
    return render(
        "digest_leader", {**common, "recipient_role": "chair", "day": "12/07/2022", "total": 1, "groups": groups}
    )


def _secretariat_digest(common: dict[str, Any], row: dict[str, Any]) -> Any:
    """The secretariat's digest of 12/07/2022 with one overdue row."""
    counts = {"unacknowledged": 0, "overdue": 1, "report_unverified": 0, "listed": 1, "failed": 0}
    sections = [{"kind": "overdue", "count": 1, "rows": [row]}]
    context = {
        "recipient_role": "secretariat",
        "day": "12/07/2022",
        "sections": sections,
        "failed": [],
        "counts": counts,
    }
    return render("digest_secretariat", {**common, **context})


def test_digest_kinds_render(tmp_path: Path) -> None:
    common = {
        "recipient_name": "Trưởng Ban Chỉ đạo",
        "salutation": "Trưởng Ban Chỉ đạo",
        "recipient_label": "",
        "link": f"{BASE}/leaders/x",
        "link_days": 30,
    }
    row = dict(DIGEST_ROW)
    leader = _leader_digest(common, row)
    assert (
        leader.subject == "[Đôn đốc] Tổng hợp ngày 12/07/2022: 1 nhiệm vụ quá hạn cần báo cáo Lãnh đạo, của 1 cơ quan"
    )
    # The rows are those escalated to this leader, not the province's overdue work: said so.
    # no rung known (a policy whose rungs to this leader say no one figure): the sentence without one
    assert "1 nhiệm vụ quá hạn đến ngưỡng phải báo cáo Lãnh đạo đã đặt trong hệ thống đôn đốc mà" in leader.text
    assert "không phải mọi nhiệm vụ quá hạn của tỉnh" in leader.text
    # the page it links lists the overdue work of the roles the leaders are told of, not the partners'
    # nor the pre-tracking backlog: never "danh sách đầy đủ" (the 2022 replay's chair read it so)
    assert "danh sách mọi phần việc quá hạn mà Lãnh đạo được báo ở trang theo dõi" in leader.text
    assert "đầy đủ" not in leader.text
    # each agency's heading and each row a line of their own (the heading had run into its first row)
    assert (
        "\n1. Sở Nội vụ: 1 nhiệm vụ\n   - 99/KH-TEST:II.1 — Phân loại; hạn 30/06/2022; quá hạn 7 ngày làm việc\n"
        in leader.text
    )
    secretariat = render(
        "digest_secretariat",
        {
            **common,
            "recipient_role": "secretariat",
            "day": "12/07/2022",
            "sections": [
                {"kind": "overdue", "count": 1, "rows": [row]},
                {
                    "kind": "unacknowledged",
                    "count": 1,
                    "rows": [{**row, "due_date": None, "standing_since": "01/07/2022"}],
                },
            ],
            "failed": [
                {
                    "id": 9,
                    "kind": "reminder",
                    "recipient_email": "x@y.vn",
                    "subject": "S",
                    "attempts": 8,
                    "last_error": "550 5.1.1 <x@y.vn>: không tồn tại",
                }
            ],
            "counts": {"unacknowledged": 4, "overdue": 12, "report_unverified": 3, "listed": 1, "failed": 1},
        },
    )
    # The counts are the board's (all overdue work); the sections list what was chased today.
    assert "12 phần việc quá hạn, 3 báo cáo chờ xác nhận, 1 thư không gửi được" in secretariat.subject
    assert "- Phần việc quá hạn chưa báo cáo: 12" in secretariat.text
    # 12 overdue, 1 listed: the list says the rest are not in it, rather than leave the gap unsaid
    listed = "— đã đôn đốc (1; 11 phần việc quá hạn khác chưa có trong danh sách này, xem bảng theo dõi)"
    assert f"Phần việc quá hạn chưa báo cáo {listed}" in secretariat.text and listed in secretariat.html
    # a standing duty has no end date by design: not "hạn chưa xác định"
    standing = "thường xuyên từ ngày 01/07/2022, không có hạn cuối"
    assert standing in secretariat.text and standing in secretariat.html and "chưa xác định" not in secretariat.text
    assert "550 5.1.1 &lt;x@y.vn&gt;" in secretariat.html and "Lỗi: 550 5.1.1 <x@y.vn>" in secretariat.text


def test_the_secretariats_digest_says_no_days_late_of_work_not_late() -> None:
    """280 of the replay's 285 secretariat digests printed "0" under "Quá hạn (ngày làm việc)" in their
    html for work not yet due (a row not acknowledged, due 30/09/2022); the text said nothing."""
    row = {**DIGEST_ROW, "due_date": "30/09/2022", "working_days_overdue": 0}
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    digest = _secretariat_digest(common, row)
    assert "<td>0</td>" not in digest.html and "quá hạn 0" not in digest.text
    late = _secretariat_digest(common, {**row, "working_days_overdue": 3})
    assert "<td>3</td>" in late.html and "quá hạn 3 ngày làm việc" in late.text


def test_a_digest_says_a_body_no_longer_exists_and_who_decides_its_work() -> None:
    """After 01/03/2025 the chair's digest listed "9. Sở Ngoại vụ: 10 phần việc" among the bodies
    that had not reported, as if someone there could be chased: it ended on 28/02/2025."""
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    row = {**DIGEST_ROW, "agency_ended_on": "28/02/2025"}
    groups = [{"agency_name": "Sở Ngoại vụ", "ended_on": "28/02/2025", "count": 1, "rows": [row]}]
    leader = render(
        "digest_leader", {**common, "recipient_role": "chair", "day": "03/03/2025", "total": 1, "groups": groups}
    )
    said = "Sở Ngoại vụ (hoạt động đến hết ngày 28/02/2025: phần việc do Tổ giúp việc phân công lại hoặc hủy)"
    assert said in leader.text and said in leader.html
    secretariat = _secretariat_digest(common, row)
    ended = "hoạt động đến hết ngày 28/02/2025: phần việc do Tổ giúp việc phân công lại hoặc hủy"
    assert ended in secretariat.text and ended in secretariat.html
    living = _secretariat_digest(common, DIGEST_ROW)
    assert "hoạt động đến hết" not in living.text + living.html


@pytest.mark.parametrize(
    ("late", "said"),
    [
        ({"issued": "27/07/2022", "given_date": None}, "hạn trước ngày ban hành kế hoạch (27/07/2022)"),
        ({"issued": None, "given_date": "10/10/2022"}, "giao ngày 10/10/2022, sau thời hạn"),
        (  # the working days since the day it was given and that day first, those since its date second
            {"issued": "27/07/2022", "given_date": None, "days_since_given": 108, "working_days_overdue": 127},
            "quá hạn 108 ngày làm việc kể từ ngày ban hành kế hoạch 27/07/2022 (thời hạn ghi trong kế hoạch đã"
            " qua trước ngày ban hành; 127 ngày làm việc kể từ thời hạn)",
        ),
        (
            {"issued": None, "given_date": "10/10/2022", "days_since_given": 0},
            "quá hạn ngay từ ngày giao 10/10/2022 (giao sau thời hạn; 7 ngày làm việc kể từ thời hạn)",
        ),
        ({"issued": None, "given_date": None}, None),
    ],
)
def test_every_digest_says_work_given_late_in_the_same_words(late: dict[str, Any], said: str | None) -> None:
    """The leaders' and the secretariat's digests, text and html, name a row given late alike (the
    secretariat's html had said "(trước ngày ban hành kế hoạch, 27/07/2022)")."""
    row = {**DIGEST_ROW, "milestone_label": None, "role": "Chủ trì", **late}
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    leader, secretariat = _leader_digest(common, row), _secretariat_digest(common, row)
    for body in (leader.text, leader.html, secretariat.text, secretariat.html):
        if said is None:
            assert "sau thời hạn" not in body and "trước ngày ban hành" not in body
        else:
            assert body.count(said) == 1, body
        if late.get("days_since_given") is not None:
            # the count since its date is never read first (the chair's "quá hạn 26 ngày làm việc", 7 given)
            assert f"quá hạn {row['working_days_overdue']} ngày làm việc" not in body, body


def test_html_escapes_item_content(session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path) -> None:
    evil = '<script>alert("x")</script> & <b>'
    session.execute(update(PlanItem).where(PlanItem.code == ITEM).values(content=evil, title="Tiêu đề <i>"))
    row = enqueue(session, _spec(noi_vu, "reminder"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None and row.body_html is not None
    assert (
        "<script>" not in row.body_html
        and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;" in row.body_html
    )
    assert "Tiêu đề &lt;i&gt;" in row.body_html
    assert evil in row.body_text  # plain text stays as written


def test_content_sub_lines_stay_inside_the_content(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """A document's own sub-line under an item's title ("- Nội dung: …", 04/KH-BCĐ II.4) is part of
    the content: indented under it in the text (not a second "- Nội dung:" fact of the mail's list),
    a line of its own in the HTML cell (not run into the title), escaped all the same."""
    content = "Họp Phiên thứ 2 <BCĐ>\n- Nội dung: Họp đánh giá kế hoạch & định hướng năm 2023."
    session.execute(update(PlanItem).where(PlanItem.code == ITEM).values(content=content))
    row = enqueue(session, _spec(noi_vu, "reminder"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None and row.body_html is not None
    assert "- Nội dung: Họp Phiên thứ 2 <BCĐ>\n  - Nội dung: Họp đánh giá kế hoạch & định hướng năm 2023.\n" in (
        row.body_text
    )
    assert "<td>Họp Phiên thứ 2 &lt;BCĐ&gt;<br>\n- Nội dung: Họp đánh giá kế hoạch &amp; định hướng năm 2023.</td>" in (
        row.body_html
    )


@pytest.mark.parametrize("label", [None, "Ít nhất 50% số xã áp dụng nền tảng phát thanh số"])
def test_a_milestones_priority_is_said_beside_the_milestone(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path, label: str | None
) -> None:
    """1834/UBND-KGVX item 2 is priority by its radio bullet alone: "(nhiệm vụ trọng tâm)" beside
    the item's title read as if the whole item were; a milestone's flag is said beside the milestone."""
    session.execute(update(Milestone).where(Milestone.id == noi_vu.milestone_id).values(label=label, priority=True))
    row = enqueue(session, _spec(noi_vu, "reminder"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None and row.body_html is not None
    item_line = next(line for line in row.body_text.splitlines() if line.startswith("- Nhiệm vụ:"))
    if label is None:
        assert item_line.endswith("(nhiệm vụ trọng tâm)")
    else:
        assert "trọng tâm" not in item_line and f"- Mốc: {label} (nhiệm vụ trọng tâm)\n" in row.body_text
        assert f"<td>{label} <em>(nhiệm vụ trọng tâm)</em></td>" in row.body_html
    assert row.body_text.count("(nhiệm vụ trọng tâm)") == 1 and row.body_html.count("(nhiệm vụ trọng tâm)") == 1


@pytest.mark.parametrize(
    ("phrase", "said_apart"),
    [
        ("Theo kế hoạch hàng năm", False),  # the phrase is the condition: said once
        ("Tháng 12/2022 (theo kế hoạch hàng năm)", False),  # the phrase holds it
        (None, True),  # no phrase: the condition is said on its own line
        ("Tháng 12/2022", True),
    ],
)
def test_a_condition_the_deadline_already_says_is_not_said_again(
    session: Session,
    clock: FrozenClock,
    noi_vu: Assignment,
    tmp_path: Path,
    phrase: str | None,
    said_apart: bool,
) -> None:
    """A mail said "Thời hạn: Theo kế hoạch hàng năm" and then "Điều kiện kèm theo: Theo kế hoạch
    hàng năm" (04/KH-BCĐ's and 61/KH-UBND's conditions read from the deadline phrase)."""
    session.execute(
        update(Milestone)
        .where(Milestone.id == noi_vu.milestone_id)
        .values(phrase=phrase, condition="Theo Kế hoạch hàng năm")
    )
    row = enqueue(session, _spec(noi_vu, "reminder"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None and row.body_html is not None
    assert ("- Điều kiện kèm theo: Theo Kế hoạch hàng năm" in row.body_text) is said_apart
    assert ("Điều kiện kèm theo" in row.body_html) is said_apart


def test_a_leads_copy_of_a_partner_request_says_it_is_a_copy_in_its_subject(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """Sở Tài chính received 27 copies on 26/12/2022, each titled "Đề nghị gửi ý kiến phối hợp: …":
    the request to the partner, which the lead is not asked to answer."""
    settings = _settings(tmp_path)
    partner = enqueue(session, _spec(noi_vu, "partner_input", "partner"), now=clock.now(), settings=settings)
    lead = enqueue(session, _spec(noi_vu, "partner_input", "lead"), now=clock.now(), settings=settings)
    assert partner is not None and lead is not None
    assert partner.subject.startswith("[Đôn đốc] Đề nghị gửi ý kiến phối hợp: ")
    assert lead.subject == f"[Đôn đốc] Để biết: {noi_vu_short(session)} (phối hợp) chưa gửi ý kiến: {ITEM}{FIRST}"


def noi_vu_short(session: Session) -> str:
    from dondoc.engine.models import Agency

    return session.exec(select(Agency.short).where(Agency.code == "so-noi-vu")).one()


def test_strict_templates_and_unknown_kinds() -> None:
    with pytest.raises(UndefinedError):
        render("reminder", {})
    with pytest.raises(ValueError, match="no templates"):
        render("birthday", {})


def test_headers_round_trip_through_rfc2047(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    row = enqueue(session, _spec(noi_vu, "escalation", "vice-chair"), now=clock.now(), settings=settings)
    assert row is not None
    raw = build_message(row, settings=settings, now=clock.now()).as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() and b"=?utf-8?" in head  # encoded words, no raw UTF-8 in headers
    parsed = BytesParser(policy=email.policy.default).parsebytes(raw)
    assert parsed["Subject"] == row.subject
    assert parsed["To"].addresses[0].display_name == "Phó Trưởng ban Thường trực"
    assert parsed["To"].addresses[0].addr_spec == "pho-truong-ban@dondoc.example"
    assert parsed["From"].addresses[0].display_name == "Ban Chỉ đạo CĐS"
    assert parsed["X-Dondoc-Dedupe-Key"] == row.dedupe_key
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == row.body_text


def test_the_mime_is_rendered_once_at_enqueue(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    row = enqueue(session, _spec(noi_vu, "reminder"), now=clock.now(), settings=settings)
    held = enqueue(
        session, replace(_spec(noi_vu, "escalation", "vice-chair"), held=True), now=clock.now(), settings=settings
    )
    assert (
        row is not None and row.mime is not None and held is not None and held.mime is None
    )  # held: mailed in a digest
    sent = build_message(row, settings=settings, now=clock.now()).as_bytes()
    sending, stored = sent[: len(sent) - len(row.mime)], sent[len(sent) - len(row.mime) :]
    assert stored == row.mime
    assert [line.split(b":")[0] for line in sending.splitlines()] == [
        b"Date",
        b"Message-ID",
        b"X-Dondoc-Notification-Id",
    ]
    row.mime = None  # a row queued before the outbox stored its MIME is rendered at delivery, the same
    assert build_message(row, settings=settings, now=clock.now()).as_bytes() == sent


@pytest.mark.parametrize(
    ("kind", "role", "subject", "path"),
    [
        ("reminder", "agency", "agency:so-noi-vu", "/a/"),
        ("overdue", "lead", "agency:so-tttt", "/a/"),
        ("escalation", "vice-chair", "leader:vice-chair", "/leaders/"),
        ("escalation", "chair", "leader:chair", "/leaders/"),
        ("overdue", "secretariat", None, "/board"),
    ],
)
def test_links_are_signed_for_their_recipient(
    session: Session,
    clock: FrozenClock,
    noi_vu: Assignment,
    tmp_path: Path,
    kind: str,
    role: str,
    subject: str | None,
    path: str,
) -> None:
    settings = _settings(tmp_path)
    row = enqueue(session, _spec(noi_vu, kind, role), now=clock.now(), settings=settings)
    assert row is not None
    found = re.search(rf"{re.escape(BASE)}({re.escape(path)}[^\s\"<]*)", row.body_text)
    assert found is not None, row.body_text
    assert f'href="{found.group(0)}"' in (row.body_html or "")
    if subject is None:
        assert found.group(1) == "/board"
        return
    token, _, page = found.group(1).removeprefix(path).partition("/")
    assert verify_token(session, token, now=clock.now(), secret=settings.signing_key()) == subject
    # a lead told of another body's lateness is sent to its own part of the item, which lists theirs;
    # a body told of its own part, to that part's page, where it acknowledges and reports (the list's
    # link beside it): the link had opened its whole list, 115 parts for Sở Tư pháp in the 2022 demo
    # a leader told of one part, to that part's leaders' page, where its requests and answers are
    # (the leaders' list had been the only link: a part extended out of its overdue list was not on it)
    own = {"agency": noi_vu, "lead": assignment_for(session, ITEM, "so-tttt")}.get(role, noi_vu)
    assert page == f"assignments/{own.id}"
    whole = f"{BASE}{path}{token}"
    if role == "agency":
        assert f"Danh sách mọi nhiệm vụ của quý cơ quan:\n{whole}\n" in row.body_text
        assert f'href="{whole}"' in (row.body_html or "")
    if role in ("chair", "vice-chair"):
        assert f"Bảng theo dõi dành cho Lãnh đạo Ban Chỉ đạo:\n{whole}\n" in row.body_text
        assert f'href="{whole}"' in (row.body_html or "")


def test_a_partner_is_asked_for_its_part_not_for_the_task(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """A partner (phối hợp) owes its part to the lead: its reminder and overdue notices ask for that
    part, never that it "hoàn thành", report the task, explain the delay or ask for an extension."""
    settings = _settings(tmp_path)
    implementer = enqueue(session, _spec(noi_vu, "overdue"), now=clock.now(), settings=settings)
    assert implementer is not None and "quý cơ quan chưa báo cáo kết quả" in implementer.body_text
    noi_vu.role = "partner"
    session.add(noi_vu)
    session.commit()
    for kind, recipient in (
        ("overdue", "agency"),
        ("overdue", "lead"),
        ("overdue", "secretariat"),
        ("reminder", "agency"),
    ):
        spec = replace(_spec(noi_vu, kind, recipient), dedupe_key=f"partner:{kind}:{recipient}")
        row = enqueue(session, spec, now=clock.now(), settings=settings)
        assert row is not None
        for body in (" ".join(row.body_text.split()), row.body_html or ""):
            assert "phần việc" in body and "cơ quan phối hợp" in body, (kind, recipient)
            for wrong in ("chưa báo cáo kết quả", "giải trình lý do chậm trễ", "đề nghị gia hạn", "hoàn thành"):
                assert wrong not in body.split("Nhiệm vụ:")[0].split("<table")[0], (kind, recipient, wrong)


def test_a_partners_own_mails_ask_for_its_input_to_the_lead_never_for_a_report(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """Sở GTVT, a partner (Phối hợp), had its input sent back under "Trả lại báo cáo để bổ sung" and "trả
    lại báo cáo kết quả của quý cơ quan", while the lead's copy of the same return said "ý kiến, kết quả
    phối hợp"; and every mail of its own part ended "Xem chi tiết, tiếp nhận và báo cáo kết quả nhiệm vụ
    này tại". A partner sends its input to the lead: its mails say so, in the lead's copy's words."""
    settings = _settings(tmp_path)
    noi_vu.role = "partner"
    session.add(noi_vu)
    session.commit()
    for kind in ("report_returned", "reminder", "new_assignment", "overdue_at_issue"):
        spec = replace(_spec(noi_vu, kind), dedupe_key=f"partner-own:{kind}")
        row = enqueue(session, spec, now=clock.now(), settings=settings)
        assert row is not None
        for said in (row.subject, " ".join(row.body_text.split()), row.body_html or ""):
            assert "báo cáo kết quả" not in said and "Trả lại báo cáo" not in said, (kind, said)
        if kind != "report_returned":  # its own link says what to do (below)
            link = "Xem chi tiết, tiếp nhận và gửi ý kiến, kết quả phối hợp cho cơ quan chủ trì"
            assert link in row.body_text and link in (row.body_html or ""), kind
    returned = enqueue(session, _spec(noi_vu, "report_returned"), now=clock.now(), settings=settings)
    assert returned is not None
    assert returned.subject == f"[Đôn đốc] Trả lại ý kiến, kết quả phối hợp để bổ sung: {ITEM}{FIRST} — Sở Nội vụ"
    for body in (" ".join(returned.body_text.split()), returned.body_html or ""):
        assert "Tổ giúp việc trả lại ý kiến, kết quả phối hợp của quý cơ quan" in body
        assert "Bổ sung và gửi lại ý kiến, kết quả phối hợp" in body
    # a successor given a partner's part (never given to the body that ended), and a list of parts of both kinds
    a = assignment_context(
        session, noi_vu.id or 0, role="agency", email="x@y.vn", data={}, now=clock.now(), settings=settings
    )
    context = common_context("agency", "Sở Nội vụ", settings=settings) | a
    data = {"predecessors": ["Sở A"], "kind_label": "sáp nhập", "effective_on": "01/03/2022", "source": "QĐ 1"}
    data |= {"never_given_on": "01/07/2022", "given_on": "11/07/2022"}
    taken = render("inherited_work", {**context, "data": data, "assignments": [a], "handover": handover(data, 1)})
    asked = "tiếp nhận, tổ chức thực hiện và gửi ý kiến, kết quả phối hợp cho cơ quan chủ trì đúng thời hạn"
    assert asked in " ".join(taken.text.split()) and asked in taken.html
    both = render("new_assignment", {**context, "assignments": [a, {**a, "role": "implementer"}]})
    assert "thực hiện và báo cáo kết quả hoặc gửi ý kiến, kết quả phối hợp đúng thời hạn" in both.text
    # any other body still reports
    noi_vu.role = "implementer"
    session.add(noi_vu)
    session.commit()
    for kind, said in (
        ("report_returned", "Tổ giúp việc trả lại báo cáo kết quả của quý cơ quan"),
        ("reminder", "Xem chi tiết, tiếp nhận và báo cáo kết quả nhiệm vụ này tại"),
    ):
        row = enqueue(
            session, replace(_spec(noi_vu, kind), dedupe_key=f"own:{kind}"), now=clock.now(), settings=settings
        )
        assert row is not None and said in " ".join(row.body_text.split()), kind


def test_a_plan_with_no_number_legible_is_named_so_that_it_can_be_found(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """The Thông báo kết luận's number is blank ("Số: /TB-UBND", its day too): its mails said "theo
    văn bản /TB-UBND", which names nothing a focal point can look up, and would have dated it by the
    meeting's day as if that were its date."""
    session.execute(update(Plan).values(number="/TB-TEST", issued_as_written="ngày … tháng 03 năm 2022"))
    session.commit()
    for kind in ("new_assignment", "overdue_at_issue"):
        row = enqueue(session, _spec(noi_vu, kind), now=clock.now(), settings=_settings(tmp_path))
        assert row is not None
        for body in (" ".join(row.body_text.split()), row.body_html or ""):
            assert (
                "Văn bản: …/TB-TEST ngày … tháng 03 năm 2022 — " in body
                or "…/TB-TEST ngày … tháng 03 năm 2022 — " in body
            )
            assert "văn bản /TB-TEST" not in body and "ban hành ngày 01/03/2022" not in body
        if kind == "new_assignment":
            assert "theo văn bản …/TB-TEST ngày … tháng 03 năm 2022." in " ".join(row.body_text.split())


def test_before_a_day_read_as_that_day_included_is_said_to_be_the_secretariats_reading(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """ "Thời hạn: trước ngày 30/6/2022 (hạn cuối ngày 30/06/2022)" read as a slip: "trước" excludes the
    day, and the installation counts it in (conventions.yaml: before_date_means: end_of_day)."""
    row = enqueue(session, _spec(noi_vu, "reminder"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None
    said = "trước ngày 30/6/2022 (hạn cuối ngày 30/06/2022: Tổ giúp việc tính cả ngày 30/06/2022)"
    assert said in row.body_text
    html = row.body_html or ""
    assert "(hạn cuối ngày <strong>30/06/2022</strong>: Tổ giúp việc tính cả ngày 30/06/2022)" in html


def test_a_new_assignment_names_who_gives_the_work(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """The body that issued the plan gives the work (UBND tỉnh for most plans), not "Ban Chỉ đạo"."""
    row = enqueue(session, _spec(noi_vu, "new_assignment"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None
    for body in (" ".join(row.body_text.split()), row.body_html or ""):
        assert "UBND tỉnh giao quý cơ quan nhiệm vụ dưới đây theo văn bản 99/KH-TEST." in body
        assert "Ban Chỉ đạo giao" not in body


def test_a_leader_is_greeted_by_name_and_seat(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """ "Kính gửi: Trần Phước Hiền" named the vice-chair as nobody writes to one: "Đồng chí", the
    name, the seat. A body, the secretariat and a seat with no person's name are named as they are."""
    spec = replace(_spec(noi_vu, "escalation", "vice-chair"), recipient_name="Trần Phước Hiền")
    row = enqueue(session, spec, now=clock.now(), settings=_settings(tmp_path))
    assert row is not None
    assert row.body_text.startswith("Kính gửi: Đồng chí Trần Phước Hiền, Phó Trưởng ban Thường trực\n")
    assert "Kính gửi: <strong>Đồng chí Trần Phước Hiền, Phó Trưởng ban Thường trực</strong>" in (row.body_html or "")
    assert salutation("chair", "Trưởng Ban Chỉ đạo (Chủ tịch UBND tỉnh)") == "Trưởng Ban Chỉ đạo (Chủ tịch UBND tỉnh)"
    assert salutation("vice-chair", "Phó Trưởng Ban Thường trực") == "Phó Trưởng Ban Thường trực"  # any case
    assert salutation("chair", "đồng chí Đặng Văn Minh") == "Đồng chí Đặng Văn Minh, Trưởng Ban Chỉ đạo"
    assert salutation("agency", "Sở Nội vụ") == "Sở Nội vụ" and salutation("secretariat", None) == "Tổ giúp việc"


def test_a_new_assignment_counts_tasks_and_never_calls_a_start_a_deadline(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """A mail of 20 parts of 15 tasks said "và 19 nhiệm vụ khác"; a standing duty "kể từ ngày
    01/12/2022" was printed as "Thời hạn: kể từ ngày 01/12/2022": a start, read as a deadline."""
    settings = _settings(tmp_path)
    a = assignment_context(
        session, noi_vu.id or 0, role="agency", email="x@y.vn", data={}, now=clock.now(), settings=settings
    )
    standing = {**a, "item_code": "99/KH-TEST:II.2", "due_date": None, "first_due_date": None}
    standing |= {"deadline_phrase": "kể từ ngày 01/12/2022", "standing_since": "01/12/2022"}
    context = common_context("agency", "Sở Nội vụ", settings=settings) | a
    # two parts of one task (two milestones) and one of another: two tasks
    rendered = render("new_assignment", {**context, "assignments": [a, {**a, "milestone_label": "Mốc 2"}, standing]})
    assert f"Giao nhiệm vụ {a['item_code']} và 1 nhiệm vụ khác — " in rendered.subject
    alone = render("new_assignment", {**context, "assignments": [a, {**a, "milestone_label": "Mốc 2"}]})
    assert "nhiệm vụ khác" not in alone.subject and "giao quý cơ quan nhiệm vụ dưới đây" in alone.text
    for body in (" ".join(rendered.text.split()), rendered.html):
        assert "Thời hạn: kể từ" not in body and "Thời hạn</th><td>kể từ" not in body
        assert "kể từ ngày 01/12/2022 — nhiệm vụ thường xuyên, áp dụng từ ngày 01/12/2022, không có hạn cuối" in body
        assert "giao quý cơ quan các nhiệm vụ dưới đây" in body
    assert "- Thời gian thực hiện: kể từ ngày 01/12/2022" in rendered.text
    # a successor's mail counts tasks alike ("và 81 nhiệm vụ khác" of 82 parts of 55 tasks)
    data = {"predecessors": ["Sở A"], "kind_label": "sáp nhập", "effective_on": "01/03/2025", "source": "QĐ 1"}
    parts = [a, {**a, "milestone_label": "Mốc 2"}]
    taken = render("inherited_work", {**context, "data": data, "assignments": parts, "handover": handover(data, 2)})
    assert (
        "nhiệm vụ khác" not in taken.subject and f"Nhận chuyển giao nhiệm vụ {a['item_code']} từ Sở A" in taken.subject
    )
    parts = [a, {**a, "milestone_label": "M"}, standing]
    more = render("inherited_work", {**context, "data": data, "assignments": parts, "handover": handover(data, 3)})
    assert f"Nhận chuyển giao nhiệm vụ {a['item_code']} và 1 nhiệm vụ khác từ Sở A — " in more.subject


def test_work_not_yet_given_is_not_said_to_be_given(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """On 01/03/2025 the successors' mails listed the reports of the second, third and fourth
    quarters, given on their periods' first days, as "Tình trạng: Đã giao"; every page calls them
    "Chưa giao (giao ngày …)"."""
    later = datetime(2022, 10, 1, 0, 0, tzinfo=LOCAL_TZ)  # after the clock's instant: a later period's report
    assert clock.now() < later
    session.execute(update(Assignment).where(Assignment.id == noi_vu.id).values(assigned_at=later))
    session.commit()
    settings = _settings(tmp_path)
    a = assignment_context(
        session, noi_vu.id or 0, role="agency", email="x@y.vn", data={}, now=clock.now(), settings=settings
    )
    assert a["state_label"] == "Chưa giao (giao ngày 01/10/2022)"
    data = {"predecessors": ["Sở A"], "kind_label": "sáp nhập", "effective_on": "01/03/2022", "source": "QĐ 1"}
    context = common_context("agency", "Sở Nội vụ", settings=settings) | a
    taken = render("inherited_work", {**context, "data": data, "assignments": [a], "handover": handover(data, 1)})
    assert "Tình trạng: Chưa giao (giao ngày 01/10/2022)" in taken.text and "Đã giao" not in taken.text
    given = assignment_context(
        session, noi_vu.id or 0, role="agency", email="x@y.vn", data={}, now=later, settings=settings
    )
    assert given["state_label"] == "Đã giao"  # on the day it is given


def test_a_date_the_day_off_rule_moved_says_why(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """ "Trong năm 2022 (hạn cuối ngày 03/01/2023)" left the reader to guess why the text's
    31/12/2022 became 03/01/2023: a Saturday, then the New Year's day off."""
    end = datetime(2023, 1, 3, 23, 59, 59, tzinfo=LOCAL_TZ)
    session.execute(update(Milestone).where(Milestone.id == noi_vu.milestone_id).values(due_date=date(2022, 12, 31)))
    session.execute(update(Assignment).where(Assignment.id == noi_vu.id).values(due_at=end, original_due_at=None))
    session.commit()
    row = enqueue(session, _spec(noi_vu, "reminder"), now=clock.now(), settings=_settings(tmp_path))
    assert row is not None
    moved = "ngày 31/12/2022 là ngày nghỉ nên hạn chuyển sang ngày làm việc kế tiếp"
    for body in (" ".join(row.body_text.split()), row.body_html or ""):
        assert "03/01/2023" in body and moved in body
    # a date on a working day, or moved by an extension, says nothing of the kind
    session.execute(update(Milestone).where(Milestone.id == noi_vu.milestone_id).values(due_date=date(2023, 1, 3)))
    session.commit()
    again = enqueue(
        session, replace(_spec(noi_vu, "reminder"), dedupe_key="again"), now=clock.now(), settings=_settings(tmp_path)
    )
    assert again is not None and "là ngày nghỉ" not in again.body_text


def test_every_digest_says_why_a_due_day_is_not_the_texts() -> None:
    """ "Năm 2022 … hạn 03/01/2023" read in the digests with no word of the day-off rule, which each
    mail about the work states ("ngày 31/12/2022 là ngày nghỉ …")."""
    said = "ngày 31/12/2022 là ngày nghỉ nên hạn chuyển sang ngày làm việc kế tiếp"
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    for day_off in ("31/12/2022", None):
        row = {**DIGEST_ROW, "due_date": "03/01/2023", "milestone_label": None, "role": "Chủ trì", "day_off": day_off}
        leader, secretariat = _leader_digest(common, row), _secretariat_digest(common, row)
        for body in (leader.text, leader.html, secretariat.text, secretariat.html):
            assert body.count(said) == (1 if day_off else 0), body


def test_a_digest_writes_its_thousands_with_a_dot() -> None:
    """A digest on the first day of tracking counts the province's whole backlog: "1626 phần việc quá
    hạn" is "1.626 phần việc quá hạn" in Vietnamese, in the subject, the text and the html."""
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    counts = {"unacknowledged": 0, "overdue": 1626, "report_unverified": 1228, "listed": 1, "failed": 0}
    context = {"recipient_role": "secretariat", "day": "12/07/2022", "failed": [], "counts": counts}
    sections = [{"kind": "overdue", "count": 1, "rows": [dict(DIGEST_ROW)]}]
    secretariat = render("digest_secretariat", {**common, **context, "sections": sections})
    assert "1.626 phần việc quá hạn, 1.228 báo cáo chờ xác nhận" in secretariat.subject
    assert "- Phần việc quá hạn chưa báo cáo: 1.626" in secretariat.text
    assert "<strong>1.626</strong>" in secretariat.html
    assert "(1; 1.625 phần việc quá hạn khác chưa có trong danh sách này" in secretariat.text
    groups = [{"agency_name": "Sở Nội vụ", "count": 1200, "tasks": 1100, "rows": [dict(DIGEST_ROW)]}]
    leader = render(
        "digest_leader",
        {**common, "recipient_role": "chair", "day": "12/07/2022", "total": 1200, "tasks": 1100, "groups": groups},
    )
    assert leader.subject.startswith("[Đôn đốc] Tổng hợp ngày 12/07/2022: 1.200 phần việc quá hạn (của 1.100 nhiệm vụ)")
    assert "1. Sở Nội vụ: 1.200 phần việc (của 1.100 nhiệm vụ)" in leader.text and "1.200" in leader.html


MOVED = "cơ quan nhận chuyển giao sau thời hạn từ cơ quan đã thôi hoạt động"
NOTHING = "Tổ giúp việc chưa nhắc cơ quan kể từ ngày nhận chuyển giao"
TOLD = "Tổ giúp việc mới báo cơ quan khi chuyển giao, chưa nhắc lại"
# some parts received late told by the transfer's mail only, others told nothing: each counted
BOTH = "Tổ giúp việc mới báo cơ quan khi chuyển giao, chưa nhắc lại: 2 nhiệm vụ; chưa nhắc cơ quan kể từ ngày nhận"
OPENING = "Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc, trừ"
PAUSED_ONE = "Tổ giúp việc đã tạm dừng nhắc việc 1 nhiệm vụ;"


@pytest.mark.parametrize(
    ("total", "paused", "unreminded", "told", "said"),
    [
        (3, 0, 0, 0, "Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc."),
        (3, 1, 0, 0, f"{OPENING} 1 nhiệm vụ đã tạm dừng nhắc việc (ghi rõ"),
        (3, 0, 2, 0, f"{OPENING} 2 nhiệm vụ {MOVED} ({NOTHING}; ghi rõ"),
        (3, 1, 1, 0, f"{OPENING} 1 nhiệm vụ đã tạm dừng nhắc việc và 1 nhiệm vụ {MOVED} ({NOTHING}; ghi rõ"),
        (3, 3, 0, 0, "Tổ giúp việc đã tạm dừng nhắc việc các nhiệm vụ này (ghi rõ"),
        (1, 0, 1, 0, f"Nhiệm vụ này do {MOVED}; {NOTHING} (ghi rõ"),
        (3, 0, 3, 0, f"Các nhiệm vụ này do {MOVED}; {NOTHING} (ghi rõ"),
        (
            3,
            1,
            2,
            0,
            f"{PAUSED_ONE} 2 nhiệm vụ còn lại do {MOVED} ({NOTHING}; ghi rõ",
        ),
        # told by the transfer's mail only (it said the work was late): said so, not "chưa nhắc"
        (3, 0, 0, 2, f"{OPENING} 2 nhiệm vụ {MOVED} ({TOLD}; ghi rõ"),
        (3, 1, 0, 1, f"{OPENING} 1 nhiệm vụ đã tạm dừng nhắc việc và 1 nhiệm vụ {MOVED} ({TOLD}; ghi rõ"),
        (4, 0, 1, 2, f"{OPENING} 3 nhiệm vụ {MOVED} ({BOTH} chuyển giao: 1 nhiệm vụ; ghi rõ"),
        (4, 1, 1, 1, f"{OPENING} 1 nhiệm vụ đã tạm dừng nhắc việc và 2 nhiệm vụ {MOVED} ({TOLD}: 1 nhiệm vụ;"),
        (1, 0, 0, 1, f"Nhiệm vụ này do {MOVED}; {TOLD} (ghi rõ"),
        (3, 0, 1, 2, f"Các nhiệm vụ này do {MOVED}; {BOTH} chuyển giao: 1 nhiệm vụ (ghi rõ"),
        (3, 1, 0, 2, f"{PAUSED_ONE} 2 nhiệm vụ còn lại do {MOVED} ({TOLD}; ghi rõ"),
        (4, 1, 1, 2, f"{PAUSED_ONE} 3 nhiệm vụ còn lại do {MOVED} ({BOTH}"),
    ],
)
def test_the_leaders_digest_says_whom_the_secretariat_reminded(
    total: int, paused: int, unreminded: int, told: int, said: str
) -> None:
    """ "Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc" is said of every row but those whose reminders
    were paused and those their body received after their date and was not reminded of since (the
    2025 replay's chair read it above Sở KH&CN's part, every reminder of which had gone to Sở TT&TT);
    of the latter, those told of on receipt only are said apart (the mail of the work received said it
    was late), in one sentence with the rest, whatever mix."""
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    groups = [{"agency_name": "Sở Nội vụ", "count": total, "rows": [dict(DIGEST_ROW)]}]
    context = {"recipient_role": "chair", "day": "12/07/2022", "total": total, "groups": groups}
    counts = {"paused": paused, "unreminded": unreminded, "told_on_receipt": told}
    leader = render("digest_leader", {**common, **context, **counts})
    for body in (leader.text, re.sub("<[^>]+>", "", leader.html)):
        assert body.count(said) == 1, body
        opening = 0 if paused + unreminded + told == total and not paused else 1
        assert body.count("Tổ giúp việc đã") == opening, body
        assert body.count("mới báo cơ quan khi chuyển giao, chưa nhắc lại") == (1 if told else 0), body


def test_the_overdue_mail_asks_of_the_body_only_what_its_page_lets_it_do(
    session: Session, clock: FrozenClock, noi_vu: Assignment, tmp_path: Path
) -> None:
    """The overdue mail asked the body to "giải trình lý do chậm trễ": its page offers no such form until
    a leader or the secretariat asks for an explanation (the rule book's ``explain`` needs an open
    request). What the body can do is report, or ask for more time with its reason; the latter only
    while no request of its own waits (one at a time)."""
    settings = _settings(tmp_path)
    asked = "đề nghị gia hạn và nêu rõ lý do chậm trễ tại trang nhiệm vụ"
    first = enqueue(session, _spec(noi_vu, "overdue", "agency"), now=clock.now(), settings=settings)
    assert first is not None
    for body in (first.body_text, first.body_html or ""):
        assert "giải trình lý do" not in body and asked in body, body
    assert noi_vu.id is not None
    request = Request(
        Action.REQUEST_EXTENSION, Actor.agency("so-noi-vu"), comment="Chờ kinh phí.", due=date(2022, 7, 29)
    )
    act(session, noi_vu.id, request, now=clock.now())
    session.commit()
    spec = _spec(noi_vu, "overdue", "agency")
    again = enqueue(session, replace(spec, dedupe_key=spec.dedupe_key + ":again"), now=clock.now(), settings=settings)
    assert again is not None
    for body in (again.body_text, again.body_html or ""):
        assert asked not in body and "khẩn trương hoàn thành, báo cáo kết quả." in body, body


def test_the_secretariats_overdue_figure_says_the_backlog_it_leaves_out() -> None:
    """The 2022 demo's digest said "Phần việc quá hạn chưa báo cáo: 47", the board's tile, with no word
    of the 194 open parts due before the tracking start the board lists apart; it says them beside it."""
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    counts = {"unacknowledged": 0, "overdue": 1, "report_unverified": 0, "listed": 1, "failed": 0, "backlog": 194}
    context = {
        "recipient_role": "secretariat",
        "day": "12/07/2022",
        "sections": [{"kind": "overdue", "count": 1, "rows": [DIGEST_ROW]}],
        "failed": [],
        "counts": counts,
    }
    said = (
        "Phần việc quá hạn chưa báo cáo: 1 (không kể 194 phần việc có hạn trước ngày bắt đầu theo dõi chưa hoàn"
        ' thành: không nhắc hạn, ở mục "Tồn đọng trước khi theo dõi" của bảng theo dõi)'
    )
    digest = render("digest_secretariat", {**common, **context})
    assert said in " ".join(digest.text.split())
    assert said.replace("1 (", "<strong>1</strong> (") in " ".join(digest.html.split())
    quiet = render("digest_secretariat", {**common, **context, "counts": {**counts, "backlog": 0}})
    assert "trước ngày bắt đầu theo dõi" not in quiet.text


def test_the_secretariats_unacknowledged_figure_says_the_backlog_it_leaves_out() -> None:
    """A 2022 replay's digest of 07/01 said "Phần việc đã giao, chưa được tiếp nhận: 51", with no word of
    66 parts of 61/KH-UBND due before the tracking start and never acknowledged, which the figure leaves
    out (never chased): the next line said its own exclusion, this one did not. Now both do."""
    common = {"recipient_name": "X", "salutation": "X", "recipient_label": "", "link": f"{BASE}/x", "link_days": 30}
    counts = {"unacknowledged": 51, "overdue": 0, "report_unverified": 0, "listed": 0, "failed": 0}
    context = {
        "recipient_role": "secretariat",
        "day": "07/01/2022",
        "sections": [{"kind": "unacknowledged", "count": 0, "rows": []}],
        "failed": [],
        "counts": counts | {"backlog": 185, "unacknowledged_backlog": 66},
    }
    said = (
        "Phần việc đã giao, chưa được tiếp nhận: 51 (không kể 66 phần việc có hạn trước ngày bắt đầu theo dõi"
        ' chưa được tiếp nhận: không nhắc tiếp nhận, ở mục "Tồn đọng trước khi theo dõi" của bảng theo dõi)'
    )
    digest = render("digest_secretariat", {**common, **context})
    assert said in " ".join(digest.text.split())
    assert said.replace("51 (", "<strong>51</strong> (") in " ".join(digest.html.split())
    quiet = render("digest_secretariat", {**common, **context, "counts": counts})
    assert "chưa được tiếp nhận: 51\n" in quiet.text and "trước ngày bắt đầu theo dõi" not in quiet.text
