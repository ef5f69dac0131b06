"""A part's own page read at a past instant (`--now`, `serve --demo`) names the body that held it then,
as the lists of that instant do (tests/test_lookback_lists_by_holder.py), and says who holds it since
as what happened after, on both databases: the secretariat's page, the body's own page, the API's
show of one part, ``dondoc assignments show``; and a lead's page lists each partner under the body
that held its part then.

UBND Lý Sơn is absorbed into Sở KH&CN on 01/08/2022. At 29/07/2022 the agency page of Lý Sơn listed
its two parts of II.1 (implementer), and each linked to a page that refused it ("phần việc này thuộc
cơ quan khác"); the secretariat's page, the API and the command line named Sở KH&CN; the lead's
page (Sở TT&TT) listed the part under Sở KH&CN among its implementers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc.engine.models import Assignment, Milestone
from tests.support.cli import dondoc, ok
from tests.support.statements import statements_of
from tests.support.successions import at, succession_applied, successions_yaml
from tests.support.sweep import run_sweep
from tests.support.web import WebEnv

OLD, NEW = "ubnd-ly-son", "so-khcn"
OLD_NAME, NEW_NAME = "UBND huyện Lý Sơn", "Sở Khoa học và Công nghệ"
PAST, TODAY = at("2022-07-29", 17), at("2022-08-02", 17)
PAST_ARG, TODAY_ARG = "2022-07-29T17:00", "2022-08-02T17:00"
TASK = "99/KH-TEST:II.1"  # Lý Sơn implements it; Sở TT&TT leads it
AFTER = f"Ngày 01/08/2022, sau thời điểm đang xem, phần việc được chuyển cho {NEW_NAME}"


def _part(web: WebEnv, tmp_path: Path) -> int:
    """Lý Sơn, told of its work by the plan's notice (02/03), absorbed into Sở KH&CN on 01/08: its part
    of II.1's second milestone (due 15/11)."""
    with Session(web.engine) as session:
        run_sweep(session, web.clock.now())
    told = succession_applied(web, tmp_path, successions_yaml("absorb"))
    moved = {i for mail in told for i in mail.data.get("assignment_ids", [])}
    with Session(web.engine) as session:
        statement = (
            select(Assignment.id)
            .join(Milestone, col(Milestone.id) == col(Assignment.milestone_id))
            .where(col(Assignment.id).in_(moved), Milestone.seq == 2)
        )
        (part,) = session.exec(statement).all()
    return part


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _body_said(page: str) -> str:
    """What the page's "Cơ quan" line says."""
    found = re.search(r"<dt>Cơ quan</dt><dd>(.*?)</dd>", page, re.S)
    assert found, page
    return _text(found.group(1))


def test_a_parts_pages_name_the_body_that_held_it_then(web: WebEnv, tmp_path: Path) -> None:
    part = _part(web, tmp_path)
    web.login()
    web.clock.set(PAST)
    page = web.client.get(f"/board/assignments/{part}")
    assert page.status_code == 200, page.text
    said = _body_said(page.text)
    assert said.startswith(f"{OLD_NAME} — Thực hiện") and f"{AFTER}." in said, said
    # the mail telling Lý Sơn of its work in March went to the body that holds it at that instant
    mails = _text(re.search(r'<table class="grid stack" id="mails">.*?</table>', page.text, re.S).group(0))  # type: ignore[union-attr]
    assert "(cơ quan được giao)" in mails and "khi đó" not in mails, mails
    # the body's own page of that day: Lý Sơn's, which its list links to; not its successor's yet
    old, new = web.link(f"agency:{OLD}"), web.link(f"agency:{NEW}")
    own = web.client.get(f"/a/{old}/assignments/{part}")
    assert own.status_code == 200, own.text
    assert _body_said(own.text).startswith(f"{OLD_NAME} — Thực hiện")
    assert f'href="/a/{old}/assignments/{part}"' in web.client.get(f"/a/{old}?all=1").text
    assert web.client.get(f"/a/{new}/assignments/{part}").status_code == 403

    web.clock.set(TODAY)
    page = web.client.get(f"/board/assignments/{part}").text
    assert _body_said(page).startswith(f"{NEW_NAME} — Thực hiện") and "sau thời điểm" not in _body_said(page)
    mails = _text(re.search(r'<table class="grid stack" id="mails">.*?</table>', page, re.S).group(0))  # type: ignore[union-attr]
    assert f"{OLD_NAME}, cơ quan được giao khi đó" in mails, mails
    assert web.client.get(f"/a/{new}/assignments/{part}").status_code == 200


def test_the_apis_and_the_command_lines_show_name_the_body_that_held_it_then(
    web: WebEnv, db_url: str, tmp_path: Path
) -> None:
    part = _part(web, tmp_path)
    web.clock.set(PAST)
    shown = web.client.get(f"/api/v1/assignments/{part}", headers=web.api_token("secretariat")).json()
    assert (shown["agency_code"], shown["agency_name"]) == (OLD, OLD_NAME)
    assert shown["passed_after"] == {"on": "2022-08-01", "to_name": NEW_NAME, "holder_name": NEW_NAME}
    assert web.client.get(f"/api/v1/assignments/{part}", headers=web.api_token("agency", OLD)).status_code == 200

    text = ok(dondoc(db_url, "assignments", "show", str(part), now=PAST_ARG))
    assert f"  Cơ quan: {OLD_NAME} [{OLD}], vai trò: Thực hiện\n  {AFTER}.\n" in text, text
    detail = json.loads(ok(dondoc(db_url, "assignments", "show", str(part), "--json", now=PAST_ARG)))
    assert (detail["agency_code"], detail["passed_after"]["on"]) == (OLD, "2022-08-01")

    text = ok(dondoc(db_url, "assignments", "show", str(part), now=TODAY_ARG))
    assert f"  Cơ quan: {NEW_NAME} [{NEW}], vai trò: Thực hiện\n" in text and "sau thời điểm" not in text
    web.clock.set(TODAY)
    shown = web.client.get(f"/api/v1/assignments/{part}", headers=web.api_token("secretariat")).json()
    assert (shown["agency_code"], shown["passed_after"]) == (NEW, None)


def _implementers(page: str) -> list[str]:
    table = re.search(r'<table class="grid stack" id="implementers">.*?</table>', page, re.S)
    assert table, "the lead's page lists its implementers"
    return [_text(cell) for cell in re.findall(r'<td data-label="Cơ quan">(.*?)</td>', table.group(0), re.S)]


def test_a_leads_page_lists_each_fellow_under_the_body_that_held_it_then(web: WebEnv, tmp_path: Path) -> None:
    """Absorbed into Sở KH&CN: the lead's page of 29/07 lists Lý Sơn, not its successor."""
    _part(web, tmp_path)
    lead = web.assignment(TASK, "so-tttt", 2)
    web.login()
    web.clock.set(PAST)
    fellows = _implementers(web.client.get(f"/board/assignments/{lead}").text)
    assert OLD_NAME in fellows and NEW_NAME not in fellows, fellows
    web.clock.set(TODAY)
    fellows = _implementers(web.client.get(f"/board/assignments/{lead}").text)
    assert NEW_NAME in fellows and OLD_NAME not in fellows, fellows


def test_at_todays_instant_a_parts_page_runs_the_statements_it_always_ran(web: WebEnv, tmp_path: Path) -> None:
    """After one probe of the transfers after the day, a part's page and the API's show read at today's
    instant read nobody's holder then for the part and its fellows (``held_then`` is read only of the
    mails' days, as before); at the look-back they read it."""
    part = _part(web, tmp_path)
    lead = web.assignment(TASK, "so-tttt", 2)
    web.login()
    secretariat = web.api_token("secretariat")
    for instant, reads in ((TODAY, False), (PAST, True)):
        web.clock.set(instant)
        for url in (f"/board/assignments/{lead}", f"/api/v1/assignments/{part}", f"/board/assignments/{part}"):
            with statements_of(web.engine) as seen:
                assert web.client.get(url, headers=secretariat).status_code == 200, url
            # the view's statement: the part's (or its fellows') row joined to its body
            viewed = [s for s in seen if "held_then" in s and "agency.name" in s and "milestone" in s]
            assert bool(viewed) is reads, (url, instant)
