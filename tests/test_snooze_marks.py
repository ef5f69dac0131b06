"""What the leaders' page says of snoozed work.

A snooze ("tạm dừng nhắc việc") pauses the body's reminders and the secretariat's own rows, never
what the leaders are told (policy.snooze_pauses). The leaders' digest marked a snoozed row
"Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày …" and the leaders' page, read beside it, did not.
"""

from __future__ import annotations

import html
import re
from datetime import date

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
