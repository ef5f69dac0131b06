"""A part given through an inferred group to a body that then ended: the successor is no member by the
succession. Mail 334's sibling (01/03/2025) told Sở NN&MT "Quý cơ quan được giao phần việc này vì thuộc
nhóm «Thành viên Ban Chỉ đạo chuyển đổi số tỉnh» theo danh sách Tổ giúp việc suy đoán" of parts given
to Sở NN&PTNT as a guessed member; its mail and the part's page now say whom the guess was about, and
that the successor holds the part by the succession, in one clause (inferred_parts)."""

from __future__ import annotations

import html
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.models import Assignment, Notification
from dondoc.engine.settings import Settings
from dondoc.notifications.inherited import apply_successions
from dondoc.notifications.outbox import MailSpec, rendered_columns
from tests.factories import assignment_for, load_min_catalog
from tests.support.successions import ON, at, succession_catalog, successions_yaml
from tests.support.web import WebEnv

ITEM = "99/KH-TEST:II.1"
GUESS = "thuộc nhóm «Các sở, ban, ngành» theo danh sách"
FALSE = f"Quý cơ quan được giao phần việc này vì {GUESS}"
TRUE = (
    f"Phần việc này được giao cho Văn phòng UBND tỉnh vì {GUESS} Tổ giúp việc suy đoán, văn bản không nêu danh "
    "sách; quý cơ quan nhận phần việc này do kế nhiệm Văn phòng UBND tỉnh, không phải vì thuộc nhóm; nếu Văn "
    "phòng UBND tỉnh không thuộc nhóm này, đề nghị báo Tổ giúp việc."
)


def _renamed_with_a_guessed_part(web: WebEnv, tmp_path: Path) -> tuple[int, Notification]:
    """VP UBND's part of II.1 (its second milestone) marked as given through an inferred group, then
    VP UBND renamed on ON: the part, and the renamed body's inherited_work mail listing it."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, successions_yaml("rename")))
        part = assignment_for(session, ITEM, "vp-ubnd", seq=2).id or 0
        session.execute(update(Assignment).where(col(Assignment.id) == part).values(inferred_group="so-ban-nganh"))
        session.commit()
    web.clock.set(at(ON, 0))
    with Session(web.engine) as session:
        apply_successions(session, now=web.clock.now(), local=DEFAULT_DAYS, settings=web.settings)
        session.commit()
        mails = session.exec(select(Notification).where(col(Notification.kind) == "inherited_work")).all()
        (told,) = [m for m in mails if part in m.data.get("assignment_ids", [])]
        return part, told


def test_the_successors_mail_says_the_guess_was_about_its_predecessor(web: WebEnv, tmp_path: Path) -> None:
    part, told = _renamed_with_a_guessed_part(web, tmp_path)
    spec = MailSpec(
        told.dedupe_key, told.kind, told.recipient_role, told.recipient_email, told.recipient_name,
        told.assignment_id, told.policy_version, False, told.data,
    )  # fmt: skip
    with Session(web.engine) as session:
        columns = rendered_columns(session, spec, now=web.clock.now(), settings=Settings(demo=True))
    text = " ".join(columns["body_text"].split())
    page_html = " ".join(html.unescape(columns["body_html"] or "").split())
    assert FALSE not in text and FALSE not in page_html
    assert text.count(TRUE) == 1 and page_html.count(TRUE) == 1, text


def test_the_parts_page_says_the_same(web: WebEnv, tmp_path: Path) -> None:
    part, _ = _renamed_with_a_guessed_part(web, tmp_path)
    web.login()
    page = " ".join(html.unescape(web.client.get(f"/board/assignments/{part}").text).split())
    assert 'id="form-confirm-membership"' in page
    assert f"Cơ quan được giao phần việc này vì {GUESS}" not in page
    assert (
        f"Phần việc này được giao cho Văn phòng UBND tỉnh vì {GUESS} Tổ giúp việc suy đoán, văn bản không nêu "
        "danh sách; Văn phòng UBND tỉnh (tên mới) nhận phần việc này do kế nhiệm Văn phòng UBND tỉnh, không phải "
        "vì thuộc nhóm" in page
    ), page
    assert "hủy nếu Văn phòng UBND tỉnh không thuộc nhóm" in page
