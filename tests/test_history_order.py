"""The history cannot be bent: no event before an assignment's last one (engine), and a --now away
from the real clock (past or future) writes only on a replay database (CLI); read-only commands may
still look back."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, create_engine, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import FrozenClock, SystemClock
from dondoc.engine.errors import Backdated
from dondoc.engine.models import Assignment, Event, Notification
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.history_order import is_replay
from dondoc.engine.vi_format import vn_datetime
from dondoc.engine.workflow import Action
from tests.factories import assignment_for, load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok, one_line_error
from tests.support.web import ITEM, USER, WebEnv

AGENCY = "so-noi-vu"


def _events(session: Session, assignment_id: int) -> int:
    return session.exec(select(func.count()).select_from(Event).where(Event.assignment_id == assignment_id)).one()


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> Assignment:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    return assignment_for(session, "99/KH-TEST:II.1", AGENCY)


def test_an_action_before_the_last_event_is_refused_and_writes_nothing(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    agency = Actor.agency(AGENCY)
    later = clock.now() + timedelta(days=3)
    act(session, loaded.id or 0, Request(Action.ACKNOWLEDGE, agency), now=later)
    session.commit()
    before, version = _events(session, loaded.id or 0), loaded.version
    with pytest.raises(
        Backdated,
        match=rf"phần việc của Sở Nội vụ ở nhiệm vụ 99/KH-TEST:II\.1.*{later.astimezone(clock.tz):%d/%m/%Y %H:%M}",
    ):
        act(
            session,
            loaded.id or 0,
            Request(Action.REPORT, agency, comment="Đã hoàn thành."),
            now=later - timedelta(minutes=1),
        )
    session.rollback()
    assert _events(session, loaded.id or 0) == before
    assert session.get(Assignment, loaded.id, populate_existing=True).version == version  # type: ignore[union-attr]
    act(
        session, loaded.id or 0, Request(Action.REPORT, agency, comment="Đã hoàn thành."), now=later
    )  # the same instant is fine
    assert _events(session, loaded.id or 0) == before + 1


def test_an_action_before_the_assignment_was_created_is_refused(
    session: Session, clock: FrozenClock, loaded: Assignment
) -> None:
    with pytest.raises(Backdated):
        act(session, loaded.id or 0, Request(Action.ACKNOWLEDGE, Actor.agency(AGENCY)), now=clock.now() - timedelta(1))


def test_a_catalog_reload_before_the_last_event_is_refused(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", AGENCY, "--json", now="2022-03-02")))
    target = next(r for r in rows if r["item_code"] == "99/KH-TEST:II.1" and r["milestone_seq"] == 1)
    ok(dondoc(db_url, "assignments", "act", str(target["id"]), "acknowledge", "--as", AGENCY, now="2022-03-10"))
    backdated = dondoc(
        db_url,
        "assignments",
        "act",
        str(target["id"]),
        "report",
        "--as",
        AGENCY,
        "--comment",
        "Xong.",
        now="2022-03-05",
    )
    one_line_error(backdated, "không ghi lùi thời gian")
    detail = json.loads(ok(dondoc(db_url, "assignments", "show", str(target["id"]), "--json")))
    assert [e["action"] for e in detail["history"]] == ["assign", "acknowledge"]


def _live_database(db_url: str) -> int:
    """A migrated database loaded at the real now (no replay mark); the id of one assignment."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG)))
    rows = json.loads(ok(dondoc(db_url, "assignments", "list", "--agency", AGENCY, "--json")))
    return int(next(r for r in rows if r["item_code"] == "99/KH-TEST:II.1")["id"])


def test_a_now_away_from_the_clock_is_refused_for_writes_on_a_live_database(db_url: str) -> None:
    """A past --now would bend the history; a future one queued overdue mails and escalations to the
    chair for work not yet late, and stamped an event no real step could follow."""
    assignment_id = _live_database(db_url)
    past = "2022-05-01"
    future = SystemClock().now() + timedelta(days=40)
    for args in (
        ["assignments", "act", str(assignment_id), "acknowledge", "--as", AGENCY],
        ["catalog", "load", "--dir", str(MIN_CATALOG)],
        ["sweep"],
        ["plans", "track", "99/KH-TEST"],
    ):
        refused = dondoc(db_url, *args, now=past, replay=False)
        one_line_error(refused, "--now 01/05/2022 00:00 ở quá khứ")
        refused = dondoc(db_url, *args, now=future.isoformat(timespec="seconds"), replay=False)
        one_line_error(refused, f"--now {vn_datetime(future)} ở tương lai")
    with Session(create_engine(db_url)) as session:
        assert session.exec(select(func.count()).select_from(Notification)).one() == 0
    detail = json.loads(ok(dondoc(db_url, "assignments", "show", str(assignment_id), "--json")))
    assert [e["action"] for e in detail["history"]] == ["assign"]
    # Looking back writes nothing: allowed.
    looked = dondoc(db_url, "status", now=past, replay=False)
    ok(looked)
    assert "mô phỏng" not in looked.stderr  # a live database: no replay's days to speak of
    ok(dondoc(db_url, "assignments", "list", now=past, replay=False))
    ok(dondoc(db_url, "assignments", "show", str(assignment_id), now=past, replay=False))
    # A --now a minute before the real clock is "now" (the catalog was loaded at the real now, so the
    # event order refuses it — the CLI let it through to the engine).
    minute_ago = (SystemClock().now() - timedelta(minutes=1)).isoformat(timespec="seconds")
    act_ = ["assignments", "act", str(assignment_id), "acknowledge", "--as", AGENCY]
    one_line_error(dondoc(db_url, *act_, now=minute_ago, replay=False), "không ghi lùi thời gian")


def test_a_past_now_writes_on_a_replay_database(db_url: str, session: Session) -> None:
    assignment_id = _live_database(db_url)
    assert not is_replay(session)
    ok(
        dondoc(
            db_url,
            "assignments",
            "act",
            str(assignment_id),
            "acknowledge",
            "--as",
            AGENCY,
        )
    )
    # Marked as a replay (as simulate does), a past --now writes — but still never before the last event.
    refused = dondoc(
        db_url,
        "assignments",
        "act",
        str(assignment_id),
        "report",
        "--as",
        AGENCY,
        "--comment",
        "Xong.",
        now="2022-05-01",
    )
    one_line_error(refused, "không ghi lùi thời gian")
    session.expire_all()
    assert is_replay(session)


def test_the_clerk_who_acted_is_recorded_from_the_web_login_and_shown(web: WebEnv) -> None:
    web.login()
    target = web.assignment(ITEM, "so-noi-vu")
    page = f"/board/assignments/{target}"
    data = {**web.form(page), "action": "snooze", "due": "2022-04-01"}
    assert web.client.post(f"{page}/act", data=data).status_code == 303
    with Session(web.engine) as session:
        last = session.exec(select(Event).where(Event.assignment_id == target).order_by(col(Event.id).desc())).first()
    assert last is not None and (last.actor, last.actor_account) == ("secretariat", USER)
    assert f"Tổ giúp việc ({USER})" in web.client.get(page).text


def test_the_cli_records_the_secretariat_account(db_url: str) -> None:
    assignment_id = _live_database(db_url)
    later = (SystemClock().now() + timedelta(days=1)).date().isoformat()
    act_ = ["assignments", "act", str(assignment_id), "snooze", "--due", later, "--as", "secretariat"]
    ok(dondoc(db_url, *act_, "--user", "nguyenvana"))
    detail = json.loads(ok(dondoc(db_url, "assignments", "show", str(assignment_id), "--json")))
    assert [(e["actor"], e["actor_account"]) for e in detail["history"]][-1] == ("secretariat", "nguyenvana")


@pytest.mark.parametrize(
    ("option", "word", "message"),
    [("--agency", "so-khong-co", 'Không có cơ quan "so-khong-co"'), ("--plan", "1/KH-X", 'Không có kế hoạch "1/KH-X"')],
)
def test_unknown_filter_words_are_named(db_url: str, option: str, word: str, message: str) -> None:
    _live_database(db_url)
    one_line_error(dondoc(db_url, "assignments", "list", option, word), message)


def test_a_replay_read_long_after_its_last_step_says_so(db_url: str) -> None:
    """A year replayed to 31/12/2022 and reported on in 2026 without --now judged 140 parts due
    03/01/2023 on days nobody was simulated, with no word of it. The report and the status say, on
    stderr, up to when the replay lived; read within it, or on a live database, nothing is said."""
    loaded = "2022-03-02T08:00"
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now=loaded))  # a replay's first step
    said = "Lưu ý: đây là cơ sở dữ liệu mô phỏng, có hoạt động đến 02/03/2022 08:00"
    for args in (["status"], ["status", "--json"], ["report", "--period", "2022-Q1", "--format", "md"]):
        late = dondoc(db_url, *args)  # the real clock: years after its last step
        ok(late)
        assert said in late.stderr and "--now" in late.stderr, late.stderr
        assert said not in late.stdout  # the figures and the JSON a program reads are left as they are
        within = dondoc(db_url, *args, now="2022-03-05T09:00")
        ok(within)
        assert "mô phỏng" not in within.stderr
