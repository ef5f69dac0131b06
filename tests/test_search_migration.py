"""Migration 0015 fills the folded search text of the items and agencies that exist."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.migrate import downgrade, upgrade
from dondoc.engine.models import Agency
from dondoc.engine.textfold import agency_search_text, item_search_text
from tests.factories import load_min_catalog
from tests.support.catalogs import copy_catalog, edit
from tests.support.databases import engine_at


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_0012(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with engine_at(request.param, "0012", tmp_path) as engine:
        yield engine


def test_existing_rows_get_their_search_text(engine_0012: Engine) -> None:
    with engine_0012.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO plan (id, number, kind, issued, issuer, title, year, tracked) "
                "VALUES (1, '117/KH-UBND', 'ke_hoach', '2022-05-01', 'UBND', 'Kế hoạch', 2022, false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO plan_item (plan_id, code, kind, section, title, content, source, roles_as_written,"
                " priority, done_at_issue) VALUES (1, '117/KH-UBND:II.2.d', 'task', 'II.2.d',"
                " 'Bảo đảm an toàn hệ thống thông tin', '', '', '{}', false, false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO agency (code, name, short, kind, aliases) "
                "VALUES ('ubnd-dak-to', 'UBND huyện Đắk Tô', 'UBND Đắk Tô', 'huyen', '[]')"
            )
        )
    upgrade(engine_0012, "head")
    with engine_0012.connect() as connection:
        item = connection.execute(text("SELECT search_text FROM plan_item")).scalar_one()
        agency = connection.execute(text("SELECT search_text FROM agency")).scalar_one()
    # folded, its marks read as spaces, between spaces; then as written, between bars (engine.textfold._searchable)
    assert item == item_search_text("117/KH-UBND:II.2.d", "Bảo đảm an toàn hệ thống thông tin")
    assert item.startswith(" 117 kh ubnd ii 2 d bao dam an toan he thong thong tin |117|kh|ubnd|ii|2|d|")
    # each tone (nặng, sắc) after its word's letters: "huyện" is "huyên" and a dot below
    assert (
        agency
        == " ubnd dak to ubnd huyen dak to ubnd dak to |ubnd|dak|to|ubnd|huyên\u0323|đăk\u0301|tô|ubnd|đăk\u0301|tô|"
    )


def test_migration_0025_folds_the_aliases_in(engine_0012: Engine) -> None:
    """A clerk's shorthand ("STTTT", "SNV": the catalog's aliases) found no agency."""
    upgrade(engine_0012, "0024")
    with engine_0012.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO agency (code, name, short, kind, aliases, search_text) VALUES ('so-tttt',"
                " 'Sở Thông tin và Truyền thông', 'Sở TT&TT', 'so', '[\"STTTT\", \"Sở TTTT\"]', 'so-tttt')"
            )
        )
    upgrade(engine_0012, "head")
    with engine_0012.connect() as connection:
        agency = connection.execute(text("SELECT search_text FROM agency")).scalar_one()
    assert agency.startswith(" so tttt so thong tin va truyen thong so tt tt stttt so tttt |")


def test_the_catalog_load_folds_the_aliases_in_on_insert_and_on_update(session: Session, tmp_path: Path) -> None:
    """The load writes agencies through Core, not the ORM hook: it wrote the search text without the
    aliases, so "STTTT" found nothing on a database the catalog had loaded."""
    catalog = copy_catalog(tmp_path)
    edit(catalog, "agencies.yaml", 'aliases: ["Sở TT&TT"]', 'aliases: ["Sở TT&TT", "STTTT"]')
    now = datetime(2022, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
    load_min_catalog(session, now, catalog)
    session.commit()

    def folded() -> str:
        return session.exec(select(Agency.search_text).where(Agency.code == "so-tttt")).one()

    assert "stttt" in folded().split()
    edit(catalog, "agencies.yaml", '"STTTT"]', '"STTTT", "SoTTTT"]')  # a later load that changes the agency
    load_min_catalog(session, now, catalog)
    session.commit()
    assert {"stttt", "sotttt"} <= set(folded().split())


def test_migration_0038_writes_the_words_as_written_beside_the_folded(engine_0012: Engine) -> None:
    """A text stored by 0025 (the folded words alone) held no word as written: a search typed with
    diacritics found nothing on it."""
    upgrade(engine_0012, "0037")
    with engine_0012.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO agency (code, name, short, kind, aliases, search_text) VALUES ('so-tttt',"
                " 'Sở Thông tin và Truyền thông', 'Sở TT&TT', 'so', '[]',"
                " ' so tttt so thong tin va truyen thong so tt tt')"
            )
        )
    upgrade(engine_0012, "head")
    with engine_0012.connect() as connection:
        agency = connection.execute(text("SELECT search_text FROM agency")).scalar_one()
    assert agency == agency_search_text("so-tttt", "Sở Thông tin và Truyền thông", "Sở TT&TT")
    assert agency.startswith(" so tttt so thong tin va truyen thong so tt tt |so|tttt|s\u01a1\u0309|thông|tin|")
    downgrade(engine_0012, "0037")  # 0025's text again
    with engine_0012.connect() as connection:
        assert connection.execute(text("SELECT search_text FROM agency")).scalar_one() == (
            " so tttt so thong tin va truyen thong so tt tt"
        )
