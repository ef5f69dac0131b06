"""What the leaders' digest says of snoozed and of extended work.

A snooze ("tạm dừng nhắc việc") pauses the reminders to the body, never what the standing
vice-chair and the chair are told (policy.snooze_pauses): the 2022 replay's UBND TX Đức Phổ row,
26 working days late and snoozed by the secretariat, left every leader's digest from 04/08 to
10/08 while the leaders' page listed it. An extended row says it was extended, and the text's
first date, as the leaders' page says it (engine.status.extension_note): "hạn 10/08/2022; quá hạn
7 ngày làm việc" of work the text gave "tháng 6/2022" read as a date missed all along."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.escalation.policy import load_policy
from dondoc.engine.escalation.sweep import sweep
from dondoc.engine.models import Notification
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.sweep import CALENDAR, recording_enqueue
from tests.support.web import ITEM, WebEnv

SNOOZED_NOTE = "Tổ giúp việc đã tạm dừng nhắc việc đến hết ngày 08/07/2022"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def _secretariat(web: WebEnv, agency: str, action: Action, until: date) -> int:
    """The secretariat snoozes or extends ``agency``'s part of the item's first milestone to ``until``."""
    assignment = web.assignment(ITEM, agency)
    with Session(web.engine) as session:
        act(session, assignment, Request(action, Actor.parse("secretariat"), due=until), now=web.clock.now())
        session.commit()
    return assignment


def _page(web: WebEnv, token: str) -> tuple[set[int], str]:
    """The leaders' page now: the ids of its overdue list ("Phần việc quá hạn") and its text."""
    page = web.client.get(f"/leaders/{token}?qua-han=tat-ca")
    assert page.status_code == 200
    listed = page.text[page.text.index('id="qua-han"') :]
    table = listed[listed.index('<table class="grid stack" id="overdue">') : listed.index("</table>")]
    return {int(i) for i in re.findall(r'data-id="(\d+)"', table)}, re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", table))
    )


def _days(web: WebEnv, first: date, last: date, token: str) -> dict[tuple[str, date], tuple[Notification, set[int]]]:
    """Each day as the replay runs it (the sweep at 07:05, the digests at 07:30, delivery at 08:05): the
    leaders' digests made, each with the leaders' page's overdue ids at the digest's instant."""
    made: dict[tuple[str, date], tuple[Notification, set[int]]] = {}
    day = first
    while day <= last:
        web.clock.set(_at(day, 7, 5))
        jobs.run_sweep(web.engine, now=web.clock.now(), settings=web.settings)
        web.clock.set(_at(day, 7, 30))
        jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
        ids, _ = _page(web, token)
        with Session(web.engine) as session:
            for role in ("vice-chair", "chair"):
                digest = session.exec(
                    select(Notification).where(Notification.dedupe_key == f"digest:{role}:{day.isoformat()}")
                ).first()
                if digest is not None:
                    made[role, day] = (digest, ids)
        web.clock.set(_at(day, 8, 5))
        jobs.run_delivery(web.engine, now=web.clock.now(), settings=web.settings)
        day += timedelta(days=1)
    return made


def _rows(digest: Notification) -> dict[int, dict]:
    return {row["assignment_id"]: row for group in digest.data["groups"] for row in group["rows"]}


def test_a_snooze_pauses_the_bodys_reminders_not_the_leaders_digest(web: WebEnv) -> None:
    web.clock.set(_at(date(2022, 6, 28), 10))  # Tuesday; the first milestone is due Thursday 30/06
    token = web.link("leader:chair")
    snoozed = _secretariat(web, "so-noi-vu", Action.SNOOZE, date(2022, 7, 8))
    other = web.assignment(ITEM, "vp-ubnd")
    made = _days(web, date(2022, 6, 29), date(2022, 7, 12), token)
    with Session(web.engine) as session:
        mails = session.exec(select(Notification).where(col(Notification.assignment_id).in_([snoozed, other]))).all()
    # The body's own reminders wait for the snooze's end: none decided for it in between, while Văn
    # phòng UBND tỉnh's overdue notice went on 01/07.
    to_body = {
        (n.assignment_id, n.kind, n.created_at.astimezone(LOCAL_TZ).date())
        for n in mails
        if n.recipient_role == "agency"
    }
    assert (other, "overdue", date(2022, 7, 1)) in to_body
    assert not [m for m in to_body if m[0] == snoozed and m[2] <= date(2022, 7, 8)]
    assert (snoozed, "overdue", date(2022, 7, 9)) in to_body  # the first pass after it, as before
    # The leaders are told of it from their rungs on, snooze or not, and told of the pause.
    told = [(role, day) for (role, day), (digest, _) in made.items() if snoozed in _rows(digest)]
    assert {role for role, _ in told} == {"vice-chair", "chair"}
    assert min(day for role, day in told if role == "chair") <= date(2022, 7, 8)  # during the snooze
    for (role, day), (digest, page) in made.items():
        rows = _rows(digest)
        # the digest's count is the page's at the same instant (every row listed is past both rungs)
        if day >= date(2022, 7, 6):
            assert set(rows) == page and digest.data["total"] == len(page), (role, day)
        if snoozed not in rows:
            continue
        if day <= date(2022, 7, 8):
            assert rows[snoozed]["snoozed_until"] == "08/07/2022"
            assert f"{SNOOZED_NOTE}." in digest.body_text and f"{SNOOZED_NOTE}." in (digest.body_html or "")
            assert "Tổ giúp việc đã nhắc các cơ quan theo lịch nhắc việc, trừ 1 " in digest.body_text
        else:  # the snooze is over: the reminders run again and nothing is said of it
            assert rows[snoozed]["snoozed_until"] is None and "tạm dừng nhắc việc" not in digest.body_text
    web.login()  # the secretariat's form says what a snooze pauses
    form = web.client.get(f"/board/assignments/{snoozed}").text
    told = "không tạm dừng việc báo Lãnh đạo Ban Chỉ đạo: khi quá hạn đến ngưỡng báo cáo Lãnh đạo, việc vẫn được báo"
    assert 'id="form-snooze"' in form and told in form


def test_an_extended_rows_digest_line_says_so_as_the_leaders_page_does(web: WebEnv) -> None:
    web.clock.set(_at(date(2022, 7, 1), 10))  # a day after the text's date
    token = web.link("leader:chair")
    extended = _secretariat(web, "so-noi-vu", Action.EXTEND, date(2022, 7, 5))
    made = _days(web, date(2022, 7, 4), date(2022, 7, 18), token)
    note = "đã gia hạn; thời hạn ban đầu: “trước ngày 30/6/2022”, hạn cuối ngày 30/06/2022"
    web.clock.set(_at(date(2022, 7, 18), 7, 30))
    _, page = _page(web, token)
    assert f"05/07/2022 ({note})" in page  # the page's words
    told = {(role, day): digest for (role, day), (digest, _) in made.items() if extended in _rows(digest)}
    assert {role for role, _ in told} == {"vice-chair", "chair"}
    for digest in told.values():
        assert _rows(digest)[extended]["extended"] == note
        assert f"hạn 05/07/2022 ({note}); quá hạn" in digest.body_text
        assert f"05/07/2022<br><small>({html.escape(note, quote=False)})</small>" in (digest.body_html or "")
    other = [row for digest in told.values() for i, row in _rows(digest).items() if i != extended]
    assert other and all(row["extended"] is None for row in other)  # the text's date stands for them
    with Session(web.engine) as session:  # the secretariat's digest lists the same row alike
        secretariat = session.exec(select(Notification).where(Notification.kind == "digest_secretariat")).all()
    listed = [
        d for d in secretariat if any(r["assignment_id"] == extended for x in d.data["sections"] for r in x["rows"])
    ]
    assert listed and all(f"hạn 05/07/2022 ({note})" in d.body_text for d in listed)


def test_a_rung_to_a_body_and_a_leader_goes_to_the_leader_during_a_snooze(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    path = tmp_path / "policy.yaml"
    path.write_text(
        'version: "t"\nrules:\n  - {name: qua-han-3, trigger: overdue, working_days: 3, to: [agency, chair]}\n',
        encoding="utf-8",
    )
    policy = load_policy(path)
    row = assignment_for(session, ITEM, "so-noi-vu")
    act(session, row.id, Request(Action.SNOOZE, Actor.parse("secretariat"), due=date(2022, 7, 8)), now=clock.now())
    session.commit()
    decided: dict[str, date] = {}
    day = date(2022, 7, 1)
    while day <= date(2022, 7, 12):
        now = _at(day, 8)
        found = sweep(session, now, policy=policy, calendar=CALENDAR, enqueue=recording_enqueue(session, now))
        session.commit()
        decided |= {d.dedupe_key: day for d in found.decisions if d.assignment_id == row.id}
        day += timedelta(days=1)
    # the rung of Tue 05/07: the chair is told that day, the body once the snooze is over
    assert {key.split(":")[3]: on for key, on in decided.items()} == {
        "chair": date(2022, 7, 5),
        "agency": date(2022, 7, 9),
    }
