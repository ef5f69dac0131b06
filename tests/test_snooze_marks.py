"""What the leaders' page and the secretariat's digest say of snoozed work.

A snooze ("tạm dừng nhắc việc") pauses the body's reminders and the secretariat's own rows, never
what the leaders are told (policy.snooze_pauses). The leaders' digest marked a snoozed row
"Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày …" and the leaders' page, read beside it, did not;
the secretariat's digest left the snoozed part out of its lists and told it as "chưa có trong danh
sách này" under the board's overdue figure, which counts it.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.models import Notification
from dondoc.engine.services.web_queries import board_tallies
from dondoc.engine.status import Category
from dondoc.engine.workflow import Action
from tests.support.web import WebEnv
from tests.test_digest_snooze_extension import SNOOZED_NOTE, _at, _secretariat


def _marks(web: WebEnv, token: str) -> dict[int, str]:
    """The leaders' page now: each row of its overdue list ("Phần việc quá hạn"), by id, as text."""
    page = web.client.get(f"/leaders/{token}?qua-han=tat-ca")
    assert page.status_code == 200
    listed = page.text[page.text.index('id="qua-han"') :]
    table = listed[listed.index('<table class="grid stack" id="overdue">') : listed.index("</table>")]
    rows = re.findall(r'<tr class="[^"]*" data-id="(\d+)">(.*?)</tr>', table, re.S)
    return {int(i): re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))) for i, row in rows}


def test_the_leaders_page_marks_a_row_snoozed_at_its_instant_as_the_digest_does(web: WebEnv) -> None:
    web.clock.set(_at(date(2022, 6, 28), 10))  # the first milestone is due Thursday 30/06
    token = web.link("leader:chair")
    snoozed = _secretariat(web, "so-noi-vu", Action.SNOOZE, date(2022, 7, 8))
    web.clock.set(_at(date(2022, 7, 6), 10))
    later = _secretariat(web, "vp-ubnd", Action.SNOOZE, date(2022, 7, 15))  # written on 06/07
    web.clock.set(_at(date(2022, 7, 7), 10))  # inside both snoozes
    rows = _marks(web, token)
    assert f"{SNOOZED_NOTE}." in rows[snoozed]  # the leaders' digest's words (test_digest_snooze_extension)
    assert "Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày 15/07/2022." in rows[later]
    assert not [i for i, row in rows.items() if "tạm dừng" in row and i not in (snoozed, later)]
    web.clock.set(_at(date(2022, 7, 11), 10))  # the first snooze is over, the second is not
    rows = _marks(web, token)
    assert snoozed in rows and "tạm dừng nhắc việc" not in rows[snoozed]
    assert "đến hết ngày 15/07/2022" in rows[later]
    web.clock.set(_at(date(2022, 7, 5), 10))  # a look-back: the second snooze was not written yet
    rows = _marks(web, token)
    assert f"{SNOOZED_NOTE}." in rows[snoozed] and "tạm dừng nhắc việc" not in rows[later]


def test_the_secretariat_digest_lists_snoozed_overdue_work_apart_and_counts_it_as_the_board(web: WebEnv) -> None:
    web.clock.set(_at(date(2022, 6, 28), 10))
    snoozed = _secretariat(web, "so-noi-vu", Action.SNOOZE, date(2022, 7, 8))
    day = date(2022, 7, 1)
    while day <= date(2022, 7, 12):
        web.clock.set(_at(day, 7, 5))
        jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)
        web.clock.set(_at(day, 7, 30))
        jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
        with Session(web.engine) as session:
            digest = session.exec(
                select(Notification).where(Notification.dedupe_key == f"digest:secretariat:{day.isoformat()}")
            ).one()
            board = board_tallies(session, web.clock.now()).totals[Category.OVERDUE.value]
        counts = digest.data["counts"]
        chased = next(s for s in digest.data["sections"] if s["kind"] == "overdue")
        chased_ids = {row["assignment_id"] for row in chased["rows"]}
        # the digest's overdue figure is the board's at its instant, and every part of it is listed:
        # chased, or paused apart; nothing is told as "not in this list"
        assert counts["overdue"] == board == chased["count"] + counts.get("snoozed", 0), day
        assert "phần việc quá hạn khác chưa có trong danh sách" not in digest.body_text
        if day <= date(2022, 7, 8):
            assert snoozed not in chased_ids and counts["snoozed"] == 1
            assert [(r["agency_name"], r["snoozed_until"]) for r in digest.data["snoozed"]] == [
                ("Sở Nội vụ", "08/07/2022")
            ]
            assert "(trong đó 1 đang tạm dừng nhắc việc)" in digest.body_text
            assert f"; {SNOOZED_NOTE}\n" in digest.body_text and f"{SNOOZED_NOTE}." in (digest.body_html or "")
        else:  # over: the part is chased again, and listed with the others
            assert snoozed in chased_ids and counts["snoozed"] == 0 and not digest.data["snoozed"]
            assert "tạm dừng nhắc việc" not in digest.body_text
        web.clock.set(_at(day, 8, 5))
        jobs.run_delivery(web.engine, now=web.clock.now(), settings=web.settings)
        day += timedelta(days=1)
    with Session(web.engine) as session:  # listing it did not chase the body meanwhile
        to_body = session.exec(
            select(Notification.created_at).where(
                col(Notification.assignment_id) == snoozed, col(Notification.recipient_role) == "agency"
            )
        ).all()
    assert to_body and min(to_body).astimezone(_at(day, 0).tzinfo).date() == date(2022, 7, 9)


def _snooze_fact(page: str) -> str | None:
    found = re.search(r'<dd id="snoozed">(.*?)</dd>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def test_the_parts_page_says_the_snooze_in_force_and_when_it_outlasts_the_date(web: WebEnv) -> None:
    """The secretariat extended a snoozed part to a date before the snooze's end: the body then heard
    nothing of its new date, not even that it was overdue, and the part's page, where the extension
    was decided, said nothing of the snooze. It says so to the secretariat and the leaders, not on the
    body's own page; nothing once the snooze is over."""
    web.clock.set(_at(date(2022, 6, 27), 10))  # the first milestone is due Thursday 30/06
    web.login()
    part = _secretariat(web, "so-noi-vu", Action.SNOOZE, date(2022, 6, 29))
    url = f"/board/assignments/{part}"
    assert _snooze_fact(web.client.get(url).text) == "Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày 29/06/2022."

    def outlasting(due: str) -> str:
        return (
            f"Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày 20/07/2022, quá thời hạn hiện nay ({due}): "
            "đến hết ngày đó cơ quan không nhận thư nhắc hạn, kể cả thư báo quá hạn."
        )

    _secretariat(web, "so-noi-vu", Action.SNOOZE, date(2022, 7, 20))
    assert _snooze_fact(web.client.get(url).text) == outlasting("30/06/2022")
    _secretariat(web, "so-noi-vu", Action.EXTEND, date(2022, 7, 15))
    assert _snooze_fact(web.client.get(url).text) == outlasting("15/07/2022")
    leader = web.link("leader:chair")
    assert _snooze_fact(web.client.get(f"/leaders/{leader}/assignments/{part}").text) == outlasting("15/07/2022")
    body = web.link("agency:so-noi-vu")
    own = web.client.get(f"/a/{body}/assignments/{part}")
    assert own.status_code == 200 and _snooze_fact(own.text) is None
    _secretariat(web, "so-noi-vu", Action.EXTEND, date(2022, 7, 25))
    assert _snooze_fact(web.client.get(url).text) == "Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày 20/07/2022."
    web.clock.set(_at(date(2022, 7, 21), 10))
    assert _snooze_fact(web.client.get(url).text) is None  # over
