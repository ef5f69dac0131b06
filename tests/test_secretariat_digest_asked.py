"""The secretariat's digest lists every extension request it has not decided (notifications.digests):
built at 07:30, it was sent as built. A request refused at 07:45 left at 08:05 still listed as
waiting, and the clerk opened the queue to decide it again; one sent at 07:50 was not listed. As the
leaders' digest is (notifications.asked), it is built again before it leaves when its list no
longer stands (digests.extensions_untrue)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from dondoc import jobs
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.workflow import Action
from tests.support.web import ITEM, WebEnv
from tests.test_extension_asked_mails import BODY, _act, _ask, _at, _deliver, _sent, _sweep

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
