"""A body's part in the document's word: 04/KH-BCĐ heads its lead "Cơ quan tham mưu" (the body
prepares the committee's own meeting), and the chair's mail said "vai trò: chủ trì" of Sở TT&TT on
"Họp Phiên thứ 2 Ban Chỉ đạo". Every surface reads the one label (engine.models.assignments.role_label)."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Assignment, PlanItem
from dondoc.engine.models.assignments import role_label
from dondoc.engine.reports.data import build_report
from dondoc.engine.role_words import lead_words, roles_words
from dondoc.engine.services.queries import list_assignments
from dondoc.engine.settings import Settings
from dondoc.notifications.context import assignment_context
from dondoc.notifications.outbox import MailSpec, build_context
from dondoc.notifications.render import render
from dondoc.tasks_catalog.loader import default_catalog_dir, load_catalog
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import copy_catalog, edit
from tests.support.desk import list_rows
from tests.support.web import WebEnv, agency_act

PLAN = "plans/test-plan.yaml"
LOADED = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
LATE = datetime(2022, 7, 20, 9, 0, tzinfo=LOCAL_TZ)  # II.1's first date (30/6) has passed
SETTINGS = Settings(_env_file=None, base_url="http://testserver", demo=True)  # type: ignore[call-arg]


def _catalog(tmp_path: Path) -> Path:
    catalog = copy_catalog(tmp_path)
    written = 'roles_as_written: {lead: "Sở TT&TT.", implementers: "Các sở, ban, ngành, UBND các huyện."}'
    headed = written.replace('{lead: "Sở TT&TT.",', '{lead: "Sở TT&TT.", lead_heading: "Cơ quan tham mưu",')
    edit(catalog, PLAN, written, headed)
    return catalog


def test_the_lead_is_named_in_the_documents_word(session: Session, tmp_path: Path) -> None:
    load_min_catalog(session, LOADED, _catalog(tmp_path))
    views = [v for v in list_assignments(session, LATE) if v.item_code == "99/KH-TEST:II.1"]
    labels = {(v.agency_code, v.role_label) for v in views}
    assert ("so-tttt", "Tham mưu") in labels
    assert all(label == "Thực hiện" for code, label in labels if code != "so-tttt")
    others = [v for v in list_assignments(session, LATE) if v.item_code != "99/KH-TEST:II.1" and v.role == "lead"]
    assert others and all(v.role_label == "Chủ trì" for v in others)  # an item headed "chủ trì" keeps it
    # the mail about it
    lead = assignment_for(session, "99/KH-TEST:II.1", "so-tttt")
    facts = assignment_context(
        session, lead.id or 0, role="agency", email="x@example", data={}, now=LATE, settings=SETTINGS
    )
    assert facts["role_label"] == "Tham mưu"
    # the lead told of an implementer late, in the mail's own sentence: "Với vai trò cơ quan tham mưu"
    late = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    spec = MailSpec("t", "overdue", "lead", "so-tttt@example", "Sở TT&TT", late.id, None, held=False, data={})
    told = render("overdue", build_context(session, spec, now=LATE, settings=SETTINGS)).text
    assert "Với vai trò cơ quan tham mưu" in told and "cơ quan chủ trì" not in told
    # the report's overdue list
    rows = build_report(session, period_code="2022-Q3", now=LATE).overdue
    assert {r.role_label for r in rows if r.item_code == "99/KH-TEST:II.1" and r.agency_code == "so-tttt"} == {
        "Tham mưu"
    }
    # the periodic mail names the lead by both words: it counts these parts with the others'
    assert lead_words(session) == ["Tham mưu"]


def test_the_shipped_plan_heads_its_advisers_as_it_writes() -> None:
    """04/KH-BCĐ: II.3–II.6, II.8–II.10 are "Cơ quan tham mưu"; II.1, II.2, II.7 "Cơ quan chủ trì"."""
    (plan,) = [p for p in load_catalog(default_catalog_dir()).plans if p.meta.number == "04/KH-BCĐ"]
    items = {i.code: i for i in plan.items}
    headed = {code for code, item in items.items() if item.roles_as_written.get("lead_heading")}
    assert headed == {f"04/KH-BCĐ:II.{n}" for n in (3, 4, 5, 6, 8, 9, 10)}
    assert {role_label("lead", items[code].roles_as_written["lead_heading"]) for code in headed} == {"Tham mưu"}
    assert role_label("lead") == "Chủ trì" and role_label("partner", "Cơ quan tham mưu") == "Phối hợp"


def test_the_agency_page_says_the_documents_word_under_the_lead(web: WebEnv, tmp_path: Path) -> None:
    """An agency's page groups its work by the role it is followed in: 117/KH-UBND II.1.e heads Sở
    TT&TT "Cơ quan thực hiện", listed under "Chủ trì" with nothing said, while the plan's page
    says "Thực hiện". The row says the document's word."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), _catalog(tmp_path))  # II.1's lead headed "Cơ quan tham mưu"
        session.commit()
    page = web.client.get(f"/a/{web.link('agency:so-tttt')}?all=1").text
    lead = page.split('data-role="lead"', 1)[1].split("</table>", 1)[0]
    rows = {row.split('<span class="muted">', 1)[1].split(" ", 1)[0]: row for row in lead.split("<tr")[2:]}
    headed = [code for code, row in rows.items() if "văn bản ghi: Tham mưu" in row]
    assert headed and all(code == "99/KH-TEST:II.1" for code in headed)
    assert len(rows) > len(headed) and "văn bản ghi" not in page.split('data-role="lead"', 1)[0]


def test_the_leads_page_heads_its_partners_inputs_by_the_documents_word(web: WebEnv) -> None:
    """The lead's page lists its partners' inputs under "Ý kiến / kết quả gửi chủ trì", and a partner's
    page asks it to send its input "cho cơ quan chủ trì"; of an item the text heads "Cơ quan tham mưu"
    (04/KH-BCĐ), whose mails ask the partners for their input to the "cơ quan tham mưu", both said
    "chủ trì" all the same."""

    def headed(heading: str | None) -> None:
        with Session(web.engine) as session:
            item = session.exec(select(PlanItem).where(PlanItem.code == "99/KH-TEST:II.1")).one()
            written = {k: v for k, v in item.roles_as_written.items() if k != "lead_heading"}
            item.roles_as_written = {**written, "lead_heading": heading} if heading else written
            session.add(item)
            session.commit()

    headed("Cơ quan tham mưu")
    partner, token = web.assignment("99/KH-TEST:II.1", "so-noi-vu"), web.link("agency:so-noi-vu")
    with Session(web.engine) as session:  # a partner of Sở TT&TT's II.1, as test_web_flows makes it
        session.execute(update(Assignment).where(col(Assignment.id) == partner).values(role="partner"))
        session.commit()
    assert agency_act(web, token, partner, {"action": "acknowledge"}) == 303
    own = html.unescape(web.client.get(f"/a/{token}/assignments/{partner}").text)
    assert "Gửi kết quả phối hợp cho cơ quan tham mưu (Sở Thông tin và Truyền thông)" in own
    assert agency_act(web, token, partner, {"action": "report", "comment": "Ý kiến phối hợp"}) == 303
    told = html.unescape(web.client.get(f"/a/{token}/assignments/{partner}?done=report").text)
    assert "Đã ghi nhận: đã gửi kết quả phối hợp cho cơ quan tham mưu (Sở Thông tin và Truyền thông)" in told
    web.login()
    lead = web.assignment("99/KH-TEST:II.1", "so-tttt")
    page = web.client.get(f"/board/assignments/{lead}").text
    assert "<th>Ý kiến / kết quả gửi cơ quan tham mưu</th>" in page and "gửi cơ quan chủ trì" not in page
    headed(None)
    assert "<th>Ý kiến / kết quả gửi cơ quan chủ trì</th>" in web.client.get(f"/board/assignments/{lead}").text


def _head_leads(web: WebEnv, headings: dict[str, str | None]) -> None:
    """Give each item's lead the heading its text would (None: "Cơ quan chủ trì", no heading)."""
    with Session(web.engine) as session:
        for code, heading in headings.items():
            item = session.exec(select(PlanItem).where(PlanItem.code == code)).one()
            written = {k: v for k, v in item.roles_as_written.items() if k != "lead_heading"}
            item.roles_as_written = {**written, "lead_heading": heading} if heading else written
            session.add(item)
        session.commit()


def _options(page: str) -> dict[str, str]:
    """The role filter's choices on a page, value → label."""
    select_ = html.unescape(page.split('<select name="role">', 1)[1].split("</select>", 1)[0])
    return {
        part.split('"', 1)[0]: part.split(">", 1)[1].split("<", 1)[0]
        for part in select_.split('<option value="')[1:]
        if part.split('"', 1)[0]
    }


def test_the_role_filter_says_it_takes_every_lead_whatever_its_heading(web: WebEnv) -> None:
    """ "Vai trò: Chủ trì" returned the leads the text heads "Tham mưu" (04/KH-BCĐ) or "Thực hiện"
    (117/KH-UBND II.1.e) without saying so, and "Thực hiện" left those out. The rows were right, the
    words not: each choice now says what it returns, on every list that offers it, and a link kept
    from before (``role=lead``) still selects the same rows."""
    web.login()
    plain = {"lead": "Chủ trì", "implementer": "Thực hiện", "partner": "Phối hợp"}
    assert _options(web.client.get("/board/assignments").text) == plain  # no heading: the roles' own words
    _head_leads(web, {"99/KH-TEST:II.1": "Cơ quan tham mưu", "99/KH-TEST:II.2": "Cơ quan thực hiện"})
    said = {
        "lead": "Chủ trì, kể cả cơ quan văn bản ghi là tham mưu hoặc thực hiện khi không ghi cơ quan chủ trì",
        "implementer": "Thực hiện, trừ cơ quan được theo dõi như chủ trì",
        "partner": "Phối hợp",
    }
    with Session(web.engine) as session:
        plan_id = session.exec(select(PlanItem.plan_id).where(PlanItem.code == "99/KH-TEST:II.1")).one()
    for path in ("/board/assignments", "/board/cho-xac-nhan", f"/board/plans/{plan_id}"):
        page = web.client.get(f"{path}?role=lead")  # an old link: the value is the role's, as before
        assert page.status_code == 200, path
        assert _options(page.text) == said, path
        assert f'<option value="lead" selected>{said["lead"]}</option>' in html.unescape(page.text), path
    leads = set(list_rows(web.client, "role=lead"))
    headed = {str(web.assignment("99/KH-TEST:II.1", "so-tttt")), str(web.assignment("99/KH-TEST:II.2", "vp-ubnd"))}
    assert headed <= leads  # the rows the words now name
    assert not headed & set(list_rows(web.client, "role=implementer"))
    refused = web.client.get("/board/assignments?role=boss")
    assert refused.status_code == 422
    assert f"chọn: {said['lead']} (lead); {said['implementer']} (implementer); Phối hợp (partner)." in html.unescape(
        refused.text
    )


def test_the_leaders_page_names_the_roles_it_counts_by_every_heading_of_the_lead(web: WebEnv) -> None:
    """The leaders' page counts the lead's and the implementers' parts, the leads headed "Tham mưu"
    among them, and said "của cơ quan chủ trì, thực hiện"; the periodic report's mail, counting the
    same, said "chủ trì hoặc tham mưu, thực hiện", an "or" inside a list: both say "chủ trì, tham mưu, thực
    hiện" (engine.role_words)."""
    _head_leads(web, {"99/KH-TEST:II.1": "Cơ quan tham mưu"})
    web.clock.set(LATE)
    page = html.unescape(web.client.get(f"/leaders/{web.link('leader:chair')}").text)
    assert '<h2 id="qua-han">Phần việc quá hạn <small>(của cơ quan chủ trì, tham mưu, thực hiện)</small></h2>' in page
    assert "chủ trì, thực hiện" not in page


def test_a_count_that_leaves_a_role_out_does_not_name_it_among_the_leads_headings() -> None:
    """117/KH-UBND heads three leads "Cơ quan thực hiện". A policy counting the lead alone had its mail
    say "của cơ quan chủ trì, tham mưu, thực hiện" of a count with no implementer in it, and "thực
    hiện, phối hợp" of the count apart: the lead is said with its headings as the filter says it, and
    the role counted apart without those leads."""
    headings = ["Tham mưu", "Thực hiện"]
    assert roles_words(["lead", "implementer"], headings) == "chủ trì, tham mưu, thực hiện"
    assert roles_words(["lead"], headings) == (
        "chủ trì (kể cả cơ quan văn bản ghi là tham mưu hoặc thực hiện khi không ghi cơ quan chủ trì)"
    )
    assert roles_words(["implementer", "partner"], headings) == (
        "thực hiện (trừ cơ quan được theo dõi như chủ trì), phối hợp"
    )
    assert roles_words(["lead"], ["Tham mưu"]) == "chủ trì, tham mưu"  # no heading that is a role's word


def test_the_item_page_names_a_mail_to_the_lead_by_the_documents_word(session: Session, tmp_path: Path) -> None:
    """The page of Sở Tư pháp's part of 04/KH-BCĐ II.4 listed the copy of its overdue notice to Sở
    TT&TT "(cơ quan chủ trì)", where the mail itself and the text say "tham mưu"; the command line too."""
    from dondoc.engine.mail_labels import mail_recipient_label
    from dondoc.engine.services.queries import get_assignment

    load_min_catalog(session, LOADED, _catalog(tmp_path))
    late = assignment_for(session, "99/KH-TEST:II.1", "so-noi-vu")
    detail = get_assignment(session, late.id or 0, LATE)
    assert detail.lead_label == "Tham mưu"
    assert mail_recipient_label("lead", None, detail.lead_label) == "cơ quan tham mưu"
    assert mail_recipient_label("lead") == "cơ quan chủ trì"  # an item headed "chủ trì"
    assert mail_recipient_label("lead", "Sở Nội vụ", detail.lead_label) == "Sở Nội vụ, cơ quan được giao khi đó"
