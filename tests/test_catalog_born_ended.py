"""A catalog loaded after a body had ended makes no part for it that its successor already holds.

Recording Tây Trà's merger into Trà Bồng (01/02/2020) in a 2022 installation made 74 parts for Tây
Trà out of 61/KH-UBND's "UBND các huyện", due up to 2025: the board's counts grew (overdue 42 -> 44),
and each part then waited in "Cần phân công lại" as a duplicate of Trà Bồng's own. Here Lý Sơn is
absorbed into Bình Sơn, both named through "UBND các huyện", on 01/08/2022: between II.1's first
milestone (30/06/2022) and its second (15/11/2022)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from dondoc.engine.models import Agency, Assignment, Milestone, PlanItem
from tests.support.successions import at, load, succession_catalog, successions_yaml

ITEM = "99/KH-TEST:II.1"


def _parts(session: Session, agency: str) -> list[int]:
    """The milestones (seq) of II.1 ``agency`` holds a part of."""
    statement = (
        select(Milestone.seq)
        .join(Assignment, Assignment.milestone_id == Milestone.id)
        .join(PlanItem, Milestone.item_id == PlanItem.id)
        .join(Agency, Assignment.agency_id == Agency.id)
        .where(PlanItem.code == ITEM, Agency.code == agency)
        .order_by(Milestone.seq)
    )
    return list(session.exec(statement).all())


@pytest.mark.parametrize(
    ("successor", "loaded_on", "ly_son"),
    [
        ("ubnd-binh-son", "2022-09-01", [1]),  # ended before the load: its share of 15/11 is Bình Sơn's
        ("ubnd-binh-son", "2022-03-02", [1, 2]),  # loaded while it existed: its parts stay, passed on later
        ("so-khcn", "2022-09-01", [1, 2]),  # a successor not named on II.1: the part is made and passed on
    ],
)
def test_no_part_is_made_for_a_body_that_had_ended_when_its_successor_holds_the_work(
    session: Session, tmp_path: Path, successor: str, loaded_on: str, ly_son: list[int]
) -> None:
    body = f"from: [ubnd-ly-son]\n    to: [{{agency: {successor}}}]"
    catalog = succession_catalog(tmp_path, successions_yaml("absorb", body))
    load(session, catalog, at(loaded_on))
    assert _parts(session, "ubnd-ly-son") == ly_son
    assert _parts(session, "ubnd-binh-son") == [1, 2]
    total = session.exec(select(func.count()).select_from(Assignment)).one()
    load(session, catalog, at(loaded_on, 9))  # loaded again: nothing more
    assert session.exec(select(func.count()).select_from(Assignment)).one() == total


def test_an_ended_lead_is_made_when_its_successor_holds_only_another_part(session: Session, tmp_path: Path) -> None:
    """A lead's part whose successor holds only a partner or implementer part of the milestone passes to
    it (successions.standing_in_the_way), so it is made: a load of the shipped catalog after
    28/02/2025 had left 61/KH-UBND:I.2.b with 28 implementers and no lead (Sở TT&TT, ended, its
    successors implementers there). Here Sở TT&TT, II.1's lead, is absorbed into Sở Nội vụ, which
    implements II.1, on 01/08/2022."""
    body = "from: [so-tttt]\n    to: [{agency: so-noi-vu}]"
    load(session, succession_catalog(tmp_path, successions_yaml("absorb", body)), at("2022-09-01"))
    assert _parts(session, "so-tttt") == [1, 2]  # its second milestone's lead passes to Sở Nội vụ
