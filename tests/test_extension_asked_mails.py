"""What a body is told while its own extension request waits for the secretariat's answer.

The ladder goes on while a request waits (only an extension moves the date): Sở Nội vụ asked on
20/06/2022 to have until 29/07/2022, then read "Nhắc hạn" and "quá hạn" with no word of its request,
and thought it lost. Every mail about the part says it while it waits (notifications.asked), as it
stands when the mail leaves: a request refused between the sweep and the delivery is no longer said
waiting; a mail rendered before the request is sent says it when it leaves after it."""

from __future__ import annotations

import email
import re
from datetime import date, datetime

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import Actor
from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.models import Notification, NotificationStatus
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.explanations import extension_asked_words
from dondoc.engine.workflow import Action
from tests.support.web import ITEM, WebEnv

BODY = "so-noi-vu"  # an implementer of the priority item II.1, due Thursday 30/06/2022; its lead: Sở TT&TT
ASKED = date(2022, 7, 29)
TO_BODY = (
    "Đề nghị gia hạn của quý cơ quan đến ngày 29/07/2022, gửi ngày 20/06/2022, đang chờ Tổ giúp việc "
    "trả lời; cho đến khi được chấp thuận, thời hạn vẫn là ngày 30/06/2022."
)
TO_OTHERS = TO_BODY.replace("của quý cơ quan", "của Sở Nội vụ")
WAITING = "đang chờ Tổ giúp việc trả lời"
ADVICE = "nếu không thể hoàn thành đúng hạn, quý cơ quan gửi đề nghị gia hạn kèm lý do"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def _act(web: WebEnv, at: datetime, action: Action, actor: str, **given: object) -> None:
    web.clock.set(at)
    with Session(web.engine) as session:
        act(session, web.assignment(ITEM, BODY), Request(action, Actor.parse(actor), **given), now=at)  # type: ignore[arg-type]
        session.commit()


def _ask(web: WebEnv, at: datetime | None = None) -> None:
    """Sở Nội vụ asks to have until 29/07/2022 (on Monday 20/06/2022, unless ``at``)."""
    _act(web, at or _at(date(2022, 6, 20), 10), Action.REQUEST_EXTENSION, BODY, comment="Chờ kinh phí.", due=ASKED)


def _sweep(web: WebEnv, at: datetime) -> None:
    web.clock.set(at)
    jobs.run_sweep(web.engine, now=at, settings=web.settings)


def _deliver(web: WebEnv, at: datetime) -> None:
    web.clock.set(at)
    jobs.run_delivery(web.engine, now=at, settings=web.settings)


def _mails(web: WebEnv, kind: str) -> dict[str, Notification]:
    """The part's mails of ``kind``, by recipient role."""
    with Session(web.engine) as session:
        rows = session.exec(
            select(Notification).where(
                col(Notification.assignment_id) == web.assignment(ITEM, BODY), col(Notification.kind) == kind
            )
        ).all()
    return {row.recipient_role: row for row in rows}


def _said(row: Notification) -> str:
    """The plain text and the HTML (tags dropped) of a mail, white space folded."""
    return f"{_text(row.body_text)} {_text(re.sub(r'<[^>]+>', ' ', row.body_html or ''))}"


def _text(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _says(row: Notification, words: str) -> bool:
    """Whether both the plain text and the HTML of a mail say ``words``."""
    html = _text(re.sub(r"<[^>]+>", " ", row.body_html or ""))
    return words in _text(row.body_text) and words in html


def _sent(web: WebEnv, key: str) -> str:
    """The plain text of the mail the mail drop received with ``key``."""
    for path in web.settings.maildrop_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        if message["X-Dondoc-Dedupe-Key"] == key:
            part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
            return re.sub(r"\s+", " ", part.get_payload(decode=True).decode("utf-8"))  # type: ignore[union-attr]
    raise AssertionError(f"no mail {key} in the mail drop")


def test_every_mail_about_the_part_says_the_request_waits_and_the_date_in_force(web: WebEnv) -> None:
    _ask(web)
    _sweep(web, _at(date(2022, 6, 29), 7))  # the countdown's last rung: "còn 1 ngày làm việc"
    reminder = _mails(web, "reminder")["agency"]
    assert _says(reminder, TO_BODY)
    assert ADVICE not in _said(reminder)  # a second request is refused while this one waits
    _deliver(web, _at(date(2022, 6, 29), 8))
    assert TO_BODY in _sent(web, reminder.dedupe_key)
    _sweep(web, _at(date(2022, 7, 1), 7))  # overdue: the body, its lead, the secretariat
    overdue = _mails(web, "overdue")
    assert _says(overdue["agency"], TO_BODY)
    assert _says(overdue["lead"], TO_OTHERS) and TO_BODY not in _said(overdue["lead"])  # its lead: named
    _deliver(web, _at(date(2022, 7, 1), 8))
    assert TO_BODY in _sent(web, overdue["agency"].dedupe_key)
    _sweep(web, _at(date(2022, 7, 5), 7))  # a priority item: the leaders' escalations are decided
    escalations = _mails(web, "escalation")
    assert escalations and all(_says(row, TO_OTHERS) for row in escalations.values())
    # a request between people reaching the body meanwhile says it too (rendered as it leaves)
    _act(web, _at(date(2022, 7, 5), 9), Action.REQUEST_EXPLANATION, "chair", comment="Vì sao chậm?")
    _deliver(web, _at(date(2022, 7, 5), 10))
    (explain,) = _mails(web, "explanation_request").values()
    assert explain.status == NotificationStatus.SENT and _says(explain, TO_BODY)
    # the part's page says it beside the date
    page = web.client.get(f"/a/{web.link(f'agency:{BODY}')}/assignments/{web.assignment(ITEM, BODY)}")
    assert page.status_code == 200
    shown = re.search(r'<span id="extension-asked">([^<]*)</span>', page.text)
    assert shown is not None and shown.group(1) == TO_BODY.replace(" của quý cơ quan", "")


def test_a_request_refused_before_the_mail_leaves_is_no_longer_said_waiting(web: WebEnv) -> None:
    _ask(web)
    _sweep(web, _at(date(2022, 7, 1), 7))
    decided = _mails(web, "overdue")["agency"]
    assert _says(decided, TO_BODY)  # true when the sweep decided it, at 07:00
    _act(web, _at(date(2022, 7, 1), 7, 30), Action.REFUSE_EXTENSION, "secretariat", comment="Không đủ căn cứ.")
    _deliver(web, _at(date(2022, 7, 1), 8))  # the same morning
    sent = _mails(web, "overdue")["agency"]
    assert sent.status == NotificationStatus.SENT and sent.id == decided.id
    assert WAITING not in _said(sent) and WAITING not in _sent(web, sent.dedupe_key)
    assert sent.data["extension_asked"] is None
    page = web.client.get(f"/a/{web.link(f'agency:{BODY}')}/assignments/{sent.assignment_id}")
    assert page.status_code == 200 and 'id="extension-asked"' not in page.text


def test_a_request_sent_after_the_mail_was_decided_is_said_when_it_leaves(web: WebEnv) -> None:
    _sweep(web, _at(date(2022, 7, 1), 7))
    assert WAITING not in _said(_mails(web, "overdue")["agency"])
    _ask(web, _at(date(2022, 7, 1), 7, 30))  # asked before the relay took the mail
    _deliver(web, _at(date(2022, 7, 1), 8))
    sent = _mails(web, "overdue")["agency"]
    said = TO_BODY.replace("gửi ngày 20/06/2022", "gửi ngày 01/07/2022")
    assert sent.status == NotificationStatus.SENT and _says(sent, said) and said in _sent(web, sent.dedupe_key)


def test_no_request_no_sentence(web: WebEnv) -> None:
    """Văn phòng UBND tỉnh, an implementer of the same milestone, asked nothing: its mails of the same
    passes say nothing of a request (and still advise asking for one), while Sở Nội vụ's say its own."""
    _ask(web)
    _sweep(web, _at(date(2022, 6, 29), 7))
    other = web.assignment(ITEM, "vp-ubnd")
    for kind in ("reminder", "overdue"):
        if kind == "overdue":
            _sweep(web, _at(date(2022, 7, 1), 7))
        with Session(web.engine) as session:
            quiet = session.exec(
                select(Notification).where(
                    col(Notification.assignment_id) == other,
                    col(Notification.kind) == kind,
                    col(Notification.recipient_role) == "agency",
                )
            ).one()
        assert _says(_mails(web, kind)["agency"], TO_BODY)
        assert "Đề nghị gia hạn" not in _said(quiet) and quiet.data["extension_asked"] is None
        assert (ADVICE in _said(quiet)) is (kind == "reminder")
    _deliver(web, _at(date(2022, 7, 1), 8))
    assert "Đề nghị gia hạn" not in _sent(web, quiet.dedupe_key)


def test_a_request_left_open_by_a_report_is_said_again_once_the_report_is_returned(web: WebEnv) -> None:
    """A report leaves the request open but unanswerable (neither extend nor refuse is taken on
    reported work): nothing waits for the secretariat then; its return makes the request wait again,
    and the mail returning the report says so."""
    _ask(web)
    _act(web, _at(date(2022, 6, 21), 9), Action.ACKNOWLEDGE, BODY)
    _act(web, _at(date(2022, 6, 22), 9), Action.REPORT, BODY, comment="Đã phê duyệt cấp độ.")
    page = f"/a/{web.link(f'agency:{BODY}')}/assignments/{web.assignment(ITEM, BODY)}"
    assert 'id="extension-asked"' not in web.client.get(page).text
    _act(web, _at(date(2022, 6, 23), 9), Action.RETURN, "secretariat", comment="Thiếu quyết định phê duyệt.")
    _deliver(web, _at(date(2022, 6, 23), 10))
    (returned,) = _mails(web, "report_returned").values()
    assert returned.status == NotificationStatus.SENT and _says(returned, TO_BODY)
    assert TO_BODY.replace(" của quý cơ quan", "") in web.client.get(page).text


def test_a_leaders_digest_built_before_the_request_was_refused_leaves_without_it(web: WebEnv) -> None:
    """The leaders' digest says of a row that its body's request waits (explanations.extension_waiting_words);
    built at 07:30, the request refused at 07:45, it leaves at 08:05 saying what holds then."""
    _ask(web)
    for day in (date(2022, 7, 1), date(2022, 7, 4)):
        _sweep(web, _at(day, 7))
    web.clock.set(_at(date(2022, 7, 4), 7, 30))
    jobs.run_digests(web.engine, now=web.clock.now(), settings=web.settings)
    with Session(web.engine) as session:
        built = session.exec(
            select(Notification).where(Notification.dedupe_key == "digest:vice-chair:2022-07-04")
        ).one()
    target = web.assignment(ITEM, BODY)
    told = {row["assignment_id"]: row for group in built.data["groups"] for row in group["rows"]}
    assert told[target]["extension"] and WAITING in built.body_text
    # the one sentence the mails about the part say (explanations.extension_asked_words), with the days waited
    stem = "Đề nghị gia hạn đến ngày 29/07/2022, gửi ngày 20/06/2022, đang chờ Tổ giúp việc trả lời (đã chờ "
    assert stem in " ".join(built.body_text.split())
    _act(web, _at(date(2022, 7, 4), 7, 45), Action.REFUSE_EXTENSION, "secretariat", comment="Không đủ căn cứ.")
    _deliver(web, _at(date(2022, 7, 4), 8, 5))
    with Session(web.engine) as session:
        sent = session.get(Notification, built.id)
    assert sent is not None and sent.status == NotificationStatus.SENT
    told = {row["assignment_id"]: row for group in sent.data["groups"] for row in group["rows"]}
    assert target in told and not told[target]["extension"]
    assert WAITING not in _sent(web, sent.dedupe_key)


def test_whose_request_is_said_before_the_day_asked_for() -> None:
    """Bình Sơn asked on 14/10/2022 to have until Sunday 18/12/2022 and read "Đề nghị gia hạn đến ngày
    18/12/2022 (ngày nghỉ: …, 19/12/2022) của quý cơ quan": whose request, said after the day-off
    note, read as the day's. It is said with the request, before the day."""
    said = extension_asked_words(date(2022, 12, 18), date(2022, 10, 14), date(2022, 11, 15), "quý cơ quan")
    assert said == (
        "Đề nghị gia hạn của quý cơ quan đến ngày 18/12/2022 (ngày nghỉ: Chủ nhật; nếu đồng ý, hạn là ngày làm "
        "việc kế tiếp, 19/12/2022), gửi ngày 14/10/2022, đang chờ Tổ giúp việc trả lời; cho đến khi được chấp "
        "thuận, thời hạn vẫn là ngày 15/11/2022."
    )
    page = extension_asked_words(date(2022, 12, 18), date(2022, 10, 14), date(2022, 11, 15))  # the part's page
    assert page.startswith("Đề nghị gia hạn đến ngày 18/12/2022 (ngày nghỉ: Chủ nhật;")
