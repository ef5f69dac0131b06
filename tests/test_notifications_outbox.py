"""The outbox: one row per dedupe key (also under a race), held rows, and the daily digests."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.db import make_engine
from dondoc.engine.models import Assignment, Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.web_queries import board_summary
from dondoc.engine.settings import Settings
from dondoc.engine.workflow import Action
from dondoc.notifications import MailSpec, build_digests, deliver, enqueue
from dondoc.notifications.outbox import INSERTED, exists, insert, rendered_columns
from tests.factories import assignment_for, load_min_catalog
from tests.smtp_server import SmtpServer
from tests.support.catalogs import MIN_CATALOG

ITEM = "99/KH-TEST:II.1"
AFTER_DUE = datetime(2022, 7, 12, 7, 0, tzinfo=LOCAL_TZ)  # milestone 1 was due 30/6/2022
LEADER_ADDRESSES = {
    "vice-chair": ("pho-truong-ban@dondoc.example", "Phó Trưởng ban Thường trực"),
    "chair": ("truong-ban@dondoc.example", "Trưởng Ban Chỉ đạo"),
    "secretariat": ("to-giup-viec@dondoc.example", "Tổ giúp việc"),
}


def _settings(tmp_path: Path, smtp: SmtpServer | None = None) -> Settings:
    extra = {"smtp_host": smtp.host, "smtp_port": smtp.port, "smtp_security": "none"} if smtp else {}
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path, **extra)  # type: ignore[arg-type]


def _spec(
    a: Assignment, kind: str, role: str, *, key: str | None = None, held: bool = False, **data: object
) -> MailSpec:
    email, name = LEADER_ADDRESSES.get(role, (f"agency-{a.agency_id}@dondoc.example", None))
    facts = {"due_at": a.due_at.isoformat() if a.due_at else None, **data}
    return MailSpec(key or f"{kind}:{role}:{a.id}", kind, role, email, name, a.id, "test-1", held, facts)


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Notification)).one()


@pytest.fixture
def loaded(session: Session, clock: FrozenClock) -> dict[str, Assignment]:
    load_min_catalog(session, clock.now(), MIN_CATALOG)
    codes = ("so-noi-vu", "vp-ubnd", "ubnd-binh-son", "ubnd-ly-son")
    return {code: assignment_for(session, ITEM, code) for code in codes}


def test_enqueue_twice_makes_one_row(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], tmp_path: Path
) -> None:
    spec = _spec(loaded["so-noi-vu"], "reminder", "agency", days_before_due=7)
    first = enqueue(session, spec, now=clock.now(), settings=_settings(tmp_path))
    session.commit()
    again = enqueue(session, spec, now=clock.now(), settings=_settings(tmp_path))
    assert first is not None and first.status == NotificationStatus.PENDING and again is None
    assert _count(session) == 1
    assert first.next_attempt_at == clock.now() and first.data["days_before_due"] == 7


@pytest.mark.postgres
def test_concurrent_enqueue_on_postgres_makes_one_row(pg_engine: Engine, clock: FrozenClock, tmp_path: Path) -> None:
    with Session(pg_engine) as setup:
        load_min_catalog(setup, clock.now(), MIN_CATALOG)
        spec = _spec(assignment_for(setup, ITEM, "so-noi-vu"), "overdue", "agency")
    settings, results = _settings(tmp_path), {}
    first = Session(pg_engine)
    results["first"] = enqueue(first, spec, now=clock.now(), settings=settings)  # inserted, not committed yet

    def second() -> None:
        with Session(pg_engine) as session:
            results["second"] = enqueue(session, spec, now=clock.now(), settings=settings)
            session.commit()

    worker = threading.Thread(target=second)
    worker.start()
    _wait_until_blocked(pg_engine)  # the second insert waits on the first one's unique key
    first.commit()
    first.close()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert results["first"] is not None and results["second"] is None
    with Session(pg_engine) as session:
        assert _count(session) == 1


def _wait_until_blocked(engine: Engine, timeout: float = 10.0) -> None:
    """Poll pg_locks (bounded) until some backend waits for a lock."""
    deadline = time.monotonic() + timeout
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            if connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
                return
            connection.rollback()
    raise AssertionError("the second enqueue never waited on the first")


def test_held_rows_are_never_delivered(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    loaded: dict[str, Assignment],
    tmp_path: Path,
    smtp: SmtpServer,
) -> None:
    settings = _settings(tmp_path, smtp)
    held = enqueue(
        session, _spec(loaded["vp-ubnd"], "escalation", "vice-chair", held=True), now=clock.now(), settings=settings
    )
    sent = enqueue(session, _spec(loaded["vp-ubnd"], "overdue", "agency"), now=clock.now(), settings=settings)
    session.commit()
    assert held is not None and held.status == NotificationStatus.HELD and held.body_html  # rendered for the web
    for _ in range(2):
        report = deliver(engine, now=clock.now(), settings=settings)
        clock.advance(timedelta(days=1))
    assert report.sent == 0 and len(smtp.handler.received) == 1
    assert smtp.handler.messages()[0]["X-Dondoc-Dedupe-Key"] == sent.dedupe_key  # type: ignore[union-attr]
    assert session.get(Notification, held.id, populate_existing=True).status == NotificationStatus.HELD  # type: ignore[union-attr]


def _escalate(session: Session, now: datetime, settings: Settings, a: Assignment, role: str, days: int) -> Notification:
    row = enqueue(
        session,
        _spec(a, "escalation", role, held=True, working_days_overdue=days, rung=f"overdue_{days}wd"),
        now=now,
        settings=settings,
    )
    assert row is not None
    return row


def test_an_undecided_extension_request_is_told_to_the_leaders_and_daily_to_the_secretariat(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], tmp_path: Path
) -> None:
    """Sở TT&TT asked to extend on 14/04 and nobody decided: one mail went to the secretariat, its
    digests never said so again, and the ladder took the work to the chair, whose digest blamed the
    body alone. The chair's row says the request waits for the secretariat; the secretariat's digest
    lists every undecided request, the longest waiting first, even on a day with nothing else."""
    settings = _settings(tmp_path)
    asked_at = datetime(2022, 7, 5, 9, 0, tzinfo=LOCAL_TZ)
    ask = Request(Action.REQUEST_EXTENSION, Actor.agency("so-noi-vu"), comment="Chờ kinh phí.", due=date(2022, 8, 15))
    act(session, loaded["so-noi-vu"].id or 0, ask, now=asked_at)
    session.commit()
    quiet = build_digests(session, now=datetime(2022, 7, 6, 7, 0, tzinfo=LOCAL_TZ), settings=settings)
    (alone,) = [d for d in quiet if d.recipient_role == "secretariat"]  # nothing else to say that day
    assert "Đề nghị gia hạn chờ Tổ giúp việc quyết định (1;" in alone.body_text
    assert alone.subject.endswith(" báo cáo chờ xác nhận, 1 đề nghị gia hạn chờ quyết định")  # why it came
    assert "99/KH-TEST:II.1 — " in alone.body_text and "đề nghị ngày 05/07/2022; chờ 1 ngày làm việc" in alone.body_text
    session.commit()
    _escalate(session, AFTER_DUE, settings, loaded["so-noi-vu"], "chair", 7)
    session.commit()
    by_role = {d.recipient_role: d for d in build_digests(session, now=AFTER_DUE, settings=settings)}
    # 6–8, 11, 12 July: five working days since the request
    said = (
        "Đề nghị gia hạn đến ngày 15/08/2022, gửi ngày 05/07/2022, "
        "đang chờ Tổ giúp việc trả lời (đã chờ 5 ngày làm việc)."
    )
    assert said in by_role["chair"].body_text and said in by_role["chair"].body_html.replace("\n", "")
    assert "chờ 5 ngày làm việc" in by_role["secretariat"].body_text
    session.commit()
    decided = Request(Action.EXTEND, Actor.parse("secretariat"), due=date(2022, 8, 15))
    act(session, loaded["so-noi-vu"].id or 0, decided, now=AFTER_DUE + timedelta(hours=1))
    session.commit()
    later = build_digests(session, now=AFTER_DUE + timedelta(days=1), settings=settings)
    assert all("Đề nghị gia hạn chờ" not in d.body_text for d in later)


def test_leader_digests_one_per_recipient_per_day_grouped_by_agency(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], tmp_path: Path
) -> None:
    clock.set(AFTER_DUE)
    settings, now = _settings(tmp_path), AFTER_DUE
    for code in ("so-noi-vu", "vp-ubnd", "ubnd-binh-son"):
        _escalate(session, now, settings, loaded[code], "vice-chair", 3)
    milestone_2 = assignment_for(session, ITEM, "so-noi-vu", seq=2)
    _escalate(session, now, settings, milestone_2, "vice-chair", 3)  # a second row for the same agency
    _escalate(session, now, settings, loaded["so-noi-vu"], "chair", 7)
    session.commit()

    digests = build_digests(session, now=now, settings=settings)
    by_role = {d.recipient_role: d for d in digests}
    assert set(by_role) == {"vice-chair", "chair"}  # nothing for the secretariat: nothing to say
    vice = by_role["vice-chair"]
    assert vice.dedupe_key == "digest:vice-chair:2022-07-12" and vice.status == NotificationStatus.PENDING
    assert vice.recipient_email == "pho-truong-ban@dondoc.example"
    groups = {g["agency_name"]: g["count"] for g in vice.data["groups"]}
    assert groups == {"Sở Nội vụ": 2, "Văn phòng UBND tỉnh": 1, "UBND huyện Bình Sơn": 1}
    assert vice.data["groups"][0]["agency_name"] == "Sở Nội vụ"  # most late items first
    # Sở Nội vụ's two parts are the item's two milestones: one task (it read "2 nhiệm vụ" in a digest of 1)
    assert "1. Sở Nội vụ: 2 phần việc (của 1 nhiệm vụ)" in vice.body_text and "/leaders/" in vice.body_text
    # four bodies' parts of one task: said so, not "4 nhiệm vụ" (a quarterly report owed by 30 bodies
    # was "64 nhiệm vụ quá hạn" of 3 tasks)
    assert "4 phần việc quá hạn (của 1 nhiệm vụ) cần báo cáo Lãnh đạo, của 3 cơ quan" in vice.subject
    # each says from how late it tells: 3 and 7 working days (priority 1 and 3), which "cần báo cáo Lãnh đạo"
    # with two totals the same day had left the two leaders to guess
    assert (
        "có 4 phần việc (của 1 nhiệm vụ) quá hạn từ 3 ngày làm việc trở lên (nhiệm vụ trọng tâm: từ 1 ngày làm "
        "việc trở lên), là ngưỡng phải báo cáo Lãnh đạo đã đặt trong hệ thống đôn đốc, mà cơ quan được giao"
    ) in " ".join(vice.body_text.split())
    chair = " ".join(by_role["chair"].body_text.split())
    assert "quá hạn từ 7 ngày làm việc trở lên (nhiệm vụ trọng tâm: từ 3 ngày làm việc trở lên)," in chair
    # Lateness now, not the 7 stored at the decision: due 30/6, on 12/7 it is 8 working days (1, 4–8, 11, 12 July).
    assert by_role["chair"].data["total"] == 1 and "quá hạn 8 ngày làm việc" in by_role["chair"].body_text

    assert build_digests(session, now=now + timedelta(hours=5), settings=settings) == []  # same local day
    session.commit()
    tomorrow = build_digests(session, now=now + timedelta(days=1), settings=settings)
    assert {d.dedupe_key for d in tomorrow} == {"digest:vice-chair:2022-07-13", "digest:chair:2022-07-13"}
    assert session.exec(select(func.count()).where(Notification.status == NotificationStatus.HELD.value)).one() == 5


def test_leader_digest_leaves_out_an_assignment_reported_since(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], tmp_path: Path
) -> None:
    clock.set(AFTER_DUE)
    settings = _settings(tmp_path)
    for code in ("so-noi-vu", "vp-ubnd"):
        _escalate(session, clock.now(), settings, loaded[code], "vice-chair", 3)
    session.commit()
    agency = Actor.agency("vp-ubnd")
    act(session, loaded["vp-ubnd"].id, Request(Action.ACKNOWLEDGE, agency), now=clock.now())
    act(session, loaded["vp-ubnd"].id, Request(Action.REPORT, agency, comment="Đã hoàn thành"), now=clock.now())
    session.commit()
    (digest,) = build_digests(session, now=clock.now(), settings=settings)
    assert [g["agency_name"] for g in digest.data["groups"]] == ["Sở Nội vụ"]
    assert "Văn phòng UBND tỉnh" not in digest.body_text
    session.commit()
    act(
        session,
        loaded["so-noi-vu"].id,
        Request(Action.CANCEL, Actor.parse("secretariat"), comment="bỏ"),
        now=clock.now(),
    )
    session.commit()
    assert build_digests(session, now=clock.now() + timedelta(days=1), settings=settings) == []


def test_secretariat_digest_lists_held_items_and_failed_mail(
    session: Session,
    engine: Engine,
    clock: FrozenClock,
    loaded: dict[str, Assignment],
    tmp_path: Path,
    smtp: SmtpServer,
) -> None:
    clock.set(AFTER_DUE)
    settings = _settings(tmp_path, smtp)
    enqueue(
        session, _spec(loaded["ubnd-ly-son"], "overdue", "secretariat", held=True), now=clock.now(), settings=settings
    )
    enqueue(session, _spec(loaded["vp-ubnd"], "overdue", "agency"), now=clock.now(), settings=settings)
    session.commit()
    smtp.handler.fail_next(1, "550 5.1.1 <agency@dondoc.example>: Mailbox unavailable")
    assert deliver(engine, now=clock.now(), settings=settings).failed == 1

    clock.advance(timedelta(hours=1))
    (digest,) = build_digests(session, now=clock.now(), settings=settings)
    session.commit()
    assert digest.recipient_role == "secretariat" and digest.recipient_email == "to-giup-viec@dondoc.example"
    # The counts are the board's at the same instant (all overdue work, not only what was held today).
    board = board_summary(session, clock.now())
    assert digest.data["counts"] == {
        "unacknowledged": board.states["assigned"],
        "overdue": board.totals["dang_thuc_hien_qua_han"],
        "report_unverified": board.states["reported"],
        "listed": 1,
        "failed": 1,
        "reassign": 0,  # no body has ended: nothing waits in "Cần phân công lại"
        "reassign_backlog": 0,  # nor any of the pre-tracking backlog, said apart
        "extend": 0,  # no extension request waiting for the secretariat's decision
        "explain": 0,  # nor any explanation request waiting for a body's answer
        "snoozed": 0,  # nor did the secretariat pause any reminders
        "backlog": 0,  # nor is any work open that fell due before the tracking start
        "unacknowledged_backlog": 0,  # nor, of it, any never acknowledged
    }
    assert board.totals["dang_thuc_hien_qua_han"] > 1 and [s["count"] for s in digest.data["sections"]] == [0, 1, 0]
    assert "550 5.1.1 <agency@dondoc.example>: Mailbox unavailable" in digest.body_text
    assert "UBND huyện Lý Sơn" in digest.body_text and "http://dondoc.test/board" in digest.body_text

    # the failure is told once the digest reaches the secretariat; the open item stays
    assert deliver(engine, now=clock.now(), settings=settings).sent == 1
    clock.advance(timedelta(days=1))
    (tomorrow,) = build_digests(session, now=clock.now(), settings=settings)
    assert tomorrow.data["counts"]["failed"] == 0 and tomorrow.data["counts"]["listed"] == 1


def test_the_outbox_row_holds_every_rendered_column(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], tmp_path: Path
) -> None:
    """The INSERT is a text statement over outbox.INSERTED: a column rendered but not listed would
    be lost silently, so every rendered value is read back from the row."""
    settings = _settings(tmp_path)
    spec = _spec(loaded["vp-ubnd"], "reminder", "agency", days_before_due=7)
    expected = rendered_columns(session, spec, now=clock.now(), settings=settings)
    row = enqueue(session, spec, now=clock.now(), settings=settings)
    assert row is not None and set(expected) <= set(INSERTED)
    assert {name: getattr(row, name) for name in expected} == expected
    assert (row.kind, row.assignment_id, row.recipient_role, row.policy_version) == (
        "reminder",
        spec.assignment_id,
        "agency",
        "test-1",
    )
    assert (row.status, row.attempts, row.created_at, row.next_attempt_at) == ("pending", 0, clock.now(), clock.now())
    assert row.mime is not None and row.mime.startswith(b"Content-Type: multipart/alternative;")


def test_exists_sees_a_row_the_session_has_not_flushed(
    session: Session, clock: FrozenClock, loaded: dict[str, Assignment], tmp_path: Path
) -> None:
    now = clock.now()
    session.add(
        Notification(
            dedupe_key="k:unflushed",
            kind="reminder",
            recipient_role="agency",
            recipient_email="a@dondoc.example",
            created_at=now,
            next_attempt_at=now,
        )
    )
    assert exists(session, "k:unflushed") and not exists(session, "k:other")
    spec = _spec(loaded["so-noi-vu"], "reminder", "agency", key="k:unflushed", days_before_due=7)
    assert insert(session, spec, now=now, settings=_settings(tmp_path), key_checked=True) is None  # ON CONFLICT
    assert _count(session) == 1


@pytest.mark.postgres
def test_two_claims_on_postgres_take_disjoint_rows(pg_engine: Engine, clock: FrozenClock, tmp_path: Path) -> None:
    """The claim (one UPDATE … FOR UPDATE SKIP LOCKED, built once per dialect): a second worker
    claiming while the first holds its rows locked skips them; a dead worker's rows come back."""
    from dondoc.notifications.claims import _CLAIM, claim, release_orphans, this_host

    with Session(pg_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        a = assignment_for(session, ITEM, "so-noi-vu")
        for n in range(5):
            enqueue(
                session,
                _spec(a, "reminder", "agency", key=f"k:{n}", days_before_due=7),
                now=clock.now(),
                settings=_settings(tmp_path),
            )
        session.commit()
    now = clock.now()
    with pg_engine.begin() as holding:  # the first worker's claim, not yet committed, holds 3 rows
        params = {"now": now, "limit": 3, "worker": "first", "until": now + timedelta(minutes=10)}
        first = sorted(holding.execute(_CLAIM[True], params).scalars())
        second = claim(pg_engine, worker_id="second", now=now, limit=5)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert claim(pg_engine, worker_id="third", now=now, limit=5) == []  # all leased
    dead = f"{this_host()}:999999999:abc"  # no such process
    with pg_engine.begin() as connection:
        connection.execute(
            text("UPDATE notification SET claimed_by = :dead WHERE claimed_by = 'second'"), {"dead": dead}
        )
    assert release_orphans(pg_engine) == 2
    assert sorted(claim(pg_engine, worker_id="third", now=now, limit=5)) == second


@pytest.mark.postgres
def test_a_claim_takes_no_more_than_its_limit_after_a_quiet_spell(
    pg_engine: Engine, clock: FrozenClock, tmp_path: Path
) -> None:
    """A delivery worker on a quiet day claims again and again from an empty outbox; the driver then
    prepares the claim (psycopg, from its sixth run), and the server keeps one plan for it, made for
    an outbox of no row: a nested loop that runs the claim's subquery (``LIMIT n FOR UPDATE SKIP
    LOCKED``) again for each row of the outbox. A row the UPDATE had just written is skipped by the
    next run, so the LIMIT moved on: the first claim after a burst leased every pending row (one
    worker took all 200 mails of a batch, and a lease can run out before the last of them is sent).
    The rows to claim are picked once, before the UPDATE. Here the worker's connection prepares at
    once and keeps the first plan (``plan_cache_mode``), as it would after a few quiet runs."""
    from dondoc.notifications.claims import claim

    with Session(pg_engine) as session:
        load_min_catalog(session, clock.now(), MIN_CATALOG)
        a = assignment_for(session, ITEM, "so-noi-vu")
    with pg_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM notification"))  # as autovacuum would: the server knows it empty
    url = pg_engine.url
    options = f"{url.query['options']} -cplan_cache_mode=force_generic_plan"
    worker = make_engine(
        url.update_query_dict({"options": options}).render_as_string(hide_password=False),
        connect_args={"prepare_threshold": 0},
        pool_size=1,
        max_overflow=0,
    )
    now = clock.now()
    try:
        assert claim(worker, worker_id="first", now=now, limit=3) == []  # the quiet spell
        with Session(pg_engine) as session:  # the burst
            for n in range(8):
                spec = _spec(a, "reminder", "agency", key=f"k:{n}", days_before_due=7)
                enqueue(session, spec, now=now, settings=_settings(tmp_path))
            session.commit()
        first = claim(worker, worker_id="first", now=now, limit=3)
        second = claim(worker, worker_id="second", now=now, limit=3)
        assert (len(first), len(second)) == (3, 3) and not set(first) & set(second)
        assert len(claim(worker, worker_id="third", now=now, limit=3)) == 2
        with worker.connect() as connection:  # each claim ran on the plan kept from the quiet spell
            kept = (  # the claim's statement (the words split, so that this one is not found)
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE strpos(statement, 'claimed' || '_by=') > 0"
            )
            assert connection.exec_driver_sql(kept).all() == [(4, 0)]
    finally:
        worker.dispose()
