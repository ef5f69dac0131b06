"""/board/import: upload, review beside the source, edit, save and resume, publish into the
installation's catalog folder and load (twice: nothing changes the second time)."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import yaml
from sqlmodel import Session, select

from dondoc.engine.models import Milestone, Plan, PlanItem
from dondoc.engine.services.catalog_words import ROWS_VI
from dondoc.engine.status import day_off_words
from dondoc.importer import review
from tests.support.catalogs import import_catalog
from tests.support.cli import invoke
from tests.support.import_docs import CONCLUSION, CONTENT_DATES, LEVELS, PROSE, TOLD
from tests.support.web import MAX_UPLOAD, WebEnv, csrf_of


def _setup(web: WebEnv, tmp_path: Path) -> Path:
    local = tmp_path / "local"
    web.settings.catalog_dir = import_catalog(tmp_path)
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


def _published(html: str) -> str:
    """The line saying what the publish loaded, as the page shows it."""
    (said,) = re.findall(r'<p class="ok" role="status" id="published">(.*?)</p>', html, re.S)
    return " ".join(said.split())


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
    said = _published(published.text)  # in the words of the CLI's line (catalog_words.load_counts)
    assert said.startswith("Đã công bố và nạp danh mục: thêm ") and "cập nhật" not in said, said  # nothing updated
    added = said.split(": thêm ", 1)[1].removesuffix(".").split(";")[0]
    words = {w: n for n, w in re.findall(r"(\d+) ([^,;]+)", added)}
    assert words["văn bản"] == "1" and {"nhiệm vụ", "mốc", "phần việc"} <= set(words) <= set(ROWS_VI.values()), said
    assert not set(ROWS_VI) & set(re.findall(r"[a-z_]+", said)), said  # no table's name
    assert (local / "plans" / "12-kh-ubnd.yaml").exists()
    with Session(web.engine) as session:
        plan = session.exec(select(Plan).where(Plan.number == "12/KH-UBND")).one()
        items = session.exec(select(PlanItem).where(PlanItem.plan_id == plan.id)).all()
        assert {i.code for i in items} >= {"12/KH-UBND:II.1.a", "12/KH-UBND:II.1.b"}
    again = web.client.post("/board/import/12-kh-ubnd", data={**_form(published.text), "action": "publish"})
    assert again.status_code == 200 and _published(again.text) == "Đã công bố và nạp danh mục: không có thay đổi."
    assert 'id="published-changes"' not in again.text and 'id="published-orphaned"' not in again.text
    # a group of bodies dropped from an item and a title edited: the page lists what the load changed and
    # the parts it kept in place (orphaned, not cancelled), as the CLI lists them, not the counts alone
    edited = {**_form(again.text), "i1-implementers": "@ubnd-cap-huyen", "i1-title": "Tên mới của mục II.1.b"}
    third = web.client.post("/board/import/12-kh-ubnd", data={**edited, "action": "publish"})
    assert third.status_code == 200, third.text
    changes = html.unescape(third.text.split('id="published-changes">', 1)[1].split("</details>", 1)[0])
    assert "Nhiệm vụ 12/KH-UBND:II.1.b: đã thay đổi tên" in changes, changes
    orphaned = html.unescape(third.text.split('id="published-orphaned">', 1)[1].split("</div>", 1)[0])
    assert "không tự hủy" in orphaned and "12/KH-UBND:II.1.b" in orphaned and "so-tttt" in orphaned, orphaned
    assert _published(third.text) == "Đã công bố và nạp danh mục: cập nhật 1 nhiệm vụ."


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
    big = _upload(web, "lon.txt", b"a" * (MAX_UPLOAD + 1))  # the limit is said, not only that there is one
    assert big.status_code == 400 and "Tệp lon.txt vượt quá dung lượng cho phép (0,0625 MB)." in big.text
    assert not (local / "drafts").exists() or not list((local / "drafts").iterdir())


def test_a_broken_agency_directory_is_said_on_every_import_page(web: WebEnv, tmp_path: Path) -> None:
    """With the catalog's agencies.yaml broken, the upload said so in one line, but the review page of a
    draft made before raised: an HTTP 500."""
    _setup(web, tmp_path)
    made = _upload(web, "kh.md", PROSE.encode())
    assert made.status_code == 303
    directory = web.settings.catalog_dir / "agencies.yaml"
    directory.write_text("agencies: [ {code: x\n  broken", encoding="utf-8")
    said = f"Không đọc được danh mục cơ quan {directory}: YAML sai cú pháp (dòng 2, cột 9)"
    upload = _upload(web, "kh.md", PROSE.encode())
    assert upload.status_code == 400 and said in upload.text
    page = web.client.get(made.headers["location"])
    assert page.status_code == 503 and said in page.text


def test_saving_the_review_keeps_the_year_the_plan_is_for(web: WebEnv, tmp_path: Path) -> None:
    """A plan "năm 2023" issued on 28/12/2022 is drafted for 2023; saving the review form set its year to
    the issue year, and "Quý I" loaded as 31/03/2022, nine months before the plan existed."""
    local = _setup(web, tmp_path)
    text = PROSE.replace("ngày 05 tháng 3 năm 2022", "ngày 28 tháng 12 năm 2022").replace(
        "Thử nghiệm nhập văn bản", "Thử nghiệm nhập văn bản năm 2023"
    )
    made = _upload(web, "kh.md", text.encode())
    assert made.status_code == 303
    slug = made.headers["location"].rsplit("/", 1)[1]
    assert review.load(local, slug)["plan"]["year"] == 2023
    form = _form(web.client.get(made.headers["location"]).text)
    assert web.client.post(made.headers["location"], data={**form, "action": "save"}).status_code == 303
    assert review.load(local, slug)["plan"]["year"] == 2023


def test_a_blank_issue_day_is_kept_as_written_until_the_secretariat_types_one(web: WebEnv, tmp_path: Path) -> None:
    """ "ngày tháng 01 năm 2022" (the day blank, the meeting of 19/01/2022 in the text): drafted from the
    19th with the date as written, which the review keeps on a save; a day typed in the form is the
    date, and "không ghi rõ ngày" no longer stands beside it."""
    local = _setup(web, tmp_path)
    made = _upload(web, "tb.md", CONCLUSION.encode())
    assert made.status_code == 303
    slug = made.headers["location"].rsplit("/", 1)[1]
    plan = review.load(local, slug)["plan"]
    assert (plan["issued"], plan["issued_as_written"]) == ("2022-01-19", "ngày … tháng 01 năm 2022")
    form = _form(web.client.get(made.headers["location"]).text)
    assert web.client.post(made.headers["location"], data={**form, "action": "save"}).status_code == 303
    assert review.load(local, slug)["plan"]["issued_as_written"] == "ngày … tháng 01 năm 2022"
    typed = {**form, "plan-issued": "2022-01-25", "action": "save"}
    assert web.client.post(made.headers["location"], data=typed).status_code == 303
    plan = review.load(local, slug)["plan"]
    assert plan["issued"] == "2022-01-25" and "issued_as_written" not in plan


def test_without_a_local_folder_nothing_is_imported(web: WebEnv, tmp_path: Path) -> None:
    web.login()
    assert "DONDOC_CATALOG_LOCAL_DIR" in web.client.get("/board/import").text
    assert _upload(web, "kh.md", PROSE.encode()).status_code == 400


def test_live_deadline_reading(web: WebEnv) -> None:
    web.login()
    # what the parser read, in words (it said the kind's code: "period, hạn 30/09/2022")
    quarter = web.client.get("/board/import/deadline", params={"phrase": "Quý III/2022"}).json()["text"]
    assert quarter == "đọc là một kỳ, hạn 30/09/2022 (ngày cuối kỳ)"
    assert web.client.get("/board/import/deadline", params={"phrase": "trước ngày 30/9/2022"}).json()["text"] == (
        "đọc là một ngày, hạn 30/09/2022"
    )
    # 31/12/2022 is a Saturday: the hint says the due day moves, as the rest of the product words it
    said = web.client.get("/board/import/deadline", params={"phrase": "Quý IV/2022"}).json()["text"]
    assert said == f"đọc là một kỳ, hạn 31/12/2022 (ngày cuối kỳ); {day_off_words(date(2022, 12, 31))}"
    assert web.client.get("/board/import/deadline", params={"phrase": "khi nào xong"}).json()["ok"] in (True, False)
    unread = web.client.get("/board/import/deadline", params={"phrase": "trước ngày 30/6"}).json()  # no year
    assert unread == {"ok": False, "text": unread["text"]} and unread["text"].startswith("không đọc được thời hạn")
    # a year the parser cannot count from was an error 500; "31/12/9999" a date that stopped the sweep
    huge = web.client.get("/board/import/deadline", params={"phrase": "trước 30/6", "year": "99999999999999999999"})
    assert huge.status_code == 422
    assert not web.client.get("/board/import/deadline", params={"phrase": "trước ngày 31/12/9999"}).json()["ok"]
    web.client.post("/logout", data={"csrf": web.csrf("/board")})
    assert web.client.get("/board/import/deadline", params={"phrase": "Quý IV/2022"}).status_code in (303, 401)


def test_the_review_page_lists_a_task_with_no_deadline_and_says_a_due_day_off(web: WebEnv, tmp_path: Path) -> None:
    """Under "Chưa đọc được", the task with no deadline (II.2, with its line); under the date of II.3
    (30/10/2022, a Sunday), drawn with the page and not only once the script has asked, that the due
    day moves to the next working day."""
    _setup(web, tmp_path)
    assert _upload(web, "told.md", TOLD.encode()).status_code == 303
    page = web.client.get("/board/import/12-kh-ubnd").text
    (unread,) = re.findall(r"<summary>Chưa đọc được \(\d+\)</summary><ul>(.*?)</ul>", page, re.S)
    assert "<li>Mục II.2: không tìm thấy thời hạn (dòng 17).</li>" in unread
    hints = dict(
        re.findall(r'<legend>Mục (\S+)</legend>.*?<small class="deadline-reading muted">(.*?)</small>', page, re.S)
    )
    assert html.unescape(hints["II.3"]) == f"đọc là một ngày, hạn 30/10/2022; {day_off_words(date(2022, 10, 30))}"
    assert hints["II.2"] == ""


def test_the_review_form_is_held_to_the_forms_text_rule(web: WebEnv, tmp_path: Path) -> None:
    """A title with a control character was published, and every export of the list failed (openpyxl);
    on PostgreSQL a NUL failed after the plan's file was written. A count that is not a number was an
    error 500; a negative one dropped every item; a huge one took the server's CPU for seconds."""
    local = _setup(web, tmp_path)
    _upload(web, "kh.md", PROSE.encode())
    form = _form(web.client.get("/board/import/12-kh-ubnd").text)
    before = review.load(local, "12-kh-ubnd")
    for change, said in (
        ({"i0-title": "Xây dựng quy chế\x01"}, "Trường «i0-title» chứa ký tự điều khiển không được phép (mã 0x01)"),
        ({"plan-title": "x" * 4001}, "quá 4000 ký tự"),
        ({"count": "abc"}, "Số nhiệm vụ của biểu mẫu «abc» không hợp lệ"),
        ({"count": "-5"}, "Số nhiệm vụ của biểu mẫu «-5» không hợp lệ"),
        ({"count": "100000000"}, "Biểu mẫu rà soát có 100000000 nhiệm vụ, bản nháp hiện có"),
        ({"count": "1" * 4000}, "không hợp lệ: cần một số từ 0 đến"),
        ({"plan-number": "1" * 65}, "Số văn bản dài 65 ký tự, quá 64 ký tự cho phép"),
    ):
        response = web.client.post("/board/import/12-kh-ubnd", data={**form, **change, "action": "publish"})
        assert response.status_code == 400 and said in response.text.replace("&#34;", '"'), change
        assert review.load(local, "12-kh-ubnd") == before, change  # nothing saved
    assert not (local / "plans").exists()  # nothing published
    assert web.client.get("/board/import/" + "a" * 300).status_code == 404  # a name past a file name's limit


def test_a_review_form_drawn_for_another_count_of_items_changes_nothing(web: WebEnv, tmp_path: Path) -> None:
    """The form's hidden count says how many items it was drawn with. A count below the draft's (a tab
    opened before another tab split an item, or a count typed) saved the draft without the items past
    it, silently: count 0 kept the first item of five and dropped the rest, and a publish loaded that."""
    local = _setup(web, tmp_path)
    _upload(web, "kh.md", PROSE.encode())
    form = _form(web.client.get("/board/import/12-kh-ubnd").text)
    before = review.load(local, "12-kh-ubnd")
    assert before is not None
    shown = len(before["items"])
    assert shown >= 2
    for counted in ("0", str(shown - 1), str(shown + 1)):
        for action in ("save", "publish"):
            response = web.client.post("/board/import/12-kh-ubnd", data={**form, "count": counted, "action": action})
            assert response.status_code == 400, (counted, action, response.status_code)
            said = html.unescape(response.text)
            assert f"Biểu mẫu rà soát có {counted} nhiệm vụ, bản nháp hiện có {shown}" in said, said[-2000:]
            assert review.load(local, "12-kh-ubnd") == before  # nothing saved
    assert not (local / "plans").exists()  # nothing published
    saved = web.client.post("/board/import/12-kh-ubnd", data={**form, "action": "save"})
    assert saved.status_code == 303  # the form as drawn still saves


def test_merge_with_the_next_item_keeps_both_sources(web: WebEnv, tmp_path: Path) -> None:
    _setup(web, tmp_path)
    _upload(web, "kh.md", PROSE.encode())
    page = web.client.get("/board/import/12-kh-ubnd").text
    assert '<option value="II.1.b">II.1.b (mục kế tiếp)</option>' in page  # the next item, offered first
    form = _form(page)
    saved = web.client.post("/board/import/12-kh-ubnd", data={**form, "i0-merge": "II.1.b", "action": "save"})
    assert saved.status_code == 303
    state = review.load(tmp_path / "local", "12-kh-ubnd")
    assert state is not None
    merged = next(i for i in state["items"] if i["section"] == "II.1.b")
    assert [i["section"] for i in state["items"]].count("II.1.a") == 0
    assert merged["content"].index("kho dữ liệu") < merged["content"].index("IPv6")  # the document's order
    assert merged["lead"] == ["vp-ubnd", "so-tttt"] and "@so-ban-nganh" in merged["implementers"]
    assert {"role": "partner", "phrase": "các cơ quan, đơn vị liên quan"} in merged["unnamed"]  # from II.1.a
    assert merged["indicators"] and merged["indicators"][0]["target"] == 80  # the 80 % of II.1.a came along
    assert "Mục II.1.a" in merged["source"] and "Mục II.1.b" in merged["source"]
    refs = merged["trace"]["lead"]["ref"]
    assert refs.count("dòng") == 2  # both items' lines, highlighted together on the page
    bad = web.client.post(
        "/board/import/12-kh-ubnd",
        data={**_form(web.client.get("/board/import/12-kh-ubnd").text), "i0-merge": "IX.9", "action": "save"},
    )
    assert bad.status_code == 400 and "không có mục «IX.9» để gộp vào" in bad.text


def test_split_an_item_at_a_sentence(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path)
    _upload(web, "kh.md", PROSE.encode())
    page = web.client.get("/board/import/12-kh-ubnd").text
    assert '<option value="2">2. Tỷ lệ hồ sơ được số hóa đạt 80%.</option>' in page  # the sentences offered
    form = _form(page)
    bad = web.client.post("/board/import/12-kh-ubnd", data={**form, "i0-split": "7", "action": "save"})
    assert bad.status_code == 400 and "nội dung có 2 câu, không tách tại câu 7 được" in bad.text
    saved = web.client.post("/board/import/12-kh-ubnd", data={**form, "i0-split": "2", "action": "save"})
    assert saved.status_code == 303
    state = review.load(local, "12-kh-ubnd")
    assert state is not None
    first, second = state["items"][0], state["items"][1]
    assert first["section"] == "II.1.a" and first["content"] == "Xây dựng kho dữ liệu dùng chung."
    assert second["section"] == "II.1.a-2" and second["content"] == "Tỷ lệ hồ sơ được số hóa đạt 80%."
    assert second["lead"] == ["so-tttt"] and second["deadline"] == "Tháng 9/2022"  # roles and deadline copied
    assert [x["target"] for x in second["indicators"]] == [80] and first["indicators"] == []  # the target moves
    source_line = next(ref for ref, text in state["source"] if "Tỷ lệ hồ sơ được số hóa" in text)
    assert second["trace"]["content"]["ref"] == source_line and source_line in second["source"]
    published = web.client.post(
        "/board/import/12-kh-ubnd", data={**_form(web.client.get("/board/import/12-kh-ubnd").text), "action": "publish"}
    )
    assert published.status_code == 200 and "Đã công bố" in published.text
    assert "12/KH-UBND:II.1.a-2" in (local / "plans" / "12-kh-ubnd.yaml").read_text(encoding="utf-8")


REPORTING_DOC = """Số: 9/KH-UBND

Quảng Ngãi, ngày 15 tháng 5 năm 2023

KẾ HOẠCH

Thử nghiệm báo cáo

I. NHIỆM VỤ

1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tổ chức 02 hội thảo; hoàn thành trong quý III/2023.

II. TỔ CHỨC THỰC HIỆN

1. Các sở, ban, ngành định kỳ hằng quý báo cáo kết quả gửi về Sở Nội vụ trước ngày 20 tháng cuối quý.

Nơi nhận:
- Như trên;
"""


def test_reporting_entries_are_shown_and_published(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path)
    _upload(web, "bc.md", REPORTING_DOC.encode())
    page = web.client.get("/board/import/9-kh-ubnd").text
    assert "Nghĩa vụ báo cáo sẽ lập khi công bố (1)" in page
    assert "<code>9/KH-UBND:II.1.bao-cao-quy</code>: hằng quý" in page and "@so-ban-nganh → so-noi-vu, ngày 20" in page
    published = web.client.post("/board/import/9-kh-ubnd", data={**_form(page), "action": "publish"})
    assert published.status_code == 200 and "Đã công bố" in published.text
    written = yaml.safe_load((local / "plans" / "9-kh-ubnd.yaml").read_text(encoding="utf-8"))
    assert [(r["code"], r["period"], r["due_day"]) for r in written["reporting"]] == [
        ("9/KH-UBND:II.1.bao-cao-quy", "quarter", 20)
    ]


def test_the_review_page_and_the_cli_draft_the_same(web: WebEnv, tmp_path: Path) -> None:
    local = _setup(web, tmp_path)
    _upload(web, "kh.md", PROSE.encode())
    form = _form(web.client.get("/board/import/12-kh-ubnd").text)
    assert form["i0-partners"] == "so-tai-chinh"
    source, out = tmp_path / "kh.md", tmp_path / "cli.yaml"
    source.write_text(PROSE, encoding="utf-8")
    result = invoke(
        ["import", str(source), "--out", str(out)], env={"DONDOC_CATALOG_DIR": str(web.settings.catalog_dir)}
    )
    assert result.returncode == 0, result.stderr
    cli = yaml.safe_load(out.read_text(encoding="utf-8"))
    web_state = review.load(local, "12-kh-ubnd")
    assert web_state is not None
    fields = ("section", "lead", "implementers", "partners", "unnamed", "deadline", "indicators")
    assert [[i.get(k) for k in fields] for i in web_state["items"]] == [
        [i.get(k) for k in fields] for i in cli["items"]
    ]


KON_TUM = (
    '  - {code: kt-so-y-te, name: "Sở Y tế tỉnh Kon Tum", short: "Sở Y tế Kon Tum", kind: so, '
    'email: "kt-so-y-te@dondoc.example", valid_to: 2025-06-30, province: "tỉnh Kon Tum"}\n'
)
KT_GROUP = '  - {code: kt-so-ban-nganh, name: "Các sở, ban, ngành tỉnh Kon Tum", members: [kt-so-y-te]}\n'
REFUSED = (
    "Sở Y tế tỉnh Kon Tum là cơ quan của tỉnh Kon Tum (đến 30/06/2025), không thuộc phạm vi giao việc của "
    "Ban Chỉ đạo chuyển đổi số tỉnh."
)


def test_the_review_offers_and_accepts_only_the_plans_province(web: WebEnv, tmp_path: Path) -> None:
    """Kon Tum's bodies were offered for every draft, and a Quảng Ngãi plan naming one was refused only on
    publish, in a list of the loader's problems in English."""
    local = _setup(web, tmp_path)
    agencies = web.settings.catalog_dir / "agencies.yaml"
    text = agencies.read_text(encoding="utf-8").replace("groups:\n", KON_TUM + "groups:\n" + KT_GROUP, 1)
    agencies.write_text(text, encoding="utf-8")
    _upload(web, "kh.md", PROSE.encode())
    page = web.client.get("/board/import/12-kh-ubnd").text
    assert 'option value="so-tttt"' in page and 'option value="@so-ban-nganh"' in page
    assert 'option value="kt-so-y-te"' not in page and 'option value="@kt-so-ban-nganh"' not in page
    form = _form(page)
    before = review.load(local, "12-kh-ubnd")
    for change, said in (
        ({"i1-lead": "kt-so-y-te"}, f"Mục II.1.b: {REFUSED}"),
        ({"i0-partners": "@kt-so-ban-nganh"}, f"Mục II.1.a (qua nhóm «@kt-so-ban-nganh»): {REFUSED}"),
    ):
        for action in ("save", "publish"):
            response = web.client.post("/board/import/12-kh-ubnd", data={**form, **change, "action": action})
            assert response.status_code == 400 and said in response.text, (change, action)
            assert review.load(local, "12-kh-ubnd") == before  # nothing saved, nothing published
    assert not (local / "plans").exists()
    # once the province is one (Kon Tum's last body ended 30/06/2025), a later plan has no Kon Tum body to offer
    later = _form(page) | {"plan-issued": "2025-07-01"}
    assert web.client.post("/board/import/12-kh-ubnd", data={**later, "action": "save"}).status_code == 303
    assert 'option value="kt-so-y-te"' not in web.client.get("/board/import/12-kh-ubnd").text
    # a draft that declares itself Kon Tum's: its bodies, not the committee's
    state = review.load(local, "12-kh-ubnd")
    assert state is not None
    state["plan"] |= {"province": "tỉnh Kon Tum", "issued": "2022-03-05"}
    review.save(local, state, "12-kh-ubnd")
    page = web.client.get("/board/import/12-kh-ubnd").text
    assert 'option value="kt-so-y-te"' in page and 'option value="so-tttt"' not in page


OTHER_PLAN = """plan:
  {number: "98/KH-KHAC", kind: ke_hoach, issued: 2022-03-01, issuer: "UBND tỉnh", title: "Khác", year: 2022}
items:
  - {code: "98/KH-KHAC:I.1", section: "I.1", title: "Khám sàng lọc", content: "Khám sàng lọc.", source: "Mục I.1",
     lead: [kt-so-y-te], deadline: "Tháng 10/2022"}
"""


def test_a_refusal_of_the_loader_on_publish_is_one_line_naming_the_item_and_the_body(
    web: WebEnv, tmp_path: Path
) -> None:
    """Another plan of the folder giving Kon Tum's body a Quảng Ngãi plan's work: publishing said "danh mục
    không hợp lệ" above the loader's problems, in English, with file and line."""
    local = _setup(web, tmp_path)
    agencies = web.settings.catalog_dir / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("groups:\n", KON_TUM + "groups:\n", 1))
    _upload(web, "kh.md", PROSE.encode())
    (local / "plans").mkdir()
    (local / "plans" / "98-kh-khac.yaml").write_text(OTHER_PLAN, encoding="utf-8")
    form = _form(web.client.get("/board/import/12-kh-ubnd").text)
    response = web.client.post("/board/import/12-kh-ubnd", data={**form, "action": "publish"})
    assert response.status_code == 400
    assert f"Chưa công bố được. Nhiệm vụ 98/KH-KHAC:I.1: {REFUSED}" in response.text
    assert "not of the plan" not in response.text and "danh mục không hợp lệ" not in response.text
    assert not (local / "plans" / "12-kh-ubnd.yaml").exists()


ENDED = (
    '  - {code: ubnd-cu, name: "UBND huyện Cũ", short: "UBND huyện Cũ", kind: huyen, '
    'email: "ubnd-cu@dondoc.example", valid_to: 2021-12-31}\n'
)
ENDED_PLAN = OTHER_PLAN.replace("98/KH-KHAC", "97/KH-CU").replace("kt-so-y-te", "ubnd-cu")


def test_a_body_that_did_not_exist_then_is_refused_in_vietnamese_on_save_and_on_publish(
    web: WebEnv, tmp_path: Path
) -> None:
    """A body that ended before the plan was issued: the review's picker did not offer it, yet saving
    accepted it typed in, and publishing refused it above the loader's problem in English ("agency
    … is used for milestone 1 … outside its validity")."""
    local = _setup(web, tmp_path)
    agencies = web.settings.catalog_dir / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("groups:\n", ENDED + "groups:\n", 1))
    _upload(web, "kh.md", PROSE.encode())
    page = web.client.get("/board/import/12-kh-ubnd").text
    assert 'option value="ubnd-cu"' not in page
    form, before = _form(page), review.load(local, "12-kh-ubnd")
    said = "Mục II.1.b: UBND huyện Cũ không còn từ ngày 01/01/2022, trước ngày ban hành văn bản (05/03/2022)."
    for action in ("save", "publish"):
        response = web.client.post("/board/import/12-kh-ubnd", data={**form, "i1-lead": "ubnd-cu", "action": action})
        assert response.status_code == 400 and said in response.text, action
        assert review.load(local, "12-kh-ubnd") == before  # nothing saved, nothing published
    # another plan of the folder naming it for work of 2022: publishing says so of that item, in Vietnamese
    (local / "plans").mkdir()
    (local / "plans" / "97-kh-cu.yaml").write_text(ENDED_PLAN, encoding="utf-8")
    response = web.client.post("/board/import/12-kh-ubnd", data={**form, "action": "publish"})
    assert response.status_code == 400
    assert (
        "Chưa công bố được. Nhiệm vụ 97/KH-CU:I.1: UBND huyện Cũ không còn từ ngày 01/01/2022, trước ngày "
        "xác định cơ quan thực hiện mốc 1 (31/10/2022)."
    ) in response.text
    assert "outside its validity" not in response.text and "danh mục không hợp lệ" not in response.text
    assert not (local / "plans" / "12-kh-ubnd.yaml").exists()


def test_a_deadline_typed_anew_replaces_the_milestones_split_from_the_drafted_one(web: WebEnv, tmp_path: Path) -> None:
    """An item whose drafted deadline was split into milestones ("… trước ngày 30/6/2022; … trước ngày
    15/11/2022"): the page did not show them, and a deadline typed anew ("Quý IV/2022") was published
    beside the old milestones, which the catalog reads first: the edit was lost without a word."""
    _setup(web, tmp_path)
    table = (
        "| TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n"
        "| 1 | Bảo đảm an toàn thông tin | Sở Y tế | Phê duyệt hồ sơ trước ngày 30/6/2022; "
        "triển khai trước ngày 15/11/2022 |\n"
    )
    _upload(web, "kh.md", PROSE.split("I. MỤC ĐÍCH")[0].encode() + table.encode())
    page = web.client.get("/board/import/12-kh-ubnd").text
    assert "Mốc 1: Phê duyệt hồ sơ — «trước ngày 30/6/2022»" in html.unescape(page)
    form = {**_form(page), "i0-deadline": "Quý IV/2022"}
    published = web.client.post("/board/import/12-kh-ubnd", data={**form, "action": "publish"})
    assert published.status_code == 200, published.text
    with Session(web.engine) as session:
        item = session.exec(select(PlanItem).where(PlanItem.code == "12/KH-UBND:PL.1")).one()
        dues = [m.due_date for m in session.exec(select(Milestone).where(Milestone.item_id == item.id))]
    assert [str(d) for d in dues] == ["2022-12-31"]
    # a phrase of several dates typed anew is split by the import's rule, as the drafted one was
    form = {**_form(published.text), "i0-deadline": "A trước ngày 31/7/2022; B trước ngày 30/11/2022"}
    assert web.client.post("/board/import/12-kh-ubnd", data={**form, "action": "save"}).status_code == 303
    again = html.unescape(web.client.get("/board/import/12-kh-ubnd").text)
    assert "Mốc 1: A — «trước ngày 31/7/2022»" in again and "Mốc 2: B — «trước ngày 30/11/2022»" in again


def test_milestones_read_from_the_content_say_so_on_the_review_page(web: WebEnv, tmp_path: Path) -> None:
    """A task with no Thời hạn line whose content gives its dates ("đến tháng 9/2022 …"): the page said
    the milestones were split from the deadline, which is empty, and that editing it splits them again."""
    _setup(web, tmp_path)
    assert _upload(web, "kh.md", CONTENT_DATES.encode()).status_code == 303
    page = html.unescape(web.client.get("/board/import/12-kh-ubnd").text)
    radio = page[page.index("<legend>Mục II.1.a</legend>") : page.index("<legend>Mục II.1.b</legend>")]
    assert 'aria-label="Các mốc đọc từ Nội dung"' in radio and "«đến tháng 9/2022»" in radio
    assert "Văn bản không có dòng Thời hạn: các mốc đọc từ Nội dung" in radio
    assert "tách từ thời hạn" not in radio and "Sửa thời hạn" not in radio


def test_a_milestone_s_own_bodies_and_priority_are_on_the_review_page(web: WebEnv, tmp_path: Path) -> None:
    """A milestone given to one level's bodies (117/KH-UBND II.1.đ), or flagged a key task by its bullet
    (1834/UBND-KGVX item 2's radio bullet): the page listed only its label and date, so the reviewer
    could not see what would be published."""
    _setup(web, tmp_path)
    assert _upload(web, "kh.md", LEVELS.encode()).status_code == 303
    page = html.unescape(web.client.get("/board/import/12-kh-ubnd").text)
    assert (
        "«tháng 6/2022» · thực hiện: @so-ban-nganh" in page and "«tháng 12/2022» · thực hiện: @ubnd-cap-huyen" in page
    )
    flagged = CONTENT_DATES.replace(
        "đảm bảo đến tháng 9/2022 có ít nhất 50% số xã áp dụng.",
        "đảm bảo đến tháng 9/2022 có ít nhất 50% số xã áp dụng (nhiệm vụ trọng tâm thuộc diện Ủy ban Quốc gia"
        " về chuyển đổi số theo dõi, đôn đốc ưu tiên triển khai).",
    )
    assert flagged != CONTENT_DATES
    assert _upload(web, "kh2.md", flagged.encode()).status_code == 303
    drafts = re.findall(r'href="/board/import/([^"]+)"', web.client.get("/board/import").text)
    pages = [html.unescape(web.client.get(f"/board/import/{slug}").text) for slug in set(drafts)]
    assert any("«đến tháng 9/2022» · nhiệm vụ trọng tâm" in p for p in pages)


def test_the_review_page_refuses_a_query_name_it_does_not_read(web: WebEnv, tmp_path: Path) -> None:
    """The review reads "?done=save" (the notice after saving) only; a misspelt name is refused (422)."""
    _setup(web, tmp_path)
    assert _upload(web, "kh.md", PROSE.encode()).status_code == 303
    refused = web.client.get("/board/import/12-kh-ubnd?dnoe=save")
    assert refused.status_code == 422
    assert 'Trang này không có tham số "dnoe"; dùng được: done.' in html.unescape(refused.text)
    assert web.client.get("/board/import/12-kh-ubnd?done=save").status_code == 200


def test_a_precondition_and_a_lead_only_milestone_are_on_the_review_page(web: WebEnv, tmp_path: Path) -> None:
    """A "Ghi chú" condition (61/KH-UBND PL.I.2) and a milestone the lead alone submits (117/KH-UBND II.4.d):
    the page showed neither, so the reviewer saw a bare date and a milestone that looked every body's."""
    from tests.test_import_audit import CLOUD, NOTED

    _setup(web, tmp_path)
    assert _upload(web, "pl.md", NOTED.encode()).status_code == 303
    assert _upload(web, "kh.md", CLOUD.encode()).status_code == 303
    drafts = re.findall(r'href="/board/import/([^"]+)"', web.client.get("/board/import").text)
    pages = [html.unescape(web.client.get(f"/board/import/{slug}").text) for slug in set(drafts)]
    assert any("Điều kiện kèm theo: «Khi có hướng dẫn của Bộ Thông tin và Truyền thông.»" in p for p in pages)
    assert any("«Hoàn thành trong Quý IV/2022» · chỉ cơ quan chủ trì" in p for p in pages)
    assert any("«Theo kế hoạch hàng năm»</li>" in p for p in pages)
