"""A successor hears once of a part an automatic succession passes on or after the part's giving.

The reports of the fourth quarter of 2022 are given on Saturday 01/10, announced on Monday 03/10.
Văn phòng UBND tỉnh renamed (merged, absorbed) on 01/10: its fourth-quarter report, never given to
it, passed to its successor at the night's succession, listed in the successor's "Tiếp nhận nhiệm
vụ … từ Văn phòng UBND tỉnh" as "đang thực hiện … giữ nguyên tình trạng" (it had never been
anybody's), and on Monday the sweep's "Giao nhiệm vụ" told the successor of it again. Renamed on
Monday 03/10 instead: the report given to it on Saturday, never announced, was in both mails too.
One mail now, the succession's, which says of a part the body that ended was never given that it
was not, and gives it to the successor from its giving day; the notice of work given is not lost
where that mail was not written, nor for a part passed on before its giving."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.models import Agency, AgencyTransfer, Notification, NotificationStatus
from dondoc.engine.settings import Settings
from dondoc.notifications.delivery import deliver
from dondoc.notifications.inherited import apply_successions
from tests.support.catalogs import REPORTING
from tests.support.successions import SOURCE, apply, at, load, succession_catalog, successions_yaml
from tests.support.sweep import run_sweep
from tests.test_named_body_one_mail import _heard
from tests.test_succession_never_given import _mails, _quarter

# kind -> (a body that ends, its successor, the successor's mailbox)
KINDS = {
    "rename": ("vp-ubnd", "vp-ubnd-moi", "vp-moi@dondoc.example"),
    "merge": ("so-noi-vu", "so-moi", "so-moi@dondoc.example"),
    "absorb": ("ubnd-ly-son", "so-khcn", "so-khcn@dondoc.example"),
}
DAYS = ("2022-09-29", "2022-09-30", "2022-10-01", "2022-10-02", "2022-10-03", "2022-10-04", "2022-10-05")


def _start(session: Session, tmp_path: Path, text: str) -> Settings:
    catalog = succession_catalog(tmp_path, text)
    plan = catalog / "plans" / "test-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + REPORTING, encoding="utf-8")
    load(session, catalog, at("2022-03-02"))
    return Settings(_env_file=None, demo=True, base_url="http://dondoc.test", maildrop_dir=tmp_path)  # type: ignore[call-arg]


def _daily(session: Session, settings: Settings | None, days: tuple[str, ...] = DAYS) -> None:
    """The daily job, from midnight: the successions whose date has come (mailed), then the sweep."""
    for day in days:
        if settings is None:
            apply(session, at(day, 0))
        else:
            apply_successions(session, now=at(day, 0), local=DEFAULT_DAYS, settings=settings)
            session.commit()
        run_sweep(session, at(day, 0))


def _text(mail: Notification) -> str:
    return " ".join((mail.body_text or "").split())


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("on", ["2022-10-01", "2022-10-03"])
def test_the_successor_hears_once_of_a_part_given_the_day_it_passes(
    session: Session, tmp_path: Path, kind: str, on: str
) -> None:
    old, new, mailbox = KINDS[kind]
    settings = _start(session, tmp_path, successions_yaml(kind, on=on))
    _daily(session, settings)
    q4 = _quarter(session, new, "2022-Q4").id or 0
    heard = _heard(session)
    assert heard[mailbox, q4] == 1
    assert {part: n for (box, part), n in heard.items() if box == mailbox and n != 1} == {}
    assert not _mails(session, q4, "new_assignment")
    (told,) = _mails(session, q4, "inherited_work")
    text = _text(told)
    name = session.exec(select(Agency.name).where(Agency.code == old)).one()
    never_given = "mới giao, khi cơ quan này đã không còn; giao quý cơ quan từ ngày 01/10/2022"
    if on == "2022-10-01":  # given the day it ended: never its work, and the mail says so of that part alone
        assert f"\n  Chưa giao cho {name}: đến ngày 01/10/2022" in (told.body_text or "") and never_given in text, text
        assert (
            text.count(never_given) == 1 and "nhận chuyển giao các nhiệm vụ dưới đây, giữ nguyên tình trạng" in text
        ), text
    else:  # given to it on the Saturday, while it existed: passed on as it stood
        assert "Chưa giao cho" not in text and "giữ nguyên tình trạng và thời hạn" in text, text


def test_the_notice_is_sent_where_the_succession_wrote_no_mail(session: Session, tmp_path: Path) -> None:
    """A succession applied without mail settings tells nobody: the sweep's notice is the one mail."""
    _start(session, tmp_path, successions_yaml("rename", on="2022-10-01"))
    _daily(session, None)
    q4 = _quarter(session, "vp-ubnd-moi", "2022-Q4").id or 0
    assert _heard(session)["vp-moi@dondoc.example", q4] == 1
    (notice,) = _mails(session, q4, "new_assignment")
    assert notice.recipient_email == "vp-moi@dondoc.example"


def test_a_part_passed_on_before_its_giving_is_announced_on_its_giving_day(session: Session, tmp_path: Path) -> None:
    """Renamed on 01/08, the successor's mail that day lists the quarter to come; its notice of work
    given comes on the quarter's notice day, as every body's does."""
    settings = _start(session, tmp_path, successions_yaml("rename", on="2022-08-01"))
    _daily(session, settings, ("2022-07-31", "2022-08-01", *DAYS))
    q4 = _quarter(session, "vp-ubnd-moi", "2022-Q4").id or 0
    (inherited,) = _mails(session, q4, "inherited_work")
    (notice,) = _mails(session, q4, "new_assignment")
    assert inherited.created_at < at("2022-10-01", 0) <= notice.created_at
    assert notice.recipient_email == "vp-moi@dondoc.example"


@pytest.mark.parametrize("sent_on", ["2022-08-01", "2022-10-05"])
def test_a_part_passed_on_before_its_giving_is_said_to_be_given_on_its_giving_day(
    session: Session, engine: Engine, tmp_path: Path, sent_on: str
) -> None:
    """Renamed on 01/08, the successor's mail lists the fourth quarter's report, given on 01/10: as it
    leaves that day, "Chưa giao (giao ngày 01/10/2022)", never Văn phòng UBND tỉnh's, the successor's
    from 01/10, and not among the work "đang thực hiện" the opening keeps as it stood; left undelivered,
    sent on 05/10 (rendered again as it leaves): "Đã giao", still the successor's from 01/10."""
    settings = _start(session, tmp_path, successions_yaml("rename", on="2022-08-01"))
    apply_successions(session, now=at("2022-08-01", 0), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    q4 = _quarter(session, "vp-ubnd-moi", "2022-Q4").id or 0
    assert deliver(engine, now=at(sent_on), settings=settings).sent == 1
    (told,) = _mails(session, q4, "inherited_work")
    session.refresh(told)
    assert told.status == NotificationStatus.SENT
    opening, *parts = (told.body_text or "").split("\n- Nhiệm vụ: ")
    in_hand = "giữ nguyên tình trạng và thời hạn của từng nhiệm vụ; riêng nhiệm vụ đến ngày giao thì cơ quan được"
    assert in_hand in opening and "đang thực hiện" not in opening, opening
    (quarter,) = [part for part in parts if "- Mốc: Quý IV/2022" in part]
    state = "Chưa giao (giao ngày 01/10/2022)" if sent_on < "2022-10-01" else "Đã giao"
    assert f"\n- Tình trạng: {state}\n" in quarter, quarter
    never = "Chưa giao cho Văn phòng UBND tỉnh: đến ngày 01/10/2022 mới giao, khi cơ quan này đã không còn; "
    assert f"\n  {never}giao quý cơ quan từ ngày 01/10/2022.\n" in quarter, quarter
    assert [part for part in parts if "Chưa giao" in part] == [quarter]  # those given before 01/08: as they stood
    html = " ".join((told.body_html or "").split())
    assert f'<th align="left">Tình trạng</th><td>{state}</td>' in html and never in html, html


def test_a_part_passed_twice_is_told_once_to_each_body_that_held_it(session: Session, tmp_path: Path) -> None:
    """Renamed on Saturday 01/10, the new office absorbed by Sở KH&CN on Monday 03/10: the report of
    the quarter given on the Saturday goes to each body once, by the succession that gave it to it."""
    twice = (
        successions_yaml("rename", on="2022-10-01")
        + "  - key: test-absorb\n    kind: absorb\n    date: 2022-10-03\n"
        + f'    from: [vp-ubnd-moi]\n    to: [{{agency: so-khcn}}]\n    source: "{SOURCE}"\n'
    )
    settings = _start(session, tmp_path, twice)
    _daily(session, settings)
    q4 = _quarter(session, "so-khcn", "2022-Q4").id or 0  # Văn phòng UBND tỉnh's, twice passed on
    passed = session.exec(select(AgencyTransfer).where(AgencyTransfer.assignment_id == q4)).all()
    assert [t.succession_key for t in passed] == ["test-rename", "test-absorb"]
    heard = _heard(session)
    assert (heard["vp-moi@dondoc.example", q4], heard["so-khcn@dondoc.example", q4]) == (1, 1)
    assert not _mails(session, q4, "new_assignment")
    assert {part: n for (box, part), n in heard.items() if n != 1 and "@so-tttt" not in box} == {}
