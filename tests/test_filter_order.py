"""The filter form lists bodies and groups by name as a Vietnamese reader orders them, as the board's
table by body does: the database's order put "BHXH tỉnh" before "Ban Dân tộc", and "Đài PTTH" after
"VP UBND tỉnh", where nobody looks for it."""

from __future__ import annotations

import html
import re

from sqlmodel import Session, col, select

from dondoc.engine.models import Agency, Assignment
from dondoc.engine.textfold import vi_sort_key
from tests.support.web import ITEM, WebEnv

# bodies whose names the code points misorder: "BHXH" before "Ban", "Đài" after "VP"
GIVEN = {"ban-dan-toc": "Ban Dân tộc", "bhxh": "BHXH tỉnh", "dai-ptth": "Đài PTTH"}


def _give_work(web: WebEnv) -> None:
    """Each of :data:`GIVEN`, with a part of the item: the list offers only bodies that hold work."""
    with Session(web.engine) as session:
        part = session.get(Assignment, web.assignment(ITEM, "so-noi-vu"))
        assert part is not None
        for code, short in GIVEN.items():
            body = session.exec(select(Agency).where(col(Agency.code) == code)).first()
            if body is None:
                body = Agency(code=code, name=short, short=short, kind="department")
                session.add(body)
                session.flush()
            fields = part.model_dump(exclude={"id", "agency_id", "version"})
            session.add(Assignment(**fields, agency_id=body.id, version=1))
        session.commit()


def _labels(page: str, name: str) -> list[str]:
    select_ = page.split(f'<select name="{name}">', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', select_)
    return [html.unescape(label) for value, label in options if value]


def test_the_filters_lists_are_in_vietnamese_order(web: WebEnv) -> None:
    _give_work(web)
    web.login()
    page = web.client.get("/board/assignments").text
    for name in ("agency", "group"):
        labels = _labels(page, name)
        assert labels and labels == sorted(labels, key=vi_sort_key), name
    bodies = _labels(page, "agency")
    assert (
        bodies.index("Ban Dân tộc")
        < bodies.index("BHXH tỉnh")
        < bodies.index("Đài PTTH")
        < bodies.index("VP UBND tỉnh")
    )
