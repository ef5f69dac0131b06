"""The export of "Đề nghị gia hạn" (CSV and XLSX) says of each request what the queue's page says:
whose request it is when the body that asked has since handed the part on, that the body holding it
has ended, that the day asked for has passed. The export read the queue's rows apart from the page
and said none of it: a request Sở Nội vụ sent before it was renamed Sở Hợp nhất was printed under
Sở Hợp nhất with its words, as though Sở Hợp nhất had asked (the page had been made to say
"Đề nghị của Sở Nội vụ (cơ quan được giao trước đây)"), and a request of a dissolved district was
printed as any other, its answer to be mailed to nobody."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import Session

from dondoc.engine.actors import Actor
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.support.successions import succession_applied, successions_yaml
from tests.support.web import ITEM, WebEnv
from tests.test_inherited_extension_request import BY_BODY, ENDED, ON, _at, _inherited


def _lines(web: WebEnv) -> tuple[str, list[str]]:
    """The CSV as text, and the XLSX's notes (its last column), one a request."""
    csv = web.client.get("/board/de-nghi-gia-han.csv")
    xlsx = web.client.get("/board/de-nghi-gia-han.xlsx")
    assert csv.status_code == 200 and xlsx.status_code == 200
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet is not None
    notes = [str(row[-1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    return csv.content.decode("utf-8-sig"), notes


def test_a_request_handed_on_is_exported_as_the_body_that_asked_it(web: WebEnv, tmp_path: Path) -> None:
    _inherited(web, tmp_path)
    web.clock.set(_at(ON, 9))
    web.login()
    csv, notes = _lines(web)
    (note,) = notes
    assert "Sở Hợp nhất" in csv  # listed under the body that holds the part now, as on the page
    assert note.startswith(BY_BODY) and BY_BODY in csv
    assert "đến ngày 31/08/2022" in note and "«Chờ kinh phí.»" in note


def test_a_request_of_a_body_ended_and_a_day_past_are_exported_so(web: WebEnv, tmp_path: Path) -> None:
    part = web.assignment(ITEM, ENDED)
    web.clock.set(_at(date(2022, 6, 20), 10))
    with Session(web.engine) as session:
        ask = Request(Action.REQUEST_EXTENSION, Actor.agency(ENDED), comment="Chờ kinh phí.", due=date(2022, 7, 15))
        act(session, part, ask, now=web.clock.now())
        session.commit()
    succession_applied(web, tmp_path, successions_yaml("dissolve"))
    web.clock.set(_at(ON, 9))
    web.login()
    page = web.client.get("/board/de-nghi-gia-han").text
    assert "Cơ quan đã không còn" in page and "ngày đề nghị đã qua" in page
    csv, (note,) = _lines(web)
    assert "Đề nghị của" not in note  # asked by the body that holds it (and has ended)
    assert "Cơ quan đã không còn" in note and "Cơ quan đã không còn" in csv
    assert "ngày đề nghị đã qua" in note
