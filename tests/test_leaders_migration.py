"""Migration 0007: the vice-chair's older stored spellings become ``vice-chair``, and nothing is
decided twice because of it; links and tokens issued before it keep working.

Each test starts from an empty database (SQLite and PostgreSQL) migrated to 0006, writes what
the code before 0007 wrote, then migrates. The older spellings below are the point of this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.actors import Actor, ActorKind
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.escalation.policy import load_policy
from dondoc.engine.links import LinkInvalid, issue_token, reissue, revoke, verify_token
from dondoc.engine.migrate import current_revision, downgrade, head_revision, upgrade
from dondoc.engine.models import ApiToken, Notification, NotificationStatus
from dondoc.engine.services.accounts import actor_for_token, create_token
from dondoc.engine.settings import Settings
from dondoc.jobs import run_catalog_load, run_digests, run_sweep
from tests.support.catalogs import MIN_CATALOG
from tests.support.databases import engine_at

LOADED_AT = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
SWEPT_AT = datetime(2022, 7, 12, 8, 0, tzinfo=LOCAL_TZ)  # II.1 was due 30/6: vice-chair on 5/7, chair on 11/7
SECRET = "test-secret-" + "x" * 32
OLD_SPELLINGS = ("vice_chair", "standing_vice_chair")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_0006(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database migrated to 0006, the revision before the one spelling."""
    with engine_at(request.param, "0006", tmp_path) as engine:
        yield engine


def _later_schema(engine: Engine, *, add: bool) -> None:
    """The code reads the schema of later revisions (0008: plan_item's unnamed phrases; 0009:
    plan.tracked, the installation row; 0010: event.actor_account, the replay mark; 0011:
    assignment.waiting_condition_since; 0012: notification.carried_by_id; 0015: the search_text of
    plan_item and agency; 0016: successions, transfers, the dated roster; 0020: the same-work links;
    0021: an indicator's milestone; 0022: an indicator's same target; 0023: a milestone's own
    priority; 0024: a plan's date as written; 0028: the day a transfer's work passed; 0029: work a
    body that ended was never given; 0030: a part given through an inferred group; 0031: an indicator's
    same measure; 0032: a body's and a plan's province; 0034: a milestone due by convention; 0035: an
    item's place in its text; 0037: a part done on a day no text gives), which
    touch nothing 0007 rewrites: add them beside 0006 for the code to run, drop them before upgrading so the migrations
    create them."""
    with engine.begin() as connection:
        if add:
            json = "JSON" if engine.dialect.name == "postgresql" else "TEXT"
            stamp = "TIMESTAMP WITH TIME ZONE" if engine.dialect.name == "postgresql" else "TIMESTAMP"
            connection.execute(text(f"ALTER TABLE plan_item ADD COLUMN unnamed {json} NOT NULL DEFAULT '[]'"))
            connection.execute(text(f"ALTER TABLE plan_item ADD COLUMN named_at {stamp}"))
            connection.execute(text("ALTER TABLE plan_item ADD COLUMN named_by VARCHAR(128)"))
            connection.execute(text("ALTER TABLE plan ADD COLUMN tracked BOOLEAN NOT NULL DEFAULT false"))
            connection.execute(text(f"ALTER TABLE assignment ADD COLUMN waiting_condition_since {stamp}"))
            connection.execute(text("ALTER TABLE notification ADD COLUMN carried_by_id INTEGER"))
            for table in ("plan_item", "agency"):
                connection.execute(text(f"ALTER TABLE {table} ADD COLUMN search_text TEXT NOT NULL DEFAULT ''"))
            connection.execute(
                text(
                    "CREATE TABLE installation (id INTEGER PRIMARY KEY, tracking_start DATE NOT NULL, "
                    "tracking_from TIMESTAMP NOT NULL)"
                )
            )
            connection.execute(text("ALTER TABLE event ADD COLUMN actor_account VARCHAR(64)"))
            connection.execute(text(f"CREATE TABLE replay_mark (id INTEGER PRIMARY KEY, marked_at {stamp} NOT NULL)"))
            connection.execute(text("ALTER TABLE committee_member ADD COLUMN valid_from DATE"))
            connection.execute(text("ALTER TABLE committee_member ADD COLUMN valid_to DATE"))
            connection.execute(
                text(
                    "CREATE TABLE succession (id INTEGER PRIMARY KEY, key VARCHAR(64) NOT NULL, kind VARCHAR(16) "
                    f"NOT NULL, effective_on DATE NOT NULL, from_codes {json} NOT NULL, successors {json} NOT NULL, "
                    f"source VARCHAR NOT NULL, confirmed BOOLEAN NOT NULL, loaded_at {stamp} NOT NULL)"
                )
            )
            connection.execute(
                text(
                    "CREATE TABLE agency_transfer (id INTEGER PRIMARY KEY, assignment_id INTEGER NOT NULL, "
                    "succession_key VARCHAR(64) NOT NULL, from_agency_id INTEGER NOT NULL, to_agency_id INTEGER, "
                    f"effective_on DATE NOT NULL, recorded_at {stamp} NOT NULL, status VARCHAR(16) NOT NULL, "
                    f"reason VARCHAR, decided_by VARCHAR(64), decided_at {stamp}, passed_on DATE, "
                    "never_given BOOLEAN NOT NULL DEFAULT false)"
                )
            )
            connection.execute(
                text(
                    "CREATE TABLE same_work_link (milestone_id INTEGER NOT NULL, linked_code VARCHAR(128) NOT NULL, "
                    "PRIMARY KEY (milestone_id, linked_code))"
                )
            )
            connection.execute(text("ALTER TABLE indicator ADD COLUMN milestone_seq INTEGER"))
            connection.execute(text("ALTER TABLE indicator ADD COLUMN same_as_id INTEGER"))
            connection.execute(text("ALTER TABLE indicator ADD COLUMN same_measure_id INTEGER"))
            connection.execute(text("ALTER TABLE milestone ADD COLUMN priority BOOLEAN"))
            connection.execute(
                text("ALTER TABLE milestone ADD COLUMN due_by_convention BOOLEAN NOT NULL DEFAULT false")
            )
            connection.execute(text("ALTER TABLE plan ADD COLUMN issued_as_written TEXT"))
            connection.execute(text("ALTER TABLE plan_item ADD COLUMN position INTEGER NOT NULL DEFAULT 0"))
            connection.execute(text("ALTER TABLE assignment ADD COLUMN inferred_group VARCHAR(64)"))
            connection.execute(text(f"ALTER TABLE assignment ADD COLUMN membership_confirmed_at {stamp}"))
            connection.execute(text(f"ALTER TABLE assignment ADD COLUMN done_from {stamp}"))
            for table in ("agency", "plan"):
                connection.execute(text(f"ALTER TABLE {table} ADD COLUMN province VARCHAR(64)"))
        else:
            for column in ("unnamed", "named_at", "named_by"):
                connection.execute(text(f"ALTER TABLE plan_item DROP COLUMN {column}"))
            connection.execute(text("ALTER TABLE plan DROP COLUMN tracked"))
            connection.execute(text("ALTER TABLE assignment DROP COLUMN waiting_condition_since"))
            connection.execute(text("ALTER TABLE notification DROP COLUMN carried_by_id"))
            for table in ("plan_item", "agency"):
                connection.execute(text(f"ALTER TABLE {table} DROP COLUMN search_text"))
            connection.execute(text("ALTER TABLE committee_member DROP COLUMN valid_to"))
            connection.execute(text("ALTER TABLE committee_member DROP COLUMN valid_from"))
            connection.execute(text("DROP TABLE same_work_link"))
            connection.execute(text("ALTER TABLE indicator DROP COLUMN milestone_seq"))
            connection.execute(text("ALTER TABLE indicator DROP COLUMN same_as_id"))
            connection.execute(text("ALTER TABLE indicator DROP COLUMN same_measure_id"))
            connection.execute(text("ALTER TABLE milestone DROP COLUMN priority"))
            connection.execute(text("ALTER TABLE milestone DROP COLUMN due_by_convention"))
            connection.execute(text("ALTER TABLE plan DROP COLUMN issued_as_written"))
            connection.execute(text("ALTER TABLE plan_item DROP COLUMN position"))
            connection.execute(text("ALTER TABLE assignment DROP COLUMN inferred_group"))
            connection.execute(text("ALTER TABLE assignment DROP COLUMN membership_confirmed_at"))
            connection.execute(text("ALTER TABLE assignment DROP COLUMN done_from"))
            for table in ("agency", "plan"):
                connection.execute(text(f"ALTER TABLE {table} DROP COLUMN province"))
            connection.execute(text("DROP TABLE agency_transfer"))
            connection.execute(text("DROP TABLE succession"))
            connection.execute(text("DROP TABLE installation"))
            connection.execute(text("ALTER TABLE event DROP COLUMN actor_account"))
            connection.execute(text("DROP TABLE replay_mark"))


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[arg-type]


def _as_written_before_0007(engine: Engine) -> None:
    """Turn rows written by today's code into what the code before 0007 wrote: the roster said
    standing_vice_chair, the outbox vice_chair (role and dedupe key)."""
    with engine.begin() as connection:
        connection.execute(text("UPDATE committee_member SET role = 'standing_vice_chair' WHERE role = 'vice-chair'"))
        connection.execute(
            text(
                "UPDATE notification SET recipient_role = 'vice_chair', "
                "dedupe_key = replace(dedupe_key, :one, :before) WHERE recipient_role = 'vice-chair'"
            ),
            {"one": ":vice-chair", "before": ":vice_chair"},
        )


def _outbox(engine: Engine) -> dict[str, str]:
    """{dedupe_key: recipient_role} of every outbox row."""
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT dedupe_key, recipient_role FROM notification")).all())


def _roster_roles(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(text("SELECT role FROM committee_member")).scalars())


def test_a_rung_decided_under_the_old_spelling_is_not_decided_again(engine_0006: Engine, tmp_path: Path) -> None:
    engine, settings = engine_0006, _settings(tmp_path)
    _later_schema(engine, add=True)
    run_catalog_load(engine, now=LOADED_AT, catalog_dir=MIN_CATALOG)
    run_sweep(engine, now=SWEPT_AT, settings=settings)
    run_digests(engine, now=SWEPT_AT, settings=settings)
    built_today = _outbox(engine)  # the keys today's code builds
    _as_written_before_0007(engine)
    before = _outbox(engine)
    vice = {key for key, role in before.items() if role == "vice_chair"}
    # the key formats of the code before 0007, pinned
    assert "digest:vice_chair:2022-07-12" in vice
    rungs = vice - {"digest:vice_chair:2022-07-12"}
    assert rungs and all(re.fullmatch(r"qua-han-[13]:\d+:2022-06-30:vice_chair:vice_chair", k) for k in rungs), rungs
    assert _roster_roles(engine) >= {"chair", "standing_vice_chair", "secretariat"}

    _later_schema(engine, add=False)
    upgrade(engine)

    assert current_revision(engine) == head_revision(engine)
    assert _outbox(engine) == built_today  # rewritten exactly as today's code builds keys
    assert not [k for k in built_today if any(old in k for old in OLD_SPELLINGS)]
    assert "vice-chair" in _roster_roles(engine) and not _roster_roles(engine) & set(OLD_SPELLINGS)
    # Deploying changes the policy file, so every row is judged again: nothing is new.
    policy = replace(load_policy(), version="after-deploy")
    again = run_sweep(engine, now=SWEPT_AT + timedelta(hours=2), settings=settings, policy=policy)
    assert again.ladder_reset and again.candidates > 0 and again.already_decided > 0
    assert again.decisions == []
    assert run_digests(engine, now=SWEPT_AT + timedelta(hours=2), settings=settings).mails == ()
    assert _outbox(engine) == built_today
    # The held escalations, now spelled vice-chair, still feed tomorrow's digest of the vice-chair.
    tomorrow = run_digests(engine, now=SWEPT_AT + timedelta(days=1), settings=settings)
    leaders = {m.dedupe_key for m in tomorrow.mails if m.to in ("vice-chair", "chair")}
    assert leaders == {"digest:vice-chair:2022-07-13", "digest:chair:2022-07-13"}

    downgrade(engine, "0006")
    restored = _outbox(engine)
    assert {k: r for k, r in restored.items() if k in before} == before
    assert restored["digest:vice_chair:2022-07-13"] == "vice_chair"
    assert "standing_vice_chair" in _roster_roles(engine)


def test_every_key_format_is_respelled_and_unsent_mime_dropped(engine_0006: Engine) -> None:
    rows = {  # key before 0007 → (role, status, key after)
        "qua-han-3:17:2022-06-30:vice_chair:vice_chair": (
            "vice_chair",
            "held",
            "qua-han-3:17:2022-06-30:vice-chair:vice-chair",
        ),
        "digest:vice_chair:2022-07-12": ("vice_chair", "sent", "digest:vice-chair:2022-07-12"),
        "digest:vice_chair:2022-07-13": ("vice_chair", "pending", "digest:vice-chair:2022-07-13"),
        "periodic_report:2022-H1:vice_chair": ("vice_chair", "failed", "periodic_report:2022-H1:vice-chair"),
        "qua-han-7:17:2022-06-30:chair:chair": ("chair", "held", "qua-han-7:17:2022-06-30:chair:chair"),
    }
    _later_schema(engine_0006, add=True)
    with Session(engine_0006) as session:
        for key, (role, status, _) in rows.items():
            session.add(
                Notification(
                    dedupe_key=key,
                    kind="digest_leader",
                    recipient_role=role,
                    recipient_email=f"{status}@dondoc.example",
                    status=NotificationStatus(status),
                    created_at=SWEPT_AT,
                    next_attempt_at=SWEPT_AT,
                    mime=b"stored",
                )
            )
        session.commit()
    _later_schema(engine_0006, add=False)

    upgrade(engine_0006)

    with Session(engine_0006) as session:
        after = {n.dedupe_key: n for n in session.exec(select(Notification))}
    assert set(after) == {new for _, _, new in rows.values()}
    for role, status, new in rows.values():
        row = after[new]
        assert row.recipient_role == ("chair" if role == "chair" else "vice-chair")
        # a row that may still be mailed is rendered at delivery, with its new key
        kept = status == "sent" or role == "chair"
        assert row.mime == (b"stored" if kept else None), new

    downgrade(engine_0006, "0006")
    with Session(engine_0006) as session:
        assert set(session.exec(select(Notification.dedupe_key))) == set(rows)


def test_links_and_tokens_issued_before_keep_working(engine_0006: Engine) -> None:
    with Session(engine_0006) as session:  # as the code before 0007 issued them: already vice-chair
        reissue(session, "leader:vice-chair", now=LOADED_AT)  # generation 2
        link = issue_token(session, "leader:vice-chair", now=LOADED_AT, secret=SECRET, days=30)
        chair_link = issue_token(session, "leader:chair", now=LOADED_AT, secret=SECRET, days=30)
        _, token = create_token(session, "digest reader", "vice-chair", now=LOADED_AT)
        session.commit()

    upgrade(engine_0006)

    with Session(engine_0006) as session:
        now = LOADED_AT + timedelta(days=1)
        assert verify_token(session, link, now=now, secret=SECRET) == "leader:vice-chair"
        assert verify_token(session, chair_link, now=now, secret=SECRET) == "leader:chair"
        assert actor_for_token(session, token) == Actor(ActorKind.VICE_CHAIR)
        revoke(session, "leader:vice-chair", now=now)  # `dondoc links revoke vice-chair` still reaches it
        with pytest.raises(LinkInvalid):
            verify_token(session, link, now=now, secret=SECRET)


def test_a_link_and_a_token_made_with_an_old_spelling_keep_working(engine_0006: Engine) -> None:
    with Session(engine_0006) as session:  # made by hand: no code before 0007 wrote these
        link = issue_token(session, "leader:vice_chair", now=LOADED_AT, secret=SECRET, days=30)
        _, token = create_token(session, "by hand", "secretariat", now=LOADED_AT)
        session.exec(select(ApiToken)).one().role = "vice_chair"
        session.commit()

    upgrade(engine_0006)

    with Session(engine_0006) as session:
        now = LOADED_AT + timedelta(days=1)
        with engine_0006.connect() as connection:
            assert set(connection.execute(text("SELECT subject FROM access_grant")).scalars()) == {"leader:vice-chair"}
            assert set(connection.execute(text("SELECT role FROM api_token")).scalars()) == {"vice-chair"}
        assert verify_token(session, link, now=now, secret=SECRET) == "leader:vice-chair"
        assert actor_for_token(session, token) == Actor(ActorKind.VICE_CHAIR)
        reissue(session, "leader:vice-chair", now=now)  # the one spelling now revokes the old link
        with pytest.raises(LinkInvalid):
            verify_token(session, link, now=now, secret=SECRET)
