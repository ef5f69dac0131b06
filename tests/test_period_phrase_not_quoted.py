"""A recurring report's period is dated by the catalog from the text's rule: 61/KH-UBND reads
"trước ngày 20 tháng cuối quý", and the catalog writes "trước ngày 20/03/2022" for the first quarter
of 2022. The pages had quoted it as the text's own words, “trước ngày 20/03/2022”, beside every
quarterly report (the digests already said it unquoted), and `assignments show` as "theo văn bản:
trước ngày 20/03/2022". They say it as the period's: in brackets, and on the command line "kỳ Quý
I/2022: …"; a period dated by the conventions keeps the text's words, quoted."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.models import PlanItem
from tests.factories import assignment_for
from tests.support.catalogs import QUARTERLY, report_catalog
from tests.support.cli import dondoc, ok
from tests.support.web import ITEM, WebEnv

WRITTEN = "chậm nhất ngày 20/03/2022"  # the catalog's, for Quý I/2022 (20/03 a Sunday: due Monday 21/03)


def test_a_quarter_s_report_date_is_not_quoted_as_the_text_s_words(db_url: str, web: WebEnv, tmp_path: Path) -> None:
    ok(dondoc(db_url, "catalog", "load", "--dir", str(report_catalog(tmp_path)), now="2022-03-02"))
    with Session(web.engine) as session:
        part = assignment_for(session, QUARTERLY, "so-noi-vu", 1)
        plain = assignment_for(session, ITEM, "so-noi-vu").id
        item = session.exec(select(PlanItem.id).where(PlanItem.code == QUARTERLY)).one()
    web.login()
    for url in (f"/board/assignments/{part.id}", f"/board/assignments?q={QUARTERLY}", f"/board/items/{item}"):
        page = web.client.get(url).text
        assert f"“{WRITTEN}”" not in page, url
        assert f"({WRITTEN}; ngày 20/03/2022 là ngày nghỉ (Chủ nhật)" in page, url
    # the text's own phrase stays quoted
    assert "“trước ngày 30/6/2022”" in web.client.get(f"/board/assignments/{plain}").text
    shown = ok(dondoc(db_url, "assignments", "show", str(part.id), now="2022-03-22T09:00"))
    assert f"kỳ Quý I/2022: {WRITTEN}" in shown and "theo văn bản: trước ngày 20/03" not in shown, shown
