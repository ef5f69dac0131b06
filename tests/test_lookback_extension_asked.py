"""A body's extension request read at a past instant (`--now`, `serve --demo`), before a succession
passed its part on, on both databases: the part's page says the request that waited then, and the
leaders' page says it was the body's own, as the row stands under that body then.

Sở Nội vụ asks on 20/06/2022 to have until 31/08/2022; renamed Sở Hợp nhất on 01/08/2022; the
secretariat refuses on 01/08. Read at 29/07, the part's page said no request waited (it read the
request as it is now, refused), and the leaders' page, which lists the row under Sở Nội vụ, said the
request was "Sở Nội vụ (cơ quan được giao trước đây)"'s, as though another body held the part then."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.successions import at
from tests.support.web import WebEnv
from tests.test_extension_asked_mails import _at
from tests.test_inherited_extension_request import ON, _inherited, _text

PAST = at("2022-07-29", 17)
HANDED = "Sở Nội vụ (cơ quan được giao trước đây)"


def _refused(web: WebEnv, part: int) -> None:
    web.clock.set(_at(ON, 8))
    with Session(web.engine) as session:
        act(
            session,
            part,
            Request(Action.REFUSE_EXTENSION, SECRETARIAT, comment="Không đủ căn cứ."),
            now=web.clock.now(),
        )
        session.commit()


def test_a_parts_page_says_the_request_that_waited_then(web: WebEnv, tmp_path: Path) -> None:
    part, _ = _inherited(web, tmp_path)
    _refused(web, part)
    web.login()
    web.clock.set(PAST)
    page = web.client.get(f"/board/assignments/{part}").text
    pending = re.search(r'<p class="flash warn" id="extension-pending">(.*?)</p>', page, re.S)
    assert pending, "the request waited at 29/07"
    said = _text(pending.group(1)).strip()
    assert said.startswith("Sở Nội vụ đề nghị gia hạn đến ngày 31/08/2022"), said
    web.clock.set(_at(ON, 9))
    assert 'id="extension-pending"' not in web.client.get(f"/board/assignments/{part}").text


def _leaders_row(web: WebEnv, token: str, part: int) -> str:
    page = web.client.get(f"/leaders/{token}?qua-han=tat-ca")
    assert page.status_code == 200, page.text
    rows = [_text(r) for r in re.findall(r"<tr[^>]*>.*?</tr>", page.text, re.S) if f"/assignments/{part}" in r]
    assert rows, f"the leaders' page lists part {part}"
    return " ".join(rows)


def test_the_leaders_page_says_the_request_was_the_bodys_own_then(web: WebEnv, tmp_path: Path) -> None:
    part, _ = _inherited(web, tmp_path)
    web.clock.set(PAST)
    token = web.link("leader:chair")
    row = _leaders_row(web, token, part)
    assert "Sở Nội vụ" in row and "đề nghị gia hạn" in row.lower() and HANDED not in row, row
    web.clock.set(_at(ON, 7, 30))
    row = _leaders_row(web, token, part)
    assert "Sở Hợp nhất" in row and HANDED in row, row
