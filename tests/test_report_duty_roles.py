"""The part of a body in a report duty the catalog adds, in the text's word.

The 2022 replay's digest of 09/01/2023 and the leaders' page said "vai trò: thực hiện" of
61/KH-UBND:VI.3.e, and the annual report and its workbook "Thực hiện" of
1834/UBND-KGVX:2.bao-cao-6-thang; the texts say Sở TT&TT "Tham mưu để UBND tỉnh báo cáo …"
(61/KH-UBND VI.3.e, line 143) and "Sở Thông tin và Truyền thông chủ trì, phối hợp …" (1834/UBND-KGVX
item 2, line 28, whose last bullet is the report). Where the catalog's ``roles_as_written`` gives
the reporters' part, they are the duty's lead in that word (engine.models.assignments.role_label);
where the text gives none, they do it ("Thực hiện").
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import PlanItem
from dondoc.engine.services.queries import get_assignment
from dondoc.tasks_catalog.loader import default_catalog_dir, load_catalog
from tests.factories import assignment_for, load_min_catalog

LOADED = datetime(2022, 7, 27, 9, 0, tzinfo=LOCAL_TZ)  # every seed issued
WORDS = {
    ("61/KH-UBND:VI.3.e", "so-tttt"): "Tham mưu",
    ("1834/UBND-KGVX:2.bao-cao-6-thang", "so-tttt"): "Chủ trì",
    ("1834/UBND-KGVX:2.bao-cao-nam", "so-tttt"): "Chủ trì",
    # the text's own "Thực hiện báo cáo định kỳ …" (61/KH-UBND VI.7, line 167)
    ("61/KH-UBND:VI.bao-cao-quy", "so-noi-vu"): "Thực hiện",
}


def test_the_role_word_of_a_report_duty_is_the_texts(session: Session) -> None:
    load_min_catalog(session, LOADED, default_catalog_dir())
    for (code, agency), word in WORDS.items():
        row = assignment_for(session, code, agency)
        view = get_assignment(session, row.id or 0, LOADED)
        assert view.role_label == word, (code, view.role_label)
    written = dict(session.exec(select(PlanItem.code, PlanItem.roles_as_written)).all())
    assert written["61/KH-UBND:VI.3.e"].get("lead_heading") == "Tham mưu"  # what the digests read
    assert "lead_heading" not in written["1834/UBND-KGVX:2.bao-cao-nam"]


@pytest.mark.parametrize("code", ["61/KH-UBND:VI.3.e", "1834/UBND-KGVX:2.bao-cao-6-thang"])
def test_the_reporters_are_the_lead_where_the_text_says_so(code: str) -> None:
    catalog = load_catalog(default_catalog_dir())
    item = next(i for p in catalog.plans for i in p.items if i.code == code)
    assert item.kind == "report" and item.roles == {"so-tttt": "lead"}
    assert item.roles_as_written["lead"] == "Sở Thông tin và Truyền thông"
