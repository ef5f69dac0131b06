"""Work the text records as already done when it was issued ("Tháng 02/2022 (đã hoàn thành)", 04/KH-BCĐ
II.1 and II.2) is said so on its page and by ``dondoc assignments show``: its history line names the
text, not the tracking start, and its page does not say it was given late.

The 2022 replay's 04/KH-BCĐ:II.1, due 28/02/2022 (after the tracking start, 01/01/2022) and judged
"Hoàn thành đúng hạn", read in its history "Ghi nhận đã hoàn thành (trước khi theo dõi)", the words of
another category ("Trước khi theo dõi"), and beside its date "Nhiệm vụ được giao ngày 10/03/2022, sau
thời hạn", as if the body had received late work the document says it had done."""

from __future__ import annotations

from sqlmodel import Session

from dondoc.engine.history_labels import EVENT_LABELS_VI
from tests.factories import assignment_for
from tests.support.cli import dondoc, ok
from tests.support.web import DONE, WebEnv

DONE_WORDS = "Ghi nhận đã hoàn thành theo văn bản"


def test_work_done_at_issue_is_said_done_by_the_text_on_its_page(web: WebEnv) -> None:
    web.login()
    part = web.assignment(DONE, "so-tttt")
    page = web.client.get(f"/board/assignments/{part}").text
    assert "Hoàn thành đúng hạn" in page  # a category of followed work, not "Trước khi theo dõi"
    assert DONE_WORDS in page
    assert "trước khi theo dõi)" not in page
    # the text gives it done by its date: it was never given to anyone late
    assert "sau thời hạn" not in page, page


def test_work_done_at_issue_is_said_done_by_the_text_on_the_command_line(db_url: str, web: WebEnv) -> None:
    with Session(web.engine) as session:
        part = assignment_for(session, DONE, "so-tttt").id
    shown = ok(dondoc(db_url, "assignments", "show", str(part), now="2022-03-02T10:00"))
    assert DONE_WORDS in shown and "trước khi theo dõi" not in shown, shown
    assert EVENT_LABELS_VI["import_done"] == DONE_WORDS
