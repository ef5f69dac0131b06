"""Every mail about a partner's or an implementer's part names the lead(s) in its facts, as the
part's page does.

Demo replay (2022): UBND huyện Bình Sơn's reminder and "chưa tiếp nhận" of 117/KH-UBND:II.6.5, where
it is a partner, said "Cơ quan: UBND huyện Bình Sơn (Phối hợp)" and "phối hợp với cơ quan chủ trì",
never which body; its page said "Gửi kết quả phối hợp cho cơ quan chủ trì (Sở Thông tin và Truyền
thông)". The facts now carry "Cơ quan chủ trì: Sở Thông tin và Truyền thông" (the text's word for the
lead: "Cơ quan tham mưu: …"), all the leads by name, read in one statement for a mail's parts."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import apply_due_successions
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications.outbox import MailSpec, build_context
from dondoc.notifications.render import KINDS, render
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, edit
from tests.support.statements import statements_of
from tests.support.successions import ON, PARTNERED_II_1, PLAN, at, succession_catalog, successions_yaml
from tests.support.web import WebEnv
from tests.test_partner_queue import ITEM, WITH_PARTNERS

LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
SOON = datetime(2022, 6, 24, 9, 0, tzinfo=LOCAL_TZ)
SETTINGS = Settings(_env_file=None, base_url="http://testserver", demo=True)  # type: ignore[call-arg]
TTTT = "Sở Thông tin và Truyền thông"


def _catalog(tmp_path: Path, partners: str = WITH_PARTNERS) -> Path:
    directory = copy_catalog(tmp_path)
    plan = directory / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + partners, encoding="utf-8")
    return directory


def _mail(session: Session, kind: str, part: int, role: str = "agency", **data: object) -> tuple[str, str]:
    spec = MailSpec("t", kind, role, "x@example", None, part, None, held=False, data=dict(data))
    told = render(kind, build_context(session, spec, now=SOON, settings=SETTINGS))
    return told.text, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", told.html)).split())


def test_a_partners_mails_name_its_lead(session: Session, tmp_path: Path) -> None:
    load_min_catalog(session, LOADED, _catalog(tmp_path))
    partner = assignment_for(session, ITEM, "so-noi-vu").id or 0
    for kind in ("reminder", "unacknowledged", "overdue", "new_assignment"):
        text, page = _mail(session, kind, partner, days_before_due=4)
        assert "- Cơ quan: Sở Nội vụ (Phối hợp)\n- Cơ quan chủ trì: " + TTTT + "\n" in text, (kind, text)
        assert f"Cơ quan chủ trì {TTTT}" in page, (kind, page)
    # the reminder's own sentence names it too, as the page's heading does
    text, _ = _mail(session, "reminder", partner, days_before_due=4)
    assert f"phối hợp với cơ quan chủ trì ({TTTT}) và gửi" in text, text
    # the lead's own mail names no lead of its own part
    lead = assignment_for(session, ITEM, "so-tttt").id or 0
    text, _ = _mail(session, "reminder", lead, days_before_due=4)
    assert "Cơ quan chủ trì:" not in text, text


def test_an_implementers_mail_names_the_lead_in_the_texts_word(session: Session, tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    written = 'roles_as_written: {lead: "Sở TT&TT.", implementers: "Các sở, ban, ngành, UBND các huyện."}'
    headed = written.replace('{lead: "Sở TT&TT.",', '{lead: "Sở TT&TT.", lead_heading: "Cơ quan tham mưu",')
    edit(directory, "plans/test-plan.yaml", written, headed)
    load_min_catalog(session, LOADED, directory)
    implementer = assignment_for(session, "99/KH-TEST:II.1", "ubnd-binh-son").id or 0
    text, page = _mail(session, "reminder", implementer, days_before_due=4)
    assert f"- Cơ quan: UBND huyện Bình Sơn (Thực hiện)\n- Cơ quan tham mưu: {TTTT}\n" in text, text
    assert f"Cơ quan tham mưu {TTTT}" in page and "Cơ quan chủ trì" not in page, page


def test_several_leads_are_named_as_the_page_names_them(web: WebEnv, tmp_path: Path) -> None:
    two = WITH_PARTNERS.replace(
        "lead: [so-tttt]\n    partners: [so-noi-vu, vp-ubnd]", "lead: [vp-ubnd, so-tttt]\n    partners: [so-noi-vu]"
    )
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _catalog(tmp_path, two))
        partner = assignment_for(session, ITEM, "so-noi-vu").id or 0
        act(session, partner, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=web.clock.now())
        session.commit()
        text, _ = _mail(session, "reminder", partner, days_before_due=4)
    page = web.client.get(f"/a/{web.link('agency:so-noi-vu')}/assignments/{partner}").text
    named = f"{TTTT}, Văn phòng UBND tỉnh"
    assert f"Gửi kết quả phối hợp cho cơ quan chủ trì ({named})" in html.unescape(page)
    assert f"- Cơ quan chủ trì: {named}\n" in text, text


def test_a_mails_parts_name_their_leads_in_one_statement(session: Session, tmp_path: Path) -> None:
    """A new-work notice listing a body's parts reads their leads once, not once a part."""
    more = WITH_PARTNERS + WITH_PARTNERS.replace("II.4", "II.5").replace("lead: [so-tttt]", "lead: [vp-ubnd]")
    load_min_catalog(session, LOADED, _catalog(tmp_path, more))
    parts = [assignment_for(session, code, "so-noi-vu").id or 0 for code in (ITEM, "99/KH-TEST:II.5")]
    spec = MailSpec(
        "t", "new_assignment", "agency", "x@example", None, parts[0], None, False, {"assignment_ids": parts}
    )
    bind = session.get_bind()
    with statements_of(bind) as seen:  # type: ignore[arg-type]
        told = render("new_assignment", build_context(session, spec, now=SOON, settings=SETTINGS)).text
    assert f"- Cơ quan chủ trì: {TTTT}\n" in told and "- Cơ quan chủ trì: Văn phòng UBND tỉnh\n" in told, told
    assert len([s for s in seen if "named_part" in s]) == 1, seen
    assert "new_assignment" in KINDS


def test_a_lead_passed_on_by_a_reorganisation_is_named_as_the_page_names_it(web: WebEnv, tmp_path: Path) -> None:
    """Sở TT&TT absorbed by Sở KH&CN on 01/08/2022: the partner's page and its reminder of II.1's
    second milestone both name the body now holding the lead, not the one that ended."""
    yaml = successions_yaml("absorb", body="from: [so-tttt]\n    to: [{agency: so-khcn}]")
    catalog = succession_catalog(tmp_path, yaml)
    edit(catalog, PLAN, *PARTNERED_II_1)
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), catalog)
    web.clock.set(at(ON, 9))
    with Session(web.engine) as session:
        apply_due_successions(session, now=web.clock.now())
        partner = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu", seq=2).id or 0
        act(session, partner, Request(Action.ACKNOWLEDGE, Actor.agency("so-noi-vu")), now=web.clock.now())
        session.commit()
        spec = MailSpec("t", "reminder", "agency", "x@example", None, partner, None, held=False, data={})
        text = render("reminder", build_context(session, spec, now=web.clock.now(), settings=SETTINGS)).text
    page = html.unescape(web.client.get(f"/a/{web.link('agency:so-noi-vu')}/assignments/{partner}").text)
    assert "Gửi kết quả phối hợp cho cơ quan chủ trì (Sở Khoa học và Công nghệ)" in page
    assert "- Cơ quan chủ trì: Sở Khoa học và Công nghệ\n" in text, text
