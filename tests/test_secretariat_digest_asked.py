"""The secretariat's digest lists every extension request it has not decided (notifications.digests):
built at 07:30, it was sent as built. A request refused at 07:45 left at 08:05 still listed as
waiting, and the clerk opened the queue to decide it again; one sent at 07:50 was not listed. As the
leaders' digest is (notifications.asked), it is built again before it leaves when its list no
longer stands (digests.extensions_untrue)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.workflow import Action
from dondoc.notifications import digests
from tests.support.web import ITEM, WebEnv
from tests.test_extension_asked_mails import ASKED, BODY, _act, _ask, _at, _deliver, _sent, _sweep

KEY = "digest:secretariat:2022-07-04"
LISTED = "Đề nghị gia hạn chờ Tổ giúp việc quyết định"


def _built(web: WebEnv) -> Notification:
    """Monday 04/07/2022: the sweeps of the week before, then the digests at 07:30."""
    for day in (date(2022, 7, 1), date(2022, 7, 4)):
        _sweep(web, _at(day, 7))
    web.clock.set(_at(date(2022, 7, 4), 7, 30))
    jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        return session.exec(select(Notification).where(Notification.dedupe_key == KEY)).one()


def _sent_row(web: WebEnv, built: Notification) -> Notification:
    with Session(web.engine) as session:
        sent = session.get(Notification, built.id)
    assert sent is not None and sent.status == NotificationStatus.SENT
    return sent


def test_a_request_refused_after_the_digest_was_built_is_not_listed_when_it_leaves(web: WebEnv) -> None:
    _ask(web)
    built = _built(web)
    target = web.assignment(ITEM, BODY)
    assert [row["assignment_id"] for row in built.data["extensions"]] == [target]
    assert LISTED in (built.body_text or "")
    _act(web, _at(date(2022, 7, 4), 7, 45), Action.REFUSE_EXTENSION, "secretariat", comment="Không đủ căn cứ.")
    _deliver(web, _at(date(2022, 7, 4), 8, 5))
    sent = _sent_row(web, built)
    assert sent.data["extensions"] == []
    assert LISTED not in _sent(web, KEY)


def test_a_request_sent_after_the_digest_was_built_is_listed_when_it_leaves(web: WebEnv) -> None:
    built = _built(web)
    assert built.data["extensions"] == [] and LISTED not in (built.body_text or "")
    _ask(web, _at(date(2022, 7, 4), 7, 50))
    _deliver(web, _at(date(2022, 7, 4), 8, 5))
    sent = _sent_row(web, built)
    assert [row["assignment_id"] for row in sent.data["extensions"]] == [web.assignment(ITEM, BODY)]
    assert LISTED in _sent(web, KEY)


def test_past_its_lists_the_digest_counts_every_undecided_request_and_every_failed_mail(
    web: WebEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The section's figure was the length of its list: with more than 100 undecided requests it said
    100, and the failed mails past the 100 listed were not said at all. Lists of one here."""
    monkeypatch.setattr(digests, "EXTENSIONS_LISTED", 1)
    monkeypatch.setattr(digests, "MAX_FAILED_LISTED", 1)
    _ask(web)
    asked = _at(date(2022, 6, 21), 10)
    web.clock.set(asked)
    with Session(web.engine) as session:
        other = Request(Action.REQUEST_EXTENSION, Actor.parse("so-tttt"), comment="Chờ kinh phí.", due=ASKED)
        act(session, web.assignment(ITEM, "so-tttt"), other, now=asked)
        session.commit()
    for day in (date(2022, 7, 1), date(2022, 7, 4)):
        _sweep(web, _at(day, 7))
    with Session(web.engine) as session:
        two = session.exec(select(Notification.id).order_by(col(Notification.id)).limit(2)).all()
        failed = NotificationStatus.FAILED.value
        session.execute(update(Notification).where(col(Notification.id).in_(two)).values(status=failed, attempts=8))
        session.commit()
    web.clock.set(_at(date(2022, 7, 4), 7, 30))
    jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        built = session.exec(select(Notification).where(Notification.dedupe_key == KEY)).one()
    assert built.data["counts"]["extend"] == 2 and len(built.data["extensions"]) == 1
    for body in (built.body_text or "", built.body_html or ""):
        assert f"{LISTED} (2; chờ lâu nhất lên trước" in body, body
        assert "… và 1 đề nghị khác trong danh sách." in body
        assert "… và 1 thư khác không gửi được" in body
