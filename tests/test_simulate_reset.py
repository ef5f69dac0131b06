"""``simulate --reset`` wipes a replay's database and the mails its outbox delivered, nothing else.

The operator's ``.env`` names the production database, so ``--reset`` on a database that does not
carry the replay mark is refused; a refused run changes nothing (not even the schema's revision);
and the wipe does not step the migrations down, which 0026 cannot do once a body holds two parts
of one milestone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.engine.clock import ensure_aware
from dondoc.engine.errors import InvalidInput
from dondoc.engine.migrate import current_revision, head_revision
from dondoc.engine.models import Assignment, Notification, Plan
from dondoc.engine.models.notifications import NotificationStatus
from dondoc.engine.services.history_order import mark_replay
from dondoc.simulation.replay import prepare
from tests.factories import load_min_catalog
from tests.support.catalogs import MIN_CATALOG
from tests.support.databases import engine_at, later_columns

LOADED = ensure_aware(datetime(2022, 6, 1, 9))
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def loaded(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A database at the head revision holding the test catalog's plan (no replay mark)."""
    with engine_at(backend, "head", tmp_path) as engine:
        with Session(engine) as session:
            load_min_catalog(session, LOADED, MIN_CATALOG)
        yield engine


def _plans(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Plan)).one()[0]


def _sent(session: Session, row_id: int, message_id: str) -> None:
    session.add(
        Notification(
            id=row_id,
            dedupe_key=f"test:{row_id}",
            kind="reminder",
            recipient_role="agency",
            recipient_email="so-noi-vu@dondoc.example",
            message_id=message_id,
            status=NotificationStatus.SENT,
            created_at=LOADED,
            next_attempt_at=LOADED,
            sent_at=LOADED,
        )
    )


def test_reset_of_a_database_that_is_not_a_replay_is_refused_and_changes_nothing(
    loaded: Engine, tmp_path: Path
) -> None:
    drop = tmp_path / "maildrop"
    drop.mkdir()
    (drop / "1.eml").write_bytes(b"Message-ID: <real@mail>\r\n\r\na real mail\r\n")
    with pytest.raises(InvalidInput, match="không phải cơ sở dữ liệu mô phỏng"):
        prepare(loaded, reset=True, maildrop=drop)
    assert _plans(loaded) == 1
    assert (drop / "1.eml").exists()


def test_a_refused_run_does_not_migrate(backend: str, tmp_path: Path) -> None:
    with engine_at(backend, "0025", tmp_path) as engine:
        with later_columns(engine), Session(engine) as session:
            load_min_catalog(session, LOADED, MIN_CATALOG)
        with pytest.raises(InvalidInput, match="đã có 1 kế hoạch"):
            prepare(engine, reset=False)
        assert current_revision(engine) == "0025"


def test_reset_wipes_a_replay_where_a_body_holds_two_parts_and_only_its_own_mails(
    loaded: Engine, tmp_path: Path
) -> None:
    drop = tmp_path / "maildrop"
    drop.mkdir()
    with Session(loaded) as session:
        mark_replay(session, now=LOADED)
        part = session.exec(select(Assignment).limit(1)).one()[0]
        other = "partner" if part.role != "partner" else "lead"
        session.add(
            Assignment(
                milestone_id=part.milestone_id,
                agency_id=part.agency_id,
                role=other,
                due_at=part.due_at,
                assigned_at=part.assigned_at,
                next_sweep_at=LOADED + timedelta(days=1),
            )
        )
        _sent(session, 7, "<dondoc.7.a@dondoc.example>")
        _sent(session, 8, "<dondoc.8.b@dondoc.example>")
        session.commit()
    (drop / "7.eml").write_bytes(b"Message-ID: <dondoc.7.a@dondoc.example>\r\n\r\nthe replay's\r\n")
    (drop / "8.eml").write_bytes(b"Message-ID: <another@deployment>\r\n\r\nnot this outbox's\r\n")
    (drop / "9.eml").write_bytes(b"Message-ID: <dondoc.9.c@dondoc.example>\r\n\r\nno row of it\r\n")
    (drop / "notes.txt").write_text("not a mail")
    for _ in range(2):  # and again: nothing of the first wipe is left in the way
        prepare(loaded, reset=True, maildrop=drop)
        assert _plans(loaded) == 0
        assert current_revision(loaded) == head_revision(loaded)
        assert not [t for t in inspect(loaded).get_table_names() if t.startswith("_alembic_tmp")]
        with Session(loaded) as session:
            load_min_catalog(session, LOADED, MIN_CATALOG)
            mark_replay(session, now=LOADED)
            session.commit()
    assert sorted(p.name for p in drop.iterdir()) == ["8.eml", "9.eml", "notes.txt"]
