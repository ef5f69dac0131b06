"""/board/import: upload, review beside the source, edit, save and resume, publish into the
installation's catalog folder and load (twice: nothing changes the second time)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.models import Plan, PlanItem
from tests.support.catalogs import copy_catalog
from tests.support.import_docs import PROSE
from tests.support.web import WebEnv, csrf_of


def _setup(web: WebEnv, tmp_path: Path) -> Path:
    local = tmp_path / "local"
    web.settings.catalog_dir = copy_catalog(tmp_path)
    web.settings.catalog_local_dir = local
    web.login()
    return local


def _upload(web: WebEnv, name: str, data: bytes):  # type: ignore[no-untyped-def]
    token = web.csrf("/board/import")
    return web.client.post("/board/import", data={"csrf": token}, files={"file": (name, data, "text/plain")})


def _form(html: str) -> dict[str, str]:
    """The review form's fields as a browser would send them (checkboxes unchecked)."""
    fields = dict(re.findall(r'<input type="(?:text|hidden)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    fields |= {
        name: text.strip() for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S)
    }
    fields["csrf"] = csrf_of(html)
    return fields


def test_upload_review_edit_publish_twice(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path)
    response = _upload(web, "kh.md", PROSE.encode())
    assert response.status_code == 303 and response.headers["location"] == "/board/import/12-kh-ubnd"
    page = web.client.get("/board/import/12-kh-ubnd").text
    assert "dòng 23" in page and "Cơ quan chủ trì: Sở Thông tin và Truyền thông." in page  # the source beside
    assert "Mục II.1.a" in page and "chắc chắn" in page
    form = _form(page)
    assert form["i0-lead"] == "so-tttt" and form["i1-section"] == "II.1.b"

    form["i1-lead"] = "so-noi-vu"
    form["i0-deadline"] = "Tháng 10/2022"
    saved = web.client.post("/board/import/12-kh-ubnd", data={**form, "action": "save"})
    assert saved.status_code == 303
    resumed = _form(web.client.get("/board/import/12-kh-ubnd").text)  # save and resume
    assert resumed["i1-lead"] == "so-noi-vu" and resumed["i0-deadline"] == "Tháng 10/2022"

    published = web.client.post("/board/import/12-kh-ubnd", data={**resumed, "action": "publish"})
    assert published.status_code == 200, published.text
    assert "Đã công bố và nạp danh mục" in published.text and "tạo mới" in published.text
    assert (local / "plans" / "12-kh-ubnd.yaml").exists()
    with Session(web.engine) as session:
        plan = session.exec(select(Plan).where(Plan.number == "12/KH-UBND")).one()
        items = session.exec(select(PlanItem).where(PlanItem.plan_id == plan.id)).all()
        assert {i.code for i in items} >= {"12/KH-UBND:II.1.a", "12/KH-UBND:II.1.b"}
    again = web.client.post("/board/import/12-kh-ubnd", data={**_form(published.text), "action": "publish"})
    assert again.status_code == 200 and "không có gì thay đổi" in again.text


def test_drop_merge_add_and_unknown_code(web: WebEnv, tmp_path: Path) -> None:
    _setup(web, tmp_path)
    _upload(web, "kh.md", PROSE.encode())
    form = _form(web.client.get("/board/import/12-kh-ubnd").text)
    count = int(form["count"])
    bad = web.client.post("/board/import/12-kh-ubnd", data={**form, "i0-lead": "so-khong-co", "action": "save"})
    assert bad.status_code == 400 and "mã cơ quan «so-khong-co» không có trong danh mục" in bad.text
    edits = {"i1-merge": "1", f"i{count}-section": "III.1", f"i{count}-title": "Việc mới", f"i{count}-lead": "vp-ubnd"}
    if count > 2:
        edits["i2-drop"] = "1"
    saved = web.client.post("/board/import/12-kh-ubnd", data={**form, **edits, "action": "save"})
    assert saved.status_code == 303
    after = _form(web.client.get("/board/import/12-kh-ubnd").text)
    assert after["i0-section"] == "II.1.a" and after["i1-section"] == "III.1" and after["i1-lead"] == "vp-ubnd"
    assert "@so-ban-nganh" in after["i0-implementers"]  # merged from II.1.b


def test_bad_upload_is_one_message_and_no_draft(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path)
    response = _upload(web, "rong.txt", b"  \n")
    assert response.status_code == 400 and "Tệp rong.txt rỗng" in response.text
    assert not (local / "drafts").exists() or not list((local / "drafts").iterdir())


def test_without_a_local_folder_nothing_is_imported(web: WebEnv, tmp_path: Path) -> None:
    web.login()
    assert "DONDOC_CATALOG_LOCAL_DIR" in web.client.get("/board/import").text
    assert _upload(web, "kh.md", PROSE.encode()).status_code == 400


def test_live_deadline_reading(web: WebEnv) -> None:
    web.login()
    assert (
        web.client.get("/board/import/deadline", params={"phrase": "Quý IV/2022"}).json()["text"].endswith("31/12/2022")
    )
    assert web.client.get("/board/import/deadline", params={"phrase": "khi nào xong"}).json()["ok"] in (True, False)
