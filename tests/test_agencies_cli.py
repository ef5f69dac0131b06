"""``dondoc agencies succeed``: the succession is written as catalog data in the installation's folder
(refused whole, with nothing written, when the catalog would not validate), then applied."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.db import make_engine
from dondoc.engine.models import Agency, AgencyTransfer, Assignment, Notification
from tests.support.cli import dondoc, ok
from tests.support.successions import succession_catalog


def test_a_recorded_succession_is_written_validated_and_applied(db_url: str, tmp_path: Path) -> None:
    catalog, local = succession_catalog(tmp_path), tmp_path / "installation-catalog"
    env = {"DONDOC_CATALOG_DIR": str(catalog), "DONDOC_CATALOG_LOCAL_DIR": str(local), "DONDOC_DEMO": "true"}
    ok(dondoc(db_url, "db", "upgrade", env=env))
    ok(dondoc(db_url, "catalog", "load", now="2022-03-02T08:00", env=env))
    refused = dondoc(
        db_url, "agencies", "succeed", "vp-ubnd", "--by", "vp-ubnd-moi", "--on", "2022-07-15", "--kind", "rename",
        "--source", "QĐ 1/QĐ-TEST", now="2022-08-02T08:00", env=env,
    )  # fmt: skip
    assert refused.returncode == 1 and refused.stderr.strip() == (
        'dondoc: lỗi: Không ghi nhận, chưa ghi gì: cơ quan kế nhiệm "vp-ubnd-moi" chưa có hoặc đã không còn '
        "vào ngày 15/07/2022: bị hở."
    )
    assert len(refused.stderr.strip().splitlines()) == 1 and not (local / "successions.yaml").exists()
    out = ok(
        dondoc(
            db_url, "agencies", "succeed", "vp-ubnd", "--by", "vp-ubnd-moi", "--on", "2022-08-01", "--kind", "rename",
            "--source", "QĐ 1/QĐ-TEST", now="2022-08-02T08:00", env=env,
        )
    )  # fmt: skip
    assert "Đã ghi nhận lần tổ chức lại 2022-08-01-vp-ubnd" in out and "đã chuyển cho cơ quan kế nhiệm" in out
    text = (local / "successions.yaml").read_text(encoding="utf-8")
    assert "kind: rename" in text and "QĐ 1/QĐ-TEST" in text
    assert ok(dondoc(db_url, "catalog", "validate", env=env)).count("Tổ chức lại: 1 lần") == 1
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            new = session.exec(select(Agency).where(Agency.code == "vp-ubnd-moi")).one()
            old = session.exec(select(Agency).where(Agency.code == "vp-ubnd")).one()
            assert session.exec(select(Assignment).where(Assignment.agency_id == new.id)).all()
            transfers = session.exec(select(AgencyTransfer)).all()
            assert transfers and all(t.from_agency_id == old.id and t.to_agency_id == new.id for t in transfers)
            (mail,) = session.exec(select(Notification).where(Notification.kind == "inherited_work")).all()
            assert mail.recipient_email == "vp-moi@dondoc.example" and len(mail.data["assignment_ids"]) == len(
                transfers
            )
            assert "Văn phòng UBND tỉnh" in mail.body_text and "QĐ 1/QĐ-TEST" in mail.body_text
    finally:
        engine.dispose()


def test_without_an_installation_folder_nothing_is_recorded(db_url: str, tmp_path: Path) -> None:
    env = {"DONDOC_CATALOG_DIR": str(succession_catalog(tmp_path))}
    result = dondoc(
        db_url, "agencies", "succeed", "vp-ubnd", "--by", "so-khcn", "--on", "2022-08-01", "--kind", "rename",
        "--source", "x", "--no-apply", env=env,
    )  # fmt: skip
    assert result.returncode == 1 and "DONDOC_CATALOG_LOCAL_DIR" in result.stderr


def test_a_succession_the_database_refuses_leaves_the_installation_file_as_it_was(db_url: str, tmp_path: Path) -> None:
    """The entry validated against the catalog was written, then its load failed ("không ghi lùi thời
    gian"): the file kept an entry every later load refused, though the command had said nothing was."""
    catalog, local = succession_catalog(tmp_path), tmp_path / "installation-catalog"
    env = {"DONDOC_CATALOG_DIR": str(catalog), "DONDOC_CATALOG_LOCAL_DIR": str(local), "DONDOC_DEMO": "true"}
    ok(dondoc(db_url, "db", "upgrade", env=env))
    ok(dondoc(db_url, "catalog", "load", now="2022-03-02T08:00", env=env))
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            agency = session.exec(select(Agency).where(Agency.code == "vp-ubnd")).one()
            first = session.exec(select(Assignment.id).where(Assignment.agency_id == agency.id)).first()
    finally:
        engine.dispose()
    ok(dondoc(db_url, "assignments", "act", str(first), "acknowledge", "--as", "vp-ubnd", now="2022-08-03T08:00"))
    refused = dondoc(
        db_url, "agencies", "succeed", "vp-ubnd", "--by", "vp-ubnd-moi", "--on", "2022-08-01", "--kind", "rename",
        "--source", "QĐ 1/QĐ-TEST", now="2022-08-02T08:00", env=env,
    )  # fmt: skip
    assert refused.returncode == 1, refused.stdout
    said = refused.stderr.strip()
    assert said.startswith("dondoc: lỗi: Không ghi nhận, chưa ghi gì: ") and "không ghi lùi thời gian" in said, said
    assert not (local / "successions.yaml").exists()
    ok(dondoc(db_url, "catalog", "load", now="2022-08-04T08:00", env=env))  # a later load meets nothing it refuses
    later = dondoc(
        db_url, "agencies", "succeed", "vp-ubnd", "--by", "vp-ubnd-moi", "--on", "2022-08-01", "--kind", "rename",
        "--source", "QĐ 1/QĐ-TEST", now="2022-08-05T08:00", env=env,
    )  # fmt: skip
    assert later.returncode == 0 and "đã chuyển cho cơ quan kế nhiệm" in later.stdout  # recorded at its time: applied
