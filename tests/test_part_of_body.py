"""A body that exists only for another (``part_of``) ends with it: it is no receiver after that day.

The queue "Cần phân công lại" of the 2025 replay offered "Tổ giúp việc Ban Chỉ đạo chuyển đổi số
tỉnh" as a receiving body after 01/03/2025, when the committee it works for had merged into another
(successions.yaml): the catalog dated the committee, not its working group. The catalog says which
body a working group belongs to, and the loader ends it with that body (the one rule of a body in
force on a day: engine.services.successions.exists_on, read by the offer and the refusal alike)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from dondoc.engine.actors import SECRETARIAT
from dondoc.engine.errors import InvalidInput
from dondoc.engine.services.assignments import Request, act
from dondoc.engine.services.successions import existing_agencies
from dondoc.engine.workflow import Action
from dondoc.tasks_catalog.loader import CatalogInvalid, load_catalog
from tests.support.catalogs import edit
from tests.support.successions import apply, at, load, succession_catalog, successions_yaml

GROUP = """  - {code: tgv-tttt, name: "Tổ giúp việc của Sở Thông tin và Truyền thông", short: "TGV Sở TT&TT",
     kind: khac, part_of: so-tttt}
"""


def _catalog(tmp_path: Path, part_of: str = "so-tttt") -> Path:
    catalog = succession_catalog(tmp_path, successions_yaml("split"))  # so-tttt split on 01/08/2022
    edit(catalog, "agencies.yaml", "agencies:\n", "agencies:\n" + GROUP.replace("so-tttt}", f"{part_of}}}"))
    return catalog


def test_a_body_part_of_one_that_ended_is_no_receiver_after_its_end(session: Session, tmp_path: Path) -> None:
    catalog = _catalog(tmp_path)
    assert load_catalog(catalog).agencies["tgv-tttt"].valid_to == date(2022, 7, 31)
    load(session, catalog, at("2022-03-02"))
    assert "tgv-tttt" in dict(existing_agencies(session, date(2022, 7, 31)))
    queued = apply(session, at("2022-08-01", 0)).queued
    assert queued
    assert "tgv-tttt" not in dict(existing_agencies(session, date(2022, 8, 3)))  # not offered
    part = queued[0][0]
    with pytest.raises(InvalidInput) as refused:  # nor taken when named
        act(session, part, Request(Action.REASSIGN, SECRETARIAT, agency="tgv-tttt"), now=at("2022-08-03", 9))
    said = str(refused.value)
    assert said == (
        "Vào ngày 03/08/2022, Tổ giúp việc của Sở Thông tin và Truyền thông đã kết thúc hoạt động (ngày 31/07/2022)."
    )


def test_part_of_names_a_body_of_the_directory(tmp_path: Path) -> None:
    with pytest.raises(CatalogInvalid, match='tgv-tttt: unknown agency or group "khong-co"'):
        load_catalog(_catalog(tmp_path, "khong-co"))


def test_the_committees_working_group_ends_with_the_committee() -> None:
    agencies = load_catalog().agencies
    assert agencies["bcd-cds"].valid_to == date(2025, 2, 28)
    assert agencies["to-giup-viec-bcd"].valid_to == date(2025, 2, 28)
