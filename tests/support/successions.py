"""A test catalog with successions: catalog_min plus the bodies that succeed its agencies."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from dondoc import jobs
from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.clock import DEFAULT_DAYS, LOCAL_TZ
from dondoc.engine.models import Notification
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.catalog_sync import SyncReport, sync_catalog
from dondoc.engine.services.successions import TransferReport, apply_due_successions
from dondoc.engine.workcalendar import WorkCalendar
from dondoc.engine.workflow import Action
from dondoc.notifications.inherited import apply_successions
from dondoc.tasks_catalog.loader import load_catalog
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog, edit

ON = "2022-08-01"  # the succession date of the test catalogs: between the two milestones of II.1
SOURCE = "Nghị định 99/2022/NĐ-TEST"

NEW_AGENCIES = """agencies:
  - {code: so-khcn, name: "Sở Khoa học và Công nghệ", short: "Sở KH&CN", kind: so,
     email: "so-khcn@dondoc.example"}
  - {code: so-vhttdl, name: "Sở Văn hóa, Thể thao và Du lịch", short: "Sở VH-TT&DL", kind: so,
     email: "so-vhttdl@dondoc.example"}
  - {code: so-moi, name: "Sở Hợp nhất", short: "Sở HN", kind: so, email: "so-moi@dondoc.example",
     valid_from: 2022-08-01}
  - {code: vp-ubnd-moi, name: "Văn phòng UBND tỉnh (tên mới)", short: "VP mới", kind: so,
     email: "vp-moi@dondoc.example", valid_from: 2022-08-01}
"""

KINDS = {
    "rename": "from: [vp-ubnd]\n    to: [{agency: vp-ubnd-moi}]",
    "merge": "from: [so-noi-vu, vp-ubnd]\n    to: [{agency: so-moi}]",
    "absorb": "from: [ubnd-ly-son]\n    to: [{agency: so-khcn}]",
    "split": "from: [so-tttt]\n    to: [{agency: so-khcn, functions: [chuyển đổi số]}, "
    "{agency: so-vhttdl, functions: [báo chí]}]",
    "dissolve": "from: [ubnd-binh-son]",
}


# II.1 partnered by Sở Nội vụ (the other departments implement it): edit(catalog, PLAN, *PARTNERED_II_1)
PLAN = "plans/test-plan.yaml"
PARTNERED_II_1 = (
    'implementers: ["@so-ban-nganh", "@ubnd-cap-huyen"]',
    'partners: [so-noi-vu]\n    implementers: ["@ubnd-cap-huyen"]',
)


def successions_yaml(kind: str, body: str | None = None, on: str = ON, key: str | None = None) -> str:
    return (
        f"successions:\n  - key: {key or 'test-' + kind}\n    kind: {kind}\n    date: {on}\n"
        f'    {body or KINDS[kind]}\n    source: "{SOURCE}"\n'
    )


def succession_catalog(tmp_path: Path, text: str | None = None, *, roster: str | None = None) -> Path:
    """catalog_min with the successor agencies and ``text`` as its successions.yaml."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, "agencies.yaml", "agencies:\n", NEW_AGENCIES)
    if roster is not None:
        edit(
            catalog, "agencies.yaml", "  members: [so-tttt, so-noi-vu]\n", roster + "  members: [so-tttt, so-noi-vu]\n"
        )
    if text is not None:
        (catalog / "successions.yaml").write_text(text, encoding="utf-8")
    return catalog


def at(day: str, hour: int = 8) -> datetime:
    y, m, d = (int(p) for p in day.split("-"))
    return datetime(y, m, d, hour, 0, tzinfo=LOCAL_TZ)


def load(session: Session, catalog: Path, now: datetime, local_dir: Path | None = None) -> SyncReport:
    report = sync_catalog(session, load_catalog(catalog, local_dir), now=now, calendar=WorkCalendar.default())
    session.commit()
    return report


def apply(session: Session, now: datetime) -> TransferReport:
    report = apply_due_successions(session, now=now)
    session.commit()
    return report


def successions_at_dawn(web: Any, on: str = ON) -> list[Notification]:
    """At 00:00 local on ``on``, the successions due applied as the night's job applies them: the
    inherited_work mails written so far (the successors told)."""
    web.clock.set(at(on, 0))
    with Session(web.engine) as session:
        apply_successions(session, now=web.clock.now(), local=DEFAULT_DAYS, settings=web.settings)
        session.commit()
        return list(session.exec(select(Notification).where(col(Notification.kind) == "inherited_work")).all())


def listing(mails: list[Notification], part: int) -> Notification:
    """The one mail of ``mails`` that lists ``part`` among the work it tells of."""
    (told,) = [m for m in mails if part in m.data.get("assignment_ids", [])]
    return told


def succession_applied(web: Any, tmp_path: Path, yaml: str) -> list[Notification]:
    """The catalog loaded with ``yaml`` as its successions, then :func:`successions_at_dawn`."""
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), succession_catalog(tmp_path, yaml))
    return successions_at_dawn(web)


def renamed_and_told(web: Any, tmp_path: Path, body: str, new: str, part: int) -> Notification:
    """``body`` renamed ``new`` on ON (:func:`succession_applied`): the successor's inherited_work
    mail listing ``part``."""
    mails = succession_applied(
        web, tmp_path, successions_yaml("rename", body=f"from: [{body}]\n    to: [{{agency: {new}}}]")
    )
    return listing(mails, part)


def named_and_told(web: Any, part: int, agency: str, delivered_at: datetime) -> Notification:
    """The secretariat names ``agency`` for ``part``, waiting in "Cần phân công lại" since its body
    ended, at the clock's instant; the mails delivered at ``delivered_at``: the one inherited_work
    mail about ``part``."""
    with Session(web.engine) as session:
        act(session, part, Request(Action.REASSIGN, SECRETARIAT, agency=agency), now=web.clock.now())
        session.commit()
    web.clock.set(delivered_at)
    jobs.run_delivery(web.engine, now=delivered_at, settings=web.settings)
    with Session(web.engine) as session:
        (told,) = session.exec(
            select(Notification).where(col(Notification.kind) == "inherited_work", Notification.assignment_id == part)
        ).all()
    return told
