"""The secretariat's digest tells every queue of the desk with work waiting (notifications.desk_queues):
the four it tells in lines of their own, and each other queue of the board's header in one line, its
rows in words and its count as the header counts it. It had told nothing of the items whose text
names no body, of the parts given through a guessed group, nor of the partners no lead waits for.
Work waiting on the secretariat is a reason for its digest; told again as it stands when the digest
leaves later than it was built."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ, FrozenClock
from dondoc.engine.models import Notification, NotificationStatus, PlanItem
from dondoc.engine.services.assignment_filter import AssignmentFilter
from dondoc.engine.services.naming import name_agencies
from dondoc.engine.services.queues import QUEUES, queue_by_slug, queue_counts
from dondoc.engine.settings import Settings
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.notifications.desk_queues import TOLD_APART
from dondoc.notifications.digests import build_digests
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog
from tests.support.unnamed import ONLY_UNNAMED, unnamed_catalog

UNNAMED = "can-phan-cong"
LINE = (
    "- Nhiệm vụ mà văn bản không nêu tên cơ quan cho một vai trò, chờ Tổ giúp việc chỉ định cơ quan: {n}"
    " (danh sách «Cần phân công» trên bảng theo dõi)"
)
BUILT = datetime(2022, 3, 3, 7, 30, tzinfo=LOCAL_TZ)  # Thursday, the day after the test plan is loaded
NAMED = datetime(2022, 3, 3, 7, 45, tzinfo=LOCAL_TZ)
SENT = datetime(2022, 3, 3, 8, 0, tzinfo=LOCAL_TZ)


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path / "drop")  # type: ignore[call-arg]


def _secretariat(session: Session, settings: Settings, now: datetime) -> Notification | None:
    made = [d for d in build_digests(session, now=now, settings=settings) if d.recipient_role == "secretariat"]
    session.commit()
    return made[0] if made else None


def test_each_queue_not_told_apart_is_told_once_with_the_headers_count(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    digest = _secretariat(session, _settings(tmp_path), BUILT)
    assert digest is not None
    header = {queue.slug: count for queue, count, _ in queue_counts(session, BUILT, clock)}
    told = {queue["slug"]: queue["count"] for queue in digest.data["queues"]}
    # every queue with rows is told, by the header's count; none of the four told in lines of their own
    assert told == {slug: n for slug, n in header.items() if n and slug not in TOLD_APART}
    assert told[UNNAMED] == 2  # II.8 (no lead named) and II.9 (its partners in words only)
    text = digest.body_text or ""
    assert LINE.format(n=2) in text.splitlines() and text.count("«Cần phân công»") == 1
    assert "danh sách «Cần phân công» trên bảng theo dõi" in (digest.body_html or "")
    # every queue of the registry says what its rows are, for a reader away from the board
    assert all(queue.told and queue.told != queue.slug for queue in QUEUES)


def test_work_waiting_on_the_desk_alone_is_a_reason_for_the_digest(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    """Nothing overdue, given unacknowledged long, nor failed: the items to name are the day's news."""
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    digest = _secretariat(session, _settings(tmp_path), BUILT)
    assert digest is not None and digest.data["sections"] and not any(s["rows"] for s in digest.data["sections"])
    # its subject says why it came, not only "0 phần việc quá hạn, 0 báo cáo chờ xác nhận"
    assert [queue["slug"] for queue in digest.data["queues"]] == [UNNAMED]
    assert (digest.subject or "").endswith(
        ": 0 phần việc quá hạn, 0 báo cáo chờ xác nhận, danh sách «Cần phân công»: 2"
    )


def test_no_work_waiting_on_the_desk_no_digest(session: Session, clock: FrozenClock, tmp_path: Path) -> None:
    load_min_catalog(session, clock.now(), copy_catalog(tmp_path))
    assert all(count == 0 for _, count, _ in queue_counts(session, BUILT, clock))
    assert _secretariat(session, _settings(tmp_path), BUILT) is None


def test_a_digest_leaving_after_an_item_was_named_tells_the_queue_as_it_stands(
    session: Session, clock: FrozenClock, tmp_path: Path
) -> None:
    load_min_catalog(session, clock.now(), unnamed_catalog(tmp_path))
    settings = _settings(tmp_path)
    digest = _secretariat(session, settings, BUILT)
    assert digest is not None and LINE.format(n=2) in (digest.body_text or "")
    item = session.exec(select(PlanItem.id).where(PlanItem.code == ONLY_UNNAMED)).one()
    local = FrozenClock(NAMED)
    name_agencies(
        session,
        item or 0,
        [("so-tttt", "lead")],
        actor=Actor.parse("secretariat"),
        username="tgv",
        now=NAMED,
        calendar=WorkCalendar.default(),
        local=local,
    )
    session.commit()
    assert queue_by_slug(UNNAMED).count(session, SENT, local, AssignmentFilter()) == 1
    jobs.run_delivery(session.get_bind(), now=SENT, settings=settings)  # type: ignore[arg-type]
    session.expire_all()
    sent = session.get(Notification, digest.id)
    assert sent is not None and sent.status == NotificationStatus.SENT
    assert [queue["count"] for queue in sent.data["queues"] if queue["slug"] == UNNAMED] == [1]
    assert LINE.format(n=1) in (sent.body_text or "") and LINE.format(n=2) not in (sent.body_text or "")
