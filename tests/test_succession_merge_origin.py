"""A merger's successor is told, of each part it takes over, which body held it until then.

Sở Nội vụ and Văn phòng UBND tỉnh merged into Sở Hợp nhất on 01/10/2022: the successor's one
"Tiếp nhận nhiệm vụ" mail named both bodies in its opening and listed the parts without a word of
whose each had been, while the successor's focal point must find the files and people behind each
task at the body that held it (and the item's text names the old body). Each part now says it
("Cơ quan được giao trước đây: Sở Nội vụ"), read from the part's transfer of this succession; a
part the body that ended was never given says that instead, as it did; a mail whose opening names
one body (a rename, an absorption) says nothing more of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dondoc.engine.clock import DEFAULT_DAYS
from dondoc.engine.models import Agency, AgencyTransfer, Notification
from dondoc.notifications.delivery import deliver
from dondoc.notifications.inherited import apply_successions
from tests.support.successions import at, successions_yaml
from tests.test_succession_gives_once import _start

ORIGIN = "Cơ quan được giao trước đây"


def _delivered(session: Session, engine: Engine, tmp_path: Path, kind: str) -> tuple[Notification, dict[int, str]]:
    """The successor's inherited-work mail as delivered, and each part's body of record (its transfer's origin)."""
    settings = _start(session, tmp_path, successions_yaml(kind, on="2022-10-01"))
    apply_successions(session, now=at("2022-10-01", 0), local=DEFAULT_DAYS, settings=settings)
    session.commit()
    assert deliver(engine, now=at("2022-10-03"), settings=settings).sent >= 1
    (told,) = session.exec(select(Notification).where(Notification.kind == "inherited_work")).all()
    session.refresh(told)
    origins = dict(
        session.exec(
            select(AgencyTransfer.assignment_id, Agency.name)
            .join(Agency, col(Agency.id) == col(AgencyTransfer.from_agency_id))
            .where(AgencyTransfer.succession_key == f"test-{kind}")
        ).all()
    )
    return told, origins


def test_a_merged_part_says_the_body_it_came_from(session: Session, engine: Engine, tmp_path: Path) -> None:
    told, origins = _delivered(session, engine, tmp_path, "merge")
    ids = told.data["assignment_ids"]
    assert {origins[i] for i in ids} == {"Sở Nội vụ", "Văn phòng UBND tỉnh"}  # both bodies' work in one mail
    _opening, *parts = (told.body_text or "").split("\n- Nhiệm vụ: ")
    html_parts = (told.body_html or "").split('<th align="left">Nhiệm vụ</th>')[1:]
    assert len(parts) == len(html_parts) == len(ids)
    fresh = 0
    for assignment_id, part, html in zip(ids, parts, html_parts, strict=True):
        name = origins[assignment_id]
        if f"\n  Chưa giao cho {name}: đến ngày 01/10/2022 mới giao" in part:  # never its work: said so, as before
            fresh += 1
            assert ORIGIN not in part and ORIGIN not in html, part
            continue
        line = f"\n- {ORIGIN}: {name}\n"
        assert line in part and part.index("\n- Cơ quan: Sở Hợp nhất (") < part.index(line), part
        assert f'<tr><th align="left">{ORIGIN}</th><td>{name}</td></tr>' in html, html
    assert 0 < fresh < len(ids)  # the quarter given on 01/10 is among them, the work in hand too


@pytest.mark.parametrize("kind", ["rename", "absorb"])
def test_one_body_named_in_the_opening_is_not_said_again_beside_each_part(
    session: Session, engine: Engine, tmp_path: Path, kind: str
) -> None:
    told, origins = _delivered(session, engine, tmp_path, kind)
    (name,) = set(origins.values())
    assert f"Từ ngày 01/10/2022, {name} không còn" in (told.body_text or "")
    assert ORIGIN not in (told.body_text or "") and ORIGIN not in (told.body_html or "")
